//! Times reading a 立项名单 of N rows and matching N folders to it (folders named by number,
//! title and organisation in turn), and checks every folder found its own row.
//!
//!     cargo run --release --example roster_scale -- [N=1000]

use rust_xlsxwriter::Workbook;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("立项名单.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["序号", "项目编号", "项目名称", "承担单位", "指南条目"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Distinct titles and organisations from two counters (甲乙丙… × 子丑寅…).
    let a: Vec<char> = "甲乙丙丁戊己庚辛壬癸".chars().collect();
    let b: Vec<char> = "子丑寅卯辰巳午未申酉戌亥".chars().collect();
    let name = |i: usize| format!("{}{}{}", a[i % 10], b[(i / 10) % 12], a[(i / 120) % 10]);
    for i in 0..n {
        let r = 1 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("KT{:04}", i + 1)).unwrap();
        ws.write_string(r, 2, format!("{}学会治理机制研究{i}号", name(i)))
            .unwrap();
        ws.write_string(r, 3, format!("{}省{i}学会", name(i)))
            .unwrap();
        ws.write_string(r, 4, "1.3").unwrap();
    }
    wb.save(&path).unwrap();
    let folders: Vec<String> = (0..n)
        .map(|i| match i % 3 {
            0 => format!("KT{:04}", i + 1),
            1 => format!("《{}学会治理机制研究{i}号》", name(i)),
            _ => format!("{}省{i}学会", name(i)),
        })
        .collect();
    let t = std::time::Instant::now();
    let roster = yanshou::roster::read_roster(&path).unwrap();
    let read = t.elapsed();
    let t = std::time::Instant::now();
    let m = yanshou::roster::match_folders(&folders, &roster.rows);
    let matched = t.elapsed();
    assert_eq!(roster.rows.len(), n);
    assert_eq!(
        m.matched.len(),
        n,
        "{:?}",
        &m.unmatched_folders[..3.min(m.unmatched_folders.len())]
    );
    assert!(m.matched.iter().all(|(f, r, _)| f == r));
    println!("{n} rows: read {read:?}, matched {n} folders in {matched:?}");
}
