//! Render stage: a language's search index — what the search form on its pages looks through, as a
//! small script (`<lang>/search-index.js`) that assigns one global, because Chromium refuses
//! `fetch()` of a local file from a page opened from `file://`. The search itself is
//! `templates/search.js`, embedded in the binary and written to `assets/search.js`.
//!
//! The index holds normalised words → postings (the places that contain them), and for each place
//! only what a result shows: its label and a short excerpt — never the full text.

use std::borrow::Cow;
use std::collections::BTreeMap;

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
    // Equal words are equal strings, so an unstable sort gives the same list after `dedup`.
    words.sort_unstable();
    words.dedup();
    Place {
        anchor: anchor.to_owned(),
        label: label.to_owned(),
        excerpt: excerpt(excerpt_of),
        words: join_words(&words),
    }
}

/// `words` joined by single spaces, in one allocation of the exact size.
fn join_words(words: &[Cow<str>]) -> String {
    let len = words.iter().map(|w| w.len() + 1).sum::<usize>();
    let mut joined = String::with_capacity(len.saturating_sub(1));
    for word in words {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    joined
}

/// The words of `text` as the index and the search script both normalise them: lowercase, split at
/// everything but letters and digits (so æ, ø and å stay letters), words of one character dropped.
/// templates/search.js does the same to what the reader types.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    Words { text, at: 0 }
}

/// The iterator of [`words`]: one pass over the bytes, ASCII read without decoding (`char`'s
/// `is_alphanumeric` and lowercasing agree with the ASCII ones there), other characters decoded.
/// `tests::words_split_and_lowercase_as_char_by_char` holds it to splitting at
/// `!char::is_alphanumeric` and lowercasing each word.
struct Words<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for Words<'t> {
    type Item = Cow<'t, str>;

    fn next(&mut self) -> Option<Cow<'t, str>> {
        loop {
            let rest = &self.text[self.at..];
            let start = self.at + rest.find(|c: char| c.is_alphanumeric())?;
            let mut end = start;
            let mut chars = 0usize;
            // Most words are lowercase already: those are not copied.
            let mut lowercase = true;
            for c in self.text[start..].chars() {
                if c.is_ascii() {
                    if !c.is_ascii_alphanumeric() {
                        break;
                    }
                    lowercase &= !c.is_ascii_uppercase();
                } else {
                    if !c.is_alphanumeric() {
                        break;
                    }
                    lowercase &= lowercases_to_itself(c);
                }
                chars += 1;
                end += c.len_utf8();
            }
            self.at = end;
            if chars < 2 {
                continue;
            }
            let word = &self.text[start..end];
            return Some(match lowercase {
                true => Cow::Borrowed(word),
                false => Cow::Owned(word.to_lowercase()),
            });
        }
    }
}

fn lowercases_to_itself(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// The first [`EXCERPT_CHARS`] characters of `text`, cut at a space, with "…" when cut.
fn excerpt(text: &str) -> String {
    // The texts of a place are plain text already, their spaces collapsed: mostly nothing to do.
    let text = crate::markdown::collapse_spaces(text);
    if text.len() <= EXCERPT_CHARS || text.chars().count() <= EXCERPT_CHARS {
        return text.into_owned();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let end = cut
        .rfind(' ')
        .filter(|&i| i > EXCERPT_CHARS / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', '.', ';', ':']))
}

/// `<lang>/search-index.js` for `entries`, in the order the language's index lists the guides.
///
/// The index as the script's global holds it, as JSON: `guides` `[href, title]`; `places`
/// `[guide, anchor, label, excerpt]`; `words` sorted, and for each the places that hold it as
/// gaps between place numbers (smaller numbers, a smaller file). Written straight into one
/// `String`: a site's index has hundreds of thousands of postings, so words are numbered as they
/// are met and the postings laid out in one array by counting, with no list per word.
/// `tests::the_index_is_what_serde_json_wrote` holds the bytes to serde_json's.
pub fn index_script(entries: &[&GuideEntry]) -> String {
    let postings = Postings::of(entries);
    let places: usize = entries.iter().map(|e| e.places.len()).sum();
    let mut out = String::with_capacity(256 + places * 160 + postings.places.len() * 4);
    out.push_str(
        "// guidegen: the search index of this language, read by assets/search.js.\nwindow.guidegenSearch = ",
    );
    out.push_str("{\"guides\":[");
    for (g, entry) in entries.iter().enumerate() {
        if g > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_str(&mut out, &format!("{}/index.html", entry.id));
        out.push(',');
        push_json_str(&mut out, &entry.title);
        out.push(']');
    }
    out.push_str("],\"places\":[");
    let all_places = entries
        .iter()
        .enumerate()
        .flat_map(|(g, e)| e.places.iter().map(move |p| (g, p)));
    for (n, (g, place)) in all_places.enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push('[');
        push_number(&mut out, g);
        for text in [&place.anchor, &place.label, &place.excerpt] {
            out.push(',');
            push_json_str(&mut out, text);
        }
        out.push(']');
    }
    out.push_str("],\"words\":[");
    let sorted = postings.sorted_words();
    for (i, &w) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, postings.words[w]);
    }
    out.push_str("],\"postings\":[");
    for (i, &w) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        let mut last = 0;
        for (k, &n) in postings.of_word(w).iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            // Most gaps are one digit: pushed here, without a call.
            match n - last {
                gap @ 0..10 => out.push(char::from(b'0' + gap as u8)),
                gap => push_number(&mut out, gap),
            }
            last = n;
        }
        out.push(']');
    }
    out.push_str("]};\n");
    out
}

/// Every word of a language's places and the places that hold it, in one array: word `w`'s
/// place numbers, ascending, are `places[starts[w]..starts[w + 1]]`.
struct Postings<'e> {
    /// Each word once, numbered in the order first met.
    words: Vec<&'e str>,
    starts: Vec<usize>,
    places: Vec<usize>,
}

impl<'e> Postings<'e> {
    fn of(entries: &[&'e GuideEntry]) -> Self {
        // Hashed with foldhash (seeded by where the program is loaded): SipHash was most of the
        // index's time.
        let mut number: std::collections::HashMap<&str, usize, foldhash::fast::RandomState> =
            std::collections::HashMap::default();
        let mut words: Vec<&str> = Vec::new();
        // Each place's word numbers, in place order, and how many places each word is in.
        let mut met: Vec<usize> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        for place in entries.iter().flat_map(|e| &e.places) {
            for word in place.words.split(' ').filter(|w| !w.is_empty()) {
                let w = *number.entry(word).or_insert_with(|| {
                    words.push(word);
                    counts.push(0);
                    words.len() - 1
                });
                counts[w] += 1;
                met.push(w);
            }
            ends.push(met.len());
        }
        let mut starts = Vec::with_capacity(words.len() + 1);
        let mut total = 0;
        for count in &counts {
            starts.push(total);
            total += count;
        }
        starts.push(total);
        // Filled in place order, so each word's places come out ascending.
        let mut next = starts.clone();
        let mut places = vec![0; total];
        let mut from = 0;
        for (n, &end) in ends.iter().enumerate() {
            for &w in &met[from..end] {
                places[next[w]] = n;
                next[w] += 1;
            }
            from = end;
        }
        Postings {
            words,
            starts,
            places,
        }
    }

    /// Word numbers in the order of the words (byte order, as `str` sorts).
    fn sorted_words(&self) -> Vec<usize> {
        let mut sorted: Vec<usize> = (0..self.words.len()).collect();
        sorted.sort_unstable_by(|&a, &b| self.words[a].cmp(self.words[b]));
        sorted
    }

    fn of_word(&self, w: usize) -> &[usize] {
        &self.places[self.starts[w]..self.starts[w + 1]]
    }
}

/// `text` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\\`, the control
/// characters `\b \f \n \r \t` by name and the others as `\u00xx`; everything else as it is.
fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    // Most texts have nothing to escape.
    if !text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // An ASCII byte: `i` is a character boundary.
        out.push_str(&text[from..i]);
        from = i + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xf)] as char);
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&text[from..]);
    out.push('"');
}

/// `n` in decimal.
fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index as it was written before [`index_script`] wrote its JSON by hand: a map of
    /// postings and serde_json.
    fn index_script_by_serde(entries: &[&GuideEntry]) -> String {
        #[derive(serde::Serialize)]
        struct IndexData<'a> {
            guides: Vec<[String; 2]>,
            places: Vec<(usize, &'a str, &'a str, &'a str)>,
            words: Vec<&'a str>,
            postings: Vec<Vec<usize>>,
        }
        let mut data = IndexData {
            guides: Vec::new(),
            places: Vec::new(),
            words: Vec::new(),
            postings: Vec::new(),
        };
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
        let json = serde_json::to_string(&data).unwrap();
        format!(
            "// guidegen: the search index of this language, read by assets/search.js.\nwindow.guidegenSearch = {json};\n"
        )
    }

    #[test]
    fn the_index_is_what_serde_json_wrote() {
        // Every byte below 0x80 and some beyond, in every string of the index.
        let ascii: String = (0u8..0x80).map(char::from).collect();
        let odd =
            format!("{ascii}æøå \u{2028}\u{2029}\u{7f}\u{85}\u{feff}😀 \"quoted\" back\\slash");
        let place = |anchor: &str, label: &str, excerpt: &str, words: &str| Place {
            anchor: anchor.into(),
            label: label.into(),
            excerpt: excerpt.into(),
            words: words.into(),
        };
        let first = GuideEntry {
            id: "wi\"fi".into(),
            title: odd.clone(),
            places: vec![
                place("", "", &odd, "b\u{1}\u{1f} zz æble"),
                place("#step-1", &odd, "", ""),
                // Not as `place` makes them: doubled, unsorted, empty words.
                place("#step-2", "Step 2", "x", "zz  zz a\"b æble "),
            ],
        };
        let second = GuideEntry {
            id: "mfa".into(),
            title: String::new(),
            places: (0..40)
                .map(|i| {
                    place(
                        &format!("#step-{i}"),
                        "",
                        "",
                        &format!("w{} w{} common", i % 7, i % 3),
                    )
                })
                .collect(),
        };
        let empty = GuideEntry {
            id: "empty".into(),
            title: "E".into(),
            places: Vec::new(),
        };
        for entries in [
            vec![],
            vec![&empty],
            vec![&first],
            vec![&first, &second],
            vec![&second, &empty, &first],
        ] {
            assert_eq!(index_script(&entries), index_script_by_serde(&entries));
        }
    }

    #[test]
    fn words_split_and_lowercase_as_char_by_char() {
        let by_char = |text: &str| -> Vec<String> {
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().nth(1).is_some())
                .map(str::to_lowercase)
                .collect()
        };
        for text in [
            "",
            "a",
            "ab",
            " Ab  cD ",
            "ÅBN Æble ØST åh",
            "ΣΟΦΟΣ σοφός",
            "İstanbul ǅemal ß ẞ",
            "x1 2y 3 ½ ² ٣٤ 四五",
            "a-b_c.d,e;f:g!h?i/j\\k\"l'm(n)o[p]q{r}s<t>u",
            "tab\tnew\nline\u{a0}nbsp\u{2028}sep",
            "😀smile😀 ab😀cd",
            "MiXeD123 ABC déjà-vu",
        ] {
            let found: Vec<String> = words(text).map(Cow::into_owned).collect();
            assert_eq!(found, by_char(text), "{text:?}");
        }
    }

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
