//! Load stage: the shapes of `guidegen.yaml`, `guide.yaml` and UI catalogs as written, with source locations.
//!
//! These structs mirror the files one to one and reject unknown keys; nothing here checks meaning.
//! Validation turns them into the model.

use std::collections::BTreeMap;
use std::fmt;

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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: Option<Spanned<Text>>,
    pub languages: Option<Spanned<Vec<Spanned<String>>>>,
    pub organization: Option<Spanned<Text>>,
    #[serde(default)]
    pub apps: BTreeMap<String, Spanned<AppInput>>,
    #[serde(default)]
    pub devices: BTreeMap<String, Spanned<DeviceInput>>,
    pub pdf: Option<PdfInput>,
    pub translation: Option<TranslationInput>,
}

/// An app that a step can ask the reader to install.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppInput {
    pub name: Spanned<Text>,
    pub app_store: Option<Spanned<String>>,
    pub google_play: Option<Spanned<String>>,
}

/// A site device: a new one, or an override of a built-in's texts or icon.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInput {
    pub label: Option<Spanned<Text>>,
    pub banner: Option<Spanned<Text>>,
    pub icon: Option<Spanned<String>>,
}

/// `pdf:` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfInput {
    pub paper: Option<Spanned<String>>,
}

/// `translation:` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationInput {
    /// `fallback` (default): publish with source-language text marked; `omit`: leave the guide out of a
    /// language until its translation is complete.
    pub incomplete: Option<Spanned<String>>,
}

/// `guides/<id>/guide.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideFile {
    pub title: Option<Spanned<Text>>,
    pub summary: Option<Spanned<Text>>,
    pub sections: Option<Spanned<Vec<Spanned<SectionInput>>>>,
    pub steps: Option<Spanned<Vec<Spanned<StepInput>>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    pub title: Option<Spanned<Text>>,
    pub intro: Option<Spanned<Text>>,
    pub steps: Option<Spanned<Vec<Spanned<StepInput>>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub device: Option<Spanned<String>>,
    pub action: Option<Spanned<Text>>,
    pub screenshot: Option<Spanned<ScreenshotInput>>,
    pub app: Option<Spanned<String>>,
    pub result: Option<Spanned<Text>>,
    pub note: Option<Spanned<Text>>,
    pub tip: Option<Spanned<Text>>,
    pub warning: Option<Spanned<Text>>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenshotFull {
    pub src: Spanned<String>,
    pub alt: Option<Spanned<Text>>,
    /// Boxes, rings, arrows and numbered markers drawn over the image, in its pixels.
    pub callouts: Option<Spanned<Vec<Spanned<CalloutInput>>>>,
    /// Regions whose pixels are replaced in the published image: `[x, y, width, height]` each.
    pub redact: Option<Spanned<Vec<Spanned<Vec<f64>>>>>,
    /// Per language, the coordinates of a localized screenshot (`x.da.png`) whose layout differs.
    pub localized: Option<Spanned<BTreeMap<String, Spanned<LocalizedShotInput>>>>,
}

/// One callout on a screenshot: exactly one shape (`box`, `ring`, `arrow`, `marker`), in the image's
/// pixels from its top-left corner, and an optional short label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalloutInput {
    /// `[x, y, width, height]`: a rectangle around a region.
    #[serde(rename = "box")]
    pub rect: Option<Spanned<Vec<f64>>>,
    /// `[x, y, width, height]`: an ellipse around a region.
    pub ring: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: an arrow pointing at this point.
    pub arrow: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: where an arrow starts (default: towards the image's centre).
    pub from: Option<Spanned<Vec<f64>>>,
    /// `[x, y]`: a numbered marker centred on this point.
    pub marker: Option<Spanned<Vec<f64>>>,
    pub label: Option<Spanned<Text>>,
}

/// `localized: {da: {callouts: […], redact: […]}}`: a language's own coordinates, for its own file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedShotInput {
    /// The same callouts, in the same order, placed for this language's image; labels stay in the
    /// main list.
    pub callouts: Option<Spanned<Vec<Spanned<CalloutInput>>>>,
    pub redact: Option<Spanned<Vec<Spanned<Vec<f64>>>>>,
}

/// A UI catalog (`locales/<lang>.yaml`): the strings guidegen itself writes, in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// `ltr` (default) or `rtl`.
    pub direction: Option<Spanned<String>>,
    /// The language's own name, shown in the language switcher ("Dansk", "English").
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub strings: BTreeMap<String, Spanned<String>>,
}
