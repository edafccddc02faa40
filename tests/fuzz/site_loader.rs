//! Target `site_loader`: any guide.yaml, in a site of two languages, through load and validation.
//! Properties: no panic; every diagnostic points into its file (line and column from 1, neither past
//! the end) and says something; every diagnostic renders.

use guidegen::diagnostic::{Diagnostic, Sources};

use crate::corpus::{corpus, mutate_one_of};
use crate::driver::{InputContext, Rng, Target, tally};
use crate::guide_spec::arbitrary_guide;
use crate::site::TempSite;

pub const TARGET: Target = Target {
    name: "site_loader",
    inputs_per_round: 80,
    generate,
    run,
};

fn generate(cx: &mut InputContext) -> Vec<u8> {
    guide_input(&mut cx.rng)
}

/// A guide file: structured half the time, else mutated from one of the corpus's guides.
pub fn guide_input(rng: &mut Rng) -> Vec<u8> {
    if rng.one_in(2) {
        structured_guide(rng).into_bytes()
    } else {
        let guides = &corpus().guides;
        mutate_one_of(rng, guides, guides)
    }
}

/// A guide built by `arbitrary` from random bytes; three in four tidied to pass validation.
pub fn structured_guide(rng: &mut Rng) -> String {
    let tidy = !rng.one_in(4);
    let bytes = rng.bytes(64, 4096);
    let Some(mut guide) = arbitrary_guide(&bytes) else {
        return "title: x\n".to_owned();
    };
    if tidy {
        guide.tidy();
    }
    guide.to_yaml()
}

thread_local! {
    static SITE: TempSite = TempSite::new(1);
}

fn run(data: &[u8]) {
    SITE.with(|site| {
        site.set_guide(1, Some(data));
        let checked = guidegen::build::check(&site.root());
        tally(if checked.site.is_some() {
            "valid"
        } else {
            "errors"
        });
        check_diagnostics(checked.diagnostics.iter(), &checked.sources);
    });
}

/// Every diagnostic is located inside its file and renders.
pub fn check_diagnostics<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &Sources,
) {
    for d in diagnostics {
        let shown = format!("{d:?}");
        assert!(d.span.line >= 1 && d.span.column >= 1, "unlocated: {shown}");
        assert!(!d.message.trim().is_empty(), "no message: {shown}");
        if let Some(text) = sources.get(&d.path) {
            let lines = lines_as_yaml_counts(text);
            assert!(
                d.span.line <= lines.len() + 1,
                "line {} of a file of {} lines: {shown}",
                d.span.line,
                lines.len()
            );
            if let Some(line) = lines.get(d.span.line - 1) {
                let columns = line.chars().count();
                assert!(
                    d.span.column <= columns + 1,
                    "column {} of a line of {columns} characters: {shown}",
                    d.span.column
                );
            }
        }
        let rendered = d.render(sources);
        let location = format!("{}:{}:{}: ", d.path.display(), d.span.line, d.span.column);
        assert!(rendered.starts_with(&location), "{rendered}");
    }
}

/// The lines of a file as YAML counts them, and diagnostics with it: a line break is `\r\n`, `\n`
/// or a lone `\r`.
fn lines_as_yaml_counts(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\n', '\r']) {
        lines.push(&rest[..end]);
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}
