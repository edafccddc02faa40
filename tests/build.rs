//! `guidegen build` on the example site (the repository itself), run as a user runs it, with the
//! pages read back as a browser and a phone's camera would: languages, device-switch banners, step
//! numbers, QR codes, links, screenshots, the language switcher, PDFs, and byte-for-byte determinism.
//!
//! Expectations come from the guide files (through the library's validated model, for the steps and
//! their devices) and from the contract, never from the renderer.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use guidegen::model::{Guide, Site};
use resvg::{tiny_skia, usvg};
use scraper::{ElementRef, Html};

/// The example site's model, as `guidegen check` sees it.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let checked = guidegen::build::check(&example_site());
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&checked.sources))
            .collect();
        checked
            .site
            .unwrap_or_else(|| panic!("the example site has errors:\n{}", errors.join("\n")))
    })
}

fn languages() -> Vec<&'static str> {
    site().languages.iter().map(|l| l.code.as_str()).collect()
}

/// The languages `guide` is published in (`languages:` of guide.yaml, else the site's).
fn languages_of(guide: &guidegen::model::Guide) -> Vec<&'static str> {
    languages()
        .into_iter()
        .filter(|l| guide.offered_in(l))
        .collect()
}

/// A folder for builds that outlives one test: under cargo's scratch folder for integration tests,
/// one per test process; folders of earlier runs are cleared away after a day.
fn scratch(name: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("guidegen-build-tests");
    std::fs::create_dir_all(&base).expect("scratch folder");
    static CLEANED: OnceLock<()> = OnceLock::new();
    CLEANED.get_or_init(|| {
        for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            if old.is_some_and(|age| age.as_secs() > 24 * 3600) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
    let dir = base.join(format!("{}-{name}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch folder");
    }
    dir
}

/// Builds the example site into `out` with extra arguments, and checks it succeeded.
fn build(out: &Path, extra: &[&str]) {
    let site = example_site();
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"build", &site, &"--out", &out];
    for a in extra {
        args.push(a);
    }
    let run = run(&args);
    run.expect_code(0);
}

/// The example site built once, HTML and PDF, shared by the tests that only read it.
fn full_build() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = scratch("full").join("out");
        build(&out, &[]);
        out
    })
}

/// Every page of a build: (relative path, parsed page).
fn pages(out: &Path) -> Vec<(String, Html)> {
    let snap = snapshot(out);
    files(&snap)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .map(|p| (p.to_owned(), parse_html(&out.join(p))))
        .collect()
}

fn guide_page(out: &Path, lang: &str, guide: &Guide) -> Html {
    let path = out.join(lang).join(&guide.id).join("index.html");
    assert!(path.is_file(), "{} is missing", path.display());
    parse_html(&path)
}

/// The text of an element with white space folded.
fn text_of(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The nearest `li[data-step]` around `el`, and its number.
fn enclosing_step(el: ElementRef) -> Option<(ElementRef, String)> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "li" && a.value().attr("data-step").is_some())
        .map(|li| {
            (
                li,
                li.value().attr("data-step").unwrap_or_default().to_owned(),
            )
        })
}

/// The device-switch banner text of the built-in devices, as the contract and the issue give them.
fn banner_text(lang: &str, device: &str) -> String {
    match (lang, device) {
        ("en", "computer") => "You must now use your computer.".into(),
        ("en", "phone") => "You must now use your phone.".into(),
        ("en", "tablet") => "You must now use your tablet.".into(),
        ("da", "computer") => "Du skal nu bruge din computer.".into(),
        ("da", "phone") => "Du skal nu bruge din telefon.".into(),
        ("da", "tablet") => "Du skal nu bruge din tablet.".into(),
        other => panic!("no expected banner text for {other:?}"),
    }
}

/// The store badge text by the store's host, in a language.
fn store_link_text(lang: &str, url: &str) -> &'static str {
    let apple = url.starts_with("https://apps.apple.com/");
    let google = url.starts_with("https://play.google.com/");
    match (lang, apple, google) {
        ("en", true, _) => "Download on the App Store",
        ("en", _, true) => "Get it on Google Play",
        ("da", true, _) => "Hent i App Store",
        ("da", _, true) => "Hent den på Google Play",
        other => panic!("no expected store link text for {other:?} ({url})"),
    }
}

#[test]
fn every_page_declares_its_language_and_direction() {
    let out = full_build();
    let source = site().source_lang();
    let mut expected_pages: BTreeSet<String> = BTreeSet::from(["index.html".to_owned()]);
    for lang in languages() {
        expected_pages.insert(format!("{lang}/index.html"));
        for guide in site().guides.iter().filter(|g| g.offered_in(lang)) {
            expected_pages.insert(format!("{lang}/{}/index.html", guide.id));
            // An alias's page sends the reader on to the guide.
            for alias in &guide.aliases {
                expected_pages.insert(format!("{lang}/{}/index.html", alias.id));
            }
        }
    }
    let pages = pages(out);
    let found: BTreeSet<String> = pages.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(found, expected_pages, "the pages of the site");

    let mut problems = Vec::new();
    for (rel, page) in &pages {
        let html = page.select(&sel("html")).next().expect("an <html> element");
        let expected = match rel.split_once('/') {
            Some((lang, _)) => lang,
            None => source,
        };
        if html.value().attr("lang") != Some(expected) {
            problems.push(format!(
                "{rel}: <html lang={:?}>, expected {expected:?}",
                html.value().attr("lang")
            ));
        }
        match html.value().attr("dir") {
            Some("ltr" | "rtl") => {}
            other => problems.push(format!(
                "{rel}: <html dir={other:?}>, expected \"ltr\" or \"rtl\""
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn device_switch_banners_follow_the_devices_of_the_steps() {
    let out = full_build();
    let mut banners_seen = 0;
    for guide in &site().guides {
        // Derived here from the sequence of devices: a banner before the first step and before every
        // step whose device differs from the step before it, across sections.
        let mut expected: Vec<(String, String)> = Vec::new();
        let mut previous: Option<&str> = None;
        for step in guide.steps() {
            if previous != Some(step.device.as_str()) {
                expected.push((step.number.to_string(), step.device.clone()));
            }
            previous = Some(&step.device);
        }
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            let mut actual = Vec::new();
            for banner in page.select(&sel("[data-device-switch]")) {
                let device = banner
                    .value()
                    .attr("data-device-switch")
                    .unwrap_or_default()
                    .to_owned();
                let (_, step) = enclosing_step(banner).unwrap_or_else(|| {
                    panic!(
                        "{lang}/{}: the banner for {device} is not inside a step li[data-step]",
                        guide.id
                    )
                });
                assert_eq!(
                    text_of(banner),
                    banner_text(lang, &device),
                    "{lang}/{}: the text of the banner before step {step}",
                    guide.id
                );
                actual.push((step, device));
            }
            assert_eq!(
                actual, expected,
                "{lang}/{}: (step, device) of each banner, in order",
                guide.id
            );
            banners_seen += actual.len();
        }
    }
    // The example has guides that switch devices more than once: a check that saw only first-step
    // banners would prove little.
    let switches_mid_guide = site()
        .guides
        .iter()
        .flat_map(|g| g.steps())
        .filter(|s| s.number > 1)
        .count();
    assert!(
        banners_seen > 2 * site().guides.len() && switches_mid_guide > 0,
        "the example should switch devices"
    );
}

#[test]
fn steps_are_numbered_from_one_in_document_order() {
    let out = full_build();
    for guide in &site().guides {
        let total = guide.steps().count();
        assert!(total > 0);
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            let numbers: Vec<String> = page
                .select(&sel("[data-step]"))
                .map(|s| s.value().attr("data-step").unwrap_or_default().to_owned())
                .collect();
            let expected: Vec<String> = (1..=total).map(|n| n.to_string()).collect();
            assert_eq!(
                numbers, expected,
                "{lang}/{}: data-step in document order",
                guide.id
            );
        }
    }
}

/// Renders an SVG as a camera would see it on screen (4× larger, on white) and returns the text of
/// every QR code found in it.
fn scan_qr(svg_markup: &str) -> Vec<String> {
    let markup = if svg_markup.contains("xmlns=\"http://www.w3.org/2000/svg\"") {
        svg_markup.to_owned()
    } else {
        svg_markup.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1)
    };
    let tree = usvg::Tree::from_str(&markup, &usvg::Options::default())
        .unwrap_or_else(|e| panic!("the QR code's SVG does not parse: {e}\n{markup}"));
    let scale = 4.0;
    let width = (tree.size().width() * scale).ceil() as u32;
    let height = (tree.size().height() * scale).ceil() as u32;
    assert!(width > 0 && height > 0, "the QR code's SVG has no size");
    let mut pixmap = tiny_skia::Pixmap::new(width, height).expect("pixmap");
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            let p = pixmap.pixel(x as u32, y as u32).expect("pixel in range");
            ((u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue())) / 3) as u8
        });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| {
            grid.decode()
                .unwrap_or_else(|e| panic!("a QR code was found but does not decode: {e:?}"))
                .1
        })
        .collect()
}

/// Whether anything hides `el` from view.
fn hidden(el: ElementRef) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|e| {
            let v = e.value();
            v.attr("hidden").is_some()
                || v.attr("aria-hidden") == Some("true")
                || v.classes()
                    .any(|c| c == "visually-hidden" || c == "sr-only")
                || v.attr("style")
                    .is_some_and(|s| s.replace(' ', "").contains("display:none"))
        })
}

#[test]
fn qr_codes_encode_the_store_links_of_guidegen_yaml() {
    let out = full_build();
    let settings =
        std::fs::read_to_string(example_site().join("guidegen.yaml")).expect("guidegen.yaml");
    let mut scanned = 0;
    for guide in &site().guides {
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            // Every QR code on the page: inside the step that asks for an app, one per store link of the
            // app in guidegen.yaml.
            let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for step in guide.steps() {
                if let Some(app) = &step.app {
                    let urls: BTreeSet<String> = site().apps[app]
                        .stores
                        .iter()
                        .map(|s| s.url.clone())
                        .collect();
                    for url in &urls {
                        assert!(
                            settings.contains(&format!(": {url}\n")),
                            "{url} is written in guidegen.yaml"
                        );
                    }
                    expected.insert(step.number.to_string(), urls);
                }
            }
            let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            // Continue-on-your-phone codes (base_url) are tests/publish.rs's.
            for qr in page.select(&sel("[data-qr]:not([data-continue])")) {
                let url = qr.value().attr("data-qr").unwrap_or_default().to_owned();
                let (step_li, step) = enclosing_step(qr)
                    .unwrap_or_else(|| panic!("{lang}/{}: QR code {url} outside a step", guide.id));
                let svg = qr.select(&sel("svg")).next().unwrap_or_else(|| {
                    panic!("{lang}/{}: [data-qr={url}] holds no <svg>", guide.id)
                });
                let decoded = scan_qr(&svg.html());
                assert_eq!(
                    decoded,
                    vec![url.clone()],
                    "{lang}/{}: what a phone reads from the QR code of step {step}",
                    guide.id
                );
                scanned += 1;

                // A visible link beside it, to the same address, named for the store.
                let holder = qr
                    .parent()
                    .and_then(ElementRef::wrap)
                    .expect("the QR code's parent");
                let link = holder
                    .select(&sel("a[href]"))
                    .find(|a| a.value().attr("href") == Some(url.as_str()))
                    .unwrap_or_else(|| {
                        panic!("{lang}/{}: no link to {url} beside its QR code", guide.id)
                    });
                assert!(
                    !hidden(link),
                    "{lang}/{}: the link to {url} is hidden",
                    guide.id
                );
                assert_eq!(
                    text_of(link),
                    store_link_text(lang, &url),
                    "{lang}/{}: the text of the link to {url}",
                    guide.id
                );
                assert!(
                    step_li
                        .select(&sel("a[href]"))
                        .any(|a| a.value().attr("href") == Some(url.as_str()))
                );

                actual.entry(step).or_default().insert(url);
            }
            assert_eq!(
                actual, expected,
                "{lang}/{}: the QR codes of each step",
                guide.id
            );
        }
    }
    assert!(
        scanned >= 4,
        "the example site has an app step with two store links in two languages; scanned {scanned}"
    );
}

/// Problems with the `href`s and `src`s of one page.
fn link_problems(
    out: &Path,
    rel: &str,
    page: &Html,
    parsed: &mut BTreeMap<String, Html>,
) -> Vec<String> {
    let ids = |p: &Html| -> BTreeSet<String> {
        p.select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_owned))
            .collect()
    };
    let own_ids = ids(page);
    let mut problems = Vec::new();
    for el in page.select(&sel("[href], [src]")) {
        let name = el.value().name();
        for attr in ["href", "src"] {
            let Some(url) = el.value().attr(attr) else {
                continue;
            };
            let lower = url.trim().to_ascii_lowercase();
            let what = format!("{rel}: <{name} {attr}=\"{url}\">");
            // A page's own address (`canonical`) and its other languages' (`alternate`) name the
            // published site (`base_url`) without loading anything from it.
            let address = |r: &str| matches!(r, "alternate" | "canonical");
            let loads = attr == "src"
                || (name == "link"
                    && el
                        .value()
                        .attr("rel")
                        .is_some_and(|r| r.split_whitespace().any(|r| !address(r))));
            let names_an_address = name == "link" && !loads;
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:")
            {
                if loads || (name != "a" && !names_an_address) {
                    problems.push(format!("{what}: loads from (or points into) the network"));
                }
                continue;
            }
            if lower.starts_with("//") || lower.starts_with('/') {
                problems.push(format!("{what}: not relative (breaks under file://)"));
                continue;
            }
            if let Some((scheme, _)) = lower
                .split(['/', '?', '#'])
                .next()
                .unwrap_or_default()
                .split_once(':')
            {
                problems.push(format!("{what}: `{scheme}:` URL"));
                continue;
            }
            let (path, fragment) = url
                .split_once('#')
                .map_or((url, None), |(p, f)| (p, Some(f)));
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                match fragment {
                    Some(f) if !f.is_empty() && own_ids.contains(&percent_decode(f)) => {}
                    _ => problems.push(format!("{what}: no element with that id on the page")),
                }
                continue;
            }
            let Some(target) = join_normalized(parent_of(rel), &percent_decode(path)) else {
                problems.push(format!("{what}: climbs out of the output folder"));
                continue;
            };
            let file = out.join(&target);
            if !file.is_file() {
                problems.push(format!("{what}: {target} is not a file of the output"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty())
                && target.ends_with(".html")
            {
                let other = parsed
                    .entry(target.clone())
                    .or_insert_with(|| parse_html(&file));
                if !ids(other).contains(&percent_decode(f)) {
                    problems.push(format!("{what}: {target} has no id `{f}`"));
                }
            }
        }
    }
    problems
}

/// Checks every page of a build: relative links resolve, nothing is loaded from the network.
fn assert_links_resolve(out: &Path) -> usize {
    let mut parsed = BTreeMap::new();
    let mut problems = Vec::new();
    let pages = pages(out);
    for (rel, page) in &pages {
        problems.extend(link_problems(out, rel, page, &mut parsed));
    }
    for css in files(&snapshot(out))
        .into_iter()
        .filter(|p| p.ends_with(".css"))
    {
        let text = std::fs::read_to_string(out.join(css))
            .expect("css")
            .to_ascii_lowercase()
            .replace(['"', '\'', ' '], "");
        if text.contains("url(http")
            || text.contains("url(//")
            || text.contains("@importhttp")
            || text.contains("@importurl(http")
        {
            problems.push(format!("{css}: loads from the network"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    pages.len()
}

#[test]
fn relative_links_resolve_and_nothing_loads_from_the_network() {
    let pages = assert_links_resolve(full_build());
    assert!(pages > 3 * languages().len());
}

#[test]
fn screenshots_have_size_and_alt_text_and_use_localized_files() {
    let out = full_build();
    let mut localized_seen = 0;
    let mut shots_seen = 0;
    for guide in &site().guides {
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            for img in page.select(&sel("img")) {
                let v = img.value();
                let positive = |a: &str| {
                    v.attr(a)
                        .and_then(|x| x.parse::<u32>().ok())
                        .is_some_and(|n| n > 0)
                };
                assert!(
                    positive("width") && positive("height"),
                    "{lang}/{}: <img src={:?}> without width and height",
                    guide.id,
                    v.attr("src")
                );
                assert!(
                    v.attr("alt").is_some_and(|a| !a.trim().is_empty()),
                    "{lang}/{}: <img src={:?}> without alt text",
                    guide.id,
                    v.attr("src")
                );
            }
            for step in guide.steps() {
                let Some(shot) = &step.screenshot else {
                    continue;
                };
                // `shots/x.svg` is shown as `shots/x.<lang>.svg` where that file exists beside it.
                let default = &shot.default.rel;
                let (stem, ext) = default.rsplit_once('.').expect("an extension");
                let variant = format!("{stem}.{lang}.{ext}");
                // A snippet's screenshot comes from snippets/ and is published under _snippets/.
                let source_of = |rel: &str| match (&step.snippet, rel.strip_prefix("_snippets/")) {
                    (Some(_), Some(rel)) => example_site().join("snippets").join(rel),
                    _ => guide.dir.join(rel),
                };
                let expected = if source_of(&variant).is_file() {
                    variant
                } else {
                    default.clone()
                };
                if expected != *default {
                    localized_seen += 1;
                }
                let step_li = page
                    .select(&sel(&format!("li[data-step=\"{}\"]", step.number)))
                    .next()
                    .unwrap_or_else(|| panic!("{lang}/{}: no step {}", guide.id, step.number));
                let img = step_li.select(&sel("img")).next().unwrap_or_else(|| {
                    panic!(
                        "{lang}/{}: step {} shows no screenshot",
                        guide.id, step.number
                    )
                });
                assert_eq!(
                    img.value().attr("src"),
                    Some(expected.as_str()),
                    "{lang}/{}: the screenshot of step {}",
                    guide.id,
                    step.number
                );
                // The file in the output is the author's file (an SVG sanitized, so that nothing in
                // it runs), and the page gives its real size.
                let written = out.join(lang).join(&guide.id).join(&expected);
                let bytes = std::fs::read(&written)
                    .unwrap_or_else(|e| panic!("{}: {e}", written.display()));
                let source = std::fs::read(source_of(&expected)).expect("source screenshot");
                let published = if expected.ends_with(".svg") {
                    guidegen::svg::sanitize(&source).expect("a valid SVG").bytes
                } else {
                    source
                };
                // A redacted screenshot is published as redacted (tests/screenshots.rs looks at
                // its pixels); any other as the author made it.
                let image = shot.image_for(lang);
                if image.redacted.is_empty() {
                    assert_eq!(bytes, published, "{}", written.display());
                } else {
                    assert_ne!(bytes, published, "{}", written.display());
                    assert_eq!(bytes, *image.bytes, "{}", written.display());
                }
                if expected.ends_with(".svg") {
                    let tree = usvg::Tree::from_data(&bytes, &usvg::Options::default())
                        .expect("screenshot SVG");
                    let size = (
                        tree.size().width().round() as u32,
                        tree.size().height().round() as u32,
                    );
                    let attrs = (
                        img.value()
                            .attr("width")
                            .and_then(|w| w.parse::<u32>().ok())
                            .unwrap_or_default(),
                        img.value()
                            .attr("height")
                            .and_then(|h| h.parse::<u32>().ok())
                            .unwrap_or_default(),
                    );
                    assert_eq!(
                        attrs, size,
                        "{lang}/{}: width and height of {expected}",
                        guide.id
                    );
                }
                shots_seen += 1;
            }
        }
    }
    assert!(
        shots_seen > 0 && localized_seen > 0,
        "the example site has localized screenshots ({shots_seen} shots, {localized_seen} localized)"
    );
}

#[test]
fn guide_pages_link_to_the_same_guide_in_the_other_languages() {
    let out = full_build();
    for guide in &site().guides {
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            let rel = format!("{lang}/{}/index.html", guide.id);
            for other in languages_of(guide).into_iter().filter(|o| *o != lang) {
                let target = format!("{other}/{}/index.html", guide.id);
                let found = page
                    .select(&sel(&format!("a[hreflang=\"{other}\"][href]")))
                    .any(|a| {
                        join_normalized(parent_of(&rel), a.value().attr("href").unwrap_or_default())
                            .as_deref()
                            == Some(target.as_str())
                    });
                assert!(found, "{rel}: no <a hreflang=\"{other}\"> to {target}");
            }
        }
    }
}

#[test]
fn guide_pages_link_to_their_pdf() {
    let out = full_build();
    for guide in &site().guides {
        for lang in languages_of(guide) {
            let page = guide_page(out, lang, guide);
            let rel = format!("{lang}/{}/index.html", guide.id);
            let pdf = format!("{lang}/{id}/{id}-{lang}.pdf", id = guide.id);
            let linked = page.select(&sel("a[href]")).any(|a| {
                join_normalized(parent_of(&rel), a.value().attr("href").unwrap_or_default())
                    .as_deref()
                    == Some(pdf.as_str())
            });
            assert!(linked, "{rel} does not link to {pdf}");
            let bytes = std::fs::read(out.join(&pdf)).unwrap_or_else(|e| panic!("{pdf}: {e}"));
            let doc = lopdf::Document::load_mem(&bytes)
                .unwrap_or_else(|e| panic!("{pdf} is not a PDF: {e}"));
            assert!(!doc.get_pages().is_empty(), "{pdf} has no pages");
        }
    }
}

#[test]
fn two_builds_are_byte_for_byte_identical() {
    // Others may rebuild the binary in the shared target folder while this runs: a difference is only
    // the site's when both builds ran the same binary.
    let binary = || std::fs::read(BIN).expect("the guidegen binary");
    let before = binary();
    let scratch = scratch("twice");
    let (first, second) = (scratch.join("first"), scratch.join("second"));
    build(&first, &[]);
    build(&second, &[]);
    let a = snapshot(&first);
    let b = snapshot(&second);
    assert!(
        before == binary(),
        "the guidegen binary was rebuilt during this test (a concurrent cargo build): run it again"
    );
    assert!(
        files(&a).iter().any(|p| p.ends_with(".pdf")),
        "the builds include PDFs"
    );
    assert_same_tree(&a, &b, "a second build of the same site");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn lang_and_format_choose_what_is_built() {
    let tmp = tempfile::tempdir().expect("tempdir");

    // Only English HTML.
    let out = tmp.path().join("en-html");
    build(&out, &["--lang", "en", "--format", "html"]);
    let snap = snapshot(&out);
    let all = files(&snap);
    assert!(!out.join("da").exists(), "--lang en wrote da/: {all:?}");
    assert!(
        !all.iter().any(|p| p.ends_with(".pdf")),
        "--format html wrote PDFs: {all:?}"
    );
    assert!(out.join("index.html").is_file() && out.join("en/index.html").is_file());
    for guide in site().guides.iter().filter(|g| g.offered_in("en")) {
        let page = guide_page(&out, "en", guide);
        assert!(
            !page
                .select(&sel("a[href]"))
                .any(|a| a.value().attr("href").is_some_and(|h| h.ends_with(".pdf"))),
            "en/{} links to a PDF that was not built",
            guide.id
        );
    }
    // Nothing links to the language or the PDFs that were not built.
    assert_links_resolve(&out);

    // Only PDFs.
    let out = tmp.path().join("pdf");
    build(&out, &["--format", "pdf"]);
    let snap = snapshot(&out);
    let all = files(&snap);
    assert!(
        !all.iter().any(|p| p.ends_with(".html")),
        "--format pdf wrote HTML: {all:?}"
    );
    for lang in languages() {
        for guide in site().guides.iter().filter(|g| g.offered_in(lang)) {
            let pdf = out
                .join(lang)
                .join(&guide.id)
                .join(format!("{}-{lang}.pdf", guide.id));
            let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
            let doc = lopdf::Document::load_mem(&bytes)
                .unwrap_or_else(|e| panic!("{} is not a PDF: {e}", pdf.display()));
            assert!(!doc.get_pages().is_empty());
        }
    }
}

#[test]
fn the_root_page_offers_every_language_without_a_script() {
    let out = full_build();
    let root = parse_html(&out.join("index.html"));
    for lang in languages() {
        // A plain link per language, with its hreflang, in that language: the choice needs no script.
        let link = root
            .select(&sel(&format!("a[hreflang=\"{lang}\"]")))
            .next()
            .unwrap_or_else(|| panic!("no link to {lang}"));
        assert_eq!(
            link.value().attr("href"),
            Some(format!("{lang}/index.html").as_str())
        );
        assert!(out.join(lang).join("index.html").is_file());
        let section = root
            .select(&sel(&format!("section[lang=\"{lang}\"]")))
            .next()
            .unwrap_or_else(|| panic!("no section in {lang}"));
        assert!(!text_of(section).is_empty());
        // The browser's preference, for visitors with scripts, from the same list of languages.
        assert!(
            root.select(&sel(&format!("link[rel=alternate][hreflang=\"{lang}\"]")))
                .next()
                .is_some(),
            "no <link rel=alternate hreflang={lang}>"
        );
    }
    let script: String = root
        .select(&sel("script"))
        .map(|s| s.inner_html())
        .collect();
    assert!(script.contains("navigator.languages"), "{script}");
    assert!(
        !script.contains("http"),
        "the script loads nothing: {script}"
    );
}
