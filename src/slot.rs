//! Model stage: the translatable places of a guide — one registry of them, each a typed [`Slot`] with
//! one textual form (`title`, `section.2.intro`, `step.3.action`).
//!
//! PO contexts, editing guide.yaml in place, status tables, notes for translators and fallback reports
//! all name texts through it. A step's fields are listed once, in the table behind [`StepField`]: a new
//! field is one entry there, and every use of the list — model, guide.yaml as written, validation's
//! callouts, descriptions — follows.

use std::fmt;
use std::str::FromStr;

use serde_saphyr::{Location, Spanned};

use crate::input::{self, GuideFile, ScreenshotInput, StepInput};
use crate::model::{self, CalloutKind, Text};

/// A translatable place of a guide. Numbers count from 1 as readers see them: sections in the guide,
/// steps across the whole guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    Title,
    Summary,
    /// The title of the guide's own video.
    VideoTitle,
    SectionTitle(usize),
    SectionIntro(usize),
    /// The title of a section's video.
    SectionVideoTitle(usize),
    Step(usize, StepField),
    /// The label of a callout on a step's screenshot: step, then callout, each from 1.
    CalloutLabel(usize, usize),
    /// A field of a step's variant for one platform (`variants: {ios: {action: …}}`).
    VariantStep(usize, PlatformKey, StepField),
    /// The label of a callout on a variant's own screenshot: step, platform, callout.
    VariantCalloutLabel(usize, PlatformKey, usize),
}

/// A platform id inside a [`Slot`], which is `Copy`: ids are short (validation refuses longer ones).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlatformKey {
    bytes: [u8; PlatformKey::MAX],
    len: u8,
}

impl PlatformKey {
    /// The longest platform id.
    pub const MAX: usize = 24;

    /// The key of `id`, cut to [`PlatformKey::MAX`] bytes (validation refuses a longer id first).
    pub fn new(id: &str) -> PlatformKey {
        let mut bytes = [0; PlatformKey::MAX];
        let mut len = 0;
        for (slot, byte) in bytes.iter_mut().zip(id.bytes()) {
            *slot = byte;
            len += 1;
        }
        PlatformKey { bytes, len }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A translatable field of a step. Everything about one is in its entry of the registry's table, `STEP_FIELDS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepField {
    Action,
    Alt,
    Result,
    Note,
    Tip,
    Warning,
    /// The title of the step's video.
    VideoTitle,
}

/// What the registry knows of one step field.
struct FieldEntry {
    field: StepField,
    /// Its part of the textual form: `step.3.<name>`.
    name: &'static str,
    /// Its key in guide.yaml (in the step, or in the map of the step it is in: `alt` in `screenshot`).
    key: &'static str,
    /// What it is, for translators; " (Markdown)" is added for Markdown fields.
    what: &'static str,
    markdown: bool,
    /// The box it is shown in, for the fields shown as a callout.
    callout: Option<CalloutKind>,
    in_model: fn(&model::Step) -> Option<&Text>,
    as_written: fn(&StepInput) -> Option<&Spanned<input::Text>>,
}

/// Every translatable field of a step, in reading order, each at the index of its [`StepField`].
const STEP_FIELDS: [FieldEntry; 7] = [
    FieldEntry {
        field: StepField::Action,
        name: "action",
        key: "action",
        what: "what the reader does",
        markdown: true,
        callout: None,
        in_model: |step| Some(&step.action),
        as_written: |step| step.action.as_ref(),
    },
    FieldEntry {
        field: StepField::Alt,
        name: "alt",
        key: "alt",
        what: "the screenshot's alt text: what the picture shows",
        markdown: false,
        callout: None,
        in_model: |step| step.screenshot.as_ref()?.alt.as_ref(),
        as_written: |step| match &step.screenshot.as_ref()?.value {
            ScreenshotInput::Full(full) => full.alt.as_ref(),
            ScreenshotInput::Path(_) => None,
        },
    },
    FieldEntry {
        field: StepField::Result,
        name: "result",
        key: "result",
        what: "what the reader should see then",
        markdown: true,
        callout: None,
        in_model: |step| step.result.as_ref(),
        as_written: |step| step.result.as_ref(),
    },
    FieldEntry {
        field: StepField::Note,
        name: "note",
        key: "note",
        what: "a note",
        markdown: true,
        callout: Some(CalloutKind::Note),
        in_model: |step| step.callout(CalloutKind::Note),
        as_written: |step| step.note.as_ref(),
    },
    FieldEntry {
        field: StepField::Tip,
        name: "tip",
        key: "tip",
        what: "a tip",
        markdown: true,
        callout: Some(CalloutKind::Tip),
        in_model: |step| step.callout(CalloutKind::Tip),
        as_written: |step| step.tip.as_ref(),
    },
    FieldEntry {
        field: StepField::Warning,
        name: "warning",
        key: "warning",
        what: "a warning",
        markdown: true,
        callout: Some(CalloutKind::Warning),
        in_model: |step| step.callout(CalloutKind::Warning),
        as_written: |step| step.warning.as_ref(),
    },
    FieldEntry {
        field: StepField::VideoTitle,
        name: "video.title",
        key: "title",
        what: "the title of the step's video",
        markdown: false,
        callout: None,
        in_model: |step| step.video.as_ref().map(|video| &video.title),
        as_written: |step| step.video.as_ref()?.value.title.as_ref(),
    },
];

impl StepField {
    /// Every step field, in reading order (the table's order).
    pub const ALL: [StepField; STEP_FIELDS.len()] = {
        let mut all = [StepField::Action; STEP_FIELDS.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = STEP_FIELDS[i].field;
            i += 1;
        }
        all
    };

    fn entry(self) -> &'static FieldEntry {
        &STEP_FIELDS[self as usize]
    }

    /// Its name in the textual form: `action`, `alt`, `video.title`, …
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The key it is written under in guide.yaml: `action`, `alt`, `title` (in `video:`), …
    pub fn key(self) -> &'static str {
        self.entry().key
    }

    pub fn from_name(name: &str) -> Option<StepField> {
        StepField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What it is, for translators: "what the reader does (Markdown)".
    pub fn description(self) -> String {
        let what = self.entry().what;
        if self.is_markdown() {
            format!("{what} (Markdown)")
        } else {
            what.to_owned()
        }
    }

    /// Markdown, or plain text.
    pub fn is_markdown(self) -> bool {
        self.entry().markdown
    }

    /// The callout box it is shown in, if it is one.
    pub fn callout(self) -> Option<CalloutKind> {
        self.entry().callout
    }

    /// Its text in a validated step, where the step has it.
    pub fn in_model(self, step: &model::Step) -> Option<&Text> {
        (self.entry().in_model)(step)
    }

    /// Its text as written in guide.yaml, where the step has it.
    pub fn as_written(self, step: &StepInput) -> Option<&Spanned<input::Text>> {
        (self.entry().as_written)(step)
    }
}

impl fmt::Display for StepField {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Slot {
    /// How its text is used, for the checks it gets (Markdown, plain, or an alt text only read out).
    pub fn text_kind(self) -> crate::textcheck::TextKind {
        use crate::textcheck::TextKind;
        match self {
            Slot::Summary | Slot::SectionIntro(_) => TextKind::Markdown,
            Slot::Title | Slot::SectionTitle(_) => TextKind::Plain,
            Slot::VideoTitle | Slot::SectionVideoTitle(_) => TextKind::Plain,
            Slot::CalloutLabel(..) | Slot::VariantCalloutLabel(..) => TextKind::Plain,
            Slot::Step(_, StepField::Alt) | Slot::VariantStep(_, _, StepField::Alt) => {
                TextKind::Unseen
            }
            Slot::Step(_, field) | Slot::VariantStep(_, _, field) if field.is_markdown() => {
                TextKind::Markdown
            }
            Slot::Step(..) | Slot::VariantStep(..) => TextKind::Plain,
        }
    }

    /// The key the text is written under in guide.yaml: `title`, `intro`, `action`, …
    pub fn key(self) -> &'static str {
        match self {
            Slot::Title | Slot::SectionTitle(_) => "title",
            Slot::VideoTitle | Slot::SectionVideoTitle(_) => "title",
            Slot::Summary => "summary",
            Slot::SectionIntro(_) => "intro",
            Slot::Step(_, field) | Slot::VariantStep(_, _, field) => field.key(),
            Slot::CalloutLabel(..) | Slot::VariantCalloutLabel(..) => "label",
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Slot::Title => f.write_str("title"),
            Slot::Summary => f.write_str("summary"),
            Slot::VideoTitle => f.write_str("video.title"),
            Slot::SectionTitle(n) => write!(f, "section.{n}.title"),
            Slot::SectionIntro(n) => write!(f, "section.{n}.intro"),
            Slot::SectionVideoTitle(n) => write!(f, "section.{n}.video.title"),
            Slot::Step(n, field) => write!(f, "step.{n}.{field}"),
            Slot::CalloutLabel(n, m) => write!(f, "step.{n}.callout.{m}"),
            Slot::VariantStep(n, p, field) => write!(f, "step.{n}.variants.{}.{field}", p.as_str()),
            Slot::VariantCalloutLabel(n, p, m) => {
                write!(f, "step.{n}.variants.{}.callout.{m}", p.as_str())
            }
        }
    }
}

/// A name that is no slot's textual form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSlot(pub String);

impl fmt::Display for UnknownSlot {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "`{}` names no text of a guide", self.0)
    }
}

impl std::error::Error for UnknownSlot {}

impl FromStr for Slot {
    type Err = UnknownSlot;

    /// Exactly the forms [`Slot`]'s `Display` writes: `step.03.action` or `step.+3.action` are not
    /// another name for `step.3.action`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = name.split('.').collect();
        let slot = match parts.as_slice() {
            ["title"] => Some(Slot::Title),
            ["summary"] => Some(Slot::Summary),
            ["video", "title"] => Some(Slot::VideoTitle),
            ["section", n, "title"] => number(n).map(Slot::SectionTitle),
            ["section", n, "intro"] => number(n).map(Slot::SectionIntro),
            ["section", n, "video", "title"] => number(n).map(Slot::SectionVideoTitle),
            // Before the general step field, which would take `callout.<m>` for a field's name.
            ["step", n, "variants", p, "callout", m] if platform_id(p) => number(n)
                .zip(number(m))
                .map(|(n, m)| Slot::VariantCalloutLabel(n, PlatformKey::new(p), m)),
            ["step", n, "variants", p, field @ ..] if platform_id(p) && !field.is_empty() => {
                number(n)
                    .zip(StepField::from_name(&field.join(".")))
                    .filter(|(_, field)| *field != StepField::VideoTitle)
                    .map(|(n, field)| Slot::VariantStep(n, PlatformKey::new(p), field))
            }
            ["step", n, "callout", m] => number(n)
                .zip(number(m))
                .map(|(n, m)| Slot::CalloutLabel(n, m)),
            ["step", n, field @ ..] if !field.is_empty() => number(n)
                .zip(StepField::from_name(&field.join(".")))
                .map(|(n, field)| Slot::Step(n, field)),
            _ => None,
        };
        slot.ok_or_else(|| UnknownSlot(name.to_owned()))
    }
}

/// A platform id a [`PlatformKey`] holds whole.
fn platform_id(id: &str) -> bool {
    id.len() <= PlatformKey::MAX && crate::validate::is_id(id)
}

/// A number as `Display` writes it: digits, no leading zero, from 1.
fn number(digits: &str) -> Option<usize> {
    let canonical = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    canonical.then(|| digits.parse().ok()).flatten()
}

/// A translatable text as written in guide.yaml.
#[derive(Debug, Clone)]
pub struct Written<'a> {
    pub slot: Slot,
    pub text: &'a Spanned<input::Text>,
    /// The collections written around its section or step, outermost first: the list of sections,
    /// the section, the list of steps, the step, the step's screenshot and video (which hold its
    /// `alt` and its video's `title`), and for a callout's label the screenshot's list of callouts
    /// and the callout. Editing in place must know whether one that holds the text is in flow style
    /// (`{…}`).
    pub around: Vec<Location>,
}

/// Every translatable text of a guide file as written, in reading order: the same slots, in the same
/// order, as [`model::Guide::slots`] gives for the validated guide.
pub fn written(file: &GuideFile) -> Vec<Written<'_>> {
    let mut out = Vec::new();
    push_written(&mut out, Slot::Title, file.title.as_ref(), &[]);
    push_written(&mut out, Slot::Summary, file.summary.as_ref(), &[]);
    if let Some(video) = &file.video {
        push_written(
            &mut out,
            Slot::VideoTitle,
            video.value.title.as_ref(),
            &[video.referenced],
        );
    }
    let mut number = 0;
    // Validation refuses a file with both `sections` and `steps`; as there, `sections` is read.
    match (&file.sections, &file.steps) {
        (Some(sections), _) => {
            for (i, section) in sections.value.iter().enumerate() {
                let around = [sections.referenced, section.referenced];
                let written = &section.value;
                push_written(
                    &mut out,
                    Slot::SectionTitle(i + 1),
                    written.title.as_ref(),
                    &around,
                );
                push_written(
                    &mut out,
                    Slot::SectionIntro(i + 1),
                    written.intro.as_ref(),
                    &around,
                );
                if let Some(video) = &written.video {
                    push_written(
                        &mut out,
                        Slot::SectionVideoTitle(i + 1),
                        video.value.title.as_ref(),
                        &[sections.referenced, section.referenced, video.referenced],
                    );
                }
                if let Some(steps) = &written.steps {
                    written_steps(&mut out, steps, &around, &mut number);
                }
            }
        }
        (None, Some(steps)) => written_steps(&mut out, steps, &[], &mut number),
        (None, None) => {}
    }
    out
}

fn push_written<'a>(
    out: &mut Vec<Written<'a>>,
    slot: Slot,
    text: Option<&'a Spanned<input::Text>>,
    around: &[Location],
) {
    if let Some(text) = text {
        out.push(Written {
            slot,
            text,
            around: around.to_vec(),
        });
    }
}

/// The texts of a list of steps, numbering them on from `number`.
fn written_steps<'a>(
    out: &mut Vec<Written<'a>>,
    steps: &'a Spanned<Vec<Spanned<StepInput>>>,
    around: &[Location],
    number: &mut usize,
) {
    for step in &steps.value {
        *number += 1;
        let mut around = around.to_vec();
        around.extend([steps.referenced, step.referenced]);
        around.extend(step.value.screenshot.as_ref().map(|shot| shot.referenced));
        around.extend(step.value.video.as_ref().map(|video| video.referenced));
        for field in StepField::ALL {
            let text = field.as_written(&step.value);
            push_written(out, Slot::Step(*number, field), text, &around);
            // A screenshot's callouts are read after what it shows.
            if field == StepField::Alt {
                written_callout_labels(out, &step.value, &around, *number);
            }
        }
        written_variants(out, &step.value, &around, *number);
    }
}

/// The texts of a step's variants, as written: platforms in the order written, each as a step.
fn written_variants<'a>(
    out: &mut Vec<Written<'a>>,
    step: &'a StepInput,
    around: &[Location],
    number: usize,
) {
    let Some(variants) = &step.variants else {
        return;
    };
    for (platform, variant) in &variants.value {
        let key = PlatformKey::new(platform);
        let mut around = around.to_vec();
        around.extend([variants.referenced, variant.referenced]);
        around.extend(
            variant
                .value
                .screenshot
                .as_ref()
                .map(|shot| shot.referenced),
        );
        let start = out.len();
        for field in StepField::ALL {
            let text = field.as_written(&variant.value);
            push_written(out, Slot::VariantStep(number, key, field), text, &around);
            if field == StepField::Alt {
                written_callout_labels(out, &variant.value, &around, number);
            }
        }
        for written in &mut out[start..] {
            if let Slot::CalloutLabel(n, m) = written.slot {
                written.slot = Slot::VariantCalloutLabel(n, key, m);
            }
        }
    }
}

/// The labels of the callouts on a step's screenshot, as written.
fn written_callout_labels<'a>(
    out: &mut Vec<Written<'a>>,
    step: &'a StepInput,
    around: &[Location],
    number: usize,
) {
    let Some(ScreenshotInput::Full(full)) = step.screenshot.as_ref().map(|s| &s.value) else {
        return;
    };
    let Some(callouts) = &full.callouts else {
        return;
    };
    for (i, callout) in callouts.value.iter().enumerate() {
        let mut around = around.to_vec();
        around.extend([callouts.referenced, callout.referenced]);
        push_written(
            out,
            Slot::CalloutLabel(number, i + 1),
            callout.value.label.as_ref(),
            &around,
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::input::{CalloutInput, ScreenshotFull, SectionInput, VideoInput};

    #[test]
    fn textual_forms_read_back_as_the_same_slot() {
        let mut slots = vec![
            Slot::Title,
            Slot::Summary,
            Slot::VideoTitle,
            Slot::SectionTitle(1),
            Slot::SectionIntro(12),
            Slot::SectionVideoTitle(2),
        ];
        slots.extend(StepField::ALL.map(|field| Slot::Step(3, field)));
        slots.push(Slot::CalloutLabel(3, 12));
        slots.push(Slot::VariantStep(
            2,
            PlatformKey::new("ios"),
            StepField::Alt,
        ));
        slots.push(Slot::VariantCalloutLabel(
            2,
            PlatformKey::new("android-tv"),
            3,
        ));
        for slot in slots {
            assert_eq!(slot.to_string().parse(), Ok(slot), "{slot}");
        }
        assert_eq!(
            Slot::Step(3, StepField::Action).to_string(),
            "step.3.action"
        );
        assert_eq!(Slot::SectionIntro(2).to_string(), "section.2.intro");
        assert_eq!(
            Slot::Step(4, StepField::VideoTitle).to_string(),
            "step.4.video.title"
        );
        assert_eq!(Slot::Step(4, StepField::VideoTitle).key(), "title");
        assert_eq!("step.12.alt".parse(), Ok(Slot::Step(12, StepField::Alt)));
        assert_eq!("step.2.callout.1".parse(), Ok(Slot::CalloutLabel(2, 1)));
        for other in [
            "",
            "titles",
            "title.1",
            "step.3",
            "step.3.device",
            "step.0.action",
            "step.03.action",
            "step.+3.action",
            "step.-3.action",
            "section.1.steps",
            "section..title",
            "step.3.action.",
            "step.3.callout",
            "step.3.callout.0",
            "step.3.callout.01",
            "Step.3.action",
            "step.3.video",
            "step.3.video.",
            "video",
            "section.1.video",
            "step.3.variants.ios",
            "step.3.variants.ios.video.title",
            "step.3.variants.IOS.action",
            "step.3.variants..action",
        ] {
            assert!(other.parse::<Slot>().is_err(), "{other:?}");
        }
    }

    #[test]
    fn the_table_has_each_field_once_at_its_place() {
        for (i, entry) in STEP_FIELDS.iter().enumerate() {
            assert_eq!(entry.field as usize, i, "{}", entry.name);
            assert_eq!(StepField::from_name(entry.name), Some(entry.field));
            // A callout's box is named as its field.
            if let Some(kind) = entry.callout {
                assert_eq!(kind.key(), entry.name);
            }
        }
        assert_eq!(
            StepField::Action.description(),
            "what the reader does (Markdown)"
        );
        assert_eq!(
            StepField::Alt.description(),
            "the screenshot's alt text: what the picture shows"
        );
    }

    /// Every translatable text of a guide file, found by taking each input struct apart without `..`:
    /// a field added to one of them stops this from compiling until the test (and so the registry)
    /// takes it into account. `None` for a field the file leaves out.
    fn every_text(file: &GuideFile) -> Vec<Option<&Spanned<input::Text>>> {
        let GuideFile {
            title,
            summary,
            sections,
            steps,
            video,
            aliases: _,
            // Language codes, not a text.
            languages: _,
            // A date, not a text.
            updated: _,
        } = file;
        let mut out = vec![title.as_ref(), summary.as_ref(), video_title(video)];
        for section in sections.iter().flat_map(|s| &s.value) {
            let SectionInput {
                title,
                intro,
                steps,
                video,
                only: _,
            } = &section.value;
            out.extend([title.as_ref(), intro.as_ref(), video_title(video)]);
            out.extend(steps.iter().flat_map(|s| &s.value).flat_map(step_texts));
        }
        out.extend(steps.iter().flat_map(|s| &s.value).flat_map(step_texts));
        out
    }

    fn video_title(video: &Option<Spanned<VideoInput>>) -> Option<&Spanned<input::Text>> {
        let VideoInput {
            title,
            status: _,
            src: _,
            url: _,
            poster: _,
            captions: _,
        } = &video.as_ref()?.value;
        title.as_ref()
    }

    fn step_texts(step: &Spanned<StepInput>) -> Vec<Option<&Spanned<input::Text>>> {
        let StepInput {
            device: _,
            action,
            screenshot,
            app: _,
            result,
            note,
            tip,
            warning,
            video,
            only: _,
            variants,
            // Names another file, whose texts are its own.
            snippet: _,
        } = &step.value;
        let full = screenshot.as_ref().and_then(|shot| match &shot.value {
            ScreenshotInput::Full(full) => Some(full),
            ScreenshotInput::Path(_) => None,
        });
        let mut labels = Vec::new();
        let alt = full.and_then(|full| {
            let ScreenshotFull {
                src: _,
                alt,
                callouts,
                redact: _,
                // A language's own callouts have no labels: validation refuses them.
                localized: _,
            } = &**full;
            for callout in callouts.iter().flat_map(|c| &c.value) {
                let CalloutInput {
                    rect: _,
                    ring: _,
                    arrow: _,
                    from: _,
                    marker: _,
                    label,
                } = &callout.value;
                labels.push(label.as_ref());
            }
            alt.as_ref()
        });
        let mut out = vec![action.as_ref(), alt];
        out.extend(labels);
        out.extend([
            result.as_ref(),
            note.as_ref(),
            tip.as_ref(),
            warning.as_ref(),
            video_title(video),
        ]);
        for variant in variants.iter().flat_map(|v| v.value.values()) {
            out.extend(step_texts(variant));
        }
        out
    }

    /// A guide that sets every translatable field, each to `M <its slot>`, in block and flow style.
    const EVERY_FIELD: &str = "\
title: M title
summary: M summary
video: {status: planned, title: M video.title}
sections:
  - title: M section.1.title
    intro: M section.1.intro
    video:
      title: M section.1.video.title
      status: planned
    steps:
      - device: computer
        action: M step.1.action
        screenshot:
          src: shot.svg
          alt: M step.1.alt
          callouts:
            - {box: [1, 1, 10, 10], label: M step.1.callout.1}
            - marker: [5, 5]
            - arrow: [20, 20]
              label: M step.1.callout.3
        result: M step.1.result
        note: M step.1.note
        tip: M step.1.tip
        warning: M step.1.warning
        video: {title: M step.1.video.title, status: planned}
        variants:
          macos:
            note: M step.1.variants.macos.note
            screenshot:
              src: shot.svg
              alt: M step.1.variants.macos.alt
              callouts: [{marker: [5, 5], label: M step.1.variants.macos.callout.1}]
            action: M step.1.variants.macos.action
  - {title: M section.2.title, intro: M section.2.intro, steps: [{action: M step.2.action}]}
  - title: M section.3.title
    intro: M section.3.intro
    steps:
      - warning: M step.3.warning
        tip: M step.3.tip
        note: M step.3.note
        result: M step.3.result
        screenshot:
          callouts: [{label: M step.3.callout.1, ring: [0, 0, 40, 30]}]
          alt: M step.3.alt
          src: shot.svg
        video:
          status: planned
          title: M step.3.video.title
        action: M step.3.action
";

    fn plain(text: &input::Text) -> &str {
        match text {
            input::Text::Plain(s) => s,
            input::Text::Localized(_) => panic!("the test guide's texts are plain"),
        }
    }

    /// Each text's slot, as its marker says, in reading order.
    fn marked(texts: impl IntoIterator<Item = String>) -> Vec<(Slot, String)> {
        texts
            .into_iter()
            .map(|text| {
                let slot = text.strip_prefix("M ").unwrap().parse().unwrap();
                (slot, text)
            })
            .collect()
    }

    #[test]
    fn every_text_field_of_a_guide_is_one_slot_exactly_once() {
        let file: GuideFile =
            crate::load::parse_yaml(Path::new("guide.yaml"), EVERY_FIELD).unwrap();
        let texts = every_text(&file);
        // Every field is set, in steps 1 and 3; step 2 has its action only; sections 2 and 3 have
        // no video; callout 2 of step 1 has no label.
        let left_out = texts.iter().filter(|t| t.is_none()).count();
        // The variant sets its action, screenshot (alt, one label) and note only.
        assert_eq!(left_out, StepField::ALL.len() - 1 + 2 + 1 + 4);
        let expected = marked(
            texts
                .into_iter()
                .flatten()
                .map(|t| plain(&t.value).to_owned()),
        );
        assert_eq!(
            expected.len(),
            3 + 6 + 1 + 2 * StepField::ALL.len() + 1 + 3 + 4
        );

        // As written, in reading order, each under its own key.
        let written: Vec<(Slot, String)> = written(&file)
            .iter()
            .map(|w| (w.slot, plain(&w.text.value).to_owned()))
            .collect();
        assert_eq!(written, expected);
        for (slot, text) in &written {
            assert!(
                EVERY_FIELD.contains(&format!("{}: {text}", slot.key())),
                "{slot}"
            );
        }
        let located = crate::i18n::yaml::locate(EVERY_FIELD).unwrap();
        let names: Vec<Slot> = located.iter().map(|l| l.name).collect();
        let slots: Vec<Slot> = expected.iter().map(|(slot, _)| *slot).collect();
        assert_eq!(names, slots);

        // In the model, through validation.
        let site = tempfile::tempdir().unwrap();
        let guide = site.path().join("guides/every");
        std::fs::create_dir_all(&guide).unwrap();
        std::fs::write(
            site.path().join("guidegen.yaml"),
            "title: T\nlanguages: [da, en]\n",
        )
        .unwrap();
        std::fs::write(guide.join("guide.yaml"), EVERY_FIELD).unwrap();
        std::fs::write(
            guide.join("shot.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>"#,
        )
        .unwrap();
        let checked = crate::build::check(site.path());
        let messages: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        let model = checked.site.unwrap_or_else(|| panic!("{messages:?}"));
        let in_model: Vec<(Slot, String)> = model.guides[0]
            .slots()
            .into_iter()
            .map(|(slot, text)| (slot, text.source.clone()))
            .collect();
        assert_eq!(in_model, expected);
    }

    #[test]
    fn steps_without_sections_are_numbered_through() {
        let source =
            "title: T\nsteps:\n  - action: a\n  - {action: b, screenshot: {src: x.png, alt: c}}\n";
        let file: GuideFile = crate::load::parse_yaml(Path::new("guide.yaml"), source).unwrap();
        let slots: Vec<String> = written(&file).iter().map(|w| w.slot.to_string()).collect();
        assert_eq!(
            slots,
            ["title", "step.1.action", "step.2.action", "step.2.alt"]
        );
    }
}
