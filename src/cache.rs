//! Write stage: what the previous build made from which input, kept in the output folder
//! (`.guidegen-cache`), so that a guide whose input did not change has its pages and PDFs taken over
//! from the previous output instead of being rendered again.
//!
//! A guide's fingerprint covers everything its files are made from: its guide.yaml, the bytes of
//! its screenshots, attachments, posters and captions, the digests of its videos, where it is
//! published, and the context — settings, catalogs, templates, the PDF date, the formats built, and
//! guidegen itself.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::model::{Guide, VideoSource};
use crate::plan::Publication;

/// The file in the output folder.
pub const CACHE_FILE: &str = ".guidegen-cache";

/// Its first line: a manifest of another format is ignored, never misread. (3: a card keeps a
/// [`crate::model::StepSummary`] instead of its steps.)
const HEADER: &str = "guidegen-cache 3";

/// For each guide: its fingerprint, the output files made from it and, when its input files can
/// be trusted by their signature, what the rest of the build needs of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    guides: BTreeMap<String, Entry>,
}

/// What a build kept of one guide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Of everything its files were made from ([`guide_fingerprint`]).
    pub fingerprint: String,
    /// The output files made from it, sorted.
    pub files: Vec<String>,
    /// Set when the guide can be taken over without being read again: the [`InputStamp`] of its
    /// input files, and its [`Reusable`] (read only when the stamp still matches).
    pub reusable: Option<(String, Kept)>,
}

/// A guide's [`Reusable`] in a manifest: as JSON read from the previous one, or held by the build
/// (its card, publication and search places, which it keeps for the indexes anyway) and made into
/// JSON only as the manifest is written. Holding every guide's JSON until the end was about a
/// fifth of a 10,000-guide build's memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    Read(Json),
    Held,
}

impl From<String> for Kept {
    fn from(text: String) -> Kept {
        Kept::Read(text.into())
    }
}

/// A guide's [`Reusable`] as JSON: a part of the manifest's text as read (shared, never copied, by
/// every entry read from it and carried over to the next manifest), or a text of its own.
#[derive(Debug, Clone)]
pub struct Json {
    /// The whole text, moved in once (an `Arc<str>` would be a copy of a file of hundreds of MB).
    text: std::sync::Arc<String>,
    range: std::ops::Range<usize>,
}

impl Json {
    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl From<String> for Json {
    fn from(text: String) -> Json {
        let range = 0..text.len();
        Json {
            text: std::sync::Arc::new(text),
            range,
        }
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Json) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Json {}

/// What the rest of a build needs of a guide it did not read: its card, where it is published, and
/// its places for the search index. Only a guide without diagnostics is kept so.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reusable {
    pub card: Guide,
    pub publication: Publication,
    /// Its places by language, for the search index.
    pub search: Vec<(String, crate::search::GuideEntry)>,
}

/// A [`Reusable`] of what a build holds, for writing: the same JSON.
#[derive(Debug, serde::Serialize)]
pub struct HeldReusable<'a> {
    pub card: &'a Guide,
    pub publication: &'a Publication,
    pub search: Vec<(&'a str, &'a crate::search::GuideEntry)>,
}

impl Manifest {
    /// Reads a manifest; anything it cannot read is left out (a guide not in it is rendered). The
    /// text is kept, not copied: each entry's JSON is a part of it.
    pub fn parse(text: String) -> Manifest {
        if text.lines().next() != Some(HEADER) {
            return Manifest::default();
        }
        let shared = std::sync::Arc::new(text);
        let text = shared.as_str();
        // Where `part`, a slice of `text`, lies in it.
        let json_in = |part: &str| Json {
            text: std::sync::Arc::clone(&shared),
            range: {
                let start = part.as_ptr() as usize - text.as_ptr() as usize;
                start..start + part.len()
            },
        };
        let mut guides = BTreeMap::new();
        for line in text.lines().skip(1) {
            let mut fields = line.split('\t');
            let (Some(id), Some(fingerprint), Some(stamp), Some(json)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let reusable = (!stamp.is_empty() && !json.is_empty())
                .then(|| (stamp.to_owned(), Kept::Read(json_in(json))));
            let entry = Entry {
                fingerprint: fingerprint.to_owned(),
                files: fields.map(str::to_owned).collect(),
                reusable,
            };
            guides.insert(id.to_owned(), entry);
        }
        Manifest { guides }
    }

    /// How many guides the build that wrote this manifest published.
    pub fn guide_count(&self) -> usize {
        self.guides.len()
    }

    /// The manifest as a file: sorted, so that the same input gives the same bytes. JSON never
    /// holds a tab or a line break outside its strings, and escapes them inside. `held` gives what
    /// the build holds of a guide whose [`Reusable`] is [`Kept::Held`]; without it, the guide is
    /// written as one that cannot be taken over unread.
    pub fn write<'h>(self, held: impl Fn(&str) -> Option<HeldReusable<'h>>) -> String {
        let mut out = Vec::new();
        // Writing into memory does not fail.
        let _ = self.write_to(&mut out, held);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`Manifest::write`] into `out` line by line, never the whole text in memory (a large site's
    /// record is tens of MB, and the previous build's is still held while this one is written).
    /// Each entry is dropped once written; a held guide's JSON is made for its line only.
    pub fn write_to<'h>(
        self,
        out: &mut impl std::io::Write,
        held: impl Fn(&str) -> Option<HeldReusable<'h>>,
    ) -> std::io::Result<()> {
        writeln!(out, "{HEADER}")?;
        let mut made = Vec::new();
        for (id, entry) in self.guides {
            made.clear();
            let (stamp, json) = match &entry.reusable {
                Some((stamp, Kept::Read(json))) => (stamp.as_str(), json.as_str().as_bytes()),
                Some((stamp, Kept::Held))
                    if held(&id).is_some_and(|r| serde_json::to_writer(&mut made, &r).is_ok()) =>
                {
                    (stamp.as_str(), made.as_slice())
                }
                _ => ("", &[][..]),
            };
            write!(out, "{id}\t{}\t{stamp}\t", entry.fingerprint)?;
            out.write_all(json)?;
            for file in &entry.files {
                write!(out, "\t{file}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    /// The files made for `id` when its fingerprint was `fingerprint`.
    pub fn files(&self, id: &str, fingerprint: &str) -> Option<&[String]> {
        self.guides
            .get(id)
            .filter(|entry| entry.fingerprint == fingerprint)
            .map(|entry| entry.files.as_slice())
    }

    /// The entry of `id` when its input files still have the stamp `stamp`: the guide need not be
    /// read. `None` also when its kept JSON cannot be read back.
    pub fn reusable(&self, id: &str, stamp: &str) -> Option<(&Entry, Reusable)> {
        let entry = self.guides.get(id)?;
        let Some((kept, Kept::Read(json))) = &entry.reusable else {
            return None;
        };
        if kept != stamp {
            return None;
        }
        let reusable = serde_json::from_str(json.as_str()).ok()?;
        Some((entry, reusable))
    }

    pub fn insert(&mut self, id: &str, mut entry: Entry) {
        entry.files.sort();
        self.guides.insert(id.to_owned(), entry);
    }
}

/// The signature of a guide's input files: for every file and folder under the guide's folder, its
/// name, size, modification and change times and inode, over a key of everything outside it (the
/// context's fingerprint, the snippets, the git date). Like make's and git's index, it trusts
/// these: a file whose bytes change keeps none of them alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputStamp {
    pub signature: String,
    /// The newest modification time among the files: a stamp is kept only when that is older than
    /// the build's start by [`SETTLED`], so that a file changed within the same clock tick as it
    /// was looked at ("racily clean", in git's words) is never taken for unchanged. (Change times
    /// are in the signature, not here: setting a file's times back changes its change time.)
    pub newest: std::time::SystemTime,
}

/// How long before a build a file must have last changed for its stamp to be kept.
pub const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl InputStamp {
    /// The stamp of the files under `folder`; `None` when one cannot be looked at. Walked as
    /// walkdir walks (the folder, then each entry sorted by name, a folder's entries right after
    /// it, links not entered), each entry looked at through its folder's open handle: on a disk
    /// most of a rebuild's time went to looking up these paths from the root again.
    pub fn of_folder(key: &str, folder: &std::path::Path) -> Option<InputStamp> {
        let mut f = Fingerprint::new("input");
        f.part(key.as_bytes());
        let mut newest = std::time::UNIX_EPOCH;
        let mut add = |rel: &std::path::Path, meta: &std::fs::Metadata| {
            f.part(rel.to_string_lossy().as_bytes());
            f.part(stat_line(meta).as_bytes());
            if let Ok(modified) = meta.modified() {
                newest = newest.max(modified);
            }
        };
        // Followed: a link's target is what is read.
        let top = std::fs::metadata(folder).ok()?;
        add(std::path::Path::new(""), &top);
        if top.is_dir() {
            stamp_entries(folder, std::path::Path::new(""), &mut add)?;
        }
        Some(InputStamp {
            signature: f.finish(),
            newest,
        })
    }

    /// Whether the stamp may be kept by a build that started at `started`.
    pub fn settled(&self, started: std::time::SystemTime) -> bool {
        self.newest + SETTLED < started
    }
}

/// [`InputStamp::of_folder`] for the entries of `dir` (at `rel` in the folder) and below.
fn stamp_entries(
    dir: &std::path::Path,
    rel: &std::path::Path,
    add: &mut dyn FnMut(&std::path::Path, &std::fs::Metadata),
) -> Option<()> {
    let mut entries = std::fs::read_dir(dir)
        .ok()?
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let file_type = entry.file_type().ok()?;
        let meta = if file_type.is_symlink() {
            std::fs::metadata(entry.path()).ok()?
        } else {
            entry.metadata().ok()?
        };
        let here = rel.join(entry.file_name());
        add(&here, &meta);
        if file_type.is_dir() {
            stamp_entries(&entry.path(), &here, add)?;
        }
    }
    Some(())
}

#[cfg(unix)]
fn stat_line(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{} {} {} {}.{} {}.{} {}",
        meta.dev(),
        meta.ino(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.is_dir()
    )
}

#[cfg(not(unix))]
fn stat_line(meta: &std::fs::Metadata) -> String {
    format!(
        "{} {:?} {}",
        meta.len(),
        meta.modified().ok(),
        meta.is_dir()
    )
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
            Entry {
                fingerprint: "abc".into(),
                files: vec!["en/mfa/index.html".into(), "da/mfa/index.html".into()],
                reusable: Some(("stamp".into(), r#"{"a":"b\\tc"}"#.to_owned().into())),
            },
        );
        manifest.insert(
            "wifi",
            Entry {
                fingerprint: "def".into(),
                ..Entry::default()
            },
        );
        let again = Manifest::parse(manifest.clone().write(|_| None));
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
            Manifest::parse("something else\nmfa\tabc\n".to_owned()),
            Manifest::default()
        );
    }

    /// A guide of the example site as the build holds it: its card, publication and search places.
    fn held_guide() -> Reusable {
        let checked = crate::build::check(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let site = checked.site.expect("the example site has no errors");
        let guide = site
            .guides
            .iter()
            .find(|g| g.id == "mfa-setup")
            .expect("mfa-setup");
        let plan = crate::plan::Plan::for_request(&site, &crate::plan::Request::default()).unwrap();
        let publication = plan.publication(&site, guide, false);
        let search = site
            .languages
            .iter()
            .map(|lang| {
                (
                    lang.code.clone(),
                    crate::search::guide_entry(&site, guide, lang),
                )
            })
            .collect();
        // A card keeps no step, but what the index shows of them.
        let card = guide.card();
        assert!(card.sections.is_empty());
        assert_eq!(card.step_count(), guide.steps().count());
        let devices = |g: &Guide| g.step_devices().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(devices(&card), devices(guide));
        assert!(
            devices(guide).len() > 1,
            "the example's MFA guide changes device"
        );
        Reusable {
            card,
            publication,
            search,
        }
    }

    #[test]
    fn a_held_guide_is_written_as_its_reusable_and_reads_back_equal() {
        let held = held_guide();
        assert!(held.search.len() > 1 && held.card.step_count() > 1);
        let mut manifest = Manifest::default();
        let entry = |reusable| Entry {
            fingerprint: "f".into(),
            files: vec!["en/mfa/index.html".into()],
            reusable,
        };
        manifest.insert("mfa", entry(Some(("stamp".into(), Kept::Held))));
        manifest.insert("gone", entry(Some(("stamp".into(), Kept::Held))));
        let text = manifest.write(|id| {
            (id == "mfa").then(|| HeldReusable {
                card: &held.card,
                publication: &held.publication,
                search: held.search.iter().map(|(l, e)| (l.as_str(), e)).collect(),
            })
        });
        // The JSON a build made before, from the owned values.
        let json = serde_json::to_string(&held).unwrap();
        assert!(text.contains(&format!("mfa\tf\tstamp\t{json}\ten/mfa/index.html\n")));
        // A held guide the build does not hold is written as one to be read again.
        assert!(text.contains("gone\tf\t\t\ten/mfa/index.html\n"), "{text}");

        let again = Manifest::parse(text);
        let (_, read) = again.reusable("mfa", "stamp").expect("reusable");
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        assert_eq!(read.card.step_count(), held.card.step_count());
        assert_eq!(
            read.card.step_devices().collect::<Vec<_>>(),
            held.card.step_devices().collect::<Vec<_>>()
        );
        assert_eq!(again.reusable("mfa", "other stamp").map(|_| ()), None);
        assert_eq!(again.reusable("gone", "stamp").map(|_| ()), None);
        // Written again, a guide read from the previous record is the same line.
        let rewritten = Manifest::parse(again.clone().write(|_| None));
        assert_eq!(rewritten, again);
    }

    /// The stamp as it was made before, with walkdir and a lookup by path per entry.
    fn stamp_by_walkdir(key: &str, folder: &std::path::Path) -> Option<InputStamp> {
        let mut f = Fingerprint::new("input");
        f.part(key.as_bytes());
        let mut newest = std::time::UNIX_EPOCH;
        for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
            let entry = entry.ok()?;
            let meta = std::fs::metadata(entry.path()).ok()?;
            let rel = entry.path().strip_prefix(folder).ok()?;
            f.part(rel.to_string_lossy().as_bytes());
            f.part(stat_line(&meta).as_bytes());
            if let Ok(modified) = meta.modified() {
                newest = newest.max(modified);
            }
        }
        Some(InputStamp {
            signature: f.finish(),
            newest,
        })
    }

    #[test]
    fn a_stamp_is_the_one_walkdir_made() {
        let tmp = tempfile::tempdir().unwrap();
        let guide = tmp.path().join("guide");
        for rel in [
            "guide.yaml",
            "B.png",
            "a",
            "a.b",
            "a-b/c.png",
            "a-b/z/deep.txt",
            "shots/ä.png",
            "shots/Z.png",
            "shots/.hidden",
            "empty/.keep",
        ] {
            let path = guide.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, rel).unwrap();
        }
        std::fs::remove_file(guide.join("empty/.keep")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a-b", guide.join("link-to-folder")).unwrap();
            std::os::unix::fs::symlink("guide.yaml", guide.join("link-to-file")).unwrap();
        }
        let new = InputStamp::of_folder("k", &guide).unwrap();
        assert_eq!(Some(&new), stamp_by_walkdir("k", &guide).as_ref());
        assert_ne!(new, InputStamp::of_folder("other key", &guide).unwrap());
        // A file's stamp, and none of what is not there.
        let file = guide.join("guide.yaml");
        assert_eq!(
            InputStamp::of_folder("k", &file),
            stamp_by_walkdir("k", &file)
        );
        assert_eq!(InputStamp::of_folder("k", &tmp.path().join("none")), None);
        // A broken link cannot be looked at.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("gone", guide.join("shots/broken")).unwrap();
            assert_eq!(InputStamp::of_folder("k", &guide), None);
            assert_eq!(stamp_by_walkdir("k", &guide), None);
        }
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
