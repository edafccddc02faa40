//! Write stage: the only code that touches the output folder. A build writes into a staging folder
//! beside it and swaps it in only when everything succeeded, so a failed build leaves the previous
//! output exactly as it was.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as guidegen's output: only such a folder is ever replaced.
pub const MARKER: &str = ".guidegen-build";
const MARKER_TEXT: &str =
    "This folder is written by `guidegen build` and replaced by every build.\n";

/// Why an output folder is refused before anything is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The output folder is the site folder, or contains it.
    ContainsSite(PathBuf),
    /// `/` or the home folder.
    SystemFolder(PathBuf),
    /// A non-empty folder without guidegen's mark.
    NotOurs(PathBuf),
    /// It exists but is a file.
    NotAFolder(PathBuf),
    Io(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ContainsSite(p) => write!(
                f,
                "refusing to write to {}: it is the site folder or contains it, and a build replaces its output folder \
                 (choose a folder such as `output` with --out)",
                p.display()
            ),
            Refusal::SystemFolder(p) => write!(
                f,
                "refusing to write to {}: it is a system or home folder (choose another with --out)",
                p.display()
            ),
            Refusal::NotOurs(p) => write!(
                f,
                "refusing to replace {}: it is not empty and was not written by guidegen (it has no {MARKER} file); \
                 empty it, or choose another folder with --out",
                p.display()
            ),
            Refusal::NotAFolder(p) => write!(
                f,
                "refusing to write to {}: it is a file, not a folder",
                p.display()
            ),
            Refusal::Io(message) => write!(f, "{message}"),
        }
    }
}

/// Output being written: files go to a staging folder until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
}

/// `path` made absolute and free of `.`/`..` and symbolic links as far as it exists.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Resolve the longest existing ancestor (symbolic links included), then append the rest.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(normalize(&out));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return Ok(normalize(&path)),
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Staging {
    /// Checks that `target` may be replaced by a build of the site in `site_root`, and creates an
    /// empty staging folder beside it.
    pub fn begin(target: &Path, site_root: &Path) -> Result<Staging, Refusal> {
        let io_err = |e: io::Error| Refusal::Io(format!("cannot use {}: {e}", target.display()));
        let abs = absolute(target).map_err(io_err)?;
        let site = absolute(site_root).map_err(io_err)?;
        if site.starts_with(&abs) {
            return Err(Refusal::ContainsSite(target.to_path_buf()));
        }
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .and_then(|h| absolute(&h).ok());
        if abs.parent().is_none() || home.as_deref() == Some(abs.as_path()) {
            return Err(Refusal::SystemFolder(target.to_path_buf()));
        }
        if abs.exists() {
            if !abs.is_dir() {
                return Err(Refusal::NotAFolder(target.to_path_buf()));
            }
            let empty = std::fs::read_dir(&abs).map_err(io_err)?.next().is_none();
            if !empty && !abs.join(MARKER).is_file() {
                return Err(Refusal::NotOurs(target.to_path_buf()));
            }
        }
        let parent = abs
            .parent()
            .ok_or_else(|| Refusal::SystemFolder(target.to_path_buf()))?;
        std::fs::create_dir_all(parent).map_err(io_err)?;
        let name = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        // A build that was killed leaves its staging folder behind: ours by its mark, so cleared here.
        let prefix = format!(".{name}.guidegen-staging-");
        if let Ok(entries) = std::fs::read_dir(parent) {
            for entry in entries.flatten() {
                let path = entry.path();
                let leftover = entry.file_name().to_string_lossy().starts_with(&prefix)
                    && path.join(MARKER).is_file();
                if leftover {
                    let _ = std::fs::remove_dir_all(&path);
                }
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_err)?;
        }
        std::fs::create_dir(&staging).map_err(io_err)?;
        let out = Staging {
            target: abs,
            staging,
        };
        out.write(MARKER, MARKER_TEXT.as_bytes()).map_err(io_err)?;
        Ok(out)
    }

    /// Writes one file, `rel` being its `/`-separated path inside the output folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut path = self.staging.clone();
        for part in rel.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("bad output path {rel}"),
                ));
            }
            path.push(part);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)
    }

    /// Swaps the staging folder in for the output folder. The previous output (ours, by its mark) is
    /// moved aside first and removed last, so that at no moment is there half a site.
    pub fn commit(self) -> io::Result<PathBuf> {
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(err) = std::fs::rename(&self.staging, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&self.staging);
            return Err(err);
        }
        if had_previous {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(self.target.clone())
    }

    /// Throws the staging folder away; the output folder was never touched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_folder_and_its_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        assert!(matches!(
            Staging::begin(&site, &site),
            Err(Refusal::ContainsSite(_))
        ));
        assert!(matches!(
            Staging::begin(tmp.path(), &site),
            Err(Refusal::ContainsSite(_))
        ));
        assert!(matches!(
            Staging::begin(Path::new("/"), &site),
            Err(Refusal::ContainsSite(_) | Refusal::SystemFolder(_))
        ));
    }

    #[test]
    fn refuses_a_foreign_folder_but_replaces_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.docx"), "precious").unwrap();
        assert!(matches!(
            Staging::begin(&out, &site),
            Err(Refusal::NotOurs(_))
        ));
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.docx")).unwrap(),
            "precious"
        );

        std::fs::remove_file(out.join("thesis.docx")).unwrap();
        let staging = Staging::begin(&out, &site).unwrap();
        staging.write("en/index.html", b"one").unwrap();
        staging.commit().unwrap();
        let staging = Staging::begin(&out, &site).unwrap();
        staging.write("da/index.html", b"two").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("en/index.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("da/index.html")).unwrap(),
            "two"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn abort_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let staging = Staging::begin(&out, tmp.path().join("site").as_path()).unwrap();
        staging.write("a.txt", b"first").unwrap();
        staging.commit().unwrap();
        let staging = Staging::begin(&out, tmp.path().join("site").as_path()).unwrap();
        staging.write("a.txt", b"second").unwrap();
        staging.abort();
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "first");
    }

    #[test]
    fn clears_the_staging_folder_of_a_killed_build() {
        let tmp = tempfile::tempdir().unwrap();
        let leftover = tmp.path().join(".out.guidegen-staging-1");
        std::fs::create_dir_all(&leftover).unwrap();
        std::fs::write(leftover.join(MARKER), MARKER_TEXT).unwrap();
        let foreign = tmp.path().join(".out.guidegen-staging-notes");
        std::fs::create_dir_all(&foreign).unwrap();
        let staging = Staging::begin(&tmp.path().join("out"), &tmp.path().join("site")).unwrap();
        staging.commit().unwrap();
        assert!(!leftover.exists());
        assert!(foreign.exists(), "a folder without the mark is not ours");
    }

    #[test]
    fn rejects_paths_that_climb_out() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&tmp.path().join("out"), &tmp.path().join("site")).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        staging.abort();
    }
}
