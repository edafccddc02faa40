//! Validate stage: check the loaded input against the contract and build the model, reporting every
//! problem at its `path:line:column` in one run.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::catalog;
use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::files;
use crate::input::{self, GuideFile, ScreenshotInput, SectionInput, StepInput};
use crate::load::{Loaded, LoadedGuide, SiteDir};
use crate::markdown::{self, TargetKind};
use crate::model::{
    App, Callout, Device, Guide, Icon, Image, ImageKind, IncompletePolicy, Language, LocalizedText,
    Origin, OutdatedPolicy, Paper, Platform, Region, Screenshot, Section, Service, Shape,
    ShotCallout, Site, Step, Store, StoreLink, Text, TranslationState,
};
use crate::shots;
use crate::svg;

mod publish;
mod video;

pub use publish::alias_clashes;

/// The fingerprint of a source-language text, recorded with each translation made from it. White
/// space is folded first, so re-wrapping a paragraph does not outdate its translations.
pub fn fingerprint(source: &str) -> String {
    use sha2::{Digest, Sha256};
    let folded = source.split_whitespace().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(folded.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Whether `code` looks like a language code: `da`, `en`, `pt-BR`, `zh-Hant`.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `id` is a valid guide, app or device id: lowercase letters, digits and `-`.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// The id closest to `text`: lowercase, other characters as `-` (`MFA Setup` → `mfa-setup`).
pub fn id_suggestion(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a text is used for, which decides the checks it gets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Plain text: titles, labels, names, alt text.
    Plain,
    /// Markdown: link targets are checked.
    Markdown,
}

/// The state shared by the checks of one file: where it is, the site's languages, the diagnostics.
struct FileCheck<'a> {
    path: &'a Path,
    /// The file's text, to place errors found inside a value (a link in a paragraph).
    source: &'a str,
    languages: &'a [String],
    diagnostics: &'a mut Diagnostics,
    /// For Markdown in a guide: its folder, where relative links must point; and the files they name.
    guide_dir: Option<&'a Path>,
    attachments: BTreeMap<String, Arc<Vec<u8>>>,
    /// Screenshots read so far, by path and redacted regions: a file shown by several steps is read
    /// (and redacted, and scaled) once.
    images: BTreeMap<String, ReadImage>,
    /// The regions each screenshot file is redacted with, and where that was first said: a file is
    /// published once, so every use must redact the same.
    redactions: BTreeMap<String, (Vec<Region>, Span)>,
    /// The site's languages could not be read (already reported): texts are not checked against them.
    unsure_languages: bool,
    /// The variables texts may use as `((name))`: the site's, borrowed by each guide's check.
    variables: std::borrow::Cow<'a, crate::variables::Variables>,
    /// guidegen.yaml's variables could not be read (already reported): a name they do not define
    /// is not an error of the text, nor is a link made of one.
    unsure_variables: bool,
    /// The ids of the site's guides, for `guide:` links: borrowed, not copied for every guide.
    guide_ids: &'a std::collections::BTreeSet<String>,
    /// Where each line of a file's text starts, by the text's address and length: made when a
    /// text is first placed inside that file (`source` is a snippet's file while its steps are
    /// checked).
    line_starts: std::cell::RefCell<BTreeMap<(usize, usize), Vec<usize>>>,
    /// The names in each folder a localized screenshot (`shot.<lang>.png`) may be in, listed once.
    listings: BTreeMap<std::path::PathBuf, Option<std::collections::BTreeSet<std::ffi::OsString>>>,
    /// The `guide:` links found so far, for the check that their targets are published where
    /// they are shown ([`crate::guidelinks::unpublished_targets`]).
    links: Vec<crate::model::GuideLinkUse>,
}

/// The guide ids of `guidegen.yaml`'s own check, which has none.
static NO_GUIDE_IDS: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();

/// An image as read for a screenshot: the image, what sanitizing removed from an SVG, and the
/// redacted regions (numbers from 1) that an SVG's text seems to reach.
type ReadImage = (Image, Vec<String>, Vec<usize>);

impl FileCheck<'_> {
    fn error(&mut self, span: impl Into<Span>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(self.path, span.into(), message);
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.diagnostics.push(d);
    }

    fn warning(
        &mut self,
        span: impl Into<Span>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(self.path, span.into(), message).with_hint(hint));
    }

    fn origin(&self, span: Span) -> Origin {
        Origin {
            path: self.path.to_path_buf(),
            span,
        }
    }

    /// Whether anything (a file, a folder, a link, even a broken one) is at `rel` in `dir`, as
    /// `symlink_metadata` says, from one listing of its folder per check: a guide's 25 screenshots
    /// in 2 languages ask 50 times about the same `shots/`. A name the listing lacks but for its
    /// case, or one that is not plain folder names, is asked of the file system itself.
    fn exists(&mut self, dir: &Path, rel: &str) -> bool {
        let path = dir.join(rel);
        let plain = Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return std::fs::symlink_metadata(&path).is_ok();
        };
        if !plain || !rel.is_ascii() {
            return std::fs::symlink_metadata(&path).is_ok();
        }
        let names = self
            .listings
            .entry(folder.to_path_buf())
            .or_insert_with(|| folder_names(folder));
        let Some(names) = names else {
            return std::fs::symlink_metadata(&path).is_ok();
        };
        if names.contains(name) {
            return true;
        }
        // A file system that ignores case finds `Shot.DA.png` for `shot.da.png`.
        let lower = name.to_ascii_lowercase();
        names.iter().any(|n| n.to_ascii_lowercase() == lower)
            && std::fs::symlink_metadata(&path).is_ok()
    }

    /// Where `needle` stands in the file, from `from` on ([`locate_in_lines`]).
    fn locate(&self, from: Span, needle: &str) -> Option<Span> {
        let key = (self.source.as_ptr() as usize, self.source.len());
        let mut known = self.line_starts.borrow_mut();
        let starts = known.entry(key).or_insert_with(|| line_starts(self.source));
        locate_in_lines(self.source, starts, from, needle)
    }

    fn source_lang(&self) -> &str {
        &self.languages[0]
    }

    /// Turns written text into model text, checking its languages, emptiness and (for Markdown) links.
    fn text(&mut self, written: &Spanned<input::Text>, kind: Kind, what: &str) -> Option<Text> {
        let span: Span = written.referenced.into();
        let origin = self.origin(span);
        let text = match &written.value {
            input::Text::Plain(s) => Text {
                source: s.clone(),
                translations: BTreeMap::new(),
                origin,
            },
            input::Text::Localized(entries) => self.localized_text(entries, span, what)?,
        };
        if text.source.trim().is_empty() {
            self.error(
                span,
                format!("{what} is empty"),
                Some("write the text, or remove the key".into()),
            );
            return None;
        }
        let within_limits = self.check_limits(&text, kind, what);
        let variables_known = self.check_variables(&text);
        // With the settings' variables unread, a link may be made of one: not checked.
        if kind == Kind::Markdown && (variables_known || !self.unsure_variables) {
            self.check_links(&text);
            self.check_inline_tags(&text);
        }
        (within_limits && variables_known).then_some(text)
    }

    /// A text written by language (`{da: …, en: …}`): its source-language text, and each
    /// translation current, outdated or unpinned by the fingerprint it records. A language not
    /// the site's is an error; a text without the source language is one.
    fn localized_text(
        &mut self,
        entries: &[(Spanned<String>, Spanned<input::Translation>)],
        span: Span,
        what: &str,
    ) -> Option<Text> {
        let mut source = None;
        let mut translations = BTreeMap::new();
        for (lang, translation) in entries {
            if !self.languages.contains(&lang.value) {
                self.not_a_site_language(lang);
                continue;
            }
            if lang.value == self.source_lang() {
                source = Some(translation.value.text().to_owned());
            } else {
                translations.insert(
                    lang.value.clone(),
                    LocalizedText {
                        text: translation.value.text().to_owned(),
                        // Decided below, once the source text is known.
                        state: TranslationState::Unpinned,
                        recorded: translation.value.source().map(str::to_owned),
                        origin: self.origin(translation.referenced.into()),
                    },
                );
            }
        }
        let Some(source) = source else {
            if self.unsure_languages {
                return None;
            }
            let source_lang = self.source_lang().to_owned();
            self.error(
                span,
                format!("{what} has no `{source_lang}` text"),
                Some(format!("`{source_lang}` is the site's source language (the first in `languages`): every text needs it")),
            );
            return None;
        };
        // Hashed only when a translation recorded a fingerprint to compare with.
        let fp = std::cell::OnceCell::new();
        for (lang, translation) in entries {
            if let Some(t) = translations.get_mut(&lang.value) {
                t.state = match translation.value.source() {
                    None => TranslationState::Unpinned,
                    Some(recorded) if recorded == fp.get_or_init(|| fingerprint(&source)) => {
                        TranslationState::Current
                    }
                    Some(_) => TranslationState::Outdated,
                };
            }
        }
        Some(Text {
            source,
            translations,
            origin: self.origin(span),
        })
    }

    /// A text's language key that is not one of the site's: an error with the likely one, unless
    /// the site's languages could not be read (reported already).
    fn not_a_site_language(&mut self, lang: &Spanned<String>) {
        if self.unsure_languages {
            return;
        }
        let hint = crate::plan::language_suggestion(
            &lang.value,
            self.languages.iter().map(String::as_str),
        )
        .or_else(|| {
            (!crate::languages::is_known(&lang.value))
                .then(|| crate::languages::suggestion(&lang.value))
                .flatten()
        })
        .unwrap_or_else(|| {
            format!(
                "the site's languages are {}; add `{}` to `languages` in guidegen.yaml to use it",
                self.languages.join(", "),
                lang.value
            )
        });
        self.error(
            Span::from(lang.referenced),
            format!(
                "language `{}` is not one of the site's languages",
                lang.value
            ),
            Some(hint),
        );
    }

    /// A warning for each `{{portal}}`, `((Portal))` or `(( portal ))` that names a variable but is
    /// shown as written, since it is not `((portal))`.
    fn warn_near_misses(&mut self, text: &Text) {
        let variants = std::iter::once((text.source.as_str(), text.origin.span)).chain(
            text.translations
                .values()
                .map(|t| (t.text.as_str(), t.origin.span)),
        );
        for (written, span) in variants {
            for (range, meant) in crate::variables::near_misses(written) {
                let name = meant.trim_start_matches('(').trim_end_matches(')');
                if !self.variables.contains_key(name) {
                    continue;
                }
                let at = self.locate(span, &written[range.clone()]).unwrap_or(span);
                self.warning(
                    at,
                    format!(
                        "`{}` is shown as written, not as the variable",
                        &written[range]
                    ),
                    format!("write `{meant}` to put in the variable's value"),
                );
            }
        }
    }

    /// Every `((name))` of every language of `text` names a variable; each that does not is an
    /// error at its place in the file. False when there was one.
    fn check_variables(&mut self, text: &Text) -> bool {
        let variants = std::iter::once((text.source.as_str(), text.origin.span)).chain(
            text.translations
                .values()
                .map(|t| (t.text.as_str(), t.origin.span)),
        );
        let mut unknown = Vec::new();
        for (written, span) in variants {
            let mut search_from = span;
            for used in crate::variables::uses(written) {
                let placeholder = &written[used.range.clone()];
                let at = self.locate(search_from, placeholder).unwrap_or(span);
                search_from = Span::new(at.line, at.column + 1);
                if !self.variables.contains_key(used.name) {
                    unknown.push((at, used.name.to_owned()));
                }
            }
        }
        self.warn_near_misses(text);
        if self.unsure_variables {
            // Already reported in guidegen.yaml; the build stops there.
            return unknown.is_empty();
        }
        for (at, name) in &unknown {
            let hint = did_you_mean(name, self.variables.keys().map(String::as_str))
                .unwrap_or_else(|| {
                    if self.variables.is_empty() {
                        format!("define it under `variables:` in guidegen.yaml (`{name}: value`)")
                    } else {
                        format!(
                            "the variables are {}; define `{name}` under `variables:` in guidegen.yaml",
                            self.variables.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        )
                    }
                });
            self.error(
                *at,
                format!("unknown variable `(({name}))`"),
                Some(format!("{hint} (to write `((` itself, write `\\((`)")),
            );
        }
        unknown.is_empty()
    }

    /// The limits and characters of every language of `text` ([`crate::textcheck`]), each problem at
    /// the offending characters where they can be found in the file, else at the text. False when one
    /// of them is an error.
    fn check_limits(&mut self, text: &Text, kind: Kind, what: &str) -> bool {
        use crate::textcheck::{self, TextKind};
        let used_as = match kind {
            Kind::Markdown => TextKind::Markdown,
            // Alt text is read out, never drawn: the PDF's fonts don't matter for it.
            Kind::Plain if what.ends_with("alt text") => TextKind::Unseen,
            Kind::Plain => TextKind::Plain,
        };
        let variants = std::iter::once((text.source.as_str(), text.origin.span)).chain(
            text.translations
                .values()
                .map(|t| (t.text.as_str(), t.origin.span)),
        );
        let mut ok = true;
        for (written, span) in variants {
            for finding in textcheck::check(written, used_as) {
                let at = finding
                    .needles
                    .iter()
                    .find_map(|needle| self.locate(span, needle))
                    .unwrap_or(span);
                let diagnostic = if finding.severity == crate::diagnostic::Severity::Error {
                    ok = false;
                    Diagnostic::error(self.path, at, finding.message)
                } else {
                    Diagnostic::warning(self.path, at, finding.message)
                };
                self.diagnostics.push(diagnostic.with_hint(finding.hint));
            }
        }
        ok
    }

    /// Every link and image target of every language: only https, http, mailto, fragments, or files
    /// inside the guide's folder.
    fn check_links<'t>(&mut self, text: &'t Text) {
        // Links are checked as the page shows them: with the variables' values put in.
        // Borrowed where there is no variable to put in: most texts are not copied.
        let shown = |written: &'t str, lang: &str| {
            crate::variables::substituted(written, lang, &self.variables)
        };
        // Each text, and the language it is shown in (None: the source, shown in its own language
        // and wherever it has no translation).
        let variants: Vec<(std::borrow::Cow<'t, str>, Span, Option<&'t String>)> =
            std::iter::once((
                shown(&text.source, self.source_lang()),
                text.origin.span,
                None,
            ))
            .chain(
                text.translations
                    .iter()
                    .map(|(lang, t)| (shown(&t.text, lang), t.origin.span, Some(lang))),
            )
            .collect();
        for (markdown, span, shown_in) in variants {
            // Each search starts after the link found before, so that the same link written twice
            // is reported at each of its places.
            let mut search_from = span;
            for target in markdown::targets(&markdown) {
                // Point at the target as written: the parser's URL has entities decoded, so find
                // the link's text in the file, then its target after `](`.
                let written = markdown.get(target.range.clone()).unwrap_or(&target.url);
                let first_line = written.lines().next().unwrap_or(written);
                let at = match self.locate(search_from, first_line) {
                    Some(at) => {
                        search_from = Span::new(at.line, at.column + 1);
                        let skip = first_line
                            .find("](")
                            .map_or(0, |i| first_line[..i + 2].chars().count());
                        Span::new(at.line, at.column + skip)
                    }
                    None => span,
                };
                match markdown::classify(&target.url) {
                    TargetKind::External if target.is_image => self.error(
                        at,
                        web_image(&target.url),
                        address_not_file(&target.url),
                    ),
                    TargetKind::External | TargetKind::Fragment => {}
                    TargetKind::Forbidden(url) => {
                        let what = if target.is_image { "image" } else { "link" };
                        self.error(
                            at,
                            format!("{what} target `{url}` is not allowed"),
                            Some("links may go to https://, http:// or mailto: addresses, or to a file in the guide's folder".into()),
                        );
                    }
                    TargetKind::Relative(rel) => {
                        self.attach(at, &rel);
                        if target.is_image {
                            self.check_inline_image(at, &rel);
                        }
                    }
                    TargetKind::Guide(url) if target.is_image => self.error(
                        at,
                        format!("image target `{url}` is a guide, not an image"),
                        Some("an image shows a file in the guide's folder; link to a guide with `[text](guide:<id>)`".into()),
                    ),
                    TargetKind::Guide(url) => {
                        let refused = crate::guidelinks::parse(&url)
                            .and_then(|link| crate::guidelinks::refusal(&link, self.guide_ids));
                        if let Some((message, hint)) = refused {
                            self.error(at, message, Some(hint));
                        } else if let Some(link) = crate::guidelinks::parse(&url) {
                            let shown_in = match shown_in {
                                Some(lang) => vec![lang.clone()],
                                None => self
                                    .languages
                                    .iter()
                                    .filter(|l| !text.translations.contains_key(*l))
                                    .cloned()
                                    .collect(),
                            };
                            self.links.push(crate::model::GuideLinkUse {
                                target: link.id.to_owned(),
                                shown_in,
                                origin: self.origin(at),
                            });
                        }
                    }
                }
            }
        }
    }

    /// A relative link target: it must name a file of a safe type inside the guide's folder, which
    /// is then published beside the guide's page.
    fn attach(&mut self, at: Span, rel: &str) {
        let Some(dir) = self.guide_dir else {
            self.error(
                at,
                format!("relative link `{rel}` outside a guide"),
                Some("use an https:// address here".into()),
            );
            return;
        };
        let rel = percent_decode(rel);
        if rel.split(['/', '\\']).any(|part| part == "..") {
            let hint = crate::guidelinks::hint_for_relative(&rel, self.guide_ids).unwrap_or_else(|| {
                "link to a file copied into the guide's folder; to link to another guide, write `guide:<id>` (its folder's name)".into()
            });
            self.error(
                at,
                format!("relative link `{rel}` leaves the guide's folder"),
                Some(hint),
            );
            return;
        }
        if let Err((message, hint)) = attachment_allowed(&rel) {
            self.error(at, message, Some(hint));
            return;
        }
        match files::read_inside(dir, Path::new(&rel), files::MAX_MEDIA_FILE_BYTES) {
            Ok(bytes) => {
                let bytes = if ImageKind::from_extension(extension(&rel)) == Some(ImageKind::Svg) {
                    match svg::sanitize(&bytes) {
                        Ok(clean) => clean.bytes,
                        Err(err) => {
                            self.error(
                                at,
                                format!("`{rel}` is not a valid SVG image: {err}"),
                                None,
                            );
                            return;
                        }
                    }
                } else {
                    bytes
                };
                self.attachments
                    .insert(normalize_rel(&rel), Arc::new(bytes));
            }
            Err(err) => {
                let (message, hint) = refusal(dir, &rel, &err);
                self.error(at, message, Some(hint));
            }
        }
    }
}

impl FileCheck<'_> {
    /// A warning for each allowed inline tag written so that it is shown as text (with attributes,
    /// or left open): the author meant a key, and would see `<kbd class=x>` on the page.
    fn check_inline_tags(&mut self, text: &Text) {
        let variants = std::iter::once((text.source.as_str(), text.origin.span)).chain(
            text.translations
                .values()
                .map(|t| (t.text.as_str(), t.origin.span)),
        );
        let mut found = Vec::new();
        for (markdown, span) in variants {
            for raw in markdown::near_misses(markdown) {
                let at = self.locate(span, &raw).unwrap_or(span);
                found.push((at, raw));
            }
        }
        for (at, raw) in found {
            self.warning(
                at,
                format!("`{raw}` is shown as text"),
                "write `<kbd>`, `<sub>`, `<sup>` exactly so, without attributes, and close each in the same paragraph (`<kbd>Ctrl</kbd>`); `<br>` takes nothing either",
            );
        }
    }

    /// An image shown in a text (`![alt](shots/menu.png)`): a PNG, JPEG or SVG gets the checks of a
    /// screenshot (a readable header, within the size limits; an SVG sanitized), since the page and
    /// the PDF show it as one.
    fn check_inline_image(&mut self, at: Span, rel: &str) {
        let (Some(dir), key) = (self.guide_dir, attachment_key(rel)) else {
            return;
        };
        let Some(kind) = ImageKind::from_extension(extension(&key)) else {
            return;
        };
        if !self.attachments.contains_key(&key) {
            return;
        }
        match read_image(dir, &key, kind, &[]) {
            Ok((image, removed, _)) => {
                warn_removed(self, at, &key, &removed);
                self.attachments.insert(key, image.bytes);
            }
            Err((message, hint)) => {
                self.attachments.remove(&key);
                self.error(at, message, Some(hint));
            }
        }
    }
}

/// The path an attachment is kept and published under, for a relative link target as written.
pub(crate) fn attachment_key(rel: &str) -> String {
    normalize_rel(&percent_decode(rel))
}

/// Why the links of `markdown`, a text of the guide in `guide_dir`, would be refused: each as a
/// message and a hint, as validation words them. For texts that arrive from outside guide.yaml (a
/// PO file's translation), checked before they are written.
pub fn link_refusals(
    site: &Site,
    guide_dir: &Path,
    lang: &str,
    markdown: &str,
) -> Vec<(String, String)> {
    let mut refusals = Vec::new();
    for used in crate::variables::uses(markdown) {
        if !site.variables.contains_key(used.name) {
            let hint = did_you_mean(used.name, site.variables.keys().map(String::as_str))
                .unwrap_or_else(|| "keep the placeholders of the source text as they are".into());
            refusals.push((format!("unknown variable `(({}))`", used.name), hint));
        }
    }
    // Links are checked as the page shows them: with the variables' values put in.
    let markdown = &crate::variables::substitute(markdown, lang, &site.variables);
    for target in markdown::targets(markdown) {
        match markdown::classify(&target.url) {
            TargetKind::External if target.is_image => refusals.push((
                web_image(&target.url),
                address_not_file(&target.url).unwrap_or_default(),
            )),
            TargetKind::External | TargetKind::Fragment => {}
            TargetKind::Guide(url) if target.is_image => refusals.push((
                format!("image target `{url}` is a guide, not an image"),
                "an image shows a file in the guide's folder; link to a guide with `[text](guide:<id>)`".into(),
            )),
            TargetKind::Guide(url) => refusals.extend(
                crate::guidelinks::parse(&url)
                    .and_then(|link| crate::guidelinks::refusal(&link, &site.guide_ids)),
            ),
            TargetKind::Forbidden(url) => refusals.push((
                format!("link target `{url}` is not allowed"),
                "links may go to https://, http:// or mailto: addresses, or to a file in the guide's folder".into(),
            )),
            TargetKind::Relative(rel) => {
                let rel = percent_decode(&rel);
                let refusal = attachment_allowed(&rel).err().or_else(|| {
                    files::resolve_inside(guide_dir, Path::new(&rel))
                        .err()
                        .map(|e| (e.message(&rel, GUIDE_FOLDER), e.hint()))
                });
                refusals.extend(refusal);
            }
        }
    }
    refusals
}

/// Why `rel` in the guide's folder `dir` cannot be read, as a message and a hint; for a file that
/// does not exist, the hint names the file that was probably meant.
fn refusal(dir: &Path, rel: &str, err: &files::ReadError) -> (String, String) {
    let hint = match err {
        files::ReadError::Missing => file_suggestion(dir, rel).unwrap_or_else(|| err.hint()),
        _ => err.hint(),
    };
    (err.message(rel, GUIDE_FOLDER), hint)
}

/// The file of the guide's folder that `rel` probably means: written with `\\`, in another case, or
/// a near spelling. Looks at most a few thousand files deep into the folder.
pub fn file_suggestion(dir: &Path, rel: &str) -> Option<String> {
    let slashed = rel.replace('\\', "/");
    if slashed != rel && files::resolve_inside(dir, Path::new(&slashed)).is_ok() {
        return Some(format!("write `/` between folders, not `\\`: `{slashed}`"));
    }
    let wanted = normalize_rel(&slashed);
    let files: Vec<String> = walkdir::WalkDir::new(dir)
        .max_depth(6)
        .into_iter()
        .filter_map(Result::ok)
        .take(5_000)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect();
    if let Some(same) = files
        .iter()
        .find(|f| f.to_lowercase() == wanted.to_lowercase())
    {
        return Some(format!(
            "did you mean `{same}`? File names are case-sensitive: write the name exactly as the file has it"
        ));
    }
    did_you_mean(&wanted, files.iter().map(String::as_str))
        .map(|s| format!("{s} (paths are relative to the guide's folder)"))
}

/// How messages name the folder a guide's files must be in.
const GUIDE_FOLDER: &str = "the guide's folder";

/// The file types a guide may link to and have published: documents and images, never anything a
/// browser runs (HTML, SVG is sanitized like a screenshot, scripts, programs).
pub const ATTACHMENT_TYPES: &[&str] = &[
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "svg",
    "txt",
    "csv",
    "rtf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "zip",
    "mobileconfig",
    "mp4",
    "webm",
    "vtt",
];

/// The extension of a path, lowercased by the caller's comparison; `""` when it has none.
fn extension(rel: &str) -> &str {
    Path::new(rel)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
}

/// Whether a linked file may be published: a safe type, and a name that cannot replace a page or
/// PDF that guidegen writes beside it.
fn attachment_allowed(rel: &str) -> Result<(), (String, String)> {
    let ext = extension(rel).to_ascii_lowercase();
    if !ATTACHMENT_TYPES.contains(&ext.as_str()) {
        return Err((
            format!("`{rel}` is not a type of file guidegen publishes"),
            format!(
                "a guide may link to files of these types: {}; link to web pages with an https:// address",
                ATTACHMENT_TYPES.join(", ")
            ),
        ));
    }
    let normalized = normalize_rel(rel);
    // The guide's PDFs are `<id>-<lang>.pdf` at the top of its folder.
    let top_level_pdf = !normalized.contains('/') && ext == "pdf";
    if top_level_pdf {
        return Err((
            format!("`{rel}` could take the place of the guide's own PDF"),
            "move the file into a subfolder of the guide, such as `files/`".into(),
        ));
    }
    Ok(())
}

/// Where `needle` (a link inside a value) stands in the file, searching from the value's start; `None`
/// when it cannot be found (it may be written with YAML escapes). The scan from the first line that
/// [`locate_in_lines`] replaces, kept as what its tests compare it with.
#[cfg(test)]
fn locate(source: &str, from: Span, needle: &str) -> Option<Span> {
    let mut offset = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        if i + 1 == from.line {
            offset += line
                .char_indices()
                .nth(from.column.saturating_sub(1))
                .map_or(0, |(b, _)| b);
            break;
        }
        offset += line.len();
    }
    let found = source.get(offset..)?.find(needle)?;
    let before = &source[..offset + found];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(Span::new(line, column))
}

/// Where `needle` (a link inside a value) stands in the file, searching from the value's start
/// `from`; `None` when it cannot be found (it may be written with YAML escapes). The value's line is
/// found by index in `line_starts`, not by scanning the file from its first line for every link
/// and variable placed.
fn locate_in_lines(source: &str, line_starts: &[usize], from: Span, needle: &str) -> Option<Span> {
    let offset = match from.line.checked_sub(1).and_then(|i| line_starts.get(i)) {
        Some(&start) => {
            let line = &source[start..];
            let line = &line[..line.find('\n').map_or(line.len(), |end| end + 1)];
            start
                + line
                    .char_indices()
                    .nth(from.column.saturating_sub(1))
                    .map_or(0, |(b, _)| b)
        }
        None => source.len(),
    };
    let found = offset + source.get(offset..)?.find(needle)?;
    // The last line starting at or before `found`.
    let index = line_starts.partition_point(|&start| start <= found) - 1;
    let column = source[line_starts[index]..found].chars().count() + 1;
    Some(Span::new(index + 1, column))
}

/// The names in `folder`; `None` when it cannot be listed (missing, not a folder, unreadable).
fn folder_names(folder: &Path) -> Option<std::collections::BTreeSet<std::ffi::OsString>> {
    let entries = std::fs::read_dir(folder).ok()?;
    entries
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .ok()
}

/// Where each line of `source` starts: at 0 and after each `\n`.
fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `./shots//a.png` → `shots/a.png`.
fn normalize_rel(rel: &str) -> String {
    rel.split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Raster screenshots are decoded whole for the PDF: their size is bounded before anything is
/// decoded, from the file's header. 16384 px covers a long scrolling capture of a 4K screen.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// 40 megapixels, some 160 MB decoded: an 8K screenshot fits.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Whether an image's dimensions are within the limits; else the message saying so.
pub(crate) fn image_size_ok(rel: &str, width: u32, height: u32) -> Result<(), String> {
    if width > MAX_IMAGE_SIDE
        || height > MAX_IMAGE_SIDE
        || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
    {
        return Err(format!(
            "`{rel}` is {width}×{height} pixels, more than guidegen accepts ({MAX_IMAGE_SIDE} px a side, {} megapixels)",
            MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// Reads an image inside the guide's folder and measures it, or says why it cannot be used. An SVG
/// is sanitized here, so that the bytes in the model — published and given to the PDF — hold
/// nothing that runs or reaches outside.
///
/// Also returns what sanitizing removed from an SVG, for a warning.
fn read_image(
    dir: &Path,
    rel: &str,
    kind: ImageKind,
    redact: &[Region],
) -> Result<ReadImage, (String, String)> {
    let redo = || "export the screenshot again from your image editor".to_owned();
    let bytes = files::read_inside(dir, Path::new(rel), files::MAX_MEDIA_FILE_BYTES)
        .map_err(|e| refusal(dir, rel, &e))?;
    if let Some(refusal) = misnamed(rel, &bytes, kind) {
        return Err(refusal);
    }
    let mut removed = Vec::new();
    let (bytes, width, height) = match kind {
        ImageKind::Svg => {
            let clean = svg::sanitize(&bytes)
                .map_err(|e| (format!("`{rel}` is not a valid SVG image: {e}"), redo()))?;
            let (width, height) = svg_size(&clean.bytes)
                .map_err(|e| (format!("`{rel}` is not a valid SVG image: {e}"), redo()))?;
            removed = clean.removed;
            (clean.bytes, width, height)
        }
        ImageKind::Png | ImageKind::Jpeg => {
            let name = kind.name();
            let (width, height) = shots::raster_size(&bytes, kind)
                .map_err(|e| (format!("`{rel}` is not a valid {name} image: {e}"), redo()))?;
            (bytes, width, height)
        }
    };
    image_size_ok(rel, width, height).map_err(|message| {
        (
            message,
            "scale the screenshot down to the size of the screen it shows".to_owned(),
        )
    })?;
    // Redacted only now that the size is known to be within the limits: decoding is bounded.
    let mut under_text = Vec::new();
    let bytes = if redact.is_empty() {
        bytes
    } else if kind == ImageKind::Svg {
        let (bytes, hits) = shots::redact_svg(&bytes, redact, width, height)
            .map_err(|e| (format!("`{rel}` cannot be redacted: {e}"), redo()))?;
        under_text = hits;
        bytes
    } else {
        shots::redact_raster(&bytes, kind, redact)
            .map_err(|e| (format!("`{rel}` cannot be redacted: {e}"), redo()))?
    };
    let image = Image {
        rel: normalize_rel(rel),
        kind,
        width,
        height,
        bytes: Arc::new(bytes),
        redacted: redact.to_vec(),
        renditions: Default::default(),
        print: Default::default(),
        cuts: Default::default(),
    };
    Ok((image, removed, under_text))
}

/// What to do with an image of a kind guidegen does not publish.
const SAVE_AS_PNG_OR_JPEG: &str = "save it as PNG (a screenshot) or JPEG (a photo) from your image editor, and write that file's name here";

/// The refusal of an image whose bytes are another kind than its name says — a PNG saved as
/// `x.jpg`, a phone's HEIC photo renamed `.jpg` — saying what it holds and what to do: the decoder's
/// own message ("Illegal start bytes") would not.
fn misnamed(rel: &str, bytes: &[u8], kind: ImageKind) -> Option<(String, String)> {
    let (held, held_kind) = image_held(bytes)?;
    if held_kind == Some(kind) {
        return None;
    }
    let message = format!(
        "`{rel}` holds a {held} image, though its name says {}",
        kind.name()
    );
    let hint = match held_kind {
        Some(held_kind) => {
            let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
            format!(
                "rename the file to `{stem}.{}`, and write that name here",
                held_kind.extension()
            )
        }
        None => SAVE_AS_PNG_OR_JPEG.into(),
    };
    Some((message, hint))
}

/// The kind of image `bytes` hold, by their first bytes: its name, and its kind when guidegen
/// publishes it. `None` for what is not a known image (an SVG is text).
fn image_held(bytes: &[u8]) -> Option<(&'static str, Option<ImageKind>)> {
    use image::ImageFormat as Format;
    // HEIF and AVIF are ISO media files: a `ftyp` box with the brand.
    if bytes.get(4..8) == Some(b"ftyp") {
        return match bytes.get(8..12)? {
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                Some(("HEIC", None))
            }
            b"avif" | b"avis" => Some(("AVIF", None)),
            _ => None,
        };
    }
    let held = match image::guess_format(bytes).ok()? {
        Format::Png => ("PNG", Some(ImageKind::Png)),
        Format::Jpeg => ("JPEG", Some(ImageKind::Jpeg)),
        Format::WebP => ("WebP", None),
        Format::Gif => ("GIF", None),
        Format::Bmp => ("BMP", None),
        Format::Tiff => ("TIFF", None),
        Format::Avif => ("AVIF", None),
        Format::Ico => ("ICO", None),
        _ => return None,
    };
    Some(held)
}

/// The size of a sanitized SVG: from its root's `width` and `height` (or `viewBox`) when they say
/// it — a screenshot's usually do, and reading them costs nothing beside laying the drawing out —
/// else from usvg.
pub(crate) fn svg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let embeds_pictures = bytes.windows(11).any(|w| w == b"data:image/");
    match declared_svg_size(bytes) {
        Some(size) if !embeds_pictures => Ok(size),
        _ => svg_size_by_layout(bytes),
    }
}

/// `width` and `height` in absolute units, else the `viewBox`'s, of the root of a sanitized SVG
/// (whose start tag guidegen wrote: attributes in double quotes).
fn declared_svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg ")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()
    };
    let length = |value: &str| -> Option<f64> {
        let value = value.trim();
        let (number, factor) = [
            ("px", 1.0),
            ("pt", 4.0 / 3.0),
            ("pc", 16.0),
            ("mm", 96.0 / 25.4),
            ("cm", 96.0 / 2.54),
            ("in", 96.0),
        ]
        .iter()
        .find_map(|(unit, f)| value.strip_suffix(unit).map(|n| (n, *f)))
        .unwrap_or((value, 1.0));
        number.trim().parse::<f64>().ok().map(|n| n * factor)
    };
    let whole =
        |v: f64| (v.is_finite() && v >= 0.5 && v <= f64::from(u32::MAX)).then(|| v.round() as u32);
    if let (Some(w), Some(h)) = (
        attribute("width").and_then(length),
        attribute("height").and_then(length),
    ) {
        return Some((whole(w)?, whole(h)?));
    }
    let (none_w, none_h) = (attribute("width").is_none(), attribute("height").is_none());
    let view_box: Vec<f64> = attribute("viewBox")?
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match view_box[..] {
        [_, _, w, h] if none_w && none_h => Some((whole(w)?, whole(h)?)),
        _ => None,
    }
}

/// The size of a sanitized SVG as usvg lays it out. Its images are only `data:` URLs (the sanitizer
/// removed the rest); they are measured too, since the PDF decodes them, and nothing else is ever
/// resolved.
fn svg_size_by_layout(bytes: &[u8]) -> Result<(u32, u32), String> {
    let oversized = std::sync::atomic::AtomicBool::new(false);
    let default_data = usvg::ImageHrefResolver::default_data_resolver();
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|mime, data, options| {
                let fits = image::ImageReader::new(std::io::Cursor::new(data.as_slice()))
                    .with_guessed_format()
                    .ok()
                    .and_then(|r| r.into_dimensions().ok())
                    .is_some_and(|(w, h)| image_size_ok("", w, h).is_ok());
                if !fits {
                    oversized.store(true, std::sync::atomic::Ordering::Relaxed);
                    return None;
                }
                default_data(mime, data, options)
            }),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|e| e.to_string())?;
    if oversized.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(format!(
            "it embeds an image that is not a PNG, JPEG, GIF or WebP image, or is larger than {MAX_IMAGE_SIDE} px a side"
        ));
    }
    let size = tree.size();
    Ok((
        size.width().round().max(1.0) as u32,
        size.height().round().max(1.0) as u32,
    ))
}

/// Validates a site's settings and builds its model, without guides (see [`validate_guide`]). The
/// model is `None` only when the settings themselves are unusable.
pub fn validate_site(
    dir: &SiteDir,
    loaded: &Loaded,
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    let site_source = loaded.sources.get(&loaded.site_path).unwrap_or_default();
    let settings = &loaded.site;
    let mut unsure = unsure_parts(loaded);

    // Languages first: every text's check depends on them.
    let (codes, languages) = site_languages(loaded, &mut unsure, diagnostics)?;

    let mut check = FileCheck {
        path: &loaded.site_path,
        source: site_source,
        languages: &codes,
        diagnostics,
        guide_dir: None,
        attachments: BTreeMap::new(),
        images: BTreeMap::new(),
        redactions: BTreeMap::new(),
        unsure_languages: unsure.languages,
        variables: std::borrow::Cow::Owned(BTreeMap::new()),
        unsure_variables: false,
        guide_ids: &NO_GUIDE_IDS,
        line_starts: Default::default(),
        listings: BTreeMap::new(),
        links: Vec::new(),
    };

    let variables = site_variables(&mut check, settings, site_source);
    check.variables = std::borrow::Cow::Owned(variables.clone());
    let title = match &settings.title {
        Some(t) => check.text(t, Kind::Plain, "the site title"),
        None => None,
    }
    .unwrap_or_else(|| catalog_text(&languages, "site.guides", check.origin(Span::START)));
    let organization = settings
        .organization
        .as_ref()
        .and_then(|o| check.text(o, Kind::Plain, "the organization"));

    let apps = site_apps(&mut check, settings, site_source, &mut unsure);

    let mut devices = site_devices(&mut check, settings, site_source, &languages, &mut unsure);
    unique_platforms(&mut check, &mut devices, &mut unsure);

    let paper = one_of(
        &mut check,
        settings.pdf.as_ref().and_then(|p| p.paper.as_ref()),
        &PAPER,
    );
    let translation = settings.translation.as_ref();
    let incomplete = one_of(
        &mut check,
        translation.and_then(|t| t.incomplete.as_ref()),
        &INCOMPLETE,
    );
    let outdated = one_of(
        &mut check,
        translation.and_then(|t| t.outdated.as_ref()),
        &OUTDATED,
    );
    let list_other_languages = one_of(
        &mut check,
        translation.and_then(|t| t.other_languages.as_ref()),
        &OTHER_LANGUAGES,
    );
    let video_embed = video_embed(&mut check, settings);
    let base_url = settings
        .base_url
        .as_ref()
        .and_then(|written| publish::base_url(&mut check, written));
    let support = settings.support.as_ref().and_then(|written| {
        validate_support(&mut check, &written.value, written.referenced.into())
    });

    let site = Site {
        base_url,
        root: dir.root.clone(),
        title,
        languages,
        organization,
        apps,
        devices,
        paper,
        incomplete,
        video_embed,
        outdated,
        guides: Vec::new(),
        unsure,
        variables,
        guide_ids: loaded.guides.iter().map(|g| g.id.clone()).collect(),
        link_targets: crate::guidelinks::targets(
            &loaded.guides,
            loaded.snippets.values().map(|s| s.source.as_str()),
        ),
        list_other_languages,
        support,
        folder_dates: Arc::default(),
        snippets: loaded.snippets.clone(),
    };

    if loaded.guides.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::warning(&loaded.site_path, Span::START, "the site has no guides")
                .with_hint("add guides/<id>/guide.yaml; `guidegen build` looks for guide.yaml files at any depth under guides/"),
        );
    }
    Some(site)
}

/// `languages:` of guidegen.yaml, and each one's catalog (the site's `i18n/<lang>.yaml` over the
/// built-in one): the codes and the languages, or `None` when there is no language to check texts
/// in, or a catalog could not be read.
fn site_languages(
    loaded: &Loaded,
    unsure: &mut crate::model::Unsure,
    diagnostics: &mut Diagnostics,
) -> Option<(Vec<String>, Vec<Language>)> {
    let (codes, language_spans) = language_codes(loaded, unsure, diagnostics);
    if codes.is_empty() {
        return None;
    }

    let mut languages = Vec::new();
    for (code, span) in codes.iter().zip(&language_spans) {
        let site_catalog = loaded.catalogs.iter().find(|(lang, _, _)| lang == code);
        let catalog = catalog::load(
            code,
            site_catalog.map(|(_, path, text)| (path.as_path(), text.as_str())),
            (&loaded.site_path, *span),
            diagnostics,
        );
        if let Some(catalog) = catalog {
            languages.push(Language {
                code: code.clone(),
                catalog,
            });
        }
    }
    for (lang, path, _) in &loaded.catalogs {
        if !codes.contains(lang) {
            diagnostics.push(
                Diagnostic::warning(
                    path,
                    Span::START,
                    format!("language `{lang}` is not one of the site's languages"),
                )
                .with_hint(format!(
                    "add `{lang}` to `languages` in guidegen.yaml to publish in it"
                )),
            );
        }
    }
    (languages.len() == codes.len()).then_some((codes, languages))
}

/// The language codes of `languages:` (`en` when there is none) that can be used, each with where
/// it is written; a code that is not one, or is listed twice, is reported and left out.
fn language_codes(
    loaded: &Loaded,
    unsure: &mut crate::model::Unsure,
    diagnostics: &mut Diagnostics,
) -> (Vec<String>, Vec<Span>) {
    let settings = &loaded.site;
    let mut codes: Vec<String> = Vec::new();
    let mut language_spans: Vec<Span> = Vec::new();
    match &settings.languages {
        None => {
            codes.push("en".into());
            language_spans.push(Span::START);
        }
        Some(list) => {
            if list.value.is_empty() {
                diagnostics.push(
                    Diagnostic::error(&loaded.site_path, list.referenced.into(), "`languages` is empty")
                        .with_hint("list at least one language, the source language first: `languages: [da, en]`"),
                );
            }
            for code in &list.value {
                let span: Span = code.referenced.into();
                if !is_language_code(&code.value) || !crate::languages::is_known(&code.value) {
                    unsure.languages = true;
                    let hint = match crate::languages::suggestion(&code.value) {
                        Some(s) => s,
                        None => {
                            "use an ISO 639 code in lowercase, such as `da`, `en`, `de` or `pt-BR`"
                                .into()
                        }
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            &loaded.site_path,
                            span,
                            format!("`{}` is not a language code", code.value),
                        )
                        .with_hint(hint),
                    );
                } else if codes.contains(&code.value) {
                    diagnostics.push(
                        Diagnostic::error(
                            &loaded.site_path,
                            span,
                            format!("language `{}` is listed twice", code.value),
                        )
                        .with_hint("remove the second one"),
                    );
                } else {
                    codes.push(code.value.clone());
                    language_spans.push(span);
                }
            }
        }
    }
    (codes, language_spans)
}

/// `apps:` of guidegen.yaml, by id (and by the id as it should be written, where it is not).
fn site_apps(
    check: &mut FileCheck,
    settings: &input::SiteFile,
    site_source: &str,
    unsure: &mut crate::model::Unsure,
) -> BTreeMap<String, App> {
    let mut apps = BTreeMap::new();
    for (id, app) in &settings.apps {
        let span: Span = app.referenced.into();
        let errors_before = check.diagnostics.error_count();
        site_id_ok(check, site_source, (id, span), "app");
        let name = check.text(&app.value.name, Kind::Plain, "the app's name");
        let mut stores = Vec::new();
        for store in Store::ALL {
            let link = match store {
                Store::AppStore => &app.value.app_store,
                Store::GooglePlay => &app.value.google_play,
            };
            let Some(link) = link else { continue };
            if store_link_ok(&link.value, store) {
                stores.push(StoreLink {
                    store,
                    url: link.value.clone(),
                });
            } else {
                check.error(
                    link.referenced,
                    format!("`{}` is not {}", link.value, store.link_noun()),
                    Some(format!(
                        "a {} link starts with https://{}/",
                        store.name(),
                        store.host()
                    )),
                );
            }
        }
        if app.value.app_store.is_none() && app.value.google_play.is_none() {
            check.error(
                span,
                format!("app `{id}` has no store link"),
                Some("add `app_store:` and/or `google_play:` with the app's store page".into()),
            );
        }
        if check.diagnostics.error_count() > errors_before {
            // Already reported: steps naming the app are not wrong too.
            unsure.apps = true;
        }
        if let Some(name) = name {
            // Under its id as written and as it should be, so that neither spelling in a step
            // repeats the mistake.
            for key in [id.clone(), id_suggestion(id)] {
                apps.insert(
                    key,
                    App {
                        id: id.clone(),
                        name: name.clone(),
                        stores: stores.clone(),
                    },
                );
            }
        }
    }
    apps
}

/// Whether `id`, the key of an app or a device (`kind`) in guidegen.yaml, is a valid id; if not, an
/// error at the key saying how to write it there and in the steps.
fn site_id_ok(
    check: &mut FileCheck,
    site_source: &str,
    (id, span): (&str, Span),
    kind: &str,
) -> bool {
    if is_id(id) {
        return true;
    }
    let suggestion = id_suggestion(id);
    check.error(
        key_span(site_source, id, span),
        format!("{kind} id `{id}` may only have lowercase letters, digits and `-`"),
        Some(format!(
            "write `{suggestion}:` here, and `{kind}: {suggestion}` in the steps that use it"
        )),
    );
    false
}

/// The devices: the built-in ones, with their labels from the catalogs, and `devices:` of
/// guidegen.yaml, which adds devices or changes a built-in one.
fn site_devices(
    check: &mut FileCheck,
    settings: &input::SiteFile,
    site_source: &str,
    languages: &[Language],
    unsure: &mut crate::model::Unsure,
) -> BTreeMap<String, Device> {
    let mut devices = builtin_devices(languages, check.origin(Span::START));
    for (id, device) in &settings.devices {
        if let Some(device) = site_device(
            check,
            (id, device),
            site_source,
            languages,
            &devices,
            unsure,
        ) {
            devices.insert(id.clone(), device);
        }
    }
    devices
}

/// The built-in devices (computer, phone, tablet), in the site's languages.
fn builtin_devices(languages: &[Language], origin: Origin) -> BTreeMap<String, Device> {
    let mut devices = BTreeMap::new();
    for builtin in &crate::model::BUILTIN_DEVICES {
        let (id, icon) = (builtin.id, builtin.icon);
        let origin = origin.clone();
        let platforms = builtin
            .platforms
            .iter()
            .map(|(platform, store)| Platform {
                id: (*platform).to_owned(),
                label: catalog_text(
                    languages,
                    &format!("platform.{platform}.label"),
                    origin.clone(),
                ),
                icon,
                store: *store,
            })
            .collect();
        devices.insert(
            id.to_owned(),
            Device {
                id: id.to_owned(),
                label: catalog_text(languages, &format!("device.{id}.label"), origin.clone()),
                banner: catalog_text(languages, &format!("device.{id}.banner"), origin.clone()),
                icon,
                // Carried in the hand: a switch to it from a computer gets a continue code.
                mobile: id != "computer",
                platforms,
                question: catalog_text(languages, &format!("device.{id}.question"), origin),
            },
        );
    }
    devices
}

/// One device of `devices:` in guidegen.yaml; `None` (reported) when it cannot be used. A built-in
/// device of that id gives what it leaves out.
fn site_device(
    check: &mut FileCheck,
    (id, device): (&String, &Spanned<input::DeviceInput>),
    site_source: &str,
    languages: &[Language],
    devices: &BTreeMap<String, Device>,
    unsure: &mut crate::model::Unsure,
) -> Option<Device> {
    let span: Span = device.referenced.into();
    if !site_id_ok(check, site_source, (id, span), "device") {
        unsure.devices = true;
        return None;
    }
    let builtin = devices.get(id).cloned();
    let label = device
        .value
        .label
        .as_ref()
        .and_then(|t| check.text(t, Kind::Plain, "the device's label"));
    let banner = device
        .value
        .banner
        .as_ref()
        .and_then(|t| check.text(t, Kind::Plain, "the device's banner"));
    let icon = match &device.value.icon {
        None => builtin.as_ref().map_or(Icon::Device, |b| b.icon),
        Some(name) => Icon::from_name(&name.value).unwrap_or_else(|| {
            let names: Vec<&str> = Icon::ALL.iter().map(|i| i.name()).collect();
            check.error(
                name.referenced,
                format!("unknown icon `{}`", name.value),
                Some(format!("the icons are {}", names.join(", "))),
            );
            Icon::Device
        }),
    };
    let (label, banner) = match (label, banner, builtin.clone()) {
        (label, banner, Some(b)) => (label.unwrap_or(b.label), banner.unwrap_or(b.banner)),
        (Some(label), Some(banner), None) => (label, banner),
        (label, banner, None) => {
            if device.value.label.is_none() {
                check.error(
                    span,
                    format!("device `{id}` has no `label`"),
                    Some("add `label:`, the device's name as a reader calls it".into()),
                );
            }
            if device.value.banner.is_none() {
                check.error(
                    span,
                    format!("device `{id}` has no `banner`"),
                    Some("add `banner:`, such as \"You must now use your smartwatch.\"".into()),
                );
            }
            let _ = (label, banner);
            unsure.devices = true;
            return None;
        }
    };
    let mobile = device
        .value
        .mobile
        .as_ref()
        .map(|m| m.value)
        .or(builtin.as_ref().map(|b| b.mobile))
        .unwrap_or(false);
    let question = device
        .value
        .question
        .as_ref()
        .and_then(|t| check.text(t, Kind::Plain, "the device's question"));
    let question = question
        .or_else(|| builtin.as_ref().map(|b| b.question.clone()))
        .unwrap_or_else(|| {
            let mut text = catalog_text(languages, "platform.question", check.origin(span));
            // "Which {device} do you have?", with the device's own label in each language.
            text.source = text
                .source
                .replace("{device}", &label.source.to_lowercase());
            for (lang, t) in &mut text.translations {
                let name = label
                    .translations
                    .get(lang)
                    .map_or(&label.source, |l| &l.text);
                t.text = t.text.replace("{device}", &name.to_lowercase());
            }
            text
        });
    let platforms = match &device.value.platforms {
        None => builtin.map(|b| b.platforms).unwrap_or_default(),
        Some(written) => site_platforms(check, written, icon, devices),
    };
    Some(Device {
        id: id.clone(),
        label,
        banner,
        icon,
        mobile,
        platforms,
        question,
    })
}

/// `video: {embed: […]}` of guidegen.yaml: the services whose players pages embed.
fn video_embed(check: &mut FileCheck, settings: &input::SiteFile) -> Vec<Service> {
    let mut video_embed = Vec::new();
    if let Some(embed) = settings.video.as_ref().and_then(|v| v.embed.as_ref()) {
        for id in &embed.value {
            match Service::from_id(&id.value) {
                Some(service) if Service::EMBEDDABLE.contains(&service) => {
                    if !video_embed.contains(&service) {
                        video_embed.push(service);
                    }
                }
                Some(service) => check.error(
                    id.referenced,
                    format!("{} videos cannot be embedded", service.name().unwrap_or(service.id())),
                    Some("their pages are shown as a link with a QR code; `embed` takes youtube, vimeo and panopto".into()),
                ),
                None => {
                    let ids = Service::EMBEDDABLE.map(Service::id);
                    let hint = did_you_mean(&id.value, ids.iter().copied())
                        .unwrap_or_else(|| format!("the services that can be embedded are {}", ids.join(", ")));
                    check.error(
                        id.referenced,
                        format!("unknown video service `{}`", id.value),
                        Some(hint),
                    );
                }
            }
        }
    }
    video_embed
}

/// A setting that is one of a few words: each word with what it sets and, for the hint, what it
/// means. The first is the default.
struct Choices<T: 'static> {
    /// What a word not among them is called: "unknown {noun} `a5`".
    noun: &'static str,
    words: &'static [(&'static str, T, &'static str)],
    /// Whether `A4` is `a4`.
    any_case: bool,
}

const PAPER: Choices<Paper> = Choices {
    noun: "paper size",
    words: &[("a4", Paper::A4, ""), ("letter", Paper::Letter, "")],
    any_case: true,
};

const INCOMPLETE: Choices<IncompletePolicy> = Choices {
    noun: "value",
    words: &[
        (
            "fallback",
            IncompletePolicy::Fallback,
            "publish, marking untranslated text",
        ),
        (
            "omit",
            IncompletePolicy::Omit,
            "leave the guide out of the language",
        ),
    ],
    any_case: false,
};

const OUTDATED: Choices<OutdatedPolicy> = Choices {
    noun: "value",
    words: &[
        (
            "show",
            OutdatedPolicy::Show,
            "publish the outdated translation, reported as outdated",
        ),
        (
            "fallback",
            OutdatedPolicy::Fallback,
            "publish the source text in its place",
        ),
    ],
    any_case: false,
};

/// `translation: {other_languages: …}`: whether a language's index lists the guides published only
/// in others.
const OTHER_LANGUAGES: Choices<bool> = Choices {
    noun: "value",
    words: &[
        (
            "omit",
            false,
            "a guide published only in some languages is left out of the others' indexes",
        ),
        ("list", true, "listed there as \"only in Danish\""),
    ],
    any_case: false,
};

/// What the word `written` sets among `choices`: the default when none is written, and when the word
/// is not one of them (reported, with the words and what each means).
fn one_of<T: Copy>(
    check: &mut FileCheck,
    written: Option<&Spanned<String>>,
    choices: &Choices<T>,
) -> T {
    let default = choices.words[0].1;
    let Some(written) = written else {
        return default;
    };
    let word = if choices.any_case {
        written.value.to_ascii_lowercase()
    } else {
        written.value.clone()
    };
    if let Some((_, value, _)) = choices.words.iter().find(|(w, _, _)| *w == word) {
        return *value;
    }
    let listed: Vec<String> = choices
        .words
        .iter()
        .map(|(word, _, meaning)| {
            if meaning.is_empty() {
                format!("`{word}`")
            } else {
                format!("`{word}` ({meaning})")
            }
        })
        .collect();
    let (last, first) = listed.split_last().expect("a choice has words");
    let hint = match first {
        [] => format!("write {last}"),
        first => format!("write {} or {last}", first.join(", ")),
    };
    check.error(
        written.referenced,
        format!("unknown {} `{}`", choices.noun, written.value),
        Some(hint),
    );
    default
}

/// `variables:` of guidegen.yaml: each name checked, each value a plain translatable text (which
/// uses no variable itself).
fn site_variables(
    check: &mut FileCheck,
    settings: &input::SiteFile,
    site_source: &str,
) -> crate::variables::Variables {
    let mut variables = BTreeMap::new();
    for (name, value) in &settings.variables {
        if !crate::variables::is_name(name) {
            check.error(
                key_span(site_source, name, value.referenced.into()),
                format!("variable name `{name}` may only have lowercase letters, digits, `-` and `_`, and must start with a letter"),
                Some(format!("rename it to `{}`, here and where texts use it", id_suggestion(name))),
            );
            continue;
        }
        if let Some(text) = check.text(value, Kind::Plain, "the variable's value") {
            variables.insert(name.clone(), text);
        }
    }
    variables
}

/// The platforms a site device declares: each a new one (with a label) or a built-in one's id,
/// whose label, icon and store it may change.
fn site_platforms(
    check: &mut FileCheck,
    written: &Spanned<BTreeMap<String, Spanned<input::PlatformInput>>>,
    device_icon: Icon,
    devices: &BTreeMap<String, Device>,
) -> Vec<Platform> {
    let mut platforms = Vec::new();
    for (id, platform) in &written.value {
        let span: Span = platform.referenced.into();
        if !is_id(id) || id.len() > crate::slot::PlatformKey::MAX {
            check.error(
                key_span(check.source, id, span),
                format!("platform id `{id}` may only have lowercase letters, digits and `-`, at most {} of them", crate::slot::PlatformKey::MAX),
                Some(format!("write `{}:`", id_suggestion(id))),
            );
            continue;
        }
        let builtin = devices
            .values()
            .flat_map(|d| &d.platforms)
            .find(|p| p.id == *id);
        let label = platform
            .value
            .label
            .as_ref()
            .and_then(|t| check.text(t, Kind::Plain, "the platform's label"));
        let icon = match &platform.value.icon {
            None => builtin.map_or(device_icon, |b| b.icon),
            Some(name) => Icon::from_name(&name.value).unwrap_or_else(|| {
                let names: Vec<&str> = Icon::ALL.iter().map(|i| i.name()).collect();
                check.error(
                    name.referenced,
                    format!("unknown icon `{}`", name.value),
                    Some(format!("the icons are {}", names.join(", "))),
                );
                device_icon
            }),
        };
        let store = match &platform.value.store {
            None => builtin.and_then(|b| b.store),
            Some(name) => {
                let store = Store::ALL.into_iter().find(|s| s.key() == name.value);
                if store.is_none() {
                    check.error(
                        name.referenced,
                        format!("unknown store `{}`", name.value),
                        Some("write `app_store` or `google_play`".into()),
                    );
                }
                store
            }
        };
        let Some(label) = label.or_else(|| builtin.map(|b| b.label.clone())) else {
            if platform.value.label.is_none() {
                check.error(
                    span,
                    format!("platform `{id}` has no `label`"),
                    Some("add `label:`, the platform's name as a reader knows it, such as `label: Chromebook`".into()),
                );
            }
            continue;
        };
        platforms.push(Platform {
            id: id.clone(),
            label,
            icon,
            store,
        });
    }
    platforms
}

/// Refuses a platform id that two devices have: `only: android` must name one device's.
fn unique_platforms(
    check: &mut FileCheck,
    devices: &mut BTreeMap<String, Device>,
    unsure: &mut crate::model::Unsure,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for device in devices.values_mut() {
        let mut kept = Vec::new();
        for platform in std::mem::take(&mut device.platforms) {
            if let Some(other) = seen.get(&platform.id) {
                check.error(
                    Span::START,
                    format!(
                        "platform `{}` is a platform of `{other}` and of `{}`",
                        platform.id, device.id
                    ),
                    Some(format!(
                        "a platform id names one device's platform: give `{}`'s another id, such as `{}-{}`",
                        device.id, platform.id, device.id
                    )),
                );
                unsure.devices = true;
                continue;
            }
            seen.insert(platform.id.clone(), device.id.clone());
            kept.push(platform);
        }
        device.platforms = kept;
    }
}

/// Where the key `id:` is written, searching back from its value at `value` (the value of a block
/// map starts on the line after its key); `value` itself when it cannot be found.
fn key_span(source: &str, id: &str, value: Span) -> Span {
    let lines: Vec<&str> = source.lines().collect();
    for line_no in (1..=value.line.min(lines.len())).rev() {
        let line = lines[line_no - 1];
        let trimmed = line.trim_start();
        for quoted in [id.to_owned(), format!("\"{id}\""), format!("'{id}'")] {
            if let Some(rest) = trimmed.strip_prefix(&quoted)
                && rest.trim_start().starts_with(':')
            {
                let column = line.chars().count() - trimmed.chars().count() + 1;
                return Span::new(line_no, column);
            }
        }
    }
    value
}

/// The parts of the settings that the format check refused, or that a misspelled top-level key may
/// have been meant for.
fn unsure_parts(loaded: &Loaded) -> crate::model::Unsure {
    let troubles = &loaded.site_troubles;
    if troubles.unreadable {
        return crate::model::Unsure {
            languages: true,
            apps: true,
            devices: true,
            variables: true,
        };
    }
    let known = [
        "title",
        "languages",
        "organization",
        "apps",
        "devices",
        "pdf",
        "translation",
        "variables",
    ];
    let misspelled = troubles.keys.iter().any(|k| !known.contains(&k.as_str()));
    let part = |key: &str, absent: bool| troubles.keys.contains(key) || (absent && misspelled);
    crate::model::Unsure {
        languages: part("languages", loaded.site.languages.is_none()),
        apps: part("apps", loaded.site.apps.is_empty()),
        devices: part("devices", loaded.site.devices.is_empty()),
        variables: part("variables", loaded.site.variables.is_empty()),
    }
}

/// A text made of one catalog string in every language (built-in device labels, the default title).
fn catalog_text(languages: &[Language], key: &str, origin: Origin) -> Text {
    let mut text = Text::invariant(languages[0].catalog.get(key), origin.clone());
    for lang in &languages[1..] {
        text.translations.insert(
            lang.code.clone(),
            LocalizedText {
                text: lang.catalog.get(key).to_owned(),
                state: TranslationState::Current,
                recorded: None,
                origin: origin.clone(),
            },
        );
    }
    text
}

/// `https://` on the store's own host, with nothing that could disguise another host.
fn store_link_ok(url: &str, store: Store) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    host.eq_ignore_ascii_case(store.host())
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A section as written (none for a guide of `steps:` alone), where it is, and its steps.
type WrittenSection<'a> = (
    Option<&'a Spanned<SectionInput>>,
    Span,
    Option<&'a Spanned<Vec<Spanned<StepInput>>>>,
);

/// Validates one parsed guide against the site, consuming its input. `None` when it has errors,
/// which are in `diagnostics`.
pub fn validate_guide(
    site: &Site,
    loaded: LoadedGuide,
    source: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Guide> {
    let languages: Vec<String> = site.languages.iter().map(|l| l.code.clone()).collect();
    let languages = languages.as_slice();
    let errors_before = diagnostics.error_count();
    let file: &GuideFile = &loaded.file;
    let mut check = FileCheck {
        path: &loaded.path,
        source,
        languages,
        diagnostics,
        guide_dir: Some(&loaded.dir),
        attachments: BTreeMap::new(),
        images: BTreeMap::new(),
        redactions: BTreeMap::new(),
        unsure_languages: site.unsure.languages,
        variables: std::borrow::Cow::Borrowed(&site.variables),
        unsure_variables: site.unsure.variables,
        guide_ids: &site.guide_ids,
        line_starts: Default::default(),
        listings: BTreeMap::new(),
        links: Vec::new(),
    };
    if !is_id(&loaded.id) {
        let suggestion = id_suggestion(&loaded.id);
        check.error(
            Span::START,
            format!("the guide's folder name `{}` is not a valid guide id", loaded.id),
            Some(format!("ids have lowercase letters, digits and `-` only: rename the folder to `{suggestion}`")),
        );
    }
    let title = match &file.title {
        Some(t) => check.text(t, Kind::Plain, "the title"),
        None => {
            check.error(
                Span::START,
                "the guide has no `title`",
                Some("add `title:` at the top of the file".into()),
            );
            None
        }
    };
    let summary = file
        .summary
        .as_ref()
        .and_then(|s| check.text(s, Kind::Markdown, "the summary"));

    let written_sections = written_sections(&mut check, file);
    let guide_video = file
        .video
        .as_ref()
        .and_then(|v| video::video(&mut check, site, v));

    if !within_guide_limits(&mut check, file, &written_sections) {
        return None;
    }

    let mut so_far = StepsSoFar::default();
    let mut sections = Vec::new();
    for written in written_sections {
        sections.extend(section(
            &mut check,
            site,
            &loaded.path,
            written,
            &mut so_far,
        ));
    }

    let aliases = publish::aliases(&mut check, file, &loaded.id);
    let guide_languages = guide_languages(&mut check, file);
    let links = std::mem::take(&mut check.links);
    let updated = updated_date(&mut check, file, site, &loaded.dir);
    redact_attachments(&mut check, &loaded.dir);
    let attachments = std::mem::take(&mut check.attachments);
    if check.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(Guide {
        id: loaded.id.clone(),
        dir: loaded.dir.clone(),
        path: loaded.path.clone(),
        title: title?,
        summary,
        sections,
        video: guide_video,
        attachments,
        aliases,
        languages: guide_languages,
        links,
        updated,
        choice: crate::model::Choice::new(),
        step_summary: None,
    })
}

/// The guide's lists of steps: each section's, or the one list of a guide without sections; a guide
/// with both, or with neither (and no video), is reported.
fn written_sections<'a>(check: &mut FileCheck, file: &'a GuideFile) -> Vec<WrittenSection<'a>> {
    match (&file.sections, &file.steps) {
        (Some(sections), Some(steps)) => {
            check.error(
                steps.referenced,
                "a guide has `sections` or `steps`, not both",
                Some("move these steps into a section".into()),
            );
            let _ = sections;
            Vec::new()
        }
        (Some(sections), None) => {
            if sections.value.is_empty() {
                check.error(
                    sections.referenced,
                    "the guide has no sections",
                    Some("add a section with steps, or write `steps:` directly".into()),
                );
            }
            sections
                .value
                .iter()
                .map(|s| (Some(s), Span::from(s.referenced), s.value.steps.as_ref()))
                .collect()
        }
        (None, Some(steps)) => vec![(None, steps.referenced.into(), Some(steps))],
        (None, None) => {
            if file.video.is_none() {
                check.error(
                    Span::START,
                    "the guide has no steps",
                    Some("add `steps:` with at least one step, or `sections:`".into()),
                );
            }
            Vec::new()
        }
    }
}

/// Where the walk through a guide's steps is: the steps' numbers so far and the device in hand.
#[derive(Default)]
struct StepsSoFar {
    /// The steps so far, snippets' steps included.
    number: usize,
    /// The steps' numbers as written in guide.yaml, where a `snippet:` item counts as one.
    own_number: usize,
    /// The device of the last step: a step that names none is on it.
    previous_device: Option<String>,
}

/// One section of a guide (or the guide's one list of steps), its steps numbered on from `so_far`;
/// `None` when it has no steps (reported), unless it is a video alone.
fn section<'a>(
    check: &mut FileCheck<'a>,
    site: &'a Site,
    guide_path: &Path,
    (section, span, steps): WrittenSection<'a>,
    so_far: &mut StepsSoFar,
) -> Option<Section> {
    let (section_title, intro) = match section {
        Some(s) => (
            s.value
                .title
                .as_ref()
                .and_then(|t| check.text(t, Kind::Plain, "the section's title")),
            s.value
                .intro
                .as_ref()
                .and_then(|t| check.text(t, Kind::Markdown, "the section's intro")),
        ),
        None => (None, None),
    };
    let written_video = section.and_then(|s| s.value.video.as_ref());
    let section_video = written_video.and_then(|v| video::video(check, site, v));
    let steps = match steps {
        Some(steps) if !steps.value.is_empty() => steps,
        // A section may be a video alone, as the guide a school started from opens with one.
        None if written_video.is_some() => {
            return Some(Section {
                title: section_title,
                intro,
                video: section_video,
                steps: Vec::new(),
                only: section
                    .and_then(|s| s.value.only.as_ref())
                    .map(|o| only(check, site, o, None))
                    .unwrap_or_default(),
            });
        }
        Some(steps) => {
            check.error(
                steps.referenced,
                "this list of steps is empty",
                Some("add at least one step with `action:`".into()),
            );
            return None;
        }
        None => {
            check.error(
                span,
                "the section has no `steps`",
                Some("add `steps:` with at least one step, or a `video:`".into()),
            );
            return None;
        }
    };
    let section_only = section
        .and_then(|s| s.value.only.as_ref())
        .map(|o| only(check, site, o, None))
        .unwrap_or_default();
    let mut model_steps = Vec::new();
    let included = crate::snippets::expand(
        &steps.value,
        guide_path,
        &site.snippets,
        &mut so_far.own_number,
        check.diagnostics,
    );
    for included in included {
        model_steps.extend(step(check, site, included, &section_only, so_far));
    }
    Some(Section {
        title: section_title,
        intro,
        video: section_video,
        steps: model_steps,
        only: section_only,
    })
}

/// One step of a section (a guide's own, or a snippet's, checked in the snippet's file): `None` when
/// it cannot be used (reported).
fn step<'a>(
    check: &mut FileCheck<'a>,
    site: &'a Site,
    included: crate::snippets::Included<'a>,
    section_only: &crate::model::Only,
    so_far: &mut StepsSoFar,
) -> Option<Step> {
    let crate::snippets::Included {
        step: written,
        snippet,
        chain,
        slot_number,
    } = included;
    so_far.number += 1;
    let number = so_far.number;
    // A snippet's step is checked in its own file, and its errors say where it was included.
    let reported_before = check.diagnostics.len();
    let (path, source, dir) = (check.path, check.source, check.guide_dir);
    if let Some(snippet) = snippet {
        check.path = &snippet.path;
        check.source = &snippet.source;
        check.guide_dir = Some(&snippet.dir);
    }
    let step_span: Span = written.referenced.into();
    let step = &written.value;
    let device = step_device(check, site, step, step_span, so_far);
    let parts = step_parts(check, site, step, number);
    let action = match parts.action {
        Some(action) => Some(action),
        None if step.action.is_some() => None,
        None => {
            check.error(
                step_span,
                "the step has no `action`",
                Some("add `action:`, what the reader does in this step".into()),
            );
            None
        }
    };
    let StepParts {
        screenshot,
        app,
        result,
        callouts,
        video: step_video,
        ..
    } = parts;
    let only = step
        .only
        .as_ref()
        .map(|o| only(check, site, o, device.as_deref()))
        .unwrap_or_default();
    let only = combine_only(check, step_span, section_only.clone(), only);
    let model_step = match (device, action) {
        (Some(device), Some(action)) => {
            let device_switch = so_far.previous_device.as_deref() != Some(device.as_str());
            so_far.previous_device = Some(device.clone());
            let mut model_step = Step {
                number,
                anchor: number,
                device,
                device_switch,
                action,
                screenshot: screenshot.map(Box::new),
                app,
                result,
                callouts,
                video: step_video.map(Box::new),
                only,
                variants: Vec::new(),
                slot_number,
                snippet: snippet.map(|s| s.name.clone()),
            };
            if let Some(written) = &step.variants {
                model_step.variants = variants(check, site, &model_step, written);
            }
            if snippet.is_some() {
                publish_apart(&mut model_step);
            }
            Some(model_step)
        }
        _ => None,
    };
    (check.path, check.source, check.guide_dir) = (path, source, dir);
    if let Some(note) = crate::snippets::included_note(&chain) {
        check.diagnostics.note_since(reported_before, &note);
    }
    model_step
}

/// The device a step is on: the one it names, else the one in hand; `None` when it names an unknown
/// one or is the first and names none (reported).
fn step_device(
    check: &mut FileCheck,
    site: &Site,
    step: &StepInput,
    step_span: Span,
    so_far: &StepsSoFar,
) -> Option<String> {
    match &step.device {
        Some(d) if site.devices.contains_key(&d.value) => Some(d.value.clone()),
        // The site's devices had errors, already reported.
        Some(_) if site.unsure.devices => None,
        Some(d) => {
            let hint = did_you_mean(&d.value, site.devices.keys().map(String::as_str))
                .unwrap_or_else(|| {
                    format!(
                        "the devices are {}; define others under `devices:` in guidegen.yaml",
                        site.devices
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            check.error(
                d.referenced,
                format!("unknown device `{}`", d.value),
                Some(hint),
            );
            None
        }
        None if so_far.previous_device.is_none() && so_far.number == 1 => {
            check.error(
                step_span,
                "the first step does not say which device to use",
                Some("add `device: computer` (or phone, tablet) to the first step".into()),
            );
            None
        }
        None => so_far.previous_device.clone(),
    }
}

/// A snippet's `shots/x.png` is published apart from the guide's own `shots/x.png`: under
/// [`crate::snippets::PUBLISHED_DIR`], its variants' screenshots too.
fn publish_apart(step: &mut Step) {
    let variants = step.variants.iter_mut().map(|v| &mut v.step.screenshot);
    for shot in std::iter::once(&mut step.screenshot)
        .chain(variants)
        .flatten()
    {
        for image in std::iter::once(&mut shot.default).chain(shot.localized.values_mut()) {
            if !image.rel.starts_with(crate::snippets::PUBLISHED_DIR) {
                image.rel = format!("{}/{}", crate::snippets::PUBLISHED_DIR, image.rel);
            }
        }
    }
}

/// `languages:` of guide.yaml: site languages, the source language among them, in the site's order.
fn guide_languages(check: &mut FileCheck, file: &GuideFile) -> Option<Vec<String>> {
    let written = file.languages.as_ref()?;
    let span: Span = written.referenced.into();
    if check.unsure_languages {
        return None;
    }
    let mut ok = true;
    for lang in &written.value {
        if !check.languages.contains(&lang.value) {
            ok = false;
            let hint = crate::plan::language_suggestion(
                &lang.value,
                check.languages.iter().map(String::as_str),
            )
            .unwrap_or_else(|| format!("the site's languages are {}", check.languages.join(", ")));
            check.error(
                lang.referenced,
                format!(
                    "language `{}` is not one of the site's languages",
                    lang.value
                ),
                Some(hint),
            );
        }
    }
    let source = check.source_lang().to_owned();
    if ok && !written.value.iter().any(|l| l.value == source) {
        ok = false;
        check.error(
            span,
            format!("`languages` must include `{source}`, the site's source language"),
            Some(format!(
                "a guide's texts are written in `{source}` first; add it: `languages: [{source}]`"
            )),
        );
    }
    if ok && written.value.is_empty() {
        ok = false;
    }
    let languages: Vec<String> = check
        .languages
        .iter()
        .filter(|l| written.value.iter().any(|w| &w.value == *l))
        .cloned()
        .collect();
    ok.then_some(languages)
}

/// A step's parts as written, each checked: a step's own, or a variant's.
struct StepParts {
    action: Option<Text>,
    screenshot: Option<Screenshot>,
    app: Option<String>,
    result: Option<Text>,
    callouts: Vec<Callout>,
    video: Option<crate::model::Video>,
}

fn step_parts(check: &mut FileCheck, site: &Site, step: &StepInput, number: usize) -> StepParts {
    let action = step
        .action
        .as_ref()
        .and_then(|a| check.text(a, Kind::Markdown, "the step's action"));
    let screenshot = step
        .screenshot
        .as_ref()
        .and_then(|s| screenshot(check, s, number));
    let app = step.app.as_ref().and_then(|a| {
        if site.apps.contains_key(&a.value) {
            Some(a.value.clone())
        } else if site.unsure.apps {
            None
        } else {
            let hint =
                did_you_mean(&a.value, site.apps.keys().map(String::as_str)).unwrap_or_else(|| {
                    "define the app under `apps:` in guidegen.yaml, with its store links".into()
                });
            check.error(
                a.referenced,
                format!("unknown app `{}`", a.value),
                Some(hint),
            );
            None
        }
    });
    let result = step
        .result
        .as_ref()
        .and_then(|r| check.text(r, Kind::Markdown, "the step's result"));
    let step_video = step
        .video
        .as_ref()
        .and_then(|v| video::video(check, site, v));
    let mut callouts = Vec::new();
    // The callouts are the step fields the registry shows as one, in its order.
    for field in crate::slot::StepField::ALL {
        let Some(kind) = field.callout() else {
            continue;
        };
        let format = if field.is_markdown() {
            Kind::Markdown
        } else {
            Kind::Plain
        };
        let what = format!("the step's {field}");
        if let Some(t) = field
            .as_written(step)
            .and_then(|t| check.text(t, format, &what))
        {
            callouts.push(Callout { kind, text: t });
        }
    }
    StepParts {
        action,
        screenshot,
        app,
        result,
        callouts,
        video: step_video,
    }
}

/// `only:` as written: each platform known and, for a step (`device` given), of the step's device.
fn only(
    check: &mut FileCheck,
    site: &Site,
    written: &Spanned<input::OnlyInput>,
    device: Option<&str>,
) -> crate::model::Only {
    let mut out = crate::model::Only::new();
    let ids = input::OnlyInput::ids(written);
    if ids.is_empty() {
        check.error(
            written.referenced,
            "`only` lists no platform",
            Some("name the platforms this is for, such as `only: ios`, or remove `only`".into()),
        );
    }
    for id in &ids {
        match site.platform(&id.value) {
            Some((of, _)) if device.is_some_and(|d| d != of.id) => {
                let device = device.unwrap_or_default();
                let hint = platforms_hint(site, device);
                check.error(
                    id.referenced,
                    format!(
                        "`{}` is a platform of `{}`, but this step is on `{device}`",
                        id.value, of.id
                    ),
                    Some(hint),
                );
            }
            Some((of, platform)) => {
                let list = out.entry(of.id.clone()).or_default();
                if !list.contains(&platform.id) {
                    list.push(platform.id.clone());
                }
            }
            None if site.unsure.devices => {}
            None => {
                let all = site.devices.values().flat_map(|d| &d.platforms);
                let hint = platform_named(site, &id.value)
                    .or_else(|| did_you_mean(&id.value, all.map(|p| p.id.as_str())))
                    .unwrap_or_else(|| platforms_hint(site, device.unwrap_or_default()));
                check.error(
                    id.referenced,
                    format!("unknown platform `{}`", id.value),
                    Some(hint),
                );
            }
        }
    }
    out
}

/// "write `ios`: the platform id of iPhone" for a platform written by its label (`iphone`, `Mac`).
fn platform_named(site: &Site, written: &str) -> Option<String> {
    let written = written.to_lowercase();
    site.devices
        .values()
        .flat_map(|d| &d.platforms)
        .find_map(|p| {
            let mut names = std::iter::once(&p.label.source)
                .chain(p.label.translations.values().map(|t| &t.text));
            names
                .any(|name| name.to_lowercase() == written)
                .then(|| format!("write `{}`: the platform id of {}", p.id, p.label.source))
        })
}

/// "the platforms of `phone` are `ios`, `android`; …" for a message about a step on `device`.
fn platforms_hint(site: &Site, device: &str) -> String {
    let list = |d: &Device| {
        d.platforms
            .iter()
            .map(|p| format!("`{}`", p.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match site.devices.get(device) {
        Some(d) if !d.platforms.is_empty() => {
            format!("the platforms of `{device}` are {}", list(d))
        }
        _ => {
            let all: Vec<String> = site
                .devices
                .values()
                .filter(|d| !d.platforms.is_empty())
                .map(|d| format!("{} ({})", list(d), d.id))
                .collect();
            format!(
                "the platforms are {}; a device declares others under `platforms:` in guidegen.yaml",
                all.join("; ")
            )
        }
    }
}

/// A step's platforms within its section's: for a device both name, those both allow.
fn combine_only(
    check: &mut FileCheck,
    at: Span,
    section: crate::model::Only,
    step: crate::model::Only,
) -> crate::model::Only {
    let mut out = section;
    for (device, platforms) in step {
        match out.get_mut(&device) {
            None => {
                out.insert(device, platforms);
            }
            Some(allowed) => {
                allowed.retain(|p| platforms.contains(p));
                if allowed.is_empty() {
                    check.error(
                        at,
                        "this step is only for platforms its section is not for",
                        Some("it would never be shown: change the step's `only`, or move it to another section".into()),
                    );
                }
            }
        }
    }
    out
}

/// A step's variants, each the step with the variant's parts in place of its own.
fn variants(
    check: &mut FileCheck,
    site: &Site,
    step: &Step,
    written: &Spanned<BTreeMap<String, Spanned<StepInput>>>,
) -> Vec<crate::model::Variant> {
    use crate::slot::StepField;
    let mut out = Vec::new();
    for (platform, variant) in &written.value {
        let at: Span = variant.referenced.into();
        let key_at = key_span(check.source, platform, at);
        let Some((device, _)) = site.platform(platform) else {
            if !site.unsure.devices {
                let ids = site.devices.values().flat_map(|d| &d.platforms);
                let hint = platform_named(site, platform)
                    .or_else(|| did_you_mean(platform, ids.map(|p| p.id.as_str())))
                    .unwrap_or_else(|| platforms_hint(site, &step.device));
                check.error(key_at, format!("unknown platform `{platform}`"), Some(hint));
            }
            continue;
        };
        if device.id != step.device {
            check.error(
                key_at,
                format!(
                    "`{platform}` is a platform of `{}`, but this step is on `{}`",
                    device.id, step.device
                ),
                Some(platforms_hint(site, &step.device)),
            );
            continue;
        }
        if step
            .only
            .get(&device.id)
            .is_some_and(|allowed| !allowed.contains(platform))
        {
            check.error(
                key_at,
                format!("this step is not for `{platform}`: its `only` leaves it out"),
                Some(format!(
                    "remove the variant, or add `{platform}` to the step's `only`"
                )),
            );
            continue;
        }
        let v = &variant.value;
        let refused = [
            ("device", v.device.as_ref().map(|d| d.referenced)),
            ("only", v.only.as_ref().map(|o| o.referenced)),
            ("variants", v.variants.as_ref().map(|o| o.referenced)),
            ("video", v.video.as_ref().map(|o| o.referenced)),
        ];
        for (key, written_at) in refused {
            if let Some(written_at) = written_at {
                check.error(
                    written_at,
                    format!("a variant cannot have `{key}`"),
                    Some(format!("write `{key}` in the step itself; a variant replaces its action, screenshot, app, result, note, tip or warning")),
                );
            }
        }
        let parts = step_parts(check, site, v, step.number);
        let mut shown = step.clone();
        shown.variants.clear();
        let fields: Vec<StepField> = StepField::ALL
            .into_iter()
            .filter(|f| f.as_written(v).is_some())
            .collect();
        if fields.is_empty() && v.screenshot.is_none() && v.app.is_none() {
            check.warning(
                at,
                format!("the variant for `{platform}` changes nothing"),
                "give it the parts that differ on this platform: `action`, `screenshot`, `app`, `result`, `note`, `tip` or `warning`",
            );
        }
        if let Some(action) = parts.action {
            shown.action = action;
        }
        if v.screenshot.is_some() {
            shown.screenshot = parts.screenshot.map(Box::new);
        }
        if v.app.is_some() {
            shown.app = parts.app;
        }
        if v.result.is_some() {
            shown.result = parts.result;
        }
        for callout in parts.callouts {
            shown.callouts.retain(|c| c.kind != callout.kind);
            shown.callouts.push(callout);
        }
        shown.callouts.sort_by_key(|c| c.kind as usize);
        out.push(crate::model::Variant {
            platform: platform.clone(),
            step: shown,
            fields,
            screenshot: v.screenshot.is_some(),
            app: v.app.is_some(),
        });
    }
    // In the order written (by id), as `slot::written` reads them: views order them as the
    // device offers its platforms.
    out
}

/// The most steps a guide may have: a guide is read in one sitting; and every step costs memory and
/// layout time in every language's page and PDF.
pub const MAX_STEPS_PER_GUIDE: usize = 500;
/// The most sections a guide may have.
pub const MAX_SECTIONS_PER_GUIDE: usize = 100;

/// Whether the guide's size is within the limits; else reported once, and the guide goes no further
/// (60,000 steps would otherwise take gigabytes to render, and give as many messages).
fn within_guide_limits(
    check: &mut FileCheck,
    file: &GuideFile,
    sections: &[WrittenSection],
) -> bool {
    let steps: usize = sections
        .iter()
        .filter_map(|(_, _, steps)| steps.map(|s| s.value.len()))
        .sum();
    let at: Span = match (&file.sections, &file.steps) {
        (Some(s), _) => s.referenced.into(),
        (None, Some(s)) => s.referenced.into(),
        (None, None) => Span::START,
    };
    if sections.len() > MAX_SECTIONS_PER_GUIDE {
        check.error(
            at,
            format!(
                "the guide has {} sections, more than the {MAX_SECTIONS_PER_GUIDE} a guide may have",
                sections.len()
            ),
            Some("split it into several guides".into()),
        );
        return false;
    }
    if steps > MAX_STEPS_PER_GUIDE {
        check.error(
            at,
            format!(
                "the guide has {steps} steps, more than the {MAX_STEPS_PER_GUIDE} a guide may have"
            ),
            Some(
                "split it into several guides, each a task a reader finishes in one sitting".into(),
            ),
        );
        return false;
    }
    true
}

/// Says what sanitizing took out of an SVG screenshot, so that an author whose drawing changed
/// knows why.
fn warn_removed(check: &mut FileCheck, at: Span, rel: &str, removed: &[String]) {
    if removed.is_empty() {
        return;
    }
    check.warning(
        at,
        format!("`{rel}` is published without: {}", removed.join(", ")),
        "guidegen publishes SVG images without scripts, event handlers, links or references to other files; embed pictures inside the SVG as data: URLs",
    );
}

/// The most callouts one screenshot may have: more would hide the picture they explain.
pub const MAX_CALLOUTS: usize = 30;
/// The most redacted regions one screenshot may have.
pub const MAX_REDACTIONS: usize = 50;
/// A callout's label longer than this is warned about: it is a name on a picture, not a paragraph.
const LONG_CALLOUT_LABEL: usize = 60;

/// A callout's shape as written, before it is placed on an image (an arrow's tail may be left to
/// guidegen, which depends on the image's size).
#[derive(Debug, Clone, Copy)]
enum WrittenShape {
    Box(Region),
    Ring(Region),
    Arrow {
        to: (f64, f64),
        from: Option<(f64, f64)>,
    },
    Marker(f64, f64),
}

/// One callout as written, its shape checked on its own.
#[derive(Clone)]
struct WrittenCallout<'a> {
    shape: WrittenShape,
    at: Span,
    /// Where an arrow's `from` is written.
    from_at: Option<Span>,
    label: Option<&'a Spanned<input::Text>>,
}

/// A screenshot's coordinates for one image: its callouts and its redacted regions.
#[derive(Clone)]
struct Placing<'a> {
    callouts: Vec<WrittenCallout<'a>>,
    redact: Vec<(Region, Span)>,
}

/// Numbers written for a shape or region: each finite and not negative; else reported.
fn coordinates(
    check: &mut FileCheck,
    written: &Spanned<Vec<f64>>,
    key: &str,
    what: &str,
    expected: &[&str],
) -> Option<Vec<f64>> {
    let at: Span = written.referenced.into();
    let numbers = &written.value;
    let form = format!("[{}]", expected.join(", "));
    if numbers.len() != expected.len() {
        check.error(
            at,
            format!(
                "{what}: `{key}` takes {} numbers, {form}; this has {}",
                expected.len(),
                numbers.len()
            ),
            Some(format!(
                "write `{key}: {form}` in the image's pixels, from its top-left corner"
            )),
        );
        return None;
    }
    if numbers.iter().any(|v| !v.is_finite() || *v < 0.0) {
        check.error(
            at,
            format!("{what}: `{key}` has a negative or invalid number"),
            Some("coordinates are pixels of the image, from 0 at its top-left corner".into()),
        );
        return None;
    }
    if expected.len() == 4 && (numbers[2] <= 0.0 || numbers[3] <= 0.0) {
        check.error(
            at,
            format!("{what}: `{key}` has no area: its width and height must be more than 0"),
            Some(format!(
                "write `{key}: {form}`: the third and fourth numbers are a size"
            )),
        );
        return None;
    }
    Some(numbers.clone())
}

fn region_of(n: &[f64]) -> Region {
    Region {
        x: n[0],
        y: n[1],
        w: n[2],
        h: n[3],
    }
}

/// A list of callouts as written; labels allowed only in the main list. `None` when one is wrong
/// (each problem reported).
fn written_callouts<'a>(
    check: &mut FileCheck,
    list: &'a Spanned<Vec<Spanned<input::CalloutInput>>>,
    labels_allowed: bool,
) -> Option<Vec<WrittenCallout<'a>>> {
    if list.value.len() > MAX_CALLOUTS {
        check.error(
            list.referenced,
            format!(
                "the screenshot has {} callouts, more than the {MAX_CALLOUTS} one may have",
                list.value.len()
            ),
            Some("point at what this step is about; split a busy screen into several steps".into()),
        );
        return None;
    }
    // Every callout is checked, so that one run reports each one's mistakes.
    let callouts: Vec<Option<WrittenCallout>> = list
        .value
        .iter()
        .enumerate()
        .map(|(i, written)| written_callout(check, i + 1, written, labels_allowed))
        .collect();
    callouts.into_iter().collect()
}

/// Callout `n` as written: one shape, its coordinates, `from` only on an arrow, a label only where
/// labels are allowed. `None` when it is wrong (reported).
fn written_callout<'a>(
    check: &mut FileCheck,
    n: usize,
    written: &'a Spanned<input::CalloutInput>,
    labels_allowed: bool,
) -> Option<WrittenCallout<'a>> {
    let what = format!("callout {n}");
    let c = &written.value;
    let (key, numbers) = callout_shape(check, &what, written)?;
    if let Some(from) = &c.from
        && key != "arrow"
    {
        check.error(
            from.referenced,
            format!("{what}: `from` is where an arrow starts, and this callout is a `{key}`"),
            Some("remove `from`, or make the callout `arrow: [x, y]`".into()),
        );
        return None;
    }
    if !labels_allowed && let Some(label) = &c.label {
        check.error(
            label.referenced,
            format!("{what}: a language's own callouts take their labels from the main list"),
            Some("remove `label` here; translate the label in the screenshot's `callouts`, as `label: {da: …, en: …}`".into()),
        );
        return None;
    }
    let shape = match key {
        "box" | "ring" => {
            let v = coordinates(check, numbers, key, &what, &["x", "y", "width", "height"])?;
            if key == "box" {
                WrittenShape::Box(region_of(&v))
            } else {
                WrittenShape::Ring(region_of(&v))
            }
        }
        "arrow" => written_arrow(check, numbers, c.from.as_ref(), &what)?,
        _ => {
            let v = coordinates(check, numbers, key, &what, &["x", "y"])?;
            WrittenShape::Marker(v[0], v[1])
        }
    };
    Some(WrittenCallout {
        shape,
        at: numbers.referenced.into(),
        from_at: c.from.as_ref().map(|f| f.referenced.into()),
        label: c.label.as_ref(),
    })
}

/// A callout's one shape: its key (`box`, `ring`, `arrow`, `marker`) and its numbers. None or two
/// shapes are an error.
fn callout_shape<'a>(
    check: &mut FileCheck,
    what: &str,
    written: &'a Spanned<input::CalloutInput>,
) -> Option<(&'static str, &'a Spanned<Vec<f64>>)> {
    let c = &written.value;
    let shapes: Vec<(&'static str, &Spanned<Vec<f64>>)> = [
        ("box", &c.rect),
        ("ring", &c.ring),
        ("arrow", &c.arrow),
        ("marker", &c.marker),
    ]
    .into_iter()
    .filter_map(|(key, v)| v.as_ref().map(|v| (key, v)))
    .collect();
    match shapes.as_slice() {
        [] => {
            check.error(
                written.referenced,
                format!("{what} has no shape"),
                Some("give each callout one of `box: [x, y, width, height]`, `ring: [x, y, width, height]`, `arrow: [x, y]` or `marker: [x, y]`".into()),
            );
            None
        }
        [one] => Some(*one),
        [first, second, ..] => {
            check.error(
                second.1.referenced,
                format!("{what} has both `{}` and `{}`", first.0, second.0),
                Some("one shape per callout: write a second callout for the other".into()),
            );
            None
        }
    }
}

/// An arrow as written: the point it shows (`arrow: [x, y]`) and, if given, where it starts
/// (`from`), which must be elsewhere.
fn written_arrow(
    check: &mut FileCheck,
    numbers: &Spanned<Vec<f64>>,
    from: Option<&Spanned<Vec<f64>>>,
    what: &str,
) -> Option<WrittenShape> {
    let to = coordinates(check, numbers, "arrow", what, &["x", "y"])?;
    let from = match from {
        Some(from) => {
            let f = coordinates(check, from, "from", what, &["x", "y"])?;
            Some((f[0], f[1]))
        }
        None => None,
    };
    if from == Some((to[0], to[1])) {
        check.error(
            numbers.referenced,
            format!("{what}: the arrow starts where it points"),
            Some("`from` is where the arrow starts; move it away from the point".into()),
        );
        return None;
    }
    Some(WrittenShape::Arrow {
        to: (to[0], to[1]),
        from,
    })
}

/// `redact: [[x, y, width, height], …]` as written. `None` when one is wrong.
fn written_redactions(
    check: &mut FileCheck,
    list: &Spanned<Vec<Spanned<Vec<f64>>>>,
) -> Option<Vec<(Region, Span)>> {
    if list.value.len() > MAX_REDACTIONS {
        check.error(
            list.referenced,
            format!(
                "the screenshot has {} redacted regions, more than the {MAX_REDACTIONS} one may have",
                list.value.len()
            ),
            Some("cover neighbouring regions with one larger region".into()),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, region) in list.value.iter().enumerate() {
        let what = format!("redacted region {}", i + 1);
        match coordinates(
            check,
            region,
            "redact",
            &what,
            &["x", "y", "width", "height"],
        ) {
            Some(v) => out.push((region_of(&v), region.referenced.into())),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// How far an arrow guidegen places reaches, in the image's pixels.
fn arrow_length(width: u32, height: u32) -> f64 {
    (0.2 * f64::from(width.min(height))).clamp(24.0, 320.0)
}

/// A written shape placed on an image of `width`×`height`, or why it does not fit: the callout
/// must lie inside the image.
fn place(shape: WrittenShape, width: u32, height: u32) -> Result<Shape, String> {
    let (w, h) = (f64::from(width), f64::from(height));
    let inside_point = |(x, y): (f64, f64), what: &str| {
        if x > w || y > h {
            Err(format!(
                "{what} ({}, {}) is outside",
                shots::number(x),
                shots::number(y)
            ))
        } else {
            Ok(())
        }
    };
    let inside_region = |r: &Region| {
        if r.x + r.w > w || r.y + r.h > h {
            Err(format!(
                "it reaches to ({}, {})",
                shots::number(r.x + r.w),
                shots::number(r.y + r.h)
            ))
        } else {
            Ok(())
        }
    };
    match shape {
        WrittenShape::Box(r) => inside_region(&r).map(|()| Shape::Box(r)),
        WrittenShape::Ring(r) => inside_region(&r).map(|()| Shape::Ring(r)),
        WrittenShape::Marker(x, y) => {
            inside_point((x, y), "its point").map(|()| Shape::Marker(x, y))
        }
        WrittenShape::Arrow { to, from } => {
            inside_point(to, "the point it points at")?;
            let from = match from {
                Some(from) => {
                    inside_point(from, "its start `from`")?;
                    from
                }
                // Diagonally towards the image's middle, so that the arrow stays on the picture.
                None => {
                    let side = |v: f64, middle: f64| if v <= middle { 1.0 } else { -1.0 };
                    let step = arrow_length(width, height) / std::f64::consts::SQRT_2;
                    (
                        (to.0 + side(to.0, w / 2.0) * step).clamp(0.0, w),
                        (to.1 + side(to.1, h / 2.0) * step).clamp(0.0, h),
                    )
                }
            };
            Ok(Shape::Arrow { from, to })
        }
    }
}

/// How diagnostics name an image of the guide: its path from where guidegen runs.
fn image_path(check: &FileCheck, rel: &str) -> String {
    check
        .path
        .parent()
        .map_or_else(|| rel.to_owned(), |p| p.join(rel).display().to_string())
}

/// The placing's shapes on `image`, each callout and region checked to lie inside it. `None` when
/// one does not (each reported).
fn place_all(check: &mut FileCheck, placing: &Placing, image: &Image) -> Option<Vec<Shape>> {
    let (width, height) = (image.width, image.height);
    let hint = |check: &FileCheck| {
        format!(
            "coordinates are the image's pixels from its top-left corner: x from 0 to {width}, y from 0 to {height}; `guidegen grid {}` shows them",
            image_path(check, &image.rel)
        )
    };
    let mut ok = true;
    let mut shapes = Vec::new();
    for (i, callout) in placing.callouts.iter().enumerate() {
        match place(callout.shape, width, height) {
            Ok(shape) => shapes.push(shape),
            Err(why) => {
                let hint = hint(check);
                let at = match callout.from_at {
                    Some(from_at) if why.contains("`from`") => from_at,
                    _ => callout.at,
                };
                check.error(
                    at,
                    format!(
                        "callout {} is outside `{}`, which is {width}×{height} pixels: {why}",
                        i + 1,
                        image.rel
                    ),
                    Some(hint),
                );
                ok = false;
            }
        }
    }
    for (i, (region, at)) in placing.redact.iter().enumerate() {
        if let Err(why) = place(WrittenShape::Box(*region), width, height) {
            let hint = hint(check);
            check.error(
                *at,
                format!(
                    "redacted region {} is outside `{}`, which is {width}×{height} pixels: {why}",
                    i + 1,
                    image.rel
                ),
                Some(hint),
            );
            ok = false;
        }
    }
    ok.then_some(shapes)
}

/// Reads a screenshot's image with its regions redacted, once per guide for the same file and
/// regions, warning about what an SVG loses or still holds.
fn screenshot_image(
    check: &mut FileCheck,
    dir: &Path,
    rel: &str,
    kind: ImageKind,
    redact: &[(Region, Span)],
    at: Span,
) -> Result<Image, (String, String)> {
    let regions: Vec<Region> = redact.iter().map(|(r, _)| *r).collect();
    same_redactions(check, dir, rel, &regions, at);
    // A snippet's `shot.png` is another file than a guide's: the folder is part of the key. The
    // name as published (`./shots//x.png` is `shots/x.png`).
    let key = format!("{}\n{}\n{regions:?}", dir.display(), normalize_rel(rel));
    let (image, removed, under_text) = match check.images.get(&key) {
        Some(read) => read.clone(),
        None => {
            let read = read_image(dir, rel, kind, &regions)?;
            check.images.insert(key, read.clone());
            read
        }
    };
    warn_removed(check, at, rel, &removed);
    for n in under_text {
        check.warning(
            redact[n - 1].1,
            format!("`{rel}` has text under redacted region {n}: the published image covers it, but the text is still in the file"),
            "delete or replace that text in the SVG itself, so that no one can read it in the file",
        );
    }
    Ok(image)
}

/// A file of `dir` that a text links to (`[full size](shots/x.png)`, `![](shots/x.png)`) and a step
/// shows redacted is published, and drawn in the PDF, as the step shows it: the link and the
/// screenshot are one file in the output, and the original's regions must not reach it.
fn redact_attachments(check: &mut FileCheck, dir: &Path) {
    let prefix = format!("{}\n", dir.display());
    for (file, (regions, _)) in &check.redactions {
        let Some(rel) = file.strip_prefix(&prefix).filter(|_| !regions.is_empty()) else {
            continue;
        };
        let read = check.images.get(&format!("{file}\n{regions:?}"));
        if let (Some(bytes), Some((image, ..))) = (check.attachments.get_mut(rel), read) {
            *bytes = Arc::clone(&image.bytes);
        }
    }
}

/// Reports a screenshot file shown with other redacted regions than where it was first shown: it is
/// published once, under its name, so one of the two would be published — and a region hidden in
/// one step readable in the other (the PDF embeds each as its step shows it).
fn same_redactions(check: &mut FileCheck, dir: &Path, rel: &str, regions: &[Region], at: Span) {
    let sorted = |regions: &[Region]| {
        let mut sorted: Vec<String> = regions.iter().map(|r| format!("{r:?}")).collect();
        sorted.sort_unstable();
        sorted
    };
    // By the name it is published under: `./shots//x.png` is `shots/x.png`.
    let file = format!("{}\n{}", dir.display(), normalize_rel(rel));
    let Some((first, first_at)) = check.redactions.get(&file) else {
        check.redactions.insert(file, (regions.to_vec(), at));
        return;
    };
    if sorted(first) == sorted(regions) {
        return;
    }
    let said = |regions: &[Region]| match regions.len() {
        0 => "no `redact:`".to_owned(),
        1 => "1 redacted region".to_owned(),
        n => format!("{n} redacted regions"),
    };
    let message = format!(
        "`{rel}` is redacted differently in two places: {} here, {} at line {}",
        said(regions),
        said(first),
        first_at.line
    );
    check.error(
        at,
        message,
        Some(
            "a screenshot file is published once, so a region hidden in one place would be readable in the \
             other: give every step that shows it the same `redact:` list (a video's poster has none: give it \
             a copy of the file with the region blacked out), or show a copy under another name where it must \
             differ"
                .into(),
        ),
    );
}

/// The error for an image in a text that is on the web (`![](https://…/a.png)`): every reader's
/// browser would fetch it from there, which no page of guidegen does (and a translation could make it
/// a tracking pixel).
fn web_image(url: &str) -> String {
    format!(
        "image `{url}` is on the web, not a file of the guide: every reader's browser would fetch it"
    )
}

/// For an image named by its web address (`https://…/x.png`) where a file of the guide is wanted:
/// what to do instead. guidegen fetches nothing, and publishes what the site folder holds.
pub(crate) fn address_not_file(src: &str) -> Option<String> {
    let lower = src.trim().to_ascii_lowercase();
    let is_address = ["https://", "http://", "//", "data:", "file:"]
        .iter()
        .any(|p| lower.starts_with(p));
    is_address.then(|| {
        let name = src
            .rsplit('/')
            .find(|part| !part.is_empty())
            .and_then(|last| last.split(['?', '#']).next())
            .filter(|last| !last.is_empty() && !last.contains(':'))
            .unwrap_or("picture.png");
        format!(
            "guidegen publishes the files of the guide's folder and fetches nothing: save the image \
             there and name it, e.g. `shots/{name}`"
        )
    })
}

/// A step's screenshot: its placings (callouts and redactions, the main ones and each language's
/// own) checked as written, then its image and each language's image read and the placings put on
/// them. `None` after an error, each reported.
fn screenshot(
    check: &mut FileCheck,
    written: &Spanned<ScreenshotInput>,
    step: usize,
) -> Option<Screenshot> {
    let full = match &written.value {
        ScreenshotInput::Path(_) => None,
        ScreenshotInput::Full(full) => Some(&**full),
    };
    let (src, src_span, alt) = match &written.value {
        ScreenshotInput::Path(path) => (path.as_str(), Span::from(written.referenced), None),
        ScreenshotInput::Full(full) => (
            full.src.value.as_str(),
            Span::from(full.src.referenced),
            full.alt.as_ref(),
        ),
    };
    let alt = alt.and_then(|a| check.text(a, Kind::Plain, "the screenshot's alt text"));

    // The coordinates as written: the main ones, and each language's own.
    let errors_before = check.diagnostics.error_count();
    let (callouts, callouts_ok) = match full.and_then(|f| f.callouts.as_ref()) {
        Some(list) => match written_callouts(check, list, true) {
            Some(callouts) => (callouts, true),
            None => (Vec::new(), false),
        },
        None => (Vec::new(), true),
    };
    let redact = match full.and_then(|f| f.redact.as_ref()) {
        Some(list) => written_redactions(check, list).unwrap_or_default(),
        None => Vec::new(),
    };
    let main = Placing { callouts, redact };
    let labels = callout_labels(check, &main);
    let own = match full.and_then(|f| f.localized.as_ref()) {
        Some(localized) => own_placings(check, localized, &main, callouts_ok),
        None => BTreeMap::new(),
    };
    if check.diagnostics.error_count() > errors_before {
        return None;
    }

    let dir = check.guide_dir?.to_path_buf();
    let kind = screenshot_kind(check, src, src_span)?;
    let default = match screenshot_image(check, &dir, src, kind, &main.redact, src_span) {
        Ok(image) => image,
        Err((message, hint)) => {
            check.error(src_span, message, Some(hint));
            return None;
        }
    };
    let default_shapes = place_all(check, &main, &default);
    let shown = Shown {
        dir: &dir,
        src,
        src_span,
        kind,
        main: &main,
        default: &default,
    };
    let (localized, localized_shapes) = localized_images(check, &shown, own);
    if alt.is_none() {
        check.warning(
            src_span,
            format!("the screenshot of step {step} has no alt text"),
            "write `screenshot: {src: …, alt: …}` describing what it shows; readers with screen readers, and the PDF, need it",
        );
    }
    let callouts = default_shapes?
        .into_iter()
        .zip(labels)
        .map(|(shape, label)| ShotCallout { shape, label })
        .collect();
    Some(Screenshot {
        default,
        localized,
        alt,
        callouts,
        localized_shapes,
        origin: check.origin(src_span),
    })
}

/// The labels of a screenshot's callouts, checked as texts; a label too long for one is warned of.
fn callout_labels(check: &mut FileCheck, main: &Placing) -> Vec<Option<Text>> {
    let mut labels = Vec::new();
    for (i, callout) in main.callouts.iter().enumerate() {
        let what = format!("the label of callout {}", i + 1);
        let label = callout.label.and_then(|l| {
            let text = check.text(l, Kind::Plain, &what)?;
            let long = std::iter::once(&text.source)
                .chain(text.translations.values().map(|t| &t.text))
                .any(|t| t.chars().count() > LONG_CALLOUT_LABEL);
            if long {
                check.warning(
                    l.referenced,
                    format!("{what} is longer than {LONG_CALLOUT_LABEL} characters"),
                    "a label names what the callout points at (\"Sign in\", \"the QR code\"); say more in the step's text",
                );
            }
            Some(text)
        });
        labels.push(label);
    }
    labels
}

/// The placings a screenshot's `localized:` gives languages of their own, by language, with where
/// each is written: its callouts (the main ones' labels, placed anew) and its redactions.
fn own_placings<'a>(
    check: &mut FileCheck,
    localized: &'a Spanned<BTreeMap<String, Spanned<input::LocalizedShotInput>>>,
    main: &Placing<'a>,
    callouts_ok: bool,
) -> BTreeMap<String, (Placing<'a>, Span)> {
    let mut own = BTreeMap::new();
    for (lang, written) in &localized.value {
        let at = Span::from(written.referenced);
        if !check.languages.contains(lang) {
            // With guidegen.yaml's languages unreadable (already reported), no language is
            // known to be wrong: one root mistake, one error.
            if check.unsure_languages {
                continue;
            }
            check.error(
                at,
                format!("`localized` names `{lang}`, which is not one of the site's languages"),
                Some(format!(
                    "the site's languages are {}",
                    check.languages.join(", ")
                )),
            );
            continue;
        }
        let callouts = match &written.value.callouts {
            Some(list) => {
                let Some(callouts) = written_callouts(check, list, false) else {
                    continue;
                };
                if callouts_ok && callouts.len() != main.callouts.len() {
                    check.error(
                        list.referenced,
                        format!(
                            "`localized: {lang}` places {} callouts, and the screenshot has {}",
                            callouts.len(),
                            main.callouts.len()
                        ),
                        Some("a language's own callouts are the same callouts, in the same order, placed for its image".into()),
                    );
                    continue;
                }
                callouts
                    .into_iter()
                    .zip(&main.callouts)
                    .map(|(c, m)| WrittenCallout {
                        label: m.label,
                        ..c
                    })
                    .collect()
            }
            None => main.callouts.clone(),
        };
        let redact = match &written.value.redact {
            Some(list) => written_redactions(check, list).unwrap_or_default(),
            None => main.redact.clone(),
        };
        own.insert(lang.clone(), (Placing { callouts, redact }, at));
    }
    own
}

/// The kind of image `src` names by its extension; an address or another kind of file is an error.
fn screenshot_kind(check: &mut FileCheck, src: &str, src_span: Span) -> Option<ImageKind> {
    if let Some(hint) = address_not_file(src) {
        check.error(
            src_span,
            format!("`{src}` is an address, not a file of the guide"),
            Some(hint),
        );
        return None;
    }
    let kind = Path::new(src)
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ImageKind::from_extension);
    if kind.is_none() {
        check.error(
            src_span,
            format!("`{src}` is not a supported image"),
            Some(format!(
                "screenshots are PNG, JPEG or SVG files (.png, .jpg, .jpeg, .svg): {SAVE_AS_PNG_OR_JPEG}"
            )),
        );
    }
    kind
}

/// A screenshot as written and read: what [`localized_images`] looks for each language's file by.
struct Shown<'s, 'a> {
    dir: &'s Path,
    src: &'s str,
    src_span: Span,
    kind: ImageKind,
    main: &'s Placing<'a>,
    default: &'s Image,
}

/// Each language's own image of the screenshot — `shots/signin.png` is replaced for Danish by
/// `shots/signin.da.png` where that file exists — and the shapes of its callouts where they differ
/// from the main image's: its own placing, or an image of another size.
fn localized_images(
    check: &mut FileCheck,
    shown: &Shown,
    mut own: BTreeMap<String, (Placing, Span)>,
) -> (BTreeMap<String, Image>, BTreeMap<String, Vec<Shape>>) {
    let Shown {
        dir,
        src,
        src_span,
        kind,
        main,
        default,
    } = *shown;
    let mut localized = BTreeMap::new();
    let mut localized_shapes = BTreeMap::new();
    let (stem, ext) = src.rsplit_once('.').unwrap_or((src, ""));
    let languages: Vec<String> = check.languages.to_vec();
    for lang in languages {
        let variant = format!("{stem}.{lang}.{ext}");
        let placing = own.remove(&lang);
        if !check.exists(dir, &variant) {
            if let Some((_, at)) = placing {
                check.error(
                    at,
                    format!("`localized: {lang}` places the screenshot's callouts for `{variant}`, which does not exist"),
                    Some(format!("add `{variant}`, or remove `{lang}` here: without a file of its own, {lang} shows `{src}` with the screenshot's own coordinates")),
                );
            }
            continue;
        }
        let has_own = placing.is_some();
        let placing = placing.map_or_else(|| main.clone(), |(p, _)| p);
        match screenshot_image(check, dir, &variant, kind, &placing.redact, src_span) {
            Ok(image) => {
                let same_size = (image.width, image.height) == (default.width, default.height);
                if has_own || !same_size {
                    let shapes = place_all(check, &placing, &image);
                    if let Some(shapes) = shapes.filter(|s| !s.is_empty()) {
                        localized_shapes.insert(lang.clone(), shapes);
                    }
                }
                localized.insert(lang, image);
            }
            Err((message, _)) => check.error(
                src_span,
                message,
                Some(format!("fix or remove `{variant}`")),
            ),
        }
    }
    (localized, localized_shapes)
}

// -- text: the support block and "last updated" --

/// `support:` of guidegen.yaml as the model's [`Support`]: its texts checked, its e-mail address and
/// phone number such that their `mailto:` and `tel:` links work.
fn validate_support(
    check: &mut FileCheck,
    written: &input::SupportInput,
    at: Span,
) -> Option<crate::model::Support> {
    let text = written
        .text
        .as_ref()
        .and_then(|t| check.text(t, Kind::Markdown, "the support text"));
    let address = written
        .address
        .as_ref()
        .and_then(|t| check.text(t, Kind::Plain, "the support address"));
    let hours = written
        .hours
        .as_ref()
        .and_then(|t| check.text(t, Kind::Plain, "the support hours"));
    let email = written.email.as_ref().and_then(|e| {
        let value = e.value.trim();
        if crate::support::is_email(value) {
            return Some(value.to_owned());
        }
        check.error(
            e.referenced,
            format!("`{value}` is not an e-mail address"),
            Some("write the address alone, such as `it@dmjx.dk` (guidegen adds `mailto:`)".into()),
        );
        None
    });
    let phone = written.phone.as_ref().and_then(|p| {
        let value = p.value.trim();
        if crate::support::tel_href(value).is_some() {
            return Some(value.to_owned());
        }
        check.error(
            p.referenced,
            format!("`{value}` is not a phone number"),
            Some("write digits, spaces and `+ - ( ) .` only, such as `+45 33 39 10 00`".into()),
        );
        None
    });
    let any = written.text.is_some()
        || written.email.is_some()
        || written.phone.is_some()
        || written.address.is_some()
        || written.hours.is_some();
    if !any {
        check.error(
            at,
            "`support` is empty",
            Some("give at least one of `text`, `email`, `phone`, `address`, `hours`, or remove `support`".into()),
        );
        return None;
    }
    Some(crate::model::Support {
        text,
        email,
        phone,
        address,
        hours,
    })
}

/// A guide's date of last update: its `updated:` (which must be a real `YYYY-MM-DD` date), else the
/// date of the last git commit that changed its folder.
fn updated_date(
    check: &mut FileCheck,
    file: &GuideFile,
    site: &Site,
    guide_dir: &Path,
) -> Option<crate::dates::Date> {
    if let Some(written) = &file.updated {
        let date = crate::dates::Date::parse(&written.value);
        if date.is_none() {
            check.error(
                written.referenced,
                format!("`{}` is not a date", written.value.trim()),
                Some("write the date as year-month-day, such as `updated: 2026-11-30`".into()),
            );
        }
        return date;
    }
    let folder = guide_dir.strip_prefix(&site.root).unwrap_or(guide_dir);
    site.folder_dates.get(folder).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_size_is_read_from_its_root_as_usvg_would_lay_it_out() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800" viewBox="0 0 640 400"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 390 844"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="2in"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="50%" height="300" viewBox="0 0 400 300"/>"#,
        ] {
            let bytes = crate::svg::sanitize(svg.as_bytes()).unwrap().bytes;
            assert_eq!(
                svg_size(&bytes).unwrap(),
                svg_size_by_layout(&bytes).unwrap(),
                "{svg}"
            );
        }
        let bytes = crate::svg::sanitize(
            br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 390 844"/>"#,
        )
        .unwrap()
        .bytes;
        assert_eq!(declared_svg_size(&bytes), Some((390, 844)));
    }

    #[test]
    fn fingerprint_ignores_rewrapping_only() {
        assert_eq!(
            fingerprint("Select  Next\nnow"),
            fingerprint("Select Next now")
        );
        assert_ne!(fingerprint("Select Next"), fingerprint("Select Done"));
        assert_eq!(fingerprint("x").len(), 8);
    }

    #[test]
    fn store_links_must_be_https_on_the_store_host() {
        assert!(store_link_ok(
            "https://apps.apple.com/app/id1",
            Store::AppStore
        ));
        assert!(!store_link_ok(
            "http://apps.apple.com/app/id1",
            Store::AppStore
        ));
        assert!(!store_link_ok(
            "https://apps.apple.com.evil.dk/x",
            Store::AppStore
        ));
        assert!(!store_link_ok(
            "https://evil.dk/apps.apple.com",
            Store::AppStore
        ));
        assert!(!store_link_ok(
            "https://apps.apple.com@evil.dk/",
            Store::AppStore
        ));
        assert!(!store_link_ok(
            "https://apps.apple.com/x",
            Store::GooglePlay
        ));
    }

    #[test]
    fn ids_and_language_codes() {
        assert!(is_id("mfa-setup"));
        assert!(!is_id("MFA setup"));
        assert!(!is_id("-x"));
        assert!(is_language_code("da"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("Danish"));
    }

    #[test]
    fn locates_a_needle_after_a_position() {
        let src = "a: x\nb: |\n  see [x](javascript:y)\n";
        assert_eq!(
            locate(src, Span::new(2, 4), "javascript:y"),
            Some(Span::new(3, 11))
        );
        assert_eq!(locate(src, Span::new(2, 4), "nothere"), None);
    }

    #[test]
    fn locating_by_line_index_is_locating_by_scanning() {
        let sources = [
            "",
            "\n",
            "a: x\nb: |\n  see [x](javascript:y)\n",
            "a: x\nb: |\n  see [x](javascript:y)",
            "tæt: ((ø))\n  æøå ((ø)) x\n\n\nlast ((ø))",
            "x\n\n",
        ];
        let needles = ["", "x", "((ø))", "javascript:y", "\n", "nothere", "last"];
        for source in sources {
            let starts = line_starts(source);
            for line in 0..7 {
                for column in 0..14 {
                    for needle in needles {
                        let from = Span::new(line, column);
                        assert_eq!(
                            locate_in_lines(source, &starts, from, needle),
                            locate(source, from, needle),
                            "{source:?} from {line}:{column} for {needle:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_listed_folder_says_what_symlink_metadata_says() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("shots/sub")).unwrap();
        std::fs::write(root.join("shots/a.da.png"), b"x").unwrap();
        std::fs::write(root.join("top.en.png"), b"x").unwrap();
        std::os::unix::fs::symlink("nowhere.png", root.join("shots/broken.da.png")).unwrap();
        std::fs::create_dir(root.join("shots/folder.da.png")).unwrap();
        std::fs::write(root.join("shots/sub/b.en.png"), b"x").unwrap();
        let mut diagnostics = Diagnostics::default();
        let path = root.join("guide.yaml");
        let mut check = FileCheck {
            path: &path,
            source: "",
            languages: &[],
            diagnostics: &mut diagnostics,
            guide_dir: Some(root),
            attachments: BTreeMap::new(),
            images: BTreeMap::new(),
            redactions: BTreeMap::new(),
            unsure_languages: false,
            unsure_variables: false,
            variables: std::borrow::Cow::Owned(BTreeMap::new()),
            guide_ids: &NO_GUIDE_IDS,
            line_starts: Default::default(),
            listings: BTreeMap::new(),
            links: Vec::new(),
        };
        let asked = [
            "shots/a.da.png",
            "shots/a.en.png",
            "shots/A.da.png",
            "shots/broken.da.png",
            "shots/folder.da.png",
            "shots/sub/b.en.png",
            "shots/sub/b.da.png",
            "shots/sub/../a.da.png",
            "./shots/a.da.png",
            "top.en.png",
            "top.da.png",
            "missing/x.da.png",
            "top.en.png/x.da.png",
            "shots/æ.da.png",
        ];
        // Twice: the second round answers from the listings of the first.
        for _ in 0..2 {
            for rel in asked {
                assert_eq!(
                    check.exists(root, rel),
                    std::fs::symlink_metadata(root.join(rel)).is_ok(),
                    "{rel}"
                );
            }
        }
        assert!(check.listings.len() >= 2, "folders were listed");
    }
}
