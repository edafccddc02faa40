//! The PDF of a guide, read back as a reader's tools would: its text in order, and the objects that make
//! it an accessible (PDF/UA-1) document.

mod common;

use std::sync::Arc;

use guidegen::catalog::Catalog;
use guidegen::model::{Icon, Image, ImageKind, Paper};
use guidegen::pdf::{PdfSettings, render_guide};
use guidegen::view::{
    AppView, BannerView, CalloutView, DeviceView, FallbackNotice, GuideView, Label, NeedView,
    Prose, ScreenshotView, SectionView, StepView, StoreView,
};
use lopdf::{Document, Object};

const APP_STORE: &str = "https://apps.apple.com/app/microsoft-authenticator/id983156458";
const GOOGLE_PLAY: &str = "https://play.google.com/store/apps/details?id=com.azure.authenticator";

fn label(text: &str) -> Label {
    Label {
        text: text.to_owned(),
        lang: None,
    }
}

fn prose(markdown: &str) -> Prose {
    Prose {
        markdown: markdown.to_owned(),
        lang: None,
    }
}

/// A PNG "screenshot": a window with a title bar and a few bars of content.
fn screenshot(width: u32, height: u32, seed: u8) -> Image {
    let mut img = image::RgbImage::from_pixel(width, height, image::Rgb([245, 247, 250]));
    for y in 0..height {
        for x in 0..width {
            let bar = y < height / 12;
            let block = (y / (height / 10).max(1)) % 2 == 1 && x > width / 10 && x < width * 9 / 10;
            if bar {
                img.put_pixel(x, y, image::Rgb([30, 60, 120 + seed]));
            } else if block {
                img.put_pixel(x, y, image::Rgb([200, 210, 225]));
            }
        }
    }
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    Image {
        rel: format!("shots/{seed}.png"),
        kind: ImageKind::Png,
        width,
        height,
        bytes: Arc::new(bytes),
        redacted: Vec::new(),
        renditions: Default::default(),
        print: Default::default(),
        cuts: Default::default(),
    }
}

struct Device {
    id: &'static str,
    icon: Icon,
}

const COMPUTER: Device = Device {
    id: "computer",
    icon: Icon::Computer,
};
const PHONE: Device = Device {
    id: "phone",
    icon: Icon::Phone,
};

fn device(catalog: &Catalog, d: &Device) -> DeviceView {
    DeviceView {
        id: d.id.to_owned(),
        label: label(catalog.get(&format!("device.{}.label", d.id))),
        icon: guidegen::icons::svg(d.icon),
        glyph: guidegen::icons::glyph(guidegen::icons::class(d.icon)),
    }
}

/// A step as `guide_view` would make it; `shot` is a (width, height) for a screenshot.
fn step(
    catalog: &Catalog,
    n: usize,
    total: usize,
    d: &Device,
    switch: bool,
    action: &str,
    shot: Option<(u32, u32)>,
) -> StepView {
    let number = n.to_string();
    let device = device(catalog, d);
    StepView {
        number: n,
        label: catalog.format(
            "guide.step_of",
            &[("n", &number), ("total", &total.to_string())],
        ),
        short_label: catalog.format("guide.step", &[("n", &number)]),
        banner: switch.then(|| BannerView {
            device: device.clone(),
            text: label(catalog.get(&format!("device.{}.banner", d.id))),
            continue_codes: Vec::new(),
        }),
        device,
        action: prose(action),
        screenshot: shot.map(|(w, h)| {
            let image = screenshot(w, h, n as u8);
            ScreenshotView {
                src: image.rel.clone(),
                width: w,
                height: h,
                alt: label(&format!("Skærmbillede {n}: vinduet »Næste«")),
                alt_missing: false,
                srcset: String::new(),
                sizes: String::new(),
                renditions: Vec::new(),
                tall: h > w,
                full_size: None,
                overlay: None,
                callouts: Vec::new(),
                callouts_heading: String::new(),
                shapes: Vec::new(),
                image,
            }
        }),
        app: None,
        result: None,
        callouts: Vec::new(),
        video: None,
        parts: Default::default(),
        variants: None,
    }
    .with_parts()
}

fn app(catalog: &Catalog) -> AppView {
    let name = "Microsoft Authenticator";
    let stores = [
        ("app_store", "App Store", APP_STORE),
        ("google_play", "Google Play", GOOGLE_PLAY),
    ]
    .into_iter()
    .map(|(key, store, url)| {
        let qr_label = catalog.format("store.qr_label", &[("app", name), ("store", store)]);
        StoreView {
            store: key,
            name: store,
            badge: catalog.get(&format!("store.{key}")).to_owned(),
            url: url.to_owned(),
            qr_svg: guidegen::qr::svg(url, &qr_label).unwrap(),
            qr_label,
        }
    })
    .collect();
    AppView {
        id: "microsoft-authenticator".into(),
        name: label(name),
        heading: catalog.format("app.install", &[("app", name)]),
        stores,
    }
}

/// The MFA guide of the reference, in `lang`, with `steps` steps of which every `shot_every`th has a
/// screenshot.
fn mfa_guide<'a>(
    catalog: &'a Catalog,
    lang: &str,
    steps: usize,
    shot_every: usize,
) -> GuideView<'a> {
    let da = lang == "da";
    let title = if da {
        "Opsæt tofaktorgodkendelse (MFA) på DMJX"
    } else {
        "Set up two-factor authentication (MFA) at DMJX"
    };
    let devices = [&COMPUTER, &COMPUTER, &PHONE, &PHONE, &COMPUTER];
    let mut all: Vec<StepView> = Vec::new();
    for n in 1..=steps {
        let d = devices[(n - 1) % devices.len()];
        let switch = n == 1 || devices[(n - 2) % devices.len()].id != d.id;
        let action = match n {
            1 => "Open [aka.ms/mfasetup](https://aka.ms/mfasetup) on your computer and sign in with your **DMJX email** and password. Æbler, øl og åer.".to_owned(),
            3 => "Install **Microsoft Authenticator** on your phone. There are several apps with similar names:\n\n- the right one is from *Microsoft Corporation*\n- it is free\n\nNeed help? Write to <it@dmjx.dk> or see <https://www.dmjx.dk/it>.".to_owned(),
            _ => format!("Select `Next` and follow the instructions in step {n}. Du vil nu se vinduet »Næste« på din skærm."),
        };
        let shot = (n % shot_every == 0).then(|| {
            if d.id == "phone" {
                (390, 844)
            } else {
                (1280, 800)
            }
        });
        let mut s = step(catalog, n, steps, d, switch, &action, shot);
        if n == 3 {
            s.app = Some(app(catalog));
            s.callouts.push(CalloutView {
                kind: "tip",
                label: catalog.get("guide.tip").into(),
                body: prose("The app is free and has a blue lock icon."),
            });
        }
        if n == 2 {
            s.result = Some(prose("The page *More information required* appears."));
            s.callouts.push(CalloutView {
                kind: "note",
                label: catalog.get("guide.note").into(),
                body: prose("You may be asked for your email several times."),
            });
            s.callouts.push(CalloutView {
                kind: "warning",
                label: catalog.get("guide.warning").into(),
                body: prose("Never approve a sign-in you did not start yourself."),
            });
        }
        all.push(s);
    }
    let mut sections = Vec::new();
    let chunk = steps.div_ceil(3).max(1);
    for (i, part) in all.chunks(chunk).enumerate() {
        sections.push(SectionView {
            number: i + 1,
            anchor: format!("section-{}", i + 1),
            title: Some(label(["Install the app", "Connect your account", "Test the sign-in"][i.min(2)])),
            intro: (i == 0).then(|| prose("You need both your computer and your phone. Every time you must switch, the guide tells you.")),
            video: None,
            steps: part.to_vec(),
            shown_in: None,
            only: None,
        });
    }
    GuideView {
        id: "mfa-setup".into(),
        lang: lang.into(),
        dir: "ltr",
        site_title: label(if da { "IT-vejledninger" } else { "IT guides" }),
        organization: Some(label("DMJX")),
        title: label(title),
        summary: Some(prose(
            "This guide shows how to set up two-factor authentication on your DMJX account with **Microsoft Authenticator**.",
        )),
        needs: vec![
            NeedView {
                kind: "device",
                id: "computer".into(),
                label: label(catalog.get("device.computer.label")),
                icon: guidegen::icons::svg(Icon::Computer),
                glyph: guidegen::icons::glyph(guidegen::icons::class(Icon::Computer)),
                shown_in: None,
            },
            NeedView {
                kind: "device",
                id: "phone".into(),
                label: label(catalog.get("device.phone.label")),
                icon: guidegen::icons::svg(Icon::Phone),
                glyph: guidegen::icons::glyph(guidegen::icons::class(Icon::Phone)),
                shown_in: None,
            },
            NeedView {
                kind: "app",
                id: "microsoft-authenticator".into(),
                label: label(
                    &catalog.format("guide.app_item", &[("app", "Microsoft Authenticator")]),
                ),
                icon: guidegen::icons::APP,
                glyph: guidegen::icons::glyph(guidegen::icons::APP_CLASS),
                shown_in: None,
            },
        ],
        has_toc: sections.len() > 1,
        sections,
        total_steps: steps,
        pdf: Some(format!("mfa-setup-{lang}.pdf")),
        languages: Vec::new(),
        notice: da.then(|| FallbackNotice {
            text: catalog.format("guide.fallback_notice", &[("language", "English")]),
            items: vec![guidegen::view::NoticeItem {
                text: catalog.format("guide.untranslated.step", &[("n", "3")]),
                href: Some("#step-3".to_owned()),
            }],
        }),
        video: None,
        has_embeds: false,
        ui: catalog,
        canonical: None,
        alternates: Vec::new(),
        updated: None,
        support: None,
        attachments: Default::default(),
        link_titles: Default::default(),
        variants: None,
        platform_stores: String::new(),
        for_platforms: None,
        platform_script: false,
    }
}

const SETTINGS: PdfSettings = PdfSettings {
    paper: Paper::A4,
    timestamp: 1_700_000_000,
};

fn render(view: &GuideView<'_>) -> Vec<u8> {
    render_with(view, &SETTINGS)
}

/// Renders `view`; with GUIDEGEN_PDF_OUT set, also writes the PDF there to be looked at.
fn render_with(view: &GuideView<'_>, settings: &PdfSettings) -> Vec<u8> {
    let pdf = render_guide(view, settings).unwrap_or_else(|e| panic!("{e}"));
    if let Ok(dir) = std::env::var("GUIDEGEN_PDF_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{}-{}.pdf", view.id, view.lang), &pdf).unwrap();
    }
    pdf
}

/// The text of every page, in order, with runs of white space as one space.
fn page_texts(pdf: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|&p| {
            doc.extract_text(&[p])
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found in:\n{text}"))
}

#[test]
fn the_text_reads_in_order_with_banners_before_their_steps() {
    let en = Catalog::builtin("en").unwrap();
    let view = mfa_guide(&en, "en", 12, 4);
    let pdf = render(&view);
    let pages = page_texts(&pdf);
    let all = pages.join(" ");
    let n = pages.len();
    assert!(n >= 2, "{n} pages");

    assert!(all.contains("Set up two-factor authentication (MFA) at DMJX"));
    assert!(all.contains("DMJX · IT guides"));
    assert!(all.contains("Æbler, øl og åer."), "æøå survive:\n{all}");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {}: {page}",
            i + 1
        );
    }
    // Links are printed with their address, once.
    assert!(
        all.contains("aka.ms/mfasetup (https://aka.ms/mfasetup)"),
        "{all}"
    );
    assert!(all.contains("it@dmjx.dk"));
    assert!(!all.contains("it@dmjx.dk (mailto"));

    // Steps in order, each after the banner that belongs to it.
    let mut last = 0;
    for step in 1..=12 {
        let at = position(&all[last..], &format!("Step {step} of 12")) + last;
        assert!(at >= last, "step {step} out of order");
        last = at;
    }
    let computer = "You must now use your computer.";
    let phone = "You must now use your phone.";
    assert!(position(&all, computer) < position(&all, "Step 1 of 12"));
    let phone_banner = position(&all, phone);
    assert!(
        position(&all, "Step 2 of 12") < phone_banner
            && phone_banner < position(&all, "Step 3 of 12")
    );
    let back = position(&all[phone_banner..], computer) + phone_banner;
    assert!(position(&all, "Step 4 of 12") < back && back < position(&all, "Step 5 of 12"));
    assert_eq!(
        all.matches(phone).count(),
        2,
        "steps 3 and 8 switch to the phone"
    );

    // The store addresses are printed beneath their QR codes.
    assert!(all.replace(' ', "").contains(APP_STORE));
    assert!(all.replace(' ', "").contains(GOOGLE_PLAY));
    assert!(all.contains("Download on the App Store") && all.contains("Get it on Google Play"));
    assert!(all.contains("Tip") && all.contains("Warning") && all.contains(en.get("guide.result")));
}

#[test]
fn danish_guides_number_pages_in_danish() {
    let da = Catalog::builtin("da").unwrap();
    let view = mfa_guide(&da, "da", 6, 3);
    let pages = page_texts(&render(&view));
    let n = pages.len();
    assert!(
        pages[0].contains("Opsæt tofaktorgodkendelse (MFA) på DMJX"),
        "{}",
        pages[0]
    );
    assert!(pages[0].contains(&format!("Side 1 af {n}")), "{}", pages[0]);
    assert!(pages.join(" ").contains("Du skal nu bruge din telefon."));
}

fn catalog_dict(doc: &Document) -> &lopdf::Dictionary {
    doc.catalog().unwrap()
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

#[test]
fn the_pdf_is_tagged_and_declares_pdf_ua() {
    let da = Catalog::builtin("da").unwrap();
    let view = mfa_guide(&da, "da", 6, 3);
    let pdf = render(&view);
    let doc = Document::load_mem(&pdf).unwrap();
    let catalog = catalog_dict(&doc);

    let mark_info = resolve(&doc, catalog.get(b"MarkInfo").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(mark_info.get(b"Marked").unwrap(), &Object::Boolean(true));
    assert!(catalog.get(b"StructTreeRoot").is_ok());
    let lang = resolve(&doc, catalog.get(b"Lang").unwrap())
        .as_str()
        .unwrap();
    assert_eq!(lang, b"da");
    let viewer = resolve(&doc, catalog.get(b"ViewerPreferences").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(
        viewer.get(b"DisplayDocTitle").unwrap(),
        &Object::Boolean(true)
    );

    let metadata = resolve(&doc, catalog.get(b"Metadata").unwrap())
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8_lossy(&metadata.content);
    assert!(
        xmp.contains("pdfuaid:part")
            && (xmp.contains("<pdfuaid:part>1<") || xmp.contains("pdfuaid:part=\"1\"")),
        "{xmp}"
    );
    assert!(
        xmp.contains("Opsæt tofaktorgodkendelse (MFA) på DMJX"),
        "title in XMP:\n{xmp}"
    );

    let info = doc
        .trailer
        .get(b"Info")
        .map(|i| resolve(&doc, i))
        .and_then(|i| i.as_dict().cloned())
        .unwrap();
    let title = resolve(&doc, info.get(b"Title").unwrap()).as_str().unwrap();
    let title = lopdf::decode_text_string(&Object::String(
        title.to_vec(),
        lopdf::StringFormat::Literal,
    ))
    .unwrap();
    assert_eq!(title, "Opsæt tofaktorgodkendelse (MFA) på DMJX");
}

#[test]
fn the_same_guide_gives_the_same_bytes() {
    let en = Catalog::builtin("en").unwrap();
    let view = mfa_guide(&en, "en", 8, 2);
    let a = render_guide(&view, &SETTINGS).unwrap();
    let b = render_guide(&view, &SETTINGS).unwrap();
    assert!(a == b, "two renders differ");
    let later = render_guide(
        &view,
        &PdfSettings {
            timestamp: SETTINGS.timestamp + 86_400,
            ..SETTINGS
        },
    )
    .unwrap();
    assert!(a != later, "the timestamp is the PDF's date");
}

#[test]
fn guides_render_in_parallel() {
    let en = Catalog::builtin("en").unwrap();
    let da = Catalog::builtin("da").unwrap();
    let views = [
        mfa_guide(&en, "en", 5, 2),
        mfa_guide(&da, "da", 7, 3),
        mfa_guide(&en, "en", 9, 4),
    ];
    let serial: Vec<Vec<u8>> = views
        .iter()
        .map(|v| render_guide(v, &SETTINGS).unwrap())
        .collect();
    let parallel: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = views
            .iter()
            .map(|v| s.spawn(move || render_guide(v, &SETTINGS).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(serial == parallel);
}

#[test]
fn letter_paper_and_right_to_left() {
    let en = Catalog::builtin("en").unwrap();
    let mut view = mfa_guide(&en, "en", 3, 2);
    view.dir = "rtl";
    view.lang = "he".into();
    let pdf = render_with(
        &view,
        &PdfSettings {
            paper: Paper::Letter,
            ..SETTINGS
        },
    );
    let doc = Document::load_mem(&pdf).unwrap();
    let (_, first) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_object(first).unwrap().as_dict().unwrap();
    let media_box = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let width = media_box[2].as_float().unwrap();
    assert!(
        (width - 612.0).abs() < 1.0,
        "Letter is 612 pt wide, not {width}"
    );
}

#[test]
fn hostile_text_is_printed_not_run() {
    let en = Catalog::builtin("en").unwrap();
    let mut view = mfa_guide(&en, "en", 2, 99);
    let hostile = r#"#panic("x") $x^2$ *b* _i_ @ref <label> // c /* d */ \ `t` ] [ } { "q" #set page(width: 1cm)"#;
    view.title = label(hostile);
    view.sections[0].title = Some(label("= heading\n- item\n+ enum\n#let x = 1"));
    view.sections[0].steps[0].action = prose("#panic() \\#x <b>bold</b> $y$ @z");
    let pdf = render(&view);
    let all = page_texts(&pdf).join(" ");
    assert!(all.contains(r#"#panic("x") $x^2$ *b* _i_ @ref <label> // c /* d */ \ `t` ] [ } { "q" #set page(width: 1cm)"#), "{all}");
    assert!(all.contains("= heading - item + enum #let x = 1"), "{all}");
    assert!(all.contains("#panic() #x <b>bold</b> $y$ @z"), "{all}");
}

/// The page (0-based) whose text holds `needle` first.
fn page_of(pages: &[String], needle: &str) -> usize {
    pages
        .iter()
        .position(|p| p.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` on no page"))
}

/// Regression: steps with screenshots used to take a page each (17 pages for the example site's 24
/// steps), and the first page held only the front matter.
#[test]
fn pages_are_well_filled_and_steps_keep_together() {
    let en = Catalog::builtin("en").unwrap();
    // Every step has a screenshot (computer ones landscape, phone ones portrait) and a result, every
    // third a note, as in the example site's guide.
    let mut view = mfa_guide(&en, "en", 24, 1);
    for step in view.sections.iter_mut().flat_map(|s| &mut s.steps) {
        if step.result.is_none() {
            step.result = Some(prose("The next page appears. Leave it open."));
        }
        if step.number % 3 == 0 && step.callouts.is_empty() {
            step.callouts.push(CalloutView {
                kind: "note",
                label: en.get("guide.note").into(),
                body: prose(&format!(
                    "Note {}: if nothing happens, wait a moment and try again.",
                    step.number
                )),
            });
        }
    }
    let pages = page_texts(&render(&view));
    // 14 when written; 21 before, most steps alone on a page.
    assert!(pages.len() <= 16, "24 steps on {} pages", pages.len());
    // The first page holds the first step after the title, what you need and the contents.
    assert_eq!(page_of(&pages, "Step 1 of 24"), 0);
    assert_eq!(page_of(&pages, "Install the app"), 0);
    // A step's result and callouts stay with it.
    let two = page_of(&pages, "Step 2 of 24");
    assert_eq!(page_of(&pages, "More information required appears"), two);
    assert_eq!(page_of(&pages, "You may be asked for your email"), two);
    assert_eq!(page_of(&pages, "Never approve a sign-in"), two);
    // A tall step (over about half a page: a phone's screenshot, an app and a note) may go on over the
    // next page after its head, rather than move whole and leave most of a page empty; its app and
    // its note stay together.
    let three = page_of(&pages, "Step 3 of 24");
    let app = page_of(&pages, "Get it on Google Play");
    assert!(
        app == three || app == three + 1,
        "step 3 on page {three}, its app on {app}"
    );
    assert_eq!(page_of(&pages, "blue lock icon"), app);
    // A banner is on its step's page, as a section's title is on its first step's.
    for (n, page) in pages.iter().enumerate() {
        for banner in [
            en.get("device.computer.banner"),
            en.get("device.phone.banner"),
        ] {
            let Some(at) = page.rfind(banner) else {
                continue;
            };
            assert!(page[at..].contains("Step "), "a banner ends page {}", n + 1);
        }
    }
    let nine = &pages[page_of(&pages, "Step 9 of 24")];
    assert!(position(nine, "Connect your account") < position(nine, "Step 9 of 24"));
}

/// A step too long to keep on one page breaks: its long note goes on over the next pages instead of
/// running off the first.
#[test]
fn a_step_longer_than_a_page_breaks() {
    let en = Catalog::builtin("en").unwrap();
    let mut view = mfa_guide(&en, "en", 3, 1);
    let long = "A note that goes on and on, as some do. ".repeat(150);
    view.sections[0].steps[0].callouts.push(CalloutView {
        kind: "note",
        label: en.get("guide.note").into(),
        body: prose(&long),
    });
    let pages = page_texts(&render(&view));
    let note = pages.iter().filter(|p| p.contains("as some do")).count();
    assert!(note >= 2, "the note is on {note} page(s), not split");
    assert!(page_of(&pages, "Step 2 of 3") > page_of(&pages, "Step 1 of 3") + 1);
}

#[test]
fn a_screenshot_far_sharper_than_the_page_shows_it_is_embedded_at_300_dpi() {
    let en = Catalog::builtin("en").unwrap();
    let mut view = mfa_guide(&en, "en", 3, 1);
    // Step 1 a retina screenshot of a computer, step 3 a phone's at 3×, step 2 as the test makes
    // it (1280 × 800 in at most 100 mm: 325 dpi, embedded as it is).
    let sizes = [Some((2880, 1800)), None, Some((1179, 2556))];
    let steps = view.sections.iter_mut().flat_map(|s| s.steps.iter_mut());
    for (step, size) in steps.zip(sizes) {
        let shot = step.screenshot.as_mut().unwrap();
        if let Some((w, h)) = size {
            shot.image = screenshot(w, h, 41);
            (shot.width, shot.height) = (w, h);
        }
    }
    let pdf = render(&view);
    let mut sides: Vec<(i64, i64)> = common::embedded_images(&pdf)
        .iter()
        .filter(|(w, h, _)| *w > 100 && *h > 100)
        .map(|(w, h, _)| (*w, *h))
        .collect();
    sides.sort();
    // 100 mm (3.94 in) × 300 dpi = 1182 px; the phone's 80 mm tall (27 % of A4) × 300 dpi = 947 px.
    assert_eq!(sides, [(437, 947), (1182, 739), (1280, 800)], "{sides:?}");
    // The copy shows what the original does: the title bar's colour at its top, the page's below it.
    let (w, _, samples) = common::embedded_images(&pdf)
        .into_iter()
        .find(|(w, _, _)| *w == 1182)
        .unwrap();
    let pixel = |x: i64, y: i64| {
        let at = ((y * w + x) * 3) as usize;
        [samples[at], samples[at + 1], samples[at + 2]]
    };
    assert_eq!(pixel(w / 2, 10), [30, 60, 120 + 41]);
    assert_eq!(pixel(20, 200), [245, 247, 250]);
    // Made once and shared: the Danish PDF of the same screenshots uses the same copies.
    let copy = guidegen::shots::print_copy(
        &view.sections[0].steps[0].screenshot.as_ref().unwrap().image,
        100.0,
    );
    let again = guidegen::shots::print_copy(
        &view.sections[0].steps[0].screenshot.as_ref().unwrap().image,
        100.0,
    );
    assert!(Arc::ptr_eq(&copy.unwrap(), &again.unwrap()));
}
