//! Render stage: a guide in one language as a tagged PDF (PDF/UA-1), typeset by typst used as a library.
//!
//! [`document`] writes the guide as typst source (the fixed layout in `template.typ` followed by calls
//! of its functions, with every text of the guide as a string literal), [`world`] compiles it with the
//! embedded fonts and the guide's images as virtual files, and typst-pdf exports it. Nothing is read
//! from the system: no fonts, no files, no network.
//!
//! A guide that passed validation always makes a PDF: characters no font has are drawn as a
//! placeholder ([`markup::printable`]). What can still fail is a [`PdfError`] that names the part of
//! the guide (the generated source marks each part), or a PDF over [`MAX_PDF_PAGES`] pages or
//! [`MAX_PDF_BYTES`] bytes.

mod document;
pub mod markup;
mod world;

pub use document::shot_width_mm;
pub use world::{covers, shared_bytes};

use std::fmt;

use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::Paper;
use crate::view::GuideView;

/// How PDFs are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfSettings {
    pub paper: Paper,
    /// Unix seconds: SOURCE_DATE_EPOCH, else a fixed date ([`FIXED_TIMESTAMP`]). The PDF's creation
    /// date, so that the same input gives the same bytes.
    pub timestamp: i64,
}

/// 2024-01-01T00:00:00Z, the date of PDFs built without SOURCE_DATE_EPOCH.
pub const FIXED_TIMESTAMP: i64 = 1_704_067_200;

impl PdfSettings {
    /// Settings for `paper` with the timestamp from SOURCE_DATE_EPOCH, else [`FIXED_TIMESTAMP`].
    pub fn from_env(paper: Paper) -> Self {
        let timestamp = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(FIXED_TIMESTAMP);
        Self { paper, timestamp }
    }
}

/// The most pages one guide's PDF may have. A guide longer than this is better split, and the limit
/// keeps a runaway guide from becoming a PDF of thousands of pages.
pub const MAX_PDF_PAGES: usize = 300;

/// The most bytes one guide's PDF may have (100 MiB), mostly its screenshots.
pub const MAX_PDF_BYTES: usize = 100 * 1024 * 1024;

/// Why a guide's PDF was not made, and where in the guide, for a message naming the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfError {
    /// The part of the guide typesetting failed at ("step 3", "the guide's title"), when known.
    pub part: Option<String>,
    /// What went wrong: typst's words for a typesetting error, ours for a limit.
    pub message: String,
}

impl PdfError {
    /// A problem of the PDF as a whole (its size).
    fn whole(message: String) -> Self {
        Self {
            part: None,
            message,
        }
    }

    /// Typst's errors, at the part of the guide the first one that can be placed points into.
    fn typst(world: &world::GuideWorld, errors: &[SourceDiagnostic]) -> Self {
        let part = errors.iter().find_map(|e| world.part(e));
        let message = messages(errors);
        match part {
            Some(_) => Self { part, message },
            None => Self::whole(format!("the PDF could not be typeset: {message}")),
        }
    }
}

/// What typst says, each different message once; its hints are left out, since they are about typst
/// code the guide's author never sees.
fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    let mut messages: Vec<&str> = Vec::new();
    for diagnostic in diagnostics {
        if !messages.contains(&diagnostic.message.as_str()) {
            messages.push(&diagnostic.message);
        }
    }
    messages.join("; ")
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.part {
            Some(part) => write!(
                f,
                "the PDF could not be typeset at {part}: {}",
                self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PdfError {}

/// The limits a PDF is held to ([`MAX_PDF_PAGES`], [`MAX_PDF_BYTES`]; tests use smaller ones).
struct Limits {
    pages: usize,
    bytes: usize,
}

const LIMITS: Limits = Limits {
    pages: MAX_PDF_PAGES,
    bytes: MAX_PDF_BYTES,
};

/// Renders one guide in one language to PDF bytes; never panics. A guide that passed validation
/// fails only at a limit, or on a guidegen bug, and the error says where in the guide.
pub fn render_guide(view: &GuideView<'_>, settings: &PdfSettings) -> Result<Vec<u8>, PdfError> {
    render(view, settings, &LIMITS).map(|(pdf, _warnings)| pdf)
}

/// The PDF and typst's warnings (tests require there be none).
fn render(
    view: &GuideView<'_>,
    settings: &PdfSettings,
    limits: &Limits,
) -> Result<(Vec<u8>, Vec<String>), PdfError> {
    let (year, month, day, hour, minute, second) = civil(settings.timestamp);
    let datetime = Datetime::from_ymd_hms(year, month, day, hour, minute, second)
        .or_else(|| Datetime::from_ymd_hms(2024, 1, 1, 0, 0, 0))
        .ok_or_else(|| PdfError::whole("no valid PDF date".into()))?;
    let today = Datetime::from_ymd(year, month, day).unwrap_or(datetime);

    let (source, files) = document::source(view, settings.paper);
    let world = world::GuideWorld::new(source, files, today);
    let compiled = typst::compile::<PagedDocument>(&world);
    let warnings = compiled
        .warnings
        .iter()
        .map(|w| messages(std::slice::from_ref(w)))
        .collect();
    let document = compiled
        .output
        .map_err(|errors| PdfError::typst(&world, &errors))?;
    let pages = document.pages().len();
    if pages > limits.pages {
        return Err(PdfError::whole(format!(
            "the guide's PDF would have {pages} pages, more than the {} allowed: split the guide",
            limits.pages
        )));
    }

    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| PdfError::whole(format!("PDF/UA-1: {}", e.message())))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("guidegen/{}/{}", view.id, view.lang)),
        creator: Smart::Custom(Some("guidegen".to_owned())),
        timestamp: Some(Timestamp::new_utc(datetime)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::typst(&world, &errors));
    evict_unused();
    let pdf = pdf?;
    if pdf.len() > limits.bytes {
        return Err(PdfError::whole(format!(
            "the guide's PDF would be {} MiB, more than the {} MiB allowed: split the guide, or make its screenshots smaller",
            pdf.len().div_ceil(1024 * 1024),
            limits.bytes / (1024 * 1024)
        )));
    }
    Ok((pdf, warnings))
}

/// How many PDFs are rendered between two evictions of typst's memoized results.
const EVICT_EVERY: usize = 4;

/// Drops typst's memoized results that no PDF used since the eviction before: every
/// [`EVICT_EVERY`]th PDF, so a result lives on for 4–8 PDFs after its last use. What every PDF uses
/// (fonts, icons, the store codes, the template's own layout) stays; a guide's screenshots stay
/// from its first language's PDF to the next (rendered one after the other). Measured on 200 PDFs
/// (docs/benchmarks.md, issue #13): the memory held for PDFs went from 575 MB (results unused for 4
/// evictions of every 8th PDF) to 185 MB at the same CPU time; each eviction walks every cache, so
/// evicting after each PDF would cost time, and keeping everything 2.3 GB.
fn evict_unused() {
    static RENDERED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if RENDERED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1
    {
        comemo::evict(1);
    }
}

/// Unix seconds as UTC (year, month, day, hour, minute, second), proleptic Gregorian.
pub(crate) fn civil(timestamp: i64) -> (i32, u8, u8, u8, u8, u8) {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year = i32::try_from(year).unwrap_or(2024);
    (
        year,
        month as u8,
        day as u8,
        (secs / 3600) as u8,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::model::Icon;
    use crate::view::{CalloutView, DeviceView, Label, Prose, SectionView, StepView};

    fn label(text: &str) -> Label {
        Label {
            text: text.into(),
            lang: None,
        }
    }

    fn prose(markdown: &str, lang: Option<&str>) -> Prose {
        Prose {
            markdown: markdown.into(),
            lang: lang.map(Into::into),
        }
    }

    fn step(number: usize, action: Prose) -> StepView {
        StepView {
            number,
            label: format!("Step {number} of 2"),
            short_label: format!("Step {number}"),
            device: DeviceView {
                id: "tablet".into(),
                label: label("Tablet"),
                icon: crate::icons::svg(Icon::Tablet),
                glyph: crate::icons::glyph(crate::icons::class(Icon::Tablet)),
            },
            banner: None,
            action,
            screenshot: None,
            app: None,
            result: None,
            callouts: Vec::new(),
            video: None,
            parts: Default::default(),
            variants: None,
        }
        .with_parts()
    }

    /// One untitled section (no contents), two steps.
    fn view<'a>(catalog: &'a Catalog, first: Prose, second: Prose) -> GuideView<'a> {
        GuideView {
            id: "t".into(),
            lang: "en".into(),
            dir: "ltr",
            site_title: label("Site"),
            organization: None,
            title: label("Title"),
            summary: None,
            needs: Vec::new(),
            has_toc: false,
            sections: vec![SectionView {
                number: 1,
                anchor: "section-1".into(),
                title: None,
                intro: None,
                video: None,
                steps: vec![step(1, first), step(2, second)],
                shown_in: None,
                only: None,
            }],
            total_steps: 2,
            pdf: None,
            languages: Vec::new(),
            notice: None,
            video: None,
            has_embeds: false,
            ui: catalog,
            canonical: None,
            alternates: Vec::new(),
            updated: None,
            support: None,
            attachments: Default::default(),
            link_titles: Default::default(),
            variants: None,
            platform_stores: String::new(),
            for_platforms: None,
            platform_script: false,
        }
    }

    const SETTINGS: PdfSettings = PdfSettings {
        paper: Paper::A4,
        timestamp: FIXED_TIMESTAMP,
    };

    #[test]
    fn every_markdown_construct_compiles_without_warnings() {
        let catalog = Catalog::builtin("en").unwrap();
        let markdown = concat!(
            "# Heading\n\nA *b* **c** ~~d~~ `e` [f](https://x.dk) <https://y.dk> <it@x.dk> [g](#h) ![img](a.png)  \n",
            "hard break\n\n> quote\n\n```\ncode {\n```\n\n    indented\n\n---\n\n",
            "1. one\n2. two\n   - nested\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>html</div>\n\nend",
            "\n\n<kbd>Ctrl</kbd>+<kbd>C</kbd> H<sub>2</sub>O x<sup>2</sup><br>https://z.dk/a_(b). ",
            "![icon](shots/icon.svg)\n\n| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |",
        );
        let long = "A long paragraph that goes on. ".repeat(200);
        let mut view = view(&catalog, prose(markdown, Some("da")), prose(&long, None));
        view.attachments.insert(
            "shots/icon.svg".into(),
            std::sync::Arc::new(
                br#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="blue"/></svg>"#.to_vec(),
            ),
        );
        let date = crate::dates::Date::parse("2026-11-30").unwrap();
        view.updated = Some(crate::view::updated_view(date, &catalog));
        let support = crate::model::Support {
            text: None,
            email: Some("it@x.dk".into()),
            phone: Some("+45 12 34 56 78".into()),
            address: None,
            hours: None,
        };
        let localizer = crate::view::Localizer {
            lang: "en",
            source_lang: "en",
            outdated: crate::model::OutdatedPolicy::Show,
            catalog: &catalog,
            variables: &Default::default(),
        };
        view.support = Some(crate::support::support_view(&support, &localizer));
        let (pdf, warnings) = render(&view, &SETTINGS, &LIMITS).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn same_view_same_bytes() {
        let catalog = Catalog::builtin("da").unwrap();
        let view = view(&catalog, prose("æøå", None), prose("ÆØÅ", None));
        assert_eq!(
            render_guide(&view, &SETTINGS).unwrap(),
            render_guide(&view, &SETTINGS).unwrap()
        );
    }

    /// The texts typst laid out on each page of `view`'s PDF, joined.
    fn page_texts(view: &GuideView<'_>) -> Vec<String> {
        fn collect(frame: &typst::layout::Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(group) => collect(&group.frame, out),
                    typst::layout::FrameItem::Text(text) => out.push_str(&text.text),
                    _ => {}
                }
            }
        }
        let (source, files) = document::source(view, Paper::A4);
        let today = Datetime::from_ymd(2024, 1, 1).unwrap();
        let world = world::GuideWorld::new(source, files, today);
        let document = typst::compile::<PagedDocument>(&world).output.unwrap();
        document
            .pages()
            .iter()
            .map(|page| {
                let mut text = String::new();
                collect(&page.frame, &mut text);
                text
            })
            .collect()
    }

    #[test]
    fn a_tall_step_starts_where_its_head_fits_and_its_rest_follows() {
        let catalog = Catalog::builtin("en").unwrap();
        // Step 1 fills about four fifths of the first page; step 2 is a line of text and three
        // callouts that are never split (some 45 mm each): its head fits under step 1, its first
        // callout does not.
        let filler = "Open the settings app and look for the entry. ".repeat(70);
        let mut view = view(&catalog, prose(&filler, None), prose("Select Next.", None));
        let callout = CalloutView {
            kind: "note",
            label: "Note".into(),
            body: prose(&"The screen may look a little different. ".repeat(14), None),
        };
        let mut second = step(2, prose("Select Next.", None));
        second.callouts = vec![callout.clone(), callout.clone(), callout];
        view.sections[0].steps[1] = second.with_parts();
        let pages = page_texts(&view);
        assert!(
            pages[0].contains("Step 2 of 2") && pages[0].contains("Select Next."),
            "step 2's head on page 1, not moved whole to page 2: {pages:#?}"
        );
        assert!(!pages[0].contains("The screen may"), "{pages:#?}");
    }

    #[test]
    fn characters_without_a_glyph_and_controls_still_make_a_pdf() {
        let catalog = Catalog::builtin("en").unwrap();
        let mut view = view(
            &catalog,
            prose(
                "🔐 Log in with `🔑` — 中文 ☐ 👨\u{200d}👩\u{200d}👧 🇩🇰 ❤\u{fe0f}",
                None,
            ),
            prose("```\n✅ done\n```\n\n> 💡 tip\u{7}\u{202e}", None),
        );
        // Texts from guidegen.yaml and the catalog reach the PDF too.
        view.site_title = label("Guides 📘");
        view.organization = Some(label("ACME 🏢\u{1b}"));
        view.title = label("Title ✨");
        view.sections[0].steps[0].device.label = label("Phone 📱");
        let (pdf, warnings) = render(&view, &SETTINGS, &LIMITS).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    /// Markdown nested as deep as validation allows, and as wide as typst's layout gets: a list in a
    /// quote in a list… 8 deep, holding a table and formatting nested 8 deep.
    #[test]
    fn the_deepest_markdown_validation_allows_compiles() {
        use crate::textcheck::{MAX_BLOCK_NESTING, MAX_INLINE_NESTING};
        let mut markdown = String::new();
        for level in 0..MAX_BLOCK_NESTING {
            let marker = if level % 2 == 0 { "- " } else { "> " };
            markdown.push_str(marker);
        }
        let inline = ["*", "**", "~~", "_", "__", "[", "*", "**"];
        assert_eq!(inline.len(), MAX_INLINE_NESTING);
        let mut text = String::from("deep");
        for (i, mark) in inline.iter().enumerate().rev() {
            text = if *mark == "[" {
                format!("[{text} {i}](https://x.dk)")
            } else {
                format!("{mark}{text} {i}{mark}")
            };
        }
        // A heading (bold in the PDF) at the bottom: one more level of formatting.
        markdown.push_str("# ");
        markdown.push_str(&text);
        assert!(
            crate::textcheck::check(&markdown, crate::textcheck::TextKind::Markdown).is_empty()
        );
        let table = "| a | b |\n|---|---|\n| 1 | 2 |";
        let catalog = Catalog::builtin("en").unwrap();
        let view = view(&catalog, prose(&markdown, None), prose(table, None));
        let (pdf, warnings) = render(&view, &SETTINGS, &LIMITS).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    /// The error of compiling the template followed by `generated`.
    fn compile_error(generated: &str) -> PdfError {
        let source = format!("{}{generated}", document::template_import(false));
        let today = Datetime::from_ymd(2024, 1, 1).unwrap();
        let world = world::GuideWorld::new(source, world::Files::default(), today);
        let errors = typst::compile::<PagedDocument>(&world).output.unwrap_err();
        PdfError::typst(&world, &errors)
    }

    #[test]
    fn a_typst_error_names_the_part_of_the_guide_it_is_in() {
        let error = compile_error("\n// gg: step 3\n#panic(\"boom\")\n");
        assert_eq!(error.part.as_deref(), Some("step 3"));
        assert_eq!(
            error.to_string(),
            "the PDF could not be typeset at step 3: panicked with: boom"
        );
        // Inside a function of the template, the error is traced to the guide's call of it.
        let error = compile_error(
            "\n// gg: step 1\n#gg-intro[a]\n// gg: step 2\n#gg-shot(\"/missing.png\", \"x\", 10mm)\n",
        );
        assert_eq!(error.part.as_deref(), Some("step 2"), "{error}");
        let shown = error.to_string();
        assert!(
            shown.starts_with("the PDF could not be typeset at step 2: "),
            "{shown}"
        );
        // Outside every part: no part, and still no talk of a bug.
        let error = compile_error("#panic(\"x\")\n");
        assert_eq!(error.part, None);
        assert_eq!(
            error.to_string(),
            "the PDF could not be typeset: panicked with: x"
        );
    }

    #[test]
    fn parts_are_found_from_the_markers_before_them() {
        let catalog = Catalog::builtin("en").unwrap();
        let view = view(&catalog, prose("first", None), prose("second", None));
        let (source, _) = document::source(&view, Paper::A4);
        let at = |needle: &str| document::part_at(&source, source.find(needle).unwrap());
        assert_eq!(at("#\"second\""), Some("step 2"));
        assert_eq!(at("#\"first\""), Some("step 1"));
        assert_eq!(at("#title["), Some("the guide's title"));
        assert_eq!(at("#show: gg-setup"), Some("the page header and footer"));
        // The import of the fixed template is no part of the guide.
        assert_eq!(at("#import \"/template.typ\""), None);
        // A right-to-left guide imports the template that pads the numbers' gutter on the right.
        let rtl = GuideView { dir: "rtl", ..view };
        let (source, _) = document::source(&rtl, Paper::A4);
        assert!(
            source.starts_with("#import \"/template-rtl.typ\": *\n"),
            "{source}"
        );
    }

    #[test]
    fn too_many_pages_or_bytes_are_errors_saying_so() {
        let catalog = Catalog::builtin("en").unwrap();
        let long = "A long paragraph that goes on. ".repeat(400);
        let view = view(&catalog, prose(&long, None), prose(&long, None));
        let few_pages = Limits {
            pages: 2,
            bytes: MAX_PDF_BYTES,
        };
        let error = render(&view, &SETTINGS, &few_pages).unwrap_err();
        assert_eq!(error.part, None);
        let message = error.to_string();
        assert!(
            message.starts_with("the guide's PDF would have ")
                && message.ends_with("pages, more than the 2 allowed: split the guide"),
            "{message}"
        );
        let few_bytes = Limits {
            pages: MAX_PDF_PAGES,
            bytes: 1024,
        };
        let message = render(&view, &SETTINGS, &few_bytes)
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("the guide's PDF would be 1 MiB, more than the 0 MiB allowed"),
            "{message}"
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(FIXED_TIMESTAMP), (2024, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_709_210_096), (2024, 2, 29, 12, 34, 56));
        assert_eq!(civil(-1), (1969, 12, 31, 23, 59, 59));
    }
}
