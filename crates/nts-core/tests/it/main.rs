//! Integration tests of the engine over real files, a real tantivy index and a real
//! SQLite file in temporary folders. One binary; one module per stage.

mod common;
mod concepts;
mod export;
mod graph;
mod ingest;
mod library;
mod normalise;
mod search;
mod segment;
