//! Text shared between guides, through the real binary: variables (`((name))`) in pages, PDFs,
//! alt texts and PO files; `guide:` links between guides; guides published in some languages only.

mod common;

use std::path::{Path, PathBuf};

use common::{parse_html, run_in, sel};

const SETTINGS: &str = "\
# The site's settings.
title: {da: Vejledninger, en: Guides}
languages: [da, en]
variables:
  # The help desk, as a sentence names it.
  helpdesk: {da: IT-supporten, en: IT support}
  phone: +45 1234 5678
  portal: https://vpn.example.org/login
";

const MFA: &str = "\
title: {da: Opsæt MFA, en: Set up MFA}
steps:
  - device: computer
    action: {da: Åbn siden., en: Open the page.}
  - action: {da: Godkend., en: Approve.}
";

const VPN: &str = "\
# Connect to the VPN.
title: {da: Forbind til VPN, en: Connect to the VPN}
steps:
  - device: computer
    # The portal's address comes from guidegen.yaml.
    action:
      da: Åbn [portalen](((portal))), og ring til ((helpdesk)) på ((phone)) ved problemer.
      en: Open [the portal](((portal))), and call ((helpdesk)) on ((phone)) if it fails.
    screenshot:
      src: login.svg
      alt: {da: Logon hos ((helpdesk)), en: Sign-in at ((helpdesk))}
  - action:
      da: Først skal du [opsætte MFA](guide:mfa#step-2). Skriv \\((ikke)) noget.
      en: First [set up MFA](guide:mfa#step-2). Type \\((nothing)).
";

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#eee"/></svg>"##;

/// A site of two guides, `mfa` and `vpn`, in a temporary folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(&root, "guidegen.yaml", SETTINGS);
    write(&root, "guides/mfa/guide.yaml", MFA);
    write(&root, "guides/vpn/guide.yaml", VPN);
    write(&root, "guides/vpn/login.svg", SVG);
    (tmp, root)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{from:?} not in {rel}");
    std::fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

fn text_of(page: &scraper::Html, selector: &str) -> String {
    page.select(&sel(selector))
        .next()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text()
        .collect()
}

#[test]
fn variables_are_put_in_pages_alt_texts_and_links_in_each_language() {
    let (_tmp, root) = site();
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    for (lang, desk, type_literal) in [
        ("da", "IT-supporten", "Skriv ((ikke)) noget."),
        ("en", "IT support", "Type ((nothing))."),
    ] {
        let page = parse_html(&root.join(format!("output/{lang}/vpn/index.html")));
        let action = text_of(&page, "[data-step=\"1\"] .action");
        assert!(action.contains(desk), "{action}");
        assert!(action.contains("+45 1234 5678"), "{action}");
        assert!(!action.contains("(("), "{action}");
        let link = page
            .select(&sel("[data-step=\"1\"] .action a"))
            .next()
            .unwrap();
        assert_eq!(
            link.value().attr("href"),
            Some("https://vpn.example.org/login")
        );
        let alt = page
            .select(&sel("[data-step=\"1\"] img"))
            .next()
            .and_then(|img| img.value().attr("alt").map(str::to_owned))
            .unwrap();
        assert!(alt.ends_with(desk), "{alt}");
        // `\((` writes the brackets themselves.
        assert!(text_of(&page, "[data-step=\"2\"] .action").contains(type_literal));
    }
}

#[test]
fn variables_reach_the_pdf() {
    if !common::installed("pdftotext") {
        return;
    }
    let (_tmp, root) = site();
    run_in(&root, &[&"build", &"--format", &"pdf", &"--lang", &"en"]).expect_code(0);
    let out = std::process::Command::new("pdftotext")
        .arg(root.join("output/en/vpn/vpn-en.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
    assert!(text.contains("call IT support on +45 1234 5678"), "{text}");
    assert!(!text.contains("((phone))"), "{text}");
    // Paper cannot be clicked: a guide link names the guide it leads to, in the page's language.
    assert!(text.contains("First set up MFA (“Set up MFA”)"), "{text}");
}

#[test]
fn in_the_pdf_a_guide_link_shows_the_guides_title_and_address() {
    if !common::installed("pdftotext") {
        return;
    }
    let (_tmp, root) = site();
    edit(
        &root,
        "guidegen.yaml",
        "languages: [da, en]\n",
        "languages: [da, en]\nbase_url: https://it.example.edu/guides/\n",
    );
    run_in(&root, &[&"build", &"--format", &"pdf"]).expect_code(0);
    for (lang, printed) in [
        (
            "da",
            "Først skal du opsætte MFA (“Opsæt MFA”, https://it.example.edu/guides/da/mfa/#step-2)",
        ),
        (
            "en",
            "First set up MFA (“Set up MFA”, https://it.example.edu/guides/en/mfa/#step-2)",
        ),
    ] {
        let out = std::process::Command::new("pdftotext")
            .arg(root.join(format!("output/{lang}/vpn/vpn-{lang}.pdf")))
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
        assert!(text.contains(printed), "{lang}: {text}");
    }
}

#[test]
fn an_unknown_variable_is_an_error_at_its_place_with_a_suggestion() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "((phone)) if",
        "((phnoe)) if",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    let (line, column) = common::position_of(&root.join("guides/vpn/guide.yaml"), "((phnoe))");
    run.expect_error(
        &format!("guides/vpn/guide.yaml:{line}:{column}"),
        "unknown variable `((phnoe))`",
        Some("did you mean `phone`?"),
    );
    // Nothing was written.
    assert!(!root.join("output").exists());
}

#[test]
fn po_files_show_the_placeholder_and_import_and_confirm_keep_the_file() {
    let (_tmp, root) = site();
    run_in(&root, &[&"i18n", &"export", &"--lang", &"en"]).expect_code(0);
    let po = read(&root, "translations/en/vpn.po");
    assert!(po.contains("((helpdesk)) på ((phone))"), "{po}");
    assert!(!po.contains("+45 1234 5678"), "{po}");
    let site_po = read(&root, "translations/en/_site.po");
    assert!(
        site_po.contains("msgctxt \"_site|variables.helpdesk\""),
        "{site_po}"
    );
    // A variable written once (a number) is the same in every language: nothing to translate.
    assert!(!site_po.contains("variables.phone"), "{site_po}");

    // The translator changes a translation, keeping the placeholders; import writes it in place.
    let old =
        "msgstr \"Open [the portal](((portal))), and call ((helpdesk)) on ((phone)) if it fails.\"";
    assert!(po.contains(old), "{po}");
    let new =
        "msgstr \"Open [the portal](((portal))); if it fails, call ((helpdesk)) on ((phone)).\"";
    std::fs::write(root.join("translations/en/vpn.po"), po.replace(old, new)).unwrap();
    run_in(&root, &[&"i18n", &"import", &"translations/en/vpn.po"]).expect_code(0);
    let guide = read(&root, "guides/vpn/guide.yaml");
    assert!(
        guide.contains("if it fails, call ((helpdesk)) on ((phone))."),
        "{guide}"
    );
    assert!(
        guide.contains("    # The portal's address comes from guidegen.yaml.\n"),
        "{guide}"
    );

    // The Danish source changes; confirm records that the English still fits.
    edit(
        &root,
        "guides/mfa/guide.yaml",
        "Godkend.",
        "Godkend hos ((helpdesk)).",
    );
    edit(
        &root,
        "guidegen.yaml",
        "da: IT-supporten",
        "da: IT-servicedesken",
    );
    run_in(&root, &[&"i18n", &"confirm"]).expect_code(0);
    let settings = read(&root, "guidegen.yaml");
    assert!(
        settings.contains("  # The help desk, as a sentence names it.\n"),
        "{settings}"
    );
    assert!(settings.contains("da: IT-servicedesken"), "{settings}");
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    let run = run_in(&root, &[&"build", &"--format", &"html", &"--strict"]);
    run.expect_code(0);
    assert!(run.error_locations().is_empty(), "{}", run.stderr);
    let page = parse_html(&root.join("output/da/mfa/index.html"));
    assert!(text_of(&page, "[data-step=\"2\"] .action").contains("Godkend hos IT-servicedesken."));
}

#[test]
fn a_guide_link_goes_to_the_guide_in_the_same_language() {
    let (_tmp, root) = site();
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    for lang in ["da", "en"] {
        let page_path = root.join(format!("output/{lang}/vpn/index.html"));
        let page = parse_html(&page_path);
        let link = page
            .select(&sel("[data-step=\"2\"] a[data-guide-link]"))
            .next()
            .expect("a guide link");
        assert_eq!(link.value().attr("data-guide-link"), Some("mfa"));
        let href = link.value().attr("href").unwrap();
        assert_eq!(href, "../mfa/index.html#step-2");
        // It leads to a page that has that step, in the same language.
        let (file, fragment) = href.split_once('#').unwrap();
        let target = parse_html(&page_path.parent().unwrap().join(file));
        let html_lang = target.select(&sel("html")).next().unwrap();
        assert_eq!(html_lang.value().attr("lang"), Some(lang));
        assert!(
            target
                .select(&sel(&format!("#{fragment}")))
                .next()
                .is_some()
        );
    }
}

#[test]
fn an_unknown_guide_is_an_error_at_the_link_with_a_suggestion() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "(guide:mfa#step-2). Type",
        "(guide:mfaa#step-2). Type",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    let (line, column) = common::position_of(&root.join("guides/vpn/guide.yaml"), "guide:mfaa");
    run.expect_error(
        &format!("guides/vpn/guide.yaml:{line}:{column}"),
        "link to unknown guide `mfaa`",
        Some("did you mean `mfa`?"),
    );
}

#[test]
fn a_relative_link_out_of_the_guide_folder_hints_at_a_guide_link() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "(guide:mfa#step-2). Type",
        "(../mfa/). Type",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    let (line, column) = common::position_of(&root.join("guides/vpn/guide.yaml"), "../mfa/). Type");
    run.expect_error(
        &format!("guides/vpn/guide.yaml:{line}:{column}"),
        "leaves the guide's folder",
        Some("write `guide:mfa`"),
    );
}

#[test]
fn a_guide_in_some_languages_only_is_not_missing_a_translation() {
    let (_tmp, root) = site();
    write(
        &root,
        "guides/personale/guide.yaml",
        "title: Kun for personale\nlanguages: [da]\nsteps:\n  - device: computer\n    action: Ring til ((helpdesk)).\n",
    );
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    run_in(&root, &[&"build", &"--format", &"html", &"--strict"]).expect_code(0);
    assert!(root.join("output/da/personale/index.html").exists());
    assert!(!root.join("output/en/personale").exists());
    let en_index = parse_html(&root.join("output/en/index.html"));
    assert!(
        en_index
            .select(&sel("[data-guide=\"personale\"]"))
            .next()
            .is_none()
    );
    assert!(!read(&root, "output/en/index.html").contains("Kun for personale"));

    // The site may list it on the other side instead, marked and in its own language.
    write(
        &root,
        "guidegen.yaml",
        &format!("{SETTINGS}translation:\n  other_languages: list\n"),
    );
    run_in(&root, &[&"build", &"--format", &"html", &"--strict"]).expect_code(0);
    let en_index = parse_html(&root.join("output/en/index.html"));
    let card = en_index
        .select(&sel("[data-guide=\"personale\"][data-only-in=\"da\"]"))
        .next()
        .expect("listed as only in Danish");
    let text: String = card.text().collect();
    assert!(text.contains("Only in: Dansk"), "{text}");
    let link = card.select(&sel("a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../da/personale/index.html")
    );
    assert_eq!(link.value().attr("lang"), Some("da"));
    assert!(
        root.join("output/en")
            .join(link.value().attr("href").unwrap())
            .exists()
    );
}

#[test]
fn a_guide_language_must_be_the_sites_and_include_the_source() {
    let (_tmp, root) = site();
    write(
        &root,
        "guides/personale/guide.yaml",
        "title: Kun for personale\nlanguages: [en]\nsteps:\n  - device: computer\n    action: Ring.\n",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    run.expect_error(
        "guides/personale/guide.yaml:2:12",
        "must include `da`",
        Some("languages: [da]"),
    );
}

#[test]
fn a_link_to_a_guide_not_published_in_the_pages_language_is_reported() {
    let (_tmp, root) = site();
    write(
        &root,
        "guides/personale/guide.yaml",
        "title: Kun for personale\nlanguages: [da]\nsteps:\n  - device: computer\n    action: Ring.\n",
    );
    // The Danish text may link to it; the English one leads nowhere.
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "[opsætte MFA](guide:mfa#step-2)",
        "[læse dette](guide:personale)",
    );
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "[set up MFA](guide:mfa#step-2)",
        "[read this](guide:personale)",
    );
    for command in ["check", "build"] {
        let run = run_in(&root, &[&command]);
        run.expect_code(0);
        let warnings = common::diagnostics(&run.stderr, "warning");
        let (en_line, _) = common::position_of(&root.join("guides/vpn/guide.yaml"), "[read this]");
        assert_eq!(warnings.len(), 1, "{}", run.stderr);
        assert!(
            warnings[0]
                .location
                .starts_with(&format!("guides/vpn/guide.yaml:{en_line}:")),
            "{:?}",
            warnings[0]
        );
        assert!(
            warnings[0].message.contains("shown on the en page"),
            "{:?}",
            warnings[0]
        );
    }
}

#[test]
fn a_variable_written_the_wrong_way_is_shown_as_written_with_a_warning() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "on ((phone)) if",
        "on {{ phone }} if",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(0);
    let warnings = common::diagnostics(&run.stderr, "warning");
    let (line, column) = common::position_of(&root.join("guides/vpn/guide.yaml"), "{{ phone }}");
    let warning = warnings
        .iter()
        .find(|w| w.location == format!("guides/vpn/guide.yaml:{line}:{column}"))
        .unwrap_or_else(|| panic!("no warning at the placeholder: {}", run.stderr));
    assert!(warning.message.contains("shown as written"), "{warning:?}");
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("((phone))"),
        "{warning:?}"
    );
}

#[test]
fn an_image_cannot_show_a_guide() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "[set up MFA](guide:mfa#step-2)",
        "![MFA](guide:mfa)",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("image target `guide:mfa` is a guide, not an image"),
        "{}",
        run.stderr
    );
}

#[test]
fn settings_yaml_cannot_read_is_one_error_not_one_per_variable_the_guides_use() {
    // A `{` left open in guidegen.yaml: its variables are unread, and the guides that use them
    // (in texts, alt texts and link targets) are not blamed for it.
    for broken in [
        SETTINGS.replace("en: Guides}", "en: Guides"),
        SETTINGS.replace("variables:", "variabels:"),
    ] {
        let (_tmp, root) = site();
        std::fs::write(root.join("guidegen.yaml"), &broken).unwrap();
        let run = run_in(&root, &[&"check"]);
        run.expect_code(1);
        assert_eq!(
            run.error_locations()
                .iter()
                .map(|at| at.split(':').next().unwrap_or_default())
                .collect::<Vec<_>>(),
            ["guidegen.yaml"],
            "{}",
            run.stderr
        );
    }
    // With the settings read, an unknown variable is still the guide's error: see
    // an_unknown_variable_is_an_error_at_its_place_with_a_suggestion.
}
