//! Shared fixtures: the bundled corpus indexed once into a temporary library.

use nts_core::library::IndexOptions;
use nts_core::Library;
use std::path::PathBuf;
use std::sync::LazyLock;

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub lib: Library,
}

/// The bundled corpus, indexed once per test run.
pub static CORPUS: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(dir.path()).expect("open library");
    let report = lib.index(&[corpus_dir()], &IndexOptions::default(), &mut |_| {}).expect("index corpus");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    Fixture { _dir: dir, lib }
});

pub fn lib() -> &'static Library {
    &CORPUS.lib
}
