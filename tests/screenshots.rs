//! Screenshots as a reader gets them: callouts drawn where the author put them (in the page's SVG and
//! on the PDF's page), redacted pixels really gone from every published file, smaller renditions for
//! narrow screens, and images too large to decode refused quickly with bounded memory.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A two-language site in a temporary folder.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("guides")).expect("guides folder");
        std::fs::write(
            root.join("guidegen.yaml"),
            "title: Shots\nlanguages: [en, da]\n",
        )
        .expect("guidegen.yaml");
        Site { _tmp: tmp, root }
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    fn guide(&self, yaml: &str) -> PathBuf {
        self.write("guides/shots/guide.yaml", yaml)
    }

    fn out(&self) -> PathBuf {
        self.root.parent().expect("tmp").join("out")
    }

    fn build(&self, formats: &[&str]) -> Run {
        let out = self.out();
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"build", &self.root, &"--out", &out];
        for format in formats {
            args.push(&"--format");
            args.push(format);
        }
        run(&args)
    }

    fn page(&self, lang: &str) -> scraper::Html {
        parse_html(&self.out().join(lang).join("shots/index.html"))
    }

    /// Every file of the output, with its bytes.
    fn outputs(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(self.out()) {
            let entry = entry.expect("walk output");
            if entry.file_type().is_file() {
                files.push((
                    entry.path().to_path_buf(),
                    std::fs::read(entry.path()).expect("read output"),
                ));
            }
        }
        files
    }
}

/// A one-step guide: `screenshot` is the YAML of the step's screenshot, indented by six spaces.
fn guide(screenshot: &str) -> String {
    format!(
        "title: Shots\nsteps:\n  - device: computer\n    action: Select **Next**.\n    screenshot:\n{screenshot}"
    )
}

/// What the secret part of a screenshot is painted in: a colour nothing else has.
const SECRET: [u8; 3] = [0xde, 0xad, 0xbe];
/// Where it is: `[x, y, width, height]`.
const SECRET_AT: [u32; 4] = [100, 60, 240, 50];

/// A 960×600 "screenshot": a light window, a blue button, and the secret in its place.
fn screenshot() -> image::RgbImage {
    let [sx, sy, sw, sh] = SECRET_AT;
    image::RgbImage::from_fn(960, 600, |x, y| {
        if (sx..sx + sw).contains(&x) && (sy..sy + sh).contains(&y) {
            image::Rgb(SECRET)
        } else if (700..860).contains(&x) && (480..540).contains(&y) {
            image::Rgb([0, 103, 184])
        } else if y < 40 {
            image::Rgb([223, 225, 229])
        } else {
            image::Rgb([250, 250, 250])
        }
    })
}

/// The pages of `pdf` as poppler's pdftoppm renders them with `args`, in order (written into `dir`).
fn rendered_pages(pdf: &Path, dir: &Path, args: &[&str]) -> Vec<image::RgbImage> {
    let status = std::process::Command::new("pdftoppm")
        .args(args)
        .arg("-png")
        .arg(pdf)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("page"))
        })
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|page| image::open(page).unwrap().to_rgb8())
        .collect()
}

fn encode(image: &image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .expect("encode");
    bytes
}

/// Whether a pixel is the secret's colour, give or take what JPEG does to it.
fn is_secret(p: &image::Rgb<u8>, tolerance: u8) -> bool {
    p.0.iter()
        .zip(SECRET)
        .all(|(a, b)| a.abs_diff(b) <= tolerance)
}

fn attr<'a>(element: &scraper::ElementRef<'a>, name: &str) -> &'a str {
    element
        .value()
        .attr(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", element.value().name()))
}

fn number(element: &scraper::ElementRef, name: &str) -> f64 {
    attr(element, name).parse().expect("a number")
}

#[test]
fn callouts_are_drawn_in_the_images_pixels_and_labelled_in_text() {
    let site = Site::new();
    site.write(
        "guides/shots/next.png",
        encode(&screenshot(), image::ImageFormat::Png),
    );
    // The Danish screenshot is laid out otherwise (and smaller): its own coordinates.
    site.write(
        "guides/shots/next.da.png",
        encode(
            &image::imageops::resize(
                &screenshot(),
                480,
                300,
                image::imageops::FilterType::Nearest,
            ),
            image::ImageFormat::Png,
        ),
    );
    site.guide(&guide(
        "      src: next.png
      alt: {en: The window with the Next button, da: Vinduet med knappen Næste}
      callouts:
        - box: [700, 480, 160, 60]
          label: {en: Next, da: Næste}
        - ring: [10, 5, 100, 30]
        - arrow: [780, 470]
          from: [600, 300]
        - marker: [50, 550]
          label: {en: Help, da: Hjælp}
      localized:
        da:
          callouts:
            - box: [350, 240, 80, 30]
            - ring: [5, 2, 50, 15]
            - arrow: [390, 235]
            - marker: [25, 275]
",
    ));
    site.build(&["html"]).expect_code(0);

    for (lang, width, height) in [("en", 960, 600), ("da", 480, 300)] {
        let page = site.page(lang);
        let figure = page
            .select(&sel("li[data-step=\"1\"] figure.screenshot"))
            .next()
            .expect("the step's figure");
        let img = figure.select(&sel("img")).next().expect("img");
        assert_eq!(number(&img, "width"), f64::from(width), "{lang}");
        assert_eq!(number(&img, "height"), f64::from(height), "{lang}");
        // The overlay's coordinates are the image's pixels, whatever width the page shows it at: its
        // viewBox is the image's size and it lies over the image's box (see style.css).
        let svg = figure
            .select(&sel("svg.shot-callouts"))
            .next()
            .expect("the callouts' SVG");
        assert_eq!(attr(&svg, "viewBox"), format!("0 0 {width} {height}"));
        assert_eq!(attr(&svg, "preserveAspectRatio"), "none");
        assert_eq!(attr(&svg, "aria-hidden"), "true");
        let callout = |n: usize| {
            svg.select(&sel(&format!("[data-callout=\"{n}\"]")))
                .next()
                .unwrap_or_else(|| panic!("{lang}: no data-callout={n}"))
        };
        let rect = callout(1).select(&sel("rect")).next().expect("box");
        let ellipse = callout(2).select(&sel("ellipse")).next().expect("ring");
        let head = callout(3).select(&sel("polygon")).next().expect("arrow");
        let badge = callout(4).select(&sel("circle")).next().expect("marker");
        let at = |r: &scraper::ElementRef, names: [&str; 4]| names.map(|n| number(r, n));
        if lang == "en" {
            assert_eq!(
                at(&rect, ["x", "y", "width", "height"]),
                [700.0, 480.0, 160.0, 60.0]
            );
            assert_eq!(
                at(&ellipse, ["cx", "cy", "rx", "ry"]),
                [60.0, 20.0, 50.0, 15.0]
            );
            assert!(attr(&head, "points").starts_with("780,470 "));
            assert_eq!((number(&badge, "cx"), number(&badge, "cy")), (50.0, 550.0));
        } else {
            assert_eq!(
                at(&rect, ["x", "y", "width", "height"]),
                [350.0, 240.0, 80.0, 30.0]
            );
            assert_eq!(
                at(&ellipse, ["cx", "cy", "rx", "ry"]),
                [30.0, 9.5, 25.0, 7.5]
            );
            assert!(attr(&head, "points").starts_with("390,235 "));
            assert_eq!((number(&badge, "cx"), number(&badge, "cy")), (25.0, 275.0));
        }
        // Numbered where a label says what the number stands for (and a marker always).
        assert_eq!(callout(1).select(&sel("circle")).count(), 1);
        assert_eq!(callout(2).select(&sel("circle")).count(), 0);
        // The labels are text under the picture, in the page's language.
        let labels: Vec<String> = figure
            .select(&sel(".shot-callout-list li"))
            .map(|li| {
                li.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let expected = if lang == "en" {
            ["1 Next", "4 Help"]
        } else {
            ["1 Næste", "4 Hjælp"]
        };
        assert_eq!(labels, expected, "{lang}");
    }
}

#[test]
fn callouts_outside_the_image_or_of_a_bad_shape_are_errors_where_written() {
    let site = Site::new();
    site.write(
        "guides/shots/next.png",
        encode(&screenshot(), image::ImageFormat::Png),
    );
    let file = site.guide(&guide(
        "      src: next.png
      alt: The window
      callouts:
        - box: [900, 500, 100, 60]
        - marker: [50, 650]
        - arrow: [10, 10]
          from: [2000, 10]
      redact: [[0, 590, 20, 20]]
",
    ));
    let run = site.build(&["html"]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "[900, 500"),
        "callout 1 is outside `next.png`, which is 960×600 pixels",
        Some("x from 0 to 960, y from 0 to 600"),
    );
    run.expect_error(
        &location_of(&file, "[50, 650]"),
        "callout 2 is outside",
        Some("guidegen grid"),
    );
    run.expect_error(
        &location_of(&file, "[2000, 10]"),
        "callout 3 is outside",
        Some("x from 0 to 960"),
    );
    run.expect_error(
        &location_of(&file, "[0, 590"),
        "redacted region 1 is outside",
        None,
    );
    assert!(!site.out().exists(), "nothing is published");

    let file = site.guide(&guide(
        "      src: next.png
      alt: The window
      callouts:
        - box: [10, 10, 0, 20]
        - ring: [10, 10]
        - label: Nothing
        - box: [1, 1, 5, 5]
          marker: [1, 1]
        - marker: [-1, 5]
",
    ));
    let run = site.build(&["html"]);
    run.expect_code(1);
    run.expect_error(&location_of(&file, "[10, 10, 0"), "has no area", None);
    run.expect_error(
        &location_of(&file, "[10, 10]\n"),
        "`ring` takes 4 numbers, [x, y, width, height]; this has 2",
        None,
    );
    run.expect_error(
        &location_of(&file, "label: Nothing"),
        "callout 3 has no shape",
        Some("`box: [x, y, width, height]`"),
    );
    run.expect_error(
        &location_of(&file, "[1, 1]\n"),
        "callout 4 has both `box` and `marker`",
        None,
    );
    run.expect_error(
        &location_of(&file, "[-1, 5]"),
        "negative or invalid number",
        None,
    );

    // A language's own coordinates: for its own file, the same callouts, without labels.
    let file = site.guide(&guide(
        "      src: next.png
      alt: The window
      callouts:
        - box: [700, 480, 160, 60]
          label: Next
      localized:
        da:
          callouts: [{box: [1, 1, 5, 5]}, {marker: [3, 3]}]
        en:
          callouts: [{box: [1, 1, 5, 5], label: Next}]
",
    ));
    let run = site.build(&["html"]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "[{box: [1, 1, 5, 5]}, {marker"),
        "`localized: da` places 2 callouts, and the screenshot has 1",
        Some("the same callouts, in the same order"),
    );
    run.expect_error(
        &location_of(&file, "Next}]"),
        "take their labels from the main list",
        None,
    );
    let file = site.guide(&guide(
        "      src: next.png
      alt: The window
      callouts:
        - box: [700, 480, 160, 60]
      localized:
        da: {callouts: [{box: [1, 1, 5, 5]}]}
",
    ));
    let run = site.build(&["html"]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "{callouts: [{box"),
        "`localized: da` places the screenshot's callouts for `next.da.png`, which does not exist",
        Some("add `next.da.png`"),
    );
}

/// Every pixel of the secret in every PNG and JPEG of the output and in every image of its PDFs,
/// and the output's files that hold an original file whole.
fn secrets_in_output(site: &Site) -> (usize, Vec<PathBuf>) {
    let originals: Vec<Vec<u8>> = ["next.png", "photo.jpg"]
        .iter()
        .filter_map(|f| std::fs::read(site.root.join("guides/shots").join(f)).ok())
        .collect();
    let mut pixels = 0;
    let mut copies = Vec::new();
    for (path, bytes) in site.outputs() {
        // A PDF may embed a JPEG as it is.
        if originals
            .iter()
            .any(|o| bytes.windows(o.len()).any(|w| w == o.as_slice()))
        {
            copies.push(path.clone());
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("png") => pixels += secret_pixels(&bytes, image::ImageFormat::Png),
            Some("jpg") => pixels += secret_pixels(&bytes, image::ImageFormat::Jpeg),
            Some("pdf") => pixels += pdf_secret_pixels(&path),
            _ => {}
        }
    }
    (pixels, copies)
}

fn secret_pixels(bytes: &[u8], format: image::ImageFormat) -> usize {
    let tolerance = if format == image::ImageFormat::Jpeg {
        24
    } else {
        0
    };
    image::load_from_memory_with_format(bytes, format)
        .expect("a published image decodes")
        .to_rgb8()
        .pixels()
        .filter(|p| is_secret(p, tolerance))
        .count()
}

/// The secret's pixels in the images of a PDF: JPEGs decoded, other images (deflated RGB samples,
/// as typst embeds them) searched for two of its pixels in a row.
fn pdf_secret_pixels(pdf: &Path) -> usize {
    let doc = lopdf::Document::load(pdf).expect("a PDF");
    let run: Vec<u8> = SECRET.iter().chain(SECRET.iter()).copied().collect();
    let mut found = 0;
    let mut images = 0;
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let is_image = stream
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"Image");
        if !is_image {
            continue;
        }
        images += 1;
        let dct = stream
            .dict
            .get(b"Filter")
            .and_then(|f| f.as_name())
            .is_ok_and(|n| n == b"DCTDecode");
        if dct {
            found += secret_pixels(&stream.content, image::ImageFormat::Jpeg);
        } else {
            let samples = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            found += samples
                .windows(run.len())
                .filter(|w| *w == run.as_slice())
                .count();
        }
    }
    assert!(images > 0, "{} has images", pdf.display());
    found
}

#[test]
fn redacted_pixels_are_replaced_in_every_published_file() {
    let site = Site::new();
    site.write(
        "guides/shots/next.png",
        encode(&screenshot(), image::ImageFormat::Png),
    );
    let photo = image::DynamicImage::ImageRgb8(screenshot());
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&photo)
        .unwrap();
    site.write("guides/shots/photo.jpg", &jpeg);
    let [x, y, w, h] = SECRET_AT;
    let two_shots = |redact: &str| {
        format!(
            "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot:\n      src: next.png\n      alt: The window\n{redact}  - action: And here.\n    screenshot:\n      src: photo.jpg\n      alt: The same, as a photo\n{redact}"
        )
    };

    // Without redaction the secret is published: the checks below can see it.
    site.guide(&two_shots(""));
    site.build(&[]).expect_code(0);
    let (pixels, copies) = secrets_in_output(&site);
    assert!(pixels > 0 && !copies.is_empty());
    for lang in ["en", "da"] {
        let pdf = site.out().join(format!("{lang}/shots/shots-{lang}.pdf"));
        assert!(pdf_secret_pixels(&pdf) > 0, "{}", pdf.display());
    }

    // Redacted (a little wider than the secret, as an author would).
    site.guide(&two_shots(&format!(
        "      redact: [[{}, {}, {}, {}]]\n",
        x - 2,
        y - 2,
        w + 4,
        h + 4
    )));
    let run = site.build(&[]);
    run.expect_code(0);
    let (pixels, copies) = secrets_in_output(&site);
    assert_eq!(pixels, 0, "no pixel of the secret in any published image");
    assert!(
        copies.is_empty(),
        "the originals are not published: {copies:?}"
    );
    // The region is the fill colour, and the rest is as it was.
    let folder = site.out().join("en/shots");
    let png = image::open(folder.join("next.png")).unwrap().to_rgb8();
    assert_eq!(png.dimensions(), (960, 600));
    assert_eq!(png.get_pixel(x + 5, y + 5).0, [0x40, 0x40, 0x40]);
    assert_eq!(png.get_pixel(x - 2, y - 2).0, [0x40, 0x40, 0x40]);
    assert_eq!(png.get_pixel(x - 3, y - 3).0, [250, 250, 250]);
    assert_eq!(png.get_pixel(750, 500).0, [0, 103, 184]);
    let jpg = image::open(folder.join("photo.jpg")).unwrap().to_rgb8();
    for (px, py) in [
        (x + 5, y + 5),
        (x + w / 2, y + h / 2),
        (x + w - 5, y + h - 5),
    ] {
        let p = jpg.get_pixel(px, py).0;
        assert!(
            p.iter().all(|c| c.abs_diff(0x40) <= 6),
            "the JPEG's redacted pixel at {px},{py} is {p:?}"
        );
    }
    // The renditions are made from the redacted image.
    assert!(folder.join("next.480w.png").is_file());
    // Same input, same bytes: every file of the site. (The build's own record, `.guidegen-cache`,
    // also holds the input files' times once they are a moment old.)
    let site_files = |files: Vec<(PathBuf, Vec<u8>)>| {
        files
            .into_iter()
            .filter(|(path, _)| !path.ends_with(".guidegen-cache"))
            .collect::<Vec<_>>()
    };
    let before = site_files(site.outputs());
    site.build(&[]).expect_code(0);
    for ((path, a), (_, b)) in before.iter().zip(site_files(site.outputs())) {
        assert!(*a == b, "{} differs between two builds", path.display());
    }
}

#[test]
fn an_svg_is_covered_and_its_text_there_is_warned_about() {
    let site = Site::new();
    site.write(
        "guides/shots/login.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#fff"/><text x="20" y="60" font-size="20">abc@dmjx.dk</text></svg>"##,
    );
    let file = site.guide(&guide(
        "      src: login.svg
      alt: The sign-in page
      redact: [[15, 38, 140, 30], [300, 250, 50, 20]]
",
    ));
    let run = site.build(&["html"]);
    run.expect_code(0);
    let warnings = diagnostics(&run.stderr, "warning");
    let at = location_of(&file, "[15, 38");
    let warning = warnings
        .iter()
        .find(|d| d.location == at)
        .unwrap_or_else(|| panic!("no warning at {at}: {}", run.stderr));
    assert!(warning.message.contains("has text under redacted region 1"));
    assert_eq!(warnings.len(), 1, "region 2 holds no text");
    let published =
        std::fs::read_to_string(site.out().join("en/shots/login.svg")).expect("published SVG");
    assert!(
        published.contains(r##"<rect x="15" y="38" width="140" height="30" fill="#404040"/>"##)
    );
    // Drawn last: over everything.
    assert!(published.trim_end().ends_with("</svg></svg>"));
    let tree = resvg::usvg::Tree::from_str(&published, &resvg::usvg::Options::default())
        .expect("still a valid SVG");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(400, 300).unwrap();
    resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
    let pixel = pixmap.pixel(80, 50).unwrap();
    assert_eq!(
        (pixel.red(), pixel.green(), pixel.blue()),
        (0x40, 0x40, 0x40)
    );
}

#[test]
fn renditions_exist_at_the_sizes_the_page_declares() {
    let site = Site::new();
    let big = image::RgbImage::from_fn(2560, 1600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    site.write(
        "guides/shots/big.png",
        encode(&big, image::ImageFormat::Png),
    );
    site.write(
        "guides/shots/phone.png",
        encode(
            &image::RgbImage::from_pixel(390, 844, image::Rgb([240, 240, 240])),
            image::ImageFormat::Png,
        ),
    );
    site.guide(
        "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot: {src: big.png, alt: A large screen}\n  - device: phone\n    action: And here.\n    screenshot: {src: phone.png, alt: A phone}\n",
    );
    site.build(&["html"]).expect_code(0);
    let page = site.page("en");
    let folder = site.out().join("en/shots");
    let imgs: Vec<_> = page.select(&sel("figure.screenshot img")).collect();
    assert_eq!(imgs.len(), 2);

    let big_img = &imgs[0];
    assert_eq!(attr(big_img, "src"), "big.png");
    assert_eq!(
        (attr(big_img, "width"), attr(big_img, "height")),
        ("2560", "1600")
    );
    assert!(attr(big_img, "sizes").contains("100vw"));
    let mut declared = Vec::new();
    for candidate in attr(big_img, "srcset").split(", ") {
        let (src, w) = candidate.split_once(' ').expect("url and width");
        let w: u32 = w.strip_suffix('w').expect("a width").parse().unwrap();
        let (fw, fh) = image::image_dimensions(folder.join(src)).expect("the rendition exists");
        assert_eq!(fw, w, "{src} is as wide as srcset says");
        assert_eq!(fh, 1600 * w / 2560, "{src} keeps the proportions");
        declared.push((src.to_owned(), w));
    }
    assert_eq!(
        declared,
        [
            ("big.480w.png".to_owned(), 480),
            ("big.960w.png".to_owned(), 960),
            ("big.1920w.png".to_owned(), 1920),
            ("big.png".to_owned(), 2560)
        ]
    );
    // The original stays, behind "open full size".
    let full = page
        .select(&sel("figure.screenshot a.full-size"))
        .next()
        .expect("an open-full-size link");
    assert_eq!(attr(&full, "href"), "big.png");
    assert!(full.text().collect::<String>().contains("2560 × 1600"));

    // A phone's screenshot is already small: no renditions, and its height is capped on screen.
    let phone = &imgs[1];
    assert_eq!(phone.value().attr("srcset"), None);
    let figure = page
        .select(&sel("li[data-step=\"2\"] figure.screenshot-tall"))
        .next();
    assert!(
        figure.is_some(),
        "a tall screenshot is marked for its height cap"
    );
    assert!(!folder.join("phone.480w.png").exists());
}

/// `image` encoded as `format` with the EXIF orientation 6: "turn 90° clockwise to show", as a phone
/// held upright stores a photo.
fn encode_turned(image: &image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    use image::ImageEncoder;
    // A TIFF header and one entry: Orientation (0x0112), a SHORT, 6.
    let exif = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
    let (w, h) = image.dimensions();
    let rgb = image::ExtendedColorType::Rgb8;
    let mut bytes = Vec::new();
    if format == image::ImageFormat::Png {
        let mut encoder = image::codecs::png::PngEncoder::new(&mut bytes);
        encoder.set_exif_metadata(exif).expect("exif");
        encoder.write_image(image, w, h, rgb).expect("encode");
    } else {
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 95);
        encoder.set_exif_metadata(exif).expect("exif");
        encoder.write_image(image, w, h, rgb).expect("encode");
    }
    bytes
}

#[test]
fn a_photo_turned_by_its_exif_orientation_is_sized_scaled_and_redacted_as_it_is_shown() {
    let site = Site::new();
    // Shown 1200 × 1600 (portrait), stored 1600 × 1200 and turned by its EXIF orientation: a phone
    // photo of a screen. Upright, its top half is light and its bottom half dark.
    let upright = image::RgbImage::from_fn(1200, 1600, |_, y| {
        image::Rgb(if y < 800 { [235; 3] } else { [20; 3] })
    });
    let stored = image::imageops::rotate270(&upright);
    site.write(
        "guides/shots/photo.jpg",
        encode_turned(&stored, image::ImageFormat::Jpeg),
    );
    site.write(
        "guides/shots/secret.png",
        encode_turned(&stored, image::ImageFormat::Png),
    );
    // The region as the author sees it (upright): within 1200 × 1600, past the stored height.
    site.guide(
        "title: Shots\nsteps:\n  - device: phone\n    action: Look.\n    screenshot: {src: photo.jpg, alt: A photo of the screen}\n  - device: phone\n    action: And here.\n    screenshot: {src: secret.png, alt: The same with a code hidden, redact: [[100, 1400, 300, 100]]}\n",
    );
    site.build(&["html"]).expect_code(0);
    let page = site.page("en");
    let folder = site.out().join("en/shots");
    let imgs: Vec<_> = page.select(&sel("figure.screenshot img")).collect();
    assert_eq!(imgs.len(), 2);
    for img in &imgs {
        assert_eq!((attr(img, "width"), attr(img, "height")), ("1200", "1600"));
    }
    // Each rendition upright: light above, dark below, as tall as its width says.
    for candidate in attr(&imgs[0], "srcset")
        .split(", ")
        .filter(|c| !c.starts_with("photo.jpg"))
    {
        let (src, w) = candidate.split_once(' ').expect("url and width");
        let w: u32 = w.trim_end_matches('w').parse().expect("a width");
        let rendition = image::open(folder.join(src))
            .expect("the rendition")
            .to_rgb8();
        assert_eq!(rendition.dimensions(), (w, w * 4 / 3), "{src}");
        assert!(
            rendition.get_pixel(w / 2, w / 6).0[0] > 200,
            "{src}: light at the top"
        );
        assert!(
            rendition.get_pixel(w / 2, w * 7 / 6).0[0] < 60,
            "{src}: dark at the bottom"
        );
    }
    // Redacted where the author marked it, written upright (the published file has no orientation
    // left to turn it by).
    let redacted = image::open(folder.join("secret.png"))
        .expect("published")
        .to_rgb8();
    assert_eq!(redacted.dimensions(), (1200, 1600));
    assert_eq!(
        redacted.get_pixel(200, 1450).0,
        [0x40; 3],
        "inside the region"
    );
    assert_eq!(redacted.get_pixel(600, 1450).0, [20; 3], "beside it");
    assert_eq!(redacted.get_pixel(200, 400).0, [235; 3], "above it");
}

/// The highest memory use a process reached, from Linux's /proc, in bytes.
#[cfg(target_os = "linux")]
fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A PNG that claims `width`×`height` pixels and holds one compressed row of them: the start of a
/// decompression bomb.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    // Encoded at a size a test can make, then the header's size raised: a decoder that believed it
    // would allocate width × height × 3 bytes.
    let mut png = encode(
        &image::RgbImage::from_pixel(64, 64, image::Rgb([1, 2, 3])),
        image::ImageFormat::Png,
    );
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = {
        let mut crc = 0xffff_ffffu32;
        for &byte in &png[12..29] {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    };
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn a_decompression_bomb_is_refused_quickly_with_little_memory() {
    let site = Site::new();
    site.write("guides/shots/bomb.png", bomb(30_000, 30_000));
    // Redaction and renditions both decode: the bomb must be refused before either.
    let file = site.guide(&guide(
        "      src: bomb.png
      alt: A bomb
      redact: [[0, 0, 10, 10]]
      callouts: [{box: [1, 1, 5, 5]}]
",
    ));
    let out = site.out();
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(BIN)
        .args([
            "build".as_ref(),
            site.root.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("guidegen starts");
    let mut peak = 0;
    let status = loop {
        #[cfg(target_os = "linux")]
        if let Some(now) = peak_memory(child.id()) {
            peak = peak.max(now);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the bomb is still being decoded"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(1), "{stderr}");
    let at = location_of(&file, "bomb.png");
    assert!(
        stderr.contains(&format!(
            "{at}: error: `bomb.png` is 30000×30000 pixels, more than guidegen accepts"
        )),
        "{stderr}"
    );
    // 30000 × 30000 × 3 bytes would be 2.7 GB.
    assert!(
        peak < 400 * 1024 * 1024,
        "guidegen used {} MB on a bomb",
        peak / (1024 * 1024)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn the_pdf_draws_callouts_where_the_page_does() {
    // Rendered with poppler's pdftoppm, as CI does for the QR codes.
    if !common::installed("pdftoppm") {
        return;
    }
    let site = Site::new();
    site.write(
        "guides/shots/grey.png",
        encode(
            &image::RgbImage::from_pixel(1000, 600, image::Rgb([128, 128, 128])),
            image::ImageFormat::Png,
        ),
    );
    site.guide(&guide(
        "      src: grey.png
      alt: A grey window
      callouts:
        - box: [600, 300, 200, 100]
        - ring: [100, 100, 150, 100]
",
    ));
    site.build(&["pdf"]).expect_code(0);
    let pdf = site.out().join("en/shots/shots-en.pdf");
    let page = rendered_pages(&pdf, &site.out(), &["-r", "100", "-f", "1", "-l", "1"]).remove(0);
    // The picture: the box of its grey pixels.
    let bbox = |keep: &dyn Fn(&image::Rgb<u8>) -> bool, within: Option<(f64, f64, f64, f64)>| {
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for (x, y, p) in page.enumerate_pixels() {
            let inside = within.is_none_or(|(a, b, c, d)| {
                (a..=c).contains(&f64::from(x)) && (b..=d).contains(&f64::from(y))
            });
            if inside && keep(p) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
        assert!(x0 <= x1, "nothing found");
        (
            f64::from(x0),
            f64::from(y0),
            f64::from(x1 + 1),
            f64::from(y1 + 1),
        )
    };
    let grey = |p: &image::Rgb<u8>| p.0.iter().all(|c| c.abs_diff(128) <= 3);
    let yellow = |p: &image::Rgb<u8>| p.0[0] > 220 && (180..=225).contains(&p.0[1]) && p.0[2] < 60;
    let (ix, iy, ix1, iy1) = bbox(&grey, None);
    let scale = (ix1 - ix) / 1000.0;
    assert!(
        ((iy1 - iy) / scale - 600.0).abs() < 8.0,
        "the picture keeps its proportions"
    );
    // Each callout's bright stroke, found on its side of the picture, is where its coordinates say,
    // give or take the stroke's width.
    let tolerance = 12.0 * scale + 2.0;
    for (region, half) in [
        ((600.0, 300.0, 200.0, 100.0), (0.5, 1.0)),
        ((100.0, 100.0, 150.0, 100.0), (0.0, 0.5)),
    ] {
        let within = (ix + half.0 * (ix1 - ix), iy, ix + half.1 * (ix1 - ix), iy1);
        let (x0, y0, x1, y1) = bbox(&yellow, Some(within));
        let expected = (
            ix + region.0 * scale,
            iy + region.1 * scale,
            ix + (region.0 + region.2) * scale,
            iy + (region.1 + region.3) * scale,
        );
        for (found, wanted) in [
            (x0, expected.0),
            (y0, expected.1),
            (x1, expected.2),
            (y1, expected.3),
        ] {
            assert!(
                (found - wanted).abs() <= tolerance,
                "callout at {region:?}: found {:?}, expected {expected:?}",
                (x0, y0, x1, y1)
            );
        }
    }
}

#[test]
fn callout_labels_are_translated_like_every_text() {
    let site = Site::new();
    site.write(
        "guides/shots/a.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>"#,
    );
    let file = site.guide(
        "title: G\nsteps:\n  - {device: computer, action: Do, screenshot: {src: a.svg, alt: A, callouts: [{box: [1, 1, 5, 5], label: Next}, {marker: [3, 3]}]}}\n",
    );
    // The label is a text to translate, named by its slot.
    let status = run(&[&"i18n", &"status", &site.root, &"--format", &"json"]);
    assert!(
        status.stdout.contains("step.1.callout.1"),
        "{}",
        status.stdout
    );
    run(&[&"i18n", &"export", &site.root]).expect_code(0);
    let po = site.root.join("translations/da/shots.po");
    let text = std::fs::read_to_string(&po).expect("the PO file");
    assert!(
        text.contains("msgctxt \"shots|step.1.callout.1\"\nmsgid \"Next\"\nmsgstr \"\""),
        "{text}"
    );
    assert!(text.contains("the label of callout 1"), "{text}");
    std::fs::write(
        &po,
        text.replace(
            "msgid \"Next\"\nmsgstr \"\"",
            "msgid \"Next\"\nmsgstr \"Næste\"",
        ),
    )
    .unwrap();
    run(&[&"i18n", &"import", &site.root, &po]).expect_code(0);
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(
        yaml.contains("label: {en: Next, da: {text: Næste, source: "),
        "{yaml}"
    );
    site.build(&["html"]).expect_code(0);
    let page = site.page("da");
    let label = page
        .select(&sel("[data-callout-label=\"1\"]"))
        .next()
        .expect("the label under the image");
    assert!(label.text().collect::<String>().contains("Næste"));
}

#[test]
fn a_redacted_screenshot_stays_redacted_where_a_text_links_to_it_or_a_step_shows_it_again() {
    let site = Site::new();
    site.write(
        "guides/shots/next.png",
        encode(&screenshot(), image::ImageFormat::Png),
    );
    let [x, y, w, h] = SECRET_AT;
    let redact = format!("      redact: [[{x}, {y}, {w}, {h}]]\n");
    // A text links to the file and shows it inline before the step that redacts it: the link, the
    // inline image and the PDF's drawing of it all get the redacted bytes.
    site.guide(&format!(
        "title: Shots\nsteps:\n  - device: computer\n    action: \"See [the full picture](next.png): ![The window](./next.png)\"\n  \
         - action: Select **Next**.\n    screenshot:\n      src: next.png\n      alt: The window\n{redact}"
    ));
    site.build(&[]).expect_code(0);
    let page = std::fs::read_to_string(site.out().join("en/shots/index.html")).unwrap();
    assert!(page.contains("href=\"next.png\""), "the link is kept");
    let (pixels, copies) = secrets_in_output(&site);
    assert_eq!(pixels, 0, "no pixel of the secret in any published file");
    assert!(
        copies.is_empty(),
        "the original is not published: {copies:?}"
    );

    // A second step showing the same file without `redact:` would publish one of the two; so would
    // the file as a video's poster, which has no `redact:` (the PDF draws it in the video's place).
    // An error at the second use, naming the first, and nothing is written.
    std::fs::remove_dir_all(site.out()).unwrap();
    let first_uses = [
        "screenshot: next.png",
        // The same file, spelled otherwise.
        "screenshot: {src: ./next.png, alt: The window}",
        "video: {title: How, url: \"https://www.youtube.com/watch?v=abc\", poster: next.png}",
    ];
    for first in first_uses {
        site.guide(&format!(
            "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    {first}\n  \
             - action: Select **Next**.\n    screenshot:\n      src: next.png\n      alt: The window\n{redact}"
        ));
        let run = site.build(&[]);
        run.expect_code(1);
        let said = "guide.yaml:8:12: error: `next.png` is redacted differently in two places: \
                    1 redacted region here, no `redact:` at line 5";
        assert!(run.stderr.contains(said), "{first}: {}", run.stderr);
        assert!(
            run.stderr.contains("the same `redact:` list"),
            "{}",
            run.stderr
        );
        assert!(!site.out().exists(), "nothing is written");
    }
    // The same regions in both (in any order): one file, redacted.
    let two = format!("      redact: [[0, 0, 10, 10], [{x}, {y}, {w}, {h}]]\n");
    let two_reversed = format!("      redact: [[{x}, {y}, {w}, {h}], [0, 0, 10, 10]]\n");
    site.guide(&format!(
        "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot:\n      src: next.png\n      alt: The window\n{two}  \
         - action: Select **Next**.\n    screenshot:\n      src: next.png\n      alt: The window\n{two_reversed}"
    ));
    site.build(&[]).expect_code(0);
    assert_eq!(secrets_in_output(&site).0, 0);
}

#[test]
fn an_image_named_by_its_web_address_says_to_save_the_file_in_the_guide() {
    let site = Site::new();
    site.guide(
        "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    \
         screenshot: https://intra.example.edu/img/login.png?v=2\n  \
         - action: Watch.\n    video: {title: How, url: \"https://www.youtube.com/watch?v=abc\", poster: \"//cdn.example.edu/still.jpg\"}\n  \
         - action: \"Tap ![the button](https://intra.example.edu/img/ok.png), [or read](https://intra.example.edu/help).\"\n",
    );
    let run = site.build(&[]);
    run.expect_code(1);
    let address = "is an address, not a file of the guide";
    // An image in a text, too: every reader's browser would fetch it (in a translation, a tracking
    // pixel). A link to the web stays a link.
    let on_the_web =
        "is on the web, not a file of the guide: every reader's browser would fetch it";
    for (said, name) in [
        (
            format!(
                "guide.yaml:5:17: error: `https://intra.example.edu/img/login.png?v=2` {address}"
            ),
            "login.png",
        ),
        (
            format!("guide.yaml:7:77: error: `//cdn.example.edu/still.jpg` {address}"),
            "still.jpg",
        ),
        (
            format!(
                "guide.yaml:8:32: error: image `https://intra.example.edu/img/ok.png` {on_the_web}"
            ),
            "ok.png",
        ),
    ] {
        assert!(run.stderr.contains(&said), "{said}\n{}", run.stderr);
        let hint =
            format!("fetches nothing: save the image there and name it, e.g. `shots/{name}`");
        assert!(run.stderr.contains(&hint), "{hint}\n{}", run.stderr);
    }
    // Nothing else is said of them (no "does not exist", no "not a supported image").
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the site has 3 errors"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn a_long_capture_is_shown_as_wide_as_a_computer_s_cut_into_pieces_that_pages_break_between() {
    if !common::installed("pdftoppm") {
        return;
    }
    // A page scrolled down and captured whole, 5 times as tall as wide: its red grows from 0 at
    // the top to 255 at the bottom, so that each part of it shown on paper says where it is from.
    let (width, height) = (400, 2000);
    let long = image::RgbImage::from_fn(width, height, |_, y| {
        image::Rgb([(y * 255 / (height - 1)) as u8, 128, 200])
    });
    let site = Site::new();
    site.write(
        "guides/shots/long.png",
        encode(&long, image::ImageFormat::Png),
    );
    site.guide(&format!(
        "{}  - action: Close the page.\n",
        guide("      src: long.png\n      alt: The whole settings page\n")
    ));
    site.build(&["html", "pdf"]).expect_code(0);

    // The page shows it as wide as it can, not held to a phone's height.
    let html = std::fs::read_to_string(site.out().join("en/shots/index.html")).unwrap();
    let figure = html
        .split("<figure")
        .find(|f| f.contains("long.png"))
        .expect("the step's figure");
    assert!(!figure.contains("screenshot-tall"), "{figure}");

    // The PDF embeds it once, and draws it 100 mm wide (the column, as a computer's screenshot),
    // its whole height (500 mm) on pieces across pages; held to a phone's 80 mm it was 16 mm wide.
    let pdf = site.out().join("en/shots/shots-en.pdf");
    let embedded = common::embedded_images(&std::fs::read(&pdf).unwrap());
    let copies = embedded.iter().filter(|(w, h, _)| (*w, *h) == (400, 2000));
    assert_eq!(copies.count(), 1, "embedded once");
    let pages = rendered_pages(&pdf, &site.out(), &["-r", "40"]);
    // Down every page, the rows of the capture as they come: each row's red and how wide it is.
    let mut rows: Vec<(u8, u32)> = Vec::new();
    let mut on_pages = 0;
    for page in &pages {
        let before = rows.len();
        for y in 0..page.height() {
            let of_capture: Vec<u8> = (0..page.width())
                .map(|x| page.get_pixel(x, y).0)
                .filter(|[_, g, b]| g.abs_diff(128) < 12 && b.abs_diff(200) < 12)
                .map(|[r, _, _]| r)
                .collect();
            if of_capture.len() > 20 {
                let middle = of_capture[of_capture.len() / 2];
                rows.push((middle, of_capture.len() as u32));
            }
        }
        on_pages += usize::from(rows.len() > before);
    }
    assert!(on_pages >= 2, "the capture is on {on_pages} page(s)");
    // 100 mm at 40 dpi is 157 px; 500 mm is 787 rows.
    let widest = rows.iter().map(|r| r.1).max().unwrap();
    assert!(
        (150..=160).contains(&widest),
        "shown {widest} px wide at 40 dpi"
    );
    assert!(
        (770..=800).contains(&rows.len()),
        "{} rows shown",
        rows.len()
    );
    // Every part of it, in order, once: from the top's red to the bottom's, never back, no jump.
    assert!(
        rows[0].0 < 8 && rows[rows.len() - 1].0 > 247,
        "{:?}",
        (rows[0], rows.last())
    );
    for pair in rows.windows(2) {
        let (a, b) = (i32::from(pair[0].0), i32::from(pair[1].0));
        assert!(
            (-2..=6).contains(&(b - a)),
            "the capture goes from red {a} to {b}"
        );
    }
}
