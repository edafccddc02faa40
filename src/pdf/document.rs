//! A guide view as typst source: an import of `template.typ`, then the guide as calls of its functions.

use std::fmt::Write;

use super::markup::{self, content, in_lang, string, text};
use super::world::Files;
use crate::catalog::Catalog;
use crate::model::{ImageKind, Paper};
use crate::shots::is_long_capture;
use crate::view::{
    AppView, BannerView, CalloutView, GuideView, Label, Prose, ScreenshotView, SectionView,
    StepView, VideoView,
};

/// The fixed layout every guide's source imports; the guide's own part calls its functions.
const TEMPLATE: &str = include_str!("template.typ");

/// The template's line saying the guide is left-to-right, replaced for a right-to-left one.
const LTR_FLAG: &str = "#let gg-rtl = false";

/// The template as the virtual files a guide's source imports: left-to-right, right-to-left. A
/// module of its own, so that a process parses it once (`world`), and evaluates it once for all the
/// PDFs of a build (typst memoizes a module's evaluation), instead of once per PDF as the first
/// 20 kB of every guide's source.
pub const TEMPLATE_PATHS: [&str; 2] = ["/template.typ", "/template-rtl.typ"];

/// The text of the template at `TEMPLATE_PATHS[rtl]`.
pub fn template_text(rtl: bool) -> std::borrow::Cow<'static, str> {
    if rtl {
        // The template pads the number's gutter on the left; a right-to-left guide has it on the right.
        TEMPLATE.replacen(LTR_FLAG, "#let gg-rtl = true", 1).into()
    } else {
        TEMPLATE.into()
    }
}

/// The line a guide's source starts with.
pub fn template_import(rtl: bool) -> String {
    format!("#import \"{}\": *\n", TEMPLATE_PATHS[usize::from(rtl)])
}

/// Colours icons are drawn in (their SVG uses `currentColor`).
const ICON_MUTED: &str = "#5a6472";
const ICON_BANNER: &str = "#ffffff";

/// Markdown longer than this (some 15 lines) may break across pages; a step's head with a shorter action
/// is never split.
const LONG_ACTION: usize = 1200;

/// A callout longer than this (some 7 lines) may break across pages; a shorter one is never split.
const LONG_CALLOUT: usize = 600;

/// Page geometry in millimetres, as `template.typ` sets it.
struct Geometry {
    /// The widest a screenshot below a step's text may be.
    column: f64,
    /// The tallest a screenshot may be.
    max_height: f64,
    /// A screenshot at most this wide goes beside the step's text instead of below it.
    beside: f64,
    /// Half the height of a page's body: a step estimated taller than this may break after its head.
    half_page: f64,
}

impl Geometry {
    fn of(paper: Paper) -> Self {
        let (width, height): (f64, f64) = match paper {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        };
        // The step column: the text width less the number's gutter.
        let step_column = width - 2.0 * 20.0 - 11.0;
        // Sized so that two steps with screenshots usually share a page: a wide screenshot goes below
        // its text, at most 100 mm wide (some 60 mm tall for a computer's screen); a narrow one (a
        // phone's) beside its text, at most 27% of the page tall.
        Geometry {
            column: step_column.min(100.0),
            max_height: height * 0.27,
            beside: step_column * 0.45,
            half_page: (height - 24.0 - 22.0) / 2.0,
        }
    }

    /// How wide a screenshot is shown, in millimetres: the column's width, or less for a tall one.
    fn shown_width(&self, shot: &ScreenshotView) -> f64 {
        self.shown_width_of(shot.width, shot.height)
    }

    /// How wide an image of `width`×`height` pixels is shown as a step's screenshot.
    fn shown_width_of(&self, width: u32, height: u32) -> f64 {
        let mut shown = self.column;
        if width > 0 && height > 0 {
            let aspect = f64::from(width) / f64::from(height);
            // A long capture is cut into pieces instead ([`is_long_capture`]): held to a phone's
            // height, a page scrolled down would be a strip too narrow to read.
            if !is_long_capture(width, height) {
                shown = shown.min(self.max_height * aspect);
            }
            // Small images are not blown up past their size at 96 dpi.
            shown = shown.min(f64::from(width) * 25.4 / 96.0);
        }
        shown.max(10.0)
    }
}

/// How tall each piece of a long capture is on paper, in millimetres: the pieces stand one under
/// the other and a page breaks between two, so a page is left at most this much short.
const LONG_PIECE: f64 = 45.0;

/// How wide, in millimetres, a PDF on `paper` shows a step's screenshot of `width`×`height` pixels:
/// what [`crate::shots::prepare`] makes its print copy for.
pub fn shot_width_mm(paper: Paper, width: u32, height: u32) -> f64 {
    Geometry::of(paper).shown_width_of(width, height)
}

/// Makes the print copies of the guide's screenshots that need one ([`crate::shots::print_copy`]),
/// side by side on rayon's threads: decoding and scaling a retina screenshot takes some 20 ms,
/// most of a guide's PDF. The source is then written with them at hand.
fn make_print_copies(view: &GuideView<'_>, geometry: &Geometry) {
    use rayon::prelude::*;
    // Which need one is print_copy's to say (it answers at once for the others).
    let shots: Vec<&ScreenshotView> = view.screenshots().collect();
    shots.par_iter().for_each(|shot| {
        crate::shots::print_copy(&shot.image, geometry.shown_width(shot));
    });
}

/// A screenshot as the PDF's source shows it ([`Builder::screenshot`]).
struct ShotCall {
    /// The call of `gg-shot` or `gg-long-shot`, or `none`.
    call: String,
    /// Narrow enough to stand beside the step's text.
    beside: bool,
    /// A long capture ([`is_long_capture`]): pages may break between its pieces.
    long: bool,
    /// About how tall it is on paper, in millimetres, with the space around it.
    height: f64,
}

impl ShotCall {
    fn none() -> ShotCall {
        ShotCall {
            call: "none".to_owned(),
            beside: false,
            long: false,
            height: 0.0,
        }
    }
}

/// A step's head as the PDF's source shows it ([`Builder::step_head`]).
struct Head {
    action: String,
    shot: ShotCall,
    result: String,
    /// About how tall it is on paper, in millimetres, without the label row and banner.
    height: f64,
}

/// What follows a step's head, as typst content blocks, and about how tall it is in millimetres.
#[derive(Default)]
struct Rest {
    items: Vec<String>,
    height: f64,
}

impl Rest {
    fn push(&mut self, item: String, height: f64) {
        self.items.push(item);
        self.height += height;
    }
}

/// Roughly how tall a step's parts are on paper, in millimetres, from their length alone (no layout):
/// enough to tell a step that takes more than about half a page from one that does not. A step's
/// text runs some 85 characters to a line of 10.5 pt in the step column, 5 mm a line.
mod estimate {
    /// A text of `chars` characters, with the space after its paragraph.
    pub fn text(chars: usize) -> f64 {
        (chars as f64 / 85.0).ceil().max(1.0) * 5.0 + 3.0
    }
    /// The banner saying to switch device.
    pub const BANNER: f64 = 14.0;
    /// A "continue on your phone" code under the banner (a 30 mm QR code, framed).
    pub const CONTINUE: f64 = 42.0;
    /// The number and label row, with the space above the step.
    pub const LABEL_ROW: f64 = 15.0;
    /// Above and below a screenshot, and its callouts' labels under it.
    pub const SHOT_SPACE: f64 = 12.0;
    /// The result's label and spacing, without its text.
    pub const RESULT: f64 = 5.0;
    /// An app's box with its stores' QR codes.
    pub const APP: f64 = 65.0;
    /// A callout's frame and spacing, without its text.
    pub const CALLOUT: f64 = 10.0;
    /// A video's box.
    pub const VIDEO: f64 = 55.0;
}

/// Where the generated part of the source starts a part of the guide: `// gg: step 3` on a line of its
/// own. An error typst reports is traced back to the nearest marker before it ([`part_at`]); no text of a
/// guide can start a line, since every text is a string literal with its line breaks escaped.
const MARKER: &str = "\n// gg: ";

/// The part of the guide that the source at byte `offset` typesets, from the nearest marker before it;
/// `None` within the fixed template.
pub fn part_at(source: &str, offset: usize) -> Option<&str> {
    let before = source.get(..offset)?;
    let start = before.rfind(MARKER)? + MARKER.len();
    source[start..].lines().next()
}

/// The typst source of `view`, and the files it refers to.
pub fn source(view: &GuideView<'_>, paper: Paper) -> (String, Files) {
    let mut b = Builder {
        out: String::with_capacity(16 * 1024),
        files: Files::default(),
        geometry: Geometry::of(paper),
        attachments: view.attachments.clone(),
        link_titles: view.link_titles.clone(),
    };
    make_print_copies(view, &b.geometry);
    b.out.push_str(&template_import(view.dir == "rtl"));
    b.document(view, paper);
    (b.out, b.files)
}

struct Builder {
    out: String,
    files: Files,
    geometry: Geometry,
    /// The files of the guide's folder its Markdown links to, by path: images among them are drawn.
    attachments: Attachments,
    /// The guides its `guide:` links name: the PDF prints their titles and addresses.
    link_titles: std::collections::BTreeMap<String, crate::view::LinkTitle>,
}

type Attachments = std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>;

/// What paper prints for a `guide:` link: the guide's title, and its address where the site has
/// one (with the link's place in it: `#step-4`).
fn guide_link(
    titles: &std::collections::BTreeMap<String, crate::view::LinkTitle>,
    url: &str,
) -> Option<markup::GuideLinkText> {
    let link = crate::guidelinks::parse(url)?;
    let known = titles.get(link.id)?;
    let fragment = link.fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Some(markup::GuideLinkText {
        title: known.title.clone(),
        address: known.address.as_ref().map(|a| format!("{a}{fragment}")),
    })
}

/// An image a text of the guide shows (`![alt](shots/menu.png)`), added to the PDF's files: a PNG,
/// JPEG or SVG (validation read its size and sanitized an SVG); any other kind keeps its alt text.
fn inline_image(
    files: &mut Files,
    attachments: &Attachments,
    rel: &str,
) -> Option<markup::InlineImage> {
    let rel = crate::validate::attachment_key(rel);
    let bytes = attachments.get(&rel)?;
    let ext = rel.rsplit('.').next().unwrap_or_default();
    let kind = ImageKind::from_extension(ext)?;
    let (width, _) = crate::shots::dimensions(bytes, kind)?;
    Some(markup::InlineImage {
        path: files.add_shared(kind.extension(), bytes),
        width_mm: f64::from(width.max(1)) * 25.4 / 96.0,
    })
}

/// A label as markup, in its own language when that differs from the page's.
fn label(label: &Label) -> String {
    in_lang(label.lang.as_deref(), text(&label.text))
}

/// A catalog string with `{page}` and `{total}` as a typst function of the two numbers.
fn page_of(template: &str) -> String {
    let mut body = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        body.push_str(&text(&rest[..start]));
        match name {
            "page" => body.push_str("#str(p);"),
            "total" => body.push_str("#str(t);"),
            other => body.push_str(&text(&format!("{{{other}}}"))),
        }
        rest = &rest[start + len + 1..];
    }
    body.push_str(&text(rest));
    format!("(p, t) => [{body}]")
}

/// A typst array of `items` (`()`, `(a,)`, `(a, b)`).
fn array(items: &[String]) -> String {
    match items {
        [] => "()".to_owned(),
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// An icon's SVG in a concrete colour, standalone (with the SVG namespace typst's parser needs).
fn icon_svg(svg: &str, colour: &str) -> String {
    let svg = svg.replace("currentColor", colour);
    if svg.contains("xmlns=") {
        svg
    } else {
        svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1)
    }
}

impl Builder {
    /// Prose (Markdown) as markup, in its own language when that differs from the page's; its images
    /// of the guide's folder drawn.
    fn prose(&mut self, prose: &Prose) -> String {
        let files = &mut self.files;
        let attachments = &self.attachments;
        let mut image = |rel: &str| inline_image(files, attachments, rel);
        let titles = &self.link_titles;
        let mut guide = |url: &str| guide_link(titles, url);
        let body = markup::markdown_with(&prose.markdown, &mut image, &mut guide);
        in_lang(prose.lang.as_deref(), body)
    }

    /// Marks the start of a part of the guide (see [`MARKER`]).
    fn mark(&mut self, part: &str) {
        let _ = writeln!(self.out, "{MARKER}{part}");
    }

    /// A QR code's SVG among the PDF's files: its path.
    fn qr_file(&mut self, svg: &str) -> String {
        self.files.add(
            "svg",
            typst::foundations::Bytes::from_string(svg.to_owned()),
        )
    }

    fn icon(&mut self, svg: &'static str, colour: &str) -> String {
        let key = format!("{colour}{:p}", svg.as_ptr());
        let path = self
            .files
            .add_text_once(&key, "svg", || icon_svg(svg, colour));
        string(&path)
    }

    /// The guide's source, in the order the PDF reads: its settings, front matter, overview,
    /// sections, support block, and the note on printed links when it has any.
    fn document(&mut self, view: &GuideView<'_>, paper: Paper) {
        self.settings(view, paper);
        self.front_matter(view);
        self.overview(view);
        for section in &view.sections {
            self.section(section, view);
        }
        self.support(view);
        if self.out.contains("#link(") {
            self.mark("the note on links at the end");
            let _ = writeln!(
                self.out,
                "#gg-colophon({})",
                content(view.ui.get("pdf.link_note"))
            );
        }
    }

    /// The document's title and language, the text's font and direction, the paper, and the page
    /// header ("DMJX · IT guides") and footer.
    fn settings(&mut self, view: &GuideView<'_>, paper: Paper) {
        let paper = match paper {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        };
        let mut header = String::new();
        if let Some(org) = &view.organization {
            header.push_str(&label(org));
            header.push_str("#h(0.5em)#\"·\";#h(0.5em)");
        }
        header.push_str(&label(&view.site_title));

        self.mark("the document's settings");
        let out = &mut self.out;
        let _ = writeln!(out, "#set document(title: {})", string(&view.title.text));
        let lang = markup::lang_args(&view.lang)
            .map(|a| format!(", {a}"))
            .unwrap_or_default();
        let dir = if view.dir == "rtl" { "rtl" } else { "ltr" };
        let _ = writeln!(
            out,
            "#set text(font: (\"Inter\", \"Noto Sans Arabic\", \"Noto Sans Hebrew\"), size: 10.5pt, fill: ink, dir: {dir}{lang})"
        );
        self.mark("the page header and footer");
        let _ = writeln!(
            self.out,
            "#show: gg-setup.with(paper: {}, header: [{header}], page-of: {})",
            string(paper),
            page_of(view.ui.get("pdf.page_of"))
        );
    }

    /// The guide's title, the platforms it is for, its summary, when it was updated, and the notice
    /// of texts not yet translated.
    fn front_matter(&mut self, view: &GuideView<'_>) {
        self.mark("the guide's title");
        let _ = writeln!(self.out, "#title[{}]", label(&view.title));
        if let Some(platforms) = &view.for_platforms {
            self.mark("the platforms the guide is for");
            let _ = writeln!(
                self.out,
                "#block(above: 0mm, below: 4mm, text(size: 12pt, weight: \"semibold\", fill: accent, {}))",
                content(platforms)
            );
        }
        if let Some(summary) = &view.summary {
            self.mark("the guide's summary");
            let summary = self.prose(summary);
            let _ = writeln!(self.out, "#gg-summary[{summary}]");
        }
        self.updated(view);
        if let Some(notice) = &view.notice {
            self.mark("the notice of untranslated text");
            let items: Vec<String> = notice.items.iter().map(|i| content(&i.text)).collect();
            let _ = writeln!(
                self.out,
                "#gg-notice({}, {})",
                content(&notice.text),
                array(&items)
            );
        }
    }

    /// What the reader needs and the contents, side by side when there are both; then the guide's
    /// video.
    fn overview(&mut self, view: &GuideView<'_>) {
        let ui = view.ui;
        let mut needs = "none".to_owned();
        if !view.needs.is_empty() {
            let mut items = Vec::new();
            for need in &view.needs {
                let icon = self.icon(need.icon, ICON_MUTED);
                items.push(format!("gg-need({icon}, [{}])", label(&need.label)));
            }
            needs = format!(
                "gg-needs.with({}, {})",
                content(ui.get("guide.you_need")),
                array(&items)
            );
        }
        let contents = if view.has_toc {
            format!("gg-contents.with({})", content(ui.get("guide.contents")))
        } else {
            "none".to_owned()
        };
        self.mark("what the reader needs, and the contents");
        let _ = writeln!(self.out, "#gg-overview({needs}, {contents})");
        if let Some(video) = &view.video {
            let call = self.video(video);
            self.mark("the guide's video");
            let _ = writeln!(self.out, "#{call}");
        }
    }

    /// A section: its title, introduction and video, and its steps (headings one level below a
    /// titled section's).
    fn section(&mut self, section: &SectionView, view: &GuideView<'_>) {
        let titled = section.title.is_some();
        if let Some(title) = &section.title {
            self.mark(&format!("the title of section {}", section.number));
            let _ = writeln!(self.out, "#heading(level: 1)[{}]", label(title));
        }
        if let Some(intro) = &section.intro {
            self.mark(&format!("the introduction of section {}", section.number));
            let intro = self.prose(intro);
            let _ = writeln!(self.out, "#gg-intro[{intro}]");
        }
        if let Some(video) = &section.video {
            let call = self.video(video);
            self.mark(&format!("the video of section {}", section.number));
            let _ = writeln!(self.out, "#{call}");
        }
        for step in &section.steps {
            self.step(step, view, if titled { 2 } else { 1 });
        }
    }

    // -- text: "last updated" and the support block --

    /// "Last updated 30 November 2026", under the title and summary.
    fn updated(&mut self, view: &GuideView<'_>) {
        if let Some(updated) = &view.updated {
            self.mark("the date of the last update");
            let _ = writeln!(self.out, "#gg-updated({})", content(&updated.text));
        }
    }

    /// The support block: heading, text, and each way of contact, e-mail and phone as links.
    fn support(&mut self, view: &GuideView<'_>) {
        let Some(support) = &view.support else {
            return;
        };
        let items: Vec<String> = support
            .items
            .iter()
            .map(|item| {
                let value = match &item.href {
                    Some(href) => format!("link({})[{}]", string(href), label(&item.text)),
                    None => format!("[{}]", label(&item.text)),
                };
                format!("({}, {value})", content(&item.label))
            })
            .collect();
        let text = self.prose(&support.text);
        self.mark("the support block");
        let _ = writeln!(
            self.out,
            "#gg-support({}, [{text}], {})",
            content(&support.heading),
            array(&items)
        );
    }

    /// A step as a call of `gg-step`: its head (banner, label, action, screenshot, result), kept on
    /// one page when it can be, and its rest (the parts that differ per platform, apps, callouts, a
    /// video), which may go to the next page when the whole step is tall.
    fn step(&mut self, step: &StepView, view: &GuideView<'_>, level: u8) {
        let (banner, banner_height) = match &step.banner {
            Some(banner) => self.banner(banner),
            None => ("none".to_owned(), 0.0),
        };
        let device = self.step_device(step);
        let heading = format!(
            "heading(level: {level}, outlined: false)[{}]",
            text(&step.label)
        );
        let mut rest = Rest::default();
        let head = self.step_head(step, view.ui, &mut rest);
        self.apps(step, view.ui, &mut rest);
        self.callouts(step, &mut rest);
        if let Some(video) = &step.video {
            let video = self.video(video);
            rest.push(video, estimate::VIDEO);
        }
        // The step's height on paper, estimated (see [`estimate`]).
        let height = estimate::LABEL_ROW + banner_height + head.height + rest.height;
        let tall = height > self.geometry.half_page;
        // A step's head is kept on one page, unless its text alone is too long for that, or its
        // screenshot is a long capture, cut into pieces for pages to break between.
        let breakable = step.action.markdown.len() > LONG_ACTION || head.shot.long;
        let Head {
            action,
            shot,
            result,
            ..
        } = head;
        self.mark(&format!("step {}", step.number));
        let _ = writeln!(
            self.out,
            "#gg-step(number: {}, label: {heading}, device: {device}, banner: {banner}, action: [{action}], shot: {}, beside: {}, result: {result}, rest: {}, breakable: {breakable}, tall: {tall})",
            step.number,
            shot.call,
            shot.beside,
            array(&rest.items)
        );
    }

    /// The banner saying to switch device, with its "continue on your phone" codes (every
    /// platform's: on paper each says which it is for), and about how tall it is.
    fn banner(&mut self, banner: &BannerView) -> (String, f64) {
        let icon = self.icon(banner.device.icon, ICON_BANNER);
        let codes: Vec<String> = banner
            .continue_codes
            .iter()
            .map(|code| {
                let qr = self.qr_file(&code.qr_svg);
                let hint = match &code.platform_label {
                    Some(name) => format!("{name}: {}", code.hint),
                    None => code.hint.clone(),
                };
                format!(
                    "#gg-continue({}, {}, {}, {})",
                    string(&qr),
                    string(&code.qr_label),
                    content(&hint),
                    string(&code.url)
                )
            })
            .collect();
        let height = estimate::BANNER + estimate::CONTINUE * codes.len() as f64;
        let cont = if codes.is_empty() {
            String::new()
        } else {
            format!(", cont: [{}]", codes.join(" "))
        };
        let call = format!("gg-banner({icon}, [{}]{cont})", label(&banner.text));
        (call, height)
    }

    /// The step's device, and for a step of some platforms only, which ("Computer · Only for Mac").
    fn step_device(&mut self, step: &StepView) -> String {
        let icon = self.icon(step.device.icon, ICON_MUTED);
        let only = step.variants.as_ref().and_then(|v| v.only.as_ref());
        let only = only.map(|o| format!(" · {}", text(o))).unwrap_or_default();
        format!("gg-device({icon}, [{}{only}])", label(&step.device.label))
    }

    /// The step's action, screenshot and result. Those that differ per platform (the PDF of every
    /// variant) go to `rest` instead, each labelled with its platform.
    fn step_head(&mut self, step: &StepView, ui: &Catalog, rest: &mut Rest) -> Head {
        let mut action = self.prose(&step.action);
        let mut shot = match &step.screenshot {
            Some(shot) => self.screenshot(shot),
            None => ShotCall::none(),
        };
        let mut text_height = estimate::text(step.action.markdown.len());
        if varies(&step.parts.action) {
            let actions: Vec<String> = step
                .parts
                .action
                .iter()
                .filter_map(|part| {
                    let value = part.value.as_ref()?;
                    Some(format!("#{} {}", platform_label(part), self.prose(value)))
                })
                .collect();
            action = actions.join(" #parbreak() ");
            text_height = step
                .parts
                .action
                .iter()
                .filter_map(|p| p.value.as_ref())
                .map(|v| estimate::text(v.markdown.len()) + 8.0)
                .sum();
        }
        if varies(&step.parts.screenshot) {
            shot = ShotCall::none();
            for part in &step.parts.screenshot {
                if let Some(value) = &part.value {
                    let each = self.screenshot(value);
                    rest.push(
                        format!("[#{} #{}]", platform_label(part), each.call),
                        each.height + 8.0,
                    );
                }
            }
        }
        // What the reader should see belongs with the screenshot that shows it.
        let result_label = content(ui.get("guide.result"));
        let result = match &step.result {
            _ if varies(&step.parts.result) => {
                for part in &step.parts.result {
                    if let Some(value) = &part.value {
                        let call = format!(
                            "[#{} #gg-result({result_label}, [{}])]",
                            platform_label(part),
                            self.prose(value)
                        );
                        rest.push(
                            call,
                            estimate::RESULT + estimate::text(value.markdown.len()) + 8.0,
                        );
                    }
                }
                "none".to_owned()
            }
            Some(result) => {
                text_height += estimate::RESULT + estimate::text(result.markdown.len());
                format!("gg-result({result_label}, [{}])", self.prose(result))
            }
            None => "none".to_owned(),
        };
        // A narrow screenshot stands beside the text, a wide one below it.
        let height = if shot.beside {
            text_height.max(shot.height)
        } else {
            text_height + shot.height
        };
        Head {
            action,
            shot,
            result,
            height,
        }
    }

    /// The apps the step asks the reader to install, each a box with its stores' QR codes (per
    /// platform, each labelled, where they differ).
    fn apps(&mut self, step: &StepView, ui: &Catalog, rest: &mut Rest) {
        let apps: Vec<(String, &AppView)> = if varies(&step.parts.app) {
            step.parts
                .app
                .iter()
                .filter_map(|part| {
                    Some((format!("#{} ", platform_label(part)), part.value.as_ref()?))
                })
                .collect()
        } else {
            step.app.iter().map(|app| (String::new(), app)).collect()
        };
        // On paper there is no link to tap: the catalog's paper wording, where it has one.
        let hint = content(if ui.has("pdf.scan_hint") {
            ui.get("pdf.scan_hint")
        } else {
            ui.get("store.scan_hint")
        });
        for (platform, app) in apps {
            let stores: Vec<String> = app
                .stores
                .iter()
                .map(|store| {
                    let qr = self.qr_file(&store.qr_svg);
                    format!(
                        "gg-store({}, {}, {}, {})",
                        string(&qr),
                        string(&store.qr_label),
                        content(&store.badge),
                        string(&store.url)
                    )
                })
                .collect();
            let call = format!(
                "[{platform}#gg-app({}, {hint}, {})]",
                content(&app.heading),
                array(&stores)
            );
            rest.push(call, estimate::APP);
        }
    }

    /// The step's callouts (notes, tips, warnings), per platform where they differ.
    fn callouts(&mut self, step: &StepView, rest: &mut Rest) {
        let callouts: Vec<(String, &Vec<CalloutView>)> = if varies(&step.parts.callouts) {
            step.parts
                .callouts
                .iter()
                .filter_map(|part| {
                    Some((format!("#{} ", platform_label(part)), part.value.as_ref()?))
                })
                .collect()
        } else {
            vec![(String::new(), &step.callouts)]
        };
        for (platform, list) in callouts {
            let mut height = 0.0;
            let boxes: Vec<String> = list
                .iter()
                .map(|callout| {
                    height += estimate::CALLOUT + estimate::text(callout.body.markdown.len());
                    format!(
                        "#gg-callout({}, {}, [{}], breakable: {})",
                        string(callout.kind),
                        content(&callout.label),
                        self.prose(&callout.body),
                        callout.body.markdown.len() > LONG_CALLOUT
                    )
                })
                .collect();
            if !boxes.is_empty() {
                rest.push(format!("[{platform}{}]", boxes.join(" ")), height);
            }
        }
    }

    /// A video as a call of `gg-video`: the poster (or a placeholder for a video without one), the
    /// title, and a QR code with the printed address (a service's video), a note on where the file is
    /// published (a video file: a PDF has no address of the site to point at), or the notice of a
    /// video not made yet.
    fn video(&mut self, video: &VideoView) -> String {
        const POSTER_WIDTH: f64 = 55.0;
        const POSTER_HEIGHT: f64 = 45.0;
        let mut args = vec![content(&video.label), format!("[{}]", label(&video.title))];
        let poster = match &video.poster {
            Some(poster) => {
                let mut width = POSTER_WIDTH;
                if poster.width > 0 && poster.height > 0 {
                    let aspect = f64::from(poster.width) / f64::from(poster.height);
                    width = width.min(POSTER_HEIGHT * aspect);
                }
                let width = width.max(10.0);
                // A still from a screen recording is as sharp as a screenshot: a copy at print size.
                let image = self.image_args(&poster.image, width);
                Some(format!(
                    "gg-poster({image}, {}, {width:.2}mm)",
                    string(&video.title.text),
                ))
            }
            None if video.status == "ready" => {
                Some(format!("gg-video-placeholder({POSTER_WIDTH:.2}mm)"))
            }
            None => None,
        };
        if let Some(poster) = poster {
            args.push(format!("poster: {poster}"));
        }
        if let Some(notice) = &video.notice {
            args.push(format!("notice: {}", content(notice)));
        }
        if let Some(local) = &video.local {
            args.push(format!("note: {}", content(&local.pdf_note)));
        }
        if let Some(service) = &video.service {
            let qr = self.qr_file(&service.qr_svg);
            args.push(format!("qr: {}", string(&qr)));
            args.push(format!("qr-alt: {}", string(&service.qr_label)));
            args.push(format!("url: {}", string(&service.url)));
            args.push(format!("hint: {}", content(&service.pdf_scan_hint)));
        }
        format!("gg-video({})", args.join(", "))
    }

    /// A screenshot as a call of `gg-shot` (`gg-long-shot` for a long capture), whether it goes
    /// beside the step's text (narrow ones do) rather than below it, whether pages may break in it,
    /// and about how tall it is in millimetres, with its callouts' labels.
    fn screenshot(&mut self, shot: &ScreenshotView) -> ShotCall {
        let g = &self.geometry;
        let width = g.shown_width(shot);
        let long = is_long_capture(shot.width, shot.height);
        let beside = !long && width <= g.beside;
        let image = self.image_args(&shot.image, width);
        let height = if shot.width > 0 {
            width * f64::from(shot.height) / f64::from(shot.width)
        } else {
            width
        };
        let marks = marks(shot, width);
        let labels: Vec<String> = shot
            .callouts
            .iter()
            .map(|c| format!("({}, [{}])", c.number, label(&c.label)))
            .collect();
        let alt = string(&shot.alt.text);
        let labels = array(&labels);
        let call = if long {
            let pieces = long_pieces(shot, width, height);
            format!(
                "gg-long-shot({image}, {alt}, {width:.2}mm, {height:.2}mm, {pieces}, marks: {marks}, labels: {labels})"
            )
        } else {
            format!("gg-shot({image}, {alt}, {width:.2}mm, marks: {marks}, labels: {labels})")
        };
        ShotCall {
            call,
            beside,
            long,
            height: height + estimate::SHOT_SPACE,
        }
    }

    /// An image as the first arguments of `gg-shot` or `gg-poster`: its file, or its print copy's
    /// pixels, format and colour profile when the original is far sharper than `width_mm` shows.
    fn image_args(&mut self, image: &crate::model::Image, width_mm: f64) -> String {
        let Some(copy) = crate::shots::print_copy(image, width_mm) else {
            let ext = image.kind.extension();
            return string(&self.files.add_shared(ext, &image.bytes));
        };
        let pixels = self.files.add_shared("rgb", &copy.pixels);
        let encoding = if copy.alpha { "rgba8" } else { "rgb8" };
        let icc = match &copy.icc {
            Some(icc) => string(&self.files.add_shared("icc", icc)),
            None => "auto".to_owned(),
        };
        format!(
            "{}, format: (encoding: \"{encoding}\", width: {}, height: {}), icc: {icc}",
            string(&pixels),
            copy.width,
            copy.height
        )
    }
}

/// Whether a part is shown per platform ([`crate::variants::PartsView`]).
fn varies<T>(parts: &[crate::variants::PartView<T>]) -> bool {
    parts.iter().any(|part| part.platform.is_some())
}

/// A part's platform as a label above it: "Windows", in the accent colour.
fn platform_label<T>(part: &crate::variants::PartView<T>) -> String {
    let name = part.platform.as_ref().map_or("", |p| p.label.text.as_str());
    format!(
        "block(above: 3mm, below: 1.5mm, text(weight: \"bold\", fill: accent, {}))",
        content(name)
    )
}

/// The pieces a long capture shown `width`×`height` mm is cut into, as a typst array of each one's
/// offset from the capture's top and height: at most [`LONG_PIECE`] tall, each ending between two
/// lines of the capture where it can ([`crate::shots::long_capture_cuts`]).
fn long_pieces(shot: &ScreenshotView, width: f64, height: f64) -> String {
    let rows = shot.image.height.max(1);
    let mm_per_row = height / f64::from(rows);
    let piece = (LONG_PIECE / mm_per_row).floor() as u32;
    let cuts = crate::shots::long_capture_cuts(&shot.image, piece, width);
    let starts = std::iter::once(0).chain(cuts.iter().copied());
    let ends = cuts.iter().copied().chain(std::iter::once(rows));
    let pieces: Vec<String> = starts
        .zip(ends)
        .map(|(start, end)| {
            let (offset, tall) = (
                f64::from(start) * mm_per_row,
                f64::from(end - start) * mm_per_row,
            );
            format!("({offset:.2}mm, {tall:.2}mm)")
        })
        .collect();
    array(&pieces)
}

/// The callouts of a screenshot shown `width` mm wide, as typst: a content block of `gg-mark-…`
/// calls at millimetres from the image's top-left corner (the same geometry the page's SVG draws),
/// or `none`.
fn marks(shot: &ScreenshotView, width: f64) -> String {
    use crate::overlay::{Piece, Scale, pieces};
    if shot.shapes.is_empty() || shot.width == 0 {
        return "none".to_owned();
    }
    let scale = Scale::of(shot.width, shot.height);
    // Millimetres per pixel of the image.
    let k = width / f64::from(shot.width);
    let mm = |v: f64| format!("{:.2}mm", v * k);
    let point = |(x, y): (f64, f64)| format!("({}, {})", mm(x), mm(y));
    let s = mm(scale.stroke);
    let mut out = String::from("{");
    for &(n, shape, numbered) in &shot.shapes {
        for piece in pieces(shape, n, numbered, &scale) {
            let _ = match piece {
                Piece::Rect { x, y, w, h, r } => write!(
                    out,
                    "gg-mark-rect({}, {}, {}, {}, {}, {s});",
                    mm(x),
                    mm(y),
                    mm(w),
                    mm(h),
                    mm(r)
                ),
                Piece::Ellipse { x, y, w, h } => write!(
                    out,
                    "gg-mark-ellipse({}, {}, {}, {}, {s});",
                    mm(x),
                    mm(y),
                    mm(w),
                    mm(h)
                ),
                Piece::Line { x1, y1, x2, y2 } => write!(
                    out,
                    "gg-mark-line({}, {}, {}, {}, {s});",
                    mm(x1),
                    mm(y1),
                    mm(x2),
                    mm(y2)
                ),
                Piece::Head([a, b, c]) => write!(
                    out,
                    "gg-mark-head({}, {}, {}, {s});",
                    point(a),
                    point(b),
                    point(c)
                ),
                Piece::Badge { cx, cy, r, n } => write!(
                    out,
                    "gg-mark-badge({}, {}, {}, {n});",
                    mm(cx),
                    mm(cy),
                    mm(r)
                ),
            };
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_follow_the_catalog() {
        assert_eq!(
            page_of("Page {page} of {total}"),
            r#"(p, t) => [#"Page ";#str(p);#" of ";#str(t);]"#
        );
        assert_eq!(
            page_of("{total}/{page}"),
            r#"(p, t) => [#str(t);#"/";#str(p);]"#
        );
        assert_eq!(page_of("{x} \"y"), r#"(p, t) => [#"{x}";#" \"y";]"#);
    }

    #[test]
    fn arrays() {
        assert_eq!(array(&[]), "()");
        assert_eq!(array(&["a".into()]), "(a,)");
        assert_eq!(array(&["a".into(), "b".into()]), "(a, b)");
    }

    #[test]
    fn the_template_has_the_direction_flag_once() {
        assert_eq!(TEMPLATE.matches(LTR_FLAG).count(), 1);
    }

    #[test]
    fn icons_get_a_colour_and_a_namespace() {
        let svg = icon_svg(crate::icons::svg(crate::model::Icon::Phone), "#fff");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!svg.contains("currentColor"));
    }
}
