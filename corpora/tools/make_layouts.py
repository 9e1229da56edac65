#!/usr/bin/env python3
"""Builds corpora/fixtures/layouts: the layouts real reports have, each as a .docx and a .pdf,
with the body a person would mark written beside them (NAME.expected.json).

Each layout is a list of paragraphs tagged with the part a reviewer assigns them to (cover,
toc, body, references, appendix, acknowledgements). The expected 字数 of each part is counted
here, independently of yanshou, with Word's rule for text that has no font hints: every East
Asian character or full-width mark is one, every run of other non-space characters is one. The
sentences keep to Han characters, CJK punctuation and ASCII, where that rule is unambiguous.

The .docx is written directly (zipfile): plain paragraphs, Heading 1 styles, tabs, page breaks,
and Word's TOC field (TOC 1/TOC 2 styles, hyperlinks, PAGEREF fields, a content control), as
Word writes it. The .pdf is LibreOffice's rendering of the .docx.

Needs (once, on a developer machine; the outputs are committed, CI does not run this):
  apt-get install libreoffice-writer fonts-noto-cjk
Run from the repository root:  python3 corpora/tools/make_layouts.py
"""
import json, os, re, shutil, subprocess, sys, tempfile, zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures  # noqa: E402  (its statute sentences; running it builds nothing)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "layouts")



class Prose:
    """Body paragraphs from a list of sentences, in order, cycling when exhausted."""

    def __init__(self, sentences):
        self.s, self.at = sentences, 0

    def paras(self, chars):
        out, n, para = [], 0, ""
        while n < chars:
            s = self.s[self.at % len(self.s)]
            self.at += 1
            para += s
            n += words(s)
            if len(para) > 200:
                out.append(para)
                para = ""
        if para:
            out.append(para)
        return out

def statute_sentences():
    """make_fixtures' statute sentences, without the marks whose 字数 depends on Word's font
    hint (quotes, ellipsis, dashes, middle dot), so the counter below is unambiguous."""
    return [s for s in make_fixtures.statute_sentences() if not re.search(r"[“”‘’…—·]", s)]


SENTENCES = statute_sentences()
_next = [0]


def para(n=3):
    """A body paragraph of n statute sentences, never the same twice."""
    i = _next[0]
    _next[0] += n
    return "".join(SENTENCES[i:i + n])


def is_east_asian(c):
    o = ord(c)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2160 <= o <= 0x217F)


def words(text):
    """Word's 字数 of plain text (see the module doc)."""
    n, in_word = 0, False
    for c in text:
        if c.isspace():
            in_word = False
        elif is_east_asian(c):
            n += 1
            in_word = False
        elif not in_word:
            n += 1
            in_word = True
    return n


COVER = [
    ("cover", "p", "全国学会服务能力提升路径研究"),
    ("cover", "p", "研究报告"),
    ("cover", "p", "承担单位：某某学会"),
    ("cover", "p", "负责人：王某某"),
    ("cover", "p", "二〇二二年十二月"),
]

REFS = [
    ("references", "p", "[1] 王某某.学会治理研究[J].科技社团,2021(3):1-10."),
    ("references", "p", "[2] 李某某.科技社团改革路径[M].北京:某某出版社,2020."),
]


def chapter(title, n_paras=2, style="p"):
    return [("body", style, title)] + [("body", "p", para()) for _ in range(n_paras)]


def toc_lines(entries, sep):
    """TOC entries as plain paragraphs: text, separator, page number."""
    return [("toc", "p", f"{t}{sep}{p}") for t, p in entries]


BREAK = ("-", "break", "")

CH = ["第一章 总论", "第二章 现状与问题", "第三章 对策建议"]


def layout_toc_dots():
    entries = [(CH[0], 1), (CH[1], 5), (CH[2], 9), ("参考文献", 12), ("附录 调查问卷", 13)]
    return (COVER + [BREAK, ("toc", "p", "目  录")]
            + [("toc", "p", f"{t}{'…' * (24 - len(t))}{p}") for t, p in entries]
            + [BREAK] + chapter(CH[0]) + chapter(CH[1]) + chapter(CH[2])
            + [("references", "p", "参考文献")] + REFS
            + [("appendix", "p", "附录 调查问卷"), ("appendix", "p", "一、您所在学会的会员规模是多少？")])


def layout_toc_tab():
    entries = [(CH[0], 1), (CH[1], 5), (CH[2], 9), ("参考文献", 12), ("附录A 调查问卷", 13)]
    return (COVER + [BREAK, ("toc", "p", "目录")] + toc_lines(entries, "\t")
            + [BREAK] + chapter(CH[0]) + chapter(CH[1]) + chapter(CH[2])
            + [("references", "p", "参考文献")] + REFS
            + [("appendix", "p", "附录A 调查问卷"), ("appendix", "p", "问题一：您所在学会的会员规模是多少？")])


def layout_toc_field():
    """Word's own TOC: a TOC field of hyperlinked entries with PAGEREF page numbers."""
    entries = [(1, CH[0], 1), (2, "一、研究背景", 1), (1, CH[1], 5), (1, CH[2], 9),
               (1, "参考文献", 12), (1, "附录 调查问卷", 13)]
    body = (chapter(CH[0], 0, "h1") + chapter("一、研究背景", 2, "h2") + chapter(CH[1], 2, "h1")
            + chapter(CH[2], 2, "h1"))
    return (COVER + [BREAK, ("toc", "p", "目录"), ("toc", "tocfield", entries), BREAK] + body
            + [("references", "h1", "参考文献")] + REFS
            + [("appendix", "h1", "附录 调查问卷"), ("appendix", "p", "一、您所在学会的会员规模是多少？")])


def layout_toc_nonum():
    """A 目录 without page numbers: entries (chapters and plain sub-entries) then the report."""
    return (COVER + [BREAK, ("toc", "p", "目录"), ("toc", "p", CH[0]), ("toc", "p", "（一）研究背景"),
                     ("toc", "p", "（二）研究方法"), ("toc", "p", CH[1]), ("toc", "p", CH[2]),
                     ("toc", "p", "参考文献"), ("toc", "p", "附录 调查问卷"), BREAK]
            + [("body", "p", CH[0]), ("body", "p", "（一）研究背景"), ("body", "p", para()),
               ("body", "p", "（二）研究方法"), ("body", "p", para())]
            + chapter(CH[1]) + chapter(CH[2])
            + [("references", "p", "参考文献")] + REFS
            + [("appendix", "p", "附录 调查问卷"), ("appendix", "p", para(1))])


def layout_gbt():
    """A GB/T 1.1 standard draft: 目次 with Roman and Arabic page numbers, 前言, 引言, numbered
    clauses, normative and informative annexes, 参考文献 at the end."""
    cover = [("cover", "p", "ICS 03.080"), ("cover", "p", "中华人民共和国国家标准"),
             ("cover", "p", "GB/T XXXXX—2022"), ("cover", "p", "学会服务能力评价指南"),
             ("cover", "p", "（征求意见稿）"), ("cover", "p", "2022-XX-XX发布  2022-XX-XX实施"),
             ("cover", "p", "国家市场监督管理总局  发布")]
    entries = [("前言", "Ⅰ"), ("引言", "Ⅱ"), ("1 范围", 1), ("2 规范性引用文件", 1),
               ("3 术语和定义", 1), ("4 评价指标", 2), ("附\u3000录\u3000A （规范性附录） 评价方法", 5),
               ("附\u3000录\u3000B （资料性附录） 安全要素关联矩阵", 7), ("参考文献", 9)]
    return (cover + [BREAK, ("toc", "p", "目\u3000\u3000次")] + toc_lines(entries, "\t") + [BREAK]
            + chapter("前言", 1) + chapter("引言", 1) + chapter("1 范围", 1)
            + [("body", "p", "2 规范性引用文件"), ("body", "p", "下列文件对于本文件的应用是必不可少的。"),
               ("body", "p", "GB/T 1.1—2020 标准化工作导则 第1部分：标准化文件的结构和起草规则")]
            + [("body", "p", "3 术语和定义"), ("body", "p", "3.1"), ("body", "p", "学会 society"),
               ("body", "p", para(2))]
            + chapter("4 评价指标", 2)
            + [("appendix", "p", "附\u3000录\u3000A"), ("appendix", "p", "（规范性附录）"),
               ("appendix", "p", "评价方法"), ("appendix", "p", "A.1 一般规定"), ("appendix", "p", para(2)),
               ("appendix", "p", "附\u3000录\u3000B"), ("appendix", "p", "（资料性附录）"),
               ("appendix", "p", "安全要素关联矩阵"), ("appendix", "p", para(1))]
            + [("references", "p", "参考文献")] + REFS)


def layout_thesis():
    cover = [("cover", "p", "学会服务能力提升路径研究"), ("cover", "p", "研究生：张某某"),
             ("cover", "p", "导师：李某某 教授"), ("cover", "p", "某某大学"), ("cover", "p", "二〇二二年六月")]
    entries = [("摘要", "I"), ("Abstract", "II"), ("第一章 绪论", 1), ("第二章 理论基础", 6),
               ("第三章 结论", 12), ("参考文献", 15), ("附录", 17), ("致谢", 19),
               ("攻读学位期间取得的研究成果", 20)]
    return (cover + [BREAK] + chapter("摘要", 1) + [("body", "p", "关键词：学会；服务能力；治理")]
            + [("body", "p", "Abstract"),
               ("body", "p", "This thesis studies how scientific societies serve their members.")]
            + [BREAK, ("toc", "p", "目录")] + toc_lines(entries, "\t") + [BREAK]
            + chapter("第一章 绪论") + chapter("第二章 理论基础") + chapter("第三章 结论")
            + [("references", "p", "参考文献")] + REFS
            + [("appendix", "p", "附录"), ("appendix", "p", para(1))]
            + [("acknowledgements", "p", "致谢"), ("acknowledgements", "p", para(1))]
            + [("appendix", "p", "攻读学位期间取得的研究成果"),
               ("appendix", "p", "张某某.学会治理研究[J].科技社团,2021(3):1-10.")])


def layout_attachments():
    entries = [("一、研究背景", 1), ("二、主要做法", 3), ("三、对策建议", 6), ("附件1 调研问卷", 10),
               ("附件2 访谈提纲", 12)]
    return (COVER + [BREAK, ("toc", "p", "目录")] + toc_lines(entries, "\t") + [BREAK]
            + chapter("一、研究背景") + chapter("二、主要做法") + chapter("三、对策建议")
            + [("appendix", "p", "附件1：调研问卷"), ("appendix", "p", para(1)),
               ("appendix", "p", "附件2：访谈提纲"), ("appendix", "p", para(1))])


def layout_refs_per_chapter():
    return (COVER + [BREAK] + chapter(CH[0]) + [("references", "p", "参考文献")] + REFS
            + chapter(CH[1]) + [("references", "p", "参考文献")] + REFS
            + chapter(CH[2]))


def layout_see_appendix():
    return (COVER + [BREAK] + chapter(CH[0])
            + [("body", "p", "各学会的会员结构详见附录A。" + para(1)), ("body", "p", "（详见附录A）")]
            + chapter(CH[1]) + [("body", "p", para(1) + "调查方法见附录B。")]
            + [("appendix", "p", "附录A 会员结构统计表"), ("appendix", "p", para(1)),
               ("appendix", "p", "附录B 调查方法"), ("appendix", "p", para(1))])


def layout_appendix_middle():
    """A short appendix after chapter two, then the report goes on with chapters three and four."""
    entries = [(CH[0], 1), (CH[1], 4), ("附录 第二章调查表", 7), (CH[2], 8), ("第四章 结论", 11),
               ("参考文献", 13)]
    return (COVER + [BREAK, ("toc", "p", "目录")] + toc_lines(entries, "\t") + [BREAK]
            + chapter(CH[0]) + chapter(CH[1])
            + [("appendix", "p", "附录 第二章调查表"), ("appendix", "p", "一、调查对象"),
               ("appendix", "p", para(1))]
            + chapter(CH[2]) + chapter("第四章 结论")
            + [("references", "p", "参考文献")] + REFS)


LAYOUTS = {
    "toc-dots": layout_toc_dots,
    "toc-tab": layout_toc_tab,
    "toc-field": layout_toc_field,
    "toc-nonum": layout_toc_nonum,
    "gbt-draft": layout_gbt,
    "thesis": layout_thesis,
    "attachments": layout_attachments,
    "refs-per-chapter": layout_refs_per_chapter,
    "see-appendix": layout_see_appendix,
    "appendix-middle": layout_appendix_middle,
}

# --- docx -------------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def runs(text):
    """Runs of a paragraph's text, tabs as w:tab."""
    out = []
    for i, part in enumerate(text.split("\t")):
        if i:
            out.append("<w:r><w:tab/></w:r>")
        if part:
            out.append(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def p_xml(style, text, bookmark=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    bm = ""
    if bookmark:
        bm = (f'<w:bookmarkStart w:id="{bookmark}" w:name="_Toc{bookmark}"/>'
              f'<w:bookmarkEnd w:id="{bookmark}"/>')
    return f"<w:p>{ppr}{bm}{runs(text)}</w:p>"


def toc_field_xml(entries):
    """Word's TOC: a content control around a TOC field whose result is hyperlinked entries,
    each with a PAGEREF field for its page number."""
    ps = []
    for i, (level, text, page) in enumerate(entries):
        begin = ""
        if i == 0:
            begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(entries) - 1 else ""
        ps.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8296"/></w:tabs></w:pPr>'
            f'{begin}<w:hyperlink w:anchor="_Toc{100 + i}" w:history="1">'
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
            f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{100 + i} \\h </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>{end}</w:p>')
    return ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            '<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>' + "".join(ps)
            + "</w:sdtContent></w:sdt>")


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="Noto Serif CJK SC"/><w:sz w:val="24"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="420"/></w:pPr></w:style>
</w:styles>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""


def write_docx(path, layout):
    body = []
    bookmark = 100
    for part, kind, text in layout:
        if kind == "break":
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif kind == "tocfield":
            body.append(toc_field_xml(text))
        elif kind in ("h1", "h2"):
            body.append(p_xml("Heading1" if kind == "h1" else "Heading2", text, bookmark))
            bookmark += 1
        else:
            body.append(p_xml(None, text))
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'
           + "".join(body)
           + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" '
             'w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
             "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", doc)
        z.writestr("word/styles.xml", STYLES)


def expected(layout):
    parts = {}
    for part, kind, text in layout:
        if kind == "break":
            continue
        if kind == "tocfield":
            n = sum(words(t) + words(str(p)) for _, t, p in text)
        else:
            n = words(text)
        parts[part] = parts.get(part, 0) + n
    return parts


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in LAYOUTS.items():
            layout = make()
            docx = os.path.join(OUT, f"{name}.docx")
            write_docx(docx, layout)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, docx],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.copy(os.path.join(tmp, f"{name}.pdf"), os.path.join(OUT, f"{name}.pdf"))
            with open(os.path.join(OUT, f"{name}.expected.json"), "w", encoding="utf-8") as f:
                json.dump(expected(layout), f, ensure_ascii=False, indent=1, sort_keys=True)
                f.write("\n")


if __name__ == "__main__":
    main()
