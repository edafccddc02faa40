//! The seed corpus — the repository's own guides, the test fixtures, PO files made by the export
//! code, the example screenshots — and the byte, line and token mutations made from it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::driver::Rng;
use crate::fragments::NASTY;

pub struct Corpus {
    /// Every `guide.yaml` of the example site and of tests/fixtures.
    pub guides: Vec<Vec<u8>>,
    /// Every translatable text of the example site's guides: real Markdown.
    pub texts: Vec<Vec<u8>>,
    /// PO files as `guidegen i18n export` writes them, and a few written by hand.
    pub po: Vec<Vec<u8>>,
    /// The example site's screenshots.
    pub svgs: Vec<Vec<u8>>,
}

pub fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus, read once per test process.
pub fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = repository();
        let mut guides = files_named(&root.join("guides"), "guide.yaml");
        guides.extend(files_named(&root.join("tests/fixtures"), "guide.yaml"));
        let svgs: Vec<PathBuf> = files_named(&root.join("guides"), "")
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "svg"))
            .collect();
        let guides = read_all(&guides);
        Corpus {
            texts: texts_of(&guides),
            guides,
            po: po_files(),
            svgs: read_all(&svgs),
        }
    })
}

/// Files below `dir` called `name` (every file when `name` is empty), sorted.
fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if name.is_empty() || path.file_name().is_some_and(|n| n == name) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Every text written in the guides, in every language.
fn texts_of(guides: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut texts = Vec::new();
    for guide in guides {
        let Ok(source) = std::str::from_utf8(guide) else {
            continue;
        };
        let Ok(located) = guidegen::i18n::yaml::locate(source) else {
            continue;
        };
        for languages in guidegen::i18n::yaml::snapshot(&located).into_values() {
            texts.extend(languages.into_values().map(|(text, _)| text.into_bytes()));
        }
    }
    texts.sort();
    texts.dedup();
    texts
}

/// The PO files `guidegen i18n export` writes for the example site and the i18n fixture, and a few
/// shapes it never writes but translators' tools do (obsolete and plural entries, CRLF).
fn po_files() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for site_dir in [
        repository().to_path_buf(),
        repository().join("tests/fixtures/i18n-site"),
    ] {
        let Some(site) = guidegen::build::check(&site_dir).site else {
            continue;
        };
        for guide in &site.guides {
            for lang in site.languages.iter().skip(1) {
                let catalog = guidegen::i18n::po_catalog(&site, guide, &lang.code);
                files.push(catalog.write().into_bytes());
            }
        }
    }
    files.push(
        b"# c\nmsgid \"\"\nmsgstr \"Language: da\\n\"\n\n#~ msgid \"old\"\n#~ msgstr \"gammel\"\n\n\
          msgid \"one\"\nmsgid_plural \"many\"\nmsgstr[0] \"en\"\nmsgstr[1] \"mange\"\n"
            .to_vec(),
    );
    files.push(
        b"msgid \"\"\r\nmsgstr \"\"\r\n\"Language: en\\n\"\r\n\r\n#. note\r\n#: a.yaml:1\r\n#, fuzzy, c-format\r\n\
          msgctxt \"g|title\"\r\nmsgid \"a\\tb\\\\c\\\"\"\r\nmsgstr \"\"\r\n\"x\\n\"\r\n\"\\101\\x42\"\r\n"
            .to_vec(),
    );
    files
}

/// Bytes that are syntax somewhere in the formats under test.
const INTERESTING_BYTES: &[u8] = b"\0\t\n\r \"#&'*-:>[\\]`{|}~!%@,?<\x7f\x80\xc3\xff";

/// One of `seeds`, mutated; `others` are spliced in from.
pub fn mutate_one_of(rng: &mut Rng, seeds: &[Vec<u8>], others: &[Vec<u8>]) -> Vec<u8> {
    let seed = rng.pick(seeds);
    mutate(rng, seed, others)
}

/// `input` changed by one to eight random mutations; `others` are spliced in from.
pub fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(8) {
        mutate_once(rng, &mut data, others);
    }
    data
}

pub fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>]) {
    match rng.below(12) {
        0 => flip_bit(rng, data),
        1 => set_byte(rng, data),
        2 => insert_bytes(rng, data),
        3 => delete_range(rng, data),
        4 => duplicate_range(rng, data),
        5 => line_op(rng, data, LineOp::Delete),
        6 => line_op(rng, data, LineOp::Duplicate),
        7 => line_op(rng, data, LineOp::Swap),
        8 => line_op(rng, data, LineOp::Reindent),
        9 => insert_fragment(rng, data),
        10 => replace_word(rng, data),
        _ => splice(rng, data, others),
    }
}

fn flip_bit(rng: &mut Rng, data: &mut [u8]) {
    if !data.is_empty() {
        let at = rng.below(data.len());
        data[at] ^= 1 << rng.below(8);
    }
}

fn set_byte(rng: &mut Rng, data: &mut [u8]) {
    if !data.is_empty() {
        let at = rng.below(data.len());
        data[at] = *rng.pick(INTERESTING_BYTES);
    }
}

fn insert_bytes(rng: &mut Rng, data: &mut Vec<u8>) {
    let at = rng.below(data.len() + 1);
    let count = 1 + rng.below(4);
    let bytes: Vec<u8> = (0..count).map(|_| *rng.pick(INTERESTING_BYTES)).collect();
    data.splice(at..at, bytes);
}

/// A random range of at most 64 bytes (or of the whole input, now and then).
fn range(rng: &mut Rng, len: usize) -> std::ops::Range<usize> {
    let start = rng.below(len + 1);
    let max = if rng.one_in(16) { len } else { 64 };
    let end = (start + rng.below(max + 1)).min(len);
    start..end
}

fn delete_range(rng: &mut Rng, data: &mut Vec<u8>) {
    let r = range(rng, data.len());
    data.drain(r);
}

fn duplicate_range(rng: &mut Rng, data: &mut Vec<u8>) {
    let r = range(rng, data.len());
    let copy = data[r.clone()].to_vec();
    let at = rng.below(data.len() + 1);
    data.splice(at..at, copy);
}

#[derive(Clone, Copy)]
enum LineOp {
    Delete,
    Duplicate,
    Swap,
    Reindent,
}

/// Line-level edits: what a person editing YAML by hand gets wrong.
fn line_op(rng: &mut Rng, data: &mut Vec<u8>, op: LineOp) {
    let mut lines: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    let at = rng.below(lines.len());
    match op {
        LineOp::Delete => {
            lines.remove(at);
        }
        LineOp::Duplicate => {
            let line = lines[at].clone();
            lines.insert(at, line);
        }
        LineOp::Swap => {
            let other = rng.below(lines.len());
            lines.swap(at, other);
        }
        LineOp::Reindent => {
            let line = &mut lines[at];
            if rng.one_in(2) {
                let spaces = 1 + rng.below(4);
                line.splice(0..0, std::iter::repeat_n(b' ', spaces));
            } else {
                let indent = line.iter().take_while(|b| **b == b' ').count();
                line.drain(..indent.min(1 + rng.below(4)));
            }
        }
    }
    *data = lines.join(&b'\n');
}

fn insert_fragment(rng: &mut Rng, data: &mut Vec<u8>) {
    let at = rng.below(data.len() + 1);
    let fragment = rng.pick(NASTY).as_bytes().to_vec();
    data.splice(at..at, fragment);
}

/// Replaces one space-delimited word by a fragment.
fn replace_word(rng: &mut Rng, data: &mut Vec<u8>) {
    let starts: Vec<usize> = (0..data.len())
        .filter(|&i| data[i] != b' ' && (i == 0 || data[i - 1] == b' '))
        .collect();
    if starts.is_empty() {
        return insert_fragment(rng, data);
    }
    let start = *rng.pick(&starts);
    let end = data[start..]
        .iter()
        .position(|b| matches!(b, b' ' | b'\n'))
        .map_or(data.len(), |i| start + i);
    data.splice(start..end, rng.pick(NASTY).bytes());
}

/// This input's start with another's end.
fn splice(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>]) {
    if others.is_empty() {
        return;
    }
    let other = rng.pick(others);
    let keep = rng.below(data.len() + 1);
    let from = rng.below(other.len() + 1);
    data.truncate(keep);
    data.extend_from_slice(&other[from..]);
}
