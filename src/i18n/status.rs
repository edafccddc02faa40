//! Translation stage: `guidegen i18n status` — how far each guide is translated into each language —
//! and the same as warnings for `guidegen check`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fallback::{self, Fallback};
use crate::model::{Guide, Origin, Site, Status};

/// The status table's row for guidegen.yaml's texts.
const SITE_ROW: &str = "guidegen.yaml";

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
    pub untranslated: Vec<Fallback>,
    /// Screenshots (as named in guide.yaml) with no `name.<lang>.ext` beside them: information only.
    pub screenshots_not_localized: Vec<String>,
}

impl LanguageStatus {
    /// Counts one text whose translation into this language is in `status`.
    fn count(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Missing => self.missing += 1,
            Status::Outdated => self.outdated += 1,
            Status::Unpinned => {
                self.translated += 1;
                self.unpinned += 1;
            }
            Status::Current | Status::Source => self.translated += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStatus {
    pub id: String,
    pub path: PathBuf,
    pub languages: Vec<LanguageStatus>,
}

/// A text of guidegen.yaml whose translation into a language is missing or outdated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFallback {
    /// Its name in guidegen.yaml: `title`, `apps.vpn.name`, `devices.kiosk.label`.
    pub name: String,
    pub language: String,
    /// [`Status::Missing`] or [`Status::Outdated`].
    pub status: Status,
    pub origin: Origin,
}

impl SiteFallback {
    /// The report of it: a warning for `check`.
    pub fn diagnostic(&self, severity: Severity) -> Diagnostic {
        let (name, lang) = (&self.name, &self.language);
        let (message, hint) = if self.status == Status::Outdated {
            (
                format!(
                    "`{name}` in guidegen.yaml has an outdated `{lang}` translation: the source text changed after it was translated"
                ),
                format!(
                    "update the translation, or translate it with `guidegen i18n export --lang {lang}` and `guidegen i18n import`"
                ),
            )
        } else {
            (
                format!("`{name}` in guidegen.yaml has no `{lang}` translation"),
                format!(
                    "write it as a language map in guidegen.yaml, or with `guidegen i18n export --lang {lang}` and `guidegen i18n import`"
                ),
            )
        };
        Diagnostic {
            severity,
            ..Diagnostic::error(&self.origin.path, self.origin.span, message)
        }
        .with_hint(hint)
    }
}

/// The translation status of a site: every guide in every language but the source language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub source_language: String,
    pub languages: Vec<String>,
    pub guides: Vec<GuideStatus>,
    /// guidegen.yaml's texts, per language (its `untranslated` is in `site_untranslated`).
    pub site: Vec<LanguageStatus>,
    pub site_untranslated: Vec<SiteFallback>,
    /// Some screenshot has a localized version: the site localizes screenshots, so the table lists
    /// those that have none.
    pub localizes_screenshots: bool,
}

fn guide_language_status(site: &Site, guide: &Guide, lang: &str) -> LanguageStatus {
    let mut s = LanguageStatus {
        language: lang.to_owned(),
        ..LanguageStatus::default()
    };
    for (_, text) in guide.slots() {
        s.count(fallback::resolve(text, lang, site.source_lang(), site.outdated).status);
    }
    s.untranslated = fallback::untranslated(site, guide, lang);
    // A snippet's screenshots are listed in its own row, by their path in snippets/.
    for step in guide.steps().filter(|step| step.snippet.is_none()) {
        if let Some(shot) = &step.screenshot
            && !shot.localized.contains_key(lang)
        {
            let published = format!("{}/", crate::snippets::PUBLISHED_DIR);
            let rel = match shot.default.rel.strip_prefix(&published) {
                Some(rel) if guide.is_snippet() => rel.to_owned(),
                _ => shot.default.rel.clone(),
            };
            if !s.screenshots_not_localized.contains(&rel) {
                s.screenshots_not_localized.push(rel);
            }
        }
    }
    s
}

/// How far guidegen.yaml's texts are translated into `lang`, and those missing or outdated.
fn site_language_status(site: &Site, lang: &str) -> (LanguageStatus, Vec<SiteFallback>) {
    let mut s = LanguageStatus {
        language: lang.to_owned(),
        ..LanguageStatus::default()
    };
    let mut untranslated = Vec::new();
    for (name, text) in site.texts() {
        let status = fallback::resolve(text, lang, site.source_lang(), site.outdated).status;
        s.count(status);
        if status.needs_work() {
            untranslated.push(SiteFallback {
                name,
                language: lang.to_owned(),
                status,
                origin: fallback::origin(text, lang).clone(),
            });
        }
    }
    (s, untranslated)
}

/// How far every guide is translated into every language (but the source language), or into `only`.
pub fn status(site: &Site, only: &[String]) -> Report {
    // Each snippet is its own file to translate.
    let site = &crate::snippets::with_translation_units(site);
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
            // A guide published only in some languages has nothing to translate into the others.
            languages: languages
                .iter()
                .filter(|l| g.offered_in(l))
                .map(|l| guide_language_status(site, g, l))
                .collect(),
        })
        .collect();
    let localizes_screenshots = site.guides.iter().any(|g| {
        g.steps().any(|s| {
            s.screenshot
                .as_ref()
                .is_some_and(|s| !s.localized.is_empty())
        })
    });
    let (site_status, site_untranslated): (Vec<_>, Vec<_>) = languages
        .iter()
        .map(|l| site_language_status(site, l))
        .unzip();
    Report {
        source_language: site.source_lang().to_owned(),
        languages,
        guides,
        site: site_status,
        site_untranslated: site_untranslated.into_iter().flatten().collect(),
        localizes_screenshots,
    }
}

impl Report {
    /// Nothing is missing or outdated.
    pub fn complete(&self) -> bool {
        self.guides
            .iter()
            .flat_map(|g| &g.languages)
            .chain(&self.site)
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

    /// An aligned table, then the texts to translate with their locations, then information (the
    /// screenshots with no localized version only when `verbose` or the site localizes some).
    pub fn table(&self, verbose: bool) -> String {
        let mut out = self.counts();
        self.to_translate(&mut out);
        let unpinned: usize = self
            .totals()
            .iter()
            .chain(&self.site)
            .map(|t| t.unpinned)
            .sum();
        if unpinned > 0 {
            let _ = writeln!(
                out,
                "\nnote: {unpinned} translation{} record{} no source fingerprint, so a later change of the source text will not show them as outdated; `guidegen i18n track` records it",
                if unpinned == 1 { "" } else { "s" },
                if unpinned == 1 { "s" } else { "" }
            );
        }
        self.screenshots_not_localized(&mut out, verbose);
        out
    }

    /// The counts of each guide (and guidegen.yaml) in each language, then of all, as an aligned
    /// table: names left, numbers right.
    fn counts(&self) -> String {
        let headings = [
            "guide",
            "language",
            "translated",
            "missing",
            "outdated",
            "total",
        ];
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
        let mut rows: Vec<[String; 6]> = vec![headings.map(str::to_owned)];
        for g in &self.guides {
            rows.extend(g.languages.iter().map(|l| row(&g.id, l)));
        }
        rows.extend(
            self.site
                .iter()
                .filter(|l| l.total > 0)
                .map(|l| row(SITE_ROW, l)),
        );
        rows.extend(self.totals().iter().map(|l| row("(all guides)", l)));
        let mut widths = [0; 6];
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for r in &rows {
            let mut text = String::new();
            for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                if i < 2 {
                    let _ = write!(text, "{cell:<w$}");
                } else {
                    let _ = write!(text, "{cell:>w$}");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// "to translate:", each text missing or outdated with where it is written.
    fn to_translate(&self, out: &mut String) {
        let untranslated: Vec<(&str, &Fallback)> = self
            .guides
            .iter()
            .flat_map(|g| &g.languages)
            .flat_map(|l| l.untranslated.iter().map(move |f| (l.language.as_str(), f)))
            .collect();
        if untranslated.is_empty() && self.site_untranslated.is_empty() {
            return;
        }
        out.push_str("\nto translate:\n");
        for f in &self.site_untranslated {
            to_translate_line(out, &f.origin, &f.name, &f.language, f.status);
        }
        for (lang, f) in untranslated {
            to_translate_line(out, &f.origin, &f.slot, lang, f.status);
        }
    }

    /// The screenshots shown in a language without a localized version of their own, when
    /// `verbose` or the site localizes some.
    fn screenshots_not_localized(&self, out: &mut String, verbose: bool) {
        let shots: Vec<(&str, &LanguageStatus)> = self
            .guides
            .iter()
            .flat_map(|g| g.languages.iter().map(move |l| (g.id.as_str(), l)))
            .filter(|(_, l)| !l.screenshots_not_localized.is_empty())
            .filter(|_| verbose || self.localizes_screenshots)
            .collect();
        if shots.is_empty() {
            return;
        }
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

    pub fn json(&self) -> serde_json::Value {
        let lang_json = |l: &LanguageStatus| {
            json!({
                "language": l.language,
                "translated": l.translated,
                "unpinned": l.unpinned,
                "missing": l.missing,
                "outdated": l.outdated,
                "total": l.total,
                "untranslated": l.untranslated.iter().map(|f| json!({
                    "name": f.slot.to_string(),
                    "status": f.status.name(),
                    "path": f.origin.path.display().to_string(),
                    "line": f.origin.span.line,
                    "column": f.origin.span.column,
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
            "site": self.site.iter().map(|l| {
                let mut v = lang_json(l);
                if let Some(o) = v.as_object_mut() {
                    o.remove("screenshots_not_localized");
                    o.insert("untranslated".into(), self.site_untranslated.iter().filter(|f| f.language == l.language).map(|f| json!({
                        "name": f.name,
                        "status": f.status.name(),
                        "path": f.origin.path.display().to_string(),
                        "line": f.origin.span.line,
                        "column": f.origin.span.column,
                    })).collect::<Vec<_>>().into());
                }
                v
            }).collect::<Vec<_>>(),
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

/// How many translations, over every guide, guidegen.yaml and every language, have no recorded
/// source fingerprint.
pub fn untracked(site: &Site) -> usize {
    let report = status(site, &[]);
    report
        .totals()
        .iter()
        .chain(&report.site)
        .map(|t| t.unpinned)
        .sum()
}

/// [`warnings`] and [`untracked`] of one guide alone (not of the snippets it shows, nor of
/// guidegen.yaml): for `check`, which adds them up as the guides stream past.
pub fn guide_warnings(site: &Site, guide: &Guide) -> (Vec<Diagnostic>, usize) {
    let mut warnings = Vec::new();
    let mut unpinned = 0;
    for lang in site.languages.iter().skip(1).map(|l| l.code.as_str()) {
        if !guide.offered_in(lang) {
            continue;
        }
        let status = guide_language_status(site, guide, lang);
        unpinned += status.unpinned;
        let untranslated = status.untranslated.iter();
        let untranslated = untranslated.map(|f| Reported::of_guide_text(f, lang));
        warnings.extend(condensed(lang, untranslated));
    }
    (warnings, unpinned)
}

/// Warnings for `guidegen check`: every missing or outdated translation, worded and placed as
/// `build --strict` reports it.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let report = status(site, &[]);
    let in_guides = report
        .guides
        .iter()
        .flat_map(|g| &g.languages)
        .flat_map(|l| {
            let lang = l.language.as_str();
            let untranslated = l.untranslated.iter();
            condensed(lang, untranslated.map(|f| Reported::of_guide_text(f, lang)))
        });
    let in_settings = report.languages.iter().flat_map(|lang| {
        let untranslated = report
            .site_untranslated
            .iter()
            .filter(|f| &f.language == lang);
        condensed(lang, untranslated.map(Reported::of_settings_text))
    });
    in_guides.chain(in_settings).collect()
}

/// Past this many of one file, language and state, `check` reports untranslated texts as one
/// warning at the first of them rather than one each: a language just added lacks every text of
/// every guide, hundreds of warnings that would bury everything else. `guidegen i18n status` lists
/// them all.
const LISTED_ONE_BY_ONE: usize = 3;

/// An untranslated text as `check` reports it: its name and state, and its own warning.
struct Reported {
    name: String,
    status: Status,
    warning: Diagnostic,
}

impl Reported {
    fn of_guide_text(fallback: &Fallback, lang: &str) -> Self {
        Reported {
            name: fallback.slot.to_string(),
            status: fallback.status,
            warning: fallback.diagnostic(lang, Severity::Warning),
        }
    }

    fn of_settings_text(fallback: &SiteFallback) -> Self {
        Reported {
            name: fallback.name.clone(),
            status: fallback.status,
            warning: fallback.diagnostic(Severity::Warning),
        }
    }
}

/// The warnings of `untranslated` (texts lacking a current `lang` translation, in reading order):
/// each its own, but for a file with more than [`LISTED_ONE_BY_ONE`] missing (or outdated) ones,
/// which get one warning, at the first, counting the others.
fn condensed(lang: &str, untranslated: impl Iterator<Item = Reported>) -> Vec<Diagnostic> {
    let mut groups: Vec<Vec<Reported>> = Vec::new();
    for text in untranslated {
        let same = |g: &&mut Vec<Reported>| {
            g[0].status == text.status && g[0].warning.path == text.warning.path
        };
        match groups.iter_mut().find(same) {
            Some(group) => group.push(text),
            None => groups.push(vec![text]),
        }
    }
    let mut warnings = Vec::new();
    for mut group in groups {
        if group.len() <= LISTED_ONE_BY_ONE {
            warnings.extend(group.into_iter().map(|t| t.warning));
            continue;
        }
        let others = group.len() - 1;
        let first = group.swap_remove(0);
        let (message, todo) = match first.status {
            Status::Outdated => (
                format!(
                    "`{}` and {others} other texts have outdated `{lang}` translations: their source text changed after they were translated",
                    first.name
                ),
                "update them, then record that they fit with `guidegen i18n confirm`".to_owned(),
            ),
            _ => (
                format!(
                    "`{}` and {others} other texts have no `{lang}` translation",
                    first.name
                ),
                format!(
                    "translate them in the file, or all at once with `guidegen i18n export --lang {lang}` and `guidegen i18n import`"
                ),
            ),
        };
        let hint = format!("`guidegen i18n status --lang {lang}` lists each with its line; {todo}");
        warnings.push(
            Diagnostic {
                message,
                ..first.warning
            }
            .with_hint(hint),
        );
    }
    warnings
}

/// A line of "to translate:": where the text is written, which it is, in which language, and why.
fn to_translate_line(
    out: &mut String,
    origin: &Origin,
    name: &dyn std::fmt::Display,
    lang: &str,
    status: Status,
) {
    let _ = writeln!(
        out,
        "  {}:{}:{}: {name} ({lang}) {}",
        origin.path.display(),
        origin.span.line,
        origin.span.column,
        status.name()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    fn reported(path: &str, line: usize, name: &str, status: Status) -> Reported {
        let warning = Diagnostic::warning(path, Span::new(line, 3), format!("`{name}` alone"));
        Reported {
            name: name.to_owned(),
            status,
            warning,
        }
    }

    #[test]
    fn a_file_s_few_untranslated_texts_are_each_reported_and_its_many_once() {
        let few =
            (1..=3).map(|n| reported("a.yaml", n, &format!("step.{n}.action"), Status::Missing));
        let many =
            (1..=5).map(|n| reported("b.yaml", n, &format!("step.{n}.action"), Status::Missing));
        // One outdated text among them is reported on its own, as what it is.
        let outdated = reported("b.yaml", 9, "step.9.note", Status::Outdated);
        let warnings = condensed("de", few.chain(many).chain([outdated]));
        let said: Vec<(String, usize, &str)> = warnings
            .iter()
            .map(|w| {
                (
                    w.path.display().to_string(),
                    w.span.line,
                    w.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                ("a.yaml".into(), 1, "`step.1.action` alone"),
                ("a.yaml".into(), 2, "`step.2.action` alone"),
                ("a.yaml".into(), 3, "`step.3.action` alone"),
                (
                    "b.yaml".into(),
                    1,
                    "`step.1.action` and 4 other texts have no `de` translation"
                ),
                ("b.yaml".into(), 9, "`step.9.note` alone"),
            ]
        );
        let hint = warnings[3].hint.as_deref().unwrap_or_default();
        assert!(
            hint.starts_with("`guidegen i18n status --lang de` lists each"),
            "{hint}"
        );
        assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
    }

    #[test]
    fn many_outdated_texts_of_a_file_are_one_warning_saying_so() {
        let outdated =
            (1..=4).map(|n| reported("a.yaml", n, &format!("step.{n}.action"), Status::Outdated));
        let warnings = condensed("en", outdated);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .starts_with("`step.1.action` and 3 other texts have outdated `en` translations"),
            "{}",
            warnings[0].message
        );
        let hint = warnings[0].hint.as_deref().unwrap_or_default();
        assert!(hint.contains("guidegen i18n confirm"), "{hint}");
    }
}
