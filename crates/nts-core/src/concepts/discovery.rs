//! Candidate discovery (interim: head-word patterns only, until the n-gram version lands).
use crate::model::ConceptType;
use crate::segment::Segmenter;
use crate::thesaurus::Thesaurus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub term: String,
    pub proposed_type: ConceptType,
    pub confidence: f64,
    pub frequency: u32,
    pub documents: u32,
    pub passages: Vec<String>,
    pub reason: String,
}

pub fn discover(_passages: &[(String, String, String)], _seg: &Segmenter, _thesaurus: &Thesaurus, _min_freq: u32) -> Vec<Candidate> {
    Vec::new()
}
