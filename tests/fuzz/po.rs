//! Target `po`: PO files as translators' tools send them back, and catalogs as `guidegen i18n
//! export` writes them. Properties: parsing never panics; a catalog that parses is written so that
//! it reads back the same; a catalog guidegen writes always parses, every msgctxt, msgid and msgstr
//! exactly as written.

use arbitrary::{Arbitrary, Unstructured};
use guidegen::i18n::po::{self, Catalog, Entry};

use crate::corpus::{corpus, mutate_one_of};
use crate::driver::{InputContext, Target};
use crate::guide_spec::Content;

pub const TARGET: Target = Target {
    name: "po",
    inputs_per_round: 5000,
    generate,
    run,
};

/// The first byte of an input says what the rest is.
const TEXT: u8 = b't';
const STRUCTURED: u8 = b's';

fn generate(cx: &mut InputContext) -> Vec<u8> {
    let rng = &mut cx.rng;
    if rng.one_in(2) {
        let mut data = vec![STRUCTURED];
        data.extend(rng.bytes(16, 2048));
        data
    } else {
        let files = &corpus().po;
        let mut data = vec![TEXT];
        data.extend(mutate_one_of(rng, files, files));
        data
    }
}

fn run(data: &[u8]) {
    match data.split_first() {
        Some((&STRUCTURED, rest)) => {
            if let Ok(spec) = CatalogSpec::arbitrary(&mut Unstructured::new(rest)) {
                written_catalog_reads_back(&spec.catalog());
            }
        }
        Some((_, rest)) => parsed_catalog_round_trips(&String::from_utf8_lossy(rest)),
        None => {}
    }
}

fn parsed_catalog_round_trips(text: &str) {
    let Ok(parsed) = po::parse(text) else {
        return;
    };
    let written = parsed.write();
    let again = po::parse(&written)
        .unwrap_or_else(|e| panic!("a parsed catalog, written, does not parse: {e:?}\n{written}"));
    assert_eq!(
        without_lines(&again),
        without_lines(&parsed),
        "written:\n{written}"
    );
}

fn written_catalog_reads_back(catalog: &Catalog) {
    let written = catalog.write();
    let parsed = po::parse(&written)
        .unwrap_or_else(|e| panic!("a written catalog does not parse: {e:?}\n{written}"));
    let texts = |c: &Catalog| -> Vec<(Option<String>, String, String, bool)> {
        c.entries
            .iter()
            .map(|e| {
                (
                    e.msgctxt.clone(),
                    e.msgid.clone(),
                    e.msgstr.clone(),
                    e.is_fuzzy(),
                )
            })
            .collect()
    };
    assert_eq!(texts(&parsed), texts(catalog), "written:\n{written}");
    assert_eq!(parsed.header, catalog.header, "written:\n{written}");
}

/// Entries' line numbers depend on the layout, not the content.
fn without_lines(catalog: &Catalog) -> Catalog {
    let mut catalog = catalog.clone();
    for entry in &mut catalog.entries {
        entry.line = 0;
    }
    catalog
}

/// A catalog of the kind export writes: any texts, guidegen's header and flags.
#[derive(Arbitrary, Debug)]
struct CatalogSpec {
    comments: Vec<Content>,
    language: Content,
    entries: Vec<EntrySpec>,
}

#[derive(Arbitrary, Debug)]
struct EntrySpec {
    extracted: Vec<Content>,
    reference_line: u16,
    fuzzy: bool,
    msgctxt: Option<Content>,
    msgid: Content,
    msgstr: Content,
}

impl CatalogSpec {
    fn catalog(&self) -> Catalog {
        let language = self.language.text();
        Catalog {
            comments: self.comments.iter().map(Content::text).collect(),
            header: vec![
                ("Language".to_owned(), language.trim().replace('\n', " ")),
                (
                    "Content-Type".to_owned(),
                    "text/plain; charset=UTF-8".to_owned(),
                ),
            ],
            entries: self.entries.iter().map(EntrySpec::entry).collect(),
        }
    }
}

impl EntrySpec {
    fn entry(&self) -> Entry {
        Entry {
            extracted: self.extracted.iter().map(Content::text).collect(),
            references: vec![format!("guides/g1/guide.yaml:{}", self.reference_line)],
            flags: if self.fuzzy {
                vec!["fuzzy".to_owned()]
            } else {
                Vec::new()
            },
            msgctxt: self.msgctxt.as_ref().map(Content::text),
            // A fuzzy entry shows its previous source text, as export writes it: any text must
            // survive the round trip there too.
            previous_msgid: self.fuzzy.then(|| self.msgstr.text()),
            msgid: self.msgid.text(),
            msgstr: self.msgstr.text(),
            line: 0,
            obsolete: false,
        }
    }
}
