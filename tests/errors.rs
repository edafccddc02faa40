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
fn screenshot_whose_bytes_are_another_kind_than_its_name_says() {
    let s = Scene::new("screenshot-gif", |site| {
        let shots = site.join("guides/gif/shots");
        let mut png = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([9, 9, 9]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        std::fs::write(shots.join("saved.jpg"), &png).unwrap();
        std::fs::write(shots.join("drawing.svg"), &png).unwrap();
        // The start of an iPhone's photo: an ISO media file of brand `heic`.
        std::fs::write(
            shots.join("IMG_0042.jpg"),
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
        )
        .unwrap();
        std::fs::copy(shots.join("anim.gif"), shots.join("anim.png")).unwrap();
        std::fs::write(
            site.join("guides/gif/guide.yaml"),
            "title: Misnamed screenshots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot: {src: shots/saved.jpg, alt: A}\n  - action: Look.\n    screenshot: {src: shots/drawing.svg, alt: B}\n  - action: Look.\n    screenshot: {src: shots/IMG_0042.jpg, alt: C}\n  - action: Look.\n    screenshot: {src: shots/anim.png, alt: D}\n",
        )
        .unwrap();
    });
    let run = s.build_fails();
    let file = s.file(&guide("gif"));
    let save_as = "save it as PNG (a screenshot) or JPEG (a photo) from your image editor, and write that file's name here";
    for (src, message, hint) in [
        (
            "shots/saved.jpg",
            "`shots/saved.jpg` holds a PNG image, though its name says JPEG",
            "rename the file to `shots/saved.png`, and write that name here",
        ),
        (
            "shots/drawing.svg",
            "`shots/drawing.svg` holds a PNG image, though its name says SVG",
            "rename the file to `shots/drawing.png`, and write that name here",
        ),
        (
            "shots/IMG_0042.jpg",
            "`shots/IMG_0042.jpg` holds a HEIC image, though its name says JPEG",
            save_as,
        ),
        (
            "shots/anim.png",
            "`shots/anim.png` holds a GIF image, though its name says PNG",
            save_as,
        ),
    ] {
        run.expect_error(&location_of(&file, src), message, Some(hint));
    }
    assert_eq!(run.error_locations().len(), 4, "{}", run.stderr);
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

// ---- Issue #9: every author mistake at once, in plain words, with its fix. ----

/// The valid fixture in a temporary folder, its one guide replaced by `guide`.
struct Authored {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    file: PathBuf,
}

fn authored(guide: &str) -> Authored {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = copy_fixture("valid", &tmp.path().join("site"));
    let file = site.join("guides/hello/guide.yaml");
    std::fs::write(&file, guide).expect("write guide");
    Authored {
        _tmp: tmp,
        site,
        file,
    }
}

impl Authored {
    fn check(&self) -> Run {
        run(&[&"check", &self.site])
    }

    #[track_caller]
    fn at(&self, needle: &str) -> String {
        location_of(&self.file, needle)
    }
}

#[track_caller]
fn expect_warning(run: &Run, location: &str, message: &str, hint: &str) -> Printed {
    let found = diagnostics(&run.stderr, "warning")
        .into_iter()
        .find(|d| d.location == location)
        .unwrap_or_else(|| panic!("no warning at {location}:\n{}", run.stderr));
    assert!(found.message.contains(message), "{}", found.block);
    assert!(
        found.hint.as_deref().is_some_and(|h| h.contains(hint)),
        "{}",
        found.block
    );
    found
}

#[test]
fn five_different_mistakes_in_one_file_are_reported_together() {
    let a = authored(
        "title: {en: Five mistakes, da: Fem fejl}\n\
         steps:\n\
         \x20 - device: computer\n\
         \x20   acton: {en: Open it., da: Åbn den.}\n\
         \x20   screenshot: shots/nope.svg\n\
         \x20 - device: fone\n\
         \x20   action: {en: Install., da: Installer.}\n\
         \x20   app: authenticatr\n\
         \x20   tip: {en: One., da: Et.}\n\
         \x20   tip: {en: Two., da: To.}\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at("acton"),
        "unknown key `acton`",
        Some("did you mean `action`?"),
    );
    run.expect_error(
        &a.at("shots/nope.svg"),
        "`shots/nope.svg` does not exist",
        None,
    );
    run.expect_error(&a.at("fone"), "unknown device `fone`", Some("`phone`"));
    run.expect_error(
        &a.at("authenticatr"),
        "unknown app `authenticatr`",
        Some("did you mean `authenticator`?"),
    );
    let (line, column) = position_of(&a.file, "tip: {en: Two");
    run.expect_error(
        &format!("{}:{line}:{column}", a.file.display()),
        "`tip` is given twice in the step: on line 9 and on line 10",
        Some("keep one `tip:`"),
    );
    // One mistake, one error: the misspelled `action` is not also "the step has no action".
    assert_eq!(run.error_locations().len(), 5, "{}", run.stderr);
}

#[test]
fn a_misspelled_top_level_key_is_one_error_not_one_per_text() {
    for (wrong, right) in [("organisation", "organization"), ("langauges", "languages")] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).expect("site");
        copy_dir(&example_site().join("guides"), &site.join("guides"));
        copy_dir(&example_site().join("snippets"), &site.join("snippets"));
        let settings = std::fs::read_to_string(example_site().join("guidegen.yaml"))
            .expect("settings")
            .replace(&format!("\n{right}:"), &format!("\n{wrong}:"));
        std::fs::write(site.join("guidegen.yaml"), settings).expect("write settings");
        let run = run(&[&"check", &site]);
        run.expect_code(1);
        let file = site.join("guidegen.yaml");
        run.expect_error(
            &location_of(&file, &format!("{wrong}:")),
            &format!("unknown key `{wrong}`"),
            Some(&format!("did you mean `{right}`?")),
        );
        assert_eq!(run.error_locations().len(), 1, "{wrong}:\n{}", run.stderr);
    }
}

#[test]
fn a_colon_in_a_text_says_to_quote_it() {
    let a = authored(
        "title: Colon\nsteps:\n  - device: computer\n    action:\n      en: Note: you must sign in.\n      da: Bemærk: Du skal logge på.\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at(": you must"),
        "the text has `: ` after `Note`",
        Some("put the text in quotes: `en: \"Note: you must sign in.\"`"),
    );
    assert!(!run.stderr.contains("mapping values"), "{}", run.stderr);
}

#[test]
fn texts_starting_with_a_yaml_character_say_to_quote_them() {
    for (value, says) in [
        ("**Approve** the request.", "starting with `*`"),
        ("`Settings` → Accounts", "start with `` ` ``"),
        ("[Sign in](https://example.org) first", "starting with `[`"),
        ("@home: open the app", "start with `@`"),
        ("%TEMP% is cleared", "start with `%`"),
        ("| then tap Next", "starting with `|`"),
        ("& then tap Next", "starting with `&`"),
    ] {
        let a = authored(&format!(
            "title: Start\nsteps:\n  - device: computer\n    action: {value}\n"
        ));
        let run = a.check();
        run.expect_code(1);
        let at = a.at(value);
        let Some(d) = run.error_at(&at) else {
            panic!("{value}: no error at {at}:\n{}", run.stderr);
        };
        let says = says.replace("`` ` ``", "`");
        assert!(d.message.contains(&says), "{value}: {}", d.block);
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains("put the text in quotes: `action: \"")),
            "{value}: {}",
            d.block
        );
        for internal in [
            "anchor references",
            "unexpected character",
            "invalid type",
            "did not find",
        ] {
            assert!(!run.stderr.contains(internal), "{value}: {}", run.stderr);
        }
    }
}

#[test]
fn a_tag_at_the_start_of_a_text_is_an_error_not_a_lost_word() {
    let a =
        authored("title: Tag\nsteps:\n  - device: computer\n    action: !important Read this.\n");
    let run = a.check();
    run.expect_code(1);
    run.expect_error(&a.at("Read this"), "`!important`", Some("quotes"));
}

#[test]
fn a_hash_that_cuts_a_text_is_a_warning_naming_what_was_cut() {
    let a = authored(
        "title: Hash\nsteps:\n  - device: phone\n    action: Tryk på #tast 2 og vent.\n    result: Done.  # a comment, written as one\n",
    );
    let run = a.check();
    run.expect_code(0);
    expect_warning(
        &run,
        &a.at("#tast"),
        "the text ends before `#tast 2 og vent.`",
        "action: \"Tryk på #tast 2 og vent.\"",
    );
    let cuts = diagnostics(&run.stderr, "warning")
        .into_iter()
        .filter(|d| d.message.contains("the text ends"))
        .count();
    assert_eq!(
        cuts, 1,
        "a comment written as one is not a cut text:\n{}",
        run.stderr
    );
}

#[test]
fn a_step_line_indented_too_little_names_the_key_and_column() {
    let a = authored(
        "title: Indent\nsteps:\n  - device: computer\n    action: Open it.\n   result: It opens.\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at("result:"),
        "it seems to belong with `action:` (line 4, column 5)",
        Some("indent `result:` to column 5"),
    );
}

#[test]
fn a_misplaced_dash_names_the_column_of_the_items_above() {
    let a = authored(
        "title: Dash\nsteps:\n  - device: computer\n    action: Open it.\n - device: phone\n   action: Approve.\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at(" - device: phone").replace(&format!(":{}", 1), ":2"),
        "this `-` is at column 2",
        Some("line the `-` up with the one on line 3: column 3"),
    );
}

#[test]
fn a_comma_in_a_flow_map_text_says_to_quote_it() {
    let a = authored(
        "title: Comma\nsteps:\n  - device: computer\n    action: {da: Åbn filen, og tillad den., en: Open the file and allow it.}\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at("og tillad"),
        "the comma before `og tillad den.` ended the `da` text",
        Some("da: \"Åbn filen, og tillad den.\""),
    );
    assert_eq!(run.error_locations().len(), 1, "{}", run.stderr);
}

#[test]
fn a_tab_is_shown_and_named() {
    let a = authored("title: Tab\nsteps:\n\t- device: computer\n\t  action: Open it.\n");
    let run = a.check();
    run.expect_code(1);
    let d = run
        .error_at(&format!("{}:3:1", a.file.display()))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(d.message.contains("a tab"), "{}", d.block);
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("spaces")),
        "{}",
        d.block
    );
    assert!(d.block.contains("3 | →- device: computer"), "{}", d.block);
}

#[test]
fn a_screenshot_indented_into_the_action_is_said_to_be_misplaced() {
    let a = authored(
        "title: Shot\nsteps:\n  - device: computer\n    action:\n      en: Open it.\n      da: Åbn den.\n      screenshot:\n        src: shots/a.svg\n",
    );
    let run = a.check();
    run.expect_code(1);
    run.expect_error(
        &a.at("screenshot:"),
        "`screenshot:` is indented as part of `action` (line 4)",
        Some("move `screenshot:` left to column 5, under `action:`"),
    );
    assert!(!run.stderr.contains("`source`"), "{}", run.stderr);
    assert_eq!(run.error_locations().len(), 1, "{}", run.stderr);
}

#[test]
fn a_guide_file_by_another_name_is_a_warning_and_no_build_empties_a_published_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = copy_fixture("valid", &tmp.path().join("site"));
    let out = tmp.path().join("out");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);
    let before = snapshot(&out);
    for (name, fix) in [
        ("guide.yml", "rename it to guide.yaml"),
        ("Guide.yaml", "rename it to guide.yaml"),
        ("guide.yaml.txt", "rename it to guide.yaml"),
    ] {
        let renamed = site.join("guides/hello").join(name);
        std::fs::rename(site.join("guides/hello/guide.yaml"), &renamed).expect("rename");
        let checked = run(&[&"check", &site]);
        expect_warning(
            &checked,
            &format!("{}:1:1", renamed.display()),
            "is not read",
            fix,
        );
        let built = run(&[&"build", &site, &"--out", &out, &"--format", &"html"]);
        built.expect_code(1);
        assert!(
            built.stderr.contains("no guide was found"),
            "{}",
            built.stderr
        );
        assert!(built.stderr.contains("--allow-empty"), "{}", built.stderr);
        assert_same_tree(
            &before,
            &snapshot(&out),
            "the published site after a build without guides",
        );
        std::fs::rename(&renamed, site.join("guides/hello/guide.yaml")).expect("rename back");
    }
    // A guide.yaml at the site's root.
    std::fs::copy(
        site.join("guides/hello/guide.yaml"),
        site.join("guide.yaml"),
    )
    .expect("copy");
    let checked = run(&[&"check", &site]);
    expect_warning(
        &checked,
        &format!("{}:1:1", site.join("guide.yaml").display()),
        "at the site's root is not read",
        "guides/",
    );
    // Asked for, an empty site replaces the published one.
    std::fs::remove_dir_all(site.join("guides")).expect("remove guides");
    run(&[
        &"build",
        &site,
        &"--out",
        &out,
        &"--format",
        &"html",
        &"--allow-empty",
    ])
    .expect_code(0);
    assert!(!out.join("en/hello").exists());
}

#[test]
fn init_refuses_unknown_and_repeated_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dk = run_in(tmp.path(), &[&"init", &"site", &"--lang", &"dk"]);
    dk.expect_code(2);
    assert!(dk.stderr.contains("did you mean `da`?"), "{}", dk.stderr);
    let twice = run_in(
        tmp.path(),
        &[&"init", &"site", &"--lang", &"en", &"--lang", &"en"],
    );
    twice.expect_code(2);
    assert!(
        twice.stderr.contains("`en` is given twice"),
        "{}",
        twice.stderr
    );
    assert!(!tmp.path().join("site").exists(), "nothing written");
}

#[test]
fn a_country_code_in_the_settings_or_a_text_suggests_the_language() {
    let (_tmp, site, settings) =
        valid_site_with_settings(|text| text.replace("languages: [en, da]", "languages: [en, dk]"));
    let run1 = run(&[&"check", &site]);
    run1.expect_code(1);
    run1.expect_error(
        &location_of(&settings, "dk]"),
        "`dk` is not a language code",
        Some("did you mean `da`?"),
    );
    assert!(!run1.stderr.contains("locales/dk.yaml"), "{}", run1.stderr);
    assert_eq!(
        run1.error_locations().len(),
        1,
        "one mistake, one error:\n{}",
        run1.stderr
    );

    let a =
        authored("title: {en: Hi, dk: Hej}\nsteps:\n  - device: computer\n    action: Open it.\n");
    let run2 = a.check();
    run2.expect_error(
        &a.at("dk:"),
        "language `dk` is not one of the site's languages",
        Some("did you mean `da`?"),
    );
}

/// The `valid` fixture in a temporary folder, its guidegen.yaml changed by `edit`: the folder, the
/// site and its settings file.
fn valid_site_with_settings(
    edit: impl FnOnce(&str) -> String,
) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = copy_fixture("valid", &tmp.path().join("site"));
    let settings = site.join("guidegen.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(&settings, edit(&text)).expect("write");
    (tmp, site, settings)
}

#[test]
fn an_app_id_that_is_not_lowercase_is_reported_at_its_key_and_its_use_is_not_wrong() {
    let (_tmp, site, settings) =
        valid_site_with_settings(|text| text.replace("  authenticator:", "  Authenticator:"));
    let run = run(&[&"check", &site]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&settings, "Authenticator:"),
        "app id `Authenticator` may only have lowercase letters",
        Some("write `authenticator:` here"),
    );
    assert_eq!(
        run.error_locations().len(),
        1,
        "`app: authenticator` is right:\n{}",
        run.stderr
    );
}

#[test]
fn a_device_id_that_is_not_an_id_is_reported_at_its_key_with_how_to_write_it() {
    let (_tmp, site, settings) = valid_site_with_settings(|text| {
        format!(
            "{text}devices:\n  Smart Watch:\n    label: Watch\n    banner: You must now use your watch.\n"
        )
    });
    let run = run(&[&"check", &site]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&settings, "Smart Watch:"),
        "device id `Smart Watch` may only have lowercase letters, digits and `-`",
        Some("write `smart-watch:` here, and `device: smart-watch` in the steps that use it"),
    );
    assert_eq!(run.error_locations().len(), 1, "{}", run.stderr);
}

#[test]
fn a_missing_screenshot_suggests_the_file_meant() {
    for (written, meant) in [
        ("Shots/A.svg", "did you mean `shots/a.svg`?"),
        ("shots\\a.svg", "write `/` between folders"),
        ("shots/aa.svg", "did you mean `shots/a.svg`?"),
    ] {
        let a = authored(&format!(
            "title: Shot\nsteps:\n  - device: computer\n    action: Open it.\n    screenshot: {{src: '{written}', alt: The app}}\n"
        ));
        let run = a.check();
        run.expect_code(1);
        run.expect_error(
            &a.at(&format!("'{written}'")),
            "does not exist",
            Some(meant),
        );
    }
}

#[test]
fn check_prints_json_lines_for_editors_and_ci() {
    let a = authored("title: Json\nsteps:\n  - device: fone\n    action: Open it.\n");
    let run = run(&[&"check", &a.site, &"--format", &"json"]);
    run.expect_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let fone = lines
        .iter()
        .find(|d| d["message"] == "unknown device `fone`")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(fone["path"], a.file.display().to_string());
    assert_eq!(fone["line"], 3);
    assert_eq!(fone["column"], 13);
    assert_eq!(fone["severity"], "error");
    assert!(fone["hint"].as_str().is_some_and(|h| h.contains("phone")));
}

/// Translatable texts nested in the settings' maps (an app's name, a device's label) are checked
/// against the format like any other: a map of languages is a text, not a map of unknown keys.
#[test]
fn translated_app_names_and_device_labels_are_texts_not_unknown_keys() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("guides/g")).unwrap();
    std::fs::write(
        site.join("guidegen.yaml"),
        "title: {da: IT-vejledninger, en: IT guides}\nlanguages: [da, en]\napps:\n  company-portal:\n    name: {da: Firmaportal, en: Company Portal}\n    app_store: https://apps.apple.com/app/intune-company-portal/id719171358\n    google_play: https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal\ndevices:\n  laptop:\n    label:\n      da: Bærbar\n      en: Laptop\n    banner: {da: Du skal nu bruge din bærbare., en: You must now use your laptop.}\n",
    )
    .unwrap();
    std::fs::write(
        site.join("guides/g/guide.yaml"),
        "title: {da: Hej, en: Hello}\nsteps:\n  - device: laptop\n    action: {da: Installer, en: Install}\n    app: company-portal\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = run(&[&"build", &site, &"--out", &out, &"--format", &"html"]);
    run.expect_code(0);
    let page = std::fs::read_to_string(out.join("da/g/index.html")).unwrap();
    assert!(page.contains("Firmaportal"), "the Danish name is shown");
}

/// Found by fuzzing: a list item left empty after a comment (`- # note`) was filled with `{}` over
/// its line break, joining two lines, so every later error of the file named the line above its own.
#[test]
fn an_empty_list_item_after_a_comment_moves_no_later_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("guides/g/shots")).unwrap();
    std::fs::write(site.join("guides/g/shots/bad.svg"), "x").unwrap();
    let guide = site.join("guides/g/guide.yaml");
    std::fs::write(
        &guide,
        "title: x\nsections:\n    - # keep\n    - # keep too\n      steps:\n          - screenshot: shots/bad.svg\n            action: hi\n            device: computer\n",
    )
    .unwrap();
    let run = run(&[&"check", &site]);
    run.expect_code(1);
    // The empty value is at the end of its line, after the comment.
    let end_of_line_3 = format!("{}:3:{}", guide.display(), "    - # keep".len() + 1);
    run.expect_error(&end_of_line_3, "an empty value", None);
    for location in run.error_locations() {
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next().unwrap().parse().unwrap();
        let line: usize = parts.next().unwrap().parse().unwrap();
        let path = PathBuf::from(parts.next().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = text.lines().nth(line - 1).unwrap_or_default();
        assert!(
            column <= shown.chars().count() + 1,
            "{}:{line}:{column} lies past its line {shown:?}\n{}",
            path.display(),
            run.stderr
        );
        if run.stderr.contains("not a valid SVG") {
            assert!(shown.contains("screenshot"), "{}", run.stderr);
        }
    }
}
