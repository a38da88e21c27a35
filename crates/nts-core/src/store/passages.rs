//! The `passages` table: the text scholars read and quote, verbatim, with its place in
//! the document (ordinal, section path, char range, page). Passage ids are
//! `"{doc_id}#{ordinal}"`, so re-indexing unchanged content gives the same ids.

use super::Store;
use crate::error::Result;
use crate::model::{BlockKind, Passage};
use rusqlite::{params, Transaction};

pub(super) const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS passages (
    passage_id TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    section    TEXT NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    page       INTEGER,
    marker     TEXT
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ordinal);
";

const COLUMNS: &str = "passage_id, doc_id, ordinal, kind, section, text, start, end, page, marker";

pub(super) fn insert(tx: &Transaction, passages: &[Passage]) -> Result<()> {
    let mut st = tx
        .prepare_cached(&format!("INSERT INTO passages({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"))?;
    for p in passages {
        let section = serde_json::to_string(&p.section).unwrap_or_else(|_| "[]".into());
        st.execute(params![
            p.passage_id,
            p.doc_id,
            p.ordinal,
            p.kind.as_str(),
            section,
            p.text,
            p.start as i64,
            p.end as i64,
            p.page,
            p.marker
        ])?;
    }
    Ok(())
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Passage> {
    Ok(Passage {
        passage_id: r.get(0)?,
        doc_id: r.get(1)?,
        ordinal: r.get(2)?,
        kind: BlockKind::parse(&r.get::<_, String>(3)?).unwrap_or(BlockKind::Body),
        section: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        text: r.get(5)?,
        start: r.get::<_, i64>(6)? as usize,
        end: r.get::<_, i64>(7)? as usize,
        page: r.get(8)?,
        marker: r.get(9)?,
    })
}

impl Store {
    pub fn passage(&self, passage_id: &str) -> Result<Option<Passage>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM passages WHERE passage_id = ?1"), [passage_id], row)
            .optional()?)
    }

    /// The passages of a document in reading order.
    pub fn passages_of(&self, doc_id: &str) -> Result<Vec<Passage>> {
        let mut st =
            self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM passages WHERE doc_id = ?1 ORDER BY ordinal"))?;
        let rows = st.query_map([doc_id], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every passage of visible documents, in document and reading order.
    pub fn all_passages(&self) -> Result<Vec<Passage>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM passages p JOIN documents d USING (doc_id)
             WHERE d.state = 'indexed' ORDER BY p.doc_id, p.ordinal",
            COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
        ))?;
        let rows = st.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn count_passages(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM passages p JOIN documents d USING (doc_id) WHERE d.state = 'indexed'",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}
