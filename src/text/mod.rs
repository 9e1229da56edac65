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

#[cfg(test)]
mod tests {
    use super::*;

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
