//! Load stage: the one way guidegen reads a file of a site — a regular file inside the folder it
//! belongs to, after resolving symbolic links, and no larger than a limit counted while reading.
//!
//! Guide content is untrusted: a symbolic link to `/proc/self/environ`, a FIFO or `/dev/zero` named as
//! a template, a screenshot or an attachment must neither be published nor hang or exhaust the build.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// `guidegen.yaml`, a `guide.yaml`, a template, a catalog, a PO file: text an author writes.
pub const MAX_TEXT_FILE_BYTES: u64 = 1024 * 1024;
/// A screenshot or an attachment.
pub const MAX_MEDIA_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// A guide's video file (MP4, WebM): some 15 minutes of a 1080p screen recording. Never held in
/// memory by a build: hashed while validating, copied in chunks while writing ([`copy_inside`]).
pub const MAX_VIDEO_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file of the site cannot be read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing is there (or a symbolic link points at nothing).
    Missing,
    /// The path, or a symbolic link on its way, leads out of the folder it must stay in.
    Outside,
    /// The path goes through `..`: refused even when it comes back, so that `check`, `build` and
    /// the output's paths all agree on one spelling.
    Climbs,
    /// A folder, a FIFO, a device or a socket: only regular files are read.
    NotAFile,
    /// More bytes than `limit`; counted while reading, since /proc and /dev report a size of 0.
    TooLarge {
        limit: u64,
    },
    Io(io::Error),
}

impl ReadError {
    /// What went wrong with `shown` (the path as the author wrote it), as a sentence; `folder` is
    /// the folder it must be in, as the author knows it ("the guide's folder").
    pub fn message(&self, shown: &str, folder: &str) -> String {
        match self {
            ReadError::Missing => format!("file `{shown}` does not exist"),
            ReadError::Outside => format!("`{shown}` is outside {folder}"),
            ReadError::Climbs => format!("`{shown}` goes through `..`; paths stay inside {folder}"),
            ReadError::NotAFile => format!("`{shown}` is not a regular file"),
            ReadError::TooLarge { limit } => {
                format!("`{shown}` is larger than {}", human_bytes(*limit))
            }
            ReadError::Io(err) => format!("cannot read `{shown}`: {err}"),
        }
    }

    /// What the author can do about it.
    pub fn hint(&self) -> String {
        match self {
            ReadError::Missing => "paths are relative to the folder of the file that names them; check the spelling and the extension".into(),
            ReadError::Outside => "copy the file into the folder (paths through `..` or symbolic links that leave it are refused, so that nothing outside the site is ever published)".into(),
            ReadError::Climbs => "write the path from the folder down, without `..` (files outside the folder are never read)".into(),
            ReadError::NotAFile => "name a regular file, not a folder, a device or a pipe".into(),
            ReadError::TooLarge { .. } => "make the file smaller (export screenshots at screen size, split long guides)".into(),
            ReadError::Io(_) => "check that the file exists and that you may read it".into(),
        }
    }
}

/// `1048576` → "1 MiB".
pub fn human_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The real path of `rel` inside `folder`: symbolic links resolved, and refused when the result
/// leaves `folder` or is not a regular file. `rel` may not be absolute nor climb with `..`.
///
/// Most paths have no symbolic link below their folder: those are resolved with one `lstat` per
/// part of `rel`, below the folder's real path (kept per thread, see [`real_folder`]); only a path
/// with a link in it is resolved whole (`realpath`, a `readlink` per part of the whole path). A site
/// with 25,000 screenshots made some 270,000 failing `readlink` calls before.
pub fn resolve_inside(folder: &Path, rel: &Path) -> Result<PathBuf, ReadError> {
    for component in rel.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(ReadError::Climbs),
            Component::RootDir | Component::Prefix(_) => return Err(ReadError::Outside),
        }
    }
    let real_folder = real_folder(folder)?;
    let real = match below_without_links(&real_folder, rel) {
        Below::Plain(real, meta) => {
            return if meta.is_file() {
                Ok(real)
            } else {
                Err(ReadError::NotAFile)
            };
        }
        Below::Missing => return Err(ReadError::Missing),
        Below::Linked => folder.join(rel).canonicalize().map_err(not_found_or_io)?,
    };
    if !real.starts_with(&real_folder) {
        return Err(ReadError::Outside);
    }
    let meta = std::fs::metadata(&real).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok(real)
}

/// What [`below_without_links`] found.
enum Below {
    /// Every part is a plain folder or (the last) a file or folder, none a link: this is the path.
    Plain(PathBuf, std::fs::Metadata),
    /// A part does not exist (every part before it a plain folder): so would `realpath` say.
    Missing,
    /// A link, or anything unusual (a part that is a file, an error): resolved the slow way.
    Linked,
}

/// Follows `rel` down from `real_folder` (a real path) one `lstat` at a time.
fn below_without_links(real_folder: &Path, rel: &Path) -> Below {
    let mut path = real_folder.to_path_buf();
    let mut last = None;
    for component in rel.components() {
        let Component::Normal(part) = component else {
            continue;
        };
        if last
            .as_ref()
            .is_some_and(|meta: &std::fs::Metadata| !meta.is_dir())
        {
            return Below::Linked;
        }
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Below::Linked,
            Ok(meta) => last = Some(meta),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Below::Missing,
            Err(_) => return Below::Linked,
        }
    }
    match last {
        Some(meta) => Below::Plain(path, meta),
        None => Below::Linked,
    }
}

/// The real path of `folder`, kept per thread for the folders read from most recently: a guide's
/// screenshots are read one after another, and `realpath` of a deep folder is a `readlink` per
/// part. A kept path is used only while `folder` still leads to the same folder (device and inode,
/// one `stat`), so a folder moved or replaced between two builds of `serve` is resolved again. A
/// folder not kept is found below its parent's real path (kept in turn: the next guide of the same
/// category costs a `stat` and an `lstat`), unless its last part is a link.
fn real_folder(folder: &Path) -> Result<PathBuf, ReadError> {
    let id = FolderId::of(folder).map_err(not_found_or_io)?;
    if let Some(real) = kept_folder(folder, id) {
        return Ok(real);
    }
    let real = match below_real_parent(folder, id) {
        Some(real) => real,
        None => folder.canonicalize().map_err(not_found_or_io)?,
    };
    keep_folder(folder, id, &real);
    Ok(real)
}

/// (the folder as given, its identity, its real path), the most recently used last.
type KeptFolders = Vec<(PathBuf, FolderId, PathBuf)>;

thread_local!(static KEPT_FOLDERS: std::cell::RefCell<KeptFolders> = const { std::cell::RefCell::new(Vec::new()) });

/// How many folders a thread keeps: a guide's, its category's and the site's, with room.
const KEPT_FOLDERS_MAX: usize = 16;

fn kept_folder(folder: &Path, id: FolderId) -> Option<PathBuf> {
    KEPT_FOLDERS.with_borrow_mut(|kept| {
        let at = kept
            .iter()
            .position(|(path, kept_id, _)| path == folder && *kept_id == id)?;
        let entry = kept.remove(at);
        let real = entry.2.clone();
        kept.push(entry);
        Some(real)
    })
}

fn keep_folder(folder: &Path, id: FolderId, real: &Path) {
    KEPT_FOLDERS.with_borrow_mut(|kept| {
        kept.retain(|(path, _, _)| path != folder);
        if kept.len() >= KEPT_FOLDERS_MAX {
            kept.remove(0);
        }
        kept.push((folder.to_path_buf(), id, real.to_path_buf()));
    });
}

/// `folder`'s real path as its parent's real path and its name, when that names a folder (not a
/// link) that is the one `folder` leads to.
fn below_real_parent(folder: &Path, id: FolderId) -> Option<PathBuf> {
    let Some(Component::Normal(name)) = folder.components().next_back() else {
        return None;
    };
    let parent = folder.parent().filter(|p| !p.as_os_str().is_empty())?;
    let real = real_folder(parent).ok()?.join(name);
    let meta = std::fs::symlink_metadata(&real).ok()?;
    (meta.is_dir() && id.is_of(&meta)).then_some(real)
}

/// Which folder a path leads to, links followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderId {
    device: u64,
    inode: u64,
}

impl FolderId {
    #[cfg(unix)]
    fn of(folder: &Path) -> io::Result<FolderId> {
        Ok(FolderId::from_meta(&std::fs::metadata(folder)?))
    }

    #[cfg(unix)]
    fn from_meta(meta: &std::fs::Metadata) -> FolderId {
        use std::os::unix::fs::MetadataExt;
        FolderId {
            device: meta.dev(),
            inode: meta.ino(),
        }
    }

    /// Whether `meta` is this folder's.
    #[cfg(unix)]
    fn is_of(self, meta: &std::fs::Metadata) -> bool {
        FolderId::from_meta(meta) == self
    }

    /// Without inodes no two folders can be told the same: the folder is resolved instead.
    #[cfg(not(unix))]
    fn is_of(self, _: &std::fs::Metadata) -> bool {
        false
    }

    /// Without inodes, nothing is kept: every call resolves the folder.
    #[cfg(not(unix))]
    fn of(folder: &Path) -> io::Result<FolderId> {
        std::fs::metadata(folder)?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(FolderId {
            device: 0,
            inode: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }
}

fn not_found_or_io(err: io::Error) -> ReadError {
    if err.kind() == io::ErrorKind::NotFound {
        ReadError::Missing
    } else {
        ReadError::Io(err)
    }
}

/// Reads `rel` inside `folder` (see [`resolve_inside`]), at most `limit` bytes.
pub fn read_inside(folder: &Path, rel: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_regular(&resolve_inside(folder, rel)?, limit)
}

/// Reads a regular file of at most `limit` bytes. The file is opened without blocking (a FIFO put in
/// its place after the check must not hang the build), checked again through the open handle, and
/// read with a cap, whatever size it reports.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_nonblocking(path).map_err(not_found_or_io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// A file read through once without keeping it: its size, its SHA-256 and its first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub len: u64,
    pub digest: [u8; 32],
    /// Up to the first `head` bytes asked for, to tell the file's type by.
    pub head: Vec<u8>,
}

/// Reads `rel` inside `folder` (see [`resolve_inside`]) in chunks, at most `limit` bytes, keeping only
/// its size, digest and first `head` bytes: a large file (a video) is never held in memory.
pub fn scan_inside(
    folder: &Path,
    rel: &Path,
    limit: u64,
    head: usize,
) -> Result<Scanned, ReadError> {
    let (file, len) = open_regular(&resolve_inside(folder, rel)?)?;
    let mut scanned = Scanned {
        len: 0,
        digest: [0; 32],
        head: Vec::with_capacity(head),
    };
    scanned.digest = stream(file, len, limit, |chunk| {
        let wanted = head.saturating_sub(scanned.head.len()).min(chunk.len());
        scanned.head.extend_from_slice(&chunk[..wanted]);
        scanned.len += chunk.len() as u64;
        Ok(())
    })?;
    Ok(scanned)
}

/// Copies `rel` inside `folder` (checked again as [`resolve_inside`] does) to `to`, in chunks, at
/// most `limit` bytes; `InvalidData` when its bytes are no longer those whose SHA-256 is `digest`
/// (the file changed since it was checked: the build must not publish what it did not check).
pub fn copy_inside(
    folder: &Path,
    rel: &Path,
    limit: u64,
    digest: &[u8; 32],
    to: &Path,
) -> io::Result<()> {
    use std::io::Write;
    let as_io = |err: ReadError| match err {
        ReadError::Io(err) => err,
        other => io::Error::other(other.message(&rel.display().to_string(), "its folder")),
    };
    let (file, len) = resolve_inside(folder, rel)
        .and_then(|path| open_regular(&path))
        .map_err(as_io)?;
    // Chunks come whole from `stream`: a buffered writer would only copy them once more.
    let mut out = File::create(to)?;
    let copied = stream(file, len, limit, |chunk| out.write_all(chunk)).map_err(as_io)?;
    out.flush()?;
    if &copied != digest {
        drop(out);
        let _ = std::fs::remove_file(to);
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} changed while the site was being built", rel.display()),
        ));
    }
    Ok(())
}

/// Opens a regular file without blocking and checks it through the handle (see [`read_regular`]);
/// the file and the size it reports.
fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let file = open_nonblocking(path).map_err(not_found_or_io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok((file, meta.len()))
}

/// Feeds `file` to `each` in chunks, refusing more than `limit` bytes; the SHA-256 of what it fed.
/// `len` is the size the file reported, which sizes the chunks: a screenshot of a few kB needs no
/// buffer of 256 kB (allocated, zeroed and freed per file, that was most of copying one).
fn stream(
    file: File,
    len: u64,
    limit: u64,
    mut each: impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<[u8; 32], ReadError> {
    use sha2::Digest;
    const CHUNK: u64 = 256 * 1024;
    let mut hasher = sha2::Sha256::new();
    let mut reader = file.take(limit + 1);
    // One byte more than reported, so that a file read whole is known to end in one more read.
    let mut buffer = vec![0; len.saturating_add(1).clamp(4096, CHUNK) as usize];
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(ReadError::Io(err)),
        };
        total += n as u64;
        if total > limit {
            return Err(ReadError::TooLarge { limit });
        }
        hasher.update(&buffer[..n]);
        each(&buffer[..n]).map_err(ReadError::Io)?;
    }
    Ok(hasher.finalize().into())
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    /// `O_NONBLOCK` on Linux and the BSDs' value differ; 0o4000 is Linux's, 0x4 the BSDs'.
    #[cfg(target_os = "linux")]
    const O_NONBLOCK: i32 = 0o4000;
    #[cfg(not(target_os = "linux"))]
    const O_NONBLOCK: i32 = 0x4;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_inside() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("shots")).unwrap();
        std::fs::write(tmp.path().join("shots/a.png"), b"png").unwrap();
        let bytes = read_inside(tmp.path(), Path::new("shots/a.png"), 10).unwrap();
        assert_eq!(bytes, b"png");
        let bytes = read_inside(tmp.path(), Path::new("./shots/a.png"), 10).unwrap();
        assert_eq!(bytes, b"png");
    }

    #[test]
    fn refuses_climbing_absolute_and_symlinks_out() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("shots")).unwrap();
        std::fs::write(tmp.path().join("secret"), b"x").unwrap();
        std::fs::write(site.join("shots/ok.png"), b"x").unwrap();
        for rel in ["../secret", "shots/../shots/ok.png"] {
            assert!(
                matches!(
                    read_inside(&site, Path::new(rel), 10),
                    Err(ReadError::Climbs)
                ),
                "{rel}"
            );
        }
        assert!(matches!(
            read_inside(&site, Path::new("/etc/hostname"), 10),
            Err(ReadError::Outside)
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("link")).unwrap();
            std::os::unix::fs::symlink("/proc/self/environ", site.join("env")).unwrap();
            assert!(matches!(
                read_inside(&site, Path::new("link"), 10),
                Err(ReadError::Outside)
            ));
            assert!(matches!(
                read_inside(&site, Path::new("env"), 10),
                Err(ReadError::Outside)
            ));
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_below_the_folder_are_followed_and_must_stay_inside() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("real")).unwrap();
        std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
        std::fs::write(site.join("real/a.png"), b"in").unwrap();
        std::fs::write(tmp.path().join("outside/a.png"), b"out").unwrap();
        symlink(site.join("real"), site.join("shots")).unwrap();
        symlink(tmp.path().join("outside"), site.join("away")).unwrap();
        symlink("a.png", site.join("real/b.png")).unwrap();
        assert_eq!(
            read_inside(&site, Path::new("shots/a.png"), 10).unwrap(),
            b"in"
        );
        assert_eq!(
            read_inside(&site, Path::new("real/b.png"), 10).unwrap(),
            b"in"
        );
        assert!(matches!(
            read_inside(&site, Path::new("away/a.png"), 10),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            read_inside(&site, Path::new("real/missing.png"), 10),
            Err(ReadError::Missing)
        ));
        assert!(matches!(
            read_inside(&site, Path::new("real/a.png/x"), 10),
            Err(ReadError::Io(_))
        ));
        // The folder itself, given through a link, is where its files are read.
        let link = tmp.path().join("link");
        symlink(&site, &link).unwrap();
        assert_eq!(
            resolve_inside(&link, Path::new("shots/a.png")).unwrap(),
            site.canonicalize().unwrap().join("real/a.png")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_leads_elsewhere_since_the_last_read_is_resolved_again() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in [("first", "1"), ("second", "2")] {
            std::fs::create_dir(tmp.path().join(name)).unwrap();
            std::fs::write(tmp.path().join(name).join("a.png"), text).unwrap();
        }
        let folder = tmp.path().join("guide");
        symlink(tmp.path().join("first"), &folder).unwrap();
        assert_eq!(read_inside(&folder, Path::new("a.png"), 10).unwrap(), b"1");
        std::fs::remove_file(&folder).unwrap();
        symlink(tmp.path().join("second"), &folder).unwrap();
        assert_eq!(read_inside(&folder, Path::new("a.png"), 10).unwrap(), b"2");
        std::fs::remove_file(&folder).unwrap();
        assert!(matches!(
            read_inside(&folder, Path::new("a.png"), 10),
            Err(ReadError::Missing)
        ));
    }

    #[test]
    fn refuses_folders_and_devices_and_counts_bytes_while_reading() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("dir")).unwrap();
        assert!(matches!(
            read_inside(tmp.path(), Path::new("dir"), 10),
            Err(ReadError::NotAFile)
        ));
        // /dev/zero reports a size of 0 and never ends.
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile)
        ));
        std::fs::write(tmp.path().join("big"), vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_inside(tmp.path(), Path::new("big"), 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert!(read_inside(tmp.path(), Path::new("missing"), 10).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_hanging() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        assert!(matches!(
            read_inside(tmp.path(), Path::new("fifo"), 10),
            Err(ReadError::NotAFile)
        ));
        assert!(matches!(read_regular(&fifo, 10), Err(ReadError::NotAFile)));
    }

    #[test]
    fn a_scan_keeps_the_size_digest_and_head_and_a_copy_checks_the_digest() {
        use sha2::Digest;
        let tmp = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(tmp.path().join("v.mp4"), &bytes).unwrap();
        let scanned = scan_inside(tmp.path(), Path::new("v.mp4"), 1_000_000, 12).unwrap();
        assert_eq!(scanned.len, bytes.len() as u64);
        assert_eq!(scanned.head, bytes[..12]);
        let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        assert_eq!(scanned.digest, digest);
        assert!(matches!(
            scan_inside(tmp.path(), Path::new("v.mp4"), 500_000, 12),
            Err(ReadError::TooLarge { limit: 500_000 })
        ));

        let to = tmp.path().join("copy.mp4");
        copy_inside(tmp.path(), Path::new("v.mp4"), 1_000_000, &digest, &to).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), bytes);
        // Changed since it was checked: nothing is left behind.
        std::fs::write(tmp.path().join("v.mp4"), b"other").unwrap();
        let err = copy_inside(tmp.path(), Path::new("v.mp4"), 1_000_000, &digest, &to).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(!to.exists());
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_bytes(1024 * 1024), "1 MiB");
        assert_eq!(human_bytes(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_bytes(2048), "2 KiB");
        assert_eq!(human_bytes(10), "10 bytes");
    }
}
