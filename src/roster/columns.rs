//! The columns of a 立项名单: which Chinese headings name which field, and where the header
//! row is. Recognition is data: a new heading is one line of [`HEADINGS`] and a test row.

/// A field of a roster row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Seq,
    Number,
    Title,
    Org,
    Leader,
    Item,
    Category,
    Guideline,
    Deadline,
    Year,
}

/// Headings of each field, compared after [`heading_key`]. Taken from the shapes of the
/// funders' lists the issue names (序号, 项目编号, 项目名称, 承担单位, 负责人, 类别 or 指南条目,
/// 经费, 完成时间) and their usual variants in 立项公示 tables of 科协 and 社科 calls.
pub const HEADINGS: &[(Field, &[&str])] = &[
    (Field::Seq, &["序号", "序", "排序"]),
    (
        Field::Number,
        &[
            "项目编号",
            "课题编号",
            "立项编号",
            "编号",
            "项目号",
            "批准号",
            "批准编号",
            "合同编号",
            "任务编号",
        ],
    ),
    (
        Field::Title,
        &[
            "项目名称",
            "课题名称",
            "项目题目",
            "课题题目",
            "研究题目",
            "选题名称",
            "项目名",
            "课题名",
            "题目",
            "名称",
        ],
    ),
    (
        Field::Org,
        &[
            "承担单位",
            "申报单位",
            "依托单位",
            "牵头单位",
            "承担单位名称",
            "申报单位名称",
            "单位名称",
            "承担学会",
            "申报学会",
            "学会名称",
            "单位",
        ],
    ),
    (
        Field::Leader,
        &[
            "负责人",
            "项目负责人",
            "课题负责人",
            "主持人",
            "牵头人",
            "负责人姓名",
        ],
    ),
    (
        Field::Item,
        &[
            "指南条目",
            "研究方向",
            "指南方向",
            "选题方向",
            "申报方向",
            "所属方向",
            "对应指南条目",
            "指南题目",
            "指南条目编号",
            "指南编号",
            "条目",
        ],
    ),
    (
        Field::Category,
        &[
            "类别",
            "项目类别",
            "类型",
            "项目类型",
            "申报类别",
            "课题类别",
        ],
    ),
    (
        Field::Guideline,
        &["指南", "申报指南", "所属指南", "指南名称", "指南文件"],
    ),
    (
        Field::Deadline,
        &[
            "完成时间",
            "截止日期",
            "完成期限",
            "截止时间",
            "完成日期",
            "结项时间",
            "结题时间",
            "计划完成时间",
        ],
    ),
    (Field::Year, &["年度", "立项年度", "年份", "立项年份"]),
];

/// How far down a sheet the header row is looked for (title rows, a date line, notes).
const HEADER_SEARCH_ROWS: usize = 30;

/// A heading as compared: no white space (headings wrap: "项目\n名称"), full-width folded,
/// no `*` of a required column, no trailing unit in brackets ("经费（万元）").
pub fn heading_key(cell: &str) -> String {
    let s: String = cell
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(crate::text::fold_width)
        .collect();
    match s.find('(') {
        Some(i) if i > 0 && s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

/// The field a heading names, if any.
pub fn field_of(cell: &str) -> Option<Field> {
    let k = heading_key(cell);
    HEADINGS
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(f, _)| *f)
}

/// The header row of a sheet: the first of its top rows with a project-name column and at
/// least one other known column. Returns its index and each field's column (the first
/// column of a field wins).
pub fn find_header(rows: &[Vec<String>]) -> Option<(usize, Vec<(Field, usize)>)> {
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let mut cols: Vec<(Field, usize)> = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(f) = field_of(cell)
                && !cols.iter().any(|(g, _)| *g == f)
            {
                cols.push((f, c));
            }
        }
        if cols.iter().any(|(f, _)| *f == Field::Title) && cols.len() >= 2 {
            return Some((i, cols));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        let rows: &[(&str, Option<Field>)] = &[
            ("项目名称", Some(Field::Title)),
            ("项 目 名 称", Some(Field::Title)),
            ("课题\n名称", Some(Field::Title)),
            ("*项目名称", Some(Field::Title)),
            ("承担单位（盖章）", Some(Field::Org)),
            ("经费（万元）", None),
            ("项目编号", Some(Field::Number)),
            ("序号", Some(Field::Seq)),
            ("类别", Some(Field::Category)),
            ("指南条目", Some(Field::Item)),
            ("研究方向", Some(Field::Item)),
            ("完成时间", Some(Field::Deadline)),
            ("截止日期", Some(Field::Deadline)),
            ("负责人", Some(Field::Leader)),
            ("项目名称及编号说明", None),
        ];
        for (cell, want) in rows {
            assert_eq!(field_of(cell), *want, "{cell}");
        }
    }

    #[test]
    fn header_below_title_rows() {
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rows = vec![
            r(&["2022年度学会改革专项立项名单"]),
            r(&["", "", "公示日期：2022年6月1日"]),
            r(&["序号", "项目名称", "承担单位"]),
            r(&["1", "甲", "乙"]),
        ];
        let (i, cols) = find_header(&rows).unwrap();
        assert_eq!(i, 2);
        assert_eq!(
            cols,
            vec![(Field::Seq, 0), (Field::Title, 1), (Field::Org, 2)]
        );
        // A sheet of names without a project column is no roster.
        assert!(find_header(&[r(&["姓名", "单位"])]).is_none());
    }
}
