//! Typed relations (being written on the graph branch).
