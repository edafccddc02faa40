//! Model stage: what guidegen does to a screenshot's pixels — redaction (the published bytes have the
//! hidden regions replaced, never covered) and the smaller renditions pages offer narrow screens.
//!
//! Everything here is deterministic (the same input gives the same bytes) and bounded: an image is
//! decoded only after its header said it is within [`crate::validate::MAX_IMAGE_SIDE`] and
//! [`crate::validate::MAX_IMAGE_PIXELS`], and the decoder is held to the same limits.

use std::io::Cursor;
use std::sync::Arc;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::model::{Image, ImageKind, Region};

/// What redacted pixels become: a dark grey, plainly "hidden" on light and dark screenshots alike.
pub const REDACT_FILL: [u8; 3] = [0x40, 0x40, 0x40];
/// [`REDACT_FILL`] as CSS/SVG writes it.
pub const REDACT_FILL_HEX: &str = "#404040";

/// The widths of the smaller renditions offered to narrow screens, where the original is wider.
pub const RENDITION_WIDTHS: [u32; 3] = [480, 960, 1920];

/// A rendition is made only when it saves something: at most this share of the original's width.
const RENDITION_MAX_SHARE: f64 = 0.8;

/// The most bytes the decoder may allocate for one image: a 40-megapixel RGBA image and its copy.
const DECODE_ALLOC_LIMIT: u64 = 400 * 1024 * 1024;

/// JPEG quality of redacted and scaled JPEG screenshots.
const JPEG_QUALITY: u8 = 90;

/// The decoder's limits: the same sides as validation allows, and a bound on memory.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(crate::validate::MAX_IMAGE_SIDE);
    limits.max_image_height = Some(crate::validate::MAX_IMAGE_SIDE);
    limits.max_alloc = Some(DECODE_ALLOC_LIMIT);
    limits
}

fn format_of(kind: ImageKind) -> Option<ImageFormat> {
    match kind {
        ImageKind::Png => Some(ImageFormat::Png),
        ImageKind::Jpeg => Some(ImageFormat::Jpeg),
        ImageKind::Svg => None,
    }
}

/// Decodes a PNG or JPEG within the limits.
/// An image's width and height in pixels, from its header (an SVG's from its size or `viewBox`);
/// `None` for an image that cannot be read.
pub fn dimensions(bytes: &[u8], kind: ImageKind) -> Option<(u32, u32)> {
    match format_of(kind) {
        Some(format) => ImageReader::with_format(Cursor::new(bytes), format)
            .into_dimensions()
            .ok(),
        None => crate::validate::svg_size(bytes).ok(),
    }
}

pub fn decode(bytes: &[u8], kind: ImageKind) -> Result<DynamicImage, String> {
    let format = format_of(kind).ok_or("an SVG image has no pixels to decode")?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    reader.decode().map_err(|e| e.to_string())
}

/// Encodes an image as `kind`, the same bytes for the same pixels every time. Pixels without alpha
/// are written without it; 16-bit images as 8-bit.
pub fn encode(image: &DynamicImage, kind: ImageKind) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match kind {
        ImageKind::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            if image.color().has_alpha() {
                image.to_rgba8().write_with_encoder(encoder)
            } else {
                image.to_rgb8().write_with_encoder(encoder)
            }
        }
        ImageKind::Jpeg => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            image.to_rgb8().write_with_encoder(encoder)
        }
        ImageKind::Svg => return Err("an SVG image is not encoded from pixels".into()),
    }
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The whole pixels a region covers, grown outwards to pixel edges and clipped to the image:
/// `(x0, y0, x1, y1)`, ends excluded.
pub fn pixel_bounds(region: &Region, width: u32, height: u32) -> (u32, u32, u32, u32) {
    let clip = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as u32;
    (
        clip(region.x.floor(), width),
        clip(region.y.floor(), height),
        clip((region.x + region.w).ceil(), width),
        clip((region.y + region.h).ceil(), height),
    )
}

/// A PNG or JPEG with every pixel of `regions` replaced by [`REDACT_FILL`] (opaque), re-encoded. The
/// file's metadata (text chunks, EXIF) does not survive either.
pub fn redact_raster(bytes: &[u8], kind: ImageKind, regions: &[Region]) -> Result<Vec<u8>, String> {
    let image = decode(bytes, kind)?;
    let (width, height) = (image.width(), image.height());
    let [r, g, b] = REDACT_FILL;
    let image = if image.color().has_alpha() {
        let mut pixels = image.into_rgba8();
        for region in regions {
            let (x0, y0, x1, y1) = pixel_bounds(region, width, height);
            for y in y0..y1 {
                for x in x0..x1 {
                    pixels.put_pixel(x, y, image::Rgba([r, g, b, 255]));
                }
            }
        }
        DynamicImage::ImageRgba8(pixels)
    } else {
        let mut pixels = image.into_rgb8();
        for region in regions {
            let (x0, y0, x1, y1) = pixel_bounds(region, width, height);
            for y in y0..y1 {
                for x in x0..x1 {
                    pixels.put_pixel(x, y, image::Rgb([r, g, b]));
                }
            }
        }
        DynamicImage::ImageRgb8(pixels)
    };
    encode(&image, kind)
}

/// A sanitized SVG with a rectangle of [`REDACT_FILL`] over each region, drawn last (over everything
/// else), in the image's pixels: a nested `<svg>` maps them onto the drawing whatever its `viewBox`.
/// Also returns the numbers (from 1) of the regions that text of the drawing seems to reach: text
/// stays in the file under the rectangle, so the author should take it out.
pub fn redact_svg(
    bytes: &[u8],
    regions: &[Region],
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, Vec<usize>), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8")?;
    let close = text
        .rfind("</svg>")
        .ok_or("the SVG has no closing </svg>")?;
    let mut overlay = format!(
        "<svg x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" overflow=\"hidden\">"
    );
    for region in regions {
        overlay.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{REDACT_FILL_HEX}\"/>",
            number(region.x),
            number(region.y),
            number(region.w),
            number(region.h)
        ));
    }
    overlay.push_str("</svg>");
    let mut out = String::with_capacity(text.len() + overlay.len());
    out.push_str(&text[..close]);
    out.push_str(&overlay);
    out.push_str(&text[close..]);
    let under_text = svg_text_regions(text, regions, width, height);
    Ok((out.into_bytes(), under_text))
}

/// A coordinate as SVG writes it: up to two decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The regions (numbers from 1) that a `<text>` of the SVG seems to reach. A guess from the text's
/// `x`, `y`, `font-size` and length, in the root's `viewBox` scaled to `width`×`height` (transforms
/// are not followed): enough to tell an author that a redacted name is still written in the file.
fn svg_text_regions(svg: &str, regions: &[Region], width: u32, height: u32) -> Vec<usize> {
    let Ok(doc) = roxmltree::Document::parse(svg) else {
        return Vec::new();
    };
    let root = doc.root_element();
    let (sx, sy, ox, oy) = match root
        .attribute("viewBox")
        .map(|v| {
            v.split([' ', ','])
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .as_deref()
    {
        Some([x, y, w, h]) if *w > 0.0 && *h > 0.0 => {
            (f64::from(width) / w, f64::from(height) / h, *x, *y)
        }
        _ => (1.0, 1.0, 0.0, 0.0),
    };
    let mut hits = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let content: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let chars = content.trim().chars().count();
        if chars == 0 {
            continue;
        }
        let first = |name: &str| {
            node.attribute(name)
                .and_then(|v| v.split([' ', ',']).next())
                .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        };
        let x = first("x").unwrap_or(0.0);
        let y = first("y").unwrap_or(0.0);
        let size = first("font-size").unwrap_or(16.0);
        let long = size * 0.6 * chars as f64;
        let start = match node.attribute("text-anchor") {
            Some("middle") => x - long / 2.0,
            Some("end") => x - long,
            _ => x,
        };
        let (left, right) = ((start - ox) * sx, (start + long - ox) * sx);
        let (top, bottom) = ((y - size - oy) * sy, (y + size * 0.25 - oy) * sy);
        for (i, r) in regions.iter().enumerate() {
            let overlaps = left < r.x + r.w && right > r.x && top < r.y + r.h && bottom > r.y;
            if overlaps && !hits.contains(&(i + 1)) {
                hits.push(i + 1);
            }
        }
    }
    hits.sort_unstable();
    hits
}

/// The sizes of the renditions made of an image of `width`×`height` (none for SVG): each width of
/// [`RENDITION_WIDTHS`] well below the original's, with the height in proportion.
pub fn rendition_sizes(kind: ImageKind, width: u32, height: u32) -> Vec<(u32, u32)> {
    if kind == ImageKind::Svg {
        return Vec::new();
    }
    RENDITION_WIDTHS
        .iter()
        .filter(|w| f64::from(**w) <= f64::from(width) * RENDITION_MAX_SHARE)
        .map(|w| {
            let h = (f64::from(height) * f64::from(*w) / f64::from(width))
                .round()
                .max(1.0) as u32;
            (*w, h)
        })
        .collect()
}

/// Where a rendition of width `w` of the image `rel` is published: `shots/x.png` → `shots/x.480w.png`.
pub fn rendition_rel(rel: &str, w: u32) -> String {
    let slash = rel.rfind('/').map_or(0, |i| i + 1);
    match rel[slash..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = slash + dot;
            format!("{}.{w}w{}", &rel[..dot], &rel[dot..])
        }
        _ => format!("{rel}.{w}w"),
    }
}

/// One smaller copy of a screenshot.
#[derive(Debug, Clone)]
pub struct Rendition {
    pub rel: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Arc<Vec<u8>>,
}

/// The renditions of an image, made the first time they are asked for and kept with it: steps and
/// languages that show the same image share them.
pub fn renditions(image: &Image) -> Result<Vec<Rendition>, String> {
    image
        .renditions
        .get_or_init(|| make_renditions(image))
        .clone()
}

fn make_renditions(image: &Image) -> Result<Vec<Rendition>, String> {
    let sizes = rendition_sizes(image.kind, image.width, image.height);
    if sizes.is_empty() {
        return Ok(Vec::new());
    }
    let decoded = decode(&image.bytes, image.kind)
        .map_err(|e| format!("cannot scale `{}`: {e}", image.rel))?;
    // Each from the original, so that no rendition is a copy of a copy.
    sizes
        .into_iter()
        .map(|(w, h)| {
            let scaled = decoded.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
            let bytes = encode(&scaled, image.kind)
                .map_err(|e| format!("cannot write a {w} px copy of `{}`: {e}", image.rel))?;
            Ok(Rendition {
                rel: rendition_rel(&image.rel, w),
                width: w,
                height: h,
                bytes: Arc::new(bytes),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([
                (x * 7) as u8,
                (y * 5) as u8,
                200,
                if alpha { 128 } else { 255 },
            ])
        });
        let image = if alpha {
            DynamicImage::ImageRgba8(image)
        } else {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(image).into_rgb8())
        };
        encode(&image, ImageKind::Png).unwrap()
    }

    #[test]
    fn redacted_pixels_are_the_fill_and_only_they() {
        for alpha in [false, true] {
            let original = png(40, 30, alpha);
            let region = Region {
                x: 10.5,
                y: 5.0,
                w: 10.0,
                h: 4.2,
            };
            let out = redact_raster(&original, ImageKind::Png, &[region]).unwrap();
            let before = decode(&original, ImageKind::Png).unwrap().to_rgba8();
            let after = decode(&out, ImageKind::Png).unwrap().to_rgba8();
            for (x, y, pixel) in after.enumerate_pixels() {
                // Grown outwards to whole pixels: x 10..21, y 5..10.
                let inside = (10..21).contains(&x) && (5..10).contains(&y);
                if inside {
                    assert_eq!(pixel.0, [0x40, 0x40, 0x40, 255], "{x},{y}");
                } else {
                    assert_eq!(pixel, before.get_pixel(x, y), "{x},{y}");
                }
            }
            assert_eq!(
                redact_raster(&original, ImageKind::Png, &[region]).unwrap(),
                out,
                "deterministic"
            );
        }
    }

    /// A small PNG whose header claims `width`×`height`.
    fn lying_png(width: u32, height: u32) -> Vec<u8> {
        let mut png = png(8, 8, false);
        png[16..20].copy_from_slice(&width.to_be_bytes());
        png[20..24].copy_from_slice(&height.to_be_bytes());
        let mut crc = 0xffff_ffffu32;
        for &byte in &png[12..29] {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        png[29..33].copy_from_slice(&(!crc).to_be_bytes());
        png
    }

    #[test]
    fn the_decoder_holds_its_own_limits() {
        // Validation refuses such an image from its header; were it ever asked, the decoder refuses
        // too, before allocating 2.7 GB.
        let started = std::time::Instant::now();
        let bomb = lying_png(30_000, 30_000);
        assert!(decode(&bomb, ImageKind::Png).is_err());
        let region = Region {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
        };
        assert!(redact_raster(&bomb, ImageKind::Png, &[region]).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn rendition_names_and_sizes() {
        assert_eq!(rendition_rel("shots/x.png", 480), "shots/x.480w.png");
        assert_eq!(rendition_rel("shots/x.da.png", 960), "shots/x.da.960w.png");
        assert_eq!(rendition_rel("a.b/x", 480), "a.b/x.480w");
        assert_eq!(
            rendition_sizes(ImageKind::Png, 1280, 800),
            [(480, 300), (960, 600)]
        );
        assert_eq!(rendition_sizes(ImageKind::Png, 1000, 700), [(480, 336)]);
        assert!(rendition_sizes(ImageKind::Png, 390, 844).is_empty());
        assert!(rendition_sizes(ImageKind::Svg, 4000, 3000).is_empty());
    }

    #[test]
    fn svg_redaction_covers_and_finds_text() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 400 200"><text x="20" y="60" font-size="20">abc@dmjx.dk</text></svg>"#;
        let over_text = Region {
            x: 10.0,
            y: 20.0,
            w: 60.0,
            h: 12.0,
        };
        let elsewhere = Region {
            x: 150.0,
            y: 80.0,
            w: 20.0,
            h: 10.0,
        };
        let (out, hits) = redact_svg(svg, &[elsewhere, over_text], 200, 100).unwrap();
        assert_eq!(hits, [2]);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.ends_with(
                r##"<rect x="10" y="20" width="60" height="12" fill="#404040"/></svg></svg>"##
            ),
            "{out}"
        );
        assert!(roxmltree::Document::parse(&out).is_ok());
    }
}
