//! The NTS thesaurus: canonical domain terms with their type, aliases, English name and
//! traditional form. It is domain knowledge shipped with the engine (`data/thesaurus.tsv`,
//! embedded at build time) plus the scholar's own edits, which live in the library's SQLite
//! file and are applied on top (see [`Thesaurus::with_overlay`]).
//!
//! It feeds three consumers: jieba's dictionary (so domain terms stay whole), the query
//! builder (alias expansion: 国际刑警 → 国际刑警组织 | ICPO | INTERPOL) and the concept
//! extractor (longest match, alias → canonical). Every lookup goes through
//! [`crate::segment::fold`], so 國際刑警組織, ＩＮＴＥＲＰＯＬ and interpol all resolve.

use crate::error::{Error, Result};
use crate::model::ConceptType;
use crate::segment::fold;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The thesaurus file shipped with the engine.
pub const BUILTIN_TSV: &str = include_str!("../data/thesaurus.tsv");

/// One canonical concept of the thesaurus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub aliases: Vec<String>,
    pub english: String,
    pub traditional: String,
    /// Frequency given to jieba so the term stays whole.
    pub freq: u32,
}

impl Entry {
    /// The term, its aliases, English name and traditional form: every way a text may
    /// name this concept, unfolded and without duplicates.
    pub fn surface_forms(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![self.term.as_str()];
        for s in self.aliases.iter().map(String::as_str).chain([self.english.as_str(), self.traditional.as_str()]) {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// A set of entries with a folded-name index.
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    entries: Vec<Entry>,
    /// folded surface form → entry index.
    by_form: HashMap<String, usize>,
}

static BUILTIN: LazyLock<Thesaurus> = LazyLock::new(|| match Thesaurus::parse(BUILTIN_TSV) {
    Ok(t) => t,
    // The file is embedded and checked by a test; a broken one must not reach a user.
    Err(e) => panic!("the built-in thesaurus is malformed: {e}"),
});

impl Thesaurus {
    /// The thesaurus shipped with the engine.
    pub fn builtin() -> &'static Thesaurus {
        &BUILTIN
    }

    /// Parses the TSV format: `term  type  aliases(|-separated)  english  traditional  freq`.
    pub fn parse(tsv: &str) -> Result<Thesaurus> {
        let mut t = Thesaurus::default();
        for (n, line) in tsv.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = |why: &str| Error::Invalid(format!("thesaurus line {}: {why}: {line}", n + 1));
            if cols.len() < 2 {
                return Err(bad("expected term<TAB>type[<TAB>aliases<TAB>english<TAB>traditional<TAB>freq]"));
            }
            let term = cols[0].trim().to_string();
            let ctype = ConceptType::parse(cols[1])
                .ok_or_else(|| bad("unknown type (actor, threat, mechanism, concept, region)"))?;
            let col = |i: usize| cols.get(i).map(|s| s.trim()).unwrap_or("");
            let aliases = col(2).split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
            let freq = match col(5) {
                "" => default_freq(&term),
                f => f.parse().map_err(|_| bad("frequency is not a number"))?,
            };
            t.insert(Entry {
                term,
                ctype,
                aliases,
                english: col(3).to_string(),
                traditional: col(4).to_string(),
                freq,
            });
        }
        Ok(t)
    }

    /// Writes the TSV format that [`Thesaurus::parse`] reads.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from("# term\ttype\taliases\tenglish\ttraditional\tfreq\n");
        for e in &self.entries {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                e.term,
                e.ctype.as_str(),
                e.aliases.join("|"),
                e.english,
                e.traditional,
                e.freq
            ));
        }
        out
    }

    /// Adds an entry; a surface form already taken keeps pointing at its first owner.
    pub fn insert(&mut self, entry: Entry) {
        let idx = self.entries.len();
        for form in entry.surface_forms() {
            self.by_form.entry(fold(form)).or_insert(idx);
        }
        self.entries.push(entry);
    }

    /// The built-in entries with the scholar's edits applied: `upserts` replace or add
    /// entries by canonical term, `deletes` remove canonical terms.
    pub fn with_overlay(&self, upserts: &[Entry], deletes: &[String]) -> Thesaurus {
        let mut t = Thesaurus::default();
        let replaced: HashMap<String, &Entry> = upserts.iter().map(|e| (fold(&e.term), e)).collect();
        for e in &self.entries {
            let k = fold(&e.term);
            if deletes.iter().any(|d| fold(d) == k) || replaced.contains_key(&k) {
                continue;
            }
            t.insert(e.clone());
        }
        for e in upserts {
            t.insert(e.clone());
        }
        t
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Finds the entry one of whose names folds to the same string as `name`.
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        self.by_form.get(&fold(name.trim())).map(|&i| &self.entries[i])
    }

    /// Every (folded surface form, entry index) pair, for building matchers.
    pub fn forms(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_form.iter().map(|(k, &v)| (k.as_str(), v))
    }
}

/// A frequency high enough for jieba to keep a term whole, for lines that give none.
fn default_freq(term: &str) -> u32 {
    match term.chars().count() {
        0..=2 => 5000,
        3..=4 => 3000,
        _ => 2000,
    }
}
