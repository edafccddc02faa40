//! The translation workflow, through the real binary: status, check warnings, fallbacks in HTML and PDF,
//! confirm, PO export and import, strict modes, a third language, and the omit setting.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/i18n-site");
const GUIDE: &str = "guides/demo/guide.yaml";

/// A copy of the fixture site in a temporary folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for entry in walkdir::WalkDir::new(FIXTURE) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(FIXTURE).unwrap();
        let to = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    (tmp, root)
}

/// [`site`] with German added to its languages, without a catalog for it.
fn site_with_german() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = site();
    edit(
        &root,
        "guidegen.yaml",
        "languages: [da, en]",
        "languages: [da, en, de]",
    );
    (tmp, root)
}

/// Runs guidegen in `dir` with a clean environment.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guidegen"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{from:?} not in {rel}");
    std::fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

fn status_json(root: &Path) -> serde_json::Value {
    let out = run(root, &["i18n", "status", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (translated, missing, outdated) of the demo guide in English.
fn counts(root: &Path) -> (u64, u64, u64) {
    let json = status_json(root);
    let l = &json["guides"][0]["languages"][0];
    (
        l["translated"].as_u64().unwrap(),
        l["missing"].as_u64().unwrap(),
        l["outdated"].as_u64().unwrap(),
    )
}

const EDITED_FROM: &str = "da: Åbn appen på telefonen.";
const EDITED_TO: &str = "da: Åbn appen Authenticator på telefonen.";

#[test]
fn the_fixture_is_fully_translated() {
    let (_tmp, root) = site();
    let out = run(&root, &["i18n", "status", "--strict"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(counts(&root), (9, 0, 0));
    let table = stdout(&out);
    let header = table.lines().next().unwrap();
    assert_eq!(
        header,
        "guide          language  translated  missing  outdated  total"
    );
    assert!(
        table.contains("demo           en                 9        0         0      9"),
        "{table}"
    );
    // The localized screenshot exists for Danish only: English is listed, as information.
    assert!(table.contains("demo (en): shots/login.svg"), "{table}");
}

#[test]
fn an_edited_source_keeps_its_translation_shown_and_reported_outdated_until_confirmed() {
    let (_tmp, root) = site();
    edit(&root, GUIDE, EDITED_FROM, EDITED_TO);

    // status: table and JSON, and --strict fails.
    let out = run(&root, &["i18n", "status"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("demo           en                 8        0         1      9"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(&format!("{GUIDE}:32:15: step.2.action (en) outdated")),
        "{}",
        stdout(&out)
    );
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 1);
    let json = status_json(&root);
    let item = &json["guides"][0]["languages"][0]["untranslated"][0];
    assert_eq!(
        (
            item["name"].as_str(),
            item["status"].as_str(),
            item["line"].as_u64()
        ),
        (Some("step.2.action"), Some("outdated"), Some(32))
    );
    assert_eq!(json["complete"], false);

    // check: a warning at the translation, naming the command.
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{GUIDE}:32:15: warning: `step.2.action` has an outdated `en` translation: the source text changed after it was translated; it is still shown"
        )),
        "{err}"
    );
    assert!(
        err.contains("guidegen i18n confirm --lang en --guide demo"),
        "{err}"
    );

    // HTML: the outdated English translation is still shown (no Danish mixed in), with no notice.
    let out = run(&root, &["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = Html::parse_document(&read(&root, "output/en/demo/index.html"));
    let step = Selector::parse("[data-step=\"2\"] .action").unwrap();
    let action = page.select(&step).next().expect("step 2's action");
    assert_eq!(action.value().attr("lang"), None);
    let shown = action.text().collect::<String>();
    assert!(shown.contains("Open the app on your phone."), "{shown}");
    let notice = Selector::parse("[data-fallback-notice]").unwrap();
    assert!(page.select(&notice).next().is_none());

    // With `translation: {outdated: fallback}`: the Danish text, marked, and the notice.
    let settings = read(&root, "guidegen.yaml");
    std::fs::write(
        root.join("guidegen.yaml"),
        format!("{settings}translation: {{outdated: fallback}}\n"),
    )
    .unwrap();
    let out = run(&root, &["build"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = Html::parse_document(&read(&root, "output/en/demo/index.html"));
    let action = page.select(&step).next().expect("step 2's action");
    assert_eq!(action.value().attr("lang"), Some("da"));
    assert!(
        action
            .text()
            .collect::<String>()
            .contains("Åbn appen Authenticator")
    );
    let notice = page.select(&notice).next().expect("the fallback notice");
    assert!(
        notice
            .text()
            .collect::<String>()
            .contains("Parts of this guide are not yet translated, and are shown in Danish")
    );
    // The other steps are in English, unmarked.
    let first = page
        .select(&Selector::parse("[data-step=\"1\"] .action").unwrap())
        .next()
        .unwrap();
    assert_eq!(first.value().attr("lang"), None);

    // PDF: the notice too.
    let pdf = lopdf::Document::load(root.join("output/en/demo/demo-en.pdf")).unwrap();
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf
        .extract_text(&pages)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("not yet translated, and are shown in Danish"),
        "{text}"
    );
    let out = run(&root, &["check"]);
    assert!(
        stderr(&out).contains("the source text is shown in its place"),
        "{}",
        stderr(&out)
    );
    std::fs::write(root.join("guidegen.yaml"), settings).unwrap();

    // PO export: fuzzy.
    let out = run(&root, &["i18n", "export"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let po = read(&root, "translations/en/demo.po");
    assert!(po.contains("#, fuzzy\nmsgctxt \"demo|step.2.action\"\nmsgid \"Åbn appen Authenticator på telefonen.\"\nmsgstr \"Open the app on your phone.\"\n"), "{po}");

    // build --strict fails on the fallback.
    let out = run(&root, &["build", "--strict", "--format", "html"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`step.2.action` has an outdated `en` translation"),
        "{}",
        stderr(&out)
    );

    // confirm clears it, changing one line only.
    let before = read(&root, GUIDE);
    let out = run(
        &root,
        &["i18n", "confirm", "--lang", "en", "--guide", "demo"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("confirmed 1 translation in 1 file"),
        "{}",
        stdout(&out)
    );
    let after = read(&root, GUIDE);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0]
            .1
            .starts_with("          en: {text: Open the app on your phone., source: "),
        "{changed:?}"
    );
    assert_eq!(counts(&root), (9, 0, 0));
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 0);
    // A second confirm changes nothing.
    let out = run(&root, &["i18n", "confirm"]);
    assert!(
        stdout(&out).contains("confirmed 0 translations in 0 files"),
        "{}",
        stdout(&out)
    );
    assert_eq!(read(&root, GUIDE), after);
}

/// The guide's three steps, as written.
fn steps(text: &str) -> (String, Vec<String>) {
    let at = text.find("      - device: computer").unwrap();
    let (head, body) = text.split_at(at);
    let mut steps: Vec<String> = Vec::new();
    for line in body.split_inclusive('\n') {
        if line.starts_with("      - ") {
            steps.push(String::new());
        }
        steps.last_mut().unwrap().push_str(line);
    }
    (head.to_owned(), steps)
}

#[test]
fn reordering_steps_keeps_their_translations() {
    let (_tmp, root) = site();
    let (head, mut s) = steps(&read(&root, GUIDE));
    s.swap(1, 2);
    // The moved step must say its device now, the other one keeps it.
    s[1] = s[1].replacen(
        "      - action:",
        "      - device: phone\n        action:",
        1,
    );
    std::fs::write(root.join(GUIDE), format!("{head}{}", s.concat())).unwrap();
    assert_eq!(counts(&root), (9, 0, 0));
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 0);
}

const NEW_STEP: &str = "      - action: |\n          Luk appen, når du er færdig.\n";

#[test]
fn an_inserted_step_is_the_only_text_missing() {
    let (_tmp, root) = site();
    let text = read(&root, GUIDE);
    std::fs::write(root.join(GUIDE), format!("{text}\n{NEW_STEP}")).unwrap();
    assert_eq!(counts(&root), (9, 1, 0));
    let json = status_json(&root);
    let missing = &json["guides"][0]["languages"][0]["untranslated"];
    assert_eq!(missing.as_array().unwrap().len(), 1);
    assert_eq!(missing[0]["name"], "step.4.action");
    assert_eq!(missing[0]["status"], "missing");
    let out = run(&root, &["i18n", "status", "--strict"]);
    assert_eq!(code(&out), 1);
    let out = run(&root, &["check"]);
    assert!(
        stderr(&out).contains("warning: `step.4.action` has no `en` translation"),
        "{}",
        stderr(&out)
    );
}

/// Fills the msgstr of the entry with `ctxt`.
fn fill(po: &str, ctxt: &str, translation: &str) -> String {
    let at = po.find(&format!("msgctxt \"{ctxt}\"")).unwrap();
    let rest = &po[at..];
    let msgstr = rest.find("\nmsgstr \"\"").unwrap() + 1;
    let end = rest[msgstr..].find('\n').map_or(rest.len(), |i| msgstr + i);
    format!(
        "{}{}msgstr \"{translation}\"{}",
        &po[..at],
        &rest[..msgstr],
        &rest[end..]
    )
}

#[test]
fn a_po_round_trip_translates_a_new_step() {
    let (_tmp, root) = site();
    let text = read(&root, GUIDE);
    std::fs::write(root.join(GUIDE), format!("{text}\n{NEW_STEP}")).unwrap();
    let out = run(&root, &["i18n", "export", "--lang", "en"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let po = read(&root, "translations/en/demo.po");
    // Deterministic: a second export writes the same bytes.
    run(&root, &["i18n", "export", "--lang", "en"]);
    assert_eq!(read(&root, "translations/en/demo.po"), po);
    assert!(po.contains("\"Language: en\\n\""));
    assert!(po.contains("\"Content-Type: text/plain; charset=UTF-8\\n\""));
    assert!(po.contains("\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\""));
    assert!(po.contains("#. Step 4 (telefon), in section 1 “Kom i gang”: what the reader does (Markdown)\n#: guides/demo/guide.yaml:"), "{po}");
    assert!(po.contains("msgctxt \"demo|step.3.action\"\nmsgid \"Tryk på \\\"Godkend\\\".\"\nmsgstr \"Tap \\\"Approve\\\".\"\n"), "{po}");
    assert!(
        po.contains(
            "msgid \"\"\n\"Har du ikke appen, så hent den først.\\n\"\n\"Den er gratis.\\n\"\n"
        ),
        "{po}"
    );
    if Command::new("msgfmt").arg("--version").output().is_ok() {
        let check = Command::new("msgfmt")
            .args(["--check-format", "-o", "/dev/null"])
            .arg(root.join("translations/en/demo.po"))
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }

    let filled = fill(
        &po,
        "demo|step.4.action",
        "Close the app: you are \\\"done\\\" #1.\\n",
    );
    std::fs::write(root.join("translations/en/demo.po"), filled).unwrap();
    let out = run(&root, &["i18n", "import", "translations/en/demo.po"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "imported 1 translation (9 unchanged, 0 outdated) into 1 file; 0 entries skipped"
        ),
        "{}",
        stdout(&out)
    );
    let after = read(&root, GUIDE);
    let fp = guidegen::validate::fingerprint("Luk appen, når du er færdig.");
    let expected = format!(
        "      - action:\n          da: |\n            Luk appen, når du er færdig.\n          en:\n            source: {fp}\n            text: |\n              Close the app: you are \"done\" #1.\n"
    );
    assert!(after.ends_with(&expected), "{after}");
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 0);
    let out = run(&root, &["build", "--format", "html", "--strict"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = Html::parse_document(&read(&root, "output/en/demo/index.html"));
    let step = page
        .select(&Selector::parse("[data-step=\"4\"] .action").unwrap())
        .next()
        .unwrap();
    assert!(
        step.text()
            .collect::<String>()
            .contains("Close the app: you are \"done\" #1.")
    );
    assert_eq!(step.value().attr("lang"), None);
}

#[test]
fn import_reports_entries_it_cannot_use_and_moves_translations_to_their_text() {
    let (_tmp, root) = site();
    let po = "msgid \"\"\nmsgstr \"\"\n\"Language: en\\n\"\n\n\
        #, fuzzy\nmsgctxt \"demo|title\"\nmsgid \"Log på med appen\"\nmsgstr \"Log in with the app\"\n\n\
        msgctxt \"demo|summary\"\nmsgid \"Sådan logger du på. Det tager **to minutter**.\\n\"\nmsgstr \"\"\n\n\
        msgctxt \"demo|step.1.result\"\nmsgid \"En tekst, der ikke findes mere\"\nmsgstr \"Gone\"\n\n\
        msgctxt \"demo|step.1.action\"\nmsgid \"Du er logget på.\"\nmsgstr \"You are now signed in.\"\n";
    std::fs::write(root.join("en.po"), po).unwrap();
    let out = run(&root, &["i18n", "import", ".", "en.po"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("en.po:5:1: warning: `title` is marked fuzzy; skipped"),
        "{err}"
    );
    assert!(
        err.contains("en.po:10:1: warning: `summary` is not translated yet; skipped"),
        "{err}"
    );
    assert!(err.contains("en.po:14:1: warning: `step.1.result` is no longer in the guide `demo`, and nor is its source text"), "{err}");
    assert!(
        stdout(&out).contains(
            "imported 1 translation (0 unchanged, 0 outdated) into 1 file; 3 entries skipped"
        ),
        "{}",
        stdout(&out)
    );
    // The last entry's context is stale, but its source text is step 3's result.
    assert!(read(&root, GUIDE).contains("          en: {text: You are now signed in., source: "));
    assert_eq!(counts(&root), (9, 0, 0));
}

#[test]
fn a_broken_po_file_is_a_located_error_and_changes_nothing() {
    let (_tmp, root) = site();
    let before = read(&root, GUIDE);
    std::fs::write(root.join("bad.po"), "msgid \"\"\nmsgstr \"Language: en\\n\"\n\nmsgctxt \"demo|title\"\nmsgid \"Log på med appen\"\nmsgstr \"Sign in\n").unwrap();
    let out = run(&root, &["i18n", "import", "bad.po"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out)
            .contains("bad.po:6:8: error: this is not a valid PO file: the string is not closed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&root, GUIDE), before);
    // A language that is not the site's is refused too.
    std::fs::write(
        root.join("de.po"),
        "msgid \"\"\nmsgstr \"Language: de\\n\"\n",
    )
    .unwrap();
    let out = run(&root, &["i18n", "import", "de.po"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("de.po:1:1: error: the file is in `de`"),
        "{}",
        stderr(&out)
    );
    // Bad usage is exit code 2.
    assert_eq!(code(&run(&root, &["i18n", "export", "--lang", "da"])), 2);
    assert_eq!(
        code(&run(&root, &["i18n", "confirm", "--guide", "nope"])),
        2
    );
    assert_eq!(code(&run(&root, &["i18n", "status", "--format", "xml"])), 2);
}

#[test]
fn a_plain_source_string_becomes_a_language_map_on_import() {
    let (_tmp, root) = site();
    let text = read(&root, GUIDE);
    std::fs::write(
        root.join(GUIDE),
        format!("{text}\n      - action: Luk appen.  # til sidst\n"),
    )
    .unwrap();
    run(&root, &["i18n", "export"]);
    let po = fill(
        &read(&root, "translations/en/demo.po"),
        "demo|step.4.action",
        "Close the app.",
    );
    std::fs::write(root.join("translations/en/demo.po"), po).unwrap();
    let out = run(&root, &["i18n", "import", ".", "translations/en/demo.po"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = read(&root, GUIDE);
    let fp = guidegen::validate::fingerprint("Luk appen.");
    assert!(after.ends_with(&format!("      - action:\n          da: Luk appen.\n          en: {{text: Close the app., source: {fp}}}  # til sidst\n")), "{after}");
    assert_eq!(after[..text.len()], text);
    assert_eq!(counts(&root), (10, 0, 0));
}

#[test]
fn a_third_language_builds_with_its_catalog_and_a_missing_string_is_named_and_shown_in_english() {
    let (_tmp, root) = site_with_german();
    std::fs::create_dir_all(root.join("locales")).unwrap();
    let en = include_str!("../src/locales/en.yaml").replace("name: English", "name: Deutsch");
    std::fs::write(root.join("locales/de.yaml"), &en).unwrap();
    let out = run(&root, &["build", "--format", "html"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(root.join("output/de/demo/index.html").exists());
    // German is untranslated: status says so, per language.
    let json = status_json(&root);
    assert_eq!(json["guides"][0]["languages"][1]["language"], "de");
    assert_eq!(json["guides"][0]["languages"][1]["missing"], 9);
    let out = run(&root, &["i18n", "status", "--lang", "en", "--strict"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // A catalog without one of the strings (one a newer guidegen added, say) still builds: the
    // string is shown in English, and a warning names it.
    let without: String = en
        .lines()
        .filter(|l| !l.contains("guide.tip:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.join("locales/de.yaml"), without).unwrap();
    let out = run(&root, &["build", "--format", "html"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let warning = stderr(&out);
    assert!(
        warning.contains("warning") && warning.contains("`guide.tip`"),
        "{warning}"
    );
}

#[test]
fn omit_leaves_an_incomplete_guide_out_of_the_language() {
    let (_tmp, root) = site();
    let text = read(&root, "guidegen.yaml");
    std::fs::write(
        root.join("guidegen.yaml"),
        format!("{text}translation: {{incomplete: omit}}\n"),
    )
    .unwrap();
    let guide = read(&root, GUIDE);
    std::fs::write(root.join(GUIDE), format!("{guide}\n{NEW_STEP}")).unwrap();
    let out = run(&root, &["build", "--format", "html"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(root.join("output/da/demo/index.html").exists());
    assert!(!root.join("output/en/demo").exists());
    let index = Html::parse_document(&read(&root, "output/en/index.html"));
    let links: Vec<String> = index
        .select(&Selector::parse("a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!links.iter().any(|l| l.contains("demo")), "{links:?}");
}

#[test]
fn the_example_site_is_fully_translated_and_pinned() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(root, &["i18n", "status", "--strict", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for total in json["totals"].as_array().unwrap() {
        assert_eq!(total["unpinned"], 0, "{total}");
    }
}

/// A guide that sets every translatable field once, in Danish only.
const EVERY_FIELD: &str = "\
title: Hver tekst
summary: Et resumé.
sections:
  - title: Første del
    intro: En indledning.
    steps:
      - device: computer
        action: Gør noget.
        screenshot: {src: shots/login.svg, alt: Et billede}
        result: Det virkede.
        note: En note.
        tip: Et tip.
        warning: En advarsel.
";

/// The slots of `EVERY_FIELD`, in reading order, and each one's Danish text.
const EVERY_SLOT: [(&str, &str); 10] = [
    ("title", "Hver tekst"),
    ("summary", "Et resumé."),
    ("section.1.title", "Første del"),
    ("section.1.intro", "En indledning."),
    ("step.1.action", "Gør noget."),
    ("step.1.alt", "Et billede"),
    ("step.1.result", "Det virkede."),
    ("step.1.note", "En note."),
    ("step.1.tip", "Et tip."),
    ("step.1.warning", "En advarsel."),
];

const EVERY: &str = "guides/every/guide.yaml";

/// The fixture site with the `every` guide beside the demo.
fn site_with_every_field() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = site();
    let dir = root.join("guides/every");
    std::fs::create_dir_all(dir.join("shots")).unwrap();
    std::fs::copy(
        root.join("guides/demo/shots/login.svg"),
        dir.join("shots/login.svg"),
    )
    .unwrap();
    std::fs::write(root.join(EVERY), EVERY_FIELD).unwrap();
    (tmp, root)
}

/// One text of a guide: its slot, its source, and its English translation with whether it is current.
type TextState = (String, String, Option<(String, bool)>);

/// Each text of the `every` guide.
fn every_texts(root: &Path) -> Vec<TextState> {
    let site = guidegen::build::check(root).site.expect("a valid site");
    let guide = site.guides.iter().find(|g| g.id == "every").unwrap();
    guide
        .slots()
        .into_iter()
        .map(|(slot, text)| {
            let en = text.translations.get("en").map(|t| {
                let current = t.state == guidegen::model::TranslationState::Current;
                (t.text.clone(), current)
            });
            (slot.to_string(), text.source.clone(), en)
        })
        .collect()
}

#[test]
fn every_field_round_trips_through_po_export_import_and_confirm() {
    let (_tmp, root) = site_with_every_field();
    let untranslated: Vec<TextState> = EVERY_SLOT
        .iter()
        .map(|(slot, da)| (slot.to_string(), da.to_string(), None))
        .collect();
    assert_eq!(every_texts(&root), untranslated);

    // Export: one entry per text, named by its slot, in reading order, described for translators.
    let out = run(&root, &["i18n", "export", "--lang", "en"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let po = read(&root, "translations/en/every.po");
    let mut catalog = guidegen::i18n::po::parse(&po).unwrap();
    let contexts: Vec<String> = catalog
        .entries
        .iter()
        .map(|e| format!("{}={}", e.msgctxt.as_deref().unwrap(), e.msgid))
        .collect();
    let expected: Vec<String> = EVERY_SLOT
        .iter()
        .map(|(slot, da)| format!("every|{slot}={da}"))
        .collect();
    assert_eq!(contexts, expected);
    assert!(po.contains("#. Step 1 (computer), in section 1 “Første del”: the screenshot's alt text: what the picture shows\n"), "{po}");
    assert!(
        po.contains("#. Step 1 (computer), in section 1 “Første del”: a warning (Markdown)\n"),
        "{po}"
    );

    // Import: every translation into its own text, pinned to its source.
    for entry in &mut catalog.entries {
        let slot = entry.msgctxt.as_deref().unwrap().split_once('|').unwrap().1;
        entry.msgstr = format!("EN {slot}");
    }
    std::fs::write(root.join("translations/en/every.po"), catalog.write()).unwrap();
    let out = run(&root, &["i18n", "import", "translations/en/every.po"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "imported 10 translations (0 unchanged, 0 outdated) into 1 file; 0 entries skipped"
        ),
        "{}",
        stdout(&out)
    );
    let translated: Vec<TextState> = EVERY_SLOT
        .iter()
        .map(|(slot, da)| {
            (
                slot.to_string(),
                da.to_string(),
                Some((format!("EN {slot}"), true)),
            )
        })
        .collect();
    assert_eq!(every_texts(&root), translated);
    let out = run(&root, &["i18n", "import", "translations/en/every.po"]);
    assert!(
        stdout(&out).contains("imported 0 translations (10 unchanged, 0 outdated) into 0 files"),
        "{}",
        stdout(&out)
    );
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 0);

    // Every source edited: every translation is outdated, and confirm pins each again.
    for (_, da) in EVERY_SLOT {
        edit(&root, EVERY, da, &format!("{da} Nu"));
    }
    let outdated = every_texts(&root);
    assert!(
        outdated
            .iter()
            .all(|(_, _, en)| en.as_ref().is_some_and(|(_, current)| !current))
    );
    let out = run(&root, &["i18n", "confirm", "--guide", "every"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("confirmed 10 translations in 1 file"),
        "{}",
        stdout(&out)
    );
    let confirmed: Vec<TextState> = EVERY_SLOT
        .iter()
        .map(|(slot, da)| {
            (
                slot.to_string(),
                format!("{da} Nu"),
                Some((format!("EN {slot}"), true)),
            )
        })
        .collect();
    assert_eq!(every_texts(&root), confirmed);
    assert_eq!(code(&run(&root, &["i18n", "status", "--strict"])), 0);
}

#[test]
fn status_and_check_name_and_place_each_fallback_alike() {
    let (_tmp, root) = site_with_every_field();
    // The demo's step 2 outdated; every text of `every` missing.
    edit(&root, GUIDE, EDITED_FROM, EDITED_TO);
    let json = status_json(&root);
    // Per (file, missing or outdated), in reading order: (`path:line:column`, name) of each text.
    type Texts = Vec<(String, String)>;
    let mut groups: Vec<((String, bool), Texts)> = Vec::new();
    for guide in json["guides"].as_array().unwrap() {
        for item in guide["languages"][0]["untranslated"].as_array().unwrap() {
            let place = format!(
                "{}:{}:{}",
                item["path"].as_str().unwrap(),
                item["line"],
                item["column"]
            );
            let key = (
                item["path"].as_str().unwrap().to_owned(),
                item["status"] == "missing",
            );
            let text = (place, item["name"].as_str().unwrap().to_owned());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, texts)) => texts.push(text),
                None => groups.push((key, vec![text])),
            }
        }
    }
    assert_eq!(groups.iter().map(|(_, t)| t.len()).sum::<usize>(), 11);
    // `check` says each of a file's few, and of its many the first, counting the others.
    let mut expected: Vec<String> = Vec::new();
    for ((_, missing), texts) in &groups {
        let what = if *missing { "no" } else { "an outdated" };
        if texts.len() <= 3 {
            let each = texts.iter().map(|(place, name)| {
                format!("{place}: warning: `{name}` has {what} `en` translation")
            });
            expected.extend(each);
        } else {
            let (place, name) = &texts[0];
            let many = if *missing {
                "have no `en` translation"
            } else {
                "have outdated `en` translations"
            };
            let others = texts.len() - 1;
            expected.push(format!(
                "{place}: warning: `{name}` and {others} other texts {many}"
            ));
        }
    }
    assert!(
        groups.iter().any(|(_, t)| t.len() > 3) && groups.iter().any(|(_, t)| t.len() <= 3),
        "the site has a file of few and a file of many untranslated texts: {groups:?}"
    );
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    let from_check: Vec<&str> = err.lines().filter(|l| l.contains(": warning: `")).collect();
    for line in &expected {
        assert!(
            from_check.iter().any(|c| c.starts_with(line.as_str())),
            "{line}\n{from_check:#?}"
        );
    }
    assert_eq!(from_check.len(), expected.len(), "{from_check:#?}");
}

#[test]
fn a_third_language_starts_from_i18n_strings_and_shows_each_string_once_translated() {
    let (_tmp, root) = site_with_german();
    // Without a catalog: an error whose hint is the command.
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("run `guidegen i18n strings de`"),
        "{}",
        stderr(&out)
    );

    let out = run(&root, &["i18n", "strings", "de"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("locales/de.yaml with"),
        "{}",
        stdout(&out)
    );
    // Every string is still to translate: a warning names them, the site builds.
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let required = guidegen::catalog::Catalog::required_keys().len();
    assert!(
        stderr(&out).contains(&format!("{required} interface strings are missing")),
        "{}",
        stderr(&out)
    );
    // No guide has a German text yet: one warning per file says so, not one per text.
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    let per_file: Vec<&&str> = warnings
        .iter()
        .filter(|l| l.contains("other texts have no `de` translation"))
        .collect();
    assert!(!per_file.is_empty(), "{warnings:#?}");
    let files: std::collections::BTreeSet<&str> = warnings
        .iter()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(warnings.len(), files.len(), "{warnings:#?}");

    edit(&root, "locales/de.yaml", "name: de ", "name: Deutsch ");
    edit(
        &root,
        "locales/de.yaml",
        "  # guide.all_guides: All guides",
        "  guide.all_guides: Alle Anleitungen",
    );
    let out = run(&root, &["build", "--format", "html"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{} interface strings are missing", required - 1)),
        "{}",
        stderr(&out)
    );
    let page = Html::parse_document(&read(&root, "output/de/demo/index.html"));
    let crumb = Selector::parse("nav.breadcrumb a").unwrap();
    let crumb: String = page.select(&crumb).next().unwrap().text().collect();
    assert_eq!(crumb, "Alle Anleitungen");
    let index = Html::parse_document(&read(&root, "output/index.html"));
    let german = Selector::parse("[lang=de]").unwrap();
    assert!(
        index
            .select(&german)
            .any(|e| e.text().collect::<String>().contains("Deutsch"))
    );
}
