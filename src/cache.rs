//! Write stage: what the previous build made from which input, kept in the output folder
//! (`.guidegen-cache`), so that a guide whose input did not change has its pages and PDFs taken over
//! from the previous output instead of being rendered again.
//!
//! A guide's fingerprint covers everything its files are made from: its guide.yaml, the bytes of
//! its screenshots, attachments, posters and captions, the digests of its videos, where it is
//! published, and the context — settings, catalogs, templates, the PDF date, the formats built, and
//! guidegen itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::model::{Guide, VideoSource};

/// The file in the output folder.
pub const CACHE_FILE: &str = ".guidegen-cache";

/// Its first line: a manifest of another format is ignored, never misread.
const HEADER: &str = "guidegen-cache 1";

/// For each guide: its fingerprint and the output files made from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    guides: BTreeMap<String, (String, Vec<String>)>,
}

impl Manifest {
    /// Reads a manifest; anything it cannot read is left out (a guide not in it is rendered).
    pub fn parse(text: &str) -> Manifest {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Manifest::default();
        }
        let mut guides = BTreeMap::new();
        for line in lines {
            let mut fields = line.split('\t');
            let (Some(id), Some(fingerprint)) = (fields.next(), fields.next()) else {
                continue;
            };
            let files = fields.map(str::to_owned).collect();
            guides.insert(id.to_owned(), (fingerprint.to_owned(), files));
        }
        Manifest { guides }
    }

    /// The manifest as a file: sorted, so that the same input gives the same bytes.
    /// How many guides the build that wrote this manifest published.
    pub fn guide_count(&self) -> usize {
        self.guides.len()
    }

    pub fn write(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for (id, (fingerprint, files)) in &self.guides {
            let _ = write!(out, "{id}\t{fingerprint}");
            for file in files {
                let _ = write!(out, "\t{file}");
            }
            out.push('\n');
        }
        out
    }

    /// The files made for `id` when its fingerprint was `fingerprint`.
    pub fn files(&self, id: &str, fingerprint: &str) -> Option<&[String]> {
        self.guides
            .get(id)
            .filter(|(f, _)| f == fingerprint)
            .map(|(_, files)| files.as_slice())
    }

    pub fn insert(&mut self, id: &str, fingerprint: String, mut files: Vec<String>) {
        files.sort();
        self.guides.insert(id.to_owned(), (fingerprint, files));
    }
}

/// A fingerprint being made: every part is length-prefixed, so that no two inputs run together.
pub struct Fingerprint(Sha256);

impl Fingerprint {
    pub fn new(kind: &str) -> Self {
        let mut hasher = Fingerprint(Sha256::new());
        hasher.part(kind.as_bytes());
        hasher
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// guidegen itself: its version and the executable's size and modification time, so that a new
/// build of guidegen (new templates, a new renderer) renders everything again.
pub fn tool_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    format!("{}:{exe}", env!("CARGO_PKG_VERSION"))
}

/// A guide's fingerprint: the context's, its file's text, its media, and its languages.
pub fn guide_fingerprint(
    context: &str,
    source: &str,
    guide: &Guide,
    languages: &[String],
) -> String {
    let mut f = Fingerprint::new("guide");
    f.part(context.as_bytes()).part(source.as_bytes());
    for step in guide.steps() {
        if let Some(shot) = &step.screenshot {
            f.part(shot.default.rel.as_bytes())
                .part(&shot.default.bytes);
            for (lang, image) in &shot.localized {
                f.part(lang.as_bytes())
                    .part(image.rel.as_bytes())
                    .part(&image.bytes);
            }
        }
    }
    for (rel, bytes) in &guide.attachments {
        f.part(rel.as_bytes()).part(bytes);
    }
    // A commit changes the date shown without changing any file of the guide.
    if let Some(updated) = guide.updated {
        f.part(updated.iso().as_bytes());
    }
    for video in guide.videos() {
        let (file, poster, captions) = match &video.source {
            VideoSource::Planned => continue,
            VideoSource::Local(local) => (Some(&local.file), &local.poster, Some(&local.captions)),
            VideoSource::Service(service) => (None, &service.poster, None),
        };
        // A video by its digest, taken while validating: never read again for this.
        if let Some(file) = file {
            f.part(file.rel.as_bytes()).part(&file.digest);
        }
        for image in poster
            .iter()
            .flat_map(|p| std::iter::once(&p.default).chain(p.localized.values()))
        {
            f.part(image.rel.as_bytes()).part(&image.bytes);
        }
        for (lang, captions) in captions.into_iter().flatten() {
            f.part(lang.as_bytes())
                .part(captions.rel.as_bytes())
                .part(&captions.bytes);
        }
    }
    for lang in languages {
        f.part(lang.as_bytes());
    }
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let mut manifest = Manifest::default();
        manifest.insert(
            "mfa",
            "abc".into(),
            vec!["en/mfa/index.html".into(), "da/mfa/index.html".into()],
        );
        manifest.insert("wifi", "def".into(), vec![]);
        let again = Manifest::parse(&manifest.write());
        assert_eq!(again, manifest);
        assert_eq!(
            again.files("mfa", "abc"),
            Some(
                &[
                    "da/mfa/index.html".to_owned(),
                    "en/mfa/index.html".to_owned()
                ][..]
            )
        );
        assert_eq!(again.files("mfa", "other"), None);
        assert_eq!(
            Manifest::parse("something else\nmfa\tabc\n"),
            Manifest::default()
        );
    }

    #[test]
    fn parts_do_not_run_together() {
        let one = {
            let mut f = Fingerprint::new("t");
            f.part(b"ab").part(b"c");
            f.finish()
        };
        let two = {
            let mut f = Fingerprint::new("t");
            f.part(b"a").part(b"bc");
            f.finish()
        };
        assert_ne!(one, two);
    }
}
