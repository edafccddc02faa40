//! Render stage: HTML pages from views, through tera templates — built in, or the site's own
//! `templates/<name>` where it has one.

use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::load::SiteDir;
use crate::view::publish::AliasView;
use crate::view::{GuideView, IndexView, RootView};

/// The built-in templates and assets, embedded in the binary. A site file of the same name in
/// `templates/` replaces one.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("guide.html", include_str!("../templates/guide.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("root.html", include_str!("../templates/root.html")),
    ("video.html", include_str!("../templates/video.html")),
    ("alias.html", include_str!("../templates/alias.html")),
    (
        "platform-choice.html",
        include_str!("../templates/platform-choice.html"),
    ),
];

/// The stylesheet, written to `assets/style.css`.
const BUILTIN_CSS: (&str, &str) = ("style.css", include_str!("../templates/style.css"));

/// The loaded templates and stylesheet of a site.
pub struct Templates {
    tera: Tera,
    pub css: String,
    /// A fingerprint of every template's text and the stylesheet, for the build cache.
    pub fingerprint: String,
}

impl Templates {
    /// Loads the built-in templates with the site's overrides laid over them.
    /// The site's templates are added to `sources`, for diagnostics to quote.
    pub fn load(
        dir: &SiteDir,
        diagnostics: &mut Diagnostics,
        site_sources: &mut Sources,
    ) -> Option<Templates> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        let mut sources = Vec::new();
        for (name, builtin) in BUILTIN_TEMPLATES {
            let (text, path) =
                site_file(dir, name, diagnostics).unwrap_or_else(|| ((*builtin).to_owned(), None));
            sources.push((*name, text, path));
        }
        let templates: Vec<(&str, &str)> =
            sources.iter().map(|(n, t, _)| (*n, t.as_str())).collect();
        if let Err(err) = tera.add_raw_templates(templates) {
            let full = error_chain(&err);
            // tera renders its own snippet below the first line; we quote the line ourselves.
            let message = full
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
                .to_owned();
            for (_, text, path) in &sources {
                if let Some(path) = path {
                    site_sources.insert(path, text.clone());
                }
            }
            // Point at the site's template when the message names one it overrides.
            let (path, span) = sources
                .iter()
                .filter_map(|(name, _, path)| path.as_ref().map(|p| (*name, p)))
                .find(|(name, _)| full.contains(&format!("{name}:")))
                .map(|(_, p)| (p.clone(), line_in(&full)))
                .unwrap_or_else(|| (dir.display(Path::new("templates")), Span::START));
            diagnostics.push(
                Diagnostic::error(path, span, format!("template error: {message}"))
                    .with_hint("fix the template, or delete it to use the built-in one"),
            );
            return None;
        }
        let css = site_file(dir, BUILTIN_CSS.0, diagnostics)
            .map_or_else(|| BUILTIN_CSS.1.to_owned(), |(text, _)| text);
        let mut fingerprint = crate::cache::Fingerprint::new("templates");
        for (name, text, _) in &sources {
            fingerprint.part(name.as_bytes()).part(text.as_bytes());
        }
        fingerprint.part(css.as_bytes());
        Some(Templates {
            tera,
            css,
            fingerprint: fingerprint.finish(),
        })
    }

    /// A guide's page; its search form sends the words to the language's index page.
    pub fn guide(&self, view: &GuideView) -> Result<String, String> {
        let page = PageExtras {
            search_href: "../index.html",
            ..PageExtras::default()
        };
        self.render("guide.html", view, "../../", &page)
    }

    /// A guide's page made to travel (`embed`: `single` or `fragment`, see [`crate::embed`]): no
    /// links to the rest of the site, no search, and the stylesheet `inline_css` in the page.
    pub fn guide_embedded(
        &self,
        view: &GuideView,
        embed: &str,
        inline_css: &str,
    ) -> Result<String, String> {
        let page = PageExtras {
            embed,
            inline_css,
            ..PageExtras::default()
        };
        self.render("guide.html", view, "../../", &page)
    }

    /// A language's index page, which searches with the language's index.
    pub fn index(&self, view: &IndexView) -> Result<String, String> {
        let page = PageExtras {
            search_href: "index.html",
            search_index: "search-index.js",
            ..PageExtras::default()
        };
        self.render("index.html", view, "../", &page)
    }

    pub fn root(&self, view: &RootView) -> Result<String, String> {
        self.render("root.html", view, "", &PageExtras::default())
    }

    /// The page at a guide's old id (`<lang>/<alias>/index.html`), sending the reader on.
    pub fn alias(&self, view: &AliasView) -> Result<String, String> {
        self.render("alias.html", view, "../../", &PageExtras::default())
    }

    /// Renders `name` with the view's fields at the top level, `root`, the relative URL of the
    /// output folder from the page, and the page's [`PageExtras`].
    fn render<T: Serialize>(
        &self,
        name: &str,
        view: &T,
        root: &str,
        page: &PageExtras,
    ) -> Result<String, String> {
        let mut context = Context::from_serialize(view).map_err(|e| error_chain(&e))?;
        context.insert("root", root);
        context.insert("search_href", page.search_href);
        context.insert("search_index", page.search_index);
        context.insert("embed", page.embed);
        context.insert("inline_css", page.inline_css);
        self.tera
            .render(name, &context)
            .map_err(|e| format!("{name}: {}", error_chain(&e)))
    }
}

/// What a page is besides its view, for the templates; each empty when the page has none.
#[derive(Default)]
struct PageExtras<'a> {
    /// The language's index page, relative: where a search form sends the words.
    search_href: &'a str,
    /// The language's search index script, relative: only the index page, which searches, loads it.
    search_index: &'a str,
    /// `single` or `fragment` for a page made to travel ([`crate::embed`]).
    embed: &'a str,
    /// The stylesheet, inline, for a page that must not link to `assets/style.css`.
    inline_css: &'a str,
}

/// The site's own `templates/<name>`, if it has one.
fn site_file(
    dir: &SiteDir,
    name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Option<std::path::PathBuf>)> {
    let rel = Path::new("templates").join(name);
    let path = dir.root.join(&rel);
    // `symlink_metadata`: a link is the site's file too, and the reader decides whether it may be read.
    if std::fs::symlink_metadata(&path).is_err() {
        return None;
    }
    let shown = dir.display(&rel);
    crate::load::read_text(&dir.root, &rel, &shown, diagnostics).map(|text| (text, Some(shown)))
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The first "line N" / ":N:M" position a template error message names.
fn line_in(message: &str) -> Span {
    for (i, _) in message.match_indices(':') {
        let rest = &message[i + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(line) = digits.parse::<usize>() {
            let after = &rest[digits.len()..];
            let column = after.strip_prefix(':').and_then(|c| {
                c.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok()
            });
            return Span::new(line.max(1), column.unwrap_or(1));
        }
    }
    Span::START
}

/// Text made safe for HTML (and XML) content and quoted attribute values: for what guidegen writes
/// itself, outside the templates' autoescaping.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
