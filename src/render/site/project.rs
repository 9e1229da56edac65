//! A project's page: the checklist (verdict, reason, each requirement with its evidence), the
//! files with links to their views, and the copying figures with links into the report.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::copying::DocSources;
use super::{group, pct, seg, shell};
use crate::batch::ProjectRow;
use crate::check::checklist::Checklist;

/// The link to a file's view, when it has one.
fn file_link(views: Option<&BTreeMap<String, String>>, path: &str) -> Markup {
    match views.and_then(|v| v.get(path)) {
        Some(name) => html! { a href=(name) { (path) } },
        None => html! { (path) },
    }
}

pub(super) fn page(
    p: &ProjectRow,
    c: Option<&Checklist>,
    views: Option<&BTreeMap<String, String>>,
    sources: Option<&Vec<DocSources>>,
) -> Markup {
    let id = seg(&p.id);
    let body = html! {
        h1 { (p.id) "　" (p.title) }
        p {
            "验收结论：" span class=(p.verdict.as_str()) id="verdict" { (p.verdict.label_zh()) }
            "　" span id="reason" { (p.reason) }
        }
        p {
            @if c.is_some() {
                "验收清单："
                a href={ "../../checklists/" (id) ".html" } { "网页（可打印）" } " · "
                a href={ "../../checklists/" (id) ".docx" } { "Word" } " · "
                a href={ "../../checklists/" (id) ".md" } { "Markdown" } " · "
                a href={ "../../checklists/" (id) ".json" } { "JSON" }
                "　"
            }
            a href="copying.html" { "文字复制检测报告" }
        }
        @match c {
            Some(c) => { (checklist(c, views, sources)) }
            None => {
                @if p.verdict == crate::check::Verdict::Missing {
                    p.fail { "立项名单列有本项目，但没有收到任何材料。" }
                } @else {
                    p.fail { "本项目没有验收清单（配置有误，见总览中的“无法处理”）。" }
                }
            }
        }
    };
    shell(&format!("{} {}", p.id, p.title), "../../", body)
}

fn checklist(
    c: &Checklist,
    views: Option<&BTreeMap<String, String>>,
    sources: Option<&Vec<DocSources>>,
) -> Markup {
    html! {
        table.info style="width:auto" {
            @for (k, v) in c.info_rows() {
                tr { th { (k) } td { (v) } }
            }
        }
        h2 { "考核要求核对" }
        table #requirements {
            tr { th { "编号" } th { "要求" } th { "指南原文" } th { "要求值" } th { "实际" } th { "结论" } th { "依据" } }
            @for r in &c.requirements {
                tr {
                    td { (r.id) }
                    td { (r.label) }
                    td.muted { (r.quote) }
                    td { (r.expected) }
                    td { (r.actual) }
                    td class=(r.status.as_str()) style="white-space:nowrap" { (r.status.label_zh()) }
                    td {
                        @for (i, e) in r.evidence.iter().enumerate() {
                            @if i > 0 { br; }
                            (file_link(views, &e.path))
                            @if let Some(part) = &e.part { "#" (part) }
                            "：" (e.detail)
                        }
                    }
                }
            }
        }
        h2 { "提交的文件" }
        p.muted { "点击文件名查看提取的文字，以及哪些部分计入正文字数。" }
        table #files {
            tr { th { "文件" } th { "识别为" } th { "依据" } th { "状态" } th.num { "全文字数" } th.num { "正文字数" } }
            @for f in &c.files {
                tr {
                    td {
                        (file_link(views, &f.path))
                        @if let Some(part) = &f.part { "#" (part) }
                        @for j in f.joined.iter().skip(1) { " + " (file_link(views, j)) }
                    }
                    td { (f.label.as_deref().unwrap_or("未识别")) }
                    td { (f.label_source.label_zh()) }
                    @let est = crate::report::estimate_mark(f.source);
                    td {
                        (f.error.as_deref().unwrap_or(status_zh(f.status)))
                        @if f.source.is_some() && f.error.is_none() { "，扫描件 OCR 估计" }
                    }
                    td.num { (f.words.map_or("-".into(), |n| format!("{est}{}", group(n)))) }
                    td.num { (f.body_words.map_or("-".into(), |n| format!("{est}{}", group(n)))) }
                }
            }
        }
        @if !c.unmatched.is_empty() {
            p { "未对应任何要求的文件：" (c.unmatched.join("、")) }
        }
        h2 { "文字重复" }
        @if c.overlaps.is_empty() {
            p.pass { "未发现与其他项目或档案相同的文字。" }
        } @else {
            table #overlaps {
                tr { th { "本项目文件" } th { "相同文字的来源" } th.num { "重复字数" } th.num { "占本文" } }
                @for o in &c.overlaps {
                    @let anchor = sources.and_then(|s| s.iter().find(|d| d.file == o.path))
                        .and_then(|d| d.sources.iter().find(|s| s.other == o.other))
                        .map(|s| s.anchor.clone());
                    tr {
                        td { (o.path) }
                        td {
                            @match anchor {
                                Some(a) => { a href={ "copying.html#" (a) } { (o.other) } }
                                None => { (o.other) }
                            }
                        }
                        td.num { (group(o.chars)) }
                        td.num { (pct(o.ratio)) }
                    }
                }
            }
        }
    }
}

fn status_zh(s: crate::doc::FileStatus) -> &'static str {
    match s {
        crate::doc::FileStatus::Ok => "正常",
        crate::doc::FileStatus::Error => "无法读取",
        crate::doc::FileStatus::NoText => "无文字层",
    }
}
