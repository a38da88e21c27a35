//! `cargo bench -p nts-core --bench build`: build throughput, peak memory and search
//! latency on a real corpus (default `../shared/bench-corpus/xwlb`, or `NTS_BENCH_CORPUS`),
//! side by side in one run with bare jieba-rs segmentation of the same text (the limit of
//! any jieba-based build) and `grep -F` over the same files (what a scholar would do).
//!
//! Each phase runs in a child process of this binary so its peak RSS (VmHWM) is its own.
//! Prints a Markdown table for BENCHMARKS.md.

use nts_core::library::{IndexOptions, SearchOptions};
use nts_core::thesaurus::Thesaurus;
use nts_core::Library;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn corpus() -> PathBuf {
    std::env::var_os("NTS_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-corpus/xwlb"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Phase: bare jieba-rs `cut` (HMM off) over every file, one thread.
fn phase_jieba(dir: &Path) {
    let jieba = jieba_rs::Jieba::new();
    let texts: Vec<String> = files(dir).iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let t = Instant::now();
    let mut n = 0usize;
    for text in &texts {
        n += jieba.cut(text, false).len();
    }
    let s = t.elapsed().as_secs_f64();
    println!("RESULT jieba {:.3} {:.1} {:.1} {}", s, mb(bytes) / s, peak_rss_mb(), n);
}

/// Phase: each stage of the build alone, one thread, over the whole corpus (seconds),
/// to show where a build's CPU time goes.
fn phase_stages(dir: &Path) {
    use nts_core::{concepts::Extractor, ingest, metadata, normalise, segment::Segmenter};
    let seg = Segmenter::builtin();
    let extractor = Extractor::new(Thesaurus::builtin());
    let paths = files(dir);
    let t = Instant::now();
    let sources: Vec<_> = paths.iter().filter_map(|p| ingest::read_source(p).ok()).collect();
    let read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let blocks: Vec<_> = sources.iter().map(|s| normalise::normalise(&s.text, &s.page_starts)).collect();
    let norm = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for (s, b) in sources.iter().zip(&blocks) {
        std::hint::black_box(metadata::from_blocks(&s.text, "x", b));
    }
    let meta = t.elapsed().as_secs_f64();
    // Seconds and summed count of `f` over every block of the corpus.
    let over_blocks = |f: &dyn Fn(&str) -> usize| {
        let t = Instant::now();
        let n: usize = blocks.iter().flatten().map(|b| f(&b.text)).sum();
        (t.elapsed().as_secs_f64(), n)
    };
    let (ment, mentions) = over_blocks(&|text| extractor.extract(text).len());
    let (tok, tokens) = over_blocks(&|text| seg.index_tokens(text).len());
    let (cut, coarse) = over_blocks(&|text| seg.cut(text).len());
    println!("RESULT stages {read:.3} {norm:.3} {meta:.3} {ment:.3} {tok:.3} {cut:.3} {mentions} {tokens} {coarse}");
}

/// Phase: the whole library build (ingest, normalise, segment, index, SQLite), with the
/// default options unless `NTS_BENCH_THREADS` (tantivy indexing threads),
/// `NTS_BENCH_READERS` (reading threads) or `NTS_BENCH_HEAP_MB` (tantivy memory per
/// thread) say otherwise.
fn phase_build(dir: &Path, lib_dir: &Path) {
    let _ = std::fs::remove_dir_all(lib_dir);
    let lib = Library::open(lib_dir).expect("open library");
    let t = Instant::now();
    let mut opts = IndexOptions::default();
    if let Some(n) = std::env::var("NTS_BENCH_THREADS").ok().and_then(|v| v.parse().ok()) {
        opts.threads = n;
    }
    if let Some(n) = std::env::var("NTS_BENCH_READERS").ok().and_then(|v| v.parse().ok()) {
        opts.readers = n;
    }
    if let Some(n) = std::env::var("NTS_BENCH_HEAP_MB").ok().and_then(|v| v.parse::<usize>().ok()) {
        opts.heap_bytes = n * 1_000_000 * opts.threads;
    }
    let r = lib.index(&[dir.to_path_buf()], &opts, &mut |_| {}).expect("index");
    let s = t.elapsed().as_secs_f64();
    println!(
        "RESULT build {:.3} {:.1} {:.1} {} {} {}",
        s,
        mb(r.bytes) / s,
        peak_rss_mb(),
        r.documents,
        r.passages,
        r.failed.len()
    );
}

/// The query mix: thesaurus terms, sub-words, aliases, phrases, booleans, fields.
fn queries() -> Vec<String> {
    let th = Thesaurus::builtin();
    let mut q: Vec<String> = Vec::new();
    for (i, e) in th.entries().iter().enumerate().step_by(5).take(120) {
        q.push(e.term.clone());
        if i % 3 == 0 {
            if let Some(a) = e.aliases.first() {
                q.push(a.clone());
            }
        }
    }
    for w in [
        "经济",
        "发展",
        "合作",
        "人民",
        "习近平",
        "疫情防控",
        "乡村振兴",
        "一带一路",
        "高质量发展",
        "脱贫攻坚",
        "国际执法",
        "执法合作",
        "安全合作",
        "新冠肺炎",
        "碳达峰",
        "粮食安全",
        "网络安全",
        "生态环境",
        "共同富裕",
        "科技创新",
    ] {
        q.push(w.to_string());
    }
    for p in ["\"高质量发展\"", "\"国家安全\"", "\"人类命运共同体\"", "\"一带一路\"", "\"新发展格局\""]
    {
        q.push(p.to_string());
    }
    for b in [
        "经济 AND 合作",
        "疫情 OR 防控",
        "安全 -经济",
        "发展 NOT 经济",
        "(毒品 OR 走私) 打击",
        "title:新闻联播 经济",
        "恐怖主义 国际合作",
        "中国 美国 关系",
        "边境 管控",
        "反腐败 国际合作",
    ] {
        q.push(b.to_string());
    }
    q
}

/// Phase: search latency with snippets over the built library.
fn phase_search(lib_dir: &Path) {
    let lib = Library::open(lib_dir).expect("open library");
    let qs = queries();
    // Warm up once (page cache, jieba dictionary).
    for q in &qs {
        let _ = lib.search(q, &SearchOptions { limit: 10, ..Default::default() });
    }
    let mut times = Vec::new();
    let mut panics = 0;
    let mut errors = 0;
    for _round in 0..3 {
        for q in &qs {
            let t = Instant::now();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lib.search(q, &SearchOptions { limit: 10, ..Default::default() })
            }));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            match r {
                Err(_) => panics += 1,
                Ok(Err(_)) => errors += 1,
                Ok(Ok(_)) => {}
            }
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!("RESULT search {} {:.3} {:.3} {:.3} {} {}", qs.len(), pct(0.5), pct(0.99), pct(1.0), panics, errors);
}

/// Phase: concept graph load from SQLite, then concept / neighbour / path query latency.
fn phase_graph(lib_dir: &Path) {
    let lib = Library::open(lib_dir).expect("open library");
    let t = Instant::now();
    let g = lib.graph().expect("graph");
    let load = t.elapsed().as_secs_f64() * 1000.0;
    let concepts = lib.concepts(None).expect("concepts");
    let terms: Vec<String> = concepts.iter().take(100).map(|c| c.term.clone()).collect();
    let mut times = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let t = Instant::now();
        let _ = lib.concept(term, &nts_core::graph::Filter { limit: Some(20), ..Default::default() });
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let other = &terms[(i * 7 + 3) % terms.len()];
        let t = Instant::now();
        let _ = lib.path(term, other);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    println!(
        "RESULT graph {:.1} {} {} {:.3} {:.3} {:.1}",
        load,
        concepts.len(),
        g.edge_count(),
        pct(0.5),
        pct(0.99),
        peak_rss_mb()
    );
}

/// Phase: `grep -F -r -l TERM` over the same files, per single-term query.
fn phase_grep(dir: &Path) {
    let terms: Vec<String> = queries().into_iter().filter(|q| !q.contains([' ', '"', ':', '('])).take(40).collect();
    let mut times = Vec::new();
    for t in &terms {
        let start = Instant::now();
        let _ = Command::new("grep").args(["-F", "-r", "-l", "--", t]).arg(dir).output();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!("RESULT grep {} {:.3} {:.3}", terms.len(), pct(0.5), pct(0.99));
}

fn run_phase(args: &[&str]) -> Vec<String> {
    let exe = std::env::current_exe().expect("bench binary");
    let out = Command::new(exe).args(args).output().expect("run phase");
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        // "RESULT <phase> <values…>": the values, without the phase name.
        .find_map(|l| l.strip_prefix("RESULT ").map(|r| r.split_whitespace().skip(1).map(String::from).collect()))
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let dir = corpus();
    let lib_dir = std::env::temp_dir().join("nts-bench-library");
    match args.first().map(String::as_str) {
        Some("phase-jieba") => return phase_jieba(&dir),
        Some("phase-stages") => return phase_stages(&dir),
        Some("phase-build") => return phase_build(&dir, &lib_dir),
        Some("phase-search") => return phase_search(&lib_dir),
        Some("phase-grep") => return phase_grep(&dir),
        Some("phase-graph") => return phase_graph(&lib_dir),
        _ => {}
    }
    if files(&dir).is_empty() {
        eprintln!("no benchmark corpus at {}; set NTS_BENCH_CORPUS=DIR", dir.display());
        return;
    }
    let bytes: u64 = files(&dir).iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum();
    println!("corpus: {} ({} files, {:.1} MB)\n", dir.display(), files(&dir).len(), mb(bytes));
    let j = run_phase(&["phase-jieba"]);
    let b = run_phase(&["phase-build"]);
    let st = run_phase(&["phase-stages"]);
    let s = run_phase(&["phase-search"]);
    let g = run_phase(&["phase-grep"]);
    let gr = run_phase(&["phase-graph"]);
    let get = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_else(|| "?".into());
    println!("| measure | NTS Atlas | baseline |");
    println!("|---|---|---|");
    println!(
        "| build throughput (MB/s) | {} (whole build: ingest, normalise, index, SQLite; {} docs, {} passages, {} failed) | {} (bare jieba-rs `cut`, 1 thread) |",
        get(&b, 1), get(&b, 3), get(&b, 4), get(&b, 5), get(&j, 1)
    );
    println!("| build time (s) | {} | {} |", get(&b, 0), get(&j, 0));
    println!("| peak RSS (MB) | {} | {} |", get(&b, 2), get(&j, 2));
    println!(
        "| stages alone, 1 thread (s): read+decode / normalise / metadata / mentions / index tokens ({} tokens) | {} / {} / {} / {} / {} | jieba-rs with the thesaurus, coarse cut: {} |",
        get(&st, 7), get(&st, 0), get(&st, 1), get(&st, 2), get(&st, 3), get(&st, 4), get(&st, 5)
    );
    println!(
        "| search latency p50 / p99 / max (ms), {} queries × 3, top 10 with snippets | {} / {} / {} | grep -F -r -l p50 / p99: {} / {} ({} terms) |",
        get(&s, 0), get(&s, 1), get(&s, 2), get(&s, 3), get(&g, 1), get(&g, 2), get(&g, 0)
    );
    println!("| snippet panics / query errors | {} / {} | |", get(&s, 4), get(&s, 5));
    println!(
        "| concept graph: load from SQLite (ms), concepts, edges | {} ms, {} concepts, {} edges | |",
        get(&gr, 0),
        get(&gr, 1),
        get(&gr, 2)
    );
    println!("| concept + path query p50 / p99 (ms) | {} / {} | |", get(&gr, 3), get(&gr, 4));
    println!("| peak RSS of graph load + queries (MB) | {} | |", get(&gr, 5));
}
