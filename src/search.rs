//! Render stage: a language's search index — what the search form on its pages looks through, as a
//! small script (`<lang>/search-index.js`) that assigns one global, because Chromium refuses
//! `fetch()` of a local file from a page opened from `file://`. The search itself is
//! `templates/search.js`, embedded in the binary and written to `assets/search.js`.
//!
//! The index holds normalised words → postings (the places that contain them), and for each place
//! only what a result shows: its label and a short excerpt — never the full text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Guide, Language, Site};
use crate::view::{Localizer, section_anchor, step_anchor};

/// The script that searches a language's index: shipped in the binary, written to `assets/search.js`.
pub const SEARCH_SCRIPT: &str = include_str!("../templates/search.js");

/// Where a language's index is written, relative to the output folder.
pub fn index_path(lang: &str) -> String {
    format!("{lang}/search-index.js")
}

/// Longest excerpt a result shows, in characters.
const EXCERPT_CHARS: usize = 110;

/// Each language's entries by guide id, collected while a build renders its guides (the guides the
/// indexes are made from then keep only their cards).
pub type Entries = BTreeMap<String, BTreeMap<String, GuideEntry>>;

/// One place a search can lead to: a guide's top, a section or a step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    /// `#step-3`, `#section-2`, or empty for the guide's top.
    pub anchor: String,
    /// "Step 3", a section's title, or empty for the guide itself.
    pub label: String,
    /// The start of the place's text, in plain words.
    pub excerpt: String,
    /// The normalised words of every text of the place, each once, sorted, joined by spaces: one
    /// allocation a place, for a build holds every guide's places until the indexes are written.
    pub words: String,
}

/// A guide's places in one language, in reading order (the guide's top first).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GuideEntry {
    pub id: String,
    pub title: String,
    pub places: Vec<Place>,
}

/// The places of `guide` in `lang`: its title and summary; each section's title and intro; each
/// step's action, result and notes.
pub fn guide_entry(site: &Site, guide: &Guide, lang: &Language) -> GuideEntry {
    let l = Localizer::for_language(site, lang);
    let title = l.plain(&guide.title).text;
    let summary = guide
        .summary
        .as_ref()
        .map(|s| l.plain(s).text)
        .unwrap_or_default();
    let mut places = vec![place("", "", &summary, [title.as_str(), &summary])];
    for (i, section) in guide.sections.iter().enumerate() {
        let section_title = section.title.as_ref().map(|t| l.plain(t).text);
        let intro = section.intro.as_ref().map(|t| l.plain(t).text);
        if let Some(section_title) = &section_title {
            let intro = intro.as_deref().unwrap_or_default();
            let anchor = format!("#{}", section_anchor(i + 1));
            places.push(place(&anchor, section_title, intro, [section_title, intro]));
        }
        for step in &section.steps {
            let mut texts = vec![l.plain(&step.action).text];
            texts.extend(step.result.as_ref().map(|r| l.plain(r).text));
            texts.extend(step.callouts.iter().map(|c| l.plain(&c.text).text));
            let label = l
                .catalog
                .format("guide.step", &[("n", &step.number.to_string())]);
            let anchor = format!("#{}", step_anchor(step.number));
            places.push(place(
                &anchor,
                &label,
                &texts[0],
                texts.iter().map(String::as_str),
            ));
        }
    }
    GuideEntry {
        id: guide.id.clone(),
        title,
        places,
    }
}

fn place<'t>(
    anchor: &str,
    label: &str,
    excerpt_of: &str,
    texts: impl IntoIterator<Item = &'t str>,
) -> Place {
    let mut words: Vec<Cow<str>> = texts.into_iter().flat_map(words).collect();
    words.sort();
    words.dedup();
    Place {
        anchor: anchor.to_owned(),
        label: label.to_owned(),
        excerpt: excerpt(excerpt_of),
        words: words.join(" "),
    }
}

/// The words of `text` as the index and the search script both normalise them: lowercase, split at
/// everything but letters and digits (so æ, ø and å stay letters), words of one character dropped.
/// templates/search.js does the same to what the reader types.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        // Most words are lowercase already: those are not copied.
        .map(|w| match w.chars().all(lowercases_to_itself) {
            true => Cow::Borrowed(w),
            false => Cow::Owned(w.to_lowercase()),
        })
}

fn lowercases_to_itself(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// The first [`EXCERPT_CHARS`] characters of `text`, cut at a space, with "…" when cut.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let end = cut
        .rfind(' ')
        .filter(|&i| i > EXCERPT_CHARS / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', '.', ';', ':']))
}

/// The index as the script's global holds it: `guides` `[href, title]`; `places`
/// `[guide, anchor, label, excerpt]`; `words` sorted, and for each the places that hold it as
/// gaps between place numbers (smaller numbers, a smaller file).
#[derive(Serialize)]
struct IndexData<'a> {
    guides: Vec<[String; 2]>,
    places: Vec<(usize, &'a str, &'a str, &'a str)>,
    words: Vec<&'a str>,
    postings: Vec<Vec<usize>>,
}

/// `<lang>/search-index.js` for `entries`, in the order the language's index lists the guides.
pub fn index_script(entries: &[&GuideEntry]) -> String {
    let mut data = IndexData {
        guides: Vec::new(),
        places: Vec::new(),
        words: Vec::new(),
        postings: Vec::new(),
    };
    // Hashed while collecting, sorted once: a site's index has hundreds of thousands of postings.
    let mut postings: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (g, entry) in entries.iter().enumerate() {
        data.guides
            .push([format!("{}/index.html", entry.id), entry.title.clone()]);
        for place in &entry.places {
            let n = data.places.len();
            data.places
                .push((g, &place.anchor, &place.label, &place.excerpt));
            for word in place.words.split(' ').filter(|w| !w.is_empty()) {
                postings.entry(word).or_default().push(n);
            }
        }
    }
    let mut postings: Vec<(&str, Vec<usize>)> = postings.into_iter().collect();
    postings.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (word, places) in postings {
        data.words.push(word);
        let mut last = 0;
        data.postings.push(
            places
                .into_iter()
                .map(|n| {
                    let gap = n - last;
                    last = n;
                    gap
                })
                .collect(),
        );
    }
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    format!(
        "// guidegen: the search index of this language, read by assets/search.js.\nwindow.guidegenSearch = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_danish_letters_and_drop_punctuation() {
        let found: Vec<Cow<str>> =
            words("Åbn «Indstillinger», vælg Adgangskode-nulstilling; ø 2FA").collect();
        assert_eq!(
            found,
            [
                "åbn",
                "indstillinger",
                "vælg",
                "adgangskode",
                "nulstilling",
                "2fa"
            ]
        );
    }

    #[test]
    fn excerpts_are_cut_at_a_space() {
        let long = "ord ".repeat(60);
        let cut = excerpt(&long);
        assert!(cut.ends_with("ord…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("  Kort   tekst. "), "Kort tekst.");
    }

    #[test]
    fn postings_are_gaps_between_places() {
        let place = |anchor: &str, words: &[&str]| Place {
            anchor: anchor.into(),
            label: String::new(),
            excerpt: String::new(),
            words: words.join(" "),
        };
        let entry = GuideEntry {
            id: "wifi".into(),
            title: "Wi-Fi".into(),
            places: vec![
                place("", &["wifi"]),
                place("#step-1", &["net"]),
                place("#step-2", &["net", "wifi"]),
            ],
        };
        let script = index_script(&[&entry]);
        assert!(
            script.contains(r#""words":["net","wifi"],"postings":[[1,1],[0,2]]"#),
            "{script}"
        );
        assert!(
            script.contains(r#"["wifi/index.html","Wi-Fi"]"#),
            "{script}"
        );
    }
}
