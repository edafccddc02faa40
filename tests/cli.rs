//! The command line: help, usage errors (exit code 2), and the output folders `guidegen build` refuses
//! to replace (exit code 1, nothing touched).

mod common;

use std::path::{Path, PathBuf};

use common::*;

#[test]
fn help_for_each_subcommand_mentions_its_options() {
    let top = run(&[&"--help"]);
    top.expect_code(0);
    for word in ["build", "check"] {
        assert!(
            top.stdout.contains(word),
            "`guidegen --help` should mention `{word}`:\n{}",
            top.stdout
        );
    }

    let build = run(&[&"build", &"--help"]);
    build.expect_code(0);
    for word in ["DIR", "--out", "--lang", "--format", "html", "pdf"] {
        assert!(
            build.stdout.contains(word),
            "`guidegen build --help` should mention `{word}`:\n{}",
            build.stdout
        );
    }

    let check = run(&[&"check", &"--help"]);
    check.expect_code(0);
    assert!(
        check.stdout.contains("DIR"),
        "`guidegen check --help` should mention DIR:\n{}",
        check.stdout
    );
    assert!(
        !check.stdout.contains("--out"),
        "check writes nothing and has no --out:\n{}",
        check.stdout
    );

    let also = run(&[&"help", &"build"]);
    also.expect_code(0);
    assert!(also.stdout.contains("--format"));
}

#[test]
fn unknown_flag_is_bad_usage() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let site = example_site();
    let run = run(&[&"build", &site, &"--out", &out, &"--frobnicate"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--frobnicate"),
        "the message should name the flag:\n{}",
        run.stderr
    );
    assert!(!out.exists(), "a usage error wrote output");

    run_in(tmp.path(), &[&"frobnicate"]).expect_code(2);
    run_in(tmp.path(), &[]).expect_code(2);
}

#[test]
fn unknown_format_is_bad_usage() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let site = example_site();
    let run = run(&[&"build", &site, &"--out", &out, &"--format", &"docx"]);
    run.expect_code(2);
    assert!(run.stderr.contains("docx"), "{}", run.stderr);
    assert!(
        run.stderr.contains("html") && run.stderr.contains("pdf"),
        "the message should list the formats:\n{}",
        run.stderr
    );
    assert!(!out.exists(), "a usage error wrote output");
}

#[test]
fn language_the_site_does_not_have_is_bad_usage_naming_the_sites_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let site = example_site();
    let run = run(&[
        &"build",
        &site,
        &"--out",
        &out,
        &"--lang",
        &"fr",
        &"--format",
        &"html",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("fr"), "{}", run.stderr);
    // The example site's languages, from its guidegen.yaml: `languages: [da, en]`.
    assert!(
        run.stderr.contains("da, en"),
        "the message should name the site's languages:\n{}",
        run.stderr
    );
    assert!(!out.exists(), "a usage error wrote output");
}

#[test]
fn an_unknown_language_gets_one_message_from_every_command() {
    let (tmp, site) = valid_site();
    let out = tmp.path().join("out");
    let translations = tmp.path().join("translations");
    let runs = [
        run(&[&"build", &site, &"--out", &out, &"--lang", &"dk"]),
        run(&[&"i18n", &"status", &site, &"--lang", &"dk"]),
        run(&[&"i18n", &"confirm", &site, &"--lang", &"dk"]),
        run(&[
            &"i18n",
            &"export",
            &site,
            &"--lang",
            &"dk",
            &"--out",
            &translations,
        ]),
    ];
    // The fixture's languages are [en, da]: `dk` is a near miss of `da`.
    let expected = "error: --lang dk: the site's languages are en, da; did you mean `da`?";
    for run in &runs {
        run.expect_code(2);
        assert!(
            run.stderr.lines().any(|l| l == expected),
            "expected `{expected}`:\n{}",
            run.stderr
        );
    }
    assert!(!out.exists() && !translations.exists(), "nothing written");
}

#[test]
fn new_adds_a_commented_guide_and_refuses_bad_or_taken_ids() {
    let (_tmp, site) = valid_site();
    let written = run(&[&"new", &"vpn-setup", &site]);
    written.expect_code(0);
    let file = site.join("guides/vpn-setup/guide.yaml");
    let text = std::fs::read_to_string(&file).expect("the new guide");
    assert!(text.starts_with('#'), "commented:\n{text}");
    assert!(
        text.contains("en: ") && text.contains("da: "),
        "in the site's languages:\n{text}"
    );
    run(&[&"check", &site]).expect_code(0);

    let bad = run(&[&"new", &"VPN Setup", &site]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("try `vpn-setup`"), "{}", bad.stderr);
    let taken = run(&[&"new", &"vpn-setup", &site]);
    taken.expect_code(2);
    assert!(taken.stderr.contains("already exists"), "{}", taken.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "never overwritten"
    );
}

#[test]
fn site_folder_that_does_not_exist_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("no-such-site");
    let out = tmp.path().join("out");
    let run = run(&[&"build", &missing, &"--out", &out, &"--format", &"html"]);
    assert!(
        matches!(run.code, Some(1 | 2)),
        "building a folder that does not exist should fail:\n{run:?}"
    );
    assert!(
        run.stderr.contains("no-such-site"),
        "the message should name the folder:\n{}",
        run.stderr
    );
    assert!(!out.exists(), "a failed build wrote output");
}

/// A copy of the valid fixture in a fresh temporary folder: (tmp, site).
fn valid_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = copy_fixture("valid", &tmp.path().join("site"));
    (tmp, site)
}

/// Builds `site` into `out` and checks the build was refused with exit code 1 and a message, and that
/// nothing in `watched` changed.
fn refused(site: &Path, out: &Path, watched: &Path, why: &str) -> Run {
    let before = snapshot(watched);
    let run = run(&[&"build", &site, &"--out", &out, &"--format", &"html"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("refus"),
        "the message should say the folder is refused:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(why),
        "the message should say `{why}`:\n{}",
        run.stderr
    );
    assert_same_tree(&before, &snapshot(watched), "after a refused build");
    run
}

#[test]
fn refuses_the_site_folder_as_output() {
    let (tmp, site) = valid_site();
    refused(&site, &site, tmp.path(), "site folder");
    // The same folder written another way.
    refused(&site, &site.join("guides/.."), tmp.path(), "site folder");
}

#[cfg(unix)]
#[test]
fn refuses_a_symbolic_link_to_the_site_folder_as_output() {
    let (tmp, site) = valid_site();
    symlink(&site, &tmp.path().join("link"));
    refused(&site, &tmp.path().join("link"), tmp.path(), "site folder");
}

#[test]
fn refuses_a_parent_of_the_site_folder_as_output() {
    let (tmp, site) = valid_site();
    // tmp holds the site and nothing else of guidegen's: replacing it would delete the site.
    refused(&site, tmp.path(), tmp.path(), "contains it");
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_write() {
    let (tmp, site) = valid_site();
    let out = tmp.path().join("thesis");
    std::fs::create_dir_all(out.join("chapters")).expect("mkdir");
    std::fs::write(out.join("thesis.docx"), "precious").expect("write");
    std::fs::write(out.join("chapters/one.md"), "also precious").expect("write");
    refused(&site, &out, tmp.path(), ".guidegen-build");
}

#[test]
fn replaces_its_own_output_and_uses_an_empty_folder() {
    let (tmp, site) = valid_site();

    // An empty folder is accepted.
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);
    assert!(
        out.join(".guidegen-build").is_file(),
        "the output is marked as guidegen's"
    );
    assert!(out.join("en/hello/index.html").is_file());

    // Its own output is replaced whole: a file left in it goes.
    std::fs::write(out.join("stale.html"), "old").expect("write");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);
    assert!(
        !out.join("stale.html").exists(),
        "a build replaces its output folder whole"
    );
    assert!(out.join("en/hello/index.html").is_file());

    // Nothing but the site, the output and the previous output kept for the next build (see
    // docs/benchmarks.md) is left in the folder around them.
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".out.guidegen-spare", "out", "site"]);
}

#[test]
fn init_writes_a_site_that_builds_and_never_overwrites_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new-site");
    run(&[&"init", &site, &"--lang", &"da", &"--lang", &"en"]).expect_code(0);
    let settings = std::fs::read_to_string(site.join("guidegen.yaml")).unwrap();
    assert!(settings.contains("languages: [da, en]"), "{settings}");
    let out = tmp.path().join("out");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);
    assert!(out.join("da/first-guide/index.html").is_file());
    assert!(out.join("en/first-guide/index.html").is_file());

    let again = run(&[&"init", &site]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.join("guidegen.yaml")).unwrap(),
        settings
    );
}

#[test]
fn build_says_how_many_texts_fall_back_to_the_source_language() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_fixture("i18n-site", &tmp.path().join("site"));
    let guide = site.join("guides/demo/guide.yaml");
    let text = std::fs::read_to_string(&guide).unwrap();
    // The title's English translation removed: an outdated one would still be shown.
    let untranslated = text.replace("  en: {text: Sign in with the app, source: 1496fb1b}\n", "");
    assert_ne!(untranslated, text);
    std::fs::write(&guide, untranslated).unwrap();
    let out = tmp.path().join("out");
    let built = run(&[&"build", &site, &"--out", &out, &"--format", &"html"]);
    built.expect_code(0);
    assert!(
        built
            .stdout
            .contains("note: 1 text is shown in the source language"),
        "{}",
        built.stdout
    );
    let quiet = run(&[
        &"build",
        &site,
        &"--out",
        &out,
        &"--format",
        &"html",
        &"--quiet",
    ]);
    quiet.expect_code(0);
    assert!(quiet.stdout.is_empty(), "{}", quiet.stdout);
}

#[test]
fn init_ignores_in_git_what_a_build_writes_into_the_site_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new-site");
    run(&[&"init", &site]).expect_code(0);
    let listed = |dir: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = listed(&site);
    // Twice, into the default output: the second build keeps the first's output beside it.
    for _ in 0..2 {
        run(&[&"build", &site, &"--format", &"html"]).expect_code(0);
    }
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    let ignored: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.trim_matches('/'))
        .collect();
    let made: Vec<String> = listed(&site).difference(&before).cloned().collect();
    assert_eq!(made, [".output.guidegen-spare", "output"]);
    for name in &made {
        assert!(
            ignored.contains(&name.as_str()),
            "{name} is not in .gitignore:\n{ignore}"
        );
    }
}
