//! The concept graph on a small fixture with two planted clusters — counter-terrorism
//! (恐怖主义, 上海合作组织, 引渡) and the Mekong drug trade (毒品犯罪, 湄公河, 澜湄合作,
//! 东盟) — bridged by 国际刑警组织, plus 中国 mentioned alone. Checked: evidence passages
//! per edge, filters, strongest paths, errors, communities, map pruning, determinism.

use nts_core::concepts::relations::RelationKind;
use nts_core::graph::{ConceptGraph, ConceptInfo, Filter, GraphInput, MapOptions, PassageConcepts};
use nts_core::thesaurus::Thesaurus;
use nts_core::{ConceptType, Error};

const CONCEPTS: &[(&str, ConceptType)] = &[
    ("恐怖主义", ConceptType::Threat),
    ("毒品犯罪", ConceptType::Threat),
    ("国际刑警组织", ConceptType::Actor),
    ("上海合作组织", ConceptType::Actor),
    ("东盟", ConceptType::Actor),
    ("中国", ConceptType::Actor),
    ("引渡", ConceptType::Mechanism),
    ("澜湄合作", ConceptType::Mechanism),
    ("湄公河", ConceptType::Region),
];

/// (passage, doc, year, sentences).
const PASSAGES: &[(&str, &str, i32, &[&[&str]])] = &[
    ("d1#1", "d1", 2015, &[&["恐怖主义", "上海合作组织"], &["引渡"]]),
    ("d1#2", "d1", 2015, &[&["恐怖主义", "上合组织", "引渡"]]),
    ("d1#3", "d1", 2015, &[&["国际刑警组织", "引渡"], &["恐怖主义"]]),
    ("d2#1", "d2", 2020, &[&["毒品犯罪", "湄公河"], &["澜湄合作"]]),
    ("d2#2", "d2", 2020, &[&["毒品犯罪", "澜湄合作", "东盟"]]),
    ("d2#3", "d2", 2020, &[&["湄公河", "东盟"], &["澜湄合作"]]),
    ("d2#4", "d2", 2020, &[&["国际刑警组织"], &["毒品犯罪"]]),
    ("d2#5", "d2", 2020, &[&["中国"]]),
    ("d3#1", "d3", 2022, &[&["恐怖主义", "上海合作组织", "恐怖主义"]]),
];

fn input() -> GraphInput {
    let mut concepts = Vec::new();
    for (term, ctype) in CONCEPTS {
        let mentions =
            PASSAGES.iter().flat_map(|p| p.3.iter()).flat_map(|s| s.iter()).filter(|t| *t == term).count() as u32;
        concepts.push(ConceptInfo { term: term.to_string(), ctype: *ctype, mentions, documents: 1 });
    }
    let passages = PASSAGES
        .iter()
        .map(|(id, doc, year, sentences)| PassageConcepts {
            passage_id: id.to_string(),
            doc_id: doc.to_string(),
            year: Some(*year),
            sentences: sentences.iter().map(|s| s.iter().map(|t| t.to_string()).collect()).collect(),
        })
        .collect();
    let relations = vec![
        ("上海合作组织".to_string(), "恐怖主义".to_string(), RelationKind::Addresses, "d1#2".to_string()),
        // Unknown passage and unknown concept: dropped, never an edge without evidence.
        ("上海合作组织".to_string(), "恐怖主义".to_string(), RelationKind::Addresses, "nowhere#9".to_string()),
        ("火星".to_string(), "恐怖主义".to_string(), RelationKind::PartOf, "d1#1".to_string()),
    ];
    GraphInput { concepts, passages, relations }
}

fn graph() -> ConceptGraph {
    ConceptGraph::build(&input(), Thesaurus::builtin())
}

#[test]
fn neighbours_sorted_by_weight_with_evidence() {
    let g = graph();
    let n = g.neighbors("恐怖主义", &Filter::default()).expect("known concept");
    let got: Vec<(&str, u32, u32, Vec<&str>)> = n
        .iter()
        .map(|x| (x.term.as_str(), x.count, x.sentence_count, x.passages.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            // Stated relation first (d1#2), then same-sentence passages in text order.
            ("上海合作组织", 3, 3, vec!["d1#2", "d1#1", "d3#1"]),
            // Same sentence (d1#2) before merely same passage (d1#1, d1#3).
            ("引渡", 3, 1, vec!["d1#2", "d1#1", "d1#3"]),
            ("国际刑警组织", 1, 0, vec!["d1#3"]),
        ]
    );
    assert!(n.windows(2).all(|w| w[0].weight >= w[1].weight));
    assert_eq!(n[0].kinds, vec!["cooccurrence", "addresses"]);
    assert_eq!(n[0].relations.len(), 1);
    assert_eq!(n[0].relations[0].from, "上海合作组织");
    assert_eq!(n[0].relations[0].passages, vec!["d1#2"]);
    // Association strength: 3 passages of 9, marginals 4 and 3 → AS = 2.25;
    // weight = (3 + 3)·2.25/3.25 + 1 stated relation.
    assert!((n[0].weight - (6.0 * 2.25 / 3.25 + 1.0)).abs() < 1e-9, "{}", n[0].weight);
    // Aliases and the traditional script resolve to the same concept.
    let via_alias = g.neighbors("INTERPOL", &Filter::default()).expect("alias");
    let canonical = g.neighbors("国际刑警组织", &Filter::default()).expect("term");
    assert_eq!(via_alias, canonical);
    assert_eq!(g.canonical("恐怖主義").ok(), Some("恐怖主义"));
    assert_eq!(g.neighbors("恐怖主義", &Filter::default()).ok(), Some(n));
}

#[test]
fn filters_recompute_from_evidence() {
    let g = graph();
    let types = Filter { types: vec![ConceptType::Mechanism], ..Filter::default() };
    let n = g.neighbors("恐怖主义", &types).expect("known");
    assert_eq!(n.iter().map(|x| x.term.as_str()).collect::<Vec<_>>(), vec!["引渡"]);

    let d3 = Filter { doc_id: Some("d3".into()), ..Filter::default() };
    let n = g.neighbors("恐怖主义", &d3).expect("known");
    assert_eq!(n.len(), 1);
    assert_eq!((n[0].term.as_str(), n[0].count, n[0].passages.clone()), ("上海合作组织", 1, vec!["d3#1".to_string()]));
    assert_eq!(n[0].kinds, vec!["cooccurrence"], "the stated relation is in d1, out of scope");

    let early = Filter { year_to: Some(2016), ..Filter::default() };
    let n = g.neighbors("恐怖主义", &early).expect("known");
    let sh = n.iter().find(|x| x.term == "上海合作组织").expect("linked in 2015");
    assert_eq!((sh.count, sh.passages.clone()), (2, vec!["d1#2".to_string(), "d1#1".to_string()]));

    let late = Filter { year_from: Some(2021), ..Filter::default() };
    let n = g.neighbors("毒品犯罪", &late).expect("known");
    assert!(n.is_empty());

    let limited = Filter { limit: Some(1), ..Filter::default() };
    assert_eq!(g.neighbors("恐怖主义", &limited).expect("known").len(), 1);
}

#[test]
fn strongest_path_with_evidence_per_hop() {
    let g = graph();
    let hops = g.path("引渡", "毒品犯罪").expect("connected");
    let got: Vec<(&str, &str, Vec<&str>)> = hops
        .iter()
        .map(|h| (h.from.as_str(), h.to.as_str(), h.passages.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(got, vec![("引渡", "国际刑警组织", vec!["d1#3"]), ("国际刑警组织", "毒品犯罪", vec!["d2#4"])]);
    assert!(hops.iter().all(|h| h.kind == "cooccurrence"));
    // Strongest, not shortest: 上海合作组织 → 恐怖主义 is one hop and typed.
    let hops = g.path("上合组织", "恐怖主义").expect("linked");
    assert_eq!((hops.len(), hops[0].kind.as_str()), (1, "addresses"));
}

#[test]
fn path_errors() {
    let g = graph();
    match g.path("中国", "恐怖主义") {
        Err(Error::NoPath(a, b)) => assert_eq!((a.as_str(), b.as_str()), ("中国", "恐怖主义")),
        other => panic!("expected NoPath, got {other:?}"),
    }
    assert!(matches!(g.path("不存在的概念", "恐怖主义"), Err(Error::UnknownConcept(t)) if t == "不存在的概念"));
    assert!(matches!(g.neighbors("火星", &Filter::default()), Err(Error::UnknownConcept(_))));
    assert!(matches!(g.ego("火星", 1), Err(Error::UnknownConcept(_))));
}

#[test]
fn communities_find_planted_clusters() {
    let g = graph();
    let cs = g.communities(&Filter::default());
    let of = |t: &str| cs.iter().find(|c| c.members.iter().any(|m| m == t)).map(|c| c.id);
    assert_eq!(of("恐怖主义"), of("上海合作组织"));
    assert_eq!(of("恐怖主义"), of("引渡"));
    assert_eq!(of("毒品犯罪"), of("湄公河"));
    assert_eq!(of("毒品犯罪"), of("东盟"));
    assert_ne!(of("恐怖主义"), of("毒品犯罪"));
    assert_eq!(of("中国"), None, "an unlinked concept is in no community");
    for c in &cs {
        assert_eq!(c.label, c.members.iter().take(3).cloned().collect::<Vec<_>>().join("·"));
    }
    assert_eq!(cs, graph().communities(&Filter::default()));
}

#[test]
fn centrality_and_ego() {
    let g = graph();
    let c = g.centrality(&Filter::default());
    assert_eq!(c.len(), CONCEPTS.len());
    let bridge = c.iter().find(|x| x.term == "国际刑警组织").expect("listed");
    assert!(c.iter().all(|x| x.betweenness <= bridge.betweenness), "the bridge has the highest betweenness");
    let china = c.iter().find(|x| x.term == "中国").expect("listed");
    assert_eq!((china.degree, china.weighted_degree, china.betweenness), (0, 0.0, 0.0));
    let total: f64 = c.iter().map(|x| x.pagerank).sum();
    assert!((total - 1.0).abs() < 1e-6, "{total}");

    let ego = g.ego("国际刑警组织", 1).expect("known");
    let terms: Vec<&str> = ego.nodes.iter().map(|n| n.term.as_str()).collect();
    assert_eq!(terms, vec!["国际刑警组织", "引渡", "恐怖主义", "毒品犯罪"]);
    assert!(ego.edges.iter().all(|e| !e.passages.is_empty()));
    let ego2 = g.ego("国际刑警组织", 2).expect("known");
    assert_eq!(ego2.nodes.len(), 8);
    assert!(g.ego("国际刑警组织", 3).is_err());
}

#[test]
fn map_prunes_and_reports_counts() {
    let g = graph();
    let all = g.map(&MapOptions { max_edges_per_node: 100, ..MapOptions::default() }).expect("map");
    assert_eq!((all.shown_nodes, all.total_nodes), (8, 9), "中国 has no link and is not drawn");
    assert_eq!(all.shown_edges, all.total_edges);
    assert_eq!(all.total_edges, g.edge_count());

    let pruned = g.map(&MapOptions { max_edges_per_node: 1, ..MapOptions::default() }).expect("map");
    assert!(pruned.shown_edges < pruned.total_edges, "{} of {}", pruned.shown_edges, pruned.total_edges);
    assert_eq!(pruned.shown_edges, pruned.edges.len());
    // The spanning tree keeps the (connected) map connected: at least n - 1 edges, one component.
    assert!(pruned.edges.len() >= pruned.nodes.len() - 1);
    let mut reach = vec![pruned.nodes[0].id.clone()];
    loop {
        let before = reach.len();
        for e in &pruned.edges {
            for (a, b) in [(&e.source, &e.target), (&e.target, &e.source)] {
                if reach.contains(a) && !reach.contains(b) {
                    reach.push(b.clone());
                }
            }
        }
        if reach.len() == before {
            break;
        }
    }
    assert_eq!(reach.len(), pruned.nodes.len());

    let top = g.map(&MapOptions { top: 3, ..MapOptions::default() }).expect("map");
    assert_eq!((top.shown_nodes, top.total_nodes), (3, 9));
    assert!(top.edges.iter().all(|e| !e.passages.is_empty()));
    assert_eq!(top.communities.iter().map(|c| c.size).sum::<usize>(), 3);

    let ego = g.map(&MapOptions { center: Some("湄公河".into()), ..MapOptions::default() }).expect("map");
    assert_eq!(ego.nodes[0].term, "湄公河");
    let mut terms: Vec<&str> = ego.nodes.iter().map(|n| n.term.as_str()).collect();
    terms.sort();
    assert_eq!(terms, vec!["东盟", "毒品犯罪", "湄公河", "澜湄合作"]);
    assert_eq!(ego.center.as_deref(), Some("湄公河"));

    // The centre keeps every link, however small the per-node budget, and is laid out in
    // the middle; node size is the concept's mentions.
    let opts = MapOptions { center: Some("国际刑警组织".into()), max_edges_per_node: 1, ..MapOptions::default() };
    let star = g.map(&opts).expect("map");
    let links = star.edges.iter().filter(|e| e.source == "国际刑警组织" || e.target == "国际刑警组织").count();
    assert_eq!(links, star.nodes.len() - 1, "{:?}", star.edges);
    let c = star.nodes.iter().find(|n| n.term == "国际刑警组织").expect("centre");
    assert!((250.0..=750.0).contains(&c.x) && (250.0..=750.0).contains(&c.y), "centre at {}, {}", c.x, c.y);
    assert!(star.nodes.iter().all(|n| n.weight == n.mentions as f64));

    let typed = all.edges.iter().find(|e| e.kind == "addresses").expect("typed edge drawn");
    assert_eq!((typed.source.as_str(), typed.target.as_str()), ("上海合作组织", "恐怖主义"));
    assert_eq!(typed.passages[0], "d1#2");

    let threats = g.map(&MapOptions { types: vec![ConceptType::Threat], ..MapOptions::default() }).expect("map");
    assert!(threats.nodes.iter().all(|n| n.r#type == ConceptType::Threat));

    let d2 = g.map(&MapOptions { doc_id: Some("d2".into()), ..MapOptions::default() }).expect("map");
    assert!(d2.edges.iter().all(|e| e.passages.iter().all(|p| p.starts_with("d2#"))));
    assert!(d2.nodes.iter().all(|n| n.term != "上海合作组织"));

    assert!(matches!(
        g.map(&MapOptions { center: Some("火星".into()), ..MapOptions::default() }),
        Err(Error::UnknownConcept(_))
    ));
}

#[test]
fn same_input_same_map() {
    let opts = MapOptions { max_edges_per_node: 2, ..MapOptions::default() };
    let a = serde_json::to_string(&graph().map(&opts).expect("map")).expect("json");
    let b = serde_json::to_string(&graph().map(&opts).expect("map")).expect("json");
    assert_eq!(a, b);
    let m = graph().map(&opts).expect("map");
    assert!(m.nodes.iter().all(|n| n.x.is_finite() && n.y.is_finite()));
    assert!(m.nodes.iter().any(|n| n.x != m.nodes[0].x), "laid out");
}

#[test]
fn centrality_and_communities_follow_the_filter() {
    let g = graph();
    // d2 (2020) is the drug cluster only: the bridge's terrorism links are out of scope.
    let in_d2 = Filter { doc_id: Some("d2".into()), ..Filter::default() };
    let c = g.centrality(&in_d2);
    let terms: Vec<&str> = c.iter().map(|x| x.term.as_str()).collect();
    assert!(terms.contains(&"毒品犯罪") && terms.contains(&"中国"), "{terms:?}");
    assert!(!terms.contains(&"恐怖主义"), "not mentioned in d2: {terms:?}");
    let interpol = c.iter().find(|x| x.term == "国际刑警组织").expect("mentioned in d2");
    assert_eq!(interpol.degree, 1, "only its drug link counts in d2");

    let years = Filter { year_from: Some(2021), ..Filter::default() };
    let c = g.centrality(&years);
    assert_eq!(c.iter().map(|x| x.term.as_str()).collect::<Vec<_>>(), ["上海合作组织", "恐怖主义"]);

    let who_and_what = Filter { types: vec![ConceptType::Actor, ConceptType::Threat], ..Filter::default() };
    let c = g.centrality(&who_and_what);
    assert!(c.iter().all(|x| matches!(x.ctype, ConceptType::Actor | ConceptType::Threat)));
    assert!(c.iter().any(|x| x.term == "中国"), "listed, though unlinked");
    let cs = g.communities(&who_and_what);
    let members: Vec<&str> = cs.iter().flat_map(|c| &c.members).map(String::as_str).collect();
    assert!(members.contains(&"东盟") && !members.contains(&"湄公河") && !members.contains(&"引渡"), "{members:?}");

    let cs = g.communities(&years);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].members, ["上海合作组织", "恐怖主义"]);
}
