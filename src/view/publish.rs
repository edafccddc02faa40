//! Render stage: the views of what `base_url` and `aliases` add to pages — continue-on-your-phone
//! codes at banners, canonical and hreflang addresses, and the page an old id leads to.

use serde::Serialize;

use super::{Label, Localizer, SectionView};
use crate::address::{self, Handover};
use crate::catalog::Catalog;
use crate::model::{Alias, Guide, Language, Site};
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
}

/// An address of the page in another language (or its own), for `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateLink {
    pub lang: String,
    pub href: String,
}

/// The continue code for `handover` of guide `id` in the localizer's language. `query` carries the
/// reader's choices into the address (the platform: `phone=ios`); `None` without variants.
pub fn continue_view(
    base: &str,
    codes: &qr::Codes,
    l: &Localizer,
    id: &str,
    handover: &Handover,
    query: Option<&str>,
) -> ContinueView {
    let step = handover.step.to_string();
    let url = address::continue_url(base, l.lang, id, query, handover.step);
    let qr_label = l.catalog.format("continue.qr_label", &[("n", &step)]);
    ContinueView {
        device: handover.device.clone(),
        qr_svg: codes.svg(&url, &qr_label).unwrap_or_default(),
        qr_label,
        hint: l.catalog.format("continue.hint", &[("n", &step)]),
        url,
    }
}

/// Puts a continue code on each banner where the reader switches from a computer to a phone, when
/// the site has a `base_url`.
pub fn add_continue_codes(
    site: &Site,
    codes: &qr::Codes,
    l: &Localizer,
    guide: &Guide,
    sections: &mut [SectionView],
    query: Option<&str>,
) {
    let Some(base) = &site.base_url else { return };
    let handovers = address::handovers(site, guide);
    for step in sections.iter_mut().flat_map(|s| s.steps.iter_mut()) {
        let Some(handover) = handovers.iter().find(|h| h.step == step.number) else {
            continue;
        };
        if let Some(banner) = &mut step.banner {
            banner.continue_code = Some(continue_view(base, codes, l, &guide.id, handover, query));
        }
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
    let l = Localizer {
        lang: &lang.code,
        source_lang: site.source_lang(),
        outdated: site.outdated,
        catalog: &lang.catalog,
        variables: &site.variables,
    };
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
