//! Printing: the `--json` contracts of DESIGN.md (exactly one JSON document on stdout)
//! and the human-readable forms, highlights shown in bold on a terminal or 【】 otherwise.

use nts_core::library::{IndexReport, SearchResults};
use nts_core::search::snippet_html;
use nts_core::DocumentSummary;
use serde_json::{json, Value};
use std::io::IsTerminal;
use std::path::Path;

#[derive(Clone, Copy)]
pub struct Out {
    pub json: bool,
}

pub fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into()));
}

/// A marked snippet (`\u{1}`…`\u{2}`) for a human: bold on a terminal, 【】 in a pipe.
fn human_snippet(marked: &str) -> String {
    let (open, close) = if std::io::stdout().is_terminal() { ("\x1b[1;31m", "\x1b[0m") } else { ("【", "】") };
    marked.replace('\u{1}', open).replace('\u{2}', close)
}

pub fn search(out: Out, res: &SearchResults) {
    if out.json {
        let hits: Vec<Value> = res
            .hits
            .iter()
            .map(|h| {
                json!({
                    "doc_id": h.doc_id, "title": h.title, "authors": h.authors, "year": h.year,
                    "passage_id": h.passage_id, "section": h.section, "kind": h.kind,
                    "score": h.score, "snippet": snippet_html(&h.snippet), "highlights": h.highlights,
                    "text": h.text,
                })
            })
            .collect();
        print_json(&json!({ "query": res.query, "total": res.total, "hits": hits }));
        return;
    }
    println!("“{}”: {} passages", res.query, res.total);
    for (i, h) in res.hits.iter().enumerate() {
        let who = if h.authors.is_empty() { String::new() } else { format!(" · {}", h.authors.join("、")) };
        let year = h.year.map(|y| format!(" · {y}")).unwrap_or_default();
        let section = if h.section.is_empty() { String::new() } else { format!(" · {}", h.section.join(" › ")) };
        println!("\n{:>2}. {}{}{}{}  [{}]", i + 1, h.title, who, year, section, h.passage_id);
        println!("    {}", human_snippet(&h.snippet));
    }
}

pub fn docs(out: Out, docs: &[DocumentSummary]) {
    if out.json {
        print_json(&json!({ "documents": docs }));
        return;
    }
    for d in docs {
        let year = d.year.map(|y| y.to_string()).unwrap_or_else(|| "—".into());
        println!("{:<24} {:>5} {:>5} passages  {} · {}", d.doc_id, year, d.passages, d.title, d.authors.join("、"));
    }
    println!("{} documents", docs.len());
}

pub fn index(out: Out, r: &IndexReport, dir: &Path) {
    if out.json {
        let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
        v["library"] = json!(dir.display().to_string());
        print_json(&v);
    } else {
        println!(
            "{}: {} added, {} updated, {} unchanged, {} failed — {} documents, {} passages ({:.1} MB in {:.1}s)",
            dir.display(),
            r.added.len(),
            r.updated.len(),
            r.unchanged,
            r.failed.len(),
            r.documents,
            r.passages,
            r.bytes as f64 / 1e6,
            r.seconds
        );
        if r.resumed > 0 {
            println!("finished {} documents an interrupted run had left half-indexed", r.resumed);
        }
    }
    for f in &r.failed {
        eprintln!("nts: cannot index {}: {}", f.path, f.message);
    }
}
