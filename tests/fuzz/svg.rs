//! Target `svg`: screenshots as untrusted SVG, through `svg::sanitize`. Properties: no panic; the
//! output is well-formed XML that sanitizes to itself; it has no script, no `foreignObject`, no
//! event handler attribute, and no reference but `#…` and inline PNG, JPEG, GIF or WebP images.

use arbitrary::{Arbitrary, Unstructured};

use crate::corpus::{corpus, mutate_one_of};
use crate::driver::{InputContext, Target};
use crate::fragments::NASTY;
use crate::guide_spec::Content;

pub const TARGET: Target = Target {
    name: "svg",
    inputs_per_round: 8000,
    generate,
    run,
};

fn generate(cx: &mut InputContext) -> Vec<u8> {
    let rng = &mut cx.rng;
    let svgs = &corpus().svgs;
    if rng.one_in(2) {
        let bytes = rng.bytes(16, 2048);
        SvgSpec::arbitrary(&mut Unstructured::new(&bytes))
            .map(|spec| spec.xml().into_bytes())
            .unwrap_or_default()
    } else {
        mutate_one_of(rng, svgs, svgs)
    }
}

fn run(data: &[u8]) {
    let Ok(sanitized) = guidegen::svg::sanitize(data) else {
        return;
    };
    let text = std::str::from_utf8(&sanitized.bytes)
        .unwrap_or_else(|e| panic!("the sanitized SVG is not UTF-8: {e}"));
    check_sanitized(text);
    let again = guidegen::svg::sanitize(text.as_bytes())
        .unwrap_or_else(|e| panic!("the sanitized SVG is refused: {e}\n{text}"));
    assert!(
        again.bytes == sanitized.bytes,
        "sanitizing again changes it:\n{text}\n--- to:\n{}",
        String::from_utf8_lossy(&again.bytes)
    );
}

fn check_sanitized(text: &str) {
    let lower = text.to_ascii_lowercase();
    for word in [
        "<script",
        "<foreignobject",
        ":foreignobject",
        "<!doctype",
        "<!entity",
    ] {
        assert!(!lower.contains(word), "{word} in {text}");
    }
    let document = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("the sanitized SVG is not well-formed: {e}\n{text}"));
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        assert!(
            !matches!(
                name.as_str(),
                "script" | "foreignobject" | "iframe" | "object" | "embed"
            ),
            "<{name}> in {text}"
        );
        for attribute in node.attributes() {
            let local = attribute.name().to_ascii_lowercase();
            assert!(!local.starts_with("on"), "{local}= in {text}");
            if local == "href" || local == "src" {
                assert!(
                    allowed_reference(attribute.value()),
                    "{local}={:?} in {text}",
                    attribute.value()
                );
            }
            if local == "style" {
                check_css(attribute.value(), text);
            }
        }
        if name == "style" {
            check_css(node.text().unwrap_or_default(), text);
        }
    }
}

fn allowed_reference(value: &str) -> bool {
    let value = value.trim();
    value.starts_with('#')
        || ["png", "jpeg", "jpg", "gif", "webp"]
            .iter()
            .any(|kind| value.starts_with(&format!("data:image/{kind};base64,")))
}

/// CSS may refer to the same document only.
fn check_css(css: &str, text: &str) {
    let lower = css.to_ascii_lowercase();
    assert!(!lower.contains("@import"), "@import in {text}");
    for (at, _) in lower.match_indices("url(") {
        let target = lower[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        assert!(target.starts_with('#'), "url({target}) in {text}");
    }
}

/// An SVG document of elements and attributes that a sanitizer must keep or drop.
#[derive(Arbitrary, Debug)]
struct SvgSpec {
    prolog: Prolog,
    root_attributes: Vec<AttributeSpec>,
    children: Vec<NodeSpec>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Prolog {
    Nothing,
    XmlDeclaration,
    Doctype,
    Entity,
    ProcessingInstruction,
    Bom,
}

#[derive(Arbitrary, Debug)]
enum NodeSpec {
    Element {
        name: u8,
        prefix: Prefix,
        attributes: Vec<AttributeSpec>,
        children: Vec<NodeSpec>,
    },
    Text(Content),
    CData(Content),
    Comment(Content),
    Instruction,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Prefix {
    None,
    Svg,
    Xlink,
    Html,
    Undeclared,
}

#[derive(Arbitrary, Debug)]
struct AttributeSpec {
    name: u8,
    prefix: Prefix,
    value: ValueSpec,
}

#[derive(Arbitrary, Debug)]
enum ValueSpec {
    Listed(u8),
    Text(Content),
    Unescaped(u8),
}

const ELEMENTS: &[&str] = &[
    "g",
    "rect",
    "path",
    "circle",
    "text",
    "tspan",
    "textPath",
    "image",
    "use",
    "a",
    "script",
    "SCRIPT",
    "Script",
    "foreignObject",
    "foreignobject",
    "style",
    "animate",
    "set",
    "animateTransform",
    "animateMotion",
    "iframe",
    "object",
    "embed",
    "handler",
    "listener",
    "feImage",
    "title",
    "desc",
    "defs",
    "symbol",
    "pattern",
    "mask",
    "filter",
    "linearGradient",
    "stop",
    "svg",
    "switch",
    "marker",
    "clipPath",
    "metadata",
    "font-face",
    "cursor",
    "view",
];

const ATTRIBUTES: &[&str] = &[
    "href",
    "onload",
    "onclick",
    "ONLOAD",
    "OnMouseOver",
    "onbegin",
    "style",
    "fill",
    "width",
    "height",
    "x",
    "y",
    "d",
    "id",
    "class",
    "transform",
    "attributeName",
    "to",
    "values",
    "from",
    "by",
    "begin",
    "xml:base",
    "xml:space",
    "src",
    "xmlns",
    "xmlns:xlink",
    "xmlns:svg",
    "xmlns:x",
    "requiredExtensions",
    "systemLanguage",
    "mask",
    "filter",
    "clip-path",
    "marker-end",
    "font-family",
    "type",
    "viewBox",
    "cursor",
    "externalResourcesRequired",
];

const VALUES: &[&str] = &[
    "#a",
    " #a",
    "http://evil.example/x.png",
    "https://evil.example/x.svg#a",
    "//evil.example/x",
    "file:///etc/passwd",
    "x.png",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:x",
    "&#x6a;avascript:x",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Pjwvc2NyaXB0Pjwvc3ZnPg==",
    "data:text/html,<script>alert(1)</script>",
    "data:image/png,x",
    "url(#a)",
    "url(http://evil.example/x)",
    "url( 'javascript:x' )",
    "url(\"x.svg#a\")",
    "u\\rl(http://x)",
    "fill:url(http://x)",
    "background:url(x)",
    "expression(alert(1))",
    "@import 'x.css';",
    "@import url(x.css);",
    "-moz-binding:url(x)",
    "red",
    "10",
    "href",
    "xlink:href",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "#a\"><script>alert(1)</script>",
    "&amp;",
    "&lt;script&gt;",
    "&#0;",
    "&unknown;",
];

/// Namespace declarations on the root, so that prefixed names mean something.
const ROOT_NAMESPACES: &str = "xmlns=\"http://www.w3.org/2000/svg\" \
     xmlns:svg=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
     xmlns:html=\"http://www.w3.org/1999/xhtml\"";

impl SvgSpec {
    fn xml(&self) -> String {
        let mut out = String::new();
        out.push_str(match self.prolog {
            Prolog::Nothing => "",
            Prolog::XmlDeclaration => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            Prolog::Doctype => "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n",
            Prolog::Entity => "<!DOCTYPE svg [<!ENTITY x \"<script>alert(1)</script>\">]>\n",
            Prolog::ProcessingInstruction => {
                "<?xml-stylesheet href=\"http://evil.example/x.css\"?>\n"
            }
            Prolog::Bom => "\u{feff}",
        });
        out.push_str("<svg ");
        out.push_str(ROOT_NAMESPACES);
        for attribute in &self.root_attributes {
            attribute.write(&mut out);
        }
        out.push('>');
        for child in &self.children {
            child.write(&mut out);
        }
        out.push_str("</svg>");
        out
    }
}

impl NodeSpec {
    fn write(&self, out: &mut String) {
        match self {
            NodeSpec::Element {
                name,
                prefix,
                attributes,
                children,
            } => {
                let name = format!(
                    "{}{}",
                    prefix.text(),
                    ELEMENTS[usize::from(*name) % ELEMENTS.len()]
                );
                out.push('<');
                out.push_str(&name);
                for attribute in attributes {
                    attribute.write(out);
                }
                out.push('>');
                for child in children {
                    child.write(out);
                }
                out.push_str(&format!("</{name}>"));
            }
            NodeSpec::Text(content) => out.push_str(&escape(&content.text())),
            NodeSpec::CData(content) => {
                out.push_str(&format!(
                    "<![CDATA[{}]]>",
                    content.text().replace("]]>", "")
                ));
            }
            NodeSpec::Comment(content) => {
                out.push_str(&format!("<!--{}-->", content.text().replace("--", "")));
            }
            NodeSpec::Instruction => out.push_str("<?php echo 1; ?>"),
        }
    }
}

impl Prefix {
    fn text(self) -> &'static str {
        match self {
            Prefix::None => "",
            Prefix::Svg => "svg:",
            Prefix::Xlink => "xlink:",
            Prefix::Html => "html:",
            Prefix::Undeclared => "x:",
        }
    }
}

impl AttributeSpec {
    fn write(&self, out: &mut String) {
        let name = ATTRIBUTES[usize::from(self.name) % ATTRIBUTES.len()];
        let name = if name.contains(':') {
            name.to_owned()
        } else {
            format!("{}{name}", self.prefix.text())
        };
        let value = match &self.value {
            ValueSpec::Listed(i) => escape(VALUES[usize::from(*i) % VALUES.len()]),
            ValueSpec::Text(content) => escape(&content.text()),
            // Entities and character references reach the parser as written.
            ValueSpec::Unescaped(i) => {
                let listed = VALUES[usize::from(*i) % VALUES.len()];
                let nasty = NASTY[usize::from(*i) % NASTY.len()];
                format!("{listed}{nasty}").replace('"', "&quot;")
            }
        };
        out.push_str(&format!(" {name}=\"{value}\""));
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}
