//! Integration tests of the engine over real files, a real index and a real SQLite file.

mod ingest;
mod normalise;
