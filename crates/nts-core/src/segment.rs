//! Segmentation: how Chinese (and Latin) text becomes index and query tokens.
//!
//! Two goals pull against each other (NOTES-search): domain terms must stay whole
//! (国际执法安全合作 is one concept, and a whole-term match should rank first), yet a
//! scholar typing 执法合作 must still find it. So each *coarse* token (jieba with the NTS
//! thesaurus in its dictionary, HMM off) is laid on a *fine* grid of positions: its
//! sub-words as the plain dictionary would cut it (国际/执法/安全/合作) take consecutive
//! positions, and the whole term plus every dictionary word spanning several fine tokens
//! (执法安全, 安全合作 …) is emitted at the position of its first fine token. Phrases are
//! then matched on fine positions; whole terms and sub-words both match.
//!
//! Folding (繁→简, case, full width → ASCII) happens here, never in stored text, and maps
//! one char to one char so offsets into the folded text are offsets into the original.

use crate::thesaurus::Thesaurus;
use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use std::sync::{Arc, LazyLock};

/// Folds a string for matching: traditional → simplified (Taiwan usage), ASCII letters
/// lowercased, full-width forms to ASCII, ideographic space to space. Keeps the number of
/// chars, so char offsets found in the folded text hold in the original.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(fold_char(c));
    }
    out
}

/// Folds one char (see [`fold`]).
pub fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{0}'..='\u{7f}' => c,
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => {
            let a = char::from_u32(c as u32 - 0xfee0).unwrap_or(c);
            a.to_ascii_lowercase()
        }
        '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' => T2S[(c as u32 - 0x3400) as usize],
        _ => c,
    }
}

/// Per-character traditional → simplified table over the CJK blocks, built once from
/// hanconv's Taiwan dictionary. Character-level (not phrase-level) so folding stays
/// length-preserving; it is applied alike to texts and queries, so matching is consistent.
static T2S: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut table = Vec::with_capacity(0xfb00 - 0x3400);
    for u in 0x3400u32..0xfb00 {
        let c = char::from_u32(u).unwrap_or(' ');
        let mapped = if (0xa000..0xf900).contains(&u) {
            c
        } else {
            let s = hanconv::tw2s(c.to_string());
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(m), None) => m,
                _ => c,
            }
        };
        table.push(mapped);
    }
    table
});

/// A token with char offsets into the (folded) text and a position on the fine grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    /// Folded token text.
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// jieba with the thesaurus loaded, plus each multi-word term's fine decomposition.
pub struct Segmenter {
    jieba: Jieba,
    /// Folded term → its fine sub-words (as the dictionary without that term cuts it).
    fine: FxHashMap<String, Vec<String>>,
}

static BUILTIN: LazyLock<Arc<Segmenter>> = LazyLock::new(|| Arc::new(Segmenter::new(Thesaurus::builtin())));

impl Segmenter {
    /// The segmenter over the built-in thesaurus, loaded once per process.
    pub fn builtin() -> Arc<Segmenter> {
        BUILTIN.clone()
    }

    /// Builds a segmenter whose dictionary holds jieba's default dictionary and every
    /// name of every thesaurus entry (folded), each with its explicit frequency.
    pub fn new(thesaurus: &Thesaurus) -> Segmenter {
        let mut jieba = Jieba::new();
        let mut words: Vec<(String, usize)> = Vec::new();
        for e in thesaurus.entries() {
            for form in e.surface_forms() {
                let f = fold(form);
                // Latin names are matched word by word; only CJK forms go into jieba.
                if f.chars().any(is_cjk) && !f.contains(char::is_whitespace) {
                    words.push((f, e.freq as usize));
                }
            }
        }
        // Decompose every term with the dictionary as it stands before any domain term is
        // added, so sub-words are the ordinary words a scholar would type.
        let mut fine = FxHashMap::default();
        for (w, _) in &words {
            let parts: Vec<String> = jieba.cut(w, false).into_iter().map(|t| t.word.to_string()).collect();
            if parts.len() > 1 {
                fine.insert(w.clone(), parts);
            }
        }
        for (w, f) in &words {
            jieba.add_word(w, Some((*f).max(1)), None);
        }
        Segmenter { jieba, fine }
    }

    /// Adds the scholar's own terms (already folded or not) to the dictionary.
    pub fn add_terms<'a>(&mut self, terms: impl IntoIterator<Item = (&'a str, u32)>) {
        for (t, f) in terms {
            let w = fold(t);
            if !w.chars().any(is_cjk) || self.jieba.has_word(&w) {
                continue;
            }
            let parts: Vec<String> = self.jieba.cut(&w, false).into_iter().map(|t| t.word.to_string()).collect();
            if parts.len() > 1 {
                self.fine.insert(w.clone(), parts);
            }
            self.jieba.add_word(&w, Some(f.max(1) as usize), None);
        }
    }

    pub fn has_word(&self, folded: &str) -> bool {
        self.jieba.has_word(folded)
    }

    /// The coarse cut of already-folded text (domain terms whole), punctuation dropped.
    /// Char offsets; positions count coarse tokens.
    pub fn cut_folded(&self, folded: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut pos = 0;
        for t in self.jieba.cut(folded, false) {
            if !is_word(t.word) {
                if !t.word.trim().is_empty() {
                    pos += 1;
                }
                continue;
            }
            out.push(Tok { text: t.word.to_string(), start: t.start, end: t.end, position: pos });
            pos += 1;
        }
        out
    }

    /// The coarse cut of `text` (folds it first): what `nts segment` shows.
    pub fn cut(&self, text: &str) -> Vec<Tok> {
        self.cut_folded(&fold(text))
    }

    /// The fine sub-words of a folded coarse token (itself when it has none).
    pub fn fine_of<'a>(&'a self, word: &'a str) -> Vec<&'a str> {
        match self.fine.get(word) {
            Some(parts) => parts.iter().map(String::as_str).collect(),
            None => vec![word],
        }
    }

    /// Index-mode tokens of `text`: every coarse token, its fine sub-words on consecutive
    /// positions, dictionary words spanning several sub-words, and two-char dictionary words
    /// inside long sub-words. Char offsets; positions on the fine grid; a punctuation run
    /// advances the position so phrases do not match across it.
    pub fn index_tokens(&self, text: &str) -> Vec<Tok> {
        let folded = fold(text);
        let mut spans = Vec::new();
        self.index_spans(&folded, &mut spans);
        spans
            .into_iter()
            .map(|s| Tok {
                text: folded[s.bytes.clone()].to_string(),
                start: s.start,
                end: s.end,
                position: s.position,
            })
            .collect()
    }

    /// [`Segmenter::index_tokens`] of already-folded text as spans of it, appended to `out`.
    /// Every index token is a substring of the folded text, so none is allocated here.
    pub fn index_spans(&self, folded: &str, out: &mut Vec<Span>) {
        let mut pos = 0usize;
        let mut gap = false;
        for t in self.jieba.cut(folded, false) {
            if !is_word(t.word) {
                if !t.word.trim().is_empty() {
                    gap = true;
                }
                continue;
            }
            if gap {
                pos += 1;
                gap = false;
            }
            // Most tokens are ordinary words with no fine parts.
            let Some(parts) = self.fine.get(t.word) else {
                self.push_with_subwords(out, t.word, t.byte_start, t.start, pos);
                pos += 1;
                continue;
            };
            out.push(Span { bytes: t.byte_start..t.byte_end, start: t.start, end: t.end, position: pos });
            // Byte and char start of each fine part inside the coarse token, plus its end.
            let mut bounds = Vec::with_capacity(parts.len() + 1);
            let (mut b, mut c) = (t.byte_start, t.start);
            for p in parts {
                bounds.push((b, c));
                b += p.len();
                c += p.chars().count();
            }
            bounds.push((b, c));
            for (i, p) in parts.iter().enumerate() {
                if is_word(p) {
                    self.push_with_subwords(out, p, bounds[i].0, bounds[i].1, pos + i);
                }
                // Words spanning parts i..=j (not the whole token, emitted above).
                for j in i + 1..parts.len() {
                    if (i, j + 1) == (0, parts.len()) || bounds[j + 1].1 - bounds[i].1 > 12 {
                        break;
                    }
                    let span = &folded[bounds[i].0..bounds[j + 1].0];
                    if self.jieba.has_word(span) {
                        out.push(Span {
                            bytes: bounds[i].0..bounds[j + 1].0,
                            start: bounds[i].1,
                            end: bounds[j + 1].1,
                            position: pos + i,
                        });
                    }
                }
            }
            pos += parts.len();
        }
    }

    /// Pushes a fine token (at byte `byte` and char `start` of the folded text) and, when it
    /// has three or more CJK chars, the two-char dictionary words inside it (刑警 inside
    /// 国际刑警), all at one position.
    fn push_with_subwords(&self, out: &mut Vec<Span>, word: &str, byte: usize, start: usize, pos: usize) {
        let n = word.chars().count();
        out.push(Span { bytes: byte..byte + word.len(), start, end: start + n, position: pos });
        if n >= 3 && word.chars().all(is_cjk) {
            // Byte boundaries a < b < c of consecutive chars: the window is word[a..c].
            let mut ends = word.char_indices().map(|(i, _)| i).skip(1).chain([word.len()]);
            let (mut a, mut b) = (0, ends.next().unwrap_or(word.len()));
            for (i, c) in ends.enumerate() {
                if self.jieba.has_word(&word[a..c]) {
                    out.push(Span { bytes: byte + a..byte + c, start: start + i, end: start + i + 2, position: pos });
                }
                (a, b) = (b, c);
            }
        }
    }
}

/// An index token as a span of the folded text it was cut from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the token's text in the folded text.
    pub bytes: std::ops::Range<usize>,
    /// Char offsets (the same in the folded and the original text).
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// True for CJK ideographs.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// A token worth indexing: it contains a letter, digit or ideograph.
pub fn is_word(s: &str) -> bool {
    // Ideographs and ASCII first: `char::is_alphanumeric` is a slow table look-up for CJK.
    s.chars().any(|c| is_cjk(c) || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()))
}

/// tantivy tokenizer over a shared [`Segmenter`] (index mode). Cloning is an `Arc` bump
/// plus empty buffers: tantivy clones tokenizers per query and per segment writer
/// (NOTES-search), and each clone reuses its buffers for every text it tokenizes.
pub struct IndexTokenizer {
    pub seg: Arc<Segmenter>,
    buffers: TokenBuffers,
}

impl IndexTokenizer {
    pub fn new(seg: Arc<Segmenter>) -> IndexTokenizer {
        IndexTokenizer { seg, buffers: TokenBuffers::default() }
    }
}

impl Clone for IndexTokenizer {
    fn clone(&self) -> Self {
        IndexTokenizer::new(self.seg.clone())
    }
}

/// The folded text, its spans, the original byte offset of each char, and the one token
/// handed to tantivy, whose text is overwritten at each step.
#[derive(Default)]
struct TokenBuffers {
    folded: String,
    spans: Vec<Span>,
    byte_at: Vec<usize>,
    token: tantivy::tokenizer::Token,
}

pub struct SpanTokenStream<'a> {
    b: &'a mut TokenBuffers,
    next: usize,
}

impl tantivy::tokenizer::Tokenizer for IndexTokenizer {
    type TokenStream<'a> = SpanTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream<'a> {
        let b = &mut self.buffers;
        b.folded.clear();
        b.spans.clear();
        b.byte_at.clear();
        // Fold, noting where each char starts in the original: tantivy offsets are bytes
        // of the original text, and folding may change a char's byte length.
        for (i, c) in text.char_indices() {
            b.byte_at.push(i);
            b.folded.push(fold_char(c));
        }
        b.byte_at.push(text.len());
        self.seg.index_spans(&b.folded, &mut b.spans);
        SpanTokenStream { b, next: 0 }
    }
}

impl tantivy::tokenizer::TokenStream for SpanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(s) = self.b.spans.get(self.next) else { return false };
        let t = &mut self.b.token;
        t.text.clear();
        t.text.push_str(&self.b.folded[s.bytes.clone()]);
        t.offset_from = self.b.byte_at[s.start];
        t.offset_to = self.b.byte_at[s.end];
        t.position = s.position;
        t.position_length = 1;
        self.next += 1;
        true
    }
    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.b.token
    }
    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.b.token
    }
}
