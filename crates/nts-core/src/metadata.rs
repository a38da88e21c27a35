//! metadata (being written).
