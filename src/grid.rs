//! Authoring help: `guidegen grid <image>` writes a page that shows a screenshot with a coordinate
//! grid in its own pixels, so that an author finds the numbers for `callouts` and `redact` without an
//! image editor. Pointing shows `x, y`; dragging a rectangle shows it as `box: [x, y, width, height]`,
//! ready to paste. The page is one file (the image is inside it), never part of a site's output.

use std::path::{Path, PathBuf};

use crate::model::ImageKind;

/// A grid page, or why the image cannot have one.
pub fn page_for(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let kind = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ImageKind::from_extension)
        .ok_or_else(|| format!("{shown} is not a PNG, JPEG or SVG image"))?;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if meta.len() > crate::files::MAX_MEDIA_FILE_BYTES {
        return Err(format!(
            "{shown} is larger than the {} MiB a screenshot may be",
            crate::files::MAX_MEDIA_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let (bytes, width, height, mime) = match kind {
        ImageKind::Svg => {
            let clean = crate::svg::sanitize(&bytes)
                .map_err(|e| format!("{shown} is not a valid SVG image: {e}"))?;
            let (w, h) = crate::validate::svg_size(&clean.bytes)
                .map_err(|e| format!("{shown} is not a valid SVG image: {e}"))?;
            (clean.bytes, w, h, "image/svg+xml")
        }
        ImageKind::Png | ImageKind::Jpeg => {
            let (w, h) = crate::shots::raster_size(&bytes, kind)
                .map_err(|e| format!("{shown} is not a valid image: {e}"))?;
            let mime = if kind == ImageKind::Png {
                "image/png"
            } else {
                "image/jpeg"
            };
            (bytes, w, h, mime)
        }
    };
    crate::validate::image_size_ok(&shown.to_string(), width, height)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(page(&name, &bytes, mime, width, height))
}

/// Where `guidegen grid` writes the page of `image` unless told: the system's temporary folder.
pub fn default_out(image: &Path) -> PathBuf {
    let stem = image
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    std::env::temp_dir()
        .join("guidegen-grid")
        .join(format!("{stem}.grid.html"))
}

/// The grid every 10 px, stronger every 50 px, numbered every 100 px, as SVG lines in the image's
/// pixels.
fn grid_svg(width: u32, height: u32) -> String {
    let mut out = format!(
        "<svg class=\"grid\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
    );
    let line = |out: &mut String, v: u32, vertical: bool| {
        let class = if v.is_multiple_of(100) {
            "g100"
        } else if v.is_multiple_of(50) {
            "g50"
        } else {
            "g10"
        };
        if vertical {
            out.push_str(&format!(
                "<line class=\"{class}\" x1=\"{v}\" y1=\"0\" x2=\"{v}\" y2=\"{height}\"/>"
            ));
        } else {
            out.push_str(&format!(
                "<line class=\"{class}\" x1=\"0\" y1=\"{v}\" x2=\"{width}\" y2=\"{v}\"/>"
            ));
        }
    };
    for x in (10..width).step_by(10) {
        line(&mut out, x, true);
    }
    for y in (10..height).step_by(10) {
        line(&mut out, y, false);
    }
    for x in (100..width).step_by(100) {
        out.push_str(&format!("<text x=\"{}\" y=\"14\">{x}</text>", x + 3));
    }
    for y in (100..height).step_by(100) {
        out.push_str(&format!("<text x=\"3\" y=\"{}\">{y}</text>", y - 3));
    }
    out.push_str("<rect id=\"pick\" x=\"0\" y=\"0\" width=\"0\" height=\"0\"/></svg>");
    out
}

fn page(name: &str, bytes: &[u8], mime: &str, width: u32, height: u32) -> String {
    let name = crate::html::escape(name);
    let data = crate::base64::encode(bytes);
    let grid = grid_svg(width, height);
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}: coordinates</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #1b2230; }}
header {{ position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid #d3d9e0; padding: 0.6rem 1rem; }}
h1 {{ font-size: 1rem; margin: 0 0 0.3rem; }}
output, code {{ font: 14px/1.4 ui-monospace, monospace; }}
#snippet {{ display: inline-block; min-width: 22rem; padding: 0.15rem 0.4rem; background: #fff8d6; border: 1px solid #c9b458; }}
label {{ margin-left: 1rem; }}
main {{ padding: 1rem; }}
.frame {{ position: relative; display: inline-block; line-height: 0; cursor: crosshair; user-select: none; }}
.frame img {{ display: block; width: {width}px; max-width: none; }}
.fit .frame img {{ width: auto; max-width: calc(100vw - 2rem); }}
.grid {{ position: absolute; inset: 0; width: 100%; height: 100%; }}
.grid line {{ stroke: #0b57a4; vector-effect: non-scaling-stroke; }}
.grid .g10 {{ stroke-opacity: 0.12; }} .grid .g50 {{ stroke-opacity: 0.3; }} .grid .g100 {{ stroke-opacity: 0.65; }}
.grid text {{ font: 12px ui-monospace, monospace; fill: #0b57a4; paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
#pick {{ fill: rgba(255, 204, 0, 0.25); stroke: #1a1a1a; stroke-width: 2; vector-effect: non-scaling-stroke; }}
</style>
</head>
<body>
<header>
  <h1>{name} — {width} × {height} pixels</h1>
  <div>Point: <output id="at">–</output>. Drag a rectangle, or click a point:
    <code id="snippet">box: [x, y, width, height]</code>
    <label><input type="checkbox" id="fit"> fit to the window</label></div>
</header>
<main>
<div class="frame" id="frame"><img id="shot" src="data:{mime};base64,{data}" width="{width}" height="{height}" alt="{name}" draggable="false">{grid}</div>
</main>
<script>
const W = {width}, H = {height};
const frame = document.getElementById('frame'), at = document.getElementById('at');
const snippet = document.getElementById('snippet'), pick = document.getElementById('pick');
let start = null;
function point(e) {{
  const r = frame.getBoundingClientRect();
  const x = Math.round((e.clientX - r.left) * W / r.width), y = Math.round((e.clientY - r.top) * H / r.height);
  return [Math.max(0, Math.min(W, x)), Math.max(0, Math.min(H, y))];
}}
function show(a, b) {{
  const x = Math.min(a[0], b[0]), y = Math.min(a[1], b[1]);
  const w = Math.abs(a[0] - b[0]), h = Math.abs(a[1] - b[1]);
  pick.setAttribute('x', x); pick.setAttribute('y', y); pick.setAttribute('width', w); pick.setAttribute('height', h);
  snippet.textContent = w && h ? `box: [${{x}}, ${{y}}, ${{w}}, ${{h}}]   redact: [[${{x}}, ${{y}}, ${{w}}, ${{h}}]]` : `marker: [${{x}}, ${{y}}]   arrow: [${{x}}, ${{y}}]`;
}}
frame.addEventListener('pointerdown', e => {{ start = point(e); frame.setPointerCapture(e.pointerId); show(start, start); }});
frame.addEventListener('pointermove', e => {{ const p = point(e); at.textContent = `${{p[0]}}, ${{p[1]}}`; if (start) show(start, p); }});
frame.addEventListener('pointerup', e => {{ if (start) show(start, point(e)); start = null; }});
document.getElementById('fit').addEventListener('change', e => document.body.classList.toggle('fit', e.target.checked));
</script>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_in_the_images_pixels() {
        let grid = grid_svg(250, 120);
        assert!(grid.starts_with("<svg class=\"grid\" viewBox=\"0 0 250 120\""));
        assert!(grid.contains("<line class=\"g100\" x1=\"100\" y1=\"0\" x2=\"100\" y2=\"120\"/>"));
        assert!(grid.contains("<line class=\"g50\" x1=\"0\" y1=\"50\" x2=\"250\" y2=\"50\"/>"));
        assert!(grid.contains(">200</text>"));
    }
}
