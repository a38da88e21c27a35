//! Ingest and metadata over real files in a temp dir: every way a user's file can be bad
//! maps to its exact error kind; GBK/Big5/UTF-16 files come back identical; DOCX and PDF
//! text is found; sidecars and citations of the bundled seeds are right.

use nts_core::ingest::{collect, read_source};
use nts_core::metadata::{citation_gbt7714, from_text, merge, read_sidecar, sidecar_path};
use nts_core::{DocKind, Error, Format, InputErrorKind, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};

const SENTENCE: &str = "非传统安全问题日益凸显，联合执法安全合作成为治理跨国犯罪的有效路径。";
const TRADITIONAL: &str = "非傳統安全問題日益凸顯，聯合執法安全合作成為治理跨國犯罪的有效路徑。";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

fn kind_of(r: nts_core::Result<nts_core::SourceText>) -> InputErrorKind {
    match r {
        Err(Error::Input { kind, .. }) => kind,
        Err(e) => panic!("expected an input error, got {e}"),
        Ok(s) => panic!("expected an error, got text {:?}", s.text.chars().take(40).collect::<String>()),
    }
}

#[test]
fn decodes_each_encoding_identically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = SENTENCE.repeat(3);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let trad = TRADITIONAL.repeat(3);
    let (big5, _, _) = encoding_rs::BIG5.encode(&trad);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    let cases: [(&str, Vec<u8>, &str, String); 5] = [
        ("gbk.txt", gbk.into_owned(), "GBK", text.clone()),
        ("big5.txt", big5.into_owned(), "Big5", TRADITIONAL.repeat(3)),
        ("utf16.txt", utf16, "UTF-16LE", text.clone()),
        ("bom.md", bom8, "UTF-8", text.clone()),
        ("plain.txt", text.as_bytes().to_vec(), "UTF-8", text.clone()),
    ];
    for (name, bytes, enc, expect) in cases {
        let p = write(dir.path(), name, &bytes);
        let src = read_source(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(src.encoding, enc, "{name}");
        assert_eq!(src.text, expect, "{name}");
        assert_eq!(src.hash, blake3::hash(&bytes).to_hex().to_string(), "{name}");
    }
}

#[test]
fn bad_inputs_have_exact_error_kinds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut random = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        random.push((x >> 16) as u8);
    }
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
    assert_eq!(kind_of(read_source(&write(dir.path(), "random.txt", &random))), InputErrorKind::Binary);
    assert_eq!(kind_of(read_source(&write(dir.path(), "image.txt", &png))), InputErrorKind::Binary);
    assert_eq!(kind_of(read_source(&write(dir.path(), "empty.txt", b""))), InputErrorKind::Empty);
    assert_eq!(kind_of(read_source(&write(dir.path(), "blank.md", b" \n\r\n\t \n"))), InputErrorKind::Empty);
    assert_eq!(kind_of(read_source(&dir.path().join("gone.txt"))), InputErrorKind::Vanished);
    assert_eq!(
        kind_of(read_source(&write(dir.path(), "slides.pptx", b"x"))),
        InputErrorKind::Unsupported("pptx".into())
    );
    // Control characters everywhere: binary, even though it decodes.
    let ctrl: Vec<u8> = (0..400).map(|i| if i % 10 == 0 { 0x01 } else { b'a' }).collect();
    assert_eq!(kind_of(read_source(&write(dir.path(), "ctrl.txt", &ctrl))), InputErrorKind::Binary);
}

#[test]
fn damaged_docx_and_pdf_are_damaged_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = write(dir.path(), "bad.docx", b"PK\x03\x04 this is not a zip archive");
    assert!(matches!(kind_of(read_source(&docx)), InputErrorKind::Damaged("DOCX", _)));
    let pdf = write(dir.path(), "bad.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer garbage");
    assert!(matches!(kind_of(read_source(&pdf)), InputErrorKind::Damaged("PDF", _) | InputErrorKind::NoTextLayer));
    let not_pdf = write(dir.path(), "png.pdf", &[0x89, b'P', b'N', b'G', 0, 0, 0, 0]);
    assert!(matches!(kind_of(read_source(&not_pdf)), InputErrorKind::Damaged("PDF", _)));
    // A real PDF cut in half.
    let good =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two_pages.pdf")).expect("fixture");
    let cut = write(dir.path(), "cut.pdf", &good[..good.len() / 2]);
    let r = read_source(&cut);
    assert!(
        matches!(
            &r,
            Err(Error::Input { kind: InputErrorKind::Damaged("PDF", _) | InputErrorKind::NoTextLayer, .. }) | Ok(_)
        ),
        "{:?}",
        r.map(|s| s.text)
    );
}

#[test]
fn reads_a_real_pdf_page_by_page() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two_pages.pdf");
    let src = read_source(&p).expect("fixture PDF reads");
    assert_eq!(src.format, Format::Pdf);
    assert_eq!(src.page_starts.len(), 2);
    assert!(src.text.contains("Non-traditional security threats cross borders."), "{}", src.text);
    let second: String = src.text.chars().skip(src.page_starts[1]).collect();
    assert!(second.trim_start().starts_with("Joint law enforcement"), "{second}");
    let blocks = nts_core::normalise::normalise(&src.text, &src.page_starts);
    assert_eq!(blocks.last().and_then(|b| b.page), Some(2));
}

fn docx_bytes(document_xml: &str, footnotes_xml: Option<&str>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", opts).expect("zip");
        zip.write_all(b"<?xml version=\"1.0\"?><Types/>").expect("zip");
        zip.start_file("word/document.xml", opts).expect("zip");
        zip.write_all(document_xml.as_bytes()).expect("zip");
        if let Some(f) = footnotes_xml {
            zip.start_file("word/footnotes.xml", opts).expect("zip");
            zip.write_all(f.as_bytes()).expect("zip");
        }
        zip.finish().expect("zip");
    }
    buf.into_inner()
}

#[test]
fn reads_a_real_docx() {
    let doc = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>一、问题的提出</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">非传统安全</w:t></w:r><w:r><w:t>犯罪治理&amp;合作</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:tab/><w:t>续</w:t><w:br/><w:t>下一行。</w:t></w:r></w:p>
<w:p><w:r><w:t>第二段。</w:t></w:r></w:p>
</w:body></w:document>"#;
    let notes = r#"<?xml version="1.0"?><w:footnotes xmlns:w="x">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>王君祥：《非传统安全犯罪治理问题研究》，中国法制出版社2017年版。</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "paper.docx", &docx_bytes(doc, Some(notes)));
    let src = read_source(&p).expect("docx reads");
    assert_eq!(src.format, Format::Docx);
    assert!(src.text.contains("# 一、问题的提出\n\n"), "{}", src.text);
    assert!(src.text.contains("非传统安全犯罪治理&合作^①\t续\n下一行。\n\n第二段。"), "{}", src.text);
    assert!(src.text.contains("^① 王君祥："), "{}", src.text);
    let blocks = nts_core::normalise::normalise(&src.text, &[]);
    let kinds: Vec<_> = blocks.iter().map(|b| (b.kind.as_str(), b.text.as_str())).collect();
    assert_eq!(kinds[0], ("heading", "一、问题的提出"));
    assert!(kinds.iter().any(|(k, t)| *k == "footnote" && t.starts_with("① 王君祥")), "{kinds:?}");
    assert!(kinds.iter().any(|(k, t)| *k == "body" && *t == "第二段。"), "{kinds:?}");
}

#[test]
fn html_becomes_paragraphs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = "<html><head><title>共生安全</title><style>p{color:red}</style><script>var a = '<p>';</script></head>\
<body><h2>一、问题的提出</h2><p>自特朗普上台以来，美国&ldquo;退群&rdquo;<sup>①</sup>。</p><p>第二段&nbsp;文字<br>换行</p><!-- x --></body></html>";
    let p = write(dir.path(), "page.html", html.as_bytes());
    let src = read_source(&p).expect("html reads");
    assert_eq!(
        src.text,
        "共生安全\n\n## 一、问题的提出\n\n自特朗普上台以来，美国“退群”①。\n\n第二段\u{a0}文字\n换行\n"
    );
}

#[test]
fn collect_expands_folders_deterministically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir_all(d.join("sub/.hidden")).expect("mkdir");
    for f in [
        "b.txt",
        "a.md",
        "sub/c.pdf",
        "sub/d.docx",
        "sub/e.htm",
        "notes.xlsx",
        ".secret.txt",
        "a.md.meta.json",
        "sub/.hidden/x.txt",
    ] {
        write(d, f, b"x");
    }
    let (files, errors) = collect(&[d.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<String> =
        files.iter().map(|p| p.strip_prefix(d).expect("inside").to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["a.md", "b.txt", "sub/c.pdf", "sub/d.docx", "sub/e.htm"]);

    let (files, errors) = collect(&[d.join("notes.xlsx"), d.join("missing"), d.join("b.txt"), d.join("b.txt")]);
    assert_eq!(files, [d.join("b.txt")]);
    let codes: Vec<&str> = errors.iter().map(Error::code).collect();
    assert_eq!(codes, ["unsupported", "unreadable"]);
}

#[test]
fn seeds_read_as_utf8_and_sidecars_parse() {
    let (files, errors) = collect(&[corpus()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(files.len(), 5);
    for f in &files {
        let src = read_source(f).expect("seed reads");
        assert_eq!(src.encoding, "UTF-8");
        let side = read_sidecar(f).expect("sidecar parses").expect("sidecar exists");
        assert!(!side.title.is_empty() && !side.authors.is_empty(), "{}", f.display());
        assert_eq!(side.language, "zh");
    }
}

#[test]
fn bad_sidecar_is_damaged_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "x.txt", SENTENCE.as_bytes());
    assert_eq!(sidecar_path(&p), dir.path().join("x.txt.meta.json"));
    assert!(read_sidecar(&p).expect("no sidecar is fine").is_none());
    write(dir.path(), "x.txt.meta.json", b"{\"title\": ");
    match read_sidecar(&p) {
        Err(Error::Input { path, kind: InputErrorKind::Damaged(..) }) => {
            assert!(path.ends_with("x.txt.meta.json"))
        }
        other => panic!("expected Damaged, got {other:?}"),
    }
}

#[test]
fn metadata_read_off_the_seeds() {
    let read = |name: &str| {
        let p = corpus().join(name);
        let text = std::fs::read_to_string(&p).expect("seed");
        from_text(&text, name)
    };
    let m = read("000_43b739fcd0d05cbc.txt");
    assert_eq!(
        (m.title.as_str(), m.authors.clone(), m.year),
        ("非传统安全犯罪治理问题研究", vec!["王君祥".to_string()], Some(2017))
    );
    assert_eq!(
        (m.kind, m.publisher.as_str(), m.place.as_str(), m.isbn.as_str()),
        (DocKind::Book, "中国法制出版社", "北京", "978-7-5093-9084-9")
    );

    let m = read("001_d27665db8be3e084.txt");
    assert_eq!(m.title, "协同治理视角下口岸非传统安全策略研究");
    assert_eq!(m.authors, ["颜世传"]);
    assert_eq!(m.doi, "10.64216/3080-1486.25.06.016");
    assert_eq!(m.keywords, ["非传统安全", "口岸", "协同治理"]);
    assert!(m.abstract_text.starts_with("习近平总书记指出"), "{}", m.abstract_text);
    assert_eq!(m.kind, DocKind::Article);

    let m = read("002_7df21d20c7f93eb0.txt");
    assert_eq!(m.title, "新形势下加强国际执法安全合作的现实困境及其破解路径浅析");
    assert_eq!(m.authors, ["贾慧智"]);
    assert_eq!(m.keywords, ["国际执法安全合作", "大国博弈", "非传统安全", "人类命运共同体"]);
    assert_eq!(m.year, None);

    let m = read("003_2074921f6f67fe82.txt");
    assert_eq!((m.title.as_str(), m.authors.clone()), ("国际移民安全问题探析", vec!["陈积敏".to_string()]));
    assert_eq!(m.keywords, ["国际移民", "非正规移民", "安全治理"]);
    assert!(m.abstract_text.starts_with("当前国际移民仍呈增长态势"));

    let m = read("004_72b87f142ad008ca.txt");
    assert_eq!(m.title, "共生安全：国际安全公共产品供给的新理念");
    assert_eq!(m.authors, ["程铭", "刘雪莲"]);
    assert_eq!((m.venue.as_str(), m.year, m.issue.as_str()), ("东北亚论坛", Some(2020), "2"));
    assert!(m.abstract_text.starts_with("传统公共产品理论") && m.abstract_text.ends_with("新局面。"));
    assert_eq!(m.language, "zh");
}

#[test]
fn author_lines() {
    let cases: &[(&str, &[&str])] = &[
        ("颜世传", &["颜世传"]),
        ("■ 贾慧智", &["贾慧智"]),
        ("程 铭 刘雪莲", &["程铭", "刘雪莲"]),
        ("王君祥◎著", &["王君祥"]),
        ("作者：陈积敏，中共中央党校教授。", &["陈积敏"]),
    ];
    for (line, expect) in cases {
        let text = format!("一个足够长的论文标题用于测试\n\n{line}\n\n摘要：正文。");
        let m = from_text(&text, "x");
        assert_eq!(m.authors, *expect, "{line}");
    }
}

#[test]
fn merge_prefers_non_empty_sidecar_fields() {
    let text = Metadata {
        title: "从文本".into(),
        year: Some(2019),
        venue: "东北亚论坛".into(),
        kind: DocKind::Book,
        ..Default::default()
    };
    let side = Metadata { title: "从附注".into(), authors: vec!["程铭".into()], ..Default::default() };
    let m = merge(Some(side), text.clone());
    assert_eq!(
        (m.title.as_str(), m.authors.len(), m.year, m.venue.as_str(), m.kind),
        ("从附注", 1, Some(2019), "东北亚论坛", DocKind::Book)
    );
    assert_eq!(merge(None, text.clone()), text);
}

#[test]
fn gbt7714_citations() {
    let article = Metadata {
        title: "共生安全：国际安全公共产品供给的新理念".into(),
        authors: vec!["程铭".into(), "刘雪莲".into()],
        year: Some(2020),
        venue: "东北亚论坛".into(),
        volume: "29".into(),
        issue: "2".into(),
        pages: "71-83".into(),
        ..Default::default()
    };
    let book = Metadata {
        title: "非传统安全犯罪治理问题研究".into(),
        authors: vec!["王君祥".into()],
        year: Some(2017),
        publisher: "中国法制出版社".into(),
        place: "北京".into(),
        kind: DocKind::Book,
        ..Default::default()
    };
    let many = Metadata {
        authors: ["周霞", "谷莹", "陈为东", "李四"].map(String::from).to_vec(),
        title: "政府数据协同治理影响因素".into(),
        venue: "情报科学".into(),
        year: Some(2024),
        doi: "10.1000/xyz.1".into(),
        ..Default::default()
    };
    let no_vol = Metadata { volume: String::new(), pages: String::new(), ..article.clone() };
    let bare = Metadata {
        title: "国际移民安全问题探析".into(), authors: vec!["陈积敏".into()], ..Default::default()
    };
    let cases = [
        (&article, "程铭, 刘雪莲. 共生安全：国际安全公共产品供给的新理念[J]. 东北亚论坛, 2020, 29(2): 71-83."),
        (&book, "王君祥. 非传统安全犯罪治理问题研究[M]. 北京: 中国法制出版社, 2017."),
        (&many, "周霞, 谷莹, 陈为东, 等. 政府数据协同治理影响因素[J]. 情报科学, 2024. DOI: 10.1000/xyz.1"),
        (&no_vol, "程铭, 刘雪莲. 共生安全：国际安全公共产品供给的新理念[J]. 东北亚论坛, 2020(2)."),
        (&bare, "陈积敏. 国际移民安全问题探析[J]."),
    ];
    for (m, expect) in cases {
        assert_eq!(citation_gbt7714(m), expect);
    }
}
