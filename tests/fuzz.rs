//! Fuzzing on stable Rust, kept with the tests: every target is a function `fn(&[u8])` that must
//! never panic and must keep its properties, driven by a small deterministic driver over inputs
//! mutated from a seed corpus and built by `arbitrary` from random bytes.
//!
//! A plain `cargo test` runs a few hundred inputs per target; `GUIDEGEN_FUZZ_SECONDS=600 cargo
//! test --release --test fuzz -- --nocapture` runs each target for ten minutes. See docs/fuzzing.md
//! for the targets, their properties, and what to do with a failure.

#[path = "fuzz/corpus.rs"]
mod corpus;
#[path = "fuzz/driver.rs"]
mod driver;
#[path = "fuzz/fragments.rs"]
mod fragments;
#[path = "fuzz/guide_spec.rs"]
mod guide_spec;
#[path = "fuzz/html_check.rs"]
mod html_check;
#[path = "fuzz/markdown.rs"]
mod markdown;
#[path = "fuzz/po.rs"]
mod po;
#[path = "fuzz/site.rs"]
mod site;
#[path = "fuzz/site_loader.rs"]
mod site_loader;
#[path = "fuzz/svg.rs"]
mod svg;
#[path = "fuzz/whole_build.rs"]
mod whole_build;
#[path = "fuzz/yaml_edit.rs"]
mod yaml_edit;
#[path = "fuzz/yaml_writer.rs"]
mod yaml_writer;

use driver::fuzz;

#[test]
fn fuzz_site_loader() {
    fuzz(site_loader::TARGET);
}

#[test]
fn fuzz_markdown() {
    fuzz(markdown::TARGET);
}

#[test]
fn fuzz_po() {
    fuzz(po::TARGET);
}

#[test]
fn fuzz_yaml_edit() {
    fuzz(yaml_edit::TARGET);
}

#[test]
fn fuzz_svg() {
    fuzz(svg::TARGET);
}

#[test]
fn fuzz_build() {
    fuzz(whole_build::TARGET);
}
