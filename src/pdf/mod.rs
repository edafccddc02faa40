//! Render stage: a guide in one language as a tagged PDF (PDF/UA-1), typeset by typst used as a library.
//!
//! [`document`] writes the guide as typst source (the fixed layout in `template.typ` followed by calls
//! of its functions, with every text of the guide as a string literal), [`world`] compiles it with the
//! embedded fonts and the guide's images as virtual files, and typst-pdf exports it. Nothing is read
//! from the system: no fonts, no files, no network.

mod document;
pub mod markup;
mod world;

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

/// Renders one guide in one language to PDF bytes. Err is a message for a bug (typst compile error),
/// never a panic.
pub fn render_guide(view: &GuideView<'_>, settings: &PdfSettings) -> Result<Vec<u8>, String> {
    render(view, settings).map(|(pdf, _warnings)| pdf)
}

/// The PDF and typst's warnings (tests require there be none).
fn render(view: &GuideView<'_>, settings: &PdfSettings) -> Result<(Vec<u8>, Vec<String>), String> {
    let (year, month, day, hour, minute, second) = civil(settings.timestamp);
    let datetime = Datetime::from_ymd_hms(year, month, day, hour, minute, second)
        .or_else(|| Datetime::from_ymd_hms(2024, 1, 1, 0, 0, 0))
        .ok_or("no valid PDF date")?;
    let today = Datetime::from_ymd(year, month, day).unwrap_or(datetime);

    let (source, files) = document::source(view, settings.paper);
    let world = world::GuideWorld::new(source, files, today);
    let compiled = typst::compile::<PagedDocument>(&world);
    let warnings = compiled
        .warnings
        .iter()
        .map(|w| world.describe(std::slice::from_ref(w)))
        .collect();
    let document = compiled.output.map_err(|errors| world.describe(&errors))?;

    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| format!("PDF/UA-1: {}", e.message()))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("guidegen/{}/{}", view.id, view.lang)),
        creator: Smart::Custom(Some("guidegen".to_owned())),
        timestamp: Some(Timestamp::new_utc(datetime)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| world.describe(&errors));
    // Memoized results unused for a while are dropped, so that a large site doesn't keep every guide's
    // layout in memory; fonts and the standard library stay.
    comemo::evict(30);
    Ok((pdf?, warnings))
}

/// Unix seconds as UTC (year, month, day, hour, minute, second), proleptic Gregorian.
fn civil(timestamp: i64) -> (i32, u8, u8, u8, u8, u8) {
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
    use crate::view::{DeviceView, Label, Prose, SectionView, StepView};

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
            },
            banner: None,
            action,
            screenshot: None,
            app: None,
            result: None,
            callouts: Vec::new(),
        }
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
                steps: vec![step(1, first), step(2, second)],
            }],
            total_steps: 2,
            pdf: None,
            languages: Vec::new(),
            notice: None,
            ui: catalog,
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
        );
        let long = "A long paragraph that goes on. ".repeat(200);
        let view = view(&catalog, prose(markdown, Some("da")), prose(&long, None));
        let (pdf, warnings) = render(&view, &SETTINGS).unwrap();
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

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(FIXED_TIMESTAMP), (2024, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_709_210_096), (2024, 2, 29, 12, 34, 56));
        assert_eq!(civil(-1), (1969, 12, 31, 23, 59, 59));
    }
}
