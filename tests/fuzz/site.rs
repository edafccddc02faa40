//! Throwaway sites on disk for the targets that run the loader and the build: a `guidegen.yaml`,
//! up to three guide folders with screenshots (good, localized, broken) and an attachment, and an
//! output folder beside the site.

use std::path::{Path, PathBuf};

use crate::corpus::repository;

/// `guidegen.yaml` of the test sites: two languages and an app, as the example site has.
pub const SITE_YAML: &str = "title: {da: Vejledninger, en: Guides}
languages: [da, en]
organization: Fuzz
apps:
  microsoft-authenticator:
    name: Microsoft Authenticator
    app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458
    google_play: https://play.google.com/store/apps/details?id=com.azure.authenticator
";

/// The same site, leaving guides out of a language until they are translated.
pub const SITE_YAML_OMIT: &str = "title: Vejledninger
languages: [da, en]
translation: {incomplete: omit}
";

const PLAIN_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#369"/></svg>"##;

pub struct TempSite {
    /// Removed when the site is dropped.
    dir: tempfile::TempDir,
}

impl TempSite {
    /// A site with `guides` guide folders (`guides/g1`…), none with a guide.yaml yet.
    pub fn new(guides: usize) -> TempSite {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = TempSite { dir };
        std::fs::create_dir_all(site.root()).expect("site folder");
        site.set_site_file(SITE_YAML);
        for n in 1..=guides {
            site.furnish(&site.guide_dir(n));
        }
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn guide_dir(&self, n: usize) -> PathBuf {
        self.root().join(format!("guides/g{n}"))
    }

    pub fn set_site_file(&self, text: &str) {
        std::fs::write(self.root().join("guidegen.yaml"), text).expect("write guidegen.yaml");
    }

    /// Writes guide `n`'s guide.yaml, or removes it (`None`).
    pub fn set_guide(&self, n: usize, text: Option<&[u8]>) {
        let file = self.guide_dir(n).join("guide.yaml");
        match text {
            Some(bytes) => std::fs::write(&file, bytes).expect("write guide.yaml"),
            None => {
                let _ = std::fs::remove_file(&file);
            }
        }
    }

    /// The screenshots and the attachment the structured guides refer to, and every screenshot
    /// of the example site, for the guides mutated from it.
    fn furnish(&self, dir: &Path) {
        let shots = dir.join("shots");
        std::fs::create_dir_all(&shots).expect("shots folder");
        std::fs::create_dir_all(dir.join("files")).expect("files folder");
        let example = repository().join("guides/mfa-setup/shots");
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(shots.join(name), bytes).expect("write a screenshot");
        };
        write("plain.svg", PLAIN_SVG.as_bytes());
        write(
            "a.svg",
            &std::fs::read(example.join("signin.svg")).expect("example shot"),
        );
        write(
            "a.da.svg",
            &std::fs::read(example.join("signin.da.svg")).expect("example shot"),
        );
        write("b.png", &tiny_png());
        write("bad.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"");
        write("c.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
        for folder in ["guides/mfa-setup/shots", "guides/wifi/eduroam/shots"] {
            for entry in std::fs::read_dir(repository().join(folder)).expect("example shots") {
                let path = entry.expect("example shot").path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                write(name, &std::fs::read(&path).expect("example shot"));
            }
        }
        std::fs::write(dir.join("files/form.pdf"), b"%PDF-1.4\n%%EOF\n").expect("attachment");
    }
}

/// A 3×2 PNG.
fn tiny_png() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(3, 2, image::Rgb([200, 30, 30]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}
