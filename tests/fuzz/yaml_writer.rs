//! A small YAML writer for the structured inputs: block and flow maps and lists, comments, and
//! scalars in every style — quoted properly, except in the `Raw` style, which writes the text as it
//! is, improperly on purpose.

use arbitrary::Arbitrary;

/// How a scalar is written.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain where that reads back the same, a literal block for several lines, else double-quoted.
    Auto,
    /// Plain where that reads back the same, else double-quoted.
    Plain,
    Double,
    /// Single-quoted where that can hold the text, else double-quoted.
    Single,
    /// `|` where that holds the text exactly, else double-quoted.
    Literal,
    /// `>`: folds lines, so the text reads back changed, but it is valid YAML.
    Folded,
    /// As it is: often not YAML, or another value than meant.
    Raw,
}

#[derive(Debug, Clone)]
pub enum Node {
    Scalar(String, Style),
    Map(Vec<Entry>, Flow),
    List(Vec<Node>, Flow),
}

/// Whether a collection is written in flow style (`{…}`, `[…]`) or as indented lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Block,
    Flow,
}

#[derive(Debug, Clone)]
pub enum Entry {
    /// `key: value  # comment`.
    Pair {
        key: String,
        value: Node,
        comment: Option<String>,
    },
    /// A comment on a line of its own.
    Comment(String),
}

impl Entry {
    pub fn pair(key: &str, value: Node) -> Entry {
        Entry::Pair {
            key: key.to_owned(),
            value,
            comment: None,
        }
    }
}

/// Writes `node` (a map, for a document) with block collections indented by `step` spaces; lists
/// under a key are indented too when `indent_lists`.
pub fn document(node: &Node, step: usize, indent_lists: bool) -> String {
    let mut writer = Writer {
        out: String::new(),
        step,
        indent_lists,
    };
    match node {
        Node::Map(entries, Flow::Block) if !entries.is_empty() => writer.block_map(entries, 0),
        other => {
            let text = writer.flow(other);
            writer.out.push_str(&text);
            writer.out.push('\n');
        }
    }
    writer.out
}

struct Writer {
    out: String,
    step: usize,
    indent_lists: bool,
}

impl Writer {
    fn pad(&mut self, columns: usize) {
        self.out.extend(std::iter::repeat_n(' ', columns));
    }

    fn comment(&mut self, comment: Option<&str>) {
        if let Some(c) = comment {
            self.out.push_str("  # ");
            self.out.push_str(c);
        }
    }

    /// The entries of a block map whose first key goes where the cursor stands (at `indent`, or
    /// after `- `); every later entry on a line of its own.
    fn block_map(&mut self, entries: &[Entry], indent: usize) {
        for (i, entry) in entries.iter().enumerate() {
            if i > 0 {
                self.pad(indent);
            }
            match entry {
                Entry::Comment(text) => {
                    self.out.push_str("# ");
                    self.out.push_str(text);
                    self.out.push('\n');
                }
                Entry::Pair {
                    key,
                    value,
                    comment,
                } => {
                    self.out.push_str(&key_text(key));
                    self.out.push(':');
                    self.block_value(value, indent, comment.as_deref());
                }
            }
        }
    }

    /// A map value, after its `key:`.
    fn block_value(&mut self, value: &Node, indent: usize, comment: Option<&str>) {
        let inner = indent + self.step;
        match value {
            Node::Scalar(text, style) => {
                if let Some((header, lines)) = block_scalar(text, *style, self.step) {
                    self.out.push(' ');
                    self.out.push_str(&header);
                    self.comment(comment);
                    self.out.push('\n');
                    for line in lines {
                        if !line.is_empty() {
                            self.pad(inner);
                            self.out.push_str(&line);
                        }
                        self.out.push('\n');
                    }
                } else {
                    self.out.push(' ');
                    self.out.push_str(&inline_scalar(text, *style, false));
                    self.comment(comment);
                    self.out.push('\n');
                }
            }
            Node::Map(entries, Flow::Block) if !entries.is_empty() => {
                self.comment(comment);
                self.out.push('\n');
                self.pad(inner);
                self.block_map(entries, inner);
            }
            Node::List(items, Flow::Block) if !items.is_empty() => {
                self.comment(comment);
                self.out.push('\n');
                let at = if self.indent_lists { inner } else { indent };
                self.block_list(items, at);
            }
            flow => {
                let text = self.flow(flow);
                self.out.push(' ');
                self.out.push_str(&text);
                self.comment(comment);
                self.out.push('\n');
            }
        }
    }

    fn block_list(&mut self, items: &[Node], indent: usize) {
        for item in items {
            self.pad(indent);
            self.out.push_str("- ");
            match item {
                Node::Map(entries, Flow::Block) if !entries.is_empty() => {
                    self.block_map(entries, indent + 2);
                }
                Node::List(items, Flow::Block) if !items.is_empty() => {
                    self.out.push('\n');
                    self.block_list(items, indent + 2);
                }
                Node::Scalar(text, style) => {
                    self.out.push_str(&inline_scalar(text, *style, false));
                    self.out.push('\n');
                }
                flow => {
                    let text = self.flow(flow);
                    self.out.push_str(&text);
                    self.out.push('\n');
                }
            }
        }
    }

    /// A node in flow style; comments are left out, as flow collections cannot hold them inline.
    fn flow(&self, node: &Node) -> String {
        match node {
            Node::Scalar(text, style) => inline_scalar(text, *style, true),
            Node::Map(entries, _) => {
                let pairs: Vec<String> = entries
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Pair { key, value, .. } => {
                            Some(format!("{}: {}", key_text(key), self.flow(value)))
                        }
                        Entry::Comment(_) => None,
                    })
                    .collect();
                format!("{{{}}}", pairs.join(", "))
            }
            Node::List(items, _) => {
                let items: Vec<String> = items.iter().map(|i| self.flow(i)).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// Keys are always written properly: the structure is what the structured inputs vary.
fn key_text(key: &str) -> String {
    if plain_safe(key, true) {
        key.to_owned()
    } else {
        double_quoted(key)
    }
}

/// A scalar on one line, in `style` where that style can hold it on one line.
pub fn inline_scalar(text: &str, style: Style, in_flow: bool) -> String {
    match style {
        Style::Raw => text.to_owned(),
        Style::Double => double_quoted(text),
        Style::Single => single_quoted(text).unwrap_or_else(|| double_quoted(text)),
        Style::Auto | Style::Plain | Style::Literal | Style::Folded => {
            if plain_safe(text, in_flow) {
                text.to_owned()
            } else {
                double_quoted(text)
            }
        }
    }
}

/// A block scalar's header and content lines (unindented), when `style` asks for one and it can
/// hold the text: a literal block writes it exactly, a folded one folds its lines.
fn block_scalar(text: &str, style: Style, step: usize) -> Option<(String, Vec<String>)> {
    let indicator = match style {
        Style::Literal => '|',
        Style::Folded => '>',
        Style::Auto if text.contains('\n') => '|',
        _ => return None,
    };
    let body = text.trim_end_matches('\n');
    if body.is_empty()
        || text
            .chars()
            .any(|c| !printable(c) && c != '\n' && c != '\t')
    {
        return None;
    }
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // Content whose first line starts with a space needs its indentation said.
    let first = body.lines().find(|l| !l.is_empty()).unwrap_or_default();
    let explicit = if first.starts_with(' ') {
        step.to_string()
    } else {
        String::new()
    };
    let mut lines: Vec<String> = body.split('\n').map(str::to_owned).collect();
    lines.extend(std::iter::repeat_n(
        String::new(),
        (text.len() - body.len()).saturating_sub(1),
    ));
    Some((format!("{indicator}{explicit}{chomp}"), lines))
}

/// Characters YAML allows in a file as they are (and that no reader takes for a line break).
fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
        ))
}

/// Whether `text` written plain reads back as the same string. Conservative: when in doubt, no.
pub fn plain_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    let reserved = [
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n", "<<",
    ];
    !("-?:,[]{}#&*!|>'\"%@`.+0123456789 \t".contains(first)
        || text.ends_with([' ', '\t', ':'])
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(":\t")
        || text.contains("\t#")
        || text.chars().any(|c| !printable(c) || c == '\t')
        || (in_flow && text.contains([',', '[', ']', '{', '}']))
        || reserved.contains(&lower.as_str())
        || lower.starts_with(".inf")
        || lower.starts_with(".nan"))
}

pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if !printable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `'…'` with `'` doubled, for texts without line breaks or characters that need an escape.
fn single_quoted(text: &str) -> Option<String> {
    if text.chars().any(|c| !printable(c) || c == '\t') {
        return None;
    }
    Some(format!("'{}'", text.replace('\'', "''")))
}
