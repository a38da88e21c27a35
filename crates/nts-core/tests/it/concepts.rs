//! Concepts beyond the thesaurus matcher: typed relations read off sentences, and
//! candidate discovery on texts. Sentences marked "seed" are quoted from corpus/*.txt.

use nts_core::concepts::relations::{find_relations, RelationKind};
use nts_core::concepts::Extractor;
use nts_core::thesaurus::Thesaurus;

/// Relations of `text` with the built-in thesaurus, as "from kind to" lines.
fn relations(text: &str) -> Vec<String> {
    let ex = Extractor::new(Thesaurus::builtin());
    let mentions = ex.extract(text);
    find_relations(text, &mentions).iter().map(|r| format!("{} {} {}", r.from, r.kind.as_str(), r.to)).collect()
}

#[test]
fn relations_table() {
    let cases: &[(&str, &[&str])] = &[
        // seed 003
        ("非正规移民主要包括非法移民与国际被迫移民。", &["非法移民 instance_of 非正规移民"]),
        // seed 003: the examples are people, not kinds of threat: no typed edge.
        ("被迫移民主要包括难民、寻求庇护者、国内流离失所者和其他需要国际保护的人。", &[]),
        // seed 003
        (
            "二是中观层次上的国家安全，主要包括国土安全、社会安全、经济安全与文化安全。",
            &[
                "国土安全 part_of 国家安全",
                "社会安全 part_of 国家安全",
                "经济安全 part_of 国家安全",
                "文化安全 part_of 国家安全",
            ],
        ),
        // seed 000
        ("第二，联合执法安全合作机制是中国应对非传统安全犯罪的成功探索。", &["中国 addresses 非传统安全犯罪"]),
        // seed 000
        ("一、国际政府组织参与非传统安全犯罪治理的作用", &["国际政府组织 participates_in 非传统安全犯罪治理"]),
        // seed 000: the contrast is not between the two mentions' own phrases.
        ("非传统安全犯罪在犯罪性质、严重破坏性、侵害法益以及治理措施上与普通的刑事犯罪有所不同。", &[]),
        // made up
        (
            "非传统安全犯罪包括恐怖主义、毒品犯罪、贩运人口和非法移民等。",
            &[
                "恐怖主义 instance_of 非传统安全犯罪",
                "毒品犯罪 instance_of 非传统安全犯罪",
                "贩运人口 instance_of 非传统安全犯罪",
                "非法移民 instance_of 非传统安全犯罪",
            ],
        ),
        (
            "欧盟积极打击恐怖主义、毒品犯罪和贩运人口。",
            &["欧盟 addresses 恐怖主义", "欧盟 addresses 毒品犯罪", "欧盟 addresses 贩运人口"],
        ),
        ("各国通过引渡打击跨国犯罪。", &["引渡 addresses 跨国犯罪"]),
        (
            "跨国犯罪，如毒品犯罪、贩运人口等，日益猖獗。",
            &["毒品犯罪 instance_of 跨国犯罪", "贩运人口 instance_of 跨国犯罪"],
        ),
        ("中国于1984年加入国际刑警组织。", &[]),
        ("中国加入国际刑警组织后，合作不断深化。", &["中国 participates_in 国际刑警组织"]),
        ("上海合作组织与东盟不同，它以安全合作起家。", &["上海合作组织 contrasts_with 东盟"]),
        ("恐怖主义是一种非传统安全威胁。", &["恐怖主义 instance_of 非传统安全威胁"]),
        ("国土安全是国家安全的重要组成部分。", &["国土安全 part_of 国家安全"]),
        // No cue right at the mentions: nothing.
        ("恐怖主义和毒品犯罪都是跨国犯罪研究的热点。", &[]),
        ("国际刑警组织的数据显示，毒品犯罪持续上升。", &[]),
        // A relation never crosses a sentence end.
        ("国土安全是。国家安全的组成部分。", &[]),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got = relations(text);
        if got != *want {
            failures.push(format!("{text}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn relation_spans_are_the_sentence() {
    let text = "引言。国土安全是国家安全的重要组成部分。结语";
    let ex = Extractor::new(Thesaurus::builtin());
    let rs = find_relations(text, &ex.extract(text));
    assert_eq!(rs.len(), 1);
    let sentence: String = text.chars().skip(rs[0].start).take(rs[0].end - rs[0].start).collect();
    assert_eq!(sentence, "国土安全是国家安全的重要组成部分");
    assert_eq!(serde_json::to_string(&RelationKind::ParticipatesIn).ok().as_deref(), Some("\"participates_in\""));
    for k in RelationKind::ALL {
        assert_eq!(RelationKind::parse(k.as_str()), Some(k));
    }
}

mod discovery {
    use nts_core::concepts::discovery::discover;
    use nts_core::segment::Segmenter;
    use nts_core::thesaurus::Thesaurus;

    /// The five seed texts, one passage per paragraph; prints the top 40 with
    /// `NTS_SHOW_DISCOVERY=1 cargo test -p nts-core --test it seeds -- --nocapture`.
    #[test]
    fn seeds_top_candidates() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");
        let mut passages = Vec::new();
        let mut files: Vec<_> =
            std::fs::read_dir(dir).expect("corpus").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            let doc = f.file_stem().and_then(|s| s.to_str()).unwrap_or("doc").to_string();
            let text = std::fs::read_to_string(f).expect("utf-8 seed");
            for (i, para) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                passages.push((format!("{doc}#{i}"), doc.clone(), para.to_string()));
            }
        }
        let cands = discover(&passages, &Segmenter::builtin(), Thesaurus::builtin(), 3);
        if std::env::var_os("NTS_SHOW_DISCOVERY").is_some() {
            for c in cands.iter().take(60) {
                println!(
                    "{:.3}\t{}\t{}\t{}\t{}",
                    c.confidence,
                    c.term,
                    c.proposed_type.as_str(),
                    c.frequency,
                    c.reason
                );
            }
        }
        assert!(!cands.is_empty());
        for c in &cands {
            assert!(Thesaurus::builtin().lookup(&c.term).is_none(), "{} is in the thesaurus", c.term);
            assert!(c.frequency >= 3 && !c.passages.is_empty());
        }
    }
}

mod discovery_synthetic {
    use nts_core::concepts::discovery::discover;
    use nts_core::segment::Segmenter;
    use nts_core::thesaurus::Thesaurus;
    use nts_core::ConceptType;

    /// Made-up passages repeating a new centre (澜湄警务合作中心, absent from the thesaurus)
    /// and a thesaurus alias (跨境赌博犯罪 → 跨境赌博), in varied sentences.
    const TEXTS: &[&str] = &[
        "2023年，澜湄警务合作中心牵头开展打击跨境赌博犯罪专项行动，进一步加强了一定的情报交流。",
        "各国依托澜湄警务合作中心交换线索，跨境赌博犯罪得到遏制。",
        "我们的研究表明，澜湄警务合作中心在协调案件移交方面作用突出。",
        "一方面，跨境赌博犯罪呈现网络化趋势；另一方面，澜湄警务合作中心的协调能力仍需提升。",
        "专家建议扩大澜湄警务合作中心的成员范围，主要包括相关的执法部门。",
        "联合国毒品和犯罪问题办公室与澜湄警务合作中心签署合作备忘录。",
    ];

    #[test]
    fn proposes_new_terms_not_fragments() {
        let passages: Vec<(String, String, String)> =
            TEXTS.iter().enumerate().map(|(i, t)| (format!("t#{i}"), format!("doc{}", i % 2), t.to_string())).collect();
        let th = Thesaurus::builtin();
        assert!(th.lookup("澜湄警务合作中心").is_none(), "the test needs a term the thesaurus lacks");
        let cands = discover(&passages, &Segmenter::builtin(), th, 2);
        let terms: Vec<&str> = cands.iter().map(|c| c.term.as_str()).collect();
        let centre =
            cands.iter().find(|c| c.term == "澜湄警务合作中心").unwrap_or_else(|| panic!("not proposed: {terms:?}"));
        assert_eq!(centre.proposed_type, ConceptType::Actor);
        assert_eq!(centre.frequency, 6);
        assert_eq!(centre.documents, 2);
        assert_eq!(centre.passages.len(), 6);
        assert!(centre.confidence > 0.5 && centre.confidence <= 1.0);
        assert!(!centre.reason.is_empty());
        for bad in [
            "警务合作中心",
            "澜湄警务合作",
            "警务合作",
            "合作中心",
            "跨境赌博犯罪",
            "跨境赌博",
            "一定的",
            "一方面",
            "我们的",
            "进一步",
            "主要包括",
            "相关的",
            "执法部门",
            "2023年",
        ] {
            assert!(!terms.contains(&bad), "{bad} proposed: {terms:?}");
        }
        for t in &terms {
            assert!(th.lookup(t).is_none(), "{t} is a thesaurus name");
            let edges = [t.chars().next(), t.chars().last()];
            assert!(
                edges.iter().flatten().all(|c| !"的了和与及在是对等".contains(*c)),
                "{t} has a function word at an edge"
            );
            assert!(t.chars().all(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation()), "{t}");
        }
        // Deterministic order: confidence descending, then term.
        assert!(cands.windows(2).all(
            |w| w[0].confidence > w[1].confidence || (w[0].confidence == w[1].confidence && w[0].term < w[1].term)
        ));
        assert_eq!(cands, discover(&passages, &Segmenter::builtin(), th, 2));
    }

    #[test]
    fn min_freq_and_types_by_head() {
        let text = "边境警务联络办公室负责联络。边境警务联络办公室发布通报，称跨境洗钱赌博犯罪高发。\
                    跨境洗钱赌博犯罪与边境警务联络办公室均受关注，跨境洗钱赌博犯罪亟待治理。";
        let passages = vec![("p#1".to_string(), "d".to_string(), text.to_string())];
        let cands = discover(&passages, &Segmenter::builtin(), Thesaurus::builtin(), 3);
        let ty = |t: &str| cands.iter().find(|c| c.term == t).map(|c| c.proposed_type);
        assert_eq!(ty("边境警务联络办公室"), Some(ConceptType::Actor), "{cands:#?}");
        assert_eq!(ty("跨境洗钱赌博犯罪"), Some(ConceptType::Threat), "{cands:#?}");
        assert!(discover(&passages, &Segmenter::builtin(), Thesaurus::builtin(), 4).iter().all(|c| c.frequency >= 4));
    }
}
