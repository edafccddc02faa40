//! Model stage: when a guide was last updated — its `updated:` date, else the date of the last git
//! commit that changed its folder — and how a language writes a date. Never the build's own time, so
//! that the same input gives the same output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::catalog::Catalog;

/// A calendar date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `2026-11-30`, a real date of the years 1970–9999; else `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = date.year >= 1970
            && (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }

    /// The UTC date of a Unix time.
    pub fn from_unix(seconds: i64) -> Date {
        let (year, month, day, ..) = crate::pdf::civil(seconds);
        Date { year, month, day }
    }

    /// `2026-11-30`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The date as `catalog`'s language writes it (`date.format` with `{day}`, `{month}`, `{year}`,
    /// and the month's name from `date.month.<n>`): "30 November 2026", "30. november 2026". A
    /// catalog that writes `{iso}` gets `2026-11-30`.
    pub fn written(self, catalog: &Catalog) -> String {
        let month_key = format!("date.month.{}", self.month);
        catalog.format(
            "date.format",
            &[
                ("day", &self.day.to_string()),
                ("month", catalog.get(&month_key)),
                ("year", &self.year.to_string()),
                ("iso", &self.iso()),
            ],
        )
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The date of the newest commit that changed each folder of the site (paths relative to `site_dir`,
/// every ancestor folder of a changed file), from one `git log` over the whole site. Empty when `git`
/// is missing, the site is not in a git work tree, or git fails: a date is a nicety, never a reason
/// for a build to fail.
pub fn git_folder_dates(site_dir: &Path) -> BTreeMap<PathBuf, Date> {
    git_log(site_dir)
        .map(|log| folder_dates(&log))
        .unwrap_or_default()
}

/// Lines starting with this mark a commit (its committer time follows); the others are the files it
/// changed.
const COMMIT_MARK: &str = "\u{1e}";

/// `git log` of the site's folder: each commit's time, newest first, then the files it changed,
/// relative to the site. Run without a shell, with no configuration but the repository's and a
/// fixed environment, so that the output does not depend on who runs it.
fn git_log(site_dir: &Path) -> Option<String> {
    let path = std::env::var_os("PATH");
    let mut command = Command::new(program_on_path("git", path.as_deref())?);
    command
        .arg("-C")
        .arg(site_dir)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--name-only",
            "--no-renames",
            "--format=%x1e%ct",
            "--",
            ".",
        ])
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command.output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

/// The first executable file called `name` in the folders of `path` (as `PATH` lists them).
///
/// Why not leave the search to [`Command`]: a command whose environment is cleared and which is
/// named without a folder is started with a `fork`, which copies the page tables of the whole
/// process (a `serve` or a build holding fonts and pages), and which the threads of the build wait
/// on. Named by its path, it is started with `posix_spawn`, which does not copy them.
///
/// Folders of `PATH` that are not absolute are passed over: they would be looked up from wherever
/// guidegen was started, perhaps the site's folder, whose files are not to be run.
#[cfg(unix)]
fn program_on_path(name: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path?)
        .filter(|folder| folder.is_absolute())
        .map(|folder| folder.join(name))
        .find(|file| {
            std::fs::metadata(file)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

/// Elsewhere [`Command`] finds the program (and knows its file name's extensions).
#[cfg(not(unix))]
fn program_on_path(name: &str, _path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    Some(PathBuf::from(name))
}

/// Each folder's newest date, from a log as [`git_log`] prints it.
fn folder_dates(log: &str) -> BTreeMap<PathBuf, Date> {
    let mut dates: BTreeMap<PathBuf, Date> = BTreeMap::new();
    let mut current: Option<Date> = None;
    for line in log.lines() {
        if let Some(time) = line.strip_prefix(COMMIT_MARK) {
            current = time.trim().parse::<i64>().ok().map(Date::from_unix);
            continue;
        }
        let (Some(date), false) = (current, line.is_empty()) else {
            continue;
        };
        for folder in Path::new(line).ancestors().skip(1) {
            // Newest first: a folder's first date is its newest; its ancestors have one as new.
            if dates.contains_key(folder) {
                break;
            }
            dates.insert(folder.to_path_buf(), date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("2026-11-30"),
            Some(Date {
                year: 2026,
                month: 11,
                day: 30
            })
        );
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-11-31",
            "26-11-30",
            "2026/11/30",
            "2026-11-30T10:00",
            "1969-12-31",
            "2026-1-3",
            "+026-11-30",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn written_in_the_catalog_s_words() {
        let date = Date::parse("2026-11-30").unwrap();
        let en = Catalog::builtin("en").unwrap();
        let da = Catalog::builtin("da").unwrap();
        assert_eq!(date.written(&en), "30 November 2026");
        assert_eq!(date.written(&da), "30. november 2026");
        assert_eq!(date.iso(), "2026-11-30");
        assert_eq!(Date::from_unix(1_796_083_200).iso(), "2026-12-01");
    }

    #[test]
    fn a_folder_s_date_is_its_newest_commit_s() {
        let log = "\u{1e}1796083200\n\nguides/a/guide.yaml\n\n\u{1e}1704067200\n\nguides/a/shots/x.png\nguides/b/guide.yaml\n";
        let dates = folder_dates(log);
        assert_eq!(dates[Path::new("guides/a")].iso(), "2026-12-01");
        assert_eq!(dates[Path::new("guides/a/shots")].iso(), "2024-01-01");
        assert_eq!(dates[Path::new("guides/b")].iso(), "2024-01-01");
        assert_eq!(dates[Path::new("guides")].iso(), "2026-12-01");
    }

    #[cfg(unix)]
    #[test]
    fn git_is_the_first_executable_file_of_that_name_on_the_path() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let [folder, plain, found] = ["folder", "plain", "found"].map(|d| root.path().join(d));
        // A folder called git, and a git that may not be executed, are passed over.
        std::fs::create_dir_all(folder.join("git")).unwrap();
        std::fs::create_dir_all(&plain).unwrap();
        std::fs::write(plain.join("git"), "").unwrap();
        std::fs::create_dir_all(&found).unwrap();
        std::fs::write(found.join("git"), "").unwrap();
        std::fs::set_permissions(found.join("git"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        let path = std::env::join_paths([
            Path::new("relative"),
            &folder,
            &plain,
            &found,
            &root.path().join("missing"),
        ])
        .unwrap();
        assert_eq!(program_on_path("git", Some(&path)), Some(found.join("git")));
        let without = std::env::join_paths([&folder, &plain]).unwrap();
        assert_eq!(program_on_path("git", Some(&without)), None);
        assert_eq!(program_on_path("git", None), None);
    }

    #[test]
    fn no_repository_no_dates() {
        let dir = std::env::temp_dir().join(format!("guidegen-dates-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // /tmp is in no repository; and a folder that does not exist is no reason to fail either.
        assert!(git_folder_dates(&dir.join("missing")).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
