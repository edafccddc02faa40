//! A guide view as typst source: `template.typ`, then the guide as calls of its functions.

use std::fmt::Write;

use super::markup::{self, content, in_lang, string, text};
use super::world::Files;
use crate::model::{ImageKind, Paper};
use crate::view::{GuideView, Label, Prose, ScreenshotView, StepView};

const TEMPLATE: &str = include_str!("template.typ");

/// Colours icons are drawn in (their SVG uses `currentColor`).
const ICON_MUTED: &str = "#5a6472";
const ICON_BANNER: &str = "#ffffff";

/// Markdown longer than this (some 15 lines) may break across pages; a step's head with a shorter action
/// is never split.
const LONG_ACTION: usize = 1200;

/// Page geometry in millimetres, as `template.typ` sets it.
struct Geometry {
    /// The widest a screenshot may be (at most the step column: text width less the number's gutter).
    column: f64,
    /// The tallest a screenshot may be.
    max_height: f64,
}

impl Geometry {
    fn of(paper: Paper) -> Self {
        let (width, height): (f64, f64) = match paper {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        };
        // Screenshots stay well inside the 40% of a page that a step's head may give them, so that two
        // steps with screenshots usually share a page.
        Geometry {
            column: (width - 2.0 * 20.0 - 11.0).min(115.0),
            max_height: height * 0.3,
        }
    }
}

/// The typst source of `view`, and the files it refers to.
pub fn source(view: &GuideView<'_>, paper: Paper) -> (String, Files) {
    let mut b = Builder {
        out: String::with_capacity(16 * 1024),
        files: Files::default(),
        geometry: Geometry::of(paper),
    };
    b.out.push_str(TEMPLATE);
    b.document(view, paper);
    (b.out, b.files)
}

struct Builder {
    out: String,
    files: Files,
    geometry: Geometry,
}

/// A label as markup, in its own language when that differs from the page's.
fn label(label: &Label) -> String {
    in_lang(label.lang.as_deref(), text(&label.text))
}

/// Prose (Markdown) as markup, in its own language when that differs from the page's.
fn prose(prose: &Prose) -> String {
    in_lang(prose.lang.as_deref(), markup::markdown(&prose.markdown))
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
    fn icon(&mut self, svg: &'static str, colour: &str) -> String {
        let key = format!("{colour}{:p}", svg.as_ptr());
        let path = self
            .files
            .add_text_once(&key, "svg", || icon_svg(svg, colour));
        string(&path)
    }

    fn document(&mut self, view: &GuideView<'_>, paper: Paper) {
        let ui = view.ui;
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

        let out = &mut self.out;
        let _ = writeln!(out, "\n#set document(title: {})", string(&view.title.text));
        let lang = markup::lang_args(&view.lang)
            .map(|a| format!(", {a}"))
            .unwrap_or_default();
        let dir = if view.dir == "rtl" { "rtl" } else { "ltr" };
        let _ = writeln!(
            out,
            "#set text(font: \"Inter\", size: 10.5pt, fill: ink, dir: {dir}{lang})"
        );
        let _ = writeln!(
            out,
            "#show: gg-setup.with(paper: {}, header: [{header}], page-of: {})\n",
            string(paper),
            page_of(ui.get("pdf.page_of"))
        );
        let _ = writeln!(out, "#title[{}]", label(&view.title));
        if let Some(summary) = &view.summary {
            let _ = writeln!(out, "#gg-summary[{}]", prose(summary));
        }
        if let Some(notice) = &view.notice {
            let items: Vec<String> = notice.items.iter().map(|i| content(i)).collect();
            let _ = writeln!(
                out,
                "#gg-notice({}, {})",
                content(&notice.text),
                array(&items)
            );
        }
        if !view.needs.is_empty() {
            let mut items = Vec::new();
            for need in &view.needs {
                let icon = self.icon(need.icon, ICON_MUTED);
                items.push(format!("gg-need({icon}, [{}])", label(&need.label)));
            }
            let _ = writeln!(
                self.out,
                "#gg-needs({}, {})",
                content(ui.get("guide.you_need")),
                array(&items)
            );
        }
        if view.has_toc {
            let _ = writeln!(
                self.out,
                "#gg-contents({})",
                content(ui.get("guide.contents"))
            );
        }
        for section in &view.sections {
            let titled = section.title.is_some();
            if let Some(title) = &section.title {
                let _ = writeln!(self.out, "\n#heading(level: 1)[{}]", label(title));
            }
            if let Some(intro) = &section.intro {
                let _ = writeln!(self.out, "#gg-intro[{}]", prose(intro));
            }
            for step in &section.steps {
                self.step(step, view, if titled { 2 } else { 1 });
            }
        }
        if self.out.contains("#link(") {
            let _ = writeln!(
                self.out,
                "\n#gg-colophon({})",
                content(ui.get("pdf.link_note"))
            );
        }
    }

    fn step(&mut self, step: &StepView, view: &GuideView<'_>, level: u8) {
        let ui = view.ui;
        let banner = match &step.banner {
            Some(banner) => {
                let icon = self.icon(banner.device.icon, ICON_BANNER);
                format!("gg-banner({icon}, [{}])", label(&banner.text))
            }
            None => "none".to_owned(),
        };
        let device_icon = self.icon(step.device.icon, ICON_MUTED);
        let device = format!("gg-device({device_icon}, [{}])", label(&step.device.label));
        let heading = format!(
            "heading(level: {level}, outlined: false)[{}]",
            text(&step.label)
        );

        // A step's head is kept on one page, unless its text alone is too long for that.
        let breakable = step.action.markdown.len() > LONG_ACTION;
        let mut head = prose(&step.action);
        if let Some(shot) = &step.screenshot {
            head.push_str(&self.screenshot(shot));
        }
        // What the reader should see belongs with the screenshot that shows it.
        if let Some(result) = &step.result {
            let _ = write!(
                head,
                "#gg-result({}, [{}])",
                content(ui.get("guide.result")),
                prose(result)
            );
        }

        // The rest may go to the next page: the app's QR codes, then the callouts.
        let mut rest = String::new();
        if let Some(app) = &step.app {
            let mut stores = Vec::new();
            for store in &app.stores {
                let qr = self.files.add(
                    "svg",
                    typst::foundations::Bytes::from_string(store.qr_svg.clone()),
                );
                stores.push(format!(
                    "gg-store({}, {}, {}, {})",
                    string(&qr),
                    string(&store.qr_label),
                    content(&store.badge),
                    string(&store.url)
                ));
            }
            let hint = content(ui.get("store.scan_hint"));
            let _ = write!(
                rest,
                "#gg-app({}, {hint}, {})",
                content(&app.heading),
                array(&stores)
            );
        }
        for callout in &step.callouts {
            let _ = write!(
                rest,
                "#gg-callout({}, {}, [{}])",
                string(callout.kind),
                content(&callout.label),
                prose(&callout.body)
            );
        }
        let rest = if rest.is_empty() {
            "none".to_owned()
        } else {
            format!("[{rest}]")
        };
        let _ = writeln!(
            self.out,
            "\n#gg-step(number: {}, label: {heading}, device: {device}, banner: {banner}, head: [{head}], rest: {rest}, breakable: {breakable})",
            step.number
        );
    }

    fn screenshot(&mut self, shot: &ScreenshotView) -> String {
        let ext = match shot.image.kind {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Svg => "svg",
        };
        let path = self.files.add_shared(ext, &shot.image.bytes);
        let g = &self.geometry;
        let mut width = g.column;
        if shot.width > 0 && shot.height > 0 {
            let aspect = f64::from(shot.width) / f64::from(shot.height);
            width = width.min(g.max_height * aspect);
            // Small images are not blown up past their size at 96 dpi.
            width = width.min(f64::from(shot.width) * 25.4 / 96.0);
        }
        format!(
            "#gg-shot({}, {}, {:.2}mm)",
            string(&path),
            string(&shot.alt.text),
            width.max(10.0)
        )
    }
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
    fn icons_get_a_colour_and_a_namespace() {
        let svg = icon_svg(crate::icons::svg(crate::model::Icon::Phone), "#fff");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!svg.contains("currentColor"));
    }
}
