//! Write stage: the only code that touches the output folder. A build writes into a staging folder
//! beside it and swaps it in only when everything succeeded, so a failed build leaves the previous
//! output exactly as it was.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use crate::model::MediaFile;
use crate::render::{FileKind, OutFile};

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

/// Output being written: files go to a staging folder until [`Staging::commit`]. A `Staging` holds
/// the output folder's lock from [`Staging::begin`] until it is committed, aborted or dropped, so
/// no other build touches that folder or the folders beside it meanwhile.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    /// Where the previous output is kept once replaced ([`spare_name`]), for the next build to
    /// start from.
    spare: PathBuf,
    /// The threads that do the file system work of [`Output::put`] and [`Output::take_over`].
    /// Declared before the lock, so that they have stopped before it is released.
    writers: Writers,
    /// The open lock file: the lock is released when this closes, which it does last (after
    /// [`Drop`] has thrown the staging folder away).
    _lock: File,
    /// Leftovers of earlier builds that could not be removed, reported with the commit.
    warnings: Vec<String>,
}

/// How many file system operations a build has under way at once. On a real disk creating a folder,
/// a file or a link, or removing one, mostly waits for the journal and the device rather than
/// using the processor; with several under way the waits overlap. Measured on a 2-core virtual
/// machine's ext4 disk: removing a previous output of 12,000 entries took 11–13 s one at a time and
/// 1.3–1.9 s eight at a time.
pub const IO_THREADS: usize = 8;

/// A file system operation queued for the writer threads.
enum WriteOp {
    Put(OutFile),
    /// The files of one render (a guide's page or PDF with its screenshots), one after another:
    /// handed over once, where a hand-over per file woke a writer thread per file.
    PutAll(Vec<OutFile>),
    TakeOver(FolderTakeOver),
}

/// Files of one folder of the previous output to take over.
#[derive(Debug)]
struct FolderTakeOver {
    /// The folder, `/`-separated, inside the output folder.
    folder: String,
    names: Vec<String>,
    /// Each name's inode number in the previous output, when the folder was listed
    /// ([`regular_files`]).
    inodes: Option<Vec<u64>>,
}

impl FolderTakeOver {
    fn rel(&self, name: &str) -> String {
        if self.folder.is_empty() {
            name.to_owned()
        } else {
            format!("{}/{name}", self.folder)
        }
    }
}

/// How many files a guide's folder must hold for [`Staging::take_over`] to list it (one listing
/// instead of a `stat` per file): a page's folder with one screenshot is not worth it, a folder of 25
/// screenshots is.
const LIST_FROM: usize = 4;

/// What the writer threads share with the [`Staging`] that queues their work.
#[derive(Debug)]
struct WriteState {
    target: PathBuf,
    staging: PathBuf,
    /// Screenshots and attached files staged so far, by the digest of their bytes: the same bytes
    /// under another path (the same screenshot in every language) become a link to the first. The
    /// first writer of some bytes fills the cell while the others wait for it.
    media: Mutex<HashMap<[u8; 32], Arc<FirstCopy>>>,
    /// Operations that failed, as messages naming the file; the build fails with them.
    errors: Mutex<Vec<String>>,
    /// The staging folder is the output before last ([`spare_name`]), updated in place: a file it
    /// already holds with the right bytes stays, and what this build does not make is removed
    /// before the swap.
    reused: bool,
    /// Whether there is a previous output (`target` is a folder) whose files may be taken over;
    /// a first build into a new folder looks for none.
    previous: bool,
    /// Whether the previous output and the staging folder are on one device, so that the same
    /// inode number in both is the same file.
    previous_same_device: bool,
    /// The paths this build made, when `reused`: everything else in the folder is removed.
    produced: Mutex<std::collections::HashSet<String>>,
    /// Folders of the staging folder known to exist: each is made (or found) once, not once per
    /// file in it — a `mkdir` that fails and a `stat` per file, 100,000 calls for 25,000 screenshots.
    folders: Mutex<std::collections::HashSet<PathBuf>>,
}

/// Where the first copy of some bytes was staged, once it is (or why it could not be).
type FirstCopy = OnceLock<Result<PathBuf, String>>;

/// The writer threads and the queue to them; [`Writers::finish`] waits until all is written.
#[derive(Debug)]
struct Writers {
    state: Arc<WriteState>,
    queue: Mutex<Option<SyncSender<WriteOp>>>,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

/// A successful [`Staging::commit`]: the new site is in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The output folder.
    pub path: PathBuf,
    /// Set when the previous output, already moved aside, or a leftover of an earlier build could
    /// not be removed.
    pub warning: Option<String>,
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

/// Turns an I/O error about `target` into a refusal that names it.
fn cannot_use(target: &Path) -> impl Fn(io::Error) -> Refusal + '_ {
    move |e| Refusal::Io(format!("cannot use {}: {e}", target.display()))
}

/// The refusals that follow from where the output folder is, whatever it holds: they are asked
/// before the lock, so that refusing `/` or the site folder leaves nothing behind.
fn check_place(target: &Path, abs: &Path, site_root: &Path) -> Result<(), Refusal> {
    let site = absolute(site_root).map_err(cannot_use(target))?;
    if site.starts_with(abs) {
        return Err(Refusal::ContainsSite(target.to_path_buf()));
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| absolute(&h).ok());
    if abs.parent().is_none() || home.as_deref() == Some(abs) {
        return Err(Refusal::SystemFolder(target.to_path_buf()));
    }
    Ok(())
}

/// The refusals that follow from what the output folder holds: asked with the lock held, when no
/// other build is halfway through replacing it.
fn check_contents(target: &Path, abs: &Path) -> Result<(), Refusal> {
    if !abs.exists() {
        return Ok(());
    }
    if !abs.is_dir() {
        return Err(Refusal::NotAFolder(target.to_path_buf()));
    }
    let empty = std::fs::read_dir(abs)
        .map_err(cannot_use(target))?
        .next()
        .is_none();
    if !empty && !abs.join(MARKER).is_file() {
        return Err(Refusal::NotOurs(target.to_path_buf()));
    }
    Ok(())
}

/// Opens and locks the lock file at `path`, calling `on_wait` first if another build holds it.
///
/// The file is never deleted: the lock (not the file) is what counts, the system releases it when
/// its holder exits however it exits, and deleting the file could let two builds lock two
/// different files of the same name.
fn lock_output(path: &Path, on_wait: impl FnOnce(&Path)) -> io::Result<File> {
    let file = open_lock_file(path)?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(TryLockError::WouldBlock) => on_wait(path),
        Err(TryLockError::Error(err)) => return Err(err),
    }
    loop {
        match file.lock() {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
            Ok(()) => return Ok(file),
        }
    }
}

/// What a build of the output `name` in `parent` locks. On Unix, the parent folder itself: a lock
/// on a folder needs no file of its own, so nothing is left beside the output (nor in a site's
/// folder, where output/ lives by default). Elsewhere a lock file beside the output.
fn lock_place(parent: &Path, name: &str) -> PathBuf {
    if cfg!(unix) {
        parent.to_path_buf()
    } else {
        parent.join(format!(".{name}.guidegen-lock"))
    }
}

/// The lock: the folder (opened for reading), or the lock file, created if missing. Reading is
/// enough to lock a file, should another user have created it.
fn open_lock_file(path: &Path) -> io::Result<File> {
    if path.is_dir() {
        return File::open(path);
    }
    let opened = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path);
    match opened {
        Err(err) if err.kind() == io::ErrorKind::PermissionDenied && path.is_file() => {
            File::open(path)
        }
        other => other,
    }
}

/// Whether `name` is a staging or moved-aside folder of the output whose staging folders start
/// with `prefix`: `<prefix><process id>`, then perhaps `-<n>` (see [`first_free`]), `.old` and
/// `-<n>` again. Nothing looser, so that the folders of an output named like
/// `out.guidegen-staging-1` are never taken for those of `out`.
fn is_staging_name(name: &str, prefix: &str) -> bool {
    let Some(rest) = name.strip_prefix(prefix) else {
        return false;
    };
    let rest = without_counter(rest);
    let process = rest.strip_suffix(".old").map_or(rest, without_counter);
    is_number(process)
}

fn without_counter(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((head, n)) if is_number(n) => head,
        _ => name,
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `parent/name`, or `parent/name-2`, `-3`… when it is taken (by a leftover that could not be
/// removed, or by someone else's folder).
fn first_free(parent: &Path, name: &str) -> PathBuf {
    let mut path = parent.join(name);
    let mut n = 1;
    while std::fs::symlink_metadata(&path).is_ok() {
        n += 1;
        path = parent.join(format!("{name}-{n}"));
    }
    path
}

/// Removes the staging and moved-aside folders that earlier builds left in `parent`: those of a
/// build that was killed, or an old output that could not be removed then. With the lock held none
/// belongs to a running build. Only real folders with the mark are touched. Returns a warning for
/// each one that still cannot be removed: it is left for a later build, but the user should know.
fn clear_leftovers(
    parent: &Path,
    prefix: &str,
    remove: impl Fn(&Path) -> io::Result<()>,
) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|name| is_staging_name(name, prefix))
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file());
        if ours && let Err(err) = remove(&path) {
            warnings.push(format!(
                "{} was left by an earlier build and could not be removed: {err}; \
                 the next build tries again",
                path.display()
            ));
        }
    }
    warnings
}

/// Removes a folder of ours, its mark last: a folder only partly removed is still known as ours,
/// so a later build can finish the job. An empty folder without the mark (a previous output that
/// was an empty folder) is removed too.
fn remove_ours(dir: &Path) -> io::Result<()> {
    remove_subfolders(dir, 2)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// The name of the folder beside the output `name` where the previous output is kept: the next
/// build renames it into its staging folder and updates it, so that a file that did not change is
/// neither written, nor linked, nor removed — a rebuild's work on the disk is what changed. It
/// shares the unchanged files with the output (hard links), so it costs little space; deleting it
/// only makes the next build slower.
pub fn spare_name(name: &str) -> String {
    format!(".{name}.guidegen-spare")
}

/// Whether `path` is a real folder (not a link) with guidegen's mark.
fn is_ours(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Keeps the replaced output `old` as the spare for the next build; removes it when it cannot.
fn keep_as_spare(old: &Path, spare: &Path) -> io::Result<()> {
    if is_ours(old) && std::fs::rename(old, spare).is_ok() {
        return Ok(());
    }
    remove_ours(old)
}

/// Removes `dir` and everything in it, [`IO_THREADS`] subfolders at a time.
fn remove_tree(dir: &Path) -> io::Result<()> {
    remove_subfolders(dir, 2)?;
    std::fs::remove_dir_all(dir)
}

/// Removes the folders `depth` levels below `dir` (an output's `<lang>/<guide>`), with all they
/// hold, [`IO_THREADS`] at a time; what lies above them stays for the caller to remove.
fn remove_subfolders(dir: &Path, depth: usize) -> io::Result<()> {
    let mut level = vec![dir.to_path_buf()];
    for _ in 0..depth {
        level = level
            .iter()
            .filter_map(|folder| std::fs::read_dir(folder).ok())
            .flat_map(|entries| entries.flatten())
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
            .map(|entry| entry.path())
            .collect();
    }
    on_io_threads(
        &level,
        "guidegen-remove",
        |folder| match std::fs::remove_dir_all(folder) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        },
    )
}

/// Runs `job` on every folder of `folders`, [`IO_THREADS`] at a time (this thread among them); the
/// first error, once all are done.
fn on_io_threads(
    folders: &[PathBuf],
    name: &str,
    job: impl Fn(&Path) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let first_error = Mutex::new(None);
    let work = || {
        while let Some(folder) =
            folders.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
        {
            if let Err(err) = job(folder) {
                lock(&first_error).get_or_insert(err);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..IO_THREADS.min(folders.len()) {
            if std::thread::Builder::new()
                .name(name.into())
                .spawn_scoped(scope, work)
                .is_err()
            {
                break;
            }
        }
        work();
    });
    match first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// Where rendered files go: the staging folder of a build, or memory for `serve`.
pub trait Output: Sync {
    fn put(&self, file: &OutFile) -> io::Result<()>;

    /// Puts every file of `files`; the first failure as a message naming its file.
    fn put_all(&self, files: &[OutFile]) -> Result<(), String> {
        for file in files {
            self.put(file)
                .map_err(|e| format!("cannot write {}: {e}", file.path))?;
        }
        Ok(())
    }

    /// Takes the previous output's files `rels` over unchanged — all of them, or none when one is
    /// missing (false).
    fn take_over(&self, rels: &[String]) -> bool {
        let _ = rels;
        false
    }
}

impl Output for Staging {
    /// Queues taking over the previous output's files `rels` (hard links, no bytes written; copies
    /// where links cannot be made); false, and nothing queued, when one is not a regular file there.
    fn take_over(&self, rels: &[String]) -> bool {
        let mut folders = Vec::new();
        for (folder, names) in by_folder(rels) {
            let listed = (names.len() >= LIST_FROM)
                .then(|| regular_files(&self.target.join(folder)))
                .flatten();
            let regular = |name: &&str| {
                let path = self.target.join(folder).join(name);
                std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
            };
            let inodes = match listed {
                Some(listed) => match names
                    .iter()
                    .map(|name| listed.get(*name).copied())
                    .collect()
                {
                    Some(inodes) => Some(inodes),
                    None => return false,
                },
                None if names.iter().all(regular) => None,
                None => return false,
            };
            folders.push(FolderTakeOver {
                folder: folder.to_owned(),
                names: names.iter().map(|name| (*name).to_owned()).collect(),
                inodes,
            });
        }
        for folder in folders {
            self.writers.queue(WriteOp::TakeOver(folder));
        }
        true
    }

    /// Queues the file for the writer threads. Each file's bytes are written once: a screenshot
    /// shared by languages or guides is staged once and linked under its other paths, and a file
    /// whose bytes the previous output already has is taken over from it (a hard link) instead of
    /// written again — so a rebuild writes only what changed, and the swap stays whole. Failures
    /// are reported by [`Staging::finish_writes`].
    fn put(&self, file: &OutFile) -> io::Result<()> {
        if self.writers.queue(WriteOp::Put(file.clone())) {
            Ok(())
        } else {
            Err(io::Error::other("the build's writers have stopped"))
        }
    }

    /// Queues the files as one operation: a fresh build hands over thousands of files, and a
    /// hand-over per file cost a thread wake-up each (about a twentieth of the build's CPU).
    /// Builds render on as many threads as there are cores; the writers still have several
    /// renders' files under way at once.
    fn put_all(&self, files: &[OutFile]) -> Result<(), String> {
        let op = match files {
            [] => return Ok(()),
            [file] => WriteOp::Put(file.clone()),
            _ => WriteOp::PutAll(files.to_vec()),
        };
        if self.writers.queue(op) {
            Ok(())
        } else {
            Err("the build's writers have stopped".to_owned())
        }
    }
}

impl Writers {
    /// Starts [`IO_THREADS`] writer threads for the staging folder of `target`.
    fn start(target: &Path, staging: &Path, reused: bool) -> Writers {
        let state = Arc::new(WriteState {
            target: target.to_path_buf(),
            staging: staging.to_path_buf(),
            media: Mutex::default(),
            errors: Mutex::default(),
            reused,
            previous: std::fs::symlink_metadata(target).is_ok_and(|meta| meta.is_dir()),
            previous_same_device: same_device(target, staging),
            produced: Mutex::default(),
            folders: Mutex::default(),
        });
        // A short queue: rendering waits for the disk rather than holding many files in memory.
        let (sender, receiver) = std::sync::mpsc::sync_channel(IO_THREADS * 8);
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = (0..IO_THREADS)
            .filter_map(|_| {
                let (state, receiver) = (Arc::clone(&state), Arc::clone(&receiver));
                std::thread::Builder::new()
                    .name("guidegen-write".into())
                    .spawn(move || state.work(&receiver))
                    .ok()
            })
            .collect::<Vec<_>>();
        let queue = if threads.is_empty() {
            None
        } else {
            Some(sender)
        };
        Writers {
            state,
            queue: Mutex::new(queue),
            threads: Mutex::new(threads),
        }
    }

    /// Hands `op` to the writers; false once they have stopped (or could not start), and then
    /// `op` is done on this thread.
    fn queue(&self, op: WriteOp) -> bool {
        let sender = lock(&self.queue).clone();
        let unsent = match sender {
            Some(sender) => match sender.send(op) {
                Ok(()) => return true,
                Err(std::sync::mpsc::SendError(op)) => op,
            },
            None => op,
        };
        self.state.run(unsent)
    }

    /// Waits until everything queued is done, then stops the threads; the failures, if any.
    fn finish(&self) -> Result<(), Vec<String>> {
        drop(lock(&self.queue).take());
        for thread in std::mem::take(&mut *lock(&self.threads)) {
            let _ = thread.join();
        }
        // The failures stay: asking again (as the swap does) gets them again.
        let errors = lock(&self.state.errors).clone();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Locks `mutex`, also after a thread panicked while holding it (the data is still usable here).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl WriteState {
    /// A writer thread: takes operations until the queue is closed.
    fn work(&self, receiver: &Mutex<Receiver<WriteOp>>) {
        loop {
            let next = lock(receiver).recv();
            match next {
                Ok(op) => {
                    self.run(op);
                }
                Err(_) => return,
            }
        }
    }

    /// Does one operation, noting each failure; true when it all succeeded.
    fn run(&self, op: WriteOp) -> bool {
        match &op {
            WriteOp::Put(file) => self.put_noting(file),
            // Each file on its own: one that fails does not keep the others from being staged (the
            // build fails either way, and reports each).
            WriteOp::PutAll(files) => {
                let failed = files.iter().filter(|f| !self.put_noting(f)).count();
                failed == 0
            }
            WriteOp::TakeOver(folder) => self.noting(self.take_over_folder(folder)),
        }
    }

    fn put_noting(&self, file: &OutFile) -> bool {
        self.noting(
            self.put(file)
                .map_err(|e| format!("cannot write {}: {e}", file.path)),
        )
    }

    /// Notes a failure for the build to report; true when there was none.
    fn noting(&self, result: Result<(), String>) -> bool {
        result
            .map_err(|message| lock(&self.errors).push(message))
            .is_ok()
    }

    fn put(&self, file: &OutFile) -> io::Result<()> {
        let path = staged_path(&self.staging, &file.path)?;
        let key = match &file.copy_of {
            Some(source) => Some(source.digest),
            None if file.kind == FileKind::Media => Some(digest(&file.bytes)),
            None => None,
        };
        let kept = self.keeps(&file.path, |staged| match &file.copy_of {
            Some(source) => same_digest(staged, source),
            None => same_bytes(staged, &file.bytes),
        });
        if !kept {
            self.create_parent(&path)?;
        }
        let Some(key) = key else {
            return if kept {
                Ok(())
            } else {
                self.write_new(file, &path)
            };
        };
        let cell = Arc::clone(lock(&self.media).entry(key).or_default());
        if kept {
            // Further paths of these bytes link to this file.
            let _ = cell.get_or_init(|| Ok(path.clone()));
            return Ok(());
        }
        let first = cell.get_or_init(|| {
            self.write_new(file, &path)
                .map(|()| path.clone())
                .map_err(|e| e.to_string())
        });
        match first {
            Ok(first) if *first == path => Ok(()),
            Ok(first) => self
                .link_over(first, &path)
                .or_else(|_| self.write_new(file, &path)),
            // The first copy failed: this one tries on its own.
            Err(_) => self.write_new(file, &path),
        }
    }

    /// Stages `file` at `path`: a link to the previous output's file when it holds the same bytes,
    /// else a new file — never one opened in place: a file here may be a link to the previous
    /// output's, which must stay as it was should this build fail.
    fn write_new(&self, file: &OutFile, path: &Path) -> io::Result<()> {
        if let Some(source) = &file.copy_of {
            return self.copy_new(&file.path, path, source);
        }
        let previous = self.target.join(&file.path);
        if self.previous
            && same_bytes(&previous, &file.bytes)
            && self.link_over(&previous, path).is_ok()
        {
            return Ok(());
        }
        self.clear_place(path)?;
        std::fs::write(path, file.bytes.as_slice())
    }

    /// Takes `folder`'s files over ([`WriteState::take_over`]). In a reused staging folder, a file
    /// that already is the previous output's (the same inode) stays; with the previous output's
    /// folder listed, the staging folder's is listed too, and that is told without a `stat` per file.
    fn take_over_folder(&self, folder: &FolderTakeOver) -> Result<(), String> {
        let staged = match &folder.inodes {
            Some(_) if self.reused && self.previous_same_device => {
                staged_path(&self.staging, &folder.folder)
                    .ok()
                    .and_then(|path| regular_files(&path))
            }
            _ => None,
        };
        for (i, name) in folder.names.iter().enumerate() {
            let rel = folder.rel(name);
            let previous = folder.inodes.as_ref().map(|inodes| inodes[i]);
            let staged = staged.as_ref().and_then(|staged| staged.get(name.as_str()));
            if previous.is_some() && previous == staged.copied() {
                lock(&self.produced).insert(rel);
                continue;
            }
            self.take_over(&rel).map_err(|e| {
                format!("cannot take {rel} over from the previous output: {e} (build again)")
            })?;
        }
        Ok(())
    }

    /// Links the previous output's file `rel` into the staging folder, or copies it where a link
    /// cannot be made (another file system).
    fn take_over(&self, rel: &str) -> io::Result<()> {
        let path = staged_path(&self.staging, rel)?;
        let previous = self.target.join(rel);
        if self.keeps(rel, |staged| same_file(staged, &previous)) {
            return Ok(());
        }
        // Only now: a file kept has its folder (each call is a lookup of the whole path).
        self.create_parent(&path)?;
        self.link_over(&previous, &path).or_else(|_| {
            self.clear_place(&path)?;
            std::fs::copy(&previous, &path).map(|_| ())
        })
    }

    /// Links `path` to `source`, in place of any file of that name: a file in a reused staging
    /// folder is replaced, never written through (it may be a link to the current output's).
    fn link_over(&self, source: &Path, path: &Path) -> io::Result<()> {
        self.clear_place(path)?;
        std::fs::hard_link(source, path)
    }

    /// [`clear_place`] in a reused staging folder; a new one holds nothing this build did not
    /// put there, and each path is put once.
    fn clear_place(&self, path: &Path) -> io::Result<()> {
        if self.reused {
            clear_place(path)
        } else {
            Ok(())
        }
    }

    /// Creates the folder `path` goes in, unless this build made or found it already.
    fn create_parent(&self, path: &Path) -> io::Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if lock(&self.folders).contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        lock(&self.folders).insert(parent.to_path_buf());
        Ok(())
    }

    /// Notes `rel` as made by this build; true when the reused staging folder already holds it as
    /// `holds` wants, and nothing need be done.
    fn keeps(&self, rel: &str, holds: impl FnOnce(&Path) -> bool) -> bool {
        if !self.reused {
            return false;
        }
        lock(&self.produced).insert(rel.to_owned());
        staged_path(&self.staging, rel).is_ok_and(|staged| holds(&staged))
    }

    /// Removes from a reused staging folder every file this build did not make, and the folders
    /// left empty. The two top levels (the languages, then their guides' folders) are listed here;
    /// the guides' folders are walked [`IO_THREADS`] at a time, since on a disk listing thousands
    /// of folders one after another mostly waits.
    fn prune(&self) -> io::Result<()> {
        if !self.reused {
            return Ok(());
        }
        let produced = lock(&self.produced);
        let mut tops = Vec::new();
        let mut guides = Vec::new();
        for top in std::fs::read_dir(&self.staging)? {
            let top = top?;
            if !top.file_type()?.is_dir() {
                self.prune_file(&top.path(), &produced)?;
                continue;
            }
            for entry in std::fs::read_dir(top.path())? {
                let entry = entry?;
                if entry.file_type()?.is_dir() {
                    guides.push(entry.path());
                } else {
                    self.prune_file(&entry.path(), &produced)?;
                }
            }
            tops.push(top.path());
        }
        on_io_threads(&guides, "guidegen-prune", |folder| {
            self.prune_tree(folder, &produced)
        })?;
        for top in tops {
            // Not empty: it holds what this build made.
            let _ = std::fs::remove_dir(top);
        }
        Ok(())
    }

    /// [`WriteState::prune`] for the folder `dir` and all below it, `dir` too when left empty. A
    /// folder is removed only when nothing in it is kept: trying every folder of a large output
    /// was thousands of failing `rmdir`s.
    fn prune_tree(
        &self,
        dir: &Path,
        produced: &std::collections::HashSet<String>,
    ) -> io::Result<()> {
        self.prune_folder(dir, produced).map(|_| ())
    }

    /// [`WriteState::prune_tree`]; true when `dir` was left empty and removed.
    fn prune_folder(
        &self,
        dir: &Path,
        produced: &std::collections::HashSet<String>,
    ) -> io::Result<bool> {
        let mut kept = false;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            kept |= if entry.file_type()?.is_dir() {
                !self.prune_folder(&path, produced)?
            } else {
                !self.prune_file(&path, produced)?
            };
        }
        // Not removed (nor an error) when something appeared in it meanwhile.
        Ok(!kept && std::fs::remove_dir(dir).is_ok())
    }

    /// Removes the staged file `path` unless this build made it (or it is the mark); true when
    /// removed.
    fn prune_file(
        &self,
        path: &Path,
        produced: &std::collections::HashSet<String>,
    ) -> io::Result<bool> {
        let Ok(rel) = path.strip_prefix(&self.staging) else {
            return Ok(false);
        };
        let rel = rel
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/");
        if rel == MARKER || produced.contains(&rel) {
            return Ok(false);
        }
        std::fs::remove_file(path).map(|()| true)
    }
}

/// Removes whatever a reused staging folder has at `path`: a file, or a folder where this build
/// makes a file (an earlier output's layout).
fn clear_place(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

/// Whether the folders `a` and `b` are on one device.
fn same_device(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// `rels` by folder (`/`-separated, as given), in their order: each folder's file names.
fn by_folder(rels: &[String]) -> Vec<(&str, Vec<&str>)> {
    let mut folders: Vec<(&str, Vec<&str>)> = Vec::new();
    for rel in rels {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        match folders.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, names)) => names.push(name),
            None => folders.push((folder, vec![name])),
        }
    }
    folders
}

/// The regular files (not links, not folders) of the folder `dir`, by name, with their inode
/// numbers: one listing, no `stat` per file where the file system tells each entry's type. None
/// when it cannot be listed, or (without inode numbers) on other systems.
fn regular_files(dir: &Path) -> Option<HashMap<String, u64>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirEntryExt;
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            if entry.file_type().ok()?.is_file()
                && let Ok(name) = entry.file_name().into_string()
            {
                files.insert(name, entry.ino());
            }
        }
        Some(files)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Whether `a` and `b` are one regular file on disk (two links to it).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Where `rel` goes in the staging folder `staging`; an error for a path that would leave it.
fn staged_path(staging: &Path, rel: &str) -> io::Result<PathBuf> {
    let mut path = staging.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad output path {rel}"),
            ));
        }
        path.push(part);
    }
    Ok(path)
}

impl WriteState {
    /// Stages a copy of a large file of the site (a video) as `path`, streamed, never in memory:
    /// taken over from the previous output when that has exactly these bytes, else copied from the
    /// site's folder.
    fn copy_new(&self, rel: &str, path: &Path, source: &MediaFile) -> io::Result<()> {
        let previous = self.target.join(rel);
        if self.previous
            && same_digest(&previous, source)
            && self.link_over(&previous, path).is_ok()
        {
            return Ok(());
        }
        // Never written through: a file here may be a link to the previous output's.
        self.clear_place(path)?;
        crate::files::copy_inside(
            &source.dir,
            Path::new(&source.rel),
            crate::files::MAX_VIDEO_FILE_BYTES,
            &source.digest,
            path,
        )
    }
}

/// Whether `path` is a regular file (not a link) of `source`'s size whose bytes hash to its digest;
/// read in chunks.
fn same_digest(path: &Path, source: &MediaFile) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != source.len {
        return false;
    }
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    crate::files::scan_inside(folder, Path::new(name), source.len, 0)
        .is_ok_and(|scanned| scanned.digest == source.digest)
}

/// The SHA-256 of a file's bytes.
fn digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && same_contents(path, bytes).unwrap_or(false)
}

/// Whether the file at `path` holds `bytes`, read a piece at a time: a large file (the build's
/// record of a big site) is never held twice.
fn same_contents(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::io::Read;
    let mut file = File::open(path)?;
    let mut buffer = vec![0; 256 * 1024];
    let mut rest = bytes;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(rest.is_empty());
        }
        match rest.strip_prefix(&buffer[..read]) {
            Some(after) => rest = after,
            None => return Ok(false),
        }
    }
}

/// A file being streamed out, compared with the previous output's file of that name as it comes:
/// nothing is written while the two are alike. Once they differ, the staged file is created with
/// the part alike copied from the previous one, and the rest written to it.
struct Diverging<'a> {
    path: &'a Path,
    /// Whether the staging folder may already hold a file at `path` ([`WriteState::reused`]).
    reused: bool,
    /// The previous file, while all streamed so far is alike.
    previous: Option<File>,
    /// How many bytes were alike.
    alike: u64,
    /// Set once they differ (or there is no previous file).
    staged: Option<File>,
    buffer: Vec<u8>,
}

impl<'a> Diverging<'a> {
    /// Streams to `path`, compared with `previous_path` (none when there is no previous output).
    fn new(previous_path: Option<&'a Path>, path: &'a Path, reused: bool) -> Diverging<'a> {
        let previous = previous_path
            .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
            .and_then(|p| File::open(p).ok());
        Diverging {
            path,
            reused,
            previous,
            alike: 0,
            staged: None,
            buffer: Vec::new(),
        }
    }

    /// Creates the staged file, in place of what the (reused) staging folder has there, with the
    /// bytes so far alike.
    fn diverge(&mut self) -> io::Result<&mut File> {
        use std::io::{Read, Seek};
        if self.reused {
            clear_place(self.path)?;
        }
        let mut staged = File::create(self.path)?;
        // Bytes are alike only while there is a previous file, which is read again from its start.
        if let Some(mut previous) = self.previous.take()
            && self.alike > 0
        {
            previous.seek(io::SeekFrom::Start(0))?;
            if io::copy(&mut previous.take(self.alike), &mut staged)? != self.alike {
                return Err(io::Error::other("the previous output changed while read"));
            }
        }
        Ok(self.staged.insert(staged))
    }

    /// True when everything streamed is the previous file, byte for byte: nothing was written.
    fn finish(mut self) -> io::Result<bool> {
        use std::io::Read;
        if self.staged.is_some() {
            return Ok(false);
        }
        let Some(previous) = self.previous.as_mut() else {
            self.diverge()?;
            return Ok(false);
        };
        let mut more = [0u8; 1];
        if previous.read(&mut more)? == 0 {
            return Ok(true);
        }
        // The previous file is longer.
        self.diverge()?;
        Ok(false)
    }
}

impl io::Write for Diverging<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        use std::io::Read;
        if let Some(staged) = self.staged.as_mut() {
            return staged.write(bytes);
        }
        if let Some(previous) = self.previous.as_mut() {
            self.buffer.resize(bytes.len(), 0);
            let mut read = 0;
            while read < bytes.len() {
                match previous.read(&mut self.buffer[read..])? {
                    0 => break,
                    n => read += n,
                }
            }
            if self.buffer[..read] == *bytes {
                self.alike += bytes.len() as u64;
                return Ok(bytes.len());
            }
            // Alike up to where the two first differ: copied from the previous file.
            let same = self.buffer[..read]
                .iter()
                .zip(bytes)
                .take_while(|(a, b)| a == b)
                .count();
            self.alike += same as u64;
            let staged = self.diverge()?;
            staged.write_all(&bytes[same..])?;
            return Ok(bytes.len());
        }
        self.diverge()?.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.staged.as_mut() {
            Some(staged) => staged.flush(),
            None => Ok(()),
        }
    }
}

/// Output kept in memory, by path (`serve` answers requests from it; nothing touches the disk).
#[derive(Debug, Default)]
pub struct Memory {
    files: std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>>,
    /// Large files of the site read so far, by digest: a video shown in every language is read
    /// and held once.
    copies: std::sync::Mutex<std::collections::HashMap<[u8; 32], std::sync::Arc<Vec<u8>>>>,
}

impl Memory {
    /// A copy of a site's large file (a video), read now, once: `serve` answers from memory.
    fn read_copy(&self, source: &MediaFile) -> io::Result<std::sync::Arc<Vec<u8>>> {
        let mut copies = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = copies.get(&source.digest) {
            return Ok(std::sync::Arc::clone(bytes));
        }
        let bytes = crate::files::read_inside(
            &source.dir,
            Path::new(&source.rel),
            crate::files::MAX_VIDEO_FILE_BYTES,
        )
        .map_err(|err| io::Error::other(err.message(&source.rel, "the guide's folder")))?;
        let bytes = std::sync::Arc::new(bytes);
        copies.insert(source.digest, std::sync::Arc::clone(&bytes));
        Ok(bytes)
    }

    /// The files put so far.
    pub fn into_files(self) -> std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Output for Memory {
    /// Keeps the file's bytes themselves: a screenshot shown in every language is held once.
    fn put(&self, file: &OutFile) -> io::Result<()> {
        let rel = &file.path;
        if rel
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad output path {rel}"),
            ));
        }
        let bytes = match &file.copy_of {
            Some(source) => self.read_copy(source)?,
            None => std::sync::Arc::clone(&file.bytes),
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.clone(), bytes);
        Ok(())
    }
}

/// A text file of an output folder read before its lock was taken (see [`read_early`]), or what was
/// made of it.
#[derive(Debug)]
pub struct Early<T> {
    value: T,
    identity: FileIdentity,
}

impl<T> Early<T> {
    pub fn map<U>(self, make: impl FnOnce(T) -> U) -> Early<U> {
        Early {
            value: make(self.value),
            identity: self.identity,
        }
    }
}

/// What tells one file from another and from itself changed: device, inode, size, modification and
/// change times.
type FileIdentity = (u64, u64, u64, i64, i64, i64, i64);

#[cfg(unix)]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(path).ok()?;
    let identity = (
        m.dev(),
        m.ino(),
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    );
    m.is_file().then_some(identity)
}

#[cfg(not(unix))]
fn file_identity(_: &Path) -> Option<FileIdentity> {
    // Without an inode to tell files apart, the file is read again under the lock.
    None
}

/// Reads the text file `rel` of the output folder `target` (ours, by its mark) before a build has
/// its lock, so that reading it can overlap the build's other first steps: a large site's record is
/// tens of MB. [`Staging::previous_checked`] takes it only if the file is still the one read.
pub fn read_early(target: &Path, rel: &str) -> Option<Early<String>> {
    if !std::fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let before = file_identity(&target.join(rel))?;
    let bytes = crate::files::read_inside(target, Path::new(rel), 1 << 30).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    // Replaced while it was read: not used.
    (file_identity(&target.join(rel)) == Some(before)).then_some(Early {
        value: text,
        identity: before,
    })
}

impl Staging {
    /// [`Staging::begin_waiting`], waiting silently.
    pub fn begin(target: &Path, site_root: &Path) -> Result<Staging, Refusal> {
        Self::begin_waiting(target, site_root, |_| {})
    }

    /// Checks that `target` may be replaced by a build of the site in `site_root`, takes its lock
    /// and creates an empty staging folder beside it. If another build holds the lock, calls
    /// `on_wait` once with the lock file's path, then waits until that build is over.
    pub fn begin_waiting(
        target: &Path,
        site_root: &Path,
        on_wait: impl FnOnce(&Path),
    ) -> Result<Staging, Refusal> {
        let abs = absolute(target).map_err(cannot_use(target))?;
        check_place(target, &abs, site_root)?;
        let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
            return Err(Refusal::SystemFolder(target.to_path_buf()));
        };
        let name = name.to_string_lossy().into_owned();
        std::fs::create_dir_all(parent).map_err(cannot_use(target))?;
        let lock_path = lock_place(parent, &name);
        let lock = lock_output(&lock_path, on_wait)
            .map_err(|e| Refusal::Io(format!("cannot lock {}: {e}", lock_path.display())))?;
        check_contents(target, &abs)?;
        let prefix = format!(".{name}.guidegen-staging-");
        let warnings = clear_leftovers(parent, &prefix, remove_ours);
        let staging = first_free(parent, &format!("{prefix}{}", std::process::id()));
        let spare = parent.join(spare_name(&name));
        let reused = is_ours(&spare) && std::fs::rename(&spare, &staging).is_ok();
        if !reused {
            std::fs::create_dir(&staging).map_err(cannot_use(target))?;
        }
        let out = Staging {
            writers: Writers::start(&abs, &staging, reused),
            target: abs,
            staging,
            spare,
            warnings,
            _lock: lock,
        };
        out.write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(cannot_use(target))?;
        Ok(out)
    }

    /// Writes one file, `rel` being its `/`-separated path inside the output folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = staged_path(&self.staging, rel)?;
        self.writers.state.create_parent(&path)?;
        if self
            .writers
            .state
            .keeps(rel, |staged| same_bytes(staged, bytes))
        {
            return Ok(());
        }
        // Never written through: in a reused staging folder it may be a link to the output's.
        self.writers.state.clear_place(&path)?;
        std::fs::write(&path, bytes)
    }

    /// Waits until every file queued by [`Output::put`] and [`Output::take_over`] is staged; the
    /// messages of those that could not be, if any. Nothing can be queued afterwards.
    pub fn finish_writes(&self) -> Result<(), Vec<String>> {
        self.writers.finish()
    }

    /// A text file of the previous output (ours, by its mark), if it has one.
    pub fn previous_text(&self, rel: &str) -> Option<String> {
        if !std::fs::symlink_metadata(self.target.join(MARKER)).is_ok_and(|m| m.is_file()) {
            return None;
        }
        // guidegen's own file in its own (marked) output, not a site's input: it grows with the
        // site (about 20 kB a guide), up to this.
        let bytes = crate::files::read_inside(&self.target, Path::new(rel), 1 << 30).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// What was made of [`read_early`]'s text when the previous output's file is still the one it
    /// read (the same file, size and times); else the file is read again, now that this build holds
    /// the lock, and made into `T` by `make`.
    pub fn previous_checked<T>(
        &self,
        rel: &str,
        early: Option<Early<T>>,
        make: impl FnOnce(String) -> T,
    ) -> Option<T> {
        match early {
            Some(early) if file_identity(&self.target.join(rel)) == Some(early.identity) => {
                Some(early.value)
            }
            _ => self.previous_text(rel).map(make),
        }
    }

    /// Writes one file, `rel` being its `/`-separated path inside the output folder, as `write`
    /// writes it out: never the whole file in memory. Like [`Output::put`], a file whose bytes the
    /// previous output already has is taken over from it (so an unchanged site rewrites nothing),
    /// and a file in a reused staging folder is replaced, never written through.
    pub fn write_streamed(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let path = staged_path(&self.staging, rel)?;
        self.writers.state.create_parent(&path)?;
        // Noted as made by this build, so that the swap keeps it.
        self.writers.state.keeps(rel, |_| false);
        let state = &self.writers.state;
        let previous = self.target.join(rel);
        let diverging = Diverging::new(state.previous.then_some(&*previous), &path, state.reused);
        let mut out = io::BufWriter::with_capacity(1 << 16, diverging);
        write(&mut out)?;
        let diverging = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        if diverging.finish()? && !same_file(&path, &previous) {
            state.link_over(&previous, &path)?;
        }
        Ok(())
    }

    /// Swaps the staging folder in for the output folder. The previous output (ours, by its mark) is
    /// moved aside first and removed last, so that at no moment is there half a site. Once the new
    /// site is in place the build has succeeded: a previous output that cannot be removed is only a
    /// warning, and the next build removes it.
    pub fn commit(self) -> io::Result<Committed> {
        if let Err(errors) = self.finish_writes() {
            return Err(io::Error::other(errors.join("; ")));
        }
        self.writers.state.prune()?;
        let old = self.aside_path();
        let spare = self.spare.clone();
        self.commit_via(&old, |old| keep_as_spare(old, &spare))
    }

    /// Where the previous output goes while the staging folder takes its place.
    fn aside_path(&self) -> PathBuf {
        let staging_name = self
            .staging
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = self.staging.parent().unwrap_or(Path::new("."));
        first_free(parent, &format!("{staging_name}.old"))
    }

    /// [`Staging::commit`], moving the previous output to `old` and removing it with `remove`.
    fn commit_via(
        mut self,
        old: &Path,
        remove: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<Committed> {
        let had_previous = self.target.exists();
        if had_previous {
            // On failure nothing has moved; dropping `self` throws the staging folder away.
            std::fs::rename(&self.target, old)?;
        }
        if let Err(err) = std::fs::rename(&self.staging, &self.target) {
            if had_previous && let Err(back) = std::fs::rename(old, &self.target) {
                let message = format!(
                    "{err}; the previous output could not be put back ({back}): it is at {} \
                     until the next build",
                    old.display()
                );
                return Err(io::Error::new(err.kind(), message));
            }
            return Err(err);
        }
        let removed = if had_previous { remove(old) } else { Ok(()) };
        let mut warnings = std::mem::take(&mut self.warnings);
        if let Err(err) = removed {
            warnings.push(format!(
                "the previous output was moved to {} but could not be removed: {err}; \
                 the next build removes it",
                old.display()
            ));
        }
        Ok(Committed {
            path: self.target.clone(),
            warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
        })
    }

    /// Throws the staging folder away; the output folder was never touched.
    pub fn abort(self) {
        drop(self);
    }
}

impl Drop for Staging {
    /// A staging folder that was not swapped in is thrown away, while the lock is still held: after
    /// [`Staging::abort`], or when a build gives up early (an error, a panic).
    fn drop(&mut self) {
        let _ = self.writers.finish();
        let _ = remove_tree(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video_in(dir: &Path, bytes: &[u8]) -> MediaFile {
        use sha2::Digest;
        std::fs::write(dir.join("v.mp4"), bytes).unwrap();
        MediaFile {
            rel: "v.mp4".into(),
            dir: dir.to_path_buf(),
            len: bytes.len() as u64,
            digest: sha2::Sha256::digest(bytes).into(),
        }
    }

    #[test]
    fn a_large_file_is_copied_once_and_never_through_a_link_to_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        let out = tmp.path().join("out");
        let video = video_in(&site, b"first video");
        let staging = Staging::begin(&out, &site).unwrap();
        for lang in ["da", "en"] {
            staging
                .put(&OutFile::copy(format!("{lang}/g/v.mp4"), video.clone()))
                .unwrap();
        }
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read(out.join("da/g/v.mp4")).unwrap(),
            b"first video"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
            assert_eq!(ino("da/g/v.mp4"), ino("en/g/v.mp4"));
        }

        // Changed: written anew, the previous output's file untouched until the swap.
        let changed = video_in(&site, b"second video!");
        let staging = Staging::begin(&out, &site).unwrap();
        staging
            .put(&OutFile::copy("da/g/v.mp4".into(), changed.clone()))
            .unwrap();
        assert_eq!(
            std::fs::read(out.join("da/g/v.mp4")).unwrap(),
            b"first video"
        );
        // The same bytes under another path are a link to the staged copy; a file that changed
        // after it was checked is refused while copying (files::copy_inside).
        staging
            .put(&OutFile::copy("en/g/v.mp4".into(), changed))
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read(out.join("en/g/v.mp4")).unwrap(),
            b"second video!"
        );
    }

    #[test]
    fn memory_holds_a_large_file_once() {
        let tmp = tempfile::tempdir().unwrap();
        let video = video_in(tmp.path(), b"video");
        let memory = Memory::default();
        memory
            .put(&OutFile::copy("da/g/v.mp4".into(), video.clone()))
            .unwrap();
        memory
            .put(&OutFile::copy("en/g/v.mp4".into(), video))
            .unwrap();
        let files = memory.into_files();
        assert_eq!(files["da/g/v.mp4"].as_slice(), b"video");
        assert!(std::sync::Arc::ptr_eq(
            &files["da/g/v.mp4"],
            &files["en/g/v.mp4"]
        ));
    }
    use std::sync::mpsc;
    use std::time::Duration;

    /// How long a test waits for something that should happen at once; only a hang reaches it.
    const PATIENCE: Duration = Duration::from_secs(30);

    /// What is in `dir` besides lock files, which stay by design.
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".guidegen-lock"))
            .collect();
        names.sort();
        names
    }

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
        // The replaced output is kept as the next build's starting point, and nothing else.
        assert_eq!(beside(tmp.path()), [".out.guidegen-spare", "out"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_updates_the_spare_in_place_and_never_writes_through_to_the_output() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let spare = tmp.path().join(spare_name("out"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let build = |files: &[(&str, &str)]| {
            let staging = Staging::begin(&out, &site).unwrap();
            for (rel, text) in files {
                staging
                    .put(&OutFile::new(
                        rel.to_string(),
                        text.as_bytes().to_vec(),
                        FileKind::Page,
                    ))
                    .unwrap();
            }
            staging.commit().unwrap();
        };
        build(&[("a.html", "a"), ("b.html", "b"), ("gone.html", "x")]);
        assert!(
            !spare.exists(),
            "a first build has no previous output to keep"
        );
        build(&[("a.html", "a"), ("b.html", "b"), ("gone.html", "x")]);
        let (a, b) = (ino(&out.join("a.html")), ino(&out.join("b.html")));
        assert_eq!(
            ino(&spare.join("a.html")),
            a,
            "the spare shares unchanged files"
        );

        // The third build starts from the spare: "a" is kept as it is, "b" replaced by a new file
        // (not written through the link the output shares), "gone" removed.
        build(&[("a.html", "a"), ("b.html", "B"), ("new/c.html", "c")]);
        assert_eq!(ino(&out.join("a.html")), a);
        assert_ne!(ino(&out.join("b.html")), b);
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "B");
        assert_eq!(std::fs::read_to_string(spare.join("b.html")).unwrap(), "b");
        assert!(!out.join("gone.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("new/c.html")).unwrap(),
            "c"
        );

        // A file where the spare has a folder (an earlier layout) takes the folder's place.
        build(&[("a.html", "a"), ("new", "now a file")]);
        build(&[("a.html", "a"), ("new", "now a file")]);
        assert_eq!(
            std::fs::read_to_string(out.join("new")).unwrap(),
            "now a file"
        );
        build(&[("a.html", "a"), ("b.html", "B")]);

        // A failed build that started from the spare leaves the output as it was.
        let staging = Staging::begin(&out, &site).unwrap();
        staging.write("a.html", b"broken").unwrap();
        staging.abort();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "B");
        assert_eq!(beside(tmp.path()), ["out"]);
    }

    #[test]
    fn a_record_read_before_the_lock_is_taken_only_while_it_is_the_same_file() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let build = |text: &str| {
            let staging = Staging::begin(&out, &site).unwrap();
            staging
                .write_streamed("rec", |w| w.write_all(text.as_bytes()))
                .unwrap();
            staging.commit().unwrap();
        };
        let early = || read_early(&out, "rec").map(|e| e.map(|text| format!("early {text}")));
        let previous = |early| {
            let staging = Staging::begin(&out, &site).unwrap();
            staging.previous_checked("rec", early, |text| format!("read again {text}"))
        };
        assert!(early().is_none(), "no output yet");
        build("one");
        assert_eq!(previous(early()).as_deref(), Some("early one"));
        // Another build replaced the output between the early read and the lock.
        let before = early();
        build("two");
        assert_eq!(previous(before).as_deref(), Some("read again two"));
        // Streamed into a reused spare: a new file, kept by the swap, never written through.
        build("three");
        assert_eq!(std::fs::read_to_string(out.join("rec")).unwrap(), "three");
        let spare = tmp.path().join(spare_name("out"));
        assert_eq!(std::fs::read_to_string(spare.join("rec")).unwrap(), "two");
        // Not ours (no mark): not read.
        std::fs::remove_file(out.join(MARKER)).unwrap();
        assert!(early().is_none());
    }

    #[test]
    fn a_streamed_file_alike_the_previous_one_is_taken_over_and_any_other_written_whole() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        // Written in pieces of 3 bytes, as a record is written line by line.
        let build = |text: &str| {
            let staging = Staging::begin(&out, &site).unwrap();
            staging
                .write_streamed("rec", |w| {
                    text.as_bytes().chunks(3).try_for_each(|c| w.write_all(c))
                })
                .unwrap();
            staging.commit().unwrap();
            std::fs::read_to_string(out.join("rec")).unwrap()
        };
        let long = "x".repeat(200_000);
        for text in [
            "abcdefgh",
            "abcdefgh",
            "abcdefgh",
            "abcdXfgh",
            "abcdXfghij",
            "abcd",
            "",
            "",
            &long,
            &long,
            &format!("{long}y"),
            "abcd",
        ] {
            let before = out.join("rec").is_file().then(|| ino(&out.join("rec")));
            let previous = std::fs::read_to_string(out.join("rec")).ok();
            assert_eq!(build(text), text);
            let after = ino(&out.join("rec"));
            if previous.as_deref() == Some(text) {
                assert_eq!(before, Some(after), "alike: taken over, not written");
            }
            let spare = tmp.path().join(spare_name("out")).join("rec");
            if let Some(previous) = previous {
                assert_eq!(
                    std::fs::read_to_string(spare).unwrap(),
                    previous,
                    "never written through to the spare"
                );
            }
        }
    }

    #[test]
    fn pruning_a_reused_spare_removes_the_folders_left_empty_and_only_those() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let build = |files: &[&str]| {
            let staging = Staging::begin(&out, &site).unwrap();
            for rel in files {
                staging
                    .put(&OutFile::new(
                        rel.to_string(),
                        rel.as_bytes().to_vec(),
                        FileKind::Page,
                    ))
                    .unwrap();
            }
            staging.commit().unwrap();
        };
        let all = ["a.html", "g/x/y.html", "g/z.html", "h/k/l.html", "h/m.html"];
        build(&all);
        build(&all);
        // Starts from the spare, the first build's output.
        build(&["a.html", "h/m.html"]);
        let mut left: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| rel_of(&out, e.unwrap().path()))
            .collect();
        left.sort();
        assert_eq!(left, [MARKER, "a.html", "h", "h/m.html"]);
    }

    fn rel_of(root: &Path, path: &Path) -> String {
        path.strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/")
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

    fn page(path: &str, text: &str) -> OutFile {
        OutFile::new(path.to_owned(), text.as_bytes().to_vec(), FileKind::Page)
    }

    #[test]
    fn queued_files_are_all_staged_before_the_swap_and_a_failed_one_stops_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let staging = Staging::begin(&out, &site).unwrap();
        let files: Vec<OutFile> = (0..200)
            .map(|i| page(&format!("en/guide-{i}/index.html"), &format!("page {i}")))
            .collect();
        staging.put_all(&files).unwrap();
        staging.commit().unwrap();
        for i in 0..200 {
            let text = std::fs::read_to_string(out.join(format!("en/guide-{i}/index.html")));
            assert_eq!(text.unwrap(), format!("page {i}"));
        }

        // A file where a folder must go: the page under it cannot be written.
        // Handed over with others, as a render's files are, it is the one failure reported.
        let staging = Staging::begin(&out, &site).unwrap();
        staging.write("en/x", b"file").unwrap();
        let batch = [
            page("en/y/index.html", "before"),
            page("en/x/index.html", "under a file"),
            page("en/z/index.html", "after"),
        ];
        staging.put_all(&batch).unwrap();
        let errors = staging.finish_writes().unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("en/x/index.html"), "{errors:?}");
        let staged = |rel: &str| std::fs::read_to_string(staging.staging.join(rel)).ok();
        assert_eq!(staged("en/y/index.html").as_deref(), Some("before"));
        assert_eq!(staged("en/z/index.html").as_deref(), Some("after"));
        assert!(
            staging.commit().is_err(),
            "a build with a failed write is not swapped in"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("en/guide-7/index.html")).unwrap(),
            "page 7",
            "the previous output stays"
        );
    }

    #[test]
    fn takes_over_all_of_a_guides_files_or_none() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let staging = Staging::begin(&out, &site).unwrap();
        staging.put(&page("en/a/index.html", "a")).unwrap();
        staging.commit().unwrap();
        let staging = Staging::begin(&out, &site).unwrap();
        let missing = ["en/a/index.html".to_owned(), "en/a/a-en.pdf".to_owned()];
        assert!(!staging.take_over(&missing));
        assert!(staging.take_over(&missing[..1]));
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("en/a/index.html")).unwrap(),
            "a"
        );
        // A file at the top of the output, too.
        let staging = Staging::begin(&out, &site).unwrap();
        staging.put(&page("top.html", "top")).unwrap();
        staging.commit().unwrap();
        let staging = Staging::begin(&out, &site).unwrap();
        assert!(staging.take_over(&["top.html".to_owned()]));
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("top.html")).unwrap(),
            "top"
        );
    }

    #[test]
    fn a_folder_of_many_files_is_taken_over_by_listing_it_and_stale_spare_files_are_replaced() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let spare = tmp.path().join(spare_name("out"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let rels: Vec<String> = std::iter::once("en/g/index.html".to_owned())
            .chain((1..=6).map(|n| format!("en/g/shots/{n}.png")))
            .collect();
        let staging = Staging::begin(&out, &site).unwrap();
        for rel in &rels {
            staging.put(&page(rel, &format!("bytes of {rel}"))).unwrap();
        }
        staging.commit().unwrap();
        // Listed (six files in shots/): one missing file means none is taken over.
        std::fs::remove_file(out.join("en/g/shots/6.png")).unwrap();
        let staging = Staging::begin(&out, &site).unwrap();
        assert!(!staging.take_over(&rels));
        staging.abort();
        std::fs::write(out.join("en/g/shots/6.png"), "bytes of en/g/shots/6.png").unwrap();
        let take_over = || {
            let staging = Staging::begin(&out, &site).unwrap();
            assert!(staging.take_over(&rels));
            staging.commit().unwrap();
        };
        take_over();
        let inodes: Vec<u64> = rels.iter().map(|rel| ino(&out.join(rel))).collect();

        // The next build starts from the spare: files it shares with the output stay; one the
        // spare has with other bytes, or lacks, is the output's again.
        std::fs::remove_file(spare.join("en/g/shots/3.png")).unwrap();
        std::fs::write(spare.join("en/g/shots/3.png"), "stale").unwrap();
        std::fs::remove_file(spare.join("en/g/shots/4.png")).unwrap();
        take_over();
        for (rel, inode) in rels.iter().zip(&inodes) {
            assert_eq!(
                std::fs::read_to_string(out.join(rel)).unwrap(),
                format!("bytes of {rel}")
            );
            assert_eq!(ino(&out.join(rel)), *inode, "{rel} is the same file");
        }
    }

    #[test]
    fn clears_the_folders_a_dead_build_left_but_only_ours() {
        let tmp = tempfile::tempdir().unwrap();
        let marked = |name: &str| {
            let dir = tmp.path().join(name);
            std::fs::create_dir_all(dir.join("en")).unwrap();
            std::fs::write(dir.join("en/index.html"), "page").unwrap();
            std::fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
            dir
        };
        let killed = marked(".out.guidegen-staging-1");
        let not_removed = marked(".out.guidegen-staging-1.old");
        let not_removed_again = marked(".out.guidegen-staging-1-2.old-3");
        let other_output = marked(".out.guidegen-staging-1.guidegen-staging-2");
        let unmarked = tmp.path().join(".out.guidegen-staging-3");
        std::fs::create_dir_all(&unmarked).unwrap();
        let staging = Staging::begin(&tmp.path().join("out"), &tmp.path().join("site")).unwrap();
        staging.commit().unwrap();
        assert!(!killed.exists());
        assert!(!not_removed.exists());
        assert!(!not_removed_again.exists());
        assert!(
            other_output.exists(),
            "the staging folder of the output `out.guidegen-staging-1` is not `out`'s"
        );
        assert!(unmarked.exists(), "a folder without the mark is not ours");
    }

    #[cfg(unix)]
    #[test]
    fn does_not_follow_a_link_named_like_a_leftover() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
        let link = tmp.path().join(".out.guidegen-staging-1");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        Staging::begin(&tmp.path().join("out"), &tmp.path().join("site"))
            .unwrap()
            .abort();
        assert!(elsewhere.join("keep.txt").exists());
    }

    #[test]
    fn a_second_build_waits_for_the_first_and_leaves_its_staging_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let site = tmp.path().join("site");
        let first = Staging::begin(&out, &site).unwrap();
        first.write("a.txt", b"first").unwrap();

        let (waiting_tx, waiting) = mpsc::channel();
        let (begun_tx, begun) = mpsc::channel();
        let second = {
            let (out, site) = (out.clone(), site.clone());
            std::thread::spawn(move || {
                let on_wait = |lock: &Path| waiting_tx.send(lock.to_path_buf()).unwrap();
                let staging = Staging::begin_waiting(&out, &site, on_wait).unwrap();
                begun_tx.send(()).unwrap();
                staging.write("a.txt", b"second").unwrap();
                staging.commit().unwrap()
            })
        };
        let lock = waiting
            .recv_timeout(PATIENCE)
            .expect("the second build waits");
        assert_eq!(lock, lock_place(&tmp.path().canonicalize().unwrap(), "out"));
        assert!(
            begun.recv_timeout(Duration::from_millis(200)).is_err(),
            "the second build began while the first held the lock"
        );
        assert!(
            first.staging.join("a.txt").is_file(),
            "the first build's files are gone"
        );

        let first = first.commit().unwrap();
        assert_eq!(first.warning, None);
        begun
            .recv_timeout(PATIENCE)
            .expect("the second build begins");
        let second = second.join().unwrap();
        assert_eq!(second.warning, None);
        assert_eq!(
            std::fs::read_to_string(out.join("a.txt")).unwrap(),
            "second"
        );
        assert!(out.join(MARKER).is_file());
        assert_eq!(beside(tmp.path()), [".out.guidegen-spare", "out"]);
    }

    #[test]
    fn a_lock_file_left_behind_does_not_make_a_build_wait() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let site = tmp.path().join("site");
        std::fs::write(tmp.path().join(".out.guidegen-lock"), "left by a build").unwrap();
        let never_waits = |_: &Path| panic!("nobody holds the lock");
        let staging = Staging::begin_waiting(&out, &site, never_waits).unwrap();
        let staging_folder = staging.staging.clone();
        drop(staging);
        assert!(
            !staging_folder.exists(),
            "dropping a staging throws it away"
        );
        let staging = Staging::begin_waiting(&out, &site, never_waits).unwrap();
        staging.write("a.txt", b"built").unwrap();
        staging.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "built");
    }

    #[test]
    fn a_previous_output_that_cannot_be_removed_is_a_warning_and_removed_next_time() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let site = tmp.path().join("site");
        let first = Staging::begin(&out, &site).unwrap();
        first.write("a.txt", b"first").unwrap();
        first.commit().unwrap();

        let second = Staging::begin(&out, &site).unwrap();
        second.write("a.txt", b"second").unwrap();
        let old = second.aside_path();
        let immutable = |_: &Path| Err(io::Error::from(io::ErrorKind::PermissionDenied));
        let committed = second.commit_via(&old, immutable).unwrap();
        assert_eq!(committed.path, absolute(&out).unwrap());
        let warning = committed.warning.expect("a warning");
        assert!(warning.contains(&old.display().to_string()), "{warning}");
        assert_eq!(
            std::fs::read_to_string(out.join("a.txt")).unwrap(),
            "second"
        );
        assert_eq!(std::fs::read_to_string(old.join("a.txt")).unwrap(), "first");

        Staging::begin(&out, &site).unwrap().abort();
        assert!(!old.exists(), "the next build removes the previous output");
        assert_eq!(beside(tmp.path()), ["out"]);
    }

    #[test]
    fn a_previous_output_that_cannot_be_moved_stays_in_place() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let site = tmp.path().join("site");
        let first = Staging::begin(&out, &site).unwrap();
        first.write("a.txt", b"first").unwrap();
        first.commit().unwrap();

        let second = Staging::begin(&out, &site).unwrap();
        second.write("a.txt", b"second").unwrap();
        let unreachable = tmp.path().join("no such folder").join("out.old");
        assert!(second.commit_via(&unreachable, remove_ours).is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "first");
        assert_eq!(beside(tmp.path()), ["out"], "the staging folder is removed");
    }

    #[test]
    fn warns_of_a_leftover_that_still_cannot_be_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let leftover = tmp.path().join(".out.guidegen-staging-1.old");
        std::fs::create_dir(&leftover).unwrap();
        std::fs::write(leftover.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::create_dir(tmp.path().join(".out.guidegen-staging-2")).unwrap();
        std::fs::create_dir(tmp.path().join("notes")).unwrap();
        let tried = std::cell::RefCell::new(Vec::new());
        let immutable = |path: &Path| {
            tried.borrow_mut().push(path.to_path_buf());
            Err(io::Error::from(io::ErrorKind::PermissionDenied))
        };
        let warnings = clear_leftovers(tmp.path(), ".out.guidegen-staging-", immutable);
        assert_eq!(
            tried.into_inner(),
            [leftover.as_path()],
            "only ours is removed"
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains(".out.guidegen-staging-1.old"),
            "{warnings:?}"
        );
        assert!(leftover.exists());
    }

    #[test]
    fn removes_a_folder_of_ours_with_its_mark_last() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("old");
        std::fs::create_dir_all(dir.join("en/guide")).unwrap();
        std::fs::write(dir.join("en/guide/index.html"), "page").unwrap();
        std::fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        remove_ours(&empty).unwrap();
        assert!(!empty.exists());
    }

    #[test]
    fn knows_the_names_of_its_staging_folders() {
        let prefix = ".out.guidegen-staging-";
        for ours in ["1", "12-2", "12.old", "12.old-3", "12-2.old-3"] {
            assert!(
                is_staging_name(&format!("{prefix}{ours}"), prefix),
                "{ours}"
            );
        }
        for not_ours in [
            "",
            "notes",
            "1.guidegen-staging-2",
            "1.old.old",
            "-2",
            "1-",
            "1.older",
        ] {
            assert!(
                !is_staging_name(&format!("{prefix}{not_ours}"), prefix),
                "{not_ours}"
            );
        }
        assert!(!is_staging_name(".other.guidegen-staging-1", prefix));
    }

    #[test]
    fn rejects_paths_that_climb_out() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&tmp.path().join("out"), &tmp.path().join("site")).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        staging.abort();
    }
}
