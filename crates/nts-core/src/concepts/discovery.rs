//! Candidate discovery (being written on the graph branch).
