//! Writes `corpora/demo/立项名单.xlsx`, the demo batch's list of funded projects, in the
//! shape a funder's office sends it: a merged title row, a 公示 line, the header on the third
//! row, a 类别 merged down over the projects of one category, dates as date cells, a total
//! row. It stands in for the project.toml files of P01–P04, P06 and P07 (P05 keeps its
//! toml, which overrides its row; P08–P11 are not on this call's list).
//!
//!     cargo run --example make_demo_roster

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "corpora/demo/立项名单.xlsx".into());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("立项名单").unwrap();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let plain = Format::new().set_align(FormatAlign::VerticalCenter);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.merge_range(0, 0, 0, 9, "2022年度学会改革专项课题立项名单", &title)
        .unwrap();
    ws.write_string(1, 7, "公示时间：2022年6月").unwrap();
    let header = [
        "序号",
        "项目编号",
        "项目名称",
        "承担单位",
        "负责人",
        "类别",
        "指南条目",
        "年度",
        "经费（万元）",
        "完成时间",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Number, title, organisation, leader, item (by id or by title), funding, deadline.
    let rows: [(&str, &str, &str, &str, &str, f64, bool); 7] = [
        (
            "P01",
            "学会规范化治理及社会公信力提升",
            "中国科学技术史学会",
            "周明",
            "1.3",
            30.0,
            true,
        ),
        (
            "P02",
            "学会科技奖项影响力提升",
            "中国仪器仪表学会",
            "吴宁",
            "学会打造有影响力的科技奖项研究",
            30.0,
            true,
        ),
        (
            "P03",
            "学会参与科技人才评价改革",
            "中国电工技术学会",
            "郑华",
            "1.5",
            30.0,
            true,
        ),
        (
            "P04",
            "学会参与科技伦理治理",
            "中国自然辩证法研究会",
            "王芳",
            "1.6",
            30.0,
            true,
        ),
        (
            "P05",
            "学会融入全球创新治理",
            "中国科学技术协会国际联络部课题组",
            "冯越",
            "1.7",
            30.0,
            true,
        ),
        (
            "P06",
            "科技工作者联系服务机制创新试点",
            "浙江省科学技术协会",
            "陈晨",
            "新时代科技工作者联系服务机制创新",
            50.0,
            false,
        ),
        (
            "P07",
            "科技群团改革政策跟踪研究",
            "清华大学科技政策研究中心",
            "褚云",
            "科技群团改革政策跟踪和前瞻研究",
            20.0,
            false,
        ),
    ];
    for (i, (num, name, org, leader, item, money, dated)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *num).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_string(r, 3, *org).unwrap();
        ws.write_string(r, 4, *leader).unwrap();
        ws.write_string(r, 6, *item).unwrap();
        ws.write_number(r, 7, 2022.0).unwrap();
        ws.write_number(r, 8, *money).unwrap();
        if *dated {
            let d = ExcelDateTime::from_ymd(2022, 12, 31).unwrap();
            ws.write_datetime_with_format(r, 9, &d, &date).unwrap();
        }
    }
    ws.merge_range(3, 5, 7, 5, "学会改革前瞻调研类项目", &plain)
        .unwrap();
    ws.write_string(8, 5, "地方科协试点示范类项目").unwrap();
    ws.write_string(9, 5, "新时代科协改革规律研究类项目")
        .unwrap();
    ws.write_string(10, 0, "合计").unwrap();
    ws.write_number(10, 8, 220.0).unwrap();
    wb.save(&path).unwrap();
    println!("{path}");
}
