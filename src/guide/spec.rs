//! The requirement spec (`yanshou.spec.v1`): what `guide` writes and `check` reads.

use serde::{Deserialize, Serialize};

pub const SPEC_SCHEMA: &str = "yanshou.spec.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub schema: String,
    pub source: String,
    pub title: String,
    pub items: Vec<Item>,
    /// Application deadlines (申报截止), kept apart from completion deadlines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub application_deadlines: Vec<DatedQuote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatedQuote {
    pub date: String,
    pub quote: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// On a requirement's count: its length holds for each piece ("每篇…1500字左右",
    /// "2份各3000字左右的…"), not for all of them together.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_piece: bool,
}

impl Range {
    pub fn exactly(n: u64) -> Range {
        Range {
            min: Some(n),
            max: Some(n),
            per_piece: false,
        }
    }
    pub fn at_least(n: u64) -> Range {
        Range {
            min: Some(n),
            max: None,
            per_piece: false,
        }
    }
    pub fn at_most(n: u64) -> Range {
        Range {
            min: None,
            max: Some(n),
            per_piece: false,
        }
    }
    pub fn between(a: u64, b: u64) -> Range {
        Range {
            min: Some(a.min(b)),
            max: Some(a.max(b)),
            per_piece: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub approx: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub category: Option<String>,
    pub title: String,
    pub funding_yuan: Option<Range>,
    pub applicants: Option<String>,
    /// Completion deadline, ISO date.
    pub deadline: Option<String>,
    /// 项目数量: how many projects the call funds under this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Range>,
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Report,
    Cases,
    Event,
    Indicator,
    Qualitative,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Cases => "cases",
            Kind::Event => "event",
            Kind::Indicator => "indicator",
            Kind::Qualitative => "qualitative",
        }
    }
    /// The reviewer's word for the kind.
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Report => "报告",
            Kind::Cases => "案例",
            Kind::Event => "活动",
            Kind::Indicator => "指标",
            Kind::Qualitative => "定性要求",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    pub count: Range,
    pub length: Option<Length>,
    /// The unit of an indicator's or event's count as written (人, 次, 场, 家 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Either/or demands ("一个突破性工作案例或一项品牌建设案例"): each acceptable option.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The form of result this requirement belongs to, as the call writes it
    /// ("以专著成果形式结项的"). Requirements of an item with different conditions are
    /// alternatives: the item is met when every requirement of one condition is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub quote: String,
}

/// Why an item could not be found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    NotFound(String),
    Ambiguous(String, Vec<String>),
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::NotFound(k) => {
                write!(f, "指南中没有编号或标题为“{k}”的项目")
            }
            LookupError::Ambiguous(k, c) => write!(
                f,
                "“{k}”对应指南中的多个项目（{}），请写出编号或更完整的标题",
                c.join("；")
            ),
        }
    }
}

impl Spec {
    /// Finds an item by id ("1.3"), exact title, or a part of the title that only one item
    /// has. Comparison ignores white space and full-width/half-width differences.
    pub fn find_item(&self, key: &str) -> Result<&Item, LookupError> {
        let k = key.trim();
        if let Some(it) = self.items.iter().find(|i| i.id == k) {
            return Ok(it);
        }
        let nk = super::norm::Norm::new(k).text;
        if nk.is_empty() {
            return Err(LookupError::NotFound(k.to_string()));
        }
        let norm_title = |i: &Item| super::norm::Norm::new(&i.title).text;
        if let Some(it) = self.items.iter().find(|i| norm_title(i) == nk) {
            return Ok(it);
        }
        let hits: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| norm_title(i).contains(&nk))
            .collect();
        match hits.len() {
            0 => Err(LookupError::NotFound(k.to_string())),
            1 => Ok(hits[0]),
            _ => Err(LookupError::Ambiguous(
                k.to_string(),
                hits.iter()
                    .map(|i| format!("{} {}", i.id, i.title))
                    .collect(),
            )),
        }
    }
}
