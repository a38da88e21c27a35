//! The library's SQLite file: documents, passages, and (from the concepts stage)
//! concepts, mentions, edges and the scholar's curation. Only this module writes SQL.
//! One submodule per table group, each with its migration beside it; every write runs in
//! a transaction so a killed process leaves each document fully present or absent.

mod concepts;
mod documents;
mod passages;

pub use concepts::*;
pub use documents::*;

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Bump when a migration is added below.
const SCHEMA_VERSION: i64 = 1;

/// A connection to a library's SQLite file.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| corrupt(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // journal_mode answers with a row, so it is read rather than executed.
        let _mode: String =
            conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| corrupt(path, e))?;
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000; PRAGMA wal_autocheckpoint=8000;")?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        self.conn
            .execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
            .map_err(|e| corrupt(&path, e))?;
        let version: i64 = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get::<_, String>(0))
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if version > SCHEMA_VERSION {
            return Err(Error::Corrupt {
                path,
                detail: format!("made by a newer NTS Atlas (schema {version}); upgrade the program"),
            });
        }
        let tx = self.conn.transaction()?;
        tx.execute_batch(documents::MIGRATION)?;
        tx.execute_batch(passages::MIGRATION)?;
        tx.execute_batch(concepts::MIGRATION)?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES('schema_version', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [SCHEMA_VERSION.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA quick_check`: `Err(Corrupt)` when SQLite finds damage.
    pub fn check(&self) -> Result<()> {
        let r: String =
            self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| corrupt(&self.path, e))?;
        if r != "ok" {
            return Err(Error::Corrupt { path: self.path.clone(), detail: r });
        }
        Ok(())
    }
}

fn corrupt(path: &Path, e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(ref f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            Error::Corrupt { path: path.to_path_buf(), detail: e.to_string() }
        }
        other => Error::Sqlite(other),
    }
}
