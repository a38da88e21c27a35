//! A library on disk — `library.sqlite`, `tantivy/` and a `lock` file in one folder — and
//! the engine's whole public API over it: index files, search, read documents, ask the
//! concept graph. The shells (CLI, `nts serve`, Tauri) call only this.
//!
//! Consistency: one writer at a time (an OS file lock); each document is written to SQLite
//! in one transaction in state `pending`, then added to tantivy, then marked `indexed`
//! after tantivy commits. A process killed anywhere leaves a library that opens, shows
//! only fully indexed documents, and is completed by the next `nts index`.

mod concepts;

pub use concepts::{ConceptDetail, ConceptSummary, DocMentions, PassageRef};

use crate::concepts::Extractor;
use crate::error::{Error, Result};
use crate::graph::ConceptGraph;
use crate::model::*;
use crate::search::{self, IndexDoc, QueryBuilder, SearchIndex};
use crate::segment::Segmenter;
use crate::store::{DocRecord, KnownDoc, Store};
use crate::thesaurus::Thesaurus;
use crate::{ingest, metadata, normalise};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Instant;

/// The repository root when this program runs from a checkout (corpus/ beside crates/).
fn repo_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    (root.join("corpus").is_dir() && root.join("crates").is_dir()).then(|| root.canonicalize().unwrap_or(root))
}

/// Where the library lives: `NTS_LIBRARY`, else `index/` in the repository, else the
/// platform data directory.
pub fn default_library_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("NTS_LIBRARY").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(root) = repo_root() {
        return root.join("index");
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("nts-atlas")
}

/// The bundled default texts: `NTS_CORPUS`, else `corpus/` in the repository.
pub fn bundled_corpus_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NTS_CORPUS").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    repo_root().map(|r| r.join("corpus"))
}

/// Options of [`Library::index`].
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Drop the search index and re-add every stored passage first (repairs a damaged index).
    pub rebuild: bool,
    /// tantivy indexing threads.
    pub threads: usize,
    /// tantivy writer memory budget in bytes.
    pub heap_bytes: usize,
    /// Threads reading and normalising files ahead of the writer.
    pub readers: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(4);
        IndexOptions { rebuild: false, threads, heap_bytes: 64_000_000 * threads, readers: 2 }
    }
}

/// What indexing reports as it goes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    Start { files: usize, bytes: u64 },
    File { done: usize, total: usize, bytes_done: u64, path: String },
    Committing,
    Graph,
    Done,
}

/// One file that could not be indexed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileError {
    pub path: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub failed: Vec<FileError>,
    /// Documents whose earlier indexing had been interrupted and was finished now.
    pub resumed: usize,
    pub documents: u64,
    pub passages: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Filters and paging for [`Library::search`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub doc_id: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub concept_type: Option<String>,
    /// Snippet width in chars (default 80).
    pub snippet_chars: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit {
    pub doc_id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub passage_id: String,
    pub section: Vec<String>,
    pub kind: BlockKind,
    pub score: f32,
    /// Snippet with highlights between `\u{1}` and `\u{2}` (see [`search::snippet_html`]).
    pub snippet: String,
    /// Char ranges of highlights in `text`.
    pub highlights: Vec<(usize, usize)>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// A library opened from its folder.
pub struct Library {
    dir: PathBuf,
    store: Mutex<Store>,
    index: SearchIndex,
    /// The thesaurus with the scholar's edits applied, and its matcher; replaced as a
    /// whole when the scholar edits a concept.
    vocab: RwLock<Arc<Vocabulary>>,
    /// The concept graph, built from the stored mentions on first use and dropped when
    /// they change.
    graph: RwLock<Option<Arc<ConceptGraph>>>,
    /// Visible documents, read once and dropped when indexing changes them.
    docs: RwLock<Option<Arc<Vec<DocumentSummary>>>>,
}

/// The thesaurus in force and its extractor.
pub(crate) struct Vocabulary {
    pub thesaurus: Thesaurus,
    pub extractor: Extractor,
}

/// The writer's lock on a library folder, released when dropped.
pub(crate) struct WriteLock {
    _file: File,
}

impl WriteLock {
    pub(crate) fn take(dir: &Path) -> Result<WriteLock> {
        let path = dir.join("lock");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if file.try_lock().is_err() {
            let pid = std::fs::read_to_string(&path).unwrap_or_default().trim().to_string();
            return Err(Error::Locked { path: dir.to_path_buf(), pid: if pid.is_empty() { "?".into() } else { pid } });
        }
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        Ok(WriteLock { _file: file })
    }
}

impl Library {
    /// Opens the library in `dir`, creating an empty one when the folder is new.
    pub fn open(dir: &Path) -> Result<Library> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let store = Store::open(&dir.join("library.sqlite"))?;
        let (upserts, deletes) = store.user_terms()?;
        let thesaurus = Thesaurus::builtin().with_overlay(&upserts, &deletes);
        let seg = Segmenter::builtin();
        let index = SearchIndex::open(&dir.join("tantivy"), seg)?;
        let extractor = Extractor::new(&thesaurus);
        Ok(Library {
            dir: dir.to_path_buf(),
            store: Mutex::new(store),
            index,
            vocab: RwLock::new(Arc::new(Vocabulary { thesaurus, extractor })),
            graph: RwLock::new(None),
            docs: RwLock::new(None),
        })
    }

    /// Opens a library whose search index is damaged: the index is moved aside so that
    /// [`Library::index`] with `rebuild` can rebuild it from the stored passages.
    pub fn open_for_rebuild(dir: &Path) -> Result<Library> {
        match Library::open(dir) {
            Err(Error::Corrupt { path, .. }) if path.starts_with(dir.join("tantivy")) => {
                let aside = dir.join(format!("tantivy.damaged-{}", std::process::id()));
                std::fs::rename(dir.join("tantivy"), &aside).map_err(|e| Error::io(&aside, e))?;
                Library::open(dir)
            }
            other => other,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn vocab(&self) -> Arc<Vocabulary> {
        self.vocab.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions),
        // so a poisoned lock is still safe to use.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True when the library holds no document yet.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.store().count_documents()? == 0 && self.store().pending_doc_ids()?.is_empty())
    }

    /// Adds files and folders to the library. Unchanged files are skipped, changed ones
    /// replaced; files that cannot be read are reported in `failed` and the rest still land.
    pub fn index(
        &self,
        paths: &[PathBuf],
        opts: &IndexOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<IndexReport> {
        let started = Instant::now();
        let _lock = WriteLock::take(&self.dir)?;
        let mut report = IndexReport::default();
        let (files, errors) = ingest::collect(paths);
        for e in errors {
            report.failed.push(file_error(&e));
        }
        let bytes_total: u64 = files.iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum();
        progress(&Progress::Start { files: files.len(), bytes: bytes_total });

        let mut writer = self.index.writer(opts.threads, opts.heap_bytes)?;
        let pending = self.store().pending_doc_ids()?;
        if opts.rebuild {
            writer.delete_all_documents()?;
            let docs = self.store().documents()?;
            for d in &docs {
                self.add_passages_to_index(&writer, d)?;
            }
        }
        // Finish documents a killed run left half-done: their passages are in SQLite.
        for id in &pending {
            self.index.delete_doc(&writer, id);
            if let Some(d) = self.document_any_state(id)? {
                self.add_passages_to_index(&writer, &d)?;
            }
        }
        report.resumed = pending.len();
        let mut done_ids: Vec<String> = pending.clone();
        if opts.rebuild {
            done_ids.extend(self.store().documents()?.into_iter().map(|d| d.doc_id));
        }

        let mut bytes_done = 0u64;
        let total = files.len();
        let mut batch = Batch::default();
        let mut since_commit = 0u64;
        // Reading threads read and normalise the next files while this one writes them in
        // order. At most READ_AHEAD files are prepared and not yet written: a reader takes
        // a permit before it claims a file, and the writer hands one back per file written.
        let readers = opts.readers.max(1);
        let (tx, rx) = crossbeam_channel::bounded::<(usize, Result<Prepared>)>(READ_AHEAD);
        let (permit_tx, permit_rx) = crossbeam_channel::bounded::<()>(READ_AHEAD);
        for _ in 0..READ_AHEAD {
            let _ = permit_tx.send(());
        }
        let next_file = std::sync::atomic::AtomicUsize::new(0);
        let known = self.store().known_documents()?;
        let result: Result<()> = std::thread::scope(|scope| {
            for _ in 0..readers {
                let (tx, permits, files, known, next_file) =
                    (tx.clone(), permit_rx.clone(), &files, &known, &next_file);
                scope.spawn(move || {
                    while permits.recv().is_ok() {
                        let i = next_file.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        if tx.send((i, self.prepare_file(path, known))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            // Dropping the permits' sender (when this closure returns) stops the readers.
            let permit_tx = permit_tx;
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0usize;
            let ordered = rx.iter().flat_map(|(i, prepared)| {
                waiting.insert(i, prepared);
                let mut ready = Vec::new();
                while let Some(p) = waiting.remove(&next) {
                    ready.push((next, p));
                    next += 1;
                }
                ready
            });
            for (i, prepared) in ordered {
                let _ = permit_tx.send(());
                let path = &files[i];
                let size = path.metadata().map(|m| m.len()).unwrap_or(0);
                progress(&Progress::File { done: i, total, bytes_done, path: path.display().to_string() });
                match prepared {
                    Ok(Prepared::Unchanged) => report.unchanged += 1,
                    Ok(Prepared::Doc(d)) => self.add_to_batch(&mut batch, path, *d, size)?,
                    Err(e) if e.is_user_error() => report.failed.push(file_error(&e)),
                    // Dropping the receiver stops the reading thread.
                    Err(e) => return Err(e),
                }
                bytes_done += size;
                since_commit += size;
                if batch.bytes >= BATCH_BYTES || batch.docs.len() >= BATCH_DOCS {
                    self.write_batch(&writer, &mut batch, &mut report, &mut done_ids)?;
                }
                // Commit now and then so a long run keeps its progress if it is killed.
                if since_commit >= COMMIT_BYTES {
                    self.write_batch(&writer, &mut batch, &mut report, &mut done_ids)?;
                    progress(&Progress::Committing);
                    writer.commit()?;
                    self.store().mark_indexed(&done_ids)?;
                    done_ids.clear();
                    since_commit = 0;
                }
            }
            self.write_batch(&writer, &mut batch, &mut report, &mut done_ids)
        });
        result?;
        progress(&Progress::File { done: total, total, bytes_done, path: String::new() });
        progress(&Progress::Committing);
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.store().mark_indexed(&done_ids)?;
        self.index.reader.reload()?;
        self.invalidate_graph();
        *self.docs.write().unwrap_or_else(|p| p.into_inner()) = None;
        progress(&Progress::Done);

        let store = self.store();
        report.documents = store.count_documents()?;
        report.passages = store.count_passages()?;
        report.bytes = bytes_done;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    fn document_any_state(&self, doc_id: &str) -> Result<Option<DocumentSummary>> {
        // Pending documents are not "visible"; read their row directly for re-adding.
        self.store().documents_including_pending(doc_id)
    }

    /// Re-adds a stored document's passages to tantivy (rebuild, or a run that was killed).
    fn add_passages_to_index(&self, writer: &tantivy::IndexWriter, d: &DocumentSummary) -> Result<()> {
        let passages = self.store().passages_of(&d.doc_id)?;
        let rows = concepts::concept_rows(&self.vocab().extractor, &passages);
        self.add_to_index(writer, d, &passages, &rows)
    }

    /// Adds passages to tantivy with the concept types their mentions (`rows`) name, the
    /// same rows that go to SQLite, so `type:` filters and the graph agree.
    fn add_to_index(
        &self,
        writer: &tantivy::IndexWriter,
        d: &DocumentSummary,
        passages: &[Passage],
        rows: &[crate::store::PassageConceptRows],
    ) -> Result<()> {
        let by_passage: std::collections::HashMap<&str, &crate::store::PassageConceptRows> =
            rows.iter().map(|r| (r.passage_id.as_str(), r)).collect();
        for p in passages {
            let mut types: Vec<&str> = by_passage
                .get(p.passage_id.as_str())
                .map(|r| r.mentions.iter().map(|(m, _)| m.ctype.as_str()).collect())
                .unwrap_or_default();
            types.sort();
            types.dedup();
            self.index.add(
                writer,
                &IndexDoc {
                    passage_id: &p.passage_id,
                    doc_id: &p.doc_id,
                    text: &p.text,
                    year: d.year,
                    kind: p.kind.as_str(),
                    concept_types: &types,
                },
            )?;
        }
        Ok(())
    }

    /// The part of indexing a file that needs no write access: read, decode, normalise,
    /// read metadata, find mentions. Runs on a second thread, one file ahead of the writer.
    /// Passage ids are `#ordinal` here; [`Library::commit_file`] puts the document id in front.
    /// `known` is every stored document by path, as the run began.
    fn prepare_file(&self, path: &Path, known: &HashMap<String, KnownDoc>) -> Result<Prepared> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display().to_string();
        let known = known.get(&key).cloned();
        let src = ingest::read_source(path)?;
        if let Some(k) = &known {
            if k.hash == src.hash && k.indexed {
                return Ok(Prepared::Unchanged);
            }
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let sidecar = metadata::read_sidecar(path)?;
        let blocks = normalise::normalise(&src.text, &src.page_starts);
        let meta = metadata::merge(sidecar, metadata::from_blocks(&src.text, &stem, &blocks));
        let passages: Vec<Passage> = blocks
            .into_iter()
            .enumerate()
            .map(|(i, b)| Passage {
                passage_id: format!("#{i}"),
                doc_id: String::new(),
                ordinal: i as u32,
                kind: b.kind,
                section: b.section,
                text: b.text,
                start: b.range.start,
                end: b.range.end,
                page: b.page,
                marker: b.marker,
            })
            .collect();
        let rows = concepts::concept_rows(&self.vocab().extractor, &passages);
        let record = DocRecord {
            doc_id: String::new(),
            path: key,
            hash: src.hash.clone(),
            format: format!("{:?}", src.format).to_lowercase(),
            encoding: src.encoding.clone(),
            citation: metadata::citation_gbt7714(&meta),
            metadata: meta,
        };
        Ok(Prepared::Doc(Box::new(PreparedDoc { known: known.map(|k| k.doc_id), record, passages, rows })))
    }

    /// Gives a prepared file its document id and queues it for [`Library::write_batch`].
    fn add_to_batch(&self, batch: &mut Batch, path: &Path, mut doc: PreparedDoc, size: u64) -> Result<()> {
        let doc_id = match &doc.known {
            Some(id) => id.clone(),
            None => self.new_doc_id(path, &batch.ids)?,
        };
        batch.ids.insert(doc_id.clone());
        doc.record.doc_id = doc_id.clone();
        for p in &mut doc.passages {
            p.doc_id = doc_id.clone();
            p.passage_id = format!("{doc_id}{}", p.passage_id);
        }
        for r in &mut doc.rows {
            r.passage_id = format!("{doc_id}{}", r.passage_id);
        }
        batch.bytes += size;
        batch.docs.push(doc);
        Ok(())
    }

    /// Writes the queued documents: SQLite in one transaction (each document in state
    /// `pending`), then their passages to tantivy. A killed run loses the queue whole, or
    /// leaves its documents pending for the next run to finish.
    fn write_batch(
        &self,
        writer: &tantivy::IndexWriter,
        batch: &mut Batch,
        report: &mut IndexReport,
        done_ids: &mut Vec<String>,
    ) -> Result<()> {
        if batch.docs.is_empty() {
            return Ok(());
        }
        let docs = std::mem::take(&mut batch.docs);
        *batch = Batch::default();
        self.store().put_documents(docs.iter().map(|d| (&d.record, d.passages.as_slice(), d.rows.as_slice())))?;
        for d in docs {
            let doc_id = d.record.doc_id.clone();
            self.index.delete_doc(writer, &doc_id);
            let summary = DocumentSummary {
                doc_id: doc_id.clone(),
                title: String::new(),
                authors: Vec::new(),
                year: d.record.metadata.year,
                venue: String::new(),
                kind: d.record.metadata.kind,
                language: String::new(),
                path: String::new(),
                encoding: String::new(),
                passages: d.passages.len() as u32,
                citation: String::new(),
            };
            self.add_to_index(writer, &summary, &d.passages, &d.rows)?;
            if d.known.is_some() {
                report.updated.push(doc_id.clone());
            } else {
                report.added.push(doc_id.clone());
            }
            done_ids.push(doc_id);
        }
        Ok(())
    }

    /// A readable, stable id from the file name (ASCII slug), made unique.
    /// `queued` holds the ids given to documents not yet written.
    fn new_doc_id(&self, path: &Path, queued: &HashSet<String>) -> Result<String> {
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let slug: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c.to_ascii_lowercase() } else { '_' })
            .collect::<String>()
            .trim_matches('_')
            .to_string();
        let base = if slug.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 3 && slug.is_ascii() {
            slug
        } else {
            format!("d{}", &blake3::hash(path.display().to_string().as_bytes()).to_hex()[..10])
        };
        let store = self.store();
        let mut id = base.clone();
        let mut n = 2;
        while queued.contains(&id) || store.doc_id_taken(&id)? {
            id = format!("{base}-{n}");
            n += 1;
        }
        Ok(id)
    }

    // ------------------------------------------------------------------ reading

    /// Searches passages with the query language of [`crate::search`].
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        let node = search::parse(query)?;
        let vocab = self.vocab();
        let all_docs = self.cached_documents()?;
        let docs: Vec<(String, String, String)> = if query.contains([':', '：']) {
            all_docs
                .iter()
                .map(|d| (d.doc_id.clone(), crate::segment::fold(&d.title), crate::segment::fold(&d.authors.join(" "))))
                .collect()
        } else {
            Vec::new()
        };
        let qb =
            QueryBuilder { seg: &self.index.seg, thesaurus: &vocab.thesaurus, fields: self.index.fields, docs: &docs };
        let built = qb.build(&node)?;
        let mut filters: Vec<search::Node> = Vec::new();
        if let Some(d) = &opts.doc_id {
            filters.push(search::Node::Doc(d.clone()));
        }
        if opts.year_from.is_some() || opts.year_to.is_some() {
            filters.push(search::Node::Year(opts.year_from.unwrap_or(0) as i64, opts.year_to.unwrap_or(9999) as i64));
        }
        if let Some(t) = opts.concept_type.as_deref().filter(|t| !t.is_empty()) {
            filters.push(search::Node::Type(t.to_string()));
        }
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, built.query)];
        for f in &filters {
            clauses.push((Occur::Must, qb.build(f)?.query));
        }
        if !built.names_kind {
            let toc = tantivy::Term::from_field_text(self.index.fields.kind, BlockKind::Toc.as_str());
            clauses.push((Occur::MustNot, Box::new(TermQuery::new(toc, tantivy::schema::IndexRecordOption::Basic))));
        }
        let q = BooleanQuery::new(clauses);
        let limit = if opts.limit == 0 { 20 } else { opts.limit };
        let (total, ids) = self.index.run(&q, opts.offset, limit)?;
        let width = if opts.snippet_chars == 0 { 80 } else { opts.snippet_chars };
        let store = self.store();
        let mut hits = Vec::with_capacity(ids.len());
        let highlighter = search::Highlighter::new(&built.highlight);
        for (pid, score) in ids {
            let Some(p) = store.passage(&pid)? else { continue };
            // Hits of documents that are not visible (a half-indexed run) are skipped.
            let Some(doc) = all_docs.iter().find(|d| d.doc_id == p.doc_id).cloned() else { continue };
            let highlights = highlighter.ranges(&p.text);
            let snippet = search::snippet(&p.text, &highlights, width);
            hits.push(Hit {
                doc_id: p.doc_id,
                title: doc.title,
                authors: doc.authors,
                year: doc.year,
                passage_id: p.passage_id,
                section: p.section,
                kind: p.kind,
                score,
                snippet,
                highlights,
                text: p.text,
            });
        }
        Ok(SearchResults { query: query.to_string(), total, hits })
    }

    pub(crate) fn cached_documents(&self) -> Result<Arc<Vec<DocumentSummary>>> {
        if let Some(d) = self.docs.read().unwrap_or_else(|p| p.into_inner()).as_ref() {
            return Ok(d.clone());
        }
        let d = Arc::new(self.store().documents()?);
        *self.docs.write().unwrap_or_else(|p| p.into_inner()) = Some(d.clone());
        Ok(d)
    }

    /// The visible documents.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        Ok(self.cached_documents()?.as_ref().clone())
    }

    pub fn document(&self, doc_id: &str) -> Result<DocumentSummary> {
        self.cached_documents()?
            .iter()
            .find(|d| d.doc_id == doc_id)
            .cloned()
            .ok_or_else(|| Error::UnknownDocument(doc_id.to_string()))
    }

    /// A document's passages in reading order.
    pub fn passages_of(&self, doc_id: &str) -> Result<Vec<Passage>> {
        self.document(doc_id)?;
        self.store().passages_of(doc_id)
    }

    pub fn passage(&self, passage_id: &str) -> Result<Passage> {
        self.store().passage(passage_id)?.ok_or_else(|| Error::UnknownPassage(passage_id.to_string()))
    }

    /// Concept mentions in a text (thesaurus matching), for highlighting in the reader.
    pub fn mentions(&self, text: &str) -> Vec<crate::concepts::Mention> {
        self.vocab().extractor.extract(text)
    }

    /// How the indexer segments `text`: the coarse tokens (domain terms whole).
    pub fn segment(&self, text: &str) -> Vec<String> {
        self.index.seg.cut(text).into_iter().map(|t| t.text).collect()
    }

    /// Every index-mode token (whole terms and sub-words), for diagnosing recall.
    pub fn index_tokens(&self, text: &str) -> Vec<String> {
        self.index.seg.index_tokens(text).into_iter().map(|t| t.text).collect()
    }

    pub fn count_passages(&self) -> Result<u64> {
        self.store().count_passages()
    }

    /// Ids of visible documents.
    pub fn doc_ids(&self) -> Result<HashSet<String>> {
        Ok(self.documents()?.into_iter().map(|d| d.doc_id).collect())
    }
}

enum Prepared {
    Unchanged,
    Doc(Box<PreparedDoc>),
}

struct PreparedDoc {
    /// The document id when this path was indexed before.
    known: Option<String>,
    record: DocRecord,
    passages: Vec<Passage>,
    rows: Vec<crate::store::PassageConceptRows>,
}

/// Prepared documents waiting to be written together.
#[derive(Default)]
struct Batch {
    docs: Vec<PreparedDoc>,
    ids: HashSet<String>,
    bytes: u64,
}

/// Source bytes of the documents written to SQLite in one transaction (or at most
/// [`BATCH_DOCS`] of them): one transaction per document rewrote the same index pages
/// over and over.
const BATCH_BYTES: u64 = 1_000_000;
const BATCH_DOCS: usize = 200;
/// Files prepared ahead of the writer, at most.
const READ_AHEAD: usize = 16;
/// Source bytes between tantivy commits. Each commit ends the indexing threads' segments,
/// and many small segments cost merges; a killed run loses at most this much tantivy work,
/// which the next run redoes from SQLite.
const COMMIT_BYTES: u64 = 64_000_000;

fn file_error(e: &Error) -> FileError {
    let path = match e {
        Error::Input { path, .. } | Error::Io { path, .. } => path.display().to_string(),
        _ => String::new(),
    };
    FileError { path, code: e.code().to_string(), message: e.to_string() }
}
