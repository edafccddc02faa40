//! Render stage: how the callouts on a screenshot are drawn — one geometry, in the image's own pixels,
//! that the page draws as an inline SVG over the image and the PDF with typst's shapes.
//!
//! Every shape is drawn twice: a dark outline, then a bright stroke on it, so that a callout stands out
//! on light and dark screenshots alike (the dark outline is 17:1 against white, the bright stroke 14:1
//! against black). Sizes follow the image's larger side, so a callout looks the same on a phone's
//! screenshot and a desktop's, at any width the image is shown.

use std::fmt::Write as _;

use crate::model::Shape;
use crate::shots::number;

/// The bright stroke and the badges' fill.
pub const BRIGHT: &str = "#ffcc00";
/// The outline around every stroke, and the badges' numbers.
pub const DARK: &str = "#1a1a1a";

/// The sizes a callout is drawn with on an image of `width`×`height`, in its pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The bright stroke's width.
    pub stroke: f64,
    /// The dark outline's width (drawn under the stroke, so it shows half of this on each side).
    pub outline: f64,
    /// A numbered badge's radius.
    pub badge: f64,
    pub width: f64,
    pub height: f64,
}

impl Scale {
    pub fn of(width: u32, height: u32) -> Scale {
        // A long capture is shown as wide as a computer's screenshot: its marks are sized by its
        // width, as that screenshot's are, not by a length that no screen shows whole.
        let side = if crate::shots::is_long_capture(width, height) {
            f64::from(width)
        } else {
            f64::from(width.max(height))
        };
        let stroke = (side / 200.0).clamp(2.0, 24.0);
        Scale {
            stroke,
            outline: stroke * 2.0,
            badge: (side / 36.0).clamp(10.0, 96.0),
            width: f64::from(width),
            height: f64::from(height),
        }
    }
}

/// One thing drawn, in the image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A stroked rectangle with rounded corners of radius `r`.
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        r: f64,
    },
    /// A stroked ellipse inside the rectangle.
    Ellipse { x: f64, y: f64, w: f64, h: f64 },
    /// A stroked line with round ends.
    Line { x1: f64, y1: f64, x2: f64, y2: f64 },
    /// A filled (and outlined) triangle: an arrow's head.
    Head([(f64, f64); 3]),
    /// A numbered circle: bright fill, dark outline and number.
    Badge { cx: f64, cy: f64, r: f64, n: usize },
}

/// What one callout draws, in drawing order.
pub fn pieces(shape: Shape, n: usize, numbered: bool, scale: &Scale) -> Vec<Piece> {
    let s = scale;
    let badge_at = |x: f64, y: f64| Piece::Badge {
        cx: x.clamp(s.badge, (s.width - s.badge).max(s.badge)),
        cy: y.clamp(s.badge, (s.height - s.badge).max(s.badge)),
        r: s.badge,
        n,
    };
    let mut out = Vec::new();
    match shape {
        Shape::Box(r) => {
            out.push(Piece::Rect {
                x: r.x,
                y: r.y,
                w: r.w,
                h: r.h,
                r: s.stroke.min(r.w / 2.0).min(r.h / 2.0),
            });
            if numbered {
                out.push(badge_at(r.x, r.y));
            }
        }
        Shape::Ring(r) => {
            out.push(Piece::Ellipse {
                x: r.x,
                y: r.y,
                w: r.w,
                h: r.h,
            });
            if numbered {
                // On the ellipse's upper left, where it leaves its bounding box's corner.
                let k = 1.0 - std::f64::consts::FRAC_1_SQRT_2;
                out.push(badge_at(r.x + r.w / 2.0 * k, r.y + r.h / 2.0 * k));
            }
        }
        Shape::Arrow { from, to } => {
            let (dx, dy) = (to.0 - from.0, to.1 - from.1);
            let length = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
            let (ux, uy) = (dx / length, dy / length);
            // The head: long and wide enough to read at a glance, never longer than the arrow.
            let head = (s.stroke * 4.0).min(length * 0.6);
            let half = head * 0.6;
            let base = (to.0 - ux * head, to.1 - uy * head);
            out.push(Piece::Line {
                x1: from.0,
                y1: from.1,
                x2: base.0 + ux * head * 0.2,
                y2: base.1 + uy * head * 0.2,
            });
            out.push(Piece::Head([
                to,
                (base.0 - uy * half, base.1 + ux * half),
                (base.0 + uy * half, base.1 - ux * half),
            ]));
            if numbered {
                out.push(badge_at(from.0, from.1));
            }
        }
        Shape::Marker(x, y) => out.push(badge_at(x, y)),
    }
    out
}

/// The inline SVG drawn over an image of `width`×`height`: its `viewBox` is the image's pixels, so
/// that it scales with the image at any width and in print. Decorative (`aria-hidden`): the labels
/// are text beside the image. Each callout is a `<g data-callout="n">`. `callouts`: number, shape,
/// and whether it shows its number.
pub fn svg(width: u32, height: u32, callouts: &[(usize, Shape, bool)]) -> String {
    let scale = Scale::of(width, height);
    let mut out = format!(
        "<svg class=\"shot-callouts\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for &(n, shape, numbered) in callouts {
        let _ = write!(
            out,
            "<g class=\"shot-callout shot-callout-{}\" data-callout=\"{n}\">",
            shape.key()
        );
        for piece in pieces(shape, n, numbered, &scale) {
            svg_piece(&mut out, &piece, &scale);
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

fn svg_piece(out: &mut String, piece: &Piece, s: &Scale) {
    let (stroke, outline) = (number(s.stroke), number(s.outline));
    let twice = |out: &mut String, element: &str| {
        let _ = write!(
            out,
            "<{element} fill=\"none\" stroke=\"{DARK}\" stroke-width=\"{outline}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\
             <{element} fill=\"none\" stroke=\"{BRIGHT}\" stroke-width=\"{stroke}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
        );
    };
    match *piece {
        Piece::Rect { x, y, w, h, r } => twice(
            out,
            &format!(
                "rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"",
                number(x),
                number(y),
                number(w),
                number(h),
                number(r)
            ),
        ),
        Piece::Ellipse { x, y, w, h } => twice(
            out,
            &format!(
                "ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
                number(x + w / 2.0),
                number(y + h / 2.0),
                number(w / 2.0),
                number(h / 2.0)
            ),
        ),
        Piece::Line { x1, y1, x2, y2 } => twice(
            out,
            &format!(
                "line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"",
                number(x1),
                number(y1),
                number(x2),
                number(y2)
            ),
        ),
        Piece::Head(points) => {
            let points = points
                .iter()
                .map(|(x, y)| format!("{},{}", number(*x), number(*y)))
                .collect::<Vec<_>>()
                .join(" ");
            let _ = write!(
                out,
                "<polygon points=\"{points}\" fill=\"{BRIGHT}\" stroke=\"{DARK}\" stroke-width=\"{}\" stroke-linejoin=\"round\"/>",
                number(s.stroke * 0.75)
            );
        }
        Piece::Badge { cx, cy, r, n } => {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{BRIGHT}\" stroke=\"{DARK}\" stroke-width=\"{}\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"700\" font-family=\"system-ui, sans-serif\" fill=\"{DARK}\" text-anchor=\"middle\" dominant-baseline=\"central\">{n}</text>",
                number(cx),
                number(cy),
                number(r),
                number(s.stroke),
                number(cx),
                number(cy),
                number(r * if n >= 10 { 1.0 } else { 1.25 })
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Region;

    #[test]
    fn the_overlay_is_in_the_images_pixels() {
        let region = Region {
            x: 752.0,
            y: 568.0,
            w: 150.0,
            h: 54.0,
        };
        let svg = svg(
            1280,
            800,
            &[
                (1, Shape::Box(region), true),
                (2, Shape::Marker(10.0, 790.0), true),
            ],
        );
        assert!(svg.starts_with("<svg class=\"shot-callouts\" viewBox=\"0 0 1280 800\""));
        assert!(svg.contains("<g class=\"shot-callout shot-callout-box\" data-callout=\"1\"><rect x=\"752\" y=\"568\" width=\"150\" height=\"54\""));
        // A badge stays on the picture: a marker in the corner is moved in by its radius.
        let scale = Scale::of(1280, 800);
        assert_eq!(
            pieces(Shape::Marker(10.0, 790.0), 2, true, &scale),
            [Piece::Badge {
                cx: scale.badge,
                cy: 800.0 - scale.badge,
                r: scale.badge,
                n: 2
            }]
        );
        assert!(
            roxmltree::Document::parse(
                &svg.replace("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ")
            )
            .is_ok()
        );
    }

    #[test]
    fn a_long_capture_s_marks_are_as_large_as_on_a_screenshot_as_wide() {
        // Both are shown as wide as a computer's screenshot: their marks are the same on paper.
        assert_eq!(Scale::of(1280, 5200).badge, Scale::of(1280, 800).badge);
        assert_eq!(Scale::of(1280, 5200).stroke, Scale::of(1280, 800).stroke);
        // A phone's screenshot is shown by its height, and marked by it.
        assert_eq!(Scale::of(1179, 2556).badge, 2556.0 / 36.0);
    }

    #[test]
    fn an_arrow_ends_in_a_head_at_its_point() {
        let scale = Scale::of(400, 300);
        let pieces = pieces(
            Shape::Arrow {
                from: (100.0, 100.0),
                to: (200.0, 100.0),
            },
            1,
            false,
            &scale,
        );
        let [Piece::Line { x1, x2, .. }, Piece::Head(head)] = pieces.as_slice() else {
            panic!("{pieces:?}");
        };
        assert_eq!(*x1, 100.0);
        assert!(*x2 < 200.0);
        assert_eq!(head[0], (200.0, 100.0));
    }
}
