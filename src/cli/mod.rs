//! The command line: arguments ([`args`]), one function per command ([`commands`]), the
//! terminal ([`term`]), and the one place where an outcome becomes an exit code
//! (0 worked, 1 some inputs could not be processed, 2 bad usage).

pub mod args;
mod commands;
mod term;

use std::process::ExitCode;

pub use args::Cli;

/// How a command that ran ended.
pub enum Outcome {
    /// Everything was processed.
    Done,
    /// Some inputs could not be processed (each was reported); the rest was.
    Partial,
}

/// Why a command could not run. The message is printed as it is.
pub enum Failure {
    /// Bad usage: wrong arguments, a folder that is not what the command needs.
    Usage(String),
    /// The command ran and failed: an input it needs did not work.
    Failed(String),
    /// Outputs could not be written (a full disk, a vanished folder) after the run started:
    /// exit code 3, so a scheduler can tell "outputs incomplete" from "some inputs bad" (1).
    Output(String),
}

impl From<yanshou::error::Error> for Failure {
    /// What the user must change (the folder, a setting, a lock held by another run) is bad
    /// usage; an input or output that failed is a failure.
    fn from(e: yanshou::error::Error) -> Self {
        use yanshou::error::Error;
        match e {
            Error::Usage(_) | Error::Locked(..) => Failure::Usage(e.to_string()),
            Error::Input(_) => Failure::Failed(e.to_string()),
            Error::Io { .. } | Error::Output { .. } | Error::Index { .. } => {
                Failure::Output(e.to_string())
            }
        }
    }
}

impl Outcome {
    /// `Partial` when `failed`, else `Done`.
    pub fn partial_if(failed: bool) -> Outcome {
        if failed {
            Outcome::Partial
        } else {
            Outcome::Done
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match commands::dispatch(cli.command) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(Failure::Failed(m)) => {
            eprintln!("{m}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("{m}");
            ExitCode::from(2)
        }
        Err(Failure::Output(m)) => {
            eprintln!("输出未能写完：{m}");
            ExitCode::from(3)
        }
    }
}

/// The exit code of a command line that did not parse (`--help` and `--version` are fine).
pub fn parse_error(e: clap::Error) -> ExitCode {
    let code = if e.use_stderr() { 2 } else { 0 };
    let _ = e.print();
    ExitCode::from(code)
}
