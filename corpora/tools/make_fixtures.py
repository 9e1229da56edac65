#!/usr/bin/env python3
"""Builds corpora/fixtures and corpora/bad: one Chinese passage in every format, a report with
a real layout, hand-made PDFs with predefined Chinese CMaps, and hostile files.

Needs (once, on a developer machine; the outputs are committed, CI does not run this):
  apt-get install libreoffice-writer fonts-noto-cjk qpdf poppler-data p7zip-full
  pip install pillow
Run from the repository root:  python3 corpora/tools/make_fixtures.py
"""
import io, os, re, subprocess, shutil, zipfile, zlib, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "fixtures")
BAD = os.path.join(ROOT, "bad")

# The passage: digits, English words, full-width forms, CJK punctuation, Chinese quotes.
PASSAGE = [
    "学会服务能力提升计划（2022年）",
    "2022年，中国科协围绕“学会服务能力提升”开展试点，共有36个全国学会参与，覆盖AI、Big Data等领域。",
    "项目经费为３０万元／项，完成率达98.5%，形成研究报告1篇（约3万字）。",
    "专家团队由Prof. Zhang和Dr. Li牵头，每季度召开1次专题交流活动：第一季度、第二季度……",
]


def soffice(src, fmt, outdir):
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def passage():
    text = "\n".join(PASSAGE) + "\n"
    open(f"{FIX}/passage.utf8.txt", "w", encoding="utf-8").write(text)
    open(f"{FIX}/passage.utf8-bom.txt", "wb").write(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    open(f"{FIX}/passage.gb18030.txt", "wb").write(text.encode("gb18030"))
    open(f"{FIX}/passage.utf16.txt", "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
    md = "\n\n".join([
        "# " + PASSAGE[0],
        PASSAGE[1].replace("中国科协", "**中国科协**"),
        PASSAGE[2].replace("研究报告", "*研究报告*"),
        PASSAGE[3].replace("专题交流活动", "[专题交流活动](https://example.org/a)"),
    ]) + "\n"
    open(f"{FIX}/passage.md", "w", encoding="utf-8").write(md)
    # docx and pdf through LibreOffice, from an HTML file so each line is one paragraph.
    with tempfile.TemporaryDirectory() as tmp:
        html = "<html><head><meta charset='utf-8'></head><body>" + "".join(
            f"<p>{p}</p>" for p in PASSAGE) + "</body></html>"
        src = os.path.join(tmp, "passage.html")
        open(src, "w", encoding="utf-8").write(html)
        subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "passage.docx"), f"{FIX}/passage.docx")
        soffice(f"{FIX}/passage.docx", "pdf", tmp)
        shutil.copy(os.path.join(tmp, "passage.pdf"), f"{FIX}/passage.pdf")
    # Big5: the same kind of passage in Traditional characters.
    trad = "學會服務能力提升計劃，共有36個全國學會參與，不少於2萬字。\n"
    open(f"{FIX}/trad.big5.txt", "wb").write(trad.encode("big5"))


REPORT_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard"><style:footer><text:p>第 <text:page-number>1</text:page-number> 页</text:p></style:footer></style:master-page>
</office:master-styles>
<office:body><office:text>
<text:p text:style-name="Title">学会服务青年科技工作者成长成才机制研究报告</text:p>
<text:p>承担单位：中国示范学会</text:p>
<text:p>二〇二二年十二月</text:p>
<text:table-of-content text:name="目录">
 <text:table-of-content-source text:outline-level="2"/>
 <text:index-body>
  <text:index-title><text:p text:style-name="PB">目录</text:p></text:index-title>
  <text:p>第一章 研究背景<text:tab/>2</text:p>
  <text:p>第二章 典型案例<text:tab/>2</text:p>
 </text:index-body>
</text:table-of-content>
<text:h text:style-name="Heading_20_1" text:outline-level="1">第一章 研究背景</text:h>
<text:p>{body1}<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注：数据来自2022年调查。</text:p></text:note-body></text:note></text:p>
<text:p>{body2}</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">第二章 典型案例</text:h>
<text:p>案例一：某学会青年人才托举工程</text:p>
<text:p>{body3}</text:p>
<table:table table:name="表1"><table:table-column table:number-columns-repeated="2"/>
 <table:table-row><table:table-cell><text:p>指标</text:p></table:table-cell><table:table-cell><text:p>数值</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell><text:p>托举人数</text:p></table:table-cell><table:table-cell><text:p>120人</text:p></table:table-cell></table:table-row>
</table:table>
<text:p>案例二：某学会青年科学家沙龙</text:p>
<text:p>{body4}</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">参考文献</text:h>
<text:p>[1] 中国科协. 学会发展报告. 北京: 科学出版社, 2021.</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">附录</text:h>
<text:p>{appendix}</text:p>
</office:text></office:body></office:document>
"""


def report():
    laws = [
        "为了规范学会管理，促进学会健康发展，发挥学会在科技创新中的作用，制定本办法。",
        "学会应当建立健全以章程为核心的内部管理制度，完善会员代表大会、理事会和监事会制度。",
        "学会应当加强青年科技人才培养，设立青年人才托举项目，每年支持不少于10名青年科技工作者。",
        "学会应当定期开展学术交流活动，促进学科交叉融合，推动科技成果转化和应用。",
        "本办法所附表格供学会填报年度工作情况时参考，不作为考核依据。",
    ]
    fodt = REPORT_FODT.format(body1=laws[0], body2=laws[1], body3=laws[2], body4=laws[3], appendix=laws[4])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "report.fodt")
        open(src, "w", encoding="utf-8").write(fodt)
        soffice(src, "docx:MS Word 2007 XML", tmp)
        soffice(src, "pdf", tmp)
        shutil.copy(os.path.join(tmp, "report.docx"), f"{FIX}/report.docx")
        shutil.copy(os.path.join(tmp, "report.pdf"), f"{FIX}/report.pdf")


def statute_sentences():
    """Sentences of 40-110 Han characters and punctuation (no Latin, digits or spaces) from
    the bundled statute sample, in order."""
    sample = open(os.path.join(ROOT, "prose", "laws-sample.txt"), encoding="utf-8").read()
    return [s + "。" for s in sample.split("。")
            if 40 <= len(s) <= 110 and not re.search(r"[A-Za-z0-9\s]", s)]


def margins():
    """Twelve paragraphs of 80..91 Han characters (statute text, punctuation dropped so every
    glyph is one em) with 4 pt after each: some end exactly at the right margin, where only
    the wider gap tells a paragraph end from a wrap."""
    sample = open(os.path.join(ROOT, "prose", "laws-sample.txt"), encoding="utf-8").read()
    han = "".join(c for c in sample if "\u4e00" <= c <= "\u9fff")
    paras, pos = [], 0
    for n in range(80, 92):
        paras.append(han[pos:pos + n])
        pos += n
    html = "<html><head><meta charset='utf-8'></head><body>" + "".join(
        f'<p style="margin-top:0;margin-bottom:4pt">{p}</p>' for p in paras) + "</body></html>"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "margins.html")
        open(src, "w", encoding="utf-8").write(html)
        soffice(src, "docx:MS Word 2007 XML", tmp)
        soffice(os.path.join(tmp, "margins.docx"), "pdf", tmp)
        for ext in ("docx", "pdf"):
            shutil.copy(os.path.join(tmp, f"margins.{ext}"), f"{FIX}/margins.{ext}")


TWOCOL_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:text-indent="0.85cm" fo:margin-top="0cm" fo:margin-bottom="0cm"/></style:style>
 <style:style style:name="S1" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="1cm"/></style:section-properties></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard"><style:footer><text:p>第 <text:page-number>1</text:page-number> 页</text:p></style:footer></style:master-page>
</office:master-styles>
<office:body><office:text>
<text:p text:style-name="Title">{title}</text:p>
<text:section text:name="columns" text:style-name="S1">{body}</text:section>
</office:text></office:body></office:document>
"""

TWOCOL_TITLE = "学会改革发展双栏排版示例"


def twocol():
    """A title across the page above a section set in two columns (first-line indents, no
    space between paragraphs), over two pages, the second column of the last page part full:
    the PDF must read each column top to bottom, left column first."""
    sents = statute_sentences()
    paras = sents[:40]
    body = "".join(f'<text:p text:style-name="P1">{p}</text:p>' for p in paras)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "twocol.fodt")
        open(src, "w", encoding="utf-8").write(TWOCOL_FODT.format(title=TWOCOL_TITLE, body=body))
        soffice(src, "pdf", tmp)
        shutil.copy(os.path.join(tmp, "twocol.pdf"), f"{FIX}/twocol.pdf")
    open(f"{FIX}/twocol.txt", "w", encoding="utf-8").write("\n".join([TWOCOL_TITLE] + paras) + "\n")


TABLE_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="T" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>
 <style:style style:name="TA" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>
 <style:style style:name="TB" style:family="table-column"><style:table-column-properties style:column-width="9.5cm"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<table:table table:name="T1" table:style-name="T"><table:table-column table:style-name="TA"/><table:table-column table:style-name="TB"/>{rows}</table:table>
</office:text></office:body></office:document>
"""


def table():
    """A table of twelve items (item | requirements) whose cells wrap over several lines: a
    table, not two columns of text, so each row must stay together. table.txt lists the rows,
    the two cells separated by a tab."""
    sents = statute_sentences()
    rows = [(f"项目{i + 1}：{sents[2 * i][:24]}", sents[2 * i + 1] + sents[2 * i + 2])
            for i in range(12)]
    cells = "".join(
        "<table:table-row>"
        f"<table:table-cell><text:p>{a}</text:p></table:table-cell>"
        f"<table:table-cell><text:p>{b}</text:p></table:table-cell>"
        "</table:table-row>" for a, b in rows)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "table.fodt")
        open(src, "w", encoding="utf-8").write(TABLE_FODT.format(rows=cells))
        soffice(src, "pdf", tmp)
        shutil.copy(os.path.join(tmp, "table.pdf"), f"{FIX}/table.pdf")
    open(f"{FIX}/table.txt", "w", encoding="utf-8").write(
        "".join(f"{a}\t{b}\n" for a, b in rows))


def pdf_bytes(objects):
    """A minimal PDF from a list of object bodies (1-based), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def cjk_pdf(path, encoding, lines_hex):
    """Page with a Type0 font using a predefined CMap and no ToUnicode (like e-invoices)."""
    content = b"BT /F1 12 Tf 72 720 Td 14 TL\n" + b"".join(b"<" + h + b"> Tj T*\n" for h in lines_hex) + b"ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /" + encoding + b" /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    open(path, "wb").write(pdf_bytes(objs))


def gb1_cids():
    """Unicode → CID from Adobe-GB1-UCS2 (the reverse of the map yanshou vendors)."""
    src = open(os.path.join(os.path.dirname(ROOT), "resources/cmap/Adobe-GB1-UCS2"), encoding="latin-1").read()
    rev = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", src, re.S):
        for cid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            if len(uni) > 4:
                continue
            rev.setdefault(chr(int(uni, 16)), int(cid, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", src, re.S):
        for lo, hi, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            if len(uni) > 4:
                continue
            for k in range(int(hi, 16) - int(lo, 16) + 1):
                rev.setdefault(chr(int(uni, 16) + k), int(lo, 16) + k)
    return rev


def predefined_cmaps():
    lines = ["增值税电子普通发票", "合计金额：壹万贰仟元整"]
    ucs2 = [l.encode("utf-16-be").hex().encode() for l in lines]
    cjk_pdf(f"{FIX}/cmap-unigb-ucs2.pdf", b"UniGB-UCS2-H", ucs2)
    gbk = [l.encode("gbk").hex().encode() for l in lines]
    cjk_pdf(f"{FIX}/cmap-gbk-euc.pdf", b"GBK-EUC-H", gbk)
    rev = gb1_cids()
    ident = [b"".join(b"%04x" % rev[c] for c in l) for l in lines]
    cjk_pdf(f"{FIX}/cmap-identity-gb1.pdf", b"Identity-H", ident)


def image_pdf(path, text_pages):
    """Pages showing an image; pages listed in text_pages also carry a text line."""
    n = len(text_pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    img_id = 3 + 2 * n
    font_id = img_id + 1
    for i, has_text in enumerate(text_pages):
        content = b"q 200 0 0 200 100 500 cm /Im1 Do Q"
        if has_text:
            content += b" BT /F1 12 Tf 72 400 Td (%s) Tj ET" % [b"Alpha page", b"Beta page", b"Gamma page"][i]
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 {img_id} 0 R >> /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        objs.append(stream(content))
    pixels = zlib.compress(bytes([128]) * (8 * 8))
    objs.append(stream(pixels, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    open(path, "wb").write(pdf_bytes(objs))


FEATURES_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="H" style:family="text"><style:text-properties text:display="none"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard"><style:header><text:p>页眉文字</text:p></style:header><style:footer><text:p>页脚文字</text:p></style:footer></style:master-page>
</office:master-styles>
<office:body><office:text>
<text:h text:style-name="Heading_20_1" text:outline-level="1">第一章 总则</text:h>
<text:p>正文第一段<text:span text:style-name="H">隐藏文字</text:span>。<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注内容</text:p></text:note-body></text:note></text:p>
<text:p>正文第二段<office:annotation><dc:creator>甲</dc:creator><text:p>批注内容</text:p></office:annotation>，共<text:page-count>1</text:page-count>页。<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>尾注内容</text:p></text:note-body></text:note></text:p>
<text:p><draw:frame text:anchor-type="paragraph" svg:width="5cm" svg:height="2cm"><draw:text-box><text:p>文本框文字</text:p></draw:text-box></draw:frame>正文第三段</text:p>
<table:table table:name="表1"><table:table-column table:number-columns-repeated="2"/>
 <table:table-row><table:table-cell><text:p>指标</text:p></table:table-cell><table:table-cell><text:p>数值</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell><text:p>人数</text:p><text:p>（人）</text:p></table:table-cell><table:table-cell><text:p>120</text:p></table:table-cell></table:table-row>
</table:table>
<text:p>结尾段落</text:p>
</office:text></office:body></office:document>
"""


def word_sector(data):
    """Offset of the FIB (wIdent 0xA5EC, then an nFib of Word 97 or later) in a small .doc,
    whose WordDocument stream may sit in the 64-byte mini stream, so it is found by content."""
    at = data.find(b"\xec\xa5")
    if at < 0 or int.from_bytes(data[at + 2:at + 4], "little") < 0xC1:
        raise SystemExit("no FIB found")
    return at


def legacy_word():
    """Word 97-2003 twins of docx fixtures, made by LibreOffice's "MS Word 97" filter, a .wps
    (WPS 文字 writes Word's binary layout; a .doc renamed .wps is that layout), a feature
    document (heading, hidden text, footnote, endnote, comment, text box, header, footer, a
    table with a two-paragraph cell) as .docx and .doc, and broken .doc files."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "features.fodt")
        open(src, "w", encoding="utf-8").write(FEATURES_FODT)
        soffice(src, "docx:MS Word 2007 XML", tmp)
        shutil.copy(os.path.join(tmp, "features.docx"), f"{FIX}/features.docx")
        for name in ("passage", "report", "margins", "features"):
            soffice(f"{FIX}/{name}.docx", "doc", tmp)
            shutil.copy(os.path.join(tmp, f"{name}.doc"), f"{FIX}/{name}.doc")
    shutil.copy(f"{FIX}/passage.doc", f"{FIX}/passage.wps")
    doc = bytearray(open(f"{FIX}/passage.doc", "rb").read())
    fib = word_sector(doc)
    enc = bytearray(doc)
    enc[fib + 0x0B] |= 0x01  # fEncrypted: bit 8 of the little-endian flags word at 0x0A
    open(f"{BAD}/encrypted.doc", "wb").write(enc)
    garbled = bytearray(doc)
    garbled[fib + 0x1A2:fib + 0x1A6] = (0x7FFFFF00).to_bytes(4, "little")  # fcClx past the end
    open(f"{BAD}/garbled.doc", "wb").write(garbled)


SIGNIN_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐涛", "孙丽"]
SIGNIN_ORGS = ["中国电工技术学会", "中国仪器仪表学会", "中国科学技术史学会"]


def signin_fods(title, when, names=SIGNIN_NAMES):
    """A sign-in sheet as a flat ODS: a merged title row, a date row, 序号/姓名/单位/签名, one
    row per person, a blank row, a 合计 row; and a second sheet with one note."""
    def cell(v, t="string", span=None):
        extra = f' table:number-columns-spanned="{span}"' if span else ""
        if t == "float":
            return f'<table:table-cell office:value-type="float" office:value="{v}"{extra}><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"{extra}><text:p>{v}</text:p></table:table-cell>'
    row = lambda cells: "<table:table-row>" + "".join(cells) + "</table:table-row>"
    rows = [row([cell(title, span=4)] + ["<table:covered-table-cell/>"] * 3), row([cell(f"时间：{when}")]),
            row([cell(h) for h in ["序号", "姓名", "单位", "签名"]])]
    for i, n in enumerate(names):
        rows.append(row([cell(i + 1, "float"), cell(n), cell(SIGNIN_ORGS[i % 3]), cell(n)]))
    rows += [row([cell("")]), row([cell("合计"), cell(""), cell(f"{len(names)}人")])]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
            ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
            ' office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:body><office:spreadsheet><table:table table:name="签到表">'
            '<table:table-column table:number-columns-repeated="4"/>' + "".join(rows) +
            '</table:table><table:table table:name="说明">' + row([cell("本表由会务组整理。")]) +
            '</table:table></office:spreadsheet></office:body></office:document>\n')


def spreadsheets():
    """The sign-in sheet as .xlsx, .xls and .ods (LibreOffice), and as .et: WPS 表格 saves
    .et in Excel's BIFF8 layout, so the .xls renamed stands for it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "signin.fods")
        open(src, "w", encoding="utf-8").write(signin_fods("学会参与科技人才评价改革专题交流活动签到表", "2022年9月15日"))
        for fmt in ("xlsx", "xls", "ods"):
            soffice(src, fmt, tmp)
            shutil.copy(os.path.join(tmp, f"signin.{fmt}"), f"{FIX}/signin.{fmt}")
    shutil.copy(f"{FIX}/signin.xls", f"{FIX}/signin.et")


class GbkInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag (bit 11), as Chinese
    Windows archivers (WinRAR, 360压缩, Windows' own) write them."""
    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def gbk_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = GbkInfo(name, date_time=(2022, 9, 15, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def photos():
    """photo.jpg: a 32×24 JPEG whose EXIF says it was taken 2022-09-15 10:30; photo.png: a PNG
    without EXIF. Made with Pillow."""
    from PIL import Image
    img = Image.new("RGB", (32, 24), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0132] = "2022:09:16 08:00:00"  # DateTime (last change), IFD0
    exif.get_ifd(0x8769)[0x9003] = "2022:09:15 10:30:00"  # DateTimeOriginal
    img.save(f"{FIX}/photo.jpg", "JPEG", exif=exif.tobytes(), quality=80)
    img.save(f"{FIX}/photo.png", "PNG")


def archives():
    """evidence.zip: GBK names; the sign-in sheet, the passage .doc and the photo in a folder,
    a text whose name climbs out of the archive (../../), a zip inside the zip, and macOS
    resource-fork debris."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.txt", "嵌套")
    gbk_zip(f"{FIX}/evidence.zip", [
        ("佐证材料/签到表.xlsx", open(f"{FIX}/signin.xlsx", "rb").read()),
        ("佐证材料/会议纪要.doc", open(f"{FIX}/passage.doc", "rb").read()),
        ("../../越界说明.txt", "本说明共十个汉字。\n".encode("utf-8")),
        ("佐证材料/旧材料.zip", inner.getvalue()),
        ("佐证材料/活动照片.jpg", open(f"{FIX}/photo.jpg", "rb").read()),
        ("__MACOSX/佐证材料/._签到表.xlsx", b"\0\5\26\7"),
    ])


def opendocument():
    """OpenDocument text twins of the docx fixtures (LibreOffice's own format)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("passage", "report", "features"):
            soffice(f"{FIX}/{name}.docx", "odt", tmp)
            shutil.copy(os.path.join(tmp, f"{name}.odt"), f"{FIX}/{name}.odt")


OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd_lines(text, per_line, indent):
    """Wraps a paragraph into lines of at most `per_line` ems (East Asian 1, other 0.5),
    never inside a Latin word; a break at a space drops the space. The first line is
    indented by `indent` ems. Returns (line text, x offset in ems) pairs."""
    tokens = re.findall(r"[A-Za-z0-9.%,]+| |.", text)
    w = lambda t: sum(1 if ord(c) >= 0x2E80 else 0.5 for c in t)
    lines, cur, width, first = [], "", indent, True
    for t in tokens:
        if width + w(t) > per_line and cur:
            lines.append((cur.rstrip(" "), indent if first else 0))
            cur, width, first = "", 0, False
            if t == " ":
                continue
        cur += t
        width += w(t)
    lines.append((cur, indent if first else 0))
    return lines


def ofd():
    """passage.ofd: the passage as a hand-built OFD package (OFD.xml → Doc_0/Document.xml →
    two pages' Content.xml). The title is centred in larger type; each body paragraph has a
    two-character first-line indent and wraps at 30 ems, one TextObject per line with
    DeltaX advances; paragraph 4 is on page 2."""
    size, left, top, pitch = 4.2, 25.0, 30.0, 4.2 * 1.5
    pages = [[], []]
    title = PASSAGE[0]
    tw = sum(1 if ord(c) >= 0x2E80 else 0.5 for c in title) * 5.6
    pages[0].append((105 - tw / 2, top, 5.6, title))
    y = top + 5.6 * 2
    for i, para in enumerate(PASSAGE[1:]):
        page = 0 if i < 2 else 1
        if page == 1 and i == 2:
            y = top
        for line, ind in ofd_lines(para, 30, 2):
            pages[page].append((left + ind * size, y, size, line))
            y += pitch
        y += pitch * 0.5  # a little space between paragraphs is usual, but not relied on
    def delta(line, sz):
        adv = [sz if ord(c) >= 0x2E80 else sz / 2 for c in line][:-1]
        return " ".join(f"{a:g}" for a in adv)
    def content(objs):
        body = "".join(
            f'<ofd:TextObject ID="{10 + k}" Boundary="{x:g} {yy - sz:g} 170 {sz * 1.4:g}" Font="2" Size="{sz:g}">'
            f'<ofd:TextCode X="0" Y="{sz:g}" DeltaX="{delta(t, sz)}">{t.replace("&", "&amp;").replace("<", "&lt;")}</ofd:TextCode></ofd:TextObject>'
            for k, (x, yy, sz, t) in enumerate(objs))
        return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {OFD_NS}><ofd:Content>'
                f'<ofd:Layer ID="3">{body}</ofd:Layer></ofd:Content></ofd:Page>')
    with zipfile.ZipFile(f"{FIX}/passage.ofd", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {OFD_NS} Version="1.0" DocType="OFD">'
                   '<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c7f5b0f</ofd:DocID><ofd:Title>学会服务能力提升计划</ofd:Title>'
                   '<ofd:CreationDate>2022-09-15</ofd:CreationDate></ofd:DocInfo>'
                   '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {OFD_NS}>'
                   '<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                   '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>'
                   '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/>'
                   '</ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {OFD_NS} BaseLoc="Res">'
                   '<ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        for n, objs in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content(objs))


def seven_zip():
    """evidence.7z: the sign-in sheet and the passage .doc (7-Zip's default LZMA2, UTF-16
    names as the format stores them). Needs p7zip (`7z`)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(f"{tmp}/佐证材料")
        shutil.copy(f"{FIX}/signin.xlsx", f"{tmp}/佐证材料/签到表.xlsx")
        shutil.copy(f"{FIX}/passage.doc", f"{tmp}/佐证材料/会议纪要.doc")
        out = f"{FIX}/evidence.7z"
        if os.path.exists(out):
            os.remove(out)
        subprocess.run(["7z", "a", "-bd", out, "佐证材料"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)


def bad_files():
    image_pdf(f"{BAD}/scanned.pdf", [False, False])
    image_pdf(f"{FIX}/partly-scanned.pdf", [True, False, True])
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", f"{FIX}/passage.pdf", f"{BAD}/encrypted.pdf"], check=True)
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--", f"{FIX}/passage.pdf", f"{FIX}/passage-empty-password.pdf"], check=True)
    docx = open(f"{FIX}/passage.docx", "rb").read()
    open(f"{BAD}/truncated.docx", "wb").write(docx[: len(docx) // 2])
    open(f"{BAD}/garbage.pdf", "wb").write(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    open(f"{BAD}/not-a-docx.docx", "wb").write("这不是Word文档，只是改了扩展名的文本。".encode("utf-8"))
    open(f"{BAD}/legacy.doc", "wb").write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504)
    with zipfile.ZipFile(f"{BAD}/no-document.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    lol = '<?xml version="1.0"?>\n<!DOCTYPE w:document [\n <!ENTITY lol "lol">\n'
    for i in range(1, 10):
        prev = "&lol;" if i == 1 else f"&lol{i - 1};"
        lol += f' <!ENTITY lol{i} "{prev * 10}">\n'
    lol += ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>安全&lol9;文本</w:t></w:r></w:p></w:body></w:document>'
    with zipfile.ZipFile(f"{BAD}/billion-laughs.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", lol)
    # 300 MiB of one byte: deflates to about 300 KiB, over the 128 MiB part cap.
    with zipfile.ZipFile(f"{BAD}/zip-bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"<" * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    open(f"{BAD}/empty.txt", "wb").write(b"")
    open(f"{BAD}/binary.txt", "wb").write(bytes(range(256)) * 4)


if __name__ == "__main__":
    os.makedirs(FIX, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    passage()
    report()
    margins()
    twocol()
    table()
    predefined_cmaps()
    bad_files()
    legacy_word()
    spreadsheets()
    photos()
    archives()
    seven_zip()
    opendocument()
    ofd()
    print("fixtures written")
