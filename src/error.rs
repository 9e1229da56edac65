//! The library's error type.

use std::path::{Path, PathBuf};

/// An error that stops a command. Each names what it concerns: the folder, the file, the
/// index, and the cause.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad usage: the folder is not a batch, a setting is wrong (exit code 2).
    #[error("{0}")]
    Usage(String),
    #[error(
        "输出目录 {0} 正被另一个 yanshou 进程（PID {1}）使用：请等它结束后再运行（进程结束时锁自动释放）"
    )]
    Locked(String, u32),
    /// An input the run needs cannot be used: a project.toml that does not parse or names an
    /// item the call does not have (exit code 1, as an error row of the batch would give).
    #[error("{0}")]
    Input(String),
    /// An output or the state could not be read or written.
    #[error("{}：{}", path.display(), io_reason(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output could not be produced.
    #[error("{}：无法生成（{message}）", path.display())]
    Output { path: PathBuf, message: String },
    /// The full-text index could not be opened, read or written.
    #[error("{}：{message}", path.display())]
    Index { path: PathBuf, message: String },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn index(path: &Path, message: impl std::fmt::Display) -> Error {
        Error::Index {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }

    pub(crate) fn output(path: &Path, message: impl std::fmt::Display) -> Error {
        Error::Output {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }
}

/// An I/O error as a reader of Chinese messages needs it: what it means for the run, then the
/// system's own words (which name the cause exactly, in English).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::PermissionDenied => "没有读写权限",
        K::ReadOnlyFilesystem => "只读文件系统，无法写入",
        K::StorageFull => "磁盘空间已满",
        K::QuotaExceeded => "超出磁盘配额",
        K::NotFound => "路径不存在",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::AlreadyExists => "已存在",
        K::FileTooLarge => "文件过大",
        K::InvalidFilename => "文件名无效",
        _ => "读写失败",
    };
    format!("{what}（{e}）")
}
