//! The `guidegen` binary: the command line in [`guidegen::cli`].

fn main() -> std::process::ExitCode {
    guidegen::cli::main()
}
