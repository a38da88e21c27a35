//! NTS Atlas engine: from noisy Chinese research texts to a searchable library and a
//! knowledge graph whose every node and edge opens to the passages that support it.
//!
//! The stages, one module each, in the order data flows through them:
//! [`ingest`] (files → decoded text) → [`normalise`] (noise removed, passages found) →
//! [`segment`] (jieba + thesaurus tokens) → [`search`] (tantivy index and queries) and
//! [`concepts`] (mentions, discovery) → [`graph`] (petgraph, evidence on every edge) →
//! [`export`] (GraphML/GEXF/CSV/JSON/SVG/PNG). [`store`] owns the SQLite file and
//! [`library`] ties the stages to one folder on disk behind one small API.

pub mod error;
pub mod model;

pub mod concepts;
pub mod export;
pub mod graph;
pub mod ingest;
pub mod library;
pub mod metadata;
pub mod normalise;
pub mod search;
pub mod segment;
pub mod store;
pub mod thesaurus;

pub use error::{Error, InputErrorKind, Result};
pub use library::Library;
pub use model::*;
