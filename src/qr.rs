//! Render stage: QR codes for store links, as inline SVG (error correction M) with an accessible name.

use std::collections::HashMap;
use std::sync::OnceLock;

use qrcode::{EcLevel, QrCode};

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
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let colors = code.to_colors();
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
