//! Translation stage: the workflow around a validated site's translations — how far each guide is
//! translated (`status`, and warnings for `check`), recording that a translation still fits its source
//! (`confirm`), and gettext PO files for translators (`export`, `import`). `confirm` and `import` edit
//! guide.yaml in place, changing only the bytes they must ([`yaml`]).

pub mod po;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::build::{self, Checked, Failure};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::load::GUIDE_FILE;
use crate::model::{Guide, Site, Status, Text, TranslationState};
use crate::validate::fingerprint;

/// What a translation command did, with its diagnostics to report.
pub struct Outcome<T> {
    pub result: Result<T, Failure>,
    /// Errors and warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl<T> Outcome<T> {
    fn fail(failure: Failure, diagnostics: Diagnostics, sources: Sources) -> Self {
        Outcome {
            result: Err(failure),
            diagnostics: diagnostics.sorted(),
            sources,
        }
    }
}

/// The command named in hints.
const EXPORT_HINT: &str = "translate it in guide.yaml, or with `guidegen i18n export --lang {lang}` and `guidegen i18n import`";

// ---------------------------------------------------------------------------------------------------
// Status.

/// A text that is not (currently) translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    pub name: String,
    pub status: Status,
    /// Where to fix it: the text (missing) or its outdated translation.
    pub path: PathBuf,
    pub span: Span,
}

/// How far one guide is translated into one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageStatus {
    pub language: String,
    /// Current or unpinned translations.
    pub translated: usize,
    /// Of `translated`: written without a recorded source fingerprint.
    pub unpinned: usize,
    pub missing: usize,
    pub outdated: usize,
    pub total: usize,
    /// Missing and outdated texts, in reading order.
    pub untranslated: Vec<Untranslated>,
    /// Screenshots (as named in guide.yaml) with no `name.<lang>.ext` beside them: information only.
    pub screenshots_not_localized: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStatus {
    pub id: String,
    pub path: PathBuf,
    pub languages: Vec<LanguageStatus>,
}

/// The translation status of a site: every guide in every language but the source language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub source_language: String,
    pub languages: Vec<String>,
    pub guides: Vec<GuideStatus>,
}

fn guide_language_status(guide: &Guide, lang: &str, source: &str) -> LanguageStatus {
    let mut s = LanguageStatus {
        language: lang.to_owned(),
        ..LanguageStatus::default()
    };
    for (name, text) in guide.texts() {
        s.total += 1;
        match text.status(lang, source) {
            Status::Missing => {
                s.missing += 1;
                s.untranslated.push(Untranslated {
                    name,
                    status: Status::Missing,
                    path: text.origin.path.clone(),
                    span: text.origin.span,
                });
            }
            Status::Outdated => {
                s.outdated += 1;
                let origin = text
                    .translations
                    .get(lang)
                    .map_or(&text.origin, |t| &t.origin);
                s.untranslated.push(Untranslated {
                    name,
                    status: Status::Outdated,
                    path: origin.path.clone(),
                    span: origin.span,
                });
            }
            Status::Translated | Status::Source => {
                s.translated += 1;
                if text
                    .translations
                    .get(lang)
                    .is_some_and(|t| t.state == TranslationState::Unpinned)
                {
                    s.unpinned += 1;
                }
            }
        }
    }
    for step in guide.steps() {
        if let Some(shot) = &step.screenshot
            && !shot.localized.contains_key(lang)
            && !s.screenshots_not_localized.contains(&shot.default.rel)
        {
            s.screenshots_not_localized.push(shot.default.rel.clone());
        }
    }
    s
}

/// How far every guide is translated into every language (but the source language), or into `only`.
pub fn status(site: &Site, only: &[String]) -> Report {
    let source = site.source_lang().to_owned();
    let languages: Vec<String> = site
        .languages
        .iter()
        .skip(1)
        .map(|l| l.code.clone())
        .filter(|c| only.is_empty() || only.contains(c))
        .collect();
    let guides = site
        .guides
        .iter()
        .map(|g| GuideStatus {
            id: g.id.clone(),
            path: g.path.clone(),
            languages: languages
                .iter()
                .map(|l| guide_language_status(g, l, &source))
                .collect(),
        })
        .collect();
    Report {
        source_language: source,
        languages,
        guides,
    }
}

impl Report {
    /// Nothing is missing or outdated.
    pub fn complete(&self) -> bool {
        self.guides
            .iter()
            .flat_map(|g| &g.languages)
            .all(|l| l.missing == 0 && l.outdated == 0)
    }

    /// The totals per language, over every guide.
    pub fn totals(&self) -> Vec<LanguageStatus> {
        self.languages
            .iter()
            .map(|lang| {
                let mut t = LanguageStatus {
                    language: lang.clone(),
                    ..LanguageStatus::default()
                };
                for l in self
                    .guides
                    .iter()
                    .flat_map(|g| &g.languages)
                    .filter(|l| &l.language == lang)
                {
                    t.translated += l.translated;
                    t.unpinned += l.unpinned;
                    t.missing += l.missing;
                    t.outdated += l.outdated;
                    t.total += l.total;
                }
                t
            })
            .collect()
    }

    /// An aligned table, then the texts to translate with their locations, then information.
    pub fn table(&self) -> String {
        let headings = [
            "guide",
            "language",
            "translated",
            "missing",
            "outdated",
            "total",
        ];
        let mut rows: Vec<[String; 6]> = Vec::new();
        let row = |name: &str, l: &LanguageStatus| {
            [
                name.to_owned(),
                l.language.clone(),
                l.translated.to_string(),
                l.missing.to_string(),
                l.outdated.to_string(),
                l.total.to_string(),
            ]
        };
        for g in &self.guides {
            rows.extend(g.languages.iter().map(|l| row(&g.id, l)));
        }
        let totals = self.totals();
        rows.extend(totals.iter().map(|l| row("(all guides)", l)));
        let mut widths = headings.map(|h| h.chars().count());
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: [&str; 6]| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                // Names left, numbers right.
                if i < 2 {
                    let _ = write!(text, "{cell:<w$}");
                } else {
                    let _ = write!(text, "{cell:>w$}");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&mut out, headings);
        for r in &rows {
            line(
                &mut out,
                [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]].map(|s| s.as_str()),
            );
        }
        let untranslated: Vec<(&str, &Untranslated)> = self
            .guides
            .iter()
            .flat_map(|g| &g.languages)
            .flat_map(|l| l.untranslated.iter().map(move |u| (l.language.as_str(), u)))
            .collect();
        if !untranslated.is_empty() {
            out.push_str("\nto translate:\n");
            for (lang, u) in untranslated {
                let what = if u.status == Status::Missing {
                    "missing"
                } else {
                    "outdated"
                };
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {} ({lang}) {what}",
                    u.path.display(),
                    u.span.line,
                    u.span.column,
                    u.name
                );
            }
        }
        let unpinned: usize = totals.iter().map(|t| t.unpinned).sum();
        if unpinned > 0 {
            let _ = writeln!(
                out,
                "\nnote: {unpinned} translation{} record{} no source fingerprint, so a later change of the source text will not show them as outdated; `guidegen i18n confirm` records it",
                if unpinned == 1 { "" } else { "s" },
                if unpinned == 1 { "s" } else { "" }
            );
        }
        let shots: Vec<(&str, &LanguageStatus)> = self
            .guides
            .iter()
            .flat_map(|g| g.languages.iter().map(move |l| (g.id.as_str(), l)))
            .filter(|(_, l)| !l.screenshots_not_localized.is_empty())
            .collect();
        if !shots.is_empty() {
            out.push_str("\ninfo: screenshots without a localized version (the default image is shown; add shots/<name>.<lang>.<ext> to localize one):\n");
            for (id, l) in shots {
                let _ = writeln!(
                    out,
                    "  {id} ({}): {}",
                    l.language,
                    l.screenshots_not_localized.join(", ")
                );
            }
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let lang_json = |l: &LanguageStatus| {
            json!({
                "language": l.language,
                "translated": l.translated,
                "unpinned": l.unpinned,
                "missing": l.missing,
                "outdated": l.outdated,
                "total": l.total,
                "untranslated": l.untranslated.iter().map(|u| json!({
                    "name": u.name,
                    "status": if u.status == Status::Missing { "missing" } else { "outdated" },
                    "path": u.path.display().to_string(),
                    "line": u.span.line,
                    "column": u.span.column,
                })).collect::<Vec<_>>(),
                "screenshots_not_localized": l.screenshots_not_localized,
            })
        };
        json!({
            "source_language": self.source_language,
            "languages": self.languages,
            "complete": self.complete(),
            "guides": self.guides.iter().map(|g| json!({
                "id": g.id,
                "path": g.path.display().to_string(),
                "languages": g.languages.iter().map(lang_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "totals": self.totals().iter().map(|l| {
                let mut v = lang_json(l);
                if let Some(o) = v.as_object_mut() {
                    o.remove("untranslated");
                    o.remove("screenshots_not_localized");
                }
                v
            }).collect::<Vec<_>>(),
        })
    }
}

/// Warnings for `guidegen check`: every missing or outdated translation, at the text (missing) or the
/// translation (outdated).
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let report = status(site, &[]);
    let source = &report.source_language;
    let mut out = Vec::new();
    for g in &report.guides {
        for l in &g.languages {
            let lang = &l.language;
            for u in &l.untranslated {
                let (message, hint) = if u.status == Status::Missing {
                    (
                        format!("`{}` has no `{lang}` translation", u.name),
                        EXPORT_HINT.replace("{lang}", lang),
                    )
                } else {
                    (
                        format!(
                            "the `{lang}` translation of `{}` is outdated: the `{source}` text changed after it was translated",
                            u.name
                        ),
                        format!(
                            "update the translation, then run `guidegen i18n confirm --lang {lang} --guide {}`; if it still fits as it is, just run that command",
                            g.id
                        ),
                    )
                };
                out.push(Diagnostic::warning(&u.path, u.span, message).with_hint(hint));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Editing guide files.

/// One guide file being edited: its text, changed one text at a time, and what it must say afterwards.
struct FileEdit<'a> {
    guide: &'a Guide,
    original: String,
    current: String,
    expected: yaml::Snapshot,
    changes: usize,
}

impl<'a> FileEdit<'a> {
    fn new(guide: &'a Guide, sources: &Sources) -> Result<Self, Diagnostic> {
        let original = match sources.get(&guide.path) {
            Some(text) => text.to_owned(),
            None => std::fs::read_to_string(guide.dir.join(GUIDE_FILE)).map_err(|e| {
                Diagnostic::error(
                    &guide.path,
                    Span::START,
                    format!("cannot read this file: {e}"),
                )
            })?,
        };
        let located =
            yaml::locate(&original).map_err(|e| Diagnostic::error(&guide.path, Span::START, e))?;
        Ok(FileEdit {
            guide,
            expected: yaml::snapshot(&located),
            current: original.clone(),
            original,
            changes: 0,
        })
    }

    fn find(&self, name: &str) -> Result<yaml::Located, Diagnostic> {
        yaml::locate(&self.current)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| {
                Diagnostic::error(
                    &self.guide.path,
                    Span::START,
                    format!("`{name}` not found in this file"),
                )
            })
    }

    fn refused(&self, text: &Text, name: &str, refused: yaml::Refused) -> Diagnostic {
        Diagnostic::error(
            &text.origin.path,
            text.origin.span,
            format!("`{name}`: {}", refused.0),
        )
        .with_hint("write the text as `lang: text` or `lang: {text: …, source: …}` under its key")
    }

    /// Records `fp` as the source of the `lang` translation of `name`.
    fn pin(&mut self, text: &Text, name: &str, lang: &str, fp: &str) -> Result<(), Diagnostic> {
        let located = self.find(name)?;
        let edits = yaml::pin(&self.current, &located, lang, fp)
            .map_err(|r| self.refused(text, name, r))?;
        if edits.is_empty() {
            return Ok(());
        }
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?;
        if let Some(entry) = self.expected.get_mut(name).and_then(|t| t.get_mut(lang)) {
            entry.1 = Some(fp.to_owned());
        }
        self.changes += 1;
        Ok(())
    }

    /// Makes `translation` the `lang` translation of `name`, made from the source with `fp`.
    fn set(
        &mut self,
        text: &Text,
        name: &str,
        source_lang: &str,
        lang: &str,
        translation: &str,
        fp: &str,
    ) -> Result<(), Diagnostic> {
        let located = self.find(name)?;
        let edits = yaml::set(&self.current, &located, source_lang, lang, translation, fp)
            .map_err(|r| self.refused(text, name, r))?;
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?;
        if let Some(entries) = self.expected.get_mut(name) {
            if let Some(plain) = entries.remove("") {
                entries.insert(source_lang.to_owned(), plain);
            }
            entries.insert(
                lang.to_owned(),
                (translation.to_owned(), Some(fp.to_owned())),
            );
        }
        self.changes += 1;
        Ok(())
    }

    /// The edited file, after checking that it says exactly what was meant and still parses as a guide.
    fn verified(&self) -> Result<&str, Diagnostic> {
        let refuse = |detail: String| {
            Diagnostic::error(
                &self.guide.path,
                Span::START,
                format!(
                    "guidegen could not edit this file safely ({detail}); it was left unchanged"
                ),
            )
            .with_hint("please report this, with the file; meanwhile edit the translation by hand")
        };
        let after = yaml::locate(&self.current).map_err(&refuse)?;
        let got = yaml::snapshot(&after);
        if got != self.expected {
            let name = self
                .expected
                .iter()
                .find(|(k, v)| got.get(*k) != Some(v))
                .map_or_else(|| "a text".to_owned(), |(k, _)| format!("`{k}`"));
            return Err(refuse(format!("{name} would read differently")));
        }
        serde_saphyr::from_str::<crate::input::GuideFile>(&self.current)
            .map_err(|e| refuse(e.to_string()))?;
        Ok(&self.current)
    }
}

/// Writes every edited file, each replaced whole (written beside it, then renamed over it).
fn write_files(files: &[FileEdit], diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut written = Vec::new();
    let mut ready = Vec::new();
    for f in files.iter().filter(|f| f.current != f.original) {
        match f.verified() {
            Ok(text) => ready.push((f, text)),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return written;
    }
    for (f, text) in ready {
        let target = f.guide.dir.join(GUIDE_FILE);
        let temp = f.guide.dir.join(format!(".{GUIDE_FILE}.guidegen-tmp"));
        let result = std::fs::write(&temp, text).and_then(|()| {
            if let Ok(meta) = std::fs::metadata(&target) {
                let _ = std::fs::set_permissions(&temp, meta.permissions());
            }
            std::fs::rename(&temp, &target)
        });
        match result {
            Ok(()) => written.push(f.guide.path.clone()),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                diagnostics.push(Diagnostic::error(
                    &f.guide.path,
                    Span::START,
                    format!("cannot write this file: {e}"),
                ));
            }
        }
    }
    written
}

/// Loads and validates the site; `Err` when it has errors (they are in the outcome).
fn checked_site(site_dir: &Path) -> Result<(Site, Diagnostics, Sources), (Diagnostics, Sources)> {
    let Checked {
        site,
        diagnostics,
        sources,
    } = build::check(site_dir);
    match site {
        // Warnings about the site itself belong to `check`; these commands report their own.
        Some(site) => Ok((site, Diagnostics::new(), sources)),
        None => Err((diagnostics, sources)),
    }
}

/// Checks `--lang` values: languages of the site other than the source language. Empty: all of those.
fn target_languages(site: &Site, wanted: &[String]) -> Result<Vec<String>, Failure> {
    let targets: Vec<String> = site
        .languages
        .iter()
        .skip(1)
        .map(|l| l.code.clone())
        .collect();
    for w in wanted {
        if w == site.source_lang() {
            return Err(Failure::Usage(format!(
                "--lang {w}: `{w}` is the source language; name a language to translate into: {}",
                if targets.is_empty() {
                    "(the site has none; add one to `languages` in guidegen.yaml)".to_owned()
                } else {
                    targets.join(", ")
                }
            )));
        }
        if !targets.contains(w) {
            return Err(Failure::Usage(format!(
                "--lang {w}: the site's languages are {}",
                site.languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(if wanted.is_empty() {
        targets
    } else {
        targets.into_iter().filter(|t| wanted.contains(t)).collect()
    })
}

// ---------------------------------------------------------------------------------------------------
// Confirm.

#[derive(Debug, Clone)]
pub struct ConfirmOptions {
    pub site_dir: PathBuf,
    /// Empty: every language but the source language.
    pub languages: Vec<String>,
    /// Guide ids; empty: every guide.
    pub guides: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmSummary {
    /// Translations whose fingerprint was recorded or updated.
    pub confirmed: usize,
    pub files: Vec<PathBuf>,
}

/// Records the current source fingerprint on every translation of the chosen guides and languages
/// that does not have it: "the translation still fits the source text".
pub fn confirm(options: &ConfirmOptions) -> Outcome<ConfirmSummary> {
    let (site, mut diagnostics, sources) = match checked_site(&options.site_dir) {
        Ok(x) => x,
        Err((d, s)) => return Outcome::fail(Failure::Site, d, s),
    };
    let languages = match target_languages(&site, &options.languages) {
        Ok(l) => l,
        Err(f) => return Outcome::fail(f, diagnostics, sources),
    };
    for id in &options.guides {
        if !site.guides.iter().any(|g| &g.id == id) {
            let ids: Vec<&str> = site.guides.iter().map(|g| g.id.as_str()).collect();
            return Outcome::fail(
                Failure::Usage(format!(
                    "--guide {id}: the site's guides are {}",
                    ids.join(", ")
                )),
                diagnostics,
                sources,
            );
        }
    }
    let mut files = Vec::new();
    for guide in site
        .guides
        .iter()
        .filter(|g| options.guides.is_empty() || options.guides.contains(&g.id))
    {
        let mut file = match FileEdit::new(guide, &sources) {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        for (name, text) in guide.texts() {
            let fp = fingerprint(&text.source);
            for lang in &languages {
                if text
                    .translations
                    .get(lang)
                    .is_some_and(|t| t.state != TranslationState::Current)
                    && let Err(d) = file.pin(text, &name, lang, &fp)
                {
                    diagnostics.push(d);
                }
            }
        }
        files.push(file);
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let confirmed = files.iter().map(|f| f.changes).sum();
    let written = write_files(&files, &mut diagnostics);
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    Outcome {
        result: Ok(ConfirmSummary {
            confirmed,
            files: written,
        }),
        diagnostics: diagnostics.sorted(),
        sources,
    }
}

// ---------------------------------------------------------------------------------------------------
// Export.

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub site_dir: PathBuf,
    /// Empty: every language but the source language.
    pub languages: Vec<String>,
    /// Default: `<site_dir>/translations`. Files are written to `<out>/<lang>/<guide-id>.po`.
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub files: Vec<PathBuf>,
    /// Entries without a current translation, over every file.
    pub untranslated: usize,
}

/// The path of a guide's file relative to the site's root, with `/`: for PO references.
fn site_relative(site: &Site, guide: &Guide) -> String {
    let rel = guide
        .dir
        .strip_prefix(&site.root)
        .unwrap_or(&guide.dir)
        .join(GUIDE_FILE);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A readable place for every text of a guide, for translators: "Step 3 (phone), in section 1 “…”".
fn descriptions(site: &Site, guide: &Guide) -> BTreeMap<String, String> {
    let source = site.source_lang();
    let mut out = BTreeMap::new();
    out.insert("title".to_owned(), "The guide's title".to_owned());
    out.insert(
        "summary".to_owned(),
        "The guide's summary, at its top (Markdown)".to_owned(),
    );
    let several = guide.sections.len() > 1 || guide.sections.iter().any(|s| s.title.is_some());
    for (i, section) in guide.sections.iter().enumerate() {
        let n = i + 1;
        let title = section
            .title
            .as_ref()
            .map(|t| format!(" “{}”", t.resolve(source, source).text))
            .unwrap_or_default();
        out.insert(
            format!("section.{n}.title"),
            format!("The title of section {n}"),
        );
        out.insert(
            format!("section.{n}.intro"),
            format!("The introduction of section {n}{title} (Markdown)"),
        );
        for step in &section.steps {
            let device = site
                .devices
                .get(&step.device)
                .map_or(step.device.clone(), |d| {
                    d.label.resolve(source, source).text.to_lowercase()
                });
            let place = if several {
                format!(", in section {n}{title}")
            } else {
                String::new()
            };
            for (field, _) in step.texts() {
                let what = match field {
                    "action" => "what the reader does (Markdown)",
                    "alt" => "the screenshot's alt text: what the picture shows",
                    "result" => "what the reader should see then (Markdown)",
                    "note" => "a note (Markdown)",
                    "tip" => "a tip (Markdown)",
                    _ => "a warning (Markdown)",
                };
                out.insert(
                    format!("step.{}.{field}", step.number),
                    format!("Step {} ({device}){place}: {what}", step.number),
                );
            }
        }
    }
    out
}

/// The PO catalog of one guide in one language.
pub fn po_catalog(site: &Site, guide: &Guide, lang: &str) -> po::Catalog {
    let source = site.source_lang();
    let rel = site_relative(site, guide);
    let described = descriptions(site, guide);
    let entries = guide
        .texts()
        .into_iter()
        .map(|(name, text)| {
            let translation = text.translations.get(lang);
            let fuzzy = translation.is_some_and(|t| t.state == TranslationState::Outdated);
            po::Entry {
                extracted: described.get(&name).cloned().into_iter().collect(),
                references: vec![format!("{rel}:{}", text.origin.span.line)],
                flags: if fuzzy {
                    vec!["fuzzy".to_owned()]
                } else {
                    Vec::new()
                },
                msgctxt: Some(format!("{}|{name}", guide.id)),
                msgid: text.source.clone(),
                msgstr: translation.map(|t| t.text.clone()).unwrap_or_default(),
                line: 0,
                obsolete: false,
            }
        })
        .collect();
    po::Catalog {
        comments: vec![
            format!("The guide \"{}\" ({rel}), from {source} into {lang}.", guide.id),
            "Written by guidegen i18n export. Translate each msgstr; Markdown (**bold**, [links](…)) stays as it is.".to_owned(),
            "An entry marked fuzzy has an outdated translation: check it, then remove the mark.".to_owned(),
            "Bring the file back with: guidegen i18n import [SITE] FILE.po".to_owned(),
        ],
        header: vec![
            ("Project-Id-Version".into(), format!("guidegen {}", guide.id)),
            ("Language".into(), lang.to_owned()),
            ("MIME-Version".into(), "1.0".into()),
            ("Content-Type".into(), "text/plain; charset=UTF-8".into()),
            ("Content-Transfer-Encoding".into(), "8bit".into()),
            ("Plural-Forms".into(), po::plural_forms(lang).to_owned()),
            ("X-Generator".into(), "guidegen".into()),
            ("X-Source-Language".into(), source.to_owned()),
        ],
        entries,
    }
}

/// Writes one PO file per guide and language.
pub fn export(options: &ExportOptions) -> Outcome<ExportSummary> {
    let (site, diagnostics, sources) = match checked_site(&options.site_dir) {
        Ok(x) => x,
        Err((d, s)) => return Outcome::fail(Failure::Site, d, s),
    };
    let languages = match target_languages(&site, &options.languages) {
        Ok(l) if l.is_empty() => {
            return Outcome::fail(
                Failure::Usage("the site has only its source language: add a language to `languages` in guidegen.yaml first".into()),
                diagnostics,
                sources,
            );
        }
        Ok(l) => l,
        Err(f) => return Outcome::fail(f, diagnostics, sources),
    };
    let out = options
        .out_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("translations"));
    let mut summary = ExportSummary::default();
    for lang in &languages {
        let folder = out.join(lang);
        if let Err(e) = std::fs::create_dir_all(&folder) {
            return Outcome::fail(
                Failure::Output(format!("cannot create {}: {e}", folder.display())),
                diagnostics,
                sources,
            );
        }
        for guide in &site.guides {
            let catalog = po_catalog(&site, guide, lang);
            summary.untranslated += catalog
                .entries
                .iter()
                .filter(|e| e.msgstr.is_empty() || e.is_fuzzy())
                .count();
            let path = folder.join(format!("{}.po", guide.id));
            if let Err(e) = std::fs::write(&path, catalog.write()) {
                return Outcome::fail(
                    Failure::Output(format!("cannot write {}: {e}", path.display())),
                    diagnostics,
                    sources,
                );
            }
            summary.files.push(path);
        }
    }
    Outcome {
        result: Ok(summary),
        diagnostics: diagnostics.sorted(),
        sources,
    }
}

// ---------------------------------------------------------------------------------------------------
// Import.

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub site_dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Default: each file's `Language` header.
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Translations written: new, changed, or the same text now pinned to its source.
    pub imported: usize,
    /// Entries that were already the current translation.
    pub unchanged: usize,
    /// Entries reported and not used.
    pub skipped: usize,
    pub files: Vec<PathBuf>,
}

/// A translation to write: into which text of which guide.
struct Incoming {
    guide: usize,
    name: String,
    lang: String,
    text: String,
}

/// Brings translations back from PO files into guide.yaml.
pub fn import(options: &ImportOptions) -> Outcome<ImportSummary> {
    let (site, mut diagnostics, mut sources) = match checked_site(&options.site_dir) {
        Ok(x) => x,
        Err((d, s)) => return Outcome::fail(Failure::Site, d, s),
    };
    if let Some(lang) = &options.language
        && let Err(f) = target_languages(&site, std::slice::from_ref(lang))
    {
        return Outcome::fail(f, diagnostics, sources);
    }
    let source_lang = site.source_lang().to_owned();
    let mut incoming: Vec<Incoming> = Vec::new();
    let mut skipped = 0;
    let mut taken: BTreeSet<(usize, String, String)> = BTreeSet::new();
    for path in &options.files {
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::error(path, Span::START, "this file is not UTF-8 text")
                            .with_hint(
                                "save it as UTF-8 (Poedit, Weblate and Crowdin do by default)",
                            ),
                    );
                    continue;
                }
            },
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    path,
                    Span::START,
                    format!("cannot read this file: {e}"),
                ));
                continue;
            }
        };
        sources.insert(path, text.clone());
        let catalog = match po::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(path, Span::new(e.line, e.column), format!("this is not a valid PO file: {}", e.message))
                        .with_hint("open it in a PO editor such as Poedit, or export it again with `guidegen i18n export`"),
                );
                continue;
            }
        };
        let lang = match options
            .language
            .clone()
            .or_else(|| catalog.header_field("Language").map(str::to_owned))
        {
            Some(l) => l.replace('_', "-"),
            None => {
                diagnostics.push(
                    Diagnostic::error(path, Span::START, "the file does not say its language")
                        .with_hint("add `--lang LANG`, or a `Language:` header"),
                );
                continue;
            }
        };
        if lang == source_lang || site.language(&lang).is_none() {
            diagnostics.push(
                Diagnostic::error(path, Span::START, format!("the file is in `{lang}`, which is not a language to translate this site into"))
                    .with_hint(format!("the site's source language is `{source_lang}`; its other languages are {}", site.languages.iter().skip(1).map(|l| format!("`{}`", l.code)).collect::<Vec<_>>().join(", "))),
            );
            continue;
        }
        for entry in catalog.entries.iter().filter(|e| !e.obsolete) {
            let at = Span::new(entry.line.max(1), 1);
            let mut skip = |message: String, hint: &str| {
                skipped += 1;
                diagnostics.push(Diagnostic::warning(path, at, message).with_hint(hint.to_owned()));
            };
            let Some((guide_id, name)) = entry.msgctxt.as_deref().and_then(|c| c.split_once('|'))
            else {
                skip(
                    "this entry has no guidegen context (msgctxt \"guide|text\"); skipped".into(),
                    "translate the file guidegen exported, keeping each entry's msgctxt",
                );
                continue;
            };
            let Some(guide_index) = site.guides.iter().position(|g| g.id == guide_id) else {
                skip(
                    format!("there is no guide `{guide_id}` in the site; skipped"),
                    "export the translations again",
                );
                continue;
            };
            if entry.is_fuzzy() {
                skip(
                    format!("`{name}` is marked fuzzy; skipped"),
                    "check the translation against the source text, remove the fuzzy mark, and import again",
                );
                continue;
            }
            if entry.msgstr.trim().is_empty() {
                skip(
                    format!("`{name}` is not translated yet; skipped"),
                    "write its msgstr, and import again",
                );
                continue;
            }
            let guide = &site.guides[guide_index];
            let texts = guide.texts();
            let target = match texts
                .iter()
                .find(|(n, t)| n == name && t.source == entry.msgid)
            {
                Some((n, _)) => Some(n.clone()),
                None => {
                    let same: Vec<&String> = texts
                        .iter()
                        .filter(|(_, t)| t.source == entry.msgid)
                        .map(|(n, _)| n)
                        .collect();
                    match same.as_slice() {
                        [one] => Some((*one).clone()),
                        [] => {
                            skip(
                                format!(
                                    "the source text of `{name}` is no longer in the guide `{guide_id}` (it was changed or removed); skipped"
                                ),
                                "export the translations again and translate the new text",
                            );
                            None
                        }
                        _ => {
                            skip(
                                format!(
                                    "the source text of `{name}` stands in {} places of the guide `{guide_id}` now; skipped",
                                    same.len()
                                ),
                                "translate it in guide.yaml, or export the translations again",
                            );
                            None
                        }
                    }
                }
            };
            let Some(target) = target else { continue };
            if !taken.insert((guide_index, target.clone(), lang.clone())) {
                skip(
                    format!("`{target}` was already translated by an earlier entry; skipped"),
                    "remove one of the two entries",
                );
                continue;
            }
            incoming.push(Incoming {
                guide: guide_index,
                name: target,
                lang: lang.clone(),
                text: entry.msgstr.clone(),
            });
        }
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }

    let mut files: Vec<FileEdit> = Vec::new();
    let mut imported = 0;
    let mut unchanged = 0;
    for (index, guide) in site.guides.iter().enumerate() {
        let mine: Vec<&Incoming> = incoming.iter().filter(|i| i.guide == index).collect();
        if mine.is_empty() {
            continue;
        }
        let mut file = match FileEdit::new(guide, &sources) {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let texts: BTreeMap<String, &Text> = guide.texts().into_iter().collect();
        for item in mine {
            let Some(text) = texts.get(&item.name) else {
                continue;
            };
            let fp = fingerprint(&text.source);
            let result = match text.translations.get(&item.lang) {
                Some(t) if t.text == item.text && t.state == TranslationState::Current => {
                    unchanged += 1;
                    continue;
                }
                Some(t) if t.text == item.text => file.pin(text, &item.name, &item.lang, &fp),
                _ => file.set(text, &item.name, &source_lang, &item.lang, &item.text, &fp),
            };
            match result {
                Ok(()) => imported += 1,
                Err(d) => diagnostics.push(d),
            }
        }
        files.push(file);
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let written = write_files(&files, &mut diagnostics);
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    // The site must still be valid: show any error as the next build would.
    let after = build::check(&options.site_dir);
    if after.site.is_none() {
        let mut d = after.diagnostics;
        d.extend(diagnostics);
        return Outcome::fail(Failure::Site, d, after.sources);
    }
    Outcome {
        result: Ok(ImportSummary {
            imported,
            unchanged,
            skipped,
            files: written,
        }),
        diagnostics: diagnostics.sorted(),
        sources,
    }
}
