//! A structure-aware model of `guide.yaml`, built by `arbitrary` from random bytes: guides that are
//! mostly well-formed, so that inputs reach validation and rendering, with nasty texts, invalid
//! languages, devices, apps and screenshots, and every way of writing YAML text.

use arbitrary::{Arbitrary, Unstructured};

use crate::fragments::{NASTY, long_word, nested};
use crate::yaml_writer::{Entry, Flow, Node, Style, document};

#[derive(Arbitrary, Debug)]
pub struct GuideSpec {
    pub layout: Layout,
    pub header_comment: bool,
    pub title: Option<TextSpec>,
    pub summary: Option<TextSpec>,
    pub body: Body,
    pub stray_key: Option<StrayKey>,
}

#[derive(Arbitrary, Debug)]
pub struct Layout {
    pub wide_indent: bool,
    pub indent_lists: bool,
}

#[derive(Arbitrary, Debug)]
pub enum Body {
    Steps(Steps),
    Sections(Vec<SectionSpec>),
    Both(Vec<SectionSpec>, Steps),
    Nothing,
}

#[derive(Arbitrary, Debug)]
pub struct Steps {
    pub items: Vec<StepSpec>,
    /// Written as a flow list (`[{…}, …]`) when a multiple of 8: rare, but it happens.
    pub flow: u8,
}

#[derive(Arbitrary, Debug)]
pub struct SectionSpec {
    pub title: Option<TextSpec>,
    pub intro: Option<TextSpec>,
    pub steps: Option<Steps>,
    pub comment: bool,
}

#[derive(Arbitrary, Debug)]
pub struct StepSpec {
    pub device: Option<Device>,
    pub action: Option<TextSpec>,
    pub screenshot: Option<Shot>,
    pub app: Option<App>,
    pub result: Option<TextSpec>,
    pub note: Option<TextSpec>,
    pub tip: Option<TextSpec>,
    pub warning: Option<TextSpec>,
    pub comment: bool,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Device {
    Computer,
    Phone,
    Tablet,
    Toaster,
    Empty,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum App {
    Authenticator,
    Unknown,
}

#[derive(Arbitrary, Debug)]
pub enum Shot {
    Path(ShotPath),
    Full {
        src: ShotPath,
        alt: Option<TextSpec>,
    },
}

/// Screenshot paths: the files the test sites have (see `site.rs`), and every kind of bad path.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum ShotPath {
    Svg,
    LocalizedSvg,
    Png,
    BadSvg,
    Missing,
    Gif,
    DotDot,
    Absolute,
    Folder,
    NoExtension,
}

impl ShotPath {
    fn path(self) -> &'static str {
        match self {
            ShotPath::Svg => "shots/plain.svg",
            ShotPath::LocalizedSvg => "shots/a.svg",
            ShotPath::Png => "shots/b.png",
            ShotPath::BadSvg => "shots/bad.svg",
            ShotPath::Missing => "shots/missing.png",
            ShotPath::Gif => "shots/c.gif",
            ShotPath::DotDot => "../../guidegen.yaml.png",
            ShotPath::Absolute => "/etc/passwd.svg",
            ShotPath::Folder => "shots",
            ShotPath::NoExtension => "shots/a",
        }
    }
}

#[derive(Arbitrary, Debug)]
pub struct TextSpec {
    pub value: TextValue,
    pub style: Style,
    pub comment: bool,
}

#[derive(Arbitrary, Debug)]
pub enum TextValue {
    Plain(Content),
    Localized {
        entries: Vec<(LangKey, TranslationSpec)>,
        flow: bool,
    },
}

#[derive(Arbitrary, Debug)]
pub enum TranslationSpec {
    Scalar(Content, Style),
    Map {
        text: Content,
        style: Style,
        source: Option<Fingerprint>,
        source_first: bool,
        flow: bool,
    },
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Fingerprint {
    Hex(u32),
    Digits(u16),
    Weird,
}

impl Fingerprint {
    pub fn text(self) -> String {
        match self {
            Fingerprint::Hex(n) => format!("{n:08x}"),
            Fingerprint::Digits(n) => format!("{n:08}"),
            Fingerprint::Weird => "1e100000".to_owned(),
        }
    }
}

/// Language keys: the site's, others that are valid codes, and invalid ones.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangKey {
    Da,
    En,
    De,
    PtBr,
    Ar,
    Upper,
    Underscore,
    OneLetter,
    Word,
    Spaced,
    Empty,
    Null,
    Number,
}

impl LangKey {
    pub fn code(self) -> &'static str {
        match self {
            LangKey::Da => "da",
            LangKey::En => "en",
            LangKey::De => "de",
            LangKey::PtBr => "pt-BR",
            LangKey::Ar => "ar",
            LangKey::Upper => "EN",
            LangKey::Underscore => "da_DK",
            LangKey::OneLetter => "e",
            LangKey::Word => "english",
            LangKey::Spaced => "e n",
            LangKey::Empty => "",
            LangKey::Null => "null",
            LangKey::Number => "12",
        }
    }
}

/// Text built from pieces: words, nasty fragments, line breaks, very long words, deep nesting.
#[derive(Arbitrary, Debug, Clone)]
pub struct Content(pub Vec<Piece>);

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Piece {
    Word(u8),
    Nasty(u8),
    Space,
    Newline,
    LongWord(u16),
    Nested { kind: u8, depth: u8 },
    Char(char),
}

/// Ordinary words, so that most texts read like guide text.
const WORDS: &[&str] = &[
    "Open",
    "the",
    "app",
    "Åbn",
    "appen",
    "Select",
    "**Next**",
    "and",
    "sign in",
    "[aka.ms/mfasetup](https://aka.ms/mfasetup)",
    "[IT support](mailto:it@example.com)",
    "[the form](files/form.pdf)",
    "[step 1](#step-1)",
    "`code`",
    "Vælg",
    "*Næste*",
];

impl Content {
    pub fn text(&self) -> String {
        self.0.iter().map(|p| p.text()).collect()
    }
}

impl Piece {
    fn text(self) -> String {
        match self {
            Piece::Word(i) => WORDS[usize::from(i) % WORDS.len()].to_owned(),
            Piece::Nasty(i) => NASTY[usize::from(i) % NASTY.len()].to_owned(),
            Piece::Space => " ".to_owned(),
            Piece::Newline => "\n".to_owned(),
            Piece::LongWord(n) => long_word(100 + usize::from(n) % 5000),
            Piece::Nested { kind, depth } => nested(kind, 1 + usize::from(depth) % 64),
            Piece::Char(c) => c.to_string(),
        }
    }
}

/// A structured guide from random bytes; `None` when the bytes run out before one is made.
pub fn arbitrary_guide(bytes: &[u8]) -> Option<GuideSpec> {
    GuideSpec::arbitrary(&mut Unstructured::new(bytes)).ok()
}

impl GuideSpec {
    /// The guide as YAML text.
    pub fn to_yaml(&self) -> String {
        let mut comments = Comments(0);
        let mut entries = Vec::new();
        if self.header_comment {
            entries.push(Entry::Comment(comments.next()));
        }
        push_text(&mut entries, "title", self.title.as_ref(), &mut comments);
        push_text(
            &mut entries,
            "summary",
            self.summary.as_ref(),
            &mut comments,
        );
        match &self.body {
            Body::Steps(steps) => entries.push(Entry::pair("steps", steps.node(&mut comments))),
            Body::Sections(sections) => {
                entries.push(Entry::pair(
                    "sections",
                    sections_node(sections, &mut comments),
                ));
            }
            Body::Both(sections, steps) => {
                entries.push(Entry::pair(
                    "sections",
                    sections_node(sections, &mut comments),
                ));
                entries.push(Entry::pair("steps", steps.node(&mut comments)));
            }
            Body::Nothing => {}
        }
        if let Some(stray) = &self.stray_key {
            entries.push(stray.entry());
        }
        let step = if self.layout.wide_indent { 4 } else { 2 };
        document(
            &Node::Map(entries, Flow::Block),
            step,
            self.layout.indent_lists,
        )
    }
}

/// Numbers the comments `# keep-N`, so that a test can tell each one survived.
pub struct Comments(usize);

impl Comments {
    fn next(&mut self) -> String {
        self.0 += 1;
        format!("keep-{}", self.0)
    }
}

/// Keys that are not in the format, or are in it twice.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum StrayKey {
    Misspelt,
    DuplicateTitle,
    Anchor,
}

impl StrayKey {
    fn entry(self) -> Entry {
        let (key, value) = match self {
            StrayKey::Misspelt => ("screnshot", "a.png"),
            StrayKey::DuplicateTitle => ("title", "again"),
            StrayKey::Anchor => ("title", "&a x"),
        };
        Entry::pair(key, Node::Scalar(value.to_owned(), Style::Raw))
    }
}

fn push_text(
    entries: &mut Vec<Entry>,
    key: &str,
    text: Option<&TextSpec>,
    comments: &mut Comments,
) {
    if let Some(text) = text {
        entries.push(Entry::Pair {
            key: key.to_owned(),
            value: text.node(),
            comment: text.comment.then(|| comments.next()),
        });
    }
}

fn sections_node(sections: &[SectionSpec], comments: &mut Comments) -> Node {
    let items = sections
        .iter()
        .map(|section| {
            let mut entries = Vec::new();
            if section.comment {
                entries.push(Entry::Comment(comments.next()));
            }
            push_text(&mut entries, "title", section.title.as_ref(), comments);
            push_text(&mut entries, "intro", section.intro.as_ref(), comments);
            if let Some(steps) = &section.steps {
                entries.push(Entry::pair("steps", steps.node(comments)));
            }
            Node::Map(entries, Flow::Block)
        })
        .collect();
    Node::List(items, Flow::Block)
}

impl Steps {
    fn node(&self, comments: &mut Comments) -> Node {
        let flow = if self.flow.is_multiple_of(8) {
            Flow::Flow
        } else {
            Flow::Block
        };
        Node::List(self.items.iter().map(|s| s.node(comments)).collect(), flow)
    }
}

impl StepSpec {
    fn node(&self, comments: &mut Comments) -> Node {
        let mut entries = Vec::new();
        if let Some(device) = self.device {
            let name = match device {
                Device::Computer => "computer",
                Device::Phone => "phone",
                Device::Tablet => "tablet",
                Device::Toaster => "toaster",
                Device::Empty => "",
            };
            entries.push(Entry::pair("device", scalar(name)));
        }
        push_text(&mut entries, "action", self.action.as_ref(), comments);
        if let Some(shot) = &self.screenshot {
            entries.push(Entry::pair("screenshot", shot.node(comments)));
        }
        if let Some(app) = self.app {
            let id = match app {
                App::Authenticator => "microsoft-authenticator",
                App::Unknown => "teams",
            };
            entries.push(Entry::pair("app", scalar(id)));
        }
        push_text(&mut entries, "result", self.result.as_ref(), comments);
        push_text(&mut entries, "note", self.note.as_ref(), comments);
        push_text(&mut entries, "tip", self.tip.as_ref(), comments);
        push_text(&mut entries, "warning", self.warning.as_ref(), comments);
        if self.comment {
            entries.push(Entry::Comment(comments.next()));
        }
        Node::Map(entries, Flow::Block)
    }
}

impl Shot {
    fn node(&self, comments: &mut Comments) -> Node {
        match self {
            Shot::Path(path) => scalar(path.path()),
            Shot::Full { src, alt } => {
                let mut entries = vec![Entry::pair("src", scalar(src.path()))];
                push_text(&mut entries, "alt", alt.as_ref(), comments);
                Node::Map(entries, Flow::Block)
            }
        }
    }
}

fn scalar(text: &str) -> Node {
    Node::Scalar(text.to_owned(), Style::Auto)
}

impl TextSpec {
    fn node(&self) -> Node {
        match &self.value {
            TextValue::Plain(content) => Node::Scalar(content.text(), self.style),
            TextValue::Localized { entries, flow } => {
                let entries = entries
                    .iter()
                    .map(|(lang, translation)| Entry::pair(lang.code(), translation.node()))
                    .collect();
                Node::Map(entries, if *flow { Flow::Flow } else { Flow::Block })
            }
        }
    }
}

impl TranslationSpec {
    fn node(&self) -> Node {
        match self {
            TranslationSpec::Scalar(content, style) => Node::Scalar(content.text(), *style),
            TranslationSpec::Map {
                text,
                style,
                source,
                source_first,
                flow,
            } => {
                let text = Entry::pair("text", Node::Scalar(text.text(), *style));
                let mut entries = vec![text];
                if let Some(source) = source {
                    // Written plain, as guidegen writes fingerprints.
                    let source = Entry::pair("source", Node::Scalar(source.text(), Style::Raw));
                    if *source_first {
                        entries.insert(0, source);
                    } else {
                        entries.push(source);
                    }
                }
                Node::Map(entries, if *flow { Flow::Flow } else { Flow::Block })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Tidying: most structured guides are made valid, so that they reach rendering.

/// The files the test sites have, which links may point to.
const LINKABLE: &[&str] = &["files/form.pdf", "shots/a.svg", "shots/plain.svg"];

/// Whether a piece of text passes validation's checks on characters and links.
fn tame(text: &str) -> bool {
    let bad_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
    };
    let link_ok = |url: &str| match guidegen::markdown::classify(url) {
        guidegen::markdown::TargetKind::External | guidegen::markdown::TargetKind::Fragment => true,
        guidegen::markdown::TargetKind::Relative(path) => LINKABLE.contains(&path.as_str()),
        // The fuzzed site has no guide to link to, nor variables.
        guidegen::markdown::TargetKind::Forbidden(_) | guidegen::markdown::TargetKind::Guide(_) => {
            false
        }
    };
    !text.chars().any(bad_char)
        && guidegen::variables::uses(text).is_empty()
        && guidegen::markdown::targets(text)
            .iter()
            .all(|t| link_ok(&t.url))
}

impl Content {
    /// Keeps the pieces validation accepts, nests at most 6 deep, holds one long word at most,
    /// and is never blank.
    fn tidy(&mut self) {
        let mut long_words = 0;
        self.0.retain_mut(|piece| match piece {
            Piece::Nasty(_) | Piece::Char(_) => tame(&piece.text()),
            Piece::Nested { depth, .. } => {
                *depth %= 6;
                true
            }
            Piece::LongWord(_) => {
                long_words += 1;
                long_words == 1
            }
            Piece::Word(_) | Piece::Space | Piece::Newline => true,
        });
        if !tame(&self.text()) {
            self.0
                .retain(|p| matches!(p, Piece::Word(_) | Piece::Space | Piece::Newline));
        }
        if self.text().trim().is_empty() {
            self.0.push(Piece::Word(0));
        }
    }
}

impl TextSpec {
    fn tidy(&mut self) {
        if self.style == Style::Raw {
            self.style = Style::Auto;
        }
        match &mut self.value {
            TextValue::Plain(content) => content.tidy(),
            TextValue::Localized { entries, .. } => {
                let mut seen = Vec::new();
                entries.retain(|(lang, _)| {
                    let keep = matches!(lang, LangKey::Da | LangKey::En) && !seen.contains(lang);
                    seen.push(*lang);
                    keep
                });
                if !entries.iter().any(|(lang, _)| *lang == LangKey::Da) {
                    let word = Content(vec![Piece::Word(0)]);
                    entries.insert(0, (LangKey::Da, TranslationSpec::Scalar(word, Style::Auto)));
                }
                for (_, translation) in entries {
                    translation.tidy();
                }
            }
        }
    }
}

impl TranslationSpec {
    fn tidy(&mut self) {
        let (content, style) = match self {
            TranslationSpec::Scalar(content, style) => (content, style),
            TranslationSpec::Map { text, style, .. } => (text, style),
        };
        content.tidy();
        if *style == Style::Raw {
            *style = Style::Auto;
        }
    }
}

fn tidy_text(text: &mut Option<TextSpec>) {
    if let Some(text) = text {
        text.tidy();
    }
}

impl StepSpec {
    fn tidy(&mut self, first: bool) {
        self.device = match self.device {
            Some(Device::Toaster | Device::Empty) => Some(Device::Computer),
            None if first => Some(Device::Phone),
            other => other,
        };
        if self.action.is_none() {
            self.action = Some(TextSpec {
                value: TextValue::Plain(Content(vec![Piece::Word(0)])),
                style: Style::Auto,
                comment: false,
            });
        }
        if let Some(App::Unknown) = self.app {
            self.app = Some(App::Authenticator);
        }
        if let Some(shot) = &mut self.screenshot {
            let tidy_path = |path: &mut ShotPath| {
                if !matches!(path, ShotPath::Svg | ShotPath::LocalizedSvg | ShotPath::Png) {
                    *path = ShotPath::Svg;
                }
            };
            match shot {
                Shot::Path(path) => tidy_path(path),
                Shot::Full { src, alt } => {
                    tidy_path(src);
                    tidy_text(alt);
                }
            }
        }
        for text in [
            &mut self.action,
            &mut self.result,
            &mut self.note,
            &mut self.tip,
            &mut self.warning,
        ] {
            tidy_text(text);
        }
    }
}

impl Steps {
    fn tidy(&mut self, first_in_guide: bool) {
        if self.items.is_empty() {
            self.items.push(StepSpec {
                device: None,
                action: None,
                screenshot: None,
                app: None,
                result: None,
                note: None,
                tip: None,
                warning: None,
                comment: false,
            });
        }
        for (i, step) in self.items.iter_mut().enumerate() {
            step.tidy(first_in_guide && i == 0);
        }
    }
}

impl GuideSpec {
    /// Makes the guide one validation accepts (as far as this model knows the rules): a title,
    /// steps with actions, the first with a device, the site's languages and apps, existing
    /// screenshots, tame texts. Its layout and styles stay as they were.
    pub fn tidy(&mut self) {
        self.stray_key = None;
        if self.title.is_none() {
            self.title = Some(TextSpec {
                value: TextValue::Plain(Content(vec![Piece::Word(0)])),
                style: Style::Auto,
                comment: false,
            });
        }
        tidy_text(&mut self.title);
        tidy_text(&mut self.summary);
        let body = std::mem::replace(&mut self.body, Body::Nothing);
        self.body = match body {
            Body::Sections(sections) | Body::Both(sections, _) if !sections.is_empty() => {
                Body::Sections(sections)
            }
            Body::Steps(steps) => Body::Steps(steps),
            _ => Body::Steps(Steps {
                items: Vec::new(),
                flow: 1,
            }),
        };
        match &mut self.body {
            Body::Steps(steps) => steps.tidy(true),
            Body::Sections(sections) => {
                for (i, section) in sections.iter_mut().enumerate() {
                    tidy_text(&mut section.title);
                    tidy_text(&mut section.intro);
                    section
                        .steps
                        .get_or_insert_with(|| Steps {
                            items: Vec::new(),
                            flow: 1,
                        })
                        .tidy(i == 0);
                }
            }
            Body::Both(..) | Body::Nothing => unreachable!("replaced above"),
        }
    }
}
