#!/usr/bin/env python3
"""Builds corpora/fixtures/matching: projects that name their deliverables as real projects do,
with the requirement each file must be matched to worked out by hand (expected.json).

All projects answer item 1.3 of the CAST 2022 reform pilot guide (专题交流活动 1次; 案例 6-8个;
专报; 研究报告 3万字以上; 建议报告 3000字左右). Their files are named and titled the many ways
folders are (最终成果, 结题报告, 总报告, 课题报告, 成果, the project's own name; 政策建议, 资政报告,
决策参考, 对策建议, 专报; case collections numbered 案例一, 【案例】, （一）, 1., or with bare
title lines; event proofs as 纪要, 新闻稿, 通知, 议程, 签到表). M01 is issue 21's four-file
project.

`expected.json` maps each project to {"files": {file: requirement label or null},
"status": {requirement label: status}, "words": {file: 正文字数}}. A file maps to the requirement
whose evidence must list it. The 字数 are counted here (Word's rule, see make_layouts.words);
a title line alone before 第一章 is no cover, so the body is the whole text.

The .docx are written directly (zipfile), as make_layouts.py writes them.
Run from the repository root:  python3 corpora/tools/make_matching.py
"""
import json, os, shutil, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_layouts as ml  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "matching")
GUIDE = "2022-cast-reform-pilot-guide"

_PROSE = ml.Prose(ml.SENTENCES)


def prose(chars):
    """Body paragraphs of statute sentences totalling at least `chars` characters (the
    sentences repeat once exhausted: only counts matter here)."""
    return _PROSE.paras(chars)


def write(path, layout):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ml.write_docx(path, layout)


def body_words(layout):
    """字数 of the body: every paragraph (a title line alone is no cover)."""
    return sum(ml.words(t) for _, k, t in layout if k != "break")


def report(title, chapters, chars):
    """A report: its title line, then chapters 第一章… each with prose."""
    lay = [("cover", "p", title)]
    nums = "一二三四五六七八九十"
    for i, ch in enumerate(chapters):
        lay.append(("body", "h1", f"第{nums[i]}章 {ch}"))
        for p in prose(chars // len(chapters)):
            lay.append(("body", "p", p))
    return lay


def short(title, chars, extra=()):
    """A short document: title line, prose, then `extra` lines."""
    lay = [("body", "p", title)]
    for p in prose(chars):
        lay.append(("body", "p", p))
    for e in extra:
        lay.append(("body", "p", e))
    return lay


def cases(title, heads, chars_each=300):
    lay = [("body", "p", title)]
    for h in heads:
        lay.append(("body", "p", h))
        for p in prose(chars_each):
            lay.append(("body", "p", p))
    return lay


ORGS = ["中国电子学会", "中国机械工程学会", "中国化工学会", "中国药学会", "中国农学会", "中国计算机学会"]
DEEDS = ["以章程为核心完善治理", "理事会换届规范有序", "监事会发挥监督作用", "财务信息主动公开",
         "会员代表大会制度化运行", "诚信建设纳入会员管理"]
EVENT = "专题交流活动"
NEWS = [f"2022年9月15日，学会规范化治理{EVENT}在北京召开，来自二十余家全国学会的代表参加。"]
MINUTES_EXTRA = [f"会议时间：2022年9月15日", "会议地点：北京", "参会人员：各全国学会秘书长",
                 f"本次{EVENT}围绕学会规范化治理进行了深入交流。"]


def project(pid, files, expect_files, status, toml_extra=""):
    base = os.path.join(OUT, "projects", pid)
    os.makedirs(base, exist_ok=True)
    open(os.path.join(base, "project.toml"), "w", encoding="utf-8").write(
        f'title = "学会规范化治理及社会公信力提升"\norg = "某某学会"\nguideline = "{GUIDE}"\n'
        f'item = "1.3"\nyear = 2022\n{toml_extra}')
    words = {}
    for name, lay, _chaptered in files:
        write(os.path.join(base, name), lay)
        words[name] = body_words(lay)
    EXPECTED[pid] = {"files": expect_files, "status": status, "words": words}


EXPECTED = {}
R, C, Z, J, E = "研究报告", "案例", "专报", "建议报告", EVENT
CH4 = ["学会治理的现状", "存在的主要问题", "国际经验与启示", "对策与路径"]
CH5 = CH4 + ["结论与展望"]


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "guidelines"))
    shutil.copy(os.path.join(ROOT, "guidelines", GUIDE + ".txt"), os.path.join(OUT, "guidelines"))

    # M01, issue 21's project: the report by length and chapters (推断), the 专报, six cases by
    # structure (推断), the event by its news release. No 建议报告 was delivered.
    project("M01", [
        ("项目最终成果.docx", report("学会规范化治理及社会公信力提升路径研究", CH4, 32000), True),
        ("资政专报.docx", short("关于提升学会社会公信力的资政专报", 3100), False),
        ("典型做法汇编.docx", cases("学会规范化治理典型做法汇编",
                               [f"（{n}）{o}：{d}" for n, o, d in zip("一二三四五六", ORGS, DEEDS)]), False),
        ("活动新闻稿.docx", short("学会规范化治理专题交流活动新闻稿", 400, NEWS), False),
    ], {"项目最终成果.docx": R, "资政专报.docx": Z, "典型做法汇编.docx": C, "活动新闻稿.docx": E},
        {R: "review", C: "review", Z: "pass", J: "missing", E: "pass"})

    # M02: 结题报告 (a weak word: 推断), 政策建议, 专报第1期, 【案例】 cases, minutes.
    project("M02", [
        ("结题报告.docx", report("学会规范化治理研究", CH5, 31000), True),
        ("政策建议.docx", short("关于完善学会治理的政策建议", 3000), False),
        ("专报第1期.docx", short("专报（第1期）", 1500), False),
        ("典型案例.docx", cases("学会治理典型案例", [f"【案例】{o}：{d}" for o, d in zip(ORGS, DEEDS)]), False),
        ("会议纪要.docx", short("学会规范化治理专题交流活动会议纪要", 300, MINUTES_EXTRA), False),
    ], {"结题报告.docx": R, "政策建议.docx": J, "专报第1期.docx": Z, "典型案例.docx": C, "会议纪要.docx": E},
        {R: "review", C: "pass", Z: "pass", J: "pass", E: "pass"})

    # M03: 总报告 (a name: plain), 决策参考, 要报, cases numbered "1." in a 案例选编, a notice and
    # an agenda.
    project("M03", [
        ("总报告.docx", report("学会规范化治理总报告", CH4, 33000), True),
        ("决策参考.docx", short("决策参考：推进学会规范化治理", 2900), False),
        ("要报.docx", short("成果要报", 1200), False),
        ("案例选编.docx", cases("案例选编", [f"{i}. {o}——{d}" for i, (o, d) in enumerate(zip(ORGS, DEEDS), 1)]), False),
        ("会议通知.docx", short(f"关于举办学会规范化治理{EVENT}的通知", 0,
                            ["各有关单位：", f"定于2022年9月15日在北京举办{EVENT}。", "特此通知。"]), False),
        ("会议议程.docx", short(f"{EVENT}议程", 100), False),
    ], {"总报告.docx": R, "决策参考.docx": J, "要报.docx": Z, "案例选编.docx": C,
        "会议通知.docx": E, "会议议程.docx": E},
        {R: "pass", C: "pass", Z: "pass", J: "pass", E: "pass"})

    # M04: 课题报告 (weak: 推断), 对策建议, 内参, seven cases with bare title lines in an 经验做法汇编
    # (a weak word and the structure: 推断), a seminar's minutes named 纪要.
    orgs7 = ORGS + ["中国仪器仪表学会"]
    deeds7 = DEEDS + ["秘书处专职化建设"]
    project("M04", [
        ("课题报告.docx", report("学会规范化治理及社会公信力提升课题研究", CH4, 30500), True),
        ("对策建议.docx", short("推进学会规范化治理的对策建议", 3300), False),
        ("内参.docx", short("学会治理内参", 1000), False),
        ("经验做法汇编.docx", cases("学会治理经验做法汇编", [f"{o}：{d}的做法" for o, d in zip(orgs7, deeds7)]), False),
        ("纪要.docx", short(f"{EVENT}纪要", 300, MINUTES_EXTRA), False),
    ], {"课题报告.docx": R, "对策建议.docx": J, "内参.docx": Z, "经验做法汇编.docx": C, "纪要.docx": E},
        {R: "review", C: "review", Z: "pass", J: "pass", E: "pass"})

    # M05: the report named after the project (no genre word: length and chapters, 推断), 资政报告,
    # 专报, 案例一… in a 典型案例集, a notice saved as 附件1 (known by 各有关单位: 推断) and a sign-in
    # sheet.
    project("M05", [
        ("学会规范化治理及社会公信力提升.docx", report("学会规范化治理及社会公信力提升", CH5, 34000), True),
        ("资政报告.docx", short("关于学会社会公信力建设的资政报告", 3200), False),
        ("专报.docx", short("学会治理专报", 1800), False),
        ("典型案例集.docx", cases("典型案例集", [f"案例{n}：{o}{d}" for n, o, d in zip("一二三四五六", ORGS, DEEDS)]), False),
        ("附件1.docx", short(f"学会规范化治理{EVENT}安排", 0,
                            ["各有关单位：", f"定于2022年9月15日在北京举办{EVENT}。", "特此通知。"]), False),
        ("签到表.docx", short(f"{EVENT}签到表", 100), False),
    ], {"学会规范化治理及社会公信力提升.docx": R, "资政报告.docx": J, "专报.docx": Z, "典型案例集.docx": C,
        "附件1.docx": E, "签到表.docx": E},
        {R: "review", C: "pass", Z: "pass", J: "pass", E: "pass"})

    # M06: 成果 and 建议 alone (weak words: both 推断), two 专报, six case files, minutes; and
    # [files] in project.toml saying what 说明.docx is (a person has said: plain pass).
    project("M06", [
        ("成果.docx", report("学会规范化治理研究成果", CH4, 31500), True),
        ("建议.docx", short("关于学会规范化治理的几点建议", 3000), False),
        ("专报第1期.docx", short("专报（第1期）", 1200), False),
        ("专报第2期.docx", short("专报（第2期）", 1200), False),
    ] + [(f"案例/案例{i}.docx", short(f"案例{i}：{o}{d}", 300), False)
         for i, (o, d) in enumerate(zip(ORGS, DEEDS), 1)] + [
        ("说明.docx", short(f"{EVENT}情况说明", 300, [f"2022年9月15日举办{EVENT}。"]), False),
    ], {"成果.docx": R, "建议.docx": J, "专报第1期.docx": Z, "专报第2期.docx": Z,
        **{f"案例/案例{i}.docx": C for i in range(1, 7)}, "说明.docx": E},
        {R: "review", C: "pass", Z: "pass", J: "review", E: "pass"},
        toml_extra='\n[files]\n"说明.docx" = "会议纪要"\n')

    json.dump(EXPECTED, open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8"),
              ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
