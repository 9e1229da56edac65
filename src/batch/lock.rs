//! The lock on an output folder: one run at a time writes to it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error as BatchError;
use crate::progress::Progress;

/// The lock on an output folder, released when dropped.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of `out`; a lock left by a run that was killed is taken over, and
    /// `progress` hears of it.
    pub fn acquire(out: &Path, progress: &dyn Progress) -> Result<Lock, BatchError> {
        std::fs::create_dir_all(out).map_err(|e| BatchError::io(out, e))?;
        let path = out.join(".yanshou.lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid: Option<u32> = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse().ok());
                    match pid {
                        Some(p) if process_alive(p) => {
                            return Err(BatchError::Locked(out.display().to_string(), p));
                        }
                        _ => {
                            // Left by a run that was killed: take it over.
                            progress.note("发现上次中断运行留下的锁文件，已接管");
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(BatchError::io(&path, e)),
            }
        }
        Err(BatchError::io(
            &path,
            std::io::Error::other("无法创建锁文件"),
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere, assume a lock is held; the message says how to clear it.
        true
    }
}
