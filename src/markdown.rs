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
    // Most texts are a sentence or two of words: their HTML is known without a parse (nor the
    // memo's hashing of the text).
    if let Some(html) = plain_paragraph_html(markdown) {
        return html;
    }
    sized_images(remembered(markdown, |parsed| &parsed.html))
}

/// The HTML of `markdown` when it is one paragraph of plain words, as the parser would write it:
/// [`is_plain`] (no character that can start markup, no line that can start a block), no address
/// to become a link, every line non-empty with no white space or control character at either end
/// (no indented code, no hard break, no second paragraph), at most one final line break. Its lines
/// are then the paragraph's text joined by soft breaks, and hold nothing the HTML escapes (`<`,
/// `>`, `&`). `tests::a_plain_paragraph_is_written_as_the_parser_writes_it` holds it to
/// [`render_html`]; `None` for anything else.
fn plain_paragraph_html(markdown: &str) -> Option<String> {
    let text = markdown.strip_suffix('\n').unwrap_or(markdown);
    if text.is_empty() || text.contains("://") || !is_plain(text) {
        return None;
    }
    let edge = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_control());
    let line_fits = |line: &str| {
        !edge(line.chars().next())
            && !edge(line.chars().next_back())
            && !line.bytes().any(|b| b < 0x20 || b == 0x7f)
    };
    if !text.split('\n').all(line_fits) {
        return None;
    }
    let mut html = String::with_capacity(text.len() + "<p></p>\n".len());
    html.push_str("<p>");
    html.push_str(text);
    html.push_str("</p>\n");
    Some(html)
}

/// [`to_html`] without the thread's memo.
#[cfg(test)]
fn render_html(markdown: &str) -> String {
    sized_images(parse(markdown).html)
}

/// A text's HTML (before [`sized_images`]) and its plain text, from one parse.
struct Parsed {
    html: String,
    plain: String,
}

/// How many texts a thread keeps parsed: a guide's texts in all its languages (25 steps of a few
/// texts each, per language), with room. The memo is emptied when full.
const PARSED_TEXTS: usize = 1024;

thread_local! {
    /// The texts this thread parsed lately, by their Markdown. Both readings of a text depend on
    /// the text alone, and a build reads each twice on the same thread: a guide's search entries
    /// take its plain text, then its pages its HTML (twice where a page shows a text twice, as a
    /// step's `action` and `parts.action`).
    static PARSED: std::cell::RefCell<std::collections::HashMap<String, Parsed, foldhash::fast::RandomState>> =
        std::cell::RefCell::new(std::collections::HashMap::with_hasher(foldhash::fast::RandomState::default()));
}

/// One reading (`field`) of `markdown`, from the thread's memo or from a parse that the memo keeps.
fn remembered(markdown: &str, field: fn(&Parsed) -> &String) -> String {
    if let Some(known) = PARSED.with_borrow(|memo| memo.get(markdown).map(|p| field(p).clone())) {
        return known;
    }
    let parsed = parse(markdown);
    let reading = field(&parsed).clone();
    PARSED.with_borrow_mut(|memo| {
        if memo.len() >= PARSED_TEXTS {
            memo.clear();
        }
        memo.insert(markdown.to_owned(), parsed);
    });
    reading
}

/// `markdown`'s HTML and plain text from one pass of the parser: the plain text is read off the
/// events before they are written as HTML.
fn parse(markdown: &str) -> Parsed {
    let events = events(markdown);
    let plain = plain_of(events.iter().map(|(event, _)| event), markdown.len());
    let html = html_of(events, markdown.len());
    Parsed { html, plain }
}

/// The HTML of `events` (of a text of `len` bytes), before [`sized_images`].
fn html_of(events: Vec<(Event<'_>, Option<Inline>)>, len: usize) -> String {
    let parser = events
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
    let mut out = String::with_capacity(len * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

// -- text: the width and height of images in text, so that the page does not move as they load --

/// The pixel size of images by their path in the guide's folder.
pub type ImageSizes = std::collections::BTreeMap<String, (u32, u32)>;

thread_local! {
    /// The sizes of the images of the guide whose page this thread is rendering ([`with_image_sizes`]).
    static IMAGE_SIZES: std::cell::RefCell<ImageSizes> = const { std::cell::RefCell::new(ImageSizes::new()) };
}

/// Runs `render` (a guide page's template) with the sizes of the guide's images known to
/// [`to_html`], which templates call through the views' Markdown and which has no other way to learn
/// them. The sizes are the guide's own, and gone when `render` returns. (The thread's memo of
/// parsed texts holds their HTML without sizes, which [`to_html`] adds to each copy it returns.)
pub fn with_image_sizes<R>(sizes: ImageSizes, render: impl FnOnce() -> R) -> R {
    let before = IMAGE_SIZES.with(|cell| cell.replace(sizes));
    let result = render();
    IMAGE_SIZES.with(|cell| cell.replace(before));
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
    remembered(markdown, |parsed| &parsed.plain)
}

/// The words of `text` joined by single spaces (`split_whitespace`, then `join(" ")`), borrowed
/// when `text` is that already — as every text [`to_plain`] returns is.
pub fn collapse_spaces(text: &str) -> Cow<'_, str> {
    if text.is_empty() || is_collapsed(text) {
        return Cow::Borrowed(text);
    }
    // A text that ends with a line break, and has nothing else to collapse.
    let trimmed = text.trim_end();
    if is_collapsed(trimmed) {
        return Cow::Owned(trimmed.to_owned());
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
    // One pass: the space before tells a double space; of the other characters only those whose
    // UTF-8 starts with 0xC2 (NEL, no-break space), 0xE1 (U+1680), 0xE2 (U+2000–U+205F) or 0xE3
    // (U+3000) can be white space, and only they are decoded.
    let mut previous_space = true;
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if previous_space => return false,
            b' ' => previous_space = true,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return false,
            0xc2 | 0xe1..=0xe3 if text[at..].chars().next().is_some_and(char::is_whitespace) => {
                return false;
            }
            _ => previous_space = false,
        }
    }
    !previous_space || bytes.is_empty()
}

/// [`to_plain`] by the parser's own events (what [`parse`] reads off [`events`], which keep every
/// text as the parser gave it): the tests' reference.
#[cfg(test)]
fn parsed_plain(markdown: &str) -> String {
    plain_of(
        Parser::new_ext(markdown, options())
            .collect::<Vec<_>>()
            .iter(),
        markdown.len(),
    )
}

/// The plain text of `events` (of a text of `len` bytes): their texts, a space for each break and
/// at the end of each block, the spaces collapsed.
fn plain_of<'e, 't: 'e>(events: impl Iterator<Item = &'e Event<'t>>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(t)
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
    // Most texts have nothing to collapse but the space that ends their last block.
    let kept = out.trim_end_matches(' ').len();
    if is_collapsed(&out[..kept]) {
        out.truncate(kept);
        return out;
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
    fn a_plain_paragraph_is_written_as_the_parser_writes_it() {
        // Every text of up to three pieces: where the shortcut answers, the parser agrees.
        let pieces = [
            "Vælg Næste",
            "ord",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "\r\n",
            "\u{a0}",
            "\u{3000}",
            "1. ",
            "- ",
            "# ",
            "> ",
            "=",
            "*",
            "_",
            "`",
            "~",
            "|",
            "[x]",
            "<b>",
            "&amp;",
            "\\",
            "https://example.dk",
            "a://b",
            "    kode",
            "\"citat\" 'x'",
            "!",
            ":",
            "^",
            "$",
            "{#id}",
            "\u{0}",
            "\u{b}",
            "\u{c}",
            "\u{7f}",
            "\u{85}",
            "æ",
            "🙂",
            "---",
            "www.example.dk",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    if let Some(html) = plain_paragraph_html(&text) {
                        assert_eq!(html, render_html(&text), "{text:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "the shortcut answered only {checked} texts");
        for text in ["Vælg Næste.\n", "To\nlinjer.\n", "Én linje"] {
            assert!(plain_paragraph_html(text).is_some(), "{text:?}");
            assert_eq!(to_html(text), render_html(text), "{text:?}");
        }
        for text in [
            "",
            "\n",
            "To  \nlinjer",
            "**fed**",
            "Se https://example.dk",
            "a\n\nb",
        ] {
            assert_eq!(plain_paragraph_html(text), None, "{text:?}");
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
        let text = "Tap **Next** ![x](shots/a.png) on the page that is parsed once";
        let size = |w| ImageSizes::from([("shots/a.png".to_owned(), (w, 10))]);
        let known = || PARSED.with_borrow(|memo| memo.contains_key(text));
        let plain = to_plain(text);
        assert_eq!(plain, parsed_plain(text));
        assert!(known(), "the plain text's parse is remembered");
        let (first, again) = with_image_sizes(size(96), || (to_html(text), to_html(text)));
        assert_eq!(first, again);
        assert_eq!(first, with_image_sizes(size(96), || render_html(text)));
        // Another page, other sizes: the remembered HTML has none of the first page's.
        let other = with_image_sizes(size(50), || to_html(text));
        assert!(other.contains(r#"width="50""#), "{other}");
        assert!(first.contains(r#"width="96""#), "{first}");
        // A page rendered inside another (an alias page, a PDF's HTML) leaves the outer sizes be.
        let outer = with_image_sizes(size(96), || {
            let inner = with_image_sizes(size(50), || to_html(text));
            (inner, to_html(text))
        });
        assert!(outer.0.contains(r#"width="50""#) && outer.1.contains(r#"width="96""#));
        // Outside a page no sizes are known.
        assert!(!to_html(text).contains("width"));
        assert_eq!(to_plain(text), plain);
    }

    #[test]
    fn the_memo_of_parsed_texts_is_bounded() {
        for n in 0..PARSED_TEXTS + 10 {
            let text = format!("**{n}**");
            assert_eq!(to_html(&text), render_html(&text));
            assert_eq!(to_plain(&text), n.to_string());
        }
        let held = PARSED.with_borrow(|memo| memo.len());
        assert!((1..=PARSED_TEXTS).contains(&held), "{held}");
    }

    #[test]
    fn one_parse_reads_as_the_plain_text_and_the_html() {
        for text in [
            "Tap **Next**, then _Done_.\n",
            "Se https://example.dk/a_b*c og [her](https://x.dk).\n\nNyt afsnit  \nlinje",
            "- et\n- to\n\n> citat\n\n    kode\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "<kbd>Ctrl</kbd>+<kbd>K</kbd> <b>x</b> `kode` ~~streg~~ &amp; \\*",
            "# Overskrift\n\nTekst<br>mere",
            "![alt **fed**](shots/a.png \"titel\")",
        ] {
            let parsed = parse(text);
            assert_eq!(parsed.plain, parsed_plain(text), "{text:?}");
            assert_eq!(to_plain(text), parsed_plain(text), "{text:?}");
            assert_eq!(to_html(text), sized_images(parsed.html), "{text:?}");
        }
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
