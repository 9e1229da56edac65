//! yanshou (验收): checks the deliverables of funded projects against their call for proposals.
//!
//! The pipeline, one module each:
//! [`extract`] turns docx, pdf, txt and md files into a [`doc::Document`];
//! [`count`] computes Word's 字数 statistics; [`sections`] separates a report's body from its
//! cover, contents, references and appendices; [`report`] shapes the results into the JSON
//! documents of the outside contract (`CONTRACT.md` in spirit; `schemas/` in fact).
//! [`guide`] reads calls into requirement specs; [`facts`] keeps what the checks need from a
//! file; [`check`] decides; [`render`] writes checklists and summaries; [`overlap`] and
//! [`search`] find copying and index reports; [`batch`] runs it all on a folder of projects.
//! Library code never prints: it reports through [`progress::Progress`].
//!
//! ```
//! let doc = yanshou::extract::extract_bytes("形成1篇3万字以上研究报告。".as_bytes().to_vec(), "txt").unwrap();
//! assert_eq!(doc.counts().words, 14); // 12 CJK characters + "1" + "3" … see count.rs
//! ```

pub mod batch;
pub mod check;
pub mod count;
pub mod dates;
pub mod doc;
pub mod error;
pub mod extract;
pub mod facts;
pub mod fsutil;
pub mod guide;
pub mod numerals;
pub mod overlap;
pub mod parts;
pub mod progress;
pub mod render;
pub mod report;
pub mod roster;
pub mod scale;
pub mod search;
pub mod sections;
pub mod serve;
pub mod text;
pub mod textcount;
