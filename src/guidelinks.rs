//! Model stage (read by validation and the renderers): links between guides. A Markdown link to
//! `guide:<id>` or `guide:<id>#step-4` (or `#section-2`) names another guide of the site by its id;
//! validation checks the id against every guide found, and the page links to that guide in its own
//! language with a relative URL (`../<id>/index.html#step-4`), which works over HTTP and from
//! `file://` alike.

use std::collections::BTreeSet;

use rayon::prelude::*;

/// What a link to another guide starts with.
pub const SCHEME: &str = "guide:";

/// Added to a guide link shown on a language's index page (a guide's summary), whose relative
/// address starts one folder higher than a guide page's.
const FROM_INDEX: &str = "?from=index";

/// A link to another guide, as written after `guide:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideLink<'a> {
    pub id: &'a str,
    /// `step-4`, `section-2`: a place in that guide's page.
    pub fragment: Option<&'a str>,
    /// Shown on a language's index page, not on a guide's page.
    pub from_index: bool,
}

/// The link of a `guide:` URL; `None` for any other URL.
pub fn parse(url: &str) -> Option<GuideLink<'_>> {
    let rest = url.trim().strip_prefix(SCHEME)?;
    let (rest, from_index) = match rest.strip_suffix(FROM_INDEX) {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let (id, fragment) = match rest.split_once('#') {
        Some((id, fragment)) => (id, Some(fragment)),
        None => (rest, None),
    };
    Some(GuideLink {
        id,
        fragment,
        from_index,
    })
}

/// `markdown` as a language's index page shows it: each inline guide link marked to be made
/// relative to the index.
pub fn for_index(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    for target in crate::markdown::targets(markdown) {
        if parse(&target.url).is_none() {
            continue;
        }
        let Some(written) = markdown.get(target.range.clone()) else {
            continue;
        };
        if let Some(at) = written.rfind(target.url.as_str()) {
            let end = target.range.start + at + target.url.len();
            out.push_str(&markdown[copied..end]);
            out.push_str(FROM_INDEX);
            copied = end;
        }
    }
    out.push_str(&markdown[copied..]);
    out
}

/// Whether `fragment` names a place every guide page has: `step-<n>` or `section-<n>`.
fn fragment_ok(fragment: &str) -> bool {
    ["step-", "section-"].iter().any(|prefix| {
        fragment.strip_prefix(prefix).is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// Why `link` cannot be followed, as a message and a hint; `None` when it names a guide of `ids`.
pub fn refusal(link: &GuideLink, ids: &BTreeSet<String>) -> Option<(String, String)> {
    if !ids.contains(link.id) {
        let hint = crate::diagnostic::did_you_mean(link.id, ids.iter().map(String::as_str))
            .unwrap_or_else(|| {
                "a guide's id is its folder's name (guides/<id>/guide.yaml); write `guide:<id>`"
                    .into()
            });
        return Some((format!("link to unknown guide `{}`", link.id), hint));
    }
    match link.fragment {
        Some(fragment) if !fragment_ok(fragment) => Some((
            format!("`#{fragment}` is not a place in a guide"),
            format!(
                "link to a step as `guide:{}#step-4` or to a section as `guide:{}#section-2`, or to the guide as `guide:{}`",
                link.id, link.id, link.id
            ),
        )),
        _ => None,
    }
}

/// The relative URL of `link` from a guide's page in the same language (`<lang>/<id>/index.html`),
/// or from the language's index.
pub fn href(link: &GuideLink) -> String {
    let fragment = link.fragment.map(|f| format!("#{f}")).unwrap_or_default();
    let up = if link.from_index { "" } else { "../" };
    format!(
        "{up}{}/index.html{fragment}",
        crate::view::url_path(link.id)
    )
}

/// The address of a guide's page on the web, for the PDF to print beside a link to it: only a site
/// with a known address has one. The hook for `base_url` (guidegen.yaml): given the site's address,
/// `https://it.example.dk/guides/` + `da` + `mfa-setup` → `https://it.example.dk/guides/da/mfa-setup/`.
pub fn address(base_url: Option<&str>, lang: &str, link: &GuideLink) -> Option<String> {
    let base = base_url?.trim_end_matches('/');
    let fragment = link.fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Some(format!("{base}/{lang}/{}/{fragment}", link.id))
}

/// Hint for a relative link that leaves the guide's folder, when it seems to point at another
/// guide (`../mfa-setup/`): the `guide:` link to write instead.
pub fn hint_for_relative(rel: &str, ids: &BTreeSet<String>) -> Option<String> {
    let id = rel
        .split('/')
        .filter(|part| !part.is_empty() && *part != "..")
        .find(|part| ids.contains(*part))?;
    Some(format!(
        "to link to another guide, write `guide:{id}` (`[the guide](guide:{id})`): it links to that guide in the page's language, and is checked"
    ))
}

/// A warning for each link shown on a page in a language its target guide is not published in
/// (`languages:` of that guide), where it would lead nowhere. `guides` are all of the site's.
pub fn unpublished_targets<'a>(
    guides: impl IntoIterator<Item = &'a crate::model::Guide> + Clone,
) -> Vec<crate::diagnostic::Diagnostic> {
    let by_id: std::collections::BTreeMap<&str, &crate::model::Guide> = guides
        .clone()
        .into_iter()
        .map(|g| (g.id.as_str(), g))
        .collect();
    let mut out = Vec::new();
    for guide in guides {
        for used in &guide.links {
            let Some(target) = by_id.get(used.target.as_str()) else {
                continue;
            };
            let stranded: Vec<&str> = used
                .shown_in
                .iter()
                .filter(|lang| guide.offered_in(lang) && !target.offered_in(lang))
                .map(String::as_str)
                .collect();
            if stranded.is_empty() {
                continue;
            }
            let has = target.languages.clone().unwrap_or_default().join(", ");
            out.push(
                crate::diagnostic::Diagnostic::warning(
                    &used.origin.path,
                    used.origin.span,
                    format!(
                        "`guide:{}` is shown on the {} page, but that guide is published only in {has}: the link leads nowhere there",
                        used.target,
                        stranded.join(" and ")
                    ),
                )
                .with_hint(format!(
                    "translate the text for {} without the link, or add the language to `languages` in {}",
                    stranded.join(" and "),
                    target.path.display()
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> BTreeSet<String> {
        ["mfa-setup", "wifi"].map(String::from).into()
    }

    #[test]
    fn a_link_names_a_guide_and_a_place() {
        let link = parse("guide:mfa-setup#step-4").unwrap();
        assert_eq!(link.id, "mfa-setup");
        assert_eq!(link.fragment, Some("step-4"));
        assert_eq!(refusal(&link, &ids()), None);
        assert_eq!(href(&link), "../mfa-setup/index.html#step-4");
        assert_eq!(parse("https://example.org"), None);
    }

    #[test]
    fn an_unknown_guide_or_place_is_refused_with_a_hint() {
        let (message, hint) = refusal(&parse("guide:mfa-setpu").unwrap(), &ids()).unwrap();
        assert_eq!(message, "link to unknown guide `mfa-setpu`");
        assert!(hint.contains("did you mean `mfa-setup`"), "{hint}");
        let (message, _) = refusal(&parse("guide:wifi#step-0").unwrap(), &ids()).unwrap();
        assert!(message.contains("step-0"));
    }

    #[test]
    fn an_index_links_from_one_folder_higher() {
        let marked = for_index("See [MFA](guide:mfa-setup#step-2) and [x](https://e.org).");
        assert_eq!(
            marked,
            "See [MFA](guide:mfa-setup#step-2?from=index) and [x](https://e.org)."
        );
        let link = parse("guide:mfa-setup#step-2?from=index").unwrap();
        assert_eq!(href(&link), "mfa-setup/index.html#step-2");
    }

    #[test]
    fn the_pdf_address_needs_a_site_address() {
        let link = parse("guide:wifi#step-2").unwrap();
        assert_eq!(address(None, "da", &link), None);
        assert_eq!(
            address(Some("https://it.example.dk/"), "da", &link).as_deref(),
            Some("https://it.example.dk/da/wifi/#step-2")
        );
    }

    #[test]
    fn a_relative_link_to_a_guide_folder_gets_the_guide_link_hint() {
        let hint = hint_for_relative("../mfa-setup/", &ids()).unwrap();
        assert!(hint.contains("guide:mfa-setup"));
        assert_eq!(hint_for_relative("../secret.pdf", &ids()), None);
    }
}

/// What a PDF prints for a link to another guide, paper being unclickable: the guide's title in
/// each language, and the languages it is published in (for its address).
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// By language code; the plain string of a title written without a language map under "".
    pub titles: std::collections::BTreeMap<String, String>,
    /// `languages:` of its guide.yaml; `None`: all of the site's.
    pub languages: Option<Vec<String>>,
}

impl Target {
    /// Its title in `lang`, else in the source language.
    pub fn title(&self, lang: &str, source_lang: &str) -> Option<&str> {
        [lang, source_lang, ""]
            .into_iter()
            .find_map(|l| self.titles.get(l))
            .map(String::as_str)
    }

    /// The language a link from a page in `lang` opens it in: `lang`, or its first language.
    pub fn language<'a>(&'a self, lang: &'a str) -> &'a str {
        match &self.languages {
            Some(langs) if !langs.iter().any(|l| l == lang) => {
                langs.first().map_or(lang, String::as_str)
            }
            _ => lang,
        }
    }
}

/// Only what a link's target needs of a guide.yaml: everything else is read, and checked, where the
/// guide itself is.
#[derive(serde::Deserialize)]
struct TitleOnly {
    title: Option<crate::input::Text>,
    languages: Option<Vec<String>>,
}

/// The ids that `text` (a guide or snippet file) links to with `guide:<id>`.
pub fn linked_ids(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices(SCHEME).filter_map(|(at, _)| {
        let rest = &text[at + SCHEME.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// The titles of the guides that the site's guides and `snippets` (their sources) link to, read
/// before the guides are: a build renders each guide as it reads it, and its PDF prints the titles
/// of the guides it links to. A file that cannot be read here is left out: reading it as a guide
/// reports why.
pub fn targets<'a>(
    guides: &[crate::load::FoundGuide],
    snippets: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeMap<String, Target> {
    let read = |found: &crate::load::FoundGuide| {
        let rel = std::path::Path::new(crate::load::GUIDE_FILE);
        let bytes =
            crate::files::read_inside(&found.dir, rel, crate::files::MAX_TEXT_FILE_BYTES).ok()?;
        String::from_utf8(bytes).ok()
    };
    // Each file read, scanned and dropped on the worker threads: never every guide's text at once.
    let in_guides: Vec<Vec<String>> = guides
        .par_iter()
        .filter_map(|found| {
            let text = read(found)?;
            Some(linked_ids(&text).map(str::to_owned).collect())
        })
        .collect();
    let in_snippets = snippets.into_iter().flat_map(linked_ids).map(str::to_owned);
    let wanted: BTreeSet<String> = in_guides.into_iter().flatten().chain(in_snippets).collect();
    guides
        .iter()
        .filter(|found| wanted.contains(&found.id))
        .filter_map(|found| {
            let text = read(found)?;
            let written: TitleOnly = crate::load::parse_yaml(&found.path, &text).ok()?;
            let titles = match written.title? {
                crate::input::Text::Plain(text) => [(String::new(), text)].into(),
                crate::input::Text::Localized(map) => map
                    .into_iter()
                    .map(|(lang, t)| (lang.value, t.value.text().to_owned()))
                    .collect(),
            };
            let languages = written.languages;
            Some((found.id.clone(), Target { titles, languages }))
        })
        .collect()
}
