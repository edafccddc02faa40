//! Translation stage: `guidegen i18n strings <lang>` — a site's `locales/<lang>.yaml` to translate
//! guidegen's own interface strings in, started from the built-in catalog.
//!
//! Every string is written as a comment (`# site.guides: Guides`): a string that is not translated
//! yet stays missing, and `check` keeps listing it, rather than an English string passing for a
//! translation. The translator translates a line and removes its `#`. Run again on a catalog that
//! exists, it adds what the catalog lacks (a string a new version of guidegen brought) at the end
//! of its `strings:`, commented the same way, and changes nothing else.

use std::path::{Path, PathBuf};

use crate::build::Failure;
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostics, Sources};
use crate::input::CatalogFile;

use super::Outcome;

/// What `guidegen i18n strings` is asked to do.
pub struct StringsOptions {
    pub site_dir: PathBuf,
    pub lang: String,
}

/// What it did.
#[derive(Debug, PartialEq, Eq)]
pub struct StringsSummary {
    /// `locales/<lang>.yaml` in the site.
    pub path: PathBuf,
    /// Whether the file was written new (else strings were added to it, or it lacked none).
    pub created: bool,
    /// How many strings were written for translation.
    pub added: usize,
    /// How many strings the catalog does not define yet (commented out or absent), after the
    /// write.
    pub untranslated: usize,
}

/// Writes `locales/<lang>.yaml`, or adds the strings it lacks; a catalog that does not parse is
/// reported at its line and left as it is.
pub fn strings(options: &StringsOptions) -> Outcome<StringsSummary> {
    let lang = options.lang.as_str();
    if !crate::languages::is_known(lang) {
        let hint = crate::languages::suggestion(lang)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let message = format!("`{lang}` is not a language code{hint}");
        return Outcome::fail(
            Failure::Usage(message),
            Diagnostics::new(),
            Sources::default(),
        );
    }
    let rel = PathBuf::from("locales").join(format!("{lang}.yaml"));
    let path = options.site_dir.join(&rel);
    let mut diagnostics = Diagnostics::new();
    let mut sources = Sources::default();
    let shown = crate::load::SiteDir::new(&options.site_dir).display(&rel);
    let existing = path
        .exists()
        .then(|| crate::load::read_text(&options.site_dir, &rel, &shown, &mut diagnostics))
        .flatten();
    let written = match existing {
        None if diagnostics.has_errors() => None,
        None => Some(create(&path, lang).map(|added| (true, added, added))),
        Some(text) => {
            sources.insert(&shown, text.clone());
            match crate::load::parse_yaml::<CatalogFile>(&shown, &text) {
                Ok(file) => {
                    let untranslated = Catalog::required_keys()
                        .iter()
                        .filter(|key| !file.strings.contains_key(*key))
                        .count();
                    let added = add_missing(&path, lang, &text, &file);
                    Some(added.map(|added| (false, added, untranslated)))
                }
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    None
                }
            }
        }
    };
    match written {
        Some(Ok((created, added, untranslated))) => Outcome::done(
            StringsSummary {
                path,
                created,
                added,
                untranslated,
            },
            diagnostics,
            sources,
        ),
        Some(Err(err)) => {
            let message = format!("cannot write {}: {err}", path.display());
            Outcome::fail(Failure::Output(message), diagnostics, sources)
        }
        None => Outcome::fail(Failure::Site, diagnostics, sources),
    }
}

/// A new catalog: its name and direction, then every string commented out.
fn create(path: &Path, lang: &str) -> Result<usize, std::io::Error> {
    let lines = string_lines(lang, |_| true);
    let builtin = Catalog::builtin(lang);
    let name = builtin
        .as_ref()
        .map_or_else(|| lang.to_owned(), |c| c.name.clone());
    let direction = builtin
        .as_ref()
        .map_or(default_direction(lang), |c| c.direction.as_str());
    let mut text = format!(
        "# guidegen's interface strings in `{lang}` (docs/translation.md, \"Adding a language\").\n\
         # Each string below is commented out, in {from}: translate it and remove its `#`. A string left\n\
         # commented is shown in English, and `guidegen check` lists it as missing.\n\
         {name:<20}# the language's own name, as the language switcher shows it\n\
         {direction:<20}# rtl for a language written right to left\n\
         strings:\n",
        name = format!("name: {name}"),
        direction = format!("direction: {direction}"),
        from = if builtin.is_some() {
            "the built-in text (a translated line overrides it)"
        } else {
            "English"
        },
    );
    for line in &lines {
        text.push_str(line);
        text.push('\n');
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(path, text)?;
    Ok(lines.len())
}

/// The strings `file` lacks, added at the end of its `strings:` as comments; a string already there as
/// a comment is not added twice.
fn add_missing(
    path: &Path,
    lang: &str,
    text: &str,
    file: &CatalogFile,
) -> Result<usize, std::io::Error> {
    let commented = |key: &str| {
        text.lines().any(|line| {
            line.trim_start()
                .strip_prefix('#')
                .map(str::trim_start)
                .is_some_and(|rest| rest.starts_with(&format!("{key}:")))
        })
    };
    let lines = string_lines(lang, |key| {
        !file.strings.contains_key(key) && !commented(key)
    });
    if lines.is_empty() {
        return Ok(0);
    }
    let mut added =
        String::from("  # Added by `guidegen i18n strings`: translate each and remove its `#`.\n");
    for line in &lines {
        added.push_str(line);
        added.push('\n');
    }
    let at = end_of_strings(text);
    let mut new = String::with_capacity(text.len() + added.len() + 1);
    new.push_str(&text[..at]);
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(&added);
    new.push_str(&text[at..]);
    std::fs::write(path, new)?;
    Ok(lines.len())
}

/// Where lines added to the `strings:` block of a catalog go: after its last line (a key written
/// after `strings:`, such as `name:`, stays where it is), else at the end of the file.
fn end_of_strings(text: &str) -> usize {
    let mut offset = 0;
    let mut end = None;
    for line in text.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '#', '\t', '\r', '\n']);
        if top_level && end.is_some() {
            break;
        }
        offset += line.len();
        let key = line.split(" #").next().unwrap_or_default().trim_end();
        // Only a block map: `strings: {…}` on one line takes no lines after it.
        if top_level && key == "strings:" || end.is_some() && line.starts_with(' ') {
            end = Some(offset);
        }
    }
    end.unwrap_or(text.len())
}

/// `  # key: text` for each string `wanted` takes, in the built-in catalog's order, its text from the
/// built-in catalog of `lang` when guidegen has one, else the English one.
fn string_lines(lang: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let source = crate::catalog::builtin_text(lang).unwrap_or_else(|| {
        crate::catalog::builtin_text("en").expect("guidegen has English strings")
    });
    let mut in_strings = false;
    let mut lines = Vec::new();
    for line in source.lines() {
        if !line.starts_with(' ') && !line.starts_with('#') {
            in_strings = line.starts_with("strings:");
            continue;
        }
        let Some(entry) = line.strip_prefix("  ").filter(|_| in_strings) else {
            continue;
        };
        if entry.starts_with('#') {
            continue;
        }
        let key = entry.split(':').next().unwrap_or_default();
        if wanted(key) {
            lines.push(format!("  # {entry}"));
        }
    }
    lines
}

/// `rtl` for the languages most often written right to left, else `ltr`.
fn default_direction(lang: &str) -> &'static str {
    let primary = lang.split('-').next().unwrap_or_default();
    match primary {
        "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "dv" | "sd" | "ug" | "ckb" => "rtl",
        _ => "ltr",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(site: &Path, lang: &str) -> Outcome<StringsSummary> {
        strings(&StringsOptions {
            site_dir: site.to_owned(),
            lang: lang.to_owned(),
        })
    }

    fn catalog(site: &Path, lang: &str) -> (String, CatalogFile) {
        let path = site.join(format!("locales/{lang}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let file = crate::load::parse_yaml::<CatalogFile>(&path, &text)
            .unwrap_or_else(|d| panic!("{}: {}", d.message, text));
        (text, file)
    }

    /// How many strings `catalog::load` finds missing in the site's catalog of `lang`.
    fn missing(site: &Path, lang: &str) -> usize {
        let (text, _) = catalog(site, lang);
        let mut diagnostics = Diagnostics::new();
        let path = Path::new("locales/x.yaml");
        crate::catalog::load(
            lang,
            Some((path, &text)),
            (path, crate::diagnostic::Span::START),
            &mut diagnostics,
        )
        .expect("the catalog loads");
        let warnings = diagnostics.sorted();
        assert!(warnings.iter().all(|d| !d.is_error()));
        warnings
            .iter()
            .find_map(|d| d.message.split(" interface string").next()?.parse().ok())
            .unwrap_or(0)
    }

    #[test]
    fn a_new_catalog_has_every_string_commented_out_and_reads_as_missing() {
        let site = tempfile::tempdir().unwrap();
        let summary = run(site.path(), "de").result.unwrap();
        let required = Catalog::required_keys();
        assert!(summary.created);
        assert_eq!(summary.added, required.len());
        assert_eq!(summary.untranslated, required.len());
        let (text, file) = catalog(site.path(), "de");
        assert!(file.strings.is_empty());
        assert_eq!(file.name.unwrap().value, "de");
        assert_eq!(file.direction.unwrap().value, "ltr");
        for key in &required {
            assert!(
                text.contains(&format!("\n  # {key}: ")),
                "{key} not offered"
            );
        }
        assert!(text.contains("\n  # guide.step_of: \"Step {n} of {total}\"\n"));
        // Nothing passes for a translation until a line is translated.
        assert_eq!(missing(site.path(), "de"), required.len());
    }

    #[test]
    fn a_translated_line_counts_and_a_second_run_adds_only_what_the_catalog_lacks() {
        let site = tempfile::tempdir().unwrap();
        run(site.path(), "de").result.unwrap();
        let path = site.path().join("locales/de.yaml");
        let required = Catalog::required_keys().len();
        let (text, _) = catalog(site.path(), "de");
        let text = text
            .replace("  # site.guides: Guides", "  site.guides: Anleitungen")
            .replace("  # guide.tip: Tip\n", "");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(missing(site.path(), "de"), required - 1);

        let summary = run(site.path(), "de").result.unwrap();
        assert!(!summary.created);
        assert_eq!((summary.added, summary.untranslated), (1, required - 1));
        let (after, file) = catalog(site.path(), "de");
        assert!(
            after.starts_with(&text),
            "the catalog was changed, not added to"
        );
        assert!(after.ends_with("  # guide.tip: Tip\n"));
        assert_eq!(file.strings["site.guides"].value, "Anleitungen");

        let again = run(site.path(), "de").result.unwrap();
        assert_eq!(again.added, 0);
        assert_eq!(catalog(site.path(), "de").0, after);
    }

    #[test]
    fn strings_are_added_inside_the_strings_block_wherever_it_stands() {
        let site = tempfile::tempdir().unwrap();
        let path = site.path().join("locales/de.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let written = "strings:   # translated by hand\n  site.guides: Anleitungen\n\n# The name:\nname: Deutsch\n";
        std::fs::write(&path, written).unwrap();
        let summary = run(site.path(), "de").result.unwrap();
        let (text, file) = catalog(site.path(), "de");
        assert_eq!(summary.added, Catalog::required_keys().len() - 1);
        assert!(
            text.starts_with(
                "strings:   # translated by hand\n  site.guides: Anleitungen\n  # Added"
            ),
            "{text}"
        );
        assert!(text.ends_with("\n\n# The name:\nname: Deutsch\n"), "{text}");
        assert_eq!(file.name.unwrap().value, "Deutsch");
        // Uncommented where they were put, the strings are the catalog's.
        std::fs::write(
            &path,
            text.replace("  # guide.tip: Tip", "  guide.tip: Tipp"),
        )
        .unwrap();
        assert_eq!(
            catalog(site.path(), "de").1.strings["guide.tip"].value,
            "Tipp"
        );
        // Without a `strings:` block of lines, at the end.
        for text in ["name: x\nstrings: {a: b}\n", "name: x\n"] {
            assert_eq!(end_of_strings(text), text.len());
        }
    }

    #[test]
    fn a_built_in_language_starts_from_its_own_strings_and_rtl_ones_are_rtl() {
        let site = tempfile::tempdir().unwrap();
        run(site.path(), "da").result.unwrap();
        let (text, file) = catalog(site.path(), "da");
        assert!(text.contains("\n  # site.guides: Vejledninger\n"), "{text}");
        assert_eq!(file.name.unwrap().value, "Dansk");
        run(site.path(), "ar").result.unwrap();
        assert_eq!(catalog(site.path(), "ar").1.direction.unwrap().value, "rtl");
    }

    #[test]
    fn a_broken_catalog_is_reported_and_left_alone_and_a_bad_code_is_bad_usage() {
        let site = tempfile::tempdir().unwrap();
        let path = site.path().join("locales/de.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "strings:\n  site.guides: [\n").unwrap();
        let outcome = run(site.path(), "de");
        assert!(matches!(outcome.result, Err(Failure::Site)));
        assert!(
            outcome
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.path.ends_with("locales/de.yaml"))
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "strings:\n  site.guides: [\n"
        );

        let outcome = run(site.path(), "dk");
        let Err(Failure::Usage(message)) = outcome.result else {
            panic!("not bad usage");
        };
        assert!(message.contains("did you mean `da`?"), "{message}");
        assert!(!site.path().join("locales/dk.yaml").exists());
    }
}
