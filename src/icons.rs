//! Render stage: the built-in device icons, as inline SVG that takes the colour of the text around it.

use crate::model::Icon;

/// The icon's SVG markup, decorative (`aria-hidden`): a label always stands beside it.
pub fn svg(icon: Icon) -> &'static str {
    match icon {
        Icon::Computer => concat!(
            r#"<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">"#,
            r#"<path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M4 5h16v10H4z"/>"#,
            r#"<path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M2 19h20M10 15l-.5 4M14 15l.5 4"/>"#,
            "</svg>"
        ),
        Icon::Phone => concat!(
            r#"<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">"#,
            r#"<rect x="6.5" y="2" width="11" height="20" rx="2.2" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
            r#"<path stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M10.5 18.5h3"/>"#,
            "</svg>"
        ),
        Icon::Tablet => concat!(
            r#"<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">"#,
            r#"<rect x="3.5" y="2.5" width="17" height="19" rx="2.2" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
            r#"<path stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M10.5 18.5h3"/>"#,
            "</svg>"
        ),
        Icon::Device => concat!(
            r#"<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">"#,
            r#"<rect x="4" y="4" width="16" height="16" rx="3" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
            r#"<circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
            "</svg>"
        ),
    }
}

/// The app icon shown in "what you need": a generic app tile.
pub const APP: &str = concat!(
    r#"<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">"#,
    r#"<rect x="3" y="3" width="7.5" height="7.5" rx="2" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
    r#"<rect x="13.5" y="3" width="7.5" height="7.5" rx="2" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
    r#"<rect x="3" y="13.5" width="7.5" height="7.5" rx="2" fill="none" stroke="currentColor" stroke-width="1.8"/>"#,
    r#"<path stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M17.25 13.5v7.5M13.5 17.25H21"/>"#,
    "</svg>"
);
