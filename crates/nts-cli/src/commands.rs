//! One function per subcommand: open the library, call the engine, hand the answer to
//! `output` for printing.

use crate::graph_cmds;
use crate::output::{self, Out};
use crate::{Cli, CmdResult, Command};
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use nts_core::library::{default_library_dir, IndexOptions, Progress, SearchOptions};
use nts_core::Library;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(cli: &Cli) -> CmdResult {
    let out = Out { json: cli.json };
    match &cli.command {
        Command::Index { paths, rebuild, threads } => index(cli, out, paths, *rebuild, *threads),
        Command::Search { query, offset, concept_type, doc } => {
            let lib = open(cli)?;
            let opts = SearchOptions {
                limit: cli.limit.unwrap_or(10),
                offset: *offset,
                concept_type: concept_type.clone(),
                doc_id: doc.clone(),
                ..Default::default()
            };
            let q = query.join(" ");
            let res = lib.search(&q, &opts).with_context(|| format!("searching for “{q}”"))?;
            output::search(out, &res);
            Ok(ExitCode::SUCCESS)
        }
        Command::Segment { text, all } => {
            let lib = open(cli)?;
            let t = text.join(" ");
            let tokens = lib.segment(&t);
            if out.json {
                let mut v = json!({ "tokens": tokens });
                if *all {
                    v["index_tokens"] = json!(lib.index_tokens(&t));
                }
                output::print_json(&v);
            } else {
                println!("{}", tokens.join(" / "));
                if *all {
                    println!("index: {}", lib.index_tokens(&t).join(" "));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Docs => {
            let lib = open(cli)?;
            output::docs(out, &lib.documents()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Concepts { concept_type } => {
            graph_cmds::concepts(&open(cli)?, out, concept_type.as_deref(), cli.limit)
        }
        Command::Concept { action, term, types, doc, year_from, year_to } => graph_cmds::concept(
            &open(cli)?,
            out,
            action.as_ref(),
            term.as_deref(),
            types,
            doc.clone(),
            *year_from,
            *year_to,
            cli.limit,
        ),
        Command::Path { from, to } => graph_cmds::path(&open(cli)?, out, from, to),
        Command::Candidates { min_freq } => graph_cmds::candidates(&open(cli)?, out, *min_freq, cli.limit),
        Command::Graph { action } => graph_cmds::graph(&open(cli)?, out, action, cli.limit),
        Command::Thesaurus { action } => graph_cmds::thesaurus(&open(cli)?, out, action),
        Command::Serve { port, ui } => crate::commands::serve(cli, *port, ui.clone()),
    }
}

fn library_dir(cli: &Cli) -> PathBuf {
    cli.library.clone().unwrap_or_else(default_library_dir)
}

/// Opens the library for reading; with no library yet, builds it from the bundled corpus
/// first (DESIGN.md: the CLI builds one when there is none), showing progress.
fn open(cli: &Cli) -> anyhow::Result<Library> {
    let dir = library_dir(cli);
    let lib = Library::open(&dir).with_context(|| format!("opening the library at {}", dir.display()))?;
    // Only the default library is built on demand: a folder named with --library or
    // NTS_LIBRARY is the scholar's and stays as they left it.
    let default = cli.library.is_none() && std::env::var_os("NTS_LIBRARY").is_none_or(|v| v.is_empty());
    if default && lib.is_empty()? {
        if let Some(corpus) = nts_core::library::bundled_corpus_dir() {
            eprintln!("nts: the library at {} is empty; building it from {} …", dir.display(), corpus.display());
            let report = lib.index(&[corpus], &IndexOptions::default(), &mut progress_bar(false))?;
            for f in &report.failed {
                eprintln!("nts: skipped {}: {}", f.path, f.message);
            }
        }
    }
    Ok(lib)
}

fn progress_bar(quiet: bool) -> impl FnMut(&Progress) {
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(0) };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} 索引 indexing [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    move |p: &Progress| match p {
        Progress::Start { bytes, .. } => bar.set_length(*bytes),
        Progress::File { bytes_done, path, .. } => {
            bar.set_position(*bytes_done);
            let name =
                std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            bar.set_message(name);
        }
        Progress::Committing => bar.set_message("committing…"),
        Progress::Graph => bar.set_message("building the concept graph…"),
        Progress::Done => bar.finish_and_clear(),
    }
}

fn index(cli: &Cli, out: Out, paths: &[PathBuf], rebuild: bool, threads: Option<usize>) -> CmdResult {
    let dir = library_dir(cli);
    let paths: Vec<PathBuf> = if paths.is_empty() {
        match nts_core::library::bundled_corpus_dir() {
            Some(c) => vec![c],
            None => bail!("no path given and no bundled corpus found; run `nts index FOLDER`"),
        }
    } else {
        paths.to_vec()
    };
    let lib = if rebuild { Library::open_for_rebuild(&dir) } else { Library::open(&dir) }
        .with_context(|| format!("opening the library at {}", dir.display()))?;
    let mut opts = IndexOptions { rebuild, ..Default::default() };
    if let Some(t) = threads {
        opts.threads = t;
    }
    let quiet = out.json || !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = lib.index(&paths, &opts, &mut progress_bar(quiet))?;
    output::index(out, &report, &dir);
    Ok(if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

pub fn serve(cli: &Cli, port: u16, ui: Option<PathBuf>) -> CmdResult {
    let ui = crate::serve::ui_dir(ui)?;
    crate::serve::serve(library_dir(cli), port, ui)?;
    Ok(ExitCode::SUCCESS)
}
