//! A site's templates/ file replaces the built-in template of the same name; a broken one is an error
//! at its place, and the stylesheet can be replaced too.

mod common;

use common::{copy_fixture, parse_html, run, sel};

#[test]
fn a_site_template_replaces_the_builtin_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_fixture("valid", &tmp.path().join("site"));
    std::fs::create_dir_all(site.join("templates")).unwrap();
    // The override extends the built-in base and keeps the hooks, adding its own mark.
    std::fs::write(
        site.join("templates/guide.html"),
        r#"{% extends "base.html" %}{% block main %}<p id="custom-guide">{{ title.text }} / {{ total_steps }}</p>
{% for s in sections %}{% for step in s.steps %}<div data-step="{{ step.number }}">{{ step.action.html | safe }}</div>{% endfor %}{% endfor %}{% endblock %}"#,
    )
    .unwrap();
    std::fs::write(
        site.join("templates/style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);

    let page = parse_html(&out.join("en/hello/index.html"));
    let custom = page
        .select(&sel("#custom-guide"))
        .next()
        .expect("the site's guide.html was used");
    assert!(
        custom.text().collect::<String>().ends_with("/ 2"),
        "{}",
        custom.html()
    );
    assert_eq!(page.select(&sel("[data-step]")).count(), 2);
    // Templates that were not replaced stay built in.
    let index = parse_html(&out.join("en/index.html"));
    assert!(index.select(&sel(".guide-list")).next().is_some());
    // The site's stylesheet replaces the built-in one; guidegen adds only the rules that draw its
    // icons after it.
    let css = std::fs::read_to_string(out.join("assets/style.css")).unwrap();
    let (site_css, added) = css.split_at("body { color: rebeccapurple; }\n".len());
    assert_eq!(site_css, "body { color: rebeccapurple; }\n");
    assert_eq!(added, guidegen::icons::stylesheet());
    assert!(
        !css.contains(".guide-list"),
        "nothing of the built-in stylesheet"
    );
}

#[test]
fn a_broken_site_template_is_an_error_that_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_fixture("valid", &tmp.path().join("site"));
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/index.html"),
        "{% extends \"base.html\" %}\n{% block main %}{% for g in guides %}\n{% endblock %}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let result = run(&[&"build", &site, &"--out", &out]);
    result.expect_code(1);
    assert!(
        result.stderr.contains("templates/index.html:"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("template error"),
        "{}",
        result.stderr
    );
    assert!(
        !out.exists(),
        "nothing is written when a template is broken"
    );
    let checked = run(&[&"check", &site]);
    checked.expect_code(1);
    assert!(
        checked.stderr.contains("templates/index.html:"),
        "{}",
        checked.stderr
    );
}
