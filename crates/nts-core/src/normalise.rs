//! Normalise: from a decoded source text to the passages a scholar reads and quotes.
//! This module owns every decision about *noise* and *structure* in OCR/PDF extractions
//! of Chinese papers and books: which lines are page numbers, running heads or page-break
//! markers (dropped), which are footnotes (moved out of the paragraph they interrupt,
//! without ending it), which are headings (and the section path they open), which lines
//! of a hard-wrapped or blank-line-broken text belong to one paragraph (`安` ⏎⏎ `全问题`
//! is one word), and what kind each passage is (body, abstract, keywords, English, TOC,
//! front matter, reference).
//!
//! Everything here is a pure function of the text, linear in its length (one pass to
//! split lines, a few passes over the line table, one pass to build blocks): it runs on
//! tens of megabytes. Characters are kept verbatim — full-width punctuation, traditional
//! characters, spaces inside Latin text — except for markup (`<sup>`, `<b>`, Markdown
//! `#`/`**`/`*`/`\_`) and footnote-marker decoration (`^①` → `①`). No 繁简 or width
//! folding happens here; search does that on its own copy.

use crate::model::{Block, BlockKind};
use std::collections::HashMap;

/// Splits `src` into blocks. `page_starts` (char offsets, as ingest reports for PDFs)
/// gives each block its page; without it, pages come from page-number lines in the text
/// where two consecutive ones bracket a block.
pub fn normalise(src: &str, page_starts: &[usize]) -> Vec<Block> {
    let lines = split_lines(src);
    let infos = classify(&lines);
    let mut blocks = assemble(&lines, &infos);
    assign_pages(&mut blocks, &lines, &infos, page_starts);
    blocks
}

// ---------------------------------------------------------------------------------------
// Characters

/// A Han character (CJK ideographs, extensions, compatibility ideographs, 〇).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3007)
}

/// A character of East Asian typography: Han, kana, hangul, CJK and full-width
/// punctuation. Joining two lines puts no space next to these.
pub fn is_cjk_like(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3000..=0x303F   // CJK symbols and punctuation
            | 0x3040..=0x30FF // kana
            | 0xAC00..=0xD7AF // hangul
            | 0xFF00..=0xFFEF // full-width forms
            | 0x2460..=0x24FF // circled numbers
            | 0x3200..=0x32FF // enclosed CJK
            | 0x2010..=0x2027 // dashes, quotes, ellipsis, middle dots
            | 0xFE30..=0xFE4F)
}

fn is_latin_letter(c: char) -> bool {
    // The range first: `is_alphabetic` is a table lookup, slow on every CJK char.
    c.is_ascii_alphabetic() || ((0xC0..0x250).contains(&(c as u32)) && c.is_alphabetic())
}

/// `char::is_whitespace` without its table lookup for CJK: no white space lies above U+3000.
pub(crate) fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// Whether `s` has at most `max` chars, counting them only when its byte length leaves
/// it open (a char takes one to four bytes).
pub(crate) fn chars_at_most(s: &str, max: usize) -> bool {
    s.len() <= max || (s.len() <= 4 * max && s.chars().count() <= max)
}

/// Circled numbers ① … ⑳ and ㉑ … ㊿, the footnote markers of Chinese typesetting.
pub fn is_circled_number(c: char) -> bool {
    matches!(c as u32, 0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF | 0x2776..=0x2793)
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Widths are counted up to this many columns: wrap detection looks no further.
const MAX_WIDTH: usize = 1000;

/// Display width in columns, wide (CJK) characters counting two. Counting stops at
/// [`MAX_WIDTH`]: a wider line reports `MAX_WIDTH` or one column more.
fn display_width(s: &str) -> usize {
    let mut width = 0;
    for c in s.chars() {
        // Nothing below U+2010 is wide.
        width += if c >= '\u{2010}' && is_cjk_like(c) && c != '\u{2014}' { 2 } else { 1 };
        if width >= MAX_WIDTH {
            break;
        }
    }
    width
}

/// Share of Latin letters among letters: above 0.9 a passage is English.
fn is_mostly_latin(s: &str) -> bool {
    // Letters beyond ASCII (U+00C0..U+024F) start with a byte C3..C9. Without them the
    // Latin letters are the ASCII ones, counted fast, and Han chars only until enough.
    if count_bytes(s, |b| (0xC3..=0xC9).contains(&b)) == 0 {
        let latin = count_bytes(s, |b| b.is_ascii_alphabetic());
        if latin < 3 {
            return false;
        }
        let mut han = 0usize;
        for c in s.chars() {
            if is_han(c) {
                han += 1;
                if han * 10 >= latin {
                    return false;
                }
            }
        }
        return true;
    }
    let mut latin = 0usize;
    let mut han = 0usize;
    for (i, c) in s.char_indices() {
        if is_latin_letter(c) {
            latin += 1;
        } else if is_han(c) {
            han += 1;
            // Stop once the Latin letters still possible (one per byte left) cannot win.
            if han * 10 >= latin + (s.len() - i - c.len_utf8()) {
                return false;
            }
        }
    }
    latin >= 3 && han * 10 < latin
}

/// How many bytes of `s` satisfy `pred`, summed 255 bytes at a time in a `u8`, which the
/// compiler vectorizes.
pub(crate) fn count_bytes(s: &str, pred: impl Fn(u8) -> bool) -> usize {
    s.as_bytes().chunks(255).map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(pred(b))).sum::<u8>())).sum()
}

/// Whether a paragraph ending in `text` has ended its sentence. A closing quote or
/// bracket counts only when the sentence ended inside it (`。”`), since a quotation
/// closing at a page break is as often mid-sentence.
fn ends_sentence(text: &str) -> bool {
    let mut rev = text.trim_end().chars().rev();
    let Some(last) = rev.next() else { return true };
    const FINAL: &[char] = &['。', '！', '？', '!', '?', '；', ';', '：', ':', '…', '.', '．'];
    if FINAL.contains(&last) {
        return true;
    }
    if matches!(last, '”' | '」' | '』' | '’' | '"' | '\'' | '）' | ')' | '】' | '〕') {
        return rev.next().is_some_and(|c| FINAL.contains(&c));
    }
    false
}

// ---------------------------------------------------------------------------------------
// Lines

struct Line<'a> {
    /// The line without its newline (and without a trailing `\r`).
    raw: &'a str,
    /// Char offsets in the source: `start..end` covers `raw`.
    start: usize,
    end: usize,
}

fn split_lines(src: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut offset = 0usize;
    for piece in src.split('\n') {
        let n = piece.chars().count();
        let raw = piece.strip_suffix('\r').unwrap_or(piece);
        let len = if raw.len() == piece.len() { n } else { n - 1 };
        lines.push(Line { raw, start: offset, end: offset + len });
        offset += n + 1;
    }
    lines
}

#[derive(Debug, Clone, PartialEq)]
enum Class {
    Blank,
    /// Page number, running head, page-break marker, image placeholder: dropped.
    Drop,
    Footnote(String),
    Heading(u8),
    /// A heading that opens a reference list (参考文献, 注释).
    RefHeading(u8),
    TocTitle,
    Toc,
    Abstract,
    Keywords,
    /// Metadata printed in the text (DOI, 基金项目, 收稿日期, 中图分类号 …).
    Meta,
    /// Table row (tab-separated cells): rows of one table form one block.
    Table,
    /// Figure/table caption or source line: a block of its own.
    Caption,
    /// Editorial note that stands alone (（责任编辑：…）).
    Standalone,
    Text,
}

struct LineInfo {
    class: Class,
    /// Cleaned text (markup removed); empty for dropped and blank lines.
    text: String,
    /// Footnote markers found in the line's text.
    markers: Vec<String>,
    /// Display width of the raw line (for hard-wrap detection), counted up to `MAX_WIDTH`.
    width: usize,
    /// Page number printed on this line, for dropped page-number lines.
    page_no: Option<u32>,
    in_front: bool,
}

/// Strips Markdown heading hashes; returns the level and the rest.
fn markdown_heading(s: &str) -> Option<(u8, &str)> {
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let rest = &s[hashes..];
        if rest.starts_with([' ', '\t']) || rest.is_empty() {
            return Some((hashes as u8, rest.trim()));
        }
    }
    None
}

/// Removes markup from one line and collects its footnote markers: HTML tags
/// (`<sup>①</sup>` → `①`, `<b>` dropped), Markdown emphasis `**`/paired `*`, escapes
/// (`\_` → `_`), autolinks (`<http://…>` → `http://…`), a leading list bullet, and the
/// caret of `^①`. Every other character is kept.
fn clean_line(s: &str, markers: &mut Vec<String>) -> String {
    let mut s = s.trim();
    if let Some(rest) = s.strip_prefix("- ").or_else(|| s.strip_prefix("+ ")).or_else(|| s.strip_prefix("* ")) {
        s = rest.trim_start();
    }
    // Single stars are counted only in a line that has a star at all (memchr).
    let single_stars = if !s.as_bytes().contains(&b'*') {
        0
    } else {
        let mut count = 0usize;
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'*' {
                if i + 1 < b.len() && b[i + 1] == b'*' {
                    i += 2;
                    continue;
                }
                count += 1;
            }
            i += 1;
        }
        count
    };
    let drop_single_stars = single_stars >= 2 && single_stars % 2 == 0;
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        // Every markup character is ASCII: copy the run of text before the next one whole.
        let run = find_bytes(rest.as_bytes(), 0, may_start_markup).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else { break };
        let clen = c.len_utf8();
        match c {
            '<' => {
                if let Some((len, keep)) = markup_tag(rest) {
                    out.push_str(keep);
                    rest = &rest[len..];
                    continue;
                }
                out.push('<');
            }
            '[' => {
                // A Markdown link `[text](http…)` keeps its text only.
                if let Some((len, keep)) = markdown_link(rest) {
                    out.push_str(keep);
                    rest = &rest[len..];
                    continue;
                }
                out.push('[');
            }
            '^' => {
                let next = rest[1..].chars().next();
                if next.is_some_and(|n| is_circled_number(n) || n == '[' || n.is_ascii_digit()) {
                    rest = &rest[1..];
                    continue;
                }
                out.push('^');
            }
            '\\' => {
                let next = rest[1..].chars().next();
                if next.is_some_and(|n| n.is_ascii_punctuation()) {
                    rest = &rest[1..];
                    if let Some(n) = next {
                        out.push(n);
                        rest = &rest[n.len_utf8()..];
                    }
                    continue;
                }
                out.push('\\');
            }
            '*' => {
                if rest.starts_with("**") {
                    rest = &rest[2..];
                    continue;
                }
                if !drop_single_stars {
                    out.push('*');
                }
            }
            _ => out.push(c),
        }
        rest = &rest[clen..];
    }
    collect_markers(&out, markers);
    // Trimmed in place rather than copied.
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    out.drain(..lead);
    out
}

/// Whether a byte may start markup that `clean_line` removes (the other two are ignored,
/// see `find_bytes`).
fn may_start_markup(b: u8, _: u8, _: u8) -> bool {
    (b == b'<') | (b == b'[') | (b == b'^') | (b == b'\\') | (b == b'*')
}

/// If `s` starts with a Markdown link to a URL, returns its byte length and its text.
fn markdown_link(s: &str) -> Option<(usize, &str)> {
    let close = prefix(s, 400).find("](")?;
    let text = &s[1..close];
    if text.contains(['[', ']']) {
        return None;
    }
    let url_part = &s[close + 2..];
    if !(url_part.starts_with("http://") || url_part.starts_with("https://")) {
        return None;
    }
    let end = url_part.find(')')?;
    if url_part[..end].contains(char::is_whitespace) {
        return None;
    }
    Some((close + 2 + end + 1, text))
}

/// If `s` starts with a markup tag, returns its byte length and the text to keep in its
/// place (the URL of an autolink, nothing for a tag).
fn markup_tag(s: &str) -> Option<(usize, &str)> {
    // Byte loops, not memchr: tags are a few bytes long.
    let close = prefix(s, 300).bytes().position(|b| b == b'>')?;
    let inner = &s[1..close];
    if inner.bytes().any(|b| b == b'<') {
        return None;
    }
    for scheme in ["http://", "https://", "ftp://", "mailto:", "www."] {
        if inner.starts_with(scheme) && !inner.contains(char::is_whitespace) {
            return Some((close + 1, inner));
        }
    }
    let name = inner.strip_prefix('/').unwrap_or(inner);
    let name_end = name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len());
    if name_end == 0 || !name.as_bytes()[0].is_ascii_alphabetic() || close > 120 {
        return None;
    }
    let after = &name[name_end..];
    if !(after.is_empty() || after.starts_with([' ', '/', '\t'])) || inner.chars().any(is_han) {
        return None;
    }
    const TAGS: &[&str] = &[
        "sup", "sub", "b", "i", "u", "em", "strong", "span", "font", "br", "small", "big", "a", "s", "strike", "del",
        "ins", "mark", "code", "p", "div", "img", "center", "tt", "cite",
    ];
    if TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(&name[..name_end])) {
        Some((close + 1, ""))
    } else {
        None
    }
}

/// Footnote markers in body text: circled numbers and bracketed numbers (`［6］`, `[6]`).
fn collect_markers(text: &str, markers: &mut Vec<String>) {
    let mut from = 0;
    while let Some(i) = find_bytes(text.as_bytes(), from, may_start_marker) {
        from = i + 1;
        let Some(c) = text[i..].chars().next() else { continue };
        if is_circled_number(c) {
            let mut buf = [0u8; 4];
            let m = c.encode_utf8(&mut buf);
            if !markers.iter().any(|k| k == m) {
                markers.push(m.to_string());
            }
        } else if c == '［' || c == '[' {
            let rest = &text[i + c.len_utf8()..];
            let digits = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
            if !digits.is_empty() && digits.len() <= 3 {
                let after = rest[digits.len()..].chars().next();
                if matches!(after, Some('］') | Some(']')) && !markers.iter().any(|k| k == digits) {
                    markers.push(digits.to_string());
                }
            }
        }
    }
}

/// Whether a char starting with bytes `b0 b1 b2` may be a footnote marker: `[`, `［`
/// (EF BC BB) or a circled number (E2 91, E2 9D, E2 9E, E3 89, E3 8A). Written with `&`
/// and `|` rather than `&&` and `||` so that `find_bytes` can test many positions at once.
fn may_start_marker(b0: u8, b1: u8, b2: u8) -> bool {
    (b0 == b'[')
        | ((b0 == 0xE2) & ((b1 == 0x91) | (b1 == 0x9D) | (b1 == 0x9E)))
        | ((b0 == 0xE3) & ((b1 == 0x89) | (b1 == 0x8A)))
        | ((b0 == 0xEF) & (b1 == 0xBC) & (b2 == 0xBB))
}

/// The first position `i >= from` where `hit(bytes[i], bytes[i + 1], bytes[i + 2])` holds
/// (bytes past the end read as 0). Positions are tested sixteen at a time without an early
/// exit, which the compiler turns into SIMD: several times faster than a byte loop when
/// hits are rare.
fn find_bytes(bytes: &[u8], from: usize, hit: impl Fn(u8, u8, u8) -> bool) -> Option<usize> {
    const STEP: usize = 16;
    let mut i = from;
    while let Some(window) = bytes.get(i..i + STEP + 2) {
        if (0..STEP).fold(false, |any, k| any | hit(window[k], window[k + 1], window[k + 2])) {
            break;
        }
        i += STEP;
    }
    let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
    (i..bytes.len()).find(|&k| hit(at(k), at(k + 1), at(k + 2)))
}

/// If the line is a footnote, returns its marker. Footnote lines start with a circled
/// number followed by a space (`① 本文借鉴…`), with `^①` or `<sup>①</sup>`, with a
/// bracketed number (`［6］`, `[6]`), or are author notes (`作者：`, `作者简介：`).
/// A circled number directly followed by text is an enumeration (`①建立…`) unless the
/// line reads like a citation.
fn footnote_marker(raw: &str, cleaned: &str) -> Option<String> {
    let t = raw.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    if let Some(rest) = t.strip_prefix("<sup>").or_else(|| t.strip_prefix("^")) {
        let m: String = rest.chars().take_while(|&c| is_circled_number(c) || c.is_ascii_digit()).collect();
        if !m.is_empty() {
            return Some(m);
        }
    }
    let mut chars = cleaned.chars();
    let first = chars.next()?;
    if is_circled_number(first) {
        let second = chars.next();
        let spaced = second.is_some_and(|c| c.is_whitespace());
        let citation = cleaned.contains("出版社")
            || cleaned.contains("http")
            || cleaned.contains("p.")
            || (cleaned.contains('《') && cleaned.contains('年'))
            || cleaned.contains("参见")
            || cleaned.contains("同上");
        if spaced || citation {
            return Some(first.to_string());
        }
        return None;
    }
    if first == '［' || first == '[' {
        let rest = &cleaned[first.len_utf8()..];
        let digits = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
        let after = rest[digits.len()..].chars().next();
        if !digits.is_empty() && digits.len() <= 3 && matches!(after, Some('］') | Some(']')) {
            return Some(digits.to_string());
        }
    }
    // `cleaned` is trimmed, so its squeezed form starts with `first`: only 作 or a bracket
    // can open an author note.
    if !matches!(first, '作' | '[' | '［' | '【') {
        return None;
    }
    let squeezed: String = cleaned.chars().take(8).filter(|c| !c.is_whitespace()).collect();
    if squeezed.starts_with("作者：")
        || squeezed.starts_with("作者:")
        || squeezed.starts_with("作者简介")
        || squeezed.starts_with("作者单位")
        || squeezed.starts_with("[作者简介]")
        || squeezed.starts_with("［作者简介］")
        || squeezed.starts_with("【作者简介】")
    {
        return Some("作者".to_string());
    }
    None
}

/// Whether `text` starts with one of `labels` (spaces between the label's characters and
/// enclosing brackets allowed: `摘 要`, `［摘 要］`, `【关键词】`), followed by a colon,
/// a bracket, a space or the end.
pub fn starts_with_label(text: &str, labels: &[&str]) -> Option<usize> {
    let body = text.trim_start_matches(['［', '【', '[', '〔', '(', '（', ' ', '\u{3000}']);
    let offset = text.len() - body.len();
    let first = body.chars().next();
    'labels: for label in labels {
        // Most lines fail on the first char: test it before walking the label.
        if label.chars().next().is_some_and(|lc| !first.is_some_and(|c| c.eq_ignore_ascii_case(&lc))) {
            continue;
        }
        let mut rest = body;
        for lc in label.chars() {
            rest = rest.trim_start_matches([' ', '\u{3000}']);
            let Some(c) = rest.chars().next() else {
                continue 'labels;
            };
            if !c.eq_ignore_ascii_case(&lc) {
                continue 'labels;
            }
            rest = &rest[c.len_utf8()..];
        }
        match rest.chars().next() {
            None => return Some(text.len()),
            Some('：' | ':' | '］' | '】' | ']' | '〕' | ')' | '）' | ' ' | '\u{3000}' | '\t') => {
                return Some(offset + (body.len() - rest.len()));
            }
            _ => {}
        }
    }
    None
}

const ABSTRACT_LABELS: &[&str] = &["摘要", "内容提要", "内容摘要", "提要", "Abstract"];
const KEYWORD_LABELS: &[&str] = &["关键词", "关键字", "主题词", "Key words", "Keywords", "Key Words"];
const META_LABELS: &[&str] = &[
    "DOI",
    "基金项目",
    "收稿日期",
    "中图分类号",
    "文献标识码",
    "文献标志码",
    "文章编号",
    "修回日期",
    "网络出版",
    "引用格式",
    "本文引用格式",
];
const REF_HEADINGS: &[&str] =
    &["参考文献", "参考资料", "主要参考文献", "注释", "注释与参考文献", "References", "Bibliography"];
const KEYWORD_HEADINGS: &[&str] = &[
    "前言",
    "序言",
    "序",
    "自序",
    "引言",
    "导言",
    "绪论",
    "导论",
    "结语",
    "结论",
    "结束语",
    "余论",
    "后记",
    "附录",
    "致谢",
    "小结",
    "本章小结",
];

fn chinese_numeral(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '零' | '〇' | '两')
}

/// The level a heading's wording implies: 第X编/章 1, 第X节 2, 一、 3, （一） 4,
/// `1` / `1.1` / `1.1.1` 3/4/5, `1.` 5. None when the text is not heading-shaped.
fn pattern_level(t: &str) -> Option<u8> {
    let mut chars = t.chars();
    let first = chars.next()?;
    if first == '第' {
        let rest = &t['第'.len_utf8()..];
        let num_len: usize = rest
            .chars()
            .take_while(|&c| chinese_numeral(c) || c.is_ascii_digit() || c == ' ')
            .map(char::len_utf8)
            .sum();
        if num_len > 0 {
            let after = rest[num_len..].trim_start();
            for (unit, level) in [("编", 1), ("篇", 1), ("部分", 1), ("章", 1), ("讲", 1), ("节", 2)] {
                if let Some(tail) = after.strip_prefix(unit) {
                    if tail.is_empty()
                        || tail.starts_with([' ', '\u{3000}', '　'])
                        || tail.chars().next().is_some_and(is_han)
                    {
                        return Some(level);
                    }
                }
            }
        }
        return None;
    }
    if chinese_numeral(first) {
        let num_len: usize = t.chars().take_while(|&c| chinese_numeral(c)).map(char::len_utf8).sum();
        if t[num_len..].starts_with(['、', '．', '.']) {
            return Some(3);
        }
        return None;
    }
    if first == '（' || first == '(' {
        let rest = &t[first.len_utf8()..];
        let num_len: usize = rest.chars().take_while(|&c| chinese_numeral(c)).map(char::len_utf8).sum();
        if num_len > 0 && rest[num_len..].starts_with(['）', ')']) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        // 1 / 1.1 / 1.1.1 numbering, each part one or two digits.
        let bytes = t.as_bytes();
        let mut i = 0;
        let mut parts = 0;
        loop {
            let s = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == s || i - s > 2 {
                return None;
            }
            parts += 1;
            if i < bytes.len() && bytes[i] == b'.' && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() {
                i += 1;
                continue;
            }
            break;
        }
        let trailing_dot =
            i < bytes.len() && (bytes[i] == b'.' || t[i..].starts_with('．') || t[i..].starts_with('、'));
        let rest = if trailing_dot {
            let skip = t[i..].chars().next().map_or(0, char::len_utf8);
            &t[i + skip..]
        } else {
            &t[i..]
        };
        let rest_trim = rest.trim_start();
        let next = rest_trim.chars().next()?;
        // "12 月", "20 世纪", "2.3 万" are quantities, not numbering.
        if !is_han(next) || "年月日世纪个万亿千百名人次%％岁".contains(next) {
            return None;
        }
        if !trailing_dot && rest_trim.len() == rest.len() {
            // "1口岸" without a space is not numbering.
            return None;
        }
        return Some(match (parts, trailing_dot) {
            (1, true) => 5,
            (p, _) => (2 + p as u8).min(6),
        });
    }
    None
}

/// Whether a (cleaned) line is shaped like a heading at all: short, no full stop inside,
/// not ending in a comma-like mark.
fn heading_shaped(t: &str, max_chars: usize) -> bool {
    !t.is_empty()
        && chars_at_most(t, max_chars)
        && !t.contains('。')
        && !t.ends_with(['，', ',', '、', '；', ';'])
        && !t.contains('\t')
}

fn squeeze(t: &str) -> String {
    t.chars().filter(|&c| !is_space(c)).collect()
}

/// Whether `t` without its white space reads `word`, chars compared by `eq`, without
/// building the squeezed text.
fn squeezes_to(t: &str, word: &str, eq: fn(&char, &char) -> bool) -> bool {
    let mut chars = t.chars().filter(|&c| !is_space(c));
    word.chars().all(|w| chars.next().is_some_and(|c| eq(&c, &w))) && chars.next().is_none()
}

fn is_page_number(t: &str) -> Option<u32> {
    let t = t.trim();
    let inner = t
        .trim_start_matches(['-', '–', '—', '·', '•', ' ', '\u{3000}'])
        .trim_end_matches(['-', '–', '—', '·', '•', ' ', '\u{3000}']);
    let inner = inner.strip_prefix('第').and_then(|r| r.strip_suffix('页')).map(str::trim).unwrap_or(inner);
    if inner.is_empty() || inner.len() > 4 || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    inner.parse().ok().filter(|&n| n > 0)
}

/// A running head naming a journal issue: `东北亚论坛 2020 年第 2 期`, `Vol. 29 No. 2`.
fn is_issue_head(t: &str) -> bool {
    if !chars_at_most(t, 36) || t.contains(['。', '，', '；', '《', '“']) {
        return false;
    }
    // An issue head ends in 期: only such lines are squeezed.
    let has_issue = t.contains('期') && {
        let s = squeeze(t);
        s.find('年').is_some_and(|y| {
            s[..y].chars().rev().take(4).filter(char::is_ascii_digit).count() == 4
                && s[y..].starts_with("年第")
                && s.ends_with('期')
        })
    };
    let vol_no = (t.contains("Vol.") || t.contains("VOL.")) && (t.contains("No.") || t.contains("NO."));
    has_issue || vol_no
}

/// An all-capitals Latin line (`NORTHEAST ASIA FORUM`): a running head when it sits
/// next to a page number or an issue head.
fn is_caps_line(t: &str) -> bool {
    chars_at_most(t, 50)
        && t.chars().all(|c| c.is_ascii_uppercase() || c == ' ' || c == '.' || c == '&' || c == '-' || c == ',')
        && t.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 6
}

fn is_toc_line(t: &str) -> bool {
    let t = t.trim_end();
    let digits_len = t.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits_len == 0 || digits_len > 4 {
        return false;
    }
    let head = &t[..t.len() - digits_len];
    let before = head.trim_end_matches([' ', '\u{3000}', '\t']);
    let leaders = before.ends_with("...")
        || before.ends_with("…")
        || before.ends_with("···")
        || before.ends_with("．．")
        || before.ends_with("..");
    let tabbed = head.ends_with('\t') && !before.contains('\t');
    leaders || tabbed
}

fn is_caption(t: &str) -> bool {
    if !chars_at_most(t, 120) {
        return false;
    }
    let mut chars = t.chars();
    let first = chars.next();
    let starts_numbered = |prefix: &str| {
        t.strip_prefix(prefix).map(|r| r.trim_start()).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    (matches!(first, Some('图') | Some('表')) && (starts_numbered("图") || starts_numbered("表")))
        || starts_numbered("Figure")
        || starts_numbered("Fig.")
        || starts_numbered("Table")
        || t.starts_with("资料来源")
        || t.starts_with("数据来源")
        || t.starts_with("注：")
}

/// Finds the column a hard-wrapped text was wrapped at: the width most lines cluster
/// just below. None when lines are whole paragraphs of varying width.
fn wrap_width(infos: &[LineInfo]) -> Option<usize> {
    let mut hist = vec![0usize; MAX_WIDTH + 1];
    let mut n = 0usize;
    for info in infos {
        if matches!(info.class, Class::Text | Class::Abstract) && info.width >= 20 {
            hist[info.width.min(MAX_WIDTH)] += 1;
            n += 1;
        }
    }
    if n < 8 {
        return None;
    }
    let mut best = (0usize, 0usize);
    for w in (0..=MAX_WIDTH).filter(|&w| hist[w] > 0) {
        let count: usize = hist[w.saturating_sub(3)..=w].iter().sum();
        if count > best.1 || (count == best.1 && w > best.0) {
            best = (w, count);
        }
    }
    (best.0 >= 30 && best.1 * 10 >= n * 3).then_some(best.0)
}

fn classify(lines: &[Line<'_>]) -> Vec<LineInfo> {
    let mut infos: Vec<LineInfo> = Vec::with_capacity(lines.len());
    // Pass 1: per-line shape.
    for line in lines {
        let trimmed = line.raw.trim();
        let mut info = LineInfo {
            class: Class::Blank,
            text: String::new(),
            markers: Vec::new(),
            width: display_width(trimmed),
            page_no: None,
            in_front: false,
        };
        if trimmed.is_empty() {
            infos.push(info);
            continue;
        }
        if trimmed.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) && trimmed.len() >= 3 {
            info.class = Class::Drop;
            infos.push(info);
            continue;
        }
        if trimmed.starts_with("![") && trimmed.ends_with(')') {
            info.class = Class::Drop;
            infos.push(info);
            continue;
        }
        if let Some(n) = is_page_number(trimmed) {
            info.class = Class::Drop;
            info.page_no = Some(n);
            infos.push(info);
            continue;
        }
        let (md_level, body) = match markdown_heading(trimmed) {
            Some((l, rest)) => (Some(l), rest),
            None => (None, trimmed),
        };
        let bold = (body.starts_with("**") && body.ends_with("**") && body.len() > 4)
            || (body.starts_with("<b>") && body.ends_with("</b>") && !body[3..].contains("<b>"));
        let mut markers = Vec::new();
        let text = clean_line(body, &mut markers);
        if text.is_empty() {
            info.class = Class::Drop;
            infos.push(info);
            continue;
        }
        info.class = if is_issue_head(&text) {
            Class::Drop
        } else if let Some(m) = footnote_marker(body, &text) {
            Class::Footnote(m)
        } else if ["目录", "目次", "Contents", "CONTENTS", "目錄"].iter().any(|w| squeezes_to(&text, w, char::eq))
        {
            Class::TocTitle
        } else if is_toc_line(&text) {
            Class::Toc
        } else if starts_with_label(&text, ABSTRACT_LABELS).is_some() {
            Class::Abstract
        } else if starts_with_label(&text, KEYWORD_LABELS).is_some() {
            Class::Keywords
        } else if starts_with_label(&text, META_LABELS).is_some() && chars_at_most(&text, 120) {
            Class::Meta
        } else if text.contains('\t') {
            Class::Table
        } else if is_caption(&text) {
            Class::Caption
        } else if (text.starts_with("（责任编辑") || text.starts_with("(责任编辑") || text.starts_with("责任编辑"))
            && chars_at_most(&text, 30)
        {
            Class::Standalone
        } else {
            let limit = if md_level.is_some() { 60 } else { 40 };
            if heading_shaped(&text, limit)
                && REF_HEADINGS.iter().any(|h| squeezes_to(&text, h, char::eq_ignore_ascii_case))
            {
                Class::RefHeading(md_level.unwrap_or(3))
            } else if let Some(l) = pattern_level(&text).filter(|_| heading_shaped(&text, limit)) {
                Class::Heading(l)
            } else if let Some(l) = md_level.filter(|_| heading_shaped(&text, 80)) {
                Class::Heading(l)
            } else if heading_shaped(&text, 12) && KEYWORD_HEADINGS.iter().any(|h| squeezes_to(&text, h, char::eq)) {
                Class::Heading(md_level.unwrap_or(3))
            } else if bold && heading_shaped(&text, 40) {
                Class::Heading(6)
            } else {
                Class::Text
            }
        };
        info.text = text;
        info.markers = markers;
        infos.push(info);
    }

    // Pass 2: running heads — an all-capitals line next to a page number or issue head,
    // and a short line repeated three or more times through the document.
    let nonblank: Vec<usize> = (0..infos.len()).filter(|&i| infos[i].class != Class::Blank).collect();
    let drop_anchor: Vec<bool> = nonblank
        .iter()
        .map(|&i| {
            infos[i].class == Class::Drop
                && (infos[i].page_no.is_some() || !lines[i].raw.trim().starts_with(['-', '*', '_', '=']))
        })
        .collect();
    for (k, &i) in nonblank.iter().enumerate() {
        if infos[i].class == Class::Text && is_caps_line(&infos[i].text) {
            let lo = k.saturating_sub(2);
            let hi = (k + 2).min(nonblank.len() - 1);
            if (lo..=hi).any(|j| j != k && drop_anchor[j]) {
                infos[i].class = Class::Drop;
            }
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for info in &infos {
        if info.class == Class::Text {
            let short = chars_at_most(&info.text, 30) && info.text.chars().count() >= 4;
            if short && !ends_sentence(&info.text) {
                *counts.entry(info.text.as_str()).or_default() += 1;
            }
        }
    }
    let repeated: Vec<String> = counts.into_iter().filter(|&(_, c)| c >= 3).map(|(t, _)| t.to_string()).collect();
    if !repeated.is_empty() {
        for info in infos.iter_mut() {
            if info.class == Class::Text && repeated.contains(&info.text) {
                info.class = Class::Drop;
            }
        }
    }

    // Pass 3: the table of contents — everything after a 目录 title that looks like a
    // TOC entry, or is a short line followed by one (a chapter title above its subtitle).
    let mut in_toc = false;
    for k in 0..nonblank.len() {
        let i = nonblank[k];
        match infos[i].class {
            Class::TocTitle => in_toc = true,
            Class::Toc | Class::Drop => {}
            _ if in_toc => {
                let next_is_toc = nonblank[k + 1..]
                    .iter()
                    .filter(|&&j| infos[j].class != Class::Drop)
                    .take(2)
                    .any(|&j| infos[j].class == Class::Toc);
                if next_is_toc && chars_at_most(&infos[i].text, 60) {
                    infos[i].class = Class::Toc;
                } else {
                    in_toc = false;
                }
            }
            _ => {}
        }
    }

    // Pass 4: front matter — the title page, author lines, CIP data, anything before the
    // first abstract, keyword line, section heading, TOC or real paragraph. Whether the
    // text is a book is looked up only when a paragraph needs it: a heading often ends the
    // front matter first.
    let mut is_book: Option<bool> = None;
    let looks_like_book = |infos: &[LineInfo]| {
        infos
            .iter()
            .take(400)
            .any(|i| i.text.contains("ISBN") || i.text.contains("CIP") || i.text.contains("图书在版编目"))
    };
    let mut seen = 0usize;
    for &i in &nonblank {
        seen += 1;
        let info = &infos[i];
        let ends_front = match &info.class {
            Class::Abstract | Class::Keywords | Class::TocTitle | Class::Toc | Class::RefHeading(_) => true,
            Class::Heading(_) => {
                // A section heading ends the front matter; a Markdown `#` title does not.
                pattern_level(&info.text).is_some()
                    || KEYWORD_HEADINGS.iter().any(|h| squeezes_to(&info.text, h, char::eq))
                    || lines[i].raw.trim_start().starts_with("##")
            }
            Class::Text | Class::Standalone => {
                let is_book = *is_book.get_or_insert_with(|| looks_like_book(&infos));
                let n = info.text.chars().count();
                let punct = info.text.chars().filter(|c| matches!(c, '，' | '。' | ',' | '；')).count();
                // A real paragraph: long, with sentence punctuation. In a book, the CIP
                // page has longish lines, so ask for more.
                // Titles, author and affiliation lines never hold a full stop.
                (n >= if is_book { 100 } else { 60 } && punct >= 2)
                    || (!is_book && info.text.contains(['。', '！', '？']))
            }
            _ => false,
        };
        if ends_front || seen > 150 {
            break;
        }
        infos[i].in_front = true;
    }
    infos
}

// ---------------------------------------------------------------------------------------
// Blocks

struct Para {
    kind: BlockKind,
    text: String,
    start: usize,
    end: usize,
    markers: Vec<String>,
    section: Vec<String>,
    /// The last line joined was as wide as the wrap width (so it continues).
    last_full: bool,
    table: bool,
    /// Reference entries may continue on the next line in hard-wrapped texts.
    joinable: bool,
}

fn block_of(p: Para) -> Block {
    let marker = if p.markers.is_empty() { None } else { Some(p.markers.join(",")) };
    Block { kind: p.kind, text: p.text, section: p.section, range: p.start..p.end, page: None, marker }
}

/// Appends a line to a paragraph: Chinese to Chinese with nothing, Latin to Latin with
/// a space, a word hyphenated at the line end re-joined.
fn join_text(text: &mut String, next: &str) {
    let Some(last) = text.chars().next_back() else {
        text.push_str(next);
        return;
    };
    let Some(first) = next.chars().next() else {
        return;
    };
    if last == '⁃' || last == '\u{ad}' {
        // Soft/typographic hyphenation: the hyphen is not part of the word.
        text.pop();
        text.push_str(next);
        return;
    }
    if last == '-' && text.chars().rev().nth(1).is_some_and(|c| c.is_ascii_alphabetic()) && first.is_ascii_lowercase() {
        text.push_str(next);
        return;
    }
    let space = !is_cjk_like(last) && !is_cjk_like(first) && !last.is_whitespace() && !first.is_whitespace();
    if space {
        text.push(' ');
    }
    text.push_str(next);
}

fn assemble(lines: &[Line<'_>], infos: &[LineInfo]) -> Vec<Block> {
    let wrap = wrap_width(infos);
    let full_at = wrap.map(|w| w.saturating_sub(6));
    let mut blocks: Vec<Block> = Vec::new();
    let mut para: Option<Para> = None;
    let mut stack: Vec<(u8, String)> = Vec::new();
    let mut in_refs = false;
    let section_of = |stack: &Vec<(u8, String)>| stack.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>();

    let close = |para: &mut Option<Para>, blocks: &mut Vec<Block>| {
        if let Some(p) = para.take() {
            if !p.text.trim().is_empty() {
                blocks.push(block_of(p));
            }
        }
    };

    for (i, info) in infos.iter().enumerate() {
        let line = &lines[i];
        let is_full = |info: &LineInfo| full_at.is_some_and(|f| info.width >= f);
        let single = |kind: BlockKind, section: Vec<String>, marker: Option<String>| Block {
            kind,
            text: info.text.clone(),
            section,
            range: line.start..line.end,
            page: None,
            marker,
        };
        match &info.class {
            Class::Blank | Class::Drop => continue,
            Class::Footnote(m) => {
                // Moved out without closing the paragraph it interrupts.
                let kind = if in_refs && m != "作者" { BlockKind::Reference } else { BlockKind::Footnote };
                if kind == BlockKind::Reference {
                    close(&mut para, &mut blocks);
                    para = Some(Para {
                        kind,
                        text: info.text.clone(),
                        start: line.start,
                        end: line.end,
                        markers: vec![m.clone()],
                        section: section_of(&stack),
                        last_full: is_full(info),
                        table: false,
                        joinable: true,
                    });
                } else {
                    blocks.push(single(kind, section_of(&stack), Some(m.clone())));
                }
                continue;
            }
            _ => {}
        }
        if info.in_front {
            close(&mut para, &mut blocks);
            let kind = match info.class {
                Class::Toc | Class::TocTitle => BlockKind::Toc,
                _ => BlockKind::FrontMatter,
            };
            blocks.push(single(kind, Vec::new(), None));
            continue;
        }
        match &info.class {
            Class::Heading(level) | Class::RefHeading(level) => {
                close(&mut para, &mut blocks);
                in_refs = matches!(info.class, Class::RefHeading(_));
                while stack.last().is_some_and(|(l, _)| *l >= *level) {
                    stack.pop();
                }
                blocks.push(single(BlockKind::Heading, section_of(&stack), None));
                stack.push((*level, info.text.clone()));
            }
            Class::TocTitle | Class::Toc => {
                // The table of contents belongs to no section (it follows 前言 in books).
                close(&mut para, &mut blocks);
                stack.clear();
                blocks.push(single(BlockKind::Toc, Vec::new(), None));
            }
            Class::Meta => {
                close(&mut para, &mut blocks);
                blocks.push(single(BlockKind::FrontMatter, section_of(&stack), None));
            }
            Class::Caption | Class::Standalone => {
                close(&mut para, &mut blocks);
                let marker = (!info.markers.is_empty()).then(|| info.markers.join(","));
                blocks.push(single(BlockKind::Body, section_of(&stack), marker));
            }
            Class::Table => {
                if let Some(p) = para.as_mut().filter(|p| p.table) {
                    p.text.push('\n');
                    p.text.push_str(&info.text);
                    p.end = line.end;
                    continue;
                }
                close(&mut para, &mut blocks);
                para = Some(Para {
                    kind: BlockKind::Body,
                    text: info.text.clone(),
                    start: line.start,
                    end: line.end,
                    markers: info.markers.clone(),
                    section: section_of(&stack),
                    last_full: false,
                    table: true,
                    joinable: false,
                });
            }
            Class::Abstract | Class::Keywords | Class::Text => {
                let kind = match info.class {
                    Class::Abstract => BlockKind::Abstract,
                    Class::Keywords => BlockKind::Keywords,
                    _ if in_refs => BlockKind::Reference,
                    _ => BlockKind::Body,
                };
                let continues = info.class == Class::Text
                    && para.as_ref().is_some_and(|p| continues_paragraph(p, info, wrap.is_some()));
                if continues {
                    if let Some(p) = para.as_mut() {
                        join_text(&mut p.text, &info.text);
                        p.end = line.end;
                        p.last_full = is_full(info);
                        for m in &info.markers {
                            if !p.markers.contains(m) {
                                p.markers.push(m.clone());
                            }
                        }
                    }
                    continue;
                }
                close(&mut para, &mut blocks);
                para = Some(Para {
                    kind,
                    text: info.text.clone(),
                    start: line.start,
                    end: line.end,
                    markers: info.markers.clone(),
                    section: section_of(&stack),
                    last_full: is_full(info),
                    table: false,
                    joinable: kind != BlockKind::Keywords || wrap.is_some(),
                });
            }
            Class::Blank | Class::Drop | Class::Footnote(_) => {}
        }
    }
    close(&mut para, &mut blocks);

    for b in blocks.iter_mut() {
        if matches!(b.kind, BlockKind::Body | BlockKind::Abstract | BlockKind::Keywords) && is_mostly_latin(&b.text) {
            b.kind = BlockKind::English;
        }
    }
    // English blocks after the last Chinese passage are the journal's English abstracts
    // (often of other articles): they belong to no section of this text.
    if let Some(last_zh) = blocks.iter().rposition(|b| matches!(b.kind, BlockKind::Body | BlockKind::Heading)) {
        for b in blocks.iter_mut().skip(last_zh + 1) {
            if b.kind == BlockKind::English {
                b.section.clear();
            }
        }
    }
    // Footnotes were emitted while the paragraph they interrupt was still open: put
    // every block back in source order.
    blocks.sort_by_key(|b| b.range.start);
    blocks
}

/// Whether the line `next` continues the open paragraph `p`.
fn continues_paragraph(p: &Para, next: &LineInfo, wrapped: bool) -> bool {
    if p.table || !p.joinable {
        return false;
    }
    if !matches!(p.kind, BlockKind::Body | BlockKind::Abstract | BlockKind::Keywords | BlockKind::Reference) {
        return false;
    }
    if p.kind == BlockKind::Reference {
        // A reference entry continues only on a wrapped line that is not a new entry.
        return wrapped && p.last_full;
    }
    if p.kind == BlockKind::Keywords {
        // A keyword list wraps only after a separator or a hyphenated word.
        let last = p.text.chars().next_back().unwrap_or('。');
        return wrapped && p.last_full && matches!(last, '；' | ';' | '，' | ',' | '⁃' | '-' | '、');
    }
    let last = p.text.chars().next_back().unwrap_or('。');
    let first = next.text.chars().next().unwrap_or(' ');
    if last == '⁃' || last == '\u{ad}' {
        return true;
    }
    if wrapped && p.last_full {
        return true;
    }
    if ends_sentence(&p.text) {
        return false;
    }
    // The Latin tests scan whole texts, so they come last, where they decide.
    if !wrapped && is_mostly_latin(&next.text) {
        if is_cjk_like(last) || !is_mostly_latin(&p.text) {
            // A Chinese paragraph does not continue into an English one (trailing abstracts).
            return false;
        }
        // Separate English lines in a blank-line text are separate paragraphs unless the
        // next one plainly continues a sentence.
        return first.is_ascii_lowercase() || last == ',' || last == '-';
    }
    true
}

/// Gives each block its page: from `page_starts` when ingest knew them, else from the
/// page numbers printed in the text, where two consecutive numbers (n, n+1) bracket the
/// block (a lone number does not say where its page began).
fn assign_pages(blocks: &mut [Block], lines: &[Line<'_>], infos: &[LineInfo], page_starts: &[usize]) {
    if !page_starts.is_empty() {
        for b in blocks.iter_mut() {
            let idx = page_starts.partition_point(|&s| s <= b.range.start);
            b.page = Some(idx.max(1) as u32);
        }
        return;
    }
    let marks: Vec<(usize, u32)> =
        infos.iter().zip(lines).filter_map(|(info, line)| info.page_no.map(|n| (line.start, n))).collect();
    if marks.len() < 2 {
        return;
    }
    for b in blocks.iter_mut() {
        let k = marks.partition_point(|&(off, _)| off < b.range.start);
        if k >= 1 && k < marks.len() && marks[k].1 == marks[k - 1].1 + 1 {
            b.page = Some(marks[k].1);
        }
    }
}
