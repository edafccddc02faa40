//! Scaffold: `guidegen init` writes a new site — settings, one small guide — to start from;
//! `guidegen new` adds a guide to a site, commented, in the site's languages.

use std::path::{Path, PathBuf};

use crate::load::{GUIDE_FILE, SITE_FILE};
use crate::schema::{self, FileKind};

/// Why a new site was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum InitError {
    /// The folder already has a site; nothing is overwritten.
    Exists(PathBuf),
    /// A language code guidegen cannot use.
    BadLanguage(String),
    /// The same language twice.
    RepeatedLanguage(String),
    /// An id guidegen cannot use, and the one it suggests.
    BadId {
        id: String,
        suggestion: String,
    },
    /// A guide with this id exists, at this path.
    GuideExists {
        id: String,
        path: PathBuf,
    },
    /// The site's settings cannot be read: the message (run `guidegen check`).
    Site(String),
    Io(String),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Exists(path) => write!(
                f,
                "{} already exists; guidegen init never overwrites a site",
                path.display()
            ),
            InitError::BadLanguage(code) => {
                write!(f, "`{code}` is not a language code")?;
                match crate::languages::suggestion(code) {
                    Some(suggestion) => write!(f, ": {suggestion}"),
                    None => write!(
                        f,
                        " (use lowercase ISO 639 codes such as da, en, de, optionally with a region: pt-BR)"
                    ),
                }
            }
            InitError::RepeatedLanguage(code) => {
                write!(f, "`{code}` is given twice; name each language once")
            }
            InitError::BadId { id, suggestion } => write!(
                f,
                "`{id}` is not a guide id: ids have lowercase letters, digits and `-` only \
                 (the id is the guide's folder name and part of its address); try `{suggestion}`"
            ),
            InitError::GuideExists { id, path } => write!(
                f,
                "a guide with id `{id}` already exists: {} (ids are unique in a site; choose another)",
                path.display()
            ),
            InitError::Site(message) => write!(
                f,
                "{message} (run `guidegen check` to see what is wrong with the site)"
            ),
            InitError::Io(message) => f.write_str(message),
        }
    }
}

/// The starter guide's texts, in the languages guidegen has them in.
const STARTER: &[(&str, [&str; 6])] = &[
    (
        "en",
        [
            "IT guides",
            "Your first guide",
            "What this guide helps the reader do, in a sentence or two.",
            "Open **https://example.org** on your computer and sign in.",
            "Open the app on your phone and tap **Approve**.",
            "You are signed in on your computer.",
        ],
    ),
    (
        "da",
        [
            "IT-vejledninger",
            "Din første vejledning",
            "Hvad vejledningen hjælper læseren med, i en sætning eller to.",
            "Åbn **https://example.org** på din computer, og log på.",
            "Åbn appen på din telefon, og tryk på **Godkend**.",
            "Du er logget på din computer.",
        ],
    ),
];

/// Writes `guidegen.yaml` and `guides/first-guide/guide.yaml` into `dir` (created if needed), for a
/// site in `languages` (the first is the source language). Returns the files written.
pub fn init(dir: &Path, languages: &[String]) -> Result<Vec<PathBuf>, InitError> {
    let languages: Vec<String> = if languages.is_empty() {
        vec!["en".to_owned()]
    } else {
        languages.to_vec()
    };
    for (i, code) in languages.iter().enumerate() {
        if !crate::validate::is_language_code(code) || !crate::languages::is_known(code) {
            return Err(InitError::BadLanguage(code.clone()));
        }
        if languages[..i].contains(code) {
            return Err(InitError::RepeatedLanguage(code.clone()));
        }
    }
    let site_file = dir.join(SITE_FILE);
    let guides = dir.join("guides");
    for existing in [&site_file, &guides] {
        if existing.exists() {
            return Err(InitError::Exists(existing.clone()));
        }
    }
    let guide_file = guides.join("first-guide").join(GUIDE_FILE);
    let files = [
        (
            site_file,
            schema::modeline(SITE_FILE, FileKind::Site) + &site_yaml(&languages),
        ),
        (
            guide_file,
            schema::modeline("guides/first-guide/guide.yaml", FileKind::Guide)
                + &guide_yaml(&languages),
        ),
    ];
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| InitError::Io(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(path, text)
            .map_err(|e| InitError::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    let mut written: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    written.extend(write_schemas(dir)?);
    written.extend(write_gitignore(dir)?);
    Ok(written)
}

/// What a site's `.gitignore` leaves out of git: the build's output, and the previous output that
/// the build keeps beside it ([`crate::write::spare_name`]).
fn gitignore() -> String {
    format!(
        "# Written by `guidegen build`, never by hand.\n/output/\n/{}/\n",
        crate::write::spare_name("output")
    )
}

/// Writes `.gitignore` unless the folder has one (it may be part of a larger repository's).
fn write_gitignore(dir: &Path) -> Result<Option<PathBuf>, InitError> {
    let path = dir.join(".gitignore");
    if path.exists() {
        return Ok(None);
    }
    std::fs::write(&path, gitignore())
        .map_err(|e| InitError::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path))
}

/// The JSON Schemas that the `# yaml-language-server` lines point at, in `schemas/`.
fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    schema::write(dir).map_err(|e| {
        InitError::Io(format!(
            "cannot write {}: {e}",
            dir.join(schema::SCHEMA_DIR).display()
        ))
    })
}

/// Writes `guides/<id>/guide.yaml` into the site in `site_dir`: a commented guide in the site's
/// languages. Refuses an id that is not one, or that a guide of the site already has.
pub fn new_guide(site_dir: &Path, id: &str) -> Result<PathBuf, InitError> {
    if !crate::validate::is_id(id) {
        return Err(InitError::BadId {
            id: id.to_owned(),
            suggestion: crate::validate::id_suggestion(id),
        });
    }
    let mut diagnostics = crate::diagnostic::Diagnostics::new();
    let dir = crate::load::SiteDir::new(site_dir);
    let loaded = crate::load::load_site(&dir, &mut diagnostics);
    if let Some(error) = diagnostics.sorted().into_iter().find(|d| d.is_error()) {
        return Err(InitError::Site(format!(
            "{}:{}:{}: {}",
            error.path.display(),
            error.span.line,
            error.span.column,
            error.message
        )));
    }
    if let Some(existing) = loaded.guides.iter().find(|g| g.id == id) {
        return Err(InitError::GuideExists {
            id: id.to_owned(),
            path: existing.file.clone(),
        });
    }
    let folder = site_dir.join("guides").join(id);
    if folder.exists() {
        return Err(InitError::GuideExists {
            id: id.to_owned(),
            path: folder,
        });
    }
    let languages: Vec<String> = match &loaded.site.languages {
        Some(list) => list.value.iter().map(|l| l.value.clone()).collect(),
        None => vec!["en".to_owned()],
    };
    let path = folder.join(GUIDE_FILE);
    std::fs::create_dir_all(&folder)
        .map_err(|e| InitError::Io(format!("cannot create {}: {e}", folder.display())))?;
    let rel = format!("guides/{id}/{GUIDE_FILE}");
    let text = schema::modeline(&rel, FileKind::Guide) + &new_guide_yaml(id, &languages);
    std::fs::write(&path, text)
        .map_err(|e| InitError::Io(format!("cannot write {}: {e}", path.display())))?;
    // The line points at schemas/: written for a site that has none yet.
    if !site_dir
        .join(schema::SCHEMA_DIR)
        .join(schema::GUIDE_SCHEMA_FILE)
        .exists()
    {
        write_schemas(site_dir)?;
    }
    Ok(path)
}

/// A text in every site language guidegen has a starter text for; the source language always
/// (in English when guidegen has no starter text in it, for the author to replace).
fn text(languages: &[String], index: usize) -> String {
    let starter = |code: &str| {
        STARTER
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, t)| t[index])
    };
    let mut entries = Vec::new();
    for (i, code) in languages.iter().enumerate() {
        match starter(code) {
            Some(t) => entries.push(format!("{code}: {}", quote(t))),
            None if i == 0 => entries.push(format!(
                "{code}: {}",
                quote(starter("en").unwrap_or_default())
            )),
            None => {}
        }
    }
    if entries.len() == 1 {
        entries[0]
            .split_once(": ")
            .map(|(_, t)| t.to_owned())
            .unwrap_or_default()
    } else {
        format!("{{{}}}", entries.join(", "))
    }
}

/// A YAML double-quoted string.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn site_yaml(languages: &[String]) -> String {
    format!(
        "# Site settings: see docs/format.md of guidegen.\n\
         title: {title}\n\
         # The first language is the one guides are written in; the others are translated from it.\n\
         languages: [{languages}]\n\
         # organization: Your school\n\
         # apps:                             # apps a step can ask the reader to install (`app: id`)\n\
         #   microsoft-authenticator:\n\
         #     name: Microsoft Authenticator\n\
         #     app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458\n\
         #     google_play: https://play.google.com/store/apps/details?id=com.azure.authenticator\n\
         # base_url: https://it.example.edu/guides/   # where the site is published: QR codes to continue on the phone, sitemap.xml\n",
        title = text(languages, 0),
        languages = languages.join(", "),
    )
}

fn guide_yaml(languages: &[String]) -> String {
    format!(
        "# A guide: its id is its folder's name (first-guide). Each step names what the reader does;\n\
         # `device` where the reader picks up another device (a banner says so), `screenshot` a file here.\n\
         title: {title}\n\
         summary: {summary}\n\
         steps:\n  \
           - device: computer\n    \
             action: {computer}\n  \
           - device: phone\n    \
             action: {phone}\n    \
             result: {result}\n",
        title = text(languages, 1),
        summary = text(languages, 2),
        computer = text(languages, 3),
        phone = text(languages, 4),
        result = text(languages, 5),
    )
}

/// A new guide's file: the starter guide with every key an author reaches for next, commented.
fn new_guide_yaml(id: &str, languages: &[String]) -> String {
    let mut text = guide_yaml(languages).replacen("(first-guide)", &format!("({id})"), 1);
    // The title from the id (`vpn-setup` → "Vpn setup"), in the source language, for the author to
    // reword and translate.
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    let title: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let first_title = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .unwrap_or_default()
        .to_owned();
    let translate = if languages.len() > 1 {
        format!(
            "   # in {}: write {{{}}}",
            languages[0],
            languages
                .iter()
                .map(|l| format!("{l}: …"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        String::new()
    };
    text = text.replacen(
        &first_title,
        &format!("title: {}{translate}", quote(&title)),
        1,
    );
    text.push_str(
        "    # More a step can have (remove the `#` to use one):\n\
         \x20   # screenshot:\n\
         \x20   #   src: shots/approve.png\n\
         \x20   #   alt: The Approve button in the app\n\
         \x20   #   callouts: [{box: [10, 20, 120, 40], label: Approve}]  # pixels: guidegen grid shots/approve.png\n\
         \x20   #   redact: [[10, 80, 200, 30]]        # these pixels are replaced in what is published\n\
         \x20   # app: microsoft-authenticator      # an app from guidegen.yaml: QR codes for its stores\n\
         \x20   # note: Good to know.\n\
         \x20   # tip: A shortcut.\n\
         \x20   # warning: What can go wrong.\n\
         \x20   # video: {title: How it looks, url: https://www.youtube.com/watch?v=…}\n\
         \x20   #   (or `src: video/x.mp4`, a file in this folder; or `status: planned`, one to come)\n\
         # A longer guide has `sections:`, each with a `title:`, an optional `intro:` and its `steps:`\n\
         # (or a `video:` alone).\n\
         # Renamed the folder? `aliases: [old-id]` keeps the old address working.\n\
         # Preview it while you write: guidegen serve\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_guide_joins_the_site_and_checks_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        init(&dir, &["da".into(), "en".into()]).unwrap();
        let path = new_guide(&dir, "vpn-setup").unwrap();
        assert_eq!(path, dir.join("guides/vpn-setup/guide.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("title: \"Vpn setup\""), "{text}");
        assert!(text.contains("# screenshot:"), "commented: {text}");
        let checked = crate::build::check(&dir);
        assert!(
            !checked.diagnostics.has_errors(),
            "{:?}",
            checked.diagnostics
        );
        let site = checked.site.unwrap();
        assert!(site.guides.iter().any(|g| g.id == "vpn-setup"));
    }

    #[test]
    fn a_new_guide_refuses_bad_and_taken_ids() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        init(&dir, &["en".into()]).unwrap();
        assert_eq!(
            new_guide(&dir, "VPN Setup"),
            Err(InitError::BadId {
                id: "VPN Setup".into(),
                suggestion: "vpn-setup".into()
            })
        );
        assert!(matches!(
            new_guide(&dir, "first-guide"),
            Err(InitError::GuideExists { .. })
        ));
        std::fs::create_dir_all(dir.join("guides/deep/vpn")).unwrap();
        std::fs::write(dir.join("guides/deep/vpn/guide.yaml"), "title: x\n").unwrap();
        assert!(matches!(
            new_guide(&dir, "vpn"),
            Err(InitError::GuideExists { .. })
        ));
    }

    #[test]
    fn init_refuses_a_language_given_twice() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(
            init(tmp.path(), &["en".into(), "en".into()]),
            Err(InitError::RepeatedLanguage("en".into()))
        );
        assert!(!tmp.path().join(SITE_FILE).exists());
    }

    #[test]
    fn a_new_site_builds_and_is_fully_translated() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        let written = init(&dir, &["da".into(), "en".into()]).unwrap();
        assert_eq!(
            written.len(),
            5,
            "settings, a guide, two schemas and .gitignore: {written:?}"
        );
        let checked = crate::build::check(&dir);
        assert!(
            !checked.diagnostics.has_errors(),
            "{:?}",
            checked.diagnostics
        );
        let site = checked.site.unwrap();
        assert_eq!(site.source_lang(), "da");
        let guide = &site.guides[0];
        assert_eq!(guide.id, "first-guide");
        assert_eq!(
            guide.title.resolve("en", "da", Default::default()).text,
            "Your first guide"
        );
        assert!(guide.steps().nth(1).unwrap().device_switch);
    }

    #[test]
    fn never_overwrites_a_site() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(SITE_FILE), "title: mine\n").unwrap();
        assert!(matches!(init(tmp.path(), &[]), Err(InitError::Exists(_))));
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(SITE_FILE)).unwrap(),
            "title: mine\n"
        );
    }

    #[test]
    fn a_language_without_starter_texts_gets_english_to_replace() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path(), &["de".into()]).unwrap();
        let checked = crate::build::check(tmp.path());
        assert!(
            checked.diagnostics.has_errors(),
            "German has no built-in interface strings: a catalog is needed"
        );
        assert!(matches!(
            init(&tmp.path().join("x"), &["Deutsch".into()]),
            Err(InitError::BadLanguage(_))
        ));
        let dk = init(&tmp.path().join("y"), &["dk".into()]).unwrap_err();
        assert_eq!(dk, InitError::BadLanguage("dk".into()));
        assert!(dk.to_string().contains("did you mean `da`?"), "{dk}");
        assert!(!tmp.path().join("y").exists());
    }
}
