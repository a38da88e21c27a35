//! Ingest: from paths on disk to decoded text ([`SourceText`]). This module owns every
//! decision about *reading* a file — which files a folder contributes, how bytes become
//! characters (BOM, UTF-8, GBK/GB18030, Big5, UTF-16), how HTML, PDF and DOCX become
//! plain text — and turns every way a user's file can be bad into one precise
//! [`InputErrorKind`]. It never cleans the text: the decoded characters are handed on
//! verbatim (no 繁简 or width folding) so that passages can point back into the source.
//!
//! The decoding pipeline follows the measurements in `NOTES-ingest.md`: BOM first
//! (chardetng never detects UTF-16), NUL bytes mean binary, strict UTF-8, then chardetng
//! with no TLD hint on a 64 KiB prefix, and a final "too many control characters" check
//! because binary files decode as windows-1252 without errors.

use crate::error::{Error, InputErrorKind, Result};
use crate::model::{Format, SourceText};
use encoding_rs::Encoding;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// Extensions ingest reads, lower-case, with the format each maps to.
const SUPPORTED: &[(&str, Format)] = &[
    ("txt", Format::Txt),
    ("text", Format::Txt),
    ("md", Format::Md),
    ("markdown", Format::Md),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("xhtml", Format::Html),
    ("pdf", Format::Pdf),
    ("docx", Format::Docx),
];

/// How many bytes chardetng sees: enough for a reliable guess, cheap on huge files.
const SNIFF_BYTES: usize = 64 * 1024;
/// A NUL byte in this prefix means the file is not text (UTF-16 is caught by its BOM first).
const NUL_SCAN_BYTES: usize = 8 * 1024;

/// The format a path's extension names, if ingest supports it.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    SUPPORTED.iter().find(|(e, _)| *e == ext).map(|(_, f)| *f)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

fn is_sidecar(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_lowercase().ends_with(".meta.json"))
}

/// Expands files and folders into the supported files under them, in a deterministic
/// order (each folder's files sorted by path, folders in the order given). Hidden files
/// and folders and `*.meta.json` sidecars are skipped. A folder's unsupported files are
/// skipped silently; an unsupported file named explicitly is an error, as is a path
/// that does not exist. Duplicates (a file given twice, or also inside a given folder)
/// are listed once.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                let kind = match e.kind() {
                    std::io::ErrorKind::NotFound => InputErrorKind::Unreadable("no such file or folder".to_string()),
                    _ => InputErrorKind::Unreadable(e.to_string()),
                };
                errors.push(Error::input(path, kind));
                continue;
            }
        };
        if meta.is_dir() {
            let mut found = Vec::new();
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                // Never descend into hidden folders (.git, .cache …); the root itself is
                // kept even when its own name starts with a dot, since the user named it.
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()));
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let p = e.path();
                        if !is_sidecar(p) && format_of(p).is_some() {
                            found.push(p.to_path_buf());
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = e.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                        errors.push(Error::input(at, InputErrorKind::Unreadable(e.to_string())));
                    }
                }
            }
            found.sort();
            for f in found {
                if seen.insert(f.clone()) {
                    files.push(f);
                }
            }
        } else if format_of(path).is_some() && !is_sidecar(path) {
            if seen.insert(path.clone()) {
                files.push(path.clone());
            }
        } else {
            let ext =
                path.extension().and_then(|e| e.to_str()).map(str::to_string).unwrap_or_else(|| "(none)".to_string());
            let ext = if is_sidecar(path) { "meta.json".to_string() } else { ext };
            errors.push(Error::input(path, InputErrorKind::Unsupported(ext)));
        }
    }
    (files, errors)
}

/// Reads one file and decodes it to text according to its extension.
pub fn read_source(path: &Path) -> Result<SourceText> {
    let format = match format_of(path) {
        Some(f) => f,
        None => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("(none)").to_string();
            return Err(Error::input(path, InputErrorKind::Unsupported(ext)));
        }
    };
    let bytes = std::fs::read(path).map_err(|e| {
        let kind = match e.kind() {
            std::io::ErrorKind::NotFound => InputErrorKind::Vanished,
            std::io::ErrorKind::IsADirectory => InputErrorKind::Unreadable("it is a folder, not a file".to_string()),
            _ => InputErrorKind::Unreadable(e.to_string()),
        };
        Error::input(path, kind)
    })?;
    read_bytes(path, format, &bytes)
}

/// Decodes already-read bytes as `format`. Split from [`read_source`] so that callers
/// holding the bytes (tests, a future drag-and-drop) need not touch the disk again.
pub fn read_bytes(path: &Path, format: Format, bytes: &[u8]) -> Result<SourceText> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let fail = |kind| Error::input(path, kind);
    let (text, encoding, page_starts) = match format {
        Format::Txt | Format::Md => {
            let (text, enc) = decode_text(bytes).map_err(fail)?;
            (text, enc, Vec::new())
        }
        Format::Html => {
            let (raw, enc) = decode_text(bytes).map_err(fail)?;
            (html_to_text(&raw), enc, Vec::new())
        }
        Format::Pdf => {
            let (text, starts) = pdf_text(bytes).map_err(fail)?;
            (text, "PDF".to_string(), starts)
        }
        Format::Docx => (docx_text(bytes).map_err(fail)?, "DOCX".to_string(), Vec::new()),
    };
    if text.trim().is_empty() {
        return Err(fail(if format == Format::Pdf { InputErrorKind::NoTextLayer } else { InputErrorKind::Empty }));
    }
    Ok(SourceText { path: path.to_path_buf(), format, encoding, text, hash, page_starts })
}

/// The display name of an encoding, as a scholar would recognise it.
fn encoding_label(enc: &'static Encoding) -> String {
    if enc == encoding_rs::GBK {
        "GBK".to_string()
    } else {
        enc.name().to_string()
    }
}

/// Decodes the bytes of a text file: BOM → NUL check → strict UTF-8 → chardetng guess →
/// binary check. Returns the text (BOM removed) and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> std::result::Result<(String, String), InputErrorKind> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputErrorKind::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors && replacement_share(&text) > 0.01 {
            return Err(InputErrorKind::Undecodable(format!("invalid {} after its byte-order mark", enc.name())));
        }
        let text = text.into_owned();
        check_binary(&text)?;
        return Ok((text, encoding_label(enc)));
    }
    if bytes[..bytes.len().min(NUL_SCAN_BYTES)].contains(&0) {
        return Err(InputErrorKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            check_binary(s)?;
            return Ok((s.to_string(), "UTF-8".to_string()));
        }
        // A file cut mid-character is still UTF-8: keep what is whole and mark the rest.
        Err(e) if e.error_len().is_none() => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            check_binary(&text)?;
            return Ok((text, "UTF-8".to_string()));
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
    detector.feed(prefix, prefix.len() == bytes.len());
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = enc.decode(bytes);
    check_binary(&text)?;
    if had_errors && replacement_share(&text) > 0.001 {
        return Err(InputErrorKind::Undecodable(format!(
            "best guess {} leaves {:.1}% of characters undecodable",
            encoding_label(enc),
            replacement_share(&text) * 100.0
        )));
    }
    Ok((text.into_owned(), encoding_label(enc)))
}

fn replacement_share(text: &str) -> f64 {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\u{FFFD}' {
            bad += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        bad as f64 / total as f64
    }
}

/// Binary files decode "successfully" as windows-1252: call a text binary when more than
/// 1% of its characters are control characters (other than whitespace) or U+FFFD.
fn check_binary(text: &str) -> std::result::Result<(), InputErrorKind> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}' | '\u{b}');
        if control || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    if total > 0 && bad * 100 > total {
        Err(InputErrorKind::Binary)
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// HTML

/// Elements whose content is never text a scholar reads.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "head", "noscript", "template", "svg", "math"];
/// Elements that break a paragraph.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "figure",
    "figcaption",
    "hr",
    "address",
    "body",
    "html",
    "title",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Turns HTML into plain text with a blank line between paragraphs. A small, careful tag
/// stripper rather than a parser: scripts, styles and the `<head>` are dropped (but the
/// `<title>` is kept as the first line), block elements end paragraphs, `<br>` ends a
/// line, `<td>` becomes a tab, headings are written as Markdown `#` lines so normalise
/// finds them, and character references are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut title = String::new();
    let mut skip_until: Option<String> = None;
    let mut in_title = false;
    let mut in_pre = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_html_text(&mut out, &mut title, rest, in_title, in_pre, skip_until.is_some());
            break;
        };
        push_html_text(&mut out, &mut title, &rest[..lt], in_title, in_pre, skip_until.is_some());
        rest = &rest[lt..];
        // Comments, doctype, CDATA.
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |i| &r[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            continue;
        }
        let after = &rest[1..];
        let closing = after.starts_with('/');
        let name_src = if closing { &after[1..] } else { after };
        let name_len =
            name_src.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':')).unwrap_or(name_src.len());
        if name_len == 0 || !name_src.as_bytes()[0].is_ascii_alphabetic() {
            // A bare '<' in text ("a < b"): keep it.
            push_html_text(&mut out, &mut title, "<", in_title, in_pre, skip_until.is_some());
            rest = after;
            continue;
        }
        let name = name_src[..name_len].to_ascii_lowercase();
        let end = tag_end(rest);
        rest = &rest[end..];
        if let Some(skip) = &skip_until {
            if closing && *skip == name {
                skip_until = None;
            }
            continue;
        }
        if name == "title" {
            in_title = !closing;
            continue;
        }
        if !closing && SKIPPED_ELEMENTS.contains(&name.as_str()) && name != "head" {
            skip_until = Some(name);
            continue;
        }
        if name == "head" {
            // The <head> holds metadata; only its <title> (handled above) is text.
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "td" | "th" if !closing => out.push('\t'),
            "pre" => {
                in_pre = !closing;
                out.push_str("\n\n");
            }
            h if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
                out.push_str("\n\n");
                if !closing {
                    let level = (h.as_bytes()[1] - b'0').clamp(1, 6) as usize;
                    out.push_str(&"#".repeat(level));
                    out.push(' ');
                }
            }
            n if BLOCK_ELEMENTS.contains(&n) => out.push_str("\n\n"),
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = tidy_blank_lines(&out);
    if title.is_empty() || body.trim_start().starts_with(&title) {
        body
    } else {
        format!("{title}\n\n{body}")
    }
}

/// Index just past the `>` that ends the tag starting at `s[0] == '<'`, skipping quoted
/// attribute values (which may contain `>`).
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i + 1,
            None => {}
        }
    }
    s.len()
}

fn push_html_text(out: &mut String, title: &mut String, text: &str, in_title: bool, in_pre: bool, skipping: bool) {
    if skipping || text.is_empty() {
        return;
    }
    let decoded = decode_entities(text);
    if in_title {
        title.push_str(&decoded);
        return;
    }
    if in_pre {
        out.push_str(&decoded);
        return;
    }
    // Outside <pre>, runs of whitespace (including source newlines) are one space.
    let mut last_space = out.ends_with([' ', '\n', '\t']) || out.is_empty();
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

/// Decodes HTML character references: numeric ones and the named ones common in
/// Chinese web pages. Unknown names are left as they are.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let mut cut = rest.len().min(12);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let semi = rest[..cut].find(';');
        let decoded = semi.and_then(|semi| {
            let body = &rest[1..semi];
            let c = if let Some(num) = body.strip_prefix('#') {
                let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    num.parse::<u32>().ok()
                };
                v.and_then(char::from_u32)
            } else {
                Some(match body {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    "ensp" => '\u{2002}',
                    "emsp" => '\u{2003}',
                    "mdash" => '—',
                    "ndash" => '–',
                    "hellip" => '…',
                    "middot" => '·',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "lsquo" => '‘',
                    "rsquo" => '’',
                    "laquo" => '«',
                    "raquo" => '»',
                    "copy" => '©',
                    "reg" => '®',
                    "times" => '×',
                    _ => return None,
                })
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trims trailing spaces on each line, strips leading spaces that HTML whitespace
/// collapsing left at line starts, and collapses three or more newlines to two.
fn tidy_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0usize;
    for line in s.split('\n') {
        let line = line.trim_matches(|c: char| c == ' ');
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// PDF

/// Extracts the text layer page by page with `unpdf`. Pages are separated by a blank
/// line; `page_starts[i]` is the char offset where page `i + 1` begins. A parser panic
/// (malformed files reach code paths nobody tested) is caught and reported as damage.
fn pdf_text(bytes: &[u8]) -> std::result::Result<(String, Vec<usize>), InputErrorKind> {
    if !bytes.starts_with(b"%PDF") && !bytes[..bytes.len().min(1024)].windows(4).any(|w| w == b"%PDF") {
        return Err(InputErrorKind::Damaged("PDF", "no %PDF header".to_string()));
    }
    let parsed = std::panic::catch_unwind(|| unpdf::parse_bytes(bytes));
    let doc = match parsed {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(InputErrorKind::Damaged("PDF", e.to_string())),
        Err(_) => return Err(InputErrorKind::Damaged("PDF", "the PDF parser failed on this file".to_string())),
    };
    let pages: Vec<String> =
        match std::panic::catch_unwind(|| doc.pages.iter().map(|p| p.plain_text()).collect::<Vec<_>>()) {
            Ok(p) => p,
            Err(_) => return Err(InputErrorKind::Damaged("PDF", "the PDF text could not be extracted".to_string())),
        };
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(InputErrorKind::NoTextLayer);
    }
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    let mut chars = 0usize;
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
            chars += 2;
        }
        starts.push(chars);
        text.push_str(page);
        chars += page.chars().count();
    }
    Ok((text, starts))
}

// ---------------------------------------------------------------------------------------
// DOCX

fn damaged_docx(detail: impl std::fmt::Display) -> InputErrorKind {
    InputErrorKind::Damaged("DOCX", detail.to_string())
}

/// Reads `word/document.xml` (and `word/footnotes.xml` when present) from the zip. Each
/// `w:p` becomes a paragraph followed by a blank line, `w:t` is text, `w:tab` a tab,
/// `w:br`/`w:cr` a line break; a paragraph styled `Heading N`/`Title` is written as a
/// Markdown heading so normalise finds it. Footnote references become `^①` markers in
/// the body and the footnotes follow the body as `^① text` lines, the convention the
/// seed texts use.
fn docx_text(bytes: &[u8]) -> std::result::Result<String, InputErrorKind> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged_docx)?;
    let document = read_zip_part(&mut archive, "word/document.xml")?
        .ok_or_else(|| damaged_docx("no word/document.xml inside (is it really a .docx?)"))?;
    let mut text = docx_xml_paragraphs(&document, "w:body")?;
    if let Some(footnotes) = read_zip_part(&mut archive, "word/footnotes.xml")? {
        let notes = docx_xml_paragraphs(&footnotes, "w:footnotes")?;
        if !notes.trim().is_empty() {
            text.push('\n');
            text.push_str(&notes);
        }
    }
    Ok(text)
}

fn read_zip_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> std::result::Result<Option<String>, InputErrorKind> {
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged_docx(e)),
    };
    let mut buf = Vec::new();
    file.read_to_end(&mut buf).map_err(damaged_docx)?;
    let s = String::from_utf8(buf).map_err(|_| damaged_docx(format!("{name} is not UTF-8 XML")))?;
    Ok(Some(s))
}

/// A footnote number as the marker the seeds use: ① … ⑳, then `[21]`.
fn footnote_marker(id: &str) -> String {
    match id.parse::<u32>() {
        Ok(n @ 1..=20) => char::from_u32(0x2460 + n - 1).map_or_else(|| format!("[{n}]"), String::from),
        Ok(n) => format!("[{n}]"),
        Err(_) => format!("[{id}]"),
    }
}

fn attr_value(e: &quick_xml::events::BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn docx_xml_paragraphs(xml: &str, _root: &str) -> std::result::Result<String, InputErrorKind> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut heading: Option<usize> = None;
    let mut in_text = false;
    // In footnotes.xml: the marker of the footnote being read, None for separators.
    let mut footnote: Option<String> = None;
    let mut in_footnotes_part = false;
    let mut skip_footnote = false;
    let mut first_para_of_note = false;
    loop {
        let event = reader.read_event().map_err(|e| damaged_docx(format!("bad XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    b"w:footnotes" => in_footnotes_part = true,
                    b"w:footnote" => {
                        let id = attr_value(e, b"w:id").unwrap_or_default();
                        let kind = attr_value(e, b"w:type").unwrap_or_default();
                        skip_footnote =
                            !kind.is_empty() && kind != "normal" || id.parse::<i64>().map_or(true, |n| n <= 0);
                        footnote = Some(footnote_marker(&id));
                        first_para_of_note = true;
                    }
                    b"w:p" if !empty => {
                        para.clear();
                        heading = None;
                    }
                    b"w:pStyle" => {
                        let v = attr_value(e, b"w:val").unwrap_or_default().to_ascii_lowercase();
                        if v == "title" {
                            heading = Some(1);
                        } else if let Some(n) = v.strip_prefix("heading") {
                            heading = n.trim().parse::<usize>().ok().map(|n| n.clamp(1, 6));
                        }
                    }
                    b"w:t" if !empty => in_text = true,
                    b"w:tab" if !in_text => para.push('\t'),
                    b"w:br" | b"w:cr" => para.push('\n'),
                    b"w:footnoteReference" => {
                        if let Some(id) = attr_value(e, b"w:id") {
                            para.push('^');
                            para.push_str(&footnote_marker(&id));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t.unescape().map_err(|e| damaged_docx(format!("bad XML text: {e}")))?;
                para.push_str(&s);
            }
            Event::CData(t) if in_text => para.push_str(&String::from_utf8_lossy(&t)),
            Event::End(ref e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    if in_footnotes_part {
                        if !skip_footnote && !para.trim().is_empty() {
                            if first_para_of_note {
                                out.push('^');
                                out.push_str(footnote.as_deref().unwrap_or(""));
                                out.push(' ');
                                first_para_of_note = false;
                            }
                            out.push_str(para.trim());
                            out.push_str("\n\n");
                        }
                    } else {
                        if let Some(level) = heading {
                            if !para.trim().is_empty() {
                                out.push_str(&"#".repeat(level));
                                out.push(' ');
                            }
                        }
                        out.push_str(&para);
                        out.push_str("\n\n");
                    }
                    para.clear();
                    heading = None;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}
