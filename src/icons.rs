//! Render stage: the built-in device icons — drawn once per site in the stylesheet (a CSS mask of
//! the text's colour, see [`stylesheet`]) and placed in pages as an empty element ([`glyph`]); and as
//! SVG for the PDF and for site templates that inline them.

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

/// Every icon with the CSS class that draws it.
fn classes() -> [(&'static str, &'static str); 5] {
    [
        (class(Icon::Computer), svg(Icon::Computer)),
        (class(Icon::Phone), svg(Icon::Phone)),
        (class(Icon::Tablet), svg(Icon::Tablet)),
        (class(Icon::Device), svg(Icon::Device)),
        (APP_CLASS, APP),
    ]
}

/// The CSS class that draws `icon`.
pub fn class(icon: Icon) -> &'static str {
    match icon {
        Icon::Computer => "icon-computer",
        Icon::Phone => "icon-phone",
        Icon::Tablet => "icon-tablet",
        Icon::Device => "icon-device",
    }
}

/// The class of the app tile.
pub const APP_CLASS: &str = "icon-app";

/// An icon in a page: an empty, decorative element the stylesheet draws (a label always stands
/// beside it).
pub fn glyph(class: &str) -> String {
    format!(r#"<span class="icon {class}" aria-hidden="true"></span>"#)
}

/// The rules that draw every icon, appended to the site's stylesheet: each icon once per site
/// instead of once per use in every page. The icon is a mask over the text's colour, so it takes
/// the colour of the text around it, in print too (`print-color-adjust`) and in forced colours.
pub fn stylesheet() -> String {
    let mut css = String::from(
        "\n/* Icons, added by guidegen: each drawn once here, placed with <span class=\"icon icon-…\">. */\n\
         span.icon { display: inline-block; background: currentColor; \
         -webkit-mask: var(--icon) center / contain no-repeat; mask: var(--icon) center / contain no-repeat; \
         -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n\
         @media (forced-colors: active) { span.icon { background: CanvasText; forced-color-adjust: none; } }\n",
    );
    for (class, svg) in classes() {
        css.push_str(&format!(
            ".{class} {{ --icon: url(\"{}\"); }}\n",
            data_url(svg)
        ));
    }
    css
}

/// An icon's SVG as a `data:` URL for CSS: standalone (with its namespace), black (a mask uses only
/// the shape), and escaped where CSS strings and URLs need it.
fn data_url(svg: &str) -> String {
    let standalone = svg
        .replacen("<svg", "<svg xmlns='http://www.w3.org/2000/svg'", 1)
        .replace("currentColor", "black")
        .replace('"', "'");
    let mut out = String::from("data:image/svg+xml,");
    for c in standalone.chars() {
        match c {
            '#' => out.push_str("%23"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_drawn_once_in_the_stylesheet() {
        let css = stylesheet();
        for (class, _) in classes() {
            assert_eq!(css.matches(&format!(".{class} {{")).count(), 1, "{class}");
        }
        assert!(!css.contains('#') || css.contains("%23"));
        assert!(!css.contains("currentColor\""));
        assert_eq!(
            glyph(class(Icon::Phone)),
            r#"<span class="icon icon-phone" aria-hidden="true"></span>"#
        );
    }

    #[test]
    fn the_data_urls_are_svgs_a_browser_can_read() {
        for (_, svg) in classes() {
            let url = data_url(svg);
            let body = url.trim_start_matches("data:image/svg+xml,");
            let decoded = body
                .replace("%23", "#")
                .replace("%3C", "<")
                .replace("%3E", ">")
                .replace("%25", "%");
            let tree = usvg::Tree::from_str(&decoded, &usvg::Options::default());
            assert!(tree.is_ok(), "{decoded}");
            assert!(!body.contains('"'), "quotes would end the CSS string");
        }
    }
}
