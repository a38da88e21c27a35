//! Plain data types that cross stage boundaries: what ingest hands to normalise, what
//! normalise hands to the indexer, and what the library answers. Public fields, serde on
//! everything the shells serialise; no behaviour beyond small helpers.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::PathBuf;

/// The file formats ingest understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Md,
    Html,
    Pdf,
    Docx,
}

/// A file read and decoded, before any cleaning. `text` is the decoded source verbatim.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub format: Format,
    /// The encoding it was decoded from ("UTF-8", "GBK", "Big5", "UTF-16LE", …).
    pub encoding: String,
    pub text: String,
    /// blake3 of the file's bytes, hex: re-indexing skips a file whose hash is unchanged.
    pub hash: String,
    /// For paged sources (PDF): the char offset in `text` where each page starts.
    pub page_starts: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Book,
    #[default]
    Article,
    Thesis,
    Report,
    Chapter,
    Other,
}

/// Bibliographic metadata, from a sidecar file or read off the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    /// Journal or series; for a book, empty.
    pub venue: String,
    pub publisher: String,
    pub kind: DocKind,
    /// BCP-47-ish language of the body: "zh", "en".
    pub language: String,
    pub doi: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub keywords: Vec<String>,
    /// Volume / issue / pages as printed, for citations ("2020, 29(2): 75-94").
    pub volume: String,
    pub issue: String,
    pub pages: String,
    pub place: String,
    pub isbn: String,
}

/// What a normalised block of text is. Only `Body`, `Abstract` and `Footnote` text feeds
/// concept co-occurrence; everything is searchable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Ordinary paragraph of the body.
    Body,
    /// A heading; its text is also pushed onto the section path of what follows.
    Heading,
    /// The (Chinese) abstract: 摘要 / 内容提要.
    Abstract,
    /// 关键词 line.
    Keywords,
    /// An English passage (English abstract, English title block).
    English,
    /// A footnote or endnote, separated from the body; its marker is in `marker`.
    Footnote,
    /// A reference-list entry (参考文献).
    Reference,
    /// Table-of-contents lines.
    Toc,
    /// Title page, copyright/CIP page, author notes and other front matter.
    FrontMatter,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Body => "body",
            BlockKind::Heading => "heading",
            BlockKind::Abstract => "abstract",
            BlockKind::Keywords => "keywords",
            BlockKind::English => "english",
            BlockKind::Footnote => "footnote",
            BlockKind::Reference => "reference",
            BlockKind::Toc => "toc",
            BlockKind::FrontMatter => "front_matter",
        }
    }
    pub fn parse(s: &str) -> Option<BlockKind> {
        Some(match s {
            "body" => BlockKind::Body,
            "heading" => BlockKind::Heading,
            "abstract" => BlockKind::Abstract,
            "keywords" => BlockKind::Keywords,
            "english" => BlockKind::English,
            "footnote" => BlockKind::Footnote,
            "reference" => BlockKind::Reference,
            "toc" => BlockKind::Toc,
            "front_matter" => BlockKind::FrontMatter,
            _ => return None,
        })
    }
    /// Whether mentions in this kind of block count for the concept graph.
    pub fn is_prose(self) -> bool {
        matches!(self, BlockKind::Body | BlockKind::Abstract | BlockKind::Footnote)
    }
}

/// One passage (≈ a paragraph) as normalise produces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Cleaned text: lines re-joined, noise removed; characters otherwise verbatim.
    pub text: String,
    /// Headings above this block, outermost first.
    pub section: Vec<String>,
    /// Char range in `SourceText::text` covered by this block.
    pub range: Range<usize>,
    /// 1-based page number where known (PDF, or page numbers found in the text).
    pub page: Option<u32>,
    /// Footnote marker (①, 6, …) for `Footnote` blocks; footnote markers found in the body.
    pub marker: Option<String>,
}

/// A passage as stored in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// `"{doc_id}#{ordinal}"`: stable across re-indexing of the same content.
    pub passage_id: String,
    pub doc_id: String,
    pub ordinal: u32,
    pub kind: BlockKind,
    pub section: Vec<String>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub page: Option<u32>,
    pub marker: Option<String>,
}

/// The five concept types of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConceptType {
    Actor,
    Threat,
    Mechanism,
    Concept,
    Region,
}

impl ConceptType {
    pub const ALL: [ConceptType; 5] =
        [ConceptType::Actor, ConceptType::Threat, ConceptType::Mechanism, ConceptType::Concept, ConceptType::Region];
    pub fn as_str(self) -> &'static str {
        match self {
            ConceptType::Actor => "actor",
            ConceptType::Threat => "threat",
            ConceptType::Mechanism => "mechanism",
            ConceptType::Concept => "concept",
            ConceptType::Region => "region",
        }
    }
    /// The Chinese label shown in the UI and legends.
    pub fn label_zh(self) -> &'static str {
        match self {
            ConceptType::Actor => "行为体",
            ConceptType::Threat => "威胁",
            ConceptType::Mechanism => "机制",
            ConceptType::Concept => "理论概念",
            ConceptType::Region => "地区",
        }
    }
    /// Accepts the English names, the Chinese labels and a few synonyms.
    pub fn parse(s: &str) -> Option<ConceptType> {
        Some(match s.trim().to_lowercase().as_str() {
            "actor" | "actors" | "行为体" | "主体" => ConceptType::Actor,
            "threat" | "threats" | "威胁" => ConceptType::Threat,
            "mechanism" | "mechanisms" | "机制" => ConceptType::Mechanism,
            "concept" | "concepts" | "理论概念" | "概念" => ConceptType::Concept,
            "region" | "regions" | "地区" | "区域" => ConceptType::Region,
            _ => return None,
        })
    }
}

/// Bibliographic summary of a document in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub doc_id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: String,
    pub kind: DocKind,
    pub language: String,
    pub path: String,
    pub encoding: String,
    pub passages: u32,
    /// GB/T 7714-2015 reference string.
    pub citation: String,
}
