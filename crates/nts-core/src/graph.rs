//! The knowledge graph: concepts and documents as nodes, co-occurrence and typed relations
//! as edges, and every edge carrying the ids of the passages that support it — the
//! product's promise is that each line on the map opens to its evidence.
//!
//! It is built from plain inputs ([`GraphInput`]: which concepts each sentence of each
//! passage mentions, plus the typed relations found in the text); the library reads them
//! out of SQLite and hands them over, so nothing here touches the store.
//!
//! ## Edge weight
//! Two concepts are linked when some passage mentions both. For each pair we keep the raw
//! counts apart — `sentence_count` (sentences naming both) and `passage_count` (passages
//! naming both) — and derive one weight:
//!
//! ```text
//! AS(i,j)     = passage_count(i,j) · N / (p_i · p_j)          association strength
//! weight(i,j) = (sentence_count + passage_count) · AS / (1 + AS)
//! ```
//!
//! `AS` is van Eck & Waltman's association strength (observed over expected co-occurrence
//! under independence, N passages, p_i passages mentioning i). Used alone it ranks pairs of
//! one-off concepts that met once above pairs discussed together a hundred times, which is
//! not what a scholar browsing neighbours wants; used as the factor `AS/(1+AS)` ∈ (0, 1) it
//! keeps the count in charge while halving pairs that co-occur only at chance level (a
//! concept such as 非传统安全 that is mentioned everywhere) and discounting them further when
//! they co-occur less than chance. A sentence co-occurrence counts twice (once as sentence,
//! once as passage): naming two concepts in one sentence is the stronger signal.
//!
//! Filters (one document, a range of years) recompute counts, marginals and weights from
//! the evidence passages in scope, so a filtered neighbour list is the one the scholar
//! would get from a library holding only those texts.

use crate::concepts::relations::RelationKind;
use crate::error::{Error, Result};
use crate::export::{self, Community, MapEdge, MapGraph, MapNode};
use crate::model::ConceptType;
use crate::segment::fold;
use crate::thesaurus::Thesaurus;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};

/// The seed of community detection and layout: the same options give the same picture.
pub const MAP_SEED: u64 = 0x4e54_5341_746c_6173;
/// The `kind` of a co-occurrence edge.
pub const COOCCURRENCE: &str = "cooccurrence";

/// Everything the graph is built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphInput {
    pub concepts: Vec<ConceptInfo>,
    pub passages: Vec<PassageConcepts>,
    /// (from, to, kind, passage_id), from [`crate::concepts::relations::find_relations`].
    pub relations: Vec<(String, String, RelationKind, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptInfo {
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub mentions: u32,
    pub documents: u32,
}

/// The concepts of one passage, sentence by sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageConcepts {
    pub passage_id: String,
    pub doc_id: String,
    pub year: Option<i32>,
    /// The concept terms mentioned in each sentence (repeats allowed).
    pub sentences: Vec<Vec<String>>,
}

/// Which part of the library a query looks at. Empty `types` means every type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    pub types: Vec<ConceptType>,
    pub doc_id: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub limit: Option<usize>,
}

/// A typed relation on an edge, with its direction and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationRef {
    pub from: String,
    pub to: String,
    pub kind: RelationKind,
    pub passages: Vec<String>,
}

/// One neighbour of a concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbor {
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub weight: f64,
    /// Passages in which both are mentioned (typed-only links: passages stating the relation).
    pub count: u32,
    pub sentence_count: u32,
    /// `"cooccurrence"` and/or typed kinds (`"part_of"`, …).
    pub kinds: Vec<String>,
    pub relations: Vec<RelationRef>,
    /// Evidence, strongest first: passages stating a typed relation, then passages naming
    /// both in one sentence (most such sentences first), then passages naming both apart.
    pub passages: Vec<String>,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub from: String,
    pub to: String,
    pub weight: f64,
    /// The strongest kind of the link: a typed kind if there is one, else cooccurrence.
    pub kind: String,
    pub passages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centrality {
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub degree: usize,
    pub weighted_degree: f64,
    pub pagerank: f64,
    /// Normalised to [0, 1] (fraction of the pairs of other concepts whose strongest path
    /// runs through this one).
    pub betweenness: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityInfo {
    pub id: u32,
    /// The three members with the highest weighted degree, joined by ·.
    pub label: String,
    /// Terms, highest weighted degree first.
    pub members: Vec<String>,
}

/// A concept in an ego network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EgoNode {
    pub term: String,
    #[serde(rename = "type")]
    pub ctype: ConceptType,
    pub mentions: u32,
    /// Hops from the centre (0 for the centre).
    pub distance: usize,
}

/// A link in an ego network or a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EgoEdge {
    pub from: String,
    pub to: String,
    pub weight: f64,
    pub count: u32,
    pub kinds: Vec<String>,
    pub passages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ego {
    pub center: String,
    pub nodes: Vec<EgoNode>,
    pub edges: Vec<EgoEdge>,
}

/// What [`ConceptGraph::map`] draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapOptions {
    /// Draw this concept's neighbourhood; `None`: the top concepts of the whole graph.
    pub center: Option<String>,
    /// Hops from the centre (1 or 2).
    pub depth: usize,
    pub types: Vec<ConceptType>,
    pub min_weight: f64,
    /// Maximum number of concepts shown.
    pub top: usize,
    /// Edges kept per node (besides the spanning tree that keeps the map connected).
    pub max_edges_per_node: usize,
    pub doc_id: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            center: None,
            depth: 1,
            types: Vec::new(),
            min_weight: 0.0,
            top: 60,
            max_edges_per_node: 4,
            doc_id: None,
            year_from: None,
            year_to: None,
        }
    }
}

/// A node of the petgraph graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Index into the concept table.
    Concept(usize),
    Document(String),
}

/// An edge of the petgraph graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// Index into the pair table (co-occurrence and/or typed relations).
    Pair(usize),
    /// A document mentions a concept in these passages (indices into the passage table).
    Mentions(Vec<u32>),
}

#[derive(Debug, Clone)]
struct PassageMeta {
    id: String,
    doc_id: String,
    year: Option<i32>,
}

/// A typed relation aggregated over passages.
#[derive(Debug, Clone)]
struct Typed {
    /// Concept indices.
    from: usize,
    to: usize,
    kind: RelationKind,
    passages: Vec<u32>,
}

/// Everything known about one pair of concepts (a < b).
#[derive(Debug, Clone)]
struct Pair {
    a: usize,
    b: usize,
    /// (passage index, sentences of that passage naming both), input order.
    cooc: Vec<(u32, u32)>,
    typed: Vec<Typed>,
}

/// A pair's numbers within a scope.
#[derive(Debug, Clone)]
struct Scoped {
    pair: usize,
    a: usize,
    b: usize,
    weight: f64,
    passage_count: u32,
    sentence_count: u32,
    /// Evidence passage indices, strongest first.
    passages: Vec<u32>,
    typed: Vec<(usize, usize, RelationKind, Vec<u32>)>,
}

/// The concept graph over a library (see the module doc for the weight).
#[derive(Debug, Clone)]
pub struct ConceptGraph {
    concepts: Vec<ConceptInfo>,
    /// Folded name (term, alias, traditional form) → concept index.
    names: HashMap<String, usize>,
    passages: Vec<PassageMeta>,
    /// Per concept: the passages mentioning it (ascending indices).
    concept_passages: Vec<Vec<u32>>,
    pairs: Vec<Pair>,
    graph: UnGraph<Node, Link>,
    /// The unfiltered numbers of every pair, indexed like `pairs`.
    full: Vec<Scoped>,
}

/// Which passages a query counts.
#[derive(Debug, Clone, Default)]
struct Scope {
    doc_id: Option<String>,
    year_from: Option<i32>,
    year_to: Option<i32>,
}

impl Scope {
    /// The documents and years a query filter names.
    fn of(f: &Filter) -> Scope {
        Scope { doc_id: f.doc_id.clone(), year_from: f.year_from, year_to: f.year_to }
    }
    fn is_all(&self) -> bool {
        self.doc_id.is_none() && self.year_from.is_none() && self.year_to.is_none()
    }
    fn admits(&self, p: &PassageMeta) -> bool {
        if self.doc_id.as_ref().is_some_and(|d| *d != p.doc_id) {
            return false;
        }
        if self.year_from.is_some() || self.year_to.is_some() {
            let Some(y) = p.year else { return false };
            if self.year_from.is_some_and(|f| y < f) || self.year_to.is_some_and(|t| y > t) {
                return false;
            }
        }
        true
    }
}

impl ConceptGraph {
    /// Builds the graph. Terms in `input` are resolved to the concepts of
    /// `input.concepts` directly or through `thesaurus` (aliases, 繁/简); terms that name
    /// no listed concept are ignored.
    pub fn build(input: &GraphInput, thesaurus: &Thesaurus) -> ConceptGraph {
        let mut concepts: Vec<ConceptInfo> = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        for c in &input.concepts {
            let key = fold(c.term.trim());
            if key.is_empty() || names.contains_key(&key) {
                continue;
            }
            names.insert(key, concepts.len());
            concepts.push(c.clone());
        }
        // Other names of the same concepts, never taking a name a listed term owns.
        for (i, c) in concepts.iter().enumerate() {
            if let Some(e) = thesaurus.lookup(&c.term) {
                for form in e.surface_forms() {
                    names.entry(fold(form.trim())).or_insert(i);
                }
            }
        }
        let resolve = |t: &str| -> Option<usize> {
            let key = fold(t.trim());
            names.get(&key).copied().or_else(|| thesaurus.lookup(t).and_then(|e| names.get(&fold(&e.term)).copied()))
        };

        let mut passages = Vec::new();
        let mut passage_index: HashMap<String, u32> = HashMap::new();
        let mut concept_passages: Vec<Vec<u32>> = vec![Vec::new(); concepts.len()];
        // (a, b) → pair index.
        let mut pair_of: HashMap<(usize, usize), usize> = HashMap::new();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut pair_idx = |a: usize, b: usize, pairs: &mut Vec<Pair>| -> usize {
            let key = (a.min(b), a.max(b));
            *pair_of.entry(key).or_insert_with(|| {
                pairs.push(Pair { a: key.0, b: key.1, cooc: Vec::new(), typed: Vec::new() });
                pairs.len() - 1
            })
        };
        for p in &input.passages {
            if passage_index.contains_key(&p.passage_id) {
                continue;
            }
            let pi = passages.len() as u32;
            passage_index.insert(p.passage_id.clone(), pi);
            passages.push(PassageMeta { id: p.passage_id.clone(), doc_id: p.doc_id.clone(), year: p.year });
            let mut in_passage: BTreeSet<usize> = BTreeSet::new();
            let mut sentence_pairs: BTreeMap<(usize, usize), u32> = BTreeMap::new();
            for s in &p.sentences {
                let set: BTreeSet<usize> = s.iter().filter_map(|t| resolve(t)).collect();
                let v: Vec<usize> = set.iter().copied().collect();
                for (x, &a) in v.iter().enumerate() {
                    for &b in &v[x + 1..] {
                        *sentence_pairs.entry((a, b)).or_default() += 1;
                    }
                }
                in_passage.extend(set);
            }
            let v: Vec<usize> = in_passage.iter().copied().collect();
            for &c in &v {
                concept_passages[c].push(pi);
            }
            for (x, &a) in v.iter().enumerate() {
                for &b in &v[x + 1..] {
                    let k = pair_idx(a, b, &mut pairs);
                    pairs[k].cooc.push((pi, sentence_pairs.get(&(a, b)).copied().unwrap_or(0)));
                }
            }
        }
        // Typed relations, aggregated by (from, to, kind); relations citing an unknown
        // passage or concept are dropped: an edge without evidence would break the promise.
        let mut typed: BTreeMap<(usize, usize, RelationKind), BTreeSet<u32>> = BTreeMap::new();
        for (from, to, kind, pid) in &input.relations {
            let (Some(f), Some(t), Some(&pi)) = (resolve(from), resolve(to), passage_index.get(pid)) else { continue };
            if f != t {
                typed.entry((f, t, *kind)).or_default().insert(pi);
            }
        }
        for ((f, t, kind), ps) in typed {
            let k = pair_idx(f, t, &mut pairs);
            pairs[k].typed.push(Typed { from: f, to: t, kind, passages: ps.into_iter().collect() });
        }

        let mut graph: UnGraph<Node, Link> = UnGraph::default();
        for i in 0..concepts.len() {
            graph.add_node(Node::Concept(i));
        }
        for (k, p) in pairs.iter().enumerate() {
            graph.add_edge(NodeIndex::new(p.a), NodeIndex::new(p.b), Link::Pair(k));
        }
        let mut doc_nodes: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for p in &passages {
            if !doc_nodes.contains_key(&p.doc_id) {
                let n = graph.add_node(Node::Document(p.doc_id.clone()));
                doc_nodes.insert(p.doc_id.clone(), n);
            }
        }
        for (c, ps) in concept_passages.iter().enumerate() {
            let mut by_doc: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
            for &pi in ps {
                by_doc.entry(passages[pi as usize].doc_id.as_str()).or_default().push(pi);
            }
            for (d, list) in by_doc {
                if let Some(&dn) = doc_nodes.get(d) {
                    graph.add_edge(dn, NodeIndex::new(c), Link::Mentions(list));
                }
            }
        }

        let mut g = ConceptGraph { concepts, names, passages, concept_passages, pairs, graph, full: Vec::new() };
        g.full = g.scoped(&Scope::default());
        g
    }

    /// The petgraph graph: concept nodes first (node index = concept index), then one node
    /// per document; `Link::Pair` edges between concepts, `Link::Mentions` from documents.
    pub fn petgraph(&self) -> &UnGraph<Node, Link> {
        &self.graph
    }

    pub fn concepts(&self) -> &[ConceptInfo] {
        &self.concepts
    }

    /// Number of concept–concept edges.
    pub fn edge_count(&self) -> usize {
        self.pairs.len()
    }

    /// The canonical term a name (alias, other script) stands for.
    pub fn canonical(&self, name: &str) -> Result<&str> {
        self.index_of(name).map(|i| self.concepts[i].term.as_str())
    }

    fn index_of(&self, name: &str) -> Result<usize> {
        self.names.get(&fold(name.trim())).copied().ok_or_else(|| Error::UnknownConcept(name.trim().to_string()))
    }

    /// The documents mentioning a concept, with the passages, in document-id order.
    pub fn documents_of(&self, term: &str) -> Result<Vec<(String, Vec<String>)>> {
        let i = self.index_of(term)?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let me = NodeIndex::new(i);
        for e in self.graph.edges(me) {
            // Undirected: the document is whichever end is not this concept.
            let other = if e.source() == me { e.target() } else { e.source() };
            if let (Link::Mentions(ps), Some(Node::Document(d))) = (e.weight(), self.graph.node_weight(other)) {
                out.push((d.clone(), ps.iter().map(|&p| self.passages[p as usize].id.clone()).collect()));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every pair's numbers within `scope`; pairs with no evidence in scope are left out.
    fn scoped(&self, scope: &Scope) -> Vec<Scoped> {
        let all = scope.is_all();
        let admit = |pi: u32| all || scope.admits(&self.passages[pi as usize]);
        let n = if all { self.passages.len() } else { self.passages.iter().filter(|p| scope.admits(p)).count() };
        let marg: Vec<usize> = if all {
            self.concept_passages.iter().map(Vec::len).collect()
        } else {
            self.concept_passages.iter().map(|ps| ps.iter().filter(|&&p| admit(p)).count()).collect()
        };
        let mut out = Vec::with_capacity(self.pairs.len());
        for (k, p) in self.pairs.iter().enumerate() {
            let cooc: Vec<(u32, u32)> = p.cooc.iter().copied().filter(|&(pi, _)| admit(pi)).collect();
            let typed: Vec<(usize, usize, RelationKind, Vec<u32>)> = p
                .typed
                .iter()
                .map(|t| {
                    (t.from, t.to, t.kind, t.passages.iter().copied().filter(|&pi| admit(pi)).collect::<Vec<u32>>())
                })
                .filter(|t| !t.3.is_empty())
                .collect();
            if cooc.is_empty() && typed.is_empty() {
                continue;
            }
            let passage_count = cooc.len() as u32;
            let sentence_count: u32 = cooc.iter().map(|c| c.1).sum();
            let mut weight = 0.0;
            if passage_count > 0 {
                let expected = (marg[p.a] as f64) * (marg[p.b] as f64) / (n.max(1) as f64);
                let assoc = if expected > 0.0 { passage_count as f64 / expected } else { 0.0 };
                weight = (sentence_count + passage_count) as f64 * assoc / (1.0 + assoc);
            }
            // A stated relation is at least as strong as one sentence naming both.
            let typed_passages: BTreeSet<u32> = typed.iter().flat_map(|t| t.3.iter().copied()).collect();
            weight += typed_passages.len() as f64;
            let mut passages: Vec<u32> = typed_passages.iter().copied().collect();
            let mut sentence_level: Vec<(u32, u32)> = cooc.iter().copied().filter(|c| c.1 > 0).collect();
            sentence_level.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            for (pi, _) in sentence_level.into_iter().chain(cooc.iter().copied().filter(|c| c.1 == 0)) {
                if !typed_passages.contains(&pi) {
                    passages.push(pi);
                }
            }
            out.push(Scoped { pair: k, a: p.a, b: p.b, weight, passage_count, sentence_count, passages, typed });
        }
        out
    }

    fn scoped_for(&self, scope: &Scope) -> std::borrow::Cow<'_, [Scoped]> {
        if scope.is_all() {
            std::borrow::Cow::Borrowed(&self.full)
        } else {
            std::borrow::Cow::Owned(self.scoped(scope))
        }
    }

    fn ids(&self, ps: &[u32]) -> Vec<String> {
        ps.iter().map(|&p| self.passages[p as usize].id.clone()).collect()
    }

    fn kinds(s: &Scoped) -> Vec<String> {
        let mut k = Vec::new();
        if s.passage_count > 0 {
            k.push(COOCCURRENCE.to_string());
        }
        for t in &s.typed {
            let name = t.2.as_str().to_string();
            if !k.contains(&name) {
                k.push(name);
            }
        }
        k
    }

    fn relation_refs(&self, s: &Scoped) -> Vec<RelationRef> {
        s.typed
            .iter()
            .map(|t| RelationRef {
                from: self.concepts[t.0].term.clone(),
                to: self.concepts[t.1].term.clone(),
                kind: t.2,
                passages: self.ids(&t.3),
            })
            .collect()
    }

    /// The concepts linked to `term`, strongest first (ties by term), with the passages
    /// that support each link. Filters restrict the types of the neighbours and recompute
    /// everything from the passages of one document or a range of years.
    pub fn neighbors(&self, term: &str, filter: &Filter) -> Result<Vec<Neighbor>> {
        let c = self.index_of(term)?;
        let scope = Scope::of(filter);
        let scoped = self.scoped_for(&scope);
        let by_pair: HashMap<usize, &Scoped> = scoped.iter().map(|s| (s.pair, s)).collect();
        let mut out = Vec::new();
        for e in self.graph.edges(NodeIndex::new(c)) {
            let Link::Pair(k) = e.weight() else { continue };
            let Some(s) = by_pair.get(k) else { continue };
            let other = if s.a == c { s.b } else { s.a };
            let info = &self.concepts[other];
            if !filter.types.is_empty() && !filter.types.contains(&info.ctype) {
                continue;
            }
            out.push(Neighbor {
                term: info.term.clone(),
                ctype: info.ctype,
                weight: s.weight,
                count: if s.passage_count > 0 { s.passage_count } else { s.passages.len() as u32 },
                sentence_count: s.sentence_count,
                kinds: Self::kinds(s),
                relations: self.relation_refs(s),
                passages: self.ids(&s.passages),
            });
        }
        out.sort_by(|x, y| y.weight.total_cmp(&x.weight).then_with(|| x.term.cmp(&y.term)));
        if let Some(l) = filter.limit {
            out.truncate(l);
        }
        Ok(out)
    }

    /// Adjacency over concepts: per node, (neighbour, scoped index), in a fixed order.
    fn adjacency(&self, scoped: &[Scoped]) -> Vec<Vec<(usize, usize)>> {
        let mut adj = vec![Vec::new(); self.concepts.len()];
        for (k, s) in scoped.iter().enumerate() {
            if s.weight > 0.0 {
                adj[s.a].push((s.b, k));
                adj[s.b].push((s.a, k));
            }
        }
        for list in &mut adj {
            list.sort_unstable();
        }
        adj
    }

    /// The strongest path from `a` to `b`: Dijkstra with cost 1/weight per hop, so a path
    /// through strongly linked concepts beats a short path through weak ones. Every hop
    /// carries its evidence passages.
    pub fn path(&self, a: &str, b: &str) -> Result<Vec<Hop>> {
        let (s, t) = (self.index_of(a)?, self.index_of(b)?);
        if s == t {
            return Ok(Vec::new());
        }
        let adj = self.adjacency(&self.full);
        let (dist, prev) = dijkstra(&adj, &self.full, s);
        if !dist[t].is_finite() {
            return Err(Error::NoPath(self.concepts[s].term.clone(), self.concepts[t].term.clone()));
        }
        let mut hops = Vec::new();
        let mut at = t;
        while at != s {
            let Some((p, k)) = prev[at] else {
                return Err(Error::Internal(format!("broken path to {}", self.concepts[at].term)));
            };
            let sc = &self.full[k];
            hops.push(Hop {
                from: self.concepts[p].term.clone(),
                to: self.concepts[at].term.clone(),
                weight: sc.weight,
                kind: sc.typed.first().map(|t| t.2.as_str().to_string()).unwrap_or_else(|| COOCCURRENCE.to_string()),
                passages: self.ids(&sc.passages),
            });
            at = p;
        }
        hops.reverse();
        Ok(hops)
    }

    /// The links a filter keeps: co-occurrence counted only in its documents and years,
    /// both ends of one of its types (all types when it names none).
    fn filtered(&self, f: &Filter) -> std::borrow::Cow<'_, [Scoped]> {
        let links = self.scoped_for(&Scope::of(f));
        if f.types.is_empty() {
            return links;
        }
        let type_ok = |i: usize| f.types.contains(&self.concepts[i].ctype);
        links.iter().filter(|s| type_ok(s.a) && type_ok(s.b)).cloned().collect::<Vec<_>>().into()
    }

    /// Degree, weighted degree, PageRank (weighted, damping 0.85) and betweenness (Brandes
    /// on the path costs of [`ConceptGraph::path`]) of every concept of the filter's types
    /// that its documents and years mention, by weighted degree descending, then term.
    pub fn centrality(&self, f: &Filter) -> Vec<Centrality> {
        let scope = Scope::of(f);
        let listed = |i: usize| {
            (f.types.is_empty() || f.types.contains(&self.concepts[i].ctype))
                && (scope.is_all()
                    || self.concept_passages[i].iter().any(|&p| scope.admits(&self.passages[p as usize])))
        };
        let links = self.filtered(f);
        let adj = self.adjacency(&links);
        let wdeg: Vec<f64> = adj.iter().map(|l| l.iter().map(|&(_, k)| links[k].weight).sum()).collect();
        let pr = pagerank(&adj, &links, &wdeg);
        let bc = betweenness(&adj, &links);
        let mut out: Vec<Centrality> = self
            .concepts
            .iter()
            .enumerate()
            .filter(|&(i, _)| listed(i))
            .map(|(i, c)| Centrality {
                term: c.term.clone(),
                ctype: c.ctype,
                degree: adj[i].len(),
                weighted_degree: wdeg[i],
                pagerank: pr[i],
                betweenness: bc[i],
            })
            .collect();
        out.sort_by(|x, y| y.weighted_degree.total_cmp(&x.weighted_degree).then_with(|| x.term.cmp(&y.term)));
        out
    }

    /// Louvain communities of the filter's part of the concept graph (deterministic),
    /// largest first; concepts with no link there are left out.
    pub fn communities(&self, f: &Filter) -> Vec<CommunityInfo> {
        let links = self.filtered(f);
        let adj = self.adjacency(&links);
        let wdeg: Vec<f64> = adj.iter().map(|l| l.iter().map(|&(_, k)| links[k].weight).sum()).collect();
        let edges: Vec<(usize, usize, f64)> = links.iter().map(|s| (s.a, s.b, s.weight)).collect();
        let labels = export::communities(self.concepts.len(), &edges, MAP_SEED);
        let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, &l) in labels.iter().enumerate() {
            if !adj[i].is_empty() {
                groups.entry(l).or_default().push(i);
            }
        }
        let mut out: Vec<CommunityInfo> = groups
            .into_values()
            .map(|mut m| {
                m.sort_by(|&x, &y| {
                    wdeg[y].total_cmp(&wdeg[x]).then_with(|| self.concepts[x].term.cmp(&self.concepts[y].term))
                });
                let members: Vec<String> = m.iter().map(|&i| self.concepts[i].term.clone()).collect();
                CommunityInfo { id: 0, label: members.iter().take(3).cloned().collect::<Vec<_>>().join("·"), members }
            })
            .collect();
        out.sort_by(|x, y| y.members.len().cmp(&x.members.len()).then_with(|| x.members.cmp(&y.members)));
        for (i, c) in out.iter_mut().enumerate() {
            c.id = i as u32;
        }
        out
    }

    /// The concepts within `depth` (1 or 2) hops of `term` and every link among them.
    pub fn ego(&self, term: &str, depth: usize) -> Result<Ego> {
        let c = self.index_of(term)?;
        if !(1..=2).contains(&depth) {
            return Err(Error::Invalid(format!("ego depth must be 1 or 2, not {depth}")));
        }
        let adj = self.adjacency(&self.full);
        let dist = bfs(&adj, c, depth, |_| true);
        let mut nodes: Vec<(usize, usize)> = dist.iter().map(|(&n, &d)| (n, d)).collect();
        nodes.sort_by(|x, y| x.1.cmp(&y.1).then_with(|| self.concepts[x.0].term.cmp(&self.concepts[y.0].term)));
        let edges = self
            .full
            .iter()
            .filter(|s| dist.contains_key(&s.a) && dist.contains_key(&s.b))
            .map(|s| self.ego_edge(s))
            .collect();
        Ok(Ego {
            center: self.concepts[c].term.clone(),
            nodes: nodes
                .into_iter()
                .map(|(i, d)| EgoNode {
                    term: self.concepts[i].term.clone(),
                    ctype: self.concepts[i].ctype,
                    mentions: self.concepts[i].mentions,
                    distance: d,
                })
                .collect(),
            edges,
        })
    }

    fn ego_edge(&self, s: &Scoped) -> EgoEdge {
        EgoEdge {
            from: self.concepts[s.a].term.clone(),
            to: self.concepts[s.b].term.clone(),
            weight: s.weight,
            count: s.passage_count,
            kinds: Self::kinds(s),
            passages: self.ids(&s.passages),
        }
    }

    /// The concept map: the neighbourhood of `center` (or the top concepts by weighted
    /// degree), at most `top` concepts, pruned for readability — the centre keeps all its
    /// links, every other node its `max_edges_per_node` strongest, plus a maximum spanning
    /// tree so that what was connected stays connected — with communities and a
    /// deterministic layout.
    pub fn map(&self, opts: &MapOptions) -> Result<MapGraph> {
        let scope = Scope { doc_id: opts.doc_id.clone(), year_from: opts.year_from, year_to: opts.year_to };
        let scoped = self.scoped_for(&scope);
        let center = opts.center.as_deref().map(|c| self.index_of(c)).transpose()?;
        let type_ok =
            |i: usize| opts.types.is_empty() || opts.types.contains(&self.concepts[i].ctype) || Some(i) == center;
        let edge_ok = |s: &Scoped| s.weight > 0.0 && s.weight >= opts.min_weight && type_ok(s.a) && type_ok(s.b);
        let eligible: Vec<&Scoped> = scoped.iter().filter(|s| edge_ok(s)).collect();
        let mut wdeg = vec![0.0f64; self.concepts.len()];
        let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.concepts.len()];
        for (k, s) in eligible.iter().enumerate() {
            wdeg[s.a] += s.weight;
            wdeg[s.b] += s.weight;
            adj[s.a].push((s.b, k));
            adj[s.b].push((s.a, k));
        }
        // Concepts that exist in this scope and pass the type filter.
        let mentions_in_scope: Vec<u32> = self
            .concept_passages
            .iter()
            .map(|ps| ps.iter().filter(|&&p| scope.is_all() || scope.admits(&self.passages[p as usize])).count() as u32)
            .collect();
        let total_nodes = (0..self.concepts.len()).filter(|&i| type_ok(i) && mentions_in_scope[i] > 0).count();
        let by_strength = |x: &usize, y: &usize| {
            wdeg[*y].total_cmp(&wdeg[*x]).then_with(|| self.concepts[*x].term.cmp(&self.concepts[*y].term))
        };
        let mut chosen: Vec<usize> = match center {
            Some(c) => {
                let depth = opts.depth.clamp(1, 2);
                let dist = bfs(&adj, c, depth, |_| true);
                let mut others: Vec<usize> = dist.keys().copied().filter(|&i| i != c).collect();
                others.sort_by(by_strength);
                std::iter::once(c).chain(others).collect()
            }
            None => {
                let mut all: Vec<usize> = (0..self.concepts.len()).filter(|&i| wdeg[i] > 0.0).collect();
                all.sort_by(by_strength);
                all
            }
        };
        chosen.truncate(opts.top.max(1));
        let shown: HashMap<usize, usize> = chosen.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
        let induced: Vec<usize> = (0..eligible.len())
            .filter(|&k| shown.contains_key(&eligible[k].a) && shown.contains_key(&eligible[k].b))
            .collect();

        // Pruning: the k strongest links of every node, plus a maximum spanning tree.
        let strongest = |x: &usize, y: &usize| {
            eligible[*y].weight.total_cmp(&eligible[*x].weight).then_with(|| {
                let (a, b) = (eligible[*x], eligible[*y]);
                (&self.concepts[a.a].term, &self.concepts[a.b].term)
                    .cmp(&(&self.concepts[b.a].term, &self.concepts[b.b].term))
            })
        };
        let mut sorted = induced.clone();
        sorted.sort_by(strongest);
        let mut keep: BTreeSet<usize> = BTreeSet::new();
        let mut per_node: HashMap<usize, usize> = HashMap::new();
        for &k in &sorted {
            let s = eligible[k];
            // An ego map keeps every link of its centre: they are what it is drawn for.
            if center.is_some_and(|c| s.a == c || s.b == c) {
                keep.insert(k);
                continue;
            }
            let (na, nb) = (per_node.get(&s.a).copied().unwrap_or(0), per_node.get(&s.b).copied().unwrap_or(0));
            if na < opts.max_edges_per_node || nb < opts.max_edges_per_node {
                keep.insert(k);
                *per_node.entry(s.a).or_default() += 1;
                *per_node.entry(s.b).or_default() += 1;
            }
        }
        let mut uf: Vec<usize> = (0..chosen.len()).collect();
        fn find(uf: &mut [usize], mut x: usize) -> usize {
            while uf[x] != x {
                uf[x] = uf[uf[x]];
                x = uf[x];
            }
            x
        }
        for &k in &sorted {
            let s = eligible[k];
            let (ra, rb) = (find(&mut uf, shown[&s.a]), find(&mut uf, shown[&s.b]));
            if ra != rb {
                uf[ra] = rb;
                keep.insert(k);
            }
        }
        let mut kept: Vec<usize> = keep.into_iter().collect();
        kept.sort_by(strongest);

        let nodes: Vec<MapNode> = chosen
            .iter()
            .map(|&i| MapNode {
                id: self.concepts[i].term.clone(),
                term: self.concepts[i].term.clone(),
                r#type: self.concepts[i].ctype,
                // Node size follows how often the concept occurs, as in VOSviewer; the
                // map's choice of concepts follows their link strength.
                weight: if scope.is_all() { self.concepts[i].mentions } else { mentions_in_scope[i] } as f64,
                mentions: if scope.is_all() { self.concepts[i].mentions } else { mentions_in_scope[i] },
                community: 0,
                x: 0.0,
                y: 0.0,
            })
            .collect();
        let edges: Vec<MapEdge> = kept
            .iter()
            .enumerate()
            .map(|(n, &k)| {
                let s = eligible[k];
                // A typed edge is drawn in its own direction and labelled with its kind.
                let (src, dst, kind) = match s.typed.first() {
                    Some(t) => (t.0, t.1, t.2.as_str().to_string()),
                    None => (s.a, s.b, COOCCURRENCE.to_string()),
                };
                MapEdge {
                    id: format!("e{n}"),
                    source: self.concepts[src].term.clone(),
                    target: self.concepts[dst].term.clone(),
                    weight: s.weight,
                    count: s.passage_count.max(s.typed.iter().map(|t| t.3.len() as u32).max().unwrap_or(0)),
                    kind,
                    passages: self.ids(&s.passages),
                }
            })
            .collect();

        // Communities of the shown map, labelled by their strongest members.
        let cedges: Vec<(usize, usize, f64)> =
            kept.iter().map(|&k| (shown[&eligible[k].a], shown[&eligible[k].b], eligible[k].weight)).collect();
        let labels = export::communities(chosen.len(), &cedges, MAP_SEED);
        let mut map = MapGraph {
            shown_nodes: nodes.len(),
            total_nodes,
            shown_edges: edges.len(),
            total_edges: eligible.len(),
            nodes,
            edges,
            communities: Vec::new(),
            title: match center {
                Some(c) => format!("{}的概念图", self.concepts[c].term),
                None => "概念图".to_string(),
            },
            center: center.map(|c| self.concepts[c].term.clone()),
        };
        let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (pos, n) in map.nodes.iter_mut().enumerate() {
            n.community = labels.get(pos).copied().unwrap_or(0);
            groups.entry(n.community).or_default().push(pos);
        }
        // Nodes are already in strength order, so each group's first three are its top.
        map.communities = groups
            .into_iter()
            .map(|(id, m)| Community {
                id,
                label: m.iter().take(3).map(|&p| map.nodes[p].term.as_str()).collect::<Vec<_>>().join("·"),
                size: m.len(),
            })
            .collect();
        export::layout(&mut map, MAP_SEED);
        Ok(map)
    }
}

/// Breadth-first distances from `s` up to `depth` hops.
fn bfs(adj: &[Vec<(usize, usize)>], s: usize, depth: usize, ok: impl Fn(usize) -> bool) -> HashMap<usize, usize> {
    let mut dist = HashMap::new();
    dist.insert(s, 0);
    let mut frontier = vec![s];
    for d in 1..=depth {
        let mut next = Vec::new();
        for &u in &frontier {
            for &(v, _) in &adj[u] {
                if ok(v) && !dist.contains_key(&v) {
                    dist.insert(v, d);
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    dist
}

/// Cost of crossing an edge: strong links are short.
fn cost(s: &Scoped) -> f64 {
    1.0 / s.weight
}

#[derive(PartialEq)]
struct Item(f64, usize);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    // Min-heap on cost, ties by node index, so runs are deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}

/// Single-source Dijkstra; `prev[v]` = (predecessor, scoped edge index).
fn dijkstra(adj: &[Vec<(usize, usize)>], scoped: &[Scoped], s: usize) -> (Vec<f64>, Vec<Option<(usize, usize)>>) {
    let n = adj.len();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![None; n];
    let mut heap = BinaryHeap::new();
    dist[s] = 0.0;
    heap.push(Item(0.0, s));
    while let Some(Item(d, u)) = heap.pop() {
        if d > dist[u] {
            continue;
        }
        for &(v, k) in &adj[u] {
            let nd = d + cost(&scoped[k]);
            if nd < dist[v] {
                dist[v] = nd;
                prev[v] = Some((u, k));
                heap.push(Item(nd, v));
            }
        }
    }
    (dist, prev)
}

/// Weighted PageRank (damping 0.85, dangling mass spread evenly), 100 iterations.
fn pagerank(adj: &[Vec<(usize, usize)>], scoped: &[Scoped], wdeg: &[f64]) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let d = 0.85;
    let mut pr = vec![1.0 / n as f64; n];
    for _ in 0..100 {
        let dangling: f64 = (0..n).filter(|&i| wdeg[i] <= 0.0).map(|i| pr[i]).sum();
        let base = (1.0 - d) / n as f64 + d * dangling / n as f64;
        let mut next = vec![base; n];
        for u in 0..n {
            if wdeg[u] <= 0.0 {
                continue;
            }
            for &(v, k) in &adj[u] {
                next[v] += d * pr[u] * scoped[k].weight / wdeg[u];
            }
        }
        pr = next;
    }
    pr
}

/// Brandes' betweenness on weighted shortest paths (cost 1/weight), normalised by the
/// number of pairs of other nodes, (n-1)(n-2)/2.
fn betweenness(adj: &[Vec<(usize, usize)>], scoped: &[Scoped]) -> Vec<f64> {
    let n = adj.len();
    let mut bc = vec![0.0; n];
    const EPS: f64 = 1e-9;
    for s in 0..n {
        let mut stack = Vec::new();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![f64::INFINITY; n];
        sigma[s] = 1.0;
        dist[s] = 0.0;
        let mut heap = BinaryHeap::new();
        heap.push(Item(0.0, s));
        let mut done = vec![false; n];
        while let Some(Item(d, u)) = heap.pop() {
            if done[u] || d > dist[u] + EPS {
                continue;
            }
            done[u] = true;
            stack.push(u);
            for &(v, k) in &adj[u] {
                let nd = d + cost(&scoped[k]);
                if nd < dist[v] - EPS {
                    dist[v] = nd;
                    sigma[v] = sigma[u];
                    preds[v] = vec![u];
                    heap.push(Item(nd, v));
                } else if (nd - dist[v]).abs() <= EPS && !done[v] {
                    sigma[v] += sigma[u];
                    preds[v].push(u);
                }
            }
        }
        let mut delta = vec![0.0f64; n];
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                if sigma[w] > 0.0 {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                bc[w] += delta[w];
            }
        }
    }
    // Each unordered pair was counted from both ends.
    let pairs = if n > 2 { ((n - 1) * (n - 2)) as f64 } else { 1.0 };
    bc.iter().map(|b| b / pairs).collect()
}
