//! Render stage: views — what one page shows in one language, built from the model. HTML templates and
//! the PDF generator both read these, never the model.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::catalog::Catalog;
use crate::fallback;
use crate::icons;
use crate::markdown;
use crate::model::{
    Guide, Image, Language, MediaFile, OutdatedPolicy, Site, Text, Video, VideoSource,
};
use crate::qr;
use crate::slot::Slot;

pub mod publish;
mod values;
pub use publish::{AlternateLink, ContinueView};

/// Plain text in a page, with the language it is really in when that differs from the page's (a
/// fallback to the source language): templates put `lang` on the element.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Label {
    pub text: String,
    pub lang: Option<String>,
}

/// Markdown text in a page. Serialized for templates as `{html, lang}`; the PDF reads `markdown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    pub markdown: String,
    pub lang: Option<String>,
}

impl Serialize for Prose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Prose", 2)?;
        s.serialize_field("html", &markdown::to_html(&self.markdown))?;
        s.serialize_field("lang", &self.lang)?;
        s.end()
    }
}

/// A relative path (`/`-separated, from a file name an author chose) as a URL path: every byte but
/// unreserved characters and `/` percent-encoded, so that no name — `javascript:x.png`, `a#b.png`,
/// `100%.png` — can turn into a scheme, a fragment or another file.
pub fn url_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for byte in rel.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A page's language and the texts it resolves; fallbacks are recorded for the notice.
pub struct Localizer<'a> {
    pub lang: &'a str,
    pub source_lang: &'a str,
    pub outdated: OutdatedPolicy,
    pub catalog: &'a Catalog,
    /// The site's variables, put into every text shown ([`crate::variables`]).
    pub variables: &'a crate::variables::Variables,
}

impl<'a> Localizer<'a> {
    /// Texts of `site` as a page in `lang` shows them.
    pub fn for_language(site: &'a Site, lang: &'a Language) -> Self {
        Localizer {
            lang: &lang.code,
            source_lang: site.source_lang(),
            outdated: site.outdated,
            catalog: &lang.catalog,
            variables: &site.variables,
        }
    }
}

impl Localizer<'_> {
    pub(crate) fn ui_text(&self, key: &str) -> String {
        self.ui(key)
    }

    pub fn label(&self, text: &Text) -> Label {
        let resolved = text.resolve(self.lang, self.source_lang, self.outdated);
        Label {
            text: crate::variables::substitute(resolved.text, resolved.lang, self.variables),
            lang: resolved.fallback().then(|| resolved.lang.to_owned()),
        }
    }

    pub fn prose(&self, text: &Text) -> Prose {
        let resolved = text.resolve(self.lang, self.source_lang, self.outdated);
        Prose {
            markdown: crate::variables::substitute(resolved.text, resolved.lang, self.variables),
            lang: resolved.fallback().then(|| resolved.lang.to_owned()),
        }
    }

    /// A name that is the same in every language unless translated (an app's, the organization's):
    /// written once, it is in no language, so it carries no `lang` of the source language.
    pub fn name(&self, text: &Text) -> Label {
        if text.translations.is_empty() {
            return Label {
                text: crate::variables::substitute(&text.source, self.lang, self.variables),
                lang: None,
            };
        }
        self.label(text)
    }

    /// Markdown rendered to plain text (for alt text and titles).
    pub fn plain(&self, text: &Text) -> Label {
        let label = self.label(text);
        Label {
            text: markdown::to_plain(&label.text),
            lang: label.lang,
        }
    }

    fn ui(&self, key: &str) -> String {
        self.catalog.get(key).to_owned()
    }
}

/// A link to the same page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub lang: String,
    /// The language's own name ("Dansk").
    pub name: String,
    /// Relative URL from the current page.
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedView {
    /// `device` or `app`.
    pub kind: &'static str,
    /// The device id, or the app id.
    pub id: String,
    pub label: Label,
    /// Inline SVG, decorative (for templates that inline icons; the PDF).
    pub icon: &'static str,
    /// The icon as the stylesheet draws it: an empty `<span>`, decorative.
    pub glyph: String,
    /// Needed for some choices of platform only: the selections it is needed in
    /// ([`crate::variants`]); `None`: always.
    pub shown_in: Option<String>,
}

impl NeedView {
    /// A device the guide's steps use, by its label and icon.
    pub(crate) fn device(
        l: &Localizer,
        device: &crate::model::Device,
        shown_in: Option<String>,
    ) -> Self {
        NeedView {
            kind: "device",
            id: device.id.clone(),
            label: l.label(&device.label),
            icon: icons::svg(device.icon),
            glyph: icons::glyph(icons::class(device.icon)),
            shown_in,
        }
    }

    /// An app the guide's steps install: "The app Microsoft Authenticator".
    pub(crate) fn app(l: &Localizer, app: &crate::model::App, shown_in: Option<String>) -> Self {
        let name = l.name(&app.name);
        NeedView {
            kind: "app",
            id: app.id.clone(),
            label: Label {
                text: l.catalog.format("guide.app_item", &[("app", &name.text)]),
                lang: name.lang,
            },
            icon: icons::APP,
            glyph: icons::glyph(icons::APP_CLASS),
            shown_in,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceView {
    pub id: String,
    pub label: Label,
    /// Inline SVG, decorative (for templates that inline icons; the PDF).
    pub icon: &'static str,
    /// The icon as the stylesheet draws it: an empty `<span>`, decorative.
    pub glyph: String,
}

/// The banner before a step whose device differs from the step before.
#[derive(Debug, Clone, Serialize)]
pub struct BannerView {
    pub device: DeviceView,
    /// "You must now use your phone."
    pub text: Label,
    /// Codes that open the guide on the device picked up, at this step (with `base_url`): one,
    /// or one per platform of that device where the guide's steps differ on them.
    pub continue_codes: Vec<ContinueView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreenshotView {
    /// Relative URL from the guide page: the image's path in the guide's output folder
    /// (`image.rel`), percent-encoded. The original, as large as it is ("open full size").
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: Label,
    /// The alt text is guidegen's fallback ("Screenshot for step 3"), not the author's.
    pub alt_missing: bool,
    /// `srcset` of the image: its smaller renditions and the original, by width; empty for an image
    /// without renditions (an SVG, a small image).
    pub srcset: String,
    /// `sizes` for `srcset`: how wide the page shows the image.
    pub sizes: String,
    /// The renditions `srcset` names: `src` (relative URL), `width`, `height`.
    pub renditions: Vec<RenditionView>,
    /// Taller than wide (a phone's screen): the page caps its height, so that the step's text and
    /// the picture fit on a phone's screen together.
    pub tall: bool,
    /// "Open full size (1920 × 1080)", for an image larger than the page shows it; else `None`.
    pub full_size: Option<String>,
    /// The inline SVG that draws the callouts over the image (`data-callout="n"` on each), or `None`.
    pub overlay: Option<String>,
    /// The callouts with a label, for the list under the image: `number`, `label`.
    pub callouts: Vec<ShotCalloutView>,
    /// "Marked on the screenshot", the list's accessible name.
    pub callouts_heading: String,
    /// Every callout as drawn: number, shape (in the image's pixels), whether its number is shown.
    #[serde(skip)]
    pub shapes: Vec<(usize, crate::model::Shape, bool)>,
    #[serde(skip)]
    pub image: Image,
}

/// A smaller copy of a screenshot, for `srcset`.
#[derive(Debug, Clone, Serialize)]
pub struct RenditionView {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

/// A labelled callout on a screenshot, as the list under it names it.
#[derive(Debug, Clone, Serialize)]
pub struct ShotCalloutView {
    pub number: usize,
    pub label: Label,
}

/// Wider than this, an image is shown smaller than it is on most screens: the page offers it at
/// full size.
const FULL_SIZE_FROM: u32 = 720;

/// How wide a guide page shows a screenshot: the page's column (`--measure`, 46rem, less the
/// step's padding), or less than the cap on a tall one.
const SIZES_WIDE: &str = "(max-width: 46rem) calc(100vw - 2rem), 42rem";
const SIZES_TALL: &str = "(max-width: 22rem) calc(100vw - 2rem), 20rem";

#[derive(Debug, Clone, Serialize)]
pub struct StoreView {
    /// `app_store` or `google_play`.
    pub store: &'static str,
    /// "App Store".
    pub name: &'static str,
    /// "Download on the App Store".
    pub badge: String,
    pub url: String,
    /// "QR code: Microsoft Authenticator in App Store", the QR image's accessible name.
    pub qr_label: String,
    /// Inline SVG encoding exactly `url`.
    pub qr_svg: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppView {
    pub id: String,
    pub name: Label,
    /// "Install Microsoft Authenticator".
    pub heading: String,
    pub stores: Vec<StoreView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalloutView {
    /// `note`, `tip` or `warning`.
    pub kind: &'static str,
    /// "Note", "Tip", "Warning": always written out, so that meaning never rests on colour.
    pub label: String,
    pub body: Prose,
}

/// A video's poster image.
#[derive(Debug, Clone, Serialize)]
pub struct PosterView {
    /// Relative URL from the guide page.
    pub src: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip)]
    pub image: Image,
}

/// One language's captions of a video file.
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    /// The captions as a `data:` URL, for `<track src>`: browsers refuse caption files from pages
    /// opened from `file://`.
    pub src: String,
    /// Relative URL of the `.vtt` file published beside the page, for a link.
    pub file: String,
    pub lang: String,
    /// The language's own name ("Dansk").
    pub label: String,
    /// The page's language: the track shown by default.
    pub default: bool,
}

/// A video file published beside the page, played by the browser's own player.
#[derive(Debug, Clone, Serialize)]
pub struct LocalVideoView {
    /// Relative URL from the guide page.
    pub src: String,
    /// `video/mp4` or `video/webm`.
    pub mime: &'static str,
    pub tracks: Vec<TrackView>,
    /// "Download the video (MP4, 23 MB)".
    pub download: String,
    /// "Captions".
    pub captions_label: String,
    /// What the PDF prints instead of a link it cannot have: where the video is published.
    pub pdf_note: String,
    #[serde(skip)]
    pub file: MediaFile,
    /// Each caption file's path in the guide's folder and bytes, published beside the page.
    #[serde(skip)]
    pub caption_files: Vec<(String, std::sync::Arc<Vec<u8>>)>,
}

/// A video on a service's site: a link card with a QR code, and the player on a click where the
/// site allows it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceVideoView {
    pub url: String,
    /// `youtube`, `vimeo`, `panopto`, `stream` or `other`.
    pub service: &'static str,
    /// "YouTube", or the address's host for a service guidegen doesn't know.
    pub service_name: String,
    /// "Watch the video on YouTube".
    pub link: String,
    /// Inline SVG encoding exactly `url`.
    pub qr_svg: String,
    pub qr_label: String,
    pub scan_hint: String,
    /// On paper: "… or type the address below it".
    pub pdf_scan_hint: String,
    pub embed: Option<EmbedView>,
}

/// The player of a service, loaded into the page only when the reader clicks.
#[derive(Debug, Clone, Serialize)]
pub struct EmbedView {
    /// The player's address, for the iframe made on the click.
    pub src: String,
    /// "Play the video here".
    pub button: String,
    /// What loading it means: "… YouTube may store cookies in your browser."
    pub note: String,
}

/// A video of the guide, of a section or of a step.
#[derive(Debug, Clone, Serialize)]
pub struct VideoView {
    /// `ready` or `planned`: the `data-video` hook.
    pub status: &'static str,
    pub title: Label,
    /// "Video".
    pub label: String,
    /// For a planned video: "Video coming later: …".
    pub notice: Option<String>,
    pub local: Option<LocalVideoView>,
    pub service: Option<ServiceVideoView>,
    pub poster: Option<PosterView>,
}

/// Serialized for templates by [`values`], which shares the parts it shows twice.
#[derive(Debug, Clone)]
pub struct StepView {
    /// From 1 across the guide.
    pub number: usize,
    /// "Step 3 of 12".
    pub label: String,
    /// "Step 3".
    pub short_label: String,
    pub device: DeviceView,
    pub banner: Option<BannerView>,
    pub action: Prose,
    pub screenshot: Option<ScreenshotView>,
    pub app: Option<AppView>,
    pub result: Option<Prose>,
    pub callouts: Vec<CalloutView>,
    pub video: Option<VideoView>,
    /// The parts as the page shows them, each a list: one entry without `platform` when the part is
    /// the same on every platform, else one per platform ([`crate::variants`]).
    pub parts: crate::variants::PartsView,
    /// How platform variants touch the step; `None` in a guide without variants.
    pub variants: Option<crate::variants::StepVariantsView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub number: usize,
    /// The section heading's id, for the table of contents.
    pub anchor: String,
    pub title: Option<Label>,
    pub intro: Option<Prose>,
    pub video: Option<VideoView>,
    pub steps: Vec<StepView>,
    /// The selections the section is shown in, where not all ([`crate::variants`]).
    pub shown_in: Option<String>,
    /// "Only for Mac", for a section with `only:`.
    pub only: Option<String>,
}

/// What is shown in the source language because its translation is missing (or outdated, where the
/// site falls back for those).
#[derive(Debug, Clone, Serialize)]
pub struct FallbackNotice {
    /// "Parts of this guide are not yet translated, and are shown in Danish:"
    pub text: String,
    /// "step 3", "the summary", …
    pub items: Vec<NoticeItem>,
}

/// One part of a guide in the notice, linked to where it is on the page when it has a place of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeItem {
    pub text: String,
    /// `#step-3`, `#section-2`; none for the title and summary at the top.
    pub href: Option<String>,
}

/// One guide in one language: everything its HTML page and its PDF show.
#[derive(Debug, Clone, Serialize)]
pub struct GuideView<'a> {
    pub id: String,
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    pub site_title: Label,
    pub organization: Option<Label>,
    pub title: Label,
    pub summary: Option<Prose>,
    pub needs: Vec<NeedView>,
    /// More than one section: the page shows a table of contents.
    pub has_toc: bool,
    pub sections: Vec<SectionView>,
    pub total_steps: usize,
    /// The PDF's file name in the guide's folder, when PDFs are built.
    pub pdf: Option<String>,
    pub languages: Vec<LanguageLink>,
    pub notice: Option<FallbackNotice>,
    /// The guide's own video, after the overview.
    pub video: Option<VideoView>,
    /// Some video of the page can be played in it on a click: the page needs `assets/video.js`.
    pub has_embeds: bool,
    /// The page's UI strings: `ui["guide.contents"]`.
    pub ui: &'a Catalog,
    /// The page's absolute address (`base_url`), for `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// The page's absolute address in each language it is published in (`base_url`), for hreflang.
    pub alternates: Vec<AlternateLink>,
    // -- text: "last updated" and the support block --
    /// When the guide was last updated, in the page's language; none when nothing says.
    pub updated: Option<UpdatedView>,
    /// Where the reader gets help (`support:` of guidegen.yaml), at the end of the guide.
    pub support: Option<crate::support::SupportView>,
    /// The files of the guide's folder its Markdown links to, by path: the PDF draws the images.
    #[serde(skip)]
    pub attachments: std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>,
    /// The guides its `guide:` links name, by id: their titles in the page's language and their
    /// addresses (with `base_url`), which the PDF prints beside a link.
    #[serde(skip)]
    pub link_titles: std::collections::BTreeMap<String, LinkTitle>,
    /// The reader's choice of platforms and what depends on it; `None` in a guide without variants.
    pub variants: Option<crate::variants::GuideVariantsView>,
    /// Platform id → store key (`ios` → `app_store`), as JSON: the page orders store codes by the
    /// reader's remembered phone, in every guide.
    pub platform_stores: String,
    /// "For Windows and iPhone": the platforms a guide resolved for one combination is for (a
    /// combination's PDF); `None` otherwise.
    pub for_platforms: Option<String>,
    /// The page loads `assets/variants.js`: it has variants, or store codes to order by the
    /// reader's phone.
    pub platform_script: bool,
}

impl GuideView<'_> {
    /// Every screenshot of its steps, a platform's own ones too ([`crate::variants`]), in order.
    pub fn screenshots(&self) -> impl Iterator<Item = &ScreenshotView> {
        let steps = self.sections.iter().flat_map(|section| &section.steps);
        steps.flat_map(|step| {
            let parts = step.parts.screenshot.iter();
            step.screenshot
                .iter()
                .chain(parts.filter_map(|p| p.value.as_ref()))
        })
    }
}

/// A guide that a `guide:` link names, as paper shows it.
#[derive(Debug, Clone, Default)]
pub struct LinkTitle {
    pub title: String,
    /// Its page's absolute address (`base_url`), in the language the link opens it in.
    pub address: Option<String>,
}

/// The titles and addresses of the guides `guide` links to, for a page in `l`'s language.
fn link_titles(
    site: &Site,
    guide: &Guide,
    l: &Localizer,
) -> std::collections::BTreeMap<String, LinkTitle> {
    guide
        .links
        .iter()
        .filter_map(|link| {
            let target = site.link_targets.get(&link.target)?;
            let lang = target.language(l.lang);
            let title = target.title(lang, site.source_lang())?;
            let address = site
                .base_url
                .as_ref()
                .map(|base| crate::address::page_url(base, lang, &link.target));
            let title = crate::variables::substitute(title, lang, &site.variables);
            Some((link.target.clone(), LinkTitle { title, address }))
        })
        .collect()
}

/// "Last updated 30 November 2026": `text` whole, or `before`, `date`, `after` for markup around the
/// date (`<time datetime="{{ iso }}">`).
#[derive(Debug, Clone, Serialize)]
pub struct UpdatedView {
    /// `2026-11-30`.
    pub iso: String,
    /// "30 November 2026".
    pub date: String,
    /// "Last updated 30 November 2026".
    pub text: String,
    pub before: String,
    pub after: String,
}

/// The view of a guide's date of last update in the language of `catalog`.
pub fn updated_view(date: crate::dates::Date, catalog: &Catalog) -> UpdatedView {
    let written = date.written(catalog);
    let sentence = catalog.get("guide.updated");
    let (before, after) = sentence.split_once("{date}").unwrap_or((sentence, ""));
    UpdatedView {
        iso: date.iso(),
        text: catalog.format("guide.updated", &[("date", &written)]),
        date: written,
        before: before.to_owned(),
        after: after.to_owned(),
    }
}

/// Builds the view of `guide` in `lang`. `codes` are the site's QR codes; `languages` are the
/// languages the guide is published in (for the switcher); `pdf` says whether its PDF is built.
pub fn guide_view<'a>(
    site: &'a Site,
    codes: &qr::Codes,
    guide: &Guide,
    lang: &'a Language,
    languages: &[&Language],
    pdf: bool,
) -> GuideView<'a> {
    let l = Localizer::for_language(site, lang);
    let total_steps = guide.steps().count();
    let needs = needs_view(site, &l, guide);
    let mut sections: Vec<SectionView> = guide
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| section_view(site, codes, &l, i + 1, section, total_steps))
        .collect();
    publish::add_continue_codes(site, codes, &l, guide, &mut sections);
    let alternates = publish::alternates(site, languages, |base, code| {
        crate::address::page_url(base, code, &guide.id)
    });

    let languages = languages
        .iter()
        .map(|other| LanguageLink {
            lang: other.code.clone(),
            name: other.catalog.name.clone(),
            href: format!("../../{}/{}/index.html", other.code, guide.id),
            current: other.code == lang.code,
        })
        .collect();

    let mut view = GuideView {
        id: guide.id.clone(),
        lang: lang.code.clone(),
        dir: lang.catalog.direction.as_str(),
        site_title: l.label(&site.title),
        organization: site.organization.as_ref().map(|o| l.name(o)),
        title: l.label(&guide.title),
        summary: guide.summary.as_ref().map(|s| l.prose(s)),
        needs,
        has_toc: guide.sections.len() > 1,
        sections,
        total_steps,
        pdf: pdf.then(|| pdf_file_name(&guide.id, &lang.code)),
        languages,
        notice: fallback_notice(site, guide, lang),
        video: guide.video.as_ref().map(|v| video_view(site, codes, &l, v)),
        has_embeds: guide
            .videos()
            .any(|v| matches!(&v.source, VideoSource::Service(service) if service.embed.is_some())),
        ui: &lang.catalog,
        canonical: site
            .base_url
            .as_ref()
            .map(|base| crate::address::page_url(base, &lang.code, &guide.id)),
        alternates,
        updated: guide.updated.map(|date| updated_view(date, &lang.catalog)),
        support: site
            .support
            .as_ref()
            .map(|support| crate::support::support_view(support, &l)),
        attachments: guide.attachments.clone(),
        link_titles: link_titles(site, guide, &l),
        variants: None,
        platform_stores: crate::variants::platform_stores(site),
        for_platforms: None,
        platform_script: false,
    };
    crate::variants::decorate(&mut view, site, codes, &l, guide, pdf);
    view
}

/// What the reader needs for the guide: each device its steps use, then each app they install, in
/// the order the steps first name them.
fn needs_view(site: &Site, l: &Localizer, guide: &Guide) -> Vec<NeedView> {
    let mut needs: Vec<NeedView> = Vec::new();
    for step in guide.steps() {
        if !needs
            .iter()
            .any(|n| n.kind == "device" && n.id == step.device)
            && let Some(device) = site.devices.get(&step.device)
        {
            needs.push(NeedView::device(l, device, None));
        }
    }
    for step in guide.steps() {
        if let Some(app) = step.app.as_ref().and_then(|id| site.apps.get(id))
            && !needs.iter().any(|n| n.kind == "app" && n.id == app.id)
        {
            needs.push(NeedView::app(l, app, None));
        }
    }
    needs
}

/// Section `number` of a guide of `total_steps` steps, with its steps.
fn section_view(
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    number: usize,
    section: &crate::model::Section,
    total_steps: usize,
) -> SectionView {
    SectionView {
        number,
        anchor: section_anchor(number),
        title: section.title.as_ref().map(|t| l.label(t)),
        intro: section.intro.as_ref().map(|t| l.prose(t)),
        video: section
            .video
            .as_ref()
            .map(|v| video_view(site, codes, l, v)),
        steps: section
            .steps
            .iter()
            .map(|step| step_view(site, codes, l, step, total_steps))
            .collect(),
        shown_in: None,
        only: None,
    }
}

/// "23 MB", "140 kB": whole numbers, which read the same in every language.
fn size_text(bytes: u64) -> String {
    if bytes.div_ceil(1000) >= 1000 {
        format!("{} MB", bytes.div_ceil(1_000_000))
    } else {
        format!("{} kB", bytes.div_ceil(1000).max(1))
    }
}

fn video_view(site: &Site, codes: &qr::Codes, l: &Localizer, video: &Video) -> VideoView {
    let title = l.label(&video.title);
    let poster_of = |poster: &crate::model::Poster| {
        let image = poster.image_for(l.lang).clone();
        PosterView {
            src: url_path(&image.rel),
            width: image.width,
            height: image.height,
            image,
        }
    };
    let mut view = VideoView {
        status: video.status(),
        title: title.clone(),
        label: l.ui("video.label"),
        notice: None,
        local: None,
        service: None,
        poster: None,
    };
    match &video.source {
        VideoSource::Planned => view.notice = Some(l.ui("video.planned")),
        VideoSource::Local(local) => {
            view.poster = local.poster.as_ref().map(poster_of);
            let tracks = local
                .captions
                .iter()
                .map(|(lang, captions)| TrackView {
                    src: crate::video::data_url(&captions.bytes),
                    file: url_path(&captions.rel),
                    lang: lang.clone(),
                    label: site
                        .language(lang)
                        .map_or_else(|| lang.clone(), |language| language.catalog.name.clone()),
                    default: lang == l.lang,
                })
                .collect();
            view.local = Some(LocalVideoView {
                src: url_path(&local.file.rel),
                mime: local.kind.mime(),
                tracks,
                download: l.catalog.format(
                    "video.download",
                    &[
                        ("type", local.kind.name()),
                        ("size", &size_text(local.file.len)),
                    ],
                ),
                captions_label: l.ui("video.captions"),
                pdf_note: l
                    .catalog
                    .format("pdf.video_local", &[("file", &local.file.rel)]),
                file: local.file.clone(),
                caption_files: local
                    .captions
                    .values()
                    .map(|c| (c.rel.clone(), std::sync::Arc::clone(&c.bytes)))
                    .collect(),
            });
        }
        VideoSource::Service(service) => {
            // Shown in the PDF only: the page's link card loads nothing of the service's.
            view.poster = service.poster.as_ref().map(poster_of);
            let service_name = service
                .service
                .name()
                .map_or_else(|| crate::video::host(&service.url), str::to_owned);
            let qr_label = l
                .catalog
                .format("video.qr_label", &[("title", &title.text)]);
            view.service = Some(ServiceVideoView {
                url: service.url.clone(),
                service: service.service.id(),
                link: l
                    .catalog
                    .format("video.watch_on", &[("service", &service_name)]),
                qr_svg: codes.svg(&service.url, &qr_label).unwrap_or_default(),
                qr_label,
                scan_hint: l.ui("store.scan_hint"),
                pdf_scan_hint: l.ui("pdf.scan_hint"),
                embed: service.embed.as_ref().map(|src| EmbedView {
                    src: src.clone(),
                    button: l.ui("video.play_here"),
                    note: l
                        .catalog
                        .format("video.embed_note", &[("service", &service_name)]),
                }),
                service_name,
            });
        }
    }
    view
}

/// The id of step `number`'s element on a guide page (templates/guide.html): search results and
/// links to a step read it here.
pub fn step_anchor(number: usize) -> String {
    format!("step-{number}")
}

/// The id of section `number`'s element on a guide page (from 1).
pub fn section_anchor(number: usize) -> String {
    format!("section-{number}")
}

/// `<guide-id>-<lang>.pdf`, as the contract fixes it.
pub fn pdf_file_name(guide_id: &str, lang: &str) -> String {
    format!("{guide_id}-{lang}.pdf")
}

pub(crate) fn step_view(
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    step: &crate::model::Step,
    total: usize,
) -> StepView {
    let number = step.number.to_string();
    let device = device_view(site, l, &step.device);
    let banner = step.device_switch.then(|| BannerView {
        text: site
            .devices
            .get(&step.device)
            .map(|d| l.label(&d.banner))
            .unwrap_or_else(|| device.label.clone()),
        device: device.clone(),
        continue_codes: Vec::new(),
    });
    let screenshot = step
        .screenshot
        .as_ref()
        .map(|shot| screenshot_view(l, shot, &number));
    let app = step
        .app
        .as_ref()
        .and_then(|id| site.apps.get(id))
        .map(|app| app_view(codes, l, app));
    StepView {
        number: step.number,
        label: l.catalog.format(
            "guide.step_of",
            &[("n", &number), ("total", &total.to_string())],
        ),
        short_label: l.catalog.format("guide.step", &[("n", &number)]),
        device,
        banner,
        action: l.prose(&step.action),
        screenshot,
        app,
        result: step.result.as_ref().map(|r| l.prose(r)),
        callouts: step
            .callouts
            .iter()
            .map(|c| CalloutView {
                kind: c.kind.key(),
                label: l.ui(&format!("guide.{}", c.kind.key())),
                body: l.prose(&c.text),
            })
            .collect(),
        video: step.video.as_ref().map(|v| video_view(site, codes, l, v)),
        parts: crate::variants::PartsView::default(),
        variants: None,
    }
    .with_parts()
}

/// The step's device as the page shows it: its label and icon.
fn device_view(site: &Site, l: &Localizer, id: &str) -> DeviceView {
    match site.devices.get(id) {
        Some(d) => DeviceView {
            id: d.id.clone(),
            label: l.label(&d.label),
            icon: icons::svg(d.icon),
            glyph: icons::glyph(icons::class(d.icon)),
        },
        // Validation guarantees the device exists; an empty view keeps rendering total rather
        // than panicking.
        None => DeviceView {
            id: id.to_owned(),
            label: Label {
                text: id.to_owned(),
                lang: None,
            },
            icon: icons::svg(crate::model::Icon::Device),
            glyph: icons::glyph(icons::class(crate::model::Icon::Device)),
        },
    }
}

/// A step's screenshot in `l`'s language: its image and renditions, how the page sizes it, its
/// alt text (guidegen's "Screenshot for step 3" when the author gave none), and its callouts.
fn screenshot_view(l: &Localizer, shot: &crate::model::Screenshot, number: &str) -> ScreenshotView {
    let image = shot.image_for(l.lang).clone();
    let (alt, alt_missing) = match &shot.alt {
        Some(alt) => (l.plain(alt), false),
        None => (
            Label {
                text: l.catalog.format("guide.screenshot", &[("n", number)]),
                lang: None,
            },
            true,
        ),
    };
    let renditions: Vec<RenditionView> =
        crate::shots::rendition_sizes(image.kind, image.width, image.height)
            .into_iter()
            .map(|(width, height)| RenditionView {
                src: url_path(&crate::shots::rendition_rel(&image.rel, width)),
                width,
                height,
            })
            .collect();
    let srcset = if renditions.is_empty() {
        String::new()
    } else {
        renditions
            .iter()
            .map(|r| format!("{} {}w", r.src, r.width))
            .chain(std::iter::once(format!(
                "{} {}w",
                url_path(&image.rel),
                image.width
            )))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // A long capture is shown as wide as the page allows: held to the screen's height, it would
    // be a strip too narrow to read.
    let tall =
        image.height > image.width && !crate::shots::is_long_capture(image.width, image.height);
    let full_size = (image.width > FULL_SIZE_FROM).then(|| {
        l.catalog.format(
            "guide.full_size",
            &[("size", &format!("{} × {}", image.width, image.height))],
        )
    });
    let drawn = shot.callouts_for(l.lang);
    let shapes: Vec<(usize, crate::model::Shape, bool)> = drawn
        .iter()
        .map(|(n, shape, label)| {
            let numbered = label.is_some() || matches!(shape, crate::model::Shape::Marker(..));
            (*n, *shape, numbered)
        })
        .collect();
    let overlay =
        (!shapes.is_empty()).then(|| crate::overlay::svg(image.width, image.height, &shapes));
    let callouts = drawn
        .iter()
        .filter_map(|(n, _, label)| {
            Some(ShotCalloutView {
                number: *n,
                label: l.plain(label.as_ref()?),
            })
        })
        .collect();
    ScreenshotView {
        src: url_path(&image.rel),
        width: image.width,
        height: image.height,
        alt,
        alt_missing,
        srcset,
        sizes: if tall { SIZES_TALL } else { SIZES_WIDE }.to_owned(),
        renditions,
        tall,
        full_size,
        overlay,
        callouts,
        callouts_heading: l.catalog.get("guide.callouts").to_owned(),
        shapes,
        image,
    }
}

/// The app a step asks the reader to install, with a QR code for each of its stores.
fn app_view(codes: &qr::Codes, l: &Localizer, app: &crate::model::App) -> AppView {
    let name = l.name(&app.name);
    let stores = app
        .stores
        .iter()
        .map(|link| {
            let qr_label = l.catalog.format(
                "store.qr_label",
                &[("app", &name.text), ("store", link.store.name())],
            );
            StoreView {
                store: link.store.key(),
                name: link.store.name(),
                badge: l.ui(&format!("store.{}", link.store.key())),
                url: link.url.clone(),
                qr_svg: codes.svg(&link.url, &qr_label).unwrap_or_default(),
                qr_label,
            }
        })
        .collect();
    AppView {
        id: app.id.clone(),
        heading: l.catalog.format("app.install", &[("app", &name.text)]),
        name,
        stores,
    }
}

/// The parts of `guide` that `lang` shows in the source language, or `None` when there are none.
pub fn fallback_notice(site: &Site, guide: &Guide, lang: &Language) -> Option<FallbackNotice> {
    let catalog = &lang.catalog;
    let mut items: Vec<NoticeItem> = Vec::new();
    for fallback in fallback::fallbacks(site, guide, &lang.code) {
        // The reader is told the part of the guide, not the field: "section 2", "step 3".
        let (text, href) = match fallback.slot {
            Slot::Title => (catalog.get("guide.untranslated.title").to_owned(), None),
            Slot::Summary => (catalog.get("guide.untranslated.summary").to_owned(), None),
            Slot::VideoTitle => (catalog.get("guide.untranslated.video").to_owned(), None),
            Slot::SectionTitle(n) | Slot::SectionIntro(n) | Slot::SectionVideoTitle(n) => (
                catalog.format("guide.untranslated.section", &[("n", &n.to_string())]),
                Some(format!("#section-{n}")),
            ),
            Slot::Step(n, _)
            | Slot::CalloutLabel(n, _)
            | Slot::VariantStep(n, ..)
            | Slot::VariantCalloutLabel(n, ..) => {
                // Slots count a `snippet:` item as one step; the reader sees the steps it holds.
                let n = guide
                    .steps()
                    .find(|s| s.snippet.is_none() && s.slot_number == n)
                    .map_or(n, |s| s.number);
                (
                    catalog.format("guide.untranslated.step", &[("n", &n.to_string())]),
                    Some(format!("#step-{n}")),
                )
            }
        };
        let item = NoticeItem { text, href };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    snippet_fallbacks(site, guide, lang, &mut items);
    if items.is_empty() {
        return None;
    }
    Some(FallbackNotice {
        text: catalog.format(
            "guide.fallback_notice",
            &[("language", &language_name(site, site.source_lang(), lang))],
        ),
        items,
    })
}

/// Adds to `items`, in step order, the steps from snippets that `lang` shows in the source language:
/// their texts are the snippet's, outside the guide's own fallbacks.
fn snippet_fallbacks(site: &Site, guide: &Guide, lang: &Language, items: &mut Vec<NoticeItem>) {
    if !guide.offered_in(&lang.code) {
        return;
    }
    let step_of = |item: &NoticeItem| {
        item.href
            .as_deref()
            .and_then(|h| h.strip_prefix("#step-"))
            .and_then(|n| n.parse::<usize>().ok())
    };
    for step in guide.steps().filter(|s| s.snippet.is_some()) {
        let shown_in_source = step.slots().any(|(_, text)| {
            fallback::resolve(text, &lang.code, site.source_lang(), site.outdated).fallback()
        });
        if !shown_in_source {
            continue;
        }
        let n = step.number;
        let item = NoticeItem {
            text: lang
                .catalog
                .format("guide.untranslated.step", &[("n", &n.to_string())]),
            href: Some(format!("#step-{n}")),
        };
        let at = items
            .iter()
            .position(|i| step_of(i).is_some_and(|m| m > n))
            .unwrap_or(items.len());
        items.insert(at, item);
    }
}

/// The name of the language `code` as `page`'s sentences say it ("Danish" on an English page): built
/// in for English and Danish pages, else the language's own name, as its switcher link shows it.
fn language_name(site: &Site, code: &str, page: &Language) -> String {
    crate::catalog::language_name(code, &page.code)
        .map(str::to_owned)
        .or_else(|| site.language(code).map(|l| l.catalog.name.clone()))
        .unwrap_or_else(|| code.to_owned())
}

/// The Markdown up to its first blank line.
fn first_paragraph(markdown: &str) -> &str {
    let trimmed = markdown.trim_start();
    let end = trimmed
        .find("\n\n")
        .or_else(|| trimmed.find("\r\n\r\n"))
        .unwrap_or(trimmed.len());
    trimmed[..end].trim_end()
}

/// A guide in a language's index.
#[derive(Debug, Clone, Serialize)]
pub struct GuideCard {
    pub id: String,
    pub title: Label,
    pub summary: Option<Prose>,
    /// Relative URL from the language's index.
    pub href: String,
    /// "25 steps".
    pub steps: String,
    pub devices: Vec<DeviceView>,
}

/// `<lang>/index.html`: the guides in one language.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    pub lang: String,
    pub dir: &'static str,
    pub site_title: Label,
    pub organization: Option<Label>,
    pub guides: Vec<GuideCard>,
    pub languages: Vec<LanguageLink>,
    /// Guides left out of this language until translated (the `omit` policy).
    pub omitted: Option<String>,
    pub ui: &'a Catalog,
    /// The index's absolute address (`base_url`), for `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// The index's absolute address in each language built (`base_url`), for hreflang.
    pub alternates: Vec<AlternateLink>,
    /// Guides published only in other languages, with `translation.other_languages: list`.
    pub only_in: Vec<OnlyInCard>,
}

/// A guide published only in other languages, as another language's index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OnlyInCard {
    pub id: String,
    /// In the guide's language (its `lang` says which).
    pub title: Label,
    /// Relative URL from the language's index, to the guide in its first language.
    pub href: String,
    /// The language of the page linked to.
    pub hreflang: String,
    /// "Only in: Dansk".
    pub note: String,
}

/// The cards of `guides`, published only in other languages than `lang`, for its index: each
/// links to the guide in the first language it is published in.
pub fn only_in_cards(
    site: &Site,
    lang: &Language,
    guides: &[&Guide],
    plan: &crate::plan::Plan,
) -> Vec<OnlyInCard> {
    let mut cards: Vec<OnlyInCard> = guides
        .iter()
        .filter_map(|guide| {
            let published = plan.published.get(&guide.id)?;
            let first = site.language(published.first()?)?;
            let names: Vec<&str> = published
                .iter()
                .filter_map(|code| site.language(code))
                .map(|l| l.catalog.name.as_str())
                .collect();
            let resolved = guide
                .title
                .resolve(&first.code, site.source_lang(), site.outdated);
            Some(OnlyInCard {
                id: guide.id.clone(),
                title: Label {
                    text: crate::variables::substitute(
                        resolved.text,
                        resolved.lang,
                        &site.variables,
                    ),
                    lang: Some(resolved.lang.to_owned()),
                },
                href: format!("../{}/{}/index.html", first.code, url_path(&guide.id)),
                hreflang: first.code.clone(),
                note: lang
                    .catalog
                    .format("site.only_in", &[("languages", &names.join(", "))]),
            })
        })
        .collect();
    cards.sort_by(|a, b| {
        (a.title.text.to_lowercase(), &a.id).cmp(&(b.title.text.to_lowercase(), &b.id))
    });
    cards
}

/// `languages` are the languages built, for the switcher.
pub fn index_view<'a>(
    site: &'a Site,
    lang: &'a Language,
    guides: &[&Guide],
    omitted: &[&Guide],
    languages: &[&Language],
) -> IndexView<'a> {
    let l = Localizer::for_language(site, lang);
    let cards = guides
        .iter()
        .map(|guide| {
            let mut devices: Vec<DeviceView> = Vec::new();
            for id in guide.step_devices() {
                if let Some(device) = site.devices.get(id) {
                    devices.push(DeviceView {
                        id: device.id.clone(),
                        label: l.label(&device.label),
                        icon: icons::svg(device.icon),
                        glyph: icons::glyph(icons::class(device.icon)),
                    });
                }
            }
            GuideCard {
                id: guide.id.clone(),
                title: l.label(&guide.title),
                // The index shows the summary's first paragraph; the guide page shows it all.
                summary: guide.summary.as_ref().map(|s| {
                    let mut prose = l.prose(s);
                    prose.markdown = crate::guidelinks::for_index(first_paragraph(&prose.markdown));
                    prose
                }),
                href: format!("{}/index.html", guide.id),
                steps: lang.catalog.format(
                    "site.steps_count",
                    &[("n", &guide.step_count().to_string())],
                ),
                devices,
            }
        })
        .collect();
    let omitted = (!omitted.is_empty()).then(|| {
        let titles: Vec<String> = omitted.iter().map(|g| l.label(&g.title).text).collect();
        lang.catalog
            .format("guide.omitted", &[("guides", &titles.join(", "))])
    });
    IndexView {
        lang: lang.code.clone(),
        dir: lang.catalog.direction.as_str(),
        site_title: l.label(&site.title),
        organization: site.organization.as_ref().map(|o| l.name(o)),
        guides: cards,
        languages: languages
            .iter()
            .map(|other| LanguageLink {
                lang: other.code.clone(),
                name: other.catalog.name.clone(),
                href: format!("../{}/index.html", other.code),
                current: other.code == lang.code,
            })
            .collect(),
        omitted,
        ui: &lang.catalog,
        canonical: site
            .base_url
            .as_ref()
            .map(|base| crate::address::index_url(base, &lang.code)),
        alternates: publish::alternates(site, languages, crate::address::index_url),
        only_in: Vec::new(),
    }
}

/// A language offered by the root page.
#[derive(Debug, Clone, Serialize)]
pub struct RootLanguage {
    pub lang: String,
    pub dir: &'static str,
    pub name: String,
    /// The site's title in that language.
    pub title: Label,
    /// "Choose a language", in that language.
    pub choose: String,
    pub href: String,
}

/// `index.html`: chooses a language.
#[derive(Debug, Clone, Serialize)]
pub struct RootView {
    /// The source language: the root page's own language.
    pub lang: String,
    pub dir: &'static str,
    pub languages: Vec<RootLanguage>,
    /// The site's absolute address (`base_url`), for `<link rel="canonical">`.
    pub canonical: Option<String>,
}

/// `languages` are the languages built.
pub fn root_view(site: &Site, languages: &[&Language]) -> RootView {
    RootView {
        lang: site.source_lang().to_owned(),
        dir: site.languages[0].catalog.direction.as_str(),
        languages: languages
            .iter()
            .map(|lang| {
                let l = Localizer::for_language(site, lang);
                RootLanguage {
                    lang: lang.code.clone(),
                    dir: lang.catalog.direction.as_str(),
                    name: lang.catalog.name.clone(),
                    title: l.label(&site.title),
                    choose: lang.catalog.get("site.choose_language").to_owned(),
                    href: format!("{}/index.html", lang.code),
                }
            })
            .collect(),
        canonical: site.base_url.as_deref().map(crate::address::root_url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_harmless_url_paths() {
        assert_eq!(url_path("shots/a-b_c.png"), "shots/a-b_c.png");
        assert_eq!(
            url_path("javascript:alert(document.domain).png"),
            "javascript%3Aalert%28document.domain%29.png"
        );
        assert_eq!(url_path("a#b 100%.png"), "a%23b%20100%25.png");
        assert_eq!(url_path("skærm.png"), "sk%C3%A6rm.png");
    }

    #[test]
    fn file_sizes_are_whole_numbers() {
        assert_eq!(size_text(23_400_000), "24 MB");
        assert_eq!(size_text(1_000_000), "1 MB");
        assert_eq!(size_text(999_999), "1 MB");
        assert_eq!(size_text(998_000), "998 kB");
        assert_eq!(size_text(9_000), "9 kB");
        assert_eq!(size_text(10), "1 kB");
    }

    #[test]
    fn the_index_shows_a_summary_s_first_paragraph() {
        assert_eq!(super::first_paragraph("One\ntwo.\n\nThree."), "One\ntwo.");
        assert_eq!(super::first_paragraph("Only."), "Only.");
    }
}
