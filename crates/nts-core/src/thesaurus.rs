//! thesaurus (being written).
