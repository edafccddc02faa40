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

#[test]
fn a_site_template_reads_shared_values_in_each_page_s_own_language() {
    // The page's context converts `ui`, a step's device and a step's own parts once and shares
    // them (src/view/values.rs): a site's template must still read each page's own language, and
    // a step's part the same through `step.<part>` and `step.parts.<part>`.
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_fixture("i18n-site", &tmp.path().join("site"));
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/guide.html"),
        r#"{% extends "base.html" %}{% block main %}<p id="ui">{{ ui["guide.contents"] }}</p>
{% for s in sections %}{% for step in s.steps %}<div class="s" data-device="{{ step.device.label.text }}"><div class="own">{{ step.action.html | safe }}{% if step.screenshot %}<i>{{ step.screenshot.alt.text }}</i>{% endif %}{% for c in step.callouts %}{{ c.body.html | safe }}{% endfor %}{% if step.result %}{{ step.result.html | safe }}{% endif %}</div><div class="part">{% for p in step.parts.action %}{{ p.value.html | safe }}{% endfor %}{% for p in step.parts.screenshot %}<i>{{ p.value.alt.text }}</i>{% endfor %}{% for p in step.parts.callouts %}{% for c in p.value %}{{ c.body.html | safe }}{% endfor %}{% endfor %}{% for p in step.parts.result %}{{ p.value.html | safe }}{% endfor %}</div></div>
{% endfor %}{% endfor %}{% endblock %}"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    run(&[&"build", &site, &"--out", &out, &"--format", &"html"]).expect_code(0);

    for (lang, phone, action) in [
        ("da", "Telefon", "Åbn siden"),
        ("en", "Phone", "Open the page"),
    ] {
        let page = parse_html(&out.join(lang).join("demo/index.html"));
        let catalog = guidegen::catalog::Catalog::builtin(lang).unwrap();
        let ui: String = page.select(&sel("#ui")).next().unwrap().text().collect();
        assert_eq!(ui, catalog.get("guide.contents"), "{lang}");
        let steps: Vec<_> = page.select(&sel(".s")).collect();
        assert_eq!(steps.len(), 3, "{lang}");
        assert_eq!(steps[1].value().attr("data-device"), Some(phone), "{lang}");
        for step in &steps {
            let own = step.select(&sel(".own")).next().unwrap().inner_html();
            let part = step.select(&sel(".part")).next().unwrap().inner_html();
            assert!(!own.is_empty(), "{lang}");
            assert_eq!(own, part, "{lang}");
        }
        let first = steps[0].select(&sel(".own")).next().unwrap().inner_html();
        assert!(
            first.contains(action) && first.contains("<i>"),
            "{lang}: {first}"
        );
    }
}
