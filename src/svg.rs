//! Load stage: untrusted SVG screenshots made safe to publish — an allow-list sanitizer.
//!
//! A screenshot is published twice: in the site, where a reader may open it full size (a browser then
//! runs its `<script>` and `on…` handlers), and in the PDF, where usvg resolves every `href` it meets
//! against the disk or the network. [`sanitize`] therefore rebuilds the file from parts known to be
//! harmless — listed elements, listed attributes, same-document references and inline raster
//! images — and says what it left out. Like ammonia for HTML it is an allow-list: whatever nobody
//! thought of is dropped rather than let through.

use std::collections::BTreeSet;

use roxmltree::{Attribute, Document, Node, NodeType, ParsingOptions};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// Far more nodes than a screenshot needs; bounds the memory and time hostile input can take.
const MAX_NODES: u32 = 200_000;
/// Serializing recurses once per level of nesting; this bounds the stack.
const MAX_DEPTH: usize = 256;

/// Elements kept (in the SVG namespace). `<a>` is not among them: it is unwrapped, see [`Writer`].
#[rustfmt::skip]
const ALLOWED_ELEMENTS: &[&str] = &[
    "svg", "g", "defs", "symbol", "use", "switch", "title", "desc", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feComposite", "feFlood",
    "feMerge", "feMergeNode", "feDropShadow", "feMorphology",
];

/// Elements whose `href` may point into the same document (`#id`).
#[rustfmt::skip]
const FRAGMENT_REFERRERS: &[&str] =
    &["use", "textPath", "linearGradient", "radialGradient", "pattern", "filter"];

/// Geometry and presentation attributes, kept when their value passes [`css_problem`].
/// `href`, `style`, `id`, `class` and `xml:space` are handled on their own.
#[rustfmt::skip]
const ALLOWED_ATTRIBUTES: &[&str] = &[
    // Geometry
    "x", "y", "width", "height", "viewBox", "preserveAspectRatio", "version", "transform",
    "d", "points", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "path",
    // Paint
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "paint-order", "vector-effect", "display",
    "visibility", "overflow", "shape-rendering", "text-rendering", "image-rendering",
    // Text
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction",
    "unicode-bidi", "dx", "dy", "rotate", "lengthAdjust", "textLength", "startOffset",
    "method", "spacing", "side",
    // Gradients, clips, masks, patterns, markers
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "spreadMethod", "fx", "fy", "fr", "clip-path", "clip-rule", "clipPathUnits", "mask",
    "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits", "patternTransform",
    "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient", "marker",
    "marker-start", "marker-mid", "marker-end",
    // Filters
    "filter", "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
    "operator", "k1", "k2", "k3", "k4", "values", "type", "flood-color", "flood-opacity",
    "radius", "color-interpolation-filters",
];

/// CSS properties allowed in `style` attributes besides the presentation attributes above:
/// the typographic and compositing ones design tools write there.
#[rustfmt::skip]
const EXTRA_CSS_PROPERTIES: &[&str] = &[
    "font", "font-kerning", "font-feature-settings", "font-variation-settings",
    "font-variant-ligatures", "font-variant-caps", "font-variant-numeric", "line-height",
    "text-align", "text-orientation", "text-decoration-line", "text-decoration-color",
    "text-decoration-style", "white-space", "inline-size", "mix-blend-mode", "isolation",
    "transform-origin", "transform-box", "color-interpolation", "color-rendering",
    "lighting-color",
];

/// CSS functions that compute a value and cannot fetch anything. The empty name is a plain
/// parenthesis; `url` is allowed here because [`external_url`] has already vetted every `url(`.
#[rustfmt::skip]
const ALLOWED_CSS_FUNCTIONS: &[&str] = &[
    "", "url", "var", "calc", "min", "max", "clamp",
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
    "matrix", "translate", "translatex", "translatey", "scale", "scalex", "scaley", "rotate",
    "skew", "skewx", "skewy", "path",
    "blur", "drop-shadow", "brightness", "contrast", "grayscale", "hue-rotate", "invert",
    "opacity", "saturate", "sepia",
    "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type",
];

/// Old script and binding hooks; none has a use in a screenshot.
const FORBIDDEN_CSS_WORDS: &[&str] = &[
    "expression",
    "javascript:",
    "vbscript:",
    "behavior",
    "-moz-binding",
];

/// The only `<image>` sources kept: inline rasters, which a browser can only decode, never run.
const INLINE_RASTER_PREFIXES: &[&str] = &[
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
    "data:image/jpg;base64,",
    "data:image/gif;base64,",
    "data:image/webp;base64,",
];

/// A screenshot rebuilt from its harmless parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The SVG to publish: UTF-8, deterministic, and unchanged by sanitizing it again.
    pub bytes: Vec<u8>,
    /// What was left out, for the author: deduplicated and sorted, e.g. "<script> element",
    /// "onclick attribute", "external reference `http://x/y.png`".
    pub removed: Vec<String>,
}

/// Rebuilds an untrusted SVG from allow-listed parts. The caller caps the input size.
///
/// `Err` says, for the author, why the file is not a usable SVG: not UTF-8, not well-formed XML,
/// a DTD (which could declare entities), too many nodes or too deep nesting, or a root that is not
/// `<svg>`. The message is phrased to follow the file's path ("… is not well-formed XML: …").
pub fn sanitize(bytes: &[u8]) -> Result<Sanitized, String> {
    let text = std::str::from_utf8(bytes).map_err(|error| format!("is not UTF-8 text: {error}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = without_plain_doctype(text);
    let text = text.as_ref();
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(describe_xml_error)?;
    let root = document.root_element();
    if !(in_svg_namespace(root) && root.tag_name().name() == "svg") {
        return Err(format!(
            "is not an SVG: its root element is <{}>, not <svg xmlns=\"{SVG_NS}\">",
            qualified_name(root, root.tag_name().namespace(), root.tag_name().name())
        ));
    }
    let mut writer = Writer::default();
    for outside_root in document.root().children().filter(Node::is_pi) {
        writer.report_processing_instruction(outside_root);
    }
    writer.write_root(root)?;
    Ok(writer.finish())
}

/// `text` without a `<!DOCTYPE svg PUBLIC "…" "…">` that declares nothing (Illustrator and older
/// Inkscape write one). A DOCTYPE with an internal subset (`[…]`, where entities are declared) is
/// left for the parser to refuse.
fn without_plain_doctype(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = text.find("<!DOCTYPE") else {
        return text.into();
    };
    let mut quote = None;
    for (offset, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => return text.into(),
            (None, '>') => {
                let end = start + offset + 1;
                return format!("{}{}", &text[..start], &text[end..]).into();
            }
            (None, _) => {}
        }
    }
    text.into()
}

fn describe_xml_error(error: roxmltree::Error) -> String {
    match error {
        roxmltree::Error::DtdDetected => {
            "has a <!DOCTYPE …> declaration, which screenshots may not \
            have (it can declare entities); delete it, SVG does not need it"
                .to_owned()
        }
        roxmltree::Error::NodesLimitReached => {
            format!("has more than {MAX_NODES} XML nodes, more than a screenshot needs")
        }
        other => format!("is not well-formed XML: {other}"),
    }
}

/// Accumulates the rebuilt document and what was left out of it.
#[derive(Default)]
struct Writer {
    out: String,
    removed: BTreeSet<String>,
    /// Whether a kept `xlink:href` needs the root to declare the xlink prefix.
    uses_xlink: bool,
}

impl Writer {
    fn finish(self) -> Sanitized {
        Sanitized {
            bytes: self.out.into_bytes(),
            removed: self.removed.into_iter().collect(),
        }
    }

    fn report(&mut self, what: String) {
        self.removed.insert(what);
    }

    fn report_processing_instruction(&mut self, node: Node) {
        if let Some(instruction) = node.pi() {
            self.report(format!("<?{}?> processing instruction", instruction.target));
        }
    }

    /// The root always declares the SVG namespace (and xlink only when used), so the output is an
    /// SVG whatever prefixes the input chose.
    fn write_root(&mut self, root: Node) -> Result<(), String> {
        let start_tag = format!("<svg xmlns=\"{SVG_NS}\"");
        self.out.push_str(&start_tag);
        let namespaces_end = self.out.len();
        self.write_rest_of_element(root, "svg", 0)?;
        if self.uses_xlink {
            let xlink = format!(" xmlns:xlink=\"{XLINK_NS}\"");
            self.out.insert_str(namespaces_end, &xlink);
        }
        self.out.push('\n');
        Ok(())
    }

    fn write_node(&mut self, node: Node, depth: usize) -> Result<(), String> {
        match node.node_type() {
            NodeType::Element => self.write_element(node, depth)?,
            NodeType::Text => push_escaped(&mut self.out, node.text().unwrap_or_default(), false),
            NodeType::PI => self.report_processing_instruction(node),
            // Comments carry nothing visible; the root node never occurs below the root element.
            NodeType::Comment | NodeType::Root => {}
        }
        Ok(())
    }

    fn write_children(&mut self, parent: Node, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("nests elements more than {MAX_DEPTH} levels deep"));
        }
        parent
            .children()
            .try_for_each(|child| self.write_node(child, depth))
    }

    fn write_element(&mut self, element: Node, depth: usize) -> Result<(), String> {
        let name = element.tag_name().name();
        if !in_svg_namespace(element) || !(name == "a" || ALLOWED_ELEMENTS.contains(&name)) {
            let qualified = qualified_name(element, element.tag_name().namespace(), name);
            self.report(format!("<{qualified}> element"));
            return Ok(());
        }
        match name {
            // A link's content is part of the picture; only the link itself goes.
            "a" => {
                self.report("<a> link (its content is kept)".to_owned());
                self.write_children(element, depth + 1)
            }
            "style" => {
                self.write_style(element);
                Ok(())
            }
            // An image that cannot be shown safely is dropped whole rather than left empty.
            "image" if self.has_unsafe_href(element) => Ok(()),
            _ => {
                self.out.push('<');
                self.out.push_str(name);
                self.write_rest_of_element(element, name, depth)
            }
        }
    }

    /// Attributes, content and end tag of an element whose `<name` is already written.
    fn write_rest_of_element(
        &mut self,
        element: Node,
        name: &str,
        depth: usize,
    ) -> Result<(), String> {
        self.write_attributes(element);
        let start_tag_end = self.out.len();
        self.out.push('>');
        self.write_children(element, depth + 1)?;
        // Self-closing when nothing was kept inside, so a second pass writes the same bytes.
        if self.out.len() == start_tag_end + 1 {
            self.out.truncate(start_tag_end);
            self.out.push_str("/>");
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        Ok(())
    }

    /// A `<style>` is kept whole or not at all: filtering selectors is more parsing than it is worth.
    fn write_style(&mut self, style: Node) {
        // Only text: an XML comment's content is not CSS.
        let texts = style.children().filter(|child| child.is_text());
        let css: String = texts.filter_map(|child| child.text()).collect();
        let has_elements = style.children().any(|child| child.is_element());
        match css_problem(&css) {
            None if !has_elements => {
                self.out.push_str("<style");
                self.write_attributes(style);
                self.out.push('>');
                push_escaped(&mut self.out, &css, false);
                self.out.push_str("</style>");
            }
            problem => {
                if let Some(CssProblem::ExternalUrl(url)) = problem {
                    self.report(external_reference(&url));
                }
                self.report("<style> element (unsupported or unsafe CSS)".to_owned());
            }
        }
    }

    fn has_unsafe_href(&mut self, image: Node) -> bool {
        image
            .attributes()
            .filter(is_href)
            .any(|href| self.vet_href("image", href.value()).is_none())
    }

    fn write_attributes(&mut self, element: Node) {
        for attribute in element.attributes() {
            let Some(name) = self.attribute_name(element, &attribute) else {
                continue;
            };
            let element_name = element.tag_name().name();
            let Some(value) = self.vet_attribute(element_name, name, attribute.value()) else {
                continue;
            };
            self.uses_xlink |= name == "xlink:href";
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, &value, true);
            self.out.push('"');
        }
    }

    /// The name to write the attribute under, or `None` (reported) for foreign namespaces.
    fn attribute_name<'i>(
        &mut self,
        element: Node,
        attribute: &Attribute<'_, 'i>,
    ) -> Option<&'i str> {
        match (attribute.namespace(), attribute.name()) {
            (None, name) => Some(name),
            (Some(XLINK_NS), "href") => Some("xlink:href"),
            (Some(roxmltree::NS_XML_URI), "space") => Some("xml:space"),
            (namespace, name) => {
                let qualified = qualified_name(element, namespace, name);
                self.report(format!("{qualified} attribute"));
                None
            }
        }
    }

    fn vet_attribute(&mut self, element_name: &str, name: &str, value: &str) -> Option<String> {
        match name {
            "href" | "xlink:href" => self.vet_href(element_name, value),
            "style" => self.vet_style_attribute(value),
            // Names, not CSS: nothing in them is fetched or run.
            "id" | "class" | "xml:space" => Some(value.to_owned()),
            _ if ALLOWED_ATTRIBUTES.contains(&name) => self
                .vet_css(value, || format!("{name} attribute"))
                .then(|| value.to_owned()),
            _ => {
                self.report(format!("{name} attribute"));
                None
            }
        }
    }

    /// Keeps a same-document reference, or an inline raster on `<image>`. Whitespace and control
    /// characters are removed first, as browsers ignore them (`java&#9;script:` is `javascript:`).
    fn vet_href(&mut self, element_name: &str, value: &str) -> Option<String> {
        let href: String = value
            .chars()
            .filter(|c| !(c.is_ascii_control() || *c == ' '))
            .collect();
        let allowed = if element_name == "image" {
            is_inline_raster(&href)
        } else {
            FRAGMENT_REFERRERS.contains(&element_name) && is_fragment(&href)
        };
        if allowed {
            return Some(href);
        }
        if is_fragment(&href) {
            self.report(format!("href attribute on <{element_name}>"));
        } else {
            self.report(external_reference(&href));
        }
        None
    }

    /// Keeps the declarations of allowed properties whose values are safe, in their order.
    fn vet_style_attribute(&mut self, css: &str) -> Option<String> {
        let kept: Vec<String> = split_declarations(css)
            .into_iter()
            .filter_map(|declaration| self.vet_declaration(declaration.trim()))
            .collect();
        (!kept.is_empty()).then(|| kept.join(";"))
    }

    fn vet_declaration(&mut self, declaration: &str) -> Option<String> {
        if declaration.is_empty() {
            return None;
        }
        let Some((property, value)) = declaration.split_once(':') else {
            self.report(format!("style declaration `{}`", excerpt(declaration)));
            return None;
        };
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim();
        let allowed = ALLOWED_ATTRIBUTES.contains(&property.as_str())
            || EXTRA_CSS_PROPERTIES.contains(&property.as_str());
        let describe = || format!("{} style property", excerpt(&property));
        // A comment could run across the `;` this declaration was split at.
        if !allowed || value.contains("/*") {
            self.report(describe());
            return None;
        }
        self.vet_css(value, describe)
            .then(|| format!("{property}:{value}"))
    }

    /// Whether CSS text is safe; if not, reports its external reference or else `what`.
    fn vet_css(&mut self, css: &str, what: impl FnOnce() -> String) -> bool {
        match css_problem(css) {
            None => return true,
            Some(CssProblem::ExternalUrl(url)) => self.report(external_reference(&url)),
            Some(CssProblem::Unsafe) => self.report(what()),
        }
        false
    }
}

/// Why CSS text (a stylesheet, a declaration value or a presentation attribute) is not kept.
#[derive(Debug, PartialEq, Eq)]
enum CssProblem {
    /// A `url(…)` that does not point into the document.
    ExternalUrl(String),
    /// At-rules, escapes, unknown functions, script hooks, unclosed strings, or markup.
    Unsafe,
}

/// Checks CSS by what it may not contain rather than by parsing it: `@` (imports, fonts), `\`
/// (escapes can spell `url(` so no check sees it), `<` (ends a style element inlined in HTML),
/// and functions other than plain computations (`image-set("…")` fetches without `url(`).
fn css_problem(css: &str) -> Option<CssProblem> {
    if let Some(url) = external_url(css) {
        return Some(CssProblem::ExternalUrl(url));
    }
    let lower = css.to_ascii_lowercase();
    let unsafe_text = lower.contains(['@', '\\', '<'])
        || FORBIDDEN_CSS_WORDS.iter().any(|word| lower.contains(word))
        || css_function_names(&lower).any(|name| !ALLOWED_CSS_FUNCTIONS.contains(&name))
        || has_unclosed_quote(css);
    unsafe_text.then_some(CssProblem::Unsafe)
}

/// The target of the first `url(…)` that is not `url(#…)`, quotes and whitespace allowed.
fn external_url(css: &str) -> Option<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `css`.
    let lower = css.to_ascii_lowercase();
    lower.match_indices("url(").find_map(|(at, opening)| {
        let quote_or_space = |c: char| c.is_ascii_whitespace() || c == '"' || c == '\'';
        let target = css[at + opening.len()..].trim_start_matches(quote_or_space);
        let target = target.split(')').next().unwrap_or_default();
        (!target.starts_with('#')).then(|| target.trim_end_matches(quote_or_space).to_owned())
    })
}

/// The (lowercase) name before each `(`, empty for a bare parenthesis.
fn css_function_names(lower: &str) -> impl Iterator<Item = &str> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    lower.match_indices('(').map(move |(at, _)| {
        let before = &lower[..at];
        &before[before.trim_end_matches(is_name_char).len()..]
    })
}

fn has_unclosed_quote(css: &str) -> bool {
    let mut open = None;
    for c in css.chars() {
        match open {
            Some(quote) if c == quote => open = None,
            None if c == '"' || c == '\'' => open = Some(c),
            _ => {}
        }
    }
    open.is_some()
}

/// Splits a declaration list at the `;`s outside quoted strings (`font-family:'A;B'`).
fn split_declarations(css: &str) -> Vec<&str> {
    let mut declarations = Vec::new();
    let mut open_quote = None;
    let mut start = 0;
    for (at, c) in css.char_indices() {
        match open_quote {
            Some(quote) if c == quote => open_quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => open_quote = Some(c),
            None if c == ';' => {
                declarations.push(&css[start..at]);
                start = at + 1;
            }
            None => {}
        }
    }
    declarations.push(&css[start..]);
    declarations
}

fn is_href(attribute: &Attribute) -> bool {
    attribute.name() == "href" && matches!(attribute.namespace(), None | Some(XLINK_NS))
}

fn is_fragment(href: &str) -> bool {
    href.len() > 1 && href.starts_with('#')
}

/// A base64 data URL of a raster type, scheme and type matched case-insensitively.
fn is_inline_raster(href: &str) -> bool {
    INLINE_RASTER_PREFIXES.iter().any(|prefix| {
        let head = href.get(..prefix.len());
        head.is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            && is_base64(&href[prefix.len()..])
    })
}

fn is_base64(payload: &str) -> bool {
    !payload.is_empty()
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Like usvg, elements without a namespace count as SVG: the output puts them in it.
fn in_svg_namespace(element: Node) -> bool {
    matches!(element.tag_name().namespace(), None | Some(SVG_NS))
}

/// `prefix:name` as the author wrote it, for reports.
fn qualified_name(node: Node, namespace: Option<&str>, name: &str) -> String {
    match namespace.and_then(|uri| node.lookup_prefix(uri)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{name}"),
        _ => name.to_owned(),
    }
}

fn external_reference(target: &str) -> String {
    format!("external reference `{}`", excerpt(target))
}

/// Input quoted in a report: one line, at most 60 characters (a data URL can be megabytes).
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    let mut short: String = text
        .chars()
        .take(LIMIT)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(LIMIT).is_some() {
        short.push('…');
    }
    short
}

/// Escapes XML text or a double-quoted attribute value. Control characters become character
/// references, so attribute values keep their tabs and newlines through a parser's normalization.
fn push_escaped(out: &mut String, text: &str, in_attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\t' | '\n' if !in_attribute => out.push(c),
            c if c.is_control() => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    /// `body` inside an SVG root that declares xlink, as design tools write it.
    fn svg(body: &str) -> String {
        format!(
            "<svg xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\" width=\"10\" height=\"10\">{body}</svg>"
        )
    }

    fn sanitized(body: &str) -> Sanitized {
        sanitize(svg(body).as_bytes()).expect("a well-formed SVG is sanitized")
    }

    fn output(result: &Sanitized) -> &str {
        std::str::from_utf8(&result.bytes).expect("output is UTF-8")
    }

    /// The sanitized form of `<svg width="10" height="10">` + `body`.
    fn expected(body: &str) -> String {
        if body.is_empty() {
            format!("<svg xmlns=\"{SVG_NS}\" width=\"10\" height=\"10\"/>\n")
        } else {
            format!("<svg xmlns=\"{SVG_NS}\" width=\"10\" height=\"10\">{body}</svg>\n")
        }
    }

    fn shots_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("guides/mfa-setup/shots")
    }

    fn mock_shots() -> Vec<(PathBuf, Vec<u8>)> {
        let mut shots: Vec<_> = std::fs::read_dir(shots_dir())
            .expect("the example guide has screenshots")
            .map(|entry| entry.expect("readable directory").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "svg"))
            .map(|path| {
                let bytes = std::fs::read(&path).expect("readable screenshot");
                (path, bytes)
            })
            .collect();
        shots.sort();
        assert!(!shots.is_empty());
        shots
    }

    fn text_contents(svg: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(svg).unwrap();
        let document = Document::parse(text).unwrap();
        document
            .descendants()
            .filter(|node| node.has_tag_name((SVG_NS, "text")))
            .map(|node| {
                let texts = node.descendants().filter(|n| n.is_text());
                texts.filter_map(|n| n.text()).collect()
            })
            .collect()
    }

    fn render(svg: &[u8]) -> (usvg::Size, Vec<u8>) {
        let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).expect("usvg parses it");
        let size = tree.size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width() as u32, size.height() as u32)
            .expect("non-empty");
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        (size, pixmap.take())
    }

    #[test]
    fn scripts_are_removed_with_their_content() {
        let result = sanitized(
            "<script>alert(1)</script><g><script xlink:href=\"http://x/a.js\"/></g>\
             <script xmlns=\"http://www.w3.org/1999/xhtml\">alert(2)</script>",
        );
        assert_eq!(output(&result), expected("<g/>"));
        assert_eq!(result.removed, ["<script> element"]);
    }

    #[test]
    fn event_handlers_are_removed() {
        let input = format!(
            "<svg xmlns=\"{SVG_NS}\" onload=\"alert(1)\" width=\"10\" height=\"10\">\
             <rect onclick=\"alert(2)\" onClick=\"alert(3)\" width=\"1\" height=\"1\"/></svg>"
        );
        let result = sanitize(input.as_bytes()).unwrap();
        assert_eq!(
            output(&result),
            expected("<rect width=\"1\" height=\"1\"/>")
        );
        assert_eq!(
            result.removed,
            ["onClick attribute", "onclick attribute", "onload attribute"]
        );
    }

    #[test]
    fn foreign_object_is_removed_with_its_html() {
        let result = sanitized(
            "<foreignObject width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\">\
             <img src=\"x\" onerror=\"alert(1)\"/></div></foreignObject>",
        );
        assert_eq!(output(&result), expected(""));
        assert_eq!(result.removed, ["<foreignObject> element"]);
    }

    #[test]
    fn links_are_unwrapped_keeping_their_content() {
        let result = sanitized(
            "<a href=\"javascript:alert(1)\"><text x=\"1\" y=\"5\">Hi <tspan>there</tspan></text></a>",
        );
        assert_eq!(
            output(&result),
            expected("<text x=\"1\" y=\"5\">Hi <tspan>there</tspan></text>")
        );
        assert_eq!(result.removed, ["<a> link (its content is kept)"]);
    }

    #[test]
    fn images_from_anywhere_but_inline_rasters_are_removed_and_reported() {
        let hrefs = [
            ("/etc/hostname", "/etc/hostname"),
            ("/dev/zero", "/dev/zero"),
            ("file:///etc/passwd", "file:///etc/passwd"),
            ("http://x/a.png", "http://x/a.png"),
            ("a.png", "a.png"),
            ("../shots/a.png", "../shots/a.png"),
            ("#other", "#other"),
            (" java&#9;script:alert(1)", "javascript:alert(1)"),
            (
                "data:image/svg+xml;base64,PHN2Zy8+",
                "data:image/svg+xml;base64,PHN2Zy8+",
            ),
            ("data:text/html,%3Cscript%3E", "data:text/html,%3Cscript%3E"),
            ("data:image/png,notbase64", "data:image/png,notbase64"),
            ("data:image/png;base64,%%%", "data:image/png;base64,%%%"),
        ];
        for (href, reported) in hrefs {
            for attribute in ["href", "xlink:href"] {
                let result = sanitized(&format!("<image {attribute}=\"{href}\" width=\"5\"/>"));
                assert_eq!(output(&result), expected(""), "{attribute}={href}");
                let expected_report = if reported == "#other" {
                    "href attribute on <image>".to_owned()
                } else {
                    format!("external reference `{reported}`")
                };
                assert_eq!(result.removed, [expected_report], "{attribute}={href}");
            }
        }
    }

    #[test]
    fn inline_raster_images_are_kept() {
        let png = "data:image/png;base64,iVBORw0KGgo=";
        let result = sanitized(&format!("<image href=\"{png}\" width=\"5\" height=\"5\"/>"));
        assert_eq!(
            output(&result),
            expected(&format!("<image href=\"{png}\" width=\"5\" height=\"5\"/>"))
        );
        assert!(result.removed.is_empty());

        // Wrapped base64 and an upper-case scheme, as some exporters write them.
        let result = sanitized("<image xlink:href=\"DATA:image/JPEG;base64,/9j/\n  4AAQ==\"/>");
        assert_eq!(
            output(&result),
            format!(
                "<svg xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\" width=\"10\" height=\"10\">\
                 <image xlink:href=\"DATA:image/JPEG;base64,/9j/4AAQ==\"/></svg>\n"
            )
        );
        assert!(result.removed.is_empty());
    }

    #[test]
    fn only_same_document_references_are_kept() {
        let result = sanitized(
            "<defs><linearGradient id=\"g\"/><rect id=\"a\"/></defs><use href=\"#a\"/>\
             <use xlink:href=\"#a\"/><use href=\"other.svg#a\"/>\
             <linearGradient id=\"h\" xlink:href=\"http://x/g.svg#g\"/>",
        );
        assert_eq!(
            output(&result),
            format!(
                "<svg xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\" width=\"10\" height=\"10\">\
                 <defs><linearGradient id=\"g\"/><rect id=\"a\"/></defs><use href=\"#a\"/>\
                 <use xlink:href=\"#a\"/><use/><linearGradient id=\"h\"/></svg>\n"
            )
        );
        assert_eq!(
            result.removed,
            [
                "external reference `http://x/g.svg#g`",
                "external reference `other.svg#a`"
            ]
        );
    }

    #[test]
    fn paint_urls_must_point_into_the_document() {
        let result = sanitized(
            "<rect fill=\"url(#g)\" stroke=\"url( '#g' ) red\"/><rect fill=\"url(http://x)\"/>\
             <rect fill=\"URL('file:///etc/passwd')\"/><rect filter=\"u\\72l(http://x)\"/>\
             <rect mask=\"image-set('http://x/m.png' 1x)\"/>",
        );
        assert_eq!(
            output(&result),
            expected(
                "<rect fill=\"url(#g)\" stroke=\"url( '#g' ) red\"/><rect/><rect/><rect/><rect/>"
            )
        );
        assert_eq!(
            result.removed,
            [
                "external reference `file:///etc/passwd`",
                "external reference `http://x`",
                "filter attribute",
                "mask attribute"
            ]
        );
    }

    #[test]
    fn style_attributes_keep_only_safe_declarations() {
        let result = sanitized(
            "<text style=\"fill:red; behavior:url(x.htc);stroke:url(http://x); \
             font-family:'A;B' ;-moz-binding:url(#x);FILL-OPACITY: 0.5;cursor:pointer;;\">x</text>",
        );
        assert_eq!(
            output(&result),
            expected("<text style=\"fill:red;font-family:'A;B';fill-opacity:0.5\">x</text>")
        );
        assert_eq!(
            result.removed,
            [
                "-moz-binding style property",
                "behavior style property",
                "cursor style property",
                "external reference `http://x`"
            ]
        );
    }

    #[test]
    fn style_elements_are_kept_only_when_plainly_safe() {
        let safe = "<style type=\"text/css\">.a { fill: url(#g); stroke: rgb(1, 2, 3) } \
                    rect:not(.b) > .c { opacity: 0.5 }</style>";
        let result = sanitized(safe);
        assert_eq!(
            output(&result),
            expected(
                "<style type=\"text/css\">.a { fill: url(#g); stroke: rgb(1, 2, 3) } \
                 rect:not(.b) &gt; .c { opacity: 0.5 }</style>"
            )
        );
        assert!(result.removed.is_empty());

        let result = sanitized("<style>.a { fill: red }<!-- .b { fill: blue } --></style>");
        assert_eq!(output(&result), expected("<style>.a { fill: red }</style>"));

        for unsafe_css in [
            "@import url(http://x/a.css);",
            "@import 'http://x/a.css';",
            ".a { fill: url(http://x) }",
            ".a { background: image-set('http://x/a.png' 1x) }",
            ".a { fill: u\\72l(http://x) }",
            ".a { width: expression(alert(1)) }",
            "<![CDATA[</style><script>alert(1)</script>]]>",
        ] {
            let result = sanitized(&format!("<style>{unsafe_css}</style><g/>"));
            assert_eq!(output(&result), expected("<g/>"), "{unsafe_css}");
            assert!(
                result
                    .removed
                    .contains(&"<style> element (unsupported or unsafe CSS)".to_owned()),
                "{unsafe_css}"
            );
        }
    }

    #[test]
    fn animation_is_removed() {
        let result = sanitized(
            "<a><rect width=\"1\"><animate attributeName=\"href\" to=\"javascript:alert(1)\"/>\
             <set attributeName=\"fill\" to=\"red\"/><animateTransform type=\"rotate\"/></rect></a>\
             <animateMotion/><handler>alert(1)</handler>",
        );
        assert_eq!(output(&result), expected("<rect width=\"1\"/>"));
        assert_eq!(
            result.removed,
            [
                "<a> link (its content is kept)",
                "<animate> element",
                "<animateMotion> element",
                "<animateTransform> element",
                "<handler> element",
                "<set> element"
            ]
        );
    }

    #[test]
    fn foreign_namespaces_and_processing_instructions_are_reported() {
        let input = format!(
            "<?xml version=\"1.0\"?><?xml-stylesheet href=\"http://x/a.css\"?>\
             <svg xmlns=\"{SVG_NS}\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" \
             inkscape:version=\"1.3\" xml:base=\"http://x/\"><inkscape:grid/><!-- a comment --></svg>"
        );
        let result = sanitize(input.as_bytes()).unwrap();
        assert_eq!(output(&result), format!("<svg xmlns=\"{SVG_NS}\"/>\n"));
        assert_eq!(
            result.removed,
            [
                "<?xml-stylesheet?> processing instruction",
                "<inkscape:grid> element",
                "inkscape:version attribute",
                "xml:base attribute"
            ]
        );
    }

    #[test]
    fn a_doctype_that_declares_nothing_is_dropped() {
        // Illustrator's and older Inkscape's: harmless, and common in real screenshots.
        let public = "<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \
                      \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\
                      <svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>";
        let clean = sanitize(public.as_bytes()).unwrap();
        let out = String::from_utf8(clean.bytes).unwrap();
        assert!(!out.contains("DOCTYPE") && out.contains("<rect"), "{out}");
    }

    #[test]
    fn dtds_and_entities_are_refused_quickly() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"lol\">\
                      <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\
                      <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\
                      <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>\
                      <svg xmlns=\"http://www.w3.org/2000/svg\"><text>&g;</text></svg>";
        let external = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\
                        <svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>";
        for input in [laughs, external] {
            let started = Instant::now();
            let error = sanitize(input.as_bytes()).unwrap_err();
            assert!(started.elapsed() < Duration::from_secs(1));
            assert!(error.contains("<!DOCTYPE"), "{error}");
        }
    }

    #[test]
    fn malformed_or_non_svg_input_is_an_error() {
        for input in [
            &b"not xml"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\">",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&undefined;</text></svg>",
            b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>",
            b"<svg xmlns=\"http://www.w3.org/1999/xhtml\"/>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\">\xff</svg>",
            b"",
        ] {
            assert!(
                sanitize(input).is_err(),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        let error = sanitize(b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>").unwrap_err();
        assert!(error.contains("<html>"), "{error}");
    }

    #[test]
    fn huge_or_deep_documents_are_refused() {
        let many = svg(&"<g/>".repeat(MAX_NODES as usize));
        assert!(sanitize(many.as_bytes()).unwrap_err().contains("nodes"));

        let deep = svg(&format!(
            "{}{}",
            "<g>".repeat(MAX_DEPTH + 1),
            "</g>".repeat(MAX_DEPTH + 1)
        ));
        assert!(sanitize(deep.as_bytes()).unwrap_err().contains("deep"));
        let deep_links = svg(&format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        ));
        assert!(
            sanitize(deep_links.as_bytes())
                .unwrap_err()
                .contains("deep")
        );
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let result = sanitized(
            "<title>\"Q\" &amp; 'A' &lt;b&gt;</title>\
             <text class=\"&quot;q&quot; &amp; &lt;x&gt;\" x=\"1&#10;2\">a &amp; b <![CDATA[<c>]]></text>",
        );
        assert_eq!(
            output(&result),
            expected(
                "<title>\"Q\" &amp; 'A' &lt;b&gt;</title>\
                 <text class=\"&quot;q&quot; &amp; &lt;x&gt;\" x=\"1&#10;2\">a &amp; b &lt;c&gt;</text>"
            )
        );
        let reparsed = output(&result).to_owned();
        let document = Document::parse(&reparsed).unwrap();
        let text = document
            .descendants()
            .find(|n| n.has_tag_name((SVG_NS, "text")))
            .unwrap();
        assert_eq!(text.attribute("class"), Some("\"q\" & <x>"));
        assert_eq!(text.attribute("x"), Some("1\n2"));
        assert_eq!(text.text(), Some("a & b <c>"));
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let messy = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg:svg xmlns:svg=\"{SVG_NS}\" xmlns:l=\"{XLINK_NS}\" viewBox=\"0 0 10 10\" onload=\"x()\">\n\
             <svg:script>x()</svg:script>\n<svg:defs><svg:linearGradient id=\"g\"/></svg:defs>\n\
             <svg:use l:href=\" #g\"/><svg:g><svg:style>.a{{fill:red}}</svg:style></svg:g>\n\
             <svg:text xml:space=\"preserve\" style=\"fill : url(#g) ; stroke:url(http://x)\">\
             a&amp;b&#13;\t</svg:text></svg:svg>"
        );
        let first = sanitize(messy.as_bytes()).unwrap();
        assert!(!first.removed.is_empty());
        let second = sanitize(&first.bytes).unwrap();
        assert_eq!(output(&second), output(&first));
        assert!(second.removed.is_empty(), "{:?}", second.removed);
    }

    #[test]
    fn mock_screenshots_pass_unchanged_in_content_and_are_stable() {
        for (path, original) in mock_shots() {
            let result = sanitize(&original).unwrap();
            assert!(
                result.removed.is_empty(),
                "{}: {:?}",
                path.display(),
                result.removed
            );
            assert_eq!(
                text_contents(&result.bytes),
                text_contents(&original),
                "{}",
                path.display()
            );
            assert_eq!(
                sanitize(&result.bytes).unwrap(),
                result,
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn a_mock_screenshot_renders_the_same_after_sanitizing() {
        let original = std::fs::read(shots_dir().join("scan-qr.svg")).unwrap();
        let result = sanitize(&original).unwrap();
        let texts = text_contents(&result.bytes);
        assert!(texts.contains(&"Scan the QR code".to_owned()), "{texts:?}");
        assert_eq!(texts, text_contents(&original));
        let (original_size, original_pixels) = render(&original);
        let (sanitized_size, sanitized_pixels) = render(&result.bytes);
        assert_eq!(sanitized_size, original_size);
        assert!(
            original_pixels.iter().any(|&byte| byte != 0),
            "something is drawn"
        );
        assert!(sanitized_pixels == original_pixels, "the pixels differ");

        // The same screenshot with hostile additions comes out as the clean one does.
        let hostile = String::from_utf8(original)
            .unwrap()
            .replacen("<title>", "<script>alert(1)</script><title>", 1)
            .replacen("<rect ", "<rect onclick=\"alert(2)\" ", 1);
        let hostile_result = sanitize(hostile.as_bytes()).unwrap();
        assert_eq!(
            hostile_result.removed,
            ["<script> element", "onclick attribute"]
        );
        assert_eq!(hostile_result.bytes, result.bytes);
    }
}
