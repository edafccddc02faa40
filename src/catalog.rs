//! Load stage: UI catalogs, the strings guidegen itself writes (banners, labels, store badges, page
//! numbers), built in for English and Danish and extended by a site's `locales/<lang>.yaml`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::input::CatalogFile;

/// How many missing interface strings a catalog's warning names; it counts the rest.
const MISSING_NAMED: usize = 5;

/// Built-in catalogs. English is the reference: its keys are the keys every catalog must have.
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("locales/en.yaml")),
    ("da", include_str!("locales/da.yaml")),
];

/// The text of guidegen's built-in catalog of `lang` (`locales/<lang>.yaml` in its source), if it has
/// one.
pub fn builtin_text(lang: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(code, _)| *code == lang)
        .map(|(_, text)| *text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// The UI strings of one language.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The language's own name ("Dansk").
    pub name: String,
    pub direction: Direction,
    strings: BTreeMap<String, String>,
    /// `strings` as the templates' `ui`, converted once for every page of the language (the render
    /// stage fills it, see `view::values`); empty until then.
    pub(crate) ui_value: std::sync::OnceLock<tera::Value>,
}

impl Catalog {
    /// The built-in catalog of `lang`, if guidegen ships one.
    pub fn builtin(lang: &str) -> Option<Catalog> {
        // Parsed once per process: a build asks for them once per language and again for the
        // reference keys, and `serve` for every rebuild.
        static PARSED: std::sync::OnceLock<Vec<(&str, Catalog)>> = std::sync::OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|&(code, text)| {
                    let file: CatalogFile =
                        serde_saphyr::from_str(text).expect("built-in catalogs are valid (tested)");
                    (code, Catalog::from_file(file, code))
                })
                .collect()
        });
        // A copy: the render stage fills a catalog's `ui_value` for its build.
        let (_, catalog) = parsed.iter().find(|(code, _)| *code == lang)?;
        Some(catalog.clone())
    }

    /// Every key a catalog must define, from the English reference.
    pub fn required_keys() -> Vec<String> {
        Catalog::builtin("en")
            .map(|c| c.strings.into_keys().collect())
            .unwrap_or_default()
    }

    fn from_file(file: CatalogFile, lang: &str) -> Catalog {
        Catalog {
            name: file
                .name
                .map(|n| n.value)
                .unwrap_or_else(|| lang.to_owned()),
            direction: match file.direction.as_ref().map(|d| d.value.as_str()) {
                Some("rtl") => Direction::Rtl,
                _ => Direction::Ltr,
            },
            strings: file
                .strings
                .into_iter()
                .map(|(k, v)| (k, v.value))
                .collect(),
            ui_value: std::sync::OnceLock::new(),
        }
    }

    /// The string for `key`. Catalogs are checked complete when loaded; a key unknown to guidegen is a
    /// bug, shown as the key itself rather than a panic.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let text = self.get(key);
        fill_in_one_pass(text, args).unwrap_or_else(|| fill_in_turn(text, args))
    }

    /// Every string, by key.
    pub fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// Whether this catalog has its own string for `key`.
    pub fn has(&self, key: &str) -> bool {
        self.strings.contains_key(key)
    }
}

/// `text` with each `{name}` of `args` replaced by its value, one name after the other: a value
/// may hold a later name's placeholder, which is then filled too.
fn fill_in_turn(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// [`fill_in_turn`] in one pass over `text` (a page formats a few strings per step), where that
/// reads the same: every `{` of `text` opens the placeholder of an argument and no value holds a
/// `{`, so filling in one name can never make or break another's placeholder. `None` otherwise.
fn fill_in_one_pass(text: &str, args: &[(&str, &str)]) -> Option<String> {
    if args.iter().any(|(_, value)| value.contains('{')) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = &after[..after.find('}')?];
        let (_, value) = args.iter().find(|(n, _)| *n == name)?;
        out.push_str(value);
        rest = &after[name.len() + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Languages' names as English and Danish sentences use them, by language code: (code, English,
/// Danish). A notice on an English page says "shown in Danish", on a Danish one "vises på engelsk".
const LANGUAGE_NAMES: &[(&str, &str, &str)] = &[
    ("ar", "Arabic", "arabisk"),
    ("cs", "Czech", "tjekkisk"),
    ("da", "Danish", "dansk"),
    ("de", "German", "tysk"),
    ("el", "Greek", "græsk"),
    ("en", "English", "engelsk"),
    ("es", "Spanish", "spansk"),
    ("et", "Estonian", "estisk"),
    ("fa", "Persian", "persisk"),
    ("fi", "Finnish", "finsk"),
    ("fo", "Faroese", "færøsk"),
    ("fr", "French", "fransk"),
    ("he", "Hebrew", "hebraisk"),
    ("hu", "Hungarian", "ungarsk"),
    ("is", "Icelandic", "islandsk"),
    ("it", "Italian", "italiensk"),
    ("ja", "Japanese", "japansk"),
    ("kl", "Greenlandic", "grønlandsk"),
    ("ko", "Korean", "koreansk"),
    ("lt", "Lithuanian", "litauisk"),
    ("lv", "Latvian", "lettisk"),
    ("nb", "Norwegian Bokmål", "norsk bokmål"),
    ("nl", "Dutch", "nederlandsk"),
    ("nn", "Norwegian Nynorsk", "nynorsk"),
    ("no", "Norwegian", "norsk"),
    ("pl", "Polish", "polsk"),
    ("pt", "Portuguese", "portugisisk"),
    ("ro", "Romanian", "rumænsk"),
    ("ru", "Russian", "russisk"),
    ("so", "Somali", "somali"),
    ("sv", "Swedish", "svensk"),
    ("tr", "Turkish", "tyrkisk"),
    ("uk", "Ukrainian", "ukrainsk"),
    ("ur", "Urdu", "urdu"),
    ("vi", "Vietnamese", "vietnamesisk"),
    ("zh", "Chinese", "kinesisk"),
];

/// The name of the language `code` as a sentence in the language `ui` says it ("Danish" in English),
/// if guidegen knows it: built in for English and Danish pages. A region or script (`pt-BR`) is named
/// by its language.
pub fn language_name(code: &str, ui: &str) -> Option<&'static str> {
    let base = |c: &str| {
        c.split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let (code, ui) = (base(code), base(ui));
    let (_, english, danish) = LANGUAGE_NAMES.iter().find(|(c, _, _)| *c == code)?;
    match ui.as_str() {
        "en" => Some(english),
        "da" => Some(danish),
        _ => None,
    }
}

/// Loads the catalog of `lang`: the built-in one with the site's file laid over it, or the site's file
/// alone for a language guidegen does not ship, which must then define every key.
///
/// `site_file` is the site's `locales/<lang>.yaml` as (path for diagnostics, text), if it exists.
pub fn load(
    lang: &str,
    site_file: Option<(&Path, &str)>,
    lang_span: (&Path, Span),
    diagnostics: &mut Diagnostics,
) -> Option<Catalog> {
    let builtin = Catalog::builtin(lang);
    let Some((path, text)) = site_file else {
        if builtin.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    lang_span.0,
                    lang_span.1,
                    format!("guidegen has no interface strings for language `{lang}`"),
                )
                .with_hint(format!(
                    "run `guidegen i18n strings {lang}`: it writes locales/{lang}.yaml with every string to translate"
                )),
            );
        }
        return builtin;
    };
    let file: CatalogFile = match crate::load::parse_yaml(path, text) {
        Ok(file) => file,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let reference = Catalog::builtin("en")?;
    let ok = check_file(path, &file, &reference, diagnostics);
    let named = file.name.is_some();
    let mut catalog = Catalog::from_file(file, lang);
    match builtin {
        Some(builtin) => {
            // The site overrides single strings of a built-in language; the rest stays built in.
            for (key, value) in builtin.strings {
                catalog.strings.entry(key).or_insert(value);
            }
            if !named {
                catalog.name = builtin.name;
            }
        }
        None => fill_missing(&mut catalog, path, lang, &reference, diagnostics),
    }
    ok.then_some(catalog)
}

/// A site's catalog file checked against the English one: every key known (an unknown one is an
/// error), each string using the English one's placeholders (a warning), a known direction. False
/// after an error.
fn check_file(
    path: &Path,
    file: &CatalogFile,
    reference: &Catalog,
    diagnostics: &mut Diagnostics,
) -> bool {
    let required = Catalog::required_keys();
    let mut ok = true;
    for (key, value) in &file.strings {
        if !required.contains(key) {
            let mut d = Diagnostic::error(
                path,
                value.referenced.into(),
                format!("unknown interface string `{key}`"),
            );
            if let Some(hint) = did_you_mean(key, required.iter().map(String::as_str)) {
                d = d.with_hint(hint);
            }
            diagnostics.push(d);
            ok = false;
            continue;
        }
        for placeholder in placeholders(reference.get(key)) {
            if !value.value.contains(&format!("{{{placeholder}}}")) {
                diagnostics.push(
                    Diagnostic::warning(
                        path,
                        value.referenced.into(),
                        format!("`{key}` does not use the placeholder `{{{placeholder}}}`"),
                    )
                    .with_hint(format!("the English string is \"{}\"", reference.get(key))),
                );
            }
        }
    }
    if let Some(direction) = &file.direction
        && !matches!(direction.value.as_str(), "ltr" | "rtl")
    {
        diagnostics.push(
            Diagnostic::error(
                path,
                direction.referenced.into(),
                format!("unknown direction `{}`", direction.value),
            )
            .with_hint("write `ltr` (left to right) or `rtl` (right to left)"),
        );
        ok = false;
    }
    ok
}

/// The strings a catalog of a language guidegen does not ship lacks, shown in English until they
/// are translated — a string this version added since the catalog was written, or all of them in
/// a catalog just begun — with one warning naming them: an upgrade never stops a site from building.
fn fill_missing(
    catalog: &mut Catalog,
    path: &Path,
    lang: &str,
    reference: &Catalog,
    diagnostics: &mut Diagnostics,
) {
    let required = Catalog::required_keys();
    let missing: Vec<&String> = required.iter().filter(|key| !catalog.has(key)).collect();
    let Some(first) = missing.first() else {
        return;
    };
    // A catalog just begun lacks all hundred: the first few say which part is missing.
    let named = missing
        .iter()
        .take(MISSING_NAMED)
        .map(|key| format!("`{key}`"));
    let mut keys = named.collect::<Vec<_>>().join(", ");
    if missing.len() > MISSING_NAMED {
        let _ = write!(keys, " and {} more", missing.len() - MISSING_NAMED);
    }
    diagnostics.push(
        Diagnostic::warning(
            path,
            Span::START,
            format!(
                "{} interface string{} missing, shown in English meanwhile: {}",
                missing.len(),
                if missing.len() == 1 { " is" } else { "s are" },
                keys
            ),
        )
        .with_hint(format!(
            "add each under `strings:` (a line commented out with `#` does not count); `{first}` reads \"{}\" in English. `guidegen i18n strings {lang}` adds any this file lacks under `strings:`, commented out, for you to translate",
            reference.get(first)
        )),
    );
    for key in missing {
        catalog
            .strings
            .insert(key.clone(), stand_in(reference, key).to_owned());
    }
}

/// What a catalog that lacks `key` shows meanwhile: the English string, except for a date's format,
/// where an English date in another language's page would read wrong: `2026-11-30` instead.
fn stand_in<'a>(reference: &'a Catalog, key: &'a str) -> &'a str {
    match key {
        "date.format" => "{iso}",
        _ => reference.get(key),
    }
}

/// The `{name}` placeholders of a catalog string.
fn placeholders(text: &str) -> Vec<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_translation_guide_lists_every_string() {
        let docs = include_str!("../docs/translation.md");
        let table = &docs[docs.find("## Adding a language").unwrap()..];
        for key in Catalog::required_keys() {
            let listed = table.contains(&format!("| `{key}` |"))
                || key.starts_with("date.month.")
                    && table.contains("| `date.month.1` … `date.month.12` |");
            assert!(listed, "docs/translation.md does not list `{key}`");
        }
    }

    #[test]
    fn builtin_catalogs_are_complete_and_keep_placeholders() {
        let required = Catalog::required_keys();
        assert!(required.len() > 20);
        for (lang, _) in BUILTIN {
            let catalog = Catalog::builtin(lang).unwrap();
            for key in &required {
                assert!(catalog.has(key), "{lang} lacks {key}");
                let english = Catalog::builtin("en").unwrap();
                for p in placeholders(english.get(key)) {
                    assert!(
                        catalog.get(key).contains(&format!("{{{p}}}")),
                        "{lang} {key} lacks {{{p}}}"
                    );
                }
            }
        }
    }

    #[test]
    fn formats_placeholders() {
        let da = Catalog::builtin("da").unwrap();
        assert_eq!(
            da.format("guide.step_of", &[("n", "3"), ("total", "12")]),
            "Trin 3 af 12"
        );
        assert_eq!(
            da.format("pdf.page_of", &[("page", "2"), ("total", "5")]),
            "Side 2 af 5"
        );
    }

    #[test]
    fn a_new_language_missing_strings_shows_them_in_english_with_one_warning() {
        let mut diagnostics = Diagnostics::new();
        let text = "name: Deutsch\nstrings:\n  site.guides: Anleitungen\n";
        let path = Path::new("locales/de.yaml");
        let catalog = load(
            "de",
            Some((path, text)),
            (Path::new("guidegen.yaml"), Span::START),
            &mut diagnostics,
        );
        let catalog = catalog.expect("a catalog missing strings still loads");
        assert_eq!(catalog.get("site.guides"), "Anleitungen");
        assert_eq!(catalog.get("guide.step_of"), "Step {n} of {total}");
        let warnings: Vec<_> = diagnostics.iter().collect();
        assert_eq!(warnings.len(), 1, "one warning for all of them");
        assert!(!diagnostics.has_errors());
        // All but one are missing: the first few are named, the rest counted.
        let missing = Catalog::required_keys().len() - 1;
        let message = &warnings[0].message;
        assert!(
            message.starts_with(&format!("{missing} interface strings are missing"))
                && message.contains("shown in English")
                && message.contains("`alias.moved`")
                && !message.contains("`guide.step_of`")
                && message.ends_with(&format!(" and {} more", missing - MISSING_NAMED)),
            "{message}"
        );
    }

    #[test]
    fn a_site_overrides_single_builtin_strings() {
        let mut diagnostics = Diagnostics::new();
        let text = "strings:\n  guide.tip: Godt råd\n";
        let catalog = load(
            "da",
            Some((Path::new("locales/da.yaml"), text)),
            (Path::new("g"), Span::START),
            &mut diagnostics,
        )
        .unwrap();
        assert!(diagnostics.is_empty());
        assert_eq!(catalog.get("guide.tip"), "Godt råd");
        assert_eq!(catalog.get("guide.note"), "Bemærk");
        assert_eq!(catalog.name, "Dansk");
    }

    #[test]
    fn languages_are_named_in_the_language_of_the_sentence() {
        assert_eq!(language_name("da", "en"), Some("Danish"));
        assert_eq!(language_name("en", "da"), Some("engelsk"));
        assert_eq!(language_name("pt-BR", "en-GB"), Some("Portuguese"));
        assert_eq!(language_name("da", "de"), None);
        assert_eq!(language_name("xx", "en"), None);
        let codes: Vec<&str> = LANGUAGE_NAMES.iter().map(|(c, _, _)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "sorted, each once");
    }

    #[test]
    fn filling_in_one_pass_reads_as_filling_in_turn() {
        let args: &[&[(&str, &str)]] = &[
            &[("n", "3"), ("total", "12")],
            &[("n", ""), ("total", "12")],
            &[("n", "{total}"), ("total", "12")],
            &[("n", "a}b"), ("total", "x")],
            &[("n", "1"), ("n", "2")],
            &[("app", "Authenticator"), ("store", "App Store")],
            &[],
        ];
        let texts = [
            "Step {n} of {total}",
            "{n}{n}{total}{n}",
            "{total} {n",
            "{to{n}tal}",
            "{a{n}c}",
            "{{n}}",
            "}{n}}",
            "{}",
            "{unknown} {n}",
            "QR code: {app} in {store}",
            "plain, no placeholder",
            "trinn {n} af {total} – æøå",
            "",
        ];
        for args in args {
            for text in texts {
                let turn = fill_in_turn(text, args);
                if let Some(one) = fill_in_one_pass(text, args) {
                    assert_eq!(one, turn, "{text:?} with {args:?}");
                }
            }
        }
        // The common case takes the one pass.
        assert_eq!(
            fill_in_one_pass("Step {n} of {total}", args[0]).as_deref(),
            Some("Step 3 of 12")
        );
    }
}
