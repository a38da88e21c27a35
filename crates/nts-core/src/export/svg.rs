//! The concept map as a figure: SVG with editable text, SVG with text as paths, and the
//! usvg tree the PNG renderer rasterises.
//!
//! The drawing is built once as a font-independent scene (node discs, edge lines, placed
//! labels, legend) in a 1000-unit-wide canvas whose printed width is `width_mm`, so label
//! sizes are chosen for print: 14–21 units ≈ 7–10 pt at 170 mm. Nodes are sized by weight
//! (square-root scale), coloured by community (Okabe–Ito palette), and shaped by concept
//! type (circle 行为体, triangle 威胁, square 机制, diamond 理论概念, hexagon 地区), so type
//! survives greyscale printing. Labels are culled by weight: the heaviest concepts are
//! labelled first, each label tries several positions around its node and is dropped only
//! when every position would overlap a label or a node; labels are kept inside the canvas.

use super::fonts::{self, CSS_FALLBACK};
use super::layout::node_radius;
use super::{clean_edges, clean_nodes, community_colours, community_ranking, hex, xml_safe, ExportOptions, MapGraph};
use crate::error::{Error, Result};
use crate::model::ConceptType;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Canvas width in SVG user units.
const W: f64 = 1000.0;
const PAD: f64 = 20.0;
const TITLE_SIZE: f64 = 26.0;
const LEGEND_SIZE: f64 = 15.0;
const FOOTER_SIZE: f64 = 13.0;
const LABEL_MIN: f64 = 14.0;
const LABEL_MAX: f64 = 21.0;
/// At most this many labels, even when there is room: more is noise in a figure.
const MAX_LABELS: usize = 120;
/// Longer terms are shortened with an ellipsis on the map (never in the data formats).
const MAX_LABEL_CHARS: usize = 10;
const TEXT_COLOUR: &str = "#222222";
const EDGE_COLOUR: &str = "#8a8a8a";
const TYPED_EDGE_COLOUR: &str = "#5b3a8c";
const DASHES: [&str; 3] = ["7 4", "2 3", "10 3 2 3"];

/// SVG with `<text>` elements, editable in Inkscape/Illustrator. The font family is the
/// CJK family found on this machine (when there is one) followed by common CJK families
/// and `sans-serif`, so the file needs no font check here: the viewer's fonts draw it.
pub fn render_svg_text(graph: &MapGraph, opts: &ExportOptions) -> Result<String> {
    let scene = Scene::build(graph, opts);
    let family = match fonts::cjk_fontdb_for(opts.font_file.as_deref(), &scene.all_text()) {
        Ok((_, family)) => Some(family),
        Err(Error::NoCjkFont { .. }) => None,
        Err(e) => return Err(e),
    };
    Ok(scene.to_svg(&font_stack(family.as_deref())))
}

/// Self-contained SVG: text converted to outlines, so the file looks the same on any
/// machine and in any renderer. Needs a CJK font here ([`Error::NoCjkFont`] otherwise).
pub fn render_svg_paths(graph: &MapGraph, opts: &ExportOptions) -> Result<String> {
    let tree = render_tree(graph, opts)?;
    let write = usvg::WriteOptions { coordinates_precision: 2, ..usvg::WriteOptions::default() };
    Ok(tree.to_string(&write))
}

/// The parsed figure, text laid out with a CJK font proven to cover every character.
pub fn render_tree(graph: &MapGraph, opts: &ExportOptions) -> Result<usvg::Tree> {
    let scene = Scene::build(graph, opts);
    let (db, family) = fonts::cjk_fontdb_for(opts.font_file.as_deref(), &scene.all_text())?;
    let svg = scene.to_svg(&font_stack(Some(&family)));
    let options = usvg::Options {
        font_family: family.clone(),
        languages: vec!["zh-CN".to_string(), "en".to_string()],
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options)
        .map_err(|e| Error::Internal(format!("the map's SVG does not parse: {e}")))?;
    // usvg drops text it cannot lay out without an error; count what survived.
    let drawn = count_text(tree.root());
    if drawn < scene.text_count {
        return Err(Error::NoCjkFont {
            missing: format!("{drawn} of {} texts drawn with “{family}”", scene.text_count),
        });
    }
    Ok(tree)
}

fn count_text(group: &usvg::Group) -> usize {
    group
        .children()
        .iter()
        .map(|n| match n {
            usvg::Node::Group(g) => count_text(g),
            usvg::Node::Text(_) => 1,
            _ => 0,
        })
        .sum()
}

fn font_stack(family: Option<&str>) -> String {
    match family {
        Some(f) => format!("'{}', {CSS_FALLBACK}", f.replace(['\'', '"', '<', '>', '&'], "")),
        None => CSS_FALLBACK.to_string(),
    }
}

/// Everything the figure shows, positioned, before any font is involved.
struct Scene {
    height: f64,
    width_mm: f64,
    elements: String,
    texts: Vec<String>,
    text_count: usize,
}

/// An axis-aligned box, for label collision tests.
#[derive(Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Approximate advance of `s` in ems: CJK and full-width characters are one em, others
/// about 0.6. Slightly generous so that estimated boxes contain the real glyphs.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if c.is_whitespace() {
                0.3
            } else if (c as u32) >= 0x2E80 || c == '…' || c == '—' {
                1.0
            } else if c.is_ascii_uppercase() || c.is_ascii_digit() {
                0.66
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * size
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Shortens `s` until it fits `width` at `size`.
fn fit_text(s: &str, size: f64, width: f64) -> String {
    let mut n = s.chars().count();
    let mut t = s.to_string();
    while n > 1 && text_width(&t, size) > width {
        n -= 1;
        t = shorten(s, n);
    }
    t
}

fn esc(s: &str) -> String {
    let s = xml_safe(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Chinese and English names of the edge kinds we know; others show their raw name.
fn kind_label(kind: &str) -> String {
    match kind {
        "cooccurrence" | "co-occurrence" => "共现 co-occurrence".into(),
        "part_of" => "隶属 part of".into(),
        "is_a" | "instance_of" => "类属 is a".into(),
        "cooperates" | "cooperation" => "合作 cooperation".into(),
        "counters" | "addresses" => "应对 counters".into(),
        "located_in" => "位于 located in".into(),
        "related" => "相关 related".into(),
        "" => "关系 relation".into(),
        other => other.replace('_', " "),
    }
}

/// The SVG path data of a node of type `t` centred at (x, y) with size `r` (shapes are
/// scaled to about the area of a circle of radius `r`).
fn shape(t: ConceptType, x: f64, y: f64, r: f64) -> String {
    let poly = |pts: &[(f64, f64)]| {
        let mut d = String::new();
        for (i, (px, py)) in pts.iter().enumerate() {
            let _ = write!(d, "{}{:.2},{:.2}", if i == 0 { "M" } else { "L" }, x + px, y + py);
        }
        d.push('Z');
        d
    };
    match t {
        ConceptType::Actor => format!(
            "M{:.2},{:.2}a{r:.2},{r:.2} 0 1,0 {:.2},0a{r:.2},{r:.2} 0 1,0 {:.2},0Z",
            x - r,
            y,
            2.0 * r,
            -2.0 * r
        ),
        ConceptType::Threat => {
            let s = r * 1.35;
            poly(&[(0.0, -s), (s * 0.866, s * 0.5), (-s * 0.866, s * 0.5)])
        }
        ConceptType::Mechanism => {
            let h = r * 0.89;
            poly(&[(-h, -h), (h, -h), (h, h), (-h, h)])
        }
        ConceptType::Concept => {
            let h = r * 1.25;
            poly(&[(0.0, -h), (h, 0.0), (0.0, h), (-h, 0.0)])
        }
        ConceptType::Region => {
            let h = r * 1.1;
            let pts: Vec<(f64, f64)> = (0..6)
                .map(|k| {
                    let a = std::f64::consts::PI / 3.0 * k as f64;
                    (h * a.cos(), h * a.sin())
                })
                .collect();
            poly(&pts)
        }
    }
}

impl Scene {
    fn all_text(&self) -> String {
        self.texts.concat()
    }

    /// A `<text>` element; `style` is `fill` plus any extra attributes, fully written.
    fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, style: &str, s: &str) {
        let _ = writeln!(
            self.elements,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}" text-anchor="{anchor}" {style}>{}</text>"#,
            esc(s)
        );
        self.texts.push(s.to_string());
        self.text_count += 1;
    }

    fn build(graph: &MapGraph, opts: &ExportOptions) -> Scene {
        let width_mm = if opts.width_mm.is_finite() && opts.width_mm > 0.0 { opts.width_mm } else { 170.0 };
        let mut sc = Scene { height: 0.0, width_mm, elements: String::new(), texts: Vec::new(), text_count: 0 };
        let nodes = clean_nodes(graph);
        let mut edges = clean_edges(graph);
        let colours = community_colours(graph);

        // ---- title ----
        let title_src = opts.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| graph.title.clone());
        let title_src = if title_src.trim().is_empty() { "概念图 Concept map".to_string() } else { title_src };
        let title = fit_text(title_src.trim(), TITLE_SIZE, W - 2.0 * PAD);
        sc.text(
            W / 2.0,
            PAD + TITLE_SIZE,
            TITLE_SIZE,
            "middle",
            &format!(r#"fill="{TEXT_COLOUR}" font-weight="bold""#),
            &title,
        );

        // ---- plot area: fit node positions, keeping the aspect ratio ----
        let top = PAD + TITLE_SIZE + 24.0;
        let max_w = nodes.iter().map(|n| n.weight).filter(|w| w.is_finite()).fold(0.0, f64::max);
        let finite = |v: f64| if v.is_finite() { v } else { 500.0 };
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for n in &nodes {
            x0 = x0.min(finite(n.x));
            x1 = x1.max(finite(n.x));
            y0 = y0.min(finite(n.y));
            y1 = y1.max(finite(n.y));
        }
        // Room for the biggest node and a label on either side.
        let inner_w = W - 2.0 * PAD - 2.0 * 30.0;
        let span_x = (x1 - x0).max(1.0);
        let span_y = (y1 - y0).max(1.0);
        let scale = if nodes.len() > 1 { (inner_w / span_x).min(760.0 / span_y) } else { 1.0 };
        let plot_h = if nodes.len() > 1 { (span_y * scale).max(200.0) } else { 200.0 } + 2.0 * 30.0;
        let plot_bottom = top + plot_h;
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let to_canvas = |x: f64, y: f64| -> (f64, f64) {
            if nodes.len() <= 1 {
                (W / 2.0, top + plot_h / 2.0)
            } else {
                (W / 2.0 + (finite(x) - cx) * scale, top + plot_h / 2.0 + (finite(y) - cy) * scale)
            }
        };
        let r_scale = scale.clamp(0.5, 1.0);
        let pos: HashMap<&str, (f64, f64, f64)> = nodes
            .iter()
            .map(|n| {
                let (x, y) = to_canvas(n.x, n.y);
                (n.id.as_str(), (x, y, node_radius(n.weight, max_w, nodes.len()) * r_scale))
            })
            .collect();

        if nodes.is_empty() {
            sc.text(
                W / 2.0,
                top + plot_h / 2.0,
                LEGEND_SIZE,
                "middle",
                r##"fill="#777777""##,
                "（无概念）No concepts to show",
            );
        }

        // ---- edges: light ones first so heavy ones are on top ----
        let max_ew = edges.iter().map(|e| e.weight).fold(0.0, f64::max);
        // Typed relations go on top of co-occurrence so the dashes stay visible.
        edges.sort_by(|a, b| {
            (a.kind != "cooccurrence")
                .cmp(&(b.kind != "cooccurrence"))
                .then_with(|| a.weight.total_cmp(&b.weight))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut kinds: Vec<String> = Vec::new();
        for e in &edges {
            if !kinds.contains(&e.kind) {
                kinds.push(e.kind.clone());
            }
        }
        kinds.sort_by_key(|k| (k != "cooccurrence", k.clone()));
        let typed_kinds: Vec<&String> = kinds.iter().filter(|k| k.as_str() != "cooccurrence").collect();
        // Hundreds of edges at full opacity turn the map grey: fade them as they multiply.
        let crowd = (250.0 / edges.len().max(1) as f64).sqrt().clamp(0.35, 1.0);
        sc.elements.push_str("<g id=\"edges\" fill=\"none\" stroke-linecap=\"round\">\n");
        for e in &edges {
            let (Some(a), Some(b)) = (pos.get(e.source.as_str()), pos.get(e.target.as_str())) else { continue };
            let f = if max_ew > 0.0 { (e.weight.max(0.0) / max_ew).sqrt() } else { 0.5 };
            let width = 0.7 + 3.3 * f;
            if e.kind == "cooccurrence" {
                let _ = writeln!(
                    sc.elements,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{EDGE_COLOUR}" stroke-width="{width:.2}" stroke-opacity="{:.2}"/>"#,
                    a.0,
                    a.1,
                    b.0,
                    b.1,
                    (0.25 + 0.45 * f) * crowd
                );
            } else {
                let k = typed_kinds.iter().position(|k| **k == e.kind).unwrap_or(0);
                let _ = writeln!(
                    sc.elements,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{TYPED_EDGE_COLOUR}" stroke-width="{:.2}" stroke-opacity="0.8" stroke-dasharray="{}"/>"#,
                    a.0,
                    a.1,
                    b.0,
                    b.1,
                    width.max(1.2),
                    DASHES[k % DASHES.len()]
                );
            }
        }
        sc.elements.push_str("</g>\n");

        // ---- nodes: light ones first ----
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| nodes[a].weight.total_cmp(&nodes[b].weight).then_with(|| nodes[a].id.cmp(&nodes[b].id)));
        sc.elements.push_str("<g id=\"nodes\" stroke=\"#ffffff\" stroke-width=\"1.2\">\n");
        for &i in &order {
            let n = nodes[i];
            let Some(&(x, y, r)) = pos.get(n.id.as_str()) else { continue };
            let colour = colours.get(&n.community).copied().unwrap_or(super::OTHER_COLOUR);
            let _ = writeln!(sc.elements, r#"<path d="{}" fill="{}"/>"#, shape(n.r#type, x, y, r), hex(colour));
        }
        // The centre of an ego map wears a dark ring.
        if let Some(&(x, y, r)) = graph.center.as_deref().and_then(|c| pos.get(c)) {
            let t = nodes.iter().find(|n| Some(n.id.as_str()) == graph.center.as_deref()).map(|n| n.r#type);
            let _ = writeln!(
                sc.elements,
                r#"<path id="center" d="{}" fill="none" stroke="{TEXT_COLOUR}" stroke-width="2.5"/>"#,
                shape(t.unwrap_or(ConceptType::Concept), x, y, r + 3.5)
            );
        }
        sc.elements.push_str("</g>\n");

        // ---- labels, heaviest first, each placed where it collides with nothing ----
        // A label may cover the disc of a lighter node (drawn later in this loop, so never
        // labelled over) but not of a heavier one: that keeps the busy centre of a big map
        // labelled instead of only its fringe.
        let mut by_weight: Vec<usize> = (0..nodes.len()).collect();
        by_weight.sort_by(|&a, &b| {
            nodes[b].weight.total_cmp(&nodes[a].weight).then_with(|| nodes[a].term.cmp(&nodes[b].term))
        });
        let discs: Vec<Rect> = by_weight
            .iter()
            .filter_map(|&i| pos.get(nodes[i].id.as_str()))
            .map(|&(x, y, r)| Rect { x0: x - r * 0.9, y0: y - r * 0.9, x1: x + r * 0.9, y1: y + r * 0.9 })
            .collect();
        let mut placed: Vec<Rect> = Vec::new();
        let (min_x, max_x) = (PAD / 2.0, W - PAD / 2.0);
        let (min_y, max_y) = (top - 10.0, plot_bottom);
        sc.elements.push_str(
            "<g id=\"labels\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n",
        );
        for (rank, &i) in by_weight.iter().enumerate() {
            if placed.len() >= MAX_LABELS {
                break;
            }
            let n = nodes[i];
            let label = shorten(&n.term, MAX_LABEL_CHARS);
            if label.is_empty() {
                continue;
            }
            let Some(&(x, y, r)) = pos.get(n.id.as_str()) else { continue };
            let f = if max_w > 0.0 { (n.weight.max(0.0) / max_w).sqrt() } else { 0.0 };
            let size = LABEL_MIN + (LABEL_MAX - LABEL_MIN) * f;
            let w = text_width(&label, size) + 2.0;
            let h = size * 1.15;
            let gap = 3.0;
            let candidates = [
                (x + r + gap, y - h / 2.0),
                (x - r - gap - w, y - h / 2.0),
                (x - w / 2.0, y - r - gap - h),
                (x - w / 2.0, y + r + gap),
                (x + r * 0.7, y - r * 0.7 - h),
                (x + r * 0.7, y + r * 0.7),
                (x - r * 0.7 - w, y - r * 0.7 - h),
                (x - r * 0.7 - w, y + r * 0.7),
            ];
            let own = Rect { x0: x - r, y0: y - r, x1: x + r, y1: y + r };
            // First a spot that covers no other node; failing that, one that covers only
            // lighter nodes.
            let try_spots = |blockers: &[Rect]| {
                candidates.iter().find_map(|&(bx, by)| {
                    // Keep the label on the canvas by sliding it back in.
                    let bx = bx.clamp(min_x, (max_x - w).max(min_x));
                    let by = by.clamp(min_y, (max_y - h).max(min_y));
                    let rect = Rect { x0: bx, y0: by, x1: bx + w, y1: by + h };
                    let hits_label = placed.iter().any(|p| p.overlaps(&rect));
                    let hits_node = blockers.iter().any(|d| d.overlaps(&rect));
                    (!hits_label && !hits_node && !own.overlaps(&rect)).then_some(rect)
                })
            };
            let others: Vec<Rect> = discs.iter().enumerate().filter(|&(k, _)| k != rank).map(|(_, d)| *d).collect();
            let spot = try_spots(&others).or_else(|| try_spots(&discs[..rank]));
            let Some(rect) = spot else { continue };
            placed.push(rect);
            let baseline = rect.y0 + size * 0.92;
            let bold = if graph.center.as_deref() == Some(n.id.as_str()) { r#" font-weight="bold""# } else { "" };
            sc.text(rect.x0 + 1.0, baseline, size, "start", &format!(r#"fill="{TEXT_COLOUR}"{bold}"#), &label);
        }
        sc.elements.push_str("</g>\n");

        // ---- legend ----
        let mut y = plot_bottom + 16.0;
        let _ = writeln!(
            sc.elements,
            r##"<line x1="{PAD}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#cccccc" stroke-width="1"/>"##,
            W - PAD
        );
        y += 10.0;
        let row_h = LEGEND_SIZE * 1.8;
        let heading_w = 150.0;

        // Types present, in the canonical order.
        let types: Vec<ConceptType> =
            ConceptType::ALL.iter().copied().filter(|t| nodes.iter().any(|n| n.r#type == *t)).collect();
        if !types.is_empty() {
            let items: Vec<(String, LegendMark)> =
                types.iter().map(|t| (format!("{} {}", t.label_zh(), t.as_str()), LegendMark::Shape(*t))).collect();
            y = sc.legend_row(y, row_h, heading_w, "类型 Types（形状）", &items);
        }
        if !kinds.is_empty() {
            let items: Vec<(String, LegendMark)> = kinds
                .iter()
                .map(|k| {
                    let mark = match typed_kinds.iter().position(|t| *t == k) {
                        None => LegendMark::Line(None),
                        Some(i) => LegendMark::Line(Some(DASHES[i % DASHES.len()])),
                    };
                    (kind_label(k), mark)
                })
                .collect();
            y = sc.legend_row(y, row_h, heading_w, "关系 Relations", &items);
        }
        let ranked = community_ranking(graph);
        if !ranked.is_empty() {
            let mut items: Vec<(String, LegendMark)> = Vec::new();
            for (rank, (id, size)) in ranked.iter().enumerate() {
                if rank >= super::PALETTE.len() {
                    let rest: usize = ranked[rank..].iter().map(|r| r.1).sum();
                    items.push((format!("其他 other ({rest})"), LegendMark::Swatch(super::OTHER_COLOUR)));
                    break;
                }
                let label = community_label(graph, *id);
                let colour = colours.get(id).copied().unwrap_or(super::OTHER_COLOUR);
                items.push((format!("{} ({size})", shorten(&label, 14)), LegendMark::Swatch(colour)));
            }
            y = sc.legend_row(y, row_h, heading_w, "社群 Communities", &items);
        }
        if !nodes.is_empty() {
            let note = "节点大小表示权重（图谱中为提及次数）node size = weight (mentions on concept maps)；仅标注权重较高的概念 labels: top concepts";
            let note = fit_text(note, FOOTER_SIZE, W - 2.0 * PAD);
            sc.text(PAD, y + FOOTER_SIZE, FOOTER_SIZE, "start", r##"fill="#555555""##, &note);
            y += FOOTER_SIZE * 1.8;
        }

        // ---- footer ----
        let shown_n = if graph.shown_nodes > 0 || graph.total_nodes > 0 { graph.shown_nodes } else { nodes.len() };
        let total_n = graph.total_nodes.max(shown_n);
        let shown_e = if graph.shown_edges > 0 || graph.total_edges > 0 { graph.shown_edges } else { edges.len() };
        let total_e = graph.total_edges.max(shown_e);
        let footer = format!(
            "显示 {shown_n}/{total_n} 个概念、{shown_e}/{total_e} 条关系 · {shown_n} of {total_n} nodes / {shown_e} of {total_e} edges shown"
        );
        let footer = fit_text(&footer, FOOTER_SIZE, W - 2.0 * PAD - 90.0);
        y += 6.0;
        sc.text(PAD, y + FOOTER_SIZE, FOOTER_SIZE, "start", r##"fill="#555555""##, &footer);
        sc.text(W - PAD, y + FOOTER_SIZE, FOOTER_SIZE, "end", r##"fill="#999999""##, "NTS Atlas");
        sc.height = (y + FOOTER_SIZE + PAD).ceil();
        sc
    }

    /// One legend row: a heading, then items that wrap onto further lines. Returns the y
    /// below the row.
    fn legend_row(&mut self, y: f64, row_h: f64, heading_w: f64, heading: &str, items: &[(String, LegendMark)]) -> f64 {
        let mid = |y: f64| y + row_h / 2.0;
        let baseline = |y: f64| y + row_h / 2.0 + LEGEND_SIZE * 0.35;
        self.text(PAD, baseline(y), LEGEND_SIZE, "start", r##"fill="#555555" font-weight="bold""##, heading);
        let mut x = PAD + heading_w;
        let mut y = y;
        for (label, mark) in items {
            let mark_w = match mark {
                LegendMark::Line(_) => 30.0,
                _ => 16.0,
            };
            let label = fit_text(label, LEGEND_SIZE, W - 2.0 * PAD - heading_w - mark_w - 8.0);
            let item_w = mark_w + 6.0 + text_width(&label, LEGEND_SIZE) + 18.0;
            if x + item_w > W - PAD && x > PAD + heading_w {
                x = PAD + heading_w;
                y += row_h;
            }
            let my = mid(y);
            match mark {
                LegendMark::Shape(t) => {
                    let _ = writeln!(
                        self.elements,
                        r##"<path d="{}" fill="#9a9a9a" stroke="#ffffff" stroke-width="1"/>"##,
                        shape(*t, x + 8.0, my, 6.5)
                    );
                }
                LegendMark::Swatch(c) => {
                    let _ = writeln!(
                        self.elements,
                        r#"<rect x="{x:.1}" y="{:.1}" width="16" height="16" rx="3" fill="{}"/>"#,
                        my - 8.0,
                        hex(*c)
                    );
                }
                LegendMark::Line(dash) => {
                    let (colour, extra) = match dash {
                        None => (EDGE_COLOUR, String::new()),
                        Some(d) => (TYPED_EDGE_COLOUR, format!(r#" stroke-dasharray="{d}""#)),
                    };
                    let _ = writeln!(
                        self.elements,
                        r#"<line x1="{x:.1}" y1="{my:.1}" x2="{:.1}" y2="{my:.1}" stroke="{colour}" stroke-width="2.5"{extra}/>"#,
                        x + mark_w
                    );
                }
            }
            self.text(x + mark_w + 6.0, baseline(y), LEGEND_SIZE, "start", &format!(r#"fill="{TEXT_COLOUR}""#), &label);
            x += item_w;
        }
        y + row_h
    }

    fn to_svg(&self, font_family: &str) -> String {
        let h_mm = self.width_mm * self.height / W;
        let mut s = String::with_capacity(self.elements.len() + 512);
        let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{:.2}mm" height="{:.2}mm" viewBox="0 0 {W} {}" font-family="{}">"#,
            self.width_mm,
            h_mm,
            self.height,
            esc(font_family)
        );
        let _ = writeln!(s, r##"<rect x="0" y="0" width="{W}" height="{}" fill="#ffffff"/>"##, self.height);
        s.push_str(&self.elements);
        s.push_str("</svg>\n");
        s
    }
}

enum LegendMark {
    Shape(ConceptType),
    Swatch((u8, u8, u8)),
    Line(Option<&'static str>),
}

/// The label of community `id`: the graph module's label if it gave one, else the
/// community's heaviest terms.
fn community_label(graph: &MapGraph, id: u32) -> String {
    if let Some(c) = graph.communities.iter().find(|c| c.id == id && !c.label.trim().is_empty()) {
        return c.label.trim().to_string();
    }
    let mut members: Vec<&super::MapNode> = graph.nodes.iter().filter(|n| n.community == id).collect();
    members.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
    let top: Vec<&str> = members.iter().take(2).map(|n| n.term.as_str()).collect();
    if top.is_empty() {
        format!("社群 {id}")
    } else {
        top.join("、")
    }
}
