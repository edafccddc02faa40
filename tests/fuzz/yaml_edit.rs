//! Target `yaml_edit`: the in-place edits of `guidegen i18n confirm` and `import` (`yaml::pin`,
//! `yaml::set`, `yaml::apply`) on any guide, with any translation. Properties: an edit the functions
//! make leaves a file that parses as a guide, in which the edited translation reads back exactly as
//! set, every other text is unchanged, and every comment is still there; an edit they refuse leaves
//! the file as it was. Now and then the same runs end to end: `confirm` and `import` on a site on
//! disk, where a refused or failed edit must leave guide.yaml byte for byte as it was.

use std::collections::BTreeMap;
use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};
use guidegen::i18n::yaml::{self, Snapshot};
use guidegen::input::{GuideFile, ScreenshotInput, StepInput, Text};
use serde_saphyr::Spanned;

use crate::corpus::{corpus, mutate_once};
use crate::driver::{InputContext, Target, join_parts, split_parts};
use crate::guide_spec::{Content, Fingerprint};
use crate::site::TempSite;
use crate::site_loader::structured_guide;

pub const TARGET: Target = Target {
    name: "yaml_edit",
    inputs_per_round: 40,
    generate,
    run,
};

/// The site's source language, as in the test sites.
const SOURCE_LANG: &str = "da";

/// One input in this many also runs `confirm` and `import` on a site on disk.
const END_TO_END_EVERY: u64 = 4;

fn generate(cx: &mut InputContext) -> Vec<u8> {
    let rng = &mut cx.rng;
    let guides = &corpus().guides;
    let guide = match rng.below(4) {
        0 => rng.pick(guides).clone(),
        1 => {
            // One mutation only: most of these still parse, and edits need a guide that does.
            let mut guide = rng.pick(guides).clone();
            mutate_once(rng, &mut guide, guides);
            guide
        }
        _ => structured_guide(rng).into_bytes(),
    };
    let edits = rng.bytes(16, 512);
    if cx.n.is_multiple_of(END_TO_END_EVERY) {
        join_parts(&[&guide, &edits, b"end-to-end"])
    } else {
        join_parts(&[&guide, &edits])
    }
}

#[derive(Arbitrary, Debug)]
struct EditOp {
    /// Which text, by its index among the file's texts.
    text: u8,
    pin: bool,
    lang: TargetLang,
    translation: Content,
    fingerprint: Fingerprint,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum TargetLang {
    En,
    De,
    PtBr,
}

impl TargetLang {
    fn code(self) -> &'static str {
        match self {
            TargetLang::En => "en",
            TargetLang::De => "de",
            TargetLang::PtBr => "pt-BR",
        }
    }
}

fn run(data: &[u8]) {
    let parts = split_parts(data);
    let (Some(guide), Some(edits)) = (parts.first(), parts.get(1)) else {
        return;
    };
    let Ok(original) = std::str::from_utf8(guide) else {
        return;
    };
    let mut u = Unstructured::new(edits);
    let ops: Vec<EditOp> = (0..8)
        .map_while(|_| EditOp::arbitrary(&mut u).ok())
        .collect();
    edit_in_memory(original, &ops);
    if parts.get(2) == Some(&&b"end-to-end"[..]) {
        edit_on_disk(guide, &ops);
    }
}

/// The edits as `FileEdit` in i18n/mod.rs makes them, each checked at once.
fn edit_in_memory(original: &str, ops: &[EditOp]) {
    let Ok(located) = yaml::locate(original) else {
        return;
    };
    if located.is_empty() || has_empty_language(original) {
        return;
    }
    let mut expected = yaml::snapshot(&located);
    let mut current = original.to_owned();
    for op in ops {
        let located = yaml::locate(&current).expect("checked after the last edit");
        let text = &located[usize::from(op.text) % located.len()];
        let lang = op.lang.code();
        let fingerprint = op.fingerprint.text();
        let translation = op.translation.text();
        let edits = if op.pin {
            yaml::pin(&current, text, lang, &fingerprint)
        } else {
            yaml::set(
                &current,
                text,
                SOURCE_LANG,
                lang,
                &translation,
                &fingerprint,
            )
        };
        // A refused edit leaves the file as it is: nothing to check.
        let Ok(edits) = edits else { continue };
        let Ok(edited) = yaml::apply(&current, edits) else {
            continue;
        };
        let mut meant = expected.clone();
        let entries = meant.entry(text.name.to_owned()).or_default();
        if op.pin {
            if let Some(entry) = entries.get_mut(lang) {
                entry.1 = Some(fingerprint.clone());
            }
        } else {
            if let Some(plain) = entries.remove("") {
                entries.insert(SOURCE_LANG.to_owned(), plain);
            }
            entries.insert(lang.to_owned(), (translation, Some(fingerprint)));
        }
        let what = if op.pin { "pin" } else { "set" };
        check_edit(
            original,
            &edited,
            &meant,
            &format!("{what} {lang} of `{}`", text.name),
        );
        current = edited;
        expected = meant;
    }
}

/// Whether a text of the guide has the empty string for a language: `yaml::snapshot` files a plain
/// text under that key too, so what an edit should leave cannot be told. No valid guide has one
/// (validation rejects the language), and `confirm` and `import` edit valid guides only.
fn has_empty_language(source: &str) -> bool {
    let Ok(guide) = guidegen::load::parse_yaml::<GuideFile>(Path::new("guide.yaml"), source) else {
        return false;
    };
    texts_of(&guide).into_iter().any(|text| match &text.value {
        Text::Localized(entries) => entries.iter().any(|(lang, _)| lang.value.is_empty()),
        Text::Plain(_) => false,
    })
}

/// Every text of a guide, as written.
fn texts_of(guide: &GuideFile) -> Vec<&Spanned<Text>> {
    let mut texts: Vec<&Spanned<Text>> = guide.title.iter().chain(&guide.summary).collect();
    let mut steps: Vec<&Spanned<StepInput>> = guide.steps.iter().flat_map(|s| &s.value).collect();
    for section in guide.sections.iter().flat_map(|s| &s.value) {
        texts.extend(section.value.title.iter().chain(&section.value.intro));
        steps.extend(section.value.steps.iter().flat_map(|s| &s.value));
    }
    for step in steps {
        let step = &step.value;
        texts.extend(
            step.action
                .iter()
                .chain(&step.result)
                .chain(&step.note)
                .chain(&step.tip)
                .chain(&step.warning),
        );
        if let Some(shot) = &step.screenshot
            && let ScreenshotInput::Full(full) = &shot.value
        {
            texts.extend(&full.alt);
        }
    }
    texts
}

/// The edited file parses as a guide, says what was meant, and kept the original's comments.
fn check_edit(original: &str, edited: &str, meant: &Snapshot, what: &str) {
    let shown = || format!("{what}\n--- before:\n{original}\n--- after:\n{edited}");
    if let Err(d) = guidegen::load::parse_yaml::<GuideFile>(Path::new("guide.yaml"), edited) {
        panic!("the edited file does not parse: {}\n{}", d.message, shown());
    }
    let located = yaml::locate(edited).unwrap_or_else(|e| panic!("{e}\n{}", shown()));
    let got = yaml::snapshot(&located);
    if &got != meant {
        let differs: Vec<_> = meant
            .iter()
            .filter(|(name, texts)| got.get(*name) != Some(texts))
            .map(|(name, texts)| format!("{name}: meant {texts:?}, got {:?}", got.get(name)))
            .collect();
        panic!(
            "the edited file reads differently: {differs:#?}\n{}",
            shown()
        );
    }
    for comment in comments(original, meant) {
        assert!(
            edited.matches(&comment).count() >= original.matches(&comment).count(),
            "the comment {comment:?} is gone\n{}",
            shown()
        );
    }
}

/// The comments of a file: lines that start with `#` and are no line of any text, and every
/// comment `# keep-N` the structured guides write.
fn comments(source: &str, texts: &Snapshot) -> Vec<String> {
    let in_texts = |line: &str| {
        texts
            .values()
            .flat_map(BTreeMap::values)
            .any(|(text, _)| text.lines().any(|l| l.trim() == line))
    };
    let mut found: Vec<String> = source
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#') && !in_texts(l))
        .map(str::to_owned)
        .collect();
    found.extend(source.match_indices("# keep-").map(|(at, _)| {
        let end = source[at + 2..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(source.len(), |i| at + 2 + i);
        source[at..end].to_owned()
    }));
    found.sort();
    found.dedup();
    found
}

thread_local! {
    static SITE: TempSite = TempSite::new(1);
}

/// `guidegen i18n confirm`, then `import` of a PO file with the ops' translations, on a site on
/// disk: a command that fails leaves guide.yaml as it was; one that succeeds leaves a valid site.
fn edit_on_disk(guide: &[u8], ops: &[EditOp]) {
    SITE.with(|site| {
        site.set_guide(1, Some(guide));
        let Some(model) = guidegen::build::check(&site.root()).site else {
            return;
        };
        let file = site.guide_dir(1).join("guide.yaml");
        let before = std::fs::read(&file).expect("guide.yaml");
        let outcome = guidegen::i18n::confirm(&guidegen::i18n::ConfirmOptions {
            site_dir: site.root(),
            languages: Vec::new(),
            guides: Vec::new(),
            untracked_only: false,
        });
        let said = messages(&outcome.diagnostics);
        after_command(
            "confirm",
            outcome.result.is_ok(),
            &said,
            &before,
            &file,
            site,
        );

        let Some(guide) = model.guides.first() else {
            return;
        };
        let mut catalog = guidegen::i18n::po_catalog(&model, guide, "en");
        for (entry, op) in catalog.entries.iter_mut().zip(ops) {
            entry.msgstr = op.translation.text();
            entry.flags.clear();
        }
        let po = site.root().join("en.po");
        std::fs::write(&po, catalog.write()).expect("write the PO file");
        let before = std::fs::read(&file).expect("guide.yaml");
        let outcome = guidegen::i18n::import(&guidegen::i18n::ImportOptions {
            site_dir: site.root(),
            files: vec![po],
            language: None,
        });
        let said = messages(&outcome.diagnostics);
        after_command(
            "import",
            outcome.result.is_ok(),
            &said,
            &before,
            &file,
            site,
        );
        if outcome.result.is_ok() {
            let reported = |name: &str| {
                let quoted = format!("`{name}`");
                outcome
                    .diagnostics
                    .iter()
                    .any(|d| d.message.contains(&quoted))
            };
            let imported: Vec<(String, String)> = catalog
                .entries
                .iter()
                .take(ops.len())
                .filter_map(|e| Some((e.msgctxt.as_deref()?.split_once('|')?.1, &e.msgstr)))
                .filter(|(name, msgstr)| !msgstr.trim().is_empty() && !reported(name))
                .map(|(name, msgstr)| (name.to_owned(), msgstr.clone()))
                .collect();
            translations_read_back(site, &imported);
        }
    });
}

/// After an import: each imported text's `en` translation is the msgstr.
fn translations_read_back(site: &TempSite, imported: &[(String, String)]) {
    let Some(model) = guidegen::build::check(&site.root()).site else {
        return;
    };
    let Some(guide) = model.guides.first() else {
        return;
    };
    let texts: BTreeMap<String, &guidegen::model::Text> = guide.texts().into_iter().collect();
    for (name, msgstr) in imported {
        let Some(text) = texts.get(name) else {
            continue;
        };
        let got = text.translations.get("en").map(|t| t.text.as_str());
        assert_eq!(got, Some(msgstr.as_str()), "the imported `{name}`");
    }
}

fn messages(diagnostics: &[guidegen::diagnostic::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn after_command(command: &str, ok: bool, said: &str, before: &[u8], file: &Path, site: &TempSite) {
    let after = std::fs::read(file).expect("guide.yaml");
    if !ok {
        assert!(
            after == before,
            "a failed {command} changed guide.yaml; it said:\n{said}\n--- before:\n{}\n--- after:\n{}",
            String::from_utf8_lossy(before),
            String::from_utf8_lossy(&after)
        );
        return;
    }
    let checked = guidegen::build::check(&site.root());
    assert!(
        checked.site.is_some(),
        "{command} left an invalid site: {:?}\n--- before:\n{}\n--- after:\n{}",
        checked
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>(),
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(&after)
    );
    let (Ok(before), Ok(after)) = (std::str::from_utf8(before), std::str::from_utf8(&after)) else {
        return;
    };
    if let Ok(located) = yaml::locate(before) {
        for comment in comments(before, &yaml::snapshot(&located)) {
            assert!(
                after.contains(&comment),
                "{command} removed the comment {comment:?}:\n{after}"
            );
        }
    }
}
