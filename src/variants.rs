//! Render stage: platform variants in a guide's view — the reader's choice of a platform per device
//! (`?phone=ios`), and for every choice which steps, parts, banners, needs and PDFs are shown and
//! how steps are numbered, computed here so that the page's script only looks them up.
//!
//! A *selection* chooses, for each device the guide's variants depend on, one platform or none
//! ("all"); its key is those choices joined by `,` in the order of [`Guide::variant_devices`]
//! (`windows,all`). An element shown in some selections only carries `data-shown-in` with their
//! keys; a step carries its number in each selection it is shown in (`data-numbers`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::icons;
use crate::model::{Choice, Guide, Site, Step, Store, shown_for};
use crate::qr;
use crate::view::{
    AppView, BannerView, CalloutView, GuideView, Label, Localizer, NeedView, Prose, ScreenshotView,
    StepView,
};

/// The key of the selection in which nothing is chosen.
const ALL: &str = "all";

/// A selection's key, its choice, and its steps by number in the guide: each shown with this
/// number, after a banner or not.
type Shown<'a> = (&'a str, &'a Choice, BTreeMap<usize, (usize, bool)>);

/// A platform as a page names it.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformView {
    pub id: String,
    pub label: Label,
    /// The icon as the stylesheet draws it: an empty `<span>`, decorative.
    pub glyph: String,
    /// `app_store` or `google_play`: the store whose code comes first for its readers.
    pub store: Option<&'static str>,
}

/// One part of a step as shown: for every platform, or (`platform` set) for one.
#[derive(Debug, Clone, Serialize)]
pub struct PartView<T> {
    pub platform: Option<PlatformView>,
    /// The selections it is shown in; `None`: all.
    pub shown_in: Option<String>,
    /// `None`: the step has no such part on this platform.
    pub value: Option<T>,
}

impl<T> PartView<T> {
    /// The list a step's own part makes ([`StepView::with_parts`]): the part as the one entry, for
    /// every platform, or no entry.
    pub fn own(value: Option<T>) -> Vec<PartView<T>> {
        value
            .map(|value| PartView {
                platform: None,
                shown_in: None,
                value: Some(value),
            })
            .into_iter()
            .collect()
    }
}

/// A step's parts as the page shows them, in reading order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PartsView {
    pub action: Vec<PartView<Prose>>,
    pub app: Vec<PartView<AppView>>,
    pub screenshot: Vec<PartView<ScreenshotView>>,
    pub result: Vec<PartView<Prose>>,
    pub callouts: Vec<PartView<Vec<CalloutView>>>,
    /// Every list is the step's own part as its only entry ([`StepView::with_parts`]): the page's
    /// context converts each once and shares it (see `view::step_value`). Cleared where a part
    /// is split by platform.
    #[serde(skip)]
    pub own: bool,
}

impl StepView {
    /// The step with its own parts as its only entries ([`PartsView`]).
    pub fn with_parts(mut self) -> StepView {
        self.parts = PartsView {
            action: PartView::own(Some(self.action.clone())),
            app: PartView::own(self.app.clone()),
            screenshot: PartView::own(self.screenshot.clone()),
            result: PartView::own(self.result.clone()),
            callouts: PartView::own((!self.callouts.is_empty()).then(|| self.callouts.clone())),
            own: true,
        };
        self
    }
}

/// Where the reader picks a device's platform.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    /// The device id: the `data-platform-choice` hook, and the address's parameter.
    pub device: String,
    /// The control's id, unique in the page.
    pub id: String,
    /// "Which phone do you have?"
    pub question: Label,
    /// "Show all": the option of no choice.
    pub all: String,
    pub options: Vec<PlatformView>,
}

/// A PDF of one combination of platforms.
#[derive(Debug, Clone, Serialize)]
pub struct PdfLinkView {
    /// The file name, beside the page.
    pub href: String,
    /// "PDF for Windows and iPhone".
    pub label: String,
    pub shown_in: String,
}

/// What a guide with variants adds to its page.
#[derive(Debug, Clone, Serialize)]
pub struct GuideVariantsView {
    /// The devices whose platform matters, space-separated, in selection-key order.
    pub devices: String,
    /// The controls at the top of the guide, one per device.
    pub choices: Vec<ChoiceView>,
    /// "Your devices".
    pub heading: String,
    pub intro: String,
    /// "Showing the steps for {platforms}." and its parts, for the script's announcement.
    pub showing: String,
    pub showing_all: String,
    pub and: String,
    /// "Step {n} of {total}", for the script's renumbering.
    pub step_of: String,
    /// Selection key → number of steps shown, as JSON.
    pub totals: String,
    /// A PDF per combination of platforms, each shown in the selections it fits.
    pub pdfs: Vec<PdfLinkView>,
    /// "PDF with every variant": the label of `pdf`, the guide's PDF with every variant labelled.
    pub pdf_all: String,
    /// The selections it is offered in: those where some device is not chosen.
    pub pdf_all_shown_in: String,
}

/// What variants change of one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepVariantsView {
    /// The `data-platform` hook: the step is for this one platform only.
    pub platform: Option<String>,
    /// "Only for iPhone".
    pub only: Option<String>,
    /// The selections the step is shown in; `None`: all.
    pub shown_in: Option<String>,
    /// Selection key → the step's number there, as JSON.
    pub numbers: String,
    /// The selections its banner is shown in; `None`: all (or none, if the step has no banner).
    pub banner_in: Option<String>,
    /// Its banner is not shown while nothing is chosen (without script): it only shows once some
    /// step before it is left out.
    pub banner_hidden: bool,
    /// Controls shown before this step, the first whose content depends on their device.
    pub choices: Vec<ChoiceView>,
}

/// Platform id → store key of every platform with a store, as JSON.
pub fn platform_stores(site: &Site) -> String {
    let stores: BTreeMap<&str, &str> = site
        .devices
        .values()
        .flat_map(|d| &d.platforms)
        .filter_map(|p| Some((p.id.as_str(), p.store?.key())))
        .collect();
    serde_json::to_string(&stores).unwrap_or_default()
}

/// `<guide-id>-<lang>-<platform>-….pdf`: the PDF of one combination of platforms.
pub fn pdf_file_name(guide_id: &str, lang: &str, choice: &Choice, devices: &[String]) -> String {
    let platforms: Vec<&str> = devices
        .iter()
        .filter_map(|d| choice.get(d).map(String::as_str))
        .collect();
    format!("{guide_id}-{lang}-{}.pdf", platforms.join("-"))
}

/// Every selection of `devices`' platforms: each device one of its platforms or none.
fn selections(site: &Site, devices: &[String]) -> Vec<(String, Choice)> {
    let mut out = vec![(Vec::<String>::new(), Choice::new())];
    for device in devices {
        let platforms = site.devices.get(device).map(|d| &d.platforms[..]);
        let mut next = Vec::new();
        for (key, choice) in out {
            let mut none = key.clone();
            none.push(ALL.to_owned());
            next.push((none, choice.clone()));
            for platform in platforms.unwrap_or_default() {
                let mut key = key.clone();
                key.push(platform.id.clone());
                let mut choice = choice.clone();
                choice.insert(device.clone(), platform.id.clone());
                next.push((key, choice));
            }
        }
        out = next;
    }
    out.into_iter().map(|(key, c)| (key.join(","), c)).collect()
}

fn platform_view(site: &Site, l: &Localizer, id: &str) -> Option<PlatformView> {
    let (_, platform) = site.platform(id)?;
    Some(PlatformView {
        id: platform.id.clone(),
        label: l.label(&platform.label),
        glyph: icons::glyph(icons::class(platform.icon)),
        store: platform.store.map(Store::key),
    })
}

/// "iPhone", "Windows or Mac", "Windows, Mac or Linux".
fn joined(l: &Localizer, names: &[String], key: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => l
            .catalog
            .format(key, &[("a", &rest.join(", ")), ("b", last)]),
    }
}

/// Space-separated keys, or `None` when they are all of them.
/// A continue code is shown where its banner is, and, made for one platform of the device picked
/// up, only while the reader has chosen that platform or none.
fn show_continue_codes(step: &mut StepView, number: usize, shown: &[Shown], count: usize) {
    let Some(banner) = &mut step.banner else {
        return;
    };
    for code in &mut banner.continue_codes {
        let keys: Vec<&str> = shown
            .iter()
            .filter(|(_, choice, steps)| {
                steps.get(&number).is_some_and(|(_, banner)| *banner)
                    && code.platform.as_ref().is_none_or(|platform| {
                        choice
                            .get(&code.device)
                            .is_none_or(|chosen| chosen == platform)
                    })
            })
            .map(|(key, _, _)| *key)
            .collect();
        code.shown_in = keys_unless_all(keys, count);
    }
}

fn keys_unless_all(keys: Vec<&str>, all: usize) -> Option<String> {
    (keys.len() != all).then(|| keys.join(" "))
}

/// The steps of a selection, by number in the guide: shown with this number, after a banner or not.
fn shown_steps(guide: &Guide, choice: &Choice) -> BTreeMap<usize, (usize, bool)> {
    let resolved = guide.resolve(choice);
    let originals = guide
        .sections
        .iter()
        .filter(|s| shown_for(&s.only, choice))
        .flat_map(|s| s.steps.iter().filter(|step| shown_for(&step.only, choice)));
    originals
        .zip(resolved.steps())
        .map(|(original, shown)| (original.number, (shown.number, shown.device_switch)))
        .collect()
}

/// The apps a reader of a selection needs in a step: its chosen platform's, or every platform's.
fn apps_of<'a>(step: &'a Step, choice: &Choice) -> Vec<&'a String> {
    match choice.get(&step.device) {
        Some(platform) => step
            .variants
            .iter()
            .find(|v| &v.platform == platform)
            .map_or(&step.app, |v| &v.step.app)
            .iter()
            .collect(),
        None => step
            .app
            .iter()
            .chain(step.variants.iter().filter_map(|v| v.step.app.as_ref()))
            .collect(),
    }
}

/// Adds to a guide's view what its variants need. For a guide resolved for one combination (a
/// PDF's), orders store codes by the chosen phone only.
pub fn decorate(
    view: &mut GuideView,
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    guide: &Guide,
    pdf: bool,
) {
    prefer_chosen_stores(view, site, guide);
    let has_stores = view
        .sections
        .iter()
        .flat_map(|s| &s.steps)
        .any(|s| s.app.is_some() || s.parts.app.iter().any(|p| p.value.is_some()));
    view.platform_script = has_stores || !guide.variant_devices().is_empty();
    if !guide.choice.is_empty() {
        let names = guide
            .choice
            .values()
            .filter_map(|p| platform_view(site, l, p))
            .map(|p| p.label.text)
            .collect::<Vec<_>>();
        view.for_platforms = Some(l.catalog.format(
            "platform.for",
            &[("platforms", &joined(l, &names, "platform.and"))],
        ));
        return;
    }
    let devices = guide.variant_devices();
    if devices.is_empty() {
        return;
    }
    let selections = selections(site, &devices);
    let shown: Vec<Shown> = selections
        .iter()
        .map(|(key, choice)| (key.as_str(), choice, shown_steps(guide, choice)))
        .collect();
    let variants = Variants {
        site,
        l,
        guide,
        devices: &devices,
        shown: &shown,
        count: selections.len(),
    };
    variants.decorate_sections(view, codes);
    view.needs = needs(site, l, guide, &shown, variants.count);
    let pdfs = if pdf {
        variants.pdf_links(&view.lang)
    } else {
        Vec::new()
    };
    view.variants = Some(variants.guide_view(pdfs));
}

/// For a guide resolved for one combination: the stores of its chosen platforms' first.
fn prefer_chosen_stores(view: &mut GuideView, site: &Site, guide: &Guide) {
    let preferred: Vec<Store> = guide
        .choice
        .values()
        .filter_map(|p| site.platform(p)?.1.store)
        .collect();
    if preferred.is_empty() {
        return;
    }
    for step in view.sections.iter_mut().flat_map(|s| &mut s.steps) {
        order_stores(step.app.as_mut(), &preferred);
        for part in &mut step.parts.app {
            order_stores(part.value.as_mut(), &preferred);
        }
    }
}

/// A guide with variants as its page offers them: its devices whose steps differ, and what each
/// selection of platforms shows.
struct Variants<'a> {
    site: &'a Site,
    l: &'a Localizer<'a>,
    guide: &'a Guide,
    devices: &'a [String],
    /// Each selection's key, its platforms, and the steps it shows.
    shown: &'a [Shown<'a>],
    /// How many selections there are.
    count: usize,
}

impl Variants<'_> {
    /// Which selections show each section and step, and what each step shows for which.
    fn decorate_sections(&self, view: &mut GuideView, codes: &qr::Codes) {
        let (site, l) = (self.site, self.l);
        let first_use = self.first_uses();
        for (section, written) in view.sections.iter_mut().zip(&self.guide.sections) {
            let keys: Vec<&str> = self
                .shown
                .iter()
                .filter(|(_, choice, steps)| {
                    shown_for(&written.only, choice)
                        && (written.video.is_some()
                            || written.steps.iter().any(|s| steps.contains_key(&s.number)))
                })
                .map(|(k, _, _)| *k)
                .collect();
            section.shown_in = keys_unless_all(keys, self.count);
            section.only = only_text(site, l, &written.only);
            for (step, model) in section.steps.iter_mut().zip(&written.steps) {
                let total = view.total_steps;
                decorate_step(step, model, site, codes, l, self.shown, self.count, total);
                show_continue_codes(step, model.number, self.shown, self.count);
                // The question of a device's platform, where its steps first differ (after step 1:
                // the question at the top asks it there).
                let choices = first_use
                    .iter()
                    .filter(|(_, n)| **n == model.number && model.number > 1)
                    .filter_map(|(d, n)| self.choice_view(d, format!("choice-{d}-{n}")))
                    .collect();
                if let Some(v) = step.variants.as_mut() {
                    v.choices = choices;
                }
            }
        }
    }

    /// The number of the first step of each device whose steps differ by platform.
    fn first_uses(&self) -> BTreeMap<&str, usize> {
        let mut first_use: BTreeMap<&str, usize> = BTreeMap::new();
        for step in self.guide.steps() {
            for device in self.devices {
                let uses = step.only.contains_key(device)
                    || (!step.variants.is_empty() && &step.device == device);
                if uses {
                    first_use.entry(device).or_insert(step.number);
                }
            }
        }
        first_use
    }

    /// The question of which platform the reader's `device` is, with its options.
    fn choice_view(&self, device: &str, id: String) -> Option<ChoiceView> {
        let d = self.site.devices.get(device)?;
        Some(ChoiceView {
            device: device.to_owned(),
            id,
            question: self.l.label(&d.question),
            all: self.l.ui_text("platform.all"),
            options: d
                .platforms
                .iter()
                .filter_map(|p| platform_view(self.site, self.l, &p.id))
                .collect(),
        })
    }

    /// A link to each combination's PDF, shown for the selections it fits.
    fn pdf_links(&self, lang: &str) -> Vec<PdfLinkView> {
        let (site, l) = (self.site, self.l);
        self.guide
            .combinations(site)
            .iter()
            .map(|combination| {
                let names: Vec<String> = self
                    .devices
                    .iter()
                    .filter_map(|d| platform_view(site, l, combination.get(d)?))
                    .map(|p| p.label.text)
                    .collect();
                let keys: Vec<&str> = self
                    .shown
                    .iter()
                    .filter(|(_, choice, _)| {
                        choice.iter().all(|(d, p)| combination.get(d) == Some(p))
                    })
                    .map(|(k, _, _)| *k)
                    .collect();
                PdfLinkView {
                    href: pdf_file_name(&self.guide.id, lang, combination, self.devices),
                    label: l.catalog.format(
                        "platform.pdf",
                        &[("platforms", &joined(l, &names, "platform.and"))],
                    ),
                    shown_in: keys.join(" "),
                }
            })
            .collect()
    }

    /// What the page's platform choice needs: the questions, the words of its script, each
    /// selection's number of steps, and the PDFs.
    fn guide_view(&self, pdfs: Vec<PdfLinkView>) -> GuideVariantsView {
        let l = self.l;
        let totals: BTreeMap<&str, usize> =
            self.shown.iter().map(|(k, _, s)| (*k, s.len())).collect();
        // The PDF of every variant is offered until every device is chosen; then that combination's.
        let incomplete: Vec<&str> = self
            .shown
            .iter()
            .filter(|(_, choice, _)| choice.len() < self.devices.len())
            .map(|(k, _, _)| *k)
            .collect();
        GuideVariantsView {
            devices: self.devices.join(" "),
            choices: self
                .devices
                .iter()
                .filter_map(|d| self.choice_view(d, format!("choice-{d}")))
                .collect(),
            heading: l.ui_text("platform.heading"),
            intro: l.ui_text("platform.intro"),
            showing: l.ui_text("platform.showing"),
            showing_all: l.ui_text("platform.showing_all"),
            and: l.ui_text("platform.and"),
            step_of: l.ui_text("guide.step_of"),
            totals: serde_json::to_string(&totals).unwrap_or_default(),
            pdfs,
            pdf_all: l.ui_text("platform.pdf_all"),
            pdf_all_shown_in: incomplete.join(" "),
        }
    }
}

/// Puts the preferred stores' links first, keeping the rest in their order.
fn order_stores(app: Option<&mut AppView>, preferred: &[Store]) {
    if let Some(app) = app {
        app.stores
            .sort_by_key(|s| !preferred.iter().any(|p| p.key() == s.store));
    }
}

/// "Only for iPhone" for content limited by `only`.
fn only_text(site: &Site, l: &Localizer, only: &crate::model::Only) -> Option<String> {
    let names: Vec<String> = only
        .values()
        .flatten()
        .filter_map(|p| platform_view(site, l, p))
        .map(|p| p.label.text)
        .collect();
    (!names.is_empty()).then(|| {
        l.catalog.format(
            "platform.only",
            &[("platforms", &joined(l, &names, "platform.or"))],
        )
    })
}

#[allow(clippy::too_many_arguments)]
fn decorate_step(
    step: &mut StepView,
    model: &Step,
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    shown: &[Shown],
    count: usize,
    total: usize,
) {
    let n = model.number;
    let numbers: BTreeMap<&str, usize> = shown
        .iter()
        .filter_map(|(k, _, steps)| Some((*k, steps.get(&n)?.0)))
        .collect();
    let banner_keys: Vec<&str> = shown
        .iter()
        .filter(|(_, _, steps)| steps.get(&n).is_some_and(|(_, banner)| *banner))
        .map(|(k, _, _)| *k)
        .collect();
    let platforms: Vec<&String> = model.only.values().flatten().collect();
    if step.banner.is_none() && !banner_keys.is_empty() {
        let device = step.device.clone();
        step.banner = Some(BannerView {
            text: site
                .devices
                .get(&model.device)
                .map(|d| l.label(&d.banner))
                .unwrap_or_else(|| device.label.clone()),
            device,
            continue_codes: Vec::new(),
        });
    }
    step.variants = Some(StepVariantsView {
        platform: (platforms.len() == 1).then(|| platforms[0].clone()),
        only: only_text(site, l, &model.only),
        shown_in: keys_unless_all(numbers.keys().copied().collect(), count),
        numbers: serde_json::to_string(&numbers).unwrap_or_default(),
        banner_hidden: !model.device_switch,
        banner_in: keys_unless_all(banner_keys, count),
        choices: Vec::new(),
    });
    if model.variants.is_empty() {
        return;
    }
    let Some(device) = site.devices.get(&model.device) else {
        return;
    };
    let on: Vec<&str> = device
        .platforms
        .iter()
        .map(|p| p.id.as_str())
        .filter(|p| {
            model
                .only
                .get(&device.id)
                .is_none_or(|o| o.iter().any(|x| x == p))
        })
        .collect();
    // Each platform's step, as its own view: the variant's, or the step's own.
    let views: Vec<(&str, StepView)> = on
        .iter()
        .map(|p| {
            let own = model.variants.iter().find(|v| v.platform == *p);
            let step = own.map_or(model, |v| &v.step);
            (*p, crate::view::step_view(site, codes, l, step, total))
        })
        .collect();
    let shown_in = |p: &str| {
        let keys: Vec<&str> = shown
            .iter()
            .filter(|(_, c, _)| c.get(&device.id).is_none_or(|chosen| chosen == p))
            .map(|(k, _, _)| *k)
            .collect();
        keys_unless_all(keys, count)
    };
    use crate::slot::StepField;
    let varies = |fields: &[StepField], whole: fn(&crate::model::Variant) -> bool| {
        model
            .variants
            .iter()
            .any(|v| whole(v) || v.fields.iter().any(|f| fields.contains(f)))
    };
    fn split<T: Clone>(
        views: &[(&str, StepView)],
        site: &Site,
        l: &Localizer,
        shown_in: &dyn Fn(&str) -> Option<String>,
        part: fn(&StepView) -> Option<T>,
    ) -> Vec<PartView<T>> {
        views
            .iter()
            .map(|(p, view)| PartView {
                platform: platform_view(site, l, p),
                shown_in: shown_in(p),
                value: part(view),
            })
            .collect()
    }
    // From here on a part may be split by platform: the parts are no longer the step's own.
    step.parts.own = false;
    if varies(&[StepField::Action], |_| false) {
        step.parts.action = split(&views, site, l, &shown_in, |v| Some(v.action.clone()));
    }
    if varies(&[], |v| v.app) {
        step.parts.app = split(&views, site, l, &shown_in, |v| v.app.clone());
    }
    if varies(&[StepField::Alt], |v| v.screenshot) {
        step.parts.screenshot = split(&views, site, l, &shown_in, |v| v.screenshot.clone());
    }
    if varies(&[StepField::Result], |_| false) {
        step.parts.result = split(&views, site, l, &shown_in, |v| v.result.clone());
    }
    if varies(
        &[StepField::Note, StepField::Tip, StepField::Warning],
        |_| false,
    ) {
        step.parts.callouts = split(&views, site, l, &shown_in, |v| {
            (!v.callouts.is_empty()).then(|| v.callouts.clone())
        });
    }
}

/// "You need", with each item shown in the selections that need it.
fn needs(
    site: &Site,
    l: &Localizer,
    guide: &Guide,
    shown: &[Shown],
    count: usize,
) -> Vec<NeedView> {
    let mut devices: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut apps: Vec<(&str, Vec<&str>)> = Vec::new();
    for (key, choice, steps) in shown {
        for step in guide.steps().filter(|s| steps.contains_key(&s.number)) {
            match devices.iter_mut().find(|(d, _)| *d == step.device) {
                Some((_, keys)) if !keys.contains(key) => keys.push(key),
                Some(_) => {}
                None => devices.push((&step.device, vec![key])),
            }
            for app in apps_of(step, choice) {
                match apps.iter_mut().find(|(a, _)| *a == app) {
                    Some((_, keys)) if !keys.contains(key) => keys.push(key),
                    Some(_) => {}
                    None => apps.push((app, vec![key])),
                }
            }
        }
    }
    let devices = devices.into_iter().filter_map(|(id, keys)| {
        let device = site.devices.get(id)?;
        Some(NeedView::device(l, device, keys_unless_all(keys, count)))
    });
    let apps = apps.into_iter().filter_map(|(id, keys)| {
        let app = site.apps.get(id)?;
        Some(NeedView::app(l, app, keys_unless_all(keys, count)))
    });
    devices.chain(apps).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_names_with_the_last_word() {
        let catalog = crate::catalog::Catalog::builtin("en").unwrap();
        let l = Localizer {
            lang: "en",
            source_lang: "en",
            outdated: Default::default(),
            catalog: &catalog,
            variables: &Default::default(),
        };
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(joined(&l, &names(&["iPhone"]), "platform.or"), "iPhone");
        assert_eq!(
            joined(&l, &names(&["Windows", "Mac", "Linux"]), "platform.or"),
            "Windows, Mac or Linux"
        );
        assert_eq!(
            joined(&l, &names(&["Windows", "iPhone"]), "platform.and"),
            "Windows and iPhone"
        );
    }

    #[test]
    fn keys_left_out_when_all() {
        assert_eq!(keys_unless_all(vec!["a", "b"], 2), None);
        assert_eq!(keys_unless_all(vec!["a"], 2), Some("a".into()));
    }
}
