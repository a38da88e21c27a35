//! Full-text search: the tantivy index (one tantivy document per passage), our own query
//! language for Chinese, and highlighting.
//!
//! tantivy's `QueryParser` turns a run of Chinese into one exact phrase (NOTES-search:
//! 执法合作 then finds 11% of what it should), so queries are parsed and built here:
//! words are ANDed token by token, a whole-term match is boosted over a sub-word match,
//! phrase proximity only raises the score, `"quotes"` ask for an exact phrase, thesaurus
//! aliases are expanded (国际刑警 ⇄ 国际刑警组织 ⇄ INTERPOL), and `AND`/`OR`/`NOT`/`-x`,
//! parentheses, `title:`, `author:`, `year:2017..2020`, `type:threat`, `doc:ID` and
//! `kind:footnote` work. Highlighting does not use tantivy's snippet generator (it panics
//! on overlapping tokens, NOTES-search): matches are found with aho-corasick over the
//! folded passage text, whose char offsets are those of the stored text.

use crate::error::{Error, Result};
use crate::segment::{fold, is_word, IndexTokenizer, Segmenter};
use crate::thesaurus::Thesaurus;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub const TOKENIZER: &str = "nts";

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub passage_id: Field,
    pub doc_id: Field,
    pub body: Field,
    pub year: Field,
    pub kind: Field,
    pub ctype: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        passage_id: b.add_text_field("passage_id", STRING | STORED),
        doc_id: b.add_text_field("doc_id", STRING),
        body: b.add_text_field("body", text),
        year: b.add_i64_field("year", INDEXED | FAST),
        kind: b.add_text_field("kind", STRING),
        ctype: b.add_text_field("ctype", STRING),
    };
    (b.build(), fields)
}

/// What one passage contributes to the index.
pub struct IndexDoc<'a> {
    pub passage_id: &'a str,
    pub doc_id: &'a str,
    pub text: &'a str,
    pub year: Option<i32>,
    pub kind: &'a str,
    pub concept_types: &'a [&'a str],
}

/// The tantivy index of a library.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub seg: Arc<Segmenter>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when the folder is empty.
    pub fn open(dir: &Path, seg: Arc<Segmenter>) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema();
        let exists = dir.join("meta.json").exists();
        let index = if exists {
            let index = Index::open_in_dir(dir)
                .map_err(|e| Error::Corrupt { path: dir.to_path_buf(), detail: e.to_string() })?;
            if index.schema() != schema {
                return Err(Error::Corrupt {
                    path: dir.to_path_buf(),
                    detail: "the search index was made by another version of NTS Atlas".into(),
                });
            }
            index
        } else {
            Index::create_in_dir(dir, schema)?
        };
        index.tokenizers().register(TOKENIZER, IndexTokenizer::new(seg.clone()));
        let reader =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(
                |e: tantivy::TantivyError| Error::Corrupt { path: dir.to_path_buf(), detail: e.to_string() },
            )?;
        Ok(SearchIndex { index, reader, fields, seg })
    }

    /// A writer with the given heap budget over `threads` indexing threads.
    pub fn writer(&self, threads: usize, heap_bytes: usize) -> Result<IndexWriter> {
        Ok(self.index.writer_with_num_threads(threads.max(1), heap_bytes.max(15_000_000 * threads.max(1)))?)
    }

    pub fn add(&self, w: &IndexWriter, d: &IndexDoc) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.passage_id, d.passage_id);
        doc.add_text(f.doc_id, d.doc_id);
        doc.add_text(f.body, d.text);
        if let Some(y) = d.year {
            doc.add_i64(f.year, y as i64);
        }
        doc.add_text(f.kind, d.kind);
        for t in d.concept_types {
            doc.add_text(f.ctype, t);
        }
        w.add_document(doc)?;
        Ok(())
    }

    pub fn delete_doc(&self, w: &IndexWriter, doc_id: &str) {
        w.delete_term(Term::from_field_text(self.fields.doc_id, doc_id));
    }

    /// Runs a built query: the total number of matches and the page `offset..offset+limit`
    /// as (passage id, score).
    pub fn run(&self, q: &dyn Query, offset: usize, limit: usize) -> Result<(usize, Vec<(String, f32)>)> {
        let searcher = self.reader.searcher();
        let collector = (
            tantivy::collector::Count,
            tantivy::collector::TopDocs::with_limit(limit.max(1)).and_offset(offset).order_by_score(),
        );
        let (total, top) = searcher.search(q, &collector)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.passage_id).and_then(|v| v.as_str()) {
                hits.push((id.to_string(), score));
            }
        }
        Ok((total, hits))
    }
}

// ------------------------------------------------------------------ query language

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A word or run of Chinese: AND of its tokens, aliases expanded.
    Word(String),
    /// `"…"`: an exact phrase.
    Phrase(String),
    Title(String),
    Author(String),
    Year(i64, i64),
    Type(String),
    Doc(String),
    Kind(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(String),
    Quoted(String),
    Open,
    Close,
    And,
    Or,
    Not,
}

fn lex(q: &str) -> Result<Vec<Lex>> {
    let mut out = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if matches!(c, '"' | '“' | '”' | '「' | '」') {
            let close = |d: char| matches!(d, '"' | '”' | '“' | '」');
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !close(chars[j]) {
                j += 1;
            }
            if j >= chars.len() {
                return Err(Error::Query { query: q.into(), reason: "a quotation mark is not closed".into() });
            }
            out.push(Lex::Quoted(chars[start..j].iter().collect()));
            i = j + 1;
        } else if c == '(' || c == '（' {
            out.push(Lex::Open);
            i += 1;
        } else if c == ')' || c == '）' {
            out.push(Lex::Close);
            i += 1;
        } else if matches!(c, '-' | '－') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            // `-word` at the start of a token excludes; a hyphen inside a word (COVID-19) does not.
            out.push(Lex::Not);
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '（' | '）' | '"' | '“' | '”' | '「' | '」')
            {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            // `field:"quoted value"`
            if (w.ends_with(':') || w.ends_with('：')) && i < chars.len() && matches!(chars[i], '"' | '“' | '「') {
                if let Some(Lex::Quoted(v)) = lex(&chars[i..].iter().collect::<String>())?.first() {
                    let len = v.chars().count() + 2;
                    out.push(Lex::Word(format!("{w}{v}")));
                    i += len;
                    continue;
                }
            }
            out.push(match w.as_str() {
                "AND" | "&&" | "且" => Lex::And,
                "OR" | "||" | "或" | "|" => Lex::Or,
                "NOT" | "非" => Lex::Not,
                _ => Lex::Word(w),
            });
        }
    }
    Ok(out)
}

/// Parses the query language into a [`Node`] tree.
pub fn parse(q: &str) -> Result<Node> {
    let toks = lex(q)?;
    if toks.is_empty() {
        return Err(Error::Query {
            query: q.into(),
            reason: "the query is empty; type a word, a \"phrase\" or field:value".into(),
        });
    }
    let mut p = Parser { toks, i: 0, query: q };
    let node = p.or()?;
    if p.i < p.toks.len() {
        return Err(Error::Query { query: q.into(), reason: "unbalanced parenthesis".into() });
    }
    if only_negative(&node) {
        return Err(Error::Query {
            query: q.into(),
            reason: "a query cannot only exclude; add a word to search for".into(),
        });
    }
    Ok(node)
}

fn only_negative(n: &Node) -> bool {
    match n {
        Node::Not(_) => true,
        Node::And(v) => v.iter().all(only_negative),
        _ => false,
    }
}

struct Parser<'a> {
    toks: Vec<Lex>,
    i: usize,
    query: &'a str,
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> Error {
        Error::Query { query: self.query.into(), reason: reason.into() }
    }
    fn or(&mut self) -> Result<Node> {
        let mut alts = vec![self.and()?];
        while self.toks.get(self.i) == Some(&Lex::Or) {
            self.i += 1;
            alts.push(self.and()?);
        }
        Ok(if alts.len() == 1 { alts.remove(0) } else { Node::Or(alts) })
    }
    fn and(&mut self) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.toks.get(self.i) {
                None | Some(Lex::Or) | Some(Lex::Close) => break,
                Some(Lex::And) => {
                    self.i += 1;
                }
                _ => parts.push(self.unary()?),
            }
        }
        if parts.is_empty() {
            return Err(self.err("an operator is missing its word (AND/OR/NOT need a word on each side)"));
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Node::And(parts) })
    }
    fn unary(&mut self) -> Result<Node> {
        match self.toks.get(self.i).cloned() {
            Some(Lex::Not) => {
                self.i += 1;
                if matches!(self.toks.get(self.i), None | Some(Lex::Or) | Some(Lex::Close) | Some(Lex::And)) {
                    return Err(self.err("NOT / - must be followed by a word"));
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some(Lex::Open) => {
                self.i += 1;
                let n = self.or()?;
                if self.toks.get(self.i) != Some(&Lex::Close) {
                    return Err(self.err("a parenthesis is not closed"));
                }
                self.i += 1;
                Ok(n)
            }
            Some(Lex::Quoted(s)) => {
                self.i += 1;
                Ok(Node::Phrase(s))
            }
            Some(Lex::Word(w)) => {
                self.i += 1;
                field_node(&w).unwrap_or(Ok(Node::Word(w))).map_err(|r| self.err(&r))
            }
            _ => Err(self.err("unexpected operator")),
        }
    }
}

/// `field:value` words; `None` when the word is not a field query.
fn field_node(w: &str) -> Option<std::result::Result<Node, String>> {
    let (f, v) = w.split_once([':', '：'])?;
    let v = v.trim().to_string();
    let node = match f.to_lowercase().as_str() {
        "title" | "标题" | "题名" => Node::Title(v),
        "author" | "作者" => Node::Author(v),
        "type" | "类型" => Node::Type(v),
        "doc" => Node::Doc(v),
        "kind" => Node::Kind(v),
        "year" | "年" | "年份" => {
            let v = v.replace(['－', '—', '–'], "-");
            let parse = |s: &str| s.trim().parse::<i64>().ok();
            let (a, b) = if let Some((a, b)) = v.split_once("..").or_else(|| v.split_once('-')) {
                (if a.is_empty() { Some(0) } else { parse(a) }, if b.is_empty() { Some(9999) } else { parse(b) })
            } else {
                (parse(&v), parse(&v))
            };
            match (a, b) {
                (Some(a), Some(b)) if a <= b => Node::Year(a, b),
                _ => return Some(Err(format!("year:{v} is not a year or a range like year:2017..2020"))),
            }
        }
        _ => return None,
    };
    if matches!(&node, Node::Title(s) | Node::Author(s) | Node::Type(s) | Node::Doc(s) | Node::Kind(s) if s.is_empty())
    {
        return Some(Err(format!("{f}: needs a value")));
    }
    Some(Ok(node))
}

/// Turns a parsed query into a tantivy query plus the folded strings to highlight.
pub struct QueryBuilder<'a> {
    pub seg: &'a Segmenter,
    pub thesaurus: &'a Thesaurus,
    pub fields: Fields,
    /// (doc id, folded title, folded authors) of every document: `title:` and `author:`
    /// are answered from these rather than indexed again with every passage.
    pub docs: &'a [(String, String, String)],
}

/// A built query and what to highlight.
pub struct Built {
    pub query: Box<dyn Query>,
    pub highlight: Vec<String>,
    /// True when the query names `kind:` itself (then table-of-contents lines are not hidden).
    pub names_kind: bool,
}

impl QueryBuilder<'_> {
    pub fn build(&self, node: &Node) -> Result<Built> {
        let mut hl = Vec::new();
        let query = self.node(node, &mut hl, true)?;
        hl.sort();
        hl.dedup();
        Ok(Built { query, highlight: hl, names_kind: names_kind(node) })
    }

    fn node(&self, n: &Node, hl: &mut Vec<String>, positive: bool) -> Result<Box<dyn Query>> {
        let f = self.fields;
        Ok(match n {
            Node::And(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    match p {
                        Node::Not(inner) => clauses.push((Occur::MustNot, self.node(inner, hl, false)?)),
                        _ => clauses.push((Occur::Must, self.node(p, hl, positive)?)),
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(alts) => {
                let mut clauses = Vec::new();
                for a in alts {
                    clauses.push((Occur::Should, self.node(a, hl, positive)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner, hl, false)?),
            ])),
            Node::Word(w) => self.word(f.body, w, hl, positive)?,
            Node::Title(w) => self.docs_where(w, |d| &d.1),
            Node::Author(w) => self.docs_where(w, |d| &d.2),
            Node::Phrase(p) => {
                let q = self.phrase(f.body, p, 0).ok_or_else(|| Error::Query {
                    query: p.clone(),
                    reason: "the phrase has no searchable characters".into(),
                })?;
                if positive {
                    hl.push(fold(p.trim()));
                }
                q
            }
            Node::Year(a, b) => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.year, *a)),
                Bound::Included(Term::from_field_i64(f.year, *b)),
            )),
            Node::Type(t) => {
                let ct = crate::model::ConceptType::parse(t).ok_or_else(|| Error::Query {
                    query: format!("type:{t}"),
                    reason: "unknown type; use actor, threat, mechanism, concept or region".into(),
                })?;
                Box::new(TermQuery::new(Term::from_field_text(f.ctype, ct.as_str()), IndexRecordOption::Basic))
            }
            Node::Doc(d) => Box::new(TermQuery::new(Term::from_field_text(f.doc_id, d), IndexRecordOption::Basic)),
            Node::Kind(k) => Box::new(TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic)),
        })
    }

    /// Passages of the documents whose title (or authors) contain every token of `w`.
    fn docs_where(&self, w: &str, field: impl Fn(&(String, String, String)) -> &String) -> Box<dyn Query> {
        let toks: Vec<String> = self.seg.cut(w).into_iter().map(|t| t.text).collect();
        let wanted = fold(w.trim());
        let terms: Vec<Term> = self
            .docs
            .iter()
            .filter(|d| {
                let hay = field(d);
                hay.contains(&wanted) || (!toks.is_empty() && toks.iter().all(|t| hay.contains(t.as_str())))
            })
            .map(|d| Term::from_field_text(self.fields.doc_id, &d.0))
            .collect();
        if terms.is_empty() {
            // No such document: a query that matches nothing.
            return Box::new(BooleanQuery::new(vec![(Occur::MustNot, Box::new(AllQuery) as Box<dyn Query>)]));
        }
        // One set look-up over the term dictionary, not a union of a scorer per document.
        Box::new(TermSetQuery::new(terms))
    }

    /// A word: its thesaurus entry's names ORed (the canonical term and exact form
    /// boosted), else the word itself.
    fn word(&self, field: Field, w: &str, hl: &mut Vec<String>, positive: bool) -> Result<Box<dyn Query>> {
        let no_tokens =
            || Error::Query { query: w.into(), reason: "nothing searchable in this word (only punctuation?)".into() };
        let Some(entry) = self.thesaurus.lookup(w) else {
            let q = self.form(field, w, hl, positive).ok_or_else(no_tokens)?;
            return Ok(q);
        };
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let typed = fold(w);
        for form in entry.surface_forms() {
            // The words as typed match loosely (sub-words anywhere in the passage); the
            // other names of the concept only as exact phrases, so an alias like
            // 贩运人口犯罪 does not match every passage that has 人口 and 犯罪 somewhere.
            let q = if fold(form) == typed {
                self.form(field, form, hl, positive).map(|q| Box::new(BoostQuery::new(q, 1.5)) as Box<dyn Query>)
            } else {
                let q = self.phrase(field, form, 0);
                if q.is_some() && positive {
                    let f = fold(form.trim());
                    if is_word(&f) {
                        hl.push(f);
                    }
                }
                q
            };
            if let Some(q) = q {
                alts.push((Occur::Should, q));
            }
        }
        if alts.is_empty() {
            return Err(no_tokens());
        }
        Ok(Box::new(BooleanQuery::new(alts)))
    }

    /// One surface form: AND of its coarse tokens, each matching as a whole term
    /// (boosted) or as all of its fine sub-words; a sloppy phrase over the fine sub-words
    /// raises the score of passages where they stand together.
    fn form(&self, field: Field, s: &str, hl: &mut Vec<String>, positive: bool) -> Option<Box<dyn Query>> {
        let toks = self.seg.cut(s);
        if toks.is_empty() {
            return None;
        }
        if positive {
            let whole = fold(s.trim());
            if is_word(&whole) && !whole.contains(char::is_whitespace) {
                hl.push(whole);
            }
        }
        let term = |t: &str| Term::from_field_text(field, t);
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &toks {
            if positive && (t.text.chars().count() >= 2 || toks.len() == 1) {
                hl.push(t.text.clone());
            }
            let parts = self.seg.fine_of(&t.text);
            let whole: Box<dyn Query> = Box::new(TermQuery::new(term(&t.text), IndexRecordOption::WithFreqs));
            let q: Box<dyn Query> = if parts.len() > 1 {
                let all: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|p| {
                        (Occur::Must, Box::new(TermQuery::new(term(p), IndexRecordOption::WithFreqs)) as Box<dyn Query>)
                    })
                    .collect();
                if positive {
                    hl.extend(parts.iter().filter(|p| p.chars().count() >= 2).map(|p| p.to_string()));
                }
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(BoostQuery::new(whole, 2.0)) as Box<dyn Query>),
                    (Occur::Should, Box::new(BooleanQuery::new(all))),
                ]))
            } else {
                whole
            };
            musts.push((Occur::Must, q));
        }
        if let Some(phrase) = self.phrase(field, s, 3) {
            if toks.len() > 1 || self.seg.fine_of(&toks[0].text).len() > 1 {
                musts.push((Occur::Should, Box::new(BoostQuery::new(phrase, 1.5))));
            }
        }
        if musts.len() == 1 {
            return musts.pop().map(|(_, q)| q);
        }
        Some(Box::new(BooleanQuery::new(musts)))
    }

    /// A phrase over the fine grid, with the positions the index gives them.
    fn phrase(&self, field: Field, s: &str, slop: u32) -> Option<Box<dyn Query>> {
        let seq = self.fine_sequence(s);
        match seq.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(Term::from_field_text(field, &seq[0].1), IndexRecordOption::WithFreqs))),
            _ => Some(Box::new(PhraseQuery::new_with_offset_and_slop(
                seq.into_iter().map(|(o, t)| (o, Term::from_field_text(field, &t))).collect(),
                slop,
            ))),
        }
    }

    /// Fine tokens of `s` with their positions as [`Segmenter::index_tokens`] lays them out.
    fn fine_sequence(&self, s: &str) -> Vec<(usize, String)> {
        let folded = fold(s);
        let mut out = Vec::new();
        let mut pos = 0usize;
        let mut last_end = None;
        for t in self.seg.cut_folded(&folded) {
            // A punctuation gap between tokens advances the position, as in the index.
            if let Some(e) = last_end {
                let between: String = folded.chars().skip(e).take(t.start - e).collect();
                if !between.trim().is_empty() {
                    pos += 1;
                }
            }
            for p in self.seg.fine_of(&t.text) {
                out.push((pos, p.to_string()));
                pos += 1;
            }
            last_end = Some(t.end);
        }
        out
    }
}

fn names_kind(n: &Node) -> bool {
    match n {
        Node::Kind(_) => true,
        Node::And(v) | Node::Or(v) => v.iter().any(names_kind),
        Node::Not(x) => names_kind(x),
        _ => false,
    }
}

// ------------------------------------------------------------------ highlighting

/// Finds every occurrence of the (folded) terms in `text`, as merged char ranges.
pub fn highlight_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    Highlighter::new(terms).ranges(text)
}

/// The highlight terms of one query as a matcher, built once for all its hits.
pub struct Highlighter {
    ac: Option<AhoCorasick>,
}

impl Highlighter {
    pub fn new(terms: &[String]) -> Highlighter {
        let terms: Vec<&String> = terms.iter().filter(|t| !t.trim().is_empty()).collect();
        // An NFA builds in microseconds; the DFA aho-corasick would pick for a few
        // patterns takes milliseconds, more than matching ten passages.
        let ac = (!terms.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&terms)
                    .ok()
            })
            .flatten();
        Highlighter { ac }
    }

    /// Merged char ranges of the terms in `text`.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        self.ac.as_ref().map(|ac| highlight_with(ac, text)).unwrap_or_default()
    }
}

fn highlight_with(ac: &AhoCorasick, text: &str) -> Vec<(usize, usize)> {
    let folded = fold(text);
    // Byte → char offsets of the folded text.
    let mut char_at = vec![0usize; folded.len() + 1];
    let mut n = 0;
    for (b, c) in folded.char_indices() {
        for k in 0..c.len_utf8() {
            char_at[b + k] = n;
        }
        n += 1;
    }
    char_at[folded.len()] = n;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for m in ac.find_iter(&folded) {
        let (s, e) = (char_at[m.start()], char_at[m.end()]);
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A window of about `width` chars of `text` around its best cluster of highlights, with
/// highlights delimited by `\u{1}` … `\u{2}` and "…" where text was cut. Never panics:
/// ranges are clamped to the text.
pub fn snippet(text: &str, ranges: &[(usize, usize)], width: usize) -> String {
    let chars: Vec<char> = text.chars().filter(|c| *c != '\u{1}' && *c != '\u{2}').collect();
    let len = chars.len();
    let ranges: Vec<(usize, usize)> =
        ranges.iter().map(|&(s, e)| (s.min(len), e.min(len))).filter(|(s, e)| s < e).collect();
    // Choose the window start that covers the most highlights.
    let (mut start, mut best) = (0usize, 0usize);
    for (i, &(s, _)) in ranges.iter().enumerate() {
        let covered = ranges[i..].iter().take_while(|&&(_, e)| e <= s + width).count();
        if covered > best {
            best = covered;
            start = s.saturating_sub(width / 4);
        }
    }
    // Start at a sentence or clause boundary near the chosen point when there is one.
    if start > 0 {
        let floor = start.saturating_sub(width / 4);
        if let Some(b) =
            (floor..start).rev().find(|&i| matches!(chars[i], '。' | '！' | '？' | '；' | '，' | '.' | '\n'))
        {
            start = b + 1;
        }
    }
    if len.saturating_sub(start) < width {
        start = len.saturating_sub(width);
    }
    let end = (start + width).min(len);
    let mut out = String::with_capacity(width * 4);
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    for &(s, e) in &ranges {
        if e <= start || s >= end {
            continue;
        }
        let (s, e) = (s.max(start), e.min(end));
        if s < i {
            continue;
        }
        out.extend(&chars[i..s]);
        out.push('\u{1}');
        out.extend(&chars[s..e]);
        out.push('\u{2}');
        i = e;
    }
    out.extend(&chars[i..end]);
    if end < len {
        out.push('…');
    }
    out
}

/// The marked snippet as HTML: text escaped, highlights in `<b>`.
pub fn snippet_html(marked: &str) -> String {
    let mut out = String::with_capacity(marked.len() + 16);
    for c in marked.chars() {
        match c {
            '\u{1}' => out.push_str("<b>"),
            '\u{2}' => out.push_str("</b>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
