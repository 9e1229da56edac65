//! Which project folder is which roster row. Folders are named by the project's number
//! (`P01`, `2022-03`), its title (with or without 《》, "研究", a number in front), or its
//! organisation. A folder with one best row is matched; a folder whose best rows tie, or a
//! row two folders claim equally, is reported as ambiguous, never guessed.

use std::collections::HashMap;

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

/// A folder name's keys, computed once per folder.
struct FolderKeys {
    /// The whole name.
    all: String,
    codes: Vec<String>,
    /// The name without the codes in front ("P01_" before a title) and without a final 研究.
    text: String,
}

impl FolderKeys {
    fn new(folder: &str) -> FolderKeys {
        let all = key(folder);
        let codes = codes(folder);
        let mut text = all.as_str();
        for c in &codes {
            text = text.strip_prefix(c.as_str()).unwrap_or(text);
        }
        let text = text.strip_suffix("研究").unwrap_or(text).to_string();
        FolderKeys { all, codes, text }
    }
}

/// A row's keys, computed once per row.
struct RowKeys {
    number: String,
    title: String,
    org: String,
    seq: String,
}

impl RowKeys {
    fn new(row: &RosterRow) -> RowKeys {
        let k = |o: &Option<String>| o.as_deref().map(key).unwrap_or_default();
        RowKeys {
            number: k(&row.number),
            title: title_key(&row.title),
            org: k(&row.org),
            seq: k(&row.seq),
        }
    }
}

/// How well `folder` names `row`: the score and the strongest way it matched.
pub fn score(folder: &str, row: &RosterRow) -> Option<(u32, MatchKind)> {
    score_keys(&FolderKeys::new(folder), &RowKeys::new(row))
}

fn score_keys(f: &FolderKeys, r: &RowKeys) -> Option<(u32, MatchKind)> {
    let mut total = 0;
    let mut kinds = Vec::new();
    if !r.number.is_empty() && (f.all == r.number || f.codes.contains(&r.number)) {
        total += NUMBER;
        kinds.push(MatchKind::Number);
    }
    let long = |s: &str| s.chars().count() >= MIN_PART_CHARS;
    if !r.title.is_empty() && !f.text.is_empty() {
        if f.text == r.title {
            total += TITLE_EXACT;
            kinds.push(MatchKind::Title);
        } else if (f.text.contains(&r.title) && long(&r.title))
            || (r.title.contains(&f.text) && long(&f.text))
        {
            total += TITLE_PART;
            kinds.push(MatchKind::Title);
        }
    }
    if r.org.chars().count() >= 2 && (f.text == r.org || f.all.contains(&r.org)) {
        total += ORG;
        kinds.push(MatchKind::Org);
    }
    // A sequence number names a folder only when the folder is a bare number ("01", "1").
    if kinds.is_empty()
        && !r.seq.is_empty()
        && f.all == r.seq
        && f.all.chars().all(|c| c.is_ascii_digit())
    {
        total += SEQ;
        kinds.push(MatchKind::Seq);
    }
    kinds.sort();
    kinds.first().map(|k| (total, *k))
}

/// The rows a folder can score against at all, found without comparing it with every row
/// (a roster of several thousand rows against as many folders was seconds of pairwise
/// substring tests). Every way [`score_keys`] can match is an equality or a containment of
/// keys, so each is answered by a lookup: a number, a whole title, an organisation or a
/// sequence number by its key among the folder's substrings; a title that contains the
/// folder's text by the rarest of the text's four-character grams. The candidates are then
/// scored exactly as before, so the outcome is the pairwise one (a test compares them).
struct RowIndex<'a> {
    number: HashMap<&'a str, Vec<usize>>,
    title: HashMap<&'a str, Vec<usize>>,
    org: HashMap<&'a str, Vec<usize>>,
    seq: HashMap<&'a str, Vec<usize>>,
    /// Every four-character gram of every title.
    title_grams: HashMap<&'a str, Vec<usize>>,
}

/// The substrings of `s` of `min` to `max` characters, as slices.
fn substrings(s: &str, min: usize, max: usize) -> Vec<&str> {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let min = min.max(1);
    let mut out = Vec::new();
    if max < min {
        return out;
    }
    let lengths = (max - min).saturating_add(1);
    for (a, &from) in bounds.iter().enumerate() {
        for &to in bounds.iter().skip(a + min).take(lengths) {
            out.push(&s[from..to]);
        }
    }
    out
}

impl<'a> RowIndex<'a> {
    fn new(keys: &'a [RowKeys]) -> RowIndex<'a> {
        let mut ix = RowIndex {
            number: HashMap::new(),
            title: HashMap::new(),
            org: HashMap::new(),
            seq: HashMap::new(),
            title_grams: HashMap::new(),
        };
        for (ri, r) in keys.iter().enumerate() {
            for (map, k) in [
                (&mut ix.number, &r.number),
                (&mut ix.title, &r.title),
                (&mut ix.org, &r.org),
                (&mut ix.seq, &r.seq),
            ] {
                if !k.is_empty() {
                    map.entry(k.as_str()).or_default().push(ri);
                }
            }
            let mut grams = substrings(&r.title, MIN_PART_CHARS, MIN_PART_CHARS);
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                ix.title_grams.entry(g).or_default().push(ri);
            }
        }
        ix
    }

    /// Rows `f` may score against, sorted, each once.
    fn candidates(&self, f: &FolderKeys) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut add = |v: Option<&Vec<usize>>| out.extend(v.into_iter().flatten());
        add(self.number.get(f.all.as_str()));
        for c in &f.codes {
            add(self.number.get(c.as_str()));
        }
        add(self.title.get(f.text.as_str()));
        for sub in substrings(&f.text, MIN_PART_CHARS, usize::MAX) {
            add(self.title.get(sub));
        }
        if f.text.chars().count() >= MIN_PART_CHARS {
            // A row's title containing the text contains each of its grams: the rarest
            // gram's rows are enough.
            let rarest = substrings(&f.text, MIN_PART_CHARS, MIN_PART_CHARS)
                .into_iter()
                .map(|g| self.title_grams.get(g))
                .min_by_key(|v| v.map_or(0, Vec::len));
            add(rarest.flatten());
        }
        for sub in substrings(&f.all, 2, usize::MAX) {
            add(self.org.get(sub));
        }
        add(self.seq.get(f.all.as_str()));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Matches each folder to its row (see the module doc).
pub fn match_folders(folders: &[String], rows: &[RosterRow]) -> Matching {
    let mut m = Matching::default();
    // Each folder's best rows.
    let mut best: Vec<Option<(usize, u32, MatchKind)>> = Vec::with_capacity(folders.len());
    let row_keys: Vec<RowKeys> = rows.iter().map(RowKeys::new).collect();
    let index = RowIndex::new(&row_keys);
    for (fi, f) in folders.iter().enumerate() {
        let fkeys = FolderKeys::new(f);
        let mut scored: Vec<(usize, u32, MatchKind)> = index
            .candidates(&fkeys)
            .into_iter()
            .filter_map(|ri| score_keys(&fkeys, &row_keys[ri]).map(|(s, k)| (ri, s, k)))
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
    let mut claimed: Vec<Vec<(usize, u32, MatchKind)>> = vec![Vec::new(); rows.len()];
    for (fi, b) in best.iter().enumerate() {
        if let Some((ri, score, kind)) = *b {
            claimed[ri].push((fi, score, kind));
        }
    }
    for ((ri, row), claims) in rows.iter().enumerate().zip(claimed) {
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

    #[test]
    fn substrings_are_every_slice_of_enough_characters() {
        assert_eq!(substrings("学会ab", 3, 9), ["学会a", "学会ab", "会ab"]);
        assert_eq!(substrings("学会ab", 2, 2), ["学会", "会a", "ab"]);
        assert!(substrings("ab", 3, 9).is_empty());
    }

    fn row_of(seq: &str, number: &str, title: &str, org: &str) -> RosterRow {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        RosterRow {
            sheet: String::new(),
            line: 2,
            seq: opt(seq),
            number: opt(number),
            title: title.to_string(),
            org: opt(org),
            leader: None,
            item: None,
            category: None,
            guideline: None,
            deadline: None,
            year: None,
        }
    }

    proptest::proptest! {
        /// Every row a folder scores against at all is among the index's candidates, so
        /// matching through the index is matching against every row. Names are drawn from a
        /// few characters so that numbers, titles and organisations contain one another often.
        #[test]
        fn the_index_finds_every_row_a_folder_can_match(
            rows in proptest::collection::vec(
                ("[1-3]{0,2}", "(P0?[1-3])?", "[学会研究治理甲乙]{0,9}", "[学会甲乙省]{0,4}"),
                1..12,
            ),
            // A folder is either a random name or a piece of a row's title (or organisation)
            // with things around it: the shapes that contain or are contained in a key.
            folders in proptest::collection::vec(
                (
                    "[P0-3_《》学会研究治理甲乙省 ]{0,12}",
                    proptest::option::of((0usize..12, 0usize..10, 0usize..10, proptest::bool::ANY)),
                    "(P0?[1-3]_)?[《 ]?",
                    "[》研究省]{0,2}",
                ),
                1..8,
            ),
        ) {
            let rows: Vec<RosterRow> = rows
                .iter()
                .map(|(s, n, t, o)| row_of(s, n, t, o))
                .collect();
            let folders: Vec<String> = folders
                .into_iter()
                .map(|(random, piece, before, after)| match piece {
                    None => random,
                    Some((r, a, len, org)) => {
                        let row = &rows[r % rows.len()];
                        let from = if org { row.org.clone().unwrap_or_default() } else { row.title.clone() };
                        let cs: Vec<char> = from.chars().collect();
                        let a = a.min(cs.len());
                        let z = (a + len).min(cs.len());
                        format!("{before}{}{after}", cs[a..z].iter().collect::<String>())
                    }
                })
                .collect();
            let keys: Vec<RowKeys> = rows.iter().map(RowKeys::new).collect();
            let index = RowIndex::new(&keys);
            for f in &folders {
                let fk = FolderKeys::new(f);
                let cands = index.candidates(&fk);
                for (ri, r) in keys.iter().enumerate() {
                    if score_keys(&fk, r).is_some() {
                        proptest::prop_assert!(
                            cands.contains(&ri),
                            "folder {f:?} scores row {:?} but the index missed it",
                            rows[ri]
                        );
                    }
                }
            }
        }
    }
}
