//! Candidate concepts the thesaurus lacks, found in the texts themselves and proposed to
//! the scholar, who accepts, retypes, merges or rejects them.
//!
//! Two sources, both over the segmenter's coarse tokens (so thesaurus terms stay whole and
//! a candidate always starts and ends on a word boundary):
//! - **term patterns**: a run of 2–6 words ending in a head word that names what the
//!   thing is (…中心 → an actor, …犯罪 → a threat, …机制 → a mechanism, …地区 → a region);
//! - **n-gram statistics**: 2–4 word n-grams that recur, whose neighbours on both sides
//!   vary (boundary entropy: a fragment of a longer name always has the same neighbour),
//!   and which occur on their own, not only inside a longer candidate (C-value, Frantzi
//!   et al. 2000).
//!
//! Precision over recall: an n-gram is dropped when it starts or ends with a function word
//! or a verb, contains digits, Latin letters or an inner 的/是, cuts through a thesaurus
//! term, or is already a name of a thesaurus entry (term, alias, other script).

use super::Extractor;
use crate::model::ConceptType;
use crate::segment::{is_cjk, Segmenter, Tok};
use crate::thesaurus::Thesaurus;
use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// A proposed concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub term: String,
    #[serde(rename = "type")]
    pub proposed_type: ConceptType,
    /// 0–1: how sure discovery is that this is a domain term of that type.
    pub confidence: f64,
    /// Occurrences outside thesaurus terms.
    pub frequency: u32,
    pub documents: u32,
    /// Ids of the passages it occurs in, in input order.
    pub passages: Vec<String>,
    /// Why it was proposed, in Chinese for the curation panel.
    pub reason: String,
}

/// Head words and the type they give a term, longest first so 合作区 wins over 区.
const HEADS: &[(&str, ConceptType)] = &[
    ("委员会", ConceptType::Actor),
    ("办公室", ConceptType::Actor),
    ("合作区", ConceptType::Region),
    ("组织", ConceptType::Actor),
    ("机构", ConceptType::Actor),
    ("部门", ConceptType::Actor),
    ("中心", ConceptType::Actor),
    ("犯罪", ConceptType::Threat),
    ("主义", ConceptType::Threat),
    ("机制", ConceptType::Mechanism),
    ("条约", ConceptType::Mechanism),
    ("公约", ConceptType::Mechanism),
    ("协定", ConceptType::Mechanism),
    ("小组", ConceptType::Mechanism),
    ("系统", ConceptType::Mechanism),
    ("协议", ConceptType::Mechanism),
    ("治理", ConceptType::Mechanism),
    ("安全", ConceptType::Concept),
    ("倡议", ConceptType::Concept),
    ("地区", ConceptType::Region),
    ("区域", ConceptType::Region),
    ("流域", ConceptType::Region),
    ("法", ConceptType::Mechanism),
];

/// Modifiers too generic to make a two-word pattern a concept (合作机制, 组织机构).
const GENERIC_MODIFIERS: &[&str] = &[
    "合作",
    "协调",
    "工作",
    "体制",
    "组织",
    "有关",
    "相关",
    "政府",
    "管理",
    "运行",
    "长效",
    "保障",
    "国家",
    "共同",
    "框架",
    "合作协议",
    "具体",
    "各项",
    "现有",
    "传统",
    "安全",
];
/// Nouns too generic to end a statistical candidate (安全挑战, 现实困境, 资料来源).
const GENERIC_NOUNS: &[&str] = &[
    "挑战",
    "状态",
    "关系",
    "重心",
    "困境",
    "来源",
    "模式",
    "问题",
    "方面",
    "能力",
    "作用",
    "意义",
    "内容",
    "特点",
    "原因",
    "措施",
    "手段",
    "方法",
    "目标",
    "任务",
    "原则",
    "理念",
    "现状",
    "趋势",
    "背景",
    "基础",
    "影响",
    "因素",
    "水平",
    "程度",
    "范围",
    "形势",
    "环境",
    "需求",
    "体系",
    "风险",
    "威胁",
    "出版社",
    "学报",
    "杂志",
    "学者",
    "总书记",
    "内部",
    "外部",
    "建设",
    "数量",
    "人数",
    "主体",
    "概念",
    "建议稿",
    "基金",
    "议题",
    "价值",
    "观念",
    "思维",
    "方式",
    "途径",
    "路径",
    "效果",
    "成果",
    "经验",
    "实践",
    "过程",
    "机遇",
    "领域",
    "层面",
];

/// Words a term never starts or ends with: function words, pronouns, quantifiers,
/// connectives, and the verbs that open a predicate (打击…, 加强…) rather than a name.
const EDGE_STOP: &[&str] = &[
    "的",
    "了",
    "和",
    "与",
    "及",
    "在",
    "是",
    "对",
    "等",
    "为",
    "以",
    "把",
    "被",
    "从",
    "将",
    "并",
    "或",
    "而",
    "也",
    "都",
    "就",
    "其",
    "之",
    "于",
    "由",
    "向",
    "中",
    "上",
    "下",
    "这",
    "那",
    "该",
    "此",
    "各",
    "每",
    "我",
    "我们",
    "我国",
    "你",
    "他",
    "它",
    "他们",
    "其他",
    "其它",
    "一个",
    "一种",
    "一些",
    "一定",
    "一方面",
    "另一方面",
    "方面",
    "有",
    "无",
    "不",
    "没有",
    "进行",
    "通过",
    "及其",
    "以及",
    "等等",
    "如",
    "如何",
    "什么",
    "进一步",
    "主要",
    "包括",
    "主要包括",
    "相关",
    "有关",
    "所",
    "所有",
    "这些",
    "那些",
    "这种",
    "这样",
    "其中",
    "不同",
    "各种",
    "各类",
    "各国",
    "重要",
    "对于",
    "关于",
    "随着",
    "由于",
    "因此",
    "但是",
    "同时",
    "而且",
    "并且",
    "如果",
    "虽然",
    "因为",
    "所以",
    "可以",
    "能够",
    "应当",
    "需要",
    "已经",
    "正在",
    "不断",
    "更加",
    "非常",
    "十分",
    "较为",
    "比较",
    "具有",
    "存在",
    "成为",
    "作为",
    "加强",
    "推进",
    "推动",
    "促进",
    "建立",
    "构建",
    "完善",
    "开展",
    "参与",
    "维护",
    "实现",
    "提高",
    "提升",
    "打击",
    "应对",
    "防范",
    "遏制",
    "惩治",
    "预防",
    "保障",
    "保护",
    "形成",
    "发展",
    "面临",
    "涉及",
    "包含",
    "属于",
    "认为",
    "指出",
    "提出",
    "研究",
    "分析",
    "问题",
    "方式",
    "情况",
    "过程",
    "领域",
    "层面",
    "角度",
    "一是",
    "二是",
    "三是",
    "第一",
    "第二",
    "第三",
    "首先",
    "其次",
    "最后",
    "目前",
    "当前",
    "近年来",
    "新",
    "大",
    "小",
    "多",
    "少",
    "年",
    "月",
    "日",
    "个",
    "种",
    "次",
    "等方面",
    "之间",
    "以来",
    "方向",
    "进而",
    "从而",
    "即",
    "则",
    "又",
    "还",
    "要",
    "应",
    "会",
    "能",
    "可",
    "得",
    "着",
    "过",
    "地",
    "很",
    "最",
    "更",
    "再",
    "已",
    "曾",
    "均",
    "仅",
    "只",
    "解决",
    "处理",
    "面对",
    "针对",
    "得到",
    "受到",
    "造成",
    "导致",
    "引发",
    "带来",
    "治理",
    "资料",
    "具体",
    "优化",
    "变革",
    "重新",
    "对外",
    "对内",
    "部分",
    "全面",
];
/// Words that never stand inside a term.
const INNER_STOP: &[&str] =
    &["的", "了", "是", "在", "对", "把", "被", "等", "和", "与", "及", "或", "并", "而", "但", "也", "都"];
/// Phrases a scholar would never accept as concepts, whatever the statistics say.
const STOP_PHRASES: &[&str] =
    &["一定的", "一方面", "我们的", "进一步", "主要包括", "相关的", "与此同时", "总而言之", "综上所述"];

/// jieba's own dictionary, for the part of speech of ordinary words (the thesaurus terms
/// are not in it and count as nouns).
static POS: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The dictionary part-of-speech tag of a word, `None` when the word is not in jieba's
/// dictionary (a domain term, a name).
fn pos(word: &str) -> Option<String> {
    if !POS.has_word(word) {
        return None;
    }
    let tags = POS.tag(word, false);
    match tags.as_slice() {
        [t] => Some(t.tag.to_string()),
        _ => None,
    }
}

/// Whether a word can open a term: not a verb, adverb, preposition, conjunction,
/// particle, pronoun, numeral, classifier, direction word, idiom or interjection.
fn can_open(word: &str) -> bool {
    match pos(word) {
        None => true,
        Some(t) => !matches!(
            t.as_str(),
            "v" | "vd"
                | "d"
                | "p"
                | "c"
                | "u"
                | "uj"
                | "ul"
                | "uv"
                | "uz"
                | "ud"
                | "ug"
                | "r"
                | "rr"
                | "rz"
                | "m"
                | "mq"
                | "q"
                | "f"
                | "l"
                | "i"
                | "y"
                | "e"
                | "o"
                | "z"
                | "ad"
                | "t"
                | "tg"
        ),
    }
}

/// Whether a word can close a term: a noun (or a verbal noun such as 合作, 治理).
fn can_close(word: &str) -> bool {
    match pos(word) {
        None => true,
        Some(t) => t.starts_with('n') || t == "vn",
    }
}

/// Tunables of the statistical source.
const MAX_WORDS: usize = 6;
const MAX_STAT_WORDS: usize = 4;
const MIN_BOUNDARY_ENTROPY: f64 = 0.6;

/// Counts gathered for one n-gram.
#[derive(Default)]
struct Stats {
    /// Word count and last word of the n-gram (the same string may come from different
    /// cuts: the first one seen is kept).
    words: usize,
    first_word: String,
    last_word: String,
    freq: u32,
    docs: BTreeSet<usize>,
    passages: BTreeSet<usize>,
    left: HashMap<String, u32>,
    right: HashMap<String, u32>,
    /// Occurrences with no neighbour on a side (start of a clause): each counts as a
    /// distinct neighbour, as is usual for boundary entropy.
    left_open: u32,
    right_open: u32,
}

/// Candidates in `passages` (`(passage_id, doc_id, text)`) that are not names of
/// `thesaurus` entries and occur at least `min_freq` times; by confidence, then term.
pub fn discover(
    passages: &[(String, String, String)],
    seg: &Segmenter,
    thesaurus: &Thesaurus,
    min_freq: u32,
) -> Vec<Candidate> {
    let min_freq = min_freq.max(1);
    let extractor = Extractor::new(thesaurus);
    let mut doc_ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut stats: HashMap<String, Stats> = HashMap::new();
    for (pi, (_, doc, text)) in passages.iter().enumerate() {
        let next = doc_ids.len();
        let di = *doc_ids.entry(doc.as_str()).or_insert(next);
        let mentions: Vec<(usize, usize)> = extractor.extract(text).iter().map(|m| (m.start, m.end)).collect();
        for run in runs(&seg.cut(text)).into_iter().map(glue_single_chars) {
            let run = run.as_slice();
            for i in 0..run.len() {
                for n in 2..=MAX_WORDS.min(run.len() - i) {
                    let words = &run[i..i + n];
                    let (start, end) = (words[0].start, words[n - 1].end);
                    // Never cut through a thesaurus term, never be one.
                    let crosses = mentions.iter().any(|&(ms, me)| {
                        let overlap = ms < end && start < me;
                        let inside = ms <= start && end <= me;
                        let contains = start <= ms && me <= end;
                        overlap && (inside || !contains)
                    });
                    if crosses || !well_formed(words) {
                        continue;
                    }
                    let term: String = words.iter().map(|w| w.text.as_str()).collect();
                    let st = stats.entry(term).or_default();
                    if st.words == 0 {
                        st.words = n;
                        st.first_word = words[0].text.clone();
                        st.last_word = words[n - 1].text.clone();
                    }
                    st.freq += 1;
                    st.docs.insert(di);
                    st.passages.insert(pi);
                    match i.checked_sub(1).map(|l| &run[l]) {
                        Some(l) => *st.left.entry(l.text.clone()).or_default() += 1,
                        None => st.left_open += 1,
                    }
                    match run.get(i + n) {
                        Some(r) => *st.right.entry(r.text.clone()).or_default() += 1,
                        None => st.right_open += 1,
                    }
                }
            }
        }
    }

    // Nestedness (C-value): an n-gram's frequency minus the mean frequency of the longer
    // recurring n-grams that contain it. A fragment of one longer name scores 0.
    let recurring: Vec<(&String, u32)> = stats.iter().filter(|(_, s)| s.freq >= 2).map(|(t, s)| (t, s.freq)).collect();
    let mut out = Vec::new();
    for (term, st) in &stats {
        if st.freq < min_freq || thesaurus.lookup(term).is_some() || STOP_PHRASES.contains(&term.as_str()) {
            continue;
        }
        let longer: Vec<u32> = recurring
            .iter()
            .filter(|(t, _)| t.len() > term.len() && t.contains(term.as_str()))
            .map(|(_, f)| *f)
            .collect();
        let nested_mean = if longer.is_empty() { 0.0 } else { longer.iter().sum::<u32>() as f64 / longer.len() as f64 };
        let free = st.freq as f64 - nested_mean;
        if free < 1.0 {
            continue;
        }
        let chars = term.chars().count();
        let cvalue = (chars as f64 + 1.0).log2() * free;
        let (le, re) = (entropy(&st.left, st.left_open), entropy(&st.right, st.right_open));
        let docs = st.docs.len() as u32;
        if !can_open(&st.first_word) {
            continue;
        }
        // Verb + object (治理非传统安全犯罪): the rest is already a thesaurus term.
        let rest = &term[st.first_word.len()..];
        if thesaurus.lookup(rest).is_some() && matches!(pos(&st.first_word).as_deref(), Some("v" | "vn")) {
            continue;
        }
        let head = head_of(term, st);
        if head.is_some() && st.words == 2 && GENERIC_MODIFIERS.contains(&st.first_word.as_str()) {
            continue;
        }
        let (proposed_type, confidence, reason) = match head {
            Some((h, t)) => {
                let t = if h == "主义" && !is_threatening_ism(term) { ConceptType::Concept } else { t };
                // A name in the pattern still needs some freedom on its left: a fragment
                // such as 警务合作中心 inside one longer name always follows the same word.
                if le < 0.3 && !longer.is_empty() {
                    continue;
                }
                let conf = 0.55
                    + 0.25 * saturate(free, 6.0)
                    + 0.1 * saturate(docs as f64 - 1.0, 2.0)
                    + 0.1 * saturate(le, 1.5);
                (t, conf, format!("术语模式：以“{h}”结尾（{}）；出现{}次，见于{}篇文献", t.label_zh(), st.freq, docs))
            }
            None => {
                if st.words > MAX_STAT_WORDS
                    || le.min(re) < MIN_BOUNDARY_ENTROPY
                    || chars < 4
                    || !can_close(&st.last_word)
                    || GENERIC_NOUNS.contains(&st.last_word.as_str())
                {
                    continue;
                }
                let t = guess_type(term);
                let conf = 0.25
                    + 0.25 * saturate(cvalue, 20.0)
                    + 0.15 * saturate(le.min(re), 2.0)
                    + 0.1 * saturate(docs as f64 - 1.0, 2.0);
                let reason = format!(
                    "统计：出现{}次，见于{}篇文献；左右邻接熵 {:.2}/{:.2}，C值 {:.1}",
                    st.freq, docs, le, re, cvalue
                );
                (t, conf, reason)
            }
        };
        out.push(Candidate {
            term: term.clone(),
            proposed_type,
            confidence: (confidence.min(0.99) * 1000.0).round() / 1000.0,
            frequency: st.freq,
            documents: docs,
            passages: st.passages.iter().map(|&p| passages[p].0.clone()).collect(),
            reason,
        });
    }
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.term.cmp(&b.term)));
    out
}

/// Clauses: maximal runs of adjacent tokens (punctuation and spaces, which the segmenter
/// drops, leave gaps in the offsets).
fn runs(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=toks.len() {
        if i == toks.len() || toks[i].start != toks[i - 1].end {
            if i > start {
                out.push(&toks[start..i]);
            }
            start = i;
        }
    }
    out
}

/// Glues runs of single-char tokens that are not function words (湄/公 …: with the HMM
/// off, jieba splits a name it does not know into chars) into one word.
fn glue_single_chars(run: &[Tok]) -> Vec<Tok> {
    let single = |t: &Tok| {
        t.text.chars().count() == 1 && !EDGE_STOP.contains(&t.text.as_str()) && !INNER_STOP.contains(&t.text.as_str())
    };
    let mut out: Vec<Tok> = Vec::with_capacity(run.len());
    let mut prev_single = false;
    for t in run {
        let s = single(t);
        match out.last_mut() {
            Some(last) if s && prev_single => {
                last.text.push_str(&t.text);
                last.end = t.end;
            }
            _ => out.push(t.clone()),
        }
        prev_single = s;
    }
    out
}

/// Whether a word sequence can be a term at all: CJK only, no function word at its edges
/// or inside, edges of two or more chars (a single-char head such as 法 excepted).
fn well_formed(words: &[Tok]) -> bool {
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return false };
    if words.iter().any(|w| !w.text.chars().all(is_cjk)) {
        return false;
    }
    if EDGE_STOP.contains(&first.text.as_str()) || EDGE_STOP.contains(&last.text.as_str()) {
        return false;
    }
    if words.iter().any(|w| INNER_STOP.contains(&w.text.as_str())) {
        return false;
    }
    let len = |w: &Tok| w.text.chars().count();
    len(first) >= 2 && (len(last) >= 2 || last.text == "法")
}

/// The head word the term ends with, if it is a term pattern: the last word must end with
/// the head (a single-char head must be the whole last word, so 方法 is not a law).
fn head_of(term: &str, st: &Stats) -> Option<(&'static str, ConceptType)> {
    HEADS.iter().copied().find(|(h, _)| {
        term.ends_with(h)
            && term.chars().count() >= h.chars().count() + 2
            && (h.chars().count() > 1 || st.last_word == *h)
    })
}

/// Whether a …主义 names a threat (极端主义, 分裂主义) rather than a doctrine (社会主义).
fn is_threatening_ism(term: &str) -> bool {
    ["极端", "恐怖", "分裂", "种族", "排外", "单边", "保护", "民粹", "霸权", "暴力", "宗教激进", "原教旨"]
        .iter()
        .any(|w| term.contains(w))
}

/// A type for a statistical candidate without a head word.
fn guess_type(term: &str) -> ConceptType {
    const THREAT_WORDS: &[&str] =
        &["走私", "贩运", "诈骗", "恐怖", "贩毒", "洗钱", "偷渡", "海盗", "赌博", "极端", "袭击"];
    const MECHANISM_WORDS: &[&str] = &["合作", "执法", "协作", "联动", "引渡", "司法协助", "巡逻", "联合"];
    if THREAT_WORDS.iter().any(|w| term.contains(w)) {
        ConceptType::Threat
    } else if MECHANISM_WORDS.iter().any(|w| term.contains(w)) {
        ConceptType::Mechanism
    } else {
        ConceptType::Concept
    }
}

/// Shannon entropy (nats) of a neighbour distribution; each open boundary is its own item.
fn entropy(counts: &HashMap<String, u32>, open: u32) -> f64 {
    let total: u32 = counts.values().sum::<u32>() + open;
    if total == 0 {
        return 0.0;
    }
    let t = total as f64;
    let mut h: f64 = counts.values().map(|&c| c as f64 / t).map(|p| -p * p.ln()).sum();
    h += open as f64 * (-(1.0 / t) * (1.0 / t).ln());
    h
}

/// Maps [0, ∞) onto [0, 1): x / (x + k).
fn saturate(x: f64, k: f64) -> f64 {
    let x = x.max(0.0);
    x / (x + k)
}
