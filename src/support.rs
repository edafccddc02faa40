//! Render stage: the support block at the end of every guide ("Still stuck? Contact IT support …"),
//! from `support:` of guidegen.yaml, for the page and the PDF; and what validation accepts as its
//! e-mail address and phone number.

use serde::Serialize;

use crate::model::Support;
use crate::view::{Label, Localizer, Prose};

/// The support block as a page and the PDF show it.
#[derive(Debug, Clone, Serialize)]
pub struct SupportView {
    /// "Still stuck?"
    pub heading: String,
    /// The site's text, or "Contact IT support."
    pub text: Prose,
    /// The ways to reach support, in the order e-mail, phone, address, opening hours.
    pub items: Vec<SupportItem>,
}

/// One way to reach support.
#[derive(Debug, Clone, Serialize)]
pub struct SupportItem {
    /// `email`, `phone`, `address` or `hours` (the `data-support-item` hook).
    pub kind: &'static str,
    /// "E-mail", "Phone", "Address", "Opening hours".
    pub label: String,
    pub text: Label,
    /// `mailto:…` or `tel:…`; none for the address and the hours.
    pub href: Option<String>,
}

/// The view of the site's support block in the page's language.
pub fn support_view(support: &Support, l: &Localizer) -> SupportView {
    let text = match &support.text {
        Some(text) => l.prose(text),
        None => Prose {
            markdown: l.catalog.get("support.text").to_owned(),
            lang: None,
        },
    };
    let plain = |text: &str| Label {
        text: text.to_owned(),
        lang: None,
    };
    let mut items = Vec::new();
    if let Some(email) = &support.email {
        items.push(("email", plain(email), Some(format!("mailto:{email}"))));
    }
    if let Some(phone) = &support.phone {
        items.push(("phone", plain(phone), tel_href(phone)));
    }
    if let Some(address) = &support.address {
        items.push(("address", l.label(address), None));
    }
    if let Some(hours) = &support.hours {
        items.push(("hours", l.label(hours), None));
    }
    SupportView {
        heading: l.catalog.get("support.heading").to_owned(),
        text,
        items: items
            .into_iter()
            .map(|(kind, text, href)| SupportItem {
                kind,
                label: l.catalog.get(&format!("support.{kind}")).to_owned(),
                text,
                href,
            })
            .collect(),
    }
}

/// An address a `mailto:` link can carry: one `@` between a local part and a dotted domain, no white
/// space, nothing a URL would read as more than an address (`?`, `#`, `/`, `%`, quotes, `<>`).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let ok_char =
        |c: char| !c.is_whitespace() && !c.is_control() && !"@?#/\\%\"'<>(),;:[]`".contains(c);
    !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && text.len() <= 254
        && local.chars().all(ok_char)
        && domain.chars().all(ok_char)
}

/// `tel:+4533391000` for `+45 33 39 10 00`: the digits and a leading `+`, as RFC 3966 wants them.
/// `None` for text that is not a phone number (letters, another `+`, too few digits).
pub fn tel_href(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let allowed = |c: char| c.is_ascii_digit() || " +-().\u{a0}".contains(c);
    if !phone.chars().all(allowed) || phone.rfind('+').is_some_and(|at| at != 0) {
        return None;
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if !(3..=20).contains(&digits.len()) {
        return None;
    }
    let plus = if phone.starts_with('+') { "+" } else { "" };
    Some(format!("tel:{plus}{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links() {
        assert_eq!(
            tel_href("+45 33 39 10 00").as_deref(),
            Some("tel:+4533391000")
        );
        assert_eq!(
            tel_href("(555) 123-4567").as_deref(),
            Some("tel:5551234567")
        );
        for bad in ["call us", "45+33", "12", "javascript:1", "1234?x=1", ""] {
            assert_eq!(tel_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn e_mail_addresses_are_addresses_only() {
        assert!(is_email("it@dmjx.dk"));
        assert!(is_email("it-support+mfa@student.dmjx.dk"));
        for bad in [
            "it",
            "it@dmjx",
            "@dmjx.dk",
            "it@@dmjx.dk",
            "it@dmjx.dk?subject=x",
            "it @dmjx.dk",
            "mailto:it@dmjx.dk",
            "it@dmjx.dk.",
            "<it@dmjx.dk>",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
