//! Render stage: QR codes for store links, as inline SVG (error correction M) with an accessible name.

use qrcode::{EcLevel, QrCode};

/// An SVG that encodes `url`, drawn as one path of dark modules on a white square with a quiet zone of
/// four modules. `label` becomes the image's accessible name. `None` only for a URL too long for any
/// QR code, which validation has ruled out for store links.
pub fn svg(url: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::with_capacity(width * width * 4);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let x = i % width + quiet;
            let y = i / width + quiet;
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {size} {size}" "#,
            r#"width="{px}" height="{px}" role="img" aria-label="{label}" shape-rendering="crispEdges">"#,
            r##"<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        ),
        size = size,
        px = size * 4,
        label = escape_attr(label),
        path = path,
    ))
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
        assert!(
            svg.contains("M4 4h1v1h-1z"),
            "the finder pattern starts at the quiet zone"
        );
    }
}
