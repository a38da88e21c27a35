//! Export of the concept map: the display graph ([`MapGraph`]) that the graph module
//! builds, turned into files a scholar can put in a paper (SVG, PNG) or open in another
//! tool (GraphML and GEXF for Gephi/Cytoscape/networkx, CSV for spreadsheets, JSON for
//! scripts).
//!
//! One entry point per direction: [`render`] gives the bytes of every file a format
//! produces, [`write`] puts them on disk. Layout ([`layout::layout`]) and community
//! detection ([`community::communities`]) live here too because the map is their only
//! consumer; the graph module calls them when it builds a [`MapGraph`].
//!
//! File naming, decided here once: a format that makes one file writes exactly the path
//! it is given (or `concept-map.<ext>` inside it when the path is a directory). CSV makes
//! two files: `x.csv` (or `x`) becomes `x.nodes.csv` and `x.edges.csv`; a directory gets
//! `nodes.csv` and `edges.csv`.

pub mod community;
pub mod fonts;
pub mod gexf;
pub mod graphml;
pub mod layout;
pub mod png;
pub mod svg;
pub mod tabular;

use crate::error::{Error, Result};
use crate::model::ConceptType;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use community::communities;
pub use fonts::cjk_fontdb;
pub use layout::layout;

/// The concept map as displayed: the nodes and edges that survived the graph module's
/// filtering, with positions and communities, plus how much was left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapGraph {
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// How many nodes are shown, out of how many the full graph has (for the footer).
    pub shown_nodes: usize,
    pub total_nodes: usize,
    pub shown_edges: usize,
    pub total_edges: usize,
    pub communities: Vec<Community>,
    pub title: String,
    /// The concept an ego map is drawn around (ringed and bold on the map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center: Option<String>,
}

/// One concept on the map. `x`, `y` are layout coordinates in a 0–1000 square.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapNode {
    pub id: String,
    pub term: String,
    #[serde(rename = "type")]
    pub r#type: ConceptType,
    /// Importance: drives the node size and label priority. Concept maps put the
    /// concept's mentions (in the map's documents and years) here.
    pub weight: f64,
    pub mentions: u32,
    pub community: u32,
    pub x: f64,
    pub y: f64,
}

/// One relation between two concepts, with the passages that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapEdge {
    pub id: String,
    pub source: String,
    pub target: String,
    pub weight: f64,
    pub count: u32,
    /// `"cooccurrence"` for co-occurrence in passages; anything else is a typed relation
    /// (`"part_of"`, …) and is drawn dashed.
    pub kind: String,
    pub passages: Vec<String>,
}

/// A community found by [`community::communities`], with a human label (its top terms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Community {
    pub id: u32,
    pub label: String,
    pub size: usize,
}

/// The file formats of `nts graph export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// SVG with text converted to paths: renders the same everywhere, no fonts needed.
    Svg,
    /// SVG with editable `<text>` elements (small, needs a CJK font where it is opened).
    SvgText,
    Png,
    Graphml,
    Gexf,
    /// Two files: nodes and edges.
    Csv,
    /// The [`MapGraph`] itself, serialised.
    Json,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Svg,
        ExportFormat::SvgText,
        ExportFormat::Png,
        ExportFormat::Graphml,
        ExportFormat::Gexf,
        ExportFormat::Csv,
        ExportFormat::Json,
    ];

    /// Accepts the names of `--format` (case-insensitive): svg, svg-text, png, graphml,
    /// gexf, csv, json.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "svg" => ExportFormat::Svg,
            "svg-text" | "svg_text" | "svgtext" => ExportFormat::SvgText,
            "png" => ExportFormat::Png,
            "graphml" => ExportFormat::Graphml,
            "gexf" => ExportFormat::Gexf,
            "csv" => ExportFormat::Csv,
            "json" => ExportFormat::Json,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::SvgText => "svg-text",
            ExportFormat::Png => "png",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// The usual file extension (CSV files are `*.nodes.csv` / `*.edges.csv`).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Svg | ExportFormat::SvgText => "svg",
            other => other.as_str(),
        }
    }
}

/// How images are sized and lettered. Ignored by the data formats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    /// Resolution of PNG output, in dots per inch (recorded in the file).
    pub dpi: u32,
    /// Printed width of the image in millimetres (170 mm: a full-width figure on A4).
    pub width_mm: f64,
    /// A font file to use for the labels instead of the system's CJK fonts.
    pub font_file: Option<PathBuf>,
    /// Title drawn above the map; `None` uses [`MapGraph::title`].
    pub title: Option<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { dpi: 300, width_mm: 170.0, font_file: None, title: None }
    }
}

/// The bytes of every file `format` produces, each with the suffix that names it:
/// `"svg"`, `"png"`, `"graphml"`, `"gexf"`, `"json"`, or `"nodes.csv"` and `"edges.csv"`.
pub fn render(graph: &MapGraph, format: ExportFormat, opts: &ExportOptions) -> Result<Vec<(String, Vec<u8>)>> {
    let one = |bytes: Vec<u8>| Ok(vec![(format.extension().to_string(), bytes)]);
    match format {
        ExportFormat::Svg => one(svg::render_svg_paths(graph, opts)?.into_bytes()),
        ExportFormat::SvgText => one(svg::render_svg_text(graph, opts)?.into_bytes()),
        ExportFormat::Png => one(png::render_png(graph, opts)?),
        ExportFormat::Graphml => one(graphml::to_graphml(graph)?),
        ExportFormat::Gexf => one(gexf::to_gexf(graph)?),
        ExportFormat::Json => one(tabular::to_json(graph)?),
        ExportFormat::Csv => {
            let (nodes, edges) = tabular::to_csv(graph);
            Ok(vec![("nodes.csv".to_string(), nodes), ("edges.csv".to_string(), edges)])
        }
    }
}

/// Renders `graph` and writes the files at `path` (see the module doc for naming).
/// Returns the paths written. Errors name the path that could not be written.
pub fn write(graph: &MapGraph, format: ExportFormat, opts: &ExportOptions, path: &Path) -> Result<Vec<PathBuf>> {
    let files = render(graph, format, opts)?;
    let targets = target_paths(format, path, &files);
    let mut written = Vec::with_capacity(files.len());
    for ((_, bytes), target) in files.iter().zip(targets) {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        written.push(target);
    }
    Ok(written)
}

/// Where each rendered file goes, given the user's `path`.
fn target_paths(format: ExportFormat, path: &Path, files: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let is_dir = path.is_dir() || path.as_os_str().to_string_lossy().ends_with(std::path::MAIN_SEPARATOR);
    if format != ExportFormat::Csv {
        if is_dir {
            return vec![path.join(format!("concept-map.{}", format.extension()))];
        }
        return vec![path.to_path_buf()];
    }
    files
        .iter()
        .map(|(suffix, _)| {
            if is_dir {
                return path.join(suffix);
            }
            // `x.csv` and `x` both become `x.nodes.csv`; `x.tsv` keeps its name as a stem.
            let base = match path.extension().and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("csv") => path.with_extension(""),
                _ => path.to_path_buf(),
            };
            let mut name = base.into_os_string();
            name.push(".");
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

/// The edges every file format shows: edges whose both ends are nodes of the map, no
/// self-loops, and one edge per unordered pair per kind. Parallel edges are merged
/// (weights and counts summed, passages united in order) because readers such as networkx
/// otherwise build a multigraph and Gephi silently drops or doubles them.
pub(crate) fn clean_edges(graph: &MapGraph) -> Vec<MapEdge> {
    let known: std::collections::HashSet<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut index: HashMap<(String, String, String), usize> = HashMap::new();
    let mut out: Vec<MapEdge> = Vec::new();
    for e in &graph.edges {
        if e.source == e.target || !known.contains(e.source.as_str()) || !known.contains(e.target.as_str()) {
            continue;
        }
        let (a, b) = if e.source <= e.target { (&e.source, &e.target) } else { (&e.target, &e.source) };
        let key = (a.clone(), b.clone(), e.kind.clone());
        match index.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                kept.weight += finite_or(e.weight, 0.0);
                kept.count = kept.count.saturating_add(e.count);
                for p in &e.passages {
                    if !kept.passages.contains(p) {
                        kept.passages.push(p.clone());
                    }
                }
            }
            None => {
                index.insert(key, out.len());
                let mut kept = e.clone();
                kept.weight = finite_or(kept.weight, 0.0);
                out.push(kept);
            }
        }
    }
    out
}

/// The nodes every file format shows: the first node of each id (ids must be unique in
/// GraphML and GEXF).
pub(crate) fn clean_nodes(graph: &MapGraph) -> Vec<&MapNode> {
    let mut seen = std::collections::HashSet::new();
    graph.nodes.iter().filter(|n| seen.insert(n.id.as_str())).collect()
}

pub(crate) fn finite_or(v: f64, default: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        default
    }
}

/// Removes the characters XML 1.0 cannot hold (most C0 controls, U+FFFE/U+FFFF), which a
/// badly decoded source could put in a term; escaping alone would still leave the file
/// unreadable.
pub(crate) fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}';
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The qualitative palette for communities: Okabe & Ito's colour-blind-safe colours,
/// ordered so that neighbouring communities contrast; communities past the palette are
/// grey ("other").
pub const PALETTE: [(u8, u8, u8); 7] = [
    (0x00, 0x72, 0xB2), // blue
    (0xE6, 0x9F, 0x00), // orange
    (0x00, 0x9E, 0x73), // bluish green
    (0xD5, 0x5E, 0x00), // vermillion
    (0xCC, 0x79, 0xA7), // reddish purple
    (0x56, 0xB4, 0xE9), // sky blue
    (0xF0, 0xE4, 0x42), // yellow
];
pub const OTHER_COLOUR: (u8, u8, u8) = (0x99, 0x99, 0x99);

/// The colour of each community on every output (SVG, PNG, GEXF): communities ranked by
/// how many nodes of the map they hold (ties by id) take the palette in order; the rest
/// are grey.
pub fn community_colours(graph: &MapGraph) -> HashMap<u32, (u8, u8, u8)> {
    community_ranking(graph)
        .into_iter()
        .enumerate()
        .map(|(rank, (id, _))| (id, PALETTE.get(rank).copied().unwrap_or(OTHER_COLOUR)))
        .collect()
}

/// Communities present on the map with their node counts, largest first (ties by id).
pub(crate) fn community_ranking(graph: &MapGraph) -> Vec<(u32, usize)> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for n in clean_nodes(graph) {
        *counts.entry(n.community).or_default() += 1;
    }
    let mut ranked: Vec<(u32, usize)> = counts.into_iter().collect();
    ranked.sort_by_key(|&(id, size)| (std::cmp::Reverse(size), id));
    ranked
}

pub(crate) fn hex(c: (u8, u8, u8)) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
