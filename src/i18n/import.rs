//! Translation stage: `guidegen i18n import` — translations back from PO files into guide.yaml, each
//! entry into the text its slot names (or, when steps moved since the export, the one text with its
//! source text), pinned to the source text it was made from: a translation made for a source text
//! that has changed since the export is kept, as an outdated translation, and reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{
    FileEdit, Outcome, SITE_CONTEXT, Writable, checked_site, po, site_file, target_languages,
    write_files,
};
use crate::build::{self, Failure};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::model::{Guide, Site, Text, TranslationState};
use crate::slot::Slot;
use crate::validate::fingerprint;

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
    /// Of `imported`: made for a source text that has changed since the export, so written as
    /// outdated translations (each reported).
    pub outdated: usize,
    /// Entries reported and not used.
    pub skipped: usize,
    pub files: Vec<PathBuf>,
}

/// A translation to write: into which text of which guide.
struct Incoming {
    guide: usize,
    slot: Slot,
    /// A text of guidegen.yaml: its name (`slot` is then unused).
    name: String,
    lang: String,
    text: String,
    /// The source text it was made from: the entry's msgid.
    made_from: String,
    /// The PO file and the entry's line, for reports.
    path: PathBuf,
    at: Span,
}

/// Why an entry is left out: the warning's message and hint.
struct Skip(String, &'static str);

/// The translations read from the PO files so far.
#[derive(Default)]
struct Gathered {
    incoming: Vec<Incoming>,
    /// Translations of guidegen.yaml's texts (`guide` unused).
    site: Vec<Incoming>,
    site_taken: BTreeSet<(String, String)>,
    skipped: usize,
    /// (guide, slot, language) already translated by an entry.
    taken: BTreeSet<(usize, Slot, String)>,
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
    let mut gathered = Gathered::default();
    for path in &options.files {
        let Some(catalog) = read_po(path, &mut diagnostics, &mut sources) else {
            continue;
        };
        let Some(lang) = file_language(&site, path, &catalog, options, &mut diagnostics) else {
            continue;
        };
        for entry in catalog.entries.iter().filter(|e| !e.obsolete) {
            gathered.take(&site, path, &lang, entry, &mut diagnostics);
        }
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }

    let mut summary = ImportSummary {
        skipped: gathered.skipped,
        ..ImportSummary::default()
    };
    let mut files: Vec<FileEdit> = Vec::new();
    for (index, guide) in site.guides.iter().enumerate() {
        let mine: Vec<&Incoming> = gathered
            .incoming
            .iter()
            .filter(|i| i.guide == index)
            .collect();
        if mine.is_empty() {
            continue;
        }
        match FileEdit::new(guide, &sources) {
            Ok(mut file) => {
                write_translations(
                    &mut file,
                    &site,
                    guide,
                    &mine,
                    &mut summary,
                    &mut diagnostics,
                );
                files.push(file);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let settings = import_site_texts(
        &site,
        &sources,
        &gathered.site,
        &mut summary,
        &mut diagnostics,
    );
    if diagnostics.has_errors() {
        return Outcome::fail(Failure::Site, diagnostics, sources);
    }
    let mut writable: Vec<&dyn Writable> = files.iter().map(|f| f as &dyn Writable).collect();
    writable.extend(settings.as_ref().map(|f| f as &dyn Writable));
    summary.files = write_files(&writable, &mut diagnostics);
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
    Outcome::done(summary, diagnostics, sources)
}

/// Reads and parses one PO file, keeping its text for diagnostics; `None` when it cannot be used
/// (reported).
fn read_po(
    path: &Path,
    diagnostics: &mut Diagnostics,
    sources: &mut Sources,
) -> Option<po::Catalog> {
    // Files coming back from translators are untrusted: a regular file of bounded size.
    let text = match crate::files::read_regular(path, crate::files::MAX_TEXT_FILE_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(path, Span::START, "this file is not UTF-8 text")
                        .with_hint("save it as UTF-8 (Poedit, Weblate and Crowdin do by default)"),
                );
                return None;
            }
        },
        Err(e) => {
            let shown = path.display().to_string();
            diagnostics.push(
                Diagnostic::error(path, Span::START, e.message(&shown, "its folder"))
                    .with_hint(e.hint()),
            );
            return None;
        }
    };
    sources.insert(path, text.clone());
    match po::parse(&text) {
        Ok(catalog) => Some(catalog),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(path, Span::new(e.line, e.column), format!("this is not a valid PO file: {}", e.message))
                    .with_hint("open it in a PO editor such as Poedit, or export it again with `guidegen i18n export`"),
            );
            None
        }
    }
}

/// The language a PO file translates into: `--lang`, else its `Language` header; `None` when it is
/// not one of the site's languages to translate into (reported).
fn file_language(
    site: &Site,
    path: &Path,
    catalog: &po::Catalog,
    options: &ImportOptions,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let source_lang = site.source_lang();
    let Some(lang) = options
        .language
        .clone()
        .or_else(|| catalog.header_field("Language").map(str::to_owned))
        .map(|l| l.replace('_', "-"))
    else {
        diagnostics.push(
            Diagnostic::error(path, Span::START, "the file does not say its language")
                .with_hint("add `--lang LANG`, or a `Language:` header"),
        );
        return None;
    };
    if lang == source_lang || site.language(&lang).is_none() {
        diagnostics.push(
            Diagnostic::error(
                path,
                Span::START,
                format!(
                    "the file is in `{lang}`, which is not a language to translate this site into"
                ),
            )
            .with_hint(format!(
                "the site's source language is `{source_lang}`; its other languages are {}",
                site.languages
                    .iter()
                    .skip(1)
                    .map(|l| format!("`{}`", l.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return None;
    }
    Some(lang)
}

impl Gathered {
    /// Takes one entry's translation, or reports why it is skipped.
    fn take(
        &mut self,
        site: &Site,
        path: &Path,
        lang: &str,
        entry: &po::Entry,
        diagnostics: &mut Diagnostics,
    ) {
        if let Some(name) = entry
            .msgctxt
            .as_deref()
            .and_then(|c| c.strip_prefix(SITE_CONTEXT))
            .and_then(|c| c.strip_prefix('|'))
        {
            self.take_site_text(site, path, lang, name, entry, diagnostics);
            return;
        }
        let target = entry_target(site, entry).and_then(|(guide, slot)| {
            if self.taken.insert((guide, slot, lang.to_owned())) {
                Ok((guide, slot))
            } else {
                Err(Skip(
                    format!("`{slot}` was already translated by an earlier entry; skipped"),
                    "remove one of the two entries",
                ))
            }
        });
        match target {
            Ok((guide, slot)) => {
                // A translation is untrusted text like any other: what validation would refuse in
                // guide.yaml is refused here, before anything is written.
                let at = Span::new(entry.line.max(1), 1);
                let refused = |message: String, hint: String| {
                    Diagnostic::error(path, at, format!("the translation of `{slot}`: {message}"))
                        .with_hint(hint)
                };
                let mut errors: Vec<Diagnostic> =
                    crate::textcheck::check(&entry.msgstr, slot.text_kind())
                        .into_iter()
                        .filter(|f| f.severity == crate::diagnostic::Severity::Error)
                        .map(|f| refused(f.message, f.hint))
                        .collect();
                if slot.text_kind() == crate::textcheck::TextKind::Markdown {
                    let dir = &site.guides[guide].dir;
                    errors.extend(
                        crate::validate::link_refusals(site, dir, lang, &entry.msgstr)
                            .into_iter()
                            .map(|(message, hint)| refused(message, hint)),
                    );
                }
                if errors.is_empty() {
                    self.incoming.push(Incoming {
                        guide,
                        slot,
                        name: String::new(),
                        lang: lang.to_owned(),
                        text: entry.msgstr.clone(),
                        made_from: entry.msgid.clone(),
                        path: path.to_owned(),
                        at,
                    });
                } else {
                    diagnostics.extend(errors);
                }
            }
            Err(Skip(message, hint)) => {
                self.skipped += 1;
                let at = Span::new(entry.line.max(1), 1);
                diagnostics.push(Diagnostic::warning(path, at, message).with_hint(hint));
            }
        }
    }
}

impl Gathered {
    /// Takes one entry translating the guidegen.yaml text `name`, or reports why it is skipped.
    fn take_site_text(
        &mut self,
        site: &Site,
        path: &Path,
        lang: &str,
        name: &str,
        entry: &po::Entry,
        diagnostics: &mut Diagnostics,
    ) {
        let at = Span::new(entry.line.max(1), 1);
        let skip = if !site.texts().iter().any(|(n, _)| n == name) {
            Some(Skip(
                format!("guidegen.yaml has no text `{name}` to translate now; skipped"),
                "export the translations again",
            ))
        } else if entry.is_fuzzy() {
            Some(Skip(
                format!("`{name}` is marked fuzzy; skipped"),
                "check the translation against the source text, remove the fuzzy mark, and import again",
            ))
        } else if entry.msgstr.trim().is_empty() {
            Some(Skip(
                format!("`{name}` is not translated yet; skipped"),
                "write its msgstr, and import again",
            ))
        } else if !self.site_taken.insert((name.to_owned(), lang.to_owned())) {
            Some(Skip(
                format!("`{name}` was already translated by an earlier entry; skipped"),
                "remove one of the two entries",
            ))
        } else {
            None
        };
        if let Some(Skip(message, hint)) = skip {
            self.skipped += 1;
            diagnostics.push(Diagnostic::warning(path, at, message).with_hint(hint));
            return;
        }
        // Site texts are plain text: refused here as validation would refuse them.
        let errors: Vec<Diagnostic> =
            crate::textcheck::check(&entry.msgstr, crate::textcheck::TextKind::Plain)
                .into_iter()
                .filter(|f| f.severity == crate::diagnostic::Severity::Error)
                .map(|f| {
                    Diagnostic::error(
                        path,
                        at,
                        format!("the translation of `{name}`: {}", f.message),
                    )
                    .with_hint(f.hint)
                })
                .collect();
        if !errors.is_empty() {
            diagnostics.extend(errors);
            return;
        }
        self.site.push(Incoming {
            guide: usize::MAX,
            slot: Slot::Title,
            name: name.to_owned(),
            lang: lang.to_owned(),
            text: entry.msgstr.clone(),
            made_from: entry.msgid.clone(),
            path: path.to_owned(),
            at,
        });
    }
}

/// Writes the translations of guidegen.yaml's texts into it, pinned to the source each was made
/// from, as [`write_translations`] does for a guide; the edited file, if any.
fn import_site_texts(
    site: &Site,
    sources: &Sources,
    incoming: &[Incoming],
    summary: &mut ImportSummary,
    diagnostics: &mut Diagnostics,
) -> Option<FileEdit<String>> {
    let texts = site.texts();
    let (_, first) = texts.first()?;
    if incoming.is_empty() {
        return None;
    }
    let mut file = match FileEdit::open(site_file(site, &first.origin.path), sources) {
        Ok(f) => f,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    for item in incoming {
        let Some((_, text)) = texts.iter().find(|(n, _)| *n == item.name) else {
            continue;
        };
        let fp = fingerprint(&item.made_from);
        let outdated = fp != fingerprint(&text.source);
        let existing = text.translations.get(&item.lang);
        if outdated && existing.is_some_and(|t| t.state == TranslationState::Current) {
            summary.skipped += 1;
            diagnostics.push(newer_translation_kept(item, &item.name));
            continue;
        }
        let result = match existing {
            Some(t) if t.text == item.text && t.recorded.as_deref() == Some(fp.as_str()) => {
                summary.unchanged += 1;
                continue;
            }
            Some(t) if t.text == item.text => file.pin_named(text, &item.name, &item.lang, &fp),
            _ => file.set_named(
                text,
                &item.name,
                site.source_lang(),
                &item.lang,
                &item.text,
                &fp,
            ),
        };
        match result {
            Ok(()) => {
                summary.imported += 1;
                if outdated {
                    summary.outdated += 1;
                    diagnostics.push(imported_outdated(item, &item.name, "guidegen i18n confirm"));
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    Some(file)
}

/// The report of a translation left out because the file has a translation of the current source.
fn newer_translation_kept(item: &Incoming, name: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::warning(
        &item.path,
        item.at,
        format!(
            "`{name}` was translated for a source text that has changed since, and the site already has a translation of the current one; skipped"
        ),
    )
    .with_hint("export the translations again: the file then has the current translation")
}

/// The report of a translation made for a since-changed source, imported as outdated.
fn imported_outdated(item: &Incoming, name: &dyn std::fmt::Display, confirm: &str) -> Diagnostic {
    Diagnostic::warning(
        &item.path,
        item.at,
        format!(
            "`{name}`: its source text has changed since the export; the translation was imported as an outdated translation"
        ),
    )
    .with_hint(format!(
        "it is shown and reported as outdated until updated: export again (the entry is then fuzzy, with the earlier source text as `#| msgid`), or fix it and run `{confirm}`"
    ))
}

/// The guide (by index) and the text an entry translates.
fn entry_target(site: &Site, entry: &po::Entry) -> Result<(usize, Slot), Skip> {
    let Some((guide_id, name)) = entry.msgctxt.as_deref().and_then(|c| c.split_once('|')) else {
        return Err(Skip(
            "this entry has no guidegen context (msgctxt \"guide|text\"); skipped".into(),
            "translate the file guidegen exported, keeping each entry's msgctxt",
        ));
    };
    let Some(index) = site.guides.iter().position(|g| g.id == guide_id) else {
        return Err(Skip(
            format!("there is no guide `{guide_id}` in the site; skipped"),
            "export the translations again",
        ));
    };
    if entry.is_fuzzy() {
        return Err(Skip(
            format!("`{name}` is marked fuzzy; skipped"),
            "check the translation against the source text, remove the fuzzy mark, and import again",
        ));
    }
    if entry.msgstr.trim().is_empty() {
        return Err(Skip(
            format!("`{name}` is not translated yet; skipped"),
            "write its msgstr, and import again",
        ));
    }
    let slot = matching_slot(&site.guides[index], name, &entry.msgid)?;
    Ok((index, slot))
}

/// The text an entry named `name` with source text `msgid` translates: the one its name says while
/// that still has this source text, else the one text of the guide that has it (steps may have moved
/// since the export), else the one its name says, whose source text has changed since the export.
fn matching_slot(guide: &Guide, name: &str, msgid: &str) -> Result<Slot, Skip> {
    let slots = guide.slots();
    let named = name.parse::<Slot>().ok();
    if let Some((slot, _)) = slots
        .iter()
        .find(|(slot, text)| Some(*slot) == named && text.source == msgid)
    {
        return Ok(*slot);
    }
    let same: Vec<Slot> = slots
        .iter()
        .filter(|(_, text)| text.source == msgid)
        .map(|(slot, _)| *slot)
        .collect();
    match same.as_slice() {
        [one] => Ok(*one),
        [] => match slots.iter().find(|(slot, _)| Some(*slot) == named) {
            Some((slot, _)) => Ok(*slot),
            None => Err(Skip(
                format!(
                    "`{name}` is no longer in the guide `{}`, and nor is its source text (it was changed or removed); skipped",
                    guide.id
                ),
                "export the translations again and translate the new text",
            )),
        },
        _ => Err(Skip(
            format!(
                "the source text of `{name}` stands in {} places of the guide `{}` now; skipped",
                same.len(),
                guide.id
            ),
            "translate it in guide.yaml, or export the translations again",
        )),
    }
}

/// Writes one guide's incoming translations into its file, counting them.
fn write_translations(
    file: &mut FileEdit,
    site: &Site,
    guide: &Guide,
    incoming: &[&Incoming],
    summary: &mut ImportSummary,
    diagnostics: &mut Diagnostics,
) {
    let texts: BTreeMap<Slot, &Text> = guide.slots().into_iter().collect();
    for item in incoming {
        let Some(text) = texts.get(&item.slot) else {
            continue;
        };
        // Pinned to the source it was made from: when that has changed, the translation is kept as
        // an outdated one — shown, reported, and offered again (fuzzy) by the next export.
        let fp = fingerprint(&item.made_from);
        let outdated = fp != fingerprint(&text.source);
        let existing = text.translations.get(&item.lang);
        if outdated && existing.is_some_and(|t| t.state == TranslationState::Current) {
            summary.skipped += 1;
            diagnostics.push(newer_translation_kept(item, &item.slot));
            continue;
        }
        let result = match existing {
            Some(t) if t.text == item.text && t.recorded.as_deref() == Some(fp.as_str()) => {
                summary.unchanged += 1;
                continue;
            }
            Some(t) if t.text == item.text => file.pin(text, item.slot, &item.lang, &fp),
            _ => {
                let source_lang = site.source_lang();
                file.set(text, item.slot, source_lang, &item.lang, &item.text, &fp)
            }
        };
        match result {
            Ok(()) => {
                summary.imported += 1;
                if outdated {
                    summary.outdated += 1;
                    let confirm = format!(
                        "guidegen i18n confirm --lang {} --guide {}",
                        item.lang, guide.id
                    );
                    diagnostics.push(imported_outdated(item, &item.slot, &confirm));
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
}
