//! concepts (being written).
