//! Render stage: `sitemap.xml` (sitemaps.org 0.9) — every page of the site in every language it is
//! published in, each with its other languages as `xhtml:link` hreflang alternates. Written only
//! with `base_url`, since a sitemap lists absolute addresses; nothing in it changes between builds
//! of the same input (no build time, no `lastmod` guessed).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::address;

/// The sitemap of a site published at `base`, built in `languages` (the site's order), with each
/// guide's id and the languages it is published in.
pub fn sitemap(
    base: &str,
    languages: &[String],
    published: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" ",
        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    ));
    url(&mut out, &address::root_url(base), &[]);
    let indexes: Vec<(&str, String)> = languages
        .iter()
        .map(|lang| (lang.as_str(), address::index_url(base, lang)))
        .collect();
    for (_, loc) in &indexes {
        url(&mut out, loc, &indexes);
    }
    for (id, langs) in published {
        // In the site's order of languages, whatever order the guide's list has.
        let pages: Vec<(&str, String)> = languages
            .iter()
            .filter(|lang| langs.contains(lang))
            .map(|lang| (lang.as_str(), address::page_url(base, lang, id)))
            .collect();
        for (_, loc) in &pages {
            url(&mut out, loc, &pages);
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// One `<url>`, with the page's languages as alternates when it has more than one.
fn url(out: &mut String, loc: &str, alternates: &[(&str, String)]) {
    let _ = writeln!(out, "  <url>\n    <loc>{}</loc>", crate::html::escape(loc));
    if alternates.len() > 1 {
        for (lang, href) in alternates {
            let _ = writeln!(
                out,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                crate::html::escape(lang),
                crate::html::escape(href)
            );
        }
    }
    out.push_str("  </url>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_page_with_its_languages() {
        let languages = vec!["da".to_owned(), "en".to_owned()];
        let published = BTreeMap::from([
            ("mfa".to_owned(), vec!["en".to_owned(), "da".to_owned()]),
            ("vpn".to_owned(), vec!["da".to_owned()]),
        ]);
        let xml = sitemap("https://x.example/g/", &languages, &published);
        assert_eq!(xml.matches("<url>").count(), 1 + 2 + 2 + 1);
        assert!(xml.contains("<loc>https://x.example/g/en/mfa/</loc>"));
        assert!(xml.contains(r#"hreflang="da" href="https://x.example/g/da/mfa/""#));
        let vpn = &xml[xml.find("<loc>https://x.example/g/da/vpn/").unwrap()..];
        let vpn = &vpn[..vpn.find("</url>").unwrap()];
        assert!(!vpn.contains("xhtml:link"), "one language: no alternates");
    }
}
