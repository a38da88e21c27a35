//! segment (being written).
