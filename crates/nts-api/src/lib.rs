//! The UI's calls (ui/API.md): the one place that knows call names and their JSON shapes.
//! Both shells are transports over [`Api::call`] — `nts serve` maps `POST /api/<name>`,
//! the Tauri app maps `invoke(<name>)` — so the same inputs give the same JSON in both.
//!
//! `Api` also owns the library's lifecycle for a long-running shell: it opens the library
//! in the background, builds it from the bundled corpus on first start (progress readable
//! through the `status` call), and answers `{code, message}` errors the UI can classify.

use nts_core::library::{IndexOptions, Progress, SearchOptions};
use nts_core::{BlockKind, Error, Library};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> ApiError {
        ApiError { code: code.into(), message: message.into() }
    }
    /// True for the user's mistakes (HTTP 4xx), false for faults (5xx).
    pub fn is_user_error(&self) -> bool {
        !matches!(self.code.as_str(), "corrupt" | "sqlite" | "index" | "io" | "internal")
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError { code: e.code().into(), message: e.to_string() }
    }
}

type Res = Result<Value, ApiError>;

#[derive(Clone, Serialize, Default)]
struct BuildProgress {
    done: usize,
    total: usize,
    current: String,
}

enum State {
    Opening,
    Building(BuildProgress),
    Ready(Arc<Library>),
    Failed(ApiError),
}

/// The library behind the UI, opened (or built) in the background.
pub struct Api {
    library: PathBuf,
    corpus: Option<PathBuf>,
    state: RwLock<State>,
    /// Serialises index runs started from the UI.
    indexing: Mutex<()>,
}

impl Api {
    pub fn new(library: PathBuf, corpus: Option<PathBuf>) -> Arc<Api> {
        Arc::new(Api { library, corpus, state: RwLock::new(State::Opening), indexing: Mutex::new(()) })
    }

    /// The default library folder and bundled corpus (see `nts_core::library`).
    pub fn default_paths() -> (PathBuf, Option<PathBuf>) {
        (nts_core::library::default_library_dir(), nts_core::library::bundled_corpus_dir())
    }

    fn set(&self, s: State) {
        *self.state.write().unwrap_or_else(|p| p.into_inner()) = s;
    }

    /// Opens the library in a background thread; when it is empty, builds it from the
    /// bundled corpus with progress visible to `status`.
    pub fn start(self: &Arc<Self>) {
        let me = self.clone();
        std::thread::spawn(move || {
            let result = me.open_or_build();
            match result {
                Ok(lib) => me.set(State::Ready(Arc::new(lib))),
                Err(e) => me.set(State::Failed(e.into())),
            }
        });
    }

    /// Opens (or builds) the library in the calling thread: for tests and tools.
    pub fn start_blocking(self: &Arc<Self>) -> Result<(), ApiError> {
        let lib = self.open_or_build()?;
        self.set(State::Ready(Arc::new(lib)));
        Ok(())
    }

    fn open_or_build(&self) -> Result<Library, Error> {
        let lib = Library::open(&self.library)?;
        if lib.is_empty()? {
            if let Some(corpus) = &self.corpus {
                self.set(State::Building(BuildProgress::default()));
                lib.index(std::slice::from_ref(corpus), &IndexOptions::default(), &mut |p| self.on_progress(p))?;
            }
        }
        Ok(lib)
    }

    fn on_progress(&self, p: &Progress) {
        if let Progress::File { done, total, path, .. } = p {
            let current =
                std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            self.set(State::Building(BuildProgress { done: *done, total: *total, current }));
        }
    }

    fn lib(&self) -> Result<Arc<Library>, ApiError> {
        match &*self.state.read().unwrap_or_else(|p| p.into_inner()) {
            State::Ready(l) => Ok(l.clone()),
            State::Failed(e) => Err(e.clone()),
            _ => Err(ApiError::new("not_ready", "文献库正在建立，请稍候 (the library is still being built)")),
        }
    }

    /// Dispatches one call by name. Unknown names and malformed arguments are `invalid`.
    pub fn call(&self, name: &str, args: Value) -> Res {
        let args = if args.is_null() { json!({}) } else { args };
        match name {
            "status" => self.status(),
            "search" => self.search(args),
            "documents" => Ok(json!({ "documents": self.lib()?.documents()? })),
            "document" => self.document(args),
            "passages" => self.passages(args),
            "segment" => {
                let a: TextArgs = parse(args)?;
                Ok(json!({ "tokens": self.lib()?.segment(&a.text) }))
            }
            "index" => self.index(args),
            "concepts" => {
                let a: ConceptsArgs = parse(args)?;
                let t = a.concept_type.as_deref().filter(|s| !s.is_empty()).map(parse_type).transpose()?;
                let mut list = self.lib()?.concepts(t)?;
                list.truncate(a.limit.unwrap_or(500));
                Ok(json!({ "concepts": list }))
            }
            "concept" => {
                let a: ConceptArgs = parse(args)?;
                let filter = nts_core::graph::Filter { limit: Some(a.limit.unwrap_or(30)), ..Default::default() };
                let d = self.lib()?.concept(&a.term, &filter)?;
                let mut v = serde_json::to_value(&d).map_err(internal)?;
                v["documents"] = serde_json::to_value(&d.documents_list).map_err(internal)?;
                v["document_count"] = json!(d.summary.documents);
                Ok(v)
            }
            "path" => {
                let a: PathArgs = parse(args)?;
                Ok(json!({ "path": self.lib()?.path(&a.from, &a.to)? }))
            }
            "map" => {
                let opts = map_options(&args)?;
                Ok(serde_json::to_value(self.lib()?.map(&opts)?).map_err(internal)?)
            }
            "export" => self.export(args),
            "candidates" => {
                let a: CandidatesArgs = parse(args)?;
                let mut c = self.lib()?.candidates(a.min_freq.unwrap_or(3))?;
                c.truncate(a.limit.unwrap_or(100));
                Ok(json!({ "candidates": c }))
            }
            other => Err(ApiError::new("invalid", format!("unknown call “{other}”"))),
        }
    }

    fn status(&self) -> Res {
        let lib_path = self.library.display().to_string();
        let st = self.state.read().unwrap_or_else(|p| p.into_inner());
        Ok(match &*st {
            State::Opening => {
                json!({"state": "opening", "progress": null, "documents": 0, "passages": 0, "concepts": 0, "library": lib_path})
            }
            State::Building(p) => {
                json!({"state": "building", "progress": p, "documents": 0, "passages": 0, "concepts": 0, "library": lib_path})
            }
            State::Failed(e) => {
                json!({"state": "failed", "error": e, "progress": null, "documents": 0, "passages": 0, "concepts": 0, "library": lib_path})
            }
            State::Ready(lib) => {
                let documents = lib.documents()?.len();
                json!({
                    "state": if documents == 0 { "empty" } else { "ready" },
                    "progress": null,
                    "documents": documents,
                    "passages": lib.count_passages()?,
                    "concepts": lib.concepts(None).map(|c| c.len()).unwrap_or(0),
                    "library": lib_path,
                })
            }
        })
    }

    fn search(&self, args: Value) -> Res {
        let a: SearchArgs = parse(args)?;
        let opts = SearchOptions {
            limit: a.limit.unwrap_or(20).min(200),
            offset: a.offset.unwrap_or(0),
            doc_id: a.doc_id.filter(|s| !s.is_empty()),
            year_from: a.year_from,
            year_to: a.year_to,
            concept_type: a.concept_type.filter(|s| !s.is_empty()),
            snippet_chars: 100,
        };
        let r = self.lib()?.search(&a.query, &opts)?;
        serde_json::to_value(r).map_err(internal)
    }

    fn passage_json(&self, lib: &Library, p: &nts_core::Passage, doc: Option<&nts_core::DocumentSummary>) -> Value {
        let mentions: Vec<Value> = lib
            .mentions(&p.text)
            .into_iter()
            .map(|m| json!({"start": m.start, "end": m.end, "concept_id": m.concept, "term": m.concept, "type": m.ctype}))
            .collect();
        let mut v = json!({
            "passage_id": p.passage_id, "doc_id": p.doc_id, "ordinal": p.ordinal, "kind": p.kind,
            "section": p.section, "text": p.text, "page": p.page, "marker": p.marker, "mentions": mentions,
        });
        if let Some(d) = doc {
            v["title"] = json!(d.title);
            v["authors"] = json!(d.authors);
            v["year"] = json!(d.year);
        }
        v
    }

    fn document(&self, args: Value) -> Res {
        let a: DocArgs = parse(args)?;
        let lib = self.lib()?;
        let d = lib.document(&a.doc_id)?;
        let passages = lib.passages_of(&a.doc_id)?;
        let outline: Vec<Value> = passages
            .iter()
            .filter(|p| p.kind == BlockKind::Heading)
            .map(|p| json!({"title": p.text, "level": p.section.len().max(1), "passage_id": p.passage_id}))
            .collect();
        let ps: Vec<Value> = passages.iter().map(|p| self.passage_json(&lib, p, None)).collect();
        Ok(json!({
            "doc_id": d.doc_id, "title": d.title, "authors": d.authors, "year": d.year, "venue": d.venue,
            "kind": d.kind, "citation": d.citation, "outline": outline, "passages": ps,
        }))
    }

    fn passages(&self, args: Value) -> Res {
        let a: IdsArgs = parse(args)?;
        let lib = self.lib()?;
        let mut out = Vec::new();
        for id in a.ids.iter().take(500) {
            let p = lib.passage(id)?;
            let d = lib.document(&p.doc_id).ok();
            out.push(self.passage_json(&lib, &p, d.as_ref()));
        }
        Ok(json!({ "passages": out }))
    }

    fn index(&self, args: Value) -> Res {
        let a: IndexArgs = parse(args)?;
        let lib = self.lib()?;
        let Ok(_guard) = self.indexing.try_lock() else {
            return Err(ApiError::new("locked", "另一个索引任务正在进行 (another indexing run is in progress)"));
        };
        let paths: Vec<PathBuf> = a.paths.into_iter().map(PathBuf::from).collect();
        let report = lib.index(&paths, &IndexOptions::default(), &mut |_| {})?;
        serde_json::to_value(report).map_err(internal)
    }
}

impl Api {
    fn export(&self, args: Value) -> Res {
        let a: ExportArgs = parse(args.clone())?;
        let format = nts_core::export::ExportFormat::parse(&a.format)
            .ok_or_else(|| ApiError::new("invalid", format!("unknown export format “{}”", a.format)))?;
        let opts = map_options(&args)?;
        let eopts = nts_core::export::ExportOptions { dpi: a.dpi.unwrap_or(300), ..Default::default() };
        let files = self.lib()?.export_map(&opts, format, &eopts)?;
        let (suffix, bytes) = files.into_iter().next().ok_or_else(|| internal("the export produced no file"))?;
        let mime = match suffix.as_str() {
            "png" => "image/png",
            "svg" => "image/svg+xml",
            "json" => "application/json",
            s if s.ends_with("csv") => "text/csv",
            _ => "application/xml",
        };
        use base64::Engine;
        Ok(json!({
            "file_name": format!("concept-map.{suffix}"),
            "mime": mime,
            "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
        }))
    }
}

fn parse_type(s: &str) -> Result<nts_core::ConceptType, ApiError> {
    nts_core::ConceptType::parse(s).ok_or_else(|| ApiError::new("invalid", format!("unknown concept type “{s}”")))
}

/// The `map` arguments shared by `map` and `export`.
fn map_options(args: &Value) -> Result<nts_core::graph::MapOptions, ApiError> {
    let a: MapArgs = parse(args.clone())?;
    let types = a.types.unwrap_or_default().iter().map(|t| parse_type(t)).collect::<Result<Vec<_>, _>>()?;
    Ok(nts_core::graph::MapOptions {
        center: a.center.filter(|s| !s.trim().is_empty()),
        depth: a.depth.unwrap_or(1).clamp(1, 2),
        types,
        min_weight: a.min_weight.unwrap_or(0.0),
        top: a.top.unwrap_or(60).clamp(2, 300),
        doc_id: a.doc_id.filter(|s| !s.is_empty()),
        year_from: a.year_from,
        year_to: a.year_to,
        ..Default::default()
    })
}

#[derive(Deserialize)]
struct ConceptsArgs {
    concept_type: Option<String>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
struct ConceptArgs {
    term: String,
    limit: Option<usize>,
}

#[derive(Deserialize)]
struct PathArgs {
    from: String,
    to: String,
}

#[derive(Deserialize)]
struct CandidatesArgs {
    min_freq: Option<u32>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
struct MapArgs {
    center: Option<String>,
    depth: Option<usize>,
    types: Option<Vec<String>>,
    min_weight: Option<f64>,
    top: Option<usize>,
    doc_id: Option<String>,
    year_from: Option<i32>,
    year_to: Option<i32>,
}

#[derive(Deserialize)]
struct ExportArgs {
    format: String,
    dpi: Option<u32>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new("internal", e.to_string())
}

fn parse<T: for<'de> Deserialize<'de>>(args: Value) -> Result<T, ApiError> {
    serde_json::from_value(args).map_err(|e| ApiError::new("invalid", format!("bad arguments: {e}")))
}

#[derive(Deserialize)]
struct TextArgs {
    text: String,
}

#[derive(Deserialize)]
struct SearchArgs {
    query: String,
    limit: Option<usize>,
    offset: Option<usize>,
    doc_id: Option<String>,
    year_from: Option<i32>,
    year_to: Option<i32>,
    concept_type: Option<String>,
}

#[derive(Deserialize)]
struct DocArgs {
    doc_id: String,
}

#[derive(Deserialize)]
struct IdsArgs {
    ids: Vec<String>,
}

#[derive(Deserialize)]
struct IndexArgs {
    paths: Vec<String>,
}
