//! Load stage: snippets — runs of steps in `snippets/<name>.yaml`, shared by guides — read once per
//! site, and their expansion where a guide names one with `- snippet: <name>`.
//!
//! A snippet file is written like a guide holding only `steps:` (the same schema, the same editing in
//! place by `i18n`). Its screenshots and links are relative to `snippets/`. Its steps keep their own
//! file and location, so that an error inside a snippet points into it and says where it was included.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span, did_you_mean};
use crate::input::{GuideFile, StepInput};
use crate::load::{SiteDir, parse_checked, read_text};
use crate::schema::FileKind;

/// The folder of the site's snippets.
pub const SNIPPETS_DIR: &str = "snippets";

/// Where a snippet's screenshots are published, in the folder of each guide using it.
pub const PUBLISHED_DIR: &str = "_snippets";

/// A snippet file, read.
#[derive(Debug)]
pub struct Snippet {
    /// Its name: the file's name without `.yaml`.
    pub name: String,
    /// The file as diagnostics show it.
    pub path: PathBuf,
    /// The folder its screenshots are relative to, on disk.
    pub dir: PathBuf,
    /// `None` when it could not be parsed (already reported).
    pub file: Option<GuideFile>,
    /// Its text, for locating errors inside its values.
    pub source: String,
}

/// The site's snippets by name.
pub type Snippets = BTreeMap<String, Arc<Snippet>>;

/// Reads every `snippets/*.yaml`, reporting a file that is not a run of steps.
pub fn load(dir: &SiteDir, sources: &mut Sources, diagnostics: &mut Diagnostics) -> Snippets {
    let folder = dir.root.join(SNIPPETS_DIR);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    // `approve.yml` or `Approve.YAML` was surely meant as a snippet: say why it is not one.
    names.retain(|n| {
        let lower = n.to_lowercase();
        let meant = n.ends_with(".yaml") || lower.ends_with(".yaml") || lower.ends_with(".yml");
        if meant && !n.ends_with(".yaml") {
            let stem = n.rsplit_once('.').map_or(n.as_str(), |(stem, _)| stem);
            diagnostics.push(
                Diagnostic::warning(
                    dir.display(&Path::new(SNIPPETS_DIR).join(n)),
                    Span::START,
                    format!("`{n}` is not read: a snippet's file ends in `.yaml`"),
                )
                .with_hint(format!("rename it to {stem}.yaml")),
            );
        }
        n.ends_with(".yaml")
    });
    let mut snippets = Snippets::new();
    for file_name in names {
        let rel = Path::new(SNIPPETS_DIR).join(&file_name);
        let shown = dir.display(&rel);
        let Some(text) = read_text(&dir.root, &rel, &shown, diagnostics) else {
            continue;
        };
        sources.insert(&shown, text.clone());
        let name = file_name.trim_end_matches(".yaml").to_owned();
        if !crate::validate::is_id(&name) {
            let suggestion = crate::validate::id_suggestion(&name);
            diagnostics.push(
                Diagnostic::error(&shown, Span::START, format!("`{file_name}` is not a valid snippet name"))
                    .with_hint(format!("names have lowercase letters, digits and `-` only: rename the file to `{suggestion}.yaml`")),
            );
        }
        let parsed = parse_checked::<GuideFile>(&shown, &text, FileKind::Guide);
        diagnostics.extend(parsed.diagnostics);
        let file = parsed
            .value
            .filter(|file| only_steps(file, &shown, diagnostics));
        snippets.insert(
            name.clone(),
            Arc::new(Snippet {
                name,
                path: shown,
                dir: folder.clone(),
                file,
                source: text,
            }),
        );
    }
    snippets
}

/// Whether a snippet file holds `steps:` and nothing else a guide may have; reports what it has besides.
fn only_steps(file: &GuideFile, path: &Path, diagnostics: &mut Diagnostics) -> bool {
    let mut extra: Vec<(&str, Span)> = Vec::new();
    let mut add = |key, span: Option<Span>| extra.extend(span.map(|s| (key, s)));
    add("title", file.title.as_ref().map(|t| t.referenced.into()));
    add(
        "summary",
        file.summary.as_ref().map(|t| t.referenced.into()),
    );
    add(
        "sections",
        file.sections.as_ref().map(|t| t.referenced.into()),
    );
    add("video", file.video.as_ref().map(|t| t.referenced.into()));
    add(
        "aliases",
        file.aliases.as_ref().map(|t| t.referenced.into()),
    );
    add(
        "languages",
        file.languages.as_ref().map(|t| t.referenced.into()),
    );
    for (key, span) in &extra {
        diagnostics.push(
            Diagnostic::error(path, *span, format!("a snippet cannot have `{key}`"))
                .with_hint("a snippet holds only `steps:`; the guides that use it have their own title, summary and sections"),
        );
    }
    let empty = file.steps.as_ref().is_none_or(|s| s.value.is_empty());
    if empty {
        diagnostics.push(
            Diagnostic::error(path, Span::START, "the snippet has no steps")
                .with_hint("add `steps:` with at least one step, written as in a guide"),
        );
    }
    extra.is_empty() && !empty
}

/// A step of a guide once its snippets are expanded: the step as written, the snippet it comes from
/// and where that was included.
pub struct Included<'a> {
    pub step: &'a Spanned<StepInput>,
    /// `None` for the guide's own steps.
    pub snippet: Option<&'a Snippet>,
    /// The `snippet:` items that brought it in, outermost first: file as shown and position.
    pub chain: Vec<(PathBuf, Span)>,
    /// Its number in its own file (the guide, or the snippet), counting a `snippet:` item as one.
    pub slot_number: usize,
}

/// Expands the `snippet:` items of a guide's list of steps. `number` counts the guide's own items on
/// from the lists before it (the slots of steps are numbered across the whole guide).
pub fn expand<'a>(
    steps: &'a [Spanned<StepInput>],
    guide: &Path,
    snippets: &'a Snippets,
    number: &mut usize,
    diagnostics: &mut Diagnostics,
) -> Vec<Included<'a>> {
    let mut out = Vec::new();
    let mut walk = Walk {
        snippets,
        diagnostics,
        names: Vec::new(),
        chain: Vec::new(),
        too_many: false,
    };
    walk.steps(steps, guide, None, number, &mut out);
    out
}

struct Walk<'a, 'd> {
    snippets: &'a Snippets,
    diagnostics: &'d mut Diagnostics,
    /// The snippets being expanded, outermost first, to find a cycle.
    names: Vec<String>,
    chain: Vec<(PathBuf, Span)>,
    /// The guide's steps went over the limit (reported once).
    too_many: bool,
}

impl<'a> Walk<'a, '_> {
    fn steps(
        &mut self,
        steps: &'a [Spanned<StepInput>],
        path: &Path,
        snippet: Option<&'a Snippet>,
        number: &mut usize,
        out: &mut Vec<Included<'a>>,
    ) {
        for step in steps {
            *number += 1;
            // Snippets that include one another many times could make a guide of millions of steps.
            if out.len() > crate::validate::MAX_STEPS_PER_GUIDE {
                if !self.too_many {
                    self.too_many = true;
                    self.error(
                        path,
                        step.referenced.into(),
                        format!("with its snippets, the guide has more than the {} steps a guide may have", crate::validate::MAX_STEPS_PER_GUIDE),
                        "split it into several guides, or include fewer snippets".into(),
                    );
                }
                return;
            }
            match &step.value.snippet {
                None => out.push(Included {
                    step,
                    snippet,
                    chain: self.chain.clone(),
                    slot_number: *number,
                }),
                Some(name) => self.include(step, name, path, out),
            }
        }
    }

    fn include(
        &mut self,
        step: &'a Spanned<StepInput>,
        name: &Spanned<String>,
        path: &Path,
        out: &mut Vec<Included<'a>>,
    ) {
        let at: Span = name.referenced.into();
        if has_other_keys(&step.value) {
            self.error(
                path,
                step.referenced.into(),
                "an item with `snippet:` has no other keys",
                "write the snippet's steps in snippets/<name>.yaml, and this step as an item of its own before or after it".into(),
            );
            return;
        }
        let Some(found) = self.snippets.get(&name.value) else {
            let hint = did_you_mean(&name.value, self.snippets.keys().map(String::as_str))
                .unwrap_or_else(|| match self.snippets.is_empty() {
                    true => format!("write the steps in {SNIPPETS_DIR}/{}.yaml", name.value),
                    false => format!(
                        "the snippets are {}; add {SNIPPETS_DIR}/{}.yaml for a new one",
                        self.snippets
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        name.value
                    ),
                });
            self.error(path, at, format!("unknown snippet `{}`", name.value), hint);
            return;
        };
        if self.names.contains(&name.value) {
            let start = self
                .names
                .iter()
                .position(|n| n == &name.value)
                .unwrap_or(0);
            let mut cycle: Vec<&str> = self.names[start..].iter().map(String::as_str).collect();
            cycle.push(&name.value);
            self.error(
                path,
                at,
                format!(
                    "snippets include each other in a cycle: {}",
                    cycle.join(" → ")
                ),
                "remove one of these `snippet:` items: a snippet cannot contain itself".into(),
            );
            return;
        }
        // A snippet that could not be read is reported in its own file.
        let Some(steps) = found.file.as_ref().and_then(|f| f.steps.as_ref()) else {
            return;
        };
        self.names.push(name.value.clone());
        self.chain.push((path.to_owned(), at));
        let mut own = 0;
        self.steps(&steps.value, &found.path, Some(found), &mut own, out);
        self.chain.pop();
        self.names.pop();
    }

    fn error(&mut self, path: &Path, span: Span, message: impl Into<String>, hint: String) {
        let mut hint = hint;
        if let Some(note) = included_note(&self.chain) {
            hint = format!("{hint} ({note})");
        }
        self.diagnostics
            .push(Diagnostic::error(path, span, message).with_hint(hint));
    }
}

/// "included by guides/x/guide.yaml:30:5", naming every inclusion outermost last, or `None` for a
/// guide's own text.
pub fn included_note(chain: &[(PathBuf, Span)]) -> Option<String> {
    let places: Vec<String> = chain
        .iter()
        .rev()
        .map(|(path, span)| format!("{}:{}:{}", path.display(), span.line, span.column))
        .collect();
    (!places.is_empty()).then(|| format!("included by {}", places.join(", included by ")))
}

fn has_other_keys(step: &StepInput) -> bool {
    step.device.is_some()
        || step.action.is_some()
        || step.screenshot.is_some()
        || step.app.is_some()
        || step.result.is_some()
        || step.note.is_some()
        || step.tip.is_some()
        || step.warning.is_some()
        || step.video.is_some()
}

/// The id under which the translation commands name a snippet: `snippets/<name>` (a guide's id has
/// no `/`). Its PO files are `translations/<lang>/snippets/<name>.po`.
pub fn translation_id(name: &str) -> String {
    format!("{SNIPPETS_DIR}/{name}")
}

/// The site with every snippet its guides use added as a file of its own to translate, shaped as
/// a guide of one section (its id from [`translation_id`], no title): `i18n status`, `export`,
/// `import`, `confirm` and `check` then treat it like a guide, and the guides leave its texts to it.
pub fn with_translation_units(site: &crate::model::Site) -> crate::model::Site {
    let mut site = site.clone();
    if site.guides.iter().any(|g| g.is_snippet()) {
        return site;
    }
    // A snippet's validated steps are the same in every guide using it: the first guide's are taken.
    let mut steps: BTreeMap<String, BTreeMap<usize, crate::model::Step>> = BTreeMap::new();
    for step in site.guides.iter().flat_map(|g| g.steps()) {
        if let Some(name) = &step.snippet {
            steps
                .entry(name.clone())
                .or_default()
                .entry(step.slot_number)
                .or_insert_with(|| crate::model::Step {
                    number: step.slot_number,
                    // Its texts are this file's own now.
                    snippet: None,
                    ..step.clone()
                });
        }
    }
    for (name, steps) in steps {
        let Some(snippet) = site.snippets.get(&name).cloned() else {
            continue;
        };
        let origin = crate::model::Origin {
            path: snippet.path.clone(),
            span: Span::START,
        };
        site.guides.push(Arc::new(crate::model::Guide {
            id: translation_id(&name),
            dir: snippet.dir.clone(),
            path: snippet.path.clone(),
            title: crate::model::Text::invariant(name, origin),
            summary: None,
            sections: vec![crate::model::Section {
                title: None,
                intro: None,
                video: None,
                steps: steps.into_values().collect(),
                only: Default::default(),
            }],
            video: None,
            attachments: BTreeMap::new(),
            aliases: Vec::new(),
            languages: None,
            links: Vec::new(),
            updated: None,
            choice: Default::default(),
            step_summary: None,
        }));
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippets(files: &[(&str, &str)]) -> Snippets {
        files
            .iter()
            .map(|(name, text)| {
                let path = PathBuf::from(format!("snippets/{name}.yaml"));
                let file = crate::load::parse_yaml::<GuideFile>(&path, text).unwrap();
                let snippet = Snippet {
                    name: (*name).to_owned(),
                    path,
                    dir: PathBuf::from("snippets"),
                    file: Some(file),
                    source: (*text).to_owned(),
                };
                ((*name).to_owned(), Arc::new(snippet))
            })
            .collect()
    }

    fn expanded(guide: &str, all: &Snippets) -> (Vec<(Option<String>, usize)>, Diagnostics) {
        let file = crate::load::parse_yaml::<GuideFile>(Path::new("g.yaml"), guide).unwrap();
        let mut diagnostics = Diagnostics::new();
        let steps = &file.steps.as_ref().unwrap().value;
        let out = expand(steps, Path::new("g.yaml"), all, &mut 0, &mut diagnostics)
            .into_iter()
            .map(|i| (i.snippet.map(|s| s.name.clone()), i.slot_number))
            .collect();
        (out, diagnostics)
    }

    #[test]
    fn nested_snippets_are_expanded_in_place_each_numbered_in_its_own_file() {
        let all = snippets(&[
            (
                "a",
                "steps:\n  - action: A1\n  - snippet: b\n  - action: A3\n",
            ),
            ("b", "steps:\n  - action: B1\n"),
        ]);
        let (out, diagnostics) = expanded(
            "steps:\n  - action: G1\n  - snippet: a\n  - action: G3\n",
            &all,
        );
        assert!(diagnostics.is_empty());
        let own = |s: Option<&str>, n| (s.map(str::to_owned), n);
        assert_eq!(
            out,
            vec![
                own(None, 1),
                own(Some("a"), 1),
                own(Some("b"), 1),
                own(Some("a"), 3),
                own(None, 3)
            ]
        );
    }

    #[test]
    fn snippets_multiplying_each_other_stop_at_the_step_limit() {
        let mut files = vec![("s0".to_owned(), "steps:\n  - action: X\n".to_owned())];
        for i in 1..30 {
            let prev = format!("s{}", i - 1);
            files.push((
                format!("s{i}"),
                format!("steps:\n  - snippet: {prev}\n  - snippet: {prev}\n"),
            ));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let all = snippets(&files);
        let (out, diagnostics) = expanded("steps:\n  - snippet: s29\n", &all);
        assert!(out.len() <= crate::validate::MAX_STEPS_PER_GUIDE + 1);
        assert_eq!(diagnostics.error_count(), 1);
    }
}
