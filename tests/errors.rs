//! A site with errors: `guidegen build` exits 1, prints each error at its `path:line:column` with a
//! useful message (and hint), and leaves the previous output exactly as it was. One fixture site per
//! class of error, in tests/fixtures/errors/<name>/; the expected positions are found in the fixture
//! files themselves.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A fixture copied into a temporary folder next to an output folder that holds a previous,
/// successful build.
struct Scene {
    tmp: tempfile::TempDir,
    site: PathBuf,
    out: PathBuf,
}

impl Scene {
    /// Copies `tests/fixtures/errors/<name>` and lets `prepare` change the copy (symbolic links and
    /// bytes that are better made at run time), then builds a valid site into the output folder.
    fn new(name: &str, prepare: impl FnOnce(&Path)) -> Scene {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = copy_fixture(&format!("errors/{name}"), &tmp.path().join("site"));
        prepare(&site);
        let out = tmp.path().join("out");
        let valid = fixture("valid");
        run(&[&"build", &valid, &"--out", &out, &"--format", &"html"]).expect_code(0);
        assert!(
            out.join("en/hello/index.html").is_file(),
            "the previous build is in place"
        );
        Scene { tmp, site, out }
    }

    /// `guidegen build <site> --out <out>`: must fail with exit code 1 and leave the output folder, and
    /// the folder around it, untouched.
    fn build_fails(&self) -> Run {
        let out_before = snapshot(&self.out);
        let around_before: Vec<String> = self.around();
        let run = run(&[&"build", &self.site, &"--out", &self.out]);
        run.expect_code(1);
        assert_same_tree(
            &out_before,
            &snapshot(&self.out),
            "the output folder after a failed build",
        );
        assert_eq!(
            self.around(),
            around_before,
            "a failed build left something beside the output folder"
        );
        assert!(
            !self.site.join("output").exists(),
            "a failed build wrote the site's default output folder"
        );
        run
    }

    /// The names of the entries of the temporary folder (staging folders would show here).
    fn around(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.tmp.path())
            .expect("tmp")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A file of the site copy.
    fn file(&self, rel: &str) -> PathBuf {
        self.site.join(rel)
    }
}

/// The fixture's one guide file, for fixtures with a single guide.
const GUIDE: &str = "guide.yaml";

fn guide(id: &str) -> String {
    format!("guides/{id}/{GUIDE}")
}

#[test]
fn yaml_syntax_error() {
    let s = Scene::new("yaml-syntax", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("broken"));
    // The second `: ` in a plain value: YAML does not allow a mapping there.
    let (line, column) = position_of(&file, ": then");
    let at = format!("{}:{line}:{column}", file.display());
    run.expect_error(
        &at,
        "which YAML reads as the start of another key",
        Some("put the text in quotes: `action: \"Open the settings: then close them.\"`"),
    );
    assert_eq!(run.error_locations(), vec![at]);
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let s = Scene::new("unknown-key", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("typo"));
    run.expect_error(
        &location_of(&file, "screnshot"),
        "unknown key `screnshot`",
        Some("did you mean `screenshot`?"),
    );
}

#[test]
fn wrong_type() {
    let s = Scene::new("wrong-type", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("wrong"));
    run.expect_error(
        &location_of(&file, "foo"),
        "expected a list",
        Some("- item"),
    );
}

#[test]
fn unknown_device() {
    let s = Scene::new("unknown-device", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("gadget"));
    run.expect_error(
        &location_of(&file, "fone"),
        "unknown device `fone`",
        Some("`phone`"),
    );
}

#[test]
fn first_step_without_a_device() {
    let s = Scene::new("first-step-without-device", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("nodevice"));
    // At the first step: its first key.
    run.expect_error(
        &location_of(&file, "action: Open the settings."),
        "first step",
        Some("device: computer"),
    );
    assert_eq!(
        run.error_locations().len(),
        1,
        "only the first step lacks a device:\n{}",
        run.stderr
    );
}

#[test]
fn step_without_an_action() {
    let s = Scene::new("step-without-action", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("noaction"));
    run.expect_error(
        &location_of(&file, "device: phone"),
        "no `action`",
        Some("action:"),
    );
}

#[test]
fn screenshot_that_does_not_exist() {
    let s = Scene::new("screenshot-missing", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("missing"));
    run.expect_error(
        &location_of(&file, "shots/nope.svg"),
        "`shots/nope.svg` does not exist",
        None,
    );
}

#[test]
fn screenshot_of_an_unsupported_kind() {
    let s = Scene::new("screenshot-gif", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("gif"));
    run.expect_error(
        &location_of(&file, "shots/anim.gif"),
        "`shots/anim.gif` is not a supported image",
        Some("PNG, JPEG or SVG"),
    );
}

#[test]
fn screenshot_outside_the_guide_through_dot_dot() {
    let s = Scene::new("screenshot-dotdot", |_| {});
    assert!(
        s.file("guides/outside.svg").is_file(),
        "the file exists: only its place is wrong"
    );
    let run = s.build_fails();
    let file = s.file(&guide("escape"));
    run.expect_error(
        &location_of(&file, "../outside.svg"),
        "goes through `..`; paths stay inside the guide's folder",
        Some("without `..`"),
    );
}

#[test]
fn screenshot_outside_the_guide_through_a_symbolic_link() {
    let s = Scene::new("screenshot-symlink", |site| {
        let shots = site.join("guides/escape/shots");
        std::fs::create_dir_all(&shots).expect("shots folder");
        symlink(
            Path::new("../../../private/secret.svg"),
            &shots.join("link.svg"),
        );
        assert!(
            shots.join("link.svg").is_file(),
            "the link resolves to a real file"
        );
    });
    let run = s.build_fails();
    let file = s.file(&guide("escape"));
    run.expect_error(
        &location_of(&file, "shots/link.svg"),
        "outside the guide's folder",
        Some("symbolic link"),
    );
}

#[test]
fn unknown_app() {
    let s = Scene::new("unknown-app", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("noapp"));
    run.expect_error(
        &location_of(&file, "authenticatr"),
        "unknown app `authenticatr`",
        Some("did you mean `authenticator`?"),
    );
}

#[test]
fn store_links_must_be_https_on_the_store_host() {
    let s = Scene::new("store-link", |_| {});
    let run = s.build_fails();
    let file = s.file("guidegen.yaml");
    let plain = "http://apps.apple.com/app/plain/id1";
    let evil = "https://evil.example/apps.apple.com";
    run.expect_error(
        &location_of(&file, plain),
        plain,
        Some("https://apps.apple.com/"),
    );
    run.expect_error(
        &location_of(&file, evil),
        evil,
        Some("https://apps.apple.com/"),
    );
    assert_eq!(run.error_locations().len(), 2, "{}", run.stderr);
}

#[test]
fn language_the_site_does_not_have() {
    let s = Scene::new("unknown-language", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("french"));
    run.expect_error(
        &location_of(&file, "fr:"),
        "language `fr` is not one of the site's languages",
        Some("da, en"),
    );
}

#[test]
fn two_guides_with_the_same_id() {
    let s = Scene::new("duplicate-id", |_| {});
    let run = s.build_fails();
    let first = s.file("guides/a/x/guide.yaml");
    let second = s.file("guides/b/x/guide.yaml");
    let at = format!("{}:1:1", second.display());
    run.expect_error(
        &at,
        "a guide with id `x` already exists",
        Some(&first.display().to_string()),
    );
}

#[test]
fn guide_without_steps() {
    let s = Scene::new("empty-guide", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("empty"));
    run.expect_error(
        &format!("{}:1:1", file.display()),
        "no steps",
        Some("steps:"),
    );
}

#[test]
fn guide_with_an_empty_list_of_steps() {
    let s = Scene::new("empty-steps", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("nosteps"));
    run.expect_error(
        &location_of(&file, "[]"),
        "empty",
        Some("at least one step"),
    );
}

#[test]
fn file_that_is_not_utf8() {
    let s = Scene::new("not-utf8", |site| {
        // "Blåbærgrød" in Latin-1, on the second line.
        std::fs::write(
            site.join("guides/latin1/guide.yaml"),
            b"# Latin-1, not UTF-8.\ntitle: Bl\xe5b\xe6rgr\xf8d\nsteps:\n  - device: computer\n    action: Eat it.\n",
        )
        .expect("write Latin-1 file");
    });
    let run = s.build_fails();
    let file = s.file(&guide("latin1"));
    // Line 2, at the `å` after `title: Bl`.
    run.expect_error(
        &format!("{}:2:10", file.display()),
        "not UTF-8",
        Some("UTF-8"),
    );
}

#[test]
fn alias_bombs_are_rejected() {
    // Two bombs: the classic billion laughs, and one shaped like the guide format (a step aliased
    // 450 times in a section, aliased 500 times), which the format would otherwise accept.
    let s = Scene::new("alias-bomb", |_| {});
    let run = s.build_fails();
    for id in ["bomb", "laughs"] {
        let file = s.file(&guide(id));
        let prefix = format!("{}:", file.display());
        assert!(
            run.error_locations().iter().any(|l| l.starts_with(&prefix)),
            "no error in {}:\n{}",
            file.display(),
            run.stderr
        );
    }
    let bomb = run
        .error_locations()
        .into_iter()
        .find(|l| l.contains("/bomb/"))
        .expect("bomb error");
    let d = run.error_at(&bomb).expect("the bomb's error");
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("aliases")),
        "the bomb's error should say why: {}",
        d.block
    );
}

#[test]
fn absurd_nesting_is_rejected() {
    let s = Scene::new("deep-nesting", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("deep"));
    let (line, _) = position_of(&file, "[[[[");
    let prefix = format!("{}:{line}:", file.display());
    assert!(
        run.error_locations().iter().any(|l| l.starts_with(&prefix)),
        "no error on line {line}:\n{}",
        run.stderr
    );
}

#[test]
fn javascript_links_in_markdown_are_errors_at_their_line() {
    let s = Scene::new("markdown-javascript", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("links"));
    run.expect_error(
        &location_of(&file, "javascript:alert(1)"),
        "`javascript:alert(1)` is not allowed",
        Some("https://"),
    );
    // Written with an HTML entity, the scheme is still found, and still at its own line.
    run.expect_error(
        &location_of(&file, "JaVa&#115;cript:x"),
        "is not allowed",
        Some("https://"),
    );
}

#[test]
fn guide_folder_name_that_is_not_an_id() {
    let s = Scene::new("bad-guide-id", |_| {});
    let run = s.build_fails();
    let file = s.file(&guide("My Guide"));
    run.expect_error(
        &format!("{}:1:1", file.display()),
        "`My Guide` is not a valid guide id",
        Some("`my-guide`"),
    );
}

/// The errors of the many-errors fixture, in the order they must be printed: by file, then line.
fn many_errors_expected(site: &Path) -> Vec<String> {
    let settings = site.join("guidegen.yaml");
    let alpha = site.join("guides/alpha/guide.yaml");
    let beta = site.join("guides/beta/guide.yaml");
    let gamma = site.join("guides/gamma/guide.yaml");
    vec![
        location_of(&settings, "http://apps.apple.com"),
        location_of(&alpha, "fone"),
        location_of(&alpha, "shots/missing.svg"),
        location_of(&beta, "screnshot"),
        location_of(&gamma, "device: phone"),
        location_of(&gamma, "fr:"),
    ]
}

#[test]
fn every_error_of_every_file_is_reported_in_one_run_in_file_order() {
    let s = Scene::new("many-errors", |_| {});
    let run = s.build_fails();
    let expected = many_errors_expected(&s.site);
    assert_eq!(run.error_locations(), expected, "\n{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("the site has {} errors", expected.len())),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let s = Scene::new("many-errors", |_| {});
    let before = snapshot(s.tmp.path());
    let checked = run(&[&"check", &s.site]);
    checked.expect_code(1);
    assert_eq!(
        checked.error_locations(),
        many_errors_expected(&s.site),
        "\n{}",
        checked.stderr
    );
    assert!(
        !s.site.join("output").exists(),
        "check created an output folder"
    );
    assert_same_tree(
        &before,
        &snapshot(s.tmp.path()),
        "the site and its surroundings after `guidegen check`",
    );

    // The same messages as build, not only the same places.
    let built = s.build_fails();
    assert_eq!(
        diagnostics(&checked.stderr, "error"),
        diagnostics(&built.stderr, "error")
    );
}

#[test]
fn yaml_1_1_words_are_text_not_booleans() {
    // `Yes`, `No`, `On`, `y` are ordinary words in a guide (YAML 1.2 reads them as strings): a
    // translation that happens to be one must not be rejected as a boolean.
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = copy_fixture("valid", &tmp.path().join("site"));
    std::fs::write(
        site.join("guides/hello/guide.yaml"),
        "title: {en: Yes, da: Ja}\nsteps:\n  - device: computer\n    action: {en: \"Select **Yes**.\", da: y}\n    result: {en: On, da: Til}\n",
    )
    .expect("write guide");
    let out = tmp.path().join("out");
    let run = run(&[&"build", &site, &"--out", &out, &"--format", &"html"]);
    run.expect_code(0);
    let page = parse_html(&out.join("en/hello/index.html"));
    let title: String = page.select(&sel("h1")).next().expect("h1").text().collect();
    assert_eq!(title.trim(), "Yes");
}
