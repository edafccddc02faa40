//! The synthetic site of the benches (`benches/build.rs`, `benches/serve.rs`, `benches/disk.rs`, each
//! including this file with `#[path]`): N guides of 25 steps in Danish and English, written as a
//! guidegen site, or, for the side-by-side measurements with Hugo, as a Hugo site with the same texts.
//!
//! A guide has two sections, text with Markdown (bold, links, code, emphasis, a list now and then), a
//! device switch every few steps (computer, phone, tablet), one app step (App Store and Google Play),
//! a result or a callout on some steps, and screenshots as its [`ScreenshotPlan`] says: by default a
//! few small ones (SVG mock-ups of about 2 kB, one with a Danish `.da.svg` variant, and a 480×300 PNG);
//! for the disk bench one PNG shown by every step, or a PNG of its own for every step. Guides sit in
//! category folders of 50: `guides/category-00/guide-0000/guide.yaml`.

// Each bench uses only part of the generator (the build bench writes no Hugo site).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// The id of synthetic guide `index`: its folder's name, and so the last part of its pages' path
/// (`en/guide-0025/index.html`).
pub fn guide_id(index: usize) -> String {
    format!("guide-{index:04}")
}

/// The category folder of guide `index`: 50 guides per folder.
pub fn category(index: usize) -> String {
    format!("category-{:02}", index / 50)
}

/// The first line of the English action of guide `index`'s first step. The same line appears in its
/// guide.yaml and in its Hugo page, so a bench can change a word of it in either.
pub fn first_action_line_en(index: usize) -> String {
    first_action_line(index, "en")
}

/// The first line of the action of guide `index`'s first step in `lang` (`da` or `en`): in its
/// guide.yaml before any other line of that language's actions, and in its Hugo page of `lang`.
pub fn first_action_line(index: usize, lang: &str) -> String {
    let guide = SyntheticGuide::new(index, &[]);
    let first_step = &guide.sections[0].steps[0];
    in_lang((&first_step.action.0, &first_step.action.1), lang)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Which steps of a synthetic guide show a screenshot, and which files they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenshotPlan {
    /// `n` screenshots spread over the guide's steps: 2 of 3 SVG mock-ups (the first with a Danish
    /// `.da.svg` variant), the rest one 480×300 PNG. The build and serve benches' site.
    Spread(usize),
    /// Every step shows the same 320×200 PNG: one file per guide folder (`shots/screen.png`), with
    /// the same bytes in every guide.
    Shared,
    /// Every step shows a 320×200 PNG of its own (`shots/step-01.png` …), its pixels (and so its
    /// bytes) derived from the guide and the step.
    Distinct,
}

impl ScreenshotPlan {
    /// `shared` or `distinct`, as the disk bench's command line names them.
    pub fn parse(word: &str) -> Option<ScreenshotPlan> {
        match word {
            "shared" => Some(ScreenshotPlan::Shared),
            "distinct" => Some(ScreenshotPlan::Distinct),
            _ => None,
        }
    }

    pub fn name(self) -> String {
        match self {
            ScreenshotPlan::Spread(n) => format!("{n} spread"),
            ScreenshotPlan::Shared => "shared".into(),
            ScreenshotPlan::Distinct => "distinct".into(),
        }
    }
}

/// Writes a synthetic guidegen site of `guides` guides, each with `screenshots` screenshots spread
/// over its steps ([`ScreenshotPlan::Spread`]), into `dir`.
pub fn generate_site(dir: &Path, guides: usize, screenshots: usize) -> std::io::Result<()> {
    generate_site_with(dir, guides, ScreenshotPlan::Spread(screenshots))
}

/// Writes a synthetic guidegen site of `guides` guides, with screenshots as `plan` says, into `dir`.
pub fn generate_site_with(dir: &Path, guides: usize, plan: ScreenshotPlan) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("guidegen.yaml"), SITE_YAML)?;
    let pngs = Pngs::new(plan)?;
    for i in 0..guides {
        let gdir = dir.join("guides").join(category(i)).join(guide_id(i));
        let shots = write_screenshots(&gdir, i, plan, &pngs, true)?;
        let guide = SyntheticGuide::new(i, &shots);
        std::fs::write(gdir.join("guide.yaml"), guide.yaml())?;
    }
    Ok(())
}

/// Writes the same guides as [`generate_site`] as a Hugo site into `dir`, with `screenshots`
/// screenshots spread over each guide's steps ([`ScreenshotPlan::Spread`]).
pub fn generate_hugo_site(dir: &Path, guides: usize, screenshots: usize) -> std::io::Result<()> {
    generate_hugo_site_with(dir, guides, ScreenshotPlan::Spread(screenshots))
}

/// Writes the same guides as [`generate_site_with`] as a Hugo site into `dir`: one page bundle per
/// guide and language (`content/<lang>/category-00/guide-0000/index.md`, the screenshots beside it,
/// the same files as the guidegen site's), minimal layouts (`layouts/_default/single.html`,
/// `list.html`) and a config with both languages, each in its own folder (`/da/…`, `/en/…`).
///
/// What Hugo gets is the text guidegen shows: the device-switch sentences are written into the
/// Markdown (guidegen derives them), and the app step links to both stores (guidegen also draws QR
/// codes; Hugo has none).
pub fn generate_hugo_site_with(
    dir: &Path,
    guides: usize,
    plan: ScreenshotPlan,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("layouts/_default"))?;
    std::fs::write(dir.join("config.toml"), HUGO_CONFIG)?;
    std::fs::write(dir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    std::fs::write(dir.join("layouts/_default/list.html"), HUGO_LIST)?;
    let pngs = Pngs::new(plan)?;
    for i in 0..guides {
        for lang in ["da", "en"] {
            let bundle = dir
                .join("content")
                .join(lang)
                .join(category(i))
                .join(guide_id(i));
            let shots = write_screenshots(&bundle, i, plan, &pngs, lang == "da")?;
            let guide = SyntheticGuide::new(i, &shots);
            std::fs::write(bundle.join("index.md"), guide.markdown(lang))?;
        }
    }
    Ok(())
}

/// The PNG bytes that are the same for every guide of a plan.
struct Pngs {
    /// [`ScreenshotPlan::Spread`]'s 480×300 PNG.
    spread: Vec<u8>,
    /// [`ScreenshotPlan::Shared`]'s 320×200 PNG.
    shared: Vec<u8>,
}

impl Pngs {
    fn new(plan: ScreenshotPlan) -> std::io::Result<Pngs> {
        Ok(Pngs {
            spread: match plan {
                ScreenshotPlan::Spread(_) => screenshot_png(480, 300)?,
                _ => Vec::new(),
            },
            shared: match plan {
                ScreenshotPlan::Shared => step_png(None)?,
                _ => Vec::new(),
            },
        })
    }
}

/// Writes guide `index`'s screenshots into `<guide_dir>/shots/` as `plan` says and returns them.
/// Under [`ScreenshotPlan::Spread`], the first also has a Danish variant (`.da.svg`) when
/// `danish_variant`, as the example guides have.
fn write_screenshots(
    guide_dir: &Path,
    index: usize,
    plan: ScreenshotPlan,
    pngs: &Pngs,
    danish_variant: bool,
) -> std::io::Result<Vec<Screenshot>> {
    std::fs::create_dir_all(guide_dir.join("shots"))?;
    let screenshots = match plan {
        ScreenshotPlan::Spread(n) => n,
        ScreenshotPlan::Shared => {
            let src = "shots/screen.png".to_string();
            std::fs::write(guide_dir.join(&src), &pngs.shared)?;
            return Ok((1..=STEPS)
                .map(|step| Screenshot {
                    step,
                    src: src.clone(),
                    danish_src: None,
                })
                .collect());
        }
        ScreenshotPlan::Distinct => {
            let mut shots = Vec::new();
            for step in 1..=STEPS {
                let src = format!("shots/step-{step:02}.png");
                std::fs::write(guide_dir.join(&src), step_png(Some((index, step)))?)?;
                shots.push(Screenshot {
                    step,
                    src,
                    danish_src: None,
                });
            }
            return Ok(shots);
        }
    };
    let png = &pngs.spread;
    let shot_steps: Vec<usize> = (0..screenshots)
        .map(|k| 2 + k * 23 / screenshots.max(1))
        .collect();
    let mut shots = Vec::new();
    for (k, step) in shot_steps.iter().enumerate() {
        let svg = k % 3 != 1;
        let name = format!("shots/step-{step:02}.{}", if svg { "svg" } else { "png" });
        let mut danish_src = None;
        if svg {
            std::fs::write(
                guide_dir.join(&name),
                screenshot_svg(&format!("Step {step}"), k),
            )?;
            if k == 0 && danish_variant {
                let danish = format!("shots/step-{step:02}.da.svg");
                std::fs::write(
                    guide_dir.join(&danish),
                    screenshot_svg(&format!("Trin {step}"), k),
                )?;
                danish_src = Some(danish);
            }
        } else {
            std::fs::write(guide_dir.join(&name), png)?;
        }
        shots.push(Screenshot {
            step: *step,
            src: name,
            danish_src,
        });
    }
    Ok(shots)
}

/// Steps per synthetic guide: 13 in the first section, 12 in the second.
const STEPS: usize = 25;

/// A screenshot of a synthetic guide, its paths relative to the guide's folder.
#[derive(Clone)]
struct Screenshot {
    step: usize,
    src: String,
    /// The Danish variant (`step-02.da.svg`): guidegen finds it by itself, a Hugo page names it.
    danish_src: Option<String>,
}

/// A text in Danish and English.
type Bilingual<T> = (T, T);

fn in_lang<T: Copy>(text: Bilingual<T>, lang: &str) -> T {
    if lang == "da" { text.0 } else { text.1 }
}

/// One synthetic guide, in both languages: what its guide.yaml and its Hugo pages are written from.
struct SyntheticGuide {
    index: usize,
    title: Bilingual<String>,
    /// Minutes the guide says it takes.
    minutes: usize,
    topic: Bilingual<&'static str>,
    sections: Vec<SyntheticSection>,
}

struct SyntheticSection {
    title: Bilingual<&'static str>,
    intro: Bilingual<&'static str>,
    steps: Vec<SyntheticStep>,
}

struct SyntheticStep {
    /// 1-based, counted over the whole guide.
    number: usize,
    action: Bilingual<String>,
    /// The device from this step on, where it switches.
    device: Option<&'static str>,
    /// The app (an id in `SITE_YAML`'s `apps`) to install at this step.
    app: Option<&'static str>,
    screenshot: Option<Screenshot>,
    result: Option<Bilingual<&'static str>>,
    /// (kind, da, en): `note`, `tip` or `warning`.
    callout: Option<(&'static str, &'static str, &'static str)>,
}

impl SyntheticGuide {
    /// Guide `i`, with the screenshots `shots`.
    fn new(i: usize, shots: &[Screenshot]) -> SyntheticGuide {
        let topic = TOPICS[i % TOPICS.len()];
        let app_step = if i.is_multiple_of(2) { 5 } else { 12 };
        let app = if i.is_multiple_of(3) {
            "company-portal"
        } else {
            "microsoft-authenticator"
        };
        let sections = [(0, 1..=13), (1, 14..=STEPS)]
            .into_iter()
            .map(|(s, range)| {
                let (title, intro) = if s == 0 {
                    (
                        ("Forberedelse", "Getting ready"),
                        (
                            "Hav din computer og din telefon klar, og følg trinene i rækkefølge.",
                            "Have your computer and your phone ready and follow the steps in order.",
                        ),
                    )
                } else {
                    (
                        ("Afslut opsætningen", "Finish the setup"),
                        (
                            "Nu mangler du kun at **bekræfte** opsætningen. Lad browservinduet stå åbent.",
                            "Now you only need to **confirm** the setup. Keep the browser window open.",
                        ),
                    )
                };
                let steps = range
                    .map(|step| {
                        let k = i * 7 + step;
                        let (action_da, action_en) = ACTIONS[k % ACTIONS.len()];
                        let n = (k % 9 + 1).to_string();
                        SyntheticStep {
                            number: step,
                            action: (action_da.replace("{n}", &n), action_en.replace("{n}", &n)),
                            device: device_switch(step, i),
                            app: (step == app_step).then_some(app),
                            screenshot: shots.iter().find(|s| s.step == step).cloned(),
                            result: k.is_multiple_of(3).then(|| RESULTS[k % RESULTS.len()]),
                            callout: (k % 4 == 1).then(|| CALLOUTS[k % CALLOUTS.len()]),
                        }
                    })
                    .collect();
                SyntheticSection {
                    title,
                    intro,
                    steps,
                }
            })
            .collect();
        SyntheticGuide {
            index: i,
            title: (
                format!("Opsæt {} – variant {i}", topic.0),
                format!("Set up {} – variant {i}", topic.1),
            ),
            minutes: 5 + i % 20,
            topic,
            sections,
        }
    }

    /// The guide as guidegen's guide.yaml.
    fn yaml(&self) -> String {
        let mut y = String::with_capacity(16 * 1024);
        let _ = writeln!(y, "# Synthetic guide {} for the benchmark.", self.index);
        let _ = writeln!(y, "title:\n  da: {}\n  en: {}", self.title.0, self.title.1);
        let _ = writeln!(
            y,
            "summary:\n  da: |\n    Denne vejledning viser, hvordan du opsætter **{}**. Du skal bruge din computer og\n    din telefon, og det tager cirka {} minutter.\n\n    Vejledningen siger til, hver gang du skal skifte enhed.\n  en: |\n    This guide shows how to set up **{}**. You need your computer and your phone, and it\n    takes about {} minutes.\n\n    The guide tells you every time you need to switch devices.",
            self.topic.0, self.minutes, self.topic.1, self.minutes
        );
        let _ = writeln!(y, "sections:");
        for section in &self.sections {
            let _ = writeln!(
                y,
                "  - title: {{da: {}, en: {}}}",
                section.title.0, section.title.1
            );
            let _ = writeln!(
                y,
                "    intro:\n      da: |\n        {}\n      en: |\n        {}",
                section.intro.0, section.intro.1
            );
            let _ = writeln!(y, "    steps:");
            for step in &section.steps {
                let _ = writeln!(y, "      - action:");
                yaml_block(&mut y, "da", &step.action.0);
                yaml_block(&mut y, "en", &step.action.1);
                if let Some(device) = step.device {
                    let _ = writeln!(y, "        device: {device}");
                }
                if let Some(app) = step.app {
                    let _ = writeln!(y, "        app: {app}");
                }
                if let Some(Screenshot { src, .. }) = &step.screenshot {
                    let number = step.number;
                    let _ = writeln!(
                        y,
                        "        screenshot:\n          src: {src}\n          alt:\n            da: Skærmbillede af trin {number} med knappen Næste.\n            en: Screenshot of step {number} with the Next button."
                    );
                }
                if let Some((da, en)) = step.result {
                    let _ = writeln!(y, "        result:");
                    yaml_block(&mut y, "da", da);
                    yaml_block(&mut y, "en", en);
                }
                if let Some((kind, da, en)) = step.callout {
                    let _ = writeln!(y, "        {kind}:");
                    yaml_block(&mut y, "da", da);
                    yaml_block(&mut y, "en", en);
                }
            }
        }
        y
    }

    /// The guide's page in `lang` as Hugo Markdown, with the texts guidegen shows for it.
    fn markdown(&self, lang: &str) -> String {
        let mut m = String::with_capacity(12 * 1024);
        let _ = writeln!(
            m,
            "---\ntitle: \"{}\"\n---\n",
            in_lang((&self.title.0, &self.title.1), lang)
        );
        let (topic, minutes) = (in_lang(self.topic, lang), self.minutes);
        if lang == "da" {
            let _ = writeln!(
                m,
                "Denne vejledning viser, hvordan du opsætter **{topic}**. Du skal bruge din computer og\ndin telefon, og det tager cirka {minutes} minutter.\n\nVejledningen siger til, hver gang du skal skifte enhed.\n"
            );
        } else {
            let _ = writeln!(
                m,
                "This guide shows how to set up **{topic}**. You need your computer and your phone, and it\ntakes about {minutes} minutes.\n\nThe guide tells you every time you need to switch devices.\n"
            );
        }
        for section in &self.sections {
            let _ = writeln!(m, "## {}\n", in_lang(section.title, lang));
            let _ = writeln!(m, "{}\n", in_lang(section.intro, lang));
            for step in &section.steps {
                let word = if lang == "da" { "Trin" } else { "Step" };
                let _ = writeln!(m, "### {word} {}\n", step.number);
                if let Some(device) = step.device {
                    let _ = writeln!(m, "*{}*\n", device_sentence(device, lang));
                }
                let _ = writeln!(m, "{}\n", in_lang((&step.action.0, &step.action.1), lang));
                if let Some(app) = step.app.and_then(|id| APPS.iter().find(|a| a.id == id)) {
                    let _ = writeln!(
                        m,
                        "**{}**: [App Store]({}) · [Google Play]({})\n",
                        in_lang(app.name, lang),
                        app.app_store,
                        app.google_play
                    );
                }
                if let Some(shot) = &step.screenshot {
                    let src = match &shot.danish_src {
                        Some(danish) if lang == "da" => danish,
                        _ => &shot.src,
                    };
                    let alt = if lang == "da" {
                        format!("Skærmbillede af trin {} med knappen Næste.", step.number)
                    } else {
                        format!("Screenshot of step {} with the Next button.", step.number)
                    };
                    let _ = writeln!(m, "![{alt}]({src})\n");
                }
                if let Some(result) = step.result {
                    let _ = writeln!(m, "{}\n", in_lang(result, lang));
                }
                if let Some((kind, da, en)) = step.callout {
                    let _ = writeln!(m, "> **{}**\n>", callout_label(kind, lang));
                    for line in in_lang((da, en), lang).lines() {
                        let _ = writeln!(m, "> {line}");
                    }
                    m.push('\n');
                }
            }
        }
        m
    }
}

/// The sentence guidegen shows where the reader switches to `device`.
fn device_sentence(device: &str, lang: &str) -> String {
    let (da, en) = match device {
        "phone" => ("telefon", "phone"),
        "tablet" => ("tablet", "tablet"),
        _ => ("computer", "computer"),
    };
    if lang == "da" {
        format!("Du skal nu bruge din {da}.")
    } else {
        format!("You must now use your {en}.")
    }
}

fn callout_label(kind: &str, lang: &str) -> &'static str {
    match (kind, lang == "da") {
        ("tip", _) => "Tip",
        ("warning", true) => "Advarsel",
        ("warning", false) => "Warning",
        (_, true) => "Bemærk",
        (_, false) => "Note",
    }
}

/// `lang: |` and the Markdown text, indented for a step's field.
fn yaml_block(y: &mut String, lang: &str, text: &str) {
    let _ = writeln!(y, "          {lang}: |");
    for line in text.lines() {
        if line.is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "            {line}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The texts and settings.

const SITE_YAML: &str = "\
title: {da: IT-vejledninger, en: IT guides}
languages: [da, en]
organization: Benchmark University
apps:
  microsoft-authenticator:
    name: Microsoft Authenticator
    app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458
    google_play: https://play.google.com/store/apps/details?id=com.azure.authenticator
  company-portal:
    name: {da: Firmaportal, en: Company Portal}
    app_store: https://apps.apple.com/app/intune-company-portal/id719171358
    google_play: https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal
";

/// The apps of `SITE_YAML`, for the Hugo pages' store links.
struct App {
    id: &'static str,
    name: Bilingual<&'static str>,
    app_store: &'static str,
    google_play: &'static str,
}

const APPS: &[App] = &[
    App {
        id: "microsoft-authenticator",
        name: ("Microsoft Authenticator", "Microsoft Authenticator"),
        app_store: "https://apps.apple.com/app/microsoft-authenticator/id983156458",
        google_play: "https://play.google.com/store/apps/details?id=com.azure.authenticator",
    },
    App {
        id: "company-portal",
        name: ("Firmaportal", "Company Portal"),
        app_store: "https://apps.apple.com/app/intune-company-portal/id719171358",
        google_play: "https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal",
    },
];

/// Hugo's settings: both languages in their own folder, as guidegen writes them; no taxonomies,
/// feeds or sitemap, which guidegen does not make either.
const HUGO_CONFIG: &str = r#"baseURL = "http://127.0.0.1/"
title = "IT guides"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]

[languages.da]
contentDir = "content/da"
languageName = "Dansk"
weight = 1

[languages.en]
contentDir = "content/en"
languageName = "English"
weight = 2
"#;

/// A guide's page: its title and text, and links to its other languages.
const HUGO_SINGLE: &str = r#"<!doctype html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a> {{ end }}</nav>
<main><h1>{{ .Title }}</h1>
{{ .Content }}
</main>
</body>
</html>
"#;

/// The home page and each category: every guide below it, by title.
const HUGO_LIST: &str = r#"<!doctype html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body>
<main><h1>{{ .Title }}</h1>
<ul>
{{ $pages := .RegularPagesRecursive }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range $pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</main>
</body>
</html>
"#;

const TOPICS: &[(&str, &str)] = &[
    ("tofaktorgodkendelse", "two-factor authentication"),
    ("trådløst netværk", "wireless network"),
    ("printeren på biblioteket", "the library printer"),
    (
        "din skolemail på telefonen",
        "your school email on your phone",
    ),
    ("OneDrive", "OneDrive"),
    ("Teams-møder", "Teams meetings"),
    ("VPN hjemmefra", "VPN from home"),
    ("adgangskort", "access card"),
    ("Zoom-licens", "Zoom licence"),
    ("Office på din egen computer", "Office on your own computer"),
    ("delte mapper", "shared folders"),
    ("eksamensbrowseren", "the exam browser"),
];

/// (da, en) actions; `{n}` is replaced by a number that varies per step.
const ACTIONS: &[(&str, &str)] = &[
    (
        "Åbn [https://portal.example.dk](https://portal.example.dk) i en browser, og log på med din\nskolemail. Vælg derefter **Indstillinger** øverst til højre.",
        "Open [https://portal.example.dk](https://portal.example.dk) in a browser and sign in with your\nschool email. Then select **Settings** in the top right corner.",
    ),
    (
        "Vælg **Sikkerhed** i menuen til venstre, og find afsnittet *Logonmetoder*.\nVælg **Tilføj metode** ({n}).",
        "Select **Security** in the menu on the left and find the *Sign-in methods* section.\nSelect **Add method** ({n}).",
    ),
    (
        "Skriv koden `{n}48-{n}1`, som du har fået på sms, i feltet **Kode**, og vælg **Bekræft**.",
        "Type the code `{n}48-{n}1` from the text message in the **Code** field and select **Confirm**.",
    ),
    (
        "Tryk på **Indstillinger** → **Konti** → **Tilføj konto** på din telefon.",
        "On your phone, tap **Settings** → **Accounts** → **Add account**.",
    ),
    (
        "Vælg den rigtige konto på listen:\n\n- din skolemail, hvis du er studerende\n- din medarbejdermail, hvis du er ansat\n\nTryk derefter på **Fortsæt**.",
        "Pick the right account in the list:\n\n- your school email if you are a student\n- your staff email if you are employed\n\nThen tap **Continue**.",
    ),
    (
        "Vent, mens enheden synkroniserer. Det kan tage op til {n} minutter; luk *ikke* vinduet imens.",
        "Wait while the device syncs. It can take up to {n} minutes; do *not* close the window meanwhile.",
    ),
    (
        "Skriv din adgangskode, og vælg **Log på**. Har du glemt den, så se vejledningen om\n[nulstilling af adgangskode](https://support.example.dk/nulstil).",
        "Enter your password and select **Sign in**. If you have forgotten it, see the guide on\n[resetting your password](https://support.example.dk/reset).",
    ),
    (
        "Sæt flueben i **Husk mig på denne enhed**, og vælg **Næste**.",
        "Tick **Remember me on this device** and select **Next**.",
    ),
    (
        "Åbn appen, og tryk på **+** øverst. Vælg **Arbejds- eller skolekonto**.",
        "Open the app and tap **+** at the top. Choose **Work or school account**.",
    ),
    (
        "Scan QR-koden på computerens skærm med telefonens kamera. Hold telefonen roligt, til den\nsiger **Kontoen er tilføjet**.",
        "Scan the QR code on the computer screen with your phone's camera. Hold the phone still until it\nsays **Account added**.",
    ),
    (
        "Vælg **Gem** nederst på siden. Der står nu *Ændringerne er gemt* i en grøn boks.",
        "Select **Save** at the bottom of the page. A green box now says *Changes saved*.",
    ),
    (
        "Genstart programmet, og log på igen med din skolemail og den nye adgangskode.",
        "Restart the program and sign in again with your school email and the new password.",
    ),
];

const RESULTS: &[(&str, &str)] = &[
    (
        "Siden **Sikkerhedsoplysninger** vises.",
        "The **Security info** page appears.",
    ),
    (
        "Du ser en grøn bekræftelse med teksten *Udført*.",
        "You see a green confirmation saying *Done*.",
    ),
    (
        "Enheden står nu på listen under **Mine enheder**.",
        "The device is now listed under **My devices**.",
    ),
    (
        "Appen viser din konto og en sekscifret kode, der skifter hvert 30. sekund.",
        "The app shows your account and a six-digit code that changes every 30 seconds.",
    ),
];

const CALLOUTS: &[(&str, &str, &str)] = &[
    (
        "note",
        "Ser siden anderledes ud, er du måske logget på med en privat konto. Log ud, og prøv igen\nmed din skolemail.",
        "If the page looks different, you may be signed in with a personal account. Sign out and try\nagain with your school email.",
    ),
    (
        "tip",
        "Du kan også bruge genvejen **Ctrl**+**K** for at komme direkte hertil.",
        "You can also use the shortcut **Ctrl**+**K** to get here directly.",
    ),
    (
        "warning",
        "Del aldrig koden med andre – heller ikke med IT-supporten. Vi spørger dig **aldrig** om den.",
        "Never share the code with anyone – not even IT support. We will **never** ask you for it.",
    ),
];

/// The device of each step (1-based) where it switches, for a 25-step guide; `variant` shifts the
/// pattern a little so that guides differ.
fn device_switch(step: usize, variant: usize) -> Option<&'static str> {
    const SWITCHES: &[(usize, &str)] = &[
        (1, "computer"),
        (4, "phone"),
        (7, "computer"),
        (11, "phone"),
        (14, "computer"),
        (18, "tablet"),
        (21, "computer"),
        (24, "phone"),
    ];
    SWITCHES
        .iter()
        .find(|(at, _)| {
            let at = if *at > 1 && variant % 2 == 1 {
                at + 1
            } else {
                *at
            };
            at == step
        })
        .map(|(_, d)| *d)
}

/// A small mock-up screenshot like the example guides' (about 2 kB).
fn screenshot_svg(label: &str, k: usize) -> String {
    let accent = ["#0f6cbd", "#107c10", "#c50f1f", "#8764b8"][k % 4];
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800" viewBox="0 0 1280 800">
<title>Mock-up: {label}</title>
<rect x="0" y="0" width="1280" height="800" rx="12" fill="#dfe1e5"/>
<circle cx="28" cy="30" r="8" fill="#bdbdbd"/>
<circle cx="54" cy="30" r="8" fill="#bdbdbd"/>
<circle cx="80" cy="30" r="8" fill="#bdbdbd"/>
<path d="M104 56 v-34 a12 12 0 0 1 12 -12 h340 a12 12 0 0 1 12 12 v34 z" fill="#ffffff"/>
<text x="124" y="42" font-family="sans-serif" font-size="22" fill="#3c4043">portal.example.dk</text>
<rect x="0" y="56" width="1280" height="744" fill="#f3f2f1"/>
<rect x="400" y="140" width="480" height="520" rx="8" fill="#ffffff" stroke="#e1dfdd"/>
<text x="440" y="210" font-family="sans-serif" font-size="32" font-weight="bold" fill="#1b1b1b">{label}</text>
<text x="440" y="260" font-family="sans-serif" font-size="20" fill="#605e5c">Enter your school email address</text>
<rect x="440" y="290" width="400" height="48" rx="4" fill="#ffffff" stroke="#8a8886"/>
<text x="456" y="322" font-family="sans-serif" font-size="20" fill="#a19f9d">name@example.dk</text>
<rect x="440" y="370" width="180" height="16" rx="3" fill="#c8c6c4"/>
<rect x="440" y="400" width="260" height="16" rx="3" fill="#c8c6c4"/>
<rect x="700" y="560" width="140" height="52" rx="4" fill="{accent}"/>
<text x="770" y="594" font-family="sans-serif" font-size="22" fill="#ffffff" text-anchor="middle">Next</text>
</svg>
"##
    )
}

/// A small PNG screenshot: a window with a title bar, a panel and a button.
fn screenshot_png(width: u32, height: u32) -> std::io::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let in_rect = |x0: u32, y0: u32, x1: u32, y1: u32| x >= x0 && x < x1 && y >= y0 && y < y1;
        if y < 24 {
            image::Rgb([223, 225, 229])
        } else if in_rect(300, 240, 440, 276) {
            image::Rgb([15, 108, 189])
        } else if in_rect(60, 60, 420, 76)
            || in_rect(60, 92, 300, 104)
            || in_rect(60, 116, 340, 128)
        {
            image::Rgb([200, 198, 196])
        } else if in_rect(40, 40, 440, 220) {
            image::Rgb([255, 255, 255])
        } else {
            image::Rgb([243, 242, 241])
        }
    });
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .map_err(std::io::Error::other)?;
    Ok(bytes)
}

/// A 320×200 PNG screenshot for [`ScreenshotPlan::Shared`] (`None`) and [`ScreenshotPlan::Distinct`]
/// (`Some((guide, step))`): a window with a title bar, a panel with text lines and a button. For a
/// guide's step, the button's colour and place and the lengths of the text lines follow the step,
/// and a row of marks under the title bar spells the guide's and the step's number in bits, so that
/// no two steps of the site have the same bytes.
fn step_png(seed: Option<(usize, usize)>) -> std::io::Result<Vec<u8>> {
    let (width, height) = (320u32, 200u32);
    let (guide, step) = seed.unwrap_or((0, 0));
    // Bits 0–4: the step (1–25); bits 5 and up: the guide.
    let code = (guide as u64) << 5 | step as u64;
    let step = step as u32;
    let accent = [
        [15, 108, 189],
        [16, 124, 16],
        [197, 15, 31],
        [135, 100, 184],
    ][step as usize % 4];
    let button_x = 180 + (step % 5) * 12;
    let line = |k: u32| 80 + (step * 37 + k * 53) % 140;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let in_rect = |x0: u32, y0: u32, x1: u32, y1: u32| x >= x0 && x < x1 && y >= y0 && y < y1;
        if y < 16 {
            image::Rgb([223, 225, 229])
        } else if seed.is_some() && (18..22).contains(&y) && x < 8 * 32 {
            // One 8-pixel mark per bit of `code`, dark for 1.
            if code >> (x / 8) & 1 == 1 {
                image::Rgb([60, 64, 67])
            } else {
                image::Rgb([243, 242, 241])
            }
        } else if in_rect(button_x, 160, button_x + 90, 184) {
            image::Rgb(accent)
        } else if in_rect(40, 40, 40 + line(0), 50)
            || in_rect(40, 62, 40 + line(1), 70)
            || in_rect(40, 78, 40 + line(2), 86)
        {
            image::Rgb([200, 198, 196])
        } else if in_rect(26, 28, 294, 148) {
            image::Rgb([255, 255, 255])
        } else {
            image::Rgb([243, 242, 241])
        }
    });
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .map_err(std::io::Error::other)?;
    Ok(bytes)
}
