//! Concept tables (being written).
pub(super) const MIGRATION: &str = "";
