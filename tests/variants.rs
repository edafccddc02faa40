//! Platform variants: `only:` and `variants:` in a guide, the numbers, banners, needs and store
//! order of every choice of platforms in the page (data attributes) and in each combination's PDF,
//! a page opened with the choice in its address, the errors an author meets, and a variant's text
//! through a translation round trip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use scraper::Html;

const SETTINGS: &str = "\
title: {en: Test, da: Test}
languages: [en, da]
apps:
  vpn:
    name: VPN
    app_store: https://apps.apple.com/app/vpn/id1
    google_play: https://play.google.com/store/apps/details?id=vpn
  vpn-legacy:
    name: VPN Legacy
    app_store: https://apps.apple.com/app/vpn-legacy/id2
    google_play: https://play.google.com/store/apps/details?id=vpn.legacy
";

/// Windows/Mac and iPhone/Android: step 1 differs per computer, 2 and 3 are for one computer
/// each, 4 is for iPhones only, 6 names another app on Android.
const GUIDE: &str = "\
title: {en: Connect, da: Forbind}
steps:
  - device: computer
    action: {en: Download the agent., da: Hent programmet.}
    variants:
      windows: {action: {en: Download the Windows agent., da: Hent Windows-programmet.}}
      macos: {action: {en: Download the Mac agent., da: Hent Mac-programmet.}}
  - only: windows
    action: {en: Run the MSI file., da: Kør MSI-filen.}
  - only: macos
    action: {en: Run the PKG file., da: Kør PKG-filen.}
  - device: phone
    only: ios
    action: {en: Allow VPN configurations., da: Tillad VPN-konfigurationer.}
  - device: computer
    action: {en: Click Connect., da: Klik på Connect.}
  - device: phone
    action: {en: Install the app., da: Installer appen.}
    app: vpn
    variants:
      android:
        app: vpn-legacy
        note: {en: Choose the legacy app., da: Vælg den gamle app.}
";

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(guide: &str) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("guides/demo")).unwrap();
        std::fs::write(root.join("guidegen.yaml"), SETTINGS).unwrap();
        std::fs::write(root.join("guides/demo/guide.yaml"), guide).unwrap();
        Site { _tmp: tmp, root }
    }

    fn build(&self, args: &[&str]) -> Run {
        let mut all: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"build"];
        all.extend(args.iter().map(|a| a as &dyn AsRef<std::ffi::OsStr>));
        run_in(&self.root, &all)
    }

    fn out(&self, rel: &str) -> PathBuf {
        self.root.join("output").join(rel)
    }
}

fn attr<'a>(element: &scraper::ElementRef<'a>, name: &str) -> Option<&'a str> {
    element.value().attr(name)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn keys(list: Option<&str>) -> Vec<&str> {
    list.map_or_else(Vec::new, |l| l.split(' ').collect())
}

#[test]
fn the_page_numbers_each_choice_without_gaps_with_its_banners_and_needs() {
    let site = Site::new(GUIDE);
    site.build(&["--format", "html"]).expect_code(0);
    let page = parse_html(&site.out("en/demo/index.html"));
    let article = page.select(&sel("article[data-guide]")).next().unwrap();
    assert_eq!(
        attr(&article, "data-variant-devices"),
        Some("computer phone")
    );
    let totals = json(attr(&article, "data-totals").unwrap());
    assert_eq!(totals["all,all"], 6);
    assert_eq!(totals["windows,ios"], 5);
    assert_eq!(totals["macos,android"], 4);
    assert_eq!(totals["windows,all"], 5);

    // data-step stays the number in the whole guide; each choice has its own.
    let steps: Vec<_> = page.select(&sel("li.step")).collect();
    let data_steps: Vec<&str> = steps.iter().filter_map(|s| attr(s, "data-step")).collect();
    assert_eq!(data_steps, ["1", "2", "3", "4", "5", "6"]);
    let numbers: Vec<serde_json::Value> = steps
        .iter()
        .map(|s| json(attr(s, "data-numbers").unwrap()))
        .collect();
    for (key, expected) in [
        ("all,all", vec![1, 2, 3, 4, 5, 6]),
        ("macos,android", vec![1, 0, 2, 0, 3, 4]),
        ("windows,ios", vec![1, 2, 0, 3, 4, 5]),
        ("macos,all", vec![1, 0, 2, 3, 4, 5]),
    ] {
        let got: Vec<u64> = numbers
            .iter()
            .map(|n| n[key].as_u64().unwrap_or(0))
            .collect();
        assert_eq!(got, expected, "{key}");
    }
    // Steps for one platform carry the hook, and are shown only where their platform may be.
    assert_eq!(attr(&steps[1], "data-platform"), Some("windows"));
    assert_eq!(attr(&steps[3], "data-platform"), Some("ios"));
    assert!(!keys(attr(&steps[3], "data-shown-in")).contains(&"windows,android"));
    assert!(keys(attr(&steps[3], "data-shown-in")).contains(&"windows,all"));
    assert_eq!(attr(&steps[0], "data-shown-in"), None);

    // Step 5 (computer) follows the iPhone-only step 4: its banner is there only where step 4 is.
    let banner = steps[4]
        .select(&sel("[data-device-switch]"))
        .next()
        .unwrap();
    assert_eq!(attr(&banner, "data-device-switch"), Some("computer"));
    let banner_in = keys(attr(&banner, "data-banner-in"));
    assert!(banner_in.contains(&"macos,ios") && banner_in.contains(&"all,all"));
    assert!(!banner_in.contains(&"macos,android"), "{banner_in:?}");

    // Each part that differs is shown per platform, labelled, with the hook.
    let variants: Vec<_> = steps[0].select(&sel(".variant[data-platform]")).collect();
    let texts: Vec<(String, String)> = variants
        .iter()
        .map(|v| {
            (
                attr(v, "data-platform").unwrap().to_owned(),
                v.text().collect::<String>(),
            )
        })
        .collect();
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0].0, "windows");
    assert!(texts[0].1.contains("Windows") && texts[0].1.contains("Download the Windows agent."));
    assert!(texts[1].1.contains("Mac") && texts[1].1.contains("Download the Mac agent."));

    // "You need": the phone always (step 6), each app only where it is used.
    let needs: Vec<_> = page.select(&sel("[data-need]")).collect();
    let need = |id: &str| {
        needs
            .iter()
            .find(|n| attr(n, "data-need") == Some(id))
            .unwrap_or_else(|| panic!("no need {id}"))
    };
    assert_eq!(attr(need("phone"), "data-shown-in"), None);
    let legacy = keys(attr(need("vpn-legacy"), "data-shown-in"));
    assert!(legacy.contains(&"windows,android") && legacy.contains(&"all,all"));
    assert!(!legacy.contains(&"windows,ios"));
    let vpn = keys(attr(need("vpn"), "data-shown-in"));
    assert!(vpn.contains(&"windows,ios") && !vpn.contains(&"macos,android"));

    // One control per device, labelled, each offering its platforms.
    for (device, options) in [
        ("computer", ["", "windows", "macos"]),
        ("phone", ["", "ios", "android"]),
    ] {
        let select = page
            .select(&sel(&format!("select[data-platform-choice=\"{device}\"]")))
            .next()
            .unwrap();
        let id = attr(&select, "id").unwrap();
        assert!(
            page.select(&sel(&format!("label[for=\"{id}\"]")))
                .next()
                .is_some()
        );
        let values: Vec<&str> = select
            .select(&sel("option"))
            .map(|o| attr(&o, "value").unwrap())
            .collect();
        assert_eq!(values, options);
    }
    // The PDFs of the combinations, not one of every variant.
    let pdfs: Vec<&str> = page
        .select(&sel("a[type=\"application/pdf\"]"))
        .filter_map(|a| attr(&a, "href"))
        .collect();
    assert!(pdfs.is_empty(), "html only: {pdfs:?}");
}

/// The text of a PDF (pdftotext), or `None` when poppler-utils is not installed (CI installs it).
fn pdf_text(pdf: &Path) -> Option<String> {
    let output = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn each_combination_has_a_pdf_with_its_steps_numbers_banners_and_store_first() {
    let site = Site::new(GUIDE);
    site.build(&["--lang", "en"]).expect_code(0);
    let folder = site.out("en/demo");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "demo-en-macos-android.pdf",
            "demo-en-macos-ios.pdf",
            "demo-en-windows-android.pdf",
            "demo-en-windows-ios.pdf",
            "demo-en.pdf",
        ]
    );
    let page = parse_html(&folder.join("index.html"));
    let links: Vec<(String, String)> = page
        .select(&sel("a[type=\"application/pdf\"]"))
        .map(|a| {
            (
                attr(&a, "href").unwrap().to_owned(),
                attr(&a, "data-shown-in").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(links.len(), 5);
    // The PDF of every variant until every device is chosen; then that combination's.
    assert_eq!(links[0].0, "demo-en.pdf");
    let all = keys(Some(&links[0].1));
    assert!(all.contains(&"all,all") && all.contains(&"windows,all"));
    assert!(!all.contains(&"windows,ios"));
    let (href, shown_in) = &links[1];
    assert_eq!(href, "demo-en-windows-ios.pdf");
    assert_eq!(
        keys(Some(shown_in)),
        ["all,all", "all,ios", "windows,all", "windows,ios"]
    );

    let Some(every) = pdf_text(&folder.join("demo-en.pdf")) else {
        return;
    };
    assert!(every.contains("Step 6 of 6"), "{every}");
    assert!(
        every.contains("Download the Windows agent.") && every.contains("Download the Mac agent.")
    );
    assert!(every.contains("Only for Windows") && every.contains("Only for iPhone"));
    assert!(every.contains("Choose the legacy app."));

    let android = pdf_text(&folder.join("demo-en-macos-android.pdf")).unwrap();
    assert!(android.contains("For Mac and Android"), "{android}");
    assert!(android.contains("Step 4 of 4"), "{android}");
    assert!(!android.contains("Step 5"), "{android}");
    assert!(android.contains("Download the Mac agent."));
    assert!(android.contains("Run the PKG file."));
    assert!(!android.contains("Windows agent") && !android.contains("MSI"));
    assert!(!android.contains("Allow VPN configurations."));
    assert!(android.contains("Choose the legacy app."));
    assert_eq!(android.matches("You must now use your phone.").count(), 1);
    assert_eq!(
        android.matches("You must now use your computer.").count(),
        1
    );
    let play = android.find("Google Play").unwrap();
    assert!(
        play < android.find("App Store").unwrap(),
        "Google Play first on Android"
    );
    assert!(android.contains("VPN Legacy"));

    let ios = pdf_text(&folder.join("demo-en-windows-ios.pdf")).unwrap();
    assert!(ios.contains("Step 5 of 5"), "{ios}");
    assert!(ios.contains("Run the MSI file.") && ios.contains("Allow VPN configurations."));
    assert_eq!(ios.matches("You must now use your phone.").count(), 2);
    assert_eq!(ios.matches("You must now use your computer.").count(), 2);
    assert!(ios.find("App Store").unwrap() < ios.find("Google Play").unwrap());
    assert!(!ios.contains("legacy app"));
}

/// The page as Chromium shows it after its scripts ran, or `None` without Chromium.
fn rendered_dom(url: &str) -> Option<Html> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .ok()?;
    Some(Html::parse_document(&String::from_utf8_lossy(
        &output.stdout,
    )))
}

#[test]
fn a_choice_in_the_address_shows_its_steps_numbered_through() {
    let site = Site::new(GUIDE);
    site.build(&["--format", "html"]).expect_code(0);
    let page = site.out("en/demo/index.html");
    let url = format!("file://{}?computer=macos&phone=android", page.display());
    let Some(dom) = rendered_dom(&url) else {
        return;
    };
    let shown: Vec<_> = dom
        .select(&sel("li.step"))
        .filter(|s| attr(s, "hidden").is_none())
        .collect();
    let data_steps: Vec<&str> = shown.iter().filter_map(|s| attr(s, "data-step")).collect();
    assert_eq!(data_steps, ["1", "3", "5", "6"]);
    let numbers: Vec<String> = shown
        .iter()
        .map(|s| {
            s.select(&sel(".step-number"))
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
    let label: String = shown[3]
        .select(&sel(".step-label"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(label, "Step 4 of 4");
    // Only the Mac's part of step 1, the chosen values in the controls, Google Play first.
    let parts: Vec<&str> = shown[0]
        .select(&sel(".variant[data-platform]"))
        .filter(|v| attr(v, "hidden").is_none())
        .filter_map(|v| attr(&v, "data-platform"))
        .collect();
    assert_eq!(parts, ["macos"]);
    let banners: Vec<&str> = dom
        .select(&sel("[data-device-switch]"))
        .filter(|b| attr(b, "hidden").is_none())
        .filter_map(|b| attr(&b, "data-device-switch"))
        .collect();
    assert_eq!(banners, ["computer", "phone"]);
    let first_store = shown[3].select(&sel(".stores > li")).next().unwrap();
    assert_eq!(attr(&first_store, "data-store"), Some("google_play"));
    let selected: Vec<String> = dom
        .select(&sel("select[data-platform-choice] option[selected]"))
        .map(|o| attr(&o, "value").unwrap().to_owned())
        .collect();
    // The DOM dump shows attributes, not a select's current value: the controls' state is
    // checked through what they made the page show, above.
    let _ = selected;
    let needs: Vec<&str> = dom
        .select(&sel("[data-need]"))
        .filter(|n| attr(n, "hidden").is_none())
        .filter_map(|n| attr(&n, "data-need"))
        .collect();
    assert_eq!(needs, ["computer", "phone", "vpn-legacy"]);
}

#[test]
fn a_guide_without_variants_keeps_its_single_pdf_and_no_controls() {
    let site = Site::new(
        "title: T\nsteps:\n  - device: phone\n    action: {en: Go., da: Gå.}\n    app: vpn\n",
    );
    site.build(&["--lang", "en"]).expect_code(0);
    assert!(site.out("en/demo/demo-en.pdf").is_file());
    let page = parse_html(&site.out("en/demo/index.html"));
    assert!(page.select(&sel("[data-platform-choice]")).next().is_none());
    assert!(page.select(&sel("[data-numbers]")).next().is_none());
    let article = page.select(&sel("article[data-guide]")).next().unwrap();
    // Still ordered by a phone remembered from another guide.
    let stores = json(attr(&article, "data-platform-stores").unwrap());
    assert_eq!(stores["ios"], "app_store");
    assert_eq!(stores["android"], "google_play");
}

#[test]
fn unknown_and_misplaced_platforms_are_errors_with_hints() {
    let guide = "\
title: T
steps:
  - device: computer
    only: andriod
    action: a
  - only: ios
    action: b
  - only: Mac
    action: b2
  - device: phone
    action: c
    variants:
      windows: {action: d}
      ios: {action: e, device: phone}
";
    let site = Site::new(guide);
    let out = site.build(&["--format", "html"]);
    out.expect_code(1);
    let path = "guides/demo/guide.yaml";
    out.expect_error(
        &format!("{path}:4:11"),
        "unknown platform `andriod`",
        Some("`android`"),
    );
    out.expect_error(
        &format!("{path}:6:11"),
        "`ios` is a platform of `phone`, but this step is on `computer`",
        Some("`windows`, `macos`"),
    );
    out.expect_error(
        &format!("{path}:13:7"),
        "`windows` is a platform of `computer`, but this step is on `phone`",
        Some("`ios`, `android`"),
    );
    out.expect_error(
        &format!("{path}:14:24"),
        "unknown key `device`",
        Some("`action`, `app`"),
    );
    // A platform written by its name gets its id.
    out.expect_error(
        &format!("{path}:8:11"),
        "unknown platform `Mac`",
        Some("write `macos`: the platform id of Mac"),
    );
    assert!(!site.out("en/demo/index.html").exists());
}

#[test]
fn a_variant_text_round_trips_through_po_export_and_import() {
    let guide = "\
title: {da: Forbind, en: Connect}
steps:
  - device: phone
    action: {da: Installer appen., en: Install the app.}
    variants:
      ios:
        action: Tryk på Hent.
";
    let site = Site::new(guide);
    std::fs::write(
        site.root.join("guidegen.yaml"),
        SETTINGS.replace("languages: [en, da]", "languages: [da, en]"),
    )
    .unwrap();
    let status = run_in(&site.root, &[&"i18n", &"status"]);
    assert!(
        status
            .stdout
            .contains("step.1.variants.ios.action (en) missing"),
        "{}",
        status.stdout
    );
    run_in(&site.root, &[&"i18n", &"export", &"--lang", &"en"]).expect_code(0);
    let po_path = site.root.join("translations/en/demo.po");
    let po = std::fs::read_to_string(&po_path).unwrap();
    let ctxt = "msgctxt \"demo|step.1.variants.ios.action\"\nmsgid \"Tryk på Hent.\"\nmsgstr \"\"";
    assert!(po.contains(ctxt), "{po}");
    std::fs::write(
        &po_path,
        po.replace(ctxt, &ctxt.replace("msgstr \"\"", "msgstr \"Tap Get.\"")),
    )
    .unwrap();
    run_in(
        &site.root,
        &[&"i18n", &"import", &"translations/en/demo.po"],
    )
    .expect_code(0);
    let after = std::fs::read_to_string(site.root.join("guides/demo/guide.yaml")).unwrap();
    assert!(after.contains("Tap Get."), "{after}");
    run_in(&site.root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    site.build(&["--format", "html", "--strict"]).expect_code(0);
    let page = parse_html(&site.out("en/demo/index.html"));
    let ios: String = page
        .select(&sel(".variant[data-platform=\"ios\"]"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(ios.contains("Tap Get."), "{ios}");
}

#[test]
fn a_site_platforms_label_and_question_are_translated_like_the_sites_other_texts() {
    let guide = "\
title: {da: Forbind, en: Connect}
steps:
  - device: computer
    action: {da: Åbn siden., en: Open the page.}
    variants:
      chromebook: {action: {da: Åbn Chrome., en: Open Chrome.}}
";
    let site = Site::new(guide);
    // Written in Danish only (the source language): their English is missing until translated.
    let settings = SETTINGS.replace("languages: [en, da]", "languages: [da, en]")
        + "devices:\n  computer:\n    question: Hvilken computer bruger du?\n    platforms:\n      # A school's own kind of computer.\n      chromebook: {label: Skolens Chromebook}\n";
    std::fs::write(site.root.join("guidegen.yaml"), settings).unwrap();
    let status = run_in(&site.root, &[&"i18n", &"status"]);
    for name in [
        "devices.computer.question (en) missing",
        "devices.computer.platforms.chromebook.label (en) missing",
    ] {
        assert!(status.stdout.contains(name), "{name}: {}", status.stdout);
    }
    run_in(&site.root, &[&"i18n", &"export", &"--lang", &"en"]).expect_code(0);
    let po_path = site.root.join("translations/en/_site.po");
    let po = std::fs::read_to_string(&po_path).unwrap();
    let label = "msgctxt \"_site|devices.computer.platforms.chromebook.label\"\nmsgid \"Skolens Chromebook\"\nmsgstr \"\"";
    let question = "msgctxt \"_site|devices.computer.question\"\nmsgid \"Hvilken computer bruger du?\"\nmsgstr \"\"";
    assert!(po.contains(label) && po.contains(question), "{po}");
    let po = po
        .replace(
            label,
            &label.replace("msgstr \"\"", "msgstr \"The school's Chromebook\""),
        )
        .replace(
            question,
            &question.replace("msgstr \"\"", "msgstr \"Which computer do you use?\""),
        );
    std::fs::write(&po_path, po).unwrap();
    run_in(
        &site.root,
        &[&"i18n", &"import", &"translations/en/_site.po"],
    )
    .expect_code(0);
    let after = std::fs::read_to_string(site.root.join("guidegen.yaml")).unwrap();
    assert!(
        after.contains("# A school's own kind of computer."),
        "{after}"
    );
    run_in(&site.root, &[&"i18n", &"status", &"--strict"]).expect_code(0);
    site.build(&["--format", "html", "--strict"]).expect_code(0);
    let page = parse_html(&site.out("en/demo/index.html"));
    let text: String = page.root_element().text().collect();
    assert!(text.contains("The school's Chromebook"), "{text}");
    assert!(text.contains("Which computer do you use?"), "{text}");
}
