//! Small text helpers every stage shares: the full-width fold and the HTML escaper.

/// Folds a full-width ASCII form to its ASCII character (０-９ → 0-9, Ａ → A, ， → ,);
/// every other character is returned as it is.
#[inline]
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Escapes text for HTML, double quotes included (the text may stand in an attribute).
pub fn esc_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text safe to print on a terminal or in a Markdown cell: control characters (C0 but for
/// nothing, DEL, C1) and the bidirectional overrides are shown as `\u{…}`, so a title cannot
/// clear the screen, move the cursor or print a fake "通过" row of its own.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(bad) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if bad(c) {
                format!("\\u{{{:04X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A count with thousands grouped by commas (26729 → "26,729", 3224 → "3,224"), as Chinese
/// offices write 字数 in tables and in prose; every figure a reviewer reads is grouped alike. Written here: a crate for one
/// formatting rule is not worth it.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_from_the_right() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (3224, "3,224"),
            (26729, "26,729"),
            (100000, "100,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("报告"), "报告");
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{001B}[2Jb");
        assert_eq!(printable("甲\n通过"), "甲\\u{000A}通过");
        assert_eq!(printable("x\u{202E}y"), "x\\u{202E}y");
    }

    #[test]
    fn folds_only_full_width_ascii() {
        let folded: String = "２０２３年，ＡＢｃ！　～中"
            .chars()
            .map(fold_width)
            .collect();
        // U+3000 (ideographic space) is not an ASCII form: it stays.
        assert_eq!(folded, "2023年,ABc!　~中");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc_html(r#"<a href="x">A&B</a>"#),
            "&lt;a href=&quot;x&quot;&gt;A&amp;B&lt;/a&gt;"
        );
    }
}
