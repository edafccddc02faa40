//! What the HTML guidegen writes may contain, checked as a browser reads it (html5ever, through
//! scraper): which elements and attributes, and where links may lead.

use scraper::{Html, Node};

/// The elements pulldown-cmark writes for guide Markdown (strikethrough and tables on).
const MARKDOWN_ELEMENTS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    // The inline tags guide text may use (src/markdown.rs, INLINE_TAGS), written by guidegen.
    "kbd",
    "sub",
    "sup",
];

/// The attributes it writes on them.
const MARKDOWN_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "start",
    "style",
    "class",
    "data-guide-link",
];

/// Whether a link target is one a page may have: same page (`#…`), relative to the page, or
/// `https:`, `http:` or `mailto:`. Read as browsers read it (the URL standard): surrounding spaces
/// and control characters dropped, tabs and line breaks inside ignored, a scheme being a letter,
/// then letters, digits, `+`, `-` or `.`, then `:`, in any case; `\` taken for `/`.
pub fn allowed_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('#') {
        return true;
    }
    match scheme(&cleaned) {
        Some(scheme) => ["https", "http", "mailto"].contains(&scheme.as_str()),
        // Relative, but not to the site's root or another host.
        None => !cleaned.starts_with(['/', '\\']),
    }
}

/// The scheme of a URL, lowercased, if it has one.
fn scheme(url: &str) -> Option<String> {
    let (head, _) = url.split_once(':')?;
    let mut chars = head.chars();
    let valid = chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| head.to_ascii_lowercase())
}

/// Checks HTML written for a piece of guide Markdown.
pub fn check_markdown_html(html: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a script in {html:?}"
    );
    check_raw_tags(html);
    let fragment = Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name();
        // The parser's own wrapping of a fragment.
        if name == "html" || name == "body" {
            continue;
        }
        assert!(
            MARKDOWN_ELEMENTS.contains(&name),
            "element <{name}> in {html:?}"
        );
        for (attribute, value) in element.attrs() {
            assert!(
                MARKDOWN_ATTRIBUTES.contains(&attribute),
                "attribute {attribute}={value:?} on <{name}> in {html:?}"
            );
            if matches!(attribute, "href" | "src") {
                assert!(allowed_url(value), "{attribute}={value:?} in {html:?}");
            }
            if attribute == "style" {
                assert!(
                    value.starts_with("text-align: "),
                    "style={value:?} in {html:?}"
                );
            }
        }
    }
}

/// Every `<` in the text starts a tag pulldown-cmark writes: raw HTML was escaped.
fn check_raw_tags(html: &str) {
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let after = rest[name.len()..].chars().next();
        assert!(
            MARKDOWN_ELEMENTS.contains(&name.as_str()) && matches!(after, Some('>' | ' ' | '/')),
            "a raw `<` at byte {at} in {html:?}"
        );
    }
}

/// Elements no page of guidegen has, whatever the guide says.
const NEVER_ON_A_PAGE: &[&str] = &[
    "iframe", "object", "embed", "base", "form", "frame", "frameset", "applet", "input", "button",
];

/// guidegen's search: the index of a language (its index page) and the search script (every page).
const SEARCH_SCRIPTS: &[&str] = &[
    "search-index.js",
    "../assets/search.js",
    "../../assets/search.js",
];

/// Checks a page of a built site: no script but the root page's own and the search's, no event handlers, no
/// element that loads or submits anything, and every link and source allowed.
pub fn check_page(path: &str, html: &str, is_root: bool, root_script: &str) {
    let document = Html::parse_document(html);
    let mut scripts = 0;
    let mut search_scripts = 0;
    for node in document.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        let name = element.name();
        // guidegen's own search form (templates), which no guide text can make.
        let in_search_form = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.name() == "form" && e.attr("data-search").is_some())
        });
        let search_form = (name == "form" && element.attr("data-search").is_some())
            || (matches!(name, "input" | "button") && in_search_form);
        assert!(
            !NEVER_ON_A_PAGE.contains(&name) || search_form,
            "<{name}> in {path}"
        );
        let search_script = name == "script"
            && node.children().next().is_none()
            && element
                .attr("src")
                .is_some_and(|src| SEARCH_SCRIPTS.contains(&src));
        if search_script {
            search_scripts += 1;
        } else if name == "script" {
            scripts += 1;
            let text: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            // guidegen's own variants script, by its fixed address from the output's root, is the
            // one script a guide page may load; nothing of a guide's content becomes one.
            let depth = path.matches('/').count();
            let shipped = format!("{}assets/variants.js", "../".repeat(depth));
            let own = !is_root && text.is_empty() && element.attr("src") == Some(shipped.as_str());
            assert!(
                own || (is_root && same_script(&text, root_script)),
                "a script in {path}: {text:?}"
            );
        }
        if name == "meta" {
            assert!(
                element.attr("http-equiv").is_none(),
                "<meta http-equiv> in {path}"
            );
        }
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            assert!(
                !attribute.starts_with("on"),
                "event handler {attribute}={value:?} on <{name}> in {path}"
            );
            if matches!(
                attribute.as_str(),
                "href" | "src" | "xlink:href" | "action" | "srcset"
            ) {
                assert!(
                    allowed_url(value),
                    "{attribute}={value:?} on <{name}> in {path}"
                );
            }
        }
    }
    let lower = html.to_ascii_lowercase();
    assert_eq!(
        lower.matches("<script").count(),
        scripts + search_scripts,
        "a `<script` that is not a script element in {path}"
    );
    // The root page's language script, or a guide page's variants script: one at most.
    assert!(scripts <= 1, "{scripts} scripts in {path}");
}

/// The root page's script is the template's, but for the list of the site's languages.
fn same_script(page: &str, template: &str) -> bool {
    let strip = |script: &str| -> Option<String> {
        let mut lines = Vec::new();
        for line in script.lines() {
            match line.trim_start().strip_prefix("var have = [") {
                Some(rest) => {
                    let list = rest.strip_suffix("];")?;
                    let codes_ok = list.split(", ").all(|code| {
                        let code = code.trim_matches('"');
                        code.len() <= 16
                            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    });
                    if !codes_ok {
                        return None;
                    }
                }
                None => lines.push(line),
            }
        }
        Some(lines.join("\n"))
    };
    let template_lines: String = template
        .lines()
        .filter(|l| !l.trim_start().starts_with("var have = ["))
        .collect::<Vec<_>>()
        .join("\n");
    strip(page).is_some_and(|p| p.trim() == template_lines.trim())
}

/// The inline script of templates/root.html.
pub fn root_template_script() -> String {
    let template = include_str!("../../templates/root.html");
    let start = template.find("<script>").expect("root.html has a script") + "<script>".len();
    let end = template
        .find("</script>")
        .expect("root.html closes its script");
    template[start..end].to_owned()
}
