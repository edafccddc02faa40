//! Load stage: the shapes of `guidegen.yaml`, `guide.yaml` and UI catalogs as written, with source locations.
//!
//! These structs mirror the files one to one and reject unknown keys; nothing here checks meaning.
//! Validation turns them into the model.
//!
//! They also give the files' JSON Schemas ([`crate::schema`]): their doc comments are the keys'
//! descriptions in editors, and a `Spanned` field says what it holds with `#[schemars(with = "…")]`
//! (`Option<Spanned<Text>>` → `Option<Text>`). The load stage checks every file against the same
//! schema before reading it, so that one run reports every unknown key and wrong type.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// Translatable text as written: a plain string in the site's source language, or a map from language
/// code to translation.
#[derive(Debug, Clone)]
pub enum Text {
    Plain(String),
    Localized(Vec<(Spanned<String>, Spanned<Translation>)>),
}

/// One language's text in a language map. `source` is the fingerprint of the source-language text this
/// translation was made from (written by `guidegen i18n confirm` and `import`), so that a later edit of
/// the source shows the translation as outdated.
///
/// The form it was written in is kept, with the map form's positions, so that `guidegen i18n confirm`
/// and `import` can edit the file in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// `en: text`.
    Scalar(String),
    /// `en: {text: …, source: …}`, or the same as a block map.
    Map {
        text: Spanned<String>,
        source: Option<Spanned<String>>,
    },
}

impl Translation {
    pub fn text(&self) -> &str {
        match self {
            Translation::Scalar(text) => text,
            Translation::Map { text, .. } => &text.value,
        }
    }

    /// The recorded fingerprint of the source text, if any.
    pub fn source(&self) -> Option<&str> {
        match self {
            Translation::Scalar(_) => None,
            Translation::Map { source, .. } => source.as_ref().map(|s| s.value.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map from language code to text such as {en: …, da: …}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut entries = Vec::new();
                while let Some(lang) = map.next_key::<Spanned<String>>()? {
                    let translation = map.next_value::<Spanned<Translation>>()?;
                    entries.push((lang, translation));
                }
                Ok(Text::Localized(entries))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl<'de> Deserialize<'de> for Translation {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TranslationVisitor;
        const FIELDS: &[&str] = &["text", "source"];
        impl<'de> Visitor<'de> for TranslationVisitor {
            type Value = Translation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or {text: …, source: <fingerprint>}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Translation, E> {
                Ok(Translation::Scalar(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Translation, E> {
                Ok(Translation::Scalar(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Translation, E> {
                self.visit_string(v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Translation, E> {
                self.visit_string(v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Translation, E> {
                self.visit_string(v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Translation, E> {
                self.visit_string(v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Translation, A::Error> {
                let mut text = None;
                let mut source = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => text = Some(map.next_value::<Spanned<String>>()?),
                        "source" => source = Some(map.next_value::<Spanned<String>>()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                let text = text.ok_or_else(|| de::Error::missing_field("text"))?;
                Ok(Translation::Map { text, source })
            }
        }
        deserializer.deserialize_any(TranslationVisitor)
    }
}

/// `guidegen.yaml`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The site's title, on every page (translatable). Default: "Guides" in each language.
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<Text>>,
    /// The site's languages, as language codes (`da`, `en`, `pt-BR`); the first is the source language that guides are written in. Default: `[en]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub languages: Option<Spanned<Vec<Spanned<String>>>>,
    /// The organization's name, shown on every page (optional, translatable).
    #[schemars(with = "Option<Text>")]
    pub organization: Option<Spanned<Text>>,
    #[serde(default)]
    /// Apps that a step can ask the reader to install (`app: <id>`), by id: lowercase letters, digits and `-`.
    #[schemars(with = "BTreeMap<String, AppInput>")]
    pub apps: BTreeMap<String, Spanned<AppInput>>,
    #[serde(default)]
    /// Devices besides (or overriding) the built-in `computer`, `phone` and `tablet`, by id.
    #[schemars(with = "BTreeMap<String, DeviceInput>")]
    pub devices: BTreeMap<String, Spanned<DeviceInput>>,
    /// PDF settings.
    pub pdf: Option<PdfInput>,
    /// Translation settings.
    pub translation: Option<TranslationInput>,
    /// Video settings.
    pub video: Option<VideoSettingsInput>,
    /// The address the site is published at, such as `https://it.example.edu/guides/` (absolute
    /// http or https, ending with `/`): gives pages canonical links, a sitemap.xml, and banners that
    /// send the reader to a phone a QR code that opens the guide there.
    #[schemars(with = "Option<String>")]
    pub base_url: Option<Spanned<String>>,
    #[serde(default)]
    /// Values used in any text as `((name))` (translatable): a phone number, a portal's address.
    /// Names have lowercase letters, digits, `-` and `_`.
    #[schemars(with = "BTreeMap<String, Text>")]
    pub variables: BTreeMap<String, Spanned<Text>>,
    /// Where readers get help: shown at the end of every guide and its PDF.
    #[schemars(with = "Option<SupportInput>")]
    pub support: Option<Spanned<SupportInput>>,
}

/// `support:` of guidegen.yaml: what to say, and how to reach IT support. At least one key.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportInput {
    /// What to say (translatable Markdown). Default: "Contact IT support."
    #[schemars(with = "Option<Text>")]
    pub text: Option<Spanned<Text>>,
    /// Support's e-mail address, linked with `mailto:`.
    #[schemars(with = "Option<String>")]
    pub email: Option<Spanned<String>>,
    /// Support's phone number, as readers dial it (`+45 33 39 10 00`), linked with `tel:`.
    #[schemars(with = "Option<String>")]
    pub phone: Option<Spanned<String>>,
    /// Where to find support in person (translatable).
    #[schemars(with = "Option<Text>")]
    pub address: Option<Spanned<Text>>,
    /// When support is open (translatable).
    #[schemars(with = "Option<Text>")]
    pub hours: Option<Spanned<Text>>,
}

/// An app that a step can ask the reader to install.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppInput {
    /// The app's name as the store shows it (translatable).
    #[schemars(with = "Text")]
    pub name: Spanned<Text>,
    /// The app's App Store page: https://apps.apple.com/…
    #[schemars(with = "Option<String>")]
    pub app_store: Option<Spanned<String>>,
    /// The app's Google Play page: https://play.google.com/…
    #[schemars(with = "Option<String>")]
    pub google_play: Option<Spanned<String>>,
}

/// A site device: a new one, or an override of a built-in's texts or icon.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceInput {
    /// The device's name as a reader calls it (translatable).
    #[schemars(with = "Option<Text>")]
    pub label: Option<Spanned<Text>>,
    /// The banner shown where the reader picks this device up, such as "You must now use your smartwatch." (translatable).
    #[schemars(with = "Option<Text>")]
    pub banner: Option<Spanned<Text>>,
    /// The device's icon.
    #[schemars(with = "Option<crate::schema::IconName>")]
    pub icon: Option<Spanned<String>>,
    /// A device carried in the hand (like `phone` and `tablet`): with `base_url` set, a banner that
    /// sends the reader from another device to this one shows a QR code that opens the guide on it.
    #[schemars(with = "Option<bool>")]
    pub mobile: Option<Spanned<bool>>,
    /// The kinds of this device whose steps may differ, by id (unique in the site): `ios`,
    /// `android`. For a built-in device, replaces its built-in platforms.
    #[schemars(with = "Option<BTreeMap<String, PlatformInput>>")]
    pub platforms: Option<Spanned<BTreeMap<String, Spanned<PlatformInput>>>>,
    /// The question where the reader picks a platform: "Which phone do you have?" (translatable).
    #[schemars(with = "Option<Text>")]
    pub question: Option<Spanned<Text>>,
}

/// A platform of a device: a kind of it whose steps may differ (iPhone, Android).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformInput {
    /// Its name as a reader knows it: "iPhone", "Mac" (translatable; required for a new platform).
    #[schemars(with = "Option<Text>")]
    pub label: Option<Spanned<Text>>,
    /// Its icon (default: its device's).
    #[schemars(with = "Option<crate::schema::IconName>")]
    pub icon: Option<Spanned<String>>,
    /// The store its readers install apps from, `app_store` or `google_play`: its QR code comes first.
    #[schemars(with = "Option<crate::schema::StoreName>")]
    pub store: Option<Spanned<String>>,
}

/// `only: ios` or `only: [windows, macos]`: the platforms a step or section is for.
#[derive(Debug, Clone)]
pub enum OnlyInput {
    /// `only: ios`: its location is the `Spanned` around it.
    One(String),
    Many(Vec<Spanned<String>>),
}

impl OnlyInput {
    /// The ids with their locations; `at` is where the whole value is written.
    pub fn ids(written: &Spanned<OnlyInput>) -> Vec<Spanned<String>> {
        match &written.value {
            OnlyInput::One(id) => vec![Spanned::new(
                id.clone(),
                written.referenced,
                written.defined,
            )],
            OnlyInput::Many(ids) => ids.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for OnlyInput {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OnlyVisitor;
        impl<'de> Visitor<'de> for OnlyVisitor {
            type Value = OnlyInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a platform id, or a list of them such as [windows, macos]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OnlyInput, E> {
                Ok(OnlyInput::One(v.to_owned()))
            }
            // `only: 3` is an unknown platform, said with the platforms there are.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<OnlyInput, E> {
                Ok(OnlyInput::One(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<OnlyInput, E> {
                Ok(OnlyInput::One(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<OnlyInput, E> {
                Ok(OnlyInput::One(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<OnlyInput, E> {
                Ok(OnlyInput::One(v.to_string()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<OnlyInput, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<Spanned<String>>()? {
                    ids.push(id);
                }
                Ok(OnlyInput::Many(ids))
            }
        }
        deserializer.deserialize_any(OnlyVisitor)
    }
}

/// `pdf:` settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PdfInput {
    /// The PDF's paper size: `a4` (default) or `letter`.
    #[schemars(with = "Option<crate::schema::PaperName>")]
    pub paper: Option<Spanned<String>>,
}

/// `video:` settings of a site.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoSettingsInput {
    /// The services (`youtube`, `vimeo`, `panopto`) whose player a reader may load into the page by
    /// clicking; without it, a service's video is a link and a QR code only.
    #[schemars(with = "Option<Vec<crate::schema::EmbedServiceName>>")]
    pub embed: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `translation:` settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationInput {
    /// `fallback` (default): publish with source-language text marked; `omit`: leave the guide out of a
    /// language until its translation is complete.
    #[schemars(with = "Option<crate::schema::IncompleteName>")]
    pub incomplete: Option<Spanned<String>>,
    /// `show` (default): an outdated translation is still shown, marked outdated in reports;
    /// `fallback`: the source text is shown in its place.
    #[schemars(with = "Option<crate::schema::OutdatedName>")]
    pub outdated: Option<Spanned<String>>,
    /// Whether a guide published only in some languages (`languages:` in guide.yaml) is listed in
    /// the other languages' indexes: `omit` (default) or `list` ("Only in Danish").
    #[schemars(with = "Option<crate::schema::OnlyInName>")]
    pub other_languages: Option<Spanned<String>>,
}

/// `guides/<id>/guide.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuideFile {
    /// The guide's title (translatable, required).
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<Text>>,
    /// What the guide helps the reader do, in a sentence or two (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub summary: Option<Spanned<Text>>,
    /// The guide's sections, each with a title and steps; or write `steps:` directly for a guide of one section.
    #[schemars(with = "Option<Vec<SectionInput>>")]
    pub sections: Option<Spanned<Vec<Spanned<SectionInput>>>>,
    /// The guide's steps, for a guide without sections.
    #[schemars(with = "Option<Vec<StepInput>>")]
    pub steps: Option<Spanned<Vec<Spanned<StepInput>>>>,
    /// A video: a file, a service's address, or one planned.
    #[schemars(with = "Option<VideoInput>")]
    pub video: Option<Spanned<VideoInput>>,
    /// Earlier ids of this guide: each gets a page that sends the reader on to the guide, so that
    /// links to a renamed guide keep working.
    #[schemars(with = "Option<Vec<String>>")]
    pub aliases: Option<Spanned<Vec<Spanned<String>>>>,
    /// The languages the guide is published in, when not all of the site's (`[da]`: only in
    /// Danish). Must include the site's source language.
    #[schemars(with = "Option<Vec<String>>")]
    pub languages: Option<Spanned<Vec<Spanned<String>>>>,
    /// When the guide was last updated, as `YYYY-MM-DD`; shown on the page and in the PDF. Without
    /// it, the date of the last git commit that changed the guide's folder, when there is one.
    #[schemars(with = "Option<String>")]
    pub updated: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    /// The section's title (translatable).
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<Text>>,
    /// A paragraph before the section's steps (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub intro: Option<Spanned<Text>>,
    /// The section's steps.
    #[schemars(with = "Option<Vec<StepInput>>")]
    pub steps: Option<Spanned<Vec<Spanned<StepInput>>>>,
    /// A video: a file, a service's address, or one planned.
    #[schemars(with = "Option<VideoInput>")]
    pub video: Option<Spanned<VideoInput>>,
    /// The platforms this section is for, of any device: `only: macos`, `only: [windows, macos]`.
    #[schemars(with = "Option<crate::schema::OnlyList>")]
    pub only: Option<Spanned<OnlyInput>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// The device the reader uses in this step: `computer`, `phone`, `tablet` or a device of guidegen.yaml. The first step must name one; a step without `device` stays on the device of the step before it.
    #[schemars(with = "Option<String>")]
    pub device: Option<Spanned<String>>,
    /// What the reader does in this step (translatable Markdown, required).
    #[schemars(with = "Option<Text>")]
    pub action: Option<Spanned<Text>>,
    /// A screenshot: a path relative to the guide's folder (png, jpg, svg), or `{src: path, alt: text}`.
    #[schemars(with = "Option<ScreenshotInput>")]
    pub screenshot: Option<Spanned<ScreenshotInput>>,
    /// An app id from guidegen.yaml: the step shows a QR code and a link for each store page.
    #[schemars(with = "Option<String>")]
    pub app: Option<Spanned<String>>,
    /// What the reader should see now (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub result: Option<Spanned<Text>>,
    /// Good to know (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub note: Option<Spanned<Text>>,
    /// A shortcut or a help (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub tip: Option<Spanned<Text>>,
    /// What can go wrong (translatable Markdown).
    #[schemars(with = "Option<Text>")]
    pub warning: Option<Spanned<Text>>,
    /// A video: a file, a service's address, or one planned.
    #[schemars(with = "Option<VideoInput>")]
    pub video: Option<Spanned<VideoInput>>,
    /// The platforms of the step's device this step is for: `only: ios`, `only: [windows, macos]`.
    #[schemars(with = "Option<crate::schema::OnlyList>")]
    pub only: Option<Spanned<OnlyInput>>,
    /// Parts that differ on a platform of the step's device, by platform id: `action`,
    /// `screenshot`, `app`, `result`, `note`, `tip`, `warning`, each replacing the step's own.
    #[schemars(with = "Option<BTreeMap<String, crate::schema::VariantSchema>>")]
    pub variants: Option<Spanned<BTreeMap<String, Spanned<StepInput>>>>,
    /// The steps of a snippet, `snippets/<name>.yaml`, in place of this item; an item with
    /// `snippet` has no other key.
    #[schemars(with = "Option<String>")]
    pub snippet: Option<Spanned<String>>,
}

/// `video:` of a guide, a section or a step: a file in the guide's folder (`src`), or the address of
/// a video service (`url`), or one not made yet (`status: planned`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoInput {
    /// The video's title, shown with it (required).
    #[schemars(with = "Option<Text>")]
    pub title: Option<Spanned<Text>>,
    /// `ready` (default) or `planned`.
    #[schemars(with = "Option<crate::schema::VideoStatusName>")]
    pub status: Option<Spanned<String>>,
    /// An MP4 or WebM file, relative to the guide's folder.
    #[schemars(with = "Option<String>")]
    pub src: Option<Spanned<String>>,
    /// The https address of the video on a service (YouTube, Vimeo, Panopto, Microsoft Stream…).
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// An image shown before the video plays, relative to the guide's folder.
    #[schemars(with = "Option<String>")]
    pub poster: Option<Spanned<String>>,
    /// Language code → WebVTT file, for captions not named by the convention `<video>.<lang>.vtt`.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub captions: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
}

/// `screenshot: path` or `screenshot: {src: path, alt: text}`. The short form's location is that of the
/// `Spanned<ScreenshotInput>` around it.
#[derive(Debug, Clone)]
pub enum ScreenshotInput {
    Path(String),
    Full(Box<ScreenshotFull>),
}

impl<'de> Deserialize<'de> for ScreenshotInput {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScreenshotVisitor;
        impl<'de> Visitor<'de> for ScreenshotVisitor {
            type Value = ScreenshotInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a file path, or {src: path, alt: text}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScreenshotInput, E> {
                Ok(ScreenshotInput::Path(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ScreenshotInput, A::Error> {
                ScreenshotFull::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|full| ScreenshotInput::Full(Box::new(full)))
            }
        }
        deserializer.deserialize_any(ScreenshotVisitor)
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenshotFull {
    /// The image file, relative to the guide's folder (png, jpg, jpeg, svg).
    #[schemars(with = "String")]
    pub src: Spanned<String>,
    /// What the screenshot shows, for screen readers and the PDF (translatable).
    #[schemars(with = "Option<Text>")]
    pub alt: Option<Spanned<Text>>,
    /// Boxes, rings, arrows and numbered markers drawn over the image, in its pixels.
    #[schemars(with = "Option<Vec<CalloutInput>>")]
    pub callouts: Option<Spanned<Vec<Spanned<CalloutInput>>>>,
    /// Regions whose pixels are replaced in the published image: `[x, y, width, height]` each, in
    /// the image's pixels.
    #[schemars(with = "Option<Vec<Vec<f64>>>")]
    pub redact: Option<Spanned<Vec<Spanned<Vec<f64>>>>>,
    /// Per language, the coordinates of a localized screenshot (`x.da.png`) whose layout differs.
    #[schemars(with = "Option<BTreeMap<String, LocalizedShotInput>>")]
    pub localized: Option<Spanned<BTreeMap<String, Spanned<LocalizedShotInput>>>>,
}

/// One callout on a screenshot: exactly one shape (`box`, `ring`, `arrow`, `marker`), in the image's
/// pixels from its top-left corner, and an optional short label.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalloutInput {
    /// `[x, y, width, height]`: a rectangle around a region, in the image's pixels.
    #[serde(rename = "box")]
    #[schemars(with = "Option<Vec<f64>>")]
    pub rect: Option<Spanned<Vec<f64>>>,
    /// `[x, y, width, height]`: an ellipse around a region, in the image's pixels.
    #[schemars(with = "Option<Vec<f64>>")]
    pub ring: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: an arrow pointing at this point.
    #[schemars(with = "Option<Vec<f64>>")]
    pub arrow: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: where an arrow starts (default: diagonally from the image's middle).
    #[schemars(with = "Option<Vec<f64>>")]
    pub from: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: a numbered marker centred on this point.
    #[schemars(with = "Option<Vec<f64>>")]
    pub marker: Option<Spanned<Vec<f64>>>,
    /// A short name for what the callout points at, listed under the image (translatable).
    #[schemars(with = "Option<Text>")]
    pub label: Option<Spanned<Text>>,
}

/// `localized: {da: {callouts: […], redact: […]}}`: a language's own coordinates, for its own file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedShotInput {
    /// The same callouts, in the same order, placed for this language's image; labels stay in the
    /// main list.
    #[schemars(with = "Option<Vec<CalloutInput>>")]
    pub callouts: Option<Spanned<Vec<Spanned<CalloutInput>>>>,
    /// This language's image's own redacted regions: `[x, y, width, height]` each.
    #[schemars(with = "Option<Vec<Vec<f64>>>")]
    pub redact: Option<Spanned<Vec<Spanned<Vec<f64>>>>>,
}

/// A UI catalog (`locales/<lang>.yaml`): the strings guidegen itself writes, in one language.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// `ltr` (default) or `rtl`.
    #[schemars(with = "Option<crate::schema::DirectionName>")]
    pub direction: Option<Spanned<String>>,
    /// The language's own name, shown in the language switcher ("Dansk", "English").
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The strings by key. Empty when written with nothing under it (every string commented out, as
    /// `guidegen i18n strings` starts a catalog).
    #[serde(default, deserialize_with = "none_is_empty")]
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub strings: BTreeMap<String, Spanned<String>>,
}

/// A map written as nothing (`strings:` with only comments under it) read as an empty one.
fn none_is_empty<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    Ok(Option::<BTreeMap<String, V>>::deserialize(deserializer)?.unwrap_or_default())
}
