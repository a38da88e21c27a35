//! Typed relations between concepts, read off the sentences of one passage: 部分 (part
//! of), 实例 (instance of), 应对 (addresses), 参与 (participates in) and 区别 (contrasts
//! with). They become the dashed, labelled edges of the concept graph.
//!
//! The patterns work on the mention spans the extractor found, never on raw words, and
//! they ask for the mentions to sit *right at* the cue: `X是Y的重要组成部分` only fires
//! when nothing but 是 stands between X and Y and only a short modifier between Y and
//! 组成部分. Precision wins over recall: a wrong typed edge misleads a scholar, a missing
//! one only leaves the co-occurrence edge in place. Every relation keeps the char span of
//! the sentence it came from, so the UI can show that sentence as the evidence.

use super::Mention;
use crate::model::ConceptType;
use serde::{Deserialize, Serialize};

/// What a typed edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// `from` is a component of `to` (国土安全 part_of 国家安全).
    PartOf,
    /// `from` is a kind or an example of `to` (恐怖主义 instance_of 非传统安全犯罪).
    InstanceOf,
    /// `from` (an actor or mechanism) counters `to` (a threat).
    Addresses,
    /// `from` (an actor) takes part in `to`.
    ParticipatesIn,
    /// The text sets `from` apart from `to`.
    ContrastsWith,
}

impl RelationKind {
    pub const ALL: [RelationKind; 5] = [
        RelationKind::PartOf,
        RelationKind::InstanceOf,
        RelationKind::Addresses,
        RelationKind::ParticipatesIn,
        RelationKind::ContrastsWith,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::PartOf => "part_of",
            RelationKind::InstanceOf => "instance_of",
            RelationKind::Addresses => "addresses",
            RelationKind::ParticipatesIn => "participates_in",
            RelationKind::ContrastsWith => "contrasts_with",
        }
    }

    pub fn parse(s: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The Chinese label of the edge in the UI.
    pub fn label_zh(self) -> &'static str {
        match self {
            RelationKind::PartOf => "组成部分",
            RelationKind::InstanceOf => "属于",
            RelationKind::Addresses => "应对",
            RelationKind::ParticipatesIn => "参与",
            RelationKind::ContrastsWith => "区别于",
        }
    }
}

/// One typed relation found in a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Canonical concept terms, as in the mentions.
    pub from: String,
    pub to: String,
    pub kind: RelationKind,
    /// Char span of the sentence the relation was read from.
    pub start: usize,
    pub end: usize,
}

/// Sentence ends: a relation never spans two sentences.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n' | '\r')
}

/// Separators inside an enumeration (Y、Z和W).
const LIST_SEPARATORS: &[&str] = &["、", "，", ",", "和", "与", "及", "以及", "或", "或者", "、以及", "，以及"];
/// Adverbs allowed between a subject and its verb (中国积极参与…, 各国共同打击…).
const ADVERBS: &[&str] = &[
    "",
    "也",
    "又",
    "还",
    "则",
    "都",
    "就",
    "要",
    "应",
    "应当",
    "将",
    "须",
    "必须",
    "可以",
    "能够",
    "正在",
    "已",
    "已经",
    "积极",
    "共同",
    "联合",
    "合作",
    "有效",
    "依法",
    "严厉",
    "着力",
    "全力",
    "协同",
    "深度",
    "广泛",
    "全面",
    "主动",
    "持续",
    "进一步",
    "不断",
    "一直",
    "长期",
    "坚决",
    "重点",
];
/// Modifiers allowed in 是Y的…组成部分.
const PART_MODIFIERS: &[&str] =
    &["", "重要", "一个", "核心", "关键", "有机", "主要", "非常重要", "十分重要", "不可或缺", "基本", "重要的一个"];
/// Modifiers allowed between a counter verb and its threat (打击跨国…): short and plain.
const TARGET_MODIFIERS: &[&str] = &["", "各类", "各种", "一切", "所有", "跨国", "跨境", "严重"];
const COUNTER_VERBS: &[&str] =
    &["打击", "应对", "治理", "防范", "遏制", "惩治", "防控", "整治", "预防", "防治", "抵御"];
const JOIN_VERBS: &[&str] = &["参与", "加入", "参加"];

/// Typed relations in `text`, given its mentions (char spans, in order, not overlapping,
/// as [`super::Extractor::extract`] returns them). Deterministic: in text order, each
/// (from, to, kind) once per sentence.
pub fn find_relations(text: &str, mentions: &[Mention]) -> Vec<Relation> {
    // A relation needs two mentions in one sentence.
    if mentions.len() < 2 {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut ms: Vec<&Mention> = mentions.iter().filter(|m| m.start < m.end && m.end <= chars.len()).collect();
    ms.sort_by_key(|m| (m.start, m.end));
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start;
        while end < chars.len() && !is_sentence_end(chars[end]) {
            end += 1;
        }
        let inside: Vec<&Mention> = ms.iter().copied().filter(|m| m.start >= start && m.end <= end).collect();
        if inside.len() >= 2 {
            let s = Sentence { chars: &chars, start, end, ms: inside };
            let mut found = Vec::new();
            s.part_of(&mut found);
            s.includes(&mut found);
            s.is_a(&mut found);
            s.such_as(&mut found);
            s.addresses(&mut found);
            s.participates(&mut found);
            s.contrasts(&mut found);
            for (from, to, kind) in found {
                if from == to {
                    continue;
                }
                let r = Relation { from: from.to_string(), to: to.to_string(), kind, start, end };
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        start = end + 1;
    }
    out
}

type Found<'a> = Vec<(&'a str, &'a str, RelationKind)>;

struct Sentence<'a> {
    chars: &'a [char],
    start: usize,
    end: usize,
    /// Mentions inside the sentence, in order.
    ms: Vec<&'a Mention>,
}

impl<'a> Sentence<'a> {
    fn text(&self, from: usize, to: usize) -> String {
        if from >= to {
            return String::new();
        }
        self.chars[from.max(self.start)..to.min(self.end)].iter().collect()
    }

    /// Text between two consecutive mentions.
    fn gap(&self, i: usize) -> String {
        match (self.ms.get(i), self.ms.get(i + 1)) {
            (Some(a), Some(b)) => self.text(a.end, b.start),
            _ => String::new(),
        }
    }

    /// Whether `cue` starts at char `at`.
    fn starts_with_at(&self, at: usize, cue: &str) -> bool {
        cue.chars().enumerate().all(|(k, c)| at + k < self.end && self.chars[at + k] == c)
    }

    /// An enumeration starting with mention `first`: it and every following mention
    /// joined to the previous one by a list separator. Returns the indices and whether
    /// it ends with 等.
    fn list_from(&self, first: usize) -> (Vec<usize>, bool) {
        let mut items = vec![first];
        let mut i = first;
        while i + 1 < self.ms.len() && LIST_SEPARATORS.contains(&self.gap(i).as_str()) {
            i += 1;
            items.push(i);
        }
        let last = self.ms[i];
        let ends_with_deng = self.starts_with_at(last.end, "等");
        (items, ends_with_deng)
    }

    /// X是Y的(重要)组成部分 / X是Y中的一部分 → X part_of Y.
    fn part_of(&self, out: &mut Found<'a>) {
        for i in 0..self.ms.len().saturating_sub(1) {
            let gap = self.gap(i);
            if !matches!(gap.as_str(), "是" | "也是" | "又是" | "则是" | "就是" | "都是" | "乃是") {
                continue;
            }
            let y = self.ms[i + 1];
            // After Y: (中|之中)?的? modifier(s) (组成部分|一部分|部分), nothing else.
            let tail = self.text(y.end, (y.end + 14).min(self.end));
            let Some(pos) = ["组成部分", "一部分", "部分"].iter().filter_map(|c| tail.find(c)).min() else {
                continue;
            };
            let between = &tail[..pos];
            let had_zhong = between.starts_with('中') || between.starts_with("之中");
            let b = between.trim_start_matches("之中").trim_start_matches('中');
            let core = b.trim_start_matches('的').trim_end_matches('的');
            let ok_between = (had_zhong || b.starts_with('的')) && PART_MODIFIERS.contains(&core);
            if ok_between {
                out.push((&self.ms[i].concept, &y.concept, RelationKind::PartOf));
            }
        }
    }

    /// X(主要)包括 Y、Z和W → part_of, or instance_of when X is a threat category.
    fn includes(&self, out: &mut Found<'a>) {
        const CUES: &[&str] =
            &["主要包括", "主要包含", "主要涵盖", "一般包括", "通常包括", "包括", "包含", "涵盖", "囊括"];
        for i in 0..self.ms.len().saturating_sub(1) {
            let x = self.ms[i];
            let gap = self.gap(i);
            let gap = gap.trim_start_matches(['，', ',']).trim_start_matches(['也', '还', '则', '又']);
            let Some(cue) = CUES.iter().find(|c| gap.starts_with(**c)) else { continue };
            if !matches!(&gap[cue.len()..], "" | "：" | ":") {
                continue;
            }
            let (items, _) = self.list_from(i + 1);
            for j in items {
                let y = self.ms[j];
                if let Some(kind) = membership(x.ctype, y.ctype) {
                    out.push((&y.concept, &x.concept, kind));
                }
            }
        }
    }

    /// X是一种Y / X属于Y → X instance_of Y (part_of between regions).
    fn is_a(&self, out: &mut Found<'a>) {
        for i in 0..self.ms.len().saturating_sub(1) {
            let gap = self.gap(i);
            let gap = gap
                .trim_start_matches("本质上")
                .trim_start_matches("本身")
                .trim_start_matches(['也', '还', '则', '又']);
            if !matches!(
                gap,
                "是一种"
                    | "是一类"
                    | "属于"
                    | "是一种新型"
                    | "是一种新型的"
                    | "是一种特殊的"
                    | "是典型的"
                    | "属于一种"
            ) {
                continue;
            }
            let (x, y) = (self.ms[i], self.ms[i + 1]);
            let kind = match (x.ctype, y.ctype) {
                (ConceptType::Region, ConceptType::Region) => RelationKind::PartOf,
                (a, b) if a == b => RelationKind::InstanceOf,
                (ConceptType::Threat, ConceptType::Concept) | (ConceptType::Mechanism, ConceptType::Concept) => {
                    RelationKind::InstanceOf
                }
                _ => continue,
            };
            out.push((&x.concept, &y.concept, kind));
        }
    }

    /// Y(，)(例)如 X、Z等 → X, Z instance_of Y. Needs 等 or two examples.
    fn such_as(&self, out: &mut Found<'a>) {
        for i in 0..self.ms.len().saturating_sub(1) {
            let y = self.ms[i];
            let gap = self.gap(i);
            let gap = gap.trim_start_matches(['，', ',']);
            if !matches!(gap, "如" | "例如" | "比如" | "诸如" | "譬如") {
                continue;
            }
            let (items, deng) = self.list_from(i + 1);
            if !deng && items.len() < 2 {
                continue;
            }
            for j in items {
                let x = self.ms[j];
                let compatible =
                    x.ctype == y.ctype || (y.ctype == ConceptType::Concept && x.ctype == ConceptType::Threat);
                if compatible {
                    out.push((&x.concept, &y.concept, RelationKind::InstanceOf));
                }
            }
        }
    }

    /// M打击X / 通过M应对X, M an actor or mechanism, X a threat → M addresses X.
    fn addresses(&self, out: &mut Found<'a>) {
        for j in 0..self.ms.len() {
            let x = self.ms[j];
            if x.ctype != ConceptType::Threat {
                continue;
            }
            // The verb (and an allowed modifier) right before X, outside any mention.
            let prev_end = if j > 0 { self.ms[j - 1].end } else { self.start };
            let before = self.text(prev_end, x.start);
            let Some((verb_at, list_head)) = self.counter_verb_before(&before, x.start, j) else { continue };
            // The agent: the nearest mention before the verb, joined to it by adverbs only.
            let Some(m_idx) = (0..list_head).rev().find(|&k| self.ms[k].end <= verb_at) else { continue };
            let m = self.ms[m_idx];
            if !matches!(m.ctype, ConceptType::Actor | ConceptType::Mechanism) {
                continue;
            }
            let link = self.text(m.end, verb_at);
            let link = link.strip_suffix("来").or_else(|| link.strip_suffix("以")).unwrap_or(&link);
            if adverbial(link) {
                out.push((&m.concept, &x.concept, RelationKind::Addresses));
            }
        }
    }

    /// Finds `VERB modifier` ending right at X (or X as a later item of a list opened
    /// right after the verb). Returns the verb's char offset and the index of the list's
    /// first mention.
    fn counter_verb_before(&self, before: &str, x_start: usize, j: usize) -> Option<(usize, usize)> {
        for v in COUNTER_VERBS {
            for m in TARGET_MODIFIERS {
                let cue = format!("{v}{m}");
                if before.ends_with(&cue) {
                    return Some((x_start - cue.chars().count(), j));
                }
            }
        }
        // X inside an enumeration: walk back over list separators to its first item.
        if j > 0 && LIST_SEPARATORS.contains(&self.gap(j - 1).as_str()) {
            let mut head = j - 1;
            while head > 0 && LIST_SEPARATORS.contains(&self.gap(head - 1).as_str()) {
                head -= 1;
            }
            let h = self.ms[head];
            if h.ctype != ConceptType::Threat {
                return None;
            }
            let prev_end = if head > 0 { self.ms[head - 1].end } else { self.start };
            let before = self.text(prev_end, h.start);
            return self.counter_verb_before(&before, h.start, head);
        }
        None
    }

    /// X(积极)参与(到)Y → X participates_in Y, X an actor.
    fn participates(&self, out: &mut Found<'a>) {
        for i in 0..self.ms.len().saturating_sub(1) {
            let x = self.ms[i];
            if x.ctype != ConceptType::Actor {
                continue;
            }
            let gap = self.gap(i);
            let ok = JOIN_VERBS.iter().any(|v| {
                gap.find(v).is_some_and(|p| {
                    let (adv, rest) = (&gap[..p], &gap[p + v.len()..]);
                    adverbial(adv) && matches!(rest, "" | "到" | "了" | "进")
                })
            });
            if ok {
                let y = self.ms[i + 1];
                if y.ctype != ConceptType::Region {
                    out.push((&x.concept, &y.concept, RelationKind::ParticipatesIn));
                }
            }
        }
    }

    /// X与Y(有所)不同 / X有别于Y / X区别于Y / X不同于Y → X contrasts_with Y.
    fn contrasts(&self, out: &mut Found<'a>) {
        for i in 0..self.ms.len().saturating_sub(1) {
            let (x, y) = (self.ms[i], self.ms[i + 1]);
            let gap = self.gap(i);
            let gap = gap.trim_start_matches(['也', '则', '又']);
            let direct = matches!(gap, "有别于" | "区别于" | "不同于" | "迥异于" | "明显不同于" | "显著区别于");
            let with = matches!(gap, "与" | "和" | "同" | "跟") && {
                let tail = self.text(y.end, (y.end + 6).min(self.end));
                [
                    "不同",
                    "有所不同",
                    "截然不同",
                    "完全不同",
                    "根本不同",
                    "有别",
                    "有所区别",
                    "有着本质区别",
                    "有本质区别",
                ]
                .iter()
                .any(|c| tail.starts_with(c))
            };
            if (direct || with) && x.ctype == y.ctype {
                out.push((&x.concept, &y.concept, RelationKind::ContrastsWith));
            }
        }
    }
}

/// Whether `s` is empty or one or two adverbs (积极, 积极有效).
fn adverbial(s: &str) -> bool {
    ADVERBS.contains(&s)
        || ADVERBS.iter().any(|a| !a.is_empty() && s.strip_prefix(a).is_some_and(|r| ADVERBS.contains(&r)))
}

/// The kind of `Y part of / instance of X` for `X包括Y`, from their types; `None` when the
/// types make the reading doubtful (an actor "including" a threat, …).
fn membership(x: ConceptType, y: ConceptType) -> Option<RelationKind> {
    use ConceptType::*;
    match (x, y) {
        (Threat, Threat) | (Concept, Threat) => Some(RelationKind::InstanceOf),
        (a, b) if a == b => Some(RelationKind::PartOf),
        _ => None,
    }
}
