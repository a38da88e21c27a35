//! Library behaviour: re-indexing is idempotent, changed files are replaced, bad files are
//! reported by name while the rest lands, one writer at a time, and a run interrupted
//! after SQLite but before tantivy is completed by the next run.

use crate::common::corpus_dir;
use nts_core::library::{IndexOptions, SearchOptions};
use nts_core::{Library, Passage};
use std::path::Path;

fn index(lib: &Library, p: &Path) -> nts_core::library::IndexReport {
    lib.index(&[p.to_path_buf()], &IndexOptions { threads: 1, ..Default::default() }, &mut |_| {}).expect("index")
}

fn all_passages(lib: &Library) -> Vec<Passage> {
    lib.documents().expect("docs").into_iter().flat_map(|d| lib.passages_of(&d.doc_id).expect("passages")).collect()
}

fn copy_corpus(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(corpus_dir()).expect("corpus") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
    }
}

#[test]
fn reindexing_is_idempotent_and_replaces_changed_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    copy_corpus(&src);
    let lib = Library::open(&tmp.path().join("lib")).expect("open");
    let first = index(&lib, &src);
    assert_eq!(first.added.len(), 5);
    let before = all_passages(&lib);
    let total_before = lib.search("恐怖主义", &SearchOptions::default()).expect("search").total;

    let second = index(&lib, &src);
    assert_eq!((second.added.len(), second.updated.len(), second.unchanged), (0, 0, 5));
    assert_eq!(all_passages(&lib), before, "same passages, same ids");
    assert_eq!(lib.search("恐怖主义", &SearchOptions::default()).expect("search").total, total_before);

    // Change one file: it is replaced, the others are skipped, ids stay.
    let f = src.join("001_d27665db8be3e084.txt");
    let mut text = std::fs::read_to_string(&f).expect("read");
    text.push_str("\n\n新增段落：海盗问题与亚丁湾护航的国际合作值得研究。\n");
    std::fs::write(&f, text).expect("write");
    let third = index(&lib, &src);
    assert_eq!(third.updated, vec!["001_d27665db8be3e084".to_string()]);
    assert_eq!(third.unchanged, 4);
    let hits = lib.search("亚丁湾护航", &SearchOptions::default()).expect("search");
    assert_eq!(hits.hits.first().map(|h| h.doc_id.as_str()), Some("001_d27665db8be3e084"));
    assert_eq!(lib.documents().expect("docs").len(), 5);
}

#[test]
fn bad_files_are_reported_by_name_and_the_rest_lands() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::write(src.join("good.txt"), "口岸安全是国家总体安全体系的重要组成部分，打击走私犯罪。").expect("w");
    std::fs::write(src.join("empty.txt"), "").expect("w");
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(src.join("image.txt"), binary).expect("w");
    let (gbk, _, _) = encoding_rs::GBK.encode("非法移民与偷渡问题日益突出，各国加强边境管理与执法合作。");
    std::fs::write(src.join("gbk.txt"), &gbk).expect("w");
    let lib = Library::open(&tmp.path().join("lib")).expect("open");
    let missing = tmp.path().join("no-such-file.txt");
    let r = lib
        .index(&[src.clone(), missing.clone()], &IndexOptions::default(), &mut |_| {})
        .expect("index runs despite bad files");
    let mut codes: Vec<(String, String)> = r
        .failed
        .iter()
        .map(|f| {
            (
                Path::new(&f.path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
                f.code.clone(),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        vec![
            ("empty.txt".into(), "empty".into()),
            ("image.txt".into(), "binary".into()),
            ("no-such-file.txt".into(), "unreadable".into()),
        ]
    );
    for f in &r.failed {
        assert!(
            f.message.contains(&f.path)
                || f.message.contains(
                    Path::new(&f.path)
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default()
                        .as_str()
                )
        );
    }
    assert_eq!(r.added.len(), 2);
    let hits = lib.search("偷渡", &SearchOptions::default()).expect("search");
    assert_eq!(hits.total, 1, "the GBK file was decoded and indexed");
}

#[test]
fn a_second_writer_is_refused_while_one_holds_the_lock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let lib = Library::open(tmp.path()).expect("open");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(tmp.path().join("lock"))
        .expect("lock file");
    lock.try_lock().expect("take the lock");
    let e = lib.index(&[corpus_dir()], &IndexOptions::default(), &mut |_| {}).expect_err("locked");
    assert_eq!(e.code(), "locked");
    drop(lock);
    assert!(lib.index(&[corpus_dir()], &IndexOptions::default(), &mut |_| {}).is_ok());
}

#[test]
fn a_half_indexed_document_is_hidden_then_completed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let libdir = tmp.path().join("lib");
    {
        let lib = Library::open(&libdir).expect("open");
        index(&lib, &corpus_dir());
    }
    // Simulate a run killed after SQLite took a document but before tantivy committed:
    // the document is back in state `pending`.
    let conn = rusqlite::Connection::open(libdir.join("library.sqlite")).expect("sqlite");
    conn.execute("UPDATE documents SET state = 'pending' WHERE doc_id = '003_2074921f6f67fe82'", []).expect("update");
    drop(conn);
    let lib = Library::open(&libdir).expect("reopen");
    assert_eq!(lib.documents().expect("docs").len(), 4, "pending documents are not shown");
    let r = index(&lib, &corpus_dir());
    assert_eq!(r.resumed, 1);
    assert_eq!(lib.documents().expect("docs").len(), 5);
    let hits = lib.search("非正规移民", &SearchOptions { limit: 100, ..Default::default() }).expect("search");
    let from_003 = hits.hits.iter().filter(|h| h.doc_id == "003_2074921f6f67fe82").count();
    let ids: std::collections::HashSet<_> = hits.hits.iter().map(|h| &h.passage_id).collect();
    assert!(from_003 > 0);
    assert_eq!(ids.len(), hits.hits.len(), "no passage indexed twice");
}

#[test]
fn a_damaged_search_index_is_reported_and_rebuilt_from_stored_passages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let libdir = tmp.path().join("lib");
    let total = {
        let lib = Library::open(&libdir).expect("open");
        index(&lib, &corpus_dir());
        lib.search("恐怖主义", &SearchOptions::default()).expect("search").total
    };
    std::fs::write(libdir.join("tantivy/meta.json"), "{ not json").expect("damage");
    let e = Library::open(&libdir).err().expect("damaged index must not open silently");
    assert_eq!(e.code(), "corrupt");
    assert!(e.to_string().contains("--rebuild"), "{e}");
    let lib = Library::open_for_rebuild(&libdir).expect("open for rebuild");
    lib.index(&[], &IndexOptions { rebuild: true, ..Default::default() }, &mut |_| {}).expect("rebuild");
    assert_eq!(lib.search("恐怖主义", &SearchOptions::default()).expect("search").total, total);
}

#[test]
fn curation_lives_in_the_library_and_survives_reindexing() {
    use nts_core::graph::Filter;
    use nts_core::ConceptType;
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    copy_corpus(&src);
    let lib = Library::open(&tmp.path().join("lib")).expect("open");
    index(&lib, &src);

    // A term the thesaurus lacks becomes a concept once accepted.
    lib.add_concept(nts_core::thesaurus::Entry {
        term: "非传统安全犯罪治理模式".into(),
        ctype: ConceptType::Mechanism,
        aliases: vec!["治理模式选择".into()],
        english: String::new(),
        traditional: String::new(),
        freq: 3000,
    })
    .expect("add");
    lib.retype_concept("口岸", ConceptType::Actor).expect("retype");
    lib.merge_concepts("非正规移民", "非法移民").expect("merge");
    lib.reject_candidate("综合运用").expect("reject");

    let check = |lib: &Library| {
        let added = lib.concept("非传统安全犯罪治理模式", &Filter::default()).expect("added concept");
        assert_eq!(added.summary.ctype, ConceptType::Mechanism);
        assert!(added.summary.mentions > 0, "the new concept is found in the texts");
        assert_eq!(lib.concept("口岸", &Filter::default()).expect("口岸").summary.ctype, ConceptType::Actor);
        let merged = lib.concept("非正规移民", &Filter::default()).expect("alias resolves");
        assert_eq!(merged.summary.term, "非法移民");
        assert!(lib.concepts(None).expect("concepts").iter().all(|c| c.term != "非正规移民"));
        assert!(lib.candidates(2).expect("candidates").iter().all(|c| c.term != "综合运用"));
    };
    check(&lib);

    // Re-index a changed file, then reopen the library: the edits are still in force.
    let f = src.join("003_2074921f6f67fe82.txt");
    let mut text = std::fs::read_to_string(&f).expect("read");
    text.push_str("\n\n非正规移民与非传统安全犯罪治理模式的关系值得进一步研究。\n");
    std::fs::write(&f, text).expect("write");
    index(&lib, &src);
    check(&lib);
    drop(lib);
    let lib = Library::open(&tmp.path().join("lib")).expect("reopen");
    check(&lib);

    // The edits travel as a thesaurus file.
    let tsv = lib.export_user_thesaurus().expect("export");
    assert!(tsv.contains("非传统安全犯罪治理模式\tmechanism"));
    let other = Library::open(&tmp.path().join("other")).expect("other");
    index(&other, &src);
    assert!(other.import_thesaurus(&tsv).expect("import") >= 3);
    assert_eq!(other.concept("非正规移民", &Filter::default()).expect("alias").summary.term, "非法移民");

    lib.delete_concept("非传统安全犯罪治理模式").expect("delete");
    assert!(lib.concept("非传统安全犯罪治理模式", &Filter::default()).is_err());
}

#[test]
fn files_read_in_parallel_land_in_order_with_the_same_ids_every_time() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    // Three names with one slug, among enough other files that the readers interleave.
    for name in ["Note.txt", "note.md", "note.txt"] {
        std::fs::write(src.join(name), format!("{name}：跨境追逃追赃的国际执法合作。")).expect("write");
    }
    for i in 0..40 {
        let body = "海上丝绸之路沿线的非传统安全合作。".repeat(1 + i % 7);
        std::fs::write(src.join(format!("doc{i:02}.txt")), format!("第{i}篇\n\n{body}")).expect("write");
    }
    let ids = |dir: &str| {
        let lib = Library::open(&tmp.path().join(dir)).expect("open");
        let opts = IndexOptions { readers: 4, threads: 1, ..Default::default() };
        let report = lib.index(std::slice::from_ref(&src), &opts, &mut |_| {}).expect("index");
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        report.added
    };
    let first = ids("lib1");
    assert_eq!(first.len(), 43);
    // Files are taken in byte order of their names: `Note.txt` < `doc00.txt` … < `note.md`
    // < `note.txt`, so the slug's suffixes follow that order.
    assert_eq!(first[..3], ["note", "doc00", "doc01"]);
    assert_eq!(&first[41..], ["note-2", "note-3"]);
    assert_eq!(ids("lib2"), first, "a second build gives the same ids");
}
