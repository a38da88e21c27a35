//! Metadata (minimal placeholder until the full reader lands).
use crate::error::Result;
use crate::model::Metadata;
use std::path::{Path, PathBuf};
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".meta.json");
    PathBuf::from(s)
}
pub fn read_sidecar(path: &Path) -> Result<Option<Metadata>> {
    Ok(std::fs::read_to_string(sidecar_path(path)).ok().and_then(|s| serde_json::from_str(&s).ok()))
}
pub fn from_text(text: &str, file_stem: &str) -> Metadata {
    Metadata {
        title: text.lines().find(|l| !l.trim().is_empty()).unwrap_or(file_stem).trim().to_string(),
        language: "zh".into(),
        ..Default::default()
    }
}
pub fn merge(sidecar: Option<Metadata>, from_text: Metadata) -> Metadata {
    sidecar.unwrap_or(from_text)
}
pub fn citation_gbt7714(m: &Metadata) -> String {
    format!("{}. {}[J]. {}", m.authors.join(", "), m.title, m.year.map(|y| y.to_string()).unwrap_or_default())
}
