//! Pictures (`.jpg`, `.png`): a photo is supporting evidence, never counted as text; a picture
//! of a text page (a report page scanned or photographed flat) is read by OCR like a scanned
//! PDF page, when Tesseract is installed.
//!
//! A photo of an event is evidence that it was held; its EXIF date (DateTimeOriginal, else
//! DateTime) becomes the document's creation date, which the checks compare with deadlines
//! like any file date. Such a document has no paragraphs; `count` reports it as `no_text`.
//!
//! **Page or photo.** Running Tesseract on every event photo would cost seconds each and read
//! banners and slides as text, so a picture is first judged from its pixels (decoded with
//! `zune-jpeg` or `png` and reduced to at most 256 pixels a side): a text page is mostly paper (light
//! and unsaturated) with a little dark ink, and has a page's shape. Only such a picture is
//! read, and it counts as a page only when OCR finds a page's worth of text in it
//! (`MIN_PAGE_WORDS`); otherwise it stays a photo. The OCR estimate is marked as such
//! (`ocr_pages = [1]`), exactly as for a scanned PDF.

use std::io::Cursor;

use crate::doc::{Document, Format};

use super::ExtractError;

pub(crate) fn extract(bytes: &[u8], png: bool) -> Result<Document, ExtractError> {
    let ok = if png {
        bytes.starts_with(b"\x89PNG\r\n\x1a\n")
    } else {
        bytes.starts_with(&[0xFF, 0xD8, 0xFF])
    };
    if !ok {
        return Err(ExtractError::Corrupt(
            "不是有效的图片文件（文件头不符）".into(),
        ));
    }
    let mut doc = Document::new(Format::Image);
    doc.meta.created = exif_date(bytes);
    if let Some((w, h)) = page_like(bytes, png) {
        read_page(bytes, w, h, &mut doc);
    }
    Ok(doc)
}

/// Fewest 字 OCR must find for a picture to count as a text page (a banner or a slide has
/// fewer; a scanned report page several hundred).
const MIN_PAGE_WORDS: u64 = 120;

/// Largest picture decoded to judge it (pixels); a bigger one stays a photo unread.
const MAX_PIXELS: u64 = 80_000_000;

/// Reads a page-like picture by OCR into `doc`; leaves it a photo when Tesseract is absent
/// (with a warning saying what to install) or finds too little text.
fn read_page(bytes: &[u8], w: u32, h: u32, doc: &mut Document) {
    let engine = match super::ocr::engine() {
        Ok(e) => e,
        Err(why) => {
            doc.warnings.push(format!("图片疑似扫描的文字页：{why}"));
            doc.ocr_missing = true;
            return;
        }
    };
    let img = super::ocr::PageImage::from_picture(bytes.to_vec(), w, h);
    super::ocr::queue_pages(1);
    match super::ocr::recognise_best(&engine, &img) {
        Ok(page) => {
            let words: u64 = page
                .lines
                .iter()
                .map(|l| crate::count::count_str(&l.text).words)
                .sum();
            if words >= MIN_PAGE_WORDS {
                doc.meta.pages = Some(1);
                super::pdf::lay_out_ocr_page(page, doc);
            }
        }
        Err(why) => doc.warnings.push(format!("图片 OCR 失败：{why}")),
    }
}

/// A decoded picture, 8 bits a channel, row by row: grey (1 channel), grey and alpha (2), RGB
/// (3) or RGBA (4), as decoded (a grey scan is not tripled in memory to make it RGB).
struct Pixels {
    w: u32,
    h: u32,
    channels: usize,
    /// Bytes from one row to the next.
    stride: usize,
    px: Vec<u8>,
}

impl Pixels {
    /// The pixel at `(x, y)` as RGB (alpha dropped, grey repeated).
    fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let i = y * self.stride + x * self.channels;
        match self.channels {
            1 | 2 => [self.px[i]; 3],
            _ => [self.px[i], self.px[i + 1], self.px[i + 2]],
        }
    }
}

/// Width and height from the header, without decoding.
///
/// The decoders are `zune-jpeg` and `png`, the crates the `image` crate itself decodes with;
/// `image` also brought a colour-management library (moxcms, pxfm) that is a tenth of the
/// release build's compile time and of no use for telling paper from ink.
fn dimensions(bytes: &[u8], png: bool) -> Option<(u32, u32)> {
    if png {
        let reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
        let info = reader.info();
        Some((info.width, info.height))
    } else {
        let mut d = zune_jpeg::JpegDecoder::new(Cursor::new(bytes));
        d.decode_headers().ok()?;
        let info = d.info()?;
        Some((u32::from(info.width), u32::from(info.height)))
    }
}

/// Decodes a picture (palette expanded, 16 bits cut to 8), allocating at most `MAX_DECODED`
/// bytes.
fn decode(bytes: &[u8], png: bool) -> Option<Pixels> {
    if png {
        let mut dec =
            png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: MAX_DECODED });
        dec.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = dec.read_info().ok()?;
        let mut buf = vec![0; reader.output_buffer_size()?];
        let frame = reader.next_frame(&mut buf).ok()?;
        buf.truncate(frame.buffer_size());
        let channels = match frame.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            // Expanded by the transformation above; never seen after it.
            png::ColorType::Indexed => return None,
        };
        let (w, h) = (frame.width, frame.height);
        let enough =
            frame.line_size >= w as usize * channels && buf.len() >= frame.line_size * h as usize;
        enough.then_some(Pixels {
            w,
            h,
            channels,
            stride: frame.line_size,
            px: buf,
        })
    } else {
        let options = zune_core::options::DecoderOptions::default()
            .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::RGB)
            .set_max_width(1 << 16)
            .set_max_height(1 << 16);
        let mut d = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
        d.decode_headers().ok()?;
        let info = d.info()?;
        let (w, h) = (u32::from(info.width), u32::from(info.height));
        if (w as usize) * (h as usize) * 3 > MAX_DECODED {
            return None;
        }
        let px = d.decode().ok()?;
        (px.len() == w as usize * h as usize * 3).then_some(Pixels {
            w,
            h,
            channels: 3,
            stride: w as usize * 3,
            px,
        })
    }
}

/// Most bytes a decoded picture may take.
const MAX_DECODED: usize = 512 << 20;

/// The picture reduced to fit in `side` × `side` pixels, each the mean of the block of
/// pixels it covers (a box filter: what a thumbnail is; the shares of paper and ink are
/// taken from it, so that anti-aliased strokes and JPEG noise average out as they do to the
/// eye).
fn thumbnail(img: &Pixels, side: u32) -> impl Iterator<Item = [u8; 3]> + '_ {
    let (w, h) = (img.w.max(1) as u64, img.h.max(1) as u64);
    let scale = |n: u64| ((n * side as u64).div_ceil(w.max(h))).clamp(1, n);
    let (tw, th) = (scale(w), scale(h));
    (0..th).flat_map(move |ty| {
        (0..tw).map(move |tx| {
            let (y0, y1) = (ty * h / th, ((ty + 1) * h / th).max(ty * h / th + 1));
            let (x0, x1) = (tx * w / tw, ((tx + 1) * w / tw).max(tx * w / tw + 1));
            let mut sum = [0u64; 3];
            for y in y0..y1 {
                for x in x0..x1 {
                    for (s, v) in sum.iter_mut().zip(img.rgb(x as usize, y as usize)) {
                        *s += u64::from(v);
                    }
                }
            }
            let n = (y1 - y0) * (x1 - x0);
            sum.map(|s| ((s + n / 2) / n) as u8)
        })
    })
}

/// The picture's width and height when it looks like a page of text: a page's shape, mostly
/// paper, some ink.
fn page_like(bytes: &[u8], png: bool) -> Option<(u32, u32)> {
    let (w, h) = dimensions(bytes, png)?;
    let (long, short) = (w.max(h) as f64, w.min(h) as f64);
    // A4 is 1.41, Letter 1.29, a page cropped from a phone picture anywhere near; a
    // panorama or a square thumbnail is no page. Below ~600 pixels no text is legible.
    if short < 600.0 || !(1.15..=1.75).contains(&(long / short)) {
        return None;
    }
    if (w as u64) * (h as u64) > MAX_PIXELS {
        return None;
    }
    let img = decode(bytes, png)?;
    if (img.w, img.h) != (w, h) {
        return None;
    }
    let stats = PixelStats::of(thumbnail(&img, 256));
    stats.is_page().then_some((w, h))
}

/// Shares of paper-like and ink-like pixels in a picture.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PixelStats {
    /// Light and nearly grey: the paper of a page.
    paper: f64,
    /// Dark: the ink of text.
    ink: f64,
}

impl PixelStats {
    fn of(pixels: impl Iterator<Item = [u8; 3]>) -> PixelStats {
        let (mut n, mut paper, mut ink) = (0u64, 0u64, 0u64);
        for [r, g, b] in pixels {
            n += 1;
            let (hi, lo) = (r.max(g).max(b), r.min(g).min(b));
            // Rec. 601 luma in integers.
            let y = (299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000;
            if y >= 165 && hi - lo <= 45 {
                paper += 1;
            } else if y <= 110 {
                ink += 1;
            }
        }
        let n = n.max(1) as f64;
        PixelStats {
            paper: paper as f64 / n,
            ink: ink as f64 / n,
        }
    }

    /// A page of text: at least half paper, and ink between a trace and a third (a page all
    /// dark is a photo at night, one with no ink at all is blank).
    fn is_page(self) -> bool {
        self.paper >= 0.5 && (0.003..=0.35).contains(&self.ink)
    }
}

/// The EXIF date as ISO `YYYY-MM-DDTHH:MM:SS`, if the photo carries one.
fn exif_date(bytes: &[u8]) -> Option<String> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .iter()
        .find_map(|&t| {
            let f = exif.get_field(t, exif::In::PRIMARY)?;
            let exif::Value::Ascii(v) = &f.value else {
                return None;
            };
            iso(std::str::from_utf8(v.first()?).ok()?)
        })
}

/// "2022:09:15 10:30:00" → "2022-09-15T10:30:00".
fn iso(s: &str) -> Option<String> {
    let (d, t) = s.trim().split_once(' ')?;
    let p: Vec<&str> = d.split(':').collect();
    if p.len() != 3
        || p.iter()
            .any(|x| x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if p[0] == "0000" {
        return None;
    }
    Some(format!("{}-{}-{}T{}", p[0], p[1], p[2], t.trim()))
}

#[cfg(test)]
mod tests {
    use super::PixelStats;

    fn stats(parts: &[([u8; 3], usize)]) -> PixelStats {
        PixelStats::of(parts.iter().flat_map(|&(p, n)| std::iter::repeat_n(p, n)))
    }

    #[test]
    fn a_page_is_mostly_paper_with_some_ink() {
        // 90% white paper, 8% black text, 2% grey anti-aliasing: a page.
        let page = stats(&[
            ([250, 250, 248], 90),
            ([20, 20, 20], 8),
            ([140, 140, 140], 2),
        ]);
        assert!((page.paper - 0.90).abs() < 1e-9 && (page.ink - 0.08).abs() < 1e-9);
        assert!(page.is_page());
        // Yellowed paper under warm light is still paper (spread 40 <= 45).
        assert!(stats(&[([235, 225, 195], 85), ([40, 35, 30], 15)]).is_page());
    }

    #[test]
    fn photos_blank_pages_and_dark_pictures_are_not_pages() {
        // A meeting room: saturated colours, mid tones, some white wall.
        let room = stats(&[
            ([200, 60, 50], 30),
            ([90, 120, 160], 30),
            ([240, 240, 240], 25),
            ([30, 30, 30], 15),
        ]);
        assert!(!room.is_page(), "{room:?}");
        // A blank sheet: paper without ink.
        assert!(!stats(&[([252, 252, 252], 1000)]).is_page());
        // Text on a dark slide: ink everywhere.
        assert!(!stats(&[([250, 250, 250], 55), ([10, 10, 60], 45)]).is_page());
    }

    #[test]
    fn exif_dates() {
        assert_eq!(
            super::iso("2022:09:15 10:30:00").as_deref(),
            Some("2022-09-15T10:30:00")
        );
        assert_eq!(super::iso("0000:00:00 00:00:00"), None);
        assert_eq!(super::iso("garbage"), None);
    }

    #[test]
    fn a_thumbnail_pixel_is_the_mean_of_the_block_it_covers() {
        // 4 × 2 pixels into at most 2 a side: 2 × 1, each the mean of a 2 × 2 block.
        let px: Vec<u8> = [
            [0, 0, 0],
            [100, 10, 1],
            [200, 200, 200],
            [255, 255, 255],
            [10, 10, 10],
            [30, 10, 3],
            [0, 0, 0],
            [1, 1, 1],
        ]
        .concat();
        let img = super::Pixels {
            w: 4,
            h: 2,
            channels: 3,
            stride: 12,
            px,
        };
        let t: Vec<[u8; 3]> = super::thumbnail(&img, 2).collect();
        // (0+100+10+30)/4 = 35, (0+10+10+10)/4 = 7.5 → 8, (0+1+10+3)/4 = 3.5 → 4;
        // (200+255+0+1)/4 = 114, the same for every channel.
        assert_eq!(t, vec![[35, 8, 4], [114, 114, 114]]);
        // A picture smaller than the side is kept pixel for pixel.
        let one = super::Pixels {
            w: 1,
            h: 1,
            channels: 3,
            stride: 3,
            px: vec![7, 8, 9],
        };
        assert_eq!(
            super::thumbnail(&one, 256).collect::<Vec<_>>(),
            vec![[7, 8, 9]]
        );
    }

    #[test]
    fn a_grey_png_with_alpha_and_16_bits_decodes_to_grey_pixels() {
        // 2 × 1, 16-bit grey + alpha: 0x8000 (grey 128 after cutting to 8 bits), 0xFFFF.
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, 2, 1);
            enc.set_color(png::ColorType::GrayscaleAlpha);
            enc.set_depth(png::BitDepth::Sixteen);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(&[0x80, 0x00, 0x12, 0x34, 0xFF, 0xFF, 0x00, 0x00])
                .unwrap();
        }
        assert_eq!(super::dimensions(&bytes, true), Some((2, 1)));
        let img = super::decode(&bytes, true).unwrap();
        assert_eq!((img.w, img.h), (2, 1));
        assert_eq!([img.rgb(0, 0), img.rgb(1, 0)], [[128; 3], [255; 3]]);
        // Cut short, it is no picture (and no panic).
        assert!(super::decode(&bytes[..bytes.len() - 20], true).is_none());
        assert!(super::decode(b"\xFF\xD8\xFF\xE0 not a jpeg", false).is_none());
    }
}
