//! Two `guidegen build`s into the same output folder at once, as when a build is started twice by
//! hand or by two watchers: the second waits for the first, both succeed, and what is left is one
//! complete site with nothing of either build lying beside it.

mod common;

use std::path::Path;

use common::*;

/// Builds the HTML of `site` into `out` from `cwd`.
fn build_html(cwd: &Path, site: &Path, out: &Path) -> Run {
    run_in(
        cwd,
        &[&"build", &site, &"--out", &out, &"--format", &"html"],
    )
}

/// The names in `dir` other than `keep` and lock files (which stay by design).
fn strays(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()) && !name.ends_with(".guidegen-lock"))
        .collect();
    names.sort();
    names
}

#[test]
fn two_builds_at_once_into_one_output_both_succeed_and_leave_one_whole_site() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path();
    let site = copy_fixture("valid", &root.join("site"));
    let reference = root.join("reference");
    build_html(root, &site, &reference).expect_code(0);
    let reference_snapshot = snapshot(&reference);
    let expected = files(&reference_snapshot);
    assert!(
        expected.contains(&".guidegen-build"),
        "a build's output has the mark: {expected:?}"
    );

    let out = root.join("out");
    for round in 1..=5 {
        let runs: Vec<Run> = std::thread::scope(|scope| {
            let builds: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| build_html(root, &site, &out)))
                .collect();
            builds
                .into_iter()
                .map(|b| b.join().expect("build thread"))
                .collect()
        });
        for run in &runs {
            run.expect_code(0);
        }
        let built = snapshot(&out);
        assert_eq!(
            files(&built),
            expected,
            "round {round}: the files of the output"
        );
        assert!(
            out.join(".guidegen-build").is_file(),
            "round {round}: the output lost its mark"
        );
        assert_eq!(
            // The previous output, kept for the next build to start from.
            strays(root, &["site", "reference", "out", ".out.guidegen-spare"]),
            Vec::<String>::new(),
            "round {round}: left beside the output"
        );
    }
}
