#!/usr/bin/env python3
"""Builds the pictures in corpora/scans used to tell a scanned page from a photo.

- page-200dpi.jpg: page 1 of the scanned report, the JPEG taken byte for byte out of
  scan-first-page.pdf (made by make_scans.py), i.e. a scanner's page saved as a picture.
  Its true 字数 is that page's: 889 字 of body plus its 12-字 running head (make_scans.py).
- page-bilevel.png: the same page as a 1-bit PNG, taken out of scan-bilevel-flate.pdf.
- photo-room.jpg: a synthetic 1200x900 "meeting room" photo (coloured walls, a table,
  people as coloured shapes, noise): no text page, must stay a photo.
- banner.png: a white card with one short line of large text (a banner or title slide):
  shaped and coloured like a page, but with too little text to be one; stays a photo.

Needs poppler-utils (pdfimages), Pillow and fonts-noto-cjk. Run from the repository root:
  python3 corpora/tools/make_pictures.py
"""
import glob, os, random, shutil, subprocess, tempfile

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scans")
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


def pdf_image(pdf, flag, dest):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdfimages", flag, "-f", "1", "-l", "1", pdf, os.path.join(tmp, "p")], check=True)
        (src,) = glob.glob(os.path.join(tmp, "p-*"))
        if dest.endswith(".png") and not src.endswith(".png"):
            Image.open(src).save(dest, optimize=True)
        else:
            shutil.copy(src, dest)


def photo(dest):
    rng = random.Random(7)
    w, h = 1200, 900
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):  # a warm wall fading to a darker floor
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(190 - 90 * t), int(150 - 70 * t), int(110 - 50 * t)))
    d.rectangle([0, 560, w, 700], fill=(120, 70, 40))  # the table
    for i in range(9):  # people: a head and a body each, in coloured clothes
        x = 80 + i * 125 + rng.randint(-15, 15)
        col = tuple(rng.randint(20, 200) for _ in range(3))
        d.ellipse([x, 300, x + 70, 380], fill=(215, 170, 140))
        d.rectangle([x - 20, 380, x + 90, 600], fill=col)
    d.rectangle([300, 60, 900, 200], fill=(170, 20, 30))  # a red banner without text
    px = img.load()
    for _ in range(60000):
        x, y = rng.randrange(w), rng.randrange(h)
        r, g, b = px[x, y]
        n = rng.randint(-25, 25)
        px[x, y] = (max(0, min(255, r + n)), max(0, min(255, g + n)), max(0, min(255, b + n)))
    img.filter(ImageFilter.GaussianBlur(1.2)).save(dest, "JPEG", quality=70)


def banner(dest):
    img = Image.new("L", (1240, 1754), 255)  # an A4 card at 150 dpi
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 90, index=2)
    d.text((170, 700), "专题交流活动现场", font=font, fill=0)
    img.save(dest, optimize=True)


def main():
    pdf_image(f"{OUT}/scan-first-page.pdf", "-j", f"{OUT}/page-200dpi.jpg")
    pdf_image(f"{OUT}/scan-bilevel-flate.pdf", "-png", f"{OUT}/page-bilevel.png")
    photo(f"{OUT}/photo-room.jpg")
    banner(f"{OUT}/banner.png")
    for f in ["page-200dpi.jpg", "page-bilevel.png", "photo-room.jpg", "banner.png"]:
        print(f, os.path.getsize(f"{OUT}/{f}"), "bytes")


if __name__ == "__main__":
    main()
