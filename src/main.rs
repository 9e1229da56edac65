//! The `yanshou` binary: parse arguments, run the command, exit with its code (see `cli`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(c) => cli::run(c),
        Err(e) => cli::parse_error(e),
    }
}
