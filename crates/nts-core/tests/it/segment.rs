//! Segmentation of domain terms: kept whole, sub-words emitted, traditional and
//! full-width forms folded, punctuation not indexed.

use nts_core::segment::{fold, Segmenter};

fn cut(text: &str) -> String {
    Segmenter::builtin().cut(text).into_iter().map(|t| t.text).collect::<Vec<_>>().join("/")
}

fn index(text: &str) -> Vec<String> {
    Segmenter::builtin().index_tokens(text).into_iter().map(|t| t.text).collect()
}

#[test]
fn domain_terms_stay_whole() {
    let cases = [
        ("加强国际执法安全合作", "加强/国际执法安全合作"),
        ("湄公河流域联合执法安全合作机制", "湄公河流域联合执法安全合作机制"),
        ("国际刑警组织第八十六届全体大会", "国际刑警组织/第八/十六届/全体/大会"),
        ("打击恐怖主义和毒品犯罪", "打击/恐怖主义/和/毒品犯罪"),
        ("口岸非传统安全治理", "口岸/非传统安全治理"),
        ("联合调查小组与欧盟逮捕令", "联合调查小组/与/欧盟逮捕令"),
    ];
    for (text, expect) in cases {
        assert_eq!(cut(text), expect, "cut({text})");
    }
}

#[test]
fn index_tokens_hold_whole_terms_and_their_sub_words() {
    let toks = index("国际执法安全合作");
    for w in ["国际执法安全合作", "国际", "执法", "安全", "合作"] {
        assert!(toks.contains(&w.to_string()), "{w} missing from {toks:?}");
    }
    let toks = index("非传统安全犯罪");
    for w in ["非传统安全犯罪", "非传统安全", "犯罪"] {
        assert!(toks.contains(&w.to_string()), "{w} missing from {toks:?}");
    }
}

#[test]
fn traditional_full_width_and_case_fold() {
    assert_eq!(fold("國際執法安全合作"), "国际执法安全合作");
    assert_eq!(fold("ＩＮＴＥＲＰＯＬ"), "interpol");
    assert_eq!(fold("Europol"), "europol");
    assert_eq!(cut("國際刑警組織"), "国际刑警组织");
    // Folding keeps the number of chars, so offsets hold in the original text.
    let s = "恐怖主義、ＡＢＣ與跨國犯罪";
    assert_eq!(fold(s).chars().count(), s.chars().count());
}

#[test]
fn punctuation_is_not_indexed_and_breaks_phrases() {
    let toks = Segmenter::builtin().index_tokens("恐怖主义、毒品犯罪。（海盗）");
    assert!(toks.iter().all(|t| t.text.chars().any(|c| c.is_alphanumeric())), "{toks:?}");
    let pos = |w: &str| toks.iter().find(|t| t.text == w).map(|t| t.position);
    // A punctuation gap advances the position by one extra step.
    let (a, b) = (pos("恐怖主义").unwrap_or(0), pos("毒品犯罪").unwrap_or(0));
    assert!(b > a + 1, "{toks:?}");
}

#[test]
fn offsets_point_at_the_token_in_the_original_text() {
    let text = "國際刑警組織與ＥＵ合作打擊恐怖主義";
    let chars: Vec<char> = text.chars().collect();
    for t in Segmenter::builtin().index_tokens(text) {
        let orig: String = chars[t.start..t.end].iter().collect();
        assert_eq!(fold(&orig), t.text);
    }
}
