//! Model stage: which text a page shows in a language — the translation, or the source text in its
//! place, and why — decided here once, for the HTML and PDF ([`crate::model::Text::resolve`]),
//! `i18n status`, `check`'s warnings and `build --strict`, so that they agree on what falls back, on
//! the place they report it at, and on the words.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Guide, Origin, OutdatedPolicy, Resolved, Site, Status, Text, TranslationState};
use crate::slot::Slot;

/// The text to show of `text` in `lang`, the language it is in, and why: the translation when there
/// is one — an outdated one too, unless `outdated` says to show the source text instead.
pub fn resolve<'a>(
    text: &'a Text,
    lang: &'a str,
    source_lang: &'a str,
    outdated: OutdatedPolicy,
) -> Resolved<'a> {
    let source = |status| Resolved {
        text: &text.source,
        lang: source_lang,
        status,
        fallback: status != Status::Source,
    };
    if lang == source_lang {
        return source(Status::Source);
    }
    let Some(translation) = text.translations.get(lang) else {
        return source(Status::Missing);
    };
    let status = match translation.state {
        TranslationState::Current => Status::Current,
        TranslationState::Unpinned => Status::Unpinned,
        TranslationState::Outdated if outdated == OutdatedPolicy::Fallback => {
            return source(Status::Outdated);
        }
        TranslationState::Outdated => Status::Outdated,
    };
    Resolved {
        text: &translation.text,
        lang,
        status,
        fallback: false,
    }
}

/// Where anything about `text` in `lang` is reported: at the translation's own entry when there is
/// one (an outdated translation is fixed there), else at the text.
pub fn origin<'a>(text: &'a Text, lang: &str) -> &'a Origin {
    text.translations
        .get(lang)
        .map_or(&text.origin, |translation| &translation.origin)
}

/// A text of a guide whose translation into a language needs work: missing or outdated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The guide's id, for the command in the hint.
    pub guide: String,
    pub slot: Slot,
    /// [`Status::Missing`] or [`Status::Outdated`].
    pub status: Status,
    /// The source text is shown in its place (always when missing; when outdated, as the site says).
    pub shown_in_source: bool,
    /// Where it is reported ([`origin`]).
    pub origin: Origin,
}

/// The texts of `guide` whose translation into `lang` is missing or outdated, in reading order —
/// what `check`, `i18n status` and `--strict` report; none for the source language itself.
pub fn untranslated(site: &Site, guide: &Guide, lang: &str) -> Vec<Fallback> {
    let source = site.source_lang();
    // A guide published only in some languages (`languages:`) lacks nothing in the others.
    if !guide.offered_in(lang) {
        return Vec::new();
    }
    guide
        .slots()
        .into_iter()
        .filter_map(|(slot, text)| {
            let resolved = resolve(text, lang, source, site.outdated);
            resolved.status.needs_work().then(|| Fallback {
                guide: guide.id.clone(),
                slot,
                status: resolved.status,
                shown_in_source: resolved.fallback(),
                origin: origin(text, lang).clone(),
            })
        })
        .collect()
}

/// The texts of the snippets `guide` shows whose translation into `lang` is missing or outdated,
/// each once, named as the snippet's own ([`crate::snippets::translation_id`]): what makes the guide
/// incomplete beyond its own texts.
pub fn untranslated_in_snippets(site: &Site, guide: &Guide, lang: &str) -> Vec<Fallback> {
    if !guide.offered_in(lang) {
        return Vec::new();
    }
    let mut out: Vec<Fallback> = Vec::new();
    for step in guide.steps() {
        let Some(name) = &step.snippet else {
            continue;
        };
        for (slot, text) in step.slots() {
            let resolved = resolve(text, lang, site.source_lang(), site.outdated);
            let id = crate::snippets::translation_id(name);
            if resolved.status.needs_work() && !out.iter().any(|f| f.guide == id && f.slot == slot)
            {
                out.push(Fallback {
                    guide: id,
                    slot,
                    status: resolved.status,
                    shown_in_source: resolved.fallback(),
                    origin: origin(text, lang).clone(),
                });
            }
        }
    }
    out
}

/// The texts of `guide` that `lang` shows in the source language, in reading order: what the page's
/// notice lists, and what makes a guide incomplete for `translation.incomplete: omit`.
pub fn fallbacks(site: &Site, guide: &Guide, lang: &str) -> Vec<Fallback> {
    untranslated(site, guide, lang)
        .into_iter()
        .filter(|f| f.shown_in_source)
        .collect()
}

impl Fallback {
    /// The report of this fallback in `lang`: a warning for `check`, an error for `build --strict`.
    pub fn diagnostic(&self, lang: &str, severity: Severity) -> Diagnostic {
        let (message, hint) = if self.status == Status::Outdated {
            (
                format!(
                    "`{}` has an outdated `{lang}` translation: the source text changed after it was translated{}",
                    self.slot,
                    if self.shown_in_source {
                        "; the source text is shown in its place"
                    } else {
                        "; it is still shown"
                    }
                ),
                format!(
                    "update the translation, then run `guidegen i18n confirm --lang {lang} --guide {}`; if it still fits as it is, just run that command",
                    self.guide
                ),
            )
        } else {
            (
                format!("`{}` has no `{lang}` translation", self.slot),
                format!(
                    "translate it in {}, or with `guidegen i18n export --lang {lang}` and `guidegen i18n import`",
                    // A snippet's texts are in its own file.
                    self.origin
                        .path
                        .file_name()
                        .map_or("guide.yaml".into(), |n| n.to_string_lossy())
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Span;
    use crate::model::LocalizedText;

    fn at(line: usize) -> Origin {
        Origin {
            path: PathBuf::from("guide.yaml"),
            span: Span::new(line, 3),
        }
    }

    fn text(translation: Option<TranslationState>) -> Text {
        let translations = translation.map(|state| {
            let entry = LocalizedText {
                text: "Open it".into(),
                state,
                recorded: None,
                origin: at(2),
            };
            ("en".to_owned(), entry)
        });
        Text {
            source: "Åbn den".into(),
            translations: BTreeMap::from_iter(translations),
            origin: at(1),
        }
    }

    #[test]
    fn each_state_is_shown_as_decided() {
        use OutdatedPolicy::{Fallback as Source, Show};
        // (state, policy, text shown, its language, status, shown in the source language)
        let cases = [
            (None, Show, "Åbn den", "da", Status::Missing, true),
            (None, Source, "Åbn den", "da", Status::Missing, true),
            (
                Some(TranslationState::Outdated),
                Show,
                "Open it",
                "en",
                Status::Outdated,
                false,
            ),
            (
                Some(TranslationState::Outdated),
                Source,
                "Åbn den",
                "da",
                Status::Outdated,
                true,
            ),
            (
                Some(TranslationState::Unpinned),
                Source,
                "Open it",
                "en",
                Status::Unpinned,
                false,
            ),
            (
                Some(TranslationState::Current),
                Source,
                "Open it",
                "en",
                Status::Current,
                false,
            ),
        ];
        for (state, policy, shown, lang, status, fallback) in cases {
            let text = text(state);
            let resolved = resolve(&text, "en", "da", policy);
            assert_eq!(
                (resolved.text, resolved.lang, resolved.status),
                (shown, lang, status)
            );
            assert_eq!(resolved.fallback(), fallback, "{state:?} {policy:?}");
            let source = resolve(&text, "da", "da", policy);
            assert_eq!((source.status, source.fallback()), (Status::Source, false));
        }
    }

    #[test]
    fn a_fallback_is_reported_at_the_translation_when_there_is_one() {
        assert_eq!(origin(&text(None), "en").span.line, 1);
        assert_eq!(
            origin(&text(Some(TranslationState::Outdated)), "en")
                .span
                .line,
            2
        );
        let fallback = Fallback {
            guide: "demo".into(),
            slot: Slot::Step(3, crate::slot::StepField::Action),
            status: Status::Outdated,
            shown_in_source: false,
            origin: at(2),
        };
        let warning = fallback.diagnostic("en", Severity::Warning);
        assert_eq!(warning.severity, Severity::Warning);
        assert!(
            warning
                .message
                .starts_with("`step.3.action` has an outdated `en` translation")
        );
        assert!(warning.message.ends_with("it is still shown"));
        assert!(warning.hint.unwrap().contains("--lang en --guide demo"));
        let error = Fallback {
            status: Status::Missing,
            shown_in_source: true,
            ..fallback
        }
        .diagnostic("en", Severity::Error);
        assert_eq!(
            (error.severity, error.message.as_str(), error.span.line),
            (
                Severity::Error,
                "`step.3.action` has no `en` translation",
                2
            )
        );
    }
}
