//! The programs the benches that run the CLI measure (`benches/serve.rs`, `benches/disk.rs`, each
//! including this file with `#[path]`): guidegen's release binary, and Hugo when it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// `target/release/guidegen` (beside the bench's own `target/release/deps/<bench>-…`), or
/// `GUIDEGEN_BIN`; an error if it is missing or its `command` does not work.
pub fn guidegen_binary(command: &str) -> Result<PathBuf, String> {
    let binary = match std::env::var_os("GUIDEGEN_BIN") {
        Some(path) => PathBuf::from(path),
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find the bench binary: {e}"))?
            .parent()
            .and_then(Path::parent)
            .map(|release| release.join("guidegen"))
            .ok_or("cannot find target/release")?,
    };
    if !binary.is_file() {
        return Err(format!(
            "{} not found: build it first with `cargo build --release`",
            binary.display()
        ));
    }
    let help = Command::new(&binary)
        .args([command, "--help"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !help.status.success() {
        return Err(format!(
            "{} has no working `{command}` command (`{command} --help` failed: {}); rebuild with `cargo build --release`",
            binary.display(),
            help.status
        ));
    }
    if let Some(newest) = newest_modification(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        && std::fs::metadata(&binary)
            .and_then(|m| m.modified())
            .is_ok_and(|built| built < newest)
    {
        println!(
            "warning: {} is older than src/: it may not be what you mean to measure (cargo build --release)",
            binary.display()
        );
    }
    println!("guidegen: {}", binary.display());
    Ok(binary)
}

/// The latest modification time of any file below `dir`.
pub fn newest_modification(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).ok()?.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                folders.push(entry.path());
            } else if let Ok(modified) = meta.modified() {
                newest = newest.max(Some(modified));
            }
        }
    }
    newest
}

/// `hugo version`'s line, or None when hugo is not installed.
pub fn hugo_version() -> Option<String> {
    let out = Command::new("hugo").arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
