use std::process::ExitCode;

use clap::Parser;

// The linker allocates and frees millions of small strings and vectors; mimalloc takes about a
// sixth off a whole-tree run compared with glibc's allocator (measured on googleapis).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match protoforge::internals::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version print and exit 0; usage errors exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                protoforge::internals::cli::EXIT_ERROR
            } else {
                protoforge::internals::cli::EXIT_CLEAN
            });
        }
    };
    protoforge::internals::cli::run(cli)
}
