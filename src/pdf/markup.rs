//! Typst markup from guide text. Every piece of text a guide supplies enters the typst source only as a
//! string literal (`#"…";`), so nothing a guide says can become typst code or markup; Markdown structure
//! becomes calls of typst functions around those literals.

use std::borrow::Cow;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use crate::markdown::{self, Inline, InlineTag, TargetKind};
use crate::textcheck::{self, PLACEHOLDER};

/// `text` as a typst string literal: `"…"` with `\`, `"`, line breaks and tabs escaped. Characters
/// validation forbids (controls, bidirectional overrides) are left out: typst never sees them.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if textcheck::is_forbidden(c) || c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as the PDF can draw it: every character no embedded font has (with what joins onto it, so
/// one emoji is one box) becomes [`PLACEHOLDER`]. PDF/UA-1 forbids the blank "tofu" glyph typst would
/// draw instead, so typst-pdf would refuse the whole PDF; validation warns about each such character.
pub fn printable(text: &str) -> Cow<'_, str> {
    let gaps = textcheck::glyph_gaps(text);
    if gaps.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for gap in gaps {
        out.push_str(&text[at..gap.start]);
        out.push(PLACEHOLDER);
        at = gap.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Text to draw, as a string literal: [`printable`], then [`string`].
pub fn shown(text: &str) -> String {
    string(&printable(text))
}

/// Plain text shown verbatim in markup mode: an embedded string expression, closed by `;` so that
/// nothing after it (a `.`, `(` or `[`) can continue the expression.
pub fn text(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("#{};", shown(text))
}

/// Plain text as a content block (`[#"…";]`), for a function argument.
pub fn content(text_: &str) -> String {
    format!("[{}]", text(text_))
}

/// `body` (markup) in `lang`, when the text is in another language than the page (a fallback).
pub fn in_lang(lang: Option<&str>, body: String) -> String {
    match lang.and_then(lang_args) {
        Some(args) => format!("#text({args})[{body}]"),
        None => body,
    }
}

/// `lang: "da"` (and `region: "BR"` for `pt-BR`) for typst's `text`, if the code is one typst accepts.
pub fn lang_args(code: &str) -> Option<String> {
    let mut parts = code.split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let mut args = format!("lang: {}", string(&lang));
    if let Some(region) = parts.next()
        && region.len() == 2
        && region.chars().all(|c| c.is_ascii_alphabetic())
    {
        args.push_str(&format!(
            ", region: {}",
            string(&region.to_ascii_uppercase())
        ));
    }
    Some(args)
}

/// An open Markdown link: its address when it is printed, and the text seen inside it so far.
struct Open {
    url: Option<String>,
    seen: String,
    /// A link to another guide: its title, printed after the link's text.
    guide_title: Option<String>,
}

/// What paper prints for a link to another guide of the site: its title, and its address when the
/// site has one.
pub struct GuideLinkText {
    pub title: String,
    pub address: Option<String>,
}

/// Guide Markdown as typst markup. Links keep their text and are followed by their address in
/// parentheses (paper can't be clicked), unless the text already is the address; raw HTML is printed as
/// text; relative links and images show their text only.
pub fn markdown(source: &str) -> String {
    markdown_with_images(source, &mut |_| None)
}

/// An image of a guide's Markdown as the PDF can show it: its path among the PDF's files and its
/// width in millimetres at 96 dpi (the most it is shown at; less where the column is narrower).
pub struct InlineImage {
    pub path: String,
    pub width_mm: f64,
}

/// [`markdown`], with each image that `image` finds (by its relative address) drawn in place of its
/// alt text.
pub fn markdown_with_images(
    source: &str,
    image: &mut dyn FnMut(&str) -> Option<InlineImage>,
) -> String {
    markdown_with(source, image, &mut |_| None)
}

/// [`markdown_with_images`], with each `guide:` link that `guide` knows followed by the guide's
/// title in quotation marks and its address: "see (“Set up MFA”, https://…/en/mfa-setup/)".
pub fn markdown_with(
    source: &str,
    image: &mut dyn FnMut(&str) -> Option<InlineImage>,
    guide: &mut dyn FnMut(&str) -> Option<GuideLinkText>,
) -> String {
    let mut writer = MarkupWriter {
        out: String::with_capacity(source.len() * 2),
        open: Vec::new(),
        code_block: None,
        picture: None,
        image,
        guide,
    };
    for (event, inline) in markdown::events(source) {
        match inline {
            Some(inline) => writer.out.push_str(inline_markup(inline)),
            None => writer.event(event),
        }
    }
    let mut out = writer.out;
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// A guide's Markdown being written as typst markup, event by event.
struct MarkupWriter<'f> {
    out: String,
    /// The links being read, innermost last.
    open: Vec<Open>,
    /// A code block being read: its text so far.
    code_block: Option<String>,
    /// An image being drawn: the image, and its alt text as it is read.
    picture: Option<(InlineImage, String)>,
    image: &'f mut dyn FnMut(&str) -> Option<InlineImage>,
    guide: &'f mut dyn FnMut(&str) -> Option<GuideLinkText>,
}

impl MarkupWriter<'_> {
    fn event(&mut self, event: Event) {
        if self.picture.is_some() {
            return self.in_picture(event);
        }
        if let Event::Start(Tag::Image { dest_url, .. }) = &event
            && let TargetKind::Relative(rel) = markdown::classify(dest_url)
            && let Some(found) = (self.image)(&rel)
        {
            self.picture = Some((found, String::new()));
            return;
        }
        if self.code_block.is_some() {
            return self.in_code_block(event);
        }
        let out = &mut self.out;
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                seen(&mut self.open, &t);
                out.push_str(&text(&t));
            }
            Event::Code(t) => {
                seen(&mut self.open, &t);
                out.push_str(&format!("#raw({});", shown(&t)));
            }
            Event::SoftBreak => {
                seen(&mut self.open, " ");
                out.push(' ');
            }
            Event::HardBreak => out.push_str("#linebreak();"),
            Event::Rule => out.push_str("#line(length: 100%)\n\n"),
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => {
                out.push_str(&text(&t))
            }
            // Boxes Inter has (it lacks ☐ and ☑).
            Event::TaskListMarker(done) => out.push_str(&text(if done { "✓ " } else { "□ " })),
        }
    }

    /// An event inside an image being drawn: its alt text, or its end.
    fn in_picture(&mut self, event: Event) {
        match event {
            Event::End(TagEnd::Image) => {
                if let Some((found, alt)) = self.picture.take() {
                    self.out.push_str(&format!(
                        "#gg-inline-image({}, {}, {:.2}mm);",
                        string(&found.path),
                        string(&alt),
                        found.width_mm
                    ));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = self.picture.as_mut() {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }

    /// An event inside a code block: its text, or its end.
    fn in_code_block(&mut self, event: Event) {
        match event {
            Event::Text(t) => {
                if let Some(code) = self.code_block.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = self.code_block.take().unwrap_or_default();
                let code = code.strip_suffix('\n').unwrap_or(&code);
                self.out
                    .push_str(&format!("#raw(block: true, {})\n\n", shown(code)));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        let out = &mut self.out;
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { .. } => out.push_str("#strong["),
            Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
            Tag::CodeBlock(_) => self.code_block = Some(String::new()),
            Tag::List(None) => out.push_str("#list("),
            Tag::List(Some(start)) => out.push_str(&format!("#enum(start: {start}, ")),
            Tag::Item => out.push('['),
            Tag::Emphasis => out.push_str("#emph["),
            Tag::Strong => out.push_str("#strong["),
            Tag::Strikethrough => out.push_str("#strike["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.link(link_type, &dest_url),
            Tag::Table(alignments) => {
                // Each column aligned as its `:-:` says; typst reads `start` and `end` by the
                // text's direction, as the page's `text-align` does.
                let align: Vec<&str> = alignments
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::Center => "center",
                        pulldown_cmark::Alignment::Right => "end",
                        _ => "start",
                    })
                    .collect();
                out.push_str(&format!(
                    "#table(columns: {}, align: ({},), ",
                    alignments.len().max(1),
                    align.join(", ")
                ));
            }
            Tag::TableHead => out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => out.push('['),
            _ => {}
        }
    }

    /// A link's start: a `#link` when its address is printed (a web address, an e-mail address, a
    /// guide of the site with an address); a guide's title is printed after its text.
    fn link(&mut self, link_type: LinkType, dest_url: &str) {
        let mut guide_title = None;
        let url = if link_type == LinkType::Email {
            Some(format!("mailto:{}", dest_url.trim()))
        } else {
            match markdown::classify(dest_url) {
                TargetKind::External => Some(dest_url.trim().to_owned()),
                TargetKind::Guide(url) => (self.guide)(&url).and_then(|target| {
                    guide_title = Some(target.title);
                    target.address
                }),
                _ => None,
            }
        };
        if let Some(url) = &url {
            self.out.push_str(&format!("#link({})[", string(url)));
        }
        self.open.push(Open {
            url,
            seen: String::new(),
            guide_title,
        });
    }

    fn end(&mut self, end: TagEnd) {
        let out = &mut self.out;
        match end {
            TagEnd::Paragraph => out.push_str("\n\n"),
            TagEnd::Heading(_) | TagEnd::BlockQuote(_) => out.push_str("]\n\n"),
            TagEnd::List(_) => out.push_str(")\n\n"),
            TagEnd::Item => out.push_str("],"),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => out.push(']'),
            TagEnd::Link => self.link_end(),
            TagEnd::TableHead => out.push_str("),"),
            TagEnd::TableCell => out.push_str("],"),
            TagEnd::Table => out.push_str(")\n\n"),
            _ => {}
        }
    }

    /// A link's end: its address printed after its text, unless the text already shows it; a
    /// guide's title (and address) in any case.
    fn link_end(&mut self) {
        let out = &mut self.out;
        match self.open.pop() {
            Some(Open {
                url,
                guide_title: Some(title),
                ..
            }) => {
                let printed = match &url {
                    Some(url) => {
                        out.push(']');
                        format!(" (“{title}”, {url})")
                    }
                    None => format!(" (“{title}”)"),
                };
                out.push_str(&text(&printed));
            }
            Some(Open {
                url: Some(url),
                seen,
                ..
            }) => {
                out.push(']');
                if !same_address(&seen, &url) {
                    out.push_str(&text(&format!(" ({url})")));
                }
            }
            _ => {}
        }
    }
}

/// An allowed inline tag as typst: a key as a framed box, sub- and superscripts, a line break.
fn inline_markup(inline: Inline) -> &'static str {
    match inline {
        Inline::Open(InlineTag::Kbd) => "#gg-kbd[",
        Inline::Open(InlineTag::Sub) => "#sub[",
        Inline::Open(InlineTag::Sup) => "#super[",
        Inline::Close(_) => "]",
        Inline::Break => "#linebreak();",
    }
}

fn seen(open: &mut [Open], text: &str) {
    for link in open.iter_mut() {
        link.seen.push_str(text);
    }
}

/// Whether a link's text already shows its address (`https://x.dk`, or `it@x.dk` for `mailto:it@x.dk`).
fn same_address(text: &str, url: &str) -> bool {
    let text = text.trim();
    let norm = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
    let url_n = norm(url);
    let text_n = norm(text);
    text_n == url_n
        || url_n
            .strip_prefix("mailto:")
            .is_some_and(|address| address == text_n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("æøå #panic() $x$"), "\"æøå #panic() $x$\"");
    }

    #[test]
    fn controls_and_bidi_overrides_never_reach_typst() {
        assert_eq!(
            string("x\ny\t\u{7}\r\u{85}\u{202e}z\u{2028}"),
            r#""x\ny\tz""#
        );
        assert_eq!(text("\u{1b}[31m"), r##"#"[31m";"##);
    }

    #[test]
    fn characters_without_a_glyph_become_one_placeholder_each() {
        assert_eq!(printable("🔐 Log in"), "□ Log in");
        assert_eq!(
            printable("👍🏽 👨\u{200d}👩\u{200d}👧 ✅\u{fe0f} 🇩🇰🇸🇪 1\u{fe0f}\u{20e3}"),
            "□ □ □ □□ □"
        );
        assert_eq!(printable("中文 ☐ done"), "□□ □ done");
        // Text the fonts have is borrowed as it is.
        assert!(matches!(printable("Åbn appen → مرحبا"), Cow::Borrowed(_)));
        assert_eq!(text("🔐"), "#\"□\";");
        assert_eq!(markdown("`🔐`"), "#raw(\"□\");");
    }

    #[test]
    fn text_is_one_closed_expression() {
        assert_eq!(text("Select *Next*"), "#\"Select *Next*\";");
        assert_eq!(text(""), "");
        // A literal can't be left: every quote inside is escaped.
        let hostile = r#"" + panic() + ""#;
        let markup = text(hostile);
        assert_eq!(markup, r#"#"\" + panic() + \"";"#);
    }

    #[test]
    fn markdown_becomes_function_calls_around_literals() {
        assert_eq!(
            markdown("Select **Next** and *then* `Done`."),
            r#"#"Select ";#strong[#"Next";]#" and ";#emph[#"then";]#" ";#raw("Done");#".";"#
        );
        assert_eq!(
            markdown("one\ntwo  \nthree"),
            r#"#"one"; #"two";#linebreak();#"three";"#
        );
        assert_eq!(markdown("a\n\nb"), "#\"a\";\n\n#\"b\";");
    }

    #[test]
    fn links_print_their_address_once() {
        assert_eq!(
            markdown("open [aka.ms/mfasetup](https://aka.ms/mfasetup)"),
            r#"#"open ";#link("https://aka.ms/mfasetup")[#"aka.ms/mfasetup";]#" (https://aka.ms/mfasetup)";"#
        );
        assert_eq!(
            markdown("<https://aka.ms/mfasetup>"),
            r#"#link("https://aka.ms/mfasetup")[#"https://aka.ms/mfasetup";]"#
        );
        assert_eq!(
            markdown("[it@dmjx.dk](mailto:it@dmjx.dk)"),
            r#"#link("mailto:it@dmjx.dk")[#"it@dmjx.dk";]"#
        );
        // Links that lead nowhere on paper keep their text only.
        assert_eq!(
            markdown("[x](javascript:alert(1)) [y](other.html)"),
            r#"#"x";#" ";#"y";"#
        );
        assert_eq!(
            markdown("<it@dmjx.dk>"),
            r#"#link("mailto:it@dmjx.dk")[#"it@dmjx.dk";]"#
        );
    }

    #[test]
    fn lists_and_raw_html() {
        assert_eq!(markdown("- a\n- b"), r#"#list([#"a";],[#"b";],)"#);
        assert_eq!(
            markdown("3. a\n4. b"),
            r#"#enum(start: 3, [#"a";],[#"b";],)"#
        );
        assert_eq!(markdown("Hi <b>x</b>"), r##"#"Hi ";#"<b>";#"x";#"</b>";"##);
    }

    #[test]
    fn hostile_markdown_stays_text() {
        let out = markdown(
            "# #panic()\n\n= x\n\n- \\#\n\n`` ` `` $x$ @ref <label> // c /* d */ \\ _a_ [b](#) ~~s~~",
        );
        assert!(out.contains(r##"#strong[#"#panic()";]"##), "{out}");
        for line in out.lines() {
            assert!(
                line.is_empty() || line.starts_with('#') || line.starts_with('['),
                "{line}"
            );
        }
    }

    #[test]
    fn keys_sub_and_superscripts_and_breaks() {
        assert_eq!(
            markdown("Press <kbd>Ctrl</kbd> x<sup>2</sup> H<sub>2</sub>O<br>y"),
            r#"#"Press ";#gg-kbd[#"Ctrl";]#" x";#super[#"2";]#" H";#sub[#"2";]#"O";#linebreak();#"y";"#
        );
        // Not on the list, or unbalanced: text.
        assert_eq!(markdown("<kbd>x"), r##"#"<kbd>";#"x";"##);
    }

    #[test]
    fn bare_addresses_are_links_printed_once() {
        assert_eq!(
            markdown("Go to https://aka.ms/mfasetup."),
            r#"#"Go to ";#link("https://aka.ms/mfasetup")[#"https://aka.ms/mfasetup";]#".";"#
        );
    }

    #[test]
    fn images_found_are_drawn_others_keep_their_alt_text() {
        let mut find = |rel: &str| {
            (rel == "shots/a.png").then(|| InlineImage {
                path: "f1.png".into(),
                width_mm: 40.0,
            })
        };
        assert_eq!(
            markdown_with_images(
                "See ![the *menu*](shots/a.png) and ![b](shots/b.png)",
                &mut find
            ),
            r#"#"See ";#gg-inline-image("f1.png", "the menu", 40.00mm);#" and ";#"b";"#
        );
    }

    #[test]
    fn lang_args_accept_only_language_codes() {
        assert_eq!(lang_args("da").as_deref(), Some(r#"lang: "da""#));
        assert_eq!(
            lang_args("pt-br").as_deref(),
            Some(r#"lang: "pt", region: "BR""#)
        );
        assert_eq!(lang_args("x\"); panic("), None);
    }
}
