//! Render stage: QR codes for store links, as inline SVG (error correction M) with an accessible name.

use std::collections::HashMap;
use std::sync::OnceLock;

use qrcode::EcLevel;
use qrcode::canvas::{Canvas, MaskPattern};

use crate::model::Site;

/// Modules of white around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// One URL's QR code, encoded once and drawn as often as pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Modules per side, quiet zone included.
    size: usize,
    /// The dark modules as one SVG path of strokes, a row at a time.
    path: String,
}

impl Code {
    /// `None` only for a URL too long for any QR code.
    pub fn new(url: &str) -> Option<Code> {
        let (width, colors) = encode(url.as_bytes())?;
        // Each row is one line of strokes one module thick through the row's middle: `h` draws a
        // run of dark modules, `m` skips a run of light ones. Half the bytes of a rectangle per run.
        let mut path = String::with_capacity(width * width / 2);
        for (y, row) in colors.chunks(width).enumerate() {
            let mut pen = None;
            let mut x = 0;
            while x < width {
                let dark = row[x] == qrcode::Color::Dark;
                let start = x;
                while x < width && (row[x] == qrcode::Color::Dark) == dark {
                    x += 1;
                }
                if !dark {
                    continue;
                }
                match pen {
                    None => path.push_str(&format!("M{} {}.5", start + QUIET_ZONE, y + QUIET_ZONE)),
                    Some(end) => path.push_str(&format!("m{} 0", start - end)),
                }
                path.push_str(&format!("h{}", x - start));
                pen = Some(x);
            }
        }
        Some(Code {
            size: width + 2 * QUIET_ZONE,
            path,
        })
    }

    /// The code as an SVG image whose accessible name is `label`.
    pub fn svg(&self, label: &str) -> String {
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {size} {size}" "#,
                r#"width="{px}" height="{px}" role="img" aria-label="{label}" shape-rendering="crispEdges">"#,
                r##"<rect width="{size}" height="{size}" fill="#fff"/><path stroke="#000" d="{path}"/></svg>"##
            ),
            size = self.size,
            px = self.size * 4,
            label = escape_attr(label),
            path = self.path,
        )
    }
}

/// The modules of `data`'s code (error correction M), row by row, and how many there are to a side:
/// what `QrCode::with_error_correction_level` gives, with the mask chosen by [`penalty`] instead of
/// the crate's own scoring, which was 0.3–0.5 ms a code (most of a PDF's QR codes' time).
fn encode(data: &[u8]) -> Option<(usize, Vec<qrcode::Color>)> {
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).ok()?;
    // The first of the lowest penalty, as the crate's `apply_best_mask` takes it.
    let best = MASKS
        .iter()
        .map(|&pattern| {
            let mut masked = canvas.clone();
            masked.apply_mask(pattern);
            let colors = masked.into_colors();
            (penalty(width, &colors), colors)
        })
        .min_by_key(|(score, _)| *score)?;
    Some((width, best.1))
}

/// The eight masks of a QR code (not a Micro QR code), in the order of their numbers.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A masked code's penalty (ISO/IEC 18004 §7.8.3), computed as the qrcode crate computes it, so
/// that the same mask is chosen (`tests::the_mask_is_the_one_the_qrcode_crate_chooses`): runs of five
/// or more alike modules in a row or column, alike 2×2 blocks, finder-like patterns (the code's own
/// three finders, nine rows and nine columns, left out), and the share of dark modules.
fn penalty(width: usize, colors: &[qrcode::Color]) -> u32 {
    let dark: Vec<bool> = colors.iter().map(|&c| c == qrcode::Color::Dark).collect();
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0;
    let mut column = Vec::with_capacity(width);
    for i in 0..width {
        let row = &dark[i * width..(i + 1) * width];
        column.clear();
        column.extend((0..width).map(|j| at(i, j)));
        score += runs_penalty(row) + finders_penalty(row);
        score += runs_penalty(&column) + finders_penalty(&column);
    }
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let this = at(x, y);
            if at(x + 1, y) == this && at(x, y + 1) == this && at(x + 1, y + 1) == this {
                score += 3;
            }
        }
    }
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
    // The three finders match in three rows each way, with light beside them: 9 × 40 each way.
    score + ratio.abs_diff(100) as u32 - 2 * 360
}

/// 3 + N for each run of 5 + N alike modules in `line`.
fn runs_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut start = 0;
    for end in 1..=line.len() {
        if end == line.len() || line[end] != line[start] {
            let run = (end - start) as u32;
            if run >= 5 {
                score += run - 2;
            }
            start = end;
        }
    }
    score
}

/// 40 for each dark-light-dark-dark-dark-light-dark in `line` with four light modules (or the
/// edge) on at least one side of it.
fn finders_penalty(line: &[bool]) -> u32 {
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let light = |range: std::ops::Range<usize>| range.clone().all(|k| k >= line.len() || !line[k]);
    let mut score = 0;
    for j in 0..line.len().saturating_sub(6) {
        if line[j..j + 7] == FINDER && (light(j.saturating_sub(4)..j) || light(j + 7..j + 11)) {
            score += 40;
        }
    }
    score
}

/// An SVG that encodes `url`, with `label` as its accessible name.
pub fn svg(url: &str, label: &str) -> Option<String> {
    Code::new(url).map(|code| code.svg(label))
}

/// The QR codes of every store link of a site, each encoded at most once per build rather than once
/// per page — and only when a page shows it: encoding is about half a millisecond a code, and a build
/// of one guide (a PDF, a `serve` rebuild) shows few of the site's links. The render threads encode
/// the codes they need on first use, side by side, instead of the build's serial start encoding all.
#[derive(Debug, Default)]
pub struct Codes {
    by_url: HashMap<String, OnceLock<Option<Code>>>,
}

impl Codes {
    pub fn for_site(site: &Site) -> Codes {
        let by_url = site
            .apps
            .values()
            .flat_map(|app| app.stores.iter())
            .map(|link| (link.url.clone(), OnceLock::new()))
            .collect();
        Codes { by_url }
    }

    /// The SVG of `url`'s code, encoding it now if it is not one of the site's.
    pub fn svg(&self, url: &str, label: &str) -> Option<String> {
        match self.by_url.get(url) {
            Some(code) => code
                .get_or_init(|| Code::new(url))
                .as_ref()
                .map(|code| code.svg(label)),
            None => svg(url, label),
        }
    }

    /// How many of the site's codes have been encoded so far.
    #[cfg(test)]
    fn encoded(&self) -> usize {
        self.by_url
            .values()
            .filter(|code| code.get().is_some())
            .count()
    }
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_url_and_names_the_image() {
        let svg = svg("https://apps.apple.com/app/id1", "QR \"code\"").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"aria-label="QR &quot;code&quot;""#));
        // The finder pattern's top row: seven dark modules from the corner of the quiet zone.
        assert!(svg.contains("M4 4.5h7"), "{svg}");
    }

    #[test]
    fn the_drawn_code_decodes_to_the_url() {
        let url = "https://play.google.com/store/apps/details?id=com.azure.authenticator";
        let svg = svg(url, "code").unwrap();
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
        let side = tree.size().width().ceil() as u32;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(side, side).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        let luma: Vec<u8> = pixmap
            .pixels()
            .iter()
            .map(|p| if p.alpha() == 0 { 255 } else { p.red() })
            .collect();
        let side = side as usize;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| luma[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
    }

    /// URLs of every length up to 300 bytes, of the characters store links have, give codes of
    /// versions 1 to 13.
    fn urls_of_every_length() -> impl Iterator<Item = String> {
        let tail = "id=com.example.App_2?x=1&y=%C3%A6/abcdefghijklmnopqrstuvwxyz0123456789";
        (0..300).step_by(3).map(move |n| {
            let mut url = String::from("https://apps.apple.com/");
            url.extend(tail.chars().cycle().skip(n % 7).take(n));
            url
        })
    }

    #[test]
    fn the_mask_is_the_one_the_qrcode_crate_chooses() {
        for url in urls_of_every_length() {
            let theirs =
                qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let (width, ours) = encode(url.as_bytes()).unwrap();
            assert_eq!(width, theirs.width(), "{url}");
            assert!(ours == theirs.to_colors(), "another mask for {url}");
        }
    }

    #[test]
    fn penalties_count_runs_blocks_finders_and_balance() {
        // Runs: 5 alike score 3, 7 score 5; a run of 4 nothing.
        assert_eq!(runs_penalty(&[true; 5]), 3);
        assert_eq!(
            runs_penalty(&[false, true, true, true, true, false, false]),
            0
        );
        let seven_and_five = [[true; 7].as_slice(), &[false; 5]].concat();
        assert_eq!(runs_penalty(&seven_and_five), 5 + 3);
        // A finder-like pattern with light on one side, at the edge or inside.
        let finder = [true, false, true, true, true, false, true];
        assert_eq!(finders_penalty(&finder), 40);
        let dark_both_sides = [
            [true].as_slice(),
            &[false; 3],
            &finder,
            &[false; 3],
            &[true],
        ]
        .concat();
        assert_eq!(finders_penalty(&dark_both_sides), 0);
        let light_after = [[true].as_slice(), &[false; 3], &finder, &[false; 4]].concat();
        assert_eq!(finders_penalty(&light_after), 40);
    }

    #[test]
    fn the_cache_draws_the_same_code() {
        let url = "https://play.google.com/store/apps/details?id=x";
        let codes = Codes::default();
        assert_eq!(codes.svg(url, "a"), svg(url, "a"));
    }

    #[test]
    fn a_site_s_code_is_encoded_when_first_shown_and_then_reused() {
        let shown = "https://apps.apple.com/app/id1";
        let codes = Codes {
            by_url: [shown, "https://play.google.com/store/apps/details?id=x"]
                .into_iter()
                .map(|url| (url.to_string(), OnceLock::new()))
                .collect(),
        };
        assert_eq!(codes.encoded(), 0);
        assert_eq!(codes.svg(shown, "a"), svg(shown, "a"));
        assert_eq!(codes.encoded(), 1);
        assert_eq!(codes.svg(shown, "b"), svg(shown, "b"));
        assert_eq!(codes.encoded(), 1);
        // A link that is not the site's is drawn, not kept.
        assert!(codes.svg("https://example.org/", "c").is_some());
        assert_eq!(codes.encoded(), 1);
    }
}
