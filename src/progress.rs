//! How a long run tells its caller what it is doing. Library code never prints: it calls a
//! [`Progress`], and the command line decides what reaches the terminal.

/// Receives the progress and the messages of a run. Every method does nothing by default.
pub trait Progress: Sync {
    /// A stage of `total` steps begins (`what` names it: 读取文件). A `total` of 0 is a stage
    /// whose length is not known (a spinner, not a bar).
    fn start(&self, _what: &str, _total: u64) {}
    /// One step of the stage is done; `detail` names it when the step did real work.
    fn step(&self, _detail: Option<&str>) {}
    /// The stage that `start` began is over.
    fn finish(&self) {}
    /// A phase of the run has ended (for timings).
    fn phase(&self, _name: &str) {}
    /// Something the user should know that does not stop the run.
    fn note(&self, _message: &str) {}
    /// A file could not be used (it is left out; the run goes on).
    fn file_error(&self, _path: &str, _message: &str) {}
}

/// Hears nothing.
pub struct Silent;

impl Progress for Silent {}
