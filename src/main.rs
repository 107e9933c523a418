use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match protoforge::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version print and exit 0; usage errors exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                protoforge::cli::EXIT_ERROR
            } else {
                protoforge::cli::EXIT_CLEAN
            });
        }
    };
    protoforge::cli::run(cli)
}
