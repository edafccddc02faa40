//! Load stage: a file is read as a located YAML tree first and checked against its format (the JSON
//! Schema of [`crate::schema`]) before serde reads it, so that one run reports every YAML-level
//! mistake of a file — unknown keys, wrong types, duplicate keys, texts YAML cut or misread — each in
//! plain words with its fix.
//!
//! Every part the check refuses is blanked out of the text (replaced by spaces, so that every
//! position stays where it was), and the rest is read as usual: the meaning of the remaining keys is
//! still checked in the same run. What was blanked is remembered, so that validation does not report
//! it again as missing ([`Checked::suppress`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::rc::Rc;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Span, did_you_mean};

/// A position: 1-based line and column (in characters) as diagnostics show it, and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
}

impl Pos {
    fn span(self) -> Span {
        Span::new(self.line.max(1), self.column.max(1))
    }
}

/// A YAML node and where it stands.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub start: Pos,
    pub end: Pos,
    /// Written in flow style: `[…]`, `{…}`.
    pub flow: bool,
    /// The parser's span of the node's first event, as serde-saphyr locates the node
    /// ([`crate::yamlde`] gives it to `Spanned` values).
    pub mark: Mark,
}

/// The span of a node's first event (its scalar, or the start of its list or map): where it starts
/// in characters, how many characters it covers, and the same in bytes when the parser knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub index: usize,
    pub len: usize,
    /// Byte offset and byte length.
    pub bytes: Option<(usize, usize)>,
}

impl Mark {
    fn of(span: &granit_parser::Span) -> Mark {
        Mark {
            index: span.start.index(),
            len: span.end.index().saturating_sub(span.start.index()),
            bytes: span
                .start
                .byte_offset()
                .zip(span.end.byte_offset())
                .map(|(start, end)| (start, end.saturating_sub(start))),
        }
    }
}

/// What a tree holds besides its nodes, for [`crate::yamlde`] to know whether reading the tree gives
/// what serde-saphyr would read from the text: no tags, anchors or aliases (the tree keeps none of
/// them), one document, and well inside serde-saphyr's limits.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    pub documents: usize,
    /// A tag (`!x`, `!!str`), an anchor (`&a`) or an alias (`*a`) anywhere.
    pub properties: bool,
    /// The deepest nesting of lists and maps.
    pub depth: usize,
    /// The parser's events, comments included.
    pub events: usize,
    /// The longest run of comments with no other event between them.
    pub comment_run: usize,
}

impl Shape {
    /// Whether the tree reads as serde-saphyr reads the text. The bounds are below those of
    /// [`crate::load::parse_yaml`]'s budget (depth 32; 200,000 nodes, 500,000 events) and of the
    /// comments serde-saphyr's parser buffers (it refuses 33 in a row between a key and its value,
    /// where the tree's parser takes 96), so that no file its budget or parser refuses is read here.
    pub fn readable(&self) -> bool {
        self.documents == 1
            && !self.properties
            && self.depth <= 24
            && self.events <= 150_000
            && self.comment_run <= 28
    }
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// Nothing, `~` or `null`.
    Null,
    Scalar {
        value: String,
        plain: bool,
        /// `&name` before it.
        anchored: bool,
        /// A local tag (`!word`) before it.
        tag: Option<String>,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// `*name`: not followed.
    Alias,
}

impl Node {
    fn found(&self) -> String {
        match &self.kind {
            NodeKind::Null => "nothing".into(),
            NodeKind::Scalar { value, .. } => {
                let short: String = value.chars().take(40).collect();
                let more = if value.chars().count() > 40 {
                    "…"
                } else {
                    ""
                };
                format!("the text `{short}{more}`")
            }
            NodeKind::Seq(_) => "a list".into(),
            NodeKind::Map(_) => "a map of `key: value` pairs".into(),
            NodeKind::Alias => "an alias".into(),
        }
    }

    fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Scalar { .. } | NodeKind::Alias => "scalar",
            NodeKind::Seq(_) => "array",
            NodeKind::Map(_) => "object",
        }
    }
}

/// A comment and where it starts (at its `#`).
#[derive(Debug, Clone)]
pub struct Comment {
    pub start: Pos,
    pub text: String,
}

/// The most events a file may have, and the deepest nesting: beyond them the file is refused whole,
/// as serde-saphyr's budget would.
pub const MAX_EVENTS: usize = 500_000;
const MAX_DEPTH: usize = 64;

/// Why a file has no tree.
pub enum TreeError {
    Syntax(ScanError),
    Budget(Pos),
}

/// Parses `text` into a located tree and its comments. An empty document is an empty map.
pub fn tree(text: &str) -> Result<(Node, Vec<Comment>), TreeError> {
    read_tree(text).map(|(root, comments, _)| (root, comments))
}

/// [`tree`], and the tree's [`Shape`].
pub fn read_tree(text: &str) -> Result<(Node, Vec<Comment>, Shape), TreeError> {
    let byte_of = ByteIndex::new(text);
    let pos = |m: &granit_parser::Marker| Pos {
        line: m.line(),
        column: m.col() + 1,
        byte: m.byte_offset().unwrap_or_else(|| byte_of.byte(m.index())),
    };
    let mut tree = TreeBuilder::default();
    // Comments between a key and its value are held until the value comes (96 by default): as
    // many as the file may have events, which its size bounds anyway.
    let options = granit_parser::options! { max_buffered_comment_events: MAX_EVENTS };
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(TreeError::Syntax)?;
        let (start, end) = (pos(&span.start), pos(&span.end));
        tree.shape.events += 1;
        if tree.shape.events > MAX_EVENTS || tree.stack.len() > MAX_DEPTH {
            return Err(TreeError::Budget(start));
        }
        tree.event(event, start, end, Mark::of(&span));
    }
    Ok(tree.finish())
}

/// A list or map being read, with where it starts and whether it is written in brackets.
enum Frame {
    Seq(Pos, Mark, Vec<Node>, bool),
    /// Its entries so far, and a key read without its value yet.
    Map(Pos, Mark, Vec<(Node, Node)>, Option<Node>, bool),
}

/// The tree [`read_tree`] builds from the parser's events: the lists and maps open around the
/// event being read, the root once read, the comments, and the [`Shape`].
#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Frame>,
    root: Option<Node>,
    comments: Vec<Comment>,
    shape: Shape,
    /// Comments read since the last other event.
    comment_run: usize,
}

impl TreeBuilder {
    fn event(&mut self, event: Event, start: Pos, end: Pos, mark: Mark) {
        let shape = &mut self.shape;
        self.comment_run = if matches!(event, Event::Comment(..)) {
            self.comment_run + 1
        } else {
            0
        };
        shape.comment_run = shape.comment_run.max(self.comment_run);
        shape.depth = shape.depth.max(self.stack.len());
        let node = |kind| Node {
            kind,
            start,
            end,
            flow: false,
            mark,
        };
        match event {
            Event::DocumentStart(..) => shape.documents += 1,
            Event::Comment(text, _) => self.comments.push(Comment {
                start,
                text: text.into_owned(),
            }),
            Event::Scalar(value, style, anchor, tag) => {
                shape.properties |= anchor != 0 || tag.is_some();
                let plain = style == ScalarStyle::Plain;
                let null = plain
                    && tag.is_none()
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                let kind = if null {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        value: value.into_owned(),
                        plain,
                        anchored: anchor != 0,
                        tag: tag
                            .filter(|t| t.handle() == "!")
                            .map(|t| format!("!{}", t.suffix())),
                    }
                };
                self.push(node(kind));
            }
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                shape.properties = true;
                self.push(node(NodeKind::Alias));
            }
            Event::SequenceStart(style, anchor, tag) => {
                shape.properties |= anchor != 0 || tag.is_some();
                let flow = style == granit_parser::StructureStyle::Flow;
                self.stack.push(Frame::Seq(start, mark, Vec::new(), flow))
            }
            Event::MappingStart(style, anchor, tag) => {
                shape.properties |= anchor != 0 || tag.is_some();
                let flow = style == granit_parser::StructureStyle::Flow;
                self.stack
                    .push(Frame::Map(start, mark, Vec::new(), None, flow))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(node) = self.close(end) {
                    self.push(node);
                }
            }
            _ => {}
        }
    }

    /// `node` as the next item of the list being read, the next key or value of the map, or the
    /// root.
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, _, items, _)) => items.push(node),
            Some(Frame::Map(_, _, entries, key, _)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    /// The list or map that ends at `end`, as a node. A block list or map ends where its last item
    /// ends, not at the next line.
    fn close(&mut self, end: Pos) -> Option<Node> {
        Some(match self.stack.pop()? {
            Frame::Seq(start, mark, items, flow) => Node {
                end: match (flow, items.last()) {
                    (false, Some(item)) => item.end,
                    _ => end,
                },
                kind: NodeKind::Seq(items),
                start,
                flow,
                mark,
            },
            Frame::Map(start, mark, entries, _, flow) => Node {
                end: match (flow, entries.last()) {
                    (false, Some((_, v))) => v.end,
                    _ => end,
                },
                kind: NodeKind::Map(entries),
                start,
                flow,
                mark,
            },
        })
    }

    /// The tree (an empty document is an empty map), its comments, and its shape.
    fn finish(self) -> (Node, Vec<Comment>, Shape) {
        let root = self.root.unwrap_or(Node {
            kind: NodeKind::Map(Vec::new()),
            start: Pos {
                line: 1,
                column: 1,
                byte: 0,
            },
            end: Pos::default(),
            flow: false,
            mark: Mark::default(),
        });
        (root, self.comments, self.shape)
    }
}

/// Character index → byte offset, for markers that carry only the former.
struct ByteIndex<'a> {
    text: &'a str,
    ascii: bool,
}

impl<'a> ByteIndex<'a> {
    fn new(text: &'a str) -> Self {
        ByteIndex {
            text,
            ascii: text.is_ascii(),
        }
    }

    fn byte(&self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.text.len());
        }
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }
}

/// What the check found, and the text to read with every refused part blanked out.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The text with refused parts blanked; `None` when nothing was refused.
    pub masked: Option<String>,
    /// Places (maps and items) that lost a part: validation's "this has no …" errors there are the
    /// same mistake again, and are not reported.
    pub suppress: BTreeSet<Span>,
    /// The top-level keys under which something was refused; `""` for the top level itself.
    pub troubled: BTreeSet<String>,
}

/// Checks the tree of `text` (the file at `path`) against `schema`. Err: a syntax error (one per
/// file: YAML cannot be read past it), as a diagnostic in plain words.
pub fn check(path: &Path, text: &str, schema: &Value) -> Result<Checked, Diagnostic> {
    check_tree(path, text, schema).map(|(checked, _)| checked)
}

/// [`check`], and the checked tree when it reads as serde-saphyr reads the text ([`Shape::readable`]),
/// so that [`crate::yamlde`] can read the file from it instead of parsing the text again.
pub fn check_tree(
    path: &Path,
    text: &str,
    schema: &Value,
) -> Result<(Checked, Option<Node>), Diagnostic> {
    let (root, comments, shape) = match read_tree(text) {
        Ok(tree) => tree,
        Err(TreeError::Syntax(err)) => return Err(syntax_diagnostic(path, text, &err)),
        Err(TreeError::Budget(at)) => return Err(budget_diagnostic(path, at.span())),
    };
    let mut checker = Checker {
        path,
        text,
        root: schema,
        comments: comments.into_iter().map(|c| (c.start.line, c)).collect(),
        checked: Checked::default(),
        masks: Vec::new(),
        top: String::new(),
        facts: RefCell::default(),
        maps: RefCell::default(),
    };
    let ok = checker.node(&root, schema, &mut Vec::new(), &Ctx::default());
    if !ok {
        checker.checked.suppress.insert(Span::START);
        checker.blank(root.start.byte..root.end.byte.max(root.start.byte));
        checker.write_at(root.start.byte, "{}");
    }
    let mut checked = checker.checked;
    if !checker.masks.is_empty() {
        let mut bytes = text.as_bytes().to_vec();
        for (range, with) in &checker.masks {
            match with {
                None => {
                    for b in &mut bytes[range.clone()] {
                        if *b != b'\n' && *b != b'\r' {
                            *b = b' ';
                        }
                    }
                }
                Some(s) => bytes[range.start..range.start + s.len()].copy_from_slice(s.as_bytes()),
            }
        }
        // Blanking whole characters (every byte of one) keeps the text UTF-8.
        checked.masked = Some(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok((checked, shape.readable().then_some(root)))
}

/// What a node is nested in, for messages.
#[derive(Default, Clone)]
struct Ctx<'n> {
    /// Inside a translatable text: its words are prose.
    in_text: bool,
    /// The key whose value this is (borrowed from the tree), and its position.
    key: Option<(&'n str, Pos)>,
}

/// An enclosing map of the format, and the key under which the check went down from it.
struct Outer<'a, 'n> {
    /// Shared by every entry of the map rather than copied for each.
    keys: std::rc::Rc<[&'a str]>,
    /// The map's entries as written.
    entries: &'n [(Node, Node)],
    /// The map's noun ("the step").
    what: &'a str,
    start: Pos,
    /// The key the checked value belongs to, and its position.
    via: Option<(&'a str, Pos)>,
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    root: &'a Value,
    comments: BTreeMap<usize, Comment>,
    checked: Checked,
    /// Byte ranges to blank (None) or text to write there, in order.
    masks: Vec<(Range<usize>, Option<&'static str>)>,
    /// The top-level key being checked.
    top: String,
    /// What the walk asks of each schema node, worked out once per file: the walk asks it at
    /// every node of the tree, and the schema has a few dozen nodes.
    facts: RefCell<SchemaMemo<Facts<'a>>>,
    /// The same for each map of the format.
    maps: RefCell<SchemaMemo<Rc<MapSchema<'a>>>>,
}

/// Something remembered per schema node, by its address. Hashed with foldhash: SipHash was most
/// of a lookup, and lookups run at every node of every file (nothing iterates the table, so the
/// hasher decides no order).
type SchemaMemo<T> = HashMap<*const Value, T, foldhash::fast::RandomState>;

/// A schema node after its `$ref`s: the schema, the name of the last definition on the way, and
/// the JSON types it accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Facts<'a> {
    resolved: &'a Value,
    name: Option<&'a str>,
    types: Types,
    /// The resolved schema's `anyOf` (else `oneOf`) branches, and its `items`.
    branches: Option<&'a Vec<Value>>,
    items: Option<&'a Value>,
}

/// What a map of the format allows.
struct MapSchema<'a> {
    properties: Option<&'a serde_json::Map<String, Value>>,
    additional: Option<&'a Value>,
    required: Vec<&'a str>,
    /// A map of texts by language (`propertyNames`).
    language_map: bool,
    /// Its keys, shared by every entry of every such map rather than copied for each.
    keys: Rc<[&'a str]>,
}

/// A map being checked ([`Checker::map`]): its node and entries, its definition, and its noun.
struct MapRead<'a, 'n> {
    node: &'n Node,
    entries: &'n [(Node, Node)],
    schema: Rc<MapSchema<'a>>,
    name: Option<&'a str>,
    what: &'a str,
}

/// What became of a map's entry ([`Checker::map_entry`]).
enum EntryRead<'n> {
    /// Its value is checked and kept.
    Present(&'n str),
    /// Its value was wrong and is blanked; the key stays, as an optional value left out.
    Blanked,
    /// It is dropped from the text (reported): a wrong key, or a wrong value of a key that may
    /// not be empty; `required` when the map needs that key.
    Removed { required: bool },
}

/// A set of JSON Schema types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Types(u8);

impl Types {
    const STRING: u8 = 1;
    const NUMBER: u8 = 1 << 1;
    const BOOLEAN: u8 = 1 << 2;
    const INTEGER: u8 = 1 << 3;
    const ARRAY: u8 = 1 << 4;
    const OBJECT: u8 = 1 << 5;
    const NULL: u8 = 1 << 6;
    /// A type name JSON Schema does not have.
    const OTHER: u8 = 1 << 7;

    fn of<'x>(names: impl IntoIterator<Item = &'x str>) -> Types {
        Types(
            names
                .into_iter()
                .fold(0, |bits, name| bits | Types::bit(name)),
        )
    }

    fn bit(name: &str) -> u8 {
        match name {
            "string" => Types::STRING,
            "number" => Types::NUMBER,
            "boolean" => Types::BOOLEAN,
            "integer" => Types::INTEGER,
            "array" => Types::ARRAY,
            "object" => Types::OBJECT,
            "null" => Types::NULL,
            _ => Types::OTHER,
        }
    }

    fn has(self, bits: u8) -> bool {
        self.0 & bits != 0
    }
}

impl<'a> Checker<'a> {
    fn error(&mut self, at: Pos, message: String, hint: String) {
        self.checked.troubled.insert(self.top.clone());
        self.checked
            .diagnostics
            .push(Diagnostic::error(self.path, at.span(), message).with_hint(hint));
    }

    fn warning(&mut self, at: Pos, message: String, hint: String) {
        self.checked
            .diagnostics
            .push(Diagnostic::warning(self.path, at.span(), message).with_hint(hint));
    }

    fn blank(&mut self, range: Range<usize>) {
        let end = range.end.min(self.text.len());
        if range.start < end {
            self.masks.push((range.start..end, None));
        }
    }

    /// Writes `text` over the file at byte `at`, where that leaves every line where it was: never
    /// over a line break (a value left empty at the end of a line, after a comment) nor through a
    /// character. Where it cannot, nothing is written, and the value stays as it was.
    fn write_at(&mut self, at: usize, text: &'static str) {
        let end = at + text.len();
        let fits = end <= self.text.len()
            && self.text.is_char_boundary(at)
            && self.text.is_char_boundary(end)
            && !self.text[at..end].contains(['\n', '\r']);
        if fits {
            self.masks.push((at..end, Some(text)));
        }
    }

    /// [`Facts`] of `schema`, worked out on first asking.
    fn facts(&self, schema: &'a Value) -> Facts<'a> {
        let key: *const Value = schema;
        if let Some(facts) = self.facts.borrow().get(&key) {
            return *facts;
        }
        let (resolved, name) = self.resolve_uncached(schema);
        let facts = Facts {
            resolved,
            name,
            types: Types::of(self.types_uncached(schema)),
            branches: resolved
                .get("anyOf")
                .or_else(|| resolved.get("oneOf"))
                .and_then(Value::as_array),
            items: resolved.get("items"),
        };
        self.facts.borrow_mut().insert(key, facts);
        facts
    }

    /// `$ref`s followed: the schema and the name of the last definition on the way.
    fn resolve(&self, schema: &'a Value) -> (&'a Value, Option<&'a str>) {
        let facts = self.facts(schema);
        (facts.resolved, facts.name)
    }

    /// The JSON types a schema accepts (after `$ref`, through `anyOf`).
    fn types(&self, schema: &'a Value) -> Types {
        self.facts(schema).types
    }

    /// [`Self::resolve`], worked out.
    fn resolve_uncached(&self, mut schema: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut name = None;
        for _ in 0..16 {
            // A `$ref` with a description beside it is written `allOf: [{$ref}]` in draft 7.
            if let Some([only]) = schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                schema = only;
                continue;
            }
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let def = reference.rsplit('/').next().unwrap_or_default();
            let Some(target) = self
                .root
                .get("definitions")
                .or_else(|| self.root.get("$defs"))
                .and_then(|d| d.get(def))
            else {
                break;
            };
            name = self
                .root
                .get("definitions")
                .or_else(|| self.root.get("$defs"))
                .and_then(|d| d.as_object())
                .and_then(|d| d.get_key_value(def))
                .map(|(k, _)| k.as_str());
            schema = target;
        }
        (schema, name)
    }

    /// [`Self::types`], worked out, as names.
    fn types_uncached(&self, schema: &'a Value) -> Vec<&'a str> {
        let (schema, _) = self.resolve_uncached(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            return branches
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|b| self.types_uncached(b))
                .collect();
        }
        match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ if schema.get("properties").is_some() => vec!["object"],
            _ if schema.get("items").is_some() => vec!["array"],
            // `{}`: anything.
            _ => vec![
                "string", "number", "boolean", "integer", "array", "object", "null",
            ],
        }
    }

    fn accepts(&self, schema: &'a Value, node: &Node) -> bool {
        let types = self.types(schema);
        match node.type_name() {
            "scalar" => types.has(Types::STRING | Types::NUMBER | Types::INTEGER | Types::BOOLEAN),
            other => types.has(Types::bit(other)),
        }
    }

    /// What a schema asks for, in words.
    fn noun(&self, schema: &'a Value) -> String {
        let (resolved, name) = self.resolve(schema);
        if let Some(noun) = name.and_then(crate::schema::noun) {
            return noun.to_owned();
        }
        if let Some(branches) = resolved.get("anyOf").and_then(Value::as_array) {
            let nouns: Vec<String> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .map(|b| self.noun(b))
                .collect();
            return nouns.join(", or ");
        }
        let types = self.types(resolved);
        if types.has(Types::ARRAY) {
            "a list".into()
        } else if types.has(Types::OBJECT) {
            "a map of `key: value` pairs".into()
        } else if let Some(values) = resolved.get("enum").and_then(Value::as_array) {
            let words: Vec<String> = values
                .iter()
                .filter_map(Value::as_str)
                .map(|w| format!("`{w}`"))
                .collect();
            format!("one of {}", words.join(", "))
        } else if types.has(Types::STRING) {
            "a text".into()
        } else if types.has(Types::BOOLEAN) {
            "`true` or `false`".into()
        } else if types.has(Types::INTEGER) {
            "a whole number".into()
        } else {
            "a number".into()
        }
    }

    /// Checks `node` against `schema`; false when it is unusable and its parent must drop it.
    fn node<'n>(
        &mut self,
        node: &'n Node,
        schema: &'a Value,
        outers: &mut Vec<Outer<'a, 'n>>,
        ctx: &Ctx<'n>,
    ) -> bool {
        let facts = self.facts(schema);
        let (schema, name) = (facts.resolved, facts.name);
        // Copied only where a text starts, not at every node.
        let text_ctx;
        let ctx = if matches!(name, Some("Text" | "Translation")) && !ctx.in_text {
            text_ctx = Ctx {
                in_text: true,
                ..ctx.clone()
            };
            &text_ctx
        } else {
            ctx
        };
        if matches!(node.kind, NodeKind::Alias) {
            return true;
        }
        if let Some(branches) = facts.branches {
            if matches!(node.kind, NodeKind::Null) && self.types(schema).has(Types::NULL) {
                return true;
            }
            let branch = branches.iter().find(|b| {
                self.types(b).has(Types::NULL) == matches!(node.kind, NodeKind::Null)
                    && self.accepts(b, node)
            });
            return match branch {
                Some(branch) => self.node(node, branch, outers, ctx),
                None => {
                    self.wrong_type(node, schema, ctx);
                    false
                }
            };
        }
        if !self.accepts(schema, node) {
            if matches!(node.kind, NodeKind::Null) {
                // An empty value where one is needed.
            }
            self.wrong_type(node, schema, ctx);
            return false;
        }
        match &node.kind {
            NodeKind::Map(entries) => self.map(node, entries, schema, name, outers, ctx),
            NodeKind::Seq(items) => {
                let Some(item_schema) = facts.items else {
                    return true;
                };
                let mut ok = true;
                for item in items {
                    if !self.node(
                        item,
                        item_schema,
                        outers,
                        &Ctx {
                            in_text: ctx.in_text,
                            key: None,
                        },
                    ) {
                        let (resolved, _) = self.resolve(item_schema);
                        let required = resolved
                            .get("required")
                            .and_then(Value::as_array)
                            .is_some_and(|r| !r.is_empty());
                        if self.types(item_schema).has(Types::OBJECT) && !required && !item.flow {
                            // An item that must be a map: an empty one keeps the list's numbering.
                            self.checked.suppress.insert(item.start.span());
                            self.blank(item.start.byte..item.end.byte);
                            self.write_at(item.start.byte, "{}");
                        } else {
                            ok = false;
                        }
                    }
                }
                ok
            }
            NodeKind::Scalar { value, .. } => {
                self.scalar(node, ctx);
                self.boolean_ok(node, value, schema, ctx)
            }
            NodeKind::Null | NodeKind::Alias => true,
        }
    }

    /// A value that must be `true` or `false` (`mobile:`): YAML 1.1's `yes`, `on`, `1` are refused
    /// here with the words to write, rather than by serde without a hint.
    fn boolean_ok(&mut self, node: &Node, value: &str, schema: &'a Value, ctx: &Ctx) -> bool {
        let types = self.types(schema);
        let only_boolean = types.has(Types::BOOLEAN) && !types.has(!(Types::BOOLEAN | Types::NULL));
        if !only_boolean || matches!(value, "true" | "false") {
            return true;
        }
        let key = ctx.key.map_or("the value", |(k, _)| k);
        self.error(
            node.start,
            format!("`{key}` is `true` or `false`, not `{value}`"),
            format!("write `{key}: true` or `{key}: false`"),
        );
        false
    }

    /// A text's pitfalls: a tag or an anchor that took its first word, a comment that cut it.
    fn scalar(&mut self, node: &Node, ctx: &Ctx) {
        let NodeKind::Scalar {
            value,
            plain,
            anchored,
            tag,
        } = &node.kind
        else {
            return;
        };
        let key = ctx.key.map_or("", |(k, _)| k);
        if let Some(tag) = tag {
            self.error(
                node.start,
                format!("YAML reads `{tag}` at the start of this value as a tag, and leaves it out of the text"),
                format!("put the text in quotes: `{}`", suggestion(key, &format!("{tag} {value}"))),
            );
        }
        if *anchored && ctx.in_text {
            self.warning(
                node.start,
                "YAML reads the word after `&` at the start of this text as an anchor name, and leaves it out of the text".into(),
                format!("if `&…` belongs to the text, put the text in quotes: `{}`", suggestion(key, value)),
            );
        }
        if *plain && ctx.in_text {
            self.comment_cut(node, key, value);
        }
    }

    /// ` #` inside a plain text starts a comment: the rest of the line is lost. A comment written as
    /// one (two spaces, then `# `) is left alone.
    fn comment_cut(&mut self, node: &Node, key: &str, value: &str) {
        let Some(comment) = self.comments.get(&node.end.line) else {
            return;
        };
        if comment.start.byte < node.end.byte {
            return;
        }
        let gap = &self.text[node.end.byte..comment.start.byte];
        if gap.chars().count() >= 2 && comment.text.starts_with(' ') {
            return;
        }
        let cut = format!("#{}", comment.text.trim_end());
        let comment_start = comment.start;
        self.warning(
            comment_start,
            format!("the text ends before `{cut}`: YAML reads ` #` as the start of a comment"),
            format!(
                "to keep `{cut}` in the text, put the text in quotes: `{}` (a comment after a text takes two spaces before `# `)",
                suggestion(key, &format!("{value}{gap}{cut}"))
            ),
        );
    }

    /// For a text written where a map is expected, the map it belongs in when the text says which
    /// key it is: an address for a map with `url` (`video: https://…` → `video: {title: …, url:
    /// https://…}`), a file's path for one with `src`. The map's `title`, where it has one, first.
    fn text_as_map(&self, node: &Node, schema: &'a Value, key: Option<&str>) -> Option<String> {
        let NodeKind::Scalar { value, .. } = &node.kind else {
            return None;
        };
        let value = value.trim();
        let is_address = value.starts_with("https://") || value.starts_with("http://");
        let is_path = !is_address
            && !value.contains(char::is_whitespace)
            && value.rsplit_once('.').is_some_and(|(stem, ext)| {
                !stem.is_empty()
                    && (1..=4).contains(&ext.len())
                    && ext.chars().all(char::is_alphanumeric)
            });
        let wanted = match (is_address, is_path) {
            (true, _) => "url",
            (_, true) => "src",
            _ => return None,
        };
        let properties = self.map_properties_with(schema, wanted)?;
        let title = if properties.contains_key("title") {
            "title: …, "
        } else {
            ""
        };
        Some(format!(
            "`{}: {{{title}{wanted}: {value}}}`",
            key.unwrap_or("…")
        ))
    }

    /// The properties of the map form of `schema` (itself, or a branch of its `anyOf`) that has
    /// the property `wanted`.
    fn map_properties_with(
        &self,
        schema: &'a Value,
        wanted: &str,
    ) -> Option<&'a serde_json::Map<String, Value>> {
        let (resolved, _) = self.resolve(schema);
        if let Some(properties) = resolved.get("properties").and_then(Value::as_object)
            && properties.contains_key(wanted)
        {
            return Some(properties);
        }
        let branches = resolved.get("anyOf").and_then(Value::as_array)?;
        branches
            .iter()
            .find_map(|b| self.map_properties_with(b, wanted))
    }

    fn wrong_type(&mut self, node: &Node, schema: &'a Value, ctx: &Ctx) {
        let key = ctx.key.map(|(k, _)| k);
        let first = self.text[node.start.byte..].chars().next().unwrap_or(' ');
        if (ctx.in_text || self.noun(schema) == "a text")
            && let (true, Some(indicator)) =
                (node.flow, ['[', '{'].into_iter().find(|c| *c == first))
        {
            {
                let raw = raw_value(self.text, node.start.byte);
                let reads = if indicator == '[' { "a list" } else { "a map" };
                self.error(
                    node.start,
                    format!(
                        "YAML reads a value starting with `{indicator}` as {reads}, not as text"
                    ),
                    format!(
                        "put the text in quotes: `{}`",
                        suggestion(key.unwrap_or(""), raw)
                    ),
                );
                return;
            }
        }
        if matches!(node.kind, NodeKind::Null) {
            let (message, hint) = match key {
                Some(k) => (
                    format!("`{k}` has no value"),
                    format!(
                        "write {} after `{k}:`, or remove the line",
                        self.noun(schema)
                    ),
                ),
                None => (
                    "an empty value".to_owned(),
                    format!("write {} here", self.noun(schema)),
                ),
            };
            self.error(node.start, message, hint);
            return;
        }
        let noun = self.noun(schema);
        let hint = if noun == "a list" {
            "write a list here, one `- item` per line".to_owned()
        } else if let Some(example) = self.text_as_map(node, schema, key) {
            format!("write it inside the map, under the key it is: {example}")
        } else if noun.starts_with("a map") {
            "write `key: value` pairs here, one per line, indented under the key".to_owned()
        } else {
            format!("write {noun} here")
        };
        let message = match key {
            Some(k) => format!("expected {noun} for `{k}`, found {}", node.found()),
            None => format!("expected {noun} here, found {}", node.found()),
        };
        self.error(node.start, message, hint);
    }

    fn map<'n>(
        &mut self,
        node: &'n Node,
        entries: &'n [(Node, Node)],
        schema: &'a Value,
        name: Option<&'a str>,
        outers: &mut Vec<Outer<'a, 'n>>,
        ctx: &Ctx<'n>,
    ) -> bool {
        let map = MapRead {
            node,
            entries,
            schema: self.map_schema(schema),
            name,
            what: what_of(name),
        };
        // Keys are borrowed from the tree: most maps have no mistake to name them in.
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut present: BTreeSet<&str> = BTreeSet::new();
        let mut removed = 0usize;
        let mut ok = true;
        for (index, (key_node, value)) in entries.iter().enumerate() {
            match self.map_entry(&map, index, &mut seen, outers, ctx) {
                EntryRead::Present(key) => {
                    present.insert(key);
                }
                EntryRead::Blanked => {}
                EntryRead::Removed { required } => {
                    self.remove_entry(node, key_node, value);
                    removed += 1;
                    ok &= !required;
                }
            }
        }
        for key in &map.schema.required {
            if !present.contains(*key) && !seen.contains_key(*key) {
                let what = map.what;
                self.error(
                    node.start,
                    format!("{what} has no `{key}`"),
                    format!("add `{key}:`"),
                );
                ok = false;
            }
        }
        if removed > 0 && removed == entries.len() && !node.flow && ok {
            // Every key blanked: an empty map keeps its place.
            self.write_at(node.start.byte, "{}");
        }
        ok
    }

    /// Entry `index` of a map: its key a word given once, known to the map's definition (or a
    /// misplaced key of an outer map, or a text a comma cut), its value checked.
    fn map_entry<'n>(
        &mut self,
        map: &MapRead<'a, 'n>,
        index: usize,
        seen: &mut BTreeMap<&'n str, usize>,
        outers: &mut Vec<Outer<'a, 'n>>,
        ctx: &Ctx<'n>,
    ) -> EntryRead<'n> {
        let (node, entries, what) = (map.node, map.entries, map.what);
        let (key_node, value) = &entries[index];
        let removed = EntryRead::Removed { required: false };
        let key: &str = match &key_node.kind {
            NodeKind::Scalar { value, .. } => value,
            NodeKind::Null => "",
            _ => {
                self.error(
                    key_node.start,
                    "a key must be a word, not a list or a map".into(),
                    "write `key: value`; put a text that starts with `[` or `{` in quotes".into(),
                );
                return removed;
            }
        };
        if outers.is_empty() {
            self.top = key.to_owned();
        }
        // Two keys of one name: serde would refuse the file; the second is reported and dropped.
        if let Some(first_line) = seen.get(key) {
            self.error(
                key_node.start,
                format!("`{key}` is given twice in {what}: on line {first_line} and on line {}", key_node.start.line),
                format!("a key may appear once in a map: keep one `{key}:` and remove the other (or merge their texts)"),
            );
            return removed;
        }
        seen.insert(key, key_node.start.line);
        if self.comma_cut_text(node, entries, index, key, ctx) {
            return removed;
        }
        let MapSchema {
            properties,
            additional,
            ref required,
            language_map,
            ref keys,
        } = *map.schema;
        let field = properties.and_then(|p| p.get(key));
        let field_schema: Option<&'a Value> = match (field, additional) {
            (Some(f), _) => Some(f),
            (None, Some(a)) if a.is_object() => {
                // A language map: a key of the step indented into a text is a misplaced line.
                if language_map
                    && !crate::validate::is_language_code(key)
                    && self.misplaced(key, key_node, outers)
                {
                    return removed;
                }
                Some(a)
            }
            _ => None,
        };
        let Some(field_schema) = field_schema else {
            // A key inside `{…}` is where its author put it: an unknown key, not a misindented one.
            if node.flow || !self.misplaced(key, key_node, outers) {
                let hint =
                    self.unknown_key_hint(map.name, (key, key_node, value), &map.schema, entries);
                self.error(key_node.start, format!("unknown key `{key}`"), hint);
            }
            return removed;
        };
        outers.push(Outer {
            keys: Rc::clone(keys),
            entries,
            what,
            start: node.start,
            via: Some((leak_key(properties, key), key_node.start)),
        });
        let child_ctx = Ctx {
            in_text: ctx.in_text,
            key: Some((key, key_node.start)),
        };
        let value_ok = self.node(value, field_schema, outers, &child_ctx);
        outers.pop();
        if value_ok {
            return EntryRead::Present(key);
        }
        if self.types(field_schema).has(Types::NULL) {
            // The key stays, empty: an optional value left out.
            self.checked.suppress.insert(node.start.span());
            if value.start.byte < value.end.byte {
                self.blank(value.start.byte..value.end.byte);
            }
            return EntryRead::Blanked;
        }
        EntryRead::Removed {
            required: required.contains(&key),
        }
    }

    /// Whether entry `index` of a `{…}` in a text is what a comma cut off the text before it
    /// (`{da: …, en: Hej, verden}`): reported, with the text in quotes as the fix.
    fn comma_cut_text(
        &mut self,
        node: &Node,
        entries: &[(Node, Node)],
        index: usize,
        key: &str,
        ctx: &Ctx,
    ) -> bool {
        let (key_node, value) = &entries[index];
        if node.flow
            && ctx.in_text
            && matches!(value.kind, NodeKind::Null)
            && value.start.byte == value.end.byte
            && index > 0
            && let (prev_key, prev_value) = &entries[index - 1]
            && let NodeKind::Scalar {
                value: prev_text,
                plain: true,
                ..
            } = &prev_value.kind
        {
            let prev_key = match &prev_key.kind {
                NodeKind::Scalar { value, .. } => value.as_str(),
                _ => "",
            };
            self.error(
                key_node.start,
                format!("the comma before `{key}` ended the `{prev_key}` text: in `{{…}}`, a comma separates entries"),
                format!("put the text in quotes: `{}`", suggestion(prev_key, &format!("{prev_text}, {key}"))),
            );
            return true;
        }
        false
    }

    /// The hint for `key`, unknown in a map of the definition `name`: what guidegen calls it (a word
    /// of other formats), the allowed key it is a slip of, or the field whose map it belongs in —
    /// each with the keys allowed here.
    fn unknown_key_hint(
        &self,
        name: Option<&str>,
        (key, key_node, value): (&str, &Node, &Node),
        map: &MapSchema<'a>,
        entries: &[(Node, Node)],
    ) -> String {
        let list = map
            .keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // The value as written, when it is all on the key's line.
        let written = (value.start.line == key_node.start.line
            && value.end.line == value.start.line)
            .then(|| &self.text[value.start.byte..value.end.byte.max(value.start.byte)]);
        if let Some(hint) = other_name(name, key, written) {
            return format!("{hint}; allowed here: {list}");
        }
        if let Some(s) = did_you_mean(key, map.keys.iter().copied()) {
            return format!("{s} (allowed here: {list})");
        }
        match self.field_with_key(key, map.properties) {
            Some((field, first)) => {
                let example = written_as_map(field, first, key, entries);
                format!(
                    "if it is the {field}'s `{key}`, it goes inside `{field}:`: {example}; allowed here: {list}"
                )
            }
            None => format!("allowed here: {list}"),
        }
    }

    /// What the map `schema` (resolved) allows, worked out on first asking.
    fn map_schema(&self, schema: &'a Value) -> Rc<MapSchema<'a>> {
        let key: *const Value = schema;
        if let Some(map) = self.maps.borrow().get(&key) {
            return Rc::clone(map);
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        let map = Rc::new(MapSchema {
            properties,
            additional: schema.get("additionalProperties"),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
            language_map: schema.get("propertyNames").is_some(),
            keys: properties
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default(),
        });
        self.maps.borrow_mut().insert(key, Rc::clone(&map));
        map
    }

    /// The field of `properties` that, written as a map, has the key `key` (a screenshot's `alt`
    /// written beside `screenshot:` instead of inside it), and that map's first required key.
    fn field_with_key(
        &self,
        key: &str,
        properties: Option<&'a serde_json::Map<String, Value>>,
    ) -> Option<(&'a str, Option<&'a str>)> {
        properties?.iter().find_map(|(field, schema)| {
            let map = self.map_form_with_key(key, schema, 3)?;
            Some((field.as_str(), map.required.first().copied()))
        })
    }

    /// The map form of `schema` (through `anyOf` branches, `depth` deep) that has the key `key`.
    fn map_form_with_key(
        &self,
        key: &str,
        schema: &'a Value,
        depth: usize,
    ) -> Option<Rc<MapSchema<'a>>> {
        let facts = self.facts(schema);
        let map = self.map_schema(facts.resolved);
        if map.properties.is_some_and(|p| p.contains_key(key)) {
            return Some(map);
        }
        let mut branches = facts.branches.filter(|_| depth > 0).into_iter().flatten();
        branches.find_map(|branch| self.map_form_with_key(key, branch, depth - 1))
    }

    /// Drops a key and its value (and, in `{…}`, the comma after them).
    fn remove_entry(&mut self, map: &Node, key: &Node, value: &Node) {
        self.checked.suppress.insert(map.start.span());
        let mut end = value.end.byte.max(key.end.byte);
        if map.flow {
            let rest = &self.text[end..];
            let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[skipped..].starts_with(',') {
                end += skipped + 1;
            }
        }
        self.blank(key.start.byte..end);
    }

    /// A key of an enclosing map written inside another key's value: an indentation mistake, said so.
    fn misplaced(&mut self, key: &str, key_node: &Node, outers: &[Outer<'a, '_>]) -> bool {
        for outer in outers.iter().rev() {
            if !outer.keys.contains(&key) {
                continue;
            }
            // Moved out, it would be that map's second `key:`: not where it was meant to go.
            if value_of(outer.entries, key).is_some() {
                continue;
            }
            let Some((via, via_at)) = outer.via else {
                continue;
            };
            if via == key {
                continue;
            }
            self.error(
                key_node.start,
                format!(
                    "`{key}:` is indented as part of `{via}` (line {}), but `{key}` is a key of {}",
                    via_at.line, outer.what
                ),
                format!(
                    "move `{key}:` left to column {}, under `{via}:`",
                    via_at.column
                ),
            );
            let _ = outer.start;
            return true;
        }
        false
    }
}

/// The value of `key` among a map's `entries`, when it is written there.
fn value_of<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find_map(|(k, v)| match &k.kind {
        NodeKind::Scalar { value, .. } if value == key => Some(v),
        _ => None,
    })
}

/// How `field` is written with `key` inside it, with `field`'s value of `entries` (a plain one) in
/// the map's first required key: `` `screenshot: {src: shots/login.png, alt: …}` ``.
fn written_as_map(field: &str, first: Option<&str>, key: &str, entries: &[(Node, Node)]) -> String {
    let value = value_of(entries, field).and_then(|v| match &v.kind {
        NodeKind::Scalar { value, .. } => Some(value.as_str()),
        _ => None,
    });
    match first {
        Some(first) if first != key => {
            format!("`{field}: {{{first}: {}, {key}: …}}`", value.unwrap_or("…"))
        }
        _ => format!("`{field}: {{{key}: …}}`"),
    }
}

/// A property name as a `'static`-free borrow of the schema (the key of the checked text may be any
/// word; the schema's own name is used when there is one).
fn leak_key<'a>(properties: Option<&'a serde_json::Map<String, Value>>, key: &str) -> &'a str {
    properties
        .and_then(|p| p.get_key_value(key))
        .map(|(k, _)| k.as_str())
        .unwrap_or("")
}

/// Keys that other formats for guides and how-tos use, in the maps where authors write them, and
/// what guidegen calls the same thing: a key no edit distance would lead to (`image` for
/// `screenshot`), or one that names something guidegen has elsewhere (a step's `title`).
struct OtherName {
    /// The schema's definitions of the maps where the key is met.
    maps: &'static [&'static str],
    keys: &'static [&'static str],
    hint: &'static str,
    /// The key that takes the same value, where it does: the hint's example is then the author's
    /// own value under it (`screenshot: shots/wifi.png`), else this example.
    becomes: Option<(&'static str, &'static str)>,
}

const STEP_MAPS: &[&str] = &["StepInput", "VariantInput"];

const OTHER_NAMES: &[OtherName] = &[
    OtherName {
        maps: STEP_MAPS,
        keys: &["title", "heading", "header", "name"],
        hint: "a step has no title: its `action` is what the reader reads first (write what to click \
               in **bold**); to put steps under a heading, group them in sections: \
               `sections: [{title: …, steps: […]}]`",
        becomes: None,
    },
    OtherName {
        maps: STEP_MAPS,
        keys: &["image", "img", "picture", "photo", "shot", "screen"],
        hint: "a step's picture is its `screenshot`",
        becomes: Some(("screenshot", "shots/step-1.png")),
    },
    OtherName {
        maps: STEP_MAPS,
        keys: &[
            "text",
            "description",
            "instruction",
            "instructions",
            "body",
            "content",
        ],
        hint: "what a step tells the reader to do is its `action`",
        becomes: Some(("action", "Open the app.")),
    },
    OtherName {
        maps: STEP_MAPS,
        keys: &["expected", "outcome"],
        hint: "what the reader sees after a step is its `result`",
        becomes: Some(("result", "The app asks for a code.")),
    },
    OtherName {
        maps: &["SectionInput"],
        keys: &["heading", "header", "name"],
        hint: "a section's heading is its `title`",
        becomes: Some(("title", "Install the app")),
    },
];

/// What [`OTHER_NAMES`] says of `key` in a map of the definition `map`; `written` is the value as
/// the author wrote it after `key:`, when it is on that line.
fn other_name(map: Option<&str>, key: &str, written: Option<&str>) -> Option<String> {
    let map = map?;
    let other = OTHER_NAMES
        .iter()
        .find(|o| o.maps.contains(&map) && o.keys.contains(&key))?;
    Some(match other.becomes {
        Some((key, example)) => {
            let value = written
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.chars().count() <= 60);
            format!("{}: `{key}: {}`", other.hint, value.unwrap_or(example))
        }
        None => other.hint.to_owned(),
    })
}

/// How messages name a map of the format.
fn what_of(name: Option<&str>) -> &'static str {
    match name {
        Some("StepInput") => "the step",
        Some("VariantInput") => "the variant",
        Some("SectionInput") => "the section",
        Some("AppInput") => "the app",
        Some("DeviceInput") => "the device",
        Some("ScreenshotFull") => "the screenshot",
        Some("Translation") => "the translation",
        Some("PdfInput") => "`pdf`",
        Some("TranslationInput") => "`translation`",
        Some("Text") => "the text",
        _ => "the file",
    }
}

/// `key: "text"`, the text shortened to a line.
fn suggestion(key: &str, text: &str) -> String {
    let text = text.trim();
    let short: String = text.chars().take(48).collect();
    let short = if text.chars().count() > 48 {
        format!("{short}…")
    } else {
        short
    };
    let quoted = format!("\"{}\"", short.replace('\\', "\\\\").replace('"', "\\\""));
    if key.is_empty() {
        quoted
    } else {
        format!("{key}: {quoted}")
    }
}

/// The rest of the line from `byte`.
fn raw_value(text: &str, byte: usize) -> &str {
    let rest = &text[byte.min(text.len())..];
    rest.split(['\n', '\r']).next().unwrap_or(rest)
}

/// A line of the file split as YAML authors write it: indentation, `- ` markers, `key:`, value.
struct Line<'t> {
    indent: usize,
    /// Column (0-based, in characters) of the first `-`, if the line starts an item.
    dash: Option<usize>,
    /// The key and its column (0-based).
    key: Option<(&'t str, usize)>,
    /// The value after `key: ` (or after `- `), and its column.
    value: Option<(&'t str, usize)>,
}

fn split_line(line: &str) -> Line<'_> {
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let mut rest = &line[indent..];
    let mut column = indent;
    let mut dash = None;
    while let Some(after) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        dash.get_or_insert(column);
        let skipped = after.len() - after.trim_start_matches(' ').len();
        column += 2 + skipped;
        rest = &after[skipped..];
    }
    let quoted_key = rest.starts_with(['"', '\'']);
    let key_end = if quoted_key {
        None
    } else {
        rest.find(": ")
            .or_else(|| rest.strip_suffix(':').map(str::len))
    };
    match key_end {
        Some(end)
            if !rest[..end].contains(['{', '[', '#'])
                || rest.starts_with(|c: char| c.is_alphanumeric()) =>
        {
            let key = &rest[..end];
            let after = &rest[(end + 1).min(rest.len())..];
            let skipped = after.len() - after.trim_start_matches(' ').len();
            let value = &after[skipped..];
            let value_column = column + key.chars().count() + 1 + skipped;
            Line {
                indent,
                dash,
                key: Some((key, column)),
                value: (!value.is_empty()).then_some((value, value_column)),
            }
        }
        _ => Line {
            indent,
            dash,
            key: None,
            value: (!rest.is_empty()).then_some((rest, column)),
        },
    }
}

fn line_of(text: &str, line: usize) -> &str {
    crate::diagnostic::yaml_lines(text)
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or("")
}

fn budget_diagnostic(path: &Path, at: Span) -> Diagnostic {
    Diagnostic::error(
        path,
        at,
        "this YAML is too large, too deeply nested or has too many aliases for a guide",
    )
    .with_hint("guides need neither deep nesting nor many aliases (`*name`): write the values out")
}

/// The characters YAML reads specially at the start of a value.
const INDICATORS: &[char] = &['*', '&', '!', '`', '@', '%', '|', '>', '[', '{'];

/// A syntax error in plain words, with the fix: the pitfalls of texts first (`: `, a special first
/// character, a tab), then indentation, then the rest.
pub fn syntax_diagnostic(path: &Path, text: &str, err: &ScanError) -> Diagnostic {
    let line_no = err.marker().line().max(1);
    let e = SyntaxError {
        path,
        text,
        kind: err.kind(),
        line_no,
        line: line_of(text, line_no),
        col: err.marker().col(),
    };
    tab(&e)
        .or_else(|| special_first_character(&e))
        .or_else(|| special_first_character_in_flow(&e))
        .or_else(|| bracket_in_flow_text(&e))
        .or_else(|| colon_in_text(&e))
        .or_else(|| unclosed_or_escape(&e))
        .or_else(|| flow_left_open(&e))
        .or_else(|| indentation_diagnostic(path, text, line_no))
        .unwrap_or_else(|| {
            Diagnostic::error(path, e.at(e.col), "YAML cannot read this line")
                .with_hint("check its indentation against the lines above, and put texts that contain `: ` or ` #`, or start with a special character, in quotes")
        })
}

/// Where the YAML parser stopped, and why: what each reading of [`syntax_diagnostic`] looks at.
struct SyntaxError<'a> {
    path: &'a Path,
    text: &'a str,
    kind: &'a ErrorKind,
    /// The line, from 1, and its text.
    line_no: usize,
    line: &'a str,
    /// The column, from 0.
    col: usize,
}

impl SyntaxError<'_> {
    /// Column `column` (from 0) of the line.
    fn at(&self, column: usize) -> Span {
        Span::new(self.line_no, column + 1)
    }
}

/// A tab in the indentation, on the line or the one before it.
fn tab(e: &SyntaxError) -> Option<Diagnostic> {
    let line = e.line;
    let tab_error = matches!(
        e.kind,
        ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabNotAllowed
            | ErrorKind::TabInPlainScalar
            | ErrorKind::TabAtBlockScalarStart
    );
    let indented_with_tab =
        line.contains('\t') && line[..line.find('\t').unwrap_or(0)].trim().is_empty();
    if !(tab_error || indented_with_tab) {
        return None;
    }
    let (tab_line, tab_text) = if line.contains('\t') {
        (e.line_no, line)
    } else {
        let before = e.line_no.saturating_sub(1).max(1);
        (before, line_of(e.text, before))
    };
    let column = tab_text.chars().take_while(|c| *c != '\t').count() + 1;
    Some(Diagnostic::error(e.path, Span::new(tab_line, column), "a tab here: YAML indents with spaces only, never tabs")
        .with_hint("replace the tab (shown as `→`) with spaces; most editors can be set to insert spaces for Tab in .yaml files"))
}

/// A value (on the line, or on the one before a blank one) that starts with a character YAML reads
/// specially: `*bold*`, `&`, `!`, `|`, `[link](…) more`, a backquote.
fn special_first_character(e: &SyntaxError) -> Option<Diagnostic> {
    let candidates = [e.line_no, e.line_no.saturating_sub(1)];
    for candidate in candidates.into_iter().filter(|l| *l >= 1) {
        let text_line = line_of(e.text, candidate);
        let split = split_line(text_line);
        if let Some((value, column)) = split.value
            && let Some(first) = value.chars().next()
            && INDICATORS.contains(&first)
            && (candidate == e.line_no && column <= e.col
                || candidate != e.line_no && e.line.trim().is_empty())
            && !(first == '{' || first == '[') | looks_like_text_after_flow(value)
        {
            let key = split.key.map_or("", |(k, _)| k);
            let reads = match first {
                '*' => "as a reference to an anchor (`*name`), not as text".to_owned(),
                '&' => "as an anchor name (`&name`), not as text".to_owned(),
                '!' => "as a tag (`!name`), not as text".to_owned(),
                '|' | '>' => "as the start of a block of text on the lines below".to_owned(),
                '[' => "as a list".to_owned(),
                '{' => "as a map".to_owned(),
                c => format!("as reserved: a value may not start with `{c}` unquoted"),
            };
            let message = match first {
                '`' | '@' | '%' => {
                    format!("YAML does not allow a value to start with `{first}` unquoted")
                }
                _ => format!("YAML reads a value starting with `{first}` {reads}"),
            };
            let mut hint = format!("put the text in quotes: `{}`", suggestion(key, value));
            if first == '|' || first == '>' {
                hint.push_str(&format!(
                    " (or write `{key}: {first}` and the text on the next lines, indented)"
                ));
            }
            return Some(
                Diagnostic::error(e.path, Span::new(candidate, column + 1), message)
                    .with_hint(hint),
            );
        }
    }
    None
}

/// A value inside `{…}` or `[…]` on the line that starts with such a character: `en: [x](y) more`,
/// `{da: *fed*}`.
fn special_first_character_in_flow(e: &SyntaxError) -> Option<Diagnostic> {
    let chars: Vec<char> = e.line.chars().collect();
    for i in 0..chars.len().saturating_sub(2) {
        let opens_value = (chars[i] == ':' || chars[i] == ',') && chars[i + 1] == ' ';
        let first = chars[i + 2];
        if opens_value && i + 2 <= e.col && INDICATORS.contains(&first) && first != '{' {
            let before: String = chars[..i].iter().collect();
            let key = before
                .rsplit(['{', ',', ' '])
                .next()
                .unwrap_or_default()
                .to_owned();
            let rest: String = chars[i + 2..].iter().collect();
            let value = rest.split([',', '}']).next().unwrap_or(&rest);
            return Some(
                Diagnostic::error(
                    e.path,
                    e.at(i + 2),
                    format!("YAML reads a value starting with `{first}` specially, not as text"),
                )
                .with_hint(format!(
                    "put the text in quotes: `{}`",
                    suggestion(&key, value)
                )),
            );
        }
    }
    None
}

/// A `{` or `[` inside a text written in `{…}`: `{da: Ring til {{helpdesk}}, en: …}`. In `{…}` YAML
/// reads it as the start of a map or a list, and stops.
fn bracket_in_flow_text(e: &SyntaxError) -> Option<Diagnostic> {
    let chars: Vec<char> = e.line.chars().collect();
    let bracket = *chars.get(e.col)?;
    if !matches!(bracket, '{' | '[') {
        return None;
    }
    let before: String = chars[..e.col].iter().collect();
    // The text it is in starts after the last `: ` before it, inside a `{` opened before that.
    let value_start = before.rfind(": ")? + 2;
    let written = &before[value_start..];
    // A text: not empty, not a collection, not quoted, in one entry.
    if written.trim().is_empty()
        || written.trim_start().starts_with(['{', '['])
        || written.contains([',', '"', '\''])
    {
        return None;
    }
    let key_part = &before[..value_start - 2];
    if !key_part.contains('{') {
        return None;
    }
    let key = key_part.rsplit(['{', ',', ' ']).next().unwrap_or_default();
    if !next_is_key(&format!("{key}:")) {
        return None;
    }
    // The whole text: up to the next `, key:` of the map, or to the map's closing `}`.
    let rest: String = chars[e.col..].iter().collect();
    let next_entry = rest
        .match_indices(", ")
        .map(|(i, _)| i)
        .find(|&i| next_is_key(&rest[i + 2..]));
    let end = next_entry.or_else(|| rest.rfind('}')).unwrap_or(rest.len());
    let value = format!("{written}{}", &rest[..end]);
    let mut hint = format!(
        "put the text in quotes: `{}`",
        suggestion(key, value.trim())
    );
    if rest.starts_with("{{") {
        hint.push_str("; a variable is written `((name))`, which needs no quotes");
    }
    Some(
        Diagnostic::error(
            e.path,
            e.at(e.col),
            format!(
                "a `{bracket}` inside a text in `{{…}}`: YAML reads it as the start of a {}",
                if bracket == '{' { "map" } else { "list" }
            ),
        )
        .with_hint(hint),
    )
}

/// Whether `text` starts with a key and its colon (`en: …`).
fn next_is_key(text: &str) -> bool {
    text.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
}

/// `: ` inside a text, which YAML reads as another key.
fn colon_in_text(e: &SyntaxError) -> Option<Diagnostic> {
    if !matches!(e.kind, ErrorKind::MappingValueNotAllowed) {
        return None;
    }
    let split = split_line(e.line);
    let (Some((key, _)), Some((value, value_column))) = (split.key, split.value) else {
        return None;
    };
    if value_column > e.col {
        return None;
    }
    let colon = value
        .find(':')
        .map_or(e.col, |i| value_column + value[..i].chars().count());
    let word: String = value
        .chars()
        .take(value[..value.find(':').unwrap_or(0)].chars().count())
        .collect();
    Some(
        Diagnostic::error(
            e.path,
            e.at(colon),
            format!(
                "the text has `: ` after `{word}`, which YAML reads as the start of another key"
            ),
        )
        .with_hint(format!(
            "put the text in quotes: `{}`",
            suggestion(key, value)
        )),
    )
}

/// An unclosed quote or bracket, an escape YAML does not know, a `*` read as an anchor.
fn unclosed_or_escape(e: &SyntaxError) -> Option<Diagnostic> {
    let at = e.at(e.col);
    let diagnostic = match e.kind {
        ErrorKind::UnclosedQuotedScalar => {
            Diagnostic::error(e.path, at, "a quoted text is not closed")
                .with_hint("end the text with the quote it starts with; inside \"…\" write `\\\"` for a quote, inside '…' write `''`")
        }
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidUnicodeEscape => {
            Diagnostic::error(e.path, at, "a backslash in a \"…\" text starts an escape YAML does not know")
                .with_hint("write `\\\\` for a backslash, or put the text in single quotes '…', where a backslash is just a backslash")
        }
        ErrorKind::UnclosedFlowCollection { open }
        | ErrorKind::MismatchedFlowCollectionEnd { open, .. } => {
            let close = if *open == '[' { ']' } else { '}' };
            Diagnostic::error(e.path, at, format!("a `{open}` is not closed with `{close}`"))
                .with_hint(format!("close it with `{close}`; if it is a text that starts with `{open}`, put the text in quotes"))
        }
        ErrorKind::UnknownAnchor => {
            Diagnostic::error(e.path, at, "YAML reads a value starting with `*` as a reference to an anchor (`*name`), not as text")
                .with_hint("put the text in quotes")
        }
        _ => return None,
    };
    Some(diagnostic)
}

/// A `{…}` or `[…]` left open on an earlier line: YAML reads on into the lines after it and stops
/// somewhere below, where the line itself is fine.
fn flow_left_open(e: &SyntaxError) -> Option<Diagnostic> {
    let (open_line, column, open) = unclosed_flow(e.text, e.line_no)?;
    let close = if open == '[' { ']' } else { '}' };
    let line_no = e.line_no;
    Some(
        Diagnostic::error(
            e.path,
            Span::new(open_line, column + 1),
            format!("a `{open}` is not closed with `{close}`"),
        )
        .with_hint(format!(
            "close it with `{close}` (YAML read on until line {line_no}); if it is a text that starts with `{open}`, put the text in quotes"
        )),
    )
}

/// The outermost `{` or `[` that starts a value on a line before `before_line` and is still open
/// when that line comes: (line, column from 0, the bracket). Brackets count inside an open one and
/// where a value starts, not within a plain text (`Tap [Next]`), a quoted one or a comment.
fn unclosed_flow(text: &str, before_line: usize) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    for (index, line) in crate::diagnostic::yaml_lines(text)
        .into_iter()
        .enumerate()
        .take(before_line.saturating_sub(1))
    {
        let chars: Vec<char> = line.chars().collect();
        let mut at = 0;
        if open.is_empty() && quote.is_none() {
            match split_line(line).value {
                Some((value, column)) if value.starts_with(['{', '[']) => at = column,
                _ => continue,
            }
        }
        // Whether a value may start here: a quote there opens a quoted text.
        let mut token_start = true;
        while at < chars.len() {
            let c = chars[at];
            match quote {
                Some('\'') if c == '\'' && chars.get(at + 1) == Some(&'\'') => at += 1,
                Some('"') if c == '\\' => at += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if at == 0 || chars[at - 1] == ' ' => break,
                    '{' | '[' if token_start => open.push((index + 1, at, c)),
                    '}' | ']' => {
                        open.pop();
                        if open.is_empty() {
                            break;
                        }
                    }
                    '\'' | '"' if token_start => quote = Some(c),
                    _ => {}
                },
            }
            let after_colon = at > 0 && chars[at - 1] == ':';
            token_start = quote.is_none()
                && (matches!(c, '{' | '[' | ',') || c == ' ' && (token_start || after_colon));
            at += 1;
        }
    }
    open.first().copied()
}

/// `[link](…) more` or `{x} more`: a flow collection followed by text on the line, so a text.
fn looks_like_text_after_flow(value: &str) -> bool {
    let (open, close) = match value.chars().next() {
        Some('[') => ('[', ']'),
        Some('{') => ('{', '}'),
        _ => return false,
    };
    let mut depth = 0;
    for (i, c) in value.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                let rest = value[i + 1..].trim();
                return !rest.is_empty() && !rest.starts_with('#');
            }
        }
    }
    // Never closed on this line.
    true
}

/// A line whose indentation fits nothing above it: where it seems to belong, and the column to use.
fn indentation_diagnostic(path: &Path, text: &str, error_line: usize) -> Option<Diagnostic> {
    // The line at fault: the error's line, or the next one with content.
    // Counted as YAML counts them: a lone `\r` ends a line too.
    let lines = crate::diagnostic::yaml_lines(text);
    let mut at = error_line.saturating_sub(1);
    while at < lines.len()
        && (lines[at].trim().is_empty() || lines[at].trim_start().starts_with('#'))
    {
        at += 1;
    }
    let bad = split_line(lines.get(at)?);
    let above = lines[..at]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| (i + 1, split_line(l)));
    let line_no = at + 1;
    if let Some(dash) = bad.dash {
        let (other_line, other) = above
            .filter_map(|(n, l)| l.dash.map(|d| (n, d)))
            .find(|(_, d)| *d != dash)?;
        return Some(
            Diagnostic::error(
                path,
                Span::new(line_no, dash + 1),
                format!("this `-` is at column {}, but the item above starts at column {} (line {other_line})", dash + 1, other + 1),
            )
            .with_hint(format!("line the `-` up with the one on line {other_line}: column {}", other + 1)),
        );
    }
    let (key, column) = bad.key?;
    let mut best: Option<(usize, &str, usize)> = None;
    for (n, l) in above {
        // A key above at the same column, in the same block: the indentation is not the mistake.
        if l.key.is_some_and(|(_, c)| c == column) && best.is_none_or(|(_, _, bc)| bc > column) {
            return None;
        }
        if let Some((k, c)) = l.key
            && c != column
            && best.is_none_or(|(_, _, bc)| c.abs_diff(column) < bc.abs_diff(column))
        {
            best = Some((n, k, c));
        }
        if l.indent == 0 && l.dash.is_none() {
            break;
        }
    }
    let (n, k, c) = best?;
    Some(
        Diagnostic::error(
            path,
            Span::new(line_no, column + 1),
            format!("`{key}:` is at column {}, where no key above it can go on; it seems to belong with `{k}:` (line {n}, column {})", column + 1, c + 1),
        )
        .with_hint(format!("indent `{key}:` to column {}, like `{k}:` on line {n}", c + 1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(text: &str) -> Result<Checked, Diagnostic> {
        check(
            Path::new("g.yaml"),
            text,
            crate::schema::schema(crate::schema::FileKind::Guide),
        )
    }

    #[test]
    fn a_bracket_inside_a_text_in_braces_says_to_quote_the_text() {
        let text = "title: x\nsteps:\n  - device: computer\n    action: {da: Ring til {{helpdesk}} nu, en: Call}\n";
        let d = guide(text).expect_err("a syntax error");
        assert_eq!((d.span.line, d.span.column), (4, 27), "{d:?}");
        assert_eq!(
            d.message,
            "a `{` inside a text in `{…}`: YAML reads it as the start of a map"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "put the text in quotes: `da: \"Ring til {{helpdesk}} nu\"`; a variable is written `((name))`, which needs no quotes"
            )
        );
        let text = "title: {da: Vælg [OK] nu}\n";
        let d = guide(text).expect_err("a syntax error");
        assert_eq!(
            d.message,
            "a `[` inside a text in `{…}`: YAML reads it as the start of a list"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("put the text in quotes: `da: \"Vælg [OK] nu\"`")
        );
    }

    /// Every node of a schema, depth first.
    fn schema_nodes(value: &Value) -> Vec<&Value> {
        let mut nodes = vec![value];
        match value {
            Value::Array(items) => nodes.extend(items.iter().flat_map(schema_nodes)),
            Value::Object(map) => nodes.extend(map.values().flat_map(schema_nodes)),
            _ => {}
        }
        nodes
    }

    /// The walk asks each schema node's facts of a memo: whatever order it asks in, a node gets
    /// what working it out gives, and a map what its schema says.
    #[test]
    fn remembered_schema_facts_are_the_worked_out_ones() {
        for kind in [
            crate::schema::FileKind::Guide,
            crate::schema::FileKind::Site,
        ] {
            let schema = crate::schema::schema(kind);
            let nodes = schema_nodes(schema);
            assert!(nodes.len() > 50, "{}", nodes.len());
            let checker = Checker {
                path: Path::new("g.yaml"),
                text: "",
                root: schema,
                comments: BTreeMap::new(),
                checked: Checked::default(),
                masks: Vec::new(),
                top: String::new(),
                facts: RefCell::default(),
                maps: RefCell::default(),
            };
            for node in nodes.iter().chain(nodes.iter().rev()) {
                let names = checker.types_uncached(node);
                let types = checker.types(node);
                for name in [
                    "string", "number", "boolean", "integer", "array", "object", "null",
                ] {
                    assert_eq!(types.has(Types::bit(name)), names.contains(&name), "{node}");
                }
                assert_eq!(
                    checker.resolve(node),
                    checker.resolve_uncached(node),
                    "{node}"
                );
                let (resolved, _) = checker.resolve(node);
                let facts = checker.facts(node);
                let branches = resolved
                    .get("anyOf")
                    .or_else(|| resolved.get("oneOf"))
                    .and_then(Value::as_array);
                assert_eq!(facts.branches, branches, "{node}");
                assert_eq!(facts.items, resolved.get("items"), "{node}");
                let map = checker.map_schema(resolved);
                let properties = resolved.get("properties").and_then(Value::as_object);
                assert_eq!(map.properties, properties);
                assert_eq!(map.keys.len(), properties.map_or(0, |p| p.len()));
                assert_eq!(
                    map.required.len(),
                    resolved
                        .get("required")
                        .and_then(Value::as_array)
                        .map_or(0, |r| r.len())
                );
                assert_eq!(map.language_map, resolved.get("propertyNames").is_some());
                assert_eq!(map.additional, resolved.get("additionalProperties"));
            }
            // The schemas use no other type name.
            assert!(nodes.iter().all(|n| !checker.types(n).has(Types::OTHER)));
        }
    }

    /// Found by fuzzing: a lone `\r` ends a line for YAML, so the misplaced key's line is counted
    /// with it, and the position names the key, not a column past an empty line.
    #[test]
    fn a_lone_carriage_return_counts_as_a_line_break_in_the_indentation_hint() {
        let text = "  - device: com\rputer\n\n  fr: Bonjour}";
        let lines = crate::diagnostic::yaml_lines(text);
        for d in indentation_diagnostic(Path::new("g.yaml"), text, 3).into_iter() {
            let line = lines[d.span.line - 1];
            assert!(
                line[d.span.column - 1..].starts_with("fr:"),
                "{d:?} points at {line:?}"
            );
        }
        assert_eq!(line_of(text, 2), "puter");
    }

    #[test]
    fn a_long_commented_out_part_between_a_key_and_its_value_parses() {
        // The parser holds these comments until the value comes; its default allowed 96.
        let commented: String = (0..300).map(|n| format!("  # step {n}\n")).collect();
        let text = format!("title:\n{commented}  da: Titel\n");
        let (root, comments) = tree(&text).unwrap_or_else(|_| panic!("no tree"));
        assert_eq!(comments.len(), 300);
        assert_eq!(root.type_name(), "object");
    }

    #[test]
    fn a_key_of_a_step_s_screenshot_written_beside_it_is_shown_inside_it() {
        let text = "title: x\nsteps:\n  - device: phone\n    screenshot: shots/login.png\n    alt: The login page\n";
        let checked = guide(text).unwrap();
        let [d] = &checked.diagnostics[..] else {
            panic!("{:?}", checked.diagnostics);
        };
        assert_eq!(
            (d.message.as_str(), d.span),
            ("unknown key `alt`", Span::new(5, 5))
        );
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(
            hint.starts_with("if it is the screenshot's `alt`, it goes inside `screenshot:`: `screenshot: {src: shots/login.png, alt: …}`;"),
            "{hint}"
        );
        // Without a screenshot yet, the map is shown with a gap for its file; a video's key likewise.
        let text = "title: x\nsteps:\n  - device: phone\n    poster: shots/p.png\n";
        let hint_of = |text: &str| guide(text).unwrap().diagnostics[0].hint.clone();
        let hint = hint_of(text).unwrap_or_default();
        assert!(hint.contains("`video: {poster: …}`"), "{hint}");
        // A key no part of a step has keeps the plain list.
        let text = "title: x\nsteps:\n  - device: phone\n    colour: red\n";
        let hint = hint_of(text).unwrap_or_default();
        assert!(hint.starts_with("allowed here: `action`"), "{hint}");
    }

    #[test]
    fn keys_other_formats_use_are_named_as_guidegen_calls_them() {
        // Every key of the table, in a step, a variant and a section as the table places it: its
        // hint, and the key it names is one the map has.
        for other in OTHER_NAMES {
            for map in other.maps {
                for key in other.keys {
                    let text = match *map {
                        "StepInput" => format!(
                            "title: x\nsteps:\n  - device: phone\n    action: Go.\n    {key}: y\n"
                        ),
                        "VariantInput" => format!(
                            "title: x\nsteps:\n  - device: phone\n    action: Go.\n    \
                             variants:\n      ios: {{action: Go., {key}: y}}\n"
                        ),
                        "SectionInput" => format!(
                            "title: x\nsections:\n  - {key}: y\n    steps:\n      \
                             - {{device: phone, action: Go.}}\n"
                        ),
                        other => panic!("a map the test does not write: {other}"),
                    };
                    let d = &guide(&text).unwrap().diagnostics[0];
                    let hint = d.hint.as_deref().unwrap_or_default();
                    assert_eq!(d.message, format!("unknown key `{key}`"), "{text}");
                    assert!(hint.starts_with(other.hint), "{key} in {map}: {hint}");
                    let named = other.hint.split('`').nth(1).unwrap();
                    let named = named.split(':').next().unwrap();
                    let (_, allowed) = hint.split_once("; allowed here: ").unwrap_or_default();
                    assert!(
                        allowed.contains(&format!("`{named}`")),
                        "{key} in {map}: `{named}` is not a key here: {hint}"
                    );
                }
            }
        }
        // The author's own value, under the key that takes it.
        let text = "title: x\nsteps:\n  - device: phone\n    image: shots/wifi.png\n    \
                    description: {en: Open it., da: Åbn den.}\n";
        let hints: Vec<String> = guide(text)
            .unwrap()
            .diagnostics
            .iter()
            .map(|d| d.hint.clone().unwrap_or_default())
            .collect();
        assert!(
            hints[0].contains("`screenshot: shots/wifi.png`"),
            "{}",
            hints[0]
        );
        assert!(
            hints[1].contains("`action: {en: Open it., da: Åbn den.}`"),
            "{}",
            hints[1]
        );
        // Elsewhere the same words get the usual hint: `image` beside a guide's title is unknown.
        let d = &guide("title: x\nimage: y\nsteps:\n  - {device: phone, action: Go.}\n")
            .unwrap()
            .diagnostics[0];
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.starts_with("allowed here:"), "{hint}");
    }

    #[test]
    fn a_video_written_as_its_address_or_file_is_shown_inside_its_map() {
        let hint = |video: &str| {
            let text = format!(
                "title: x\nsteps:\n  - device: phone\n    action: Go.\n    video: {video}\n"
            );
            let d = &guide(&text).unwrap().diagnostics[0];
            d.hint.clone().unwrap_or_default()
        };
        assert_eq!(
            hint("https://www.youtube.com/watch?v=abc"),
            "write it inside the map, under the key it is: `video: {title: …, url: https://www.youtube.com/watch?v=abc}`"
        );
        assert_eq!(
            hint("video/intro.mp4"),
            "write it inside the map, under the key it is: `video: {title: …, src: video/intro.mp4}`"
        );
        // Any other text: what a map is.
        assert!(hint("the intro").starts_with("write `key: value` pairs here"));
    }

    #[test]
    fn a_key_the_outer_map_already_has_is_not_taken_for_a_misindented_one() {
        // The file has its title: a step's `title:` is a key steps do not have, not a misplaced one.
        let text =
            "title: x\nsteps:\n  - device: phone\n    title: Open it\n    action: Open it.\n";
        let d = &guide(text).unwrap().diagnostics[0];
        assert_eq!(d.message, "unknown key `title`");
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.starts_with("a step has no title"), "{hint}");
        // Without one, it is where the file's title would be, indented too far.
        let text = "steps:\n  - device: phone\n    action: Open it.\n    title: x\n";
        let d = &guide(text).unwrap().diagnostics[0];
        assert!(
            d.message
                .starts_with("`title:` is indented as part of `steps`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn masks_unknown_keys_and_keeps_positions() {
        let text = "title: x\nsteps:\n  - device: phone\n    acton: Open\n    tip: a\n";
        let checked = guide(text).unwrap();
        assert_eq!(checked.diagnostics.len(), 1, "{:?}", checked.diagnostics);
        let masked = checked.masked.unwrap();
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("acton"));
        assert!(masked.contains("tip: a"));
    }

    #[test]
    fn syntax_pitfalls_in_plain_words() {
        let d = guide("title: x\nsteps:\n  - action:\n      da: Bemærk: Du skal\n").unwrap_err();
        assert_eq!(d.span, Span::new(4, 17));
        assert!(d.hint.unwrap().contains("da: \"Bemærk: Du skal\""));
        let d = guide("title: **bold** x\n").unwrap_err();
        assert!(d.message.contains("`*`"), "{}", d.message);
        let d = guide("title: `code` x\n").unwrap_err();
        assert!(
            d.message.contains("start with `` ` ``") || d.message.contains("`"),
            "{}",
            d.message
        );
        let d = guide("title: [link](https://x.dk) here\n").unwrap_err();
        assert!(d.message.contains("as a list"), "{}", d.message);
    }

    #[test]
    fn a_bracket_left_open_is_named_where_it_opens_not_where_yaml_stopped() {
        let text = "title: {da: \"Ny titel\", en: \"New title\"\nlanguages: [da]\nsteps: []\n";
        let d = guide(text).unwrap_err();
        assert_eq!(d.message, "a `{` is not closed with `}`");
        assert_eq!(d.span, Span::new(1, 8));
        assert!(d.hint.unwrap().contains("until line"));
        // Open across lines, with quotes and an apostrophe inside, and then closed: not that.
        let text = "title: {da: 'Tryk på ''OK''',\n  en: Tap the phone's [OK]}\nsteps: [\n";
        assert_eq!(unclosed_flow(text, 3), None);
        assert_eq!(unclosed_flow(text, 4), Some((3, 7, '[')));
        // A bracket within a text or a comment opens nothing.
        assert_eq!(unclosed_flow("title: Tap [Next\n# {\nx: 1\n", 3), None);
    }
}
