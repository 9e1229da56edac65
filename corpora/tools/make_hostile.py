#!/usr/bin/env python3
"""Builds the hostile set of BENCHMARKS.md ("Hostile inputs") into OUT (too large to commit).

Each file is built to make a reader hang, blow up memory or leave its folder; the same shapes
are built small inside tests/it/hostile.rs and tests/it/walls.rs, where the error or bound is
asserted. Here they are full size, for `benches/hostile.sh` to time and measure.

  python3 corpora/tools/make_hostile.py /tmp/hostile
"""
import io, os, sys, zipfile

LAW = "第一条 为了规范学会服务工作，提升学会服务能力，根据有关法律法规，制定本办法。"


def pdf(objects):
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(d, data):
    return f"<< {d} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page(resources, contents, more):
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} /Contents {contents} >>".encode(),
    ] + more)


def self_drawing_form():
    # Form 4 draws itself 40 times: 40^depth invocations at any depth cap.
    draw = b"/X0 Do " * 40
    form = stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 4 0 R >> >>", draw)
    return page("<< /XObject << /X0 4 0 R >> >>", "5 0 R", [form, stream("", b"/X0 Do")])


def million_contents():
    refs = " ".join(["5 0 R"] * 1_000_000)
    return page("<< /Font << /F1 4 0 R >> >>", f"[{refs}]",
                [FONT, stream("", b"BT /F1 12 Tf 72 700 Td (hello world hello world) Tj ET\n")])


def huge_tj():
    text = b"a" * (60 << 20)
    return page("<< /Font << /F1 4 0 R >> >>", "5 0 R", [FONT, stream("", b"BT /F1 12 Tf 72 700 Td (" + text + b") Tj ET")])


def expanding_docx(chars):
    line = "学会服务能力提升计划项目验收专家评审" * 50
    para = f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
           '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + para * (chars // 900) + "</w:body></w:document>")
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", xml)
    return b.getvalue()


def main(out):
    os.makedirs(out, exist_ok=True)
    files = {
        "self-drawing-form.pdf": self_drawing_form(),
        "million-contents.pdf": million_contents(),
        "huge-tj.pdf": huge_tj(),
        "expands-30m.docx": expanding_docx(30_000_000),
    }
    for name, data in files.items():
        open(os.path.join(out, name), "wb").write(data)
    with open(os.path.join(out, "prose-200mb.txt"), "w", encoding="utf-8") as f:
        line = LAW * 4 + "\n"
        for _ in range((200 << 20) // len(line.encode())):
            f.write(line)
    with open(os.path.join(out, "one-char-lines-200mb.txt"), "wb") as f:
        f.write("字\r\n".encode() * ((200 << 20) // 5))
    loops = os.path.join(out, "loops")
    os.makedirs(loops, exist_ok=True)
    open(os.path.join(loops, "a.txt"), "w").write(LAW)
    for name in ["loop1", "loop2"]:
        p = os.path.join(loops, name)
        if not os.path.lexists(p):
            os.symlink(".", p)
    secret = os.path.join(loops, "secret.txt")
    if not os.path.lexists(secret):
        os.symlink("/etc/shadow", secret)
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name)
        if os.path.isfile(p):
            print(f"{name}: {os.path.getsize(p):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile")
