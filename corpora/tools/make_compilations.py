#!/usr/bin/env python3
"""Builds corpora/fixtures/compilations (and the demo's P12): deliverables that are not files.

Projects of a batch answering item 1.3 of the CAST 2022 reform pilot guide (专题交流活动 1次;
案例 6-8个; 专报; 研究报告 3万字以上; 建议报告 3000字左右):

  C01  结题材料汇编.docx: a cover, a 目录 naming the parts, then 第一部分 研究报告 (with its own
       参考文献), 第二部分 建议报告, 第三部分 典型案例 (案例1…案例7), 第四部分 专报, 第五部分 会议纪要.
  C02  成果汇编.docx: the same deliverables under 附件1：… / 附件2：… headings.
  C03  项目成果.docx: one title page per part (a page break, then the part's title as a
       Heading 1 line, no numbering).
  C04  结题材料汇编.pdf: C01's text without heading styles, as LibreOffice prints it: the parts
       are found from the text of their lines, their ranges in pages.
  S01  研究报告（上）.docx + 研究报告（下）.docx: one report over two files, each under 3万字.
  S02  研究报告-正文.docx + 研究报告-附件.docx: the 附件 counts in the whole, not the body.

`expected.json` maps each project to {requirement label: {"status", "evidence": [[path, part
name or null, 正文字数 or null]]}}: the part each requirement must point at and its 字数, counted
here with Word's rule (make_layouts.words) on the paragraphs put in that part. A part's text
is what follows its division line ("第二部分 建议报告" names it and is not counted in it); its
body leaves out its 参考文献.

The demo's P12 is C01's layout with its own prose (bucket 10 of make_demo.py's statute
paragraphs, which no other demo project uses, so the overlap stage finds nothing).

Needs LibreOffice (soffice) for the PDF. Run from the repository root:
  python3 corpora/tools/make_compilations.py
"""
import json, os, random, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_layouts as ml  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "compilations")
DEMO = os.path.join(ROOT, "demo", "projects", "P12")
GUIDE = "2022-cast-reform-pilot-guide"
EVENT = "专题交流活动"


def demo_bucket(i):
    """make_demo.py's statute paragraphs, bucket i (its code, repeated: make_demo needs
    python-docx to import). Split into sentences without digits or Latin letters, so that
    make_layouts.words counts them unambiguously."""
    paras = []
    for line in open(os.path.join(ROOT, "prose", "laws-sample.txt"), encoding="utf-8"):
        line = line.strip()
        if len(line) < 40 or line.startswith("#"):
            continue
        paras.append(re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", line))
    seen, kept = set(), []
    for p in paras:
        grams = {p[i:i + 16] for i in range(max(1, len(p) - 15))}
        if grams & seen:
            continue
        seen |= grams
        kept.append(p)
    random.Random(7).shuffle(kept)
    size = len(kept) // 12
    out = []
    for p in kept[i * size:(i + 1) * size]:
        for s in p.split("。"):
            if 20 <= len(s) <= 120 and not re.search(r"[A-Za-z0-9\s“”‘’…—·]", s):
                out.append(s + "。")
    return out


ORGS = ["中国电子学会", "中国机械工程学会", "中国化工学会", "中国药学会", "中国农学会", "中国计算机学会",
        "中国仪器仪表学会"]
DEEDS = ["以章程为核心完善治理", "理事会换届规范有序", "监事会发挥监督作用", "财务信息主动公开",
         "会员代表大会制度化运行", "诚信建设纳入会员管理", "秘书处专职化建设"]
CH = ["学会治理的现状", "存在的主要问题", "国际经验与启示", "对策与路径"]
NUM = "一二三四五六七八九十"


def deliverables(prose, report_chars=32000):
    """The five deliverables: (requirement label, division name, title line, paragraphs as
    (part, kind, text)) — part is "body" or "references"."""
    rep = []
    for i, ch in enumerate(CH):
        rep.append(("body", "h2", f"第{NUM[i]}章 {ch}"))
        rep += [("body", "p", p) for p in prose.paras(report_chars // len(CH))]
    rep.append(("references", "h2", "参考文献"))
    rep.append(("references", "p", "[1] 王某某.学会治理研究[J].科技社团,2021(3):1-10."))
    rep.append(("references", "p", "[2] 李某某.科技社团改革路径[M].北京:某某出版社,2020."))
    prop = [("body", "p", p) for p in prose.paras(3000)]
    cases = []
    for i, (o, d) in enumerate(zip(ORGS, DEEDS), 1):
        cases.append(("body", "p", f"案例{i}：{o}{d}"))
        cases += [("body", "p", p) for p in prose.paras(350)]
    zb = [("body", "p", p) for p in prose.paras(1500)]
    mins = [("body", "p", t) for t in ["会议时间：2022年9月15日", "会议地点：北京",
                                        "参会人员：各全国学会秘书长"]]
    mins += [("body", "p", f"本次{EVENT}围绕学会规范化治理进行了深入交流。")]
    mins += [("body", "p", p) for p in prose.paras(400)]
    return [
        ("研究报告", "研究报告", "学会规范化治理及社会公信力提升研究报告", rep),
        ("建议报告", "建议报告", "关于提升学会社会公信力的建议报告", prop),
        ("案例", "典型案例", "学会规范化治理典型案例", cases),
        ("专报", "专报", "学会规范化治理专报", zb),
        (EVENT, "会议纪要", f"学会规范化治理{EVENT}会议纪要", mins),
    ]


def words_of(paras, part="body"):
    return sum(ml.words(t) for p, k, t in paras if p == part and k != "break")


def compilation(dels, style):
    """The layout of a compilation and, per deliverable, (division name, body words).

    style: "bufen" (第一部分 研究报告, a title line after it), "fujian" (附件1：title), "title"
    (a page break and the title as Heading 1), "plain" (bufen with every line unstyled)."""
    lay = [("cover", "p", "学会规范化治理及社会公信力提升"), ("cover", "p", "结题材料汇编"),
           ("cover", "p", "承担单位：某某学会"), ("cover", "p", "二〇二二年十二月")]
    if style in ("bufen", "plain"):
        lay.append(("toc", "p", "目录"))
        for i, (_, div, _, _) in enumerate(dels):
            lay.append(("toc", "p", f"第{NUM[i]}部分 {div}……{i * 20 + 1}"))
    parts = []
    for i, (label, div, title, paras) in enumerate(dels):
        lay.append(("x", "break", ""))
        if style in ("bufen", "plain"):
            name = f"第{NUM[i]}部分 {div}"
            lay.append(("head", "p" if style == "plain" else "h1", name))
            lay.append(("body", "p", title))
            # A title naming 研究报告 before 第一章 is the part's cover (sections.rs: a short
            # front part with a cover line), so not in its body.
            body = words_of(paras) + (0 if label == "研究报告" else ml.words(title))
        elif style == "fujian":
            name = f"附件{i + 1}：{title}"
            lay.append(("head", "p", name))
            body = words_of(paras)
        else:
            name = title
            lay.append(("head", "h1", name))
            body = words_of(paras)
        for p, k, t in paras:
            kind = "p" if style == "plain" else k
            lay.append((p, kind, t))
        parts.append((label, name, body))
    return lay, parts


def write(path, layout):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # make_layouts.write_docx knows h1/h2/p/break; "p" for every other kind.
    ml.write_docx(path, [(p, k if k in ("h1", "h2", "break") else "p", t) for p, k, t in layout])


def toml(base, pid, title, deadline=""):
    os.makedirs(base, exist_ok=True)
    open(os.path.join(base, "project.toml"), "w", encoding="utf-8").write(
        f'title = "{title}"\norg = "某某学会"\nguideline = "{GUIDE}"\nitem = "1.3"\nyear = 2022\n'
        + (f'deadline = "{deadline}"\n' if deadline else ""))


def expect_parts(fname, parts):
    return {label: {"status": "pass", "evidence": [[fname, name, words if label not in ("案例", EVENT) else None]]}
            for label, name, words in parts}


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "guidelines"))
    shutil.copy(os.path.join(ROOT, "guidelines", GUIDE + ".txt"), os.path.join(OUT, "guidelines"))
    prose = ml.Prose(ml.SENTENCES)
    expected = {}
    for pid, fname, style in [("C01", "结题材料汇编.docx", "bufen"), ("C02", "成果汇编.docx", "fujian"),
                              ("C03", "项目成果.docx", "title")]:
        base = os.path.join(OUT, "projects", pid)
        toml(base, pid, "学会规范化治理及社会公信力提升")
        lay, parts = compilation(deliverables(prose), style)
        write(os.path.join(base, fname), lay)
        expected[pid] = expect_parts(fname, parts)

    # C04: C01's layout unstyled, as a PDF.
    base = os.path.join(OUT, "projects", "C04")
    toml(base, "C04", "学会规范化治理及社会公信力提升")
    lay, parts = compilation(deliverables(prose), "plain")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "结题材料汇编.docx")
        write(src, lay)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, src],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, "结题材料汇编.pdf"), os.path.join(base, "结题材料汇编.pdf"))
    expected["C04"] = expect_parts("结题材料汇编.pdf", parts)

    # S01 / S02: split reports beside the other deliverables as files of their own.
    for pid, pieces in [("S01", [("研究报告（上）.docx", 17000, False), ("研究报告（下）.docx", 16000, False)]),
                        ("S02", [("研究报告-正文.docx", 31000, False), ("研究报告-附件.docx", 5000, True)])]:
        base = os.path.join(OUT, "projects", pid)
        toml(base, pid, "学会规范化治理及社会公信力提升")
        dels = deliverables(prose, report_chars=1000)
        ev = []
        for name, chars, attachment in pieces:
            lay = [("body", "p", "学会规范化治理及社会公信力提升研究报告")]
            if attachment:
                lay = [("body", "p", "附件：调查问卷")]
            for i, ch in enumerate(CH):
                lay.append(("body", "h2", f"第{NUM[i]}章 {ch}"))
                lay += [("body", "p", p) for p in prose.paras(chars // len(CH))]
            write(os.path.join(base, name), lay)
            # The title line (研究报告, before 第一章) is the piece's cover.
            ev.append([name, None, 0 if attachment else words_of(lay) - ml.words(lay[0][2])])
        exp = {"研究报告": {"status": "pass", "evidence": ev}}
        for label, div, title, paras in dels[1:]:
            fname = f"{title}.docx"
            write(os.path.join(base, fname), [("body", "p", title)] + paras)
            exp[label] = {"status": "pass", "evidence": [[fname, None, None]]}
        expected[pid] = exp

    json.dump(expected, open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8"),
              ensure_ascii=False, indent=1, sort_keys=True)

    # The demo's P12: everything in one 汇编, its own prose.
    if os.path.exists(DEMO):
        shutil.rmtree(DEMO)
    toml(DEMO, "P12", "学会规范化治理成果汇编试点", deadline="2022-12-31")
    lay, parts = compilation(deliverables(ml.Prose(demo_bucket(10))), "bufen")
    write(os.path.join(DEMO, "结题材料汇编.docx"), lay)
    json.dump({label: [name, words] for label, name, words in parts},
              open(os.path.join(OUT, "demo-P12.expected.json"), "w", encoding="utf-8"),
              ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
