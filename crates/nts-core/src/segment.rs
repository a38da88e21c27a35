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
use std::collections::HashMap;
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
    fine: HashMap<String, Vec<String>>,
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
        let mut fine = HashMap::new();
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
        let mut out = Vec::with_capacity(folded.len() / 3);
        let mut pos = 0usize;
        let mut gap = false;
        for t in self.jieba.cut(&folded, false) {
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
            // Most tokens are ordinary words with no fine parts: no allocation for them.
            let Some(fine) = self.fine.get(t.word) else {
                self.push_with_subwords(&mut out, t.word, t.start, pos);
                pos += 1;
                continue;
            };
            let parts: Vec<&str> = fine.iter().map(String::as_str).collect();
            // Char start of each fine part inside the coarse token.
            let mut starts = Vec::with_capacity(parts.len() + 1);
            let mut s = t.start;
            for p in &parts {
                starts.push(s);
                s += p.chars().count();
            }
            starts.push(s);
            out.push(Tok { text: t.word.to_string(), start: t.start, end: t.end, position: pos });
            for (i, p) in parts.iter().enumerate() {
                if is_word(p) {
                    self.push_with_subwords(&mut out, p, starts[i], pos + i);
                }
                // Words spanning parts i..j (not the whole token, emitted above).
                let mut span = String::from(*p);
                for j in i + 1..parts.len() {
                    span.push_str(parts[j]);
                    if (i, j + 1) == (0, parts.len()) || span.chars().count() > 12 {
                        break;
                    }
                    if self.jieba.has_word(&span) {
                        out.push(Tok { text: span.clone(), start: starts[i], end: starts[j + 1], position: pos + i });
                    }
                }
            }
            pos += parts.len();
        }
        out
    }

    /// Pushes a fine token and, when it has three or more CJK chars, the two-char
    /// dictionary words inside it (刑警 inside 国际刑警), all at one position.
    fn push_with_subwords(&self, out: &mut Vec<Tok>, word: &str, start: usize, pos: usize) {
        let n = word.chars().count();
        out.push(Tok { text: word.to_string(), start, end: start + n, position: pos });
        if n >= 3 && word.chars().all(is_cjk) {
            // Byte offsets of each char, to slice two-char windows without allocating.
            let bounds: Vec<usize> = word.char_indices().map(|(b, _)| b).chain([word.len()]).collect();
            for i in 0..n - 1 {
                let bi = &word[bounds[i]..bounds[i + 2]];
                if self.jieba.has_word(bi) {
                    out.push(Tok { text: bi.to_string(), start: start + i, end: start + i + 2, position: pos });
                }
            }
        }
    }
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

/// tantivy tokenizer over a shared [`Segmenter`] (index mode). Cloning is an `Arc` bump:
/// tantivy clones tokenizers per query and per segment writer (NOTES-search).
#[derive(Clone)]
pub struct IndexTokenizer {
    pub seg: Arc<Segmenter>,
}

pub struct VecTokenStream {
    tokens: Vec<tantivy::tokenizer::Token>,
    next: usize,
}

impl tantivy::tokenizer::Tokenizer for IndexTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        // tantivy offsets are bytes: map char offsets through the original text.
        let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_at.push(text.len());
        let tokens = self
            .seg
            .index_tokens(text)
            .into_iter()
            .map(|t| tantivy::tokenizer::Token {
                offset_from: byte_at[t.start.min(byte_at.len() - 1)],
                offset_to: byte_at[t.end.min(byte_at.len() - 1)],
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

impl tantivy::tokenizer::TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.next - 1]
    }
}
