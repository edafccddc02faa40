//! Model stage: which text a page shows in a language — the translation, or the source text in its
//! place, and why — decided here once, for the HTML and PDF ([`crate::model::Text::resolve`]),
//! `i18n status`, `check`'s warnings and `build --strict`, so that they agree on what falls back, on
//! the place they report it at, and on the words.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Guide, Origin, Resolved, Site, Status, Text, TranslationState};
use crate::slot::Slot;

/// The text to show of `text` in `lang`, the language it is in, and why.
pub fn resolve<'a>(text: &'a Text, lang: &'a str, source_lang: &'a str) -> Resolved<'a> {
    let source = |status| Resolved {
        text: &text.source,
        lang: source_lang,
        status,
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
        TranslationState::Outdated => return source(Status::Outdated),
    };
    Resolved {
        text: &translation.text,
        lang,
        status,
    }
}

/// Where anything about `text` in `lang` is reported: at the translation's own entry when there is
/// one (an outdated translation is fixed there), else at the text.
pub fn origin<'a>(text: &'a Text, lang: &str) -> &'a Origin {
    text.translations
        .get(lang)
        .map_or(&text.origin, |translation| &translation.origin)
}

/// A text of a guide that a language shows in the source language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The guide's id, for the command in the hint.
    pub guide: String,
    pub slot: Slot,
    /// [`Status::Missing`] or [`Status::Outdated`].
    pub status: Status,
    /// Where it is reported ([`origin`]).
    pub origin: Origin,
}

/// The texts of `guide` that `lang` shows in the source language, in reading order; none for the
/// source language itself.
pub fn fallbacks(site: &Site, guide: &Guide, lang: &str) -> Vec<Fallback> {
    let source = site.source_lang();
    guide
        .slots()
        .into_iter()
        .filter_map(|(slot, text)| {
            let status = resolve(text, lang, source).status;
            status.is_fallback().then(|| Fallback {
                guide: guide.id.clone(),
                slot,
                status,
                origin: origin(text, lang).clone(),
            })
        })
        .collect()
}

impl Fallback {
    /// The report of this fallback in `lang`: a warning for `check`, an error for `build --strict`.
    pub fn diagnostic(&self, lang: &str, severity: Severity) -> Diagnostic {
        let (message, hint) = if self.status == Status::Outdated {
            (
                format!(
                    "`{}` has an outdated `{lang}` translation: the source text changed after it was translated",
                    self.slot
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
                    "translate it in guide.yaml, or with `guidegen i18n export --lang {lang}` and `guidegen i18n import`"
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
        let cases = [
            (None, "Åbn den", "da", Status::Missing),
            (
                Some(TranslationState::Outdated),
                "Åbn den",
                "da",
                Status::Outdated,
            ),
            (
                Some(TranslationState::Unpinned),
                "Open it",
                "en",
                Status::Unpinned,
            ),
            (
                Some(TranslationState::Current),
                "Open it",
                "en",
                Status::Current,
            ),
        ];
        for (state, shown, lang, status) in cases {
            let text = text(state);
            let resolved = resolve(&text, "en", "da");
            assert_eq!(
                (resolved.text, resolved.lang, resolved.status),
                (shown, lang, status)
            );
            assert_eq!(resolved.fallback(), status.is_fallback());
            assert_eq!(resolve(&text, "da", "da").status, Status::Source);
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
            origin: at(2),
        };
        let warning = fallback.diagnostic("en", Severity::Warning);
        assert_eq!(warning.severity, Severity::Warning);
        assert!(
            warning
                .message
                .starts_with("`step.3.action` has an outdated `en` translation")
        );
        assert!(warning.hint.unwrap().contains("--lang en --guide demo"));
        let error = Fallback {
            status: Status::Missing,
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
