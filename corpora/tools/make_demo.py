#!/usr/bin/env python3
"""Builds corpora/demo: a realistic acceptance batch under two real calls for proposals.

Eleven projects (P01–P11) under the CAST 2022 reform pilot guide and the Hunan 2022 society
capacity plan, with docx and PDF deliverables whose prose is sampled from
corpora/prose/laws-sample.txt (public statutes, not copyrightable). Each project is built to
show one outcome with a clear reason; the expected verdicts are listed in DEMO below and
checked by tests/demo.rs.

Needs (once, on a developer machine; the output is committed, CI does not run this):
  pip install python-docx;  apt-get install libreoffice-writer fonts-noto-cjk
Run from the repository root:  python3 corpora/tools/make_demo.py
"""
import datetime, os, random, re, shutil, subprocess, tempfile

import docx
from docx.shared import Pt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "demo")
PROSE = os.path.join(ROOT, "prose", "laws-sample.txt")

# Sentences of public statutes, without article numbers, as body prose.
PARAS = []
for line in open(PROSE, encoding="utf-8"):
    line = line.strip()
    if len(line) < 40 or line.startswith("#"):
        continue
    line = re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", line)
    PARAS.append(line)


# Statutes repeat whole clauses: keep only paragraphs that share no 16-character stretch
# with an earlier one, so that two projects never overlap by accident.
_seen, _kept = set(), []
for _p in PARAS:
    _grams = {_p[i:i + 16] for i in range(max(1, len(_p) - 15))}
    if _grams & _seen:
        continue
    _seen |= _grams
    _kept.append(_p)
PARAS = _kept

# Each project writes from its own slice of the prose, so that projects do not overlap by
# accident; P10 uses P01's slice on purpose (it is the copy the overlap stage must catch).
random.Random(7).shuffle(PARAS)
BUCKETS = 12
BUCKET = [0]


def use_bucket(i):
    BUCKET[0] = i


def cjk_len(s):
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")


def prose(rng, chars):
    """Paragraphs from the statutes totalling about `chars` CJK characters."""
    size = len(PARAS) // BUCKETS
    pool = PARAS[BUCKET[0] * size:(BUCKET[0] + 1) * size]
    out, n = [], 0
    while n < chars:
        p = rng.choice(pool)
        out.append(p)
        n += cjk_len(p)
    return out


def new_doc(modified):
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.size = Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(docx.oxml.ns.qn("w:eastAsia"), "宋体")
    d.core_properties.author = "yanshou demo"
    d.core_properties.created = modified
    d.core_properties.modified = modified
    return d


def save(d, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    d.save(path)


def to_pdf(docx_path, when):
    outdir = os.path.dirname(docx_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", outdir, docx_path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.remove(docx_path)
    # LibreOffice stamps the conversion time; give the PDF the document's own date instead.
    # Same-length replacement keeps every xref offset valid.
    pdf = docx_path[:-5] + ".pdf"
    data = open(pdf, "rb").read()
    stamp = when.strftime("D:%Y%m%d%H%M%S").encode()
    data = re.sub(rb"D:\d{14}", lambda m: stamp, data)
    open(pdf, "wb").write(data)


def report(path, title, org, body_chars, seed, when, appendix_chars=0, chapters=6):
    """A research report: cover, 目录, chapters, 参考文献, optional 附录."""
    rng = random.Random(seed)
    d = new_doc(when)
    d.add_paragraph(title).style = d.styles["Title"]
    d.add_paragraph(f"承担单位：{org}")
    d.add_paragraph("二〇二二年十二月")
    d.add_heading("目录", 1)
    names = ["研究背景与意义", "国内外经验", "现状与问题", "典型做法", "对策建议", "结论与展望",
             "实施路径", "保障措施"][:chapters]
    cn = "一二三四五六七八九十"
    for i, n in enumerate(names):
        d.add_paragraph(f"第{cn[i]}章 {n}……………………{i * 7 + 1}")
    per = body_chars // len(names)
    for i, n in enumerate(names):
        d.add_heading(f"第{cn[i]}章 {n}", 1)
        for p in prose(rng, per):
            d.add_paragraph(p)
    d.add_heading("参考文献", 1)
    for i in range(12):
        d.add_paragraph(f"[{i + 1}] 中国科学技术协会. 科协系统深化改革研究[R]. 北京, 20{10 + i}.")
    if appendix_chars:
        d.add_heading("附录 调研问卷与访谈记录", 1)
        for p in prose(rng, appendix_chars):
            d.add_paragraph(p)
    save(d, path)


def short_doc(path, title, body_chars, seed, when, extra=()):
    rng = random.Random(seed)
    d = new_doc(when)
    d.add_heading(title, 1)
    for e in extra:
        d.add_paragraph(e)
    for p in prose(rng, body_chars):
        d.add_paragraph(p)
    save(d, path)


def cases_doc(path, title, n, seed, when):
    rng = random.Random(seed)
    d = new_doc(when)
    d.add_heading(title, 1)
    cn = "一二三四五六七八九十"
    orgs = ["中国化学会", "中国机械工程学会", "中国农学会", "中华医学会", "中国电子学会",
            "中国土木工程学会", "中国地质学会", "中国药学会", "中国自动化学会", "中国光学学会"]
    for i in range(n):
        d.add_heading(f"案例{cn[i]}：{orgs[i]}的实践探索", 2)
        for p in prose(rng, 900):
            d.add_paragraph(p)
    save(d, path)


def minutes(path, title, event, when, pdf=False):
    d = new_doc(when)
    d.add_heading(title, 1)
    d.add_paragraph(f"{when.year}年{when.month}月{when.day}日，项目组在北京召开{event}，来自12个全国学会的"
                    "36位代表参加会议。会议围绕项目研究的重点问题进行了交流研讨。")
    d.add_paragraph("会议议定：一是进一步完善研究框架；二是补充典型案例；三是按期形成研究报告和建议报告。")
    save(d, path)
    if pdf:
        to_pdf(path, when)


def notice(path, title, event, when):
    d = new_doc(when)
    d.add_heading(title, 1)
    d.add_paragraph(f"各有关学会：为推进项目研究，定于{when.year}年{when.month}月{when.day}日举办{event}。"
                    "请各单位选派1至2名代表参加。")
    save(d, path)


# The demo's 立项名单 (corpora/demo/立项名单.xlsx, written by `cargo run --example
# make_demo_roster` after this script) stands in for these projects' project.toml; P05 keeps
# its toml, which overrides its row.
ROSTER_LISTED = {"P01", "P02", "P03", "P04", "P06", "P07"}


def toml(path, **kv):
    if os.path.basename(os.path.dirname(path)) in ROSTER_LISTED:
        return
    lines = []
    files = kv.pop("files", None)
    for k, v in kv.items():
        lines.append(f'{k} = {v}' if isinstance(v, int) else f'{k} = "{v}"')
    if files:
        lines.append("\n[files]")
        for k, v in files.items():
            lines.append(f'"{k}" = "{v}"')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")


D = datetime.datetime
CAST = "2022-cast-reform-pilot-guide"
HUNAN = "2022-hunan-society-capacity-plan"


def cast_full(pid, item, title, org, seed, *, report_chars=33000, report_label="研究报告",
              cases=7, advice_chars=3100, event=True, appendix=0, when=D(2022, 11, 20)):
    """A complete submission for a 学会改革前瞻调研类 item (一.1–8)."""
    base = f"{DEMO}/projects/{pid}"
    toml(f"{base}/project.toml", title=title, org=org, guideline=CAST, item=item, year=2022,
         deadline="2022-12-31")
    report(f"{base}/{title}{report_label}.docx", f"{title}{report_label}", org, report_chars, seed, when,
           appendix_chars=appendix)
    short_doc(f"{base}/关于{title}的建议报告.docx", f"关于{title}的建议报告", advice_chars, seed + 1, when)
    if cases:
        cases_doc(f"{base}/学会典型案例集.docx", "学会典型案例集", cases, seed + 2, when)
    short_doc(f"{base}/专报/专报第1期.docx", "专报（第1期）", 1500, seed + 3, when)
    short_doc(f"{base}/专报/专报第2期.docx", "专报（第2期）", 1500, seed + 4, when)
    if event:
        minutes(f"{base}/活动/专题交流活动会议纪要.docx", f"{title}专题交流活动会议纪要", "专题交流活动",
                D(2022, 9, 15))
        notice(f"{base}/活动/关于举办专题交流活动的通知.docx", "关于举办专题交流活动的通知", "专题交流活动",
               D(2022, 9, 1))
    return base


def p01_evidence(base):
    """P01's zipped evidence folder: its event's sign-in sheet, zipped with GBK names as a
    Chinese Windows archiver writes them (make_fixtures.gbk_zip)."""
    import make_fixtures
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "签到表.fods")
        open(src, "w", encoding="utf-8").write(
            make_fixtures.signin_fods("学会规范化治理及社会公信力提升专题交流活动签到表", "2022年9月15日"))
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        make_fixtures.gbk_zip(f"{base}/活动/佐证材料.zip",
                              [("佐证材料/签到表.xlsx", open(os.path.join(tmp, "签到表.xlsx"), "rb").read())])


def p02_signin(base):
    """P02's sign-in sheet, the fixture generator's flat ODS converted to .xlsx by LibreOffice."""
    import make_fixtures
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "专题交流活动签到表.fods")
        open(src, "w", encoding="utf-8").write(
            make_fixtures.signin_fods("学会科技奖项影响力提升专题交流活动签到表", "2022年9月15日"))
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "专题交流活动签到表.xlsx"), f"{base}/活动/专题交流活动签到表.xlsx")


def p03_doc(base):
    """P03's 建议报告 as a .doc: the docx cast_full wrote, converted by LibreOffice."""
    src = f"{base}/关于学会参与科技人才评价改革的建议报告.docx"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, os.path.basename(src)[:-5] + ".doc"), f"{base}/建议报告.doc")
    os.remove(src)


def main():
    # P12 (one 结题材料汇编) is written by make_compilations.py: run it after this script.
    if os.path.exists(f"{DEMO}/projects"):
        shutil.rmtree(f"{DEMO}/projects")
    os.makedirs(f"{DEMO}/guidelines", exist_ok=True)
    for g in (CAST, HUNAN):
        shutil.copy(f"{ROOT}/guidelines/{g}.txt", f"{DEMO}/guidelines/{g}.txt")
    # The archive: a policy paper that reports must not copy without citing.
    os.makedirs(f"{DEMO}/archive", exist_ok=True)
    shutil.copy(f"{ROOT}/guidelines/14th-fyp-cast-reform-tasks-policy.txt",
                f"{DEMO}/archive/14th-fyp-cast-reform-tasks-policy.txt")
    open(f"{DEMO}/yanshou.toml", "w", encoding="utf-8").write(
        "# 验收设置（示例）\n[check]\n# “左右”的容差：±20%\napprox_tolerance = 0.2\n"
        "# 字数按正文核对（不计封面、目录、参考文献、附录、致谢）\nlength_scope = \"body\"\n")

    # P01: everything there, but P10 copied its report: both go to review (who copied whom is
    # the reviewer's call). The minutes are a PDF.
    use_bucket(1)
    b = cast_full("P01", "1.3", "学会规范化治理及社会公信力提升", "中国科学技术史学会", 101)
    os.remove(f"{b}/活动/专题交流活动会议纪要.docx")
    minutes(f"{b}/活动/专题交流活动会议纪要.docx", "学会规范化治理专题交流活动会议纪要", "专题交流活动",
            D(2022, 9, 15), pdf=True)
    p01_evidence(b)

    use_bucket(2)
    # P02: 26,000 字 of body padded by a 7,000 字 appendix: total over 3万, body under → fail.
    # Its event also has a sign-in sheet (.xlsx) listing 12 names.
    b = cast_full("P02", "学会打造有影响力的科技奖项研究", "学会科技奖项影响力提升", "中国仪器仪表学会", 202,
                  report_chars=26000, appendix=7000)
    p02_signin(b)

    use_bucket(3)
    # P03: only 4 cases (6–8 asked) → fail; its 建议报告 was saved as a Word 97–2003 .doc
    # (LibreOffice's "MS Word 97" filter), which must read and count like the docx it was.
    b = cast_full("P03", "1.5", "学会参与科技人才评价改革", "中国电工技术学会", 303, cases=4)
    p03_doc(b)

    use_bucket(4)
    # P04: the exchange event is only mentioned in the report, no minutes or notice → review;
    # one 专报 is dated after the project's deadline.
    b = cast_full("P04", "1.6", "学会参与科技伦理治理", "中国自然辩证法研究会", 404, report_label="调研报告",
                  event=False)
    d = docx.Document(f"{b}/学会参与科技伦理治理调研报告.docx")
    d.add_paragraph("2022年10月，项目组召开专题交流活动，邀请相关学会代表围绕科技伦理治理进行研讨。")
    d.save(f"{b}/学会参与科技伦理治理调研报告.docx")
    short_doc(f"{b}/专报/专报第2期.docx", "专报（第2期）", 1500, 405, D(2023, 1, 16))
    # Its 专报第1期 also copies two paragraphs of the archived policy paper without saying so.
    policy = open(f"{ROOT}/guidelines/14th-fyp-cast-reform-tasks-policy.txt", encoding="utf-8").read()
    paras = [l.strip() for l in policy.splitlines() if len(l.strip()) > 200][1:3]
    d = docx.Document(f"{b}/专报/专报第1期.docx")
    for p in paras:
        d.add_paragraph(p)
    d.save(f"{b}/专报/专报第1期.docx")

    use_bucket(5)
    # P05: the 调研报告 is a scanned PDF without a text layer (the first of make_scans.py's
    # 3 pages, 200 dpi, under 1000 字) → review, never a silent 0: with Tesseract, "扫描件，OCR
    # 估计不足要求" (far below 3万字 even +10%); without it, "PDF 没有文字层".
    b = cast_full("P05", "1.7", "学会融入全球创新治理", "中国科学技术协会国际联络部课题组", 505,
                  report_label="调研报告")
    os.remove(f"{b}/学会融入全球创新治理调研报告.docx")
    shutil.copy(f"{ROOT}/scans/scan-first-page.pdf", f"{b}/学会融入全球创新治理调研报告（扫描件）.pdf")

    use_bucket(6)
    # P06: a 地方科协 item (二.1): 4万字 report as PDF, five separate case files, a seminar, a
    # summary claiming the institutional result → pass.
    base = f"{DEMO}/projects/P06"
    toml(f"{base}/project.toml", title="科技工作者联系服务机制创新试点", org="浙江省科学技术协会",
         guideline=CAST, item="新时代科技工作者联系服务机制创新", year=2022)
    report(f"{base}/科技工作者联系服务机制创新研究报告.docx", "科技工作者联系服务机制创新研究报告",
           "浙江省科学技术协会", 42000, 606, D(2022, 12, 10), chapters=8)
    to_pdf(f"{base}/科技工作者联系服务机制创新研究报告.docx", D(2022, 12, 10))
    for i in range(1, 6):
        short_doc(f"{base}/案例/典型案例{i}.docx", f"典型案例{i}：基层科协联系服务科技工作者的做法", 1200,
                  610 + i, D(2022, 11, 1))
    short_doc(f"{base}/专报.docx", "专报：科技工作者联系服务机制创新进展", 1800, 620, D(2022, 11, 5))
    minutes(f"{base}/专题研讨会纪要.docx", "科技工作者联系服务专题研讨会议纪要", "专题研讨会", D(2022, 8, 20))
    short_doc(f"{base}/项目总结报告.docx", "项目总结报告", 1500, 621, D(2022, 12, 12),
              extra=["项目探索形成可复制可推广的制度化改革成果2项，已在全省推广。"])

    use_bucket(7)
    # P07: 三.2 with a 建议报告 of about 4,400 字 where 3000字左右 is asked (±20% → 2400–3600) → fail.
    base = f"{DEMO}/projects/P07"
    toml(f"{base}/project.toml", title="科技群团改革政策跟踪研究", org="清华大学科技政策研究中心",
         guideline=CAST, item="3.2", year=2022)
    report(f"{base}/科技群团改革政策跟踪研究报告.docx", "科技群团改革政策跟踪研究报告", "清华大学科技政策研究中心",
           31500, 707, D(2022, 12, 1))
    short_doc(f"{base}/分报告一.docx", "分报告一：政策文本分析", 6000, 708, D(2022, 12, 1))
    short_doc(f"{base}/分报告二.docx", "分报告二：国际比较", 6000, 709, D(2022, 12, 1))
    short_doc(f"{base}/政策建议报告.docx", "关于深化科技群团改革的建议报告", 4400, 710, D(2022, 12, 1))

    use_bucket(8)
    # P08: Hunan 科技服务 (三.2): summary claims 45 registered volunteers (50 asked) → fail; the
    # offline activities are claimed 6 times with one sign-in sheet → review.
    base = f"{DEMO}/projects/P08"
    toml(f"{base}/project.toml", title="学会服务站助力乡村振兴", org="湖南省农学会", guideline=HUNAN,
         item="科技服务", year=2022)
    short_doc(f"{base}/2022年度项目总结报告.docx", "湖南省农学会学会服务站2022年度工作总结报告", 3000, 801,
              D(2022, 12, 20), extra=[
                  "一年来，学会服务站建立了由56人组成的专家团队，覆盖种植、养殖、农产品加工等领域。",
                  "全年开展线上服务62次，开展线下活动6次，惠及农户2000余户。",
                  "学会科技志愿服务队科技志愿者注册人数45人，开展科技志愿服务活动4次。",
              ])
    short_doc(f"{base}/线下科技服务活动签到表.docx", "线下科技服务活动签到表", 200, 802, D(2022, 6, 1),
              extra=["活动名称：线下活动——水稻病虫害防治现场培训", "日期：2022年6月1日"])

    use_bucket(9)
    # P09: Hunan 湖南科技论坛及院士专家市州行 (二.1): 8 academicians and experts → pass.
    base = f"{DEMO}/projects/P09"
    toml(f"{base}/project.toml", title="院士专家衡阳行", org="衡阳市科学技术协会", guideline=HUNAN,
         item="2.1", year=2022)
    short_doc(f"{base}/院士专家衡阳行活动总结报告.docx", "院士专家衡阳行活动总结报告", 2500, 901,
              D(2022, 11, 30), extra=["活动邀请参加活动的院士专家8名，深入12家企业开展技术咨询服务。"])
    notice(f"{base}/关于举办院士专家衡阳行活动的通知.docx", "关于举办院士专家衡阳行活动的通知", "院士专家衡阳行活动",
           D(2022, 10, 8))

    # P10: complete, but its research report is P01's with another title: it passes the
    # deliverable checks, and the overlap stage must send it to review.
    use_bucket(1)
    cast_full("P10", "1.2", "学会服务青年科技工作者", "中国青年科技工作者协会", 101)

    use_bucket(11)
    # P11: names an item the call does not have → an error row, not a crash.
    base = f"{DEMO}/projects/P11"
    toml(f"{base}/project.toml", title="未登记项目", org="某学会", guideline=CAST, item="学会数字化转型白皮书",
         year=2022)
    short_doc(f"{base}/研究报告.docx", "研究报告", 2000, 1101, D(2022, 11, 1))


if __name__ == "__main__":
    main()
