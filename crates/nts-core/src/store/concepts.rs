//! Concept tables: `mentions` (which concept is named where, by sentence), `relations`
//! (typed relations stated in a passage), `user_terms` (the scholar's thesaurus edits:
//! added, edited, retyped, merged or deleted entries, which survive re-indexing) and
//! `candidate_decisions` (rejected discoveries stay rejected). Mentions and relations are
//! written in the same transaction as their document's passages.

use super::Store;
use crate::concepts::relations::RelationKind;
use crate::concepts::Mention;
use crate::error::Result;
use crate::model::ConceptType;
use crate::thesaurus::Entry;
use rusqlite::{params, Transaction};

pub(super) const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS mentions (
    passage_id TEXT NOT NULL REFERENCES passages(passage_id) ON DELETE CASCADE,
    concept    TEXT NOT NULL,
    ctype      TEXT NOT NULL,
    sentence   INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_passage ON mentions(passage_id);
CREATE INDEX IF NOT EXISTS mentions_concept ON mentions(concept);
CREATE TABLE IF NOT EXISTS relations (
    passage_id TEXT NOT NULL REFERENCES passages(passage_id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_passage ON relations(passage_id);
CREATE TABLE IF NOT EXISTS user_terms (
    term        TEXT PRIMARY KEY,
    deleted     INTEGER NOT NULL DEFAULT 0,
    entry       TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS candidate_decisions (
    term       TEXT PRIMARY KEY,
    decision   TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
";

/// Mentions and relations of one passage, as the indexer computes them.
#[derive(Debug, Clone, Default)]
pub struct PassageConceptRows {
    pub passage_id: String,
    /// (mention, sentence index within the passage)
    pub mentions: Vec<(Mention, u32)>,
    pub relations: Vec<(String, String, RelationKind)>,
}

/// A stored mention, joined with its passage's document and year.
#[derive(Debug, Clone)]
pub struct MentionRow {
    pub passage_id: String,
    pub doc_id: String,
    pub concept: String,
    pub ctype: ConceptType,
    pub sentence: u32,
}

pub(super) fn insert_concepts(tx: &Transaction, rows: &[PassageConceptRows]) -> Result<()> {
    let mut m = tx.prepare_cached(
        "INSERT INTO mentions(passage_id, concept, ctype, sentence, start, end) VALUES (?1,?2,?3,?4,?5,?6)",
    )?;
    let mut r = tx.prepare_cached("INSERT INTO relations(passage_id, source, target, kind) VALUES (?1,?2,?3,?4)")?;
    for row in rows {
        for (mention, s) in &row.mentions {
            m.execute(params![
                row.passage_id,
                mention.concept,
                mention.ctype.as_str(),
                s,
                mention.start as i64,
                mention.end as i64
            ])?;
        }
        for (a, b, k) in &row.relations {
            r.execute(params![row.passage_id, a, b, k.as_str()])?;
        }
    }
    Ok(())
}

impl Store {
    /// Replaces every passage's mentions and relations (after a thesaurus edit).
    pub fn replace_all_concepts(&mut self, rows: &[PassageConceptRows]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM mentions", [])?;
        tx.execute("DELETE FROM relations", [])?;
        insert_concepts(&tx, rows)?;
        tx.commit()?;
        Ok(())
    }

    /// Mentions in visible documents, in passage order.
    pub fn all_mentions(&self) -> Result<Vec<MentionRow>> {
        let mut st = self.conn.prepare(
            "SELECT m.passage_id, p.doc_id, m.concept, m.ctype, m.sentence FROM mentions m
             JOIN passages p USING (passage_id) JOIN documents d ON d.doc_id = p.doc_id
             WHERE d.state = 'indexed' ORDER BY p.doc_id, p.ordinal, m.start",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(MentionRow {
                    passage_id: r.get(0)?,
                    doc_id: r.get(1)?,
                    concept: r.get(2)?,
                    ctype: ConceptType::parse(&r.get::<_, String>(3)?).unwrap_or(ConceptType::Concept),
                    sentence: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Typed relations in visible documents: (source, target, kind, passage_id).
    pub fn all_relations(&self) -> Result<Vec<(String, String, RelationKind, String)>> {
        let mut st = self.conn.prepare(
            "SELECT r.source, r.target, r.kind, r.passage_id FROM relations r
             JOIN passages p USING (passage_id) JOIN documents d ON d.doc_id = p.doc_id
             WHERE d.state = 'indexed' ORDER BY r.passage_id",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows.into_iter().filter_map(|(a, b, k, p)| RelationKind::parse(&k).map(|k| (a, b, k, p))).collect())
    }

    /// The scholar's thesaurus edits: entries added or changed, and terms deleted.
    pub fn user_terms(&self) -> Result<(Vec<Entry>, Vec<String>)> {
        let mut st = self.conn.prepare("SELECT term, deleted, entry FROM user_terms ORDER BY updated_at, term")?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (term, deleted, entry) in rows {
            if deleted != 0 {
                deletes.push(term);
            } else if let Ok(e) = serde_json::from_str::<Entry>(&entry) {
                upserts.push(e);
            }
        }
        Ok((upserts, deletes))
    }

    pub fn put_user_term(&mut self, e: &Entry) -> Result<()> {
        let json = serde_json::to_string(e).map_err(|x| crate::Error::Internal(x.to_string()))?;
        self.conn.execute(
            "INSERT INTO user_terms(term, deleted, entry) VALUES (?1, 0, ?2)
             ON CONFLICT(term) DO UPDATE SET deleted = 0, entry = excluded.entry, updated_at = datetime('now')",
            params![e.term, json],
        )?;
        Ok(())
    }

    pub fn delete_user_term(&mut self, term: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO user_terms(term, deleted, entry) VALUES (?1, 1, '{}')
             ON CONFLICT(term) DO UPDATE SET deleted = 1, updated_at = datetime('now')",
            params![term],
        )?;
        Ok(())
    }

    pub fn decide_candidate(&mut self, term: &str, decision: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO candidate_decisions(term, decision) VALUES (?1, ?2)
             ON CONFLICT(term) DO UPDATE SET decision = excluded.decision, updated_at = datetime('now')",
            params![term, decision],
        )?;
        Ok(())
    }

    pub fn candidate_decisions(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare("SELECT term, decision FROM candidate_decisions")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
