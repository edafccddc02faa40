//! A right-to-left language added by a catalog file: `dir="rtl"` in HTML, right-to-left text in a PDF
//! whose letters are really there (the embedded fonts cover Arabic), and left-to-right kept for the
//! other language.

mod common;

use common::{parse_html, run, sel};

fn arabic_site(root: &std::path::Path) {
    std::fs::create_dir_all(root.join("guides/hello")).unwrap();
    std::fs::create_dir_all(root.join("locales")).unwrap();
    std::fs::write(
        root.join("guidegen.yaml"),
        "title: {en: IT guides, ar: أدلة تقنية المعلومات}\nlanguages: [en, ar]\n",
    )
    .unwrap();
    let catalog = include_str!("../src/locales/en.yaml")
        .replace("name: English", "name: العربية")
        .replace("direction: ltr", "direction: rtl")
        .replace(
            "You must now use your phone.",
            "يجب عليك الآن استخدام هاتفك.",
        )
        .replace("\"Page {page} of {total}\"", "\"صفحة {page} من {total}\"");
    std::fs::write(root.join("locales/ar.yaml"), catalog).unwrap();
    std::fs::write(
        root.join("guides/hello/guide.yaml"),
        "title: {en: Say hello, ar: قل مرحبا}\nsteps:\n  - device: computer\n    action: {en: Open the **app**., ar: افتح **التطبيق**.}\n  - device: phone\n    action: {en: Tap **OK**., ar: اضغط على **موافق**.}\n",
    )
    .unwrap();
}

#[test]
fn a_right_to_left_language_is_mirrored_in_html_and_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    arabic_site(&site);
    let out = tmp.path().join("out");
    run(&[&"build", &site, &"--out", &out]).expect_code(0);

    let page = parse_html(&out.join("ar/hello/index.html"));
    let html = page.select(&sel("html")).next().unwrap();
    assert_eq!(html.value().attr("dir"), Some("rtl"));
    assert_eq!(html.value().attr("lang"), Some("ar"));
    let banner: String = page
        .select(&sel("[data-device-switch=\"phone\"]"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(banner.contains("يجب عليك الآن استخدام هاتفك."), "{banner}");
    let english = parse_html(&out.join("en/hello/index.html"));
    assert_eq!(
        english
            .select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("dir"),
        Some("ltr")
    );

    let pdf = lopdf::Document::load(out.join("ar/hello/hello-ar.pdf")).unwrap();
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages).unwrap();
    let arabic = text
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    assert!(
        arabic > 20,
        "the PDF's text should carry the Arabic letters: {text}"
    );
}
