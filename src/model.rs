//! Model stage: a validated site, in the form every renderer reads. Built only by `validate`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::diagnostic::Span;
use crate::slot::{Slot, StepField};

/// Where a text was written, for diagnostics about it later (translation status, warnings).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    /// The file, as diagnostics show it.
    pub path: PathBuf,
    pub span: Span,
}

/// Whether a translation still matches the source text it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TranslationState {
    /// Its recorded fingerprint matches the source text.
    Current,
    /// Written without a fingerprint: assumed current, since nothing says otherwise.
    Unpinned,
    /// The source text changed after this translation was written.
    Outdated,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalizedText {
    pub text: String,
    pub state: TranslationState,
    /// The source fingerprint recorded beside it (`source:`), if any: an outdated translation's tells
    /// which earlier source text it was made from.
    pub recorded: Option<String>,
    /// Where this language's entry was written.
    pub origin: Origin,
}

/// A translatable text: the source-language text and its translations.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub source: String,
    pub translations: BTreeMap<String, LocalizedText>,
    pub origin: Origin,
}

/// How a text stands in one language: shown as written, translated, or — missing or outdated — shown
/// in the source language instead. Decided by [`crate::fallback::resolve`] only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The language is the source language.
    Source,
    /// A translation whose recorded fingerprint matches the source text.
    Current,
    /// A translation written without a fingerprint: shown, since nothing says it is outdated.
    Unpinned,
    Missing,
    /// The source text changed after this translation was written.
    Outdated,
}

impl Status {
    /// The translation needs work: it is missing or outdated (reported by `check`, `i18n status` and
    /// `--strict`; whether the source text is shown instead is [`Resolved::fallback`]).
    pub fn needs_work(self) -> bool {
        matches!(self, Status::Missing | Status::Outdated)
    }

    /// `missing`, `outdated`, …: as status tables and JSON say it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Source => "source",
            Status::Current => "current",
            Status::Unpinned => "unpinned",
            Status::Missing => "missing",
            Status::Outdated => "outdated",
        }
    }
}

/// The text to show in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub text: &'a str,
    /// The language the text is in: the requested one, or the source language on fallback.
    pub lang: &'a str,
    pub status: Status,
    /// The source text is shown in place of the requested language's.
    pub fallback: bool,
}

impl Resolved<'_> {
    /// The requested language's text is not shown: the text is the source text.
    pub fn fallback(&self) -> bool {
        self.fallback
    }
}

impl Text {
    /// A text that is the same in every language (an app's name, say).
    pub fn invariant(text: impl Into<String>, origin: Origin) -> Self {
        Self {
            source: text.into(),
            translations: BTreeMap::new(),
            origin,
        }
    }

    /// The text in `lang`, falling back to the source language when the translation is missing (or
    /// outdated, if `outdated` says so). `source_lang` is the site's first language.
    pub fn resolve<'a>(
        &'a self,
        lang: &'a str,
        source_lang: &'a str,
        outdated: OutdatedPolicy,
    ) -> Resolved<'a> {
        crate::fallback::resolve(self, lang, source_lang, outdated)
    }
}

/// A store an app is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Store {
    AppStore,
    GooglePlay,
}

impl Store {
    pub const ALL: [Store; 2] = [Store::AppStore, Store::GooglePlay];

    /// The YAML key of the store's link, and its id in HTML (`data-store`).
    pub fn key(self) -> &'static str {
        match self {
            Store::AppStore => "app_store",
            Store::GooglePlay => "google_play",
        }
    }

    /// The only host a link to this store may point at.
    pub fn host(self) -> &'static str {
        match self {
            Store::AppStore => "apps.apple.com",
            Store::GooglePlay => "play.google.com",
        }
    }

    /// "an App Store link", for messages.
    pub fn link_noun(self) -> &'static str {
        match self {
            Store::AppStore => "an App Store link",
            Store::GooglePlay => "a Google Play link",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Store::AppStore => "App Store",
            Store::GooglePlay => "Google Play",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLink {
    pub store: Store,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub id: String,
    pub name: Text,
    /// In `Store::ALL` order.
    pub stores: Vec<StoreLink>,
}

/// The icons guidegen ships; a site device picks one by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Icon {
    Computer,
    Phone,
    Tablet,
    Device,
}

impl Icon {
    pub const ALL: [Icon; 4] = [Icon::Computer, Icon::Phone, Icon::Tablet, Icon::Device];

    pub fn name(self) -> &'static str {
        match self {
            Icon::Computer => "computer",
            Icon::Phone => "phone",
            Icon::Tablet => "tablet",
            Icon::Device => "device",
        }
    }

    pub fn from_name(name: &str) -> Option<Icon> {
        Icon::ALL.into_iter().find(|icon| icon.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    /// "phone", "telefon": as in "You need your computer and your phone".
    pub label: Text,
    /// "You must now use your phone."
    pub banner: Text,
    pub icon: Icon,
    /// Carried in the hand (`phone`, `tablet`, a site device with `mobile: true`): a switch to it
    /// from another device gets a continue-on-your-phone code, when the site has a `base_url`.
    pub mobile: bool,
    /// The kinds of this device whose steps may differ (iPhone, Android), in the order offered to
    /// the reader; empty for a device whose steps never do.
    pub platforms: Vec<Platform>,
    /// "Which phone do you have?": the label of the control where the reader picks a platform.
    pub question: Text,
}

/// A kind of a device whose steps may differ from its others' (`ios`, `android` of `phone`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// Unique in the site: `only:` and `variants:` name a platform without its device.
    pub id: String,
    /// "iPhone", "Mac".
    pub label: Text,
    pub icon: Icon,
    /// The store its readers install apps from: its QR code comes first for them.
    pub store: Option<Store>,
}

/// A built-in device: its id and icon; its texts are the UI catalogs' `device.<id>.…`.
pub struct BuiltinDevice {
    pub id: &'static str,
    pub icon: Icon,
    /// Its built-in platforms: id and store; labels are the catalogs' `platform.<id>.label`.
    pub platforms: &'static [(&'static str, Option<Store>)],
}

/// The devices every site has, with their platforms: one table, read by validation and docs' tests.
pub const BUILTIN_DEVICES: [BuiltinDevice; 3] = [
    BuiltinDevice {
        id: "computer",
        icon: Icon::Computer,
        platforms: &[("windows", None), ("macos", None)],
    },
    BuiltinDevice {
        id: "phone",
        icon: Icon::Phone,
        platforms: &[
            ("ios", Some(Store::AppStore)),
            ("android", Some(Store::GooglePlay)),
        ],
    },
    // Tablets are iPads and Android tablets alike, but a site rarely tells them apart: a site that
    // does declares its own (platform ids are unique in a site, so not `ios` again).
    BuiltinDevice {
        id: "tablet",
        icon: Icon::Tablet,
        platforms: &[],
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// What to do with a guide whose translation into a language is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncompletePolicy {
    /// Publish it, showing source-language text, marked, where the translation is missing or outdated.
    #[default]
    Fallback,
    /// Leave the guide out of that language until its translation is complete.
    Omit,
}

/// What a page shows for a translation whose source text changed after it was translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutdatedPolicy {
    /// The translation: a reworded source rarely makes it wrong, and a page in one language reads
    /// better than a mixed one. Reports still name it outdated.
    #[default]
    Show,
    /// The source text, marked and listed in the page's notice, as for a missing translation.
    Fallback,
}

/// A language of the site with the UI strings guidegen writes in it.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub catalog: Catalog,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub title: Text,
    /// The first is the source language of plain strings.
    pub languages: Vec<Language>,
    pub organization: Option<Text>,
    pub apps: BTreeMap<String, App>,
    pub devices: BTreeMap<String, Device>,
    pub paper: Paper,
    pub incomplete: IncompletePolicy,
    /// The video services whose player a reader may load into a page with a click (`video.embed`).
    pub video_embed: Vec<Service>,
    /// What a page shows for an outdated translation (`translation.outdated`).
    pub outdated: OutdatedPolicy,
    /// Sorted by id; shared, so that one guide can be replaced without copying the others.
    pub guides: Vec<std::sync::Arc<Guide>>,
    /// Parts of the settings that had errors: the guides are not checked against them, so that one
    /// mistake in guidegen.yaml is one error, not one per guide.
    pub unsure: Unsure,
    /// Where the site is published (`base_url`), ending with `/`: absolute addresses, the sitemap
    /// and continue-on-your-phone codes need it.
    pub base_url: Option<String>,
    /// `variables:`, used in texts as `((name))` ([`crate::variables`]).
    pub variables: crate::variables::Variables,
    /// The id of every guide found, valid or not, for `guide:` links to be checked against while
    /// the guides are still being read ([`crate::guidelinks`]).
    pub guide_ids: std::collections::BTreeSet<String>,
    /// The title and languages of each guide that a `guide:` link names, by id: a PDF prints them.
    pub link_targets: BTreeMap<String, crate::guidelinks::Target>,
    /// `translation.other_languages: list`: a guide published only in some languages is listed in
    /// the others' indexes too, marked with the languages it is in.
    pub list_other_languages: bool,
    /// The site's snippets, `snippets/<name>.yaml`, by name: read once, expanded where guides name them.
    pub snippets: std::sync::Arc<crate::snippets::Snippets>,
    // -- text: support block and folder dates --
    /// Where a reader gets help (`support:`), shown at the end of every guide.
    pub support: Option<Support>,
    /// The date of the last git commit that changed each folder, relative to `root` (empty when the
    /// site is not in a git repository): a guide without `updated:` shows its folder's.
    pub folder_dates: std::sync::Arc<BTreeMap<PathBuf, crate::dates::Date>>,
}

/// `support:` of guidegen.yaml: what to say, and how to reach IT support.
#[derive(Debug, Clone)]
pub struct Support {
    /// Markdown; without it the catalog's "Contact IT support."
    pub text: Option<Text>,
    pub email: Option<String>,
    /// As written: "+45 33 39 10 00".
    pub phone: Option<String>,
    pub address: Option<Text>,
    pub hours: Option<Text>,
}

/// Which parts of the settings could not be read as written (each already reported).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unsure {
    pub languages: bool,
    pub apps: bool,
    pub devices: bool,
    /// A `((name))` the settings do not define may be one they meant to.
    pub variables: bool,
}

impl Site {
    /// The platform `id` and the device it is of.
    pub fn platform(&self, id: &str) -> Option<(&Device, &Platform)> {
        self.devices
            .values()
            .find_map(|d| Some((d, d.platforms.iter().find(|p| p.id == id)?)))
    }

    pub fn source_lang(&self) -> &str {
        &self.languages[0].code
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The translatable texts written in guidegen.yaml, each with its name there — `title`,
    /// `organization`, `apps.<id>.name`, `devices.<id>.label`, `devices.<id>.banner`,
    /// `variables.<name>` — in that order.
    /// Texts guidegen supplies itself (built-in device labels, the default title) are not among them,
    /// nor names written once (an app's, the organization's), which are the same in every language.
    pub fn texts(&self) -> Vec<(String, &Text)> {
        // A supplied text has no place in the file: it is placed at the file's start.
        let written = |t: &Text| t.origin.span != crate::diagnostic::Span::START;
        let mut out = vec![("title".to_owned(), &self.title)];
        out.extend(
            self.organization
                .iter()
                .map(|t| ("organization".to_owned(), t)),
        );
        for (id, app) in &self.apps {
            out.push((format!("apps.{id}.name"), &app.name));
        }
        for (id, device) in &self.devices {
            out.push((format!("devices.{id}.label"), &device.label));
            out.push((format!("devices.{id}.banner"), &device.banner));
            // The question is asked only of a device with platforms.
            if !device.platforms.is_empty() {
                out.push((format!("devices.{id}.question"), &device.question));
            }
            for platform in &device.platforms {
                let name = format!("devices.{id}.platforms.{}.label", platform.id);
                out.push((name, &platform.label));
            }
        }
        for (name, value) in &self.variables {
            out.push((format!("variables.{name}"), value));
        }
        if let Some(support) = &self.support {
            out.extend(support.text.iter().map(|t| ("support.text".to_owned(), t)));
            out.extend(
                support
                    .address
                    .iter()
                    .map(|t| ("support.address".to_owned(), t)),
            );
            out.extend(
                support
                    .hours
                    .iter()
                    .map(|t| ("support.hours".to_owned(), t)),
            );
        }
        // A name written once is the same in every language: nothing to translate. So is a
        // variable written as one string (a phone number, an address).
        let neutral = |name: &str, t: &Text| {
            (name == "organization" || name.ends_with(".name") || name.starts_with("variables."))
                && t.translations.is_empty()
        };
        out.retain(|(name, t)| written(t) && !neutral(name, t));
        out
    }
}

// Serialized as a card (see `Guide::card`): what a card leaves out is not written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Guide {
    /// The guide folder's name.
    pub id: String,
    /// The guide's folder.
    pub dir: PathBuf,
    /// `guide.yaml`, as diagnostics show it.
    pub path: PathBuf,
    pub title: Text,
    pub summary: Option<Text>,
    pub sections: Vec<Section>,
    /// The guide's own video, shown after its overview.
    #[serde(skip)]
    pub video: Option<Video>,
    /// Files in the guide's folder that its Markdown links to, by path relative to the folder: copied
    /// beside every language's page.
    #[serde(skip)]
    pub attachments: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
    /// The platforms this guide is resolved for ([`Guide::resolve`]); empty: every variant is in it.
    pub choice: Choice,
    /// When the guide was last updated: its `updated:`, else its folder's last git commit.
    pub updated: Option<crate::dates::Date>,
    /// Earlier ids of the guide (`aliases:`), each published as a page that sends the reader on.
    pub aliases: Vec<Alias>,
    /// `languages:` of guide.yaml: the only languages the guide is published in, in the site's
    /// order; `None`: all of the site's.
    pub languages: Option<Vec<String>>,
    /// Its `guide:` links, for the check that each target is published where the link is shown.
    pub links: Vec<GuideLinkUse>,
    /// In a card ([`Guide::card`]), which keeps no steps: what the index shows of them. `None` in a
    /// guide with its steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_summary: Option<StepSummary>,
}

/// What an index card shows of a guide's steps: how many there are, and their devices.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StepSummary {
    pub count: usize,
    /// Each device once, in the order of the steps.
    pub devices: Vec<String>,
}

/// An earlier id of a guide, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    pub id: String,
    pub origin: Origin,
}

/// A `guide:` link in a guide's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GuideLinkUse {
    /// The id of the guide linked to.
    pub target: String,
    /// The languages whose pages show the text with the link.
    pub shown_in: Vec<String>,
    pub origin: Origin,
}

impl Guide {
    /// Every image its steps show as a screenshot — each step's and each variant's, in every
    /// language — once each, however many steps and languages share it.
    pub fn screenshot_images(&self) -> Vec<&Image> {
        let steps = self.sections.iter().flat_map(|section| &section.steps);
        let steps = steps.flat_map(|step| {
            std::iter::once(step).chain(step.variants.iter().map(|variant| &variant.step))
        });
        let mut seen = std::collections::HashSet::new();
        steps
            .filter_map(|step| step.screenshot.as_deref())
            .flat_map(|shot| std::iter::once(&shot.default).chain(shot.localized.values()))
            // Steps that show the same file hold the same image: its cells are one.
            .filter(|image| seen.insert(std::sync::Arc::as_ptr(&image.renditions)))
            .collect()
    }

    /// What a language's index shows of the guide — its id, title, summary, and the number and
    /// devices of its steps, not the steps — kept once its own pages are written, so that a build's
    /// memory does not hold every guide's texts and images (a step was 368 bytes and two
    /// allocations in a card; 25 of them were most of a card).
    pub fn card(&self) -> Guide {
        Guide {
            id: self.id.clone(),
            dir: self.dir.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            sections: Vec::new(),
            video: None,
            attachments: BTreeMap::new(),
            aliases: self.aliases.clone(),
            languages: self.languages.clone(),
            links: self.links.clone(),
            updated: self.updated,
            choice: self.choice.clone(),
            step_summary: Some(StepSummary {
                count: self.step_count(),
                devices: self.step_devices().map(str::to_owned).collect(),
            }),
        }
    }

    /// How many steps the guide has (a card's, as its guide had).
    pub fn step_count(&self) -> usize {
        match &self.step_summary {
            Some(summary) => summary.count,
            None => self.steps().count(),
        }
    }

    /// The devices of the guide's steps, each once, in the order of the steps (a card's, as its
    /// guide had).
    pub fn step_devices(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::new();
        let devices: Box<dyn Iterator<Item = &str>> = match &self.step_summary {
            Some(summary) => Box::new(summary.devices.iter().map(String::as_str)),
            None => Box::new(self.steps().map(|step| step.device.as_str())),
        };
        devices.filter(move |device| {
            let new = !seen.contains(device);
            if new {
                seen.push(device);
            }
            new
        })
    }

    /// Whether the guide is published in `lang` at all (before translation policies).
    pub fn offered_in(&self, lang: &str) -> bool {
        self.languages
            .as_ref()
            .is_none_or(|langs| langs.iter().any(|l| l == lang))
    }

    /// The devices whose platform changes what the guide shows, in the site's order of devices.
    pub fn variant_devices(&self) -> Vec<String> {
        let mut devices: Vec<String> = Vec::new();
        let sections = self.sections.iter().flat_map(|s| s.only.keys());
        let steps = self.steps().flat_map(|step| {
            let varied = (!step.variants.is_empty()).then_some(&step.device);
            step.only.keys().chain(varied)
        });
        for device in sections.chain(steps) {
            if !devices.contains(device) {
                devices.push(device.clone());
            }
        }
        devices.sort();
        devices
    }

    /// The guide as a reader who chose `choice` sees it: steps for other platforms left out, each
    /// step's variant for the chosen platform in its place, numbers running on without gaps and
    /// banners where the device changes in what is left.
    pub fn resolve(&self, choice: &Choice) -> Guide {
        let mut number = 0;
        let mut previous: Option<String> = None;
        let mut sections = Vec::new();
        for section in &self.sections {
            if !shown_for(&section.only, choice) {
                continue;
            }
            let mut steps = Vec::new();
            for step in section.steps.iter().filter(|s| shown_for(&s.only, choice)) {
                let chosen = choice.get(&step.device);
                let variant = step.variants.iter().find(|v| Some(&v.platform) == chosen);
                let mut shown = variant.map_or_else(|| step.clone(), |v| v.step.clone());
                if variant.is_some() || chosen.is_some() {
                    shown.variants.clear();
                }
                number += 1;
                shown.number = number;
                shown.device_switch = previous.as_deref() != Some(step.device.as_str());
                previous = Some(step.device.clone());
                steps.push(shown);
            }
            if steps.is_empty() && section.video.is_none() {
                continue;
            }
            sections.push(Section {
                steps,
                ..section.clone()
            });
        }
        let mut resolved = Guide {
            sections,
            ..self.clone()
        };
        resolved.choice = choice.clone();
        resolved
    }

    /// Every choice of a platform for each of [`Guide::variant_devices`]: the combinations that
    /// get a PDF of their own. Empty for a guide without variants.
    pub fn combinations(&self, site: &Site) -> Vec<Choice> {
        let mut out: Vec<Choice> = Vec::new();
        for device in self.variant_devices() {
            let platforms = site.devices.get(&device).map(|d| &d.platforms[..]);
            let platforms = platforms.unwrap_or_default();
            let starts = if out.is_empty() {
                vec![Choice::new()]
            } else {
                std::mem::take(&mut out)
            };
            for start in starts {
                for platform in platforms {
                    let mut choice = start.clone();
                    choice.insert(device.clone(), platform.id.clone());
                    out.push(choice);
                }
            }
        }
        out
    }

    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.sections.iter().flat_map(|s| s.steps.iter())
    }

    /// Every video of the guide — its own, then each section's and its steps' — in reading order.
    pub fn videos(&self) -> impl Iterator<Item = &Video> {
        self.video
            .iter()
            .chain(self.sections.iter().flat_map(|section| {
                section.video.iter().chain(
                    section
                        .steps
                        .iter()
                        .filter_map(|step| step.video.as_deref()),
                )
            }))
    }

    /// Whether this is a snippet as the translation commands see it
    /// ([`crate::snippets::with_translation_units`]): its steps only, no title.
    pub fn is_snippet(&self) -> bool {
        self.id.starts_with(&crate::snippets::translation_id(""))
    }

    /// Every translatable text of the guide with its slot, in reading order.
    pub fn slots(&self) -> Vec<(Slot, &Text)> {
        let mut out = Vec::new();
        if !self.is_snippet() {
            out.push((Slot::Title, &self.title));
        }
        out.extend(self.summary.as_ref().map(|t| (Slot::Summary, t)));
        out.extend(self.video.as_ref().map(|v| (Slot::VideoTitle, &v.title)));
        for (i, section) in self.sections.iter().enumerate() {
            out.extend(
                section
                    .title
                    .as_ref()
                    .map(|t| (Slot::SectionTitle(i + 1), t)),
            );
            out.extend(
                section
                    .intro
                    .as_ref()
                    .map(|t| (Slot::SectionIntro(i + 1), t)),
            );
            out.extend(
                section
                    .video
                    .as_ref()
                    .map(|v| (Slot::SectionVideoTitle(i + 1), &v.title)),
            );
            // A snippet's texts are translated in the snippet's file.
            out.extend(
                section
                    .steps
                    .iter()
                    .filter(|step| step.snippet.is_none())
                    .flat_map(Step::slots),
            );
        }
        out
    }

    /// [`Guide::slots`] with each slot in its textual form (`step.3.action`), for callers that name
    /// texts by string.
    pub fn texts(&self) -> Vec<(String, &Text)> {
        self.slots()
            .into_iter()
            .map(|(slot, text)| (slot.to_string(), text))
            .collect()
    }
}

// Serialized as a card (see `Guide::card`): what a card leaves out is not written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub title: Option<Text>,
    pub intro: Option<Text>,
    /// Shown after the intro, before the steps; a section may be its video alone.
    #[serde(skip)]
    pub video: Option<Video>,
    pub steps: Vec<Step>,
    /// The platforms the section is for (`only:`); empty: all.
    pub only: Only,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutKind {
    Note,
    Tip,
    Warning,
}

impl CalloutKind {
    pub fn key(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Tip => "tip",
            CalloutKind::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Callout {
    pub kind: CalloutKind,
    pub text: Text,
}

// Serialized as a card (see `Guide::card`): what a card leaves out is not written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// From 1, across the whole guide (across what a choice of platforms leaves of it, in a
    /// resolved guide).
    pub number: usize,
    /// Its number among every variant's steps: the page's `id="step-N"`, which a choice of
    /// platforms never changes, so that an address made for one choice finds it.
    pub anchor: usize,
    /// A key of `Site::devices`.
    pub device: String,
    /// The step's device differs from the step before it (or it is the first step): a banner precedes it.
    pub device_switch: bool,
    // A card's is empty.
    #[serde(skip)]
    pub action: Text,
    // Boxed, as `video` is: a step without them is a third of the size, and a build keeps every
    // guide's card (its steps) until the index pages are written.
    #[serde(skip)]
    pub screenshot: Option<Box<Screenshot>>,
    /// A key of `Site::apps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Text>,
    /// In the order note, tip, warning.
    #[serde(skip)]
    pub callouts: Vec<Callout>,
    #[serde(skip)]
    pub video: Option<Box<Video>>,
    /// Where its texts are translated: the number of the step in its own file, counting a
    /// `snippet:` item as one (equal to `number` in a guide without snippets).
    pub slot_number: usize,
    /// The snippet it comes from (`snippets/<name>.yaml`): its texts belong to that file, not the guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The platforms it is for, by device (its own `only:` and its section's); empty: all.
    #[serde(default, skip_serializing_if = "Only::is_empty")]
    pub only: Only,
    /// Its parts on single platforms of its device, where `variants:` gives them.
    #[serde(skip)]
    pub variants: Vec<Variant>,
}

/// Platforms by device: content shown only where the reader's device is one of them (a device
/// not named here, or not chosen yet, shows it).
pub type Only = BTreeMap<String, Vec<String>>;

/// The platform the reader chose, by device id. A device left out is not chosen: every platform's
/// content is shown for it.
pub type Choice = BTreeMap<String, String>;

/// Whether content for `only` is shown to a reader who chose `choice`.
pub fn shown_for(only: &Only, choice: &Choice) -> bool {
    only.iter()
        .all(|(device, platforms)| choice.get(device).is_none_or(|p| platforms.contains(p)))
}

/// A step as shown on one platform of its device.
#[derive(Debug, Clone)]
pub struct Variant {
    pub platform: String,
    /// The step with the variant's parts in place of its own (no variants of its own).
    pub step: Step,
    /// The text fields the variant writes itself: its translatable texts.
    pub fields: Vec<StepField>,
    /// The variant has its own screenshot (its callout labels are its own too).
    pub screenshot: bool,
    /// The variant names its own app (or none: `app: ""` is refused, so always one).
    pub app: bool,
}

impl Variant {
    /// The variant's own texts with their slots, in reading order.
    pub fn slots(&self, number: usize) -> Vec<(Slot, &Text)> {
        let key = crate::slot::PlatformKey::new(&self.platform);
        let mut out = Vec::new();
        for field in StepField::ALL {
            if let Some(text) = self
                .fields
                .contains(&field)
                .then(|| field.in_model(&self.step))
                .flatten()
            {
                out.push((Slot::VariantStep(number, key, field), text));
            }
            if field == StepField::Alt && self.screenshot {
                let shot = self.step.screenshot.iter();
                for (i, c) in shot.flat_map(|s| s.callouts.iter().enumerate()) {
                    if let Some(label) = &c.label {
                        out.push((Slot::VariantCalloutLabel(number, key, i + 1), label));
                    }
                }
            }
        }
        out
    }
}

impl Step {
    /// The step's texts with their slots, in reading order: a screenshot's callout labels after its
    /// alt text.
    pub fn slots(&self) -> impl Iterator<Item = (Slot, &Text)> {
        StepField::ALL
            .into_iter()
            .flat_map(move |field| {
                let text = field
                    .in_model(self)
                    .map(|text| (Slot::Step(self.slot_number, field), text));
                let labels = (field == StepField::Alt)
                    .then_some(self.screenshot.as_ref())
                    .flatten()
                    .into_iter()
                    .flat_map(|shot| shot.callouts.iter().enumerate())
                    .filter_map(|(i, c)| {
                        Some((
                            Slot::CalloutLabel(self.slot_number, i + 1),
                            c.label.as_ref()?,
                        ))
                    });
                text.into_iter().chain(labels)
            })
            .chain(self.variants.iter().flat_map(|v| v.slots(self.slot_number)))
    }

    /// The text of its callout of `kind`, if it has one.
    pub fn callout(&self, kind: CalloutKind) -> Option<&Text> {
        self.callouts
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| &c.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Svg,
}

impl ImageKind {
    pub fn from_extension(ext: &str) -> Option<ImageKind> {
        match ext.to_ascii_lowercase().as_str() {
            "png" => Some(ImageKind::Png),
            "jpg" | "jpeg" => Some(ImageKind::Jpeg),
            "svg" => Some(ImageKind::Svg),
            _ => None,
        }
    }

    /// The kind as messages name it: `PNG`, `JPEG`, `SVG`.
    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
            ImageKind::Svg => "SVG",
        }
    }

    /// The extension a file of this kind is given: `png`, `jpg`, `svg`.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Svg => "svg",
        }
    }
}

/// One image file, read and measured.
#[derive(Debug, Clone)]
pub struct Image {
    /// Relative to the guide's folder, with `/` separators: also its path in the output.
    pub rel: String,
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    /// As published: an SVG sanitized, redacted regions replaced.
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// The regions whose pixels were replaced (an SVG's covered), in its pixels.
    pub redacted: Vec<Region>,
    /// Its smaller copies for narrow screens, made when first asked for ([`crate::shots::renditions`])
    /// and shared by every step and language that shows this image.
    pub renditions: RenditionCell,
    /// Its copy for PDFs, when it is far sharper than a page shows it ([`crate::shots::print_copy`]).
    pub print: crate::shots::PrintCell,
    /// Where a long capture is cut into pieces for the PDF ([`crate::shots::long_capture_cuts`]).
    pub cuts: crate::shots::CutCell,
}

/// Where an image's renditions are kept once made.
pub type RenditionCell =
    std::sync::Arc<std::sync::OnceLock<Result<Vec<crate::shots::Rendition>, String>>>;

#[derive(Debug, Clone)]
pub struct Screenshot {
    /// The file named in guide.yaml. Its bytes are already redacted.
    pub default: Image,
    /// `name.<lang>.ext` beside it, by language, where such a file exists.
    pub localized: BTreeMap<String, Image>,
    pub alt: Option<Text>,
    /// The callouts drawn over it, numbered from 1 in this order.
    pub callouts: Vec<ShotCallout>,
    /// A localized image's own placing of the same callouts (same number, same order), by language.
    pub localized_shapes: BTreeMap<String, Vec<Shape>>,
    pub origin: Origin,
}

impl Screenshot {
    pub fn image_for(&self, lang: &str) -> &Image {
        self.localized.get(lang).unwrap_or(&self.default)
    }

    /// The callouts as drawn over the image shown in `lang`: each with its number (from 1), its shape
    /// placed for that image, and its label.
    pub fn callouts_for(&self, lang: &str) -> Vec<(usize, Shape, Option<&Text>)> {
        let shapes = self
            .localized
            .contains_key(lang)
            .then(|| self.localized_shapes.get(lang))
            .flatten();
        self.callouts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let shape = shapes.and_then(|s| s.get(i)).copied().unwrap_or(c.shape);
                (i + 1, shape, c.label.as_ref())
            })
            .collect()
    }
}

/// A rectangle in an image's pixels, from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// What a callout draws, in the image's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A rectangle around the region.
    Box(Region),
    /// An ellipse around the region.
    Ring(Region),
    /// An arrow from `from` to the point `to`.
    Arrow { from: (f64, f64), to: (f64, f64) },
    /// A numbered marker centred on the point.
    Marker(f64, f64),
}

impl Shape {
    /// `box`, `ring`, `arrow` or `marker`: its key in guide.yaml.
    pub fn key(self) -> &'static str {
        match self {
            Shape::Box(_) => "box",
            Shape::Ring(_) => "ring",
            Shape::Arrow { .. } => "arrow",
            Shape::Marker(..) => "marker",
        }
    }
}

/// A callout drawn over a screenshot: a shape, and an optional short label, listed under the image.
#[derive(Debug, Clone)]
pub struct ShotCallout {
    pub shape: Shape,
    pub label: Option<Text>,
}

/// A video of a guide, a section or a step.
#[derive(Debug, Clone)]
pub struct Video {
    pub title: Text,
    pub source: VideoSource,
    /// Where `video:` was written.
    pub origin: Origin,
}

impl Video {
    /// `ready` or `planned`, as the `data-video` hook says it.
    pub fn status(&self) -> &'static str {
        match self.source {
            VideoSource::Planned => "planned",
            VideoSource::Local(_) | VideoSource::Service(_) => "ready",
        }
    }
}

#[derive(Debug, Clone)]
pub enum VideoSource {
    /// Announced, not made yet (`status: planned`).
    Planned,
    /// A file in the guide's folder, published beside the page.
    Local(LocalVideo),
    /// An address of a video service: a link card, and with the site's consent a player loaded on a click.
    Service(ServiceVideo),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoKind {
    Mp4,
    WebM,
}

impl VideoKind {
    pub fn from_extension(ext: &str) -> Option<VideoKind> {
        match ext.to_ascii_lowercase().as_str() {
            "mp4" => Some(VideoKind::Mp4),
            "webm" => Some(VideoKind::WebM),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            VideoKind::Mp4 => "video/mp4",
            VideoKind::WebM => "video/webm",
        }
    }

    /// "MP4", "WebM".
    pub fn name(self) -> &'static str {
        match self {
            VideoKind::Mp4 => "MP4",
            VideoKind::WebM => "WebM",
        }
    }
}

/// A large file of the guide's folder, checked but not held in memory: the writer copies it from
/// the folder in chunks, and refuses it if its bytes are no longer those checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Relative to the guide's folder, with `/` separators: also its path in the output.
    pub rel: String,
    /// The guide's folder.
    pub dir: PathBuf,
    pub len: u64,
    /// SHA-256 of its bytes.
    pub digest: [u8; 32],
}

#[derive(Debug, Clone)]
pub struct LocalVideo {
    pub file: MediaFile,
    pub kind: VideoKind,
    pub poster: Option<Poster>,
    /// WebVTT captions by language code.
    pub captions: BTreeMap<String, Captions>,
}

/// A video's poster image: the file named (or found by convention) and its `name.<lang>.ext` variants.
#[derive(Debug, Clone)]
pub struct Poster {
    pub default: Image,
    pub localized: BTreeMap<String, Image>,
}

impl Poster {
    pub fn image_for(&self, lang: &str) -> &Image {
        self.localized.get(lang).unwrap_or(&self.default)
    }
}

/// A WebVTT file of captions in one language.
#[derive(Debug, Clone)]
pub struct Captions {
    /// Relative to the guide's folder, with `/` separators: also its path in the output.
    pub rel: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct ServiceVideo {
    /// The address as written: what the link and the QR code lead to.
    pub url: String,
    pub service: Service,
    /// The player's address, loaded into the page only when the reader clicks, and only when the
    /// site opts in to the service (`video.embed`).
    pub embed: Option<String>,
    /// A still for the PDF, which cannot show the service's.
    pub poster: Option<Poster>,
}

/// A video service guidegen knows by its addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    YouTube,
    Vimeo,
    Panopto,
    Stream,
    /// Any other https:// address.
    Other,
}

impl Service {
    /// The services a site can opt in to embedding.
    pub const EMBEDDABLE: [Service; 3] = [Service::YouTube, Service::Vimeo, Service::Panopto];

    /// Its id in `video.embed` and in `data-video-service`.
    pub fn id(self) -> &'static str {
        match self {
            Service::YouTube => "youtube",
            Service::Vimeo => "vimeo",
            Service::Panopto => "panopto",
            Service::Stream => "stream",
            Service::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<Service> {
        [
            Service::YouTube,
            Service::Vimeo,
            Service::Panopto,
            Service::Stream,
        ]
        .into_iter()
        .find(|s| s.id() == id)
    }

    /// "YouTube"; `None` for an address of no known service (the host is shown instead).
    pub fn name(self) -> Option<&'static str> {
        match self {
            Service::YouTube => Some("YouTube"),
            Service::Vimeo => Some("Vimeo"),
            Service::Panopto => Some("Panopto"),
            Service::Stream => Some("Microsoft Stream"),
            Service::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build keeps every guide's card — a `Guide` with all its steps — until the index pages
    /// are written (`Guide::card`): a step's rarely filled parts are boxed so that a step stays
    /// small: 368 bytes, where the two unboxed made it 984.
    #[test]
    fn a_step_stays_small() {
        let size = std::mem::size_of::<Step>();
        assert!(size <= 450, "a Step is {size} bytes");
    }
}
