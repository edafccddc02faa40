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
    let (year, month, day, hour, minute, second) = civil(settings.timestamp);
    let datetime = Datetime::from_ymd_hms(year, month, day, hour, minute, second)
        .or_else(|| Datetime::from_ymd_hms(2024, 1, 1, 0, 0, 0))
        .ok_or("no valid PDF date")?;
    let today = Datetime::from_ymd(year, month, day).unwrap_or(datetime);

    let (source, files) = document::source(view, settings.paper);
    let world = world::GuideWorld::new(source, files, today);
    let document = typst::compile::<PagedDocument>(&world).output.map_err(|errors| world.describe(&errors))?;

    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| format!("PDF/UA-1: {}", e.message()))?;
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
    pdf
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
    (year, month as u8, day as u8, (secs / 3600) as u8, (secs / 60 % 60) as u8, (secs % 60) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(FIXED_TIMESTAMP), (2024, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_709_210_096), (2024, 2, 29, 12, 34, 56));
        assert_eq!(civil(-1), (1969, 12, 31, 23, 59, 59));
    }
}
