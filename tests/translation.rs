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

/// The lines of information about translations (not, say, the one about `base_url`).
fn info_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("info:") && l.contains("translation"))
        .collect()
}

#[test]
fn hand_written_translations_are_counted_once_and_tracked_in_one_command() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    // Four texts of the guide and the site title have an English translation without a fingerprint:
    // one line says so.
    assert_eq!(
        info_lines(&check.stderr),
        [
            "info: 5 translations are untracked (written without the fingerprint of their source text, so a change of the source will not show them as outdated); `guidegen i18n track` records it"
        ],
        "{}",
        check.stderr
    );

    let track = run_in(&root, &[&"i18n", &"track"]);
    track.expect_code(0);
    assert!(
        track
            .stdout
            .contains("now tracking 5 translations in 2 files"),
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
            .contains("demo           en                 3        0         1      4"),
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
    let build = run_in(&root, &[&"build", &"--format", &"html"]);
    build.expect_code(0);
    assert!(
        build.stdout.contains(
            "note: 1 outdated translation is shown as written (the source text changed since)"
        ),
        "{}",
        build.stdout
    );
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

/// The demo guide with its second step's action written in the source language only.
fn with_untranslated_step(source: &str, other: &str) -> String {
    format!(
        "\
title: {{{source}: T-{source}, {other}: T-{other}}}
steps:
  - device: computer
    action: {{{source}: One-{source}, {other}: One-{other}}}
  - device: phone
    action: Two-{source}
    app: authenticator
"
    )
}

/// The notice of `page`: its sentence, and each item's text and link.
fn notice(page: &scraper::Html) -> Notice {
    let notice = page
        .select(&sel("[data-fallback-notice]"))
        .next()
        .expect("the fallback notice");
    let sentence = notice
        .select(&sel("p"))
        .next()
        .expect("its sentence")
        .text()
        .collect::<String>();
    let items = notice
        .select(&sel("li"))
        .map(|li| {
            let link = li.select(&sel("a")).next();
            (
                li.text().collect::<String>(),
                link.and_then(|a| a.value().attr("href")).map(str::to_owned),
            )
        })
        .collect();
    (sentence, items)
}

/// A fallback notice: its sentence, and each item's text and link.
type Notice = (String, Vec<(String, Option<String>)>);

/// The demo guide's page in `lang`, built as HTML, and its fallback notice.
fn built_notice(root: &Path, lang: &str) -> (scraper::Html, Notice) {
    run_in(root, &[&"build", &"--format", &"html"]).expect_code(0);
    let page = parse_html(&root.join(format!("output/{lang}/demo/index.html")));
    let notice = notice(&page);
    (page, notice)
}

#[test]
fn the_fallback_notice_names_the_language_in_the_page_language_and_links_its_steps() {
    // Danish source: the English page says "Danish".
    let (_tmp, root) = site(SETTINGS, &with_untranslated_step("da", "en"));
    let (page, (sentence, items)) = built_notice(&root, "en");
    assert_eq!(
        sentence,
        "Parts of this guide are not yet translated, and are shown in Danish:"
    );
    assert_eq!(items, [("step 2".to_owned(), Some("#step-2".to_owned()))]);
    // The link leads to the step.
    let target = page.select(&sel("#step-2")).next().expect("#step-2");
    assert_eq!(target.value().attr("data-step"), Some("2"));

    // English source: the Danish page says "engelsk".
    let settings = SETTINGS.replace("languages: [da, en]", "languages: [en, da]");
    let (_tmp, root) = site(&settings, &with_untranslated_step("en", "da"));
    let (_, (sentence, items)) = built_notice(&root, "da");
    assert_eq!(
        sentence,
        "Dele af vejledningen er endnu ikke oversat til dansk og vises på engelsk:"
    );
    assert_eq!(items, [("trin 2".to_owned(), Some("#step-2".to_owned()))]);

    // A German page whose catalog does not have the sentence yet: the English one is shown, and it
    // must not say the page is in English.
    let settings = SETTINGS
        .replace("languages: [da, en]", "languages: [da, de]")
        .replace("en: IT guides", "de: IT-Anleitungen");
    let (_tmp, root) = site(&settings, &with_untranslated_step("da", "de"));
    std::fs::create_dir_all(root.join("locales")).unwrap();
    std::fs::write(
        root.join("locales/de.yaml"),
        "name: Deutsch\nstrings:\n  guide.step_of: \"Schritt {n} von {total}\"\n",
    )
    .unwrap();
    let (_, (sentence, _)) = built_notice(&root, "de");
    assert_eq!(
        sentence,
        "Parts of this guide are not yet translated, and are shown in Dansk:"
    );
}

#[test]
fn language_neutral_names_carry_no_lang_of_another_language() {
    let (_tmp, root) = site(SETTINGS, &with_untranslated_step("da", "en"));
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    let page = parse_html(&root.join("output/en/demo/index.html"));
    // The organization and the app's name are written once, in no language.
    let org = page
        .select(&sel(".site-name .org"))
        .next()
        .expect("the organization");
    assert_eq!(org.text().collect::<String>(), "DMJX");
    assert_eq!(org.value().attr("lang"), None);
    let mut app_seen = false;
    for element in page.select(&sel("body *")) {
        let own: String = element
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        if own.contains("Microsoft Authenticator") {
            app_seen = true;
            let marked = element
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .chain([element])
                .find_map(|e| e.value().attr("lang"));
            assert_eq!(marked, Some("en"), "{}", element.html());
        }
    }
    assert!(app_seen, "the app's name is on the page");
    // The untranslated step itself is still marked Danish.
    let step = page
        .select(&sel("[data-step=\"2\"] .action"))
        .next()
        .expect("step 2's action");
    assert_eq!(step.value().attr("lang"), Some("da"));
}

/// `po` with the msgstr of the entry `ctxt` replaced by `translation`.
fn translate(po: &str, ctxt: &str, translation: &str) -> String {
    let at = po
        .find(&format!("msgctxt \"{ctxt}\""))
        .unwrap_or_else(|| panic!("{ctxt} in\n{po}"));
    let msgstr = at + po[at..].find("msgstr \"").expect("its msgstr");
    let end = msgstr + po[msgstr..].find('\n').expect("line end");
    format!("{}msgstr \"{translation}\"{}", &po[..msgstr], &po[end..])
}

#[test]
fn an_export_after_a_source_change_shows_the_previous_source_as_msgmerge_does() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    run_in(&root, &[&"i18n", &"track"]).expect_code(0);
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = "translations/en/demo.po";
    assert!(!read(&root, po).contains("#|"), "{}", read(&root, po));
    edit(
        &root,
        GUIDE,
        "da: Åbn appen på telefonen.",
        "da: Åbn appen Authenticator på telefonen.",
    );
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let entry = "#, fuzzy\n\
        #| msgid \"Åbn appen på telefonen.\"\n\
        msgctxt \"demo|step.2.action\"\n\
        msgid \"Åbn appen Authenticator på telefonen.\"\n\
        msgstr \"Open the app on your phone.\"\n";
    assert!(read(&root, po).contains(entry), "{}", read(&root, po));
    // The next export still knows it (from the `#|` line), and the file is the same.
    let before = read(&root, po);
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    assert_eq!(read(&root, po), before);
    // Only the outdated entry has one.
    assert_eq!(before.matches("#| msgid").count(), 1, "{before}");
}

#[test]
fn a_translation_made_before_a_source_change_is_imported_as_outdated_never_dropped() {
    let (_tmp, root) = site(SETTINGS, HAND_WRITTEN);
    run_in(&root, &[&"i18n", &"track"]).expect_code(0);
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = read(&root, "translations/en/demo.po");
    let translated = translate(&po, "demo|step.2.action", "Open the app on the phone.");
    std::fs::write(root.join("en.po"), translated).unwrap();
    // Meanwhile the author rewrites the Danish text.
    edit(
        &root,
        GUIDE,
        "da: Åbn appen på telefonen.",
        "da: Start appen på telefonen.",
    );
    let import = run_in(&root, &[&"i18n", &"import", &".", &"en.po"]);
    import.expect_code(0);
    assert!(
        import.stdout.contains(
            "imported 1 translation (3 unchanged, 1 outdated) into 1 file; 0 entries skipped"
        ),
        "{}",
        import.stdout
    );
    assert!(
        import.stderr.contains(
            "warning: `step.2.action`: its source text has changed since the export; the translation was imported as an outdated translation"
        ),
        "{}",
        import.stderr
    );
    // Written, pinned to the source it was made from: shown, and reported outdated.
    assert!(
        read(&root, GUIDE).contains("en: {text: Open the app on the phone., source: "),
        "{}",
        read(&root, GUIDE)
    );
    let status = run_in(&root, &[&"i18n", &"status"]);
    assert!(
        status.stdout.contains("step.2.action (en) outdated"),
        "{}",
        status.stdout
    );
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    let page = parse_html(&root.join("output/en/demo/index.html"));
    let action = page
        .select(&sel("[data-step=\"2\"] .action"))
        .next()
        .expect("step 2's action");
    assert_eq!(
        action.text().collect::<String>().trim(),
        "Open the app on the phone."
    );
    // The next export offers it fuzzy, with the source text it was made from.
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = read(&root, "translations/en/demo.po");
    assert!(
        po.contains("#, fuzzy\n#| msgid \"Åbn appen på telefonen.\"\nmsgctxt \"demo|step.2.action\"\nmsgid \"Start appen på telefonen.\"\nmsgstr \"Open the app on the phone.\"\n"),
        "{po}"
    );
}

/// `msgfmt`, when installed (CI installs gettext).
fn msgfmt() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("msgfmt"))
        .find(|p| p.is_file())
}

#[test]
fn exported_po_files_pass_msgfmt_check_without_warnings() {
    let Some(msgfmt) = msgfmt() else {
        eprintln!("skipped: msgfmt is not installed (apt-get install gettext)");
        return;
    };
    let (_tmp, root) = site(SETTINGS, &with_untranslated_step("da", "en"));
    run_in(&root, &[&"i18n", &"track"]).expect_code(0);
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    // An outdated entry too, with its previous source text.
    edit(&root, GUIDE, "da: One-da", "da: Uno-da");
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = root.join("translations/en/demo.po");
    assert!(read(&root, "translations/en/demo.po").contains("#| msgid \"One-da\""));
    let out = std::process::Command::new(msgfmt)
        .args([
            "--check",
            "--check-format",
            "--check-header",
            "-o",
            "/dev/null",
        ])
        .arg(&po)
        .env("LC_ALL", "C")
        .output()
        .expect("msgfmt runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert_eq!(said, "", "msgfmt warned");
}

/// SETTINGS with a device of the site's own, its label in Danish only, and comments to keep.
const SETTINGS_WITH_DEVICE: &str = "\
# The site's settings.
title: {da: IT-vejledninger, en: IT guides}   # both languages
languages: [da, en]
organization: DMJX
apps:
  authenticator:
    name: Microsoft Authenticator
    app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458
devices:
  kiosk:
    # The info screen in the hall.
    label: infoskærm
    banner: {da: Brug nu infoskærmen., en: You must now use the info screen.}
    icon: computer
";

#[test]
fn guidegen_yaml_texts_are_in_status_check_and_a_po_round_trip() {
    let (_tmp, root) = site(SETTINGS_WITH_DEVICE, HAND_WRITTEN);
    let status = run_in(&root, &[&"i18n", &"status"]);
    status.expect_code(0);
    // title, the device's label and banner; the app's name and the organization are written once,
    // the same in every language.
    assert!(
        status
            .stdout
            .contains("guidegen.yaml  en                 2        1         0      3"),
        "{}",
        status.stdout
    );
    assert!(
        status
            .stdout
            .contains("guidegen.yaml:12:12: devices.kiosk.label (en) missing"),
        "{}",
        status.stdout
    );
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(1);
    let check = run_in(&root, &[&"check"]);
    assert!(
        check.stderr.contains(
            "guidegen.yaml:12:12: warning: `devices.kiosk.label` in guidegen.yaml has no `en` translation"
        ),
        "{}",
        check.stderr
    );

    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = read(&root, "translations/en/_site.po");
    assert!(
        po.contains("#: guidegen.yaml:12\nmsgctxt \"_site|devices.kiosk.label\"\nmsgid \"infoskærm\"\nmsgstr \"\"\n"),
        "{po}"
    );
    assert!(!po.contains("authenticator"), "{po}");
    std::fs::write(
        root.join("en.po"),
        translate(&po, "_site|devices.kiosk.label", "info screen"),
    )
    .unwrap();
    let import = run_in(&root, &[&"i18n", &"import", &".", &"en.po"]);
    import.expect_code(0);
    assert!(
        import.stdout.contains("imported 3 translations"),
        "{}",
        import.stdout
    );
    let settings = read(&root, "guidegen.yaml");
    // Edited in place: the label became a language map, the other texts pinned, comments kept.
    assert!(
        settings.contains("    # The info screen in the hall.\n"),
        "{settings}"
    );
    assert!(settings.contains("   # both languages\n"), "{settings}");
    assert!(
        settings.contains("en: {text: info screen, source: "),
        "{settings}"
    );
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    let page = read(&root, "output/en/demo/index.html");
    assert!(!page.contains("infoskærm"));

    // Once tracked, a changed source shows the site text outdated, and the next export says from what.
    edit(
        &root,
        "guidegen.yaml",
        "da: IT-vejledninger",
        "da: Vejledninger om IT",
    );
    let status = run_in(&root, &[&"i18n", &"status"]);
    assert!(
        status.stdout.contains("title (en) outdated"),
        "{}",
        status.stdout
    );
    run_in(&root, &[&"i18n", &"export"]).expect_code(0);
    let po = read(&root, "translations/en/_site.po");
    assert!(
        po.contains("#, fuzzy\n#| msgid \"IT-vejledninger\"\nmsgctxt \"_site|title\"\nmsgid \"Vejledninger om IT\"\nmsgstr \"IT guides\"\n"),
        "{po}"
    );
}

#[test]
fn track_brings_guidegen_yaml_texts_under_tracking_too() {
    let (_tmp, root) = site(SETTINGS_WITH_DEVICE, HAND_WRITTEN);
    let track = run_in(&root, &[&"i18n", &"track"]);
    track.expect_code(0);
    // 4 in the guide, the title and the banner in guidegen.yaml.
    assert!(
        track
            .stdout
            .contains("now tracking 6 translations in 2 files"),
        "{}",
        track.stdout
    );
    let settings = read(&root, "guidegen.yaml");
    assert!(settings.contains("   # both languages\n"), "{settings}");
    assert!(
        settings.contains("en: {text: IT guides, source: "),
        "{settings}"
    );
    let check = run_in(&root, &[&"check"]);
    assert!(info_lines(&check.stderr).is_empty(), "{}", check.stderr);
}

#[test]
fn each_setting_of_a_few_words_names_them_and_what_each_does() {
    let settings = format!(
        "{SETTINGS}pdf: {{paper: a5}}\ntranslation: {{incomplete: skip, outdated: hide, other_languages: show}}\n"
    );
    let (_tmp, root) = site(&settings, HAND_WRITTEN);
    let check = run_in(&root, &[&"check"]);
    check.expect_code(1);
    let file = root.join("guidegen.yaml");
    let errors = diagnostics(&check.stderr, "error");
    for (word, message, hint) in [
        ("a5", "unknown paper size `a5`", "write `a4` or `letter`"),
        (
            "skip",
            "unknown value `skip`",
            "write `fallback` (publish, marking untranslated text) or `omit` (leave the guide out of the language)",
        ),
        (
            "hide",
            "unknown value `hide`",
            "write `show` (publish the outdated translation, reported as outdated) or `fallback` (publish the source text in its place)",
        ),
        (
            "show}",
            "unknown value `show`",
            "write `omit` (a guide published only in some languages is left out of the others' indexes) or `list` (listed there as \"only in Danish\")",
        ),
    ] {
        let (line, column) = position_of(&file, word);
        // `check` runs in the site folder: it names the file from there.
        let at = format!("guidegen.yaml:{line}:{column}");
        let error = errors
            .iter()
            .find(|d| d.location == at)
            .unwrap_or_else(|| panic!("no error at {at}: {}", check.stderr));
        assert_eq!(error.message, message);
        assert_eq!(error.hint.as_deref(), Some(hint));
    }
    assert_eq!(errors.len(), 4, "{}", check.stderr);
    // The paper size in any case; the words of the translation settings as written.
    let settings = format!("{SETTINGS}pdf: {{paper: Letter}}\ntranslation: {{outdated: Show}}\n");
    let (_tmp, root) = site(&settings, HAND_WRITTEN);
    let check = run_in(&root, &[&"check"]);
    let errors = diagnostics(&check.stderr, "error");
    assert_eq!(errors.len(), 1, "{}", check.stderr);
    assert_eq!(errors[0].message, "unknown value `Show`");
}

#[test]
fn the_outdated_setting_takes_show_or_fallback_only() {
    for (setting, message) in [
        ("translation: {outdated: hide}\n", "unknown value `hide`"),
        ("translation: {outdate: show}\n", "unknown key `outdate`"),
    ] {
        let (_tmp, root) = site(&format!("{SETTINGS}{setting}"), HAND_WRITTEN);
        let check = run_in(&root, &[&"check"]);
        check.expect_code(1);
        assert!(check.stderr.contains(message), "{}", check.stderr);
    }
}
