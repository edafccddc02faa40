//! The `guidegen` binary: the command line in [`guidegen::cli`].

/// mimalloc instead of the system's malloc: builds allocate many small, short-lived strings and
/// tera values on every core, where it is about a fifth faster (docs/benchmarks.md, "The
/// allocator"). Only the binary chooses it; the library leaves the allocator to whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    guidegen::cli::main()
}
