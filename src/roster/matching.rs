//! Which project folder is which roster row. Folders are named by the project's number
//! (`P01`, `2022-03`), its title (with or without 《》, "研究", a number in front), or its
//! organisation. A folder with one best row is matched; a folder whose best rows tie, or a
//! row two folders claim equally, is reported as ambiguous, never guessed.

use super::RosterRow;

/// How a folder matched its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Number,
    Title,
    Org,
    Seq,
}

impl MatchKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            MatchKind::Number => "项目编号",
            MatchKind::Title => "项目名称",
            MatchKind::Org => "承担单位",
            MatchKind::Seq => "序号",
        }
    }
}

/// The outcome of matching folders to rows.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// `(folder, row, how)` by folder index.
    pub matched: Vec<(usize, usize, MatchKind)>,
    /// Folders without a row, with why (no row / several rows tie).
    pub unmatched_folders: Vec<(usize, String)>,
    /// Rows no folder was matched to.
    pub missing_rows: Vec<usize>,
}

/// A name as compared: letters and digits only (punctuation, 《》, brackets, spaces of any
/// width gone), full-width folded, lower case, Traditional characters Simplified, digit runs
/// without leading zeros (`P01` = `P1`).
pub fn key(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let simp = fast2s::convert(&folded);
    let mut out = String::with_capacity(simp.len());
    let mut prev_digit = false;
    let chars: Vec<char> = simp.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == '0' && !prev_digit && next_digit {
            continue;
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// A title's key without a final "研究" (a folder "…提升" for the project "…提升研究").
fn title_key(s: &str) -> String {
    let k = key(s);
    k.strip_suffix("研究").map(str::to_string).unwrap_or(k)
}

/// The codes in a folder name: runs of ASCII letters, digits and `-._/` between other
/// characters (`P01_学会…` → `p01`; `2022-03 某学会` → `2022-03`), each as a [`key`].
fn codes(name: &str) -> Vec<String> {
    let folded: String = name.chars().map(crate::text::fold_width).collect();
    folded
        .split(|c: char| !(c.is_ascii_alphanumeric() || "-./".contains(c)))
        .map(key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// Scores of each way a folder name can name a row. A number is decisive; a title beats an
/// organisation (one organisation may hold several projects).
const NUMBER: u32 = 100;
const TITLE_EXACT: u32 = 90;
const TITLE_PART: u32 = 60;
const ORG: u32 = 40;
const SEQ: u32 = 30;
/// A title part shorter than this (in characters) names nothing.
const MIN_PART_CHARS: usize = 4;

/// How well `folder` names `row`: the score and the strongest way it matched.
pub fn score(folder: &str, row: &RosterRow) -> Option<(u32, MatchKind)> {
    let fk = key(folder);
    let fcodes = codes(folder);
    let mut total = 0;
    let mut kinds = Vec::new();
    if let Some(n) = &row.number {
        let nk = key(n);
        if !nk.is_empty() && (fk == nk || fcodes.contains(&nk)) {
            total += NUMBER;
            kinds.push(MatchKind::Number);
        }
    }
    let tk = title_key(&row.title);
    // The folder's name without the codes in it ("P01_" before a title).
    let mut fk_text = fk.clone();
    for c in &fcodes {
        if fk_text.starts_with(c.as_str()) {
            fk_text = fk_text[c.len()..].to_string();
        }
    }
    let fk_text = fk_text
        .strip_suffix("研究")
        .map(str::to_string)
        .unwrap_or(fk_text);
    if !tk.is_empty() && !fk_text.is_empty() {
        if fk_text == tk {
            total += TITLE_EXACT;
            kinds.push(MatchKind::Title);
        } else if (fk_text.contains(&tk) && tk.chars().count() >= MIN_PART_CHARS)
            || (tk.contains(&fk_text) && fk_text.chars().count() >= MIN_PART_CHARS)
        {
            total += TITLE_PART;
            kinds.push(MatchKind::Title);
        }
    }
    if let Some(o) = &row.org {
        let ok = key(o);
        if ok.chars().count() >= 2 && (fk_text == ok || fk.contains(&ok)) {
            total += ORG;
            kinds.push(MatchKind::Org);
        }
    }
    if kinds.is_empty()
        && let Some(s) = &row.seq
    {
        // A sequence number names a folder only when the folder is a bare number ("01", "1").
        let sk = key(s);
        if !sk.is_empty() && fk == sk && fk.chars().all(|c| c.is_ascii_digit()) {
            total += SEQ;
            kinds.push(MatchKind::Seq);
        }
    }
    kinds.sort();
    kinds.first().map(|k| (total, *k))
}

/// Matches each folder to its row (see the module doc).
pub fn match_folders(folders: &[String], rows: &[RosterRow]) -> Matching {
    let mut m = Matching::default();
    // Each folder's best rows.
    let mut best: Vec<Option<(usize, u32, MatchKind)>> = Vec::with_capacity(folders.len());
    for (fi, f) in folders.iter().enumerate() {
        let mut scored: Vec<(usize, u32, MatchKind)> = rows
            .iter()
            .enumerate()
            .filter_map(|(ri, r)| score(f, r).map(|(s, k)| (ri, s, k)))
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        match scored.as_slice() {
            [] => {
                m.unmatched_folders
                    .push((fi, "立项名单中没有编号、名称或单位与之对应的项目".into()));
                best.push(None);
            }
            [a, b, ..] if a.1 == b.1 => {
                let tied: Vec<String> = scored
                    .iter()
                    .take_while(|x| x.1 == a.1)
                    .map(|x| describe(&rows[x.0]))
                    .collect();
                m.unmatched_folders.push((
                    fi,
                    format!(
                        "与立项名单中的多个项目同样相符（{}），无法确定，请把文件夹改名为项目编号或写 project.toml",
                        tied.join("；")
                    ),
                ));
                best.push(None);
            }
            [a, ..] => best.push(Some(*a)),
        }
    }
    // A row claimed by several folders goes to the one that names it best, if only one does.
    for (ri, row) in rows.iter().enumerate() {
        let claims: Vec<(usize, u32, MatchKind)> = best
            .iter()
            .enumerate()
            .filter_map(|(fi, b)| b.filter(|b| b.0 == ri).map(|b| (fi, b.1, b.2)))
            .collect();
        let top = claims.iter().map(|c| c.1).max();
        let winners: Vec<&(usize, u32, MatchKind)> =
            claims.iter().filter(|c| Some(c.1) == top).collect();
        if winners.len() == 1 {
            m.matched.push((winners[0].0, ri, winners[0].2));
        } else if claims.is_empty() {
            m.missing_rows.push(ri);
        }
        for c in &claims {
            if winners.len() != 1 || c.0 != winners[0].0 {
                let others: Vec<&str> = claims
                    .iter()
                    .filter(|o| o.0 != c.0)
                    .map(|o| folders[o.0].as_str())
                    .collect();
                m.unmatched_folders.push((
                    c.0,
                    format!(
                        "与文件夹 {} 对应立项名单中的同一项目（{}）",
                        others.join("、"),
                        describe(row)
                    ),
                ));
            }
        }
        if winners.len() > 1 {
            m.missing_rows.push(ri);
        }
    }
    m.matched.sort();
    m.unmatched_folders.sort();
    m.missing_rows.sort();
    m
}

/// A row as a person finds it in the roster.
pub fn describe(r: &RosterRow) -> String {
    let mut s = format!("第{}行", r.line);
    if let Some(n) = &r.number {
        s.push_str(&format!(" {n}"));
    }
    s.push_str(&format!(" {}", r.title));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key("《学会 规范化（治理）》"), "学会规范化治理");
        assert_eq!(key("Ｐ０１"), "p1");
        assert_eq!(key("P01"), "p1");
        assert_eq!(key("2022-03"), "202203");
        assert_eq!(key("2010"), "2010");
        assert_eq!(key("學會"), "学会");
        assert_eq!(codes("P01_学会规范化"), vec!["p1"]);
        assert_eq!(codes("２０２２－０３ 某学会"), vec!["202203"]);
    }
}
