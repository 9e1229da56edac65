//! `.zip` and `.7z` archives (佐证材料.zip): each member is a submitted file of its own.
//!
//! A member's path is shown as `佐证材料.zip!/签到表.xlsx`. [`for_each_member`] hands the
//! members to the batch's facts, which checks each like a file on disk; [`extract`] joins their texts into
//! one document for `extract` and `count`, each member under a line naming it (not counted).
//!
//! Names: the zip flag bit 11 says UTF-8; Chinese Windows archivers leave it clear and write
//! GBK, so a name without the flag that is not valid UTF-8 is decoded as GB18030 (a GBK name
//! that happens to be valid UTF-8 is rare; Info-ZIP writes UTF-8 without the flag).
//! Safety: members are inflated one at a time, with the same caps as docx (each member through
//! [`read_limited`] at the file limit, the archive's total at [`MAX_ARCHIVE_BYTES`], at most
//! [`MAX_MEMBERS`] members); a name with
//! `..`, a drive or a leading `/` is shown without them (nothing is ever written to disk);
//! archives inside archives are listed with an error rather than opened.

use std::io::Cursor;

use crate::doc::{Document, Format, ParaKind};

use super::{ExtractError, MAX_FILE_BYTES, extension, read_limited};

/// Members read from one archive.
pub const MAX_MEMBERS: usize = 10_000;
/// Decompressed bytes read from one archive, all members together.
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;

/// One member: its path inside the archive and its bytes, or why they could not be read.
#[derive(Debug)]
pub struct Member {
    pub name: String,
    pub bytes: Result<Vec<u8>, ExtractError>,
}

/// The archive's members that yanshou reads (or names a fix for), in archive order, read
/// under the caps; a member past the total cap (or an encrypted one) carries an error instead
/// of bytes. Holds every member at once: for tests and small archives; the readers use
/// [`for_each_member`].
pub fn members(bytes: &[u8]) -> Result<Vec<Member>, ExtractError> {
    let mut out = Vec::new();
    for_each_member(bytes, |m| out.push(m))?;
    Ok(out)
}

/// The 7z signature.
const SEVEN_ZIP: &[u8] = b"7z\xBC\xAF\x27\x1C";

/// Is this a 7z archive?
pub fn is_7z(bytes: &[u8]) -> bool {
    bytes.starts_with(SEVEN_ZIP)
}

/// Hands each member to `f` as it is inflated, so one member at a time is in memory.
pub fn for_each_member(bytes: &[u8], f: impl FnMut(Member)) -> Result<(), ExtractError> {
    if is_7z(bytes) {
        for_each_7z_member(bytes, f)
    } else {
        for_each_zip_member(bytes, f)
    }
}

/// [`for_each_member`] for 7z (sevenz-rust2: LZMA/LZMA2; encrypted archives are refused).
/// Names are UTF-16 in the format, so only the path rules apply.
fn for_each_7z_member(bytes: &[u8], mut f: impl FnMut(Member)) -> Result<(), ExtractError> {
    let mut ar =
        sevenz_rust2::ArchiveReader::new(Cursor::new(bytes), sevenz_rust2::Password::empty())
            .map_err(|e| match e {
                sevenz_rust2::Error::PasswordRequired => ExtractError::EncryptedOffice,
                e => ExtractError::Corrupt(format!("无法打开 7z 压缩包（{e}）")),
            })?;
    let mut total = 0u64;
    let mut count = 0usize;
    let r = ar.for_each_entries_with_decision(|entry, reader| {
        use sevenz_rust2::EntryDecision;
        if entry.is_directory || !entry.has_stream {
            return Ok(EntryDecision::Continue);
        }
        count += 1;
        if count > MAX_MEMBERS {
            return Ok(EntryDecision::Stop);
        }
        let name = safe_name(&entry.name);
        if name.is_empty()
            || name.starts_with("__MACOSX/")
            || name.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
            || !(super::is_candidate(std::path::Path::new(&name)) || is_archive(&name))
        {
            return Ok(EntryDecision::Continue);
        }
        let left = MAX_ARCHIVE_BYTES.saturating_sub(total);
        let bytes = read_limited(reader, MAX_FILE_BYTES.min(left), &name).map_err(|e| match e {
            ExtractError::Io(m) => ExtractError::Corrupt(format!("解压失败（{m}）")),
            other => other,
        });
        // A member past the cap is not drained (that would inflate the bomb after all): the
        // rest of its block is skipped.
        let decision = if bytes.is_ok() {
            EntryDecision::Continue
        } else {
            EntryDecision::SkipBlock
        };
        if let Ok(b) = &bytes {
            total += b.len() as u64;
        }
        f(Member { name, bytes });
        Ok(decision)
    });
    r.map_err(|e| ExtractError::Corrupt(format!("7z 压缩包已损坏（{e}）")))
}

/// [`for_each_member`] for zip.
fn for_each_zip_member(bytes: &[u8], mut f: impl FnMut(Member)) -> Result<(), ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("无法打开 ZIP 压缩包（{e}）")))?;
    if zip.len() > MAX_MEMBERS {
        return Err(ExtractError::TooLarge(format!(
            "压缩包有 {} 个文件，超过 {MAX_MEMBERS} 个的上限",
            zip.len()
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut file = match zip.by_index(i) {
            Ok(file) => file,
            Err(zip::result::ZipError::UnsupportedArchive(m)) => {
                f(Member {
                    name: format!("#{}", i + 1),
                    bytes: Err(ExtractError::Corrupt(format!("无法解压（{m}）"))),
                });
                continue;
            }
            Err(e) => {
                return Err(ExtractError::Corrupt(format!("ZIP 压缩包已损坏（{e}）")));
            }
        };
        if file.is_dir() {
            continue;
        }
        let utf8 = file
            .flags()
            .matching(zip::unstable::format::flags::ZipFlags::LanguageEncoding);
        let name = safe_name(&decode_name(file.name_raw(), utf8));
        if name.is_empty() || name.rsplit('/').next().is_some_and(|n| n.starts_with('.')) {
            // macOS resource forks (__MACOSX/._x) and hidden files are not deliverables.
            continue;
        }
        if name.starts_with("__MACOSX/")
            || !(super::is_candidate(std::path::Path::new(&name)) || is_archive(&name))
        {
            // Debris, and files yanshou does not read, are not even inflated.
            continue;
        }
        let left = MAX_ARCHIVE_BYTES.saturating_sub(total);
        let bytes = if file.encrypted() {
            Err(ExtractError::EncryptedOffice)
        } else if left == 0 {
            Err(ExtractError::TooLarge(format!(
                "压缩包解压后超过 {} MiB 的上限",
                MAX_ARCHIVE_BYTES >> 20
            )))
        } else {
            read_limited(&mut file, MAX_FILE_BYTES.min(left), &name).map_err(|e| match e {
                ExtractError::Io(m) => ExtractError::Corrupt(format!("解压失败（{m}）")),
                other => other,
            })
        };
        if let Ok(b) = &bytes {
            total += b.len() as u64;
        }
        drop(file);
        f(Member { name, bytes });
    }
    Ok(())
}

/// A member name as text: UTF-8 when flagged or valid, else GB18030 (GBK).
fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    if utf8_flag {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// The name with `\` as `/` and without empty, `.`, `..` or drive components.
fn safe_name(name: &str) -> String {
    name.replace('\\', "/")
        .split('/')
        .filter(|c| !c.is_empty() && *c != "." && *c != ".." && !c.ends_with(':'))
        .collect::<Vec<_>>()
        .join("/")
}

/// Is this member an archive itself (not opened: one level is what reviewers receive)?
fn is_archive(name: &str) -> bool {
    matches!(
        extension(std::path::Path::new(name)).as_str(),
        "zip" | "rar" | "7z" | "tar" | "gz"
    )
}

/// What became of one member when it was read as a document.
pub fn extract_member(m: Member) -> Result<Document, ExtractError> {
    if is_archive(&m.name) {
        return Err(ExtractError::NestedArchive);
    }
    let ext = extension(std::path::Path::new(&m.name));
    super::extract_bytes(m.bytes?, &ext)
}

/// The whole archive as one document: each readable member's paragraphs under a line with its
/// name (kept out of the counts); members that cannot be read are named in the warnings.
pub(crate) fn extract(bytes: &[u8]) -> Result<Document, ExtractError> {
    extract_with(bytes, |_, _| {})
}

/// [`extract`], showing `each` every member's name and what reading it gave, as it is read
/// (the facts of a batch are per member; the whole is one document for copying). A member
/// whose reader panics is that member's error, not the archive's.
pub(crate) fn extract_with(
    bytes: &[u8],
    mut each: impl FnMut(&str, &Result<Document, ExtractError>),
) -> Result<Document, ExtractError> {
    let mut doc = Document::new(if is_7z(bytes) {
        Format::SevenZip
    } else {
        Format::Zip
    });
    for_each_member(bytes, |m| {
        let name = m.name.clone();
        let read = std::panic::catch_unwind(|| extract_member(m))
            .unwrap_or_else(|_| Err(ExtractError::internal()));
        each(&name, &read);
        match read {
            Ok(d) => {
                doc.push(&format!("【{name}】"), ParaKind::Heading(1), None);
                if let Some(last) = doc.paras.last_mut() {
                    last.counted = Some("".into());
                }
                for p in &d.paras {
                    doc.push(d.para_text(p), p.kind, p.page);
                    if let (Some(c), Some(last)) = (&p.counted, doc.paras.last_mut()) {
                        last.counted = Some(c.clone());
                    }
                }
                doc.extra.extend(d.extra);
                if let Some(n) = d.name_rows {
                    *doc.name_rows.get_or_insert(0) += n;
                }
                doc.warnings
                    .extend(d.warnings.into_iter().map(|w| format!("{name}：{w}")));
            }
            Err(e) => doc.warnings.push(format!("{name}：{e}")),
        }
    })?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_decoded_and_made_safe() {
        let gbk = encoding_rs::GBK.encode("佐证材料/签到表.xlsx").0;
        assert_eq!(decode_name(&gbk, false), "佐证材料/签到表.xlsx");
        assert_eq!(decode_name("签到表.xlsx".as_bytes(), false), "签到表.xlsx");
        assert_eq!(decode_name("签到表.xlsx".as_bytes(), true), "签到表.xlsx");
        assert_eq!(safe_name("../../etc/passwd"), "etc/passwd");
        assert_eq!(safe_name("C:\\材料\\.\\a.docx"), "材料/a.docx");
        assert_eq!(safe_name("/abs//x.pdf"), "abs/x.pdf");
    }
}
