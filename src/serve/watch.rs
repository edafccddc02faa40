//! Serve: watching the site folder. Changes are gathered until the folder is quiet for a moment
//! (an editor's save is often several writes, or a write and a rename), the backend rebuilds what
//! they affect, the new snapshot is served and open pages are told.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use super::{Note, Shared, Snapshot, shown_path};

/// How long the folder must be quiet before a rebuild: long enough for a save's writes and renames
/// (microseconds to a few milliseconds apart), short enough that save-to-page stays under 100 ms.
const QUIET: Duration = Duration::from_millis(30);

/// The longest a stream of changes (a `git checkout`, a copy of many screenshots) delays a rebuild.
const MAX_DELAY: Duration = Duration::from_millis(300);

/// Folders at the top of a site that are never input and can be large: not watched.
const NOT_INPUT: &[&str] = &["target", "node_modules"];

/// What reaches the watching thread.
enum Message {
    Changed(notify::Result<Event>),
    Stop,
}

/// A running watcher.
pub struct Watching {
    stop: mpsc::Sender<Message>,
    thread: JoinHandle<()>,
}

impl Watching {
    pub fn stop(self) {
        let _ = self.stop.send(Message::Stop);
        let _ = self.thread.join();
    }
}

/// Watches `site_dir`: its top level, and each folder in it that can hold input, recursively.
pub fn start(
    site_dir: &Path,
    shared: Arc<Shared>,
    notes: mpsc::Sender<Note>,
) -> Result<Watching, Box<dyn std::error::Error>> {
    let root = site_dir.canonicalize()?;
    let (sender, messages) = mpsc::channel();
    let events = sender.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(Message::Changed(event));
    })?;
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watch = Watch {
        ignored: ignored_paths(&shared),
        root,
        given: site_dir.to_path_buf(),
        watcher,
        shared,
        notes,
        warned: BTreeSet::new(),
    };
    for entry in std::fs::read_dir(&watch.root)?.flatten() {
        watch.watch_folder(&entry.path());
    }
    let thread = std::thread::spawn(move || watch.run(&messages));
    Ok(Watching {
        stop: sender,
        thread,
    })
}

struct Watch {
    /// The site folder, canonical: the paths of events start with it.
    root: PathBuf,
    /// The site folder as the command line gave it.
    given: PathBuf,
    /// The backend's `ignored()`, canonical where they exist.
    ignored: Vec<PathBuf>,
    watcher: notify::RecommendedWatcher,
    shared: Arc<Shared>,
    notes: mpsc::Sender<Note>,
    /// Watcher errors already printed, so that a flood prints each once.
    warned: BTreeSet<String>,
}

impl Watch {
    fn run(mut self, messages: &mpsc::Receiver<Message>) {
        while let Some(paths) = self.next_batch(messages) {
            self.rebuild(paths);
        }
    }

    /// Waits for a change to input, then gathers changes until the folder is quiet for [`QUIET`]
    /// (or [`MAX_DELAY`] has passed). None: stop.
    fn next_batch(&mut self, messages: &mpsc::Receiver<Message>) -> Option<BTreeSet<PathBuf>> {
        let mut paths = BTreeSet::new();
        while paths.is_empty() {
            match messages.recv() {
                Ok(Message::Changed(event)) => self.take(event, &mut paths),
                Ok(Message::Stop) | Err(_) => return None,
            }
        }
        let deadline = Instant::now() + MAX_DELAY;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Some(paths);
            }
            match messages.recv_timeout(QUIET.min(left)) {
                Ok(Message::Changed(event)) => self.take(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => return Some(paths),
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Adds the input paths of `event` to `paths`, and watches a folder new at the top.
    fn take(&mut self, event: notify::Result<Event>, paths: &mut BTreeSet<PathBuf>) {
        let event = match event {
            Ok(event) => event,
            Err(err) => return self.warn(format!("warning: watching the site: {err}")),
        };
        if event.need_rescan() {
            paths.insert(self.root.clone());
        }
        if !is_change(&event.kind) {
            return;
        }
        for path in event.paths {
            if !is_input(&self.root, &self.ignored, &path) {
                continue;
            }
            if path.parent() == Some(self.root.as_path()) && is_arrival(&event.kind) {
                self.watch_folder(&path);
            }
            paths.insert(path);
        }
    }

    /// Watches a folder at the top of the site, recursively, unless it can't hold input.
    fn watch_folder(&mut self, path: &Path) {
        if !path.is_dir() || !is_input(&self.root, &self.ignored, path) {
            return;
        }
        if let Err(err) = self.watcher.watch(path, RecursiveMode::Recursive) {
            self.warn(format!(
                "warning: not watching {}: {err}",
                shown_path(&self.root, path)
            ));
        }
    }

    fn warn(&mut self, line: String) {
        if self.warned.insert(line.clone()) {
            let _ = self.notes.send(Note::Line(line));
        }
    }

    /// `path` (canonical, as events name it) below the site folder as it was given: the backend
    /// knows the site by that name (`.`, a relative or a symlinked path).
    fn as_given(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => self.given.clone(),
            Ok(rel) => self.given.join(rel),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Asks the backend to rebuild, serves the result, tells the pages, and reports.
    fn rebuild(&mut self, paths: BTreeSet<PathBuf>) {
        let paths: Vec<PathBuf> = paths.into_iter().collect();
        let changed: Vec<PathBuf> = paths.iter().map(|p| self.as_given(p)).collect();
        let before = self.shared.current();
        let started = Instant::now();
        let rebuilt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut backend = self
                .shared
                .backend
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            (backend.changed(&changed), backend.ignored())
        }));
        let took = started.elapsed();
        let (after, ignored) = match rebuilt {
            Ok(rebuilt) => rebuilt,
            Err(_) => {
                let _ = self.notes.send(Note::Line(
                    "error: the rebuild failed (a bug in guidegen; the panic is above); still \
                     serving the last good site"
                        .to_owned(),
                ));
                return;
            }
        };
        self.ignored = canonical(ignored);
        if after.generation == before.generation {
            return;
        }
        self.shared.live.publish(Arc::clone(&after));
        let report = report(&self.root, &paths, took, &before, &after);
        let _ = self.notes.send(Note::Line(report));
    }
}

/// Kinds of events that can change what the site is: not reads, opens or access times (the
/// backend's own reading makes those), but a write being closed, which ends a save.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Events by which a path comes to be (a new folder to watch).
fn is_arrival(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Modify(ModifyKind::Name(
                RenameMode::To | RenameMode::Both | RenameMode::Any
            ))
            | EventKind::Any
    )
}

/// Whether a change at `path` can change the site: inside the site folder, outside the backend's
/// `ignored` (the output), outside version control's and tools' folders, and not an editor's
/// scratch file.
pub fn is_input(root: &Path, ignored: &[PathBuf], path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if ignored.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let mut names = rel.components().filter_map(|c| match c {
        Component::Normal(name) => Some(name.to_string_lossy()),
        _ => None,
    });
    let Some(top) = names.next() else {
        return true;
    };
    if top.starts_with('.') || NOT_INPUT.contains(&top.as_ref()) {
        return false;
    }
    let names: Vec<_> = std::iter::once(top).chain(names).collect();
    !names
        .iter()
        .any(|n| matches!(n.as_ref(), ".git" | ".hg" | ".svn"))
        && !names.last().is_some_and(|n| is_editor_scratch(n))
}

/// Files editors and tools write beside the one being saved, and delete again: vim's swap files and
/// its `4913` probe, Emacs's locks and autosaves, backups (`~`), write-then-rename temporaries
/// (`*.tmp`, JetBrains's `___jb_tmp___`, gedit's `.goutputstream-*`, `sed -i`'s `sedXXXXXX`),
/// Kate's swap, Office's `~$` locks, and Finder's `.DS_Store`.
pub fn is_editor_scratch(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".swpx",
        ".tmp",
        ".temp",
        ".kate-swp",
        ".crswap",
        "___jb_tmp___",
        "___jb_old___",
    ];
    const PREFIXES: &[&str] = &[".#", ".goutputstream-", "~$", ".~lock."];
    name == "4913"
        || name == ".DS_Store"
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| name.ends_with(s))
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || is_sed_temporary(name)
}

fn is_sed_temporary(name: &str) -> bool {
    name.strip_prefix("sed")
        .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn ignored_paths(shared: &Shared) -> Vec<PathBuf> {
    let ignored = shared
        .backend
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .ignored();
    canonical(ignored)
}

/// Paths as events name them: canonical where they exist, absolute otherwise.
fn canonical(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .map(|p| {
            p.canonicalize()
                .or_else(|_| std::path::absolute(&p))
                .unwrap_or(p)
        })
        .collect()
}

/// The terminal's account of a rebuild: one line (what changed, how long, what it did), then each
/// problem that is new, then "fixed" when the last error went.
fn report(
    root: &Path,
    paths: &[PathBuf],
    took: Duration,
    before: &Snapshot,
    after: &Snapshot,
) -> String {
    let mut shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| shown_path(root, p).into_owned())
        .collect();
    if paths.len() > 3 {
        shown.push(format!("{} more", paths.len() - 3));
    }
    let updated = updated_files(before, after);
    let errors = after
        .problems
        .iter()
        .filter(|p| p.diagnostic.is_error())
        .count();
    let mut text = format!(
        "{}: rebuilt in {} ms, {updated} file{} updated",
        shown.join(", "),
        took.as_millis(),
        if updated == 1 { "" } else { "s" }
    );
    if errors > 0 {
        text.push_str(&format!(
            "; {errors} error{} (the pages show their last good version)",
            if errors == 1 { "" } else { "s" }
        ));
    }
    let known: BTreeSet<&str> = before
        .problems
        .iter()
        .map(|p| p.rendered.as_str())
        .collect();
    for problem in after
        .problems
        .iter()
        .filter(|p| !known.contains(p.rendered.as_str()))
    {
        text.push_str(&format!("\n{}\n", problem.rendered));
    }
    let errors_before = before.problems.iter().any(|p| p.diagnostic.is_error());
    if errors_before && errors == 0 {
        text.push_str("\nfixed: no errors left");
    }
    text
}

/// How many files a rebuild added, changed or removed.
fn updated_files(before: &Snapshot, after: &Snapshot) -> usize {
    let changed_or_added = after
        .files
        .iter()
        .filter(|(path, bytes)| {
            before
                .files
                .get(*path)
                .is_none_or(|old| !Arc::ptr_eq(old, bytes) && old != *bytes)
        })
        .count();
    let removed = before
        .files
        .keys()
        .filter(|path| !after.files.contains_key(*path))
        .count();
    changed_or_added + removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Span};
    use crate::serve::Problem;
    use std::collections::BTreeMap;

    #[test]
    fn editor_scratch_files_are_recognized() {
        for name in [
            ".guide.yaml.swp",
            ".guide.yaml.swx",
            "4913",
            "guide.yaml~",
            ".#guide.yaml",
            "#guide.yaml#",
            "guide.yaml.tmp",
            "guide.yaml___jb_tmp___",
            ".goutputstream-ABC123",
            ".DS_Store",
            "sedGfEVCU",
        ] {
            assert!(is_editor_scratch(name), "{name}");
        }
        for name in [
            "guide.yaml",
            "a.png",
            "guidegen.yaml",
            "style.css",
            "#",
            "sed.yaml",
        ] {
            assert!(!is_editor_scratch(name), "{name}");
        }
    }

    #[test]
    fn only_site_input_counts() {
        let root = Path::new("/site");
        let ignored = [PathBuf::from("/site/output")];
        for path in [
            "/site",
            "/site/guidegen.yaml",
            "/site/guides/a/guide.yaml",
            "/site/guides/a/shots/one.png",
            "/site/guides/new-guide",
            "/site/templates/guide.html",
            "/site/locales/da.yaml",
        ] {
            assert!(is_input(root, &ignored, Path::new(path)), "{path}");
        }
        for path in [
            "/elsewhere/guide.yaml",
            "/site/output/en/index.html",
            "/site/output",
            "/site/.git/index",
            "/site/target/debug/x",
            "/site/node_modules/x/package.json",
            "/site/.vscode/settings.json",
            "/site/guides/.git/HEAD",
            "/site/guides/a/.guide.yaml.swp",
            "/site/guides/a/4913",
            "/site/guides/a/guide.yaml~",
            "/site/guides/a/guide.yaml.tmp",
        ] {
            assert!(!is_input(root, &ignored, Path::new(path)), "{path}");
        }
    }

    #[test]
    fn reads_and_opens_are_not_changes() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::Folder)));
        assert!(is_change(&EventKind::Remove(RemoveKind::Any)));
    }

    fn snapshot(generation: u64, files: &[(&str, &str)], errors: &[&str]) -> Snapshot {
        Snapshot {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), Arc::new(b.as_bytes().to_vec())))
                .collect::<BTreeMap<_, _>>(),
            generation,
            problems: errors
                .iter()
                .map(|message| Problem {
                    guide: None,
                    diagnostic: Diagnostic::error("guidegen.yaml", Span::START, *message),
                    rendered: format!("guidegen.yaml:1:1: error: {message}"),
                })
                .collect(),
        }
    }

    #[test]
    fn the_report_is_one_line_then_new_problems_then_fixed() {
        let root = Path::new("/site");
        let paths = [PathBuf::from("/site/guides/a/guide.yaml")];
        let ms = Duration::from_millis(12);
        let a = snapshot(1, &[("x", "1"), ("y", "1"), ("z", "1")], &[]);
        let b = snapshot(2, &[("x", "2"), ("y", "1"), ("w", "1")], &["bad", "worse"]);
        let c = snapshot(3, &[("x", "2"), ("y", "1"), ("w", "1")], &["worse"]);
        let d = snapshot(4, &[("x", "2"), ("y", "1"), ("w", "1")], &[]);
        assert_eq!(
            report(root, &paths, ms, &a, &b),
            "guides/a/guide.yaml: rebuilt in 12 ms, 3 files updated; 2 errors (the pages show \
             their last good version)\nguidegen.yaml:1:1: error: bad\n\n\
             guidegen.yaml:1:1: error: worse\n"
        );
        assert!(
            report(root, &paths, ms, &b, &c)
                .ends_with("1 error (the pages show their last good version)")
        );
        assert_eq!(
            report(root, &paths, ms, &c, &d),
            "guides/a/guide.yaml: rebuilt in 12 ms, 0 files updated\nfixed: no errors left"
        );
        let many: Vec<PathBuf> = (0..5)
            .map(|i| PathBuf::from(format!("/site/{i}")))
            .collect();
        assert!(report(root, &many, ms, &c, &d).starts_with("0, 1, 2, 2 more: rebuilt"));
    }
}
