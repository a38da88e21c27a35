//! The concept subcommands: `concepts`, `concept` (show or curate), `path`, `candidates`,
//! `graph export|centrality|communities`, `thesaurus export|import`.

use crate::output::{print_json, Out};
use crate::{CmdResult, ConceptAction, GraphAction, MapArgs, ScopeArgs, ThesaurusAction};
use anyhow::{anyhow, Context};
use nts_core::export::{ExportFormat, ExportOptions};
use nts_core::graph::{Filter, MapOptions};
use nts_core::thesaurus::Entry;
use nts_core::{ConceptType, Library};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn parse_type(s: &str) -> anyhow::Result<ConceptType> {
    ConceptType::parse(s).ok_or_else(|| anyhow!("unknown type “{s}”: use actor, threat, mechanism, concept or region"))
}

fn parse_types(v: &[String]) -> anyhow::Result<Vec<ConceptType>> {
    v.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()).map(parse_type).collect()
}

pub fn map_options(m: &MapArgs) -> anyhow::Result<MapOptions> {
    Ok(MapOptions {
        center: m.around.clone(),
        depth: m.depth.clamp(1, 2),
        types: parse_types(&m.scope.types)?,
        min_weight: m.min_weight,
        top: m.top.max(2),
        doc_id: m.scope.doc.clone(),
        year_from: m.scope.year_from,
        year_to: m.scope.year_to,
        ..Default::default()
    })
}

/// The graph filter of `--type/--doc/--year-from/--year-to`; an unknown document is an error.
fn scope_filter(lib: &Library, s: &ScopeArgs) -> anyhow::Result<Filter> {
    if let Some(d) = &s.doc {
        lib.document(d)?;
    }
    Ok(Filter {
        types: parse_types(&s.types)?,
        doc_id: s.doc.clone(),
        year_from: s.year_from,
        year_to: s.year_to,
        limit: None,
    })
}

pub fn concepts(lib: &Library, out: Out, ty: Option<&str>, limit: Option<usize>) -> CmdResult {
    let t = ty.map(parse_type).transpose()?;
    let mut list = lib.concepts(t)?;
    if let Some(n) = limit {
        list.truncate(n);
    }
    if out.json {
        print_json(&json!({ "concepts": list }));
    } else {
        for c in &list {
            println!(
                "{:<24} {:<6} {:>5} mentions in {} documents",
                c.term,
                c.ctype.label_zh(),
                c.mentions,
                c.documents
            );
        }
        println!("{} concepts", list.len());
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
pub fn concept(
    lib: &Library,
    out: Out,
    action: Option<&ConceptAction>,
    term: Option<&str>,
    types: &[String],
    doc: Option<String>,
    year_from: Option<i32>,
    year_to: Option<i32>,
    limit: Option<usize>,
) -> CmdResult {
    if let Some(a) = action {
        let msg = curate(lib, a)?;
        if out.json {
            print_json(&json!({ "ok": true, "message": msg }));
        } else {
            println!("{msg}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let term = term.ok_or_else(|| anyhow!("name a concept: nts concept TERM"))?;
    let filter =
        Filter { types: parse_types(types)?, doc_id: doc, year_from, year_to, limit: Some(limit.unwrap_or(20)) };
    let d = lib.concept(term, &filter)?;
    if out.json {
        let mut v = serde_json::to_value(&d)?;
        v["documents"] = json!(d.summary.documents);
        print_json(&v);
        return Ok(ExitCode::SUCCESS);
    }
    let s = &d.summary;
    println!(
        "{} [{} {}]  {} mentions in {} documents",
        s.term,
        s.ctype.label_zh(),
        s.ctype.as_str(),
        s.mentions,
        s.documents
    );
    if !s.aliases.is_empty() {
        println!("aliases: {}", s.aliases.join(" / "));
    }
    if !s.english.is_empty() {
        println!("English: {}", s.english);
    }
    println!("\nneighbours:");
    for n in &d.neighbors {
        println!(
            "  {:<24} {:<6} weight {:.3}  {} passages  {}  e.g. {}",
            n.term,
            n.ctype.label_zh(),
            n.weight,
            n.count,
            n.kinds.join(","),
            n.passages.iter().take(3).cloned().collect::<Vec<_>>().join(" ")
        );
    }
    println!("\npassages:");
    for p in d.passages.iter().take(5) {
        let short: String = p.text.chars().take(90).collect();
        println!("  [{}] {}…", p.passage_id, short);
    }
    Ok(ExitCode::SUCCESS)
}

fn curate(lib: &Library, a: &ConceptAction) -> anyhow::Result<String> {
    Ok(match a {
        ConceptAction::Accept { term, concept_type } => {
            let t = parse_type(concept_type)?;
            lib.accept_candidate(term, t)?;
            format!("accepted “{term}” as {}", t.label_zh())
        }
        ConceptAction::Reject { term } => {
            lib.reject_candidate(term)?;
            format!("rejected “{term}”; it will not be proposed again")
        }
        ConceptAction::Merge { from, into } => {
            lib.merge_concepts(from, into)?;
            format!("merged “{from}” into “{into}” (now an alias)")
        }
        ConceptAction::Retype { term, concept_type } => {
            let t = parse_type(concept_type)?;
            lib.retype_concept(term, t)?;
            format!("“{term}” is now {}", t.label_zh())
        }
        ConceptAction::Add { term, concept_type, aliases, english } => {
            let t = parse_type(concept_type)?;
            lib.add_concept(Entry {
                term: term.clone(),
                ctype: t,
                aliases: aliases.clone(),
                english: english.clone(),
                traditional: String::new(),
                freq: 3000,
            })?;
            format!("added “{term}” as {}", t.label_zh())
        }
        ConceptAction::Delete { term } => {
            lib.delete_concept(term)?;
            format!("deleted “{term}” from the thesaurus in force")
        }
    })
}

pub fn path(lib: &Library, out: Out, a: &str, b: &str) -> CmdResult {
    let hops = lib.path(a, b)?;
    if out.json {
        print_json(&json!({ "path": hops }));
        return Ok(ExitCode::SUCCESS);
    }
    for h in &hops {
        println!("{} —[{} {:.3}]→ {}", h.from, h.kind, h.weight, h.to);
        for pid in h.passages.iter().take(2) {
            if let Ok(p) = lib.passage(pid) {
                let short: String = p.text.chars().take(90).collect();
                println!("    [{pid}] {short}…");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn candidates(lib: &Library, out: Out, min_freq: u32, limit: Option<usize>) -> CmdResult {
    let mut c = lib.candidates(min_freq)?;
    c.truncate(limit.unwrap_or(50));
    if out.json {
        print_json(&json!({ "candidates": c }));
    } else {
        for x in &c {
            println!(
                "{:<20} {:<6} confidence {:.2}  ×{} in {} documents  ({})",
                x.term,
                x.proposed_type.label_zh(),
                x.confidence,
                x.frequency,
                x.documents,
                x.reason
            );
        }
        println!("{} candidates — accept with `nts concept accept TERM --type T`, or reject/merge/retype", c.len());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn graph(lib: &Library, out: Out, action: &GraphAction, limit: Option<usize>) -> CmdResult {
    match action {
        GraphAction::Export { format, output, map, dpi, font } => {
            let fmt = ExportFormat::parse(format)
                .ok_or_else(|| anyhow!("unknown format “{format}”: svg, svg-text, png, graphml, gexf, csv or json"))?;
            let opts = map_options(map)?;
            let eopts = ExportOptions { dpi: *dpi, font_file: font.clone(), ..Default::default() };
            let m = lib.map(&opts)?;
            let path = output.clone().unwrap_or_else(|| PathBuf::from(format!("concept-map.{}", fmt.extension())));
            let written = nts_core::export::write(&m, fmt, &eopts, &path)?;
            if out.json {
                print_json(&json!({
                    "files": written, "shown_nodes": m.shown_nodes, "total_nodes": m.total_nodes,
                    "shown_edges": m.shown_edges, "total_edges": m.total_edges,
                }));
            } else {
                for w in &written {
                    println!("wrote {}", w.display());
                }
                println!(
                    "{} of {} concepts, {} of {} links shown",
                    m.shown_nodes, m.total_nodes, m.shown_edges, m.total_edges
                );
            }
        }
        GraphAction::Centrality { scope } => {
            let mut c = lib.graph()?.centrality(&scope_filter(lib, scope)?);
            c.sort_by(|a, b| b.pagerank.partial_cmp(&a.pagerank).unwrap_or(std::cmp::Ordering::Equal));
            c.truncate(limit.unwrap_or(usize::MAX));
            if out.json {
                print_json(&json!({ "centrality": c }));
            } else {
                for x in c.iter().take(limit.unwrap_or(30)) {
                    println!(
                        "{:<24} degree {:>3}  pagerank {:.4}  betweenness {:.4}",
                        x.term, x.degree, x.pagerank, x.betweenness
                    );
                }
            }
        }
        GraphAction::Communities { scope } => {
            let mut c = lib.graph()?.communities(&scope_filter(lib, scope)?);
            c.truncate(limit.unwrap_or(usize::MAX));
            if out.json {
                print_json(&json!({ "communities": c }));
            } else {
                for x in &c {
                    println!("{:>3}. {}  ({} concepts)", x.id, x.label, x.members.len());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn thesaurus(lib: &Library, out: Out, action: &ThesaurusAction) -> CmdResult {
    match action {
        ThesaurusAction::Export { output } => {
            let tsv = lib.export_user_thesaurus()?;
            match output {
                Some(p) => std::fs::write(p, tsv).with_context(|| format!("writing {}", p.display()))?,
                None => print!("{tsv}"),
            }
        }
        ThesaurusAction::Import { file } => {
            let tsv = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
            let n = lib.import_thesaurus(&tsv).with_context(|| format!("importing {}", file.display()))?;
            if out.json {
                print_json(&json!({ "imported": n }));
            } else {
                println!("imported {n} entries from {}", file.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
