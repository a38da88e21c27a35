//! The `documents` table: one row per ingested file with its bibliographic metadata, its
//! content hash (so unchanged files are skipped) and its state. A document is visible only
//! in state `indexed`: `pending` means its passages are written but the search index may
//! not hold them yet, and the next `nts index` finishes it.

use super::Store;
use crate::error::Result;
use crate::model::{DocumentSummary, Metadata};
use rusqlite::{params, OptionalExtension};

pub(super) const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS documents (
    doc_id     TEXT PRIMARY KEY,
    path       TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL,
    format     TEXT NOT NULL,
    encoding   TEXT NOT NULL,
    metadata   TEXT NOT NULL,
    citation   TEXT NOT NULL,
    passages   INTEGER NOT NULL DEFAULT 0,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'indexed')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
";

/// A document row as the indexer writes it.
#[derive(Debug, Clone)]
pub struct DocRecord {
    pub doc_id: String,
    pub path: String,
    pub hash: String,
    pub format: String,
    pub encoding: String,
    pub metadata: Metadata,
    pub citation: String,
}

/// What the indexer needs to know about a path it has seen before.
#[derive(Debug, Clone)]
pub struct KnownDoc {
    pub doc_id: String,
    pub hash: String,
    pub indexed: bool,
}

impl Store {
    /// Every stored document by source path, read once before indexing so the reading
    /// thread never waits on the writer for the database.
    pub fn known_documents(&self) -> Result<std::collections::HashMap<String, KnownDoc>> {
        let mut st = self.conn.prepare("SELECT path, doc_id, hash, state FROM documents")?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    KnownDoc { doc_id: r.get(1)?, hash: r.get(2)?, indexed: r.get::<_, String>(3)? == "indexed" },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn doc_id_taken(&self, doc_id: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM documents WHERE doc_id = ?1", [doc_id], |_| Ok(())).optional()?.is_some())
    }

    /// Documents whose indexing did not finish (a killed run).
    pub fn pending_doc_ids(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("SELECT doc_id FROM documents WHERE state = 'pending' ORDER BY doc_id")?;
        let rows = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    pub fn mark_indexed(&mut self, doc_ids: &[String]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare("UPDATE documents SET state = 'indexed' WHERE doc_id = ?1")?;
            for id in doc_ids {
                st.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Visible documents, in id order.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut st = self.conn.prepare(
            "SELECT doc_id, path, encoding, metadata, citation, passages FROM documents
             WHERE state = 'indexed' ORDER BY doc_id",
        )?;
        let rows = st.query_map([], row_to_summary)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn document(&self, doc_id: &str) -> Result<Option<DocumentSummary>> {
        Ok(self
            .conn
            .query_row(
                "SELECT doc_id, path, encoding, metadata, citation, passages FROM documents
                 WHERE doc_id = ?1 AND state = 'indexed'",
                [doc_id],
                row_to_summary,
            )
            .optional()?)
    }

    /// A document in any state (the indexer re-adds pending ones).
    pub fn documents_including_pending(&self, doc_id: &str) -> Result<Option<DocumentSummary>> {
        Ok(self
            .conn
            .query_row(
                "SELECT doc_id, path, encoding, metadata, citation, passages FROM documents WHERE doc_id = ?1",
                [doc_id],
                row_to_summary,
            )
            .optional()?)
    }

    pub fn count_documents(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM documents WHERE state = 'indexed'", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Every document's source path and id (for `--rebuild`).
    pub fn document_paths(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare("SELECT doc_id, path FROM documents ORDER BY doc_id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Replaces documents with their passages and concept rows in one transaction,
    /// leaving each `pending`.
    pub fn put_documents<'a>(
        &mut self,
        docs: impl IntoIterator<Item = (&'a DocRecord, &'a [crate::model::Passage], &'a [super::PassageConceptRows])>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (doc, passages, concepts) in docs {
            let meta = serde_json::to_string(&doc.metadata).map_err(|e| crate::Error::Internal(e.to_string()))?;
            tx.prepare_cached("DELETE FROM documents WHERE doc_id = ?1 OR path = ?2")?
                .execute(params![doc.doc_id, doc.path])?;
            tx.prepare_cached(
                "INSERT INTO documents(doc_id, path, hash, format, encoding, metadata, citation, passages, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            )?
            .execute(params![
                doc.doc_id,
                doc.path,
                doc.hash,
                doc.format,
                doc.encoding,
                meta,
                doc.citation,
                passages.len() as i64
            ])?;
            super::passages::insert(&tx, passages)?;
            super::concepts::insert_concepts(&tx, concepts)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a document with its passages and mentions.
    pub fn remove_document(&mut self, doc_id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM documents WHERE doc_id = ?1", [doc_id])?;
        tx.commit()?;
        Ok(())
    }
}

fn row_to_summary(r: &rusqlite::Row) -> rusqlite::Result<DocumentSummary> {
    let meta: Metadata = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default();
    Ok(DocumentSummary {
        doc_id: r.get(0)?,
        path: r.get(1)?,
        encoding: r.get(2)?,
        title: meta.title,
        authors: meta.authors,
        year: meta.year,
        venue: meta.venue,
        kind: meta.kind,
        language: meta.language,
        citation: r.get(4)?,
        passages: r.get(5)?,
    })
}
