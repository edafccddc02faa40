//! Render stage (shared by validation): guide Markdown — which link targets are allowed, and safe HTML.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown extensions guide text may use.
pub fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// A link or image target found in Markdown, with its byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub is_image: bool,
    pub range: std::ops::Range<usize>,
}

/// What kind of target a link or image has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// `https:`, `http:` or `mailto:`.
    External,
    /// A path relative to the guide's folder (with its `#fragment` or `?query` removed).
    Relative(String),
    /// `#fragment` on the same page.
    Fragment,
    /// Anything else (`javascript:`, `data:`, `file:`, `//host`…): never allowed.
    Forbidden(String),
    /// `guide:<id>`: another guide of the site ([`crate::guidelinks`]), as written.
    Guide(String),
}

/// Every link and image target of `markdown`, with entities already decoded by the parser.
pub fn targets(markdown: &str) -> Vec<Target> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Event::Start(tag) = event {
            match tag {
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                } if link_type != LinkType::Email => {
                    out.push(Target {
                        url: dest_url.into_string(),
                        is_image: false,
                        range,
                    });
                }
                Tag::Image { dest_url, .. } => {
                    out.push(Target {
                        url: dest_url.into_string(),
                        is_image: true,
                        range,
                    });
                }
                _ => {}
            }
        }
    }
    out
}

/// Classifies a target. The scheme test ignores case, surrounding white space and control characters,
/// as browsers do, so that `JaVa\tScript:` is caught.
pub fn classify(url: &str) -> TargetKind {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        return TargetKind::External;
    }
    if lower.starts_with('#') {
        return TargetKind::Fragment;
    }
    // Exactly as written: `guide:` names a guide by its id, in lowercase like every id.
    if url.trim().starts_with(crate::guidelinks::SCHEME) {
        return TargetKind::Guide(url.trim().to_owned());
    }
    if lower.starts_with("//") || lower.starts_with('/') || lower.starts_with('\\') {
        return TargetKind::Forbidden(cleaned);
    }
    // A scheme is letters, digits, `+-.` before the first `:`, and comes before any `/`, `?` or `#`.
    let before_delimiter = lower.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((scheme, _)) = before_delimiter.split_once(':')
        && !scheme.is_empty()
    {
        return TargetKind::Forbidden(cleaned);
    }
    let path = cleaned
        .split(['#', '?'])
        .next()
        .unwrap_or_default()
        .to_owned();
    if path.is_empty() {
        return TargetKind::Fragment;
    }
    TargetKind::Relative(path)
}

/// Markdown as HTML. Raw HTML is shown as text, never passed through; link targets are checked by
/// validation, and anything forbidden that got here anyway is dropped rather than written.
pub fn to_html(markdown: &str) -> String {
    // Links cannot nest: one flag says whether the open link is a guide link, written here.
    let mut in_guide_link = false;
    let parser = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) if crate::guidelinks::parse(&dest_url).is_some() => {
            in_guide_link = true;
            Event::InlineHtml(guide_link_start(&dest_url, &title).into())
        }
        Event::End(TagEnd::Link) if in_guide_link => {
            in_guide_link = false;
            Event::InlineHtml(CowStr::Borrowed("</a>"))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_forbidden(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
            // An image cannot show a guide: validation refuses it; dropped here all the same.
        }) if is_forbidden(&dest_url) || crate::guidelinks::parse(&dest_url).is_some() => {
            Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::Borrowed(""),
                title,
                id,
            })
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// The opening `<a>` of a link to another guide: its relative address and the `data-guide-link`
/// hook with the guide's id.
fn guide_link_start(url: &str, title: &str) -> String {
    let Some(link) = crate::guidelinks::parse(url) else {
        return "<a>".into();
    };
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_attribute(title))
    };
    format!(
        "<a href=\"{}\" data-guide-link=\"{}\"{title}>",
        escape_attribute(&crate::guidelinks::href(&link)),
        escape_attribute(link.id)
    )
}

fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn is_forbidden(url: &str) -> bool {
    matches!(classify(url), TargetKind::Forbidden(_))
}

/// Markdown as plain text (for `alt`, titles in `<title>`, PDF metadata).
pub fn to_plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Hi <script>alert(1)</script> <b onclick=x>b</b>\n\n<div>block</div>");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<b "));
        assert!(!html.contains("<div>"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn classifies_targets_after_entity_decoding() {
        let found = targets(
            "[a](javascript&#58;alert(1)) [b](https://x.dk) ![c](shots/a.png) [d](JaVa\tScript:x)",
        );
        let kinds: Vec<_> = found.iter().map(|t| classify(&t.url)).collect();
        assert!(matches!(kinds[0], TargetKind::Forbidden(_)), "{kinds:?}");
        assert_eq!(kinds[1], TargetKind::External);
        assert_eq!(kinds[2], TargetKind::Relative("shots/a.png".into()));
        assert!(found[2].is_image);
    }

    #[test]
    fn classifies_schemes() {
        assert_eq!(classify("mailto:it@dmjx.dk"), TargetKind::External);
        assert_eq!(classify("#step-3"), TargetKind::Fragment);
        assert_eq!(
            classify("files/form.pdf#page=2"),
            TargetKind::Relative("files/form.pdf".into())
        );
        assert!(matches!(
            classify("data:text/html,x"),
            TargetKind::Forbidden(_)
        ));
        assert!(matches!(
            classify("//evil.example"),
            TargetKind::Forbidden(_)
        ));
        assert!(matches!(
            classify("file:///etc/passwd"),
            TargetKind::Forbidden(_)
        ));
    }

    #[test]
    fn forbidden_targets_never_reach_html() {
        let html = to_html("[x](javascript:alert(1))");
        assert!(!html.contains("javascript"));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain("Select **Next** and [go](https://x.dk)."),
            "Select Next and go."
        );
    }
}
