//! Target `build`: a site of one to three guides, built (HTML; now and then PDF too) into an output
//! folder. Properties: no panic; the build succeeds, or fails with located diagnostics or a reason;
//! a built page has no script but the root page's own, no event handler, nothing that loads or
//! submits anything, and every link and source relative, `#…`, `https:`, `http:` or `mailto:`.

use std::path::Path;

use guidegen::build::{BuildOptions, Failure, Format};

use crate::driver::{InputContext, Target, join_parts, split_parts, tally};
use crate::html_check::{check_page, root_template_script};
use crate::site::{SITE_YAML, SITE_YAML_OMIT, TempSite};
use crate::site_loader::{check_diagnostics, guide_input};

pub const TARGET: Target = Target {
    name: "build",
    inputs_per_round: 20,
    generate,
    run,
};

/// The most guides a site has.
const MAX_GUIDES: usize = 3;
/// One site in this many is built to PDF too…
const PDF_EVERY: u64 = 25;
/// …up to this many per run.
const PDF_LIMIT: u64 = 30;

/// The first part of an input: the formats and the site settings.
fn generate(cx: &mut InputContext) -> Vec<u8> {
    let pdf = cx.n % PDF_EVERY == PDF_EVERY - 1 && cx.n / PDF_EVERY < PDF_LIMIT;
    let settings = match (pdf, cx.rng.one_in(4)) {
        (false, false) => "html",
        (false, true) => "html omit",
        (true, false) => "html pdf",
        (true, true) => "html pdf omit",
    };
    let count = 1 + cx.rng.below(MAX_GUIDES);
    let guides: Vec<Vec<u8>> = (0..count).map(|_| guide_input(&mut cx.rng)).collect();
    let mut parts: Vec<&[u8]> = vec![settings.as_bytes()];
    parts.extend(guides.iter().map(Vec::as_slice));
    join_parts(&parts)
}

thread_local! {
    static SITE: TempSite = TempSite::new(MAX_GUIDES);
}

fn run(data: &[u8]) {
    let parts = split_parts(data);
    let settings = String::from_utf8_lossy(parts[0]);
    let words: Vec<&str> = settings.split(' ').collect();
    let mut formats = vec![Format::Html];
    if words.contains(&"pdf") {
        formats.push(Format::Pdf);
    }
    SITE.with(|site| {
        site.set_site_file(if words.contains(&"omit") {
            SITE_YAML_OMIT
        } else {
            SITE_YAML
        });
        for n in 1..=MAX_GUIDES {
            site.set_guide(n, parts.get(n).copied());
        }
        let options = BuildOptions {
            out_dir: Some(site.out()),
            formats,
            ..BuildOptions::new(site.root())
        };
        let outcome = guidegen::build::build(&options);
        check_diagnostics(&outcome.diagnostics, &outcome.sources);
        match outcome.result {
            Ok(summary) => {
                tally(if summary.pdfs > 0 {
                    "built with PDFs"
                } else {
                    "built"
                });
                check_site(&summary.out_dir);
            }
            Err(Failure::Site) => {
                tally("site errors");
                assert!(
                    outcome.diagnostics.iter().any(|d| d.is_error()),
                    "a failed build without an error"
                );
            }
            Err(Failure::Output(message)) => panic!("the build could not write: {message}"),
            Err(Failure::Usage(message)) => panic!("a usage error: {message}"),
        }
    });
}

/// Every page of the built site.
fn check_site(out: &Path) {
    let script = root_template_script();
    let mut pending = vec![out.to_path_buf()];
    let mut pages = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the output folder") {
            let path = entry.expect("an output file").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path).expect("a page is UTF-8");
                let rel = path.strip_prefix(out).unwrap_or(&path);
                let is_root = rel == Path::new("index.html");
                check_page(&rel.display().to_string(), &html, is_root, &script);
                pages += 1;
            }
        }
    }
    assert!(pages >= 1, "a build without pages");
}
