//! Plan: the command line resolved once against the site, before any work — which languages, which
//! formats, and which guide is published in which language.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostics;
use crate::model::{Guide, IncompletePolicy, Site};

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Html,
    Pdf,
    /// Each guide as an HTML fragment for a CMS page ([`crate::embed`]); only when asked for.
    Fragment,
    /// Each guide as one self-contained HTML file ([`crate::embed`]); only when asked for.
    Single,
}

/// What was asked for, as the command line says it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Empty: every language of the site.
    pub languages: Vec<String>,
    /// Empty: HTML and PDF.
    pub formats: Vec<Format>,
    /// Fail on any text shown in the source language for want of a current translation.
    pub strict: bool,
}

/// What a build or a preview will make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The languages built, in the site's order.
    pub languages: Vec<String>,
    pub html: bool,
    pub pdf: bool,
    /// `<lang>/<id>/<id>-<lang>.fragment.html` for each guide.
    pub fragment: bool,
    /// `<lang>/<id>/<id>-<lang>.html` for each guide.
    pub single: bool,
    /// A fragment's screenshots inline as `data:` URLs, not files beside it (`--inline-images`).
    pub inline_images: bool,
    /// Each guide's id and the languages it is published in (some may be left out: `omit`).
    pub published: BTreeMap<String, Vec<String>>,
    /// Texts published in the source language for want of a current translation, over all pages.
    pub fallback_texts: usize,
    /// Outdated translations published as they are (`translation.outdated: show`), over all pages.
    pub outdated_texts: usize,
    /// Guides left out of a language until translated, over all languages.
    pub omitted: usize,
}

/// Country codes people write for a language (`dk` for Danish), and the language's code.
pub const COUNTRY_NOT_LANGUAGE: &[(&str, &str)] = &[
    ("dk", "da"),
    ("se", "sv"),
    ("gr", "el"),
    ("cz", "cs"),
    ("jp", "ja"),
    ("cn", "zh"),
    ("ua", "uk"),
    ("gb", "en"),
    ("uk", "en"),
    ("us", "en"),
    ("ee", "et"),
    ("kr", "ko"),
    ("rs", "sr"),
    ("si", "sl"),
    ("il", "he"),
    ("ir", "fa"),
    ("vn", "vi"),
    ("br", "pt"),
];

/// "did you mean `da`?" for a language code near one of `have`, a country code among them.
pub fn language_suggestion<'a>(
    wanted: &str,
    have: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let lower = wanted.to_ascii_lowercase();
    let by_country = COUNTRY_NOT_LANGUAGE
        .iter()
        .find(|(country, _)| *country == lower)
        .map(|(_, language)| *language)
        .filter(|language| have.clone().into_iter().any(|h| h == *language));
    match by_country {
        Some(language) => Some(format!("did you mean `{language}`?")),
        None if lower != wanted && have.clone().into_iter().any(|h| h == lower) => {
            Some(format!("did you mean `{lower}`?"))
        }
        None => crate::diagnostic::did_you_mean(wanted, have),
    }
}

/// The one message for a language the site does not have, wherever a command takes `--lang`.
pub fn unknown_language(wanted: &str, site: &Site) -> String {
    let have: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
    let suggestion = language_suggestion(wanted, have.iter().copied())
        .map(|s| format!("; {s}"))
        .unwrap_or_default();
    format!(
        "--lang {wanted}: the site's languages are {}{suggestion}",
        have.join(", ")
    )
}

/// Where one guide is published, and what that costs in fallbacks. Kept by the build cache only
/// without diagnostics, which it does not write.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Publication {
    /// The languages the guide is published in.
    pub languages: Vec<String>,
    /// Its texts shown in the source language, over those languages.
    pub fallback_texts: usize,
    /// Its outdated translations shown as they are, over those languages.
    pub outdated_texts: usize,
    /// The languages it is left out of until translated.
    pub omitted: usize,
    /// With `strict`: every text that would fall back, as an error.
    #[serde(skip)]
    pub diagnostics: Diagnostics,
}

impl Plan {
    /// Resolves `request` against `site` and every guide of it. Err: a usage message (an unknown
    /// language). With `strict`, every text that would fall back is an error in `diagnostics`.
    pub fn resolve(
        site: &Site,
        request: &Request,
        diagnostics: &mut Diagnostics,
    ) -> Result<Plan, String> {
        let mut plan = Plan::for_request(site, request)?;
        for guide in &site.guides {
            let publication = plan.publication(site, guide, request.strict);
            diagnostics.extend(publication.diagnostics.clone());
            plan.add(&guide.id, publication);
        }
        Ok(plan)
    }

    /// The languages and formats of `request`, with no guide published yet (see [`Plan::add`]).
    pub fn for_request(site: &Site, request: &Request) -> Result<Plan, String> {
        if let Some(wanted) = request
            .languages
            .iter()
            .find(|w| site.language(w).is_none())
        {
            return Err(unknown_language(wanted, site));
        }
        let languages: Vec<String> = site
            .languages
            .iter()
            .map(|l| l.code.clone())
            .filter(|code| request.languages.is_empty() || request.languages.contains(code))
            .collect();
        let wants = |format| request.formats.is_empty() || request.formats.contains(&format);
        Ok(Plan {
            languages,
            html: wants(Format::Html),
            pdf: wants(Format::Pdf),
            fragment: request.formats.contains(&Format::Fragment),
            single: request.formats.contains(&Format::Single),
            inline_images: false,
            published: BTreeMap::new(),
            fallback_texts: 0,
            outdated_texts: 0,
            omitted: 0,
        })
    }

    /// Where `guide` is published under this plan: in each language built, unless its translation
    /// is incomplete there and the site omits such guides.
    pub fn publication(&self, site: &Site, guide: &Guide, strict: bool) -> Publication {
        let mut publication = Publication::default();
        for lang in self.languages.iter().filter(|l| guide.offered_in(l)) {
            let mut untranslated = crate::fallback::untranslated(site, guide, lang);
            // The snippets it shows count too: a guide is complete when all it shows is.
            let in_snippets = crate::fallback::untranslated_in_snippets(site, guide, lang);
            untranslated.extend(in_snippets.iter().cloned());
            let outdated_shown = untranslated.iter().filter(|f| !f.shown_in_source).count();
            if strict {
                publication.diagnostics.extend(
                    untranslated
                        .iter()
                        .map(|f| f.diagnostic(lang, crate::diagnostic::Severity::Error)),
                );
            }
            let mut fallbacks = crate::fallback::fallbacks(site, guide, lang);
            fallbacks.extend(in_snippets.into_iter().filter(|f| f.shown_in_source));
            if fallbacks.is_empty() || site.incomplete == IncompletePolicy::Fallback {
                publication.languages.push(lang.clone());
                publication.fallback_texts += fallbacks.len();
                publication.outdated_texts += outdated_shown;
            } else {
                publication.omitted += 1;
            }
        }
        publication
    }

    /// Records where the guide `id` is published.
    pub fn add(&mut self, id: &str, publication: Publication) {
        self.fallback_texts += publication.fallback_texts;
        self.outdated_texts += publication.outdated_texts;
        self.omitted += publication.omitted;
        self.published.insert(id.to_owned(), publication.languages);
    }

    /// Whether `guide_id` is published in `lang`.
    pub fn publishes(&self, guide_id: &str, lang: &str) -> bool {
        self.published
            .get(guide_id)
            .is_some_and(|langs| langs.iter().any(|l| l == lang))
    }

    /// How many guides are published in at least one language.
    pub fn guide_count(&self) -> usize {
        self.published.values().filter(|l| !l.is_empty()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_language_for_a_country_code_and_a_near_miss() {
        let have = ["da", "en", "sv"];
        let suggest = |w| language_suggestion(w, have.iter().copied());
        assert_eq!(suggest("dk").as_deref(), Some("did you mean `da`?"));
        assert_eq!(suggest("se").as_deref(), Some("did you mean `sv`?"));
        assert_eq!(suggest("DA").as_deref(), Some("did you mean `da`?"));
        assert_eq!(suggest("uk").as_deref(), Some("did you mean `en`?"));
        assert_eq!(suggest("jp"), None, "not a language of the site");
    }
}
