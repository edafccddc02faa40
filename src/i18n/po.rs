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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    IdPlural,
    Str,
    Other,
}

/// Reads a PO file. Plural entries are read with their first form; obsolete entries are marked.
pub fn parse(text: &str) -> Result<Catalog, ParseError> {
    let mut catalog = Catalog::default();
    let mut entry = Entry::default();
    let mut started = false;
    let mut has_id = false;
    let mut has_str = false;
    let mut field = Field::Other;
    let mut seen_header = false;
    // In `#|` lines: the previous msgid is being read (a `#| "…"` line continues it).
    let mut in_previous_id = false;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let finish =
        |entry: &mut Entry, has_id: &mut bool, catalog: &mut Catalog, seen_header: &mut bool| {
            let done = std::mem::take(entry);
            if !*has_id {
                return;
            }
            *has_id = false;
            if done.msgid.is_empty() && done.msgctxt.is_none() && !*seen_header && !done.obsolete {
                *seen_header = true;
                catalog.header = done
                    .msgstr
                    .lines()
                    .filter_map(|l| {
                        l.split_once(':')
                            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                    })
                    .collect();
            } else {
                catalog.entries.push(done);
            }
        };

    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        // Every carriage return at a line's end, however many a tool wrote: kept in a comment, one
        // would be lost when the catalog is written and read again.
        let raw = raw.trim_end_matches('\r');
        let mut line = raw.trim_start();
        let indent = raw.len() - line.len();
        if line.is_empty() {
            continue;
        }
        let mut obsolete = false;
        if let Some(rest) = line.strip_prefix("#~") {
            obsolete = true;
            line = rest.trim_start();
            if line.is_empty() {
                continue;
            }
        }
        let col_of = |l: &str| indent + (raw.trim_start().len() - l.len()) + 1;
        if !obsolete && let Some(rest) = line.strip_prefix('#') {
            // A comment after msgstr starts the next entry.
            if has_id && has_str {
                finish(&mut entry, &mut has_id, &mut catalog, &mut seen_header);
                has_str = false;
                started = false;
            }
            if !started {
                entry.line = line_no;
                started = true;
            }
            let (kind, body) = rest.split_at(rest.chars().next().map_or(0, char::len_utf8));
            let body = body.strip_prefix(' ').unwrap_or(body);
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
                // Previous strings are only shown to translators: one that cannot be read is
                // left out, never an error.
                "|" if has_id => {}
                "|" => {
                    let body = body.trim_start();
                    if let Some(quoted) = body.strip_prefix("msgid").map(str::trim_start) {
                        in_previous_id = true;
                        entry.previous_msgid = unquote(quoted, line_no, 1).ok();
                    } else if body.starts_with('"') && in_previous_id {
                        if let (Some(previous), Ok(more)) =
                            (entry.previous_msgid.as_mut(), unquote(body, line_no, 1))
                        {
                            previous.push_str(&more);
                        }
                    } else {
                        in_previous_id = false;
                    }
                }
                _ => {
                    if !seen_header
                        && catalog.entries.is_empty()
                        && !has_id
                        && catalog.header.is_empty()
                    {
                        let comment = rest.strip_prefix(' ').unwrap_or(rest);
                        if kind != "|" {
                            catalog.comments.push(comment.to_owned());
                        }
                    }
                }
            }
            continue;
        }
        in_previous_id = false;
        if line.starts_with('"') {
            let value = unquote(line, line_no, col_of(line))?;
            let target = match field {
                Field::Ctxt => entry.msgctxt.get_or_insert_with(String::new),
                Field::Id => &mut entry.msgid,
                Field::Str => &mut entry.msgstr,
                Field::IdPlural => continue,
                Field::Other => {
                    return Err(ParseError {
                        line: line_no,
                        column: col_of(line),
                        message:
                            "a string continues nothing: write a keyword such as msgstr before it"
                                .into(),
                    });
                }
            };
            target.push_str(&value);
            continue;
        }
        let (keyword, rest) = line
            .split_once(|c: char| c.is_whitespace())
            .unwrap_or((line, ""));
        let rest = rest.trim_start();
        let next = match keyword {
            "msgctxt" => Field::Ctxt,
            "msgid" => Field::Id,
            "msgid_plural" => Field::IdPlural,
            "msgstr" | "msgstr[0]" => Field::Str,
            k if k.starts_with("msgstr[") => Field::IdPlural,
            _ => {
                return Err(ParseError {
                    line: line_no,
                    column: col_of(line),
                    message: format!(
                        "`{keyword}` is not a PO keyword: expected msgctxt, msgid or msgstr"
                    ),
                });
            }
        };
        // A new msgctxt or msgid after a msgstr starts the next entry.
        if matches!(next, Field::Ctxt | Field::Id) && has_id {
            if !has_str {
                return Err(ParseError {
                    line: line_no,
                    column: col_of(line),
                    message: "the entry before has no msgstr".into(),
                });
            }
            finish(&mut entry, &mut has_id, &mut catalog, &mut seen_header);
            has_str = false;
            started = false;
        }
        if !started {
            entry.line = line_no;
            started = true;
        }
        if next == Field::Str && !has_id {
            return Err(ParseError {
                line: line_no,
                column: col_of(line),
                message: "msgstr without msgid".into(),
            });
        }
        if next == Field::Str {
            has_str = true;
        }
        if next == Field::Id {
            has_id = true;
        }
        entry.obsolete |= obsolete;
        field = next;
        if !rest.starts_with('"') {
            return Err(ParseError {
                line: line_no,
                column: col_of(rest).min(raw.len() + 1),
                message: format!("`{keyword}` must be followed by a quoted string"),
            });
        }
        let value = unquote(rest, line_no, col_of(rest))?;
        match field {
            Field::Ctxt => entry.msgctxt = Some(value),
            Field::Id => entry.msgid = value,
            Field::Str => entry.msgstr = value,
            Field::IdPlural | Field::Other => {}
        }
    }
    if started && !has_id && (entry.msgctxt.is_some()) {
        return Err(ParseError {
            line: entry.line,
            column: 1,
            message: "the last entry has no msgid".into(),
        });
    }
    if has_id && !has_str {
        return Err(ParseError {
            line: entry.line,
            column: 1,
            message: "the last entry has no msgstr".into(),
        });
    }
    finish(&mut entry, &mut has_id, &mut catalog, &mut seen_header);
    Ok(catalog)
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
