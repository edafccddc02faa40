//! Snippets through the real binary: shared steps in `snippets/<name>.yaml` included by guides
//! (numbering and banners after inclusion, screenshots, variables), their errors located in the
//! snippet with the place that included it, cycles, incremental builds and the translation commands
//! on a site with snippets.

mod common;

use std::path::{Path, PathBuf};

use common::{parse_html, run_in, sel};

const SETTINGS: &str = "\
title: {da: Vejledninger, en: Guides}
languages: [da, en]
variables:
  helpdesk: {da: IT-supporten, en: IT support}
";

const APPROVE: &str = "\
# Approving a sign-in, shared by the guides.
steps:
  - device: phone
    action: {da: Åbn appen., en: Open the app.}
    screenshot:
      src: shots/approve.svg
      alt: {da: Appen, en: The app}
  - action: {da: \"Tryk på Godkend, eller ring til ((helpdesk)).\", en: \"Tap Approve, or call ((helpdesk)).\"}
";

const MFA: &str = "\
title: {da: Opsæt MFA, en: Set up MFA}
steps:
  - device: computer
    action: {da: Log på., en: Sign in.}
  - snippet: approve
  - device: computer
    action: {da: Vælg Næste., en: Select Next.}
";

const VPN: &str = "\
title: {da: Forbind til VPN, en: Connect to the VPN}
steps:
  - snippet: approve
";

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#eee"/></svg>"##;

/// A site of two guides, `mfa` and `vpn`, both using the snippet `approve`.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(&root, "guidegen.yaml", SETTINGS);
    write(&root, "snippets/approve.yaml", APPROVE);
    write(&root, "snippets/shots/approve.svg", SVG);
    write(&root, "guides/mfa/guide.yaml", MFA);
    write(&root, "guides/vpn/guide.yaml", VPN);
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

/// (number, device, has a banner, action text) of every step of a page.
fn steps(page: &scraper::Html) -> Vec<(String, String, bool, String)> {
    page.select(&sel("li.step"))
        .map(|li| {
            let v = li.value();
            let action: String = li.select(&sel(".action")).next().unwrap().text().collect();
            (
                v.attr("data-step").unwrap().to_owned(),
                v.attr("data-device").unwrap().to_owned(),
                li.select(&sel("[data-device-switch]")).next().is_some(),
                action.trim().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_snippet_is_shown_where_guides_name_it_numbered_and_bannered_in_each() {
    let (_tmp, root) = site();
    let run = run_in(&root, &[&"build", &"--format", &"html", &"--strict"]);
    run.expect_code(0);
    let mfa = parse_html(&root.join("output/en/mfa/index.html"));
    let s = |n: &str, d: &str, b: bool, a: &str| (n.into(), d.into(), b, a.into());
    assert_eq!(
        steps(&mfa),
        vec![
            s("1", "computer", true, "Sign in."),
            s("2", "phone", true, "Open the app."),
            s("3", "phone", false, "Tap Approve, or call IT support."),
            s("4", "computer", true, "Select Next."),
        ]
    );
    let vpn = parse_html(&root.join("output/da/vpn/index.html"));
    assert_eq!(
        steps(&vpn),
        vec![
            s("1", "phone", true, "Åbn appen."),
            s(
                "2",
                "phone",
                false,
                "Tryk på Godkend, eller ring til IT-supporten."
            ),
        ]
    );
    // The snippet's screenshot, from snippets/shots/, is published with each guide.
    for guide in ["mfa", "vpn"] {
        let page = parse_html(&root.join(format!("output/en/{guide}/index.html")));
        let img = page.select(&sel("figure.screenshot img")).next().unwrap();
        let src = img.value().attr("src").unwrap();
        assert_eq!(img.value().attr("alt"), Some("The app"));
        // Apart from the guide's own shots/, where a file of the same name may be another picture.
        assert_eq!(src, "_snippets/shots/approve.svg");
        let file = root.join(format!("output/en/{guide}")).join(src);
        assert!(file.is_file(), "{guide}: {src} not published");
    }
}

#[test]
fn errors_inside_a_snippet_point_into_it_and_name_the_guides_including_it() {
    let (_tmp, root) = site();
    edit(
        &root,
        "snippets/approve.yaml",
        "device: phone",
        "device: fone",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    let at = "snippets/approve.yaml:3:13";
    let errors: Vec<_> = common::diagnostics(&run.stderr, "error")
        .into_iter()
        .filter(|d| d.location == at)
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|d| d.message == "unknown device `fone`"));
    let hints: Vec<&str> = errors.iter().filter_map(|d| d.hint.as_deref()).collect();
    assert!(
        hints.iter().any(|h| h.contains("the devices are")
            && h.contains("included by guides/mfa/guide.yaml:5:14")),
        "{hints:?}"
    );
    assert!(
        hints
            .iter()
            .any(|h| h.contains("included by guides/vpn/guide.yaml:3:14")),
        "{hints:?}"
    );
    assert!(!root.join("output").exists());
}

/// Variables are placed in the file their text is in: the guide's before and after the snippet's
/// steps, the snippet's inside it (each file's lines indexed on their own).
#[test]
fn unknown_variables_are_placed_in_the_guide_and_in_the_snippet() {
    let (_tmp, root) = site();
    // Known, but placed all the same: the guide's lines are indexed before the snippet's.
    edit(
        &root,
        "guides/mfa/guide.yaml",
        "Log på.",
        "Log på ((helpdesk)).",
    );
    edit(
        &root,
        "snippets/approve.yaml",
        "ring til ((helpdesk))",
        "ring til ((hjaelp))",
    );
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    let errors: Vec<(String, String)> = common::diagnostics(&run.stderr, "error")
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    // One error per guide including the snippet, each at the variable in the snippet's line 8.
    let at = (
        "snippets/approve.yaml:8:51".to_owned(),
        "unknown variable `((hjaelp))`".to_owned(),
    );
    assert_eq!(errors, [at.clone(), at], "{}", run.stderr);
}

#[test]
fn unknown_snippets_cycles_and_mixed_items_are_errors_at_the_including_line() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/vpn/guide.yaml",
        "snippet: approve",
        "snippet: aprove",
    );
    edit(
        &root,
        "guides/mfa/guide.yaml",
        "  - snippet: approve\n",
        "  - snippet: loop-a\n  - snippet: approve\n    note: Husk telefonen.\n",
    );
    write(
        &root,
        "snippets/loop-a.yaml",
        "steps:\n  - device: phone\n    action: A\n  - snippet: loop-b\n",
    );
    write(
        &root,
        "snippets/loop-b.yaml",
        "steps:\n  - action: B\n  - snippet: loop-a\n",
    );
    write(
        &root,
        "snippets/titled.yaml",
        "title: X\nsteps:\n  - action: C\n",
    );
    write(&root, "snippets/later.yml", "steps:\n  - action: D\n");
    let run = run_in(&root, &[&"check"]);
    run.expect_code(1);
    run.expect_error(
        "guides/vpn/guide.yaml:3:14",
        "unknown snippet `aprove`",
        Some("did you mean `approve`"),
    );
    run.expect_error(
        "snippets/loop-b.yaml:3:14",
        "snippets include each other in a cycle: loop-a → loop-b → loop-a",
        Some("included by snippets/loop-a.yaml:4:14, included by guides/mfa/guide.yaml:5:14"),
    );
    run.expect_error(
        "guides/mfa/guide.yaml:6:5",
        "an item with `snippet:` has no other keys",
        None,
    );
    run.expect_error(
        "snippets/titled.yaml:1:8",
        "a snippet cannot have `title`",
        None,
    );
    let yml = common::diagnostics(&run.stderr, "warning")
        .into_iter()
        .find(|d| d.location == "snippets/later.yml:1:1")
        .expect("a warning about later.yml");
    assert_eq!(yml.hint.as_deref(), Some("rename it to later.yaml"));
}

#[test]
fn editing_a_snippet_rebuilds_the_guides_using_it() {
    let (_tmp, root) = site();
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    edit(
        &root,
        "snippets/approve.yaml",
        "Open the app.",
        "Open Authenticator.",
    );
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    for guide in ["mfa", "vpn"] {
        let page = read(&root, &format!("output/en/{guide}/index.html"));
        assert!(page.contains("Open Authenticator."), "{guide}");
        assert!(!page.contains("Open the app."), "{guide}");
    }
}

#[test]
fn translation_commands_keep_a_guide_with_snippets_and_its_comments() {
    let (_tmp, root) = site();
    edit(
        &root,
        "guides/mfa/guide.yaml",
        "Vælg Næste.",
        "Vælg Næste hos ((helpdesk)).",
    );
    run_in(&root, &[&"i18n", &"export", &"--lang", &"en"]).expect_code(0);
    let po = read(&root, "translations/en/mfa.po");
    // The guide's PO has its own texts only, numbered as written (the snippet item is step 2).
    assert!(po.contains("msgctxt \"mfa|step.3.action\""), "{po}");
    assert!(!po.contains("Open the app."), "{po}");
    // The snippet is translated once, in a PO file of its own.
    let snippet_po = read(&root, "translations/en/snippets/approve.po");
    assert!(
        snippet_po.contains("msgctxt \"snippets/approve|step.2.action\""),
        "{snippet_po}"
    );
    assert!(
        snippet_po.contains("#: snippets/approve.yaml"),
        "{snippet_po}"
    );
    let old = "msgstr \"Tap Approve, or call ((helpdesk)).\"";
    assert!(snippet_po.contains(old), "{snippet_po}");
    std::fs::write(
        root.join("translations/en/snippets/approve.po"),
        snippet_po.replace(old, "msgstr \"Tap **Approve**, or call ((helpdesk)).\""),
    )
    .unwrap();
    run_in(
        &root,
        &[&"i18n", &"import", &"translations/en/snippets/approve.po"],
    )
    .expect_code(0);
    let snippet = read(&root, "snippets/approve.yaml");
    assert!(
        snippet.contains("Tap **Approve**, or call ((helpdesk))."),
        "{snippet}"
    );
    // Every guide using it shows the translation.
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    for guide in ["mfa", "vpn"] {
        let page = read(&root, &format!("output/en/{guide}/index.html"));
        assert!(page.contains("Tap <strong>Approve</strong>"), "{guide}");
    }
    // The Danish source of the snippet changes; status names the snippet, confirm records it.
    edit(
        &root,
        "snippets/approve.yaml",
        "Åbn appen.",
        "Åbn Authenticator.",
    );
    let status = run_in(&root, &[&"i18n", &"status", &"--strict"]);
    status.expect_code(1);
    assert!(
        status.stdout.contains("snippets/approve"),
        "{}",
        status.stdout
    );
    run_in(&root, &[&"i18n", &"confirm"]).expect_code(0);
    run_in(&root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    let guide = read(&root, "guides/mfa/guide.yaml");
    assert!(guide.contains("  - snippet: approve\n"), "{guide}");
    assert!(guide.contains("source:"), "{guide}");
    let snippet = read(&root, "snippets/approve.yaml");
    assert!(snippet.starts_with("# Approving a sign-in"), "{snippet}");
    run_in(&root, &[&"build", &"--format", &"html", &"--strict"]).expect_code(0);
}

#[test]
fn an_untranslated_snippet_text_is_noticed_on_each_page_and_refused_by_strict_once() {
    let (_tmp, root) = site();
    edit(&root, "snippets/approve.yaml", ", en: Open the app.}", "}");
    let check = run_in(&root, &[&"check"]);
    check.expect_code(0);
    let warnings: Vec<_> = common::diagnostics(&check.stderr, "warning")
        .into_iter()
        .filter(|d| d.message.contains("has no `en` translation"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", check.stderr);
    assert_eq!(warnings[0].location, "snippets/approve.yaml:4:13");
    assert!(
        warnings[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("translate it in approve.yaml")),
        "{:?}",
        warnings[0].hint
    );
    let strict = run_in(&root, &[&"build", &"--format", &"html", &"--strict"]);
    strict.expect_code(1);
    assert!(
        strict.error_at("snippets/approve.yaml:4:13").is_some(),
        "{}",
        strict.stderr
    );
    run_in(&root, &[&"build", &"--format", &"html"]).expect_code(0);
    for (guide, step) in [("mfa", "#step-2"), ("vpn", "#step-1")] {
        let page = parse_html(&root.join(format!("output/en/{guide}/index.html")));
        let links: Vec<&str> = page
            .select(&sel("[data-fallback-notice] a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(links, vec![step], "{guide}");
    }
}
