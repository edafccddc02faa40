//! Translation stage: where each translatable text of a `guide.yaml` is written, byte for byte, and the
//! minimal in-place edits that pin a translation to its source text or write a new one.
//!
//! The file is parsed a second time into a mirror of the guide format that keeps every text's byte span
//! (the model keeps only line and column). Edits replace or insert the fewest bytes possible, and every
//! edited file is parsed again and compared with what was meant before it is written: an edit that would
//! change anything else is refused, never written.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_saphyr::Spanned;

/// A span as byte offsets into the file.
fn bytes(location: &serde_saphyr::Location) -> Option<Range<usize>> {
    let span = location.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    Some(start..start + len)
}

// The texts of guide.yaml are read with the load stage's own input structs: their translations keep
// the form and positions they were written in.
use crate::input::{GuideFile, Text as RawText, Translation as RawTranslation};
use crate::slot::{self, Slot};

/// One translatable text of a guide file (or, named by a string, of guidegen.yaml), where it is
/// written.
#[derive(Debug, Clone)]
pub struct Located<N = Slot> {
    pub name: N,
    /// The key it is written under: `title`, `action`, `alt` (a variable's: its name).
    field: std::borrow::Cow<'static, str>,
    /// Inside a flow collection (`{…}` or `[…]`), where block scalars and block maps cannot be written.
    flow: bool,
    raw: Spanned<RawText>,
}

/// Reads every text of a guide file with its position, in the registry's order ([`slot::written`]).
/// `Err` carries the parser's message.
pub fn locate(source: &str) -> Result<Vec<Located>, String> {
    let doc: GuideFile =
        crate::load::parse_yaml(std::path::Path::new(crate::load::GUIDE_FILE), source)
            .map_err(|d| d.message)?;
    let located = slot::written(&doc)
        .into_iter()
        .map(|written| {
            let start = bytes(&written.text.referenced).map(|r| r.start);
            // Only a language map can be a flow collection itself: a block scalar's span starts at
            // its content, which may well start with `[` or `{`.
            let localized = matches!(written.text.value, RawText::Localized(_));
            let flow = (localized && is_flow(source, &written.text.referenced))
                || written
                    .around
                    .iter()
                    .any(|around| is_flow(source, around) && flow_holds(source, around, start));
            Located {
                name: written.slot,
                field: written.slot.key().into(),
                flow,
                raw: written.text.clone(),
            }
        })
        .collect();
    Ok(located)
}

/// A text of guidegen.yaml as found: its name, its key, the text, and the collections around it.
type SiteText<'a> = (
    String,
    std::borrow::Cow<'static, str>,
    &'a Spanned<RawText>,
    Vec<serde_saphyr::Location>,
);

/// Reads every translatable text of guidegen.yaml with its position, named as
/// [`crate::model::Site::texts`] names them (`title`, `apps.vpn.name`). `Err` carries the parser's
/// message.
pub fn locate_site(source: &str) -> Result<Vec<Located<String>>, String> {
    let doc: crate::input::SiteFile =
        crate::load::parse_yaml(std::path::Path::new("guidegen.yaml"), source)
            .map_err(|d| d.message)?;
    let mut written: Vec<SiteText> = Vec::new();
    written.extend(
        doc.title
            .iter()
            .map(|t| ("title".into(), "title".into(), t, Vec::new())),
    );
    written.extend(
        doc.organization
            .iter()
            .map(|t| ("organization".into(), "organization".into(), t, Vec::new())),
    );
    for (id, app) in &doc.apps {
        let around = vec![app.referenced];
        written.push((
            format!("apps.{id}.name"),
            "name".into(),
            &app.value.name,
            around,
        ));
    }
    for (id, device) in &doc.devices {
        let around = vec![device.referenced];
        if let Some(label) = &device.value.label {
            written.push((
                format!("devices.{id}.label"),
                "label".into(),
                label,
                around.clone(),
            ));
        }
        if let Some(banner) = &device.value.banner {
            written.push((
                format!("devices.{id}.banner"),
                "banner".into(),
                banner,
                around.clone(),
            ));
        }
        if let Some(question) = &device.value.question {
            written.push((
                format!("devices.{id}.question"),
                "question".into(),
                question,
                around.clone(),
            ));
        }
        let platforms = device.value.platforms.iter().flat_map(|p| &p.value);
        for (platform_id, platform) in platforms {
            if let Some(label) = &platform.value.label {
                written.push((
                    format!("devices.{id}.platforms.{platform_id}.label"),
                    "label".into(),
                    label,
                    vec![device.referenced, platform.referenced],
                ));
            }
        }
    }
    for (name, value) in &doc.variables {
        let field: std::borrow::Cow<'static, str> = name.clone().into();
        written.push((format!("variables.{name}"), field, value, Vec::new()));
    }
    if let Some(support) = &doc.support {
        let around = vec![support.referenced];
        let texts = [
            ("support.text", "text", &support.value.text),
            ("support.address", "address", &support.value.address),
            ("support.hours", "hours", &support.value.hours),
        ];
        for (name, field, text) in texts {
            if let Some(text) = text {
                written.push((name.into(), field.into(), text, around.clone()));
            }
        }
    }
    Ok(written
        .into_iter()
        .map(|(name, field, text, around)| {
            let start = bytes(&text.referenced).map(|r| r.start);
            let localized = matches!(text.value, RawText::Localized(_));
            let flow = (localized && is_flow(source, &text.referenced))
                || around
                    .iter()
                    .any(|around| is_flow(source, around) && flow_holds(source, around, start));
            Located {
                name,
                field,
                flow,
                raw: text.clone(),
            }
        })
        .collect())
}

/// Whether the value at `location` is a flow collection: `{…}` or `[…]`.
fn is_flow(source: &str, location: &serde_saphyr::Location) -> bool {
    bytes(location)
        .and_then(|r| source.as_bytes().get(r.start).copied())
        .is_some_and(|b| b == b'{' || b == b'[')
}

/// Whether the flow collection at `collection` holds the byte `at` (a step's screenshot holds only
/// its `alt`). Where that cannot be told, it is taken to: the flow forms of an edit are valid in
/// block context too.
fn flow_holds(source: &str, collection: &serde_saphyr::Location, at: Option<usize>) -> bool {
    let (Some(open), Some(at)) = (bytes(collection).map(|r| r.start), at) else {
        return true;
    };
    flow_end(source, open).is_none_or(|end| (open..end).contains(&at))
}

/// What a text says, in every language as written, for comparing a file before and after an edit:
/// `(language or "" for a plain string) → (text, recorded source fingerprint)`.
pub type Snapshot<N = Slot> = BTreeMap<N, BTreeMap<String, (String, Option<String>)>>;

pub fn snapshot<N: Ord + Clone>(texts: &[Located<N>]) -> Snapshot<N> {
    texts
        .iter()
        .map(|t| {
            let entries = match &t.raw.value {
                RawText::Plain(s) => BTreeMap::from([(String::new(), (s.clone(), None))]),
                RawText::Localized(entries) => entries
                    .iter()
                    .map(|(l, tr)| {
                        (
                            l.value.clone(),
                            (
                                tr.value.text().to_owned(),
                                tr.value.source().map(str::to_owned),
                            ),
                        )
                    })
                    .collect(),
            };
            (t.name.clone(), entries)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------
// Edits.

/// A replacement of `range` (bytes of the original file) by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// Applies non-overlapping edits.
pub fn apply(source: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(source.len() + 64 * edits.len());
    let mut at = 0;
    for edit in &edits {
        if edit.range.start < at || edit.range.end > source.len() {
            return Err("two edits overlap".into());
        }
        out.push_str(&source[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&source[at..]);
    Ok(out)
}

/// The character column (from 0) of byte `pos` in its line.
fn column(src: &str, pos: usize) -> usize {
    src[line_start(src, pos)..pos].chars().count()
}

fn line_start(src: &str, pos: usize) -> usize {
    src[..pos].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(src: &str, pos: usize) -> usize {
    src[pos..].find('\n').map_or(src.len(), |i| pos + i)
}

/// Leading spaces of the line at `pos` (which must be a line start).
fn indent_at(src: &str, pos: usize) -> usize {
    src[pos..].bytes().take_while(|b| *b == b' ').count()
}

/// A block scalar (`|`, `>`, with indicators) as written.
#[derive(Debug)]
struct Block {
    /// The header, from `|` or `>` to the end of its line (comment included, newline excluded).
    header: Range<usize>,
    /// The explicit indentation indicator's byte, if any.
    indicator: Option<usize>,
    /// From the start of the line after the header to the end of the last non-blank content line
    /// (its newline excluded), or with `+` (keep) of the blank lines after it, which are the text's.
    content: Range<usize>,
    /// The content's indentation.
    indent: usize,
}

/// After a key ending at `key_end`: the byte after its `:`.
fn colon_after(src: &str, key_end: usize) -> Option<usize> {
    let rest = &src[key_end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (rest.as_bytes().get(skipped) == Some(&b':')).then_some(key_end + skipped + 1)
}

/// The block scalar whose header follows the `:` at `after_colon`, the key being at column `key_col`.
fn block_after(src: &str, after_colon: usize, key_col: usize) -> Option<Block> {
    let rest = &src[after_colon..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let header_start = after_colon + skipped;
    if !matches!(src.as_bytes().get(header_start), Some(b'|' | b'>')) {
        return None;
    }
    let header_end = line_end(src, header_start);
    let header = &src[header_start..header_end];
    let indicators = || {
        header
            .char_indices()
            .skip(1)
            .take_while(|(_, c)| matches!(c, '1'..='9' | '-' | '+'))
    };
    let indicator = indicators()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| header_start + i);
    let keep = indicators().any(|(_, c)| c == '+');
    let content_start = (header_end + 1).min(src.len());
    // The content's indentation: explicit, or that of the first non-blank line.
    let mut indent = indicator.map(|i| key_col + usize::from(src.as_bytes()[i] - b'0'));
    let mut pos = content_start;
    let mut end = content_start;
    let mut blank_end = content_start;
    while pos < src.len() {
        let le = line_end(src, pos);
        let line = src[pos..le].trim_end_matches('\r');
        if !line.bytes().all(|b| b == b' ' || b == b'\t') {
            let spaces = indent_at(src, pos);
            let need = *indent.get_or_insert(spaces);
            if spaces < need || need <= key_col {
                break;
            }
            end = le;
        } else if indent.is_some_and(|need| need > key_col && line.len() > need) {
            // Blanks beyond the indentation are the text's own: the line is content, not blank.
            end = le;
        } else {
            blank_end = le;
        }
        pos = le + 1;
    }
    if keep {
        // `+` keeps the blank lines after the last line as the text's own line breaks.
        end = end.max(blank_end);
    }
    Some(Block {
        header: header_start..header_end,
        indicator,
        content: content_start..end.max(content_start),
        indent: indent?,
    })
}

/// Where a map value written after `key_end` ends: the end of its last byte (for block scalars and
/// block maps, the end of their last non-blank line).
fn value_end(
    src: &str,
    key_end: usize,
    key_col: usize,
    value: &serde_saphyr::Location,
) -> Option<usize> {
    let span = bytes(value)?;
    let colon = colon_after(src, key_end)?;
    if let Some(block) = block_after(src, colon, key_col) {
        return Some(block.content.end.max(block.header.end));
    }
    match src.as_bytes().get(span.start) {
        Some(b'{') => flow_end(src, span.start),
        _ => Some(span.end),
    }
}

/// The byte after the `}` or `]` closing the flow collection opened at `open`.
fn flow_end(src: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let b = src.as_bytes();
    let mut i = open;
    // What came last before `i`, to tell whether a quote opens a quoted scalar (see
    // `opens_quoted`): the last byte that is no blank, whether blanks followed it, and whether a
    // `:` there ended a quoted key.
    let mut last = b'{';
    let mut blank_since = false;
    let mut key_quoted = false;
    let mut closed_quote = false;
    while i < b.len() {
        let byte = b[i];
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {
                blank_since = true;
                i += 1;
                continue;
            }
            b'#' if blank_since => {
                i = line_end(src, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' if opens_quoted(last, blank_since, key_quoted) => {
                i = quoted_end(b, i);
                closed_quote = true;
                last = byte;
                blank_since = false;
                i += 1;
                continue;
            }
            _ => {}
        }
        key_quoted = byte == b':' && closed_quote && !blank_since;
        closed_quote = false;
        last = byte;
        blank_since = false;
        i += 1;
    }
    None
}

/// Whether a quote opens a quoted scalar in a flow collection: at the start of a node — after `{`,
/// `[` or `,`, or after a key's `:` and a blank (or right after the `:` of a quoted key, as JSON
/// writes it). Inside a plain scalar (`The app's screen`) a quote is only a character.
fn opens_quoted(last: u8, blank_since: bool, key_quoted: bool) -> bool {
    match last {
        b'{' | b'[' | b',' => true,
        b':' => blank_since || key_quoted,
        _ => false,
    }
}

/// The index of the quote that closes the quoted scalar opened at `open` (or the end of the text).
fn quoted_end(b: &[u8], open: usize) -> usize {
    let quote = b[open];
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return i,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// `text` as a YAML scalar on one line, valid in flow and block context: plain where that reads back
/// as the same string, double-quoted otherwise.
pub fn inline_scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a YAML file may not hold as they are (control characters and the noncharacters U+FFFE
/// and U+FFFF are outside YAML's printable set), or that a reader may take for a line break or a
/// byte order mark: written as `\u` escapes, in double quotes.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
        )
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| ",[]{}".contains(c) || needs_escape(c))
    {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let reserved = [
        "true", "false", "null", "~", "yes", "no", "on", "off", ".nan", ".inf", "-.inf", "y", "n",
    ];
    if reserved.contains(&lower.as_str())
        || text.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
    {
        return false;
    }
    // Anything that starts like a number is quoted: the reader may take it for one.
    !first.is_ascii_digit() && (first != '.' || text.len() == 1) && first != '+'
}

/// Whether `raw` (a scalar as written) may stand inside a flow map unchanged.
fn flow_safe(raw: &str) -> bool {
    if raw.contains('\n') {
        return false;
    }
    match raw.as_bytes().first() {
        Some(b'"' | b'\'') => true,
        Some(_) => !raw.chars().any(|c| ",[]{}".contains(c)),
        None => false,
    }
}

/// A translation written fresh: `{text: …, source: …}` on one line, or for a multi-line text a block
/// map with a literal block scalar, its keys at `indent`.
fn render_translation(text: &str, fingerprint: &str, flow: bool, indent: usize) -> String {
    if !flow && let Some(block) = literal_block(text, indent + 2) {
        let pad = " ".repeat(indent);
        return format!("\n{pad}source: {fingerprint}\n{pad}text: {block}");
    }
    format!(" {{text: {}, source: {fingerprint}}}", inline_scalar(text))
}

/// `text` as a literal block scalar (header and content lines, no final newline) with its content at
/// `indent`, where that writes it exactly; `None` for single-line texts and texts a literal block
/// cannot hold.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let body = text.trim_end_matches('\n');
    if !body.contains('\n') && text == body {
        return None;
    }
    if body.is_empty()
        || body.starts_with([' ', '\t'])
        || body.starts_with('\n')
        || text
            .chars()
            .any(|c| c != '\n' && c != '\t' && needs_escape(c))
    {
        return None;
    }
    // `|+` would keep not only the text's final blank lines but also those that follow the block in
    // the file: a text that ends in blank lines is written quoted instead.
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => return None,
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// Adds `delta` spaces before every non-empty line of `range`.
fn reindent(src: &str, range: Range<usize>, delta: usize) -> String {
    let pad = " ".repeat(delta);
    src[range]
        .split_inclusive('\n')
        .map(|line| {
            if line.trim_end_matches('\n').is_empty() {
                line.to_owned()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect()
}

/// Why a text cannot be edited automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl Refused {
    fn layout() -> Self {
        Refused("guidegen cannot edit the way this text is written; change it by hand".into())
    }
}

fn key_info(src: &str, key: &Spanned<String>) -> Result<(Range<usize>, usize), Refused> {
    let range = bytes(&key.referenced).ok_or_else(Refused::layout)?;
    let col = column(src, range.start);
    Ok((range, col))
}

/// The edits that record `fingerprint` as the source of the `lang` translation of `text`, changing
/// nothing else: `None` when it is recorded already or there is no such translation.
pub fn pin<N>(
    src: &str,
    text: &Located<N>,
    lang: &str,
    fingerprint: &str,
) -> Result<Vec<Edit>, Refused> {
    let RawText::Localized(entries) = &text.raw.value else {
        return Ok(Vec::new());
    };
    let Some((key, value)) = entries.iter().find(|(k, _)| k.value == lang) else {
        return Ok(Vec::new());
    };
    let (key_range, key_col) = key_info(src, key)?;
    let span = bytes(&value.referenced).ok_or_else(Refused::layout)?;
    match &value.value {
        RawTranslation::Map {
            source: Some(source),
            ..
        } => {
            if source.value == fingerprint {
                return Ok(Vec::new());
            }
            let at = bytes(&source.referenced).ok_or_else(Refused::layout)?;
            Ok(vec![Edit {
                range: at,
                text: fingerprint.to_owned(),
            }])
        }
        RawTranslation::Map {
            text: t,
            source: None,
        } => add_source(src, span, t, fingerprint),
        RawTranslation::Scalar(scalar) => {
            let colon = colon_after(src, key_range.end).ok_or_else(Refused::layout)?;
            match block_after(src, colon, key_col) {
                Some(_) if text.flow => Err(Refused::layout()),
                Some(block) => block_to_map(src, colon, key_col, &block, fingerprint),
                None => {
                    let raw = &src[span.clone()];
                    let written = if flow_safe(raw) {
                        raw.to_owned()
                    } else {
                        inline_scalar(scalar)
                    };
                    Ok(vec![Edit {
                        range: span,
                        text: format!("{{text: {written}, source: {fingerprint}}}"),
                    }])
                }
            }
        }
    }
}

/// `source: <fingerprint>` added to a translation written as a map without one (at `span`): after
/// its text in `{…}`, or as the map's first line.
fn add_source(
    src: &str,
    span: Range<usize>,
    text: &Spanned<String>,
    fingerprint: &str,
) -> Result<Vec<Edit>, Refused> {
    if src.as_bytes().get(span.start) == Some(&b'{') {
        let text_span = bytes(&text.referenced).ok_or_else(Refused::layout)?;
        if src[text_span.clone()].contains('\n') {
            return Err(Refused::layout());
        }
        return Ok(vec![Edit {
            range: text_span.end..text_span.end,
            text: format!(", source: {fingerprint}"),
        }]);
    }
    let start = line_start(src, span.start);
    if !src[start..span.start].chars().all(|c| c == ' ') {
        return Err(Refused::layout());
    }
    let pad = " ".repeat(column(src, span.start));
    Ok(vec![Edit {
        range: start..start,
        text: format!("{pad}source: {fingerprint}\n"),
    }])
}

/// A translation written as a block scalar after the colon at `colon` made a map of its source and
/// its text, the block's content kept (re-indented only where the new keys need it):
///
/// ```text
/// en: |            en:
///   Text     →       source: 1a2b3c4d
///                    text: |
///                     Text
/// ```
fn block_to_map(
    src: &str,
    colon: usize,
    key_col: usize,
    block: &Block,
    fingerprint: &str,
) -> Result<Vec<Edit>, Refused> {
    let k = block.indent;
    let (keys, delta) = if k >= key_col + 2 {
        ((key_col + 2).min(k - 1), 0)
    } else {
        (key_col + 2, key_col + 4 - k)
    };
    let pad = " ".repeat(keys);
    let mut edits = vec![Edit {
        range: colon..block.header.start,
        text: format!("\n{pad}source: {fingerprint}\n{pad}text: "),
    }];
    if let Some(i) = block.indicator {
        let m = k + delta - keys;
        if !(1..=9).contains(&m) {
            return Err(Refused::layout());
        }
        edits.push(Edit {
            range: i..i + 1,
            text: m.to_string(),
        });
    }
    if delta > 0 {
        edits.push(Edit {
            range: block.content.clone(),
            text: reindent(src, block.content.clone(), delta),
        });
    }
    Ok(edits)
}

/// The edits that make `translation` the `lang` translation of `text`, made from the source text with
/// `fingerprint`. A plain string becomes a language map with the plain string as `source_lang`.
pub fn set<N>(
    src: &str,
    text: &Located<N>,
    source_lang: &str,
    lang: &str,
    translation: &str,
    fingerprint: &str,
) -> Result<Vec<Edit>, Refused> {
    let span = bytes(&text.raw.referenced).ok_or_else(Refused::layout)?;
    let written = NewTranslation {
        lang,
        text: translation,
        fingerprint,
    };
    match &text.raw.value {
        RawText::Plain(plain) if text.flow => {
            let raw = &src[span.clone()];
            let source = if flow_safe(raw) {
                raw.to_owned()
            } else {
                inline_scalar(plain)
            };
            let new = format!(
                "{{{source_lang}: {source}, {lang}:{}}}",
                written.render(true, 0)
            );
            Ok(vec![Edit {
                range: span,
                text: new,
            }])
        }
        RawText::Plain(plain) => plain_to_map(src, text, span, plain, source_lang, &written),
        RawText::Localized(entries) => match entries.iter().find(|(k, _)| k.value == lang) {
            Some((key, value)) => replace_translation(src, text, key, value, &written),
            None => add_translation(src, text, span, entries, &written),
        },
    }
}

/// A translation to write: its language, its text, and its source's fingerprint.
struct NewTranslation<'a> {
    lang: &'a str,
    text: &'a str,
    fingerprint: &'a str,
}

impl NewTranslation<'_> {
    /// As [`render_translation`] writes it after its key's colon.
    fn render(&self, flow: bool, indent: usize) -> String {
        render_translation(self.text, self.fingerprint, flow, indent)
    }
}

/// A block `field: text` made a language map: the text (a block scalar re-indented, a plain one as it
/// was) under `source_lang`, and the translation after it; a comment after the text stays with it.
fn plain_to_map<N>(
    src: &str,
    text: &Located<N>,
    span: Range<usize>,
    plain: &str,
    source_lang: &str,
    translation: &NewTranslation,
) -> Result<Vec<Edit>, Refused> {
    let (key_start, colon) = find_key(src, span.start, &text.field).ok_or_else(Refused::layout)?;
    let key_col = column(src, key_start);
    let pad = " ".repeat(key_col + 2);
    let (written, end) = if let Some(block) = block_after(src, colon, key_col) {
        let k = block.indent;
        let delta = (key_col + 4).saturating_sub(k);
        let mut header = src[block.header.clone()].to_owned();
        if let Some(i) = block.indicator {
            let m = k + delta - (key_col + 2);
            let at = i - block.header.start;
            header.replace_range(at..at + 1, &m.to_string());
        }
        let content = reindent(src, block.content.clone(), delta);
        (
            format!("{header}\n{content}"),
            block.content.end.max(block.header.end),
        )
    } else {
        let raw = &src[span.clone()];
        let written = if raw.contains('\n') {
            inline_scalar(plain)
        } else {
            raw.to_owned()
        };
        (written, span.end)
    };
    let rendered = translation.render(false, key_col + 4);
    let (end, comment) = moved_comment(src, end, &rendered)?;
    let lang = translation.lang;
    let new = format!(
        "{}:\n{pad}{source_lang}: {written}{comment}\n{pad}{lang}:{rendered}",
        text.field,
    );
    Ok(vec![Edit {
        range: key_start..end,
        text: new,
    }])
}

/// The translation already under `key` in a language map replaced; a comment on the key's line
/// stays.
fn replace_translation<N>(
    src: &str,
    text: &Located<N>,
    key: &Spanned<String>,
    value: &Spanned<RawTranslation>,
    translation: &NewTranslation,
) -> Result<Vec<Edit>, Refused> {
    let (key_range, key_col) = key_info(src, key)?;
    let colon = colon_after(src, key_range.end).ok_or_else(Refused::layout)?;
    let end = translation_end(src, key_range.end, key_col, value)?;
    let rendered = translation.render(text.flow, key_col + 2);
    let (end, comment) = moved_comment(src, end, &rendered)?;
    let new = match key_line_comment(src, colon) {
        Some(kept) if rendered.starts_with('\n') => {
            format!("  {kept}{comment}{rendered}")
        }
        Some(kept) => format!("{rendered}  {kept}"),
        None => format!("{comment}{rendered}"),
    };
    Ok(vec![Edit {
        range: colon..end,
        text: new,
    }])
}

/// The translation added after the last entry of a language map, in its style (`{…}` or block).
fn add_translation<N>(
    src: &str,
    text: &Located<N>,
    span: Range<usize>,
    entries: &[(Spanned<String>, Spanned<RawTranslation>)],
    translation: &NewTranslation,
) -> Result<Vec<Edit>, Refused> {
    let (last_key, last_value) = entries.last().ok_or_else(Refused::layout)?;
    let (key_range, key_col) = key_info(src, last_key)?;
    let end = translation_end(src, key_range.end, key_col, last_value)?;
    let lang = translation.lang;
    if text.flow || src.as_bytes().get(span.start) == Some(&b'{') {
        let new = format!(", {lang}:{}", translation.render(true, 0));
        return Ok(vec![Edit {
            range: end..end,
            text: new,
        }]);
    }
    let end = line_end(src, end);
    let pad = " ".repeat(key_col);
    let new = format!("\n{pad}{lang}:{}", translation.render(false, key_col + 2));
    Ok(vec![Edit {
        range: end..end,
        text: new,
    }])
}

/// Where the replacement of a value ending at `end` must end, and the comment that followed the value
/// on its line, to be written before `rendered` instead: after a block that replaces the value, that
/// comment (and any blanks) would become part of the block's text. Nothing moves for an inline value.
fn moved_comment<'a>(
    src: &'a str,
    end: usize,
    rendered: &str,
) -> Result<(usize, &'a str), Refused> {
    if !rendered.starts_with('\n') {
        return Ok((end, ""));
    }
    let line_end = line_end(src, end);
    let rest = &src[end..line_end];
    let after_blanks = rest.trim_start_matches([' ', '\t']);
    if after_blanks.is_empty() {
        Ok((line_end, ""))
    } else if after_blanks.starts_with('#') && after_blanks.len() < rest.len() {
        Ok((line_end, rest))
    } else {
        Err(Refused::layout())
    }
}

/// The comment on a key's line after its `:` (and after a block scalar's header), where the value
/// starts on a later line: it is inside the range a replacement of the value takes, and is kept.
fn key_line_comment(src: &str, colon: usize) -> Option<&str> {
    let rest = &src[colon..line_end(src, colon)];
    let value = rest.trim_start_matches([' ', '\t']);
    let after_header = match value.strip_prefix(['|', '>']) {
        Some(indicators) => {
            indicators.trim_start_matches(['+', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
        }
        None => value,
    };
    let comment = after_header.trim_start_matches([' ', '\t']);
    let after_blank = comment.len() < after_header.len() || after_header.len() < rest.len();
    (comment.starts_with('#') && after_blank).then_some(comment)
}

/// The end of a translation's value: a scalar, a flow map, or a block map of `text` and `source`.
fn translation_end(
    src: &str,
    key_end: usize,
    key_col: usize,
    value: &Spanned<RawTranslation>,
) -> Result<usize, Refused> {
    let span = bytes(&value.referenced).ok_or_else(Refused::layout)?;
    match &value.value {
        RawTranslation::Map { text, source } if src.as_bytes().get(span.start) != Some(&b'{') => {
            // A block map: the later of its two values' ends.
            let map_col = column(src, span.start);
            let mut end = 0;
            for v in std::iter::once(text).chain(source.iter()) {
                let at = bytes(&v.referenced).ok_or_else(Refused::layout)?;
                // The key before this value: search back on the value's line, or the header's.
                let key_end = value_key_end(src, at.start).ok_or_else(Refused::layout)?;
                end = end.max(
                    value_end(src, key_end, map_col, &v.referenced).ok_or_else(Refused::layout)?,
                );
            }
            Ok(end)
        }
        _ => value_end(src, key_end, key_col, &value.referenced).ok_or_else(Refused::layout),
    }
}

/// For a `text:` or `source:` value starting at `value_start`: the end of its key.
fn value_key_end(src: &str, value_start: usize) -> Option<usize> {
    let before = &src[..value_start];
    let candidates = ["text", "source"];
    candidates
        .iter()
        .filter_map(|k| {
            let found = before.rfind(&format!("{k}:"))?;
            Some(found + k.len())
        })
        .max()
}

/// The key `field` whose value starts at `value_start` (on the key's line, or below a block header):
/// the key's start and the byte after its `:`.
fn find_key(src: &str, value_start: usize, field: &str) -> Option<(usize, usize)> {
    let needle = format!("{field}:");
    let found = src[..value_start].rfind(&needle)?;
    if found > 0
        && src[..found]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let colon = found + needle.len();
    // Between the colon and the value: blanks, or a block header and blank lines.
    let between = &src[colon..value_start];
    let ok = between.trim().is_empty() || {
        let t = between.trim_start_matches([' ', '\t']);
        t.starts_with(['|', '>']) && t.lines().skip(1).all(|l| l.trim().is_empty())
    };
    ok.then_some((found, colon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(src: &str, name: &str) -> Located {
        locate(src)
            .unwrap()
            .into_iter()
            .find(|t| t.name.to_string() == name)
            .unwrap()
    }

    /// Pins `en` of `title` and checks the result re-reads with the same texts and the fingerprint.
    fn pinned(src: &str) -> String {
        let t = located(src, "title");
        let out = apply(src, pin(src, &t, "en", "0a1b2c3d").unwrap()).unwrap();
        let mut expected = snapshot(&locate(src).unwrap());
        expected
            .get_mut(&Slot::Title)
            .unwrap()
            .get_mut("en")
            .unwrap()
            .1 = Some("0a1b2c3d".into());
        assert_eq!(snapshot(&locate(&out).unwrap()), expected, "{out}");
        out
    }

    #[test]
    fn spans_of_scalars_maps_and_blocks() {
        let src = "title:\n  da: Åbn appen\n  en: |\n    Open it\n\n  de: {text: x, source: abc}\n";
        let t = located(src, "title");
        let RawText::Localized(entries) = &t.raw.value else {
            panic!()
        };
        let r = |i: usize| bytes(&entries[i].1.referenced).unwrap();
        assert_eq!(&src[r(0)], "Åbn appen");
        // A block scalar's span starts at its content, not at `|`.
        assert!(src[r(1)].starts_with("Open it"));
        assert_eq!(&src[r(2)], "{");
        // A block map's span is its first key, empty.
        let src = "title:\n  en:\n    text: x\n    source: abc\n  da: yo\n";
        let t = located(src, "title");
        let RawText::Localized(entries) = &t.raw.value else {
            panic!()
        };
        let span = bytes(&entries[0].1.referenced).unwrap();
        assert_eq!((span.len(), &src[span.start..span.start + 4]), (0, "text"));
    }

    #[test]
    fn pins_a_plain_translation_as_a_flow_map() {
        let out = pinned("# c\ntitle:\n  da: Hej\n  en: Hello there  # keep\nsummary: x\n");
        assert_eq!(
            out,
            "# c\ntitle:\n  da: Hej\n  en: {text: Hello there, source: 0a1b2c3d}  # keep\nsummary: x\n"
        );
        let out = pinned("title: {da: Hej, en: 'it''s'}\n");
        assert_eq!(
            out,
            "title: {da: Hej, en: {text: 'it''s', source: 0a1b2c3d}}\n"
        );
        let out = pinned("title:\n  da: Hej\n  en: Yes, really [x]\n");
        assert_eq!(
            out,
            "title:\n  da: Hej\n  en: {text: \"Yes, really [x]\", source: 0a1b2c3d}\n"
        );
    }

    #[test]
    fn pins_a_block_scalar_without_touching_its_lines() {
        let src = "title:\n  da: |\n    Hej\n  en: |  # c\n    Hello\n\n    there\n\nsummary: x\n";
        let out = pinned(src);
        assert_eq!(
            out,
            "title:\n  da: |\n    Hej\n  en:\n   source: 0a1b2c3d\n   text: |  # c\n    Hello\n\n    there\n\nsummary: x\n"
        );
        // Content indented only one space more than the key: re-indented.
        let out = pinned("title:\n  da: x\n  en: |-\n   Hello\n   you\n");
        assert_eq!(
            out,
            "title:\n  da: x\n  en:\n    source: 0a1b2c3d\n    text: |-\n      Hello\n      you\n"
        );
        // An explicit indentation indicator follows the new keys.
        let out = pinned("title:\n  da: x\n  en: |4\n      Hello\n");
        assert!(out.contains("    text: |2\n      Hello"), "{out}");
    }

    #[test]
    fn updates_or_adds_a_source_in_a_map() {
        assert_eq!(
            pinned("title:\n  da: x\n  en: {text: y, source: ffffffff}\n"),
            "title:\n  da: x\n  en: {text: y, source: 0a1b2c3d}\n"
        );
        assert_eq!(
            pinned("title:\n  da: x\n  en: {text: y}\n"),
            "title:\n  da: x\n  en: {text: y, source: 0a1b2c3d}\n"
        );
        assert_eq!(
            pinned("title:\n  da: x\n  en:\n    text: |\n      y\n"),
            "title:\n  da: x\n  en:\n    source: 0a1b2c3d\n    text: |\n      y\n"
        );
    }

    fn set_checked(src: &str, name: &str, lang: &str, text: &str) -> String {
        let t = located(src, name);
        let out = apply(src, set(src, &t, "da", lang, text, "0a1b2c3d").unwrap()).unwrap();
        let mut expected = snapshot(&locate(src).unwrap());
        let entry = expected.get_mut(&name.parse::<Slot>().unwrap()).unwrap();
        if let Some(plain) = entry.remove("") {
            entry.insert("da".into(), plain);
        }
        entry.insert(lang.into(), (text.into(), Some("0a1b2c3d".into())));
        assert_eq!(snapshot(&locate(&out).unwrap()), expected, "{out}");
        out
    }

    #[test]
    fn sets_translations_of_every_shape() {
        let tricky = [
            "Open: the \"app\" # now",
            "- leading dash",
            "æøå, [x] {y}",
            "Line one\nline two\n",
            "no newline\nat end",
            "x\n\n\n",
        ];
        let sources = [
            "title: Åbn appen\nsummary: x\n",
            "steps:\n  - device: phone\n    action: |\n      Åbn appen\n      nu\n    note: x\n",
            "steps:\n  - action: Åbn\n    screenshot: {src: a.png, alt: Billede}\n",
            "title:\n  da: Åbn\n  en: Old\n",
            "title:\n  da: Åbn\n  en: |\n    Old\n    text\nsummary: yo\n",
            "title:\n  da: Åbn\n  en:\n    source: 12345678\n    text: |\n      Old\n",
            "title: {da: Åbn, en: {text: old, source: 1}}\n",
            "title:\n  da: |\n    Åbn\n",
            "title: {da: Åbn}\n",
            "steps:\n- action: |2\n    Åbn\n",
        ];
        for src in sources {
            let name = if src.contains("alt:") {
                "step.1.alt"
            } else if src.starts_with("steps") {
                "step.1.action"
            } else {
                "title"
            };
            for text in tricky {
                set_checked(src, name, "en", text);
            }
        }
        assert_eq!(
            set_checked(
                "title: Åbn appen  # c\nsummary: x\n",
                "title",
                "en",
                "Open the app"
            ),
            "title:\n  da: Åbn appen\n  en: {text: Open the app, source: 0a1b2c3d}  # c\nsummary: x\n"
        );
        assert_eq!(
            set_checked("title:\n  da: Åbn\n", "title", "en", "Open\nit\n"),
            "title:\n  da: Åbn\n  en:\n    source: 0a1b2c3d\n    text: |\n      Open\n      it\n"
        );
    }

    #[test]
    fn only_the_texts_a_flow_screenshot_holds_are_written_inline() {
        let src = "steps:\n  - screenshot: {src: a.png, alt: Billede}\n    action: Åbn\n";
        let out = set_checked(src, "step.1.action", "en", "Open\nit\n");
        assert!(out.contains("    text: |\n"), "{out}");
        let out = set_checked(src, "step.1.alt", "en", "Picture\nof it\n");
        assert!(
            out.contains("{text: \"Picture\\nof it\\n\", source: "),
            "{out}"
        );
    }

    #[test]
    fn inline_scalars_read_back_the_same() {
        for text in [
            "plain text",
            "a: b",
            "# x",
            "-x",
            "yes",
            "12",
            "1.5",
            "'q'",
            "tab\there",
            "æøå",
            "x #y",
            "{a}",
            "",
            " lead",
            "null",
            "a\\b",
        ] {
            let yaml = format!("k: {}\n", inline_scalar(text));
            let back: BTreeMap<String, String> = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back["k"], text, "{yaml}");
        }
    }
}
