//! Load stage: find and read a site's files and parse them into input structs, reporting every file
//! that cannot be read or parsed.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span, did_you_mean};
use crate::files;
use crate::input::{GuideFile, SiteFile};
use crate::schema::FileKind;

/// The site settings file, at the site's root.
pub const SITE_FILE: &str = "guidegen.yaml";
/// The name of every guide's file.
pub const GUIDE_FILE: &str = "guide.yaml";

/// A site folder and the way its paths are shown to the user.
#[derive(Debug, Clone)]
pub struct SiteDir {
    /// The folder itself.
    pub root: PathBuf,
}

impl SiteDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// A site-relative path as diagnostics show it: relative to the current folder when the site is
    /// the current folder, so that editors and terminals can open it.
    pub fn display(&self, rel: &Path) -> PathBuf {
        if self.root.as_os_str().is_empty() || self.root == Path::new(".") {
            rel.to_path_buf()
        } else {
            self.root.join(rel)
        }
    }
}

/// A `guide.yaml` found under `guides/`, not yet read: guides are read, parsed and validated one
/// by one, in parallel, so that a large site never holds every parsed file at once.
#[derive(Debug, Clone)]
pub struct FoundGuide {
    /// The folder's name.
    pub id: String,
    /// The guide's folder on disk.
    pub dir: PathBuf,
    /// The file on disk.
    pub file: PathBuf,
    /// The file as diagnostics show it.
    pub path: PathBuf,
}

/// A guide file, parsed.
#[derive(Debug, Clone)]
pub struct LoadedGuide {
    /// The folder's name.
    pub id: String,
    /// The guide's folder on disk.
    pub dir: PathBuf,
    /// `guide.yaml`, as diagnostics show it.
    pub path: PathBuf,
    pub file: GuideFile,
    /// Where the format check dropped a part of the file: validation's "this has no …" there is the
    /// same mistake again.
    pub suppress: std::collections::BTreeSet<Span>,
}

/// A site's files, parsed; whatever could not be parsed is in the diagnostics instead.
#[derive(Debug, Default)]
pub struct Loaded {
    /// `guidegen.yaml` as diagnostics show it, and its contents (the defaults when it does not exist).
    pub site_path: PathBuf,
    pub site: SiteFile,
    /// Every `guide.yaml` under `guides/`, in path order.
    pub guides: Vec<FoundGuide>,
    /// Site UI catalogs `locales/<lang>.yaml`: (language, path as shown, text).
    pub catalogs: Vec<(String, PathBuf, String)>,
    /// The text of every file read, for quoting lines in diagnostics.
    pub sources: Sources,
    /// What could not be read of `guidegen.yaml`: validation must not take a part it could not read
    /// for a part that is not there (a misspelled `languages:` is not a site in English).
    pub site_troubles: SiteTroubles,
    /// The snippets under `snippets/`, by name.
    pub snippets: std::sync::Arc<crate::snippets::Snippets>,
}

/// The parts of `guidegen.yaml` that had errors.
#[derive(Debug, Default, Clone)]
pub struct SiteTroubles {
    /// The file could not be read at all (a syntax error).
    pub unreadable: bool,
    /// Top-level keys under which something was refused, misspelled top-level keys among them.
    pub keys: std::collections::BTreeSet<String>,
}

/// Reads `guidegen.yaml`, every `guides/**/guide.yaml` and `locales/*.yaml`.
pub fn load_site(dir: &SiteDir, diagnostics: &mut Diagnostics) -> Loaded {
    let mut loaded = Loaded {
        site_path: dir.display(Path::new(SITE_FILE)),
        ..Loaded::default()
    };
    let site_file = dir.root.join(SITE_FILE);
    // `exists` follows links: a dangling link is reported by the reader, not taken for "no settings".
    if (site_file.exists() || site_file.is_symlink())
        && let Some(text) = read_text(
            &dir.root,
            Path::new(SITE_FILE),
            &loaded.site_path,
            diagnostics,
        )
    {
        loaded.sources.insert(&loaded.site_path, text.clone());
        let parsed = parse_checked::<SiteFile>(&loaded.site_path, &text, FileKind::Site);
        diagnostics.extend(parsed.diagnostics);
        loaded.site_troubles.keys = parsed.troubled;
        match parsed.value {
            Some(site) => loaded.site = site,
            None => loaded.site_troubles.unreadable = true,
        }
    }

    let walked = walk_guides(&dir.root.join("guides"), diagnostics, dir);
    near_misses(dir, &walked, diagnostics);
    for path in walked.guide_files {
        let rel = path.strip_prefix(&dir.root).unwrap_or(&path);
        let shown = dir.display(rel);
        let guide_dir = path.parent().unwrap_or(&dir.root).to_path_buf();
        let id = guide_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        loaded.guides.push(FoundGuide {
            id,
            dir: guide_dir,
            file: path.clone(),
            path: shown,
        });
    }

    loaded.snippets =
        std::sync::Arc::new(crate::snippets::load(dir, &mut loaded.sources, diagnostics));

    let locales = dir.root.join("locales");
    if locales.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&locales)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries {
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let Some(lang) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
                continue;
            };
            let rel = path.strip_prefix(&dir.root).unwrap_or(&path);
            let shown = dir.display(rel);
            if let Some(text) = read_text(&dir.root, rel, &shown, diagnostics) {
                loaded.sources.insert(&shown, text.clone());
                loaded.catalogs.push((lang, shown, text));
            }
        }
    }
    loaded
}

/// Reads and parses one guide. Returns its text, when it could be read (for diagnostics to quote),
/// and the parsed guide, when it parses.
pub fn load_guide(
    found: FoundGuide,
    diagnostics: &mut Diagnostics,
) -> (Option<String>, Option<LoadedGuide>) {
    let Some(text) = read_text(&found.dir, Path::new(GUIDE_FILE), &found.path, diagnostics) else {
        return (None, None);
    };
    let parsed = parse_checked::<GuideFile>(&found.path, &text, FileKind::Guide);
    diagnostics.extend(parsed.diagnostics);
    let guide = parsed.value.map(|file| LoadedGuide {
        id: found.id,
        dir: found.dir,
        path: found.path,
        file,
        suppress: parsed.suppress,
    });
    (Some(text), guide)
}

/// A file read by [`parse_checked`]: its value (`None` when it could not be read at all), every
/// mistake found, and what the check dropped.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
    pub suppress: std::collections::BTreeSet<Span>,
    pub troubled: std::collections::BTreeSet<String>,
}

/// Checks `text` against the format of `kind` ([`crate::yamlcheck`]) — every unknown key, wrong
/// type, duplicate key and misread text at once — then reads what remains of it.
pub fn parse_checked<T: DeserializeOwned>(path: &Path, text: &str, kind: FileKind) -> Parsed<T> {
    let mut parsed = Parsed {
        value: None,
        diagnostics: Vec::new(),
        suppress: Default::default(),
        troubled: Default::default(),
    };
    let (checked, tree) =
        match crate::yamlcheck::check_tree(path, text, crate::schema::schema(kind)) {
            Ok(checked) => checked,
            Err(d) => {
                parsed.diagnostics.push(d);
                return parsed;
            }
        };
    let had_errors = checked.diagnostics.iter().any(Diagnostic::is_error);
    parsed.diagnostics = checked.diagnostics;
    parsed.suppress = checked.suppress;
    parsed.troubled = checked.troubled;
    // A file the check took whole is read from its tree, not parsed again; whatever the tree does
    // not give as serde-saphyr would (and every mistake) is read by serde-saphyr, as before.
    if let Some(root) = tree.filter(|_| !had_errors && checked.masked.is_none())
        && let Ok(value) = crate::yamlde::from_node::<T>(root)
    {
        parsed.value = Some(value);
        return parsed;
    }
    match parse_yaml::<T>(path, checked.masked.as_deref().unwrap_or(text)) {
        Ok(value) => parsed.value = Some(value),
        // What serde still refuses after the check is reported, unless the check found the mistake
        // already (one root mistake, one error).
        Err(d) if !had_errors => parsed.diagnostics.push(d),
        Err(_) => {}
    }
    parsed
}

/// Whether a file name is almost `name`: another case, `.yml`, or an extension added by an editor
/// (`guide.yaml.txt`).
fn almost(file_name: &str, name: &str) -> bool {
    let lower = file_name.to_lowercase();
    let stem = name.trim_end_matches(".yaml");
    file_name != name
        && (lower == name
            || lower == format!("{stem}.yml")
            || lower.starts_with(&format!("{name}."))
            || lower.starts_with(&format!("{stem}.yml.")))
}

/// Files that were surely meant as a guide or the settings but are not read under their names: a
/// warning with the fix each, so that a guide does not vanish in silence.
fn near_misses(dir: &SiteDir, walked: &Walked, diagnostics: &mut Diagnostics) {
    let warn = |diagnostics: &mut Diagnostics, path: &Path, message: String, hint: String| {
        let rel = path.strip_prefix(&dir.root).unwrap_or(path);
        diagnostics
            .push(Diagnostic::warning(dir.display(rel), Span::START, message).with_hint(hint));
    };
    let names = |folder: &Path| -> Vec<String> {
        std::fs::read_dir(folder)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let root_names = names(&dir.root);
    for name in &root_names {
        let path = dir.root.join(name);
        if name == GUIDE_FILE || almost(name, GUIDE_FILE) {
            warn(
                diagnostics,
                &path,
                format!(
                    "`{name}` at the site's root is not read: guides are read from guides/<id>/{GUIDE_FILE}"
                ),
                format!(
                    "move it into a folder of its own under guides/, such as guides/my-guide/{GUIDE_FILE}"
                ),
            );
        } else if almost(name, SITE_FILE) && !root_names.iter().any(|n| n == SITE_FILE) {
            warn(
                diagnostics,
                &path,
                format!("`{name}` is not read: the site's settings are read from {SITE_FILE}"),
                format!("rename it to {SITE_FILE}"),
            );
        }
    }
    for (folder, here) in &walked.folders {
        if here.iter().any(|n| n == GUIDE_FILE) {
            continue;
        }
        for name in here.iter().filter(|n| almost(n, GUIDE_FILE)) {
            warn(
                diagnostics,
                &folder.join(name),
                format!("`{name}` is not read: a guide's file is called {GUIDE_FILE}"),
                format!("rename it to {GUIDE_FILE}"),
            );
        }
    }
}

/// What one walk of guides/ found.
#[derive(Default)]
struct Walked {
    /// Every file (or link) called guide.yaml, sorted so that a build does not depend on directory
    /// order.
    guide_files: Vec<PathBuf>,
    /// Each folder walked (none whose name starts with a dot) with the names of the regular files
    /// in it, dot files too: for [`near_misses`].
    folders: Vec<(PathBuf, Vec<String>)>,
}

/// Walks guides/ once for the guides' files and the near misses, reporting folders that cannot be
/// read. Folders whose names start with a dot are not entered.
fn walk_guides(root: &Path, diagnostics: &mut Diagnostics, dir: &SiteDir) -> Walked {
    let mut walked = Walked::default();
    if !root.is_dir() {
        return walked;
    }
    let mut folders: std::collections::BTreeMap<PathBuf, Vec<String>> = Default::default();
    for entry in walk_sorted(root) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root);
                let shown = dir.display(path.strip_prefix(&dir.root).unwrap_or(path));
                diagnostics.push(
                    Diagnostic::error(
                        shown,
                        Span::START,
                        format!("cannot read this folder: {err}"),
                    )
                    .with_hint("check the folder's permissions"),
                );
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            folders.entry(entry.path().to_path_buf()).or_default();
            continue;
        }
        if file_type.is_file()
            && let (Some(parent), Some(name)) = (entry.path().parent(), entry.file_name().to_str())
        {
            folders
                .entry(parent.to_path_buf())
                .or_default()
                .push(name.to_owned());
        }
        // A symbolic link is taken too, so that the reader can refuse one that leaves the site
        // instead of the guide vanishing without a word.
        if (file_type.is_file() || entry.path_is_symlink()) && entry.file_name() == GUIDE_FILE {
            walked.guide_files.push(entry.into_path());
        }
    }
    walked.folders = folders.into_iter().collect();
    walked
}

/// Whether the walk of guides/ takes `entry`: anything but a folder whose name starts with a dot (the
/// walk's own folder always).
fn entered(entry: &walkdir::DirEntry) -> bool {
    entry.depth() == 0
        || !entry.file_type().is_dir()
        || !entry.file_name().to_string_lossy().starts_with('.')
}

/// Every entry under `root` (itself first), depth first and sorted by name, without entering
/// folders whose names start with a dot (dot files are listed) or following links: what one
/// sorted `WalkDir` gives. The folders of the top level are walked side by side on the worker
/// threads, as listing thousands of folders one after another mostly waits on the file system
/// (12 ms for a site of 1000 guides on a disk), then put back in the one walk's order.
fn walk_sorted(root: &Path) -> Vec<walkdir::Result<walkdir::DirEntry>> {
    use rayon::prelude::*;
    let walk = |folder: &Path, max_depth: usize| {
        WalkDir::new(folder)
            .max_depth(max_depth)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(entered)
    };
    let top: Vec<_> = walk(root, 1).collect();
    top.into_par_iter()
        .map(|entry| match entry {
            // Its own walk starts with the folder itself.
            Ok(entry) if entry.depth() == 1 && entry.file_type().is_dir() => {
                walk(entry.path(), usize::MAX).collect()
            }
            other => vec![other],
        })
        .collect::<Vec<Vec<_>>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Reads `rel`, a file inside the site folder `root` that must be UTF-8 text, or reports why it
/// cannot be used: outside the site (a symbolic link out of it), not a regular file, over
/// [`files::MAX_TEXT_FILE_BYTES`], not UTF-8.
pub fn read_text(
    root: &Path,
    rel: &Path,
    shown: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let bytes = match files::read_inside(root, rel, files::MAX_TEXT_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(err) => {
            let written = rel.display().to_string();
            let hint = match err {
                files::ReadError::TooLarge { .. } => {
                    "split it into several guides, or move large content into screenshots".into()
                }
                files::ReadError::Outside => "guidegen reads only files inside the site folder: replace the symbolic link with the file itself".into(),
                _ => err.hint(),
            };
            diagnostics.push(
                Diagnostic::error(shown, Span::START, err.message(&written, "the site folder"))
                    .with_hint(hint),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            Some(text)
        }
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diagnostics.push(
                Diagnostic::error(shown, Span::new(line, column), "file is not UTF-8 text")
                    .with_hint("save the file as UTF-8 (most editors have this under \"Save with encoding\")"),
            );
            None
        }
    }
}

/// Parses one YAML document into `T` with limits against alias bombs and absurd nesting, turning
/// serde-saphyr's error into a located diagnostic with a hint.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 100,
            max_anchors: 1_000,
            max_events: 500_000,
            max_nodes: 200_000,
            max_recorded_anchor_events: 100_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
            // Comments between a key and its value are held until the value comes: the
            // parser's default of 96 refused a key whose value follows a long commented-out part
            // (locales/<lang>.yaml as `guidegen i18n strings` writes it). A file's size bounds them.
            max_buffered_comment_events: crate::yamlcheck::MAX_EVENTS,
        },
        // `Yes`, `No`, `On` and `y` are words in a guide, not booleans.
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options::<T>(text, options)
        .map_err(|err| yaml_diagnostic(path, &err))
}

fn yaml_diagnostic(path: &Path, err: &serde_saphyr::Error) -> Diagnostic {
    let span = err.location().map(Span::from).unwrap_or(Span::START);
    let raw = err.without_snippet().to_string();
    // The rendering appends the position, which we show in our own form.
    let message = match err.location() {
        Some(l) => match raw.find(&format!(" at line {}, column {}", l.line(), l.column())) {
            Some(i) => raw[..i].to_owned(),
            None => raw,
        },
        None => raw,
    };
    if message.starts_with("budget breached") {
        return Diagnostic::error(
            path,
            span,
            "this YAML is too large, too deeply nested or has too many aliases for a guide",
        )
        .with_hint(
            "guides need neither deep nesting nor many aliases (`*name`): write the values out",
        );
    }
    let message = message.trim().to_owned();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty())
            .collect();
        let list = allowed
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match did_you_mean(key, allowed.iter().copied()) {
            Some(suggestion) => format!("{suggestion} (allowed here: {list})"),
            None => format!("allowed here: {list}"),
        };
        return Diagnostic::error(path, span, format!("unknown key `{key}`")).with_hint(hint);
    }
    let lower = message.to_lowercase();
    let hint = if lower.contains("budget")
        || lower.contains("depth")
        || lower.contains("alias")
        || lower.contains("anchor")
    {
        Some("guides need neither deep nesting nor many aliases: write the values out")
    } else if lower.contains("expected sequence") {
        Some("write a list here, one `- item` per line")
    } else if lower.contains("expected mapping") || lower.contains("expected a map") {
        Some("write `key: value` pairs here")
    } else if lower.contains("duplicate") {
        Some("each key may appear once in a map")
    } else if lower.contains("missing field") {
        Some("add the missing key")
    } else {
        None
    };
    let message = message
        .replace("expected sequence start", "expected a list")
        .replace(
            "expected mapping start",
            "expected a map of `key: value` pairs",
        )
        .replace("missing field", "missing key");
    let d = Diagnostic::error(path, span, message);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_side_by_side_gives_one_sorted_walk_s_entries_in_its_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("guides");
        for rel in [
            "b/guide.yaml",
            "b/shots/x.png",
            "a/z/guide.yaml",
            "a/y/guide.yaml",
            "a/y/.hidden/guide.yaml",
            "a/.notes.txt",
            ".cache/guide.yaml",
            "top.txt",
            "c/d/e/f/guide.yaml",
            "empty/.keep",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("b"), root.join("linked")).unwrap();
        let seen = |e: walkdir::Result<walkdir::DirEntry>| {
            let e = e.unwrap();
            (e.path().to_path_buf(), e.file_type().is_dir())
        };
        let one_walk: Vec<(PathBuf, bool)> = WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(entered)
            .map(seen)
            .collect();
        let side_by_side: Vec<(PathBuf, bool)> = walk_sorted(&root).into_iter().map(seen).collect();
        assert_eq!(side_by_side, one_walk);
        // The walk went below the top level, and not into dot folders.
        let has = |rel: &str| side_by_side.iter().any(|(p, _)| p.ends_with(rel));
        assert!(has("c/d/e/f/guide.yaml") && has("a/.notes.txt"));
        assert!(!has(".hidden/guide.yaml"));
    }

    #[test]
    fn one_walk_finds_the_guides_and_the_near_misses() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let file = |rel: &str| {
            let path = root.join("guides").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "title: x\n").unwrap();
        };
        for rel in [
            "a/guide.yaml",
            "a/Guide.yml",
            "b/guide.yml",
            "b/shots/x.png",
            ".hidden/guide.yaml",
            ".hidden/guide.yml",
            "c/sub/guide.yaml",
            "d/guide.yml",
            "e/.guide.yaml",
        ] {
            file(rel);
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("../a/guide.yaml", root.join("guides/d/guide.yaml")).unwrap();
        let mut diagnostics = Diagnostics::default();
        let loaded = load_site(&SiteDir::new(root), &mut diagnostics);
        let found: Vec<_> = loaded.guides.iter().map(|g| g.file.clone()).collect();
        let mut expected = vec![root.join("guides/a/guide.yaml")];
        expected.push(root.join("guides/c/sub/guide.yaml"));
        #[cfg(unix)]
        expected.push(root.join("guides/d/guide.yaml"));
        assert_eq!(found, expected, "sorted, no dot folder, links too");
        let warned: Vec<_> = diagnostics
            .sorted()
            .into_iter()
            .map(|d| d.path.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        // A link called guide.yaml is no regular file: its folder's near miss is still named.
        assert_eq!(
            warned,
            [
                Path::new("guides/b/guide.yml"),
                Path::new("guides/d/guide.yml")
            ],
        );
    }

    #[test]
    fn unknown_key_gets_position_and_suggestion() {
        let d =
            parse_yaml::<GuideFile>(Path::new("g.yaml"), "title: x\nscrenshot: a\n").unwrap_err();
        assert_eq!(d.span, Span::new(2, 1));
        assert_eq!(d.message, "unknown key `screnshot`");
        let hint = d.hint.unwrap();
        assert!(
            hint.contains("allowed here: `title`, `summary`, `sections`, `steps`"),
            "{hint}"
        );
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("a{}", i - 1)
            };
            bomb.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let started = std::time::Instant::now();
        let result = parse_yaml::<serde::de::IgnoredAny>(Path::new("b.yaml"), &bomb);
        assert!(result.is_err());
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = format!("title: {}x{}\n", "[".repeat(200), "]".repeat(200));
        let d = parse_yaml::<serde::de::IgnoredAny>(Path::new("d.yaml"), &deep).unwrap_err();
        assert_eq!(d.span.line, 1);
    }
}
