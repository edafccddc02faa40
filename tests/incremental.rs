//! Each output file is written once, and a rebuild writes only what changed: the same bytes under
//! several paths are one file, and a file the previous output already has is taken over, not
//! rewritten. Checked through inodes, which say whether two paths are one file on disk.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use common::*;

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

const SHOT: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#2f5d86"/></svg>"##;

impl Site {
    /// Two guides in two languages; `shared` shows one screenshot in all three of its steps.
    fn new() -> Site {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(root.join("guides/shared/shots")).unwrap();
        std::fs::create_dir_all(root.join("guides/other")).unwrap();
        std::fs::write(
            root.join("guidegen.yaml"),
            "title: {en: Guides, da: Vejledninger}\nlanguages: [en, da]\n",
        )
        .unwrap();
        std::fs::write(root.join("guides/shared/shots/screen.svg"), SHOT).unwrap();
        let shot = "    screenshot: {src: shots/screen.svg, alt: {en: The screen, da: Skærmen}}\n";
        let shared = format!(
            "title: {{en: Shared, da: Delt}}\nsteps:\n  - device: computer\n    action: {{en: One., da: Et.}}\n{shot}  - action: {{en: Two., da: To.}}\n{shot}  - action: {{en: Three., da: Tre.}}\n{shot}"
        );
        std::fs::write(root.join("guides/shared/guide.yaml"), shared).unwrap();
        std::fs::write(
            root.join("guides/other/guide.yaml"),
            "title: {en: Other, da: Anden}\nsteps:\n  - device: phone\n    action: {en: Tap., da: Tryk.}\n",
        )
        .unwrap();
        Site {
            _tmp: tmp,
            root,
            out,
        }
    }

    fn build(&self) {
        run(&[&"build", &self.root, &"--out", &self.out]).expect_code(0);
    }

    /// Every file of the output with its inode.
    fn inodes(&self) -> BTreeMap<String, u64> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = rel_string(e.path().strip_prefix(&self.out).unwrap());
                (rel, e.metadata().unwrap().ino())
            })
            .collect()
    }
}

fn changed(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
    after
        .iter()
        .filter(|(path, ino)| before.get(*path) != Some(ino))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn a_screenshot_shared_by_steps_and_languages_is_one_file() {
    let site = Site::new();
    site.build();
    let inodes = site.inodes();
    let shots: Vec<(&String, &u64)> = inodes
        .iter()
        .filter(|(p, _)| p.ends_with("screen.svg"))
        .collect();
    assert_eq!(shots.len(), 2, "one path per language: {shots:?}");
    assert_eq!(shots[0].1, shots[1].1, "both paths are one file: {shots:?}");
    let page = parse_html(&site.out.join("en/shared/index.html"));
    let srcs: Vec<&str> = page
        .select(&sel("figure.screenshot img"))
        .filter_map(|i| i.value().attr("src"))
        .collect();
    assert_eq!(srcs, ["shots/screen.svg"; 3], "three steps, one file");
}

#[test]
fn an_unchanged_site_rebuilds_without_writing_a_file() {
    let site = Site::new();
    site.build();
    let before = site.inodes();
    site.build();
    let after = site.inodes();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let rewritten: Vec<String> = changed(&before, &after)
        .into_iter()
        .filter(|p| p != ".guidegen-build")
        .collect();
    assert!(rewritten.is_empty(), "rewritten: {rewritten:?}");
    assert!(
        site.out.join(".guidegen-build").is_file(),
        "still a whole, marked output"
    );
}

#[test]
fn a_rebuild_after_editing_one_guide_rewrites_only_its_files() {
    let site = Site::new();
    site.build();
    let before = site.inodes();
    let file = site.root.join("guides/other/guide.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Tap.", "Tap twice.")).unwrap();
    site.build();
    let after = site.inodes();
    // The build's own records change with it; the site's files are what counts.
    let mut rewritten: Vec<String> = changed(&before, &after)
        .into_iter()
        .filter(|p| !p.starts_with(".guidegen-"))
        .collect();
    rewritten.sort();
    // The English page and PDF changed; which Danish files changed depends on the edit (the Danish
    // text is the same here), but nothing of another guide may. A language's search index holds
    // the words of all its guides: it changes with any of them.
    assert!(
        rewritten.contains(&"en/other/index.html".to_owned()),
        "{rewritten:?}"
    );
    assert!(
        rewritten.iter().all(|p| p.starts_with("en/other/")
            || p.starts_with("da/other/")
            || p.ends_with("/search-index.js")),
        "only the edited guide's files: {rewritten:?}"
    );
    assert!(!rewritten.iter().any(|p| p.starts_with("en/shared/")));
}

#[test]
fn deleting_a_guide_removes_its_files() {
    let site = Site::new();
    site.build();
    assert!(site.out.join("en/other/index.html").is_file());
    std::fs::remove_dir_all(site.root.join("guides/other")).unwrap();
    site.build();
    assert!(!site.out.join("en/other").exists());
    assert!(!site.out.join("da/other").exists());
    assert!(site.out.join("en/shared/index.html").is_file());
    let index = std::fs::read_to_string(site.out.join("en/index.html")).unwrap();
    assert!(
        !index.contains("other/index.html"),
        "the index no longer lists it"
    );
}

/// What the build's summary said a rebuild took over: it ends "(N unchanged since the previous
/// build: taken over…)"; None after a fresh build.
fn summary_note(run: &Run) -> Option<&str> {
    let line = run.stdout.lines().find(|l| l.starts_with("built "))?;
    let (_, note) = line.rsplit_once(" (")?;
    note.contains("unchanged since the previous build")
        .then_some(note)
}

/// How many guides the build took over unchanged, by its summary.
fn unchanged(run: &Run) -> usize {
    summary_note(run)
        .and_then(|note| note.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The output's files as the site publishes them: without the build's own record, which also
/// holds the input files' times once they are two seconds old (docs/format.md) — so a fresh build
/// that starts a moment later than a rebuild, on a busy machine, records more of them.
fn site_snapshot(dir: &std::path::Path) -> BTreeMap<String, Entry> {
    let mut files = snapshot(dir);
    assert!(
        files.remove(".guidegen-cache").is_some(),
        "a build's record"
    );
    files
}

impl Site {
    fn build_run(&self) -> Run {
        let run = run(&[&"build", &self.root, &"--out", &self.out]);
        run.expect_code(0);
        run
    }

    /// A fresh build of the site into a folder of its own: what the output must equal.
    fn fresh(&self, name: &str) -> PathBuf {
        let out = self.out.with_file_name(name);
        run(&[&"build", &self.root, &"--out", &out]).expect_code(0);
        out
    }
}

#[test]
fn an_unchanged_guide_is_taken_over_without_rendering_and_a_changed_input_renders_again() {
    let site = Site::new();
    assert_eq!(unchanged(&site.build_run()), 0, "nothing to take over yet");
    assert_eq!(unchanged(&site.build_run()), 2, "both guides unchanged");

    // A guide's text: that guide renders again, the other is taken over.
    let file = site.root.join("guides/other/guide.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Tap.", "Tap twice.")).unwrap();
    assert_eq!(unchanged(&site.build_run()), 1);
    let page = std::fs::read_to_string(site.out.join("en/other/index.html")).unwrap();
    assert!(page.contains("Tap twice."));

    // A screenshot's bytes: its guide renders again.
    let shot = site.root.join("guides/shared/shots/screen.svg");
    std::fs::write(&shot, SHOT.replace("#2f5d86", "#86512f")).unwrap();
    assert_eq!(unchanged(&site.build_run()), 1);
    let published = std::fs::read_to_string(site.out.join("da/shared/shots/screen.svg")).unwrap();
    assert!(published.contains("#86512f"), "{published}");

    // A template: every guide renders again, with it.
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    let guide_html = include_str!("../templates/guide.html").replace(
        "<article class=\"guide\"",
        "<article data-edited class=\"guide\"",
    );
    std::fs::write(site.root.join("templates/guide.html"), guide_html).unwrap();
    assert_eq!(unchanged(&site.build_run()), 0);
    let page = std::fs::read_to_string(site.out.join("da/shared/index.html")).unwrap();
    assert!(page.contains("data-edited"));

    // Settings: every guide renders again.
    let settings = site.root.join("guidegen.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("Vejledninger", "Guider")).unwrap();
    assert_eq!(unchanged(&site.build_run()), 0);

    // Whatever was taken over, the output is what a fresh build makes.
    site.build_run();
    let fresh = site.fresh("fresh");
    assert_same_tree(
        &site_snapshot(&fresh),
        &site_snapshot(&site.out),
        "taken over vs fresh",
    );
}

/// How many guides the build said it did not even read: "…, not read again)" (all it took over)
/// or "…, M of them not read again)".
fn not_read(run: &Run) -> usize {
    let Some(note) = summary_note(run) else {
        return 0;
    };
    if let Some((before, _)) = note.split_once(" of them not read again") {
        return before
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
    }
    if note.contains("not read again") {
        return unchanged(run);
    }
    0
}

impl Site {
    /// Sets the modification time of every file and folder of the site an hour back: as files
    /// that were written well before the build (a build trusts no record of a file changed within
    /// the last moments before it).
    fn settle(&self) {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for entry in walkdir::WalkDir::new(&self.root) {
            let entry = entry.unwrap();
            std::fs::File::open(entry.path())
                .and_then(|f| f.set_modified(hour_ago))
                .unwrap();
        }
    }
}

#[test]
fn a_guide_whose_files_did_not_change_is_not_read_again_and_any_change_is_seen() {
    let site = Site::new();
    site.build_run();
    // Just written: the build renders from fingerprints but records no file times yet.
    assert_eq!(
        not_read(&site.build_run()),
        0,
        "files changed moments ago are read"
    );
    site.settle();
    assert_eq!(
        not_read(&site.build_run()),
        0,
        "their times changed: read again"
    );
    let run = site.build_run();
    assert_eq!((unchanged(&run), not_read(&run)), (2, 2), "{}", run.stdout);

    // An edit of the same length, at once: the file's times and size say nothing, its change
    // time does.
    let file = site.root.join("guides/other/guide.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Tap.", "Tip.")).unwrap();
    let run = site.build_run();
    assert_eq!(not_read(&run), 1, "{}", run.stdout);
    let page = std::fs::read_to_string(site.out.join("en/other/index.html")).unwrap();
    assert!(page.contains("Tip."), "the edit is published");

    // A new file in a guide's folder (a Danish screenshot, found by its name) is an input too.
    site.settle();
    site.build_run();
    let da_shot = SHOT.replace("#2f5d86", "#5d862f");
    std::fs::write(
        site.root.join("guides/shared/shots/screen.da.svg"),
        &da_shot,
    )
    .unwrap();
    let run = site.build_run();
    assert_eq!(not_read(&run), 1, "{}", run.stdout);
    let published = std::fs::read_to_string(site.out.join("da/shared/shots/screen.svg"))
        .or_else(|_| std::fs::read_to_string(site.out.join("da/shared/shots/screen.da.svg")))
        .unwrap();
    assert!(
        published.contains("#5d862f"),
        "the Danish screenshot is published"
    );

    // Whatever was not read, the output is what a fresh build makes.
    let fresh = site.fresh("fresh");
    assert_same_tree(
        &site_snapshot(&fresh),
        &site_snapshot(&site.out),
        "not read vs fresh",
    );
}

/// What the index card of guide `id` says in `lang`: its step count and its devices.
fn index_card(site: &Site, lang: &str, id: &str) -> (String, Vec<String>) {
    let page = parse_html(&site.out.join(lang).join("index.html"));
    let card_sel = sel(&format!("li.guide-card[data-guide=\"{id}\"]"));
    let card = page.select(&card_sel).next().expect("the guide's card");
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_owned();
    let steps = card.select(&sel(".card-steps")).map(text).collect();
    let devices = card.select(&sel(".device-chip")).map(text).collect();
    (steps, devices)
}

#[test]
fn a_rebuild_after_changing_a_guides_steps_updates_its_index_card_and_keeps_the_others() {
    let site = Site::new();
    site.build_run();
    site.settle();
    site.build_run();
    let before = index_card(&site, "en", "shared");
    assert_eq!(before.0, "3 steps");
    assert_eq!(index_card(&site, "en", "other").0, "1 steps");

    let file = site.root.join("guides/other/guide.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let more = "  - device: computer\n    action: {en: Click., da: Klik.}\n  - action: {en: Done., da: Færdig.}\n";
    std::fs::write(&file, format!("{text}{more}")).unwrap();
    let run = site.build_run();
    assert_eq!(
        not_read(&run),
        1,
        "shared is taken from the record: {}",
        run.stdout
    );
    let (steps, devices) = index_card(&site, "en", "other");
    assert_eq!(steps, "3 steps");
    assert_eq!(devices.len(), 2, "phone, then computer: {devices:?}");
    assert_eq!(index_card(&site, "da", "other").0, "3 trin");
    // The card of the guide not read is the one its steps make.
    assert_eq!(index_card(&site, "en", "shared"), before);
    let fresh = site.fresh("fresh");
    assert_same_tree(
        &site_snapshot(&fresh),
        &site_snapshot(&site.out),
        "rebuilt vs fresh",
    );
}
