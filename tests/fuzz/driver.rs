//! The fuzz driver: a deterministic stand-in for libFuzzer on stable Rust. Input `n` of a target is
//! made from a PRNG seeded with (seed, target, n) alone, so any input can be made again from its
//! number; every input that panics (or breaks a property, which the targets assert) is saved under
//! `target/fuzz-failures/` to be replayed and turned into a regression test.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The seed when `GUIDEGEN_FUZZ_SEED` is not set.
const DEFAULT_SEED: u64 = 0x6775_6964_6567_656e; // "guidegen"

/// A target stops after this many failing inputs: one bug tends to fail most inputs that reach it,
/// and a few saved inputs are enough to find it.
const MAX_FAILURES: usize = 3;

/// An input still running after this long is a hang: it is saved and the process stops, since a
/// thread cannot be stopped from outside.
const HANG_LIMIT: Duration = Duration::from_secs(300);

/// splitmix64: a fast, well-mixed PRNG; also used to derive each input's seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Random bytes, at least `min` and fewer than `min + extra`.
    pub fn bytes(&mut self, min: usize, extra: usize) -> Vec<u8> {
        let len = min + self.below(extra);
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// What one input is made from: its number and a PRNG for it alone.
pub struct InputContext {
    pub n: u64,
    pub rng: Rng,
}

/// A fuzz target: a name, how many inputs make a round, how inputs are made, and the function that
/// must neither panic nor break a property on any input.
pub struct Target {
    pub name: &'static str,
    /// About a second's worth in a debug build: a plain `cargo test` runs one round.
    pub inputs_per_round: u64,
    pub generate: fn(&mut InputContext) -> Vec<u8>,
    pub run: fn(&[u8]),
}

thread_local! {
    /// How the inputs of the target running on this thread ended, by label.
    static OUTCOMES: RefCell<BTreeMap<&'static str, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Counts how an input ended ("built", "site errors"…), to show how deep the inputs reach.
pub fn tally(outcome: &'static str) {
    OUTCOMES.with(|o| *o.borrow_mut().entry(outcome).or_default() += 1);
}

fn outcomes() -> String {
    OUTCOMES.with(|o| {
        o.borrow()
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// How long a target runs: `GUIDEGEN_FUZZ_SECONDS`, else `GUIDEGEN_FUZZ_ROUNDS` rounds (default 1).
#[derive(Debug, Clone, Copy)]
enum Budget {
    Inputs(u64),
    Time(Duration),
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

fn budget(inputs_per_round: u64) -> Budget {
    if let Some(seconds) = env_number("GUIDEGEN_FUZZ_SECONDS") {
        return Budget::Time(Duration::from_secs(seconds));
    }
    let rounds = env_number("GUIDEGEN_FUZZ_ROUNDS").unwrap_or(1);
    Budget::Inputs(rounds.saturating_mul(inputs_per_round))
}

fn seed() -> u64 {
    env_number("GUIDEGEN_FUZZ_SEED").unwrap_or(DEFAULT_SEED)
}

/// FNV-1a, to give every target its own stream of inputs from the one seed.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The PRNG that makes input `n` of target `name`.
pub fn input_rng(seed: u64, name: &str, n: u64) -> Rng {
    let mut mix = Rng::new(seed ^ name_hash(name));
    let base = mix.next_u64();
    let mut rng = Rng::new(base ^ n.wrapping_mul(0xd6e8_feb8_6659_fd93));
    rng.next_u64();
    rng
}

pub fn failures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures")
}

/// Saves a failing input; returns where.
fn save_failure(name: &str, n: u64, suffix: &str, data: &[u8]) -> PathBuf {
    let dir = failures_dir();
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}-{n}{suffix}.bin"));
    if let Err(e) = std::fs::write(&path, data) {
        eprintln!(
            "fuzz {name}: cannot save the failing input to {}: {e}",
            path.display()
        );
    }
    path
}

/// Writes a line straight to the terminal: the test harness captures `println!`, and these lines
/// are the step's summary in CI.
pub fn announce(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// The panic's message, from its payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(a panic without a message)".to_owned())
}

/// The input being run, for the hang watchdog.
struct Current {
    n: u64,
    started: Instant,
    data: Arc<Vec<u8>>,
    done: bool,
}

/// Stops the process when one input runs longer than [`HANG_LIMIT`], saving it first.
fn watchdog(name: &'static str, seed: u64, current: Arc<Mutex<Current>>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let current = current.lock().unwrap_or_else(|e| e.into_inner());
            if current.done {
                return;
            }
            if current.started.elapsed() > HANG_LIMIT {
                let path = save_failure(name, current.n, "-hang", &current.data);
                announce(&format!(
                    "fuzz {name}: input {} (seed {seed:#x}) ran for more than {} s; saved to {}",
                    current.n,
                    HANG_LIMIT.as_secs(),
                    path.display()
                ));
                std::process::exit(101);
            }
        }
    });
}

/// Runs `target` on inputs until its budget is spent; panics at the end when any input failed.
/// `GUIDEGEN_FUZZ_REPLAY=<file>` runs the target on that one file instead.
pub fn fuzz(target: Target) {
    if let Ok(file) = std::env::var("GUIDEGEN_FUZZ_REPLAY") {
        return replay(&target, Path::new(&file));
    }
    let seed = seed();
    let budget = budget(target.inputs_per_round);
    let started = Instant::now();
    let current = Arc::new(Mutex::new(Current {
        n: 0,
        started,
        data: Arc::new(Vec::new()),
        done: false,
    }));
    watchdog(target.name, seed, Arc::clone(&current));
    let mut failures = Vec::new();
    let mut n = 0;
    while failures.len() < MAX_FAILURES && within(budget, n, started) {
        let mut context = InputContext {
            n,
            rng: input_rng(seed, target.name, n),
        };
        let data = Arc::new((target.generate)(&mut context));
        {
            let mut c = current.lock().unwrap_or_else(|e| e.into_inner());
            c.n = n;
            c.started = Instant::now();
            c.data = Arc::clone(&data);
        }
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (target.run)(&data))) {
            let path = save_failure(target.name, n, "", &data);
            let message = panic_message(payload.as_ref());
            announce(&format!(
                "fuzz {}: input {n} (seed {seed:#x}) failed: {message}\n  saved to {}\n  replay: GUIDEGEN_FUZZ_REPLAY={} cargo test --test fuzz {}",
                target.name,
                path.display(),
                path.display(),
                target.name
            ));
            failures.push(n);
        }
        n += 1;
    }
    current.lock().unwrap_or_else(|e| e.into_inner()).done = true;
    let outcomes = outcomes();
    if !outcomes.is_empty() {
        announce(&format!("fuzz {}: outcomes: {outcomes}", target.name));
    }
    announce(&format!(
        "fuzz {}: {n} inputs in {} s, {} failures",
        target.name,
        started.elapsed().as_secs(),
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "fuzz {}: inputs {failures:?} of seed {seed:#x} failed; they are saved in {}",
        target.name,
        failures_dir().display()
    );
}

fn within(budget: Budget, n: u64, started: Instant) -> bool {
    match budget {
        Budget::Inputs(count) => n < count,
        Budget::Time(limit) => started.elapsed() < limit,
    }
}

/// Runs a target on a saved input, when the file is one of this target's (`<target>-<n>….bin`).
fn replay(target: &Target, file: &Path) {
    let stem = file
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let Some(rest) = stem.strip_prefix(target.name) else {
        return;
    };
    if !rest.starts_with('-') {
        return;
    }
    let data =
        std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    (target.run)(&data);
    announce(&format!("fuzz {}: {} passes", target.name, file.display()));
}

/// Separates the parts of an input that has several (a guide and the edits made to it, the guides
/// of a site): bytes no generated text has.
const PART_SEPARATOR: &[u8] = b"\0\x01part\x01\0";

pub fn join_parts(parts: &[&[u8]]) -> Vec<u8> {
    parts.join(PART_SEPARATOR)
}

pub fn split_parts(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest
        .windows(PART_SEPARATOR.len())
        .position(|w| w == PART_SEPARATOR)
    {
        parts.push(&rest[..at]);
        rest = &rest[at + PART_SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}
