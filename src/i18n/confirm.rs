//! Translation stage: `guidegen i18n confirm` — recording on translations that they still fit their
//! source text, by writing the source's fingerprint beside them in guide.yaml — and `guidegen i18n track`,
//! the same for hand-written translations that have no fingerprint yet, leaving outdated ones alone.

use std::path::PathBuf;

use super::{FileEdit, Outcome, Writable, checked_site, site_file, target_languages, write_files};
use crate::build::Failure;
use crate::diagnostic::Diagnostics;
use crate::model::{Guide, Site, Text, TranslationState};
use crate::validate::fingerprint;

#[derive(Debug, Clone)]
pub struct ConfirmOptions {
    pub site_dir: PathBuf,
    /// Empty: every language but the source language.
    pub languages: Vec<String>,
    /// Guide ids; empty: every guide.
    pub guides: Vec<String>,
    /// Only translations written without a fingerprint (`guidegen i18n track`): outdated ones are
    /// left outdated, for someone to check.
    pub untracked_only: bool,
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
    if let Some(failure) = unknown_guide(&site, &options.guides) {
        return Outcome::fail(failure, diagnostics, sources);
    }
    let mut files = Vec::new();
    for guide in site
        .guides
        .iter()
        .filter(|g| options.guides.is_empty() || options.guides.contains(&g.id))
    {
        match FileEdit::new(guide, &sources) {
            Ok(mut file) => {
                pin_guide(
                    &mut file,
                    guide,
                    &languages,
                    options.untracked_only,
                    &mut diagnostics,
                );
                files.push(file);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    // guidegen.yaml's texts belong to no guide: with every guide.
    let mut settings = None;
    if options.guides.is_empty()
        && let Some((_, first)) = site.texts().first()
    {
        match FileEdit::open(site_file(&site, &first.origin.path), &sources) {
            Ok(mut file) => {
                for (name, text) in site.texts() {
                    for lang in &languages {
                        if stale(text, lang, options.untracked_only)
                            && let Err(d) =
                                file.pin_named(text, &name, lang, &fingerprint(&text.source))
                        {
                            diagnostics.push(d);
                        }
                    }
                }
                settings = Some(file);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let confirmed =
        files.iter().map(|f| f.changes).sum::<usize>() + settings.as_ref().map_or(0, |f| f.changes);
    let mut writable: Vec<&dyn Writable> = files.iter().map(|f| f as &dyn Writable).collect();
    writable.extend(settings.as_ref().map(|f| f as &dyn Writable));
    let written = write_files(&writable, &mut diagnostics);
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let summary = ConfirmSummary {
        confirmed,
        files: written,
    };
    Outcome::done(summary, diagnostics, sources)
}

/// `--guide` naming no guide of the site, as a usage failure listing them.
fn unknown_guide(site: &Site, wanted: &[String]) -> Option<Failure> {
    let id = wanted
        .iter()
        .find(|id| !site.guides.iter().any(|g| &g.id == *id))?;
    let ids: Vec<&str> = site.guides.iter().map(|g| g.id.as_str()).collect();
    Some(Failure::Usage(format!(
        "--guide {id}: the site's guides are {}",
        ids.join(", ")
    )))
}

/// Pins every translation of `guide` into `languages` that is not pinned to its current source (with
/// `untracked_only`, every one that has no fingerprint at all).
fn pin_guide(
    file: &mut FileEdit,
    guide: &Guide,
    languages: &[String],
    untracked_only: bool,
    diagnostics: &mut Diagnostics,
) {
    for (slot, text) in guide.slots() {
        let fp = fingerprint(&text.source);
        for lang in languages {
            if stale(text, lang, untracked_only)
                && let Err(d) = file.pin(text, slot, lang, &fp)
            {
                diagnostics.push(d);
            }
        }
    }
}

/// Whether `text`'s `lang` translation is to be pinned to its current source: it is not yet (with
/// `untracked_only`, it has no fingerprint at all).
fn stale(text: &Text, lang: &str, untracked_only: bool) -> bool {
    text.translations.get(lang).is_some_and(|t| match t.state {
        TranslationState::Current => false,
        TranslationState::Unpinned => true,
        TranslationState::Outdated => !untracked_only,
    })
}
