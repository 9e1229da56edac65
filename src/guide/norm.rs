//! Normalization of call-for-proposal text for matching, with a map back to the original.
//!
//! Calls arrive as web-page copies and converted PDFs: `2022 年度`, `不少於2萬字`, `（３）`,
//! `5～8个`. The parser matches on a normalized line (full-width ASCII folded, Traditional
//! characters turned Simplified (fast2s), dashes and tildes unified, white
//! space and zero-width characters dropped) and quotes from the original through `orig`, so a
//! requirement's `quote` is always text the reader can find in the document.

/// A normalized line and, for each of its characters, the char index in the original line.
#[derive(Debug, Clone)]
pub struct Norm {
    pub text: String,
    /// `orig[i]` is the original char index of the i-th normalized char; one extra entry at
    /// the end holds the original length.
    pub orig: Vec<usize>,
    pub original: Vec<char>,
}

/// Traditional → Simplified for the characters of the vocabulary the guide parser reads
/// (numbers, units, deliverables, comparators, field labels). Not a general converter: the
/// overlap stage needs a full one, this only has to make `不少於2萬字的調研報告` read like its
/// Simplified form.
/// Folds one character for matching; `None` drops it.
fn fold(c: char) -> Option<char> {
    match c {
        // White space of every width, zero-width characters and soft hyphens vanish: calls
        // copied from web pages put them inside words ("2022 年度", "创新 能力").
        c if c.is_whitespace() => None,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        // Range dashes and tildes all read as `-`.
        '–' | '－' | '~' | '～' | '〜' | '‐' | '‑' | '‒' | '−' => Some('-'),
        '〔' | '［' | '【' => Some('['),
        '〕' | '］' | '】' => Some(']'),
        c => Some(crate::text::fold_width(c)),
    }
}

impl Norm {
    pub fn new(line: &str) -> Norm {
        let original: Vec<char> = line.chars().collect();
        let mut text = String::with_capacity(line.len());
        let mut orig = Vec::with_capacity(original.len() + 1);
        for (i, &c) in original.iter().enumerate() {
            if let Some(f) = fold(c) {
                text.push(f);
                orig.push(i);
            }
        }
        orig.push(original.len());
        // Traditional → Simplified, char for char (fast2s keeps the count, so `orig` stays
        // valid; if it ever did not, the unconverted text is kept rather than a wrong map).
        let simp = fast2s::convert(&text);
        let text = if simp.chars().count() == orig.len() - 1 {
            simp
        } else {
            text
        };
        Norm {
            text,
            orig,
            original,
        }
    }

    /// Number of normalized characters.
    pub fn len(&self) -> usize {
        self.orig.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Converts a byte offset in `text` to a normalized char index.
    pub fn char_at(&self, byte: usize) -> usize {
        self.text[..byte].chars().count()
    }

    /// The original text behind the normalized byte range `start..end`, trimmed.
    pub fn quote(&self, start: usize, end: usize) -> String {
        let a = self.char_at(start);
        let b = self.char_at(end);
        self.quote_chars(a, b)
    }

    /// The original text behind normalized chars `a..b`, trimmed of white space.
    pub fn quote_chars(&self, a: usize, b: usize) -> String {
        if a >= b {
            return String::new();
        }
        let oa = self.orig[a];
        let ob = self.orig[b - 1] + 1;
        let s: String = self.original[oa..ob].iter().collect();
        s.trim().to_string()
    }
}

/// Removes white space next to CJK characters ("2022 年度徐州市 能力计划" → "2022年度徐州市能力计划")
/// and collapses other runs to one space: for titles shown to the reader.
pub fn clean_title(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let cjk = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
            if !(cjk(prev) || cjk(next)) {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let n = Norm::new("不少於２萬 字的調研報告");
        assert_eq!(n.text, "不少于2万字的调研报告");
        // "2万字" is normalized chars 3..6; the original has a space inside.
        assert_eq!(n.quote_chars(3, 6), "２萬 字");
    }

    #[test]
    fn titles_lose_spaces_only_next_to_cjk() {
        assert_eq!(
            clean_title("2022 年度徐州市科协 能力计划 Project Guide"),
            "2022年度徐州市科协能力计划Project Guide"
        );
        assert_eq!(clean_title("open  science"), "open science");
    }
}
