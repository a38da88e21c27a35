//! The library's concept side: mentions computed at indexing time, the concept graph
//! built from stored mentions (cached until they change), graph questions answered with
//! evidence passages, candidate discovery, and the scholar's curation of the thesaurus
//! (add, edit, retype, merge, delete; accept or reject candidates), which lives in SQLite
//! and survives re-indexing.

use super::{Library, Vocabulary, WriteLock};
use crate::concepts::discovery::{self, Candidate};
use crate::concepts::relations::find_relations;
use crate::concepts::Extractor;
use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, ExportOptions, MapGraph};
use crate::graph::{ConceptGraph, ConceptInfo, Filter, GraphInput, Hop, MapOptions, Neighbor, PassageConcepts};
use crate::model::{BlockKind, ConceptType, Passage};
use crate::store::PassageConceptRows;
use crate::thesaurus::{Entry, Thesaurus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Kinds of passage whose mentions count for concepts and co-occurrence: prose and
/// headings, not tables of contents, front matter or reference lists.
fn counts(kind: BlockKind) -> bool {
    kind.is_prose() || kind == BlockKind::Heading
}

/// Sentence index of each char offset boundary: sentences end at 。！？；!?; or a newline.
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, c) in text.chars().enumerate() {
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n') {
            starts.push(i + 1);
        }
    }
    starts
}

/// Mentions (with their sentence) and typed relations of each counting passage.
pub(super) fn concept_rows(extractor: &Extractor, passages: &[Passage]) -> Vec<PassageConceptRows> {
    passages
        .iter()
        .filter(|p| counts(p.kind))
        .map(|p| {
            let mentions = extractor.extract(&p.text);
            let starts = sentence_starts(&p.text);
            let relations = if p.kind.is_prose() {
                find_relations(&p.text, &mentions).into_iter().map(|r| (r.from, r.to, r.kind)).collect()
            } else {
                Vec::new()
            };
            let mentions = mentions
                .into_iter()
                .map(|m| {
                    let s = starts.partition_point(|&st| st <= m.start).saturating_sub(1);
                    (m, s as u32)
                })
                .collect();
            PassageConceptRows { passage_id: p.passage_id.clone(), mentions, relations }
        })
        .filter(|r| !r.mentions.is_empty())
        .collect()
}

/// A concept as listed by `nts concepts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConceptSummary {
    pub id: String,
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub aliases: Vec<String>,
    pub english: String,
    pub traditional: String,
    pub mentions: u32,
    pub documents: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PassageRef {
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: Vec<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocMentions {
    pub doc_id: String,
    pub title: String,
    pub mentions: usize,
    pub passages: Vec<String>,
}

/// Everything `nts concept TERM` shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConceptDetail {
    #[serde(flatten)]
    pub summary: ConceptSummary,
    pub documents_list: Vec<DocMentions>,
    pub neighbors: Vec<Neighbor>,
    pub passages: Vec<PassageRef>,
}

impl Library {
    pub(super) fn invalidate_graph(&self) {
        *self.graph.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The concept graph of the library (built from stored mentions on first use).
    pub fn graph(&self) -> Result<Arc<ConceptGraph>> {
        if let Some(g) = self.graph.read().unwrap_or_else(|p| p.into_inner()).as_ref() {
            return Ok(g.clone());
        }
        let g = Arc::new(self.build_graph()?);
        *self.graph.write().unwrap_or_else(|p| p.into_inner()) = Some(g.clone());
        Ok(g)
    }

    fn build_graph(&self) -> Result<ConceptGraph> {
        let vocab = self.vocab();
        let (mentions, relations, years) = {
            let store = self.store();
            let years: HashMap<String, Option<i32>> =
                store.documents()?.into_iter().map(|d| (d.doc_id, d.year)).collect();
            (store.all_mentions()?, store.all_relations()?, years)
        };
        let mut per_concept: BTreeMap<String, (ConceptType, u32, HashSet<String>)> = BTreeMap::new();
        let mut passages: Vec<PassageConcepts> = Vec::new();
        for m in &mentions {
            let ctype = vocab.thesaurus.lookup(&m.concept).map(|e| e.ctype).unwrap_or(m.ctype);
            let e = per_concept.entry(m.concept.clone()).or_insert((ctype, 0, HashSet::new()));
            e.1 += 1;
            e.2.insert(m.doc_id.clone());
            if passages.last().is_none_or(|p| p.passage_id != m.passage_id) {
                passages.push(PassageConcepts {
                    passage_id: m.passage_id.clone(),
                    doc_id: m.doc_id.clone(),
                    year: years.get(&m.doc_id).copied().flatten(),
                    sentences: Vec::new(),
                });
            }
            if let Some(p) = passages.last_mut() {
                let s = m.sentence as usize;
                if p.sentences.len() <= s {
                    p.sentences.resize(s + 1, Vec::new());
                }
                p.sentences[s].push(m.concept.clone());
            }
        }
        for p in &mut passages {
            p.sentences.retain(|s| !s.is_empty());
        }
        let concepts = per_concept
            .into_iter()
            .map(|(term, (ctype, n, docs))| ConceptInfo { term, ctype, mentions: n, documents: docs.len() as u32 })
            .collect();
        Ok(ConceptGraph::build(&GraphInput { concepts, passages, relations }, &vocab.thesaurus))
    }

    fn summary(&self, vocab: &Vocabulary, c: &ConceptInfo) -> ConceptSummary {
        let entry = vocab.thesaurus.lookup(&c.term);
        ConceptSummary {
            id: c.term.clone(),
            term: c.term.clone(),
            ctype: c.ctype,
            aliases: entry.map(|e| e.aliases.clone()).unwrap_or_default(),
            english: entry.map(|e| e.english.clone()).unwrap_or_default(),
            traditional: entry.map(|e| e.traditional.clone()).unwrap_or_default(),
            mentions: c.mentions,
            documents: c.documents,
        }
    }

    /// Concepts found in the library, most mentioned first.
    pub fn concepts(&self, ctype: Option<ConceptType>) -> Result<Vec<ConceptSummary>> {
        let g = self.graph()?;
        let vocab = self.vocab();
        let mut out: Vec<ConceptSummary> = g
            .concepts()
            .iter()
            .filter(|c| ctype.is_none_or(|t| c.ctype == t) && c.mentions > 0)
            .map(|c| self.summary(&vocab, c))
            .collect();
        out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(b.documents.cmp(&a.documents)).then(a.term.cmp(&b.term)));
        Ok(out)
    }

    /// A concept by any of its names: its neighbours and passages, all with evidence.
    pub fn concept(&self, name: &str, filter: &Filter) -> Result<ConceptDetail> {
        let g = self.graph()?;
        let vocab = self.vocab();
        let term = match g.canonical(name) {
            Ok(t) => t.to_string(),
            Err(_) => match vocab.thesaurus.lookup(name) {
                // In the thesaurus but never mentioned in this library.
                Some(e) => {
                    let c = ConceptInfo { term: e.term.clone(), ctype: e.ctype, mentions: 0, documents: 0 };
                    return Ok(ConceptDetail {
                        summary: self.summary(&vocab, &c),
                        documents_list: Vec::new(),
                        neighbors: Vec::new(),
                        passages: Vec::new(),
                    });
                }
                None => return Err(Error::UnknownConcept(name.trim().to_string())),
            },
        };
        let info =
            g.concepts().iter().find(|c| c.term == term).cloned().ok_or_else(|| Error::UnknownConcept(term.clone()))?;
        let neighbors = g.neighbors(&term, filter)?;
        let docs = g.documents_of(&term)?;
        let all_docs = self.cached_documents()?;
        let titles: HashMap<&str, String> = all_docs.iter().map(|d| (d.doc_id.as_str(), d.title.clone())).collect();
        let store = self.store();
        let mut documents_list = Vec::new();
        let mut passages = Vec::new();
        for (doc_id, pids) in &docs {
            let title = titles.get(doc_id.as_str()).cloned().unwrap_or_default();
            documents_list.push(DocMentions {
                doc_id: doc_id.clone(),
                title: title.clone(),
                mentions: pids.len(),
                passages: pids.clone(),
            });
            // A concept named in hundreds of documents: list them all, but fetch the text of
            // the first 60 passages only (the UI asks for more through `passages`).
            for pid in pids.iter().take(60usize.saturating_sub(passages.len()).min(20)) {
                if let Some(p) = store.passage(pid)? {
                    passages.push(PassageRef {
                        passage_id: p.passage_id,
                        doc_id: p.doc_id,
                        title: title.clone(),
                        section: p.section,
                        text: p.text,
                    });
                }
            }
        }
        Ok(ConceptDetail { summary: self.summary(&vocab, &info), documents_list, neighbors, passages })
    }

    /// The strongest path between two concepts, with the passages along each hop.
    pub fn path(&self, a: &str, b: &str) -> Result<Vec<Hop>> {
        self.graph()?.path(a, b)
    }

    /// A readable map (ego graph or top concepts, pruned, laid out, communities coloured).
    pub fn map(&self, opts: &MapOptions) -> Result<MapGraph> {
        self.graph()?.map(opts)
    }

    /// The map rendered in an export format: (file suffix, bytes) pairs.
    pub fn export_map(
        &self,
        opts: &MapOptions,
        format: ExportFormat,
        eopts: &ExportOptions,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let map = self.map(opts)?;
        export::render(&map, format, eopts)
    }

    /// Candidate concepts the thesaurus lacks, minus those the scholar rejected.
    pub fn candidates(&self, min_freq: u32) -> Result<Vec<Candidate>> {
        let vocab = self.vocab();
        let (passages, rejected) = {
            let store = self.store();
            let ps: Vec<(String, String, String)> = store
                .all_passages()?
                .into_iter()
                .filter(|p| p.kind.is_prose())
                .map(|p| (p.passage_id, p.doc_id, p.text))
                .collect();
            let rejected: HashSet<String> =
                store.candidate_decisions()?.into_iter().filter(|(_, d)| d == "rejected").map(|(t, _)| t).collect();
            (ps, rejected)
        };
        Ok(discovery::discover(&passages, &self.index.seg, &vocab.thesaurus, min_freq)
            .into_iter()
            .filter(|c| !rejected.contains(&c.term))
            .collect())
    }

    // ------------------------------------------------------------------ curation

    /// Applies a change to the scholar's thesaurus edits, then recomputes every
    /// passage's mentions with the new thesaurus (one transaction) and drops the graph.
    fn curate(&self, change: impl FnOnce(&mut crate::store::Store, &Thesaurus) -> Result<()>) -> Result<()> {
        let _lock = WriteLock::take(&self.dir)?;
        let current = self.vocab();
        let thesaurus = {
            let mut store = self.store();
            change(&mut store, &current.thesaurus)?;
            let (upserts, deletes) = store.user_terms()?;
            Thesaurus::builtin().with_overlay(&upserts, &deletes)
        };
        let extractor = Extractor::new(&thesaurus);
        let rows = {
            let store = self.store();
            concept_rows(&extractor, &store.all_passages()?)
        };
        self.store().replace_all_concepts(&rows)?;
        *self.vocab.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(Vocabulary { thesaurus, extractor });
        self.invalidate_graph();
        Ok(())
    }

    /// Adds a concept (or replaces the scholar's version of it).
    pub fn add_concept(&self, entry: Entry) -> Result<()> {
        if entry.term.trim().chars().count() < 2 {
            return Err(Error::Invalid(format!("“{}” is too short to be a concept", entry.term)));
        }
        self.curate(|s, _| s.put_user_term(&entry))
    }

    /// Accepts a discovered candidate with a type.
    pub fn accept_candidate(&self, term: &str, ctype: ConceptType) -> Result<()> {
        let term = term.trim().to_string();
        self.store().decide_candidate(&term, "accepted")?;
        self.add_concept(Entry {
            term,
            ctype,
            aliases: vec![],
            english: String::new(),
            traditional: String::new(),
            freq: 3000,
        })
    }

    pub fn reject_candidate(&self, term: &str) -> Result<()> {
        self.store().decide_candidate(term.trim(), "rejected")
    }

    /// Changes a concept's type.
    pub fn retype_concept(&self, name: &str, ctype: ConceptType) -> Result<()> {
        self.curate(|s, th| {
            let mut e = th.lookup(name).cloned().ok_or_else(|| Error::UnknownConcept(name.to_string()))?;
            e.ctype = ctype;
            s.put_user_term(&e)
        })
    }

    /// Merges concept (or candidate) `from` into `into`: `from` becomes an alias.
    pub fn merge_concepts(&self, from: &str, into: &str) -> Result<()> {
        self.curate(|s, th| {
            let mut target = th.lookup(into).cloned().ok_or_else(|| Error::UnknownConcept(into.to_string()))?;
            let mut names: Vec<String> = vec![from.trim().to_string()];
            if let Some(src) = th.lookup(from) {
                if src.term == target.term {
                    return Err(Error::Invalid(format!("“{from}” already names “{}”", target.term)));
                }
                names = src.surface_forms().into_iter().map(String::from).collect();
                s.delete_user_term(&src.term)?;
            }
            for n in names {
                if n != target.term && !target.aliases.contains(&n) && !n.is_empty() {
                    target.aliases.push(n);
                }
            }
            s.put_user_term(&target)
        })
    }

    /// Deletes a concept from the thesaurus in force.
    pub fn delete_concept(&self, name: &str) -> Result<()> {
        self.curate(|s, th| {
            let e = th.lookup(name).ok_or_else(|| Error::UnknownConcept(name.to_string()))?;
            s.delete_user_term(&e.term)
        })
    }

    /// The scholar's edits as a thesaurus file (TSV, the built-in format).
    pub fn export_user_thesaurus(&self) -> Result<String> {
        let (upserts, deletes) = self.store().user_terms()?;
        let mut t = Thesaurus::default();
        for e in upserts {
            t.insert(e);
        }
        let mut out = t.to_tsv();
        for d in deletes {
            out.push_str(&format!("# deleted\t{d}\n"));
        }
        Ok(out)
    }

    /// Imports a thesaurus file: every entry is added as the scholar's own.
    pub fn import_thesaurus(&self, tsv: &str) -> Result<usize> {
        let t = Thesaurus::parse(tsv)?;
        let n = t.len();
        let deleted: Vec<String> =
            tsv.lines().filter_map(|l| l.strip_prefix("# deleted\t")).map(|s| s.trim().to_string()).collect();
        self.curate(|s, _| {
            for e in t.entries() {
                s.put_user_term(e)?;
            }
            for d in &deleted {
                s.delete_user_term(d)?;
            }
            Ok(())
        })?;
        Ok(n)
    }
}
