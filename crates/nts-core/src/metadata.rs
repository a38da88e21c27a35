//! Bibliographic metadata: read from a `<file>.meta.json` sidecar written by the scholar
//! (or shipped with the bundled corpus), read off the text itself when there is none
//! (title, authors, year, venue, DOI, abstract, keywords, CIP data of books), merged with
//! the sidecar winning, and formatted as a GB/T 7714-2015 reference. Reading off the text
//! is conservative: a field it cannot find with confidence stays empty rather than
//! guessed, because a wrong year in a citation is worse than a missing one.

use crate::error::{Error, InputErrorKind, Result};
use crate::model::{BlockKind, DocKind, Metadata};
use crate::normalise::{chars_at_most, count_bytes, is_han, is_space, normalise, starts_with_label};
use std::path::{Path, PathBuf};

/// `<file>.meta.json` next to the file: `000_x.txt` → `000_x.txt.meta.json`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".meta.json");
    path.with_file_name(name)
}

/// Reads the sidecar of `path` if there is one. A sidecar that is not valid JSON (or
/// does not fit the metadata shape) is a `Damaged` input error naming the sidecar.
pub fn read_sidecar(path: &Path) -> Result<Option<Metadata>> {
    let sidecar = sidecar_path(path);
    let bytes = match std::fs::read(&sidecar) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::input(&sidecar, InputErrorKind::Unreadable(e.to_string()))),
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    serde_json::from_str::<Metadata>(text).map(Some).map_err(|e| {
        Error::input(
            &sidecar,
            InputErrorKind::Damaged("metadata sidecar (JSON)", format!("{e}; fix or delete the sidecar")),
        )
    })
}

/// Sidecar fields win whenever they are non-empty; the text fills the gaps. A sidecar
/// `kind` of `article` (the default, so indistinguishable from "not given") yields to
/// the text's finding.
pub fn merge(sidecar: Option<Metadata>, from_text: Metadata) -> Metadata {
    let Some(s) = sidecar else { return from_text };
    let t = from_text;
    let pick = |a: String, b: String| if a.trim().is_empty() { b } else { a };
    Metadata {
        title: pick(s.title, t.title),
        authors: if s.authors.is_empty() { t.authors } else { s.authors },
        year: s.year.or(t.year),
        venue: pick(s.venue, t.venue),
        publisher: pick(s.publisher, t.publisher),
        kind: if s.kind != DocKind::default() { s.kind } else { t.kind },
        language: pick(s.language, t.language),
        doi: pick(s.doi, t.doi),
        abstract_text: pick(s.abstract_text, t.abstract_text),
        keywords: if s.keywords.is_empty() { t.keywords } else { s.keywords },
        volume: pick(s.volume, t.volume),
        issue: pick(s.issue, t.issue),
        pages: pick(s.pages, t.pages),
        place: pick(s.place, t.place),
        isbn: pick(s.isbn, t.isbn),
    }
}

/// The lines of the text's head, markup stripped, with their kind as normalise saw them.
fn strip_markup(line: &str) -> &str {
    let mut t = line.trim().trim_start_matches('#').trim();
    for (open, close) in [("**", "**"), ("<b>", "</b>")] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            t = inner.trim();
        }
    }
    t
}

/// Removes spaces between two Han characters: titles split over two lines come out of
/// extraction as `非传统安全犯罪 治理问题研究`.
fn join_han_spaces(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().next_back();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_some_and(is_han) && next.is_some_and(|&n| is_han(n)) {
                continue;
            }
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "en" when Latin letters outnumber Han characters ten to one, else "zh". Latin letters
/// are ASCII bytes, counted in one fast pass; Han characters only until there are enough.
fn language(text: &str) -> &'static str {
    let latin = count_bytes(text, |b| b.is_ascii_alphabetic());
    let mut chars = text.chars();
    let mut han = 0usize;
    while han * 10 < latin {
        match chars.next() {
            Some(c) => han += usize::from(is_han(c)),
            None => return "en",
        }
    }
    "zh"
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|&c| is_han(c)).count()
}

/// Whether `s` holds fewer than `n` Han characters (counting stops at `n`).
fn han_fewer_than(s: &str, n: usize) -> bool {
    s.chars().filter(|&c| is_han(c)).take(n).count() < n
}

/// Splits an author line (`程 铭 刘雪莲`, `■ 贾慧智`, `王君祥◎著`, `周霞, 谷莹`) into
/// names; None when the line does not look like one.
fn parse_authors(line: &str) -> Option<Vec<String>> {
    let mut t = line.trim().trim_start_matches(['■', '□', '●', '◆', '▲', '★']).trim();
    for label in ["作者：", "作者:", "著者/", "著者：", "文/"] {
        if let Some(r) = t.strip_prefix(label) {
            t = r.trim();
        }
    }
    for suffix in ["◎著", "◎ 著", "◎编著", "◎主编", "编著", "主编", "等著", "著", "◎"] {
        if let Some(r) = t.strip_suffix(suffix) {
            t = r.trim();
            break;
        }
    }
    if t.is_empty() || t.chars().count() > 30 {
        return None;
    }
    if ["大学", "学院", "研究", "摘要", "出版", "项目", "中心", "：", "。", "《"].iter().any(|w| t.contains(w))
    {
        return None;
    }
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '，' | ',' | '、' | '；' | ';' | '·'))
        .filter(|s| !s.is_empty())
        .collect();
    if tokens.is_empty() || !tokens.iter().all(|tok| tok.chars().all(is_han)) {
        return None;
    }
    // Names printed with a space between the characters (`程 铭`) are re-joined: a
    // one-character token starts or extends a name of at most three characters.
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut name = tokens[i].to_string();
        i += 1;
        while i < tokens.len()
            && (name.chars().count() < 2 || (tokens[i].chars().count() == 1 && name.chars().count() < 3))
        {
            name.push_str(tokens[i]);
            i += 1;
        }
        names.push(name);
    }
    if names.iter().all(|n| (2..=4).contains(&n.chars().count())) {
        Some(names)
    } else {
        None
    }
}

/// `东北亚论坛 2020 年第 2 期` → ("东北亚论坛", 2020, "2").
fn parse_issue_line(line: &str) -> Option<(String, i32, String)> {
    // Lines too long, holding 。，《 or without 期 are turned away before the squeezed
    // copy is built.
    let mut n = 0;
    let mut has_issue_char = false;
    for c in line.chars().filter(|&c| !is_space(c)) {
        n += 1;
        if n > 30 || matches!(c, '。' | '，' | '《') {
            return None;
        }
        has_issue_char |= c == '期';
    }
    if !has_issue_char {
        return None;
    }
    let s: String = line.chars().filter(|&c| !is_space(c)).collect();
    let y = s.find("年第")?;
    let head = &s[..y];
    let digits: String =
        head.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    if digits.len() != 4 {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    let venue = head[..head.len() - 4].trim_matches(['《', '》', ' ']).to_string();
    let rest = &s[y + "年第".len()..];
    let issue: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if issue.is_empty() || !rest[issue.len()..].starts_with('期') {
        return None;
    }
    Some((venue, year, issue))
}

fn plausible_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

/// The first plausible four-digit year in `s`.
fn first_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
        {
            if let Some(y) = s.get(i..i + 4).and_then(|d| d.parse().ok()).filter(|&y| plausible_year(y)) {
                return Some(y);
            }
        }
        i += 1;
    }
    None
}

fn after_label<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    let at = starts_with_label(text, labels)?;
    Some(text[at..].trim_start_matches(['：', ':', '］', '】', ']', '〕', ')', '）', ' ', '\u{3000}', '\t']).trim())
}

/// Reads what the text itself prints about the document. Fields it cannot find with
/// confidence stay empty; the title falls back to `file_stem`.
pub fn from_text(text: &str, file_stem: &str) -> Metadata {
    from_blocks(text, file_stem, &normalise(text, &[]))
}

/// [`from_text`] for a text already normalised into `blocks` (the indexer has them, and
/// normalising twice would double the cost of that stage).
pub fn from_blocks(text: &str, file_stem: &str, blocks: &[crate::model::Block]) -> Metadata {
    let mut m = Metadata::default();
    // The lines are split once for the several searches below.
    let lines: Vec<&str> = text.lines().collect();
    let stripped: Vec<&str> = lines.iter().take(400).map(|l| strip_markup(l)).collect();
    let head: Vec<&str> = stripped.iter().copied().filter(|l| !l.is_empty()).collect();

    m.language = language(text).to_string();

    let is_book = head.iter().any(|l| l.contains("ISBN") || l.contains("图书在版编目") || l.contains("CIP"));
    m.kind = if is_book { DocKind::Book } else { DocKind::Article };

    // Book: the CIP block, `书名 / 作者著 . —地点：` then `出版者，年`.
    if is_book {
        if let Some(i) = head.iter().position(|l| l.contains("图书在版编目") || l.contains("CIP") && l.contains("数据"))
        {
            let cip: String = head[i + 1..head.len().min(i + 4)].concat();
            if let Some((title, rest)) = cip.split_once(" / ").or_else(|| cip.split_once('/')) {
                m.title = join_han_spaces(title.trim());
                let author_part = rest.split(['.', '．', '—']).next().unwrap_or("").trim();
                if let Some(names) = parse_authors(author_part) {
                    m.authors = names;
                }
                if let Some(dash) = rest.find('—') {
                    let after = &rest[dash + '—'.len_utf8()..];
                    if let Some((place, pub_year)) = after.split_once(['：', ':']) {
                        m.place = place.trim().to_string();
                        let (publisher, year) = pub_year.split_once(['，', ',']).unwrap_or((pub_year, ""));
                        m.publisher = publisher.trim().to_string();
                        m.year = first_year(year);
                    }
                }
            }
        }
        if let Some(isbn) = head.iter().find_map(|l| l.find("ISBN").map(|i| &l[i + 4..])) {
            let isbn: String = isbn.chars().filter(|c| c.is_ascii_digit() || *c == '-' || *c == 'X').collect();
            if isbn.chars().filter(char::is_ascii_digit).count() >= 10 {
                m.isbn = isbn;
            }
        }
        if m.publisher.is_empty() {
            if let Some(p) = head.iter().find(|l| l.ends_with("出版社") && l.chars().count() <= 20) {
                m.publisher = p.to_string();
            }
        }
        if m.authors.is_empty() {
            if let Some(names) = head.iter().filter(|l| l.contains('著')).find_map(|l| parse_authors(l)) {
                m.authors = names;
            }
        }
        if m.year.is_none() {
            m.year = head.iter().find(|l| l.starts_with("版次")).and_then(|l| first_year(l));
        }
    }

    // Title and the author line under it (articles, and books without CIP data).
    if m.title.is_empty() {
        // Cheap, bounded tests first.
        let skip = |l: &str| {
            !chars_at_most(l, 60)
                || l.ends_with('。')
                || han_fewer_than(l, 4)
                || parse_issue_line(l).is_some()
                || l.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
                || l.contains("基金项目")
                || l.contains("项目批准号")
                || starts_with_label(l, &["DOI", "摘要", "内容提要", "关键词"]).is_some()
        };
        if let Some(i) = head.iter().position(|l| !skip(l)) {
            let mut title = head[i].to_string();
            let mut next = i + 1;
            // A title broken after a colon or before a dash continues on the next line.
            if let Some(n) = head.get(next) {
                let continues = (title.ends_with(['：', ':']) || title.ends_with("——")) || n.starts_with("——");
                if continues && parse_authors(n).is_none() && n.chars().count() <= 40 {
                    title.push_str(n);
                    next += 1;
                }
            }
            m.title = join_han_spaces(&title);
            if m.authors.is_empty() {
                if let Some(names) = head[next..head.len().min(next + 3)].iter().find_map(|l| parse_authors(l)) {
                    m.authors = names;
                }
            }
        }
    }
    if m.authors.is_empty() {
        // `作者简介：陈积敏，…` / `作者：王某，…`
        let author_note = lines.iter().map(|l| l.trim()).find_map(|l| after_label(l, &["作者简介", "作者"]));
        if let Some(note) = author_note {
            let name: String = note.chars().take_while(|&c| is_han(c)).collect();
            if (2..=4).contains(&name.chars().count()) {
                m.authors = vec![name];
            }
        }
    }

    // Venue, year and issue from a running head or masthead line.
    if m.venue.is_empty() {
        if let Some((venue, year, issue)) = lines.iter().take(5000).find_map(|l| parse_issue_line(l)) {
            if han_count(&venue) >= 2 {
                m.venue = venue;
            }
            m.year = m.year.or(Some(year));
            m.issue = issue;
        }
    }

    for line in stripped.iter().take(200) {
        if let Some(doi) = after_label(line, &["DOI"]) {
            let doi: String = doi.chars().take_while(|c| !c.is_whitespace()).collect();
            if doi.starts_with("10.") {
                m.doi = doi;
                break;
            }
        }
    }

    // Abstract and keywords as normalise joined them.
    if let Some(b) = blocks.iter().find(|b| b.kind == BlockKind::Abstract) {
        if let Some(a) = after_label(&b.text, &["摘要", "内容提要", "内容摘要", "提要"]) {
            m.abstract_text = a.to_string();
        }
    }
    if let Some(b) = blocks.iter().find(|b| b.kind == BlockKind::Keywords) {
        if let Some(k) = after_label(&b.text, &["关键词", "关键字", "主题词"]) {
            let seps: &[char] = if k.contains(['；', ';', '，', ',', '|', '、']) {
                &['；', ';', '，', ',', '|', '、']
            } else {
                &[' ', '\u{3000}']
            };
            m.keywords = k
                .split(seps)
                .map(|s| s.trim().trim_end_matches(['。', '.']).to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }

    if m.title.is_empty() {
        m.title = file_stem.to_string();
    }
    m
}

/// A GB/T 7714-2015 reference: article `作者. 题名[J]. 刊名, 年, 卷(期): 页码.`, book
/// `作者. 书名[M]. 出版地: 出版者, 年.`; at most three authors, then `, 等`; the DOI
/// appended as `. DOI: …`. Missing parts are left out with their punctuation.
pub fn citation_gbt7714(m: &Metadata) -> String {
    let mut out = String::new();
    if !m.authors.is_empty() {
        let shown: Vec<&str> = m.authors.iter().take(3).map(String::as_str).collect();
        out.push_str(&shown.join(", "));
        if m.authors.len() > 3 {
            let latin = m.authors.iter().all(|a| a.chars().all(|c| !is_han(c)));
            out.push_str(if latin { ", et al" } else { ", 等" });
        }
        out.push_str(". ");
    }
    let code = match m.kind {
        DocKind::Article => "J",
        DocKind::Book | DocKind::Chapter => "M",
        DocKind::Thesis => "D",
        DocKind::Report => "R",
        DocKind::Other => "Z",
    };
    out.push_str(m.title.trim());
    out.push_str(&format!("[{code}]"));
    let year = m.year.map(|y| y.to_string()).unwrap_or_default();
    match m.kind {
        DocKind::Article => {
            let mut parts = Vec::new();
            if !m.venue.is_empty() {
                parts.push(m.venue.clone());
            }
            let mut when = year.clone();
            if !m.volume.is_empty() {
                if !when.is_empty() {
                    when.push_str(", ");
                }
                when.push_str(&m.volume);
            }
            if !m.issue.is_empty() {
                when.push_str(&format!("({})", m.issue));
            }
            if !when.is_empty() {
                parts.push(when);
            }
            if !parts.is_empty() {
                out.push_str(". ");
                out.push_str(&parts.join(", "));
            }
            if !m.pages.is_empty() {
                out.push_str(": ");
                out.push_str(&m.pages);
            }
        }
        _ => {
            let mut imprint = String::new();
            if !m.place.is_empty() {
                imprint.push_str(&m.place);
                if !m.publisher.is_empty() {
                    imprint.push_str(": ");
                }
            }
            imprint.push_str(&m.publisher);
            if !year.is_empty() {
                if !imprint.is_empty() {
                    imprint.push_str(", ");
                }
                imprint.push_str(&year);
            }
            if !imprint.is_empty() {
                out.push_str(". ");
                out.push_str(&imprint);
            }
            if !m.pages.is_empty() {
                out.push_str(": ");
                out.push_str(&m.pages);
            }
        }
    }
    out.push('.');
    if !m.doi.is_empty() {
        out.push_str(" DOI: ");
        out.push_str(&m.doi);
    }
    out
}
