//! Model stage: what guidegen does to a screenshot's pixels — redaction (the published bytes have the
//! hidden regions replaced, never covered), the smaller renditions pages offer narrow screens, and the
//! print copies PDFs embed.
//!
//! Everything here is deterministic (the same input gives the same bytes) and bounded: an image is
//! decoded only after its header said it is within [`crate::validate::MAX_IMAGE_SIDE`] and
//! [`crate::validate::MAX_IMAGE_PIXELS`], and guidegen's decoder is held to the same limits. An
//! image a PDF of the build embeds as it is goes through typst's decoder instead, the one the PDF
//! would use on it anyway (`decode_as_the_pdf_does`).

use std::io::Cursor;
use std::sync::Arc;

use image::metadata::Orientation;
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

/// The highest JPEG quality of redacted and scaled JPEG screenshots; a copy of one saved at a lower
/// quality is made at that one ([`copy_quality`]).
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

/// An image's width and height in pixels, from its header (an SVG's from its size or `viewBox`);
/// `None` for an image that cannot be read. A PNG or JPEG is measured upright: see [`raster_size`].
pub fn dimensions(bytes: &[u8], kind: ImageKind) -> Option<(u32, u32)> {
    match kind {
        ImageKind::Png | ImageKind::Jpeg => raster_size(bytes, kind).ok(),
        ImageKind::Svg => crate::validate::svg_size(bytes).ok(),
    }
}

/// A PNG's or JPEG's width and height as it is shown: upright, after the turn its EXIF orientation
/// asks for (a photo taken with a phone held sideways), from its header alone. Browsers and typst
/// show such an image turned, and the author sees it so, so every size, region and copy guidegen
/// makes of it is upright too ([`decode`] turns its pixels the same way).
pub fn raster_size(bytes: &[u8], kind: ImageKind) -> Result<(u32, u32), String> {
    let format = format_of(kind).ok_or("an SVG image has no pixels")?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    Ok(if turns_sideways(orientation(&mut decoder)) {
        (height, width)
    } else {
        (width, height)
    })
}

/// The turn an image's EXIF orientation asks for; none when it has no orientation or an unreadable
/// one (as browsers do).
fn orientation(decoder: &mut impl image::ImageDecoder) -> Orientation {
    decoder.orientation().unwrap_or(Orientation::NoTransforms)
}

/// Whether `orientation` swaps the width and the height.
fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Decodes a PNG or JPEG within the limits, turned upright by its EXIF orientation.
pub fn decode(bytes: &[u8], kind: ImageKind) -> Result<DynamicImage, String> {
    decode_with_profile(bytes, kind).map(|(image, _)| image)
}

/// [`decode`], and the image's colour profile when it has one.
fn decode_with_profile(
    bytes: &[u8],
    kind: ImageKind,
) -> Result<(DynamicImage, Option<Vec<u8>>), String> {
    let format = format_of(kind).ok_or("an SVG image has no pixels to decode")?;
    #[cfg(test)]
    tests::count_decode(bytes);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let icc = image::ImageDecoder::icc_profile(&mut decoder)
        .ok()
        .flatten()
        .filter(|icc| describes_rgb(icc));
    let orientation = orientation(&mut decoder);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok((image, icc))
}

/// Whether the ICC profile `icc` describes RGB colour (its header's colour space, bytes 16–19, is
/// `RGB `): the only profile a copy guidegen writes may carry, since its pixels are RGB whatever the
/// original's were. A grey or CMYK original's profile would not describe them, and viewers ignore
/// (or refuse) a profile of another colour space — a CMYK one of 0.5–1 MB in every rendition.
fn describes_rgb(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"RGB ")
}

/// Encodes an image as `kind`, the same bytes for the same pixels every time. Pixels without alpha
/// are written without it; 16-bit images as 8-bit.
pub fn encode(image: &DynamicImage, kind: ImageKind) -> Result<Vec<u8>, String> {
    encode_with_profile(image, kind, None, JPEG_QUALITY)
}

/// [`encode`], with the colour profile `icc` (the original's, so that a copy of a Display P3
/// screenshot shows the original's colours, not washed-out ones read as sRGB).
fn encode_with_profile(
    image: &DynamicImage,
    kind: ImageKind,
    icc: Option<&[u8]>,
    jpeg_quality: u8,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let profile = |encoder: &mut dyn ImageEncoder| match icc {
        Some(icc) => encoder
            .set_icc_profile(icc.to_vec())
            .map_err(|e| e.to_string()),
        None => Ok(()),
    };
    match kind {
        ImageKind::Png => {
            let mut encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            profile(&mut encoder)?;
            if image.color().has_alpha() {
                image.to_rgba8().write_with_encoder(encoder)
            } else {
                image.to_rgb8().write_with_encoder(encoder)
            }
        }
        ImageKind::Jpeg => {
            let mut encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, jpeg_quality);
            profile(&mut encoder)?;
            image.to_rgb8().write_with_encoder(encoder)
        }
        ImageKind::Svg => return Err("an SVG image is not encoded from pixels".into()),
    }
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The JPEG quality of a copy of the JPEG `original` (a rendition, a redacted file): the quality the
/// original was saved with, at most [`JPEG_QUALITY`]. A copy of a strongly compressed photo made at
/// quality 90 would be larger than the original, and no sharper. Any quality for a PNG.
fn copy_quality(original: &[u8]) -> u8 {
    jpeg_quality(original).map_or(JPEG_QUALITY, |quality| quality.min(JPEG_QUALITY))
}

/// The IJG (libjpeg) luminance quantization table at quality 50, ITU T.81 Annex K.1. Only its sum
/// is used, so the order of its values does not matter.
const IJG_LUMA_TABLE: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// The quality (1–100) a JPEG was saved with, as libjpeg scales its tables (as most cameras and
/// editors do): the quality whose luminance table sums closest to the file's. `None` when the
/// bytes hold no luminance table before the image data.
fn jpeg_quality(bytes: &[u8]) -> Option<u8> {
    let written = luma_table_sum(bytes)?;
    (1..=100u32)
        .min_by_key(|&quality| {
            let scale = if quality < 50 {
                5000 / quality
            } else {
                200 - 2 * quality
            };
            let sum: u32 = IJG_LUMA_TABLE
                .iter()
                .map(|&v| ((u32::from(v) * scale + 50) / 100).clamp(1, 255))
                .sum();
            sum.abs_diff(written)
        })
        .and_then(|quality| u8::try_from(quality).ok())
}

/// The sum of a JPEG's luminance quantization table (table 0), read from its `DQT` segments before
/// the first scan. Untrusted bytes: every length is checked, and what does not add up is `None`.
fn luma_table_sum(bytes: &[u8]) -> Option<u32> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    loop {
        let (&[0xFF, marker], rest) = bytes.get(at..)?.split_first_chunk::<2>()? else {
            return None;
        };
        match marker {
            // A fill byte before a marker.
            0xFF => {
                at += 1;
                continue;
            }
            // The image data (or its end) before any table.
            0xDA | 0xD9 => return None,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes(*rest.first_chunk::<2>()?));
        let segment = rest.get(2..len)?;
        if marker == 0xDB
            && let Some(sum) = luma_in_dqt(segment)
        {
            return Some(sum);
        }
        at += 2 + len;
    }
}

/// The sum of table 0 among the tables of one `DQT` segment, if it holds that table.
fn luma_in_dqt(mut segment: &[u8]) -> Option<u32> {
    while let Some((&precision_and_id, rest)) = segment.split_first() {
        let wide = precision_and_id >> 4 == 1;
        let table = rest.get(..if wide { 128 } else { 64 })?;
        if precision_and_id & 0x0F == 0 {
            return Some(if wide {
                table
                    .chunks_exact(2)
                    .map(|v| u32::from(u16::from_be_bytes([v[0], v[1]])))
                    .sum()
            } else {
                table.iter().map(|&v| u32::from(v)).sum()
            });
        }
        segment = &rest[table.len()..];
    }
    None
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
/// file's metadata (text chunks, EXIF) does not survive either; its colour profile does.
pub fn redact_raster(bytes: &[u8], kind: ImageKind, regions: &[Region]) -> Result<Vec<u8>, String> {
    let (image, icc) = decode_with_profile(bytes, kind)?;
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
    encode_with_profile(&image, kind, icc.as_deref(), copy_quality(bytes))
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
        .get_or_init(|| {
            if rendition_sizes(image.kind, image.width, image.height).is_empty() {
                return Ok(Vec::new());
            }
            make_renditions(image, &decode_pixels(image)?)
        })
        .clone()
}

/// Makes, ahead of the pages and PDFs that will ask for them, an image's renditions (`renditions`)
/// and its print copy for a PDF that shows it `print_mm` wide — from one decode when it needs both,
/// where asking for each in turn would decode a retina screenshot twice. What is made already, or
/// not needed, is left; the rest is made when asked for, as before.
pub fn prepare(image: &Image, renditions: bool, print_mm: Option<f64>) {
    match to_prepare(image, renditions, print_mm) {
        (true, Some((_, width))) => {
            let decoded = decode_pixels(image);
            let made = match &decoded {
                Ok(pixels) => make_renditions(image, pixels),
                Err(e) => Err(e.clone()),
            };
            // Another thread that made them first made the same.
            let _ = image.renditions.set(made);
            *lock_print(image) = Some((width, print_copy_of(image, width, decoded)));
        }
        (true, None) if print_mm.is_some_and(|mm| embeds_original(image, mm)) => {
            let made =
                decode_as_the_pdf_does(image).and_then(|pixels| make_renditions(image, &pixels));
            let _ = image.renditions.set(made);
        }
        (true, None) => drop(self::renditions(image)),
        (false, Some((mm, _))) => drop(print_copy(image, mm)),
        (false, None) => {}
    }
}

/// How many times its width a screenshot must be tall to be a long capture (a page scrolled down,
/// captured whole): taller than any phone's screen, the tallest of which (21:9, a foldable's cover
/// screen) are under 2.6 times as tall as wide.
const LONG_ASPECT: f64 = 2.6;

/// Whether a screenshot of `width`×`height` pixels is a long capture: pages and PDFs show it as wide
/// as a computer's screenshot (a PDF cuts it into pieces that pages break between), not held to a
/// phone's height, which would leave a strip too narrow to read.
pub fn is_long_capture(width: u32, height: u32) -> bool {
    width > 0 && f64::from(height) >= LONG_ASPECT * f64::from(width)
}

/// Where a long capture's cuts are kept once found ([`long_capture_cuts`]), with the longest piece
/// they were found for.
pub type CutCell = Arc<std::sync::Mutex<Option<(u32, Arc<Vec<u32>>)>>>;

/// The rows at which a long capture is cut into pieces of at most `piece` rows, the PDF showing it
/// `shown_mm` wide: each piece ends at the quietest row of its last third — the row most like the
/// one above it, between two lines of text rather than through one — so that a page break between
/// two pieces does not part a line. Found in the pixels the PDF shows (its print copy's, or typst's
/// decode of the original, which the PDF then uses), once per image; pieces of `piece` rows when
/// they cannot be decoded.
pub fn long_capture_cuts(image: &Image, piece: u32, shown_mm: f64) -> Arc<Vec<u32>> {
    let piece = piece.max(3);
    let mut cell = image.cuts.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((made_for, cuts)) = &*cell
        && *made_for == piece
    {
        return cuts.clone();
    }
    let even = || {
        (1..image.height.div_ceil(piece))
            .map(|i| i * piece)
            .collect()
    };
    // In the pixels the PDF shows: the print copy's, or the original's as typst decodes it.
    let cuts = Arc::new(match print_copy(image, shown_mm) {
        Some(copy) => {
            let channels = if copy.alpha { 4 } else { 3 };
            let rows = Rows::of(&copy.pixels, copy.width as usize, channels);
            rows.map_or_else(even, |rows| quiet_cuts(rows, image.height, piece))
        }
        None => match decode_as_the_pdf_does(image) {
            Ok(pixels) => Rows::of(&pixels.raw, pixels.width, pixels.channels)
                .map_or_else(even, |rows| quiet_cuts(rows, image.height, piece)),
            Err(_) => even(),
        },
    });
    *cell = Some((piece, cuts.clone()));
    cuts
}

/// 8-bit pixels as rows of `stride` bytes: at least two, and whole.
#[derive(Clone, Copy)]
struct Rows<'a> {
    raw: &'a [u8],
    stride: usize,
    count: usize,
}

impl<'a> Rows<'a> {
    fn of(raw: &'a [u8], width: usize, channels: usize) -> Option<Rows<'a>> {
        let stride = width * channels;
        let count = raw.len().checked_div(stride)?;
        (count > 1).then_some(Rows { raw, stride, count })
    }

    fn row(&self, y: usize) -> &'a [u8] {
        &self.raw[y * self.stride..(y + 1) * self.stride]
    }
}

/// [`long_capture_cuts`] in `rows`, which may be a scaled copy of an image `height` rows tall: the
/// cuts in the image's rows.
fn quiet_cuts(rows: Rows, height: u32, piece: u32) -> Vec<u32> {
    let scale = rows.count as f64 / f64::from(height.max(1));
    // How much row `y` differs from the row above it.
    let change = |y: usize| -> u64 {
        let (above, row) = (rows.row(y - 1), rows.row(y));
        above
            .iter()
            .zip(row)
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum()
    };
    let mut cuts = Vec::new();
    let mut start = 0;
    while height - start > piece {
        let (from, to) = (start + piece - piece / 3, start + piece);
        let in_pixels =
            |row: u32| ((f64::from(row) * scale).round() as usize).clamp(1, rows.count - 1);
        // The quietest row; of equally quiet ones the lowest, for pieces as long as they may be.
        let cut = (from..=to)
            .map(|row| (change(in_pixels(row)), row))
            .min_by_key(|&(change, row)| (change, std::cmp::Reverse(row)))
            .map_or(to, |(_, row)| row);
        cuts.push(cut);
        start = cut;
    }
    cuts
}

/// Whether [`prepare`] has anything to make of `image`: a build of small screenshots asks this of
/// every one, and makes nothing.
pub fn needs_preparing(image: &Image, renditions: bool, print_mm: Option<f64>) -> bool {
    !matches!(to_prepare(image, renditions, print_mm), (false, None))
}

/// What [`prepare`] would make: whether the renditions, and the print copy for which size and
/// width, each where it is wanted and not made yet.
fn to_prepare(
    image: &Image,
    renditions: bool,
    print_mm: Option<f64>,
) -> (bool, Option<(f64, u32)>) {
    let renditions = renditions
        && image.renditions.get().is_none()
        && !rendition_sizes(image.kind, image.width, image.height).is_empty();
    let print = print_mm.and_then(|mm| Some(mm).zip(print_width(image, mm)));
    (
        renditions,
        print.filter(|(_, width)| !print_cell_holds(image, *width)),
    )
}

/// An image's pixels, decoded once for every copy made of them: 8-bit RGB, or RGBA when it has
/// alpha, with its colour profile.
struct Pixels {
    width: usize,
    height: usize,
    raw: Vec<u8>,
    channels: usize,
    icc: Option<Vec<u8>>,
}

/// Decodes a PNG or JPEG within the limits, keeping its colour profile.
fn decode_pixels(image: &Image) -> Result<Pixels, String> {
    let (decoded, icc) = decode_with_profile(&image.bytes, image.kind)
        .map_err(|e| format!("cannot scale `{}`: {e}", image.rel))?;
    Ok(Pixels::of(decoded, icc))
}

impl Pixels {
    fn of(decoded: DynamicImage, icc: Option<Vec<u8>>) -> Pixels {
        let (width, height) = (decoded.width() as usize, decoded.height() as usize);
        let (raw, channels) = eight_bit(decoded);
        Pixels {
            width,
            height,
            raw,
            channels,
            icc,
        }
    }
}

/// Whether a PDF that shows `image` `shown_mm` wide embeds the original, and so has typst decode it
/// for layout and export: a PNG or JPEG that needs no print copy.
fn embeds_original(image: &Image, shown_mm: f64) -> bool {
    image.kind != ImageKind::Svg && print_width(image, shown_mm).is_none()
}

/// An image's pixels decoded by typst, as the PDF will decode it: typst memoizes its decode by the
/// bytes, format and colour profile asked for, so the PDF of the guide, made right after its pages,
/// finds this decode instead of making another. The arguments are the ones the PDF's `image(path)`
/// gives it (the file's bytes, its format, no profile of ours). typst turns an image upright by its
/// EXIF orientation as [`decode`] does, so its pixels are the ones guidegen's decoder would give.
fn decode_as_the_pdf_does(image: &Image) -> Result<Pixels, String> {
    use typst::foundations::Smart;
    use typst::visualize::{ExchangeFormat, RasterImage};
    let format = match image.kind {
        ImageKind::Png => ExchangeFormat::Png,
        ImageKind::Jpeg => ExchangeFormat::Jpg,
        ImageKind::Svg => return decode_pixels(image),
    };
    let bytes = crate::pdf::shared_bytes(&image.bytes);
    let raster = RasterImage::new(bytes, format, Smart::Auto)
        .map_err(|e| format!("cannot scale `{}`: {e}", image.rel))?;
    #[cfg(test)]
    tests::note_typst_decode(&image.bytes, raster.dynamic());
    // typst keeps its pixels for the PDF: ours are a copy (one, for an 8-bit image).
    let icc = raster
        .icc()
        .filter(|icc| describes_rgb(icc.as_slice()))
        .map(|icc| icc.as_slice().to_vec());
    Ok(Pixels::of(raster.dynamic().as_ref().clone(), icc))
}

fn make_renditions(image: &Image, pixels: &Pixels) -> Result<Vec<Rendition>, String> {
    let sizes = rendition_sizes(image.kind, image.width, image.height);
    // Each from the original, so that no rendition is a copy of a copy; by area averaging, which
    // keeps a screenshot's text as crisp as Lanczos3 at these ratios, at a fraction of its time.
    let quality = copy_quality(&image.bytes);
    sizes
        .into_iter()
        .map(|(w, h)| {
            let from = (pixels.width, pixels.height);
            let scaled = area_average(&pixels.raw, pixels.channels, from, (w as usize, h as usize))
                .and_then(|raw| eight_bit_image(w, h, raw, pixels.channels))
                .ok_or_else(|| format!("cannot scale `{}` to {w} px", image.rel))?;
            let bytes = encode_with_profile(&scaled, image.kind, pixels.icc.as_deref(), quality)
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

/// A PDF's screenshots are embedded at this resolution at the size the page shows them
/// ([`print_copy`]): print quality, and sharp on screen at 200 % and more.
const PRINT_DPI: f64 = 300.0;

/// Past this resolution at the size shown, a PNG is embedded as a [`PRINT_DPI`] copy: a retina
/// screenshot (2880 px across, in 100 mm: 730 dpi) would otherwise be decoded, compressed and
/// stored at several times what paper or screen can show.
const PRINT_MAX_DPI: f64 = 450.0;

/// A screenshot's pixels as a PDF embeds them: `width`×`height`, 8 bits a channel, RGB or RGBA.
#[derive(Debug)]
pub struct PrintCopy {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub pixels: Arc<Vec<u8>>,
    /// The original's colour profile (a Mac's screenshots are in Display P3), kept with the pixels.
    pub icc: Option<Arc<Vec<u8>>>,
}

/// Where an image's print copy is kept once made, with the width it was made for.
pub type PrintCell = Arc<std::sync::Mutex<Option<(u32, Option<Arc<PrintCopy>>)>>>;

/// The print copy of `image` for a PDF that shows it `shown_mm` wide, or `None` when the original
/// is to be embedded as it is: an SVG or JPEG (a JPEG goes into the PDF as its own bytes), a PNG
/// within [`PRINT_MAX_DPI`], or a PNG that cannot be decoded. Made once per image and width, and
/// shared by every step and language that shows it.
pub fn print_copy(image: &Image, shown_mm: f64) -> Option<Arc<PrintCopy>> {
    let width = print_width(image, shown_mm)?;
    let mut cell = lock_print(image);
    if let Some((made_for, copy)) = &*cell
        && *made_for == width
    {
        return copy.clone();
    }
    let copy = print_copy_of(image, width, decode_pixels(image));
    *cell = Some((width, copy.clone()));
    copy
}

/// The print copy `width` wide made of `image`'s decoded pixels; `None` when they could not be
/// decoded (the original is embedded then).
fn print_copy_of(
    image: &Image,
    width: u32,
    decoded: Result<Pixels, String>,
) -> Option<Arc<PrintCopy>> {
    let pixels = decoded.ok()?;
    make_print_copy(image, width, &pixels).map(Arc::new)
}

fn lock_print(image: &Image) -> std::sync::MutexGuard<'_, Option<(u32, Option<Arc<PrintCopy>>)>> {
    image.print.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `image`'s print copy for `width` is made (or known not to be possible).
fn print_cell_holds(image: &Image, width: u32) -> bool {
    matches!(&*lock_print(image), Some((made_for, _)) if *made_for == width)
}

/// The width of `image`'s print copy at `shown_mm`, when it needs one.
fn print_width(image: &Image, shown_mm: f64) -> Option<u32> {
    let inches = shown_mm / 25.4;
    let dpi = f64::from(image.width) / inches;
    if image.kind != ImageKind::Png || !inches.is_finite() || inches <= 0.0 || dpi <= PRINT_MAX_DPI
    {
        return None;
    }
    Some((inches * PRINT_DPI).ceil().max(1.0) as u32)
}

fn make_print_copy(image: &Image, width: u32, pixels: &Pixels) -> Option<PrintCopy> {
    let height = (f64::from(image.height) * f64::from(width) / f64::from(image.width))
        .round()
        .max(1.0) as u32;
    let from = (pixels.width, pixels.height);
    let to = (width as usize, height as usize);
    let scaled = area_average(&pixels.raw, pixels.channels, from, to)?;
    Some(PrintCopy {
        width,
        height,
        alpha: pixels.channels == 4,
        pixels: Arc::new(scaled),
        icc: pixels.icc.clone().map(Arc::new),
    })
}

/// An image's pixels as 8-bit RGBA when it has alpha, else RGB, and how many channels that is.
fn eight_bit(image: DynamicImage) -> (Vec<u8>, usize) {
    if image.color().has_alpha() {
        (image.into_rgba8().into_raw(), 4)
    } else {
        (image.into_rgb8().into_raw(), 3)
    }
}

/// [`eight_bit`]'s pixels of a `width`×`height` image as an image again.
fn eight_bit_image(width: u32, height: u32, raw: Vec<u8>, channels: usize) -> Option<DynamicImage> {
    match channels {
        4 => image::RgbaImage::from_raw(width, height, raw).map(DynamicImage::ImageRgba8),
        _ => image::RgbImage::from_raw(width, height, raw).map(DynamicImage::ImageRgb8),
    }
}

/// Fixed-point one of [`area_average`]'s weights.
const WEIGHT_ONE: u32 = 1 << 14;

/// `pixels` (`from` = width × height, `channels` bytes each) scaled down to `to`, each new pixel the
/// average of the area of the old ones it covers: a screenshot's lines and letters shrink without
/// ringing or aliasing. Separable (columns, then rows) with fixed-point weights, so it is exact
/// arithmetic — the same bytes on every machine. `None` when `to` is not smaller.
fn area_average(
    pixels: &[u8],
    channels: usize,
    from: (usize, usize),
    to: (usize, usize),
) -> Option<Vec<u8>> {
    let ((fw, fh), (tw, th)) = (from, to);
    let sizes_ok = tw > 0 && th > 0 && tw <= fw && th <= fh && pixels.len() == fw * fh * channels;
    if !sizes_ok || !matches!(channels, 3 | 4) {
        return None;
    }
    // Down each column first, whole rows at a time (a loop the compiler vectorizes), into 8 more
    // bits of precision: at most 255 × 256, in a u16.
    let stride = fw * channels;
    let mut columns = vec![0u16; stride * th];
    let mut sum = vec![0u32; stride];
    for ((start, weights), out) in area_weights(fh, th)
        .iter()
        .zip(columns.chunks_exact_mut(stride))
    {
        sum.fill(0);
        for (k, &w) in weights.iter().enumerate() {
            let row = &pixels[(start + k) * stride..][..stride];
            for (s, &p) in sum.iter_mut().zip(row) {
                *s += u32::from(u16::from(p)) * u32::from(w);
            }
        }
        for (o, &s) in out.iter_mut().zip(&sum) {
            *o = ((s + (1 << 5)) >> 6) as u16;
        }
    }
    // Then along each row.
    let across = area_weights(fw, tw);
    let mut out = vec![0u8; tw * th * channels];
    let rows = columns
        .chunks_exact(stride)
        .zip(out.chunks_exact_mut(tw * channels));
    for (row, out) in rows {
        match channels {
            3 => along_row::<3>(row, &across, out),
            _ => along_row::<4>(row, &across, out),
        }
    }
    Some(out)
}

/// One row of [`area_average`]'s second pass: `C` channels a pixel.
fn along_row<const C: usize>(row: &[u16], across: &[(usize, Vec<u16>)], out: &mut [u8]) {
    for ((start, weights), out) in across.iter().zip(out.chunks_exact_mut(C)) {
        let mut sum = [0u32; C];
        let taps = row[start * C..].chunks_exact(C).zip(weights);
        for (pixel, &w) in taps {
            for c in 0..C {
                sum[c] += u32::from(pixel[c]) * u32::from(w);
            }
        }
        for c in 0..C {
            out[c] = ((sum[c] + (1 << 21)) >> 22).min(255) as u8;
        }
    }
}

/// For each of `to` pixels along a side of `from` (`to` ≤ `from`): the first old pixel it covers
/// and the share of each one it covers from there, summing to [`WEIGHT_ONE`]. In a `u16`: a
/// product of a pixel and a weight is then 16 by 16 bits, which SSE2 multiplies eight at a time
/// (32-bit products take it several instructions each), a third of the scaling's time.
fn area_weights(from: usize, to: usize) -> Vec<(usize, Vec<u16>)> {
    let scale = from as f64 / to as f64;
    (0..to)
        .map(|i| {
            let (lo, hi) = (i as f64 * scale, ((i + 1) as f64 * scale).min(from as f64));
            let first = lo.floor() as usize;
            let last = (hi.ceil() as usize).clamp(first + 1, from);
            let mut weights: Vec<u16> = (first..last)
                .map(|j| {
                    let covered = hi.min((j + 1) as f64) - lo.max(j as f64);
                    (covered.max(0.0) / scale * f64::from(WEIGHT_ONE)).round() as u16
                })
                .collect();
            // Rounding may leave the sum a little off: the largest share takes the difference.
            let sum: u32 = weights.iter().map(|&w| u32::from(w)).sum();
            if let Some(largest) = weights.iter_mut().max() {
                let fixed = (u32::from(*largest) + WEIGHT_ONE).saturating_sub(sum);
                *largest = u16::try_from(fixed).unwrap_or(u16::MAX);
            }
            (first, weights)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// How many times each image's bytes were decoded, by a hash of the bytes: tests running side
    /// by side count their own images.
    static DECODES: std::sync::Mutex<BTreeMap<u64, usize>> = std::sync::Mutex::new(BTreeMap::new());

    fn key(bytes: &[u8]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        hasher.finish()
    }

    pub(super) fn count_decode(bytes: &[u8]) {
        *DECODES.lock().unwrap().entry(key(bytes)).or_default() += 1;
    }

    /// The decode typst made of each image's bytes for its renditions ([`decode_as_the_pdf_does`]),
    /// as the address of its pixels, by a hash of the bytes.
    static TYPST_DECODES: std::sync::Mutex<BTreeMap<u64, usize>> =
        std::sync::Mutex::new(BTreeMap::new());

    pub(super) fn note_typst_decode(bytes: &[u8], pixels: &Arc<DynamicImage>) {
        let at = Arc::as_ptr(pixels) as usize;
        TYPST_DECODES.lock().unwrap().insert(key(bytes), at);
    }

    /// How many times these bytes were decoded into pixels so far.
    pub(crate) fn decodes_of(bytes: &[u8]) -> usize {
        DECODES
            .lock()
            .unwrap()
            .get(&key(bytes))
            .copied()
            .unwrap_or(0)
    }

    use std::collections::BTreeMap;

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

    fn shot(bytes: Vec<u8>, kind: ImageKind, width: u32, height: u32) -> Image {
        Image {
            rel: "shots/a.png".into(),
            kind,
            width,
            height,
            bytes: Arc::new(bytes),
            redacted: Vec::new(),
            renditions: Default::default(),
            print: Default::default(),
            cuts: Default::default(),
        }
    }

    #[test]
    fn a_png_past_450_dpi_where_shown_gets_a_300_dpi_copy_with_its_colour_profile() {
        let profile = fake_profile(b"RGB ");
        let mut bytes = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut bytes);
        image::ImageEncoder::set_icc_profile(&mut encoder, profile.clone()).unwrap();
        let pixels =
            image::RgbImage::from_fn(3000, 40, |x, _| image::Rgb([(x % 2 * 255) as u8; 3]));
        image::ImageEncoder::write_image(
            encoder,
            &pixels,
            3000,
            40,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        let image = shot(bytes, ImageKind::Png, 3000, 40);
        // 100 mm: 762 dpi, so a copy 100 mm × 300 dpi = 1182 px wide, as tall in proportion.
        let copy = print_copy(&image, 100.0).expect("a copy");
        assert_eq!((copy.width, copy.height, copy.alpha), (1182, 16, false));
        assert_eq!(copy.pixels.len(), 1182 * 16 * 3);
        assert_eq!(copy.icc.as_deref(), Some(&profile));
        // Black and white columns averaged over each copy pixel's 2–3: grey, never aliased to either.
        assert!(
            copy.pixels.iter().all(|&v| (80..=175).contains(&v)),
            "{:?}",
            &copy.pixels[..12]
        );
        // Shown 254 mm (10 in) wide it is 300 dpi already: embedded as it is.
        assert!(print_copy(&image, 254.0).is_none());
        // The copy for 100 mm is made once.
        assert!(Arc::ptr_eq(&copy, &print_copy(&image, 100.0).unwrap()));
    }

    #[test]
    fn prepared_renditions_and_print_copy_come_from_one_decode_and_are_the_ones_asked_for() {
        // A retina capture: renditions for pages, and 300 dpi for a PDF that shows it 100 mm wide.
        let bytes = png(2880, 90, true);
        let prepared = shot(bytes.clone(), ImageKind::Png, 2880, 90);
        assert!(needs_preparing(&prepared, true, Some(100.0)));
        prepare(&prepared, true, Some(100.0));
        assert_eq!(decodes_of(&bytes), 1);
        assert!(!needs_preparing(&prepared, true, Some(100.0)));
        // A small one has nothing to prepare, for a page or a PDF.
        let small = shot(png(400, 300, false), ImageKind::Png, 400, 300);
        assert!(!needs_preparing(&small, true, Some(100.0)));
        let renditions_made = renditions(&prepared).unwrap();
        let copy = print_copy(&prepared, 100.0).unwrap();
        assert_eq!(
            decodes_of(&bytes),
            1,
            "asking for what was prepared decodes nothing"
        );
        assert_eq!(renditions_made.len(), 3);
        // Each asked for on its own (two decodes), they are the same.
        let alone = shot(bytes.clone(), ImageKind::Png, 2880, 90);
        let copy_alone = print_copy(&alone, 100.0).unwrap();
        let renditions_alone = renditions(&alone).unwrap();
        assert_eq!(decodes_of(&bytes), 3);
        assert_eq!(copy.pixels, copy_alone.pixels);
        assert_eq!(
            (copy.width, copy.height),
            (copy_alone.width, copy_alone.height)
        );
        let bytes_of = |r: &[Rendition]| r.iter().map(|r| r.bytes.clone()).collect::<Vec<_>>();
        assert_eq!(bytes_of(&renditions_made), bytes_of(&renditions_alone));
        // Prepared again, or for only one of the two, nothing more is decoded.
        prepare(&prepared, true, Some(100.0));
        prepare(&alone, false, Some(100.0));
        assert_eq!(decodes_of(&bytes), 3);
        // A PDF that shows it at a size that needs no copy: the renditions alone, from the
        // decode typst makes for the PDF (see the test below).
        let small = png(1000, 40, false);
        let image = shot(small.clone(), ImageKind::Png, 1000, 40);
        prepare(&image, true, Some(100.0));
        assert_eq!(decodes_of(&small), 0);
        assert!(TYPST_DECODES.lock().unwrap().contains_key(&key(&small)));
        assert!(image.renditions.get().is_some());
        assert!(print_copy(&image, 100.0).is_none());
    }

    #[test]
    fn renditions_for_a_build_with_pdfs_come_from_the_decode_the_pdf_uses() {
        use typst::foundations::Smart;
        use typst::visualize::{ExchangeFormat, RasterImage};
        // A phone's capture, 1280 px in 100 mm (325 dpi): renditions for pages, the original in
        // the PDF, which typst decodes.
        let (width, height) = (1280, 30);
        for (kind, format) in [
            (ImageKind::Png, ExchangeFormat::Png),
            (ImageKind::Jpeg, ExchangeFormat::Jpg),
        ] {
            let pixels =
                DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
                    image::Rgb([(x % 251) as u8, (y * 9) as u8, 0x5c])
                }));
            let bytes = encode(&pixels, kind).unwrap();
            let image = shot(bytes.clone(), kind, width, height);
            assert!(embeds_original(&image, 100.0));
            prepare(&image, true, Some(100.0));
            assert_eq!(
                decodes_of(&bytes),
                0,
                "{kind:?}: guidegen's decoder is not used"
            );
            let made = renditions(&image).unwrap();
            assert_eq!(made.len(), 2, "{kind:?}: 480 and 960 px");
            // What the PDF's `image(path)` asks typst for: the file's bytes (another copy of
            // them), its format, no colour profile of ours. typst finds the decode made above.
            let file = Arc::new(bytes.clone());
            let asked = RasterImage::new(crate::pdf::shared_bytes(&file), format, Smart::Auto);
            let at = Arc::as_ptr(asked.unwrap().dynamic()) as usize;
            let noted = TYPST_DECODES.lock().unwrap().get(&key(&bytes)).copied();
            assert_eq!(
                Some(at),
                noted,
                "{kind:?}: one decode for the renditions and the PDF"
            );
            // The renditions are the ones guidegen's own decode makes (as for pages alone).
            let alone = shot(bytes.clone(), kind, width, height);
            prepare(&alone, true, None);
            assert_eq!(decodes_of(&bytes), 1);
            let bytes_of = |r: &[Rendition]| r.iter().map(|r| r.bytes.clone()).collect::<Vec<_>>();
            assert_eq!(
                bytes_of(&made),
                bytes_of(&renditions(&alone).unwrap()),
                "{kind:?}"
            );
        }
    }

    /// The EXIF block (a TIFF header and one entry) that gives an image the orientation `turn`.
    fn exif_orientation(turn: u16) -> Vec<u8> {
        let mut tiff = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        tiff.extend_from_slice(&turn.to_be_bytes());
        tiff.extend_from_slice(&[0; 6]);
        tiff
    }

    /// `pixels` encoded as `kind` with the EXIF orientation `turn`.
    fn encode_turned(pixels: &image::RgbImage, kind: ImageKind, turn: u16) -> Vec<u8> {
        use image::ImageEncoder;
        let mut out = Vec::new();
        let (w, h) = pixels.dimensions();
        let rgb = image::ExtendedColorType::Rgb8;
        let exif = exif_orientation(turn);
        match kind {
            ImageKind::Png => {
                let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
                encoder.set_exif_metadata(exif).unwrap();
                encoder.write_image(pixels, w, h, rgb).unwrap();
            }
            _ => {
                let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
                encoder.set_exif_metadata(exif).unwrap();
                encoder.write_image(pixels, w, h, rgb).unwrap();
            }
        }
        out
    }

    #[test]
    fn an_image_turned_by_its_exif_orientation_is_measured_decoded_and_copied_upright() {
        use typst::foundations::Smart;
        use typst::visualize::{ExchangeFormat, RasterImage};
        // What the reader sees: 1300 × 40, wide, each pixel telling where it is.
        let upright = image::RgbImage::from_fn(1300, 40, |x, y| {
            image::Rgb([(x % 256) as u8, (x / 256 * 40) as u8, (y * 6) as u8])
        });
        for turn in 1..=8u16 {
            let orientation = Orientation::from_exif(turn as u8).unwrap();
            // The pixels as a camera stores them: the inverse turn of the upright ones.
            let mut stored = DynamicImage::ImageRgb8(upright.clone());
            stored.apply_orientation(match orientation {
                Orientation::Rotate90 => Orientation::Rotate270,
                Orientation::Rotate270 => Orientation::Rotate90,
                other => other,
            });
            for (kind, format) in [
                (ImageKind::Png, ExchangeFormat::Png),
                (ImageKind::Jpeg, ExchangeFormat::Jpg),
            ] {
                let bytes = encode_turned(&stored.to_rgb8(), kind, turn);
                let case = format!("{kind:?}, orientation {turn}");
                assert_eq!(raster_size(&bytes, kind), Ok((1300, 40)), "{case}");
                assert_eq!(dimensions(&bytes, kind), Some((1300, 40)), "{case}");
                // Its renditions, for a build with PDFs: upright, from typst's one decode.
                let image = shot(bytes.clone(), kind, 1300, 40);
                prepare(&image, true, Some(100.0));
                assert_eq!(decodes_of(&bytes), 0, "{case}");
                let ours = decode(&bytes, kind).unwrap().to_rgb8();
                if kind == ImageKind::Png {
                    assert!(ours == upright, "{case}: decoded upright");
                }
                // typst, which shows the original in the PDF, turns it the same way.
                let file = crate::pdf::shared_bytes(&Arc::new(bytes.clone()));
                let typst = RasterImage::new(file, format, Smart::Auto).unwrap();
                assert!(
                    typst.dynamic().to_rgb8() == ours,
                    "{case}: as typst turns it"
                );
                let sizes: Vec<_> = renditions(&image)
                    .unwrap()
                    .iter()
                    .map(|r| (r.width, r.height, raster_size(&r.bytes, kind).unwrap()))
                    .collect();
                assert_eq!(
                    sizes,
                    [(480, 15, (480, 15)), (960, 30, (960, 30))],
                    "{case}"
                );
            }
        }
    }

    #[test]
    fn a_turned_screenshot_is_redacted_where_the_author_sees_the_region() {
        // Shown 200 × 100, stored 100 × 200 with orientation 6 (turn 90° clockwise to show).
        let upright = image::RgbImage::from_pixel(200, 100, image::Rgb([250, 250, 250]));
        let stored = DynamicImage::ImageRgb8(upright).rotate270().to_rgb8();
        let bytes = encode_turned(&stored, ImageKind::Png, 6);
        let region = Region {
            x: 150.0,
            y: 10.0,
            w: 40.0,
            h: 20.0,
        };
        let out = redact_raster(&bytes, ImageKind::Png, &[region]).unwrap();
        // Written upright, without the orientation, so that every viewer shows the same pixels.
        let shown = decode(&out, ImageKind::Png).unwrap().to_rgb8();
        assert_eq!(shown.dimensions(), (200, 100));
        assert_eq!(shown.get_pixel(160, 20).0, REDACT_FILL, "inside the region");
        assert_eq!(shown.get_pixel(100, 20).0, [250; 3], "left of it");
        assert_eq!(shown.get_pixel(160, 60).0, [250; 3], "below it");
    }

    /// The colour profile of an encoded PNG or JPEG.
    fn profile_of(bytes: &[u8], kind: ImageKind) -> Option<Vec<u8>> {
        decode_with_profile(bytes, kind).unwrap().1
    }

    /// A colour profile's bytes as far as guidegen reads them: its colour space in the header. The
    /// codecs do not check the rest; a real one is some 500 bytes to 4 kB (CMYK ones up to 1 MB).
    fn fake_profile(space: &[u8; 4]) -> Vec<u8> {
        let mut profile = b"a Display P3 profile".repeat(20);
        profile[16..20].copy_from_slice(space);
        profile
    }

    #[test]
    fn renditions_and_redacted_copies_keep_the_original_s_colour_profile() {
        let profile = fake_profile(b"RGB ");
        let pixels = DynamicImage::ImageRgb8(image::RgbImage::from_fn(1300, 30, |x, y| {
            image::Rgb([(x % 256) as u8, (y * 8) as u8, 90])
        }));
        for kind in [ImageKind::Png, ImageKind::Jpeg] {
            let with = encode_with_profile(&pixels, kind, Some(&profile), JPEG_QUALITY).unwrap();
            let without = encode(&pixels, kind).unwrap();
            assert_eq!(profile_of(&with, kind).as_deref(), Some(&profile[..]));
            assert_eq!(profile_of(&without, kind), None);
            let made = renditions(&shot(with.clone(), kind, 1300, 30)).unwrap();
            assert_eq!(made.len(), 2, "480 and 960 px");
            for rendition in made {
                assert_eq!(
                    profile_of(&rendition.bytes, kind).as_deref(),
                    Some(&profile[..])
                );
            }
            let region = Region {
                x: 1.0,
                y: 1.0,
                w: 10.0,
                h: 10.0,
            };
            let redacted = redact_raster(&with, kind, &[region]).unwrap();
            assert_eq!(profile_of(&redacted, kind).as_deref(), Some(&profile[..]));
            // Without one, none is made up.
            let made = renditions(&shot(without.clone(), kind, 1300, 30)).unwrap();
            assert!(made.iter().all(|r| profile_of(&r.bytes, kind).is_none()));
            let redacted = redact_raster(&without, kind, &[region]).unwrap();
            assert_eq!(profile_of(&redacted, kind), None);
        }
    }

    #[test]
    fn a_grey_or_cmyk_profile_stays_with_the_original_not_with_rgb_copies() {
        // Copies are RGB: a grey screenshot's pixels become grey RGB ones, and a CMYK JPEG's are
        // converted on decoding; the original's profile would not describe them.
        let grey = DynamicImage::ImageLuma8(image::GrayImage::from_fn(1300, 30, |x, _| {
            image::Luma([(x % 256) as u8])
        }));
        let colour = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            1300,
            30,
            image::Rgb([9, 99, 199]),
        ));
        let cases = [
            (&grey, ImageKind::Png, fake_profile(b"GRAY")),
            (&colour, ImageKind::Jpeg, fake_profile(b"CMYK")),
        ];
        for (pixels, kind, profile) in cases {
            let bytes = written_with(pixels, kind, &profile);
            let image = shot(bytes.clone(), kind, 1300, 30);
            for rendition in renditions(&image).unwrap() {
                assert_eq!(profile_of(&rendition.bytes, kind), None, "{kind:?}");
            }
            let region = Region {
                x: 1.0,
                y: 1.0,
                w: 10.0,
                h: 10.0,
            };
            let redacted = redact_raster(&bytes, kind, &[region]).unwrap();
            assert_eq!(profile_of(&redacted, kind), None, "{kind:?}");
            // As the PDF's decode gives them to renditions, too.
            assert_eq!(
                decode_as_the_pdf_does(&image).unwrap().icc,
                None,
                "{kind:?}"
            );
        }
        // A PNG past 450 dpi: its print copy (RGB pixels handed to typst) has none either.
        let wide = DynamicImage::ImageLuma8(image::GrayImage::from_fn(3000, 40, |x, _| {
            image::Luma([(x % 2 * 255) as u8])
        }));
        let bytes = written_with(&wide, ImageKind::Png, &fake_profile(b"GRAY"));
        let copy = print_copy(&shot(bytes, ImageKind::Png, 3000, 40), 100.0).expect("a copy");
        assert_eq!(copy.icc, None);
    }

    /// `pixels` as they are (grey stays grey) encoded as `kind` with the colour profile `profile`.
    fn written_with(pixels: &DynamicImage, kind: ImageKind, profile: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let profile = profile.to_vec();
        match kind {
            ImageKind::Png => {
                let mut encoder = image::codecs::png::PngEncoder::new(&mut bytes);
                image::ImageEncoder::set_icc_profile(&mut encoder, profile).unwrap();
                pixels.write_with_encoder(encoder).unwrap();
            }
            _ => {
                let mut encoder = image::codecs::jpeg::JpegEncoder::new(&mut bytes);
                image::ImageEncoder::set_icc_profile(&mut encoder, profile).unwrap();
                pixels.write_with_encoder(encoder).unwrap();
            }
        }
        bytes
    }

    /// A photo-like 1300 × 900 image saved as a JPEG at `quality`.
    fn photo_at(quality: u8) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(1300, 900, |x, y| {
            let wave = ((x * 7 + y * 13) % 97) as u8;
            image::Rgb([wave.wrapping_mul(3), (x % 251) as u8, (y % 241) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
            .encode_image(&pixels)
            .unwrap();
        bytes
    }

    #[test]
    fn a_long_capture_is_cut_between_its_lines_of_text() {
        // A page of lines of "text" 18 rows tall (no two rows alike) 12 rows apart: embedded as it
        // is 400 px wide in 100 mm, and given a print copy 1800 px wide (457 dpi).
        let text = |y: u32| y % 30 < 18;
        for width in [400, 1800] {
            let pixels = image::RgbImage::from_fn(width, 3000, |x, y| {
                let ink = text(y) && (x + y * 7) % 5 < 2;
                image::Rgb(if ink { [20; 3] } else { [250; 3] })
            });
            let bytes = encode(&DynamicImage::ImageRgb8(pixels), ImageKind::Png).unwrap();
            let image = shot(bytes, ImageKind::Png, width, 3000);
            assert_eq!(print_copy(&image, 100.0).is_some(), width == 1800);
            let piece = 250;
            let cuts = long_capture_cuts(&image, piece, 100.0);
            assert!(cuts.len() >= 11, "{cuts:?}");
            let mut start = 0;
            for &cut in cuts.iter() {
                // The piece ends in a gap and the next one starts in it: no line is parted.
                assert!(
                    !text(cut - 1) && !text(cut),
                    "cut at row {cut} of {width}: {cuts:?}"
                );
                assert!((piece * 2 / 3..=piece).contains(&(cut - start)), "{cuts:?}");
                start = cut;
            }
            assert!(3000 - start <= piece);
            // Found once per image and piece.
            assert!(Arc::ptr_eq(&cuts, &long_capture_cuts(&image, piece, 100.0)));
        }
    }

    #[test]
    fn a_long_capture_is_taller_than_any_phone_s_screen() {
        // iPhone 15, a 21:9 Xperia, a Galaxy Z Fold's cover screen, an iPad upright: screens.
        for (w, h) in [
            (1179, 2556),
            (1644, 3840),
            (904, 2316),
            (2048, 2732),
            (1280, 800),
        ] {
            assert!(!is_long_capture(w, h), "{w}×{h}");
        }
        // A settings page scrolled down, on a computer and on a phone.
        for (w, h) in [(1280, 5200), (1179, 6000), (400, 1040)] {
            assert!(is_long_capture(w, h), "{w}×{h}");
        }
        assert!(!is_long_capture(0, 100));
    }

    #[test]
    fn a_jpeg_s_quality_is_read_from_its_luminance_table() {
        for quality in [10, 35, 50, 62, 75, 85, 90, 95, 100] {
            assert_eq!(jpeg_quality(&photo_at(quality)), Some(quality));
        }
        // No table, or one that does not add up: no quality read, and nothing read past the end.
        let whole = photo_at(75);
        for cut in [0, 2, 4, 6, 20, 25] {
            assert_eq!(jpeg_quality(&whole[..cut]), None, "cut at {cut}");
        }
        assert_eq!(jpeg_quality(&png(4, 4, false)), None);
        assert_eq!(jpeg_quality(b"\xff\xd8\xff\xdb\x00\x01"), None);
        assert_eq!(jpeg_quality(b"\xff\xd8\xff\xda\x00\x02"), None);
    }

    #[test]
    fn copies_of_a_compressed_jpeg_keep_its_quality_and_are_smaller_than_it() {
        let region = Region {
            x: 10.0,
            y: 10.0,
            w: 40.0,
            h: 20.0,
        };
        for (saved, copied) in [(40, 40), (70, 70), (95, 90)] {
            let original = photo_at(saved);
            let image = shot(original.clone(), ImageKind::Jpeg, 1300, 900);
            let made = renditions(&image).unwrap();
            assert_eq!(made.len(), 2, "480 and 960 px");
            for rendition in &made {
                assert_eq!(jpeg_quality(&rendition.bytes), Some(copied), "from {saved}");
                assert!(rendition.bytes.len() < original.len(), "from {saved}");
            }
            let redacted = redact_raster(&original, ImageKind::Jpeg, &[region]).unwrap();
            assert_eq!(jpeg_quality(&redacted), Some(copied), "from {saved}");
        }
    }

    #[test]
    fn area_averages_are_exact_for_whole_blocks_and_keep_flat_colour() {
        // 4 × 2 pixels of grey levels, halved each way: each new pixel the mean of a 2 × 2 block.
        let pixels: Vec<u8> = [0, 100, 200, 255, 50, 150, 250, 255]
            .iter()
            .flat_map(|&v| [v; 3])
            .collect();
        let out = area_average(&pixels, 3, (4, 2), (2, 1)).unwrap();
        assert_eq!(out, [75, 75, 75, 240, 240, 240]);
        // A flat colour stays that colour through any ratio.
        let flat: Vec<u8> = [12, 200, 77].repeat(97 * 31);
        let out = area_average(&flat, 3, (97, 31), (40, 13)).unwrap();
        assert!(out.chunks(3).all(|p| p == [12, 200, 77]), "{:?}", &out[..9]);
        // Every weight list sums to one.
        for (from, to) in [(2880, 1182), (2556, 947), (7, 3), (5, 5)] {
            assert!(
                area_weights(from, to).iter().all(|(_, w)| w
                    .iter()
                    .map(|&w| u32::from(w))
                    .sum::<u32>()
                    == WEIGHT_ONE)
            );
        }
        // Not a downscale, or a wrong length: none.
        assert!(area_average(&pixels, 3, (4, 2), (5, 1)).is_none());
        assert!(area_average(&pixels[1..], 3, (4, 2), (2, 1)).is_none());
    }

    #[test]
    fn svgs_jpegs_and_undecodable_pngs_are_embedded_as_they_are() {
        let jpeg = encode(&DynamicImage::new_rgb8(3000, 40), ImageKind::Jpeg).unwrap();
        assert!(print_copy(&shot(jpeg, ImageKind::Jpeg, 3000, 40), 20.0).is_none());
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='3000' height='40'/>".to_vec();
        assert!(print_copy(&shot(svg, ImageKind::Svg, 3000, 40), 20.0).is_none());
        let broken = png(30, 30, true)[..60].to_vec();
        assert!(print_copy(&shot(broken, ImageKind::Png, 3000, 3000), 20.0).is_none());
        // With an alpha channel, the copy keeps it.
        let image = shot(png(2000, 20, true), ImageKind::Png, 2000, 20);
        let copy = print_copy(&image, 50.0).unwrap();
        assert!(copy.alpha);
        assert_eq!(copy.pixels.len(), (copy.width * copy.height * 4) as usize);
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
