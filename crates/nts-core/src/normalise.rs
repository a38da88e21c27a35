//! Normalise (minimal placeholder until the full cleaner lands): blank-line paragraphs.
use crate::model::{Block, BlockKind};
pub fn normalise(src: &str, _page_starts: &[usize]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut pos = 0;
    for para in src.split("\n\n") {
        let n = para.chars().count();
        let t = para.trim();
        if !t.is_empty() {
            out.push(Block {
                kind: BlockKind::Body,
                text: t.replace('\n', ""),
                section: vec![],
                range: pos..pos + n,
                page: None,
                marker: None,
            });
        }
        pos += n + 2;
    }
    out
}
