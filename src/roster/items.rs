//! Which item of which call a project answers: from its roster row (指南条目 by id or title,
//! else 类别 and the project's title), or inferred from the titles of what it submitted.
//! A match by id or by the item's own title is the roster's word; a match by similarity of
//! titles is an inference, carried with its score so a person can confirm it.

use std::collections::BTreeMap;

use super::RosterRow;
use super::matching::key;
use crate::guide::spec::LookupError;
use crate::guide::{Item, Spec};

/// An item found for a project.
#[derive(Debug, Clone, PartialEq)]
pub struct Assigned {
    /// The call's file stem.
    pub guideline: String,
    /// The item's id in the call.
    pub item: String,
    /// `None`: named by the roster; `Some(score)`: inferred from titles (0–1).
    pub inferred: Option<f64>,
}

/// Below this similarity no item is inferred.
pub const MIN_SCORE: f64 = 0.3;
/// The best item must beat the second by this much, else the inference is ambiguous.
pub const MIN_MARGIN: f64 = 0.1;

/// Deliverable words at the end of a document's title that say nothing of its subject.
const TITLE_TAILS: &[&str] = &[
    "研究报告",
    "总报告",
    "结题报告",
    "调研报告",
    "报告",
    "建议",
    "研究",
];

/// A title's key without a deliverable word at its end.
fn subject_key(s: &str) -> String {
    let mut k = key(s);
    for t in TITLE_TAILS {
        if let Some(x) = k.strip_suffix(t)
            && !x.is_empty()
        {
            k = x.to_string();
            break;
        }
    }
    k
}

/// How alike two titles are, 0–1: 1 when their subjects are equal, high when one contains
/// the other, else the Dice coefficient of their character bigrams (Chinese titles share
/// words, not spellings, so bigrams are the unit; a crate for this would be as long as it).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (subject_key(a), subject_key(b));
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 0 || lb == 0 {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    if la.min(lb) >= 4 && (a.contains(&b) || b.contains(&a)) {
        return 0.5 + 0.5 * la.min(lb) as f64 / la.max(lb) as f64;
    }
    let bigrams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (ba, mut bb) = (bigrams(&a), bigrams(&b));
    let total = ba.len() + bb.len();
    if total == 0 {
        return 0.0;
    }
    let mut common = 0;
    for g in &ba {
        if let Some(i) = bb.iter().position(|h| h == g) {
            bb.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// The calls a row may be under: the one its 指南 column names, else all.
fn specs_for<'s>(
    row: &RosterRow,
    specs: &'s BTreeMap<String, Spec>,
) -> Result<Vec<(&'s String, &'s Spec)>, String> {
    let Some(g) = &row.guideline else {
        return Ok(specs.iter().collect());
    };
    let gk = key(g);
    let hits: Vec<(&String, &Spec)> = specs
        .iter()
        .filter(|(stem, s)| {
            let (sk, tk) = (key(stem), key(&s.title));
            sk == gk || (!tk.is_empty() && (tk.contains(&gk) || gk.contains(&tk)))
        })
        .collect();
    if hits.is_empty() {
        Err(format!(
            "指南“{g}”不在 guidelines/ 中（现有：{}）",
            specs.keys().cloned().collect::<Vec<_>>().join("、")
        ))
    } else {
        Ok(hits)
    }
}

/// Items named by `text` in the calls: by id, by its title or a unique part of it, or by
/// an id written before the title ("1.3 学会规范化…").
fn named<'s>(
    text: &str,
    specs: &[(&'s String, &'s Spec)],
) -> Result<Vec<(&'s String, &'s Item)>, String> {
    let lead: String = text
        .trim()
        .chars()
        .map(crate::text::fold_width)
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let lead = lead.trim_end_matches('.');
    let mut hits: Vec<(&String, &Item)> = Vec::new();
    let mut ambiguous: Vec<String> = Vec::new();
    for (stem, spec) in specs {
        match spec.find_item(text) {
            Ok(it) => hits.push((stem, it)),
            Err(LookupError::Ambiguous(_, c)) => ambiguous.extend(c),
            Err(LookupError::NotFound(_)) => {
                // "3.2 科技群团改革…": the id, if the words after it are that item's title
                // (two calls may both have a 3.2).
                let rest: String = text.trim().chars().skip(lead.chars().count()).collect();
                let rest = rest
                    .trim_start_matches(|c: char| c.is_whitespace() || "、.．:：-—_".contains(c));
                if !lead.is_empty()
                    && let Some(it) = spec.items.iter().find(|i| i.id == lead)
                    && (rest.is_empty() || similarity(rest, &it.title) >= 0.5)
                {
                    hits.push((stem, it));
                }
            }
        }
    }
    if hits.is_empty() && !ambiguous.is_empty() {
        return Err(format!(
            "“{text}”对应指南中的多个项目（{}）",
            ambiguous.join("；")
        ));
    }
    Ok(hits)
}

/// The item of a roster row (see the module doc).
pub fn item_of_row(row: &RosterRow, specs: &BTreeMap<String, Spec>) -> Result<Assigned, String> {
    let cands = specs_for(row, specs)?;
    let one = |hits: Vec<(&String, &Item)>, what: &str| -> Result<Option<Assigned>, String> {
        match hits.as_slice() {
            [] => Ok(None),
            [(g, it)] => Ok(Some(Assigned {
                guideline: (*g).clone(),
                item: it.id.clone(),
                inferred: None,
            })),
            _ => Err(format!(
                "“{what}”对应多份指南中的项目（{}），请在立项名单中加“指南”列",
                hits.iter()
                    .map(|(g, i)| format!("{g} {} {}", i.id, i.title))
                    .collect::<Vec<_>>()
                    .join("；")
            )),
        }
    };
    if let Some(item) = &row.item
        && let Some(a) = one(named(item, &cands)?, item)?
    {
        return Ok(a);
    }
    // A 类别 column may hold the item itself ("1.3"), or the category of the call's items.
    let mut pool: Vec<(&String, &Item)> = cands
        .iter()
        .flat_map(|(g, s)| s.items.iter().map(move |i| (*g, i)))
        .collect();
    if let Some(cat) = &row.category {
        if let Ok(hits) = named(cat, &cands)
            && let Ok(Some(a)) = one(hits, cat)
        {
            return Ok(a);
        }
        let ck = key(cat);
        let in_cat: Vec<(&String, &Item)> = pool
            .iter()
            .filter(|(_, i)| {
                i.category
                    .as_deref()
                    .map(key)
                    .is_some_and(|ik| !ik.is_empty() && (ik.contains(&ck) || ck.contains(&ik)))
            })
            .copied()
            .collect();
        if !in_cat.is_empty() {
            pool = in_cat;
        }
    }
    let mut texts = vec![row.title.clone()];
    texts.extend(row.item.clone());
    best_of(&texts, &pool).map_err(|e| format!("{}：{e}", row.title))
}

/// The item of a project whose only clue is what it submitted: the titles (and file names)
/// of its documents against every item's title.
pub fn infer_item(texts: &[String], specs: &BTreeMap<String, Spec>) -> Result<Assigned, String> {
    let pool: Vec<(&String, &Item)> = specs
        .iter()
        .flat_map(|(g, s)| s.items.iter().map(move |i| (g, i)))
        .collect();
    best_of(texts, &pool)
}

/// The item whose title is most like one of `texts`, when it is clearly the most like.
fn best_of(texts: &[String], pool: &[(&String, &Item)]) -> Result<Assigned, String> {
    let mut scored: Vec<(f64, &String, &Item)> = pool
        .iter()
        .map(|(g, i)| {
            let s = texts
                .iter()
                .map(|t| similarity(t, &i.title))
                .fold(0.0, f64::max);
            (s, *g, *i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let show = |v: &[(f64, &String, &Item)]| {
        v.iter()
            .take(3)
            .map(|(s, _, i)| format!("{} {}（{:.2}）", i.id, i.title, s))
            .collect::<Vec<_>>()
            .join("；")
    };
    match scored.as_slice() {
        [] => Err("指南中没有任何项目".into()),
        [(s, ..), ..] if *s < MIN_SCORE => Err(format!(
            "无法推断指南条目：与各项目标题都不相近（最接近：{}）",
            show(&scored)
        )),
        [(a, ..), (b, ..), ..] if a - b < MIN_MARGIN => Err(format!(
            "无法推断指南条目：多个项目同样相近（{}）",
            show(&scored)
        )),
        [(s, g, i), ..] => Ok(Assigned {
            guideline: (*g).clone(),
            item: i.id.clone(),
            inferred: Some((*s * 100.0).round() / 100.0),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarities() {
        // Equal subjects, with or without 研究 or a deliverable word.
        assert_eq!(
            similarity(
                "学会规范化治理及社会公信力提升",
                "学会规范化治理及社会公信力提升研究"
            ),
            1.0
        );
        assert_eq!(
            similarity(
                "学会规范化治理及社会公信力提升研究报告",
                "学会规范化治理及社会公信力提升研究"
            ),
            1.0
        );
        // 科技工作者联系服务机制创新 (13 characters) inside 新时代科技工作者联系服务机制创新
        // (16): 0.5 + 0.5 × 13/16.
        let s = similarity(
            "科技工作者联系服务机制创新",
            "新时代科技工作者联系服务机制创新",
        );
        assert!((s - (0.5 + 0.5 * 13.0 / 16.0)).abs() < 1e-9, "{s}");
        // 学会科技奖项影响力提升 (10 bigrams) and 学会打造有影响力的科技奖项 (12 bigrams) share
        // 学会 科技 技奖 奖项 影响 响力: 2 × 6 / 22.
        let s = similarity("学会科技奖项影响力提升", "学会打造有影响力的科技奖项研究");
        assert!((s - 12.0 / 22.0).abs() < 1e-9, "{s}");
        assert_eq!(similarity("", "学会"), 0.0);
    }
}
