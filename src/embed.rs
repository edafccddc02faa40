//! Render stage: a guide's page made to travel — `--format single` (one self-contained HTML file:
//! styles, screenshots and QR codes inline) and `--format fragment` (the page's content for pasting
//! into a CMS page: no `<html>`/`<head>`, styles scoped to the fragment's root, ids prefixed).
//! Both start from the guide's own page (the site's templates, so every step, banner and QR code
//! of the full page is there) and change only what cannot travel.

use crate::model::ImageKind;
use crate::view::GuideView;

/// The class of a fragment's root element; every rule of its stylesheet is scoped under it.
pub const FRAGMENT_CLASS: &str = "guidegen-fragment";

/// What a fragment's ids start with, so that they cannot clash with the host page's.
pub const ID_PREFIX: &str = "gg-";

/// The widest rendition an inlined screenshot uses: the page shows none wider, and an original
/// inlined as it is would make an e-mail attachment of many megabytes.
const INLINE_WIDTH: u32 = 960;

/// `<guide-id>-<lang>.html`: a guide as one self-contained file, beside the page.
pub fn single_file_name(guide_id: &str, lang: &str) -> String {
    format!("{guide_id}-{lang}.html")
}

/// `<guide-id>-<lang>.fragment.html`: a guide's content for a CMS page, beside the page.
pub fn fragment_file_name(guide_id: &str, lang: &str) -> String {
    format!("{guide_id}-{lang}.fragment.html")
}

fn mime(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::Png => "image/png",
        ImageKind::Jpeg => "image/jpeg",
        ImageKind::Svg => "image/svg+xml",
    }
}

fn data_url(kind: ImageKind, bytes: &[u8]) -> String {
    format!(
        "data:{};base64,{}",
        mime(kind),
        crate::base64::encode(bytes)
    )
}

/// Puts every screenshot and video poster of `view` into the page as a `data:` URL — a screenshot
/// at its widest rendition up to [`INLINE_WIDTH`] — and drops what points at files beside the
/// page: the renditions' `srcset` and the "open full size" link.
pub fn inline_images(view: &mut GuideView) -> Result<(), String> {
    for step in view.sections.iter_mut().flat_map(|s| s.steps.iter_mut()) {
        // The step's own screenshot, and each platform's where the step has variants (what the
        // page shows).
        let parts = step
            .parts
            .screenshot
            .iter_mut()
            .filter_map(|p| p.value.as_mut());
        for shot in step.screenshot.iter_mut().chain(parts) {
            inline_screenshot(shot)?;
        }
    }
    let videos = view
        .video
        .iter_mut()
        .chain(view.sections.iter_mut().flat_map(|s| {
            s.video
                .iter_mut()
                .chain(s.steps.iter_mut().filter_map(|step| step.video.as_mut()))
        }));
    for video in videos {
        if let Some(poster) = &mut video.poster {
            poster.src = data_url(poster.image.kind, &poster.image.bytes);
        }
    }
    Ok(())
}

/// `html` with each image of the guide's text (a Markdown image in a note: `<img src="shots/x.png"`)
/// that is one of `attachments` put in as a `data:` URL, as screenshots are by [`inline_images`].
pub fn inline_text_images(
    html: &str,
    attachments: &std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>,
) -> String {
    const START: &str = "<img src=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(START) {
        let after = at + START.len();
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        let Some(len) = rest.find('"') else { break };
        let src = &rest[..len];
        let decoded = percent_decode(src);
        let inline = attachments.get(&decoded).and_then(|bytes| {
            let ext = decoded.rsplit('.').next()?;
            Some(data_url(ImageKind::from_extension(ext)?, bytes))
        });
        out.push_str(inline.as_deref().unwrap_or(src));
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// `%20` and the like of an address written by the Markdown writer, as the file's path.
fn percent_decode(src: &str) -> String {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `shot` as a `data:` URL at its widest rendition up to [`INLINE_WIDTH`], without what points at
/// files beside the page.
fn inline_screenshot(shot: &mut crate::view::ScreenshotView) -> Result<(), String> {
    let rendition = crate::shots::renditions(&shot.image)?
        .into_iter()
        .filter(|r| r.width <= INLINE_WIDTH)
        .max_by_key(|r| r.width);
    shot.src = match rendition {
        Some(r) => data_url(shot.image.kind, &r.bytes),
        None => data_url(shot.image.kind, &shot.image.bytes),
    };
    shot.srcset.clear();
    shot.renditions.clear();
    shot.full_size = None;
    Ok(())
}

/// What lies between `<main id="main">` and `</main>` of a page the templates made.
pub fn main_content(page: &str) -> Result<&str, String> {
    let open = "<main id=\"main\">";
    let start = page.find(open).map(|i| i + open.len()).ok_or(
        "the page has no <main id=\"main\"> (templates/base.html): a fragment is its content",
    )?;
    let end = page[start..]
        .rfind("</main>")
        .map(|i| start + i)
        .ok_or("the page's <main> is not closed")?;
    Ok(&page[start..end])
}

/// Attributes that hold an id, or a space-separated list of ids.
const ID_ATTRIBUTES: &[&str] = &[
    "id",
    "for",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
];

/// Prefixes every id of `html` (and every reference to one: the attributes above, `href="#…"`,
/// `url(#…)`) with [`ID_PREFIX`]. The HTML is guidegen's own, from templates that quote every
/// attribute with `"` and escape every text, so a `name="` is always an attribute.
pub fn prefix_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, name_len, value_end)) = next_id_reference(rest) {
        let value_start = at + name_len;
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_end];
        if let Some(fragment) = value.strip_prefix('#') {
            out.push('#');
            out.push_str(ID_PREFIX);
            out.push_str(fragment);
        } else if let Some(inner) = value.strip_prefix("url(#") {
            out.push_str("url(#");
            out.push_str(ID_PREFIX);
            out.push_str(inner);
        } else {
            let ids: Vec<String> = value
                .split(' ')
                .filter(|v| !v.is_empty())
                .map(|v| format!("{ID_PREFIX}{v}"))
                .collect();
            out.push_str(&ids.join(" "));
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// The next attribute of `html` that names an id: its start, the length of `name="`, and where
/// its value ends.
fn next_id_reference(html: &str) -> Option<(usize, usize, usize)> {
    let mut from = 0;
    while let Some(quote) = html[from..].find("=\"").map(|i| from + i) {
        let value_start = quote + 2;
        let value_end = value_start + html[value_start..].find('"')?;
        let name_start = html[..quote]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name = &html[name_start..quote];
        let value = &html[value_start..value_end];
        let names_id = ID_ATTRIBUTES.contains(&name)
            || (matches!(name, "href" | "xlink:href") && value.starts_with('#') && value.len() > 1)
            || value.starts_with("url(#");
        if names_id && !value.is_empty() {
            return Some((name_start, quote + 2 - name_start, value_end));
        }
        from = value_end + 1;
    }
    None
}

/// Whether `href` leads somewhere wherever the HTML is: an address with a scheme, or a place in
/// the same document.
fn travels(href: &str) -> bool {
    href.starts_with('#')
        || ["https:", "http:", "mailto:", "tel:", "data:"]
            .iter()
            .any(|scheme| href.starts_with(scheme))
}

/// `html` with the `href` of every link that would lead nowhere once the HTML leaves the site
/// removed — an `<a>` without it is plain text. `beside` keeps relative links into the page's own
/// folder (files written beside a fragment); links up and out of it (`../`: the rest of the site,
/// another guide) go.
pub fn drop_site_links(html: &str, beside: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" href=\"") {
        let value_start = at + 7;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let href = &rest[value_start..value_start + len];
        let keep = travels(href) || (beside && !href.starts_with("../") && !href.starts_with('/'));
        if keep {
            out.push_str(&rest[..value_start + len + 1]);
        } else {
            out.push_str(&rest[..at]);
        }
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A reset at the fragment's root, against what a host page's stylesheet does to every element
/// (`* {…}`, `img {…}`, `li {…}`, `h2 {…}`): the root inherits nothing of the host (`initial`),
/// each element in it goes back to the browser's own style (`revert`) with more weight than such
/// rules have, and the fragment's rules — more weight again — style it from there. SVG is left
/// alone: its presentation attributes draw the QR codes and callouts.
const FRAGMENT_RESET: &str = "\
:root { all: initial; display: block; }
:root :where(:not(svg, svg *)), :root :where(:not(svg, svg *))::before, :root :where(:not(svg, svg *))::after { all: revert; }
";

/// What `main` is on a page, the fragment's root is in its host: a readable measure, some room.
const FRAGMENT_FRAME: &str = "\n:root { max-width: var(--measure, 46rem); padding: 1rem; }\n";

/// The stylesheet of a fragment: the reset and `css`, every rule scoped under `root` (a selector).
pub fn fragment_css(css: &str, root: &str) -> String {
    scope_css(&format!("{FRAGMENT_RESET}{css}{FRAGMENT_FRAME}"), root)
}

/// `css` with every selector scoped under `root`: `:root`, `html` and `body` become `root` itself,
/// any other selector `root sel`; rules in `@media` and `@supports` too. `@page` rules (the host's
/// business) are left out; other at-rules (`@font-face`, `@keyframes`) are kept as they are.
pub fn scope_css(css: &str, root: &str) -> String {
    let css = strip_comments(css);
    let mut out = String::with_capacity(css.len() * 2);
    scope_block(&css, root, &mut out);
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Where the block that opens at `open` (a `{`) closes, strings skipped.
fn block_end(css: &str, open: usize) -> usize {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in css[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    css.len()
}

fn scope_block(css: &str, root: &str, out: &mut String) {
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let head = rest[..open].trim();
        let close = block_end(rest, open);
        let body = &rest[(open + 1).min(close)..close];
        if let Some(at_rule) = head.strip_prefix('@') {
            let is_group = at_rule.starts_with("media") || at_rule.starts_with("supports");
            if is_group {
                out.push_str(head);
                out.push_str(" {\n");
                scope_block(body, root, out);
                out.push_str("}\n");
            } else if !at_rule.starts_with("page") {
                out.push_str(head);
                out.push_str(" {");
                out.push_str(body);
                out.push_str("}\n");
            }
        } else {
            // A statement at-rule before the selector (`@import …;`) is the host's business.
            let head = head.rsplit(';').next().unwrap_or(head).trim();
            let selectors: Vec<String> = split_selectors(head)
                .into_iter()
                .map(|s| scope_selector(s.trim(), root))
                .collect();
            out.push_str(&selectors.join(", "));
            out.push_str(" {");
            out.push_str(body);
            out.push_str("}\n");
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
}

/// The selectors of a list, split at commas outside parentheses.
fn split_selectors(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in list.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[start..]);
    parts
}

fn scope_selector(selector: &str, root: &str) -> String {
    for own in [":root", "html", "body"] {
        if let Some(after) = selector.strip_prefix(own)
            && (after.is_empty() || after.starts_with([' ', '>', ':', '.', '[']))
        {
            // `:root { … }` → `root { … }`; `html body .x` → `root .x`; `html:lang(da)` stays on
            // the root itself.
            let descendant = after.starts_with([' ', '>']);
            let after = after.trim_start();
            let after = after.strip_prefix("body").map_or(after, str::trim_start);
            return if after.is_empty() {
                root.to_owned()
            } else if descendant {
                format!("{root} {after}")
            } else {
                format!("{root}{after}")
            };
        }
    }
    // `[dir="rtl"] .x`: the direction is the fragment's own.
    if let Some(after) = selector.strip_prefix("[dir=") {
        let close = after.find(']').map_or(after.len(), |i| i + 1);
        let attribute = &selector[..5 + close];
        return format!("{root}{attribute} {}", after[close..].trim_start());
    }
    format!("{root} {selector}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_to_them_are_prefixed() {
        let html = r##"<section id="section-1" aria-labelledby="section-1-title"><h2 id="section-1-title">Ab</h2><a href="#step-2">2</a><a href="https://x.dk/#y">x</a><svg><rect fill="url(#g)"/></svg><p title="id=&quot;x&quot;">id="x" in text is escaped</p></section>"##;
        let out = prefix_ids(html);
        assert!(
            out.contains(r#"<section id="gg-section-1" aria-labelledby="gg-section-1-title">"#),
            "{out}"
        );
        assert!(out.contains(r##"<a href="#gg-step-2">"##), "{out}");
        assert!(out.contains(r##"href="https://x.dk/#y""##), "{out}");
        assert!(out.contains(r##"fill="url(#gg-g)""##), "{out}");
        assert!(out.contains(r#"<h2 id="gg-section-1-title">"#), "{out}");
    }

    #[test]
    fn every_rule_is_scoped_under_the_root() {
        let css = "/* c { } */ :root { --a: 1; }\nbody { margin: 0; }\nh2, .step > p { color: red; }\n\
                   @media (max-width: 30rem) { main { padding: 0; } }\n@page { margin: 1cm; }\n\
                   [dir=\"rtl\"] .breadcrumb a::before { content: \"→ {\"; }\n@keyframes spin { to { transform: rotate(1turn); } }";
        let out = scope_css(css, ".r.r");
        assert!(out.contains(".r.r { --a: 1; }"), "{out}");
        assert!(out.contains(".r.r { margin: 0; }"), "{out}");
        assert!(
            out.contains(".r.r h2, .r.r .step > p { color: red; }"),
            "{out}"
        );
        assert!(
            out.contains("@media (max-width: 30rem) {\n.r.r main { padding: 0; }\n}"),
            "{out}"
        );
        assert!(!out.contains("@page"), "{out}");
        assert!(
            out.contains(".r.r[dir=\"rtl\"] .breadcrumb a::before { content: \"→ {\"; }"),
            "{out}"
        );
        assert!(
            out.contains("@keyframes spin { to { transform: rotate(1turn); } }"),
            "{out}"
        );
        assert!(!out.contains("/*"), "{out}");
    }

    #[test]
    fn links_that_would_lead_nowhere_lose_their_address() {
        let html = r##"<a href="../other/index.html">o</a> <a href="#step-2">2</a> <a href="https://x.dk/">x</a> <a href="files/a.pdf">a</a>"##;
        assert_eq!(
            drop_site_links(html, false),
            r##"<a>o</a> <a href="#step-2">2</a> <a href="https://x.dk/">x</a> <a>a</a>"##
        );
        assert_eq!(
            drop_site_links(html, true),
            r##"<a>o</a> <a href="#step-2">2</a> <a href="https://x.dk/">x</a> <a href="files/a.pdf">a</a>"##
        );
    }

    #[test]
    fn a_fragment_is_the_page_s_main_content() {
        let page =
            "<html><body><header>h</header><main id=\"main\">\n<p>x</p>\n</main></body></html>";
        assert_eq!(main_content(page).unwrap(), "\n<p>x</p>\n");
        assert!(main_content("<body>no main</body>").is_err());
    }
}
