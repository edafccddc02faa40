//! Videos (issue #11): `video:` on a guide, a section or a step — a file played by the browser's own
//! player with a poster and captions per language, a video service's link card with a QR code (and
//! its player only on a click, where the site opts in), or a video not made yet — in the pages, the
//! PDFs, and in what `check` reports.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use resvg::{tiny_skia, usvg};
use scraper::Html;

/// The first bytes of an MP4 file (an `ftyp` box), and some more: validation reads the type from
/// them, and the build copies the file as it is.
fn mp4_bytes(seed: u8) -> Vec<u8> {
    let mut bytes = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    bytes.extend((0..70_000u32).map(|i| (i % 251) as u8 ^ seed));
    bytes
}

const POSTER: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360" fill="#246"/></svg>"##;

const YOUTUBE: &str = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";

/// A site in a temporary folder: `guidegen.yaml` (languages da, en, plus `settings`), and one guide
/// `demo` with `guide` as its guide.yaml.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(settings: &str, guide: &str) -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("guides/demo/video")).unwrap();
        std::fs::write(
            root.join("guidegen.yaml"),
            format!("title: {{da: Test, en: Test}}\nlanguages: [da, en]\n{settings}"),
        )
        .unwrap();
        std::fs::write(root.join("guides/demo/guide.yaml"), guide).unwrap();
        Site { _tmp: tmp, root }
    }

    fn guide_file(&self) -> PathBuf {
        self.root.join("guides/demo/guide.yaml")
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.root.join("guides/demo").join(rel), bytes).unwrap();
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

    fn page(&self, lang: &str) -> Html {
        parse_html(&self.out().join(lang).join("demo/index.html"))
    }
}

/// A guide whose own video is a file with a poster and captions in both languages.
const LOCAL: &str = "\
title: {da: Demo, en: Demo}
video:
  title: {da: Sådan gør du, en: How to do it}
  src: video/intro.mp4
  poster: video/intro.svg
steps:
  - device: computer
    action: {da: Gør det, en: Do it}
";

fn local_site() -> Site {
    let site = Site::new("", LOCAL);
    site.write("video/intro.mp4", mp4_bytes(0));
    site.write("video/intro.svg", POSTER);
    site.write(
        "video/intro.da.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\nVelkommen\n",
    );
    site.write(
        "video/intro.en.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome\n",
    );
    site
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn a_video_file_plays_in_the_browser_s_player_with_a_poster_and_a_caption_track_per_language() {
    let site = local_site();
    let run = site.build(&["html"]);
    assert!(
        !run.stderr.contains("warning"),
        "a video with a poster and every language's captions needs no warning:\n{}",
        run.stderr
    );
    for lang in ["da", "en"] {
        let page = site.page(lang);
        let blocks: Vec<_> = page.select(&sel("[data-video]")).collect();
        assert_eq!(blocks.len(), 1, "{lang}: one video block");
        assert_eq!(blocks[0].value().attr("data-video"), Some("ready"));
        let video = blocks[0]
            .select(&sel("video"))
            .next()
            .expect("a <video> element");
        let v = video.value();
        assert!(
            v.attr("controls").is_some(),
            "{lang}: the browser's controls"
        );
        assert_eq!(v.attr("poster"), Some("video/intro.svg"));
        assert_eq!(
            (v.attr("width"), v.attr("height")),
            (Some("640"), Some("360"))
        );
        let source = video.select(&sel("source")).next().expect("<source>");
        assert_eq!(source.value().attr("src"), Some("video/intro.mp4"));
        assert_eq!(source.value().attr("type"), Some("video/mp4"));

        let tracks: Vec<_> = video.select(&sel("track")).collect();
        assert_eq!(tracks.len(), 2, "{lang}: one caption track per language");
        for track in &tracks {
            let t = track.value();
            assert_eq!(t.attr("kind"), Some("captions"));
            let srclang = t.attr("srclang").expect("srclang");
            let label = t.attr("label").expect("label");
            assert_eq!(
                label,
                if srclang == "da" { "Dansk" } else { "English" },
                "a track is labelled in its own language"
            );
            // The page's language is the track shown by default, and only it.
            assert_eq!(
                t.attr("default").is_some(),
                srclang == lang,
                "{lang}/{srclang}"
            );
            // Given as a data: URL (browsers refuse caption files from file:// pages), holding
            // exactly the file's text.
            let src = t.attr("src").expect("src");
            let data = src
                .strip_prefix("data:text/vtt;charset=utf-8;base64,")
                .unwrap_or_else(|| panic!("{lang}: track src is a data: URL: {src}"));
            let file = std::fs::read(
                site.root
                    .join(format!("guides/demo/video/intro.{srclang}.vtt")),
            )
            .unwrap();
            assert_eq!(decode_base64(data), file);
        }
        let title = page
            .select(&sel("[data-video] .video-title"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert!(
            title.contains(if lang == "da" {
                "Sådan gør du"
            } else {
                "How to do it"
            }),
            "{title}"
        );
        // The files beside the page: the video as it is, its poster and captions (linked too).
        let folder = site.out().join(lang).join("demo");
        assert_eq!(
            std::fs::read(folder.join("video/intro.mp4")).unwrap(),
            mp4_bytes(0)
        );
        assert!(folder.join("video/intro.svg").is_file());
        for captions in ["video/intro.da.vtt", "video/intro.en.vtt"] {
            assert!(folder.join(captions).is_file(), "{captions}");
            assert!(
                page.select(&sel(&format!("a[href=\"{captions}\"]")))
                    .next()
                    .is_some(),
                "{lang}: a link to {captions}"
            );
        }
    }
    // One video file on disk for both languages.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = |lang: &str| {
            std::fs::metadata(site.out().join(lang).join("demo/video/intro.mp4"))
                .unwrap()
                .ino()
        };
        assert_eq!(inode("da"), inode("en"));
    }
}

#[test]
fn a_changed_video_is_published_again_and_an_unchanged_one_taken_over() {
    let site = local_site();
    site.build(&["html"]);
    let again = site.build(&["html"]);
    assert!(
        again.stdout.contains("unchanged") || again.stderr.contains("unchanged"),
        "{}\n{}",
        again.stdout,
        again.stderr
    );
    site.write("video/intro.mp4", mp4_bytes(7));
    site.build(&["html"]);
    for lang in ["da", "en"] {
        assert_eq!(
            std::fs::read(site.out().join(lang).join("demo/video/intro.mp4")).unwrap(),
            mp4_bytes(7),
            "{lang}"
        );
    }
}

/// A guide that opens with a section that is a video alone, not made yet, as the guide the project
/// started from does.
const PLANNED: &str = "\
title: {da: Demo, en: Demo}
sections:
  - title: {da: Video, en: Video}
    video:
      status: planned
      title: {da: Opsætning af MFA, en: Setting up MFA}
  - title: {da: Trin, en: Steps}
    steps:
      - device: computer
        action: {da: Gør det, en: Do it}
";

#[test]
fn a_planned_video_says_it_comes_later_in_the_reader_s_language_and_a_section_may_be_a_video_alone()
{
    let site = Site::new("", PLANNED);
    site.build(&["html", "pdf"]);
    for (lang, notice, other) in [
        ("da", "Video kommer senere", "Video coming later"),
        ("en", "Video coming later", "Video kommer senere"),
    ] {
        let page = site.page(lang);
        let planned: Vec<_> = page.select(&sel("[data-video=\"planned\"]")).collect();
        assert_eq!(planned.len(), 1, "{lang}");
        let text = planned[0].text().collect::<String>();
        assert!(text.contains(notice), "{lang}: {text}");
        assert!(!text.contains(other), "{lang}: {text}");
        assert!(planned[0].select(&sel("video, iframe, a")).next().is_none());
        // The first section is the video alone: no list of steps.
        let first = page.select(&sel("#section-1")).next().expect("section 1");
        assert!(first.select(&sel("[data-video]")).next().is_some());
        assert!(first.select(&sel("ol.steps, [data-step]")).next().is_none());
        let steps: Vec<_> = page.select(&sel("[data-step]")).collect();
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].value().attr("data-step"), Some("1"));

        let pdf = site.out().join(lang).join(format!("demo/demo-{lang}.pdf"));
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains(notice), "{lang} PDF: {text}");
        }
    }
}

#[test]
fn the_example_guide_opens_with_its_video_to_come_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run(&[&"build", &"--out", &out, &"--format", &"html"]).expect_code(0);
    for (lang, notice) in [("da", "Video kommer senere"), ("en", "Video coming later")] {
        let page = parse_html(&out.join(lang).join("mfa-setup/index.html"));
        let first = page.select(&sel("#section-1")).next().expect("section 1");
        let planned = first
            .select(&sel("[data-video=\"planned\"]"))
            .next()
            .unwrap_or_else(|| panic!("{lang}: the first section is the planned video"));
        assert!(planned.text().collect::<String>().contains(notice));
        assert!(first.select(&sel("[data-step]")).next().is_none());
    }
}

/// The text of every QR code in an SVG, as a camera sees it (4× larger, on white).
fn scan_qr(svg_markup: &str) -> Vec<String> {
    let tree = usvg::Tree::from_str(svg_markup, &usvg::Options::default()).expect("QR SVG parses");
    let scale = 4.0;
    let width = (tree.size().width() * scale).ceil() as u32;
    let height = (tree.size().height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).expect("pixmap");
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            pixmap.pixel(x as u32, y as u32).expect("pixel").red()
        });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("the QR code decodes").1)
        .collect()
}

/// A guide with a YouTube video on a step.
fn service_guide(url: &str) -> String {
    format!(
        "\
title: {{da: Demo, en: Demo}}
steps:
  - device: computer
    action: {{da: Se videoen, en: Watch the video}}
    video:
      title: {{da: Opsætning, en: Setup}}
      url: {url}
"
    )
}

/// Every URL-valued attribute of a page that makes a browser load something by itself.
fn loaded_addresses(page: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for element in page.select(&sel("*")) {
        for (name, value) in element.value().attrs() {
            let loads = matches!(name, "src" | "poster" | "data" | "srcset")
                || (name == "href" && element.value().name() == "link");
            if loads {
                out.push(value.to_owned());
            }
        }
    }
    out
}

#[test]
fn a_service_video_is_a_link_card_with_a_qr_code_and_loads_nothing_of_the_service() {
    let site = Site::new("", &service_guide(YOUTUBE));
    site.build(&["html", "pdf"]);
    for lang in ["da", "en"] {
        let page = site.page(lang);
        let block = page
            .select(&sel("[data-video=\"ready\"]"))
            .next()
            .expect("a video block");
        assert_eq!(block.value().attr("data-video-service"), Some("youtube"));
        // The step holds it.
        assert!(
            page.select(&sel("[data-step=\"1\"] [data-video]"))
                .next()
                .is_some()
        );
        let link = block.select(&sel("a[href]")).next().expect("a link");
        assert_eq!(link.value().attr("href"), Some(YOUTUBE));
        assert!(link.text().collect::<String>().contains("YouTube"));
        let qr = block.select(&sel("[data-qr]")).next().expect("a QR code");
        assert_eq!(qr.value().attr("data-qr"), Some(YOUTUBE));
        let svg = qr.select(&sel("svg")).next().expect("the QR code's <svg>");
        assert!(
            svg.value()
                .attr("aria-label")
                .is_some_and(|l| l.contains("Opsætning") || l.contains("Setup"))
        );
        assert_eq!(scan_qr(&svg.html()), [YOUTUBE]);
        // Nothing of the service is loaded, and nothing offers to.
        assert!(
            page.select(&sel(
                "iframe, script:not([src$=\"assets/search.js\"]), [data-video-embed]"
            ))
            .next()
            .is_none()
        );
        for address in loaded_addresses(&page) {
            assert!(!address.contains("youtube"), "{lang} loads {address}");
        }
        assert!(!site.out().join("assets/video.js").exists());

        // In the PDF: the same code, and the address printed under it.
        let pdf = site.out().join(lang).join(format!("demo/demo-{lang}.pdf"));
        if let Some(codes) = pdf_qr_codes(&pdf) {
            assert_eq!(codes, [YOUTUBE], "{lang}: the PDF's QR codes");
        }
        if let Some(text) = pdf_text(&pdf) {
            let folded: String = text.split_whitespace().collect();
            assert!(
                folded.contains(YOUTUBE),
                "{lang}: the address is printed: {text}"
            );
            assert!(text.contains(if lang == "da" { "Opsætning" } else { "Setup" }));
        }
    }
}

#[test]
fn with_the_site_s_consent_a_service_s_player_loads_only_on_a_click() {
    let site = Site::new("video:\n  embed: [youtube]\n", &service_guide(YOUTUBE));
    site.build(&["html"]);
    let page = site.page("en");
    // No player in the page: a hidden button that a script (shipped in guidegen) turns into one.
    assert!(page.select(&sel("iframe")).next().is_none());
    let embed = page
        .select(&sel("[data-video-embed]"))
        .next()
        .expect("the click-to-load box");
    assert_eq!(
        embed.value().attr("data-video-embed"),
        Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
    );
    assert!(
        embed.value().attr("hidden").is_some(),
        "shown by the script only"
    );
    assert!(
        embed
            .select(&sel("button[type=\"button\"]"))
            .next()
            .is_some()
    );
    for address in loaded_addresses(&page) {
        assert!(!address.contains("youtube"), "the page loads {address}");
    }
    // (Every page also has the search's script.)
    let scripts: Vec<_> = page
        .select(&sel("script:not([src$=\"assets/search.js\"])"))
        .map(|s| s.value().attr("src").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(scripts, ["../../assets/video.js"]);
    let script = std::fs::read_to_string(site.out().join("assets/video.js")).unwrap();
    assert_eq!(script, include_str!("../templates/video.js"));
    assert!(script.contains("addEventListener('click'"));

    // A service the site did not consent to stays a link.
    let vimeo = Site::new(
        "video:\n  embed: [youtube]\n",
        &service_guide("https://vimeo.com/76979871"),
    );
    vimeo.build(&["html"]);
    let page = vimeo.page("en");
    assert!(
        page.select(&sel(
            "[data-video-embed], script:not([src$=\"assets/search.js\"])"
        ))
        .next()
        .is_none()
    );
}

/// The problems `guidegen check` prints for a site.
fn check(site: &Site) -> Run {
    run(&[&"check", &site.root])
}

#[test]
fn a_missing_or_wrong_video_file_is_an_error_where_it_is_named() {
    let guide = "\
title: {da: Demo, en: Demo}
video: {title: {da: A, en: A}, src: video/missing.mp4}
sections:
  - title: {da: S, en: S}
    video:
      title: {da: B, en: B}
      src: video/intro.avi
  - title: {da: T, en: T}
    video:
      title: {da: C, en: C}
      src: video/page.mp4
      poster: video/none.jpg
    steps:
      - device: computer
        action: {da: Gør det, en: Do it}
        video:
          title: {da: D, en: D}
          src: video/intro.mp4
          captions: {en: video/missing.en.vtt, da: video/not-vtt.da.vtt}
";
    let site = Site::new("", guide);
    site.write("video/page.mp4", "<html>not a video</html>");
    site.write("video/intro.mp4", mp4_bytes(0));
    site.write("video/intro.jpg", [0u8; 0]);
    site.write(
        "video/not-vtt.da.vtt",
        "1\n00:00:00,000 --> 00:00:01,000\nHej\n",
    );
    let run = check(&site);
    run.expect_code(1);
    let file = site.guide_file();
    run.expect_error(
        &location_of(&file, "video/missing.mp4"),
        "file `video/missing.mp4` does not exist",
        Some("check the spelling"),
    );
    run.expect_error(
        &location_of(&file, "video/intro.avi"),
        "`video/intro.avi` is not a supported video",
        Some("MP4 or WebM"),
    );
    run.expect_error(
        &location_of(&file, "video/none.jpg"),
        "file `video/none.jpg` does not exist",
        None,
    );
    run.expect_error(
        &location_of(&file, "video/missing.en.vtt"),
        "file `video/missing.en.vtt` does not exist",
        None,
    );
    run.expect_error(
        &location_of(&file, "video/not-vtt.da.vtt"),
        "is not a WebVTT captions file",
        Some("WEBVTT"),
    );
    // The poster beside `intro.mp4` is found by convention, and is no image.
    run.expect_error(
        &location_of(&file, "video/intro.mp4"),
        "`video/intro.jpg` is not a valid JPEG image",
        None,
    );
    // page.mp4 is no video, and the poster it names is missing: both are reported, each where it
    // is named.
    run.expect_error(
        &location_of(&file, "video/page.mp4"),
        "`video/page.mp4` is not a valid MP4 video",
        Some("export the video again"),
    );
}

#[test]
fn a_video_without_captions_in_a_language_is_a_warning_naming_the_file_to_add() {
    let site = Site::new("", LOCAL);
    site.write("video/intro.mp4", mp4_bytes(0));
    site.write("video/intro.svg", POSTER);
    site.write("video/intro.da.vtt", "WEBVTT\n");
    let run = check(&site);
    run.expect_code(0);
    let warnings = diagnostics(&run.stderr, "warning");
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    let warning = &warnings[0];
    assert_eq!(
        warning.location,
        location_of(&site.guide_file(), "video/intro.mp4")
    );
    assert!(
        warning.message.contains("no captions in English (`en`)"),
        "{}",
        warning.message
    );
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("video/intro.en.vtt"),
        "{:?}",
        warning.hint
    );
    // The page still plays it, with the captions it has.
    site.build(&["html"]);
    let page = site.page("en");
    let tracks: Vec<_> = page.select(&sel("track")).collect();
    assert_eq!(tracks.len(), 1);
    assert_eq!(tracks[0].value().attr("srclang"), Some("da"));
    assert!(tracks[0].value().attr("default").is_none());
}

#[test]
fn video_keys_are_checked() {
    let guide = "\
title: {da: Demo, en: Demo}
sections:
  - title: {da: S, en: S}
    video: {status: later, title: {da: A, en: A}}
  - title: {da: T, en: T}
    video: {title: {da: B, en: B}}
  - title: {da: U, en: U}
    video: {src: a.mp4, status: planned}
  - title: {da: V, en: V}
    video: {title: {da: C, en: C}, url: 'http://youtu.be/dQw4w9WgXcQ'}
  - title: {da: W, en: W}
";
    let settings = "video:\n  embed: [youtub, stream]\n";
    let site = Site::new(settings, guide);
    let run = check(&site);
    run.expect_code(1);
    let file = site.guide_file();
    run.expect_error(
        &location_of(&file, "later"),
        "unknown video status `later`",
        Some("planned"),
    );
    run.expect_error(
        &location_of(&file, "{title: {da: B"),
        "the video has neither `src` nor `url`",
        Some("status: planned"),
    );
    run.expect_error(
        &location_of(&file, "{src: a.mp4"),
        "the video has no `title`",
        None,
    );
    run.expect_error(
        &location_of(&file, "'http://"),
        "is not a video's address: a video's address must start with https://",
        None,
    );
    // A section of neither steps nor video is still an error.
    run.expect_error(
        &location_of(&file, "title: {da: W"),
        "the section has no `steps`",
        Some("video"),
    );
    let settings_file = site.root.join("guidegen.yaml");
    run.expect_error(
        &location_of(&settings_file, "youtub"),
        "unknown video service `youtub`",
        Some("youtube"),
    );
    run.expect_error(
        &location_of(&settings_file, "stream"),
        "Microsoft Stream videos cannot be embedded",
        None,
    );
}

#[test]
fn video_titles_are_texts_to_translate() {
    let guide = "\
title: {da: Demo, en: Demo}
video: {status: planned, title: Hele vejledningen}
sections:
  - title: {da: S, en: S}
    video: {status: planned, title: Afsnittet}
    steps:
      - device: computer
        action: {da: Gør det, en: Do it}
        video: {status: planned, title: {da: Trinnet, en: The step}}
";
    let site = Site::new("", guide);
    let status = run(&[&"i18n", &"status", &site.root]);
    status.expect_code(0);
    assert!(status.stdout.contains("missing") || status.stderr.contains("missing"));
    let out = site.root.join("po");
    run(&[&"i18n", &"export", &site.root, &"--out", &out]).expect_code(0);
    let po = std::fs::read_to_string(out.join("en/demo.po")).unwrap();
    for context in [
        "demo|video.title",
        "demo|section.1.video.title",
        "demo|step.1.video.title",
    ] {
        assert!(
            po.contains(&format!("msgctxt \"{context}\"")),
            "{context}:\n{po}"
        );
    }
    // The untranslated titles are shown in Danish, and the page says so.
    site.build(&["html"]);
    let page = site.page("en");
    let notice = page
        .select(&sel("[data-fallback-notice]"))
        .next()
        .expect("the fallback notice")
        .text()
        .collect::<String>();
    assert!(notice.contains("the video's title"), "{notice}");
    assert!(notice.contains("section 1"), "{notice}");
}

#[test]
fn translated_video_titles_are_imported_in_place_in_every_style() {
    let guide = "\
title: {da: Demo, en: Demo}
video: {status: planned, title: Hele vejledningen}
sections:
  - title: {da: S, en: S}
    video:
      status: planned
      title: Afsnittet
    steps:
      - device: computer
        action: {da: Gør det, en: Do it}
        video: {status: planned, title: {da: Trinnet}}
";
    let site = Site::new("", guide);
    run(&[&"i18n", &"export", &site.root]).expect_code(0);
    let po_path = site.root.join("translations/en/demo.po");
    let mut po = std::fs::read_to_string(&po_path).unwrap();
    for (context, translation) in [
        ("demo|video.title", "The whole guide"),
        ("demo|section.1.video.title", "The section"),
        ("demo|step.1.video.title", "The step"),
    ] {
        let at = po.find(&format!("msgctxt \"{context}\"")).expect(context);
        let empty = at + po[at..].find("msgstr \"\"").expect("an empty msgstr");
        po.replace_range(empty..empty + 9, &format!("msgstr \"{translation}\""));
    }
    std::fs::write(&po_path, po).unwrap();
    run(&[&"i18n", &"import", &site.root, &po_path]).expect_code(0);
    site.build(&["html"]);
    let page = site.page("en");
    let titles: Vec<String> = page
        .select(&sel("[data-video] .video-title"))
        .map(|t| t.text().collect::<String>())
        .collect();
    assert_eq!(titles.len(), 3);
    for (title, expected) in titles
        .iter()
        .zip(["The whole guide", "The section", "The step"])
    {
        assert!(title.contains(expected), "{title}");
    }
    assert!(page.select(&sel("[data-fallback-notice]")).next().is_none());
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

/// The QR codes on a PDF's pages as a phone sees them on paper (pdftoppm at 150 dpi, zbarimg), or
/// `None` when those tools are not installed (CI installs them).
fn pdf_qr_codes(pdf: &Path) -> Option<Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("page");
    let rendered = Command::new("pdftoppm")
        .args(["-r", "150", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .ok()?;
    assert!(rendered.success(), "pdftoppm failed on {}", pdf.display());
    let mut codes = Vec::new();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    for page in pages {
        let output = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
            .arg(&page)
            .output()
            .ok()?;
        // 4: no code on this page.
        assert!(
            output.status.success() || output.status.code() == Some(4),
            "zbarimg failed on {}",
            page.display()
        );
        codes.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    Some(codes)
}

#[test]
fn the_video_fixture_site_checks_clean() {
    // .ci/run builds it and checks its pages in Chromium (axe) and its QR codes.
    let run = run(&[&"check", &fixture("videos")]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("0 warnings") || run.stderr.contains("0 warnings"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_retina_poster_is_embedded_in_the_pdf_at_300_dpi_of_its_printed_size() {
    let site = Site::new("", &LOCAL.replace("video/intro.svg", "video/intro.png"));
    site.write("video/intro.mp4", mp4_bytes(0));
    // A still of a retina screen recording: 2880 × 1620.
    let still = image::RgbImage::from_fn(2880, 1620, |x, y| {
        image::Rgb([(x / 12) as u8, (y / 7) as u8, 0x80])
    });
    let mut png = Vec::new();
    still
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    site.write("video/intro.png", &png);
    site.build(&["pdf"]);
    for lang in ["da", "en"] {
        let pdf = site.out().join(lang).join(format!("demo/demo-{lang}.pdf"));
        // Printed 55 mm wide (2.17 in): 300 dpi is 650 px, not the recording's 2880.
        let sizes: Vec<(i64, i64)> = embedded_images(&std::fs::read(&pdf).unwrap())
            .into_iter()
            .map(|(w, h, _)| (w, h))
            .collect();
        assert_eq!(sizes, [(650, 366)], "{}", pdf.display());
    }
}
