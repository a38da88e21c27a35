//! `nts`: the command-line shell over the NTS Atlas engine. It parses arguments, calls
//! `nts_core::Library`, and prints — human-readable by default, exactly one JSON document
//! on stdout with `--json` (the contracts in DESIGN.md). Errors go to stderr with a
//! non-zero exit; no engine decision is made here.

mod commands;
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
    /// Serve the UI and its JSON API on 127.0.0.1.
    Serve {
        #[arg(long, default_value_t = 7878)]
        port: u16,
        /// Folder holding the UI files (default: ui/ in the repository).
        #[arg(long)]
        ui: Option<PathBuf>,
    },
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
