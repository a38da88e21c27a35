//! library (being written).
pub struct Library;
