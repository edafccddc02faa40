//! Serve: what `serve` adds to an HTML page on its way out — the reload script, and over a guide
//! with errors the error overlay — and the page's Content-Security-Policy. `build` never writes
//! either.

pub use crate::html::escape;
use sha2::{Digest, Sha256};

use super::{Problem, Snapshot};

/// Reloads the page on a rebuild, keeping the reader's place, and closes the overlay.
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// The marker on the injected script, for tests and for anyone stripping it.
pub const RELOAD_MARKER: &str = "data-guidegen-reload";

/// A page as served: `html` with the overlay of the errors that concern `path` (if any) and the
/// reload script, both just before `</body>`.
pub fn served_html(html: &[u8], path: &str, snapshot: &Snapshot) -> Vec<u8> {
    add_to_page(
        html,
        path,
        snapshot,
        "This is the last good version of the page.",
    )
}

/// `html` with the overlay (saying `state`, what the reader sees under it) and the reload script.
fn add_to_page(html: &[u8], path: &str, snapshot: &Snapshot, state: &str) -> Vec<u8> {
    let errors = errors_for(path, snapshot);
    let mut added = String::new();
    if !errors.is_empty() {
        added.push_str(&overlay(&errors, state));
    }
    added.push_str(&reload_script(snapshot.generation));
    insert_before_body_end(html, &added)
}

/// The errors shown on the page at `path`: those of its guide (`<lang>/<guide-id>/…`) and those of
/// the whole site. Warnings are for the terminal only.
pub fn errors_for<'a>(path: &str, snapshot: &'a Snapshot) -> Vec<&'a Problem> {
    let guide = guide_of(path);
    let mut errors: Vec<&Problem> = snapshot
        .problems
        .iter()
        .filter(|p| p.diagnostic.is_error())
        .filter(|p| p.guide.is_none() || p.guide.as_deref() == guide)
        .collect();
    errors.dedup_by(|a, b| a.rendered == b.rendered);
    errors
}

/// The guide a page belongs to: pages of a guide live at `<lang>/<guide-id>/…`.
pub fn guide_of(path: &str) -> Option<&str> {
    let mut segments = path.split('/');
    let (_lang, guide, rest) = (segments.next()?, segments.next()?, segments.next()?);
    (!guide.is_empty() && !rest.is_empty()).then_some(guide)
}

fn reload_script(generation: u64) -> String {
    format!("<script {RELOAD_MARKER} data-generation=\"{generation}\">{RELOAD_SCRIPT}</script>\n")
}

/// `addition` before the last `</body>` (any case), or at the end of a page without one.
fn insert_before_body_end(html: &[u8], addition: &str) -> Vec<u8> {
    let at = rfind_ignore_ascii_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

const MONOSPACE: &str = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";

/// The error overlay: over the whole window, scrollable, readable at 360 px, in English like the
/// terminal, styled inline so that no site style can hide or restyle it.
pub fn overlay(errors: &[&Problem], state: &str) -> String {
    let count = errors.len();
    let heading = format!("{count} error{}", if count == 1 { "" } else { "s" });
    let mut html = format!(
        "<div data-guidegen-overlay role=\"alert\" aria-labelledby=\"guidegen-overlay-heading\" \
         lang=\"en\" dir=\"ltr\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         box-sizing:border-box;padding:12px;background:rgba(0,0,0,.6);text-align:left;\
         font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\">\n\
         <div style=\"box-sizing:border-box;max-width:60rem;margin:0 auto;padding:16px;\
         border-top:6px solid #b3261e;border-radius:8px;background:#fff;color:#1b1b1b;\
         box-shadow:0 4px 24px rgba(0,0,0,.4)\">\n\
         <div style=\"display:flex;gap:12px;align-items:flex-start;justify-content:space-between\">\n\
         <h2 id=\"guidegen-overlay-heading\" style=\"margin:0;font-size:1.25rem;line-height:1.3;\
         color:#b3261e\">{heading}</h2>\n\
         <button type=\"button\" data-guidegen-overlay-close style=\"flex:none;min-width:44px;\
         min-height:44px;padding:4px 12px;font:inherit;border:2px solid #1b1b1b;border-radius:6px;\
         background:#fff;color:#1b1b1b;cursor:pointer\">Close</button>\n</div>\n\
         <p style=\"margin:8px 0 0\">{} Fix the error{} and save: the page reloads by \
         itself.</p>\n",
        escape(state),
        if count == 1 { "" } else { "s" }
    );
    for error in errors {
        html.push_str(&problem_section(error));
    }
    html.push_str("</div>\n</div>\n");
    html
}

/// One error: where and what (a heading), the quoted line with its caret, the hint.
fn problem_section(problem: &Problem) -> String {
    let d = &problem.diagnostic;
    let location = format!("{}:{}:{}", d.path.display(), d.span.line, d.span.column);
    let mut html = format!(
        "<section data-guidegen-problem style=\"margin-top:16px\">\n\
         <h3 style=\"margin:0;font-size:1rem;overflow-wrap:anywhere\">\
         <code style=\"font-family:{MONOSPACE}\">{}</code>: {}</h3>\n",
        escape(&location),
        escape(&d.message)
    );
    let quoted = quoted_lines(&problem.rendered);
    if !quoted.is_empty() {
        html.push_str(&format!(
            "<pre style=\"margin:8px 0 0;padding:8px;overflow-x:auto;white-space:pre;\
             border-radius:4px;background:#f3f3f3;color:#1b1b1b;\
             font:14px/1.4 {MONOSPACE}\">{}</pre>\n",
            escape(&quoted)
        ));
    }
    if let Some(hint) = &d.hint {
        html.push_str(&format!(
            "<p style=\"margin:8px 0 0;overflow-wrap:anywhere\"><strong>Hint:</strong> {}</p>\n",
            escape(hint)
        ));
    }
    html.push_str("</section>\n");
    html
}

/// The quoted source line and its caret from `Diagnostic::render` output: the lines between the
/// first (the location and message) and the hint.
fn quoted_lines(rendered: &str) -> String {
    rendered
        .lines()
        .skip(1)
        .filter(|line| !line.trim_start().starts_with("= hint:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page served for a path with no file, with the reload script (so that it turns into the page
/// once a rebuild makes it) and the overlay of the errors of the guide it would belong to.
pub fn not_found_page(path: &str, snapshot: &Snapshot) -> Vec<u8> {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Not found</title>\n</head>\n<body>\n<main style=\"font-family:system-ui,sans-serif;\
         max-width:40rem;margin:2rem auto;padding:0 1rem\">\n<h1>Not found</h1>\n\
         <p>The site has no page at <code>/{}</code>.</p>\n<p><a href=\"/\">The site's first \
         page</a></p>\n</main>\n</body>\n</html>\n",
        escape(path)
    );
    add_to_page(
        page.as_bytes(),
        path,
        snapshot,
        "There is no good version of this page yet.",
    )
}

/// Nothing from the network; scripts only from the site itself or inline ones as they stand in
/// this very page (by hash, the reload script among them); styles inline too (the overlay's, a
/// template's); captions as the `data:` URLs pages give them in; and frames from the video
/// players the page offers to load on a click (`data-video-embed`, only where the site opts in to
/// embedding).
pub fn content_security_policy(html: &[u8]) -> String {
    let hashes: String = inline_script_hashes(html)
        .iter()
        .map(|hash| format!(" 'sha256-{hash}'"))
        .collect();
    let players: String = embed_origins(html)
        .iter()
        .map(|origin| format!(" {origin}"))
        .collect();
    format!(
        "default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; media-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
         frame-src 'self'{players}; form-action 'self'; base-uri 'none'; object-src 'none'"
    )
}

/// The origins of the video players a page may load (`data-video-embed="https://…"`), sorted.
fn embed_origins(html: &[u8]) -> Vec<String> {
    const ATTRIBUTE: &[u8] = b"data-video-embed=\"";
    let mut origins = Vec::new();
    let mut from = 0;
    while let Some(at) = find(html, ATTRIBUTE, from) {
        let start = at + ATTRIBUTE.len();
        let Some(end) = find(html, b"\"", start) else {
            break;
        };
        let value = String::from_utf8_lossy(&html[start..end]).replace("&amp;", "&");
        origins.extend(crate::video::origin(&value));
        from = end;
    }
    origins.sort();
    origins.dedup();
    origins
}

/// The base64 SHA-256 of each inline `<script>` of a page, as a browser hashes it: the text between
/// the tags, line endings normalized to `\n`.
fn inline_script_hashes(html: &[u8]) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = find(&lower, b"<script", from) {
        let Some(open_end) = tag_end(&lower, start) else {
            break;
        };
        let Some(close) = find(&lower, b"</script", open_end) else {
            break;
        };
        let attributes = &lower[start + b"<script".len()..open_end];
        // `<script>` or `<script …>`, not `<scripts>`.
        let starts_tag = lower[start + b"<script".len()].is_ascii_whitespace()
            || matches!(lower[start + b"<script".len()], b'>' | b'/');
        if starts_tag && !has_src_attribute(attributes) {
            let text = String::from_utf8_lossy(&html[open_end + 1..close]);
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            hashes.push(crate::base64::encode(&Sha256::digest(text.as_bytes())));
        }
        from = close + 1;
    }
    hashes.sort();
    hashes.dedup();
    hashes
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The `>` that ends the tag starting at `start`, skipping quoted attribute values.
fn tag_end(html: &[u8], start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in html.iter().enumerate().skip(start) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn has_src_attribute(attributes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(attributes);
    text.split(|c: char| c.is_ascii_whitespace() || c == '/')
        .any(|word| word == "src" || word.starts_with("src="))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Sources, Span};
    use std::collections::BTreeMap;

    fn problem(guide: Option<&str>, diagnostic: Diagnostic, source: &str) -> Problem {
        let mut sources = Sources::default();
        sources.insert(diagnostic.path.clone(), source);
        Problem {
            guide: guide.map(str::to_owned),
            rendered: diagnostic.render(&sources),
            diagnostic,
        }
    }

    fn snapshot(problems: Vec<Problem>) -> Snapshot {
        Snapshot {
            files: BTreeMap::new(),
            generation: 42,
            problems,
        }
    }

    const OVERLAY_TAG: &str = "<div data-guidegen-overlay";

    const PAGE: &str = "<!doctype html><html><body><main>x</main></body></html>";

    #[test]
    fn video_players_may_be_framed_and_captions_come_as_data() {
        let html = br#"<p><div data-video-embed="https://www.youtube-nocookie.com/embed/x?a=1&amp;b=2"></div><div data-video-embed="https://player.vimeo.com/video/1"></div></p>"#;
        let policy = content_security_policy(html);
        assert!(
            policy.contains(
                "frame-src 'self' https://player.vimeo.com https://www.youtube-nocookie.com;"
            ),
            "{policy}"
        );
        assert!(policy.contains("media-src 'self' data:;"), "{policy}");
        let plain = content_security_policy(b"<p>no videos</p>");
        assert!(plain.contains("frame-src 'self';"), "{plain}");
    }

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let served = served_html(PAGE.as_bytes(), "en/a/index.html", &snapshot(vec![]));
        let text = String::from_utf8(served).unwrap();
        let script = text.find(RELOAD_MARKER).unwrap();
        assert!(script > text.find("</main>").unwrap());
        assert!(script < text.find("</body>").unwrap());
        assert!(text.contains("data-generation=\"42\""));
        assert!(text.ends_with("</body></html>"));
        assert!(!text.contains(OVERLAY_TAG));
        // A page without </body> gets it at the end; an upper-case one is found.
        let bare = String::from_utf8(served_html(b"<p>x", "x.html", &snapshot(vec![]))).unwrap();
        assert!(bare.starts_with("<p>x<script"));
        let upper = served_html(b"<BODY>x</BODY>", "x.html", &snapshot(vec![]));
        assert!(
            String::from_utf8(upper)
                .unwrap()
                .ends_with("</script>\n</BODY>")
        );
    }

    #[test]
    fn the_overlay_escapes_the_diagnostic_and_shows_line_and_hint() {
        let d = Diagnostic::error(
            "guides/a/guide.yaml",
            Span::new(2, 7),
            "unknown key `<img src=x onerror=alert(1)>`",
        )
        .with_hint("did you mean \"action\" & not <script>?");
        let source = "title: A\naction <b>&amp;</b>\n";
        let snap = snapshot(vec![problem(Some("a"), d, source)]);
        let text =
            String::from_utf8(served_html(PAGE.as_bytes(), "en/a/index.html", &snap)).unwrap();
        let overlay_start = text.find(OVERLAY_TAG).unwrap();
        assert!(overlay_start < text.find(RELOAD_MARKER).unwrap());
        assert!(text.contains("role=\"alert\""));
        assert!(text.contains("<h2 id=\"guidegen-overlay-heading\""));
        assert!(text.contains("data-guidegen-overlay-close"));
        assert!(text.contains("<code style=\"font-family:"));
        assert!(text.contains("guides/a/guide.yaml:2:7</code>"));
        assert!(text.contains("unknown key `&lt;img src=x onerror=alert(1)&gt;`"));
        assert!(!text.contains("<img"));
        assert!(text.contains("2 | action &lt;b&gt;&amp;amp;&lt;/b&gt;"));
        assert!(text.contains("|       ^</pre>"));
        assert!(text.contains("did you mean &quot;action&quot; &amp; not &lt;script&gt;?"));
        assert!(!text.contains("= hint"));
    }

    #[test]
    fn errors_show_on_their_guide_site_errors_everywhere_warnings_nowhere() {
        let guide_error = problem(
            Some("a"),
            Diagnostic::error("guides/a/guide.yaml", Span::START, "guide a broken"),
            "",
        );
        let warning = problem(
            Some("b"),
            Diagnostic::warning("guides/b/guide.yaml", Span::START, "guide b untranslated"),
            "",
        );
        let site_error = problem(
            None,
            Diagnostic::error("guidegen.yaml", Span::START, "site broken"),
            "",
        );
        let snap = snapshot(vec![guide_error, warning, site_error]);
        let messages = |path: &str| -> Vec<&str> {
            errors_for(path, &snap)
                .iter()
                .map(|p| p.diagnostic.message.as_str())
                .collect()
        };
        assert_eq!(
            messages("en/a/index.html"),
            ["guide a broken", "site broken"]
        );
        assert_eq!(
            messages("da/a/shots/x.svg"),
            ["guide a broken", "site broken"]
        );
        assert_eq!(messages("en/b/index.html"), ["site broken"]);
        assert_eq!(messages("en/index.html"), ["site broken"]);
        assert_eq!(messages("index.html"), ["site broken"]);
    }

    #[test]
    fn pages_belong_to_the_guide_of_their_second_segment() {
        assert_eq!(guide_of("en/mfa-setup/index.html"), Some("mfa-setup"));
        assert_eq!(guide_of("da/x/shots/a.png"), Some("x"));
        assert_eq!(guide_of("en/index.html"), None);
        assert_eq!(guide_of("index.html"), None);
        assert_eq!(guide_of("en//index.html"), None);
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_scripts_of_the_page() {
        // The hash of `alert(1)` as browsers report it in their CSP errors.
        let page = b"<html><head><SCRIPT>alert(1)</SCRIPT><script src=\"/a.js\"></script>\
            <script type='x>y'>\r\nb()</script><scripts></scripts></head></html>";
        let policy = content_security_policy(page);
        assert!(policy.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"));
        let expected_crlf = crate::base64::encode(&Sha256::digest(b"\nb()"));
        assert!(policy.contains(&expected_crlf));
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.starts_with("default-src 'none'; script-src 'self' 'sha256-"));
        // The served page's own policy covers the reload script.
        let served = served_html(PAGE.as_bytes(), "en/a/index.html", &snapshot(vec![]));
        let reload_hash = crate::base64::encode(&Sha256::digest(RELOAD_SCRIPT.as_bytes()));
        assert!(content_security_policy(&served).contains(&reload_hash));
    }

    #[test]
    fn the_not_found_page_escapes_the_path_and_reloads() {
        let page = String::from_utf8(not_found_page("<x>", &snapshot(vec![]))).unwrap();
        assert!(page.contains("/&lt;x&gt;"));
        assert!(page.contains(RELOAD_MARKER));
    }
}
