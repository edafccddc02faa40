//! Render stage: the views of what `base_url` and `aliases` add to pages — continue-on-your-phone
//! codes at banners, canonical and hreflang addresses, and the page an old id leads to.

use serde::Serialize;

use super::{Label, Localizer, SectionView};
use crate::address::{self, Handover};
use crate::catalog::Catalog;
use crate::model::{Alias, Guide, Language, Platform, Site};
use crate::qr;

/// A continue-on-your-phone code at a banner: scanned, it opens the guide on the device the banner
/// names, in the same language, at the step the device takes over.
#[derive(Debug, Clone, Serialize)]
pub struct ContinueView {
    /// The device the reader picks up (`data-continue`).
    pub device: String,
    /// The address the code encodes (`data-qr`), printed under it.
    pub url: String,
    pub qr_svg: String,
    pub qr_label: String,
    /// "Scan the code with it to continue this guide there, at step 7."
    pub hint: String,
    /// The platform of the device the address opens the guide for (`?phone=ios`), where the guide
    /// differs on that device's platforms and the page shows a code for each (`data-platform`).
    pub platform: Option<String>,
    /// That platform's name: "iPhone".
    pub platform_label: Option<String>,
    /// The choices of platforms the code is shown for (`data-shown-in`), as other parts of a guide
    /// with variants; `None`: always.
    pub shown_in: Option<String>,
}

/// An address of the page in another language (or its own), for `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateLink {
    pub lang: String,
    pub href: String,
}

/// The continue code for `handover` of guide `id` in the localizer's language. `platform` is the
/// platform of the device picked up that the address opens the guide for (`?phone=ios`); `None`
/// where the guide does not differ on it. `renumbered`: the page's step numbers change with the
/// reader's choice of platforms, so the hint says "this step" rather than a number.
pub fn continue_view(
    base: &str,
    codes: &qr::Codes,
    l: &Localizer,
    id: &str,
    handover: &Handover,
    platform: Option<&Platform>,
    renumbered: bool,
) -> ContinueView {
    let step = handover.step.to_string();
    let query = platform.map(|p| format!("{}={}", handover.device, p.id));
    let url = address::continue_url(base, l.lang, id, query.as_deref(), handover.anchor);
    // A code per platform is named, on the page and the PDF with every variant; a combination's
    // PDF has only its own.
    let platform_label = platform
        .filter(|_| renumbered)
        .map(|p| l.label(&p.label).text);
    // A page whose numbers a choice of platforms changes cannot name the step by its number.
    let (hint_key, label_key) = if renumbered {
        ("continue.hint_here", "continue.qr_label_here")
    } else {
        ("continue.hint", "continue.qr_label")
    };
    let label = l.catalog.format(label_key, &[("n", &step)]);
    let qr_label = match &platform_label {
        Some(name) => format!("{name}: {label}"),
        None => label,
    };
    ContinueView {
        device: handover.device.clone(),
        qr_svg: codes.svg(&url, &qr_label).unwrap_or_default(),
        qr_label,
        hint: l.catalog.format(hint_key, &[("n", &step)]),
        url,
        platform: platform.map(|p| p.id.clone()),
        platform_label,
        shown_in: None,
    }
}

/// Puts continue codes on each banner where the reader switches from a computer to a phone, when
/// the site has a `base_url`: one code, or, where the guide differs on the phone's platforms and
/// the reader has not chosen one (the page), one per platform, each opening the guide for it.
pub fn add_continue_codes(
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    guide: &Guide,
    sections: &mut [SectionView],
) {
    let Some(base) = &site.base_url else { return };
    let handovers = address::handovers(site, guide);
    let varied = guide.variant_devices();
    let renumbered = guide.choice.is_empty() && !varied.is_empty();
    for step in sections.iter_mut().flat_map(|s| s.steps.iter_mut()) {
        let Some(handover) = handovers.iter().find(|h| h.step == step.number) else {
            continue;
        };
        let Some(banner) = &mut step.banner else {
            continue;
        };
        let platforms = handover_platforms(site, guide, &varied, &handover.device);
        banner.continue_codes = if platforms.is_empty() {
            vec![continue_view(
                base, codes, l, &guide.id, handover, None, renumbered,
            )]
        } else {
            platforms
                .into_iter()
                .map(|p| continue_view(base, codes, l, &guide.id, handover, Some(p), renumbered))
                .collect()
        };
    }
}

/// The platforms of `device` that continue codes open the guide for: the one chosen (a guide
/// resolved for a choice), or all of them where the guide differs on them; none otherwise.
fn handover_platforms<'s>(
    site: &'s Site,
    guide: &Guide,
    varied: &[String],
    device: &str,
) -> Vec<&'s Platform> {
    let Some(known) = site.devices.get(device) else {
        return Vec::new();
    };
    match guide.choice.get(device) {
        Some(chosen) => known.platforms.iter().filter(|p| &p.id == chosen).collect(),
        None if varied.iter().any(|d| d == device) => known.platforms.iter().collect(),
        None => Vec::new(),
    }
}

/// Every language's address of a page, from the page's address in a language; empty without
/// `base_url`.
pub fn alternates(
    site: &Site,
    languages: &[&Language],
    url: impl Fn(&str, &str) -> String,
) -> Vec<AlternateLink> {
    let Some(base) = &site.base_url else {
        return Vec::new();
    };
    languages
        .iter()
        .map(|language| AlternateLink {
            lang: language.code.clone(),
            href: url(base, &language.code),
        })
        .collect()
}

/// `<lang>/<old-id>/index.html`: the page an alias leads to, sending the reader on to the guide.
#[derive(Debug, Clone, Serialize)]
pub struct AliasView<'a> {
    pub lang: String,
    pub dir: &'static str,
    pub site_title: Label,
    /// The guide's title.
    pub title: Label,
    /// The old id.
    pub alias: String,
    /// The guide's page, relative to the alias page.
    pub href: String,
    /// The guide's absolute address, with `base_url`.
    pub canonical: Option<String>,
    /// "This guide has moved."
    pub moved: String,
    pub ui: &'a Catalog,
}

/// The pages of `guide`'s aliases in `lang`.
pub fn alias_views<'a>(site: &Site, guide: &Guide, lang: &'a Language) -> Vec<AliasView<'a>> {
    let l = Localizer::for_language(site, lang);
    guide
        .aliases
        .iter()
        .map(|alias| alias_view(site, guide, alias, lang, &l))
        .collect()
}

fn alias_view<'a>(
    site: &Site,
    guide: &Guide,
    alias: &Alias,
    lang: &'a Language,
    l: &Localizer,
) -> AliasView<'a> {
    AliasView {
        lang: lang.code.clone(),
        dir: lang.catalog.direction.as_str(),
        site_title: l.label(&site.title),
        title: l.label(&guide.title),
        alias: alias.id.clone(),
        href: format!("../{}/index.html", guide.id),
        canonical: site
            .base_url
            .as_ref()
            .map(|base| address::page_url(base, &lang.code, &guide.id)),
        moved: l.catalog.get("alias.moved").to_owned(),
        ui: &lang.catalog,
    }
}
