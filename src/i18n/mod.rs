//! Translation stage: the workflow around a validated site's translations — how far each guide is
//! translated ([`status()`], and warnings for `check`), recording that a translation still fits its
//! source ([`confirm()`]), and gettext PO files for translators ([`export()`], [`import()`]), each command
//! in its own module. `confirm` and `import` edit guide.yaml in place, changing only the bytes they
//! must ([`yaml`]); what they share is here.
//!
//! Texts are named by their [`Slot`] throughout: the PO `msgctxt`, the edits, the reports.

mod confirm;
mod export;
mod import;
pub mod po;
mod status;
pub mod yaml;

pub use confirm::{ConfirmOptions, ConfirmSummary, confirm};
pub use export::{ExportOptions, ExportSummary, export, po_catalog};
pub use import::{ImportOptions, ImportSummary, import};
pub use status::{GuideStatus, LanguageStatus, Report, status, untracked, warnings};

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
            None => {
                let mut diagnostics = Diagnostics::new();
                crate::load::read_text(
                    &guide.dir,
                    Path::new(GUIDE_FILE),
                    &guide.path,
                    &mut diagnostics,
                )
                .ok_or_else(|| {
                    diagnostics.sorted().into_iter().next().unwrap_or_else(|| {
                        Diagnostic::error(&guide.path, Span::START, "cannot read this file")
                    })
                })?
            }
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

    fn find(&self, slot: Slot) -> Result<yaml::Located, Diagnostic> {
        yaml::locate(&self.current)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?
            .into_iter()
            .find(|t| t.name == slot)
            .ok_or_else(|| {
                Diagnostic::error(
                    &self.guide.path,
                    Span::START,
                    format!("`{slot}` not found in this file"),
                )
            })
    }

    fn refused(&self, text: &Text, slot: Slot, refused: yaml::Refused) -> Diagnostic {
        Diagnostic::error(
            &text.origin.path,
            text.origin.span,
            format!("`{slot}`: {}", refused.0),
        )
        .with_hint("write the text as `lang: text` or `lang: {text: …, source: …}` under its key")
    }

    /// Records `fp` as the source of the `lang` translation of `slot`.
    fn pin(&mut self, text: &Text, slot: Slot, lang: &str, fp: &str) -> Result<(), Diagnostic> {
        let located = self.find(slot)?;
        let edits = yaml::pin(&self.current, &located, lang, fp)
            .map_err(|r| self.refused(text, slot, r))?;
        if edits.is_empty() {
            return Ok(());
        }
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?;
        if let Some(entry) = self.expected.get_mut(&slot).and_then(|t| t.get_mut(lang)) {
            entry.1 = Some(fp.to_owned());
        }
        self.changes += 1;
        Ok(())
    }

    /// Makes `translation` the `lang` translation of `slot`, made from the source with `fp`.
    fn set(
        &mut self,
        text: &Text,
        slot: Slot,
        source_lang: &str,
        lang: &str,
        translation: &str,
        fp: &str,
    ) -> Result<(), Diagnostic> {
        let located = self.find(slot)?;
        let edits = yaml::set(&self.current, &located, source_lang, lang, translation, fp)
            .map_err(|r| self.refused(text, slot, r))?;
        self.current = yaml::apply(&self.current, edits)
            .map_err(|e| Diagnostic::error(&self.guide.path, Span::START, e))?;
        if let Some(entries) = self.expected.get_mut(&slot) {
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
