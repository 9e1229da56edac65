//! The wire type of `yanshou align --shard`/`--part` (schema `yanshou.align-part.v1`,
//! `schemas/align-part.v1.schema.json`): what one node's alignment of some seed parts hands to
//! `yanshou align --merge`. Apart from the Parquet code so it builds without the feature.

use serde::{Deserialize, Serialize};

use crate::overlap::Passage;

/// The schema name of a part result ([`PartResult`]).
pub const PART_SCHEMA: &str = "yanshou.align-part.v1";

/// What aligning some of the seed part files found (`yanshou align --seeds DIR --shard i/n`,
/// on any node): the refined pairs by exported document id, with everything the per-document
/// figures need, so that the merge (`yanshou align --merge`) makes the report without seeds or texts. The figures
/// themselves are not computed per part: a document's copy ratio needs all its pairs, which
/// lie in several parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartResult {
    pub schema: String,
    pub min_chars: u32,
    /// The Spark job's cap on documents per hash.
    pub max_docs: u32,
    /// File names (in `seeds/`) of the seed parts aligned: the merge checks that the results
    /// cover every part of the run exactly once (Spark names parts after its job, so results
    /// of another run do not fit).
    pub parts: Vec<String>,
    pub seeds: u64,
    pub candidate_pairs: u64,
    /// Texts re-read: a document needed by consecutive parts is read once.
    pub texts_read: u64,
    /// Some texts could not be re-read or had changed since the export.
    pub failed: bool,
    pub pairs: Vec<PartPair>,
}

/// One pair of a [`PartResult`]: exported document ids (a < b) and its passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartPair {
    pub a: i32,
    pub b: i32,
    pub passages: Vec<PartPassage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub padding: Vec<PartPassage>,
}

/// A [`Passage`] with the normalized spans and the cited flag the JSON report leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PartPassage {
    pub a_start: u32,
    pub a_end: u32,
    pub b_start: u32,
    pub b_end: u32,
    pub chars: u32,
    pub a_norm: (u32, u32),
    pub b_norm: (u32, u32),
    pub cited: bool,
}

impl From<&Passage> for PartPassage {
    fn from(x: &Passage) -> Self {
        PartPassage {
            a_start: x.a_start,
            a_end: x.a_end,
            b_start: x.b_start,
            b_end: x.b_end,
            chars: x.chars,
            a_norm: x.a_norm,
            b_norm: x.b_norm,
            cited: x.cited,
        }
    }
}

impl From<&PartPassage> for Passage {
    fn from(x: &PartPassage) -> Self {
        Passage {
            a_start: x.a_start,
            a_end: x.a_end,
            b_start: x.b_start,
            b_end: x.b_end,
            chars: x.chars,
            a_norm: x.a_norm,
            b_norm: x.b_norm,
            cited: x.cited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_keeps_what_the_report_leaves_out() {
        let x = Passage {
            a_start: 10,
            a_end: 80,
            b_start: 5,
            b_end: 77,
            chars: 60,
            a_norm: (8, 68),
            b_norm: (4, 66),
            cited: true,
        };
        let wire = PartPassage::from(&x);
        assert_eq!(Passage::from(&wire), x);
        let json = serde_json::to_string(&wire).unwrap();
        assert!(json.contains(r#""a_norm":[8,68]"#) && json.contains(r#""cited":true"#));
        let back: PartPassage = serde_json::from_str(&json).unwrap();
        assert_eq!(back, wire);
    }
}
