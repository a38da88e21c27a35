//! Search over the bundled corpus: sub-words, aliases, traditional characters, English,
//! booleans, phrases, fields, errors, snippets — and the property that every passage is
//! found by its own rarest word.

use crate::common::lib;
use nts_core::library::{SearchOptions, SearchResults};
use nts_core::segment::{fold, Segmenter};
use std::collections::{HashMap, HashSet};

fn search(q: &str) -> SearchResults {
    lib().search(q, &SearchOptions { limit: 1000, ..Default::default() }).unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn docs_of(r: &SearchResults) -> HashSet<String> {
    r.hits.iter().map(|h| h.doc_id.clone()).collect()
}

#[test]
fn a_threat_is_found_in_several_documents_with_highlights() {
    let r = search("恐怖主义");
    assert!(docs_of(&r).len() >= 3, "{:?}", docs_of(&r));
    assert_eq!(r.total, r.hits.len());
    for h in &r.hits {
        assert!(h.snippet.contains('\u{1}'), "no highlight in {}", h.snippet);
        let text: Vec<char> = h.text.chars().collect();
        for &(s, e) in &h.highlights {
            assert!(s < e && e <= text.len());
        }
    }
    assert!(r.hits.iter().any(|h| h.snippet.contains("\u{1}恐怖主义\u{2}")));
}

#[test]
fn a_sub_word_query_finds_the_whole_term() {
    let r = search("执法合作");
    assert!(
        r.hits.iter().any(|h| h.text.contains("国际执法安全合作") && !h.text.contains("执法合作")),
        "执法合作 must find passages that only contain 国际执法安全合作"
    );
    // And the whole term ranks a passage with the contiguous words first.
    let top = &r.hits[0].text;
    assert!(top.contains("执法合作") || top.contains("执法安全合作"), "{top}");
}

#[test]
fn aliases_traditional_and_english_names_find_the_same_concept() {
    let canonical = docs_of(&search("国际刑警组织"));
    assert!(!canonical.is_empty());
    for q in ["国际刑警", "INTERPOL", "interpol", "國際刑警組織", "ＩＮＴＥＲＰＯＬ"] {
        let r = search(q);
        assert!(r.hits.iter().any(|h| h.text.contains("国际刑警组织")), "{q} did not find 国际刑警组织");
    }
    let simp: HashSet<_> = search("国际执法安全合作").hits.into_iter().map(|h| h.passage_id).collect();
    let trad: HashSet<_> = search("國際執法安全合作").hits.into_iter().map(|h| h.passage_id).collect();
    assert_eq!(simp, trad);
    assert!(!simp.is_empty());
}

#[test]
fn english_words_are_found_case_insensitively() {
    let r = search("Smuggling");
    assert!(r.hits.iter().any(|h| h.text.to_lowercase().contains("smuggling")));
}

#[test]
fn boolean_operators() {
    let and = search("移民 AND 恐怖主义");
    assert!(!and.hits.is_empty());
    assert!(and.hits.iter().all(|h| fold(&h.text).contains("移民") && fold(&h.text).contains("恐怖")));
    let a = search("海盗").total;
    let b = search("偷渡").total;
    let or = search("海盗 OR 偷渡").total;
    assert!(or >= a.max(b) && or <= a + b, "{a} {b} {or}");
    let not = search("非法移民 -欧盟");
    assert!(!not.hits.is_empty());
    assert!(not.hits.iter().all(|h| !h.text.contains("欧盟")));
    let not2 = search("非法移民 NOT 欧盟");
    assert_eq!(not.total, not2.total);
    let grouped = search("(海盗 OR 偷渡) 犯罪");
    assert!(grouped.total <= or);
}

#[test]
fn quoted_phrases_are_exact() {
    let r = search("\"联合执法安全合作区\"");
    assert!(!r.hits.is_empty());
    for h in &r.hits {
        assert!(h.text.contains("联合执法安全合作区"), "{}", h.text);
    }
    let loose = search("安全 合作 联合").total;
    assert!(loose > r.total);
}

#[test]
fn field_filters() {
    let r = search("title:移民 安全");
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| h.title.contains("移民")), "{:?}", docs_of(&r));
    let years = search("year:2017..2017 犯罪");
    assert!(!years.hits.is_empty());
    assert!(years.hits.iter().all(|h| h.year == Some(2017)));
    assert_eq!(search("year:1900..1901 犯罪").total, 0);
    let typed = lib()
        .search("合作", &SearchOptions { limit: 50, concept_type: Some("threat".into()), ..Default::default() })
        .expect("typed search");
    assert!(!typed.hits.is_empty());
}

#[test]
fn bad_queries_are_explained() {
    for q in ["\"未闭合", "-欧盟", "year:abc 犯罪", "type:foo 犯罪", "(海盗", "AND", "。，"] {
        let e = lib().search(q, &SearchOptions::default()).expect_err(q);
        assert_eq!(e.code(), "bad_query", "{q}: {e}");
    }
}

#[test]
fn paging_returns_disjoint_pages() {
    let p1 = lib().search("安全", &SearchOptions { limit: 10, ..Default::default() }).expect("p1");
    let p2 = lib().search("安全", &SearchOptions { limit: 10, offset: 10, ..Default::default() }).expect("p2");
    assert_eq!(p1.total, p2.total);
    let a: HashSet<_> = p1.hits.iter().map(|h| &h.passage_id).collect();
    assert!(p2.hits.iter().all(|h| !a.contains(&h.passage_id)));
}

/// Every body passage is found by its rarest word (fewest passages containing it).
#[test]
fn every_passage_is_found_by_its_rarest_word() {
    let seg = Segmenter::builtin();
    let passages: Vec<_> = lib()
        .documents()
        .expect("docs")
        .into_iter()
        .flat_map(|d| lib().passages_of(&d.doc_id).expect("passages"))
        .filter(|p| p.kind != nts_core::BlockKind::Toc)
        .collect();
    let words: Vec<HashSet<String>> = passages
        .iter()
        .map(|p| seg.cut(&p.text).into_iter().map(|t| t.text).filter(|w| w.chars().count() >= 2).collect())
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for ws in &words {
        for w in ws {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut checked = 0;
    for (p, ws) in passages.iter().zip(&words) {
        let Some(rarest) = ws.iter().min_by_key(|w| (df[w.as_str()], (*w).clone())) else { continue };
        let r = lib()
            .search(&format!("\"{rarest}\""), &SearchOptions { limit: 10_000, ..Default::default() })
            .unwrap_or_else(|e| panic!("{rarest}: {e}"));
        assert!(r.hits.iter().any(|h| h.passage_id == p.passage_id), "“{rarest}” did not find {}", p.passage_id);
        checked += 1;
    }
    assert!(checked > 300, "only {checked} passages checked");
}

#[test]
fn snippets_never_panic_on_odd_ranges() {
    use nts_core::search::snippet;
    let text = "恐怖主义、毒品犯罪";
    for ranges in [vec![(0, 100)], vec![(5, 2)], vec![(0, 4), (2, 6), (3, 9)], vec![], vec![(9, 9)]] {
        let s = snippet(text, &ranges, 4);
        assert!(!s.is_empty());
    }
    assert_eq!(snippet("", &[(0, 3)], 10), "");
}
