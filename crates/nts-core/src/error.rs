//! The engine's one error type. It separates the user's mistakes (a file that cannot be
//! read, a query that does not parse, a concept that does not exist, a library locked by
//! another process) from internal faults (SQLite, tantivy, I/O on the library itself), so
//! the shells can show the first kind as advice and the second as a bug report. Every
//! message names the file or term at fault and says what to do.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why one input file could not become a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputErrorKind {
    #[error("binary file, not text (convert it to .txt, .md, .pdf with a text layer, or .docx)")]
    Binary,
    #[error("empty file (no text to index)")]
    Empty,
    #[error("undecodable bytes: not UTF-8, UTF-16, GB18030/GBK or Big5 ({0}); re-save it as UTF-8")]
    Undecodable(String),
    #[error("cannot read: {0}; check the path and its permissions")]
    Unreadable(String),
    #[error("file vanished before it could be read; re-run `nts index` when it is back")]
    Vanished,
    #[error("unsupported file type .{0}; supported: .txt .md .html .pdf .docx")]
    Unsupported(String),
    #[error("PDF has no text layer (a scanned image?); run OCR on it first")]
    NoTextLayer,
    #[error("damaged {0} file: {1}")]
    Damaged(&'static str, String),
}

impl InputErrorKind {
    /// A stable machine-readable name for the JSON contracts and tests.
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::Binary => "binary",
            InputErrorKind::Empty => "empty",
            InputErrorKind::Undecodable(_) => "undecodable",
            InputErrorKind::Unreadable(_) => "unreadable",
            InputErrorKind::Vanished => "vanished",
            InputErrorKind::Unsupported(_) => "unsupported",
            InputErrorKind::NoTextLayer => "no_text_layer",
            InputErrorKind::Damaged(..) => "damaged",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- the user's mistakes ----
    #[error("{}: {kind}", path.display())]
    Input { path: PathBuf, kind: InputErrorKind },
    #[error("cannot understand the query “{query}”: {reason}")]
    Query { query: String, reason: String },
    #[error("no concept “{0}” in the library; try `nts concepts` or `nts search {0}`")]
    UnknownConcept(String),
    #[error("no document “{0}” in the library; `nts docs` lists them")]
    UnknownDocument(String),
    #[error("no passage “{0}” in the library")]
    UnknownPassage(String),
    #[error("no link between “{0}” and “{1}” in the concept graph")]
    NoPath(String, String),
    #[error("the library at {} is being written by another process (pid {pid}); wait for it to finish or use another --library", path.display())]
    Locked { path: PathBuf, pid: String },
    #[error("{0}")]
    Invalid(String),
    #[error("no CJK font found for the labels {missing:?}; install one (Debian: `apt-get install fonts-noto-cjk` or `fonts-wqy-microhei`) or pass --font FILE")]
    NoCjkFont { missing: String },

    // ---- internal faults ----
    #[error("the library at {} is damaged ({detail}); run `nts index --rebuild` to rebuild it from its sources", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A stable code the HTTP/Tauri layer sends as `{code, message}` so the UI can classify
    /// errors without matching message strings.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Input { kind, .. } => kind.code(),
            Error::Query { .. } => "bad_query",
            Error::UnknownConcept(_) => "unknown_concept",
            Error::UnknownDocument(_) => "unknown_document",
            Error::UnknownPassage(_) => "unknown_passage",
            Error::NoPath(..) => "no_path",
            Error::Locked { .. } => "locked",
            Error::Invalid(_) => "invalid",
            Error::NoCjkFont { .. } => "no_cjk_font",
            Error::Corrupt { .. } => "corrupt",
            Error::Sqlite(_) => "sqlite",
            Error::Tantivy(_) => "index",
            Error::Io { .. } => "io",
            Error::Internal(_) => "internal",
        }
    }

    /// True when the user can fix it (bad input, bad query, unknown term), false for faults.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            Error::Corrupt { .. } | Error::Sqlite(_) | Error::Tantivy(_) | Error::Io { .. } | Error::Internal(_)
        )
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
    pub fn input(path: impl Into<PathBuf>, kind: InputErrorKind) -> Error {
        Error::Input { path: path.into(), kind }
    }
}
