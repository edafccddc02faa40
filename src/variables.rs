//! Model stage (read by validation and the views): variables — `((name))` in any text, replaced by
//! the value `variables:` in guidegen.yaml gives it, in the language the text is written in.
//!
//! Why `((name))`: it can start a plain YAML scalar (`{…}` and `[…]` would start a flow collection),
//! Markdown gives parentheses no meaning, Windows `%VAR%`, PowerShell `$var`/`$(…)` and tera's
//! `{{ }}` all read otherwise, and a name is only lowercase letters, digits, `-` and `_`, so that
//! `((a+b))` of a shell line is never taken for one. `\((` writes `((` literally.
//!
//! The model keeps texts as written (PO files show translators the placeholder); the value is put
//! in only when a page or a PDF shows the text.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::model::Text;

/// The site's variables by name: each value translatable.
pub type Variables = BTreeMap<String, Text>;

/// One `((name))` in a text: the name and the byte range of the whole placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use<'a> {
    pub name: &'a str,
    pub range: Range<usize>,
}

/// Whether `name` can be a variable's name: lowercase letters, digits, `-` and `_`, starting with a
/// letter.
pub fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// What a text is made of: written text, a `\((` escape, or a placeholder.
enum Piece<'a> {
    Literal(&'a str),
    Escape,
    Use(Use<'a>),
}

/// Splits `text` into its pieces, in order.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut literal_from = 0;
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with("\\((") {
            out.push(Piece::Literal(&text[literal_from..at]));
            out.push(Piece::Escape);
            at += 3;
            literal_from = at;
            continue;
        }
        if let Some(inner) = rest.strip_prefix("((")
            && let Some(end) = inner.find("))")
            && is_name(&inner[..end])
        {
            out.push(Piece::Literal(&text[literal_from..at]));
            let whole = 2 + end + 2;
            out.push(Piece::Use(Use {
                name: &inner[..end],
                range: at..at + whole,
            }));
            at += whole;
            literal_from = at;
            continue;
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    out.push(Piece::Literal(&text[literal_from..]));
    out
}

/// Every `((name))` of `text`, in order.
pub fn uses(text: &str) -> Vec<Use<'_>> {
    // Every placeholder starts with `((`: most texts have none and need no splitting.
    if !has_doubled(text, b'(') {
        return Vec::new();
    }
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Use(used) => Some(used),
            _ => None,
        })
        .collect()
}

/// Something in `text` that looks meant as a variable but is not written as one — `((Portal))`,
/// `(( portal ))`, `{{portal}}` — with the byte range and the placeholder it probably means.
pub fn near_misses(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    if !has_doubled(text, b'(') && !has_doubled(text, b'{') {
        return out;
    }
    for (open, close) in [("((", "))"), ("{{", "}}")] {
        let mut from = 0;
        while let Some(start) = text[from..].find(open).map(|i| from + i) {
            let inner_start = start + open.len();
            let Some(end) = text[inner_start..].find(close).map(|i| inner_start + i) else {
                break;
            };
            let inner = &text[inner_start..end];
            let meant = inner.trim().to_lowercase();
            let escaped = open == "((" && text[..start].ends_with('\\');
            let is_use = open == "((" && is_name(inner);
            if !escaped && !is_use && inner.len() <= 40 && is_name(&meant) {
                out.push((start..end + close.len(), format!("(({meant}))")));
            }
            from = end + close.len();
        }
    }
    out.sort_by_key(|(range, _)| range.start);
    out
}

/// Whether the ASCII `mark` appears twice in a row in `text`: a search for the one character
/// (memchr), where `str::contains` with a two-character pattern sets up a substring searcher.
fn has_doubled(text: &str, mark: u8) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find(char::from(mark)) {
        from += at + 1;
        if bytes.get(from) == Some(&mark) {
            return true;
        }
    }
    false
}

/// `text`, written in `lang`, with each variable's value in `lang` (or, untranslated, in the source
/// language) put in, and `\((` as `((`. A name with no variable stays as written (validation has
/// reported it).
pub fn substitute(text: &str, lang: &str, variables: &Variables) -> String {
    if !text.contains("((") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Escape => out.push_str("(("),
            Piece::Use(used) => match variables.get(used.name) {
                Some(value) => out.push_str(value_in(value, lang)),
                None => out.push_str(&text[used.range]),
            },
        }
    }
    out
}

/// [`substitute`], borrowing `text` when it has no `((` to replace.
pub fn substituted<'a>(text: &'a str, lang: &str, variables: &Variables) -> Cow<'a, str> {
    if text.contains("((") {
        Cow::Owned(substitute(text, lang, variables))
    } else {
        Cow::Borrowed(text)
    }
}

/// A variable's value in `lang`: its translation, else its source text. (A value is shown as the
/// site owner wrote it, with no fallback marking: it is a name, a number or an address.)
fn value_in<'a>(value: &'a Text, lang: &str) -> &'a str {
    value
        .translations
        .get(lang)
        .map_or(value.source.as_str(), |t| t.text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::model::{LocalizedText, Origin, TranslationState};

    /// Texts without `((` (or `{{`) skip the search; with them, it still runs.
    #[test]
    fn texts_without_doubled_marks_skip_the_search_and_others_do_not() {
        for text in [
            "",
            "(",
            "((",
            "a (b) c",
            "( (portal) )",
            "{ {portal} }",
            "((portal))",
            "x((a))y((b))",
            "\\((portal))",
            "æ((ø))",
            "((Portal))",
            "{{portal}}",
            "(( portal ))",
            "{{ Portal }}",
            "((a)",
            "(a))",
            "{(portal)}",
        ] {
            let slow: Vec<Use<'_>> = pieces(text)
                .into_iter()
                .filter_map(|piece| match piece {
                    Piece::Use(used) => Some(used),
                    _ => None,
                })
                .collect();
            assert_eq!(uses(text), slow, "{text:?}");
        }
        assert_eq!(uses("x((a))y")[0].name, "a");
        assert_eq!(
            near_misses("a ((Portal)) b"),
            [(2..12, "((portal))".to_owned())]
        );
        assert_eq!(
            near_misses("{{ portal }}"),
            [(0..12, "((portal))".to_owned())]
        );
        assert!(near_misses("( (Portal) ) { {portal} }").is_empty());
    }

    fn origin() -> Origin {
        Origin {
            path: "guidegen.yaml".into(),
            span: Span::START,
        }
    }

    fn variables() -> Variables {
        let mut phone = Text::invariant("+45 3333 4444", origin());
        phone.source = "+45 3333 4444".into();
        let mut desk = Text::invariant("IT-servicedesken", origin());
        desk.translations.insert(
            "en".into(),
            LocalizedText {
                text: "the IT service desk".into(),
                state: TranslationState::Unpinned,
                recorded: None,
                origin: origin(),
            },
        );
        BTreeMap::from([("phone".into(), phone), ("desk".into(), desk)])
    }

    #[test]
    fn values_are_put_in_the_texts_language() {
        let v = variables();
        assert_eq!(
            substitute("Ring til ((desk)) på ((phone)).", "da", &v),
            "Ring til IT-servicedesken på +45 3333 4444."
        );
        assert_eq!(
            substitute("Call ((desk)) on ((phone)).", "en", &v),
            "Call the IT service desk on +45 3333 4444."
        );
    }

    #[test]
    fn an_escape_writes_the_brackets_and_shell_lines_stay() {
        let v = variables();
        assert_eq!(
            substitute(r"Write \((phone)).", "en", &v),
            "Write ((phone))."
        );
        assert_eq!(
            substitute("echo $((a+1)) ((x y))", "en", &v),
            "echo $((a+1)) ((x y))"
        );
        assert!(uses("echo $((a+1)) %PATH% $env:USERNAME {{ x }}").is_empty());
    }

    #[test]
    fn near_misses_name_the_placeholder_meant() {
        let found = near_misses(
            "Open {{ portal }} or ((Portal)) or (( help-desk )); not $((i+1)) nor ((ok)) nor \\((Raw))",
        );
        let meant: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(meant, ["((portal))", "((portal))", "((help-desk))"]);
    }

    #[test]
    fn uses_have_their_names_and_places() {
        let text = "Åbn ((portal)) og \\((not)) ((hélp)) ((phone))";
        let found = uses(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "portal");
        assert_eq!(&text[found[0].range.clone()], "((portal))");
        assert_eq!(found[1].name, "phone");
    }
}
