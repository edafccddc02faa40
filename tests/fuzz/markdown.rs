//! Target `markdown`: any guide text, to HTML and to typst markup. Properties: the HTML has only
//! the elements and attributes pulldown-cmark writes for Markdown, raw HTML escaped, and no link
//! target but relative, `#…`, `https:`, `http:` or `mailto:`; in the typst markup every piece of
//! text stands inside a string literal, between balanced brackets; and now and then the text goes
//! through a whole PDF build, which must succeed or fail with located diagnostics only.

use arbitrary::{Arbitrary, Unstructured};
use guidegen::build::{BuildOptions, Failure, Format};
use guidegen::markdown::{self, TargetKind};

use crate::corpus::{corpus, mutate_one_of};
use crate::driver::{InputContext, Target, join_parts, split_parts, tally};
use crate::guide_spec::Content;
use crate::html_check::{allowed_url, check_markdown_html};
use crate::site::TempSite;
use crate::site_loader::check_diagnostics;
use crate::yaml_writer::double_quoted;

pub const TARGET: Target = Target {
    name: "markdown",
    inputs_per_round: 2000,
    generate,
    run,
};

/// One input in this many also goes through a PDF build…
const PDF_EVERY: u64 = 1000;
/// …up to this many builds per run: typst is the slow part.
const PDF_LIMIT: u64 = 30;

fn generate(cx: &mut InputContext) -> Vec<u8> {
    let rng = &mut cx.rng;
    let corpus = corpus();
    let text = match rng.below(3) {
        0 => {
            let bytes = rng.bytes(16, 1024);
            let content = Content::arbitrary(&mut Unstructured::new(&bytes));
            content.map(|c| c.text().into_bytes()).unwrap_or_default()
        }
        1 => mutate_one_of(rng, &corpus.texts, &corpus.texts),
        _ => mutate_one_of(rng, &corpus.guides, &corpus.texts),
    };
    if cx.n % PDF_EVERY == PDF_EVERY / 2 && cx.n / PDF_EVERY < PDF_LIMIT {
        join_parts(&[&text, b"pdf"])
    } else {
        text
    }
}

fn run(data: &[u8]) {
    let parts = split_parts(data);
    let text = String::from_utf8_lossy(parts[0]);
    check_markdown_html(&markdown::to_html(&text));
    check_markup(&guidegen::pdf::markup::markdown(&text));
    for target in markdown::targets(&text) {
        assert!(text.get(target.range.clone()).is_some(), "{target:?}");
        // A guide link is written as a relative address (checked in the HTML above).
        if !matches!(
            markdown::classify(&target.url),
            TargetKind::Forbidden(_) | TargetKind::Guide(_)
        ) {
            assert!(allowed_url(&target.url), "allowed: {target:?}");
        }
    }
    markdown::to_plain(&text);
    if parts.get(1) == Some(&&b"pdf"[..]) {
        build_pdf(&text);
    }
}

/// Words of the markup guidegen writes around string literals (each literal replaced by `S`).
const MARKUP_WORDS: &[&str] = &[
    "#quote(block: true)",
    "#raw(block: true, S)",
    "#raw(S);",
    "#linebreak();",
    "#line(length: 100%)",
    "#link(S)",
    "#strong",
    "#emph",
    "#strike",
    "#list",
    "#enum",
    "start: ",
    "#table",
    "columns: ",
    "table.header",
    // Keys, sub- and superscripts (the allowed inline tags), and table columns' alignment.
    "#gg-kbd",
    "#super",
    "#sub",
    "align: ",
    "start",
    "center",
    "end",
    "#S;",
];

/// Every text is inside a string literal, and the calls around them are guidegen's own, with
/// balanced brackets.
pub fn check_markup(markup: &str) {
    let mut skeleton = without_literals(markup)
        .unwrap_or_else(|| panic!("an unclosed string literal in {markup:?}"));
    for word in MARKUP_WORDS {
        skeleton = skeleton.replace(word, "");
    }
    assert!(
        skeleton.chars().all(|c| "[](),; \n0123456789".contains(c)),
        "markup outside string literals: {skeleton:?} in {markup:?}"
    );
    let mut open = Vec::new();
    for c in skeleton.chars() {
        match c {
            '[' | '(' => open.push(c),
            ']' | ')' => {
                let expected = if c == ']' { '[' } else { '(' };
                assert_eq!(open.pop(), Some(expected), "unbalanced {markup:?}");
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in {markup:?}");
}

/// The markup with every string literal (`"…"`, with `\` escapes) replaced by `S`; `None` when one
/// is not closed.
fn without_literals(markup: &str) -> Option<String> {
    let mut out = String::with_capacity(markup.len());
    let mut chars = markup.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        loop {
            match chars.next()? {
                '\\' => {
                    chars.next()?;
                }
                '"' => break,
                _ => {}
            }
        }
        out.push('S');
    }
    Some(out)
}

thread_local! {
    static PDF_SITE: TempSite = TempSite::new(1);
}

/// A one-guide site whose title, action, note, result and screenshot alt text are `text`, built
/// to PDF.
fn build_pdf(text: &str) {
    let quoted = double_quoted(text);
    let guide = format!(
        "title: {quoted}\nsteps:\n  - device: phone\n    action: {quoted}\n    \
         screenshot: {{src: shots/plain.svg, alt: {quoted}}}\n    result: {quoted}\n    note: {quoted}\n"
    );
    PDF_SITE.with(|site| {
        site.set_guide(1, Some(guide.as_bytes()));
        let options = BuildOptions {
            out_dir: Some(site.out()),
            languages: vec!["da".to_owned()],
            formats: vec![Format::Pdf],
            ..BuildOptions::new(site.root())
        };
        let outcome = guidegen::build::build(&options);
        check_diagnostics(&outcome.diagnostics, &outcome.sources);
        match outcome.result {
            Ok(_) => tally("PDF built"),
            Err(Failure::Site) => {
                tally("site errors");
                assert!(
                    outcome.diagnostics.iter().any(|d| d.is_error()),
                    "a failed build without an error"
                );
            }
            Err(Failure::Output(message) | Failure::Usage(message)) => {
                panic!("the PDF build failed: {message}")
            }
        }
    });
}
