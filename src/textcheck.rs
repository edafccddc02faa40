//! Validate stage: the limits on every single text of a site — its size, the characters it may hold,
//! how deep its Markdown nests — and which of its characters the PDF's fonts cannot draw. What `check`
//! passes here, the HTML and the PDF can show; the PDF generator ([`crate::pdf::markup`]) relies on it.
//!
//! Decisions, for the documentation:
//! - Control characters (C0 but tab and line feed, DEL, C1), the line and paragraph separators
//!   U+2028/U+2029, and the bidirectional embeddings, overrides and isolates U+202A–U+202E and
//!   U+2066–U+2069 are errors. The controls and separators show differently in HTML and PDF, or not at
//!   all; the bidirectional ones can make text read differently from how it is written (a spoofing
//!   risk), and a guide never needs them: the page's language sets the direction. The marks U+200E and
//!   U+200F stay allowed.
//! - A character none of the PDF's fonts has is a warning: the HTML shows it with the reader's fonts,
//!   the PDF shows [`PLACEHOLDER`] instead.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostic::Severity;
use crate::markdown;
use crate::pdf;

/// The most bytes one text (one language of a title, an action, a callout…) may have: 16 KiB, some
/// five printed pages. It bounds what a single text costs every later stage, in time and memory.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// How deep lists and block quotes may nest in one Markdown text, counted together (a list in a quote
/// in a list is 3 deep). Each level costs typst several layout levels, of which it allows 72.
pub const MAX_BLOCK_NESTING: usize = 8;

/// How deep emphasis, bold, strikethrough and links may nest in one Markdown text.
pub const MAX_INLINE_NESTING: usize = 8;

/// What the PDF shows instead of a character its fonts lack: U+25A1 WHITE SQUARE, which Inter has.
pub const PLACEHOLDER: char = '\u{25A1}';

/// How many different characters one diagnostic names before it says "and N more".
const NAMED: usize = 5;

/// How a text is used, which decides the checks it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Markdown, drawn in the PDF: every check.
    Markdown,
    /// Plain text drawn in the PDF (titles, labels, names).
    Plain,
    /// Plain text only read out, never drawn (alt text): no glyph check.
    Unseen,
}

/// One problem of a text, with what to search the file for to point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub hint: String,
    /// How the offending part may be written in the file, best first (the characters themselves,
    /// then their YAML escapes); empty when the problem is the text as a whole.
    pub needles: Vec<String>,
}

/// The problems of one text in one language.
pub fn check(text: &str, kind: TextKind) -> Vec<Finding> {
    // A text over the limit gets no further look: that would cost what the limit is there to bound.
    if let Some(finding) = too_long(text) {
        return vec![finding];
    }
    let mut findings = forbidden_characters(text);
    if kind == TextKind::Markdown {
        findings.extend(too_deep(text));
    }
    if kind != TextKind::Unseen {
        findings.extend(missing_glyphs(text));
    }
    findings
}

/// Characters no text may hold (see the module's documentation for why).
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// The parts of `text` the PDF's fonts cannot draw, as byte ranges. Each is one character no font
/// has, with what joins onto it (variation selectors, a zero-width joiner and the character it joins,
/// skin tones, tags, combining marks, the second half of a flag), so that one emoji is one gap.
pub fn glyph_gaps(text: &str) -> Vec<Range<usize>> {
    let mut gaps: Vec<Range<usize>> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    // No ASCII character is a gap (every font has the printable ones; the rest are line breaks,
    // tabs or forbidden), so the search for one skips them byte by byte.
    while let Some(skip) = bytes[at..].iter().position(|&b| !b.is_ascii()) {
        at += skip;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if is_gap(c) {
            let end = gap_end(text, at);
            // A mark no font has takes the character it marks along (the `1` of the keycap `1️⃣`).
            let after_last = gaps.last().map_or(0, |gap| gap.end);
            let start = if joins_onto(c) {
                base_before(text, after_last, at)
            } else {
                at
            };
            gaps.push(start..end);
            at = end;
        } else {
            at += c.len_utf8();
        }
    }
    gaps
}

/// Where the character that the marks ending at byte `at` are on starts, not before `floor`.
fn base_before(text: &str, floor: usize, at: usize) -> usize {
    let mut start = at;
    for (i, c) in text[floor..at].char_indices().rev() {
        start = floor + i;
        if !(joins_onto(c) || typst::text::is_default_ignorable(c)) {
            break;
        }
    }
    start
}

/// Whether `c` would be drawn as a blank box: no font has it, and typst does not skip it (line
/// breaks, tabs and default-ignorable characters such as U+FE0F it leaves out by itself).
fn is_gap(c: char) -> bool {
    // Printable ASCII first, before any table lookup: almost every character, and every font
    // has it.
    if c.is_ascii_graphic() || c == ' ' {
        return false;
    }
    let skipped = c == '\n' || c == '\t' || typst::text::is_default_ignorable(c);
    !(skipped || is_forbidden(c) || pdf::covers(c))
}

/// The end of the gap that starts at byte `start` with a character no font has.
fn gap_end(text: &str, start: usize) -> usize {
    let mut chars = text[start..].char_indices().map(|(i, c)| (start + i, c));
    let Some((_, first)) = chars.next() else {
        return start;
    };
    let mut end = start + first.len_utf8();
    let mut chars = chars.peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c == '\u{200d}' {
            // A zero-width joiner takes the character after it into the same emoji.
            chars.next();
            end = i + c.len_utf8();
            if let Some(&(j, next)) = chars.peek()
                && is_gap(next)
            {
                chars.next();
                end = j + next.len_utf8();
            }
        } else if joins_onto(c) || (is_regional_indicator(first) && is_regional_indicator(c)) {
            chars.next();
            end = i + c.len_utf8();
            if is_regional_indicator(c) {
                // A flag is two regional indicators, no more.
                break;
            }
        } else {
            break;
        }
    }
    end
}

/// Characters that modify the one before them rather than stand alone.
fn joins_onto(c: char) -> bool {
    matches!(c,
        '\u{fe00}'..='\u{fe0f}'          // variation selectors (U+FE0F: emoji style)
        | '\u{e0100}'..='\u{e01ef}'      // variation selectors supplement
        | '\u{1f3fb}'..='\u{1f3ff}'      // skin tones
        | '\u{e0020}'..='\u{e007f}'      // tags (subdivision flags)
        | '\u{0300}'..='\u{036f}'        // combining diacritical marks
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'        // combining marks for symbols, with the keycap U+20E3
        | '\u{fe20}'..='\u{fe2f}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

fn too_long(text: &str) -> Option<Finding> {
    (text.len() > MAX_TEXT_BYTES).then(|| Finding {
        severity: Severity::Error,
        message: format!(
            "the text is {} KiB long, more than the {} KiB one text may have",
            text.len().div_ceil(1024),
            MAX_TEXT_BYTES / 1024
        ),
        hint: "shorten it, or split it over several steps; a long reference belongs in a file in the guide's folder, linked from the text".into(),
        needles: Vec::new(),
    })
}

/// One error per different forbidden character, pointing at its first occurrence.
fn forbidden_characters(text: &str) -> Vec<Finding> {
    if !may_hold_forbidden(text) {
        return Vec::new();
    }
    let mut seen = Vec::new();
    for c in text.chars().filter(|&c| is_forbidden(c)) {
        if !seen.contains(&c) {
            seen.push(c);
        }
        if seen.len() == NAMED {
            break;
        }
    }
    seen.into_iter().map(forbidden_character).collect()
}

/// Whether `text` has a byte that can start a forbidden character, so that most texts are spared
/// decoding: an ASCII control but tab and line feed, DEL, `0xC2` (the C1 controls U+0080–U+009F),
/// or `0xE2 0x80`/`0xE2 0x81` (U+2000–U+207F, which holds the separators and the bidirectional
/// characters).
fn may_hold_forbidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\n' && b != b'\t')
            || b == 0x7f
            || b == 0xc2
            || (b == 0xe2 && matches!(bytes.get(i + 1), Some(0x80 | 0x81)))
    })
}

fn forbidden_character(c: char) -> Finding {
    let code = code_point(c);
    let (message, hint) = match c {
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => (
            format!(
                "the text has the invisible bidirectional formatting character {code}, which can make it read differently from how it is written"
            ),
            "remove it: the page's language sets the direction of right-to-left text (to place a number in it, the marks U+200E and U+200F are allowed)".to_owned(),
        ),
        '\u{2028}' | '\u{2029}' => (
            format!("the text has the invisible separator {code}"),
            "replace it with an ordinary line break: a new line in a `|` block, or an empty line between paragraphs".to_owned(),
        ),
        _ => (
            format!("the text has the control character {code}"),
            format!(
                "remove it; it is invisible in most editors, and in double-quoted YAML it may be written as an escape such as `{}`",
                yaml_escapes(c).first().cloned().unwrap_or_default()
            ),
        ),
    };
    let mut needles = vec![c.to_string()];
    needles.extend(yaml_escapes(c));
    Finding {
        severity: Severity::Error,
        message,
        hint,
        needles,
    }
}

/// The ways double-quoted YAML can write `c`, most specific first.
fn yaml_escapes(c: char) -> Vec<String> {
    let code = c as u32;
    let mut out = Vec::new();
    if code <= 0xff {
        out.push(format!("\\x{code:02x}"));
        out.push(format!("\\x{code:02X}"));
    }
    if code <= 0xffff {
        out.push(format!("\\u{code:04x}"));
        out.push(format!("\\u{code:04X}"));
    }
    out.push(format!("\\U{code:08x}"));
    out.push(format!("\\U{code:08X}"));
    let named = match c {
        '\0' => "\\0",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        '\r' => "\\r",
        '\u{1b}' => "\\e",
        '\u{85}' => "\\N",
        '\u{2028}' => "\\L",
        '\u{2029}' => "\\P",
        _ => "",
    };
    if !named.is_empty() {
        out.push(named.to_owned());
    }
    out
}

/// `U+1F510`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Lists and quotes, and inline formatting, nested deeper than allowed: one error for each.
fn too_deep(text: &str) -> Vec<Finding> {
    if !may_be_too_deep(text) {
        return Vec::new();
    }
    let mut blocks = Depth::default();
    let mut inlines = Depth::default();
    for (event, range) in Parser::new_ext(text, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                blocks.open(range.start, MAX_BLOCK_NESTING)
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => blocks.close(),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                inlines.open(range.start, MAX_INLINE_NESTING);
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {
                inlines.close();
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    if let Some(at) = blocks.over_at {
        findings.push(Finding {
            severity: Severity::Error,
            message: format!(
                "lists and block quotes are nested {} deep, more than the {MAX_BLOCK_NESTING} a text may have",
                blocks.max
            ),
            hint: "use fewer levels: each `-`, `1.` or `>` that starts a line inside another starts one more; split the text over several steps".into(),
            needles: line_at(text, at).into_iter().collect(),
        });
    }
    if let Some(at) = inlines.over_at {
        findings.push(Finding {
            severity: Severity::Error,
            message: format!(
                "emphasis, bold, strikethrough and links are nested {} deep, more than the {MAX_INLINE_NESTING} a text may have",
                inlines.max
            ),
            hint: "remove the extra `*`, `_`, `~~` and `[…](…)` around the text".into(),
            needles: line_at(text, at).into_iter().collect(),
        });
    }
    findings
}

/// Whether `text` has enough marks to nest deeper than allowed, so that most texts are spared a
/// parse. Each list or block quote opens at a mark of its own (`-`, `+`, `*`, `>`, or `.` or `)`
/// after a digit), and each emphasis, bold, strikethrough or link at a character of its own (`*`,
/// `_`, `~`, `[`, `<`): a text with no more of them than the limit cannot go over it.
fn may_be_too_deep(text: &str) -> bool {
    // One pass counting both, with the byte before carried along.
    let (mut block_marks, mut inline_marks) = (0, 0);
    let mut before = 0u8;
    for &b in text.as_bytes() {
        if matches!(b, b'-' | b'+' | b'*' | b'>')
            || (matches!(b, b'.' | b')') && before.is_ascii_digit())
        {
            block_marks += 1;
        }
        if matches!(b, b'*' | b'_' | b'~' | b'[' | b'<') {
            inline_marks += 1;
        }
        before = b;
    }
    block_marks > MAX_BLOCK_NESTING || inline_marks > MAX_INLINE_NESTING
}

/// The nesting of one kind of Markdown element while the text is read.
#[derive(Default)]
struct Depth {
    now: usize,
    max: usize,
    /// Where the text first went deeper than allowed (a byte offset).
    over_at: Option<usize>,
}

impl Depth {
    fn open(&mut self, at: usize, limit: usize) {
        self.now += 1;
        self.max = self.max.max(self.now);
        if self.now > limit && self.over_at.is_none() {
            self.over_at = Some(at);
        }
    }

    fn close(&mut self) {
        self.now = self.now.saturating_sub(1);
    }
}

/// The rest of the line from byte `at`, trimmed, to find the place in the file.
fn line_at(text: &str, at: usize) -> Option<String> {
    let line = text.get(at..)?.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

/// One warning naming the characters the PDF cannot draw, pointing at the first.
fn missing_glyphs(text: &str) -> Option<Finding> {
    let mut named: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for gap in glyph_gaps(text) {
        let part = &text[gap];
        if seen.insert(part) && named.len() < NAMED {
            named.push(part);
        }
    }
    let first = *named.first()?;
    let more = seen.len() - named.len();
    let list: Vec<String> = named
        .iter()
        .map(|part| {
            let codes: Vec<String> = part.chars().map(code_point).collect();
            format!("`{part}` ({})", codes.join(" "))
        })
        .collect();
    let mut list = list.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    let (glyphs, it_is, it) = if seen.len() == 1 {
        ("glyph", "it is", "it")
    } else {
        ("glyphs", "they are", "them")
    };
    let mut needles = vec![first.to_owned()];
    needles.extend(first.chars().next().map(yaml_escapes).unwrap_or_default());
    Some(Finding {
        severity: Severity::Warning,
        message: format!(
            "the PDF fonts have no {glyphs} for {list}; {it_is} shown as `{PLACEHOLDER}` in the PDF"
        ),
        hint: format!(
            "the HTML page shows {it} with the reader's fonts; write {it} out in words for print, or remove {it}"
        ),
        needles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str, kind: TextKind) -> Vec<String> {
        check(text, kind).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn the_placeholder_is_drawn_by_the_body_font() {
        assert!(pdf::covers(PLACEHOLDER));
        assert!(!is_gap(PLACEHOLDER));
    }

    #[test]
    fn ordinary_text_passes() {
        let text = "Åbn **appen** — “Næste” → 3 €. Ärger, Łódź, Ωmega, Жук, مرحبا, שלום\n\n- a\n  - b\n\ttab\u{200e}";
        assert_eq!(check(text, TextKind::Markdown), Vec::new());
    }

    #[test]
    fn an_emoji_is_one_gap_with_its_modifiers() {
        let text = "🔐 Log in 👍🏽 ok 👨‍👩‍👧 ✅\u{fe0f} 🇩🇰🇸🇪 中文 #\u{fe0f}\u{20e3}";
        let gaps: Vec<&str> = glyph_gaps(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            gaps,
            [
                "🔐",
                "👍🏽",
                "👨‍👩‍👧",
                "✅\u{fe0f}",
                "🇩🇰",
                "🇸🇪",
                "中",
                "文",
                "#\u{fe0f}\u{20e3}"
            ]
        );
        // Characters typst skips by itself are no gap on their own.
        assert!(glyph_gaps("a\u{fe0f}b\u{200d}c\u{2060}").is_empty());
    }

    #[test]
    fn missing_glyphs_are_one_warning_naming_them() {
        let findings = check("🔐 Log in", TextKind::Plain);
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.message,
            "the PDF fonts have no glyph for `🔐` (U+1F510); it is shown as `□` in the PDF"
        );
        assert!(f.hint.contains("write it out in words"), "{}", f.hint);
        assert_eq!(f.needles[0], "🔐");
        assert!(f.needles.contains(&"\\U0001F510".to_owned()));

        let many = messages("中文中 ☐ 한국어 ไทย", TextKind::Markdown);
        assert_eq!(
            many,
            [
                "the PDF fonts have no glyphs for `中` (U+4E2D), `文` (U+6587), `☐` (U+2610), `한` (U+D55C), `국` (U+AD6D) and 4 more; they are shown as `□` in the PDF"
            ]
        );
        // Alt text is read out, never drawn.
        assert!(check("🔐", TextKind::Unseen).is_empty());
    }

    #[test]
    fn control_and_bidi_characters_are_errors_naming_the_code_point() {
        let findings = check("ring \u{7} twice \u{7} and \u{202e}evil", TextKind::Plain);
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 2, "{findings:#?}");
        assert_eq!(
            errors[0].message,
            "the text has the control character U+0007"
        );
        assert!(errors[0].hint.contains("`\\x07`"), "{}", errors[0].hint);
        assert_eq!(errors[0].needles[..3], ["\u{7}", "\\x07", "\\x07"]);
        assert!(
            errors[1].message.contains("U+202E"),
            "{}",
            errors[1].message
        );
        for c in [
            '\0', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{2028}', '\u{2066}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\n', '\t', ' ', '\u{200e}', '\u{200f}', '\u{a0}', '\u{ad}'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
        // No glyph warning for what is already an error.
        assert!(findings.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn nesting_is_limited_for_lists_quotes_and_inline_formatting() {
        let ok_lists = "- a\n".to_owned()
            + &(1..MAX_BLOCK_NESTING)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>();
        assert!(check(&ok_lists, TextKind::Markdown).is_empty());

        let lists = "- ".repeat(30) + "deep";
        let findings = check(&lists, TextKind::Markdown);
        assert_eq!(
            findings[0].message,
            "lists and block quotes are nested 30 deep, more than the 8 a text may have"
        );
        // Pointing at the level that goes too deep.
        assert_eq!(findings[0].needles, ["- ".repeat(22) + "deep"]);

        let quotes = "> ".repeat(40) + "deep";
        assert_eq!(
            messages(&quotes, TextKind::Markdown),
            ["lists and block quotes are nested 40 deep, more than the 8 a text may have"]
        );
        let emphasis = "*a ".repeat(20) + &" b*".repeat(20);
        let message = &messages(&emphasis, TextKind::Markdown)[0];
        assert!(
            message.starts_with("emphasis, bold, strikethrough and links are nested 20 deep"),
            "{message}"
        );
        // Plain text is not Markdown.
        assert!(check(&quotes, TextKind::Plain).is_empty());
    }

    #[test]
    fn texts_are_limited_in_size() {
        assert!(check(&"a".repeat(MAX_TEXT_BYTES), TextKind::Markdown).is_empty());
        let long = "a".repeat(MAX_TEXT_BYTES + 1) + "\u{7}🔐";
        assert_eq!(
            messages(&long, TextKind::Markdown),
            ["the text is 17 KiB long, more than the 16 KiB one text may have"]
        );
    }

    /// The checks before their shortcuts (every character decoded, every byte counted twice), to
    /// hold the shortcuts to.
    mod slow {
        use super::super::*;

        pub fn forbidden(text: &str) -> Vec<char> {
            let mut seen = Vec::new();
            for c in text.chars().filter(|&c| is_forbidden(c)) {
                if !seen.contains(&c) {
                    seen.push(c);
                }
                if seen.len() == NAMED {
                    break;
                }
            }
            seen
        }

        pub fn gaps(text: &str) -> Vec<Range<usize>> {
            let mut gaps: Vec<Range<usize>> = Vec::new();
            let mut at = 0;
            while let Some(c) = text[at..].chars().next() {
                if is_gap(c) {
                    let end = gap_end(text, at);
                    let after_last = gaps.last().map_or(0, |gap| gap.end);
                    let start = if joins_onto(c) {
                        base_before(text, after_last, at)
                    } else {
                        at
                    };
                    gaps.push(start..end);
                    at = end;
                } else {
                    at += c.len_utf8();
                }
            }
            gaps
        }

        pub fn too_deep(text: &str) -> bool {
            let bytes = text.as_bytes();
            let block_marks = bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    matches!(b, b'-' | b'+' | b'*' | b'>')
                        || (matches!(b, b'.' | b')') && i > 0 && bytes[i - 1].is_ascii_digit())
                })
                .count();
            let inline_marks = bytes
                .iter()
                .filter(|&&b| matches!(b, b'*' | b'_' | b'~' | b'[' | b'<'))
                .count();
            block_marks > MAX_BLOCK_NESTING || inline_marks > MAX_INLINE_NESTING
        }
    }

    /// Every character of the first planes and the emoji ones, alone and between ASCII, a combining
    /// mark and a skin tone: the shortcuts find what the full decoding finds.
    #[test]
    fn shortcuts_find_what_decoding_every_character_finds() {
        let chars = (0u32..0x3100)
            .chain(0xfe00..0xfe30)
            .chain(0x1f1e0..0x1f700)
            .chain(0xe0000..0xe0080)
            .filter_map(char::from_u32);
        for c in chars {
            for text in [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}\u{301}x"),
                format!("x\u{301}{c}\u{1f3fb}"),
                format!("æ{c}{c}\u{200d}{c}ø"),
            ] {
                let fast: Vec<char> = forbidden_characters(&text)
                    .iter()
                    .map(|f| f.needles[0].chars().next().unwrap())
                    .collect();
                assert_eq!(fast, slow::forbidden(&text), "{text:?}");
                assert_eq!(glyph_gaps(&text), slow::gaps(&text), "{text:?}");
            }
        }
        let marks = "-+*>._)~[<1 a\n";
        for n in 0..400u32 {
            // Texts of the marks in many orders and counts, around the limits.
            let text: String = (0..(n % 23))
                .map(|i| marks.as_bytes()[(n * 7 + i * (n % 5 + 1)) as usize % marks.len()] as char)
                .collect();
            assert_eq!(may_be_too_deep(&text), slow::too_deep(&text), "{text:?}");
        }
    }
}
