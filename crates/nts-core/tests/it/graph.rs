//! Concept graph tests.
