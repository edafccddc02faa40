//! Serve (tests): a stand-in backend. Each `guides/<id>/guide.yaml` becomes `en/<id>/index.html`
//! showing the file's text; a text starting with `error` is an error of that guide, which keeps its
//! last good page. Every call of `changed` is recorded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::page::escape;
use super::{Backend, Problem, Snapshot};
use crate::diagnostic::{Diagnostic, Span};

pub struct FakeBackend {
    root: PathBuf,
    snapshot: Arc<Snapshot>,
    /// The paths of each `changed` call, in order.
    pub calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

impl FakeBackend {
    pub fn open(root: &Path) -> FakeBackend {
        let mut backend = FakeBackend {
            root: root.to_path_buf(),
            snapshot: Arc::new(Snapshot {
                files: BTreeMap::new(),
                generation: 0,
                problems: Vec::new(),
            }),
            calls: Arc::default(),
        };
        backend.build();
        backend
    }

    fn build(&mut self) {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        files.insert("index.html".to_owned(), page("root"));
        files.insert("assets/style.css".to_owned(), Arc::new(b"body{}".to_vec()));
        for (id, text) in guides(&self.root) {
            let key = format!("en/{id}/index.html");
            if text.starts_with("error") {
                let path = format!("guides/{id}/guide.yaml");
                let diagnostic = Diagnostic::error(&path, Span::START, text.trim())
                    .with_hint("write no <error>");
                problems.push(Problem {
                    guide: Some(id.clone()),
                    rendered: format!(
                        "{path}:1:1: error: {}\n  |\n1 | {}\n  | ^\n  = hint: write no <error>",
                        text.trim(),
                        text.trim()
                    ),
                    diagnostic,
                });
                if let Some(last_good) = self.snapshot.files.get(&key) {
                    files.insert(key, Arc::clone(last_good));
                }
            } else {
                files.insert(key, page(text.trim()));
            }
        }
        self.snapshot = Arc::new(Snapshot {
            files,
            generation: self.snapshot.generation + 1,
            problems,
        });
    }
}

/// Each guide's id and its guide.yaml's text.
fn guides(root: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(root.join("guides")) else {
        return Vec::new();
    };
    let mut guides: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.path().join("guide.yaml")).ok()?;
            Some((entry.file_name().to_string_lossy().into_owned(), text))
        })
        .collect();
    guides.sort();
    guides
}

fn page(text: &str) -> Arc<Vec<u8>> {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><title>{0}</title></head>\n<body>\n\
         <h1>{0}</h1>\n</body>\n</html>\n",
        escape(text)
    );
    Arc::new(html.into_bytes())
}

impl Backend for FakeBackend {
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot)
    }

    fn changed(&mut self, paths: &[PathBuf]) -> Arc<Snapshot> {
        self.calls.lock().unwrap().push(paths.to_vec());
        self.build();
        self.snapshot()
    }

    fn pdf(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        let mut parts = path.split('/');
        let (_lang, id, file) = (parts.next()?, parts.next()?, parts.next()?);
        let exists = self
            .snapshot
            .files
            .contains_key(&format!("en/{id}/index.html"));
        (exists && file == format!("{id}-en.pdf"))
            .then(|| Ok(Arc::new(format!("%PDF-1.7 {id}").into_bytes())))
    }

    fn ignored(&self) -> Vec<PathBuf> {
        vec![self.root.join("output")]
    }
}
