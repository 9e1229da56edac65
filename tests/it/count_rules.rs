//! Word's 字数 rules, one row per rule. Every expected value was worked out by hand from the
//! rules in src/count.rs (the comment says how), never copied from the program's output.

use yanshou::count::count_str;

/// (text, 中文字符和朝鲜语单词, 非中文单词, how the numbers come about)
const ROWS: &[(&str, u64, u64, &str)] = &[
    ("", 0, 0, "nothing"),
    (
        "中\u{200B}文 ab\u{200B}cd 葛\u{FE00}",
        3,
        1,
        "zero-width space and variation selector are nothing: 中文 葛 3, abcd one run",
    ),
    ("中文", 2, 0, "two Han characters"),
    ("Hello", 0, 1, "one Latin run"),
    ("Hello World", 0, 2, "two runs split by a space"),
    (
        "Hello、World。",
        2,
        2,
        "、 and 。 count 1 each and split the runs",
    ),
    (
        "東京2024オリンピック",
        8,
        1,
        "東京 2 + オリンピック 6 kana; 2024 one run",
    ),
    ("１２３４５", 5, 0, "full-width digits count 1 each"),
    ("①②③④⑤", 0, 1, "circled digits are not East Asian: one run"),
    ("① ② ③", 0, 3, "three runs"),
    ("3.5%", 0, 1, "one run"),
    ("e-mail", 0, 1, "one run"),
    (
        "(见图1)",
        2,
        2,
        "见图 2; '(' and '1)' are runs split by the Han characters",
    ),
    ("２０２２年", 5, 0, "4 full-width digits + 年"),
    ("2022年", 1, 1, "2022 run + 年"),
    ("AI技术", 2, 1, "AI + 技术"),
    ("GDP增长6.5%", 2, 2, "GDP, 6.5% runs; 增长"),
    (
        "“你好”",
        2,
        2,
        "without a font hint quotes are Latin: “ and ” are runs of their own around 你好",
    ),
    ("“Hello”", 0, 1, "quotes beside Latin join its run"),
    (
        "“ Hello",
        0,
        2,
        "a lone leading quote before a space is its own run",
    ),
    ("他说：“Hello”", 3, 1, "他说： 3; “Hello” one run"),
    ("……", 0, 1, "ellipsis alone: one run"),
    (
        "第二季度……",
        4,
        1,
        "第二季度 4; the two ellipses are one run",
    ),
    ("—— 引言", 2, 1, "the two dashes are one run; 引言 2"),
    ("“AI”", 0, 1, "quotes glued to AI: one run"),
    (
        "温度25℃",
        2,
        1,
        "温度 2; 25℃ one run (℃ is U+2103, Latin without a hint)",
    ),
    ("※注意", 2, 1, "※ is a run of its own, split by 注意"),
    ("Word 2016", 0, 2, "two runs"),
    (
        "你好 世界",
        4,
        0,
        "a space between Han characters changes nothing",
    ),
    (
        "你好\u{3000}世界",
        4,
        0,
        "the ideographic space is white space",
    ),
    ("a\u{00A0}b", 0, 2, "no-break space separates runs"),
    ("한국어", 1, 0, "Korean is counted by words"),
    ("한국어 단어", 2, 0, "two Korean words"),
    ("ＡＢＣ", 3, 0, "full-width letters count 1 each"),
    ("ABC", 0, 1, "one run"),
    ("ｶﾀｶﾅ", 4, 0, "half-width katakana are East Asian"),
    ("ひらがな", 4, 0, "hiragana"),
    ("㈠", 1, 0, "parenthesized ideograph (U+3220)"),
    ("㎡", 1, 0, "CJK compatibility square metre"),
    ("100㎡", 1, 1, "100 run + ㎡"),
    (
        "《中华人民共和国科学技术进步法》",
        16,
        0,
        "14 Han + two book-title marks",
    ),
    ("第1章", 2, 1, "第 章 + 1"),
    ("COVID-19疫情", 2, 1, "COVID-19 run + 疫情"),
    ("www.cast.org.cn", 0, 1, "one run"),
    ("张三（男）", 5, 0, "full-width parentheses count 1 each"),
    (
        "张三(男)",
        3,
        2,
        "half-width parentheses are runs of their own",
    ),
    ("1、2、3", 2, 3, "three digit runs, two 、"),
    ("￥100", 1, 1, "full-width yen sign + 100"),
    ("$100", 0, 1, "one run"),
    ("±5%", 0, 1, "one run"),
    ("α粒子", 2, 1, "Greek is not East Asian"),
    ("5G网络", 2, 1, "5G + 网络"),
    (
        "Ⅰ类项目",
        3,
        1,
        "roman numeral Ⅰ (U+2160) is not East Asian",
    ),
    ("中\t文", 2, 0, "tab is white space"),
    ("A B  C", 0, 3, "three runs"),
    ("。。。", 3, 0, "ideographic full stops"),
    ("...", 0, 1, "ASCII dots: one run"),
    ("中文...", 2, 1, "dots after Han: one run"),
    ("·", 0, 1, "lone middle dot: one run"),
    (
        "马克思·韦伯",
        5,
        1,
        "马克思 3 + 韦伯 2; the middle dot between them is a run",
    ),
    (
        "Jean·Paul",
        0,
        1,
        "middle dot inside a Latin name joins the run",
    ),
    ("〇", 1, 0, "ideographic zero"),
    ("𠀀", 1, 0, "Extension B ideograph"),
    ("丨", 1, 0, "Han stroke character"),
    ("™", 0, 1, "trade mark sign"),
    ("😀中文", 2, 1, "emoji is a run"),
    ("中😀文", 2, 1, "emoji between Han characters"),
    ("﹏", 1, 0, "CJK compatibility form"),
    ("，", 1, 0, "full-width comma"),
    (",", 0, 1, "ASCII comma alone is a run"),
    ("A，B", 1, 2, "full-width comma splits A and B"),
    ("2022—2025年", 1, 1, "2022—2025 one run; 年"),
    (
        "2022年—2025年",
        2,
        2,
        "2022 and —2025 runs, split by 年; 年 twice",
    ),
    ("形成1篇3万字以上研究报告", 11, 2, "11 Han + 1 and 3"),
];

#[test]
fn word_rules_table() {
    assert!(ROWS.len() >= 60);
    let mut failures = Vec::new();
    for &(text, cjk, non, why) in ROWS {
        let c = count_str(text);
        if (c.cjk_chars, c.non_cjk_words, c.words) != (cjk, non, cjk + non) {
            failures.push(format!(
                "{text:?}: got {}+{}, want {cjk}+{non} ({why})",
                c.cjk_chars, c.non_cjk_words
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn character_counts_and_paragraphs() {
    // "Hello World" = 10 letters + 1 space; "中文，" = 3; the empty line is not a paragraph.
    let c = count_str("Hello World\n\n中文，\n   \n");
    assert_eq!(c.chars_no_spaces, 13);
    assert_eq!(c.chars_with_spaces, 11 + 3 + 3); // the blank line's 3 spaces count too
    assert_eq!(c.paragraphs, 2);
    // Full-width space: a space, counted with spaces only.
    let c = count_str("你好\u{3000}世界");
    assert_eq!((c.chars_no_spaces, c.chars_with_spaces), (4, 5));
}

#[test]
fn paragraph_marks_split_runs() {
    // A run cannot continue across a paragraph: "abc" and "def" are two words.
    let c = count_str("abc\ndef");
    assert_eq!(c.non_cjk_words, 2);
    // The Han characters of one paragraph do not change a quote in the next: “Hello” is one
    // run.
    let c = count_str("中文\n“Hello”");
    assert_eq!((c.cjk_chars, c.non_cjk_words), (2, 1));
}

mod props {
    use proptest::prelude::*;
    use yanshou::count::{count_str, count_str_parallel};

    proptest! {
        #[test]
        fn words_is_sum_and_chars_bounded(s in "[a-z 中文，。“”…\\n１0-9한]{0,200}") {
            let c = count_str(&s);
            prop_assert_eq!(c.words, c.cjk_chars + c.non_cjk_words);
            prop_assert!(c.chars_no_spaces <= c.chars_with_spaces);
            prop_assert!(c.words <= c.chars_no_spaces);
            prop_assert_eq!(c.chars_with_spaces as usize, s.chars().filter(|&ch| ch != '\n').count());
        }

        #[test]
        fn concatenating_paragraphs_adds_counts(a in "[a-z 中文，“”]{0,50}", b in "[a-z 中文，“”]{0,50}") {
            let joined = format!("{a}\n{b}");
            let sum = count_str(&a) + count_str(&b);
            prop_assert_eq!(count_str(&joined), sum);
            prop_assert_eq!(count_str_parallel(&joined), sum);
        }
    }
}

#[test]
fn invisible_characters_are_not_characters() {
    // Hand count: 中, 文, a, b, c, d, the space, 葛 = 8 with spaces, 7 without; the two U+200B,
    // the U+FEFF and the U+FE00 add nothing.
    let c = count_str("中\u{200B}文 ab\u{FEFF}cd\u{200B}葛\u{FE00}");
    assert_eq!((c.chars_with_spaces, c.chars_no_spaces), (8, 7));
}

#[test]
fn a_typed_line_separator_counts_a_manual_break_does_not() {
    // U+2028 typed in the text: a character (with spaces) and a word break: ab, cd = 2 runs,
    // 5 characters with spaces. Word's manual break (U+000B in counted text): 2 runs, 4.
    let c = count_str("ab\u{2028}cd");
    assert_eq!((c.non_cjk_words, c.chars_with_spaces), (2, 5));
    let c = count_str("ab\u{B}cd");
    assert_eq!(
        (c.non_cjk_words, c.chars_with_spaces, c.chars_no_spaces),
        (2, 4, 4)
    );
}
