//! JSON Schemas of `guidegen.yaml` and `guide.yaml`, generated from the input types ([`crate::input`])
//! with schemars: their doc comments are the descriptions, their closed sets of words are enums.
//!
//! `guidegen schema` writes them into the site's `schemas/` folder, where the
//! `# yaml-language-server: $schema=…` lines that `init` and `new` write point: VS Code's YAML extension
//! (and any editor using the YAML language server) then completes keys and underlines mistakes while
//! the author types. The load stage checks every file against the same schemas
//! ([`crate::yamlcheck`]), so that an editor and `guidegen check` agree.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use crate::input::{ScreenshotInput, Text, Translation};

/// The folder of a site that holds the schemas, relative to its root.
pub const SCHEMA_DIR: &str = "schemas";
/// The schema of `guidegen.yaml`, in [`SCHEMA_DIR`].
pub const SITE_SCHEMA_FILE: &str = "guidegen.schema.json";
/// The schema of every `guide.yaml`, in [`SCHEMA_DIR`].
pub const GUIDE_SCHEMA_FILE: &str = "guide.schema.json";

/// What a language code looks like: `da`, `en`, `pt-BR`, `zh-Hant`.
const LANGUAGE_PATTERN: &str = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Site,
    Guide,
}

impl FileKind {
    /// The schema's file name in [`SCHEMA_DIR`].
    pub fn schema_file(self) -> &'static str {
        match self {
            FileKind::Site => SITE_SCHEMA_FILE,
            FileKind::Guide => GUIDE_SCHEMA_FILE,
        }
    }
}

/// The schema of `kind`, made once.
pub fn schema(kind: FileKind) -> &'static Value {
    static SITE: OnceLock<Value> = OnceLock::new();
    static GUIDE: OnceLock<Value> = OnceLock::new();
    match kind {
        FileKind::Site => SITE.get_or_init(|| {
            generate::<crate::input::SiteFile>(
                "guidegen.yaml",
                "The settings of a guidegen site: title, languages, organization, apps, devices.",
            )
        }),
        FileKind::Guide => GUIDE.get_or_init(|| {
            generate::<crate::input::GuideFile>(
                "guide.yaml",
                "A guidegen guide: its title, summary and steps (or sections of steps).",
            )
        }),
    }
}

/// Draft 7: the draft every editor's YAML support reads.
fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut root = generator.into_root_schema_for::<T>().to_value();
    if let Some(object) = root.as_object_mut() {
        object.insert("title".into(), Value::from(title));
        object.insert("description".into(), Value::from(description));
    }
    root
}

/// The schema file as written: pretty JSON, ending in a newline.
pub fn text(kind: FileKind) -> String {
    let mut text = serde_json::to_string_pretty(schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes both schemas into `<site_dir>/schemas/`, replacing older ones. Returns the files written.
pub fn write(site_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let dir = site_dir.join(SCHEMA_DIR);
    std::fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for kind in [FileKind::Site, FileKind::Guide] {
        let path = dir.join(kind.schema_file());
        std::fs::write(&path, text(kind))?;
        written.push(path);
    }
    Ok(written)
}

/// The `# yaml-language-server: $schema=…` line for a file at `rel` (relative to the site's root,
/// `/`-separated), pointing at its schema by a relative path.
pub fn modeline(rel: &str, kind: FileKind) -> String {
    let depth = rel.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}{SCHEMA_DIR}/{}\n",
        "../".repeat(depth),
        kind.schema_file()
    )
}

/// The `schema_name`s below and the words the checks use for them.
pub fn noun(definition: &str) -> Option<&'static str> {
    Some(match definition {
        "Text" => "a text, or a map from language code to text such as {en: …, da: …}",
        "Translation" => "a text",
        "ScreenshotInput" => "a file path, or {src: path, alt: text}",
        "StepInput" => "a step: `key: value` lines such as `action: …`",
        "SectionInput" => "a section: `title:` and `steps:`",
        "AppInput" => "an app: `name:`, `app_store:` and `google_play:`",
        "DeviceInput" => "a device: `label:`, `banner:` and `icon:`",
        "PlatformInput" => "a platform: `label:`, `icon:` and `store:`",
        "VariantInput" => {
            "a variant: `action:`, `screenshot:`, `app:`, `result:`, `note:`, `tip:` or `warning:`"
        }
        "OnlyList" => "a platform id, or a list of them such as [windows, macos]",
        _ => return None,
    })
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let translation = generator.subschema_for::<Translation>();
        json_schema!({
            "description": "A text in the site's source language, or a map from language code to its text in that language: {en: …, da: …}.",
            "anyOf": [
                {"type": ["string", "number", "boolean"]},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANGUAGE_PATTERN},
                    "additionalProperties": translation,
                }
            ]
        })
    }
}

impl JsonSchema for Translation {
    fn schema_name() -> Cow<'static, str> {
        "Translation".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "One language's text; or {text: …, source: …}, where `source` is the fingerprint of the source text it was translated from (written by `guidegen i18n confirm` and `import`).",
            "anyOf": [
                {"type": ["string", "number", "boolean"]},
                {
                    "type": "object",
                    "properties": {
                        "text": {"type": ["string", "number", "boolean"], "description": "The translation."},
                        "source": {"type": ["string", "number"], "description": "The fingerprint of the source text this translation was made from (8 hexadecimal digits, which YAML may read as a number)."}
                    },
                    "required": ["text"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for ScreenshotInput {
    fn schema_name() -> Cow<'static, str> {
        "ScreenshotInput".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let full = generator.subschema_for::<crate::input::ScreenshotFull>();
        json_schema!({
            "description": "A screenshot: a path relative to the guide's folder (png, jpg, svg), or {src: path, alt: text}.",
            "anyOf": [{"type": "string"}, full]
        })
    }
}

/// `pdf.paper`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum PaperName {
    /// 210 × 297 mm (default).
    A4,
    /// 8.5 × 11 in.
    Letter,
}

/// `translation.incomplete`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum IncompleteName {
    /// Publish, with the source-language text marked (default).
    Fallback,
    /// Leave the guide out of a language until its translation is complete.
    Omit,
}

/// `translation.other_languages`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum OnlyInName {
    /// Leave a guide out of the indexes of the languages it is not published in (default).
    Omit,
    /// List it there, marked with the languages it is in ("Only in Danish"), linking to it.
    List,
}

/// `translation.outdated`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum OutdatedName {
    /// Publish the outdated translation as written; check, status and --strict report it (default).
    Show,
    /// Publish the source-language text in its place, marked, until the translation is updated.
    Fallback,
}

/// A device's `icon`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum IconName {
    Computer,
    Phone,
    Tablet,
    Device,
}

/// A step's variant for one platform: a step's keys but those that are the step's alone.
pub struct VariantSchema;

impl JsonSchema for VariantSchema {
    fn schema_name() -> Cow<'static, str> {
        "VariantInput".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = crate::input::StepInput::json_schema(generator);
        if let Some(object) = schema.as_object_mut() {
            if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
                for key in ["device", "only", "variants", "video"] {
                    properties.remove(key);
                }
            }
            object.insert(
                "description".into(),
                Value::from("The step's parts on this platform, each replacing the step's own: `action`, `screenshot`, `app`, `result`, `note`, `tip`, `warning`."),
            );
        }
        schema
    }
}

/// A platform's store.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum StoreName {
    AppStore,
    GooglePlay,
}

/// `only:` of a step or section: one platform id, or a list of them.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum OnlyList {
    One(String),
    Many(Vec<String>),
}

/// A video's `status`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum VideoStatusName {
    /// The video exists: a file (`src`) or an address (`url`) (default).
    Ready,
    /// Announced but not made yet: the page says it is coming later.
    Planned,
}

/// A service whose player `video.embed` lets a reader load into the page.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum EmbedServiceName {
    Youtube,
    Vimeo,
    Panopto,
}

/// A catalog's `direction`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum DirectionName {
    /// Left to right (default).
    Ltr,
    /// Right to left.
    Rtl,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_have_descriptions_and_enums() {
        let site = schema(FileKind::Site).to_string();
        assert!(site.contains("the first is the source language"), "{site}");
        assert!(site.contains("\"letter\""), "{site}");
        let guide = schema(FileKind::Guide).to_string();
        assert!(
            guide.contains("What the reader does in this step"),
            "{guide}"
        );
        assert!(guide.contains("\"additionalProperties\":false"), "{guide}");
    }

    #[test]
    fn modelines_point_up_to_the_site_root() {
        assert_eq!(
            modeline("guidegen.yaml", FileKind::Site),
            "# yaml-language-server: $schema=schemas/guidegen.schema.json\n"
        );
        assert_eq!(
            modeline("guides/vpn/guide.yaml", FileKind::Guide),
            "# yaml-language-server: $schema=../../schemas/guide.schema.json\n"
        );
    }
}
