//! Hostile and huge input, as an attacker or an unlucky author writes it: each case is the minimal
//! reproducer of a hole once found, with the safe result it must now have — an error at
//! `path:line:column`, or a site with nothing executable and nothing from outside the site in it.

mod common;

use std::path::PathBuf;

use common::*;

/// A site in a temporary folder: guidegen.yaml and the guides written by the test.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(settings: &str) -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("guides")).expect("guides folder");
        std::fs::write(root.join("guidegen.yaml"), settings).expect("guidegen.yaml");
        Site { _tmp: tmp, root }
    }

    /// An English-only site.
    fn english() -> Site {
        Site::new("title: Hostile\nlanguages: [en]\n")
    }

    /// Writes `rel` (creating folders) and returns its path.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Writes `guides/<id>/guide.yaml`.
    fn guide(&self, id: &str, yaml: &str) -> PathBuf {
        self.write(&format!("guides/{id}/guide.yaml"), yaml)
    }

    fn out(&self) -> PathBuf {
        self.root.parent().expect("tmp").join("out")
    }

    fn check(&self) -> Run {
        run(&[&"check", &self.root])
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
}

/// A one-step guide showing `screenshot`.
fn guide_with_screenshot(screenshot: &str) -> String {
    format!(
        "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot: {{src: '{screenshot}', alt: The screen}}\n"
    )
}

/// A valid PNG of `width`×`height` pixels, one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([40, 90, 200]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode png");
    bytes
}

/// The first bytes of a PNG that claims `width`×`height` pixels of `bit_depth` grey: all a reader
/// needs to learn the size, and what a decompression bomb starts with.
fn png_header(width: u32, height: u32, bit_depth: u8) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[bit_depth, 0, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(&ihdr);
    bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // A little compressed data, so that the file is a PNG a decoder would start on.
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    bytes.extend_from_slice(b"IDAT");
    bytes.extend_from_slice(&crc32(b"IDAT").to_be_bytes());
    bytes
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
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
}

/// Whether a URL has a scheme (`javascript:`, `data:`, `https:` …) before any `/`, `?` or `#`.
fn scheme_of(url: &str) -> Option<String> {
    let head = url.split(['/', '?', '#']).next().unwrap_or_default();
    head.split_once(':').map(|(s, _)| s.to_ascii_lowercase())
}

// 1. A full build of a site with ~130 guides or more overflowed the stack (typst-pdf waiting for its
//    own work on a rayon worker ran other guides' renders nested on the same stack).
#[test]
fn three_hundred_guides_build_with_their_pdfs() {
    let site = Site::new("title: Many\nlanguages: [da, en]\n");
    for i in 0..300 {
        site.guide(
            &format!("guide-{i:03}"),
            &format!(
                "title: {{da: Vejledning {i}, en: Guide {i}}}\nsteps:\n  - device: computer\n    action: {{da: Klik på **Næste**., en: Click **Next**.}}\n  - device: phone\n    action: {{da: Åbn appen., en: Open the app.}}\n"
            ),
        );
    }
    let run = site.build(&[]);
    run.expect_code(0);
    let out = site.out();
    for i in [0, 149, 299] {
        for lang in ["da", "en"] {
            let pdf = out.join(format!("{lang}/guide-{i:03}/guide-{i:03}-{lang}.pdf"));
            let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
            assert!(bytes.starts_with(b"%PDF-"), "{} is a PDF", pdf.display());
        }
    }
    let pdfs = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(pdfs, 600);
}

// 2. A screenshot's file name became a link target unencoded: `javascript:alert(…).png` made a link
//    that ran code; names with `#` or `%` broke.
#[test]
fn screenshot_file_names_become_encoded_relative_urls() {
    let site = Site::english();
    let names = [
        "javascript:alert(document.domain).png",
        "a#b.png",
        "100%.png",
        "sk ærm?.png",
    ];
    let mut yaml = String::from("title: Shots\nsteps:\n");
    for (i, name) in names.iter().enumerate() {
        site.write(&format!("guides/shots/{name}"), png(4, 3));
        if i == 0 {
            yaml.push_str("  - device: computer\n");
        } else {
            yaml.push_str("  -\n");
        }
        yaml.push_str(&format!(
            "    action: Look.\n    screenshot: {{src: '{name}', alt: Screen}}\n"
        ));
    }
    site.guide("shots", &yaml);
    site.build(&["html"]).expect_code(0);
    let page = site.out().join("en/shots/index.html");
    let html = parse_html(&page);
    let mut seen = Vec::new();
    for img in html.select(&sel("figure.screenshot img")) {
        let src = img.value().attr("src").expect("src");
        let link = img
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .find(|a| a.value().name() == "a")
            .and_then(|a| a.value().attr("href"))
            .expect("the image's link");
        assert_eq!(link, src, "the link opens the image itself");
        assert_eq!(scheme_of(src), None, "`{src}` has no scheme");
        assert!(!src.contains('#') && !src.contains('?'), "{src}");
        let file = percent_decode(src);
        assert!(
            page.parent().unwrap().join(&file).is_file(),
            "`{src}` names the published file `{file}`"
        );
        seen.push(file);
    }
    seen.sort();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    assert_eq!(seen, expected);
}

const HOSTILE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <rect id="screen" width="40" height="30" fill="#def" onclick="alert(2)"/>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <a href="javascript:alert(3)"><text x="2" y="20">Next</text></a>
  <image href="/etc/hostname" width="5" height="5"/>
  <image xlink:href="http://example.com/x.png" width="5" height="5"/>
  <image href="../../guidegen.yaml" width="5" height="5"/>
  <image href="/dev/zero" width="5" height="5"/>
</svg>"##;

// 3 and 6. An SVG screenshot was published byte for byte (its script ran when opened full size), and
//    its `<image href>` was resolved against the working directory or as an absolute path.
#[test]
fn svg_screenshots_are_published_without_scripts_or_outside_references() {
    let site = Site::english();
    site.write("guides/svg/shots/evil.svg", HOSTILE_SVG);
    let file = site.guide("svg", &guide_with_screenshot("shots/evil.svg"));
    let check = site.check();
    check.expect_code(0);
    let warnings = diagnostics(&check.stderr, "warning");
    let warning = warnings
        .iter()
        .find(|w| w.location == location_of(&file, "'shots/evil.svg'"))
        .unwrap_or_else(|| panic!("a warning about what was removed:\n{}", check.stderr));
    assert!(warning.message.contains("<script>"), "{}", warning.message);
    assert!(
        warning.message.contains("/etc/hostname"),
        "{}",
        warning.message
    );

    site.build(&[]).expect_code(0);
    let published =
        std::fs::read_to_string(site.out().join("en/svg/shots/evil.svg")).expect("published SVG");
    for needle in [
        "<script",
        "onload",
        "onclick",
        "foreignObject",
        "javascript:",
        "/etc/hostname",
        "example.com",
        "guidegen.yaml",
        "/dev/zero",
    ] {
        assert!(
            !published.contains(needle),
            "`{needle}` reached the output:\n{published}"
        );
    }
    assert!(published.contains("Next"), "the text stays:\n{published}");
    assert!(
        published.contains("<rect"),
        "the drawing stays:\n{published}"
    );
}

// 3. Files linked from Markdown were copied verbatim, `evil.html` included.
#[test]
fn linked_files_are_limited_to_safe_types() {
    let site = Site::english();
    site.write("guides/links/evil.html", "<script>alert(1)</script>");
    site.write("guides/links/run.sh", "rm -rf ~");
    site.write("guides/links/files/form.pdf", "%PDF-1.4 form");
    site.write("guides/links/files/map.svg", HOSTILE_SVG);
    let file = site.guide(
        "links",
        "title: Links\nsteps:\n  - device: computer\n    action: See [the page](evil.html) and [the script](run.sh).\n",
    );
    let run = site.check();
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "evil.html)"),
        "`evil.html` is not a type of file guidegen publishes",
        Some("pdf"),
    );
    run.expect_error(
        &location_of(&file, "run.sh)"),
        "`run.sh` is not a type of file guidegen publishes",
        None,
    );

    site.guide(
        "links",
        "title: Links\nsteps:\n  - device: computer\n    action: Fill in [the form](files/form.pdf) by [the map](files/map.svg).\n",
    );
    site.build(&["html"]).expect_code(0);
    let folder = site.out().join("en/links");
    assert_eq!(
        std::fs::read(folder.join("files/form.pdf")).unwrap(),
        b"%PDF-1.4 form"
    );
    let map = std::fs::read_to_string(folder.join("files/map.svg")).unwrap();
    assert!(!map.contains("<script") && !map.contains("onload"), "{map}");
    assert!(!folder.join("evil.html").exists());
}

// 4. A linked file named `index.html` replaced the guide's page; one named like the guide's PDF
//    would replace the PDF.
#[test]
fn a_linked_file_never_replaces_a_generated_one() {
    let site = Site::new("title: T\nlanguages: [en, da]\n");
    site.write("guides/pages/index.html", "<h1>not the guide</h1>");
    site.write("guides/pages/pages-da.pdf", "%PDF-1.4 fake");
    let file = site.guide(
        "pages",
        "title: Pages\nsteps:\n  - device: computer\n    action: See [this](index.html) and [that](pages-da.pdf).\n",
    );
    let run = site.build(&[]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "index.html)"),
        "is not a type of file guidegen publishes",
        None,
    );
    run.expect_error(
        &location_of(&file, "pages-da.pdf)"),
        "could take the place of the guide's own PDF",
        Some("subfolder"),
    );
    assert!(!site.out().exists(), "a failed build writes nothing");
}

// 5. Symbolic links in templates/, locales/ and guidegen.yaml were followed out of the site and
//    published; a FIFO hung the build; /dev/zero ate memory.
#[cfg(unix)]
#[test]
fn site_files_that_lead_out_of_the_site_are_errors() {
    let cases: [(&str, &str); 4] = [
        ("templates/style.css", "/proc/self/environ"),
        ("templates/root.html", "/etc/passwd"),
        ("locales/en.yaml", "/dev/zero"),
        ("guidegen.yaml", "/dev/zero"),
    ];
    for (rel, target) in cases {
        let site = Site::english();
        site.guide(
            "ok",
            "title: Ok\nsteps:\n  - device: computer\n    action: Fine.\n",
        );
        let link = site.root.join(rel);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(target, &link).unwrap();
        let run = site.build(&["html"]);
        run.expect_code(1);
        run.expect_error(
            &format!("{}:1:1", link.display()),
            "is outside the site folder",
            Some("symbolic link"),
        );
        assert!(!site.out().exists(), "{rel}: nothing written");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_site_is_refused_without_hanging() {
    let site = Site::english();
    site.guide(
        "ok",
        "title: Ok\nsteps:\n  - device: computer\n    action: Fine.\n",
    );
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    let fifo = site.root.join("templates/style.css");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let run = site.build(&["html"]);
    run.expect_code(1);
    run.expect_error(
        &format!("{}:1:1", fifo.display()),
        "is not a regular file",
        None,
    );
}

// 6. An SVG's references could make `check` read /dev/stdin, and an http or relative reference
//    passed `check` and then failed the PDF as "a guidegen bug". Now they are removed on load, so
//    `check` and `build` agree and the PDF is made.
#[test]
fn svg_references_never_reach_the_pdf() {
    let site = Site::english();
    site.write(
        "guides/refs/shot.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#ccc"/><image href="/dev/stdin" width="5" height="5"/><image href="shot2.png" width="5" height="5"/><image href="https://example.com/a.png" width="5" height="5"/></svg>"##,
    );
    site.write("guides/refs/shot2.png", png(2, 2));
    site.guide("refs", &guide_with_screenshot("shot.svg"));
    site.check().expect_code(0);
    site.build(&["pdf"]).expect_code(0);
    let pdf = site.out().join("en/refs/refs-en.pdf");
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF-"));
}

// 7 (path forms). `shots/../shots/ok.png` passed `check` and failed `build`.
#[test]
fn paths_through_dot_dot_are_refused_by_check() {
    let site = Site::english();
    site.write("guides/dots/shots/ok.png", png(3, 3));
    let file = site.guide("dots", &guide_with_screenshot("shots/../shots/ok.png"));
    for run in [site.check(), site.build(&[])] {
        run.expect_code(1);
        run.expect_error(
            &location_of(&file, "'shots/../shots/ok.png'"),
            "goes through `..`",
            Some("without `..`"),
        );
    }
}

// 8. Memory out of proportion to input: huge images, huge files, tens of thousands of steps.
#[test]
fn images_too_large_to_decode_are_refused_quickly() {
    for (width, height, depth) in [(20_000, 20_000, 8), (100_000, 100_000, 1)] {
        let site = Site::english();
        site.write("guides/big/shot.png", png_header(width, height, depth));
        let file = site.guide("big", &guide_with_screenshot("shot.png"));
        let started = std::time::Instant::now();
        let run = site.build(&[]);
        run.expect_code(1);
        run.expect_error(
            &location_of(&file, "'shot.png'"),
            &format!("is {width}×{height} pixels, more than guidegen accepts"),
            Some("scale the screenshot down"),
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "refused without decoding"
        );
    }
}

#[test]
fn files_too_large_are_refused_without_reading_them_whole() {
    let site = Site::english();
    let shot = site.root.join("guides/sparse/shot.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    // A sparse gigabyte: it costs no disk, and must cost no memory either.
    std::fs::File::create(&shot)
        .and_then(|f| f.set_len(1 << 30))
        .unwrap();
    let file = site.guide("sparse", &guide_with_screenshot("shot.png"));
    let run = site.check();
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "'shot.png'"),
        "is larger than 20 MiB",
        None,
    );
}

#[test]
fn sixty_thousand_steps_are_one_clear_error() {
    let site = Site::english();
    let mut yaml = String::from("title: Long\nsteps:\n  - device: computer\n    action: a\n");
    for _ in 1..60_000 {
        yaml.push_str("  - action: a\n");
    }
    assert!(yaml.len() < 1024 * 1024, "under the file limit");
    let file = site.guide("long", &yaml);
    let run = site.build(&[]);
    run.expect_code(1);
    run.expect_error(
        &location_of(&file, "- device"),
        "the guide has 60000 steps, more than the 500 a guide may have",
        Some("split it"),
    );
    assert_eq!(run.error_locations().len(), 1, "one error:\n{}", run.stderr);
}

// 10. Two identical bad links on different lines were reported once, at the first line's position.
#[test]
fn the_same_bad_link_twice_is_reported_at_both_places() {
    let site = Site::english();
    let file = site.guide(
        "twice",
        "title: Twice\nsteps:\n  - device: computer\n    action: |\n      First [x](javascript:go()).\n\n      Then [x](javascript:go()) again.\n",
    );
    let run = site.check();
    run.expect_code(1);
    let text = std::fs::read_to_string(&file).unwrap();
    let line = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let mut lines: Vec<usize> = run
        .error_locations()
        .iter()
        .map(|l| l.rsplit(':').nth(1).unwrap().parse().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, vec![line("First"), line("Then")], "{}", run.stderr);
}
