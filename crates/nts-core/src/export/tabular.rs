//! The concept map as tables and as JSON: `nodes.csv` and `edges.csv` for spreadsheets and
//! Gephi's table import, and the [`MapGraph`] itself serialised for scripts.
//!
//! CSV follows RFC 4180: comma-separated, a header row, CRLF line ends, fields quoted when
//! they hold a comma, quote, line break or edge spaces, quotes doubled. UTF-8 without a
//! byte-order mark (tools such as networkx, pandas and Gephi read it as is; in Excel use
//! Data → From Text/CSV, UTF-8). Passage ids are joined by spaces, as in GraphML.

use super::{clean_edges, clean_nodes, MapGraph};
use crate::error::{Error, Result};
use std::collections::HashMap;

/// Pretty-printed JSON of the whole graph.
pub fn to_json(graph: &MapGraph) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(graph).map_err(|e| Error::Internal(format!("JSON export: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// `(nodes.csv, edges.csv)` bytes.
pub fn to_csv(graph: &MapGraph) -> (Vec<u8>, Vec<u8>) {
    let labels: HashMap<u32, &str> = graph.communities.iter().map(|c| (c.id, c.label.as_str())).collect();
    let nodes = clean_nodes(graph);
    let mut n = String::new();
    row(&mut n, &["id", "term", "type", "type_zh", "weight", "mentions", "community", "community_label", "x", "y"]);
    for node in &nodes {
        row(
            &mut n,
            &[
                &node.id,
                &node.term,
                node.r#type.as_str(),
                node.r#type.label_zh(),
                &num(node.weight),
                &node.mentions.to_string(),
                &node.community.to_string(),
                labels.get(&node.community).copied().unwrap_or(""),
                &num(node.x),
                &num(node.y),
            ],
        );
    }
    let terms: HashMap<&str, &str> = nodes.iter().map(|n| (n.id.as_str(), n.term.as_str())).collect();
    let mut e = String::new();
    row(&mut e, &["id", "source", "target", "source_term", "target_term", "weight", "count", "kind", "passages"]);
    for edge in clean_edges(graph) {
        row(
            &mut e,
            &[
                &edge.id,
                &edge.source,
                &edge.target,
                terms.get(edge.source.as_str()).copied().unwrap_or(""),
                terms.get(edge.target.as_str()).copied().unwrap_or(""),
                &num(edge.weight),
                &edge.count.to_string(),
                &edge.kind,
                &edge.passages.join(" "),
            ],
        );
    }
    (n.into_bytes(), e.into_bytes())
}

/// A float as the shortest text that reads back to the same value; non-finite becomes empty.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let needs_quotes = f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
        if needs_quotes {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}
