//! Load stage: reads a file's input structs from the tree [`crate::yamlcheck`] already checked, so
//! that each YAML file is parsed once, not once for the check and again by serde-saphyr.
//!
//! The values are those serde-saphyr reads from the same text, `Spanned` locations included: a
//! scalar is typed as serde-saphyr types it (`deserialize_any`: YAML 1.2 booleans with
//! `strict_booleans`, then integers, then floats, else text; a `String` takes the text as written),
//! and every node is located at the span of its first parser event, as serde-saphyr locates it. Where
//! this module does not repeat serde-saphyr's reading exactly (an integer with a leading zero, `.inf`,
//! a numeric key, a merge key `<<`, …) it refuses, and the caller lets serde-saphyr read the text as
//! before; so does every mistake, so that its message stays serde-saphyr's. A tree with tags, anchors
//! or aliases, or near serde-saphyr's limits, is never read here ([`crate::yamlcheck::Shape`]).

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::yamlcheck::{Mark, Node, NodeKind};

/// Why the tree was not read: the caller reads the text with serde-saphyr instead, which says what is
/// wrong, if anything.
#[derive(Debug)]
pub struct Refused(String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Refused(message.to_string())
    }
}

fn refuse<T>(what: &str) -> Result<T, Refused> {
    Err(Refused(what.to_owned()))
}

/// Reads `T` from a checked tree, taking its texts out of it.
pub fn from_node<T: DeserializeOwned>(node: Node) -> Result<T, Refused> {
    T::deserialize(NodeDeserializer(node))
}

/// The name serde-saphyr's `Spanned<T>` asks its deserializer for, and the first key of the map it
/// then accepts as "a value with its locations" (serde-saphyr's `spanned.rs`).
const SPANNED: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// A plain scalar as serde-saphyr's `deserialize_any` types it.
#[derive(Debug, PartialEq)]
enum Typed {
    Text,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

/// serde-saphyr's padding trim before typing a scalar (`yaml_trim`).
fn trim(value: &str) -> &str {
    value.trim_matches([' ', '\t', '\r', '\n'])
}

/// The YAML 1.2 booleans serde-saphyr accepts with `strict_booleans` (`parse_yaml12_bool`).
fn boolean(value: &str) -> Option<bool> {
    match trim(value) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// How serde-saphyr types a plain, untagged, non-null scalar; `None` for the spellings whose typing
/// is not repeated here (they go to serde-saphyr).
fn typed(value: &str) -> Option<Typed> {
    if let Some(b) = boolean(value) {
        return Some(Typed::Bool(b));
    }
    let t = trim(value);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    // Neither an integer nor a float starts otherwise: serde-saphyr reads only numeral-shaped
    // floats, so `inf` and `nan` are texts, while `.inf` and `.5` are not.
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Some(Typed::Text);
    }
    // Integers (any radix, `_` separators) and floats (Rust's syntax, YAML's `.inf`, `.nan`) are
    // written with these characters only: a scalar with any other is a text.
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_'))
    {
        return Some(Typed::Text);
    }
    if t.starts_with('+') {
        return None;
    }
    let negative = t.starts_with('-');
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // A leading zero (`007`, `00.5`) is read by paths that depend on options: not repeated here.
    if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    match fraction {
        None if negative => t.parse().ok().map(Typed::Signed),
        None => t.parse().ok().map(Typed::Unsigned),
        Some(fraction) if digits(fraction) => t
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite())
            .map(Typed::Float),
        Some(_) => None,
    }
}

/// A float field's scalar as serde-saphyr's `deserialize_f64` reads it (`parse_yaml12_float`): Rust's
/// float syntax, finite. `.inf` and `.nan` are not repeated here.
fn float(value: &str) -> Option<f64> {
    let t = trim(value);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if matches!(
        unsigned,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"
    ) {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A key serde-saphyr reads as this module does: a text that is neither a merge key (`<<`) nor
/// possibly an integer (serde-saphyr compares integer keys by value: `1` and `0x1` are one key).
fn plain_key(key: &Node) -> bool {
    match &key.kind {
        NodeKind::Scalar { value, plain, .. } => {
            !*plain
                || (value != "<<"
                    && !trim(value).starts_with(|c: char| {
                        c.is_ascii_digit() || c == '+' || c == '-' || c == '.'
                    }))
        }
        _ => false,
    }
}

/// Deserializer methods for types no input struct has: refused, for serde-saphyr to read.
macro_rules! refused {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Refused> {
                refuse(stringify!($method))
            }
        )*
    };
}

/// Deserializes one node, moving its texts out.
struct NodeDeserializer(Node);

impl<'de> de::Deserializer<'de> for NodeDeserializer {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Scalar {
                value, plain: true, ..
            } => match typed(&value) {
                Some(Typed::Text) => visitor.visit_string(value),
                Some(Typed::Bool(b)) => visitor.visit_bool(b),
                Some(Typed::Unsigned(n)) => visitor.visit_u64(n),
                Some(Typed::Signed(n)) => visitor.visit_i64(n),
                Some(Typed::Float(f)) => visitor.visit_f64(f),
                None => refuse("a number spelled in a way read by serde-saphyr only"),
            },
            NodeKind::Scalar { value, .. } => visitor.visit_string(value),
            NodeKind::Seq(items) => visit_seq(items, visitor),
            NodeKind::Map(entries) => visit_map(entries, visitor),
            NodeKind::Alias => refuse("an alias"),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match &self.0.kind {
            NodeKind::Scalar { value, .. } => match boolean(value) {
                Some(b) => visitor.visit_bool(b),
                None => refuse("not a boolean"),
            },
            _ => refuse("not a boolean"),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match &self.0.kind {
            NodeKind::Scalar { value, .. } => match float(value) {
                Some(f) => visitor.visit_f64(f),
                None => refuse("not a number"),
            },
            _ => refuse("not a number"),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_string(visitor)
    }

    /// Any scalar's text as written (`123`, `true` and quoted texts alike); nothing (`~`) is not a
    /// text for serde-saphyr.
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0.kind {
            NodeKind::Scalar { value, .. } => visitor.visit_string(value),
            _ => refuse("not a text"),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        if name == SPANNED {
            let at = Location::of(&self.0);
            visitor.visit_newtype_struct(SpannedDeserializer { node: self.0, at })
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0.kind {
            NodeKind::Seq(items) => visit_seq(items, visitor),
            _ => refuse("not a list"),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.0.kind {
            NodeKind::Map(entries) => visit_map(entries, visitor),
            _ => refuse("not a map"),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_map(visitor)
    }

    // What the input structs never ask for is left to serde-saphyr.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Refused> {
        refuse("an ignored value")
    }

    refused! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
    }

    serde::forward_to_deserialize_any! {
        unit_struct tuple tuple_struct enum
    }
}

fn visit_seq<'de, V: Visitor<'de>>(items: Vec<Node>, visitor: V) -> Result<V::Value, Refused> {
    let mut access = Items(items.into_iter());
    let value = visitor.visit_seq(&mut access)?;
    match access.0.len() {
        0 => Ok(value),
        _ => refuse("items left over"),
    }
}

fn visit_map<'de, V: Visitor<'de>>(
    entries: Vec<(Node, Node)>,
    visitor: V,
) -> Result<V::Value, Refused> {
    let mut access = Entries {
        entries: entries.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    match (access.entries.len(), access.value) {
        (0, None) => Ok(value),
        _ => refuse("entries left over"),
    }
}

struct Items(std::vec::IntoIter<Node>);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Refused;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        self.0
            .next()
            .map(|item| seed.deserialize(NodeDeserializer(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    entries: std::vec::IntoIter<(Node, Node)>,
    /// The value of the key just read.
    value: Option<Node>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Refused;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        if !plain_key(&key) {
            return refuse("a key serde-saphyr reads otherwise");
        }
        self.value = Some(value);
        seed.deserialize(NodeDeserializer(key)).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Refused> {
        match self.value.take() {
            Some(value) => seed.deserialize(NodeDeserializer(value)),
            None => refuse("a value before its key"),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A node's location as serde-saphyr's `Location` holds it (`location_from_span`): 1-based line and
/// column in characters, the span in characters, and in bytes when known.
#[derive(Clone, Copy)]
struct Location {
    line: u32,
    column: u32,
    offset: u64,
    len: u64,
    /// Byte offset and length; `u32::MAX` twice when unknown, as serde-saphyr writes it.
    bytes: (u64, u64),
}

impl Location {
    fn of(node: &Node) -> Location {
        // serde-saphyr keeps one value short of `u32::MAX` for "unknown".
        let index = |n: usize| (n as u64).min(u64::from(u32::MAX) - 1);
        let Mark {
            index: at,
            len,
            bytes,
        } = node.mark;
        Location {
            line: u32::try_from(node.start.line).unwrap_or(u32::MAX),
            column: u32::try_from(node.start.column).unwrap_or(u32::MAX),
            offset: index(at),
            len: index(len),
            bytes: match bytes {
                Some((start, len)) if start <= u32::MAX as usize && len <= u32::MAX as usize => {
                    (index(start), index(len))
                }
                _ => (u64::from(u32::MAX), u64::from(u32::MAX)),
            },
        }
    }
}

/// What serde-saphyr's `Spanned<T>` reads after asking for [`SPANNED`]: a map of the marker, the
/// value, and where it is referenced and defined (the same place: the tree has no aliases).
struct SpannedDeserializer {
    node: Node,
    at: Location,
}

impl<'de> de::Deserializer<'de> for SpannedDeserializer {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_map(SpannedFields {
            node: Some(self.node),
            at: self.at,
            field: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedFields {
    node: Option<Node>,
    at: Location,
    /// The fields given so far.
    field: u8,
}

impl<'de> de::MapAccess<'de> for SpannedFields {
    type Error = Refused;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        let key = match self.field {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        self.field += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Refused> {
        match self.field {
            1 => seed.deserialize(true.into_deserializer()),
            2 => match self.node.take() {
                Some(node) => seed.deserialize(NodeDeserializer(node)),
                None => refuse("the value twice"),
            },
            3 | 4 => seed.deserialize(LocationDeserializer(self.at)),
            _ => refuse("a value before its key"),
        }
    }
}

/// serde-saphyr's `Location` from a map of `line`, `column`, `span` and `source_id` (0: the one
/// text read).
struct LocationDeserializer(Location);

impl<'de> de::Deserializer<'de> for LocationDeserializer {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        let at = self.0;
        visitor.visit_map(Fields {
            names: ["line", "column", "span", "source_id"],
            values: [
                Field::Number(u64::from(at.line)),
                Field::Number(u64::from(at.column)),
                Field::Span(at),
                Field::Number(0),
            ],
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The fields of a `Location` or of its `Span`, named and given in order: every `Spanned` value
/// reads two `Location`s, so this is the reading's most frequent map (serde's `MapDeserializer`
/// over an iterator of pairs did the same with more moves and checks).
struct Fields<const N: usize> {
    names: [&'static str; N],
    values: [Field; N],
    /// The field whose key is given next; its value is at `next - 1`.
    next: usize,
}

impl<'de, const N: usize> de::MapAccess<'de> for Fields<N> {
    type Error = Refused;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        let Some(&name) = self.names.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Refused> {
        match self.next.checked_sub(1).and_then(|at| self.values.get(at)) {
            Some(&value) => seed.deserialize(value),
            None => refuse("a value before its key"),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(N - self.next)
    }
}

/// A field of a `Location` or of its `Span` (`offset`, `len`, `byte_info`).
#[derive(Clone, Copy)]
enum Field {
    Number(u64),
    Span(Location),
    Pair(u64, u64),
}

impl<'de> IntoDeserializer<'de, Refused> for Field {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Field {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Field::Number(n) => visitor.visit_u64(n),
            Field::Span(at) => visitor.visit_map(Fields {
                names: ["offset", "len", "byte_info"],
                values: [
                    Field::Number(at.offset),
                    Field::Number(at.len),
                    Field::Pair(at.bytes.0, at.bytes.1),
                ],
                next: 0,
            }),
            Field::Pair(a, b) => {
                visitor.visit_seq(de::value::SeqDeserializer::new([a, b].into_iter()))
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spellings whose typing serde-saphyr's `deserialize_any` decides (see its `deserialize_any`
    /// and `parse_scalars.rs`), and what is left to it.
    #[test]
    fn plain_scalars_are_typed_as_serde_saphyr_types_them() {
        for (value, expected) in [
            ("123", Some(Typed::Unsigned(123))),
            ("0", Some(Typed::Unsigned(0))),
            ("-5", Some(Typed::Signed(-5))),
            ("-0", Some(Typed::Signed(0))),
            ("1.50", Some(Typed::Float(1.5))),
            ("-2.5", Some(Typed::Float(-2.5))),
            ("true", Some(Typed::Bool(true))),
            ("FALSE", Some(Typed::Bool(false))),
            // YAML 1.1 booleans are words with `strict_booleans`.
            ("yes", Some(Typed::Text)),
            ("On", Some(Typed::Text)),
            // Only numeral-shaped spellings are numbers: `inf` is a word, `.inf` is not.
            ("inf", Some(Typed::Text)),
            ("-nan", Some(Typed::Text)),
            ("2. Open the app", Some(Typed::Text)),
            ("10:30", Some(Typed::Text)),
            ("1/2", Some(Typed::Text)),
            ("-", Some(Typed::Text)),
            // Left to serde-saphyr.
            ("007", None),
            ("0x1F", None),
            ("0X1F", None),
            ("1_000", None),
            ("1e3", None),
            (".5", None),
            (".inf", None),
            ("+1", None),
            ("3rd", None),
            ("18446744073709551616", None),
        ] {
            assert_eq!(typed(value), expected, "{value}");
        }
    }

    #[test]
    fn float_fields_take_rusts_float_syntax_and_leave_infinities_to_serde_saphyr() {
        assert_eq!(float("12"), Some(12.0));
        assert_eq!(float("007"), Some(7.0));
        assert_eq!(float("1e3"), Some(1000.0));
        assert_eq!(float(".5"), Some(0.5));
        assert_eq!(float("1e999"), None);
        assert_eq!(float(".inf"), None);
        assert_eq!(float("-.NaN"), None);
        assert_eq!(float("x"), None);
    }

    #[test]
    fn numeric_and_merge_keys_are_left_to_serde_saphyr() {
        let key = |value: &str, plain: bool| Node {
            kind: NodeKind::Scalar {
                value: value.into(),
                plain,
                anchored: false,
                tag: None,
            },
            start: Default::default(),
            end: Default::default(),
            flow: false,
            mark: Mark::default(),
        };
        assert!(plain_key(&key("en", true)));
        assert!(plain_key(&key("1", false)));
        assert!(plain_key(&key("<<", false)));
        assert!(!plain_key(&key("1", true)));
        assert!(!plain_key(&key("-x", true)));
        assert!(!plain_key(&key("<<", true)));
    }
}
