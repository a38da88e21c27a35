//! `nts`: the command-line shell over the NTS Atlas engine. It parses arguments, calls
//! `nts_core::Library`, and prints — human-readable by default, exactly one JSON document
//! on stdout with `--json` (the contracts in DESIGN.md). Errors go to stderr with a
//! non-zero exit; no engine decision is made here.

mod commands;
mod graph_cmds;
mod output;
mod serve;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "nts", version, about = "NTS Atlas 非传统安全文献图谱 — search and map Chinese NTS literature")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print exactly one JSON document on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// The library folder (default: NTS_LIBRARY, or index/ in the repository).
    #[arg(long, global = true, value_name = "DIR")]
    pub library: Option<PathBuf>,
    /// Maximum number of results.
    #[arg(long, global = true, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Add files and folders to the library (default: the bundled corpus).
    Index {
        paths: Vec<PathBuf>,
        /// Rebuild the search index from the stored passages (repairs a damaged index).
        #[arg(long)]
        rebuild: bool,
        /// Indexing threads.
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Search passages: words, "exact phrases", AND/OR/NOT, -word, title:, author:, year:2017..2020, type:threat.
    Search {
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Skip the first N hits (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only passages mentioning a concept of this type.
        #[arg(long = "type", value_name = "TYPE")]
        concept_type: Option<String>,
        /// Only this document.
        #[arg(long)]
        doc: Option<String>,
    },
    /// Show how the indexer segments a text.
    Segment {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Also show the sub-words the index holds for each term.
        #[arg(long)]
        all: bool,
    },
    /// List the documents in the library.
    Docs,
    /// List concepts found in the library (most mentioned first).
    Concepts {
        /// actor, threat, mechanism, concept or region (or 行为体, 威胁, 机制, 理论概念, 地区).
        #[arg(long = "type", value_name = "TYPE")]
        concept_type: Option<String>,
    },
    /// Show a concept (any alias, 繁/简) with its neighbours and passages, or curate it.
    #[command(args_conflicts_with_subcommands = true)]
    Concept {
        #[command(subcommand)]
        action: Option<ConceptAction>,
        term: Option<String>,
        /// Only neighbours of these types.
        #[arg(long = "type", value_name = "TYPE")]
        types: Vec<String>,
        /// Only evidence from this document.
        #[arg(long)]
        doc: Option<String>,
        #[arg(long)]
        year_from: Option<i32>,
        #[arg(long)]
        year_to: Option<i32>,
    },
    /// The strongest path between two concepts, with the passages along each hop.
    Path { from: String, to: String },
    /// Candidate concepts the thesaurus lacks (accept, retype, merge or reject them with `nts concept`).
    Candidates {
        /// Minimum frequency.
        #[arg(long, default_value_t = 3)]
        min_freq: u32,
    },
    /// The concept graph: export maps, centrality, communities.
    Graph {
        #[command(subcommand)]
        action: GraphAction,
    },
    /// Export or import the scholar's thesaurus edits (TSV).
    Thesaurus {
        #[command(subcommand)]
        action: ThesaurusAction,
    },
    /// Serve the UI and its JSON API on 127.0.0.1.
    Serve {
        #[arg(long, default_value_t = 7878)]
        port: u16,
        /// Folder holding the UI files (default: ui/ in the repository).
        #[arg(long)]
        ui: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ConceptAction {
    /// Accept a candidate as a concept of a type.
    Accept {
        term: String,
        #[arg(long = "type", value_name = "TYPE")]
        concept_type: String,
    },
    /// Reject a candidate: it will not be proposed again.
    Reject { term: String },
    /// Merge a concept or candidate into another: it becomes an alias.
    Merge { from: String, into: String },
    /// Change a concept's type.
    Retype {
        term: String,
        #[arg(value_name = "TYPE")]
        concept_type: String,
    },
    /// Add a concept to the thesaurus.
    Add {
        term: String,
        #[arg(long = "type", value_name = "TYPE")]
        concept_type: String,
        #[arg(long = "alias")]
        aliases: Vec<String>,
        #[arg(long, default_value = "")]
        english: String,
    },
    /// Delete a concept from the thesaurus in force.
    Delete { term: String },
}

#[derive(clap::Args, Clone)]
pub struct MapArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Maximum number of concepts drawn.
    #[arg(long, default_value_t = 40)]
    pub top: usize,
    /// Draw the neighbourhood of this concept.
    #[arg(long)]
    pub around: Option<String>,
    /// Hops from --around (1 or 2).
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    #[arg(long, default_value_t = 0.0)]
    pub min_weight: f64,
}

#[derive(Subcommand)]
pub enum GraphAction {
    /// Write the concept map: svg (text as paths), svg-text, png, graphml, gexf, csv, json.
    Export {
        #[arg(long, default_value = "png")]
        format: String,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        map: MapArgs,
        /// PNG resolution.
        #[arg(long, default_value_t = 300)]
        dpi: u32,
        /// A CJK font file to draw labels with.
        #[arg(long)]
        font: Option<PathBuf>,
    },
    /// Degree, weighted PageRank and betweenness of each concept.
    Centrality {
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// Communities of concepts with readable labels.
    Communities {
        #[command(flatten)]
        scope: ScopeArgs,
    },
}

/// Which part of the graph `graph export|centrality|communities` look at.
#[derive(clap::Args, Clone)]
pub struct ScopeArgs {
    /// Only concepts of these types and the links among them (repeatable, or comma-separated).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Only co-occurrences in this document.
    #[arg(long)]
    pub doc: Option<String>,
    #[arg(long)]
    pub year_from: Option<i32>,
    #[arg(long)]
    pub year_to: Option<i32>,
}

#[derive(Subcommand)]
pub enum ThesaurusAction {
    /// Write the scholar's edits as a TSV thesaurus file.
    Export {
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Read a TSV thesaurus file; its entries become the scholar's own.
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}

fn report(e: &anyhow::Error) {
    eprintln!("nts: error: {e:#}");
}

pub type CmdResult = Result<ExitCode>;
