//! Each YAML file is parsed once: `load::parse_checked` reads a file's input structs from the tree the
//! format check built (`yamlde`), and these tests hold that reading equal to serde-saphyr's own,
//! `Spanned` locations included, for every YAML file of the repository, a synthetic site, tricky
//! scalars, and files mutated at random; where the tree is not read, serde-saphyr reads the text.

#[path = "../benches/common/site.rs"]
mod site;

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use guidegen::input::{GuideFile, SiteFile};
use guidegen::schema::FileKind;
use serde::de::DeserializeOwned;

/// How a text was read.
#[derive(Debug, PartialEq)]
enum Read {
    /// From the checked tree, with the same value as serde-saphyr's, shown as `{:?}`.
    FromTree(String),
    /// By serde-saphyr, as before: the check found a mistake, masked a part, or the tree is not read.
    ByText,
}

/// Reads `text` as `parse_checked` does and, when it reads the tree, checks that serde-saphyr reads
/// the same value from the text.
fn read<T: DeserializeOwned + Debug>(text: &str, kind: FileKind) -> Read {
    let path = Path::new("file.yaml");
    let Ok((checked, Some(root))) =
        guidegen::yamlcheck::check_tree(path, text, guidegen::schema::schema(kind))
    else {
        return Read::ByText;
    };
    if checked.masked.is_some() || checked.diagnostics.iter().any(|d| d.is_error()) {
        return Read::ByText;
    }
    let Ok(from_tree) = guidegen::yamlde::from_node::<T>(root) else {
        return Read::ByText;
    };
    let from_tree = format!("{from_tree:#?}");
    match guidegen::load::parse_yaml::<T>(path, text) {
        Ok(by_text) => assert_eq!(
            from_tree,
            format!("{by_text:#?}"),
            "the tree and serde-saphyr read this differently:\n{text}"
        ),
        Err(d) => panic!(
            "the tree was read, but serde-saphyr refuses the text ({:?}: {}):\n{text}",
            d.span, d.message
        ),
    }
    Read::FromTree(from_tree)
}

fn read_file(text: &str, path: &Path) -> Read {
    if path.file_name().is_some_and(|n| n == "guidegen.yaml") {
        read::<SiteFile>(text, FileKind::Site)
    } else {
        read::<GuideFile>(text, FileKind::Guide)
    }
}

/// Every `.yaml` file below `dir` but UI catalogs (`locales/`), which `parse_checked` does not read.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| !p.components().any(|c| c.as_os_str() == "locales"))
        .collect()
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example site's files, every fixture, and a synthetic site of the benches.
fn corpus(synthetic: &Path) -> Vec<(PathBuf, String)> {
    let root = repository();
    let mut files = vec![root.join("guidegen.yaml")];
    for dir in ["guides", "snippets", "tests"] {
        files.extend(yaml_files(&root.join(dir)));
    }
    files.extend(yaml_files(synthetic));
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p, text.trim_start_matches('\u{feff}').to_owned()))
        })
        .collect()
}

#[test]
fn every_yaml_file_reads_the_same_from_its_tree_as_serde_saphyr_reads_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    site::generate_site(tmp.path(), 30, 3).expect("synthetic site");
    let files = corpus(tmp.path());
    assert!(files.len() > 60, "{} files", files.len());
    let mut from_tree = Vec::new();
    for (path, text) in &files {
        if let Read::FromTree(_) = read_file(text, path) {
            from_tree.push(path.clone());
        }
    }
    // The files the build reads without a mistake are read from the tree: the example site's and
    // the synthetic site's, every one.
    let must = |p: &&(PathBuf, String)| {
        p.0.starts_with(tmp.path())
            || p.0.starts_with(repository().join("guides"))
            || p.0.starts_with(repository().join("snippets"))
            || p.0 == repository().join("guidegen.yaml")
    };
    for (path, _) in files.iter().filter(must) {
        assert!(
            from_tree.contains(path),
            "{} was not read from its tree",
            path.display()
        );
    }
    assert!(
        from_tree.len() > 40,
        "{} read from the tree",
        from_tree.len()
    );
}

/// A guide whose title, a text of a language map, `only`, a callout and a date are `value`.
fn guide_with(value: &str) -> String {
    format!(
        "title: {value}\nsummary:\n  da: {value}\n  en: \"x\"\nsteps:\n  - device: computer\n    action: {value}\n    only: {value}\n    screenshot:\n      src: {value}\n      callouts:\n        - box: [{value}, 2, 3.5, {value}]\n          label: {value}\naliases: [{value}, a]\nupdated: {value}\n"
    )
}

const TRICKY: &[&str] = &[
    "123",
    "-5",
    "0",
    "-0",
    "+1",
    "007",
    "-007",
    "00.5",
    "1.0",
    "1.50",
    "-2.5",
    "0.1",
    "1.",
    ".5",
    "-.5",
    "1e3",
    "1E3",
    "1.5e-3",
    "1e999",
    "0x1F",
    "0X1F",
    "0o17",
    "0b101",
    "1_000",
    ".inf",
    "-.inf",
    "+.inf",
    ".nan",
    "-.nan",
    ".NaN",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "infinity",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "tRue",
    "~",
    "null",
    "Null",
    "NULL",
    "\"\"",
    "''",
    "'123'",
    "\"true\"",
    "\"~\"",
    "'1.5'",
    "'1.50'",
    "\"0.10\"",
    "'-0'",
    "2. Open the app",
    "1/2",
    "10:30",
    "3rd",
    "1.2.3",
    "12345678901234567890123",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "+",
    "-",
    "-x",
    ".",
    "...x",
    "æøå",
    "Åbn 1Password 🔑",
    "a # cut",
    "\"multi\n    line\"",
    "x\n    folded on",
];

#[test]
fn tricky_scalars_read_the_same_from_the_tree() {
    let mut from_tree = 0;
    for value in TRICKY {
        let text = guide_with(value);
        if let Read::FromTree(_) = read::<GuideFile>(&text, FileKind::Guide) {
            from_tree += 1;
        }
        // Each position alone, so that one refusal does not hide the others.
        for text in [
            format!("title: {value}\n"),
            format!("title: {{da: {value}, en: {value}}}\n"),
            format!("steps:\n  - only: {value}\n"),
            format!("steps:\n  - only: [{value}]\n"),
            format!("steps:\n  - screenshot: {value}\n"),
            format!("steps:\n  - screenshot: {{src: a.png, redact: [[{value}, 1, 2, 3]]}}\n"),
            format!("title:\n  da:\n    text: {value}\n    source: {value}\n"),
        ] {
            if let Read::FromTree(_) = read::<GuideFile>(&text, FileKind::Guide) {
                from_tree += 1;
            }
        }
        let site = format!(
            "title: {value}\nlanguages: [da, {value}]\ndevices:\n  watch:\n    label: {value}\n    mobile: {value}\nvariables:\n  x: {value}\n"
        );
        if let Read::FromTree(_) = read::<SiteFile>(&site, FileKind::Site) {
            from_tree += 1;
        }
    }
    assert!(
        from_tree > TRICKY.len() * 4,
        "{from_tree} read from the tree"
    );
}

#[test]
fn numbers_and_words_are_typed_as_serde_saphyr_types_them() {
    let title = |value: &str| match read::<GuideFile>(&format!("title: {value}\n"), FileKind::Guide)
    {
        Read::FromTree(shown) => shown
            .split("Plain(\n")
            .nth(1)
            .and_then(|s| s.split('"').nth(1))
            .map(str::to_owned),
        Read::ByText => None,
    };
    // `Text` turns a number back into a text: the number as Rust writes it, not as written.
    assert_eq!(title("1.50").as_deref(), Some("1.5"));
    assert_eq!(title("123").as_deref(), Some("123"));
    assert_eq!(title("-0").as_deref(), Some("0"));
    assert_eq!(title("yes").as_deref(), Some("yes"));
    assert_eq!(title("True").as_deref(), Some("true"));
    assert_eq!(title("'1.50'").as_deref(), Some("1.50"));
    assert_eq!(title("2. Open").as_deref(), Some("2. Open"));
    // Spellings read by serde-saphyr only.
    assert_eq!(title("007"), None);
    assert_eq!(title(".inf"), None);
}

#[test]
fn locations_are_serde_saphyrs_for_every_kind_of_node() {
    let texts = [
        "title: x\n",
        "title:   \"quoted\"   \n",
        "title: 'single'\n",
        "title: |\n  block\n  text\n",
        "title: >-\n  folded\n  text\n",
        "title:\n  da: |\n    blok\n  en: >\n    folded\n",
        "# comment\n\ntitle: {da: æøå, en: \"🔑 key\"}\n",
        "title: ÆØÅ 🔑 a\nsummary: {da: x}\n",
        "title: x\r\nsummary: y\r\n",
        "title: x\rsummary: y\r",
        "---\ntitle: x\n...\n",
        "steps:\n- device: phone\n  action: a\n- device: computer\n  action:\n    da: b\n    en: c\n",
        "steps: [{device: phone, action: a}, {device: computer, action: {da: b, en: c}}]\n",
        "sections:\n  - title: S\n    steps:\n      - device: phone\n        action: a\n        screenshot:\n          src: a.png\n          callouts:\n            - {box: [1, 2, 3, 4], label: {da: x, en: y}}\n            - marker: [5, 6]\n          redact:\n            - [1, 2, 3, 4]\n",
        "\"title\": x\n'summary': y\n",
        "title:\n  \"da\": x\n  'en': y\n",
        "aliases:\n  - a\n  - b\nlanguages: [da]\n",
        "steps:\n  - device: phone\n    action: a\n    only: [ios, android]\n    variants:\n      ios:\n        action: b\n",
    ];
    for text in texts {
        assert!(
            matches!(read::<GuideFile>(text, FileKind::Guide), Read::FromTree(_)),
            "not read from the tree:\n{text}"
        );
    }
}

/// Files serde-saphyr reads otherwise than the tree would, or refuses: never read from the tree.
#[test]
fn what_the_tree_cannot_give_is_left_to_serde_saphyr() {
    let texts = [
        // Anchors, aliases, merge keys, tags.
        "title: &t x\nsummary: *t\n",
        "title: !!str 123\n",
        "title: {<<: {da: x}}\n",
        "title: {da: x, <<: {en: y}}\n",
        // Keys serde-saphyr compares as numbers.
        "title: {1: x, 0x1: y}\n",
        // Two documents.
        "title: x\n---\ntitle: y\n",
        // Empty.
        "",
        "# only a comment\n",
    ];
    for text in texts {
        assert_eq!(
            read::<GuideFile>(text, FileKind::Guide),
            Read::ByText,
            "read from the tree:\n{text}"
        );
    }
    // Nesting near serde-saphyr's limit.
    let deep = format!(
        "title: {{da: x}}\nsteps: {}\n",
        "[".repeat(30) + &"]".repeat(30)
    );
    assert_eq!(read::<GuideFile>(&deep, FileKind::Guide), Read::ByText);
}

/// Comments serde-saphyr's parser buffers: it refuses a run of more than 32 between a key and its
/// value, where the tree's parser takes up to 96; such a file goes to serde-saphyr, which says so as
/// before. (`read` fails if a file read from the tree is one serde-saphyr refuses.)
#[test]
fn a_long_run_of_comments_is_left_to_serde_saphyr() {
    for run in 1..=60 {
        let comments = "# c\n".repeat(run);
        for text in [
            format!("{comments}title: x\n"),
            format!("title:\n{comments}  x\n"),
            format!("steps:\n{comments}  - device: phone\n    action: a\n"),
            format!("sections:\n  {comments}  - title: x\n"),
            format!("title: x\n{comments}summary: y\n"),
        ] {
            let read = read::<GuideFile>(&text, FileKind::Guide);
            if run > 32 {
                assert_eq!(read, Read::ByText);
            } else if run < 20 {
                assert_ne!(read, Read::ByText, "{text}");
            }
        }
    }
}

/// A small deterministic generator, so that a failure repeats.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Every fixture with a token put in at random places: whatever is read from the tree is read the
/// same by serde-saphyr (the check inside `read`).
#[test]
fn mutated_files_read_from_the_tree_read_the_same() {
    const TOKENS: &[&str] = &[
        "&a ", "*a", "!x ", "!!str ", "\"", "'", "#", " #x", ": ", "\n  ", "\n", "- ", "[", "]",
        "{", "}", ",", "0x1", ".inf", "~", "<<: ", "007", "1.5", "-3", "true", "yes", "æ", "🔑",
        "\t", "|\n", ">\n", "\r", "  ", "---\n", "? ",
    ];
    let tmp = tempfile::tempdir().expect("tempdir");
    site::generate_site(tmp.path(), 2, 3).expect("synthetic site");
    let files = corpus(tmp.path());
    let mut rng = Lcg(13);
    let mut from_tree = 0;
    for (path, text) in &files {
        for _ in 0..40 {
            let mut mutated = text.clone();
            for _ in 0..=rng.next(2) {
                let mut at = rng.next(mutated.len() + 1);
                while !mutated.is_char_boundary(at) {
                    at -= 1;
                }
                mutated.insert_str(at, TOKENS[rng.next(TOKENS.len())]);
            }
            if let Read::FromTree(_) = read_file(&mutated, path) {
                from_tree += 1;
            }
        }
    }
    assert!(from_tree > 100, "{from_tree} read from the tree");
}
