//! The typst `World` a guide compiles in: one generated main file, the template it imports, the guide's
//! images as virtual files, and only the fonts embedded in guidegen. No system fonts, no file system, no network, no packages.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

/// The fonts every PDF uses, embedded in the binary (SIL Open Font License, see `fonts/OFL.txt`).
static FONT_FILES: [&[u8]; 10] = [
    include_bytes!("fonts/Inter-Regular.otf"),
    include_bytes!("fonts/Inter-Italic.otf"),
    include_bytes!("fonts/Inter-SemiBold.otf"),
    include_bytes!("fonts/Inter-Bold.otf"),
    include_bytes!("fonts/Inter-BoldItalic.otf"),
    include_bytes!("fonts/NotoMono-Regular.ttf"),
    // Fallbacks for right-to-left languages, whose letters Inter does not have.
    include_bytes!("fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Bold.ttf"),
];

/// The families the generated typst names: body text, addresses and code, right-to-left fallbacks.
#[cfg(test)]
const FAMILIES: [&str; 4] = ["Inter", "Noto Mono", "Noto Sans Arabic", "Noto Sans Hebrew"];

/// Fonts parsed once per process and shared by every compilation.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// Whether some embedded font has a glyph for `c`. Typst falls back through every font it has, so a
/// character any of them covers is shown; one none covers would be a blank "tofu" box, which PDF/UA-1
/// forbids: typst-pdf refuses to export it.
pub fn covers(c: char) -> bool {
    let code = c as u32;
    let ranges = &*COVERED;
    // The last range starting at or before `code`, if it reaches that far.
    let after = ranges.partition_point(|range| *range.start() <= code);
    after > 0 && ranges[after - 1].contains(&code)
}

/// The code points some embedded font has, as sorted, disjoint ranges: a font's own coverage is
/// searched run by run, and every text of a site is looked up character by character.
static COVERED: LazyLock<Vec<std::ops::RangeInclusive<u32>>> = LazyLock::new(|| {
    let mut codes: Vec<u32> = FONTS
        .fonts
        .iter()
        .flat_map(|font| font.info().coverage.iter())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut ranges: Vec<std::ops::RangeInclusive<u32>> = Vec::new();
    for code in codes {
        match ranges.last_mut() {
            Some(last) if *last.end() + 1 == code => *last = *last.start()..=code,
            _ => ranges.push(code..=code),
        }
    }
    ranges
});

/// The standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// The id of a file in the project root, e.g. `/main.typ`, `/img/3.png`.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("guidegen's virtual paths are absolute and valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Shared bytes of an image (`Arc<Vec<u8>>` is not `AsRef<[u8]>` by itself).
struct Shared(std::sync::Arc<Vec<u8>>);

/// `bytes` as typst holds a file, without copying them.
pub fn shared_bytes(bytes: &std::sync::Arc<Vec<u8>>) -> Bytes {
    Bytes::new(Shared(bytes.clone()))
}

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// The virtual files a guide's source refers to, by path.
#[derive(Default)]
pub struct Files {
    files: HashMap<FileId, Bytes>,
    by_key: HashMap<String, String>,
    next: usize,
}

impl Files {
    /// Adds `bytes` under a fresh path ending in `.ext`, and returns the path.
    pub fn add(&mut self, ext: &str, bytes: Bytes) -> String {
        self.next += 1;
        let path = format!("/f/{}.{ext}", self.next);
        self.files.insert(file_id(&path), bytes);
        path
    }

    /// Adds shared image bytes.
    pub fn add_shared(&mut self, ext: &str, bytes: &std::sync::Arc<Vec<u8>>) -> String {
        self.add(ext, shared_bytes(bytes))
    }

    /// Adds a text file once per `key` (the same icon in the same colour is one file).
    pub fn add_text_once(&mut self, key: &str, ext: &str, text: impl FnOnce() -> String) -> String {
        if let Some(path) = self.by_key.get(key) {
            return path.clone();
        }
        let path = self.add(ext, Bytes::from_string(text()));
        self.by_key.insert(key.to_owned(), path.clone());
        path
    }
}

/// The template's two versions as sources, parsed once per process.
static TEMPLATES: LazyLock<[Source; 2]> = LazyLock::new(|| {
    [false, true].map(|rtl| {
        let path = super::document::TEMPLATE_PATHS[usize::from(rtl)];
        Source::new(
            file_id(path),
            super::document::template_text(rtl).into_owned(),
        )
    })
});

/// One guide's compilation environment.
pub struct GuideWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl GuideWorld {
    pub fn new(source: String, files: Files, today: Datetime) -> Self {
        Self {
            main: Source::new(file_id("/main.typ"), source),
            files: files.files,
            today,
        }
    }

    /// The part of the guide a diagnostic is about: the marker before the first place in the generated
    /// source it points at, itself or through the calls that led to it (an error inside a function of
    /// the template is traced to the guide's call of that function).
    pub fn part(&self, diagnostic: &SourceDiagnostic) -> Option<String> {
        let spans = std::iter::once(diagnostic.span)
            .chain(diagnostic.trace.iter().map(|point| point.span.into()));
        spans
            .filter(|span| span.id() == Some(self.main.id()))
            .filter_map(|span| self.range(span))
            .find_map(|range| super::document::part_at(self.main.text(), range.start))
            .map(str::to_owned)
    }
}

impl World for GuideWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        TEMPLATES
            .iter()
            .find(|template| template.id() == id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        // The guide's images first: typst asks for them far more often than for the sources.
        match self.files.get(&id) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.source(id).map(Bytes::from_string),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        let _ = offset;
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_imported_from_one_source_per_direction_parsed_once() {
        let today = Datetime::from_ymd(2024, 1, 1).unwrap();
        let world = |rtl| {
            let main = super::super::document::template_import(rtl);
            GuideWorld::new(main, Files::default(), today)
        };
        let [ltr, rtl] = super::super::document::TEMPLATE_PATHS.map(file_id);
        let (a, b) = (world(false), world(true));
        // Two compilations get the one parsed source, not a copy.
        let (first, second) = (a.source(ltr).unwrap(), b.source(ltr).unwrap());
        assert_eq!(first.text().as_ptr(), second.text().as_ptr());
        assert!(first.root().errors_and_warnings().0.is_empty());
        let rtl = a.source(rtl).unwrap();
        assert!(rtl.text().contains("#let gg-rtl = true"));
        assert!(first.text().contains("#let gg-rtl = false"));
        // Each compiles, the import found.
        for world in [&a, &b] {
            typst::compile::<typst_layout::PagedDocument>(world)
                .output
                .unwrap();
        }
    }

    #[test]
    fn fonts_are_embedded_and_cover_danish() {
        let fonts = &FONTS.fonts;
        assert_eq!(fonts.len(), FONT_FILES.len());
        for font in fonts {
            let family = &font.info().family;
            // Body text and addresses carry Danish; the right-to-left fallbacks carry their script.
            let sample = match family.as_str() {
                "Noto Sans Arabic" => "مرحبا",
                "Noto Sans Hebrew" => "שלום",
                _ => "æøåÆØÅ",
            };
            for c in sample.chars() {
                assert!(
                    font.info().coverage.contains(c as u32),
                    "{family} lacks {c}"
                );
            }
        }
        let families: Vec<&str> = FONTS.book.families().map(|(name, _)| name).collect();
        for family in FAMILIES {
            assert!(
                families.iter().any(|f| f.eq_ignore_ascii_case(family)),
                "{families:?}"
            );
        }
    }

    #[test]
    fn every_inter_face_has_the_placeholder_and_no_emoji() {
        let placeholder = crate::textcheck::PLACEHOLDER;
        let inter: Vec<&Font> = FONTS
            .fonts
            .iter()
            .filter(|f| f.info().family == "Inter")
            .collect();
        assert_eq!(inter.len(), 5);
        for font in inter {
            assert!(font.info().coverage.contains(placeholder as u32));
        }
        assert!(covers(placeholder));
        assert!(covers('æ') && covers('ש') && covers('م'));
        assert!(!covers('🔐') && !covers('中') && !covers('\u{7}'));
    }

    #[test]
    fn covers_agrees_with_the_fonts() {
        for code in (0..0x3000).chain(0xfb00..0x10000).chain(0x1f300..0x1f400) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let any = FONTS
                .fonts
                .iter()
                .any(|font| font.info().coverage.contains(code));
            assert_eq!(covers(c), any, "U+{code:04X}");
        }
    }
}
