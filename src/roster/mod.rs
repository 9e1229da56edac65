//! The 立项名单 (list of funded projects) at the root of a batch, and what it says about the
//! folders under `projects/`.
//!
//! A reviewer gets the funder's list (an Excel sheet or a CSV with 序号, 项目编号, 项目名称,
//! 承担单位, 负责人, 类别 or 指南条目, 完成时间) and one folder per project. [`columns`] finds
//! the header row and the columns by their Chinese headings, [`read`] reads the rows,
//! [`matching`] pairs folders with rows, [`items`] finds each row's item of the call. The
//! batch (`batch::assign`) and `yanshou init` use them; a `project.toml` overrides them all.

pub mod columns;
pub mod items;
pub mod matching;
pub mod read;

use std::path::{Path, PathBuf};

pub use items::{Assigned, infer_item, item_of_row, similarity};
pub use matching::{MatchKind, Matching, describe, match_folders};
pub use read::read_roster;

/// A roster read from its file.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// The file's name.
    pub file: String,
    pub rows: Vec<RosterRow>,
    /// Rows that could not be read as projects.
    pub warnings: Vec<String>,
}

/// One funded project as the roster lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterRow {
    /// The sheet's name (empty for CSV).
    pub sheet: String,
    /// The row number as the spreadsheet shows it (1-based).
    pub line: usize,
    pub seq: Option<String>,
    pub number: Option<String>,
    pub title: String,
    pub org: Option<String>,
    pub leader: Option<String>,
    /// 指南条目 / 研究方向: the item's id or title.
    pub item: Option<String>,
    /// 类别: the category of items, or sometimes the item itself.
    pub category: Option<String>,
    /// 指南: which call, when a batch has several.
    pub guideline: Option<String>,
    /// Completion date, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub year: Option<i64>,
}

/// Words in a file name that make it the batch's roster.
const ROSTER_NAMES: &[&str] = &[
    "立项名单",
    "立项清单",
    "项目清单",
    "项目名单",
    "立项项目",
    "资助名单",
    "名单",
    "清单",
    "roster",
];

const ROSTER_EXTS: &[&str] = &["xlsx", "xls", "et", "ods", "csv"];

/// The spreadsheets at the batch's root that are named like a roster, sorted by name.
pub fn roster_files(batch: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(batch) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            !name.starts_with('.')
                && !name.starts_with("~$")
                && ROSTER_EXTS.contains(&ext.as_str())
                && ROSTER_NAMES.iter().any(|w| name.contains(w))
        })
        .collect();
    v.sort();
    v
}

/// The batch's roster: `explicit` when given, else the one file at its root named like a
/// roster. `Ok(None)`: there is none. Several candidates are an error (which one is meant
/// is the user's to say).
pub fn find_roster(batch: &Path, explicit: Option<&Path>) -> Result<Option<Roster>, String> {
    if let Some(p) = explicit {
        return read_roster(p).map(Some);
    }
    match roster_files(batch).as_slice() {
        [] => Ok(None),
        [one] => read_roster(one).map(Some),
        many => Err(format!(
            "批次目录下有多份立项名单（{}），请只保留一份",
            many.iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("、")
        )),
    }
}
