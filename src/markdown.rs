//! Render stage (shared by validation): guide Markdown — which link targets are allowed, and safe HTML.

use std::borrow::Cow;

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
    // Every link or image starts at a `[` (`[…](…)`, `![…](…)`, `[…][ref]`) or a `<` (`<https://…>`):
    // a text without either has none, and most texts are spared a parse.
    if !markdown.contains(['[', '<']) {
        return out;
    }
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

/// Markdown as HTML. Raw HTML is shown as text, never passed through, but for the inline tags of
/// [`INLINE_TAGS`] (exactly as listed, without attributes, each opened and closed in one paragraph),
/// written out again by guidegen; bare `https://` addresses become links. Link targets are checked by
/// validation, and anything forbidden that got here anyway is dropped rather than written.
pub fn to_html(markdown: &str) -> String {
    // Within a page's render a text is often serialized twice (a step's `action` and its
    // `parts.action`): the second time is the first one's HTML.
    if let Some(html) = RENDERED.with(|cell| {
        cell.borrow()
            .as_ref()
            .and_then(|memo| memo.get(markdown).cloned())
    }) {
        return html;
    }
    let html = render_html(markdown);
    RENDERED.with(|cell| {
        if let Some(memo) = cell.borrow_mut().as_mut() {
            memo.insert(markdown.to_owned(), html.clone());
        }
    });
    html
}

/// [`to_html`] without the page's memo.
fn render_html(markdown: &str) -> String {
    let parser = events(markdown)
        .into_iter()
        .map(|(event, inline)| match (event, inline) {
            (_, Some(inline)) => Event::InlineHtml(CowStr::Borrowed(inline.html())),
            (Event::Html(raw) | Event::InlineHtml(raw), None) => Event::Text(raw),
            (event, None) => event,
        });
    // Links cannot nest: one flag says whether the open link is a guide link, written here.
    let mut in_guide_link = false;
    let parser = parser.map(|event| match event {
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
    sized_images(out)
}

// -- text: the width and height of images in text, so that the page does not move as they load --

/// The pixel size of images by their path in the guide's folder.
pub type ImageSizes = std::collections::BTreeMap<String, (u32, u32)>;

/// The HTML of each Markdown text rendered so far in the page this thread renders, by its text.
type Rendered = std::collections::HashMap<String, String>;

thread_local! {
    /// The sizes of the images of the guide whose page this thread is rendering ([`with_image_sizes`]).
    static IMAGE_SIZES: std::cell::RefCell<ImageSizes> = const { std::cell::RefCell::new(ImageSizes::new()) };
    /// The page's texts as [`to_html`] rendered them, while [`with_image_sizes`] runs: the HTML of
    /// a text depends only on the text and on those sizes, which hold for the whole page.
    static RENDERED: std::cell::RefCell<Option<Rendered>> = const { std::cell::RefCell::new(None) };
}

/// Runs `render` (a guide page's template) with the sizes of the guide's images known to
/// [`to_html`], which templates call through the views' Markdown and which has no other way to learn
/// them. The sizes are the guide's own, and gone when `render` returns; so is the memo of the
/// texts rendered meanwhile (each rendered once however often the page shows it).
pub fn with_image_sizes<R>(sizes: ImageSizes, render: impl FnOnce() -> R) -> R {
    let before = IMAGE_SIZES.with(|cell| cell.replace(sizes));
    let memo_before = RENDERED.with(|cell| cell.replace(Some(Rendered::new())));
    let result = render();
    IMAGE_SIZES.with(|cell| cell.replace(before));
    RENDERED.with(|cell| cell.replace(memo_before));
    result
}

/// `html` with `width` and `height` on each `<img>` whose file's size is known. The HTML is the
/// Markdown writer's, where `<img src="` only ever starts an image (raw HTML is escaped).
fn sized_images(html: String) -> String {
    const START: &str = "<img src=\"";
    if !html.contains(START) {
        return html;
    }
    IMAGE_SIZES.with(|cell| {
        let sizes = cell.borrow();
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html.as_str();
        while let Some(at) = rest.find(START) {
            let after = at + START.len();
            let Some(len) = rest[after..].find('"') else {
                break;
            };
            out.push_str(&rest[..after + len + 1]);
            let src = rest[after..after + len].replace("&amp;", "&");
            if let TargetKind::Relative(rel) = classify(&src)
                && let Some((w, h)) = sizes.get(&crate::validate::attachment_key(&rel))
            {
                out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
            }
            rest = &rest[after + len + 1..];
        }
        out.push_str(rest);
        out
    })
}

// -- text: keys and buttons (a strict allow-list of inline HTML), and bare addresses as links --

/// An inline tag a guide's Markdown may use: `<kbd>` for a key or a button to press, `<sub>` and
/// `<sup>` for sub- and superscripts, `<br>` for a line break. Exactly these spellings, no
/// attributes; anything else stays text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineTag {
    Kbd,
    Sub,
    Sup,
}

/// What an allowed piece of inline HTML does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inline {
    Open(InlineTag),
    Close(InlineTag),
    Break,
}

/// The allow-list: each piece of raw inline HTML guidegen accepts, as written, and what it is. One
/// table, read by parsing, the HTML writer, the PDF and the docs' test.
pub const INLINE_TAGS: &[(&str, Inline)] = &[
    ("<kbd>", Inline::Open(InlineTag::Kbd)),
    ("</kbd>", Inline::Close(InlineTag::Kbd)),
    ("<sub>", Inline::Open(InlineTag::Sub)),
    ("</sub>", Inline::Close(InlineTag::Sub)),
    ("<sup>", Inline::Open(InlineTag::Sup)),
    ("</sup>", Inline::Close(InlineTag::Sup)),
    ("<br>", Inline::Break),
    ("<br/>", Inline::Break),
    ("<br />", Inline::Break),
];

impl Inline {
    /// The piece of raw HTML as written, if it is on the allow-list (letters in any case).
    pub fn parse(raw: &str) -> Option<Inline> {
        INLINE_TAGS
            .iter()
            .find(|(written, _)| written.eq_ignore_ascii_case(raw))
            .map(|(_, inline)| *inline)
    }

    /// Its HTML as guidegen writes it.
    pub fn html(self) -> &'static str {
        INLINE_TAGS
            .iter()
            .find(|(_, inline)| *inline == self)
            .map_or("", |(written, _)| written)
    }
}

/// The events of `markdown` as every renderer reads them: each allowed inline tag marked (an opening
/// tag only where its closing tag follows in the same paragraph, properly nested), and each bare
/// `https://` or `http://` address in text outside links and code turned into a link of itself.
pub fn events(markdown: &str) -> Vec<(Event<'_>, Option<Inline>)> {
    let mut out: Vec<(Event, Option<Inline>)> = Vec::new();
    // Open tags not yet closed in the current block: their index in `out`.
    let mut open: Vec<(usize, InlineTag)> = Vec::new();
    let mut in_link = 0usize;
    for event in merged_text(markdown) {
        match event {
            Event::InlineHtml(raw) => match Inline::parse(&raw) {
                Some(Inline::Break) => out.push((Event::InlineHtml(raw), Some(Inline::Break))),
                Some(Inline::Open(tag)) => {
                    open.push((out.len(), tag));
                    out.push((Event::InlineHtml(raw), None));
                }
                Some(Inline::Close(tag)) if open.last().is_some_and(|(_, t)| *t == tag) => {
                    if let Some((at, _)) = open.pop() {
                        out[at].1 = Some(Inline::Open(tag));
                    }
                    out.push((Event::InlineHtml(raw), Some(Inline::Close(tag))));
                }
                _ => out.push((Event::InlineHtml(raw), None)),
            },
            Event::Text(text) if in_link == 0 => autolink(text, &mut out),
            // Text inside a link, an image's alt text or a code block is never made a link.
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                in_link += 1;
                out.push((event, None));
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                in_link = in_link.saturating_sub(1);
                out.push((event, None));
            }
            Event::End(_) | Event::Start(_) => {
                // A tag never spans blocks: one left open here stays text.
                if !matches!(
                    event,
                    Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
                        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
                ) {
                    open.clear();
                }
                out.push((event, None));
            }
            other => out.push((other, None)),
        }
    }
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
        format!(" title=\"{}\"", crate::html::escape(title))
    };
    format!(
        "<a href=\"{}\" data-guide-link=\"{}\"{title}>",
        crate::html::escape(&crate::guidelinks::href(&link)),
        crate::html::escape(link.id)
    )
}

/// The parser's events with adjacent texts as one (it splits text at `_`, `*`, `[`…), so that an
/// address is seen whole.
fn merged_text(markdown: &str) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match (out.last_mut(), event) {
            (Some(Event::Text(before)), Event::Text(more)) => {
                // Grown in place: a text split at every `_` is not copied once per piece.
                let mut joined = std::mem::replace(before, CowStr::Borrowed("")).into_string();
                joined.push_str(&more);
                *before = CowStr::from(joined);
            }
            (_, event) => out.push(event),
        }
    }
    out
}

/// Raw HTML in `markdown` that names an allowed tag but is shown as text all the same: written with
/// attributes or white space (`<kbd class=x>`), or not closed in its paragraph. An author who wrote
/// it meant the tag; other raw HTML (`<b>`, `<your name>`) is plainly text.
pub fn near_misses(markdown: &str) -> Vec<String> {
    let names = ["kbd", "sub", "sup", "br"];
    // Raw HTML starts at a `<`: a text without one has none, and is spared a parse.
    if !markdown.contains('<') {
        return Vec::new();
    }
    events(markdown)
        .into_iter()
        .filter_map(|(event, inline)| match (event, inline) {
            (Event::InlineHtml(raw), None) => Some(raw.into_string()),
            _ => None,
        })
        .filter(|raw| {
            let name: String = raw
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            names.contains(&name.as_str())
        })
        .collect()
}

/// `text` as text and links: each `https://…` or `http://…` in it a link to itself. An address ends
/// at white space or `<`; a final `.`, `,`, `:`, `;`, `!`, `?`, quote, or a `)` without its `(` is
/// the sentence's, not the address's.
fn autolink<'a>(text: CowStr<'a>, out: &mut Vec<(Event<'a>, Option<Inline>)>) {
    let mut rest: &str = &text;
    if !rest.contains("http://") && !rest.contains("https://") {
        out.push((Event::Text(text), None));
        return;
    }
    while let Some(start) = find_address(rest) {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(tail.len());
        let address = trim_address(&tail[..end]);
        if address.len() <= "https://".len() {
            out.push((
                Event::Text(CowStr::from(rest[..start + end].to_owned())),
                None,
            ));
            rest = &rest[start + end..];
            continue;
        }
        if start > 0 {
            out.push((Event::Text(CowStr::from(rest[..start].to_owned())), None));
        }
        out.push((
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(address.to_owned()),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            None,
        ));
        out.push((Event::Text(CowStr::from(address.to_owned())), None));
        out.push((Event::End(TagEnd::Link), None));
        rest = &rest[start + address.len()..];
    }
    if !rest.is_empty() {
        out.push((Event::Text(CowStr::from(rest.to_owned())), None));
    }
}

/// Where the next address starts: `http://` or `https://` at the start of a word.
fn find_address(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("http").map(|i| i + from) {
        let rest = &text[at..];
        let word_start = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if word_start && (rest.starts_with("https://") || rest.starts_with("http://")) {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn trim_address(address: &str) -> &str {
    let mut address = address;
    loop {
        let trimmed = address.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '*', '_']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() < inner.matches(')').count() + 1 => inner,
            _ => trimmed,
        };
        if trimmed.len() == address.len() {
            return address;
        }
        address = trimmed;
    }
}

fn is_forbidden(url: &str) -> bool {
    matches!(classify(url), TargetKind::Forbidden(_))
}

/// Markdown as plain text (for `alt`, titles in `<title>`, PDF metadata).
pub fn to_plain(markdown: &str) -> String {
    if is_plain(markdown) {
        return collapse_spaces(markdown).into_owned();
    }
    parsed_plain(markdown)
}

/// The words of `text` joined by single spaces (`split_whitespace`, then `join(" ")`), borrowed
/// when `text` is that already — as every text [`to_plain`] returns is.
pub fn collapse_spaces(text: &str) -> Cow<'_, str> {
    if text.is_empty() || is_collapsed(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// Whether `text` is words joined by single spaces: no other white space (`char::is_whitespace`),
/// none at either end. ASCII is read by the byte.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if text.is_ascii() {
        return bytes.first() != Some(&b' ')
            && bytes.last() != Some(&b' ')
            && !bytes
                .iter()
                .any(|b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            && !bytes.windows(2).any(|pair| pair == b"  ");
    }
    let mut previous_space = true;
    text.chars().all(|c| {
        let fits = match c {
            ' ' => !previous_space,
            c => !c.is_whitespace(),
        };
        previous_space = c == ' ';
        fits
    }) && !previous_space
}

/// [`to_plain`] by the parser's events.
fn parsed_plain(markdown: &str) -> String {
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
    match collapse_spaces(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(collapsed) => collapsed,
    }
}

/// Whether `markdown` has nothing Markdown would read as markup, so that its plain text is its
/// words, spared a parse (most titles and alt texts). Markup needs a character that can only start
/// it inline (`\\`, `` ` ``, `*`, `_`, `~`, `[`, `]`, `<`, `>`, `&`, `|`), or one that starts a
/// block at the start of a line (`-`, `+`, `#`, `=`, or a digit of `1.`); NUL is replaced by the
/// parser.
fn is_plain(markdown: &str) -> bool {
    let inline = |b: u8| {
        matches!(
            b,
            b'\\' | b'`' | b'*' | b'_' | b'~' | b'[' | b']' | b'<' | b'>' | b'&' | b'|' | b'\0'
        )
    };
    let block = |line: &str| {
        line.trim_start()
            .bytes()
            .next()
            .is_some_and(|b| matches!(b, b'-' | b'+' | b'#' | b'=') || b.is_ascii_digit())
    };
    !markdown.bytes().any(inline) && !markdown.split(['\n', '\r']).any(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_read_as_the_parser_reads_it() {
        let parsed = parsed_plain;
        for text in [
            "Screenshot of step 1 with the Next button.",
            "  Two   spaces\nand a line\r\n\n    indented code\n\tTab  \nhard break",
            "Vælg «Indstillinger», så \u{a0}Næste: (valgfrit) \"citat\" 'x' ! ? 2FA 3.5",
            "Wi-Fi e-mail a+b c#d x=y",
        ] {
            assert!(is_plain(text), "{text}");
            assert_eq!(to_plain(text), parsed(text), "{text}");
        }
        for markup in [
            "- item",
            "1. first",
            "2) second",
            "# Title",
            "Title\n===",
            "a *b*",
            "a_b_",
            "`c`",
            "[l](x)",
            "<b>",
            "&amp;",
            "a | b",
            "> quote",
            "a\\\nb",
            "~~s~~",
            "x\0y",
            " + item",
        ] {
            assert!(!is_plain(markup), "{markup}");
        }
    }

    #[test]
    fn collapsed_spaces_are_the_words_joined_by_one_space() {
        for text in [
            "",
            " ",
            "a",
            "a b",
            " a b",
            "a b ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "a\u{2028}b",
            "a \u{3000}b",
            "æ ø å",
            "one two three",
            "\r\n",
            "a\u{b}b",
            "a\u{c}b",
            "a\u{1c}b",
            "a\u{85}b",
            "  ",
            "x  ",
            "æ  ø",
            " æ",
            "æ ",
        ] {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let collapsed = collapse_spaces(text);
            assert_eq!(collapsed, joined, "{text:?}");
            // Borrowed exactly when there was nothing to collapse.
            assert_eq!(
                matches!(collapsed, Cow::Borrowed(_)),
                joined == text,
                "{text:?}"
            );
        }
    }

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
    fn allowed_inline_tags_pass_balanced_and_bare() {
        let html =
            to_html("Press <kbd>Ctrl</kbd>+<KBD>C</KBD>, H<sub>2</sub>O, x<sup>2</sup><br>y");
        assert!(
            html.contains("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup><br>y"),
            "{html}"
        );
        // Attributes, unclosed, unopened, crossed, across paragraphs: all text.
        for hostile in [
            "<kbd onclick=x>a</kbd>",
            "<kbd>a",
            "a</kbd>",
            "<kbd>a\n\nb</kbd>",
            "<kbd >a</kbd >",
            "<br onload=x>",
            "<kbd\n>a</kbd>",
        ] {
            let html = to_html(&hostile.replace("\\n", "\n"));
            let tags = html.matches("<kbd>").count() + html.matches("<sub>").count();
            assert_eq!(tags, 0, "{hostile}: {html}");
            assert!(!html.contains("<br"), "{hostile}: {html}");
            assert!(
                !html.contains("onclick=x>") || html.contains("&lt;"),
                "{html}"
            );
        }
        // Crossed: only the pair that nests is a pair.
        assert!(to_html("<kbd><sub>a</kbd></sub>").contains("&lt;kbd&gt;<sub>a&lt;/kbd&gt;</sub>"));
        // Nested properly, and inside emphasis.
        assert!(to_html("**<kbd>Ctrl</kbd>**").contains("<strong><kbd>Ctrl</kbd></strong>"));
        assert!(to_html("<sup><kbd>x</kbd></sup>").contains("<sup><kbd>x</kbd></sup>"));
    }

    #[test]
    fn images_get_their_size_while_a_guide_is_rendered() {
        let sizes = ImageSizes::from([("shots/a b.png".to_owned(), (96, 48))]);
        let html = with_image_sizes(sizes, || to_html("![x](shots/a%20b.png) ![y](shots/c.png)"));
        assert!(
            html.contains(r#"<img src="shots/a%20b.png" width="96" height="48" alt="x""#),
            "{html}"
        );
        assert!(html.contains(r#"<img src="shots/c.png" alt="y""#), "{html}");
        assert!(!to_html("![x](shots/a%20b.png)").contains("width"));
    }

    #[test]
    fn a_page_renders_each_text_once_and_for_its_own_images() {
        let text = "Tap **Next** ![x](shots/a.png)";
        let size = |w| ImageSizes::from([("shots/a.png".to_owned(), (w, 10))]);
        let (first, again, remembered) = with_image_sizes(size(96), || {
            let first = to_html(text);
            let again = to_html(text);
            let remembered = RENDERED.with(|c| c.borrow().as_ref().map_or(0, |m| m.len()));
            (first, again, remembered)
        });
        assert_eq!(first, again);
        assert_eq!(first, with_image_sizes(size(96), || render_html(text)));
        assert_eq!(remembered, 1, "the second render is the memo's");
        // Another page, other sizes: nothing remembered from the first.
        let other = with_image_sizes(size(50), || to_html(text));
        assert!(other.contains(r#"width="50""#), "{other}");
        assert!(first.contains(r#"width="96""#), "{first}");
        // A page rendered inside another (an alias page, a PDF's HTML) leaves the outer memo be.
        let outer = with_image_sizes(size(96), || {
            let inner = with_image_sizes(size(50), || to_html(text));
            (inner, to_html(text))
        });
        assert!(outer.0.contains(r#"width="50""#) && outer.1.contains(r#"width="96""#));
        // Outside a page nothing is kept.
        assert!(!to_html(text).contains("width"));
        assert!(RENDERED.with(|c| c.borrow().is_none()));
    }

    #[test]
    fn near_misses_are_allowed_tags_written_otherwise() {
        assert_eq!(
            near_misses("<kbd class=x>a</kbd> <b>b</b> <sub>c <br/> <your name>"),
            ["<kbd class=x>", "</kbd>", "<sub>"]
        );
    }

    #[test]
    fn bare_addresses_become_links() {
        let html =
            to_html("Open https://aka.ms/mfasetup. Or (see https://x.dk/a_(b)), http://y.dk!");
        assert!(
            html.contains(r#"<a href="https://aka.ms/mfasetup">https://aka.ms/mfasetup</a>."#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://x.dk/a_(b)">https://x.dk/a_(b)</a>)"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="http://y.dk">http://y.dk</a>!"#),
            "{html}"
        );
        // Already a link, code, a word that merely contains it, a lone scheme: left alone.
        for kept in [
            "[https://x.dk](https://x.dk)",
            "`https://x.dk`",
            "xhttps://x.dk",
            "https:// x",
            "<https://x.dk>",
        ] {
            assert!(to_html(kept).matches("<a ").count() <= 1, "{kept}");
        }
        assert!(!to_html("`https://x.dk`").contains("<a "));
        assert!(!to_html("    https://x.dk").contains("<a "));
        assert!(!to_html("xhttps://x.dk").contains("<a "));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain("Select **Next** and [go](https://x.dk)."),
            "Select Next and go."
        );
    }
}
