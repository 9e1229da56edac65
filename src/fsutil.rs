//! Files on disk: atomic and durable writes, and the one directory walker every command uses.
//!
//! Every output is written to a temporary file in the same folder and renamed, so a reader
//! (or a crash) never sees half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then rename.
/// Readers never see half a file. Outputs that can be regenerated use this; the state
/// that a rerun relies on uses `write_durable`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes, false)
}

/// Like `write_atomic`, and flushed to disk before the rename.
pub fn write_durable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes, true)
}

fn write_file(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Unique per process and thread: checklists are written in parallel.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.tmp{}-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
    }
    std::fs::rename(&tmp, path)
}

/// Removes the temporary files [`write_atomic`] leaves in `dir` when a run is killed between
/// writing and renaming (`.NAME.tmpPID-N`). Only for a folder whose writer holds the lock.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.')
            && name.contains(".tmp")
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A file found by [`walk`]: its path, size and modification time (ns since the epoch).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: u128,
    /// Why the file must not be read (a symbolic link out of the folder given, a device):
    /// it is an error row, never read.
    pub refused: Option<String>,
}

/// Folders deeper than this are not entered.
const MAX_DEPTH: usize = 64;

/// Every file under `dir` whose name `keep` accepts, sorted by path. Hidden files and
/// Office's `~$` lock files are never taken. One `stat` per entry: its size and time decide
/// elsewhere whether a file is read again.
///
/// Symbolic links are followed only inside `dir`: a link to a file or folder outside it
/// (`a.txt → /etc/shadow`) is a refused entry, so a batch never reads, caches or indexes what
/// it was not given; a folder reached again through a link (`loop → .`) is entered once.
/// Devices, FIFOs and sockets are refused too (reading one can block forever).
pub fn walk(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<Found> {
    struct Walk<'a> {
        root: PathBuf,
        keep: &'a dyn Fn(&Path) -> bool,
        seen_dirs: std::collections::HashSet<PathBuf>,
        out: Vec<Found>,
    }
    fn refuse(w: &mut Walk, p: PathBuf, why: &str) {
        if (w.keep)(&p) {
            w.out.push(Found {
                path: p,
                size: 0,
                mtime_ns: 0,
                refused: Some(why.to_string()),
            });
        }
    }
    fn go(w: &mut Walk, d: &Path, depth: usize) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            let p = e.path();
            let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
            if is_link {
                match std::fs::canonicalize(&p) {
                    Ok(target) if target.starts_with(&w.root) => {}
                    Ok(_) => {
                        refuse(w, p, "符号链接指向所给文件夹之外，未读取");
                        continue;
                    }
                    Err(_) => {
                        refuse(w, p, "符号链接无法解析（目标不存在或形成循环），未读取");
                        continue;
                    }
                }
            }
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                // Each folder once, by its real path: a link back up is not a new folder.
                let real = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if depth < MAX_DEPTH && w.seen_dirs.insert(real) {
                    go(w, &p, depth + 1);
                }
            } else if !meta.is_file() {
                refuse(w, p, "不是普通文件（设备、管道或套接字），未读取");
            } else if (w.keep)(&p) {
                let mtime_ns = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                w.out.push(Found {
                    path: p,
                    size: meta.len(),
                    mtime_ns,
                    refused: None,
                });
            }
        }
    }
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut w = Walk {
        seen_dirs: [root.clone()].into_iter().collect(),
        root,
        keep: &keep,
        out: Vec::new(),
    };
    go(&mut w, dir, 0);
    let mut v = w.out;
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

/// Paths given on a command line, with each folder replaced by the files inside it that
/// yanshou reads, sorted; and the entries of those folders refused by [`walk`], with why.
pub fn expand(paths: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    for p in paths {
        if p.is_dir() {
            for f in walk(&p, crate::extract::is_candidate) {
                match f.refused {
                    Some(why) => refused.push((f.path, why)),
                    None => out.push(f.path),
                }
            }
        } else {
            out.push(p);
        }
    }
    (out, refused)
}

/// `p` relative to `base`, with `/` separators. A name that is not UTF-8 (GBK names from a zip
/// unpacked on Linux) keeps its bytes as `\xNN`: every file gets a key of its own, the same on
/// every run (a lossy conversion gave two such files one key and a "change" on every rerun).
pub fn rel(base: &Path, p: &Path) -> String {
    let s = shown(p.strip_prefix(base).unwrap_or(p));
    // Windows separates with `\`; elsewhere `\` is a character of a name (and of `\xNN`).
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s
    }
}

/// A path as text: UTF-8 as it is, other bytes as `\xNN`.
pub fn shown(p: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in p.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().into_owned()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        // 报告 in GBK is B1 A8 B8 E6; two such names differ in their last byte.
        let a = std::path::Path::new(std::ffi::OsStr::from_bytes(b"P1/\xB1\xA8\xB8\xE6.txt"));
        let b = std::path::Path::new(std::ffi::OsStr::from_bytes(b"P1/\xB1\xA8\xB8\xE7.txt"));
        let base = std::path::Path::new("P1");
        assert_eq!(super::rel(base, a), "\\xB1\\xA8\\xB8\\xE6.txt");
        assert_ne!(super::rel(base, a), super::rel(base, b));
        assert_eq!(
            super::rel(base, std::path::Path::new("P1/报告.txt")),
            "报告.txt"
        );
    }

    use super::*;

    #[test]
    fn walk_skips_hidden_and_lock_files_and_sorts() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("b/c")).unwrap();
        for f in [
            "b/c/z.txt",
            "a.docx",
            ".hidden.txt",
            "~$a.docx",
            "b/y.pdf",
            "b/n.xyz",
        ] {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        let got: Vec<String> = walk(d.path(), crate::extract::is_candidate)
            .iter()
            .map(|f| rel(d.path(), &f.path))
            .collect();
        assert_eq!(got, ["a.docx", "b/c/z.txt", "b/y.pdf"]);
        let all = walk(d.path(), |_| true);
        assert_eq!(all.len(), 4);
        assert!(all.iter().all(|f| f.size == 1));
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/out.json");
        write_atomic(&p, b"one").unwrap();
        write_durable(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path().join("sub")).unwrap().count(), 1);
    }
}
