//! Search (a language's index as a script, the forms that use it) and the guides made to travel:
//! `--format fragment` (for a CMS page) and `--format single` (one self-contained file), built from
//! the example site. The browser checks (tests/browser/search.mjs, embed.mjs) run them in Chromium.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use scraper::Html;

/// The example's guides in every language.
const GUIDES: [&str; 4] = ["eduroam", "mfa-setup", "password-reset", "vpn"];
/// The example's guides in Danish: those and one published only in Danish.
const GUIDES_DA: [&str; 5] = [
    "eduroam",
    "medarbejder-software",
    "mfa-setup",
    "password-reset",
    "vpn",
];

fn build(out: &Path, extra: &[&str]) {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"build", &"--out", &out, &"--quiet"];
    for arg in extra {
        args.push(arg);
    }
    run(&args).expect_code(0);
}

/// The index a language's `search-index.js` assigns.
fn search_index(out: &Path, lang: &str) -> serde_json::Value {
    let script = std::fs::read_to_string(out.join(lang).join("search-index.js")).unwrap();
    let json = script
        .split_once("window.guidegenSearch = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("the script assigns window.guidegenSearch");
    serde_json::from_str(json).expect("the index is JSON")
}

/// The places (`guide page`, `#anchor`) that hold `word`, decoding the gaps of its postings.
fn places_of(index: &serde_json::Value, word: &str) -> Vec<(String, String)> {
    let words = index["words"].as_array().unwrap();
    let Some(i) = words.iter().position(|w| w == word) else {
        return Vec::new();
    };
    let mut n = 0;
    index["postings"][i]
        .as_array()
        .unwrap()
        .iter()
        .map(|gap| {
            n += gap.as_u64().unwrap() as usize;
            let place = &index["places"][n];
            let guide = &index["guides"][place[0].as_u64().unwrap() as usize];
            (
                guide[0].as_str().unwrap().to_owned(),
                place[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn select_count(html: &Html, selector: &str) -> usize {
    html.select(&sel(selector)).count()
}

#[test]
fn each_language_has_a_search_index_whose_places_are_on_the_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--format", "html"]);
    let index = search_index(&out, "da");

    // Danish words keep æ, ø and å, lowercased; every word is sorted and held once.
    let words: Vec<&str> = index["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(words.contains(&"åbn"), "{words:?}");
    assert!(words.contains(&"adgangskode"), "{words:?}");
    assert!(words.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
    assert!(words.iter().all(|w| *w == w.to_lowercase()));

    // Every place a word leads to is an element of the guide's page.
    let mut checked = 0;
    for word in ["åbn", "adgangskode", "eduroam", "authenticator"] {
        let places = places_of(&index, word);
        assert!(!places.is_empty(), "{word}");
        for (page, anchor) in places {
            let html = parse_html(&out.join("da").join(&page));
            if let Some(id) = anchor.strip_prefix('#') {
                let found = select_count(&html, &format!("[id=\"{id}\"]"));
                assert_eq!(found, 1, "{page}{anchor} for {word}");
            }
            checked += 1;
        }
    }
    assert!(checked > 5);

    // Each language has its own: the English index has English words, not Danish ones.
    let english = search_index(&out, "en");
    assert!(!places_of(&english, "password").is_empty());
    assert!(places_of(&english, "åbn").is_empty());

    // Excerpts only, never the full text.
    for place in index["places"].as_array().unwrap() {
        assert!(place[3].as_str().unwrap().chars().count() <= 111, "{place}");
    }
}

#[test]
fn search_forms_are_on_the_index_and_every_guide_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--format", "html", "--lang", "da"]);
    let index = parse_html(&out.join("da/index.html"));
    let form = sel("form[role=search][data-search]");
    assert_eq!(index.select(&form).count(), 1);
    let input = index.select(&sel("form[data-search] input[name=q]")).next();
    let id = input.unwrap().value().attr("id").unwrap();
    assert_eq!(select_count(&index, &format!("label[for=\"{id}\"]")), 1);
    assert_eq!(
        select_count(&index, "[data-search-results] [role=status]"),
        1
    );
    assert_eq!(select_count(&index, "script[src=\"search-index.js\"]"), 1);
    assert_eq!(
        select_count(&index, "script[src=\"../assets/search.js\"]"),
        1
    );
    // Without script the index lists every guide.
    assert_eq!(select_count(&index, ".guide-list li"), GUIDES_DA.len());
    assert!(out.join("assets/search.js").is_file());

    for id in GUIDES_DA {
        let page = parse_html(&out.join("da").join(id).join("index.html"));
        let forms: Vec<_> = page.select(&form).collect();
        assert_eq!(forms.len(), 1, "{id}");
        assert_eq!(forms[0].value().attr("action"), Some("../index.html"));
        // A guide page searches through the index page: it does not load the index.
        assert_eq!(select_count(&page, "script[src$=\"search-index.js\"]"), 0);
    }
}

#[test]
fn the_search_index_is_the_same_for_the_same_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&a, &["--format", "html", "--lang", "da"]);
    build(&b, &["--format", "html", "--lang", "da"]);
    assert_eq!(
        std::fs::read(a.join("da/search-index.js")).unwrap(),
        std::fs::read(b.join("da/search-index.js")).unwrap()
    );
}

/// The hooks a guide's full page shows, to compare a travelling guide with.
fn hooks(html: &Html) -> Vec<(String, Vec<String>)> {
    ["data-step", "data-device-switch", "data-qr", "data-callout"]
        .iter()
        .map(|hook| {
            let values = html
                .select(&sel(&format!("[{hook}]")))
                .map(|e| e.value().attr(hook).unwrap_or_default().to_owned())
                .collect();
            (hook.to_string(), values)
        })
        .collect()
}

fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    for entry in walkdir(dir) {
        found.insert(entry.strip_prefix(dir).unwrap().to_path_buf());
    }
    found
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walkdir(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn fragments_and_single_files_hold_everything_of_the_page_and_nothing_that_cannot_travel() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(
        &out,
        &[
            "--format", "html", "--format", "fragment", "--format", "single",
        ],
    );
    for lang in ["da", "en"] {
        for id in GUIDES {
            let folder = out.join(lang).join(id);
            let page = parse_html(&folder.join("index.html"));

            let fragment_text =
                std::fs::read_to_string(folder.join(format!("{id}-{lang}.fragment.html"))).unwrap();
            for tag in ["<html", "<head", "<body", "<script", "<link", "<main"] {
                assert!(!fragment_text.contains(tag), "{id}-{lang}: {tag}");
            }
            let fragment = Html::parse_fragment(&fragment_text);
            assert_eq!(hooks(&fragment), hooks(&page), "{id}-{lang}.fragment.html");
            let roots: Vec<_> = fragment.select(&sel("[data-guidegen-fragment]")).collect();
            assert_eq!(roots.len(), 1);
            assert_eq!(roots[0].value().attr("lang"), Some(lang));
            for element in fragment.select(&sel("[id]")) {
                let id = element.value().attr("id").unwrap();
                assert!(id.starts_with("gg-"), "unprefixed id {id}");
            }
            for link in fragment.select(&sel("a[href^=\"#\"]")) {
                let target = &link.value().attr("href").unwrap()[1..];
                assert_eq!(select_count(&fragment, &format!("[id=\"{target}\"]")), 1);
            }
            // Every rule of its stylesheet is under its root.
            let style = fragment.select(&sel("style")).next().unwrap().inner_html();
            for rule in style.split('}') {
                let head = rule.split('{').next().unwrap_or_default().trim();
                if head.is_empty() || head.starts_with('@') || !rule.contains('{') {
                    continue;
                }
                for selector in top_level_selectors(head) {
                    let selector = selector.trim_start_matches("@media").trim();
                    assert!(
                        selector.starts_with(".guidegen-fragment.guidegen-fragment")
                            || selector.contains(" .guidegen-fragment.guidegen-fragment")
                            || selector.starts_with("to")
                            || selector.starts_with("from")
                            || selector.ends_with('%'),
                        "unscoped: {selector}"
                    );
                }
            }
            // Its screenshots are the files beside it.
            for img in fragment.select(&sel("img")) {
                let src = img.value().attr("src").unwrap();
                assert!(folder.join(percent_decode(src)).is_file(), "{src}");
            }

            let single = parse_html(&folder.join(format!("{id}-{lang}.html")));
            assert_eq!(hooks(&single), hooks(&page), "{id}-{lang}.html");
            assert_eq!(
                select_count(&single, "link[rel=stylesheet], script[src]"),
                0
            );
            assert_eq!(select_count(&single, "style"), 1);
            for img in single.select(&sel("img")) {
                let src = img.value().attr("src").unwrap();
                assert!(
                    src.starts_with("data:image/"),
                    "{}",
                    &src[..40.min(src.len())]
                );
                assert_eq!(img.value().attr("srcset"), None);
            }
            for link in single.select(&sel("a[href]")) {
                let href = link.value().attr("href").unwrap();
                assert!(
                    href.starts_with('#')
                        || href.starts_with("https://")
                        || href.starts_with("mailto:")
                        || href.starts_with("tel:"),
                    "{id}-{lang}.html links to {href}, which is not there when the file travels alone"
                );
            }
            assert_eq!(select_count(&single, "form[data-search]"), 0);
        }
    }
}

/// A selector list split at its commas outside parentheses.
fn top_level_selectors(list: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(list[start..].trim());
    parts
}

#[test]
fn inline_images_leave_nothing_beside_a_fragment() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(
        &out,
        &["--format", "fragment", "--inline-images", "--lang", "da"],
    );
    let files = files_under(&out);
    let expected: BTreeSet<PathBuf> = GUIDES_DA
        .iter()
        .map(|id| PathBuf::from(format!("da/{id}/{id}-da.fragment.html")))
        .collect();
    let made: BTreeSet<PathBuf> = files.into_iter().filter(|f| f.starts_with("da")).collect();
    assert_eq!(made, expected);
    let text =
        std::fs::read_to_string(out.join("da/mfa-setup/mfa-setup-da.fragment.html")).unwrap();
    let fragment = Html::parse_fragment(&text);
    let imgs: Vec<_> = fragment.select(&sel("img")).collect();
    assert!(!imgs.is_empty());
    for img in imgs {
        assert!(img.value().attr("src").unwrap().starts_with("data:image/"));
    }
}

#[test]
fn fragments_and_single_files_are_made_only_when_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--format", "html", "--lang", "en"]);
    let travelling: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy();
            name.ends_with(".fragment.html") || name.ends_with("-en.html")
        })
        .collect();
    assert!(travelling.is_empty(), "{travelling:?}");
}

#[test]
fn no_script_travels_with_a_guide_of_videos() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let site = fixture("videos");
    run(&[
        &"build",
        &site,
        &"--out",
        &out,
        &"--quiet",
        &"--format",
        &"fragment",
        &"--format",
        &"single",
        &"--lang",
        &"en",
    ])
    .expect_code(0);
    for name in ["videos-en.html", "videos-en.fragment.html"] {
        let text = std::fs::read_to_string(out.join("en/videos").join(name)).unwrap();
        assert!(!text.contains("<script"), "{name} has a script");
        // The service's video is still there, as a link card with its QR code.
        let html = Html::parse_document(&text);
        assert!(
            select_count(&html, "[data-video-service] [data-qr]") > 0,
            "{name}"
        );
    }
}
