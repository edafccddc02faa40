//! Validate stage: what says where the site is published — `base_url` in guidegen.yaml, and a
//! guide's `aliases:` (earlier ids that must keep working), unique across the site.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::{FileCheck, id_suggestion, is_id};
use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::input::GuideFile;
use crate::model::{Alias, Guide};

/// `base_url`, normalised to end with `/`; `None` (reported) when it is not an http(s) address.
pub(super) fn base_url(check: &mut FileCheck, written: &Spanned<String>) -> Option<String> {
    match crate::address::base_url(written.value.trim()) {
        Ok(url) => Some(url),
        Err((message, hint)) => {
            check.error(written.referenced, message, Some(hint));
            None
        }
    }
}

/// A guide's `aliases:`: each an id, not the guide's own, listed once.
pub(super) fn aliases(check: &mut FileCheck, file: &GuideFile, own_id: &str) -> Vec<Alias> {
    let Some(written) = &file.aliases else {
        return Vec::new();
    };
    let mut out: Vec<Alias> = Vec::new();
    for alias in &written.value {
        let span: Span = alias.referenced.into();
        let id = alias.value.as_str();
        if !is_id(id) {
            check.error(
                span,
                format!("alias `{id}` is not a guide id"),
                Some(format!(
                    "an alias is an earlier folder name of this guide: lowercase letters, digits and `-`, such as `{}`",
                    id_suggestion(id)
                )),
            );
        } else if id == own_id {
            check.error(
                span,
                format!("alias `{id}` is this guide's own id"),
                Some("list only earlier ids of the guide under `aliases`".into()),
            );
        } else if let Some(first) = out.iter().find(|a| a.id == id) {
            check.error(
                span,
                format!("alias `{id}` is listed twice"),
                Some(format!(
                    "remove this one; it is listed first at line {}",
                    first.origin.span.line
                )),
            );
        } else {
            out.push(Alias {
                id: id.to_owned(),
                origin: check.origin(span),
            });
        }
    }
    out
}

/// Aliases that are another guide's id or another guide's alias: each an error at the alias,
/// naming the other place. Both pages would be published at the same address.
pub fn alias_clashes<'a>(guides: impl IntoIterator<Item = &'a Guide>) -> Diagnostics {
    let guides: Vec<&Guide> = guides.into_iter().collect();
    let ids: BTreeMap<&str, &Guide> = guides.iter().map(|g| (g.id.as_str(), *g)).collect();
    let mut first_alias: BTreeMap<&str, (&Guide, &Alias)> = BTreeMap::new();
    let mut diagnostics = Diagnostics::new();
    let mut sorted = guides.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for guide in sorted {
        for alias in &guide.aliases {
            let at = |message: String, hint: String| {
                Diagnostic::error(&alias.origin.path, alias.origin.span, message).with_hint(hint)
            };
            if let Some(other) = ids.get(alias.id.as_str()) {
                diagnostics.push(at(
                    format!("alias `{}` is the id of another guide", alias.id),
                    format!(
                        "{} is the guide `{}`; remove the alias, or rename one of the guides",
                        other.path.display(),
                        other.id
                    ),
                ));
            } else if let Some((other, first)) = first_alias.get(alias.id.as_str()) {
                diagnostics.push(at(
                    format!(
                        "alias `{}` is also an alias of the guide `{}`",
                        alias.id, other.id
                    ),
                    format!(
                        "{}:{}:{} lists it too; an old address can lead to one guide only",
                        first.origin.path.display(),
                        first.origin.span.line,
                        first.origin.span.column
                    ),
                ));
            } else {
                first_alias.insert(&alias.id, (guide, alias));
            }
        }
    }
    diagnostics
}
