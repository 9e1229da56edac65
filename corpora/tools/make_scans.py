#!/usr/bin/env python3
"""Builds corpora/scans: scanned PDFs of a known text, for the OCR tests and benchmarks.

A short report (3 pages, running head, 第 N 页 footer) is set by LibreOffice, rasterised by
pdftoppm (gray, 300 and 200 dpi), and each page's JPEG (quality 60) is wrapped in a PDF by
hand: one DCTDecode image per page, no text layer, as a scanner makes them. A noisy variant
adds speckle, blur, a slight skew and a red round stamp over the text. A mixed PDF has a
digital first page and a scanned second page (an appendix without head or foot).

The true 字数 of each file is counted here, from the source text, by Word's rules for this
text (each Han character and full-width punctuation mark is one; a run of ASCII digits is one
word), independently of yanshou, and printed; the tests state these numbers.

Needs (once, on a developer machine; the outputs are committed, CI does not run this):
  apt-get install libreoffice-writer fonts-noto-cjk poppler-utils; pip install pillow
Run from the repository root:  python3 corpora/tools/make_scans.py
"""
import glob, io, os, random, re, shutil, subprocess, tempfile, zlib

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scans")

HEAD = "学会服务能力提升调研报告"

SENTENCES = [
    "近年来，全国学会围绕服务科技工作者、服务创新驱动发展、服务全民科学素质提高和服务党和政府科学决策，持续深化改革。",
    "调研组采用问卷调查、实地走访和座谈交流相结合的方式，共走访学会36家，回收有效问卷1250份。",
    "从调研结果看，多数学会已经建立会员服务制度，会员对学术交流活动的满意度明显提高。",
    "部分学会的秘书处力量仍然薄弱，专职人员不足，难以承担日益增多的业务工作。",
    "学会应当进一步完善以章程为核心的内部治理结构，健全理事会、监事会和会员代表大会制度。",
    "在人才培养方面，各学会设立青年人才托举项目，每年支持一批优秀青年科技工作者开展研究。",
    "学术期刊是学会的重要品牌，调研发现，高水平期刊的数量和影响力正在稳步提升。",
    "科普工作方面，学会依托专家资源，组织科学家进校园、进社区、进企业，受众超过20万人次。",
    "决策咨询方面，学会围绕重大科技问题形成专题报告，多份建议得到有关部门的采纳。",
    "国际交流方面，学会积极参与国际科技组织事务，推荐专家在国际组织中任职。",
    "调研也发现，学会之间发展不平衡，资源分布不均，部分学会的服务能力有待加强。",
    "为此，建议加大对中小学会的支持力度，推动学会之间的协同合作，形成优势互补。",
    "同时，应当建立科学的评价机制，以服务质量和实际成效作为评价学会工作的主要依据。",
    "数字化转型为学会服务提供了新的机遇，学会应当建设线上服务平台，提高服务效率。",
]

CHAPTERS = ["一、调研背景", "二、主要发现", "三、存在问题", "四、对策建议"]

APPENDIX = ["附件：调研学会名单说明"] + [
    "本次调研覆盖理科、工科、农科、医科和交叉学科等领域的全国学会，兼顾规模不同的学会。",
    "调研学会的选取综合考虑学会的成立时间、会员规模、秘书处人员数量和年度经费等因素。",
    "各学会填报的数据经过秘书处审核，调研组对其中存在疑问的数据进行了电话核实。",
    "调研时间为二〇二二年九月至十一月，历时三个月，形成本报告及附表三份。",
]


def paragraphs():
    """Title, then four chapters of four paragraphs, each of three or four sentences."""
    rng = random.Random(23)
    out = [("Title", "全国学会服务能力提升调研报告")]
    for ch in CHAPTERS:
        out.append(("Heading_20_1", ch))
        for _ in range(4):
            out.append(("P", "".join(rng.sample(SENTENCES, rng.choice([3, 4])))))
    return out


def word_count(texts):
    """Word's 字数 for this text: Han and full-width punctuation one each, ASCII runs one."""
    n = 0
    for t in texts:
        n += len(re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]", t))
        n += len(re.findall(r"[A-Za-z0-9]+", t))
    return n


def fodt(paras, head, foot):
    ps = []
    for style, t in paras:
        if style == "Heading_20_1":
            ps.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{t}</text:h>')
        elif style == "Title":
            ps.append(f'<text:p text:style-name="Title">{t}</text:p>')
        else:
            ps.append(f'<text:p text:style-name="Body">{t}</text:p>')
    header = f"<style:header><text:p>{head}</text:p></style:header>" if head else ""
    footer = ("<style:footer><text:p>第 <text:page-number>1</text:page-number> 页</text:p></style:footer>"
              if foot else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="0.3in" fo:margin-bottom="0.08in"/><style:text-properties fo:font-size="14pt" style:font-name-asian="Noto Serif CJK SC" style:font-size-asian="14pt"/></style:style>
</office:styles>
<office:master-styles>
 <style:master-page style:name="Standard">{header}{footer}</style:master-page>
</office:master-styles>
<office:body><office:text>
{chr(10).join(ps)}
</office:text></office:body></office:document>
"""


def render(paras, head, foot, tmp, name):
    src = os.path.join(tmp, name + ".fodt")
    open(src, "w", encoding="utf-8").write(fodt(paras, head, foot))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(tmp, name + ".pdf")


def raster(pdf, dpi, tmp, name):
    """Gray page images, one PIL image per page."""
    prefix = os.path.join(tmp, f"{name}-{dpi}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", pdf, prefix], check=True)
    return [Image.open(p).convert("L") for p in sorted(glob.glob(prefix + "*.pgm"))]


def jpeg(img, quality=60):
    b = io.BytesIO()
    img.save(b, "JPEG", quality=quality)
    return b.getvalue()


def roughen(img, seed):
    """A photocopied, stamped page: skew, blur, speckle, a red round seal (gray in the scan)."""
    rng = random.Random(seed)
    w, h = img.size
    img = img.rotate(0.6, resample=Image.BICUBIC, fillcolor=255, expand=False)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    px = img.load()
    for _ in range(w * h // 400):
        x, y = rng.randrange(w), rng.randrange(h)
        px[x, y] = rng.choice([0, 60, 200, 255])
    draw = ImageDraw.Draw(img)
    r = w // 7
    cx, cy = int(w * 0.68), int(h * 0.42)
    for k in range(6):
        draw.ellipse([cx - r + k, cy - r + k, cx + r - k, cy + r - k], outline=150)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", r // 4, index=2)
    draw.text((cx, cy), "调研专用章", fill=150, font=font, anchor="mm")
    return img


def pdf_bytes(objects):
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


def image_only_pdf(path, images):
    """One A4 page per image, the image (DCTDecode, gray) covering the page; no text layer."""
    n = len(images)
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    for i, img in enumerate(images):
        data = jpeg(img)
        page, content, im = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 {im} 0 R >> >> /Contents {content} 0 R >>".encode())
        c = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        objs.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
        w, h = img.size
        objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(data)) + data + b"\nendstream")
    open(path, "wb").write(pdf_bytes(objs))


def bilevel_flate_pdf(path, img):
    """One page as a 1-bit image, Flate-compressed (no JPEG): the samples as they are."""
    bw = img.point(lambda v: 255 if v > 160 else 0).convert("1")
    data = zlib.compress(bw.tobytes(), 9)  # PIL packs 1 = white, as DeviceGray 1-bit reads
    w, h = bw.size
    c = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(data)) + data + b"\nendstream",
    ]
    open(path, "wb").write(pdf_bytes(objs))


def page_words(pdf, page):
    """Word's 字数 of one page of the digital original, without its running head and foot."""
    t = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                       check=True, capture_output=True, text=True).stdout
    lines = [l.strip() for l in t.splitlines()]
    return word_count(l for l in lines if l and l != HEAD and not re.fullmatch(r"第\s*\d+\s*页", l))


def main():
    os.makedirs(OUT, exist_ok=True)
    paras = paragraphs()
    body = [t for _, t in paras]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render(paras, HEAD, True, tmp, "report")
        shutil.copy(pdf, f"{OUT}/report-digital.pdf")
        pages300 = raster(pdf, 300, tmp, "r")
        pages200 = raster(pdf, 200, tmp, "r")
        image_only_pdf(f"{OUT}/scan-300dpi.pdf", pages300)
        image_only_pdf(f"{OUT}/scan-200dpi.pdf", pages200)
        image_only_pdf(f"{OUT}/scan-noisy.pdf", [roughen(p, i) for i, p in enumerate(pages300)])
        # The demo's scanned 调研报告 (P05): the first page alone, so each demo run OCRs one page.
        image_only_pdf(f"{OUT}/scan-first-page.pdf", pages200[:1])
        # The same page as a bilevel Flate image: the PBM path instead of JPEG.
        bilevel_flate_pdf(f"{OUT}/scan-bilevel-flate.pdf", pages200[0])
        first = page_words(pdf, 1)
        # Mixed: a digital page, then a scanned appendix page (rendered without head or foot).
        appendix = [("Heading_20_1", APPENDIX[0])] + [("P", t) for t in APPENDIX[1:]]
        front = [("Heading_20_1", "调研报告摘要"), ("P", SENTENCES[0] + SENTENCES[1])]
        apdf = render(appendix, None, False, tmp, "appendix")
        scan = raster(apdf, 200, tmp, "a")[0]
        scan_path = os.path.join(tmp, "appendix.jpg")
        scan.save(scan_path, "JPEG", quality=60)
        mixed = fodt(front, None, False).replace(
            "</office:text>",
            f'<text:p text:style-name="PB"><draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
            f'text:anchor-type="page" text:anchor-page-number="2" svg:x="0in" svg:y="0in" svg:width="8.27in" svg:height="11.69in">'
            f'<draw:image xlink:href="{scan_path}"/></draw:frame></text:p></office:text>',
        ).replace("</office:styles>",
                  '<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:styles>')
        src = os.path.join(tmp, "mixed.fodt")
        open(src, "w", encoding="utf-8").write(mixed)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "mixed.pdf"), f"{OUT}/mixed.pdf")
    print("report (each scan):", word_count(body), "字 over", len(pages300), "pages")
    print("first page (scan-first-page, scan-bilevel-flate):", first, "字")
    print("mixed: digital page", word_count(t for _, t in front), "字 + scanned page", word_count(APPENDIX), "字")


if __name__ == "__main__":
    main()
