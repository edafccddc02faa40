//! Hostile text in a guide: characters the PDF's fonts lack are warnings and still make a PDF; control
//! characters, Markdown nested too deep and texts too long are errors at their `path:line:column`, the
//! same from `check` and from `build`, and never a crash or "a guidegen bug".

mod common;

use std::path::{Path, PathBuf};

use common::*;
use guidegen::textcheck::{MAX_BLOCK_NESTING, MAX_TEXT_BYTES};

/// A one-language site in a temporary folder, with one guide `g` whose `guide.yaml` is `guide`.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(settings: &str, guide: &str) -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("guides/g")).expect("site folders");
        std::fs::write(root.join("guidegen.yaml"), settings).expect("write guidegen.yaml");
        std::fs::write(root.join("guides/g/guide.yaml"), guide).expect("write guide.yaml");
        Site { _tmp: tmp, root }
    }

    fn guide_file(&self) -> PathBuf {
        self.root.join("guides/g/guide.yaml")
    }

    fn settings_file(&self) -> PathBuf {
        self.root.join("guidegen.yaml")
    }

    fn out(&self) -> PathBuf {
        self.root.with_file_name("out")
    }

    fn check(&self) -> Run {
        run(&[&"check", &self.root])
    }

    fn build(&self) -> Run {
        let out = self.out();
        run(&[&"build", &self.root, &"--out", &out])
    }
}

const SETTINGS: &str = "title: Guides\nlanguages: [en]\n";

/// The warning printed at `location`, panicking (with the output) if there is none.
#[track_caller]
fn warning_at(run: &Run, location: &str) -> Printed {
    diagnostics(&run.stderr, "warning")
        .into_iter()
        .find(|d| d.location == location)
        .unwrap_or_else(|| panic!("no warning at `{location}`\n--- stderr:\n{}", run.stderr))
}

/// The text of every page of a PDF, as a reader's copy and paste gets it.
fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty(), "the PDF has pages");
    doc.extract_text(&pages).expect("the PDF's text")
}

#[test]
fn characters_the_pdf_fonts_lack_are_warnings_and_the_pdf_is_made() {
    let site = Site::new(
        "title: Guides 📘\nlanguages: [en]\n",
        "title: Sign in\nsteps:\n  - device: computer\n    action: 🔐 Log in\n  - action: Read 中文 ☐ aloud\n",
    );
    let guide = site.guide_file();

    let check = site.check();
    check.expect_code(0);
    let lock = warning_at(&check, &location_of(&guide, "🔐"));
    assert_eq!(
        lock.message,
        "the PDF fonts have no glyph for `🔐` (U+1F510); it is shown as `□` in the PDF"
    );
    assert!(
        lock.hint
            .as_deref()
            .is_some_and(|h| h.contains("write it out in words")),
        "{lock:?}"
    );
    let chinese = warning_at(&check, &location_of(&guide, "中"));
    assert!(
        chinese
            .message
            .contains("`中` (U+4E2D), `文` (U+6587), `☐` (U+2610)"),
        "{chinese:?}"
    );
    // A text of guidegen.yaml reaches the PDF too: its warning points there (at the title's line:
    // `check` validates the settings without their text at hand, so the column is the value's).
    let settings = format!("{}:1:", site.settings_file().display());
    let title = diagnostics(&check.stderr, "warning")
        .into_iter()
        .find(|d| d.location.starts_with(&settings))
        .unwrap_or_else(|| panic!("no warning in {settings}\n{}", check.stderr));
    assert!(title.message.contains("`📘` (U+1F4D8)"), "{title:?}");

    let build = site.build();
    build.expect_code(0);
    let pdf = site
        .out()
        .join("en/g")
        .join(guidegen::view::pdf_file_name("g", "en"));
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(text.contains("□ Log in"), "{text}");
    assert!(text.contains("Read □□ □ aloud"), "{text}");
}

#[test]
fn control_and_bidi_characters_are_errors_at_their_place() {
    let site = Site::new(
        SETTINGS,
        "title: Bell\nsteps:\n  - device: computer\n    action: \"Ring \\x07 the bell\"\n  - action: \"Pay \\u202Eevil\"\n",
    );
    let guide = site.guide_file();
    let check = site.check();
    check.expect_code(1);
    check.expect_error(
        &location_of(&guide, "\\x07"),
        "the text has the control character U+0007",
        Some("remove it"),
    );
    check.expect_error(
        &location_of(&guide, "\\u202E"),
        "bidirectional formatting character U+202E",
        Some("remove it"),
    );
    let build = site.build();
    build.expect_code(1);
    build.expect_error(&location_of(&guide, "\\x07"), "U+0007", None);
    assert!(!site.out().exists(), "a failed build wrote its output");
}

#[test]
fn markdown_nested_too_deep_is_an_error_for_check_and_build() {
    let lists = "- ".repeat(30) + "deep lists";
    let quotes = "> ".repeat(40) + "deep quotes";
    let site = Site::new(
        SETTINGS,
        &format!(
            "title: Deep\nsteps:\n  - device: computer\n    action: |\n      {lists}\n  - action: |\n      {quotes}\n"
        ),
    );
    let guide = site.guide_file();
    // Each points at the first level too deep.
    let too_deep_list = location_of(
        &guide,
        &("- ".repeat(30 - MAX_BLOCK_NESTING) + "deep lists"),
    );
    let too_deep_quote = location_of(
        &guide,
        &("> ".repeat(40 - MAX_BLOCK_NESTING) + "deep quotes"),
    );
    for run in [site.check(), site.build()] {
        run.expect_code(1);
        run.expect_error(
            &too_deep_list,
            "lists and block quotes are nested 30 deep, more than the 8 a text may have",
            Some("use fewer levels"),
        );
        run.expect_error(
            &too_deep_quote,
            "lists and block quotes are nested 40 deep, more than the 8 a text may have",
            None,
        );
        assert!(!run.stderr.contains("guidegen bug"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn a_text_over_the_size_limit_is_an_error() {
    let long = "word ".repeat(MAX_TEXT_BYTES / 5 + 100);
    let site = Site::new(
        SETTINGS,
        &format!("title: Long\nsteps:\n  - device: computer\n    action: {long}\n"),
    );
    let check = site.check();
    check.expect_code(1);
    check.expect_error(
        &location_of(&site.guide_file(), "word word"),
        "the text is 17 KiB long, more than the 16 KiB one text may have",
        Some("split it"),
    );
}
