//! Translation stage: gettext PO files, written for translators' tools (Poedit, Weblate, Crowdin) and
//! read back, with every entry's line so that problems can be pointed at.

use std::fmt::Write as _;

/// One entry of a PO file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// `#.` lines: notes for the translator.
    pub extracted: Vec<String>,
    /// `#:` references: `guides/x/guide.yaml:42`.
    pub references: Vec<String>,
    /// `#,` flags: `fuzzy`.
    pub flags: Vec<String>,
    pub msgctxt: Option<String>,
    /// `#| msgid`: the source text the translation was made from, for an outdated (fuzzy) entry, as
    /// msgmerge writes it, so that the translator sees what changed.
    pub previous_msgid: Option<String>,
    pub msgid: String,
    pub msgstr: String,
    /// Where the entry starts (its first line, comments included), from 1.
    pub line: usize,
    /// `#~`: an obsolete entry, kept by tools but not used.
    pub obsolete: bool,
}

impl Entry {
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }
}

/// A PO file: its header (the entry with an empty msgid) as `Name: value` fields, and its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// `# ` comment lines at the top.
    pub comments: Vec<String>,
    pub header: Vec<(String, String)>,
    pub entries: Vec<Entry>,
}

impl Catalog {
    pub fn header_field(&self, name: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The file's text: deterministic, in gettext's own layout.
    pub fn write(&self) -> String {
        let mut out = String::new();
        for c in &self.comments {
            write_comment(&mut out, "#", c);
        }
        let header: String = self
            .header
            .iter()
            .map(|(n, v)| format!("{n}: {v}\n"))
            .collect();
        write_field(&mut out, "", "msgid", "", false);
        write_field(&mut out, "", "msgstr", &header, true);
        for e in &self.entries {
            out.push('\n');
            for c in &e.extracted {
                write_comment(&mut out, "#.", c);
            }
            for r in &e.references {
                write_comment(&mut out, "#:", r);
            }
            if !e.flags.is_empty() {
                write_comment(&mut out, "#,", &e.flags.join(", "));
            }
            if let Some(previous) = &e.previous_msgid {
                write_field(&mut out, "#| ", "msgid", previous, false);
            }
            // An obsolete entry stays obsolete: written as a live one, it would be used again.
            let prefix = if e.obsolete { "#~ " } else { "" };
            if let Some(ctx) = &e.msgctxt {
                write_field(&mut out, prefix, "msgctxt", ctx, false);
            }
            write_field(&mut out, prefix, "msgid", &e.msgid, false);
            write_field(&mut out, prefix, "msgstr", &e.msgstr, false);
        }
        out
    }
}

/// A comment of `kind` (`#`, `#.`, `#:`, `#,`), one line for each of its lines: a line break in a
/// comment (a section title in a translator's note, say) must not start a line that is no comment.
fn write_comment(out: &mut String, kind: &str, text: &str) {
    for line in text.split('\n') {
        out.push_str(kind);
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// `keyword "string"`, or for a string with line breaks inside, `keyword ""` and one line per line;
/// every line after `prefix` (`#~ ` for an obsolete entry).
fn write_field(out: &mut String, prefix: &str, keyword: &str, value: &str, multi: bool) {
    if multi || value.trim_end_matches('\n').contains('\n') {
        let _ = writeln!(out, "{prefix}{keyword} \"\"");
        for line in value.split_inclusive('\n') {
            let _ = writeln!(out, "{prefix}\"{}\"", escape(line));
        }
    } else {
        let _ = writeln!(out, "{prefix}{keyword} \"{}\"", escape(value));
    }
}

/// C escapes, as gettext reads them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A problem in a PO file, at a line and column (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The field of an entry a keyword starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    IdPlural,
    Str,
}

/// Reads a PO file. Plural entries are read with their first form; obsolete entries are marked.
pub fn parse(text: &str) -> Result<Catalog, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    for (i, raw) in text.lines().enumerate() {
        reader.line(i + 1, raw)?;
    }
    reader.end()
}

/// A PO file as [`parse`] reads it, line by line: the catalog so far and the entry being read.
#[derive(Default)]
struct Reader {
    catalog: Catalog,
    entry: Entry,
    /// The entry has a line (a comment or a keyword): its first.
    started: bool,
    has_id: bool,
    has_str: bool,
    /// The field a `"…"` line continues.
    field: Option<Field>,
    seen_header: bool,
    /// In `#|` lines: the previous msgid is being read (a `#| "…"` line continues it).
    in_previous_id: bool,
}

/// A line of a PO file, with what [`Reader`] needs to say where in it a mistake is.
struct Line<'a> {
    number: usize,
    raw: &'a str,
    indent: usize,
}

impl Line<'_> {
    /// The column of `part`, a tail of the line.
    fn column_of(&self, part: &str) -> usize {
        self.indent + (self.raw.trim_start().len() - part.len()) + 1
    }

    fn error(&self, part: &str, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.number,
            column: self.column_of(part),
            message: message.into(),
        }
    }
}

impl Reader {
    fn line(&mut self, number: usize, raw: &str) -> Result<(), ParseError> {
        // Every carriage return at a line's end, however many a tool wrote: kept in a comment, one
        // would be lost when the catalog is written and read again.
        let raw = raw.trim_end_matches('\r');
        let mut text = raw.trim_start();
        let line = Line {
            number,
            raw,
            indent: raw.len() - text.len(),
        };
        if text.is_empty() {
            return Ok(());
        }
        let mut obsolete = false;
        if let Some(rest) = text.strip_prefix("#~") {
            obsolete = true;
            text = rest.trim_start();
            if text.is_empty() {
                return Ok(());
            }
        }
        if !obsolete && let Some(rest) = text.strip_prefix('#') {
            self.comment(number, rest);
            return Ok(());
        }
        self.in_previous_id = false;
        if text.starts_with('"') {
            return self.continuation(&line, text);
        }
        self.keyword(&line, text, obsolete)
    }

    /// Ends the entry being read: the header (the first entry, of an empty msgid), or an entry of
    /// the catalog.
    fn finish(&mut self) {
        let done = std::mem::take(&mut self.entry);
        self.started = false;
        self.has_str = false;
        if !std::mem::take(&mut self.has_id) {
            return;
        }
        if done.msgid.is_empty() && done.msgctxt.is_none() && !self.seen_header && !done.obsolete {
            self.seen_header = true;
            self.catalog.header = done
                .msgstr
                .lines()
                .filter_map(|l| {
                    l.split_once(':')
                        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                })
                .collect();
        } else {
            self.catalog.entries.push(done);
        }
    }

    fn start(&mut self, number: usize) {
        if !self.started {
            self.entry.line = number;
            self.started = true;
        }
    }

    /// A comment line, `rest` after its `#`: a translator's, extracted, references, flags, the
    /// previous msgid (`#|`), or before the first entry one of the file's own.
    fn comment(&mut self, number: usize, rest: &str) {
        // A comment after msgstr starts the next entry.
        if self.has_id && self.has_str {
            self.finish();
        }
        self.start(number);
        let (kind, body) = rest.split_at(rest.chars().next().map_or(0, char::len_utf8));
        let body = body.strip_prefix(' ').unwrap_or(body);
        let entry = &mut self.entry;
        match kind {
            "." => entry.extracted.push(body.to_owned()),
            ":" => entry
                .references
                .extend(body.split_whitespace().map(str::to_owned)),
            "," => entry.flags.extend(
                body.split(',')
                    .map(|f| f.trim().to_owned())
                    .filter(|f| !f.is_empty()),
            ),
            // Previous strings are only shown to translators: one that cannot be read is left out,
            // never an error.
            "|" if self.has_id => {}
            "|" => {
                let body = body.trim_start();
                if let Some(quoted) = body.strip_prefix("msgid").map(str::trim_start) {
                    self.in_previous_id = true;
                    entry.previous_msgid = unquote(quoted, number, 1).ok();
                } else if body.starts_with('"') && self.in_previous_id {
                    if let (Some(previous), Ok(more)) =
                        (entry.previous_msgid.as_mut(), unquote(body, number, 1))
                    {
                        previous.push_str(&more);
                    }
                } else {
                    self.in_previous_id = false;
                }
            }
            _ => {
                let catalog = &mut self.catalog;
                if !self.seen_header
                    && catalog.entries.is_empty()
                    && !self.has_id
                    && catalog.header.is_empty()
                {
                    catalog
                        .comments
                        .push(rest.strip_prefix(' ').unwrap_or(rest).to_owned());
                }
            }
        }
    }

    /// A `"…"` line: more of the field before it.
    fn continuation(&mut self, line: &Line, text: &str) -> Result<(), ParseError> {
        let value = unquote(text, line.number, line.column_of(text))?;
        let target = match self.field {
            Some(Field::Ctxt) => self.entry.msgctxt.get_or_insert_with(String::new),
            Some(Field::Id) => &mut self.entry.msgid,
            Some(Field::Str) => &mut self.entry.msgstr,
            Some(Field::IdPlural) => return Ok(()),
            None => {
                return Err(line.error(
                    text,
                    "a string continues nothing: write a keyword such as msgstr before it",
                ));
            }
        };
        target.push_str(&value);
        Ok(())
    }

    /// A keyword line (`msgid "…"`), `obsolete` after `#~`.
    fn keyword(&mut self, line: &Line, text: &str, obsolete: bool) -> Result<(), ParseError> {
        let (keyword, rest) = text
            .split_once(|c: char| c.is_whitespace())
            .unwrap_or((text, ""));
        let rest = rest.trim_start();
        let next = match keyword {
            "msgctxt" => Field::Ctxt,
            "msgid" => Field::Id,
            "msgid_plural" => Field::IdPlural,
            "msgstr" | "msgstr[0]" => Field::Str,
            k if k.starts_with("msgstr[") => Field::IdPlural,
            _ => {
                return Err(line.error(
                    text,
                    format!("`{keyword}` is not a PO keyword: expected msgctxt, msgid or msgstr"),
                ));
            }
        };
        // A new msgctxt or msgid after a msgstr starts the next entry.
        if matches!(next, Field::Ctxt | Field::Id) && self.has_id {
            if !self.has_str {
                return Err(line.error(text, "the entry before has no msgstr"));
            }
            self.finish();
        }
        self.start(line.number);
        match next {
            Field::Str if !self.has_id => return Err(line.error(text, "msgstr without msgid")),
            Field::Str => self.has_str = true,
            Field::Id => self.has_id = true,
            _ => {}
        }
        self.entry.obsolete |= obsolete;
        self.field = Some(next);
        if !rest.starts_with('"') {
            return Err(ParseError {
                line: line.number,
                column: line.column_of(rest).min(line.raw.len() + 1),
                message: format!("`{keyword}` must be followed by a quoted string"),
            });
        }
        let value = unquote(rest, line.number, line.column_of(rest))?;
        match next {
            Field::Ctxt => self.entry.msgctxt = Some(value),
            Field::Id => self.entry.msgid = value,
            Field::Str => self.entry.msgstr = value,
            Field::IdPlural => {}
        }
        Ok(())
    }

    /// The file's end: the last entry must be whole.
    fn end(mut self) -> Result<Catalog, ParseError> {
        let at_entry = |message: &str| ParseError {
            line: self.entry.line,
            column: 1,
            message: message.into(),
        };
        if self.started && !self.has_id && self.entry.msgctxt.is_some() {
            return Err(at_entry("the last entry has no msgid"));
        }
        if self.has_id && !self.has_str {
            return Err(at_entry("the last entry has no msgstr"));
        }
        self.finish();
        Ok(self.catalog)
    }
}

/// The string of a `"…"` token (which must be all that is left on the line, but for a comment).
fn unquote(token: &str, line: usize, column: usize) -> Result<String, ParseError> {
    let err = |offset: usize, message: &str| ParseError {
        line,
        column: column + offset,
        message: message.into(),
    };
    let mut chars = token.char_indices().skip(1);
    let mut out = String::new();
    loop {
        let Some((i, c)) = chars.next() else {
            return Err(err(0, "the string is not closed: add a `\"` at its end"));
        };
        match c {
            '"' => {
                let after = token[i + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    return Err(err(i + 1, "unexpected text after the string"));
                }
                return Ok(out);
            }
            '\\' => {
                let Some((j, e)) = chars.next() else {
                    return Err(err(i, "the string ends in a lone backslash"));
                };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'v' => out.push('\u{b}'),
                    'f' => out.push('\u{c}'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '\'' => out.push('\''),
                    '?' => out.push('?'),
                    '0'..='7' => {
                        let digits: String = token[j..]
                            .chars()
                            .take(3)
                            .take_while(|d| ('0'..='7').contains(d))
                            .collect();
                        for _ in 1..digits.len() {
                            chars.next();
                        }
                        let code = u32::from_str_radix(&digits, 8).unwrap_or(0);
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    'x' => {
                        let digits: String = token[j + 1..]
                            .chars()
                            .take(2)
                            .take_while(char::is_ascii_hexdigit)
                            .collect();
                        if digits.is_empty() {
                            return Err(err(i, "`\\x` needs hexadecimal digits"));
                        }
                        for _ in 0..digits.len() {
                            chars.next();
                        }
                        out.push(
                            char::from_u32(u32::from_str_radix(&digits, 16).unwrap_or(0))
                                .unwrap_or('\u{fffd}'),
                        );
                    }
                    other => return Err(err(i, &format!("unknown escape `\\{other}`"))),
                }
            }
            c => out.push(c),
        }
    }
}

/// The `Plural-Forms` header of a language; guidegen writes no plurals, but tools ask for it.
pub fn plural_forms(lang: &str) -> &'static str {
    let primary = lang.split('-').next().unwrap_or(lang);
    match primary {
        "ja" | "ko" | "zh" | "vi" | "th" | "id" | "ms" | "tr" => "nplurals=1; plural=0;",
        "fr" | "pt" if lang != "pt-PT" => "nplurals=2; plural=(n > 1);",
        "ru" | "uk" | "be" | "sr" | "hr" | "bs" => {
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        "pl" => {
            "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        "cs" | "sk" => "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
        "ar" => {
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
        }
        _ => "nplurals=2; plural=(n != 1);",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Catalog {
        Catalog {
            comments: vec!["Guide x".into()],
            header: vec![
                ("Language".into(), "en".into()),
                ("Content-Type".into(), "text/plain; charset=UTF-8".into()),
            ],
            entries: vec![
                Entry {
                    extracted: vec!["step 1".into()],
                    references: vec!["guides/x/guide.yaml:3".into()],
                    msgctxt: Some("x|title".into()),
                    msgid: "Åbn \"appen\" \\ nu".into(),
                    msgstr: "Open".into(),
                    line: 7,
                    ..Entry::default()
                },
                Entry {
                    flags: vec!["fuzzy".into()],
                    msgctxt: Some("x|step.1.action".into()),
                    previous_msgid: Some("Linje 1\nlinje 2\n".into()),
                    msgid: "Linje et\nlinje to\n".into(),
                    msgstr: "Line one\nline two\n".into(),
                    line: 13,
                    ..Entry::default()
                },
                Entry {
                    msgctxt: Some("x|s".into()),
                    msgid: "a\tb\u{1}".into(),
                    line: 25,
                    ..Entry::default()
                },
            ],
        }
    }

    #[test]
    fn writes_and_reads_back() {
        let c = sample();
        let text = c.write();
        assert!(
            text.contains("msgid \"Åbn \\\"appen\\\" \\\\ nu\"\n"),
            "{text}"
        );
        assert!(
            text.contains("msgid \"\"\n\"Linje et\\n\"\n\"linje to\\n\"\n"),
            "{text}"
        );
        assert!(
            text.contains("#, fuzzy\n#| msgid \"\"\n#| \"Linje 1\\n\"\n#| \"linje 2\\n\"\nmsgctxt"),
            "{text}"
        );
        let back = parse(&text).unwrap();
        assert_eq!(back, c, "{text}");
    }

    #[test]
    fn locates_errors() {
        let e = parse("msgid \"a\"\nmsgstr \"b\nmsgid").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        let e = parse("msgid \"a\"\nmsgstr \"b\"\nfoo \"x\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(parse("msgid \"a\"\n").is_err());
        assert!(parse("msgid \"a\\q\"\nmsgstr \"\"\n").is_err());
    }

    #[test]
    fn reads_obsolete_and_plural_entries() {
        let c = parse("msgid \"\"\nmsgstr \"Language: da\\n\"\n\n#~ msgid \"old\"\n#~ msgstr \"gammel\"\n\nmsgid \"one\"\nmsgid_plural \"many\"\nmsgstr[0] \"en\"\nmsgstr[1] \"mange\"\n").unwrap();
        assert_eq!(c.header_field("language"), Some("da"));
        assert_eq!(c.entries.len(), 2);
        assert!(c.entries[0].obsolete);
        assert_eq!(c.entries[1].msgstr, "en");
        assert_eq!(c.entries[1].line, 7);
    }
}
