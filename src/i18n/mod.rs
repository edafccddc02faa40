//! Translation stage: the workflow around a validated site's translations — how far each guide is
//! translated ([`status()`], and warnings for `check`), recording that a translation still fits its
//! source ([`confirm()`], and `track` for translations that have no fingerprint yet), and gettext PO
//! files for translators ([`export()`], [`import()`]), each command in its own module. `confirm` and
//! `import` edit guide.yaml and guidegen.yaml in place, changing only the bytes they must ([`yaml`]);
//! what they share is here.
//!
//! Texts are named by their [`Slot`] throughout: the PO `msgctxt`, the edits, the reports.

mod confirm;
mod export;
mod import;
pub mod po;
mod status;
mod strings;
pub mod yaml;

pub use confirm::{ConfirmOptions, ConfirmSummary, confirm};
pub use export::{ExportOptions, ExportSummary, export, po_catalog};
pub use import::{ImportOptions, ImportSummary, import};
pub use status::{
    GuideStatus, LanguageStatus, Report, guide_warnings, status, untracked, warnings,
};
pub use strings::{StringsOptions, StringsSummary, strings};

use std::path::{Path, PathBuf};

use crate::build::{self, Checked, Failure};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::load::GUIDE_FILE;
use crate::model::{Guide, Site, Text};
use crate::slot::Slot;

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

    /// Success, with the diagnostics gathered on the way.
    fn done(value: T, diagnostics: Diagnostics, sources: Sources) -> Self {
        Outcome {
            result: Ok(value),
            diagnostics: diagnostics.sorted(),
            sources,
        }
    }
}

/// The guide id of guidegen.yaml's texts in PO files: `msgctxt "_site|title"`, in `_site.po` (`_` is
/// in no guide's id).
pub const SITE_CONTEXT: &str = "_site";

/// What a file being edited is: where, and how its texts are found and its text checked.
struct EditedFile<N> {
    /// As diagnostics show it.
    path: PathBuf,
    /// On disk.
    file: PathBuf,
    locate: fn(&str) -> Result<Vec<yaml::Located<N>>, String>,
    /// Whether an edited text still reads as such a file (`Err`: the parser's message).
    parses: fn(&str) -> Result<(), String>,
}

/// A guide's guide.yaml, as edited.
fn guide_file(guide: &Guide) -> EditedFile<Slot> {
    EditedFile {
        path: guide.path.clone(),
        // A snippet's file is named after it, a guide's is guide.yaml.
        file: guide
            .dir
            .join(guide.path.file_name().unwrap_or(GUIDE_FILE.as_ref())),
        locate: yaml::locate,
        parses: |text| {
            serde_saphyr::from_str::<crate::input::GuideFile>(text)
                .map(drop)
                .map_err(|e| e.to_string())
        },
    }
}

/// guidegen.yaml, as edited; its texts named as [`Site::texts`] names them. `path` as diagnostics
/// show it.
fn site_file(site: &Site, path: &Path) -> EditedFile<String> {
    EditedFile {
        path: path.to_owned(),
        file: site.root.join(crate::load::SITE_FILE),
        locate: yaml::locate_site,
        parses: |text| {
            serde_saphyr::from_str::<crate::input::SiteFile>(text)
                .map(drop)
                .map_err(|e| e.to_string())
        },
    }
}

/// One file being edited: its text, changed one text at a time, and what it must say afterwards.
struct FileEdit<N = Slot> {
    target: EditedFile<N>,
    original: String,
    current: String,
    expected: yaml::Snapshot<N>,
    changes: usize,
}

impl<N: Ord + Clone + PartialEq + std::fmt::Display> FileEdit<N> {
    fn open(target: EditedFile<N>, sources: &Sources) -> Result<Self, Diagnostic> {
        let original = match sources.get(&target.path) {
            Some(text) => text.to_owned(),
            None => {
                let mut diagnostics = Diagnostics::new();
                let (dir, name) = (
                    target.file.parent().unwrap_or(Path::new(".")),
                    target
                        .file
                        .file_name()
                        .map(Path::new)
                        .unwrap_or(Path::new("")),
                );
                crate::load::read_text(dir, name, &target.path, &mut diagnostics).ok_or_else(
                    || {
                        diagnostics.sorted().into_iter().next().unwrap_or_else(|| {
                            Diagnostic::error(&target.path, Span::START, "cannot read this file")
                        })
                    },
                )?
            }
        };
        let located = (target.locate)(&original)
            .map_err(|e| Diagnostic::error(&target.path, Span::START, e))?;
        Ok(FileEdit {
            expected: yaml::snapshot(&located),
            target,
            current: original.clone(),
            original,
            changes: 0,
        })
    }

    fn find(&self, name: &N) -> Result<yaml::Located<N>, Diagnostic> {
        (self.target.locate)(&self.current)
            .map_err(|e| Diagnostic::error(&self.target.path, Span::START, e))?
            .into_iter()
            .find(|t| &t.name == name)
            .ok_or_else(|| {
                Diagnostic::error(
                    &self.target.path,
                    Span::START,
                    format!("`{name}` not found in this file"),
                )
            })
    }

    fn refused(&self, text: &Text, name: &N, refused: yaml::Refused) -> Diagnostic {
        Diagnostic::error(
            &text.origin.path,
            text.origin.span,
            format!("`{name}`: {}", refused.0),
        )
        .with_hint("write the text as `lang: text` or `lang: {text: …, source: …}` under its key")
    }

    /// Records `fp` as the source of the `lang` translation of `name`.
    fn pin_named(&mut self, text: &Text, name: &N, lang: &str, fp: &str) -> Result<(), Diagnostic> {
        let located = self.find(name)?;
        let edits = yaml::pin(&self.current, &located, lang, fp)
            .map_err(|r| self.refused(text, name, r))?;
        if edits.is_empty() {
            return Ok(());
        }
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.target.path, Span::START, e))?;
        if let Some(entry) = self.expected.get_mut(name).and_then(|t| t.get_mut(lang)) {
            entry.1 = Some(fp.to_owned());
        }
        self.changes += 1;
        Ok(())
    }

    /// Makes `translation` the `lang` translation of `name`, made from the source with `fp`.
    fn set_named(
        &mut self,
        text: &Text,
        name: &N,
        source_lang: &str,
        lang: &str,
        translation: &str,
        fp: &str,
    ) -> Result<(), Diagnostic> {
        let located = self.find(name)?;
        let edits = yaml::set(&self.current, &located, source_lang, lang, translation, fp)
            .map_err(|r| self.refused(text, name, r))?;
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.target.path, Span::START, e))?;
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

    /// The edited file, after checking that it says exactly what was meant and still parses.
    fn verified(&self) -> Result<&str, Diagnostic> {
        let refuse = |detail: String| {
            Diagnostic::error(
                &self.target.path,
                Span::START,
                format!(
                    "guidegen could not edit this file safely ({detail}); it was left unchanged"
                ),
            )
            .with_hint("please report this, with the file; meanwhile edit the translation by hand")
        };
        let after = (self.target.locate)(&self.current).map_err(&refuse)?;
        let got = yaml::snapshot(&after);
        if got != self.expected {
            let name = self
                .expected
                .iter()
                .find(|(k, v)| got.get(*k) != Some(v))
                .map_or_else(|| "a text".to_owned(), |(k, _)| format!("`{k}`"));
            return Err(refuse(format!("{name} would read differently")));
        }
        (self.target.parses)(&self.current).map_err(refuse)?;
        Ok(&self.current)
    }
}

impl FileEdit<Slot> {
    fn new(guide: &Guide, sources: &Sources) -> Result<Self, Diagnostic> {
        FileEdit::open(guide_file(guide), sources)
    }

    fn pin(&mut self, text: &Text, slot: Slot, lang: &str, fp: &str) -> Result<(), Diagnostic> {
        self.pin_named(text, &slot, lang, fp)
    }

    fn set(
        &mut self,
        text: &Text,
        slot: Slot,
        source_lang: &str,
        lang: &str,
        translation: &str,
        fp: &str,
    ) -> Result<(), Diagnostic> {
        self.set_named(text, &slot, source_lang, lang, translation, fp)
    }
}

/// An edited file ready to be written, whatever names its texts.
trait Writable {
    fn changed(&self) -> bool;
    fn verified_text(&self) -> Result<&str, Diagnostic>;
    fn target_file(&self) -> &Path;
    fn display_path(&self) -> &Path;
}

impl<N: Ord + Clone + PartialEq + std::fmt::Display> Writable for FileEdit<N> {
    fn changed(&self) -> bool {
        self.current != self.original
    }
    fn verified_text(&self) -> Result<&str, Diagnostic> {
        self.verified()
    }
    fn target_file(&self) -> &Path {
        &self.target.file
    }
    fn display_path(&self) -> &Path {
        &self.target.path
    }
}

/// Writes every edited file, each replaced whole (written beside it, then renamed over it).
fn write_files(files: &[&dyn Writable], diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut written = Vec::new();
    let mut ready = Vec::new();
    for f in files.iter().filter(|f| f.changed()) {
        match f.verified_text() {
            Ok(text) => ready.push((f, text)),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return written;
    }
    for (f, text) in ready {
        let target = f.target_file();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.guidegen-tmp"));
        let result = std::fs::write(&temp, text).and_then(|()| {
            if let Ok(meta) = std::fs::metadata(target) {
                let _ = std::fs::set_permissions(&temp, meta.permissions());
            }
            std::fs::rename(&temp, target)
        });
        match result {
            Ok(()) => written.push(f.display_path().to_owned()),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                diagnostics.push(Diagnostic::error(
                    f.display_path(),
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
        Some(site) => Ok((
            crate::snippets::with_translation_units(&site),
            Diagnostics::new(),
            sources,
        )),
        None => Err((diagnostics, sources)),
    }
}

/// Checks `--lang` values: languages of the site other than the source language. Empty: all of those.
pub fn target_languages(site: &Site, wanted: &[String]) -> Result<Vec<String>, Failure> {
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
            return Err(Failure::Usage(crate::plan::unknown_language(w, site)));
        }
    }
    Ok(if wanted.is_empty() {
        targets
    } else {
        targets.into_iter().filter(|t| wanted.contains(t)).collect()
    })
}
