//! Chinese numerals, both ways: list labels print as 十二, and calls for proposals write their
//! targets as 三千字, 两篇, 十五个, 0.8万字 or 不少於2萬字.

/// 12 → "十二", 105 → "一百零五", 20000 → "二万".
pub fn to_chinese(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return D[0].into();
    }
    if n >= 10_000 {
        let hi = to_chinese(n / 10_000);
        let lo = n % 10_000;
        return match lo {
            0 => format!("{hi}万"),
            1..=999 => format!("{hi}万零{}", to_chinese(lo)),
            _ => format!("{hi}万{}", to_chinese(lo)),
        };
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut s = String::new();
    let mut zero = false;
    let first = digits.iter().position(|&d| d != 0).unwrap_or(3);
    for (i, &d) in digits.iter().enumerate().skip(first) {
        if d == 0 {
            zero = true;
            continue;
        }
        if zero {
            s.push_str(D[0]);
            zero = false;
        }
        // 十二, not 一十二, when 十 leads.
        if !(d == 1 && i == 2 && s.is_empty()) {
            s.push_str(D[d as usize]);
        }
        s.push_str(units[i]);
    }
    s
}

/// The value of one Chinese digit (simplified, traditional, financial).
pub fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' | '壹' | '弌' => 1,
        '二' | '两' | '兩' | '贰' | '貳' | '弍' => 2,
        '三' | '叁' | '參' | '弎' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The multiplier of a Chinese unit character.
pub fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// Is this character part of a Chinese numeral?
pub fn is_numeral_char(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some()
}

/// Parses a Chinese numeral ("三千", "十五", "一百零五", "两", "二〇二二" digit by digit).
pub fn parse_chinese(s: &str) -> Option<u64> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() || !chars.iter().all(|&c| is_numeral_char(c)) {
        return None;
    }
    // Digits only (二〇二二): positional.
    if chars.len() > 1 && chars.iter().all(|&c| digit(c).is_some()) {
        return chars
            .iter()
            .try_fold(0u64, |acc, &c| acc.checked_mul(10)?.checked_add(digit(c)?));
    }
    let (mut yi, mut wan, mut section) = (0u64, 0u64, 0u64);
    let mut num: Option<u64> = None;
    for c in chars {
        if let Some(d) = digit(c) {
            num = Some(d);
        } else if let Some(u) = unit(c) {
            match u {
                100_000_000 => {
                    let g = yi + wan + section + num.take().unwrap_or(0);
                    yi = g.max(1).checked_mul(u)?;
                    wan = 0;
                    section = 0;
                }
                10_000 => {
                    let g = section + num.take().unwrap_or(0);
                    wan = g.max(1).checked_mul(u)?;
                    section = 0;
                }
                _ => section += num.take().unwrap_or(1) * u,
            }
        }
    }
    Some(yi + wan + section + num.unwrap_or(0))
}

/// Folds full-width digits and separators to ASCII (０-９ → 0-9, ． → .).
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        _ => crate::text::fold_width(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_chinese_rows() {
        for (n, s) in [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (3000, "三千"),
            (20000, "二万"),
            (30500, "三万零五百"),
        ] {
            assert_eq!(to_chinese(n), s, "{n}");
        }
    }

    #[test]
    fn parse_rows() {
        for (s, n) in [
            ("一", 1),
            ("两", 2),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("一百零五", 105),
            ("三千", 3000),
            ("三万", 30000),
            ("五万", 50000),
            ("一万五千", 15000),
            ("兩萬", 20000),
            ("二〇二二", 2022),
            ("一亿二千万", 120_000_000),
        ] {
            assert_eq!(parse_chinese(s), Some(n), "{s}");
        }
        assert_eq!(parse_chinese("abc"), None);
        assert_eq!(parse_chinese(""), None);
    }
}
