//! Ingest (minimal placeholder until the full reader lands): UTF-8 text files only.
use crate::error::{Error, InputErrorKind, Result};
use crate::model::{Format, SourceText};
use std::path::{Path, PathBuf};

pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(|e| e.ok())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
                .collect();
            v.sort();
            files.extend(v);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            errs.push(Error::input(p, InputErrorKind::Vanished));
        }
    }
    (files, errs)
}

pub fn read_source(path: &Path) -> Result<SourceText> {
    let bytes = std::fs::read(path).map_err(|_| Error::input(path, InputErrorKind::Vanished))?;
    let text =
        String::from_utf8(bytes.clone()).map_err(|e| Error::input(path, InputErrorKind::Undecodable(e.to_string())))?;
    if text.trim().is_empty() {
        return Err(Error::input(path, InputErrorKind::Empty));
    }
    Ok(SourceText {
        path: path.to_path_buf(),
        format: Format::Txt,
        encoding: "UTF-8".into(),
        text,
        hash: blake3::hash(&bytes).to_hex().to_string(),
        page_starts: vec![],
    })
}
