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
            &["国土安全 part_of 国家安全", "社会安全 part_of 国家安全", "经济安全 part_of 国家安全", "文化安全 part_of 国家安全"],
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
        ("欧盟积极打击恐怖主义、毒品犯罪和贩运人口。", &["欧盟 addresses 恐怖主义", "欧盟 addresses 毒品犯罪", "欧盟 addresses 贩运人口"]),
        ("各国通过引渡打击跨国犯罪。", &["引渡 addresses 跨国犯罪"]),
        ("跨国犯罪，如毒品犯罪、贩运人口等，日益猖獗。", &["毒品犯罪 instance_of 跨国犯罪", "贩运人口 instance_of 跨国犯罪"]),
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
