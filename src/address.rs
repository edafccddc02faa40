//! Model stage: where the site's pages live on the web (`base_url`), and where a guide continues on a
//! phone — one place for every absolute address, so that canonical links, hreflang alternates, the
//! sitemap and the continue-on-your-phone codes always agree.

use crate::model::{Guide, Site};

/// `base_url` as written, checked and ending with `/`. Err: the message and a hint.
pub fn base_url(written: &str) -> Result<String, (String, String)> {
    let hint = || {
        "write the address the site is published at, such as `https://it.example.edu/guides/`"
            .to_owned()
    };
    let Some(rest) = written
        .strip_prefix("https://")
        .or_else(|| written.strip_prefix("http://"))
    else {
        // `it.example.edu/guides`: the scheme was left out.
        let hint = if written.contains("://") || written.contains(':') {
            hint()
        } else {
            format!(
                "write the full address: `https://{}/`",
                written.trim_end_matches('/')
            )
        };
        return Err((
            format!("`{written}` is not an http:// or https:// address"),
            hint,
        ));
    };
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err((format!("`{written}` has no valid host name"), hint()));
    }
    // A query or fragment would end up in the middle of every address built from it.
    if let Some(bad) = rest.chars().find(|c| {
        matches!(c, '?' | '#' | '"' | '\'' | '<' | '>' | '\\' | '`')
            || c.is_whitespace()
            || c.is_control()
    }) {
        return Err((
            format!("`{written}` contains `{bad}`, which a base address cannot have"),
            hint(),
        ));
    }
    let mut url = written.to_owned();
    if !url.ends_with('/') {
        // `https://host/guides` names the folder `guides/`: pages are addresses below it.
        url.push('/');
    }
    Ok(url)
}

/// The root page: the base address itself.
pub fn root_url(base: &str) -> String {
    base.to_owned()
}

/// A language's index of guides: `<base><lang>/`.
pub fn index_url(base: &str, lang: &str) -> String {
    format!("{base}{lang}/")
}

/// A guide's page in a language: `<base><lang>/<id>/` (the folder's `index.html`, as web servers
/// serve it).
pub fn page_url(base: &str, lang: &str, id: &str) -> String {
    format!("{base}{lang}/{id}/")
}

/// Where a reader continues a guide on another device: the page, the reader's choices (such as the
/// platform, `phone=ios`) if any, and the step's anchor.
pub fn continue_url(base: &str, lang: &str, id: &str, query: Option<&str>, step: usize) -> String {
    let query = query
        .filter(|q| !q.is_empty())
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    format!("{}{query}#step-{step}", page_url(base, lang, id))
}

/// A step where the reader puts a computer down and picks up a phone: its number and the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The step's number as the reader sees it ("at step 7").
    pub step: usize,
    /// The step's anchor (`#step-N`), the same whatever platforms the reader chose.
    pub anchor: usize,
    pub device: String,
}

/// The steps of `guide` where the reader switches from a device that is not carried in the hand to
/// one that is (the device table's `mobile`). The first step is none: the reader may be holding
/// anything when the guide begins.
pub fn handovers(site: &Site, guide: &Guide) -> Vec<Handover> {
    let mobile = |id: &str| site.devices.get(id).is_some_and(|d| d.mobile);
    let mut previous: Option<&str> = None;
    let mut out = Vec::new();
    for step in guide.steps() {
        if let Some(before) = previous
            && step.device != before
            && mobile(&step.device)
            && !mobile(before)
        {
            out.push(Handover {
                step: step.number,
                anchor: step.anchor,
                device: step.device.clone(),
            });
        }
        previous = Some(&step.device);
    }
    out
}

/// For `check` without `base_url`: one sentence saying what setting would add continue codes to the
/// site's device switches, when it has any.
pub fn continue_hint(site: &Site) -> Option<String> {
    let switches: usize = site.guides.iter().map(|g| handovers(site, g).len()).sum();
    continue_hint_for(site, switches)
}

/// [`continue_hint`] for a site whose guides have `switches` device switches in all.
pub fn continue_hint_for(site: &Site, switches: usize) -> Option<String> {
    if site.base_url.is_some() {
        return None;
    }
    (switches > 0).then(|| {
        format!(
            "{switches} device switch{} to a phone or tablet could show a QR code that opens the guide there, at that step; set `base_url` in guidegen.yaml (the address the site is published at) to add {}",
            if switches == 1 { "" } else { "es" },
            if switches == 1 { "it" } else { "them" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_absolute_and_ends_with_a_slash() {
        assert_eq!(
            base_url("https://it.example.edu/guides").unwrap(),
            "https://it.example.edu/guides/"
        );
        assert_eq!(
            base_url("http://intranet:8080/").unwrap(),
            "http://intranet:8080/"
        );
        for bad in [
            "it.example.edu/guides/",
            "ftp://x/",
            "https:///guides/",
            "https://x/a b/",
            "https://x/?q=1",
            "https://x/#top",
            "https://user@x/",
            "javascript:alert(1)",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_are_built_below_the_base() {
        let base = "https://it.example.edu/guides/";
        assert_eq!(
            page_url(base, "da", "mfa"),
            "https://it.example.edu/guides/da/mfa/"
        );
        assert_eq!(index_url(base, "en"), "https://it.example.edu/guides/en/");
        assert_eq!(
            continue_url(base, "en", "mfa", None, 7),
            "https://it.example.edu/guides/en/mfa/#step-7"
        );
        assert_eq!(
            continue_url(base, "en", "mfa", Some("phone=ios"), 7),
            "https://it.example.edu/guides/en/mfa/?phone=ios#step-7"
        );
    }
}
