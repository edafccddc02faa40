//! Translations are never silently lost, through the real binary: outdated translations stay shown,
//! hand-written ones are brought under tracking, PO files carry the previous source text and come back
//! without dropping anything, and pages name languages and mark them as readers need.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const GUIDE: &str = "guides/demo/guide.yaml";

/// A Danish site translated into English by hand: both languages written, no fingerprints.
const HAND_WRITTEN: &str = "\
title: {da: Log på, en: Sign in}
steps:
  - device: computer
    action: {da: Åbn siden., en: Open the page.}
    screenshot: {src: shots/login.svg, alt: {da: Logonsiden, en: The sign-in page}}
  - device: phone
    action: {da: Åbn appen på telefonen., en: Open the app on your phone.}
    app: authenticator
";

const SETTINGS: &str = "\
title: {da: IT-vejledninger, en: IT guides}
languages: [da, en]
organization: DMJX
apps:
  authenticator:
    name: Microsoft Authenticator
    app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458
";

/// A site in a temporary folder with `settings` and the demo guide `guide`.
fn site(settings: &str, guide: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("guides/demo/shots")).unwrap();
    std::fs::write(root.join("guidegen.yaml"), settings).unwrap();
    std::fs::write(root.join(GUIDE), guide).unwrap();
    std::fs::copy(
        fixture("i18n-site").join("guides/demo/shots/login.svg"),
        root.join("guides/demo/shots/login.svg"),
    )
    .unwrap();
    (tmp, root)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{from:?} not in {rel}:\n{text}");
    std::fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

fn info_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("info:")).collect()
}

#[test]
fn hand_written_translations_are_counted_once_and_tracked_in_one_command() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    // Four texts have an English translation without a fingerprint: one line says so.
    assert_eq!(
        info_lines(&check.stderr),
        [
            "info: 4 translations are untracked (written without the fingerprint of their source text, so a change of the source will not show them as outdated); `guidegen i18n track` records it"
        ],
        "{}",
        check.stderr
    );

    let track = run_in(&root, &[&"i18n", &"track"]);
    track.expect_code(0);
    assert!(
        track
            .stdout
            .contains("now tracking 4 translations in 1 file"),
        "{}",
        track.stdout
    );
    assert!(read(&root, GUIDE).contains("source: "));
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    assert!(info_lines(&check.stderr).is_empty(), "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);

    // Tracked: a changed source now shows its translation as outdated.
    edit(&root, GUIDE, "da: Åbn siden.", "da: Åbn intranettet.");
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    assert!(
        check.stderr.contains(&format!(
            "{GUIDE}:4:40: warning: `step.1.action` has an outdated `en` translation"
        )),
        "{}",
        check.stderr
    );
    // `track` leaves an outdated translation outdated (only `confirm` says it still fits).
    let track = run_in(&root, &[&"i18n", &"track"]);
    track.expect_code(0);
    assert!(
        track
            .stdout
            .contains("now tracking 0 translations in 0 files"),
        "{}",
        track.stdout
    );
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(1);
}

#[test]
fn an_outdated_translation_is_shown_and_reported_by_status_check_and_strict() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    run_in(&root, &[&"i18n", &"track"]).expect_code(0);
    // A typo fix in Danish: the English page keeps its English text.
    edit(
        &root,
        GUIDE,
        "da: Åbn appen på telefonen.",
        "da: Åbn appen på mobiltelefonen.",
    );
    let status = run_in(&root, &[&"i18n", &"status"]);
    status.expect_code(0);
    assert!(
        status
            .stdout
            .contains("demo          en                 3        0         1      4"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains(&format!("{GUIDE}:7:"))
            && status.stdout.contains("step.2.action (en) outdated"),
        "{}",
        status.stdout
    );
    let strict = run_in(&root, &[&"build", &"--strict", &"--format", &"html"]);
    strict.expect_code(1);
    assert!(
        strict
            .stderr
            .contains("error: `step.2.action` has an outdated `en` translation"),
        "{}",
        strict.stderr
    );
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    let page = parse_html(&root.join("output/en/demo/index.html"));
    let action = page
        .select(&sel("[data-step=\"2\"] .action"))
        .next()
        .expect("step 2's action");
    assert_eq!(
        action.text().collect::<String>().trim(),
        "Open the app on your phone."
    );
    assert_eq!(action.value().attr("lang"), None);
    assert!(page.select(&sel("[data-fallback-notice]")).next().is_none());
}

#[test]
fn status_lists_unlocalized_screenshots_only_when_asked_or_when_the_site_localizes_some() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    let listed = "demo (en): shots/login.svg";
    let status = run_in(&root, &[&"i18n", &"status"]);
    status.expect_code(0);
    assert!(!status.stdout.contains(listed), "{}", status.stdout);
    let verbose = run_in(&root, &[&"i18n", &"status", &"--verbose"]);
    verbose.expect_code(0);
    assert!(verbose.stdout.contains(listed), "{}", verbose.stdout);
    // Once one screenshot has a Danish version, every screenshot without an English one is listed.
    std::fs::copy(
        root.join("guides/demo/shots/login.svg"),
        root.join("guides/demo/shots/login.da.svg"),
    )
    .unwrap();
    let status = run_in(&root, &[&"i18n", &"status"]);
    assert!(status.stdout.contains(listed), "{}", status.stdout);
}
