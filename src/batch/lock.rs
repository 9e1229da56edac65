//! The lock on an output folder: one run at a time writes to it.
//!
//! An OS file lock (`flock` on Unix, `LockFileEx` on Windows, through std's `File::try_lock`)
//! held on `OUT_DIR/.yanshou.lock` for the whole run: two runs started together cannot both
//! take it, and a run that crashes or is killed releases it with its process, so no stale
//! lock ever blocks a later run. The file keeps the holder's process id, for the message.

use std::io::{Seek, Write};
use std::path::Path;

use crate::error::Error as BatchError;
use crate::progress::Progress;

/// The lock on an output folder, released when dropped (or when the process ends).
pub struct Lock {
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock of `out`, or says who holds it.
    pub fn acquire(out: &Path, _progress: &dyn Progress) -> Result<Lock, BatchError> {
        std::fs::create_dir_all(out).map_err(|e| BatchError::io(out, e))?;
        let path = out.join(".yanshou.lock");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| BatchError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let pid = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(0);
                return Err(BatchError::Locked(out.display().to_string(), pid));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(BatchError::io(&path, e)),
        }
        // Ours now: record who holds it.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(Lock { _file: file })
    }
}
