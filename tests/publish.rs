//! Publishing at an address (issue: continue on your phone, addresses): `base_url` gives every banner
//! that sends the reader from a computer to a phone a QR code opening the guide there at that step
//! (page and PDF), canonical links and absolute hreflang alternates, and sitemap.xml; `aliases:`
//! publish pages that send an old id's readers on to the guide.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use resvg::{tiny_skia, usvg};
use scraper::Html;

const BASE: &str = "https://it.example.edu/guides/";

/// A site in a temporary folder with two guides: `mfa` and `vpn`.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

/// Devices besides the built-ins: a watch carried in the hand, a kiosk that is not.
const DEVICES: &str = "\
devices:
  watch:
    label: {da: Ur, en: Watch}
    banner: {da: Du skal nu bruge dit ur., en: You must now use your watch.}
    mobile: true
  kiosk:
    label: {da: Skranke, en: Kiosk}
    banner: {da: Gå nu til skranken., en: Go to the kiosk now.}
";

/// Switches: computer → phone at 3, computer → tablet at 6, kiosk → watch at 8 (continue codes);
/// phone → computer at 5, tablet → kiosk at 7, watch → phone at 9 (none).
const MFA: &str = "\
title: {da: Opsæt MFA, en: Set up MFA}
aliases: [old-mfa, mfa-setup]
steps:
  - device: computer
    action: {da: Åbn siden, en: Open the page}
  - action: {da: Log ind, en: Sign in}
  - device: phone
    action: {da: Åbn appen, en: Open the app}
  - action: {da: Scan koden, en: Scan the code}
  - device: computer
    action: {da: Klik Næste, en: Click Next}
  - device: tablet
    action: {da: Åbn appen, en: Open the app}
  - device: kiosk
    action: {da: Vis dit kort, en: Show your card}
  - device: watch
    action: {da: Godkend, en: Approve}
  - device: phone
    action: {da: Færdig, en: Done}
";

/// Starts on the phone: no code at its first banner, one at step 3.
const VPN: &str = "\
title: {da: VPN, en: VPN}
steps:
  - device: phone
    action: {da: Installer appen, en: Install the app}
  - device: computer
    action: {da: Åbn portalen, en: Open the portal}
  - device: phone
    action: {da: Godkend, en: Approve}
";

impl Site {
    fn new(settings: &str) -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let site = Site { _tmp: tmp, root };
        site.write(
            "guidegen.yaml",
            &format!(
                "title: {{da: Vejledninger, en: Guides}}\nlanguages: [da, en]\n{DEVICES}{settings}"
            ),
        );
        site.write("guides/mfa/guide.yaml", MFA);
        site.write("guides/vpn/guide.yaml", VPN);
        site
    }

    fn with_base() -> Site {
        Site::new(&format!("base_url: {}\n", BASE.trim_end_matches('/')))
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn out(&self) -> PathBuf {
        self.root.join("output")
    }

    fn build(&self, formats: &[&str]) -> Run {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"build", &self.root];
        for format in formats {
            args.push(&"--format");
            args.push(format);
        }
        let run = run(&args);
        run.expect_code(0);
        run
    }

    fn page(&self, lang: &str, id: &str) -> Html {
        parse_html(&self.out().join(lang).join(id).join("index.html"))
    }
}

/// Renders an SVG at 4× on white and decodes its QR codes with zbarimg, as a phone's camera would;
/// with rqrr where zbarimg is not installed (CI installs it).
fn scan_svg(svg: &str) -> Vec<String> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("the code's SVG parses");
    let scale = 4.0;
    let width = (tree.size().width() * scale).ceil() as u32;
    let height = (tree.size().height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("code.png");
    pixmap.save_png(&png).unwrap();
    if let Some(codes) = zbarimg(&png) {
        return codes;
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            pixmap.pixel(x as u32, y as u32).unwrap().red()
        });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("the code decodes").1)
        .collect()
}

/// The QR codes zbarimg finds in a PNG, or `None` without zbarimg.
fn zbarimg(png: &Path) -> Option<Vec<String>> {
    let output = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .ok()?;
    // 4: no code in the image.
    assert!(
        output.status.success() || output.status.code() == Some(4),
        "zbarimg failed on {}",
        png.display()
    );
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// The QR codes on a PDF's pages as printed (pdftoppm at 150 dpi, zbarimg), or `None` without
/// poppler-utils or zbar-tools.
fn pdf_qr_codes(pdf: &Path) -> Option<Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    let rendered = Command::new("pdftoppm")
        .args(["-r", "150", "-png"])
        .arg(pdf)
        .arg(tmp.path().join("page"))
        .status()
        .ok()?;
    assert!(rendered.success(), "pdftoppm failed on {}", pdf.display());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let mut codes = Vec::new();
    for page in pages {
        codes.extend(zbarimg(&page)?);
    }
    Some(codes)
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let output = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    assert!(output.status.success(), "pdftotext failed");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Each continue code of a page: the step whose banner holds it, its device, its `data-qr`, and
/// what the drawn code decodes to.
fn continue_codes(page: &Html) -> Vec<(usize, String, String, Vec<String>)> {
    page.select(&sel("[data-continue]"))
        .map(|code| {
            let step = code
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|e| e.value().attr("data-step").is_some())
                .expect("a continue code sits in a step");
            let svg = code
                .select(&sel("svg"))
                .next()
                .expect("the code holds an svg")
                .html();
            (
                step.value().attr("data-step").unwrap().parse().unwrap(),
                code.value().attr("data-continue").unwrap().to_owned(),
                code.value().attr("data-qr").unwrap_or_default().to_owned(),
                scan_svg(&svg),
            )
        })
        .collect()
}

#[test]
fn every_switch_from_a_computer_to_a_phone_carries_a_code_for_that_step() {
    let site = Site::with_base();
    site.build(&["html"]);
    for lang in ["da", "en"] {
        let page = site.page(lang, "mfa");
        let codes = continue_codes(&page);
        let expected: Vec<(usize, &str)> = vec![(3, "phone"), (6, "tablet"), (8, "watch")];
        assert_eq!(
            codes
                .iter()
                .map(|(step, device, _, _)| (*step, device.as_str()))
                .collect::<Vec<_>>(),
            expected,
            "{lang}"
        );
        for (step, device, url, decoded) in &codes {
            let want = format!("{BASE}{lang}/mfa/#step-{step}");
            assert_eq!(url, &want, "data-qr of the code at step {step}");
            assert_eq!(
                decoded,
                &vec![want.clone()],
                "the drawn code at step {step}"
            );
            // The code sits at the banner that names the device it sends the reader to.
            let banner = page
                .select(&sel(&format!(
                    "[data-step=\"{step}\"] [data-device-switch]"
                )))
                .next()
                .expect("a banner");
            assert_eq!(
                banner.value().attr("data-device-switch"),
                Some(device.as_str())
            );
            // The anchor it opens at is that step.
            let target = page
                .select(&sel(&format!("#step-{step}")))
                .next()
                .expect("the step's anchor exists");
            assert_eq!(
                target.value().attr("data-step"),
                Some(step.to_string().as_str())
            );
            // Its address is printed for a reader without a camera.
            let text: String = page.root_element().text().collect();
            assert!(text.contains(&want), "{want} is printed on the page");
        }
        // A guide that starts on the phone has no code at its first banner.
        let vpn = continue_codes(&site.page(lang, "vpn"));
        assert_eq!(vpn.len(), 1);
        assert_eq!(vpn[0].0, 3);
        assert_eq!(vpn[0].2, format!("{BASE}{lang}/vpn/#step-3"));
    }
}

#[test]
fn the_pdf_carries_the_same_codes_with_their_addresses_printed() {
    let site = Site::with_base();
    site.build(&[]);
    for lang in ["da", "en"] {
        let pdf = site.out().join(format!("{lang}/mfa/mfa-{lang}.pdf"));
        let page_codes: Vec<String> = continue_codes(&site.page(lang, "mfa"))
            .into_iter()
            .map(|(_, _, url, _)| url)
            .collect();
        assert_eq!(page_codes.len(), 3);
        let Some(mut printed_codes) = pdf_qr_codes(&pdf) else {
            eprintln!("pdftoppm or zbarimg is not installed: skipped");
            return;
        };
        printed_codes.sort();
        let mut want = page_codes.clone();
        want.sort();
        assert_eq!(printed_codes, want, "the PDF's codes are the page's");
        let text: String = pdf_text(&pdf)
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for url in &page_codes {
            assert!(text.contains(url.as_str()), "{url} is printed in the PDF");
        }
    }
}

#[test]
fn without_base_url_there_is_no_code_no_sitemap_and_check_says_what_would_add_them() {
    let site = Site::new("");
    site.build(&["html"]);
    assert!(
        site.page("en", "mfa")
            .select(&sel("[data-continue]"))
            .next()
            .is_none()
    );
    assert!(!site.out().join("sitemap.xml").exists());
    assert!(
        site.page("en", "mfa")
            .select(&sel("link[rel=canonical]"))
            .next()
            .is_none()
    );
    let check = run(&[&"check", &site.root]);
    check.expect_code(0);
    let infos: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("info:") && l.contains("base_url"))
        .collect();
    assert_eq!(infos.len(), 1, "said once:\n{}", check.stderr);
    assert!(infos[0].contains("4 device switches"), "{}", infos[0]);

    let with_base = Site::with_base();
    let check = run(&[&"check", &with_base.root]);
    check.expect_code(0);
    assert!(!check.stderr.contains("base_url"), "{}", check.stderr);
}

#[test]
fn pages_name_their_canonical_address_and_every_language_s() {
    let site = Site::with_base();
    site.build(&["html"]);
    for lang in ["da", "en"] {
        let page = site.page(lang, "mfa");
        let canonical: Vec<&str> = page
            .select(&sel("link[rel=canonical]"))
            .filter_map(|l| l.value().attr("href"))
            .collect();
        assert_eq!(canonical, vec![format!("{BASE}{lang}/mfa/").as_str()]);
        let alternates: Vec<(String, String)> = page
            .select(&sel("link[rel=alternate][hreflang]"))
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().to_owned(),
                    l.value().attr("href").unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            alternates,
            vec![
                ("da".to_owned(), format!("{BASE}da/mfa/")),
                ("en".to_owned(), format!("{BASE}en/mfa/")),
            ]
        );
        // Nothing is loaded from the address: the stylesheet stays relative.
        let stylesheet = page
            .select(&sel("link[rel=stylesheet]"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_owned();
        assert_eq!(stylesheet, "../../assets/style.css");
        let index = parse_html(&site.out().join(lang).join("index.html"));
        let canonical = index
            .select(&sel("link[rel=canonical]"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_owned();
        assert_eq!(canonical, format!("{BASE}{lang}/"));
    }
    // The root page still chooses a language with relative links.
    let root = parse_html(&site.out().join("index.html"));
    let choices: Vec<&str> = root
        .select(&sel("a.language-option"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(choices, vec!["da/index.html", "en/index.html"]);
}

#[test]
fn the_sitemap_lists_every_page_in_every_language_with_its_alternates() {
    let site = Site::with_base();
    site.build(&["html"]);
    let xml = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP));
    assert_eq!(root.tag_name().name(), "urlset");
    let mut locs = Vec::new();
    for url in root.children().filter(|n| n.is_element()) {
        assert_eq!(url.tag_name().namespace(), Some(SITEMAP));
        assert_eq!(url.tag_name().name(), "url");
        let children: Vec<_> = url.children().filter(|n| n.is_element()).collect();
        // The schema: <loc> first and once; other namespaces' elements after it.
        assert_eq!(children[0].tag_name().name(), "loc");
        let loc = children[0].text().unwrap().to_owned();
        assert!(loc.starts_with(BASE) && loc.len() <= 2048, "{loc}");
        let mut alternates = Vec::new();
        for link in &children[1..] {
            assert_eq!(link.tag_name().namespace(), Some(XHTML));
            assert_eq!(link.tag_name().name(), "link");
            assert_eq!(link.attribute("rel"), Some("alternate"));
            alternates.push((
                link.attribute("hreflang").unwrap().to_owned(),
                link.attribute("href").unwrap().to_owned(),
            ));
        }
        if loc != BASE {
            // A page in both languages names both, itself included.
            let lang = &loc[BASE.len()..BASE.len() + 2];
            assert!(
                alternates.contains(&(lang.to_owned(), loc.clone())),
                "{loc}"
            );
            assert_eq!(alternates.len(), 2, "{loc}");
        }
        locs.push(loc);
    }
    let mut want = vec![BASE.to_owned()];
    for lang in ["da", "en"] {
        want.push(format!("{BASE}{lang}/"));
        for id in ["mfa", "vpn"] {
            want.push(format!("{BASE}{lang}/{id}/"));
        }
    }
    locs.sort();
    want.sort();
    assert_eq!(locs, want, "every page in every language, and no alias");
    // Each address is a page that was written.
    for loc in &locs {
        let file = site.out().join(&loc[BASE.len()..]).join("index.html");
        assert!(file.is_file(), "{}", file.display());
    }
}

#[test]
fn an_alias_page_sends_the_reader_on_to_the_guide() {
    let site = Site::with_base();
    site.build(&["html"]);
    for lang in ["da", "en"] {
        for alias in ["old-mfa", "mfa-setup"] {
            let file = site.out().join(lang).join(alias).join("index.html");
            let page = parse_html(&file);
            let html = page.select(&sel("html")).next().unwrap();
            assert_eq!(html.value().attr("lang"), Some(lang));
            let refresh = page
                .select(&sel("meta[http-equiv=refresh]"))
                .next()
                .expect("a meta refresh")
                .value()
                .attr("content")
                .unwrap()
                .to_owned();
            assert_eq!(refresh, "0; url=../mfa/index.html");
            let link = page
                .select(&sel("main a[href]"))
                .next()
                .expect("a visible link");
            let href = link.value().attr("href").unwrap();
            assert_eq!(href, "../mfa/index.html");
            assert!(file.parent().unwrap().join(href).is_file());
            let title = if lang == "da" {
                "Opsæt MFA"
            } else {
                "Set up MFA"
            };
            assert_eq!(link.text().collect::<String>(), title);
            let canonical = page
                .select(&sel("link[rel=canonical]"))
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap()
                .to_owned();
            assert_eq!(canonical, format!("{BASE}{lang}/mfa/"));
        }
    }
}

#[test]
fn aliases_that_clash_are_errors_naming_both_places() {
    let site = Site::new("");
    site.write(
        "guides/vpn/guide.yaml",
        &VPN.replacen("steps:", "aliases: [mfa, old-mfa]\nsteps:", 1),
    );
    let check = run(&[&"check", &site.root]);
    check.expect_code(1);
    let vpn = site.root.join("guides/vpn/guide.yaml");
    check.expect_error(
        &location_of(&vpn, "mfa, old"),
        "alias `mfa` is the id of another guide",
        Some("guides/mfa/guide.yaml"),
    );
    check.expect_error(
        &location_of(&vpn, "old-mfa]"),
        "alias `old-mfa` is also an alias of the guide `mfa`",
        Some("guides/mfa/guide.yaml:2:"),
    );
    // The build refuses it too, and writes nothing.
    let build = run(&[&"build", &site.root]);
    build.expect_code(1);
    assert!(!site.out().exists());
}

#[test]
fn an_alias_must_be_an_earlier_id_listed_once() {
    let site = Site::new("");
    site.write(
        "guides/vpn/guide.yaml",
        &VPN.replacen("steps:", "aliases: [Old VPN, vpn, x, x]\nsteps:", 1),
    );
    let check = run(&[&"check", &site.root]);
    check.expect_code(1);
    let vpn = site.root.join("guides/vpn/guide.yaml");
    let at = |needle: &str| location_of(&vpn, needle);
    check.expect_error(
        &at("Old VPN"),
        "alias `Old VPN` is not a guide id",
        Some("old-vpn"),
    );
    check.expect_error(&at("vpn, x"), "is this guide's own id", None);
    check.expect_error(&at("x]"), "alias `x` is listed twice", None);
}

#[test]
fn a_base_url_that_is_not_an_address_and_a_mobile_that_is_not_a_boolean_are_errors_at_their_place()
{
    let site = Site::new("base_url: it.example.edu/guides\n");
    let settings = site.root.join("guidegen.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("mobile: true", "mobile: yes")).unwrap();
    let check = run(&[&"check", &site.root]);
    check.expect_code(1);
    check.expect_error(
        &location_of(&settings, "it.example.edu"),
        "is not an http:// or https:// address",
        Some("https://it.example.edu/guides/"),
    );
    check.expect_error(
        &location_of(&settings, "yes"),
        "`mobile` is `true` or `false`, not `yes`",
        Some("mobile: true"),
    );
}

/// A guide whose phone step differs on iPhone and Android, after a step for Windows only: the
/// switch to the phone at step 3 has a code per phone.
const VARIANTS: &str = "\
title: {da: Wi-Fi, en: Wi-Fi}
steps:
  - device: computer
    action: {da: Åbn siden, en: Open the page}
  - device: computer
    only: windows
    action: {da: Klik Start, en: Click Start}
  - device: phone
    action: {da: Åbn Indstillinger, en: Open Settings}
    variants:
      ios: {action: {da: Åbn Indstillinger på iPhone, en: Open Settings on the iPhone}}
      android: {action: {da: Åbn Indstillinger på Android, en: Open Settings on Android}}
";

#[test]
fn a_guide_differing_on_the_phone_has_a_code_per_phone_and_each_pdf_the_one_for_its_phone() {
    let site = Site::with_base();
    site.write("guides/wifi/guide.yaml", VARIANTS);
    site.build(&[]);
    let page = site.page("en", "wifi");
    let codes = continue_codes(&page);
    let urls: Vec<&str> = codes.iter().map(|(_, _, url, _)| url.as_str()).collect();
    let ios = format!("{BASE}en/wifi/?phone=ios#step-3");
    let android = format!("{BASE}en/wifi/?phone=android#step-3");
    assert_eq!(urls, [ios.as_str(), android.as_str()]);
    for (step, device, url, decoded) in &codes {
        assert_eq!((*step, device.as_str()), (3, "phone"));
        assert_eq!(decoded, &vec![url.clone()], "the drawn code is its address");
    }
    // Each is labelled and shown for its own phone (or no choice), as the page's other variants.
    for (platform, label) in [("ios", "iPhone"), ("android", "Android")] {
        let holder = page
            .select(&sel(&format!(".continue-on[data-platform=\"{platform}\"]")))
            .next()
            .expect("a code for each phone");
        let shown_in = holder.value().attr("data-shown-in").expect("data-shown-in");
        assert!(
            shown_in
                .split(' ')
                .all(|key| key.ends_with(platform) || key.ends_with("all")),
            "{platform}: {shown_in}"
        );
        let text: String = holder.text().collect();
        assert!(text.contains(label), "{text}");
        // Its number changes with the choice: the page says "this step".
        assert!(text.contains("at this step"), "{text}");
    }
    // A Mac and Android reader's PDF skips the Windows step: the phone takes over at its step 2,
    // and the code still opens the page's step 3, for Android.
    let pdf = site.out().join("en/wifi/wifi-en-macos-android.pdf");
    let Some(printed) = pdf_qr_codes(&pdf) else {
        eprintln!("pdftoppm or zbarimg is not installed: skipped");
        return;
    };
    assert_eq!(printed, vec![android.clone()]);
    let text = pdf_text(&pdf).unwrap();
    assert!(text.contains("at step 2"), "{text}");
    // The PDF with every variant carries both, each named.
    let all = site.out().join("en/wifi/wifi-en.pdf");
    let mut printed = pdf_qr_codes(&all).unwrap();
    printed.sort();
    let mut want = vec![ios, android];
    want.sort();
    assert_eq!(printed, want);
    let text = pdf_text(&all).unwrap();
    assert!(
        text.contains("iPhone: Scan") && text.contains("Android: Scan"),
        "{text}"
    );
}
