#!/usr/bin/env python3
"""Builds a large batch for the batch benchmark (BENCHMARKS.md): N projects × 5 docx files.

Each project gets a 研究报告 (about 3万字 with cover, 目录, 参考文献 and an appendix), a 建议报告
(about 3000字), a 案例集 (7 cases), a 专报 and 会议纪要, all with distinct prose sampled from
corpora/prose/laws-sample.txt, so every file has its own content hash and is really extracted.
The docx files are written directly (zip + WordprocessingML), which is about 100 times
faster than python-docx and needs nothing but Python.

Usage:  python3 corpora/tools/make_big_batch.py OUT_DIR [N=1000]
"""
import os, random, re, shutil, sys, zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROSE = os.path.join(ROOT, "prose", "laws-sample.txt")

PARAS = []
for line in open(PROSE, encoding="utf-8"):
    line = line.strip()
    if len(line) < 40 or line.startswith("#"):
        continue
    PARAS.append(re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", line))

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"""
CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dcterms:modified xsi:type="dcterms:W3CDTF">2022-11-20T08:00:00Z</dcterms:modified></cp:coreProperties>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def para(text, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def write_docx(path, title, paras):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    body = "".join(para(t, s) for t, s in paras)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("docProps/core.xml", CORE.format(title=escape(title)))
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>')


def prose(rng, chars):
    out, n = [], 0
    while n < chars:
        p = rng.choice(PARAS)
        out.append((p, None))
        n += len(p)
    return out


def report(rng, title, body, appendix):
    ps = [(title, "Title"), ("二〇二二年十二月", None), ("目录", "Heading1")]
    chapters = ["研究背景", "现状与问题", "典型做法", "对策建议", "结论"]
    ps += [(f"第{'一二三四五'[i]}章 {c}……{i * 9 + 1}", None) for i, c in enumerate(chapters)]
    for i, c in enumerate(chapters):
        ps.append((f"第{'一二三四五'[i]}章 {c}", "Heading1"))
        ps += prose(rng, body // len(chapters))
    ps.append(("参考文献", "Heading1"))
    ps += [(f"[{i}] 中国科学技术协会. 研究报告[R]. 2021.", None) for i in range(1, 11)]
    if appendix:
        ps.append(("附录 调研问卷", "Heading1"))
        ps += prose(rng, appendix)
    return ps


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(f"{out}/guidelines")
    shutil.copy(f"{ROOT}/guidelines/2022-cast-reform-pilot-guide.txt", f"{out}/guidelines/")
    for i in range(n):
        rng = random.Random(i)
        pid = f"B{i:04d}"
        d = f"{out}/projects/{pid}"
        item = f"1.{3 + i % 3}"  # items with an event, cases, 专报, 研究报告, 建议报告
        os.makedirs(d)
        open(f"{d}/project.toml", "w", encoding="utf-8").write(
            f'title = "学会改革调研项目{i}"\norg = "学会{i}"\nguideline = "2022-cast-reform-pilot-guide"\n'
            f'item = "{item}"\nyear = 2022\n')
        # Every fifth report is short in the body (fails), every seventh padded by an appendix.
        body = 26000 if i % 5 == 0 else 31000
        write_docx(f"{d}/研究报告.docx", f"项目{i}研究报告", report(rng, f"项目{i}研究报告", body, 6000 if i % 7 == 0 else 0))
        write_docx(f"{d}/建议报告.docx", "建议报告", [("关于学会改革的建议报告", "Heading1")] + prose(rng, 3000))
        cases = []
        for k in range(7):
            cases.append((f"案例{'一二三四五六七'[k]}：某学会的做法", "Heading2"))
            cases += prose(rng, 800)
        write_docx(f"{d}/案例集.docx", "学会典型案例集", [("学会典型案例集", "Heading1")] + cases)
        write_docx(f"{d}/专报.docx", "专报", [("专报（第1期）", "Heading1")] + prose(rng, 1500))
        write_docx(f"{d}/活动/专题交流活动会议纪要.docx", "专题交流活动会议纪要",
                   [("专题交流活动会议纪要", "Heading1"), ("2022年9月15日，项目组召开专题交流活动。", None)])


if __name__ == "__main__":
    main()
