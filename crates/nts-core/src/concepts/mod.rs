//! Concepts in text: finding thesaurus concepts in passages (mentions with char spans,
//! longest match, alias → canonical, 繁/简 folded) and discovering candidate concepts
//! that the thesaurus lacks.

use crate::model::ConceptType;
use crate::segment::fold;
use crate::thesaurus::Thesaurus;
pub mod discovery;
pub mod relations;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One occurrence of a concept in a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Canonical term (the concept's id).
    pub concept: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    /// Char offsets into the passage text.
    pub start: usize,
    pub end: usize,
}

/// A matcher over every name of every thesaurus entry.
pub struct Extractor {
    patterns: Vec<String>,
    /// Built on first use: a DFA is twice as fast as the default NFA over a whole corpus but
    /// takes ~0.1 s and ~16 MB to build, which a search never needs.
    ac: OnceLock<Option<AhoCorasick>>,
    /// Per pattern: (canonical term, type, whether the name is Latin and needs word bounds).
    targets: Vec<(String, ConceptType, bool)>,
}

impl Extractor {
    pub fn new(thesaurus: &Thesaurus) -> Extractor {
        let mut patterns = Vec::new();
        let mut targets = Vec::new();
        let entries = thesaurus.entries();
        let mut forms: Vec<(&str, usize)> = thesaurus.forms().collect();
        forms.sort();
        for (form, idx) in forms {
            if form.chars().count() < 2 && !form.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let latin = form.is_ascii();
            // One- and two-letter Latin abbreviations are too ambiguous to find in prose.
            if latin && form.len() < 3 {
                continue;
            }
            let e = &entries[idx];
            patterns.push(form.to_string());
            targets.push((e.term.clone(), e.ctype, latin));
        }
        Extractor { patterns, ac: OnceLock::new(), targets }
    }

    fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Mentions in `text`, in order, not overlapping.
    pub fn extract(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = self.automaton() else { return Vec::new() };
        let folded = fold(text);
        let bytes = folded.as_bytes();
        let mut out = Vec::new();
        // Char offsets are counted incrementally as matches arrive in order.
        let (mut last_byte, mut last_char) = (0usize, 0usize);
        for m in ac.find_iter(&folded) {
            let (term, ctype, latin) = &self.targets[m.pattern().as_usize()];
            if *latin {
                let before = m.start().checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(m.end()).copied();
                if before.is_some_and(|b| b.is_ascii_alphanumeric()) || after.is_some_and(|b| b.is_ascii_alphanumeric())
                {
                    continue;
                }
            }
            let start = last_char + folded[last_byte..m.start()].chars().count();
            let end = start + folded[m.start()..m.end()].chars().count();
            last_byte = m.end();
            last_char = end;
            out.push(Mention { concept: term.clone(), ctype: *ctype, start, end });
        }
        out
    }
}
