//! Regression tests for what the fuzz targets (tests/fuzz.rs) found, each with its input made as
//! small as it would go. A test marked `#[ignore = "reported: …"]` would be a bug reported to the
//! code's owners and not fixed yet: enable it with the fix.

use guidegen::i18n::po::{self, Catalog, Entry};
use guidegen::i18n::yaml::{self, Located};

// ---------------------------------------------------------------------------------------------------
// PO files (src/i18n/po.rs).

/// An obsolete entry (`#~`) was written back as a live one, so that a catalog read and written
/// again would bring it back into use.
#[test]
fn obsolete_entries_stay_obsolete_when_written() {
    let text = "msgid \"\"\nmsgstr \"Language: da\\n\"\n\n#~ msgid \"old\"\n#~ msgstr \"gammel\"\n";
    let catalog = po::parse(text).unwrap();
    assert!(catalog.entries[0].obsolete);
    let written = catalog.write();
    let again = po::parse(&written).unwrap();
    assert!(again.entries[0].obsolete, "{written}");
    assert_eq!(again.entries[0].msgstr, "gammel");
}

/// A comment with a line break in it (a translator's note naming a section title, say) was
/// written as one `#.` line and a line that is no PO at all: the file did not parse.
#[test]
fn comments_with_line_breaks_are_written_as_comments() {
    let catalog = Catalog {
        comments: vec!["- x\n  - x".to_owned()],
        header: vec![("Language".to_owned(), "en".to_owned())],
        entries: vec![Entry {
            extracted: vec!["Step 1, in section 1 “a\nmsgid \"b\"”".to_owned()],
            references: vec!["guides/g\n1/guide.yaml:3".to_owned()],
            msgctxt: Some("g|title".to_owned()),
            msgid: "Åbn".to_owned(),
            msgstr: "Open".to_owned(),
            ..Entry::default()
        }],
    };
    let written = catalog.write();
    let parsed = po::parse(&written).unwrap_or_else(|e| panic!("{e:?}\n{written}"));
    assert_eq!(parsed.entries.len(), 1, "{written}");
    assert_eq!(parsed.entries[0].msgid, "Åbn");
    assert_eq!(parsed.entries[0].msgstr, "Open");
    assert_eq!(parsed.header, catalog.header);
}

/// A comment line ending in more than one carriage return kept one of them, which writing the
/// catalog and reading it again lost: the two reads differed.
#[test]
fn carriage_returns_end_no_comment() {
    let text = "#. note\r\r\r\nmsgid \"a\"\nmsgstr \"b\"\n";
    let catalog = po::parse(text).unwrap();
    assert_eq!(catalog.entries[0].extracted, ["note"]);
    let again = po::parse(&catalog.write()).unwrap();
    assert_eq!(again.entries[0].extracted, catalog.entries[0].extracted);
}

// ---------------------------------------------------------------------------------------------------
// In-place edits of guide.yaml (src/i18n/yaml.rs), as `guidegen i18n import` makes them.

fn located(src: &str, name: &str) -> Located {
    yaml::locate(src)
        .unwrap()
        .into_iter()
        .find(|t| t.name.to_string() == name)
        .unwrap_or_else(|| panic!("no `{name}` in {src}"))
}

/// Sets the `lang` translation of `name` (source language `da`) and checks that the file reads
/// back with that translation and every other text as it was.
fn set_checked(src: &str, name: &str, lang: &str, translation: &str) -> String {
    let text = located(src, name);
    let edits = yaml::set(src, &text, "da", lang, translation, "0a1b2c3d").unwrap();
    let out = yaml::apply(src, edits).unwrap();
    let mut expected = yaml::snapshot(&yaml::locate(src).unwrap());
    let entries = expected.get_mut(&text.name).unwrap();
    if let Some(plain) = entries.remove("") {
        entries.insert("da".to_owned(), plain);
    }
    entries.insert(
        lang.to_owned(),
        (translation.to_owned(), Some("0a1b2c3d".to_owned())),
    );
    let got = yaml::locate(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(yaml::snapshot(&got), expected, "{out}");
    out
}

/// A comment after a value that a multi-line translation replaced ended up inside the new literal
/// block, as part of the translation.
#[test]
fn a_comment_after_a_value_stays_a_comment_when_a_block_replaces_it() {
    let out = set_checked("title: Åbn  # c\n", "title", "en", "Line one\nline two\n");
    assert!(out.contains("da: Åbn  # c\n"), "{out}");
    let out = set_checked(
        "title:\n  da: Åbn\n  en: Old  # c\n",
        "title",
        "en",
        "Line one\nline two\n",
    );
    assert!(out.contains("en:  # c\n"), "{out}");
}

/// A comment on a translation's key line, before a block map or block scalar on the lines below
/// (`en:  # c`, as the edit above leaves it, or `en: |  # c`), was inside the range a later edit of
/// that translation replaced, and was lost.
#[test]
fn a_comment_on_a_translations_key_line_stays() {
    let once = set_checked(
        "title:\n  da: Åbn\n  en: Old  # c\n",
        "title",
        "en",
        "Line one\nline two\n",
    );
    let twice = set_checked(&once, "title", "en", "Open");
    assert!(twice.contains("# c"), "{twice}");
    let block = "title:\n  da: Åbn\n  en: |  # c\n    Old\n";
    for translation in ["Open", "Line\ntwo\n"] {
        let out = set_checked(block, "title", "en", translation);
        assert!(out.contains("# c"), "{out}");
    }
}

/// A block scalar whose text starts with `[` or `{` was taken for a flow collection: the edit wrote
/// a flow map into the block's text.
#[test]
fn a_block_text_starting_with_a_bracket_is_no_flow_collection() {
    set_checked("title: |-\n  [x](#a)\n", "title", "en", "x");
    set_checked(
        "steps:\n  - action: >-\n      {x}\n",
        "step.1.action",
        "en",
        "x",
    );
}

/// A line of blanks inside a literal block, longer than its indentation, is text; it was taken for
/// a blank line, and a translation added after the block was inserted before it.
#[test]
fn blanks_beyond_the_indentation_belong_to_the_block() {
    let src = "title:\n  da: Open\n  en: |\n    x\n     \n";
    assert_eq!(yaml::snapshot(&yaml::locate(src).unwrap()).len(), 1);
    set_checked(src, "title", "de", "y");
    set_checked(src, "title", "en", "y");
}

/// The blank lines at the end of a `|+` block are its text's (it keeps them): an edit that put a
/// translation after the block's last line cut them off.
#[test]
fn a_kept_block_keeps_its_blank_lines() {
    let src = "steps:\n  - action: Åbn\n    tip: |+\n\n      日本語\n\n    warning: x\n";
    set_checked(src, "step.1.tip", "de", "y");
    set_checked("summary: |+\n    x\n\ntitle: y\n", "summary", "en", "z");
}

/// A translation that ends in blank lines was written as a `|+` block, which took the blank line
/// after it in the file for one more of its own.
#[test]
fn a_translation_ending_in_blank_lines_keeps_no_more() {
    let src = "steps:\n  - action: Åbn\n    note:\n      da: Kan du\n      en: Can you\n\n  - action: Luk\n";
    set_checked(src, "step.1.note", "en", "Line\n\n");
    set_checked(src, "step.1.note", "de", "Zeile\nzwei\n\n\n");
}

/// A quote inside a plain scalar in a flow map (`{text: The app's screen, …}`) was taken for the
/// start of a quoted string, so the map seemed to end after the next quote, in another step: the
/// translation added to one text went into that one.
#[test]
fn a_quote_inside_a_plain_flow_scalar_opens_no_string() {
    let src = "steps:\n  - action: Åbn\n    screenshot:\n      src: a.png\n      alt:\n        \
               da: Skærmen\n        en: {text: The app's screen, source: 0a1b2c3d}\n  - action: Luk\n    \
               note:\n      da: x\n      en: {text: it's done, source: 0a1b2c3d}\n";
    set_checked(src, "step.1.alt", "de", "Der Bildschirm");
    set_checked(src, "step.2.note", "de", "fertig");
    set_checked(
        "title: {da: x, en: {\"text\":'it''s', source: 1}}\n",
        "title",
        "de",
        "y",
    );
}

/// U+FFFE and U+FFFF, outside YAML's printable characters, were written as they are: the edited
/// file no longer parsed.
#[test]
fn noncharacters_are_escaped() {
    set_checked("title: Åbn\n", "title", "en", "a\u{fffe}b");
    set_checked("title: Åbn\n", "title", "en", "a\u{ffff}\nb\n");
}

// ---------------------------------------------------------------------------------------------------
// Diagnostics (src/load.rs, src/diagnostic.rs).

/// A one-guide site in a temporary folder, with `guidegen.yaml` of languages `[da, en]`.
fn site_with_guide(guide: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("guidegen.yaml"), "languages: [da, en]\n").unwrap();
    let guide_dir = site.path().join("guides/g");
    std::fs::create_dir_all(&guide_dir).unwrap();
    std::fs::write(guide_dir.join("guide.yaml"), guide).unwrap();
    site
}

/// YAML counts a lone carriage return as a line break, `Sources` did not: a parse error after one
/// was reported at a line the file did not have (as `Sources` counted), and rendered without the
/// line it is in. Fixed in dbc1e03.
#[test]
fn a_lone_carriage_return_does_not_shift_diagnostics() {
    let site = site_with_guide("title: a\r\rb: c\n");
    let checked = guidegen::build::check(site.path());
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`b`"))
        .expect("an error for the unknown key `b`");
    let rendered = d.render(&checked.sources);
    assert!(rendered.contains("b: c"), "{rendered}");
}

// ---------------------------------------------------------------------------------------------------
// `guidegen i18n import` (src/i18n/).

/// `import` wrote a translation before validating it: one validation rejects (a control character
/// here; a text nested too deep did the same) left guide.yaml changed and the site invalid, though
/// the command failed. Fixed in dbc1e03.
#[test]
fn a_failed_import_leaves_the_guide_as_it_was() {
    let guide = "title: Åbn\nsteps:\n  - device: phone\n    action: Åbn appen\n";
    let site = site_with_guide(guide);
    let root = site.path();
    let guide_dir = root.join("guides/g");
    let po_file = root.join("en.po");
    std::fs::write(
        &po_file,
        "msgid \"\"\nmsgstr \"Language: en\\n\"\n\nmsgctxt \"g|title\"\nmsgid \"Åbn\"\nmsgstr \"Open\\033[31m\"\n",
    )
    .unwrap();
    let outcome = guidegen::i18n::import(&guidegen::i18n::ImportOptions {
        site_dir: root.to_path_buf(),
        files: vec![po_file],
        language: None,
    });
    let after = std::fs::read_to_string(guide_dir.join("guide.yaml")).unwrap();
    assert!(
        outcome.result.is_err(),
        "the translation is invalid:\n{after}"
    );
    assert_eq!(after, guide, "a failed import changed guide.yaml");
}

/// `import` checked a translation's characters, nesting and size before writing it, but not its
/// links: one with a link validation refuses was written, and the command then failed on the site
/// it left invalid. Fixed in e88d8ed.
#[test]
fn an_import_with_a_forbidden_link_leaves_the_guide_as_it_was() {
    let guide = "title: Åbn\nsteps:\n  - device: phone\n    action: Åbn appen\n";
    let site = site_with_guide(guide);
    let po_file = site.path().join("en.po");
    std::fs::write(
        &po_file,
        "msgid \"\"\nmsgstr \"Language: en\\n\"\n\nmsgctxt \"g|step.1.action\"\nmsgid \"Åbn appen\"\n\
         msgstr \"Open [the app](//evil.example)\"\n",
    )
    .unwrap();
    let outcome = guidegen::i18n::import(&guidegen::i18n::ImportOptions {
        site_dir: site.path().to_path_buf(),
        files: vec![po_file],
        language: None,
    });
    let after = std::fs::read_to_string(site.path().join("guides/g/guide.yaml")).unwrap();
    assert!(outcome.result.is_err(), "the link is forbidden:\n{after}");
    assert_eq!(after, guide, "a failed import changed guide.yaml");
}
