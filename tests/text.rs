//! What authors put in text and around it: a guide's "last updated" date (from `updated:` or from
//! git, never the build's time) and the site's support block, in the page and the PDF.

mod common;

use std::path::Path;
use std::process::Command;

use common::{parse_html, run, sel};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const SETTINGS: &str = "\
title: {en: Guides, da: Vejledninger}
languages: [en, da]
";

const SUPPORT: &str = "\
support:
  text: {en: \"Write to **IT support**.\", da: \"Skriv til **IT-support**.\"}
  email: it@example.dk
  phone: +45 12 34 56 78
  hours: {en: Monday–Friday 8–15, da: Mandag–fredag 8–15}
";

fn guide(updated: Option<&str>) -> String {
    let updated = updated
        .map(|d| format!("updated: {d}\n"))
        .unwrap_or_default();
    format!(
        "title: {{en: Hello, da: Hej}}\n{updated}steps:\n  - device: computer\n    action: {{en: Open the page., da: Åbn siden.}}\n"
    )
}

/// A site of two guides, `a` and `b`, in a fresh temporary folder.
fn site(settings: &str, a: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("guidegen.yaml"), settings);
    write(&dir.path().join("guides/a/guide.yaml"), &guide(a));
    write(&dir.path().join("guides/b/guide.yaml"), &guide(None));
    dir
}

fn build(dir: &Path) {
    run(&[&"build", &dir, &"--quiet"]).expect_code(0);
}

/// The `data-updated` date of a guide's page, and the text of its "last updated" line.
fn updated(dir: &Path, lang: &str, id: &str) -> Option<(String, String)> {
    let page = parse_html(&dir.join(format!("output/{lang}/{id}/index.html")));
    let found = page.select(&sel("[data-updated]")).next()?;
    let date = found.value().attr("data-updated").unwrap().to_owned();
    let time = found.select(&sel("time")).next().unwrap();
    assert_eq!(time.value().attr("datetime"), Some(date.as_str()));
    Some((date, found.text().collect::<String>()))
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.dk"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn updated_dates_come_from_the_guide_in_each_language_and_stay_put() {
    let dir = site(SETTINGS, Some("2026-11-30"));
    build(dir.path());
    let (date, en) = updated(dir.path(), "en", "a").expect("a has a date");
    assert_eq!(date, "2026-11-30");
    assert_eq!(en, "Last updated 30 November 2026");
    let (_, da) = updated(dir.path(), "da", "a").unwrap();
    assert_eq!(da, "Senest opdateret 30. november 2026");
    // Outside git and without `updated:`, nothing says: no date at all, never the build's.
    assert_eq!(updated(dir.path(), "en", "b"), None);
    assert!(
        pdf_text(&dir.path().join("output/da/a/a-da.pdf"))
            .contains("Senest opdateret 30. november 2026")
    );
    assert!(!pdf_text(&dir.path().join("output/en/b/b-en.pdf")).contains("Last updated"));

    let first = common::snapshot(&dir.path().join("output"));
    build(dir.path());
    common::assert_same_tree(
        &first,
        &common::snapshot(&dir.path().join("output")),
        "a rebuild",
    );
}

#[test]
fn a_wrong_date_is_an_error_at_its_place() {
    let dir = site(SETTINGS, Some("2026-02-30"));
    let run = common::run_in(dir.path(), &[&"check"]);
    run.expect_code(1);
    run.expect_error(
        "guides/a/guide.yaml:2:10",
        "`2026-02-30` is not a date",
        Some("write the date as year-month-day, such as `updated: 2026-11-30`"),
    );
}

#[test]
fn without_updated_the_date_is_the_last_commit_that_changed_the_guide_s_folder() {
    let dir = site(SETTINGS, None);
    let root = dir.path();
    git(root, &["init", "-q"], "2026-01-02T10:00:00Z");
    git(root, &["add", "."], "2026-01-02T10:00:00Z");
    git(
        root,
        &["commit", "-q", "-m", "first"],
        "2026-01-02T10:00:00Z",
    );
    write(&root.join("guides/b/notes.txt"), "a change of b only\n");
    git(root, &["add", "."], "2026-03-04T23:30:00Z");
    git(
        root,
        &["commit", "-q", "-m", "second"],
        "2026-03-04T23:30:00Z",
    );
    build(root);
    let a = updated(root, "en", "a").expect("a has its commit's date");
    let b = updated(root, "da", "b").expect("b has its commit's date");
    assert_eq!(
        a,
        ("2026-01-02".into(), "Last updated 2 January 2026".into())
    );
    assert_eq!(
        b,
        ("2026-03-04".into(), "Senest opdateret 4. marts 2026".into())
    );
    assert!(pdf_text(&root.join("output/en/a/a-en.pdf")).contains("Last updated 2 January 2026"));

    // A rebuild without a new commit is the same, byte for byte.
    let first = common::snapshot(&root.join("output"));
    build(root);
    common::assert_same_tree(&first, &common::snapshot(&root.join("output")), "a rebuild");

    // A commit that changes no file of `a`'s output still changes the date shown: `a` is rendered
    // again, not taken over from the previous build.
    write(&root.join("guides/a/notes.txt"), "later\n");
    git(root, &["add", "."], "2026-05-06T08:00:00Z");
    git(
        root,
        &["commit", "-q", "-m", "third"],
        "2026-05-06T08:00:00Z",
    );
    build(root);
    assert_eq!(updated(root, "en", "a").unwrap().0, "2026-05-06");
    assert_eq!(updated(root, "en", "b").unwrap().0, "2026-03-04");

    // `updated:` wins over git.
    write(
        &root.join("guides/b/guide.yaml"),
        &guide(Some("2025-12-24")),
    );
    build(root);
    assert_eq!(updated(root, "en", "b").unwrap().0, "2025-12-24");
}

#[test]
fn the_support_block_ends_every_guide_with_links_that_work() {
    let dir = site(&format!("{SETTINGS}{SUPPORT}"), None);
    build(dir.path());
    for (lang, heading, text) in [
        ("en", "Still stuck?", "Write to IT support."),
        ("da", "Sidder du stadig fast?", "Skriv til IT-support."),
    ] {
        for id in ["a", "b"] {
            let page = parse_html(&dir.path().join(format!("output/{lang}/{id}/index.html")));
            let block = page
                .select(&sel("[data-support]"))
                .next()
                .expect("a support block");
            let h2: String = block.select(&sel("h2")).next().unwrap().text().collect();
            assert_eq!(h2, heading);
            let words: String = block
                .select(&sel(".support-text"))
                .next()
                .unwrap()
                .text()
                .collect();
            assert_eq!(words.trim(), text);
            let href = |kind: &str| {
                block
                    .select(&sel(&format!("[data-support-item={kind}] a")))
                    .next()
                    .and_then(|a| a.value().attr("href").map(str::to_owned))
            };
            assert_eq!(href("email").as_deref(), Some("mailto:it@example.dk"));
            assert_eq!(href("phone").as_deref(), Some("tel:+4512345678"));
            assert!(
                block
                    .select(&sel("[data-support-item=hours]"))
                    .next()
                    .is_some()
            );
            assert!(
                block
                    .select(&sel("[data-support-item=address]"))
                    .next()
                    .is_none()
            );
            // It is the last thing of the guide.
            let last_step = page.select(&sel("[data-step]")).next_back().unwrap();
            assert!(last_step.id() < block.id());
        }
    }
    let da = pdf_text(&dir.path().join("output/da/a/a-da.pdf"));
    for expected in [
        "Sidder du stadig fast?",
        "Skriv til IT-support.",
        "it@example.dk",
        "+45 12 34 56 78",
        "Mandag–fredag 8–15",
    ] {
        assert!(da.contains(expected), "{expected} in {da}");
    }
}

#[test]
fn support_without_a_reachable_address_is_an_error() {
    let settings = format!("{SETTINGS}support:\n  email: mailto:it@example.dk\n  phone: call us\n");
    let dir = site(&settings, None);
    let run = common::run_in(dir.path(), &[&"check"]);
    run.expect_code(1);
    run.expect_error(
        "guidegen.yaml:4:10",
        "`mailto:it@example.dk` is not an e-mail address",
        Some("write the address alone, such as `it@dmjx.dk` (guidegen adds `mailto:`)"),
    );
    run.expect_error(
        "guidegen.yaml:5:10",
        "`call us` is not a phone number",
        Some("write digits, spaces and `+ - ( ) .` only, such as `+45 33 39 10 00`"),
    );
}

/// A PNG of `width` × `height` pixels, one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 40]));
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    bytes
}

fn images_in_pdf(path: &Path) -> usize {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(path)
        .output()
        .expect("pdfimages runs");
    // Two header lines, then one line per image.
    String::from_utf8_lossy(&out.stdout).lines().skip(2).count()
}

#[test]
fn keys_addresses_images_and_tables_in_text_reach_page_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("guidegen.yaml"), "languages: [en]\n");
    std::fs::create_dir_all(root.join("guides/keys/shots")).unwrap();
    std::fs::write(root.join("guides/keys/shots/wide.png"), png(1600, 200)).unwrap();
    write(
        &root.join("guides/keys/guide.yaml"),
        "title: Keys\nsteps:\n  - device: computer\n    action: |\n      Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, not <kbd onclick=x>X</kbd>; see https://aka.ms/mfasetup.\n    note: |\n      It looks like this:\n\n      ![A wide red bar.](shots/wide.png)\n\n      | Key | Does |\n      |---|:-:|\n      | <kbd>Esc</kbd> | closes |\n",
    );
    build(root);
    let page = parse_html(&root.join("output/en/keys/index.html"));
    let action = page.select(&sel(".action")).next().unwrap();
    let keys: Vec<String> = action
        .select(&sel("kbd"))
        .map(|k| k.text().collect())
        .collect();
    assert_eq!(keys, ["Ctrl", "C"]);
    assert!(
        action
            .text()
            .collect::<String>()
            .contains("<kbd onclick=x>X</kbd>")
    );
    assert!(action.select(&sel("[onclick]")).next().is_none());
    let link = action.select(&sel("a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("https://aka.ms/mfasetup"));
    let note = page.select(&sel(".callout-note")).next().unwrap();
    let img = note
        .select(&sel("img"))
        .next()
        .expect("the image in the note");
    assert_eq!(img.value().attr("src"), Some("shots/wide.png"));
    assert!(root.join("output/en/keys/shots/wide.png").is_file());
    let centred = note.select(&sel("td[style*=center]")).count();
    assert_eq!(centred, 1);
    assert_eq!(note.select(&sel("td kbd")).count(), 1);

    let pdf = root.join("output/en/keys/keys-en.pdf");
    assert_eq!(images_in_pdf(&pdf), 1, "the note's image is drawn");
    let text = pdf_text(&pdf);
    // Each key is a framed box of its own: the text layer spaces them apart.
    assert!(
        text.contains("Press Ctrl + C , not <kbd onclick=x>X</kbd>"),
        "{text}"
    );
    assert!(text.contains("https://aka.ms/mfasetup"), "{text}");
    assert!(
        !text.contains("A wide red bar"),
        "the alt text is not printed in the image's place"
    );
}

#[test]
fn an_image_in_a_text_that_is_no_image_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("guidegen.yaml"), "languages: [en]\n");
    write(&root.join("guides/keys/shots/broken.png"), "not a png");
    write(
        &root.join("guides/keys/guide.yaml"),
        "title: Keys\nsteps:\n  - device: computer\n    action: Go.\n    tip: \"See ![it](shots/broken.png)\"\n",
    );
    let run = common::run_in(root, &[&"check"]);
    run.expect_code(1);
    run.expect_error(
        "guides/keys/guide.yaml:5:21",
        "`shots/broken.png` is not a valid PNG image",
        None,
    );
}

#[test]
fn a_key_written_with_attributes_is_shown_as_text_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("guidegen.yaml"), "languages: [en]\n");
    write(
        &root.join("guides/keys/guide.yaml"),
        "title: Keys\nsteps:\n  - device: computer\n    action: \"Press <kbd class=big>Esc</kbd> or <b>Enter</b>.\"\n",
    );
    let run = common::run_in(root, &[&"check"]);
    run.expect_code(0);
    let warnings = common::diagnostics(&run.stderr, "warning");
    let found: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.location.as_str(), w.message.as_str()))
        .collect();
    // The key's two tags; `<b>` is plainly text, and not a key.
    assert_eq!(
        found,
        [
            (
                "guides/keys/guide.yaml:4:20",
                "`<kbd class=big>` is shown as text"
            ),
            ("guides/keys/guide.yaml:4:38", "`</kbd>` is shown as text"),
        ]
    );
}

#[test]
fn support_texts_go_to_translators_and_come_back() {
    let settings = "title: {en: Guides, da: Vejledninger}\nlanguages: [en, da]\nsupport:\n  text: Write to IT support.\n  email: it@example.dk\n  hours:\n    en: Monday–Friday 8–15\n";
    let dir = site(settings, None);
    let root = dir.path();
    common::run_in(root, &[&"i18n", &"export", &"--lang", &"da"]).expect_code(0);
    let po_path = root.join("translations/da/_site.po");
    let po = std::fs::read_to_string(&po_path).unwrap();
    assert!(
        po.contains("msgctxt \"_site|support.text\"\nmsgid \"Write to IT support.\""),
        "{po}"
    );
    assert!(po.contains("msgctxt \"_site|support.hours\""), "{po}");
    let translated = po
        .replace(
            "msgid \"Write to IT support.\"\nmsgstr \"\"",
            "msgid \"Write to IT support.\"\nmsgstr \"Skriv til IT-support.\"",
        )
        .replace(
            "msgid \"Monday–Friday 8–15\"\nmsgstr \"\"",
            "msgid \"Monday–Friday 8–15\"\nmsgstr \"Mandag–fredag 8–15\"",
        );
    std::fs::write(&po_path, translated).unwrap();
    common::run_in(root, &[&"i18n", &"import", &po_path]).expect_code(0);
    build(root);
    let page = parse_html(&root.join("output/da/a/index.html"));
    let block: String = page
        .select(&sel("[data-support]"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(block.contains("Skriv til IT-support."), "{block}");
    assert!(block.contains("Mandag–fredag 8–15"), "{block}");
}
