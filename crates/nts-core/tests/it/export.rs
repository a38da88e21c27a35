//! Export of the concept map: layout, communities, SVG/PNG with Chinese labels, and the
//! data formats read back by real readers (usvg, png, quick-xml, csv, networkx).

use nts_core::export::{self, layout, Community, ExportFormat, ExportOptions, MapEdge, MapGraph, MapNode};
use nts_core::{ConceptType, Error};
use quick_xml::events::Event;
use std::collections::HashMap;

/// Two planted groups joined by one bridge (联合调查小组 — 湄公河流域), a term with a
/// comma and quotes, and a hostile term.
const ACTORS: [(&str, ConceptType, f64); 6] = [
    ("国际刑警组织", ConceptType::Actor, 40.0),
    ("欧盟", ConceptType::Actor, 35.0),
    ("联合调查小组", ConceptType::Mechanism, 22.0),
    ("欧盟逮捕令", ConceptType::Mechanism, 12.0),
    ("申根区", ConceptType::Region, 9.0),
    ("引渡", ConceptType::Mechanism, 7.0),
];
const THREATS: [(&str, ConceptType, f64); 6] = [
    ("恐怖主义", ConceptType::Threat, 38.0),
    ("贩运人口", ConceptType::Threat, 25.0),
    ("湄公河流域", ConceptType::Region, 20.0),
    ("总体国家安全观", ConceptType::Concept, 18.0),
    ("走私, \"毒品\"", ConceptType::Threat, 10.0),
    ("<script>alert(1)</script>", ConceptType::Threat, 3.0),
];

fn fixture() -> MapGraph {
    let mut nodes = Vec::new();
    for (i, (term, t, w)) in ACTORS.iter().chain(THREATS.iter()).enumerate() {
        nodes.push(MapNode {
            id: format!("c{i}"),
            term: term.to_string(),
            r#type: *t,
            weight: *w,
            mentions: *w as u32,
            community: u32::from(i >= 6),
            x: 0.0,
            y: 0.0,
        });
    }
    let mut edges = Vec::new();
    for group in [0..6, 6..12] {
        for a in group.clone() {
            for b in a + 1..group.end {
                edges.push(edge(a, b, "cooccurrence", 1.0 + ((a * b) % 4) as f64));
            }
        }
    }
    edges.push(edge(2, 8, "cooccurrence", 1.0));
    edges.push(edge(3, 1, "part_of", 2.0));
    // A parallel duplicate (reversed) that exports must merge.
    edges.push(edge(1, 0, "cooccurrence", 1.0));
    let communities = vec![
        Community { id: 0, label: "欧盟司法合作".into(), size: 6 },
        Community { id: 1, label: "非传统安全威胁".into(), size: 6 },
    ];
    let mut g = MapGraph {
        shown_nodes: nodes.len(),
        total_nodes: 40,
        shown_edges: edges.len(),
        total_edges: 95,
        nodes,
        edges,
        communities,
        title: "非传统安全概念图".into(),
        center: None,
    };
    layout::layout(&mut g, 42);
    g
}

fn edge(a: usize, b: usize, kind: &str, weight: f64) -> MapEdge {
    MapEdge {
        id: format!("e{a}-{b}-{kind}"),
        source: format!("c{a}"),
        target: format!("c{b}"),
        weight,
        count: weight as u32,
        kind: kind.into(),
        passages: vec![format!("doc{a}#{b}"), format!("doc{b}#{a}")],
    }
}

/// Unique edges of the fixture once parallels are merged: 15 + 15 + bridge + part_of.
const UNIQUE_EDGES: usize = 32;

fn render_one(g: &MapGraph, f: ExportFormat) -> Vec<u8> {
    let mut files = export::render(g, f, &ExportOptions::default()).expect("render");
    assert_eq!(files.len(), 1);
    files.remove(0).1
}

#[test]
fn layout_is_deterministic_finite_and_inside_the_square() {
    let a = fixture();
    let b = fixture();
    let pos = |g: &MapGraph| g.nodes.iter().map(|n| (n.x.to_bits(), n.y.to_bits())).collect::<Vec<_>>();
    assert_eq!(pos(&a), pos(&b));
    for n in &a.nodes {
        assert!(n.x.is_finite() && n.y.is_finite());
        assert!((0.0..=1000.0).contains(&n.x) && (0.0..=1000.0).contains(&n.y), "{} at {},{}", n.term, n.x, n.y);
    }
    // Planted groups end up apart: each group's centroid is nearer its own members.
    let centroid = |r: std::ops::Range<usize>| {
        let k = r.len() as f64;
        let (sx, sy) = r.fold((0.0, 0.0), |(x, y), i| (x + a.nodes[i].x, y + a.nodes[i].y));
        (sx / k, sy / k)
    };
    let (c0, c1) = (centroid(0..6), centroid(6..12));
    let d = |p: (f64, f64), q: (f64, f64)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
    let own = (0..6).filter(|&i| d((a.nodes[i].x, a.nodes[i].y), c0) < d((a.nodes[i].x, a.nodes[i].y), c1)).count();
    assert!(own >= 5, "only {own} of group A nearer its centroid");
}

#[test]
fn layout_handles_tiny_and_disconnected_graphs() {
    for n in 0..4 {
        let mut g = fixture();
        g.nodes.truncate(n);
        g.edges.clear();
        layout::layout(&mut g, 1);
        for node in &g.nodes {
            assert!(node.x.is_finite() && (0.0..=1000.0).contains(&node.x) && (0.0..=1000.0).contains(&node.y));
        }
        if n == 2 {
            let d = (g.nodes[0].x - g.nodes[1].x).hypot(g.nodes[0].y - g.nodes[1].y);
            assert!(d > 20.0, "two nodes {d} apart");
        }
    }
    // Two components plus isolated nodes: nothing flies off, nothing coincides.
    let mut g = fixture();
    g.edges.retain(|e| e.id != "e2-8-cooccurrence");
    g.nodes.push(MapNode { id: "lone".into(), term: "孤立".into(), ..g.nodes[0].clone() });
    layout::layout(&mut g, 3);
    for (i, a) in g.nodes.iter().enumerate() {
        for b in &g.nodes[i + 1..] {
            assert!((a.x - b.x).hypot(a.y - b.y) > 5.0, "{} and {} overlap", a.term, b.term);
        }
    }
}

#[test]
fn layout_of_500_nodes_is_fine() {
    let mut next = 12345u64;
    let mut rnd = move || {
        next ^= next << 13;
        next ^= next >> 7;
        next ^= next << 17;
        next
    };
    let nodes: Vec<MapNode> = (0..500)
        .map(|i| MapNode {
            id: format!("n{i}"),
            term: format!("概念{i}"),
            r#type: ConceptType::ALL[i % 5],
            weight: (1 + i % 17) as f64,
            mentions: 1,
            community: 0,
            x: 0.0,
            y: 0.0,
        })
        .collect();
    let edges: Vec<MapEdge> = (0..2000)
        .map(|i| {
            let a = (rnd() % 500) as usize;
            let b = if rnd() % 4 == 0 { (rnd() % 500) as usize } else { (a / 50) * 50 + (rnd() % 50) as usize };
            MapEdge {
                id: format!("e{i}"),
                source: format!("n{a}"),
                target: format!("n{b}"),
                weight: 1.0,
                count: 1,
                kind: "cooccurrence".into(),
                passages: vec![],
            }
        })
        .collect();
    let mut g = MapGraph { nodes, edges, ..MapGraph::default() };
    let t = std::time::Instant::now();
    layout::layout(&mut g, 9);
    eprintln!("layout of 500 nodes / 2000 edges: {:?}", t.elapsed());
    assert!(g.nodes.iter().all(|n| n.x.is_finite() && n.y.is_finite()));
    let pairs: Vec<(usize, usize, f64)> =
        g.edges.iter().map(|e| (e.source[1..].parse().unwrap_or(0), e.target[1..].parse().unwrap_or(0), 1.0)).collect();
    let labels = export::communities(500, &pairs, 1);
    assert_eq!(labels.len(), 500);
    // The 10 planted blocks of 50 (75% of edges inside) come out as roughly 10 groups.
    let k = labels.iter().copied().max().unwrap_or(0) + 1;
    assert!((5..=20).contains(&k), "{k} communities");
    if std::env::var_os("NTS_RENDER_BIG").is_some() {
        for (n, c) in g.nodes.iter_mut().zip(&labels) {
            n.community = *c;
        }
        let png = export::render(&g, ExportFormat::Png, &ExportOptions::default()).expect("png");
        std::fs::write("/tmp/map-500.png", &png[0].1).expect("write");
    }
}

#[test]
fn communities_find_two_planted_cliques() {
    let mut edges = Vec::new();
    for group in [0..6usize, 6..12] {
        for a in group.clone() {
            for b in a + 1..group.end {
                edges.push((a, b, 1.0));
            }
        }
    }
    edges.push((5, 6, 1.0));
    let labels = export::communities(12, &edges, 7);
    assert_eq!(labels, export::communities(12, &edges, 7), "deterministic");
    assert!(labels[..6].iter().all(|&c| c == labels[0]), "{labels:?}");
    assert!(labels[6..].iter().all(|&c| c == labels[6]), "{labels:?}");
    assert_ne!(labels[0], labels[6]);
    // Edge cases: nothing, isolated nodes, bad input.
    assert!(export::communities(0, &[], 1).is_empty());
    assert_eq!(export::communities(3, &[], 1), vec![0, 1, 2]);
    assert_eq!(export::communities(2, &[(0, 9, 1.0), (0, 1, f64::NAN)], 1).len(), 2);
}

#[test]
fn format_names_parse() {
    for f in ExportFormat::ALL {
        assert_eq!(ExportFormat::parse(f.as_str()), Some(f));
    }
    assert_eq!(ExportFormat::parse("SVG-TEXT"), Some(ExportFormat::SvgText));
    assert_eq!(ExportFormat::parse("pdf"), None);
}

#[test]
fn svg_text_keeps_chinese_labels_as_text_and_parses() {
    let g = fixture();
    let svg = String::from_utf8(render_one(&g, ExportFormat::SvgText)).expect("utf-8");
    for term in ["国际刑警组织", "恐怖主义", "湄公河流域", "联合调查小组", "非传统安全概念图"]
    {
        assert!(svg.contains(&format!(">{term}</text>")), "label {term} missing");
    }
    assert!(svg.contains("行为体 actor") && svg.contains("威胁 threat"), "legend types");
    assert!(svg.contains("欧盟司法合作"), "community label");
    assert!(svg.contains("12 of 40 nodes / 33 of 95 edges shown"), "footer");
    assert!(svg.contains("font-family=\"&apos;"), "resolved font family first");
    assert!(!svg.contains("<script"), "hostile term escaped");
    let (db, family) = export::cjk_fontdb(None).expect("a CJK font (apt-get install fonts-wqy-microhei)");
    let opt = usvg::Options { fontdb: std::sync::Arc::new(db), font_family: family, ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(&svg, &opt).expect("parses");
    assert!(tree.size().width() > 100.0);
}

#[test]
fn the_centre_of_an_ego_map_is_ringed_and_bold() {
    let mut g = fixture();
    let plain = String::from_utf8(render_one(&g, ExportFormat::SvgText)).expect("utf-8");
    assert!(!plain.contains(r#"id="center""#));
    let centre = g.nodes.iter().max_by(|a, b| a.weight.total_cmp(&b.weight)).expect("nodes").clone();
    g.center = Some(centre.id.clone());
    let svg = String::from_utf8(render_one(&g, ExportFormat::SvgText)).expect("utf-8");
    assert_eq!(svg.matches(r#"id="center""#).count(), 1);
    assert!(svg.contains(&format!(r#"font-weight="bold">{}</text>"#, centre.term)), "bold centre label");
}

#[test]
fn svg_with_paths_has_no_text_and_is_self_contained() {
    let g = fixture();
    let svg = String::from_utf8(render_one(&g, ExportFormat::Svg)).expect("utf-8");
    assert!(svg.contains("<path"));
    assert!(!svg.contains("<text"));
    assert!(!svg.contains("<script"));
    // Renders without any font at all.
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).expect("parses");
    assert!(tree.root().has_children());
    assert!(svg.len() > 20_000, "labels became outlines: {} bytes", svg.len());
}

#[test]
fn png_has_the_requested_size_ink_and_300_dpi() {
    let g = fixture();
    let bytes = render_one(&g, ExportFormat::Png);
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("png header");
    let info = reader.info();
    assert_eq!(info.width, 2008, "170 mm at 300 dpi");
    let dims = info.pixel_dims.expect("pHYs chunk");
    assert_eq!(dims.unit, png::Unit::Meter);
    assert_eq!(dims.xppu, 11811, "300 dpi = 11811 px/m");
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).expect("pixels");
    let px = &buf[..frame.buffer_size()];
    let channels = frame.color_type.samples();
    let total = px.len() / channels;
    let inked = px.chunks(channels).filter(|p| p[..3].iter().any(|&v| v < 200)).count();
    assert!(inked > total / 100, "only {inked} of {total} pixels are not white");
    if std::env::var_os("NTS_KEEP_PNG").is_some() {
        std::fs::write("/tmp/map.png", &bytes).expect("write /tmp/map.png");
    }
    // Another size and resolution.
    let opts = ExportOptions { dpi: 150, width_mm: 80.0, ..ExportOptions::default() };
    let small = export::render(&g, ExportFormat::Png, &opts).expect("png");
    let reader = png::Decoder::new(std::io::Cursor::new(&small[0].1)).read_info().expect("png");
    assert_eq!(reader.info().width, 472);
    // Nonsense options are refused with a message, not a panic.
    let bad = ExportOptions { dpi: 0, ..ExportOptions::default() };
    assert!(matches!(export::render(&g, ExportFormat::Png, &bad), Err(Error::Invalid(_))));
}

#[test]
fn labels_no_font_can_draw_are_an_error_not_boxes() {
    let mut g = fixture();
    // Tangut: no CJK font here covers it.
    g.nodes[0].term = "𗀀𗀁".into();
    match export::render(&g, ExportFormat::Png, &ExportOptions::default()) {
        Err(Error::NoCjkFont { missing }) => assert!(missing.contains('𗀀'), "{missing}"),
        other => panic!("expected NoCjkFont, got {:?}", other.map(|f| f.len())),
    }
    // Editable SVG does not need the font here.
    assert!(export::render(&g, ExportFormat::SvgText, &ExportOptions::default()).is_ok());
}

/// Elements by name and the attributes of `<key>`/`<attribute>` declarations.
fn xml_summary(bytes: &[u8]) -> (HashMap<String, usize>, Vec<HashMap<String, String>>) {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut counts = HashMap::new();
    let mut decls = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if name == "key" || name == "attribute" {
                    decls.push(
                        e.attributes()
                            .map(|a| {
                                let a = a.expect("attribute");
                                (
                                    String::from_utf8_lossy(a.key.as_ref()).to_string(),
                                    a.unescape_value().expect("value").to_string(),
                                )
                            })
                            .collect(),
                    );
                }
                *counts.entry(name).or_insert(0) += 1;
            }
            _ => {}
        }
        buf.clear();
    }
    (counts, decls)
}

#[test]
fn graphml_is_well_formed_with_typed_keys() {
    let g = fixture();
    let bytes = render_one(&g, ExportFormat::Graphml);
    let (counts, keys) = xml_summary(&bytes);
    assert_eq!(counts.get("node"), Some(&12));
    assert_eq!(counts.get("edge"), Some(&UNIQUE_EDGES));
    let key = |name: &str, target: &str| {
        keys.iter()
            .find(|k| k["attr.name"] == name && k["for"] == target)
            .map(|k| k["attr.type"].clone())
            .unwrap_or_default()
    };
    assert_eq!(key("term", "node"), "string");
    assert_eq!(key("weight", "node"), "double");
    assert_eq!(key("mentions", "node"), "int");
    assert_eq!(key("community", "node"), "int");
    assert_eq!(key("weight", "edge"), "double");
    assert_eq!(key("count", "edge"), "int");
    assert_eq!(key("passages", "edge"), "string");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(!text.contains("<script"));
    assert!(text.contains("&lt;script&gt;"));
    assert!(text.contains("国际刑警组织"));
}

#[test]
fn gexf_is_well_formed_with_typed_attributes_and_viz() {
    let g = fixture();
    let bytes = render_one(&g, ExportFormat::Gexf);
    let (counts, attrs) = xml_summary(&bytes);
    assert_eq!(counts.get("node"), Some(&12));
    assert_eq!(counts.get("edge"), Some(&UNIQUE_EDGES));
    assert_eq!(counts.get("viz:position"), Some(&12));
    assert_eq!(counts.get("viz:color"), Some(&12));
    let ty = |title: &str| attrs.iter().find(|a| a["title"] == title).map(|a| a["type"].clone()).unwrap_or_default();
    assert_eq!(ty("weight"), "double");
    assert_eq!(ty("mentions"), "integer");
    assert_eq!(ty("count"), "integer");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(!text.contains("<script"));
    assert!(text.contains("version=\"1.3\""));
}

#[test]
fn csv_round_trips_through_a_csv_reader() {
    let g = fixture();
    let files = export::render(&g, ExportFormat::Csv, &ExportOptions::default()).expect("csv");
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["nodes.csv", "edges.csv"]);
    let mut nodes = csv::Reader::from_reader(&files[0].1[..]);
    let headers = nodes.headers().expect("header").clone();
    assert_eq!(&headers[1], "term");
    let rows: Vec<csv::StringRecord> = nodes.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 12);
    let terms: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert!(terms.contains(&"走私, \"毒品\""), "{terms:?}");
    assert!(terms.contains(&"<script>alert(1)</script>"));
    assert_eq!(&rows[0][2], "actor");
    assert_eq!(rows[0][4].parse::<f64>().ok(), Some(40.0));
    let mut edges = csv::Reader::from_reader(&files[1].1[..]);
    let rows: Vec<csv::StringRecord> = edges.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), UNIQUE_EDGES);
    let merged = rows.iter().find(|r| &r[0] == "e0-1-cooccurrence").expect("merged edge");
    assert_eq!(&merged[6], "2", "counts of parallel edges add up");
    assert_eq!(merged[8].split(' ').count(), 2, "passages united without repeats: {}", &merged[8]);
}

#[test]
fn json_is_the_map_graph() {
    let g = fixture();
    let bytes = render_one(&g, ExportFormat::Json);
    let back: MapGraph = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(back, g);
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(v["nodes"][0]["type"], "actor");
}

#[test]
fn write_names_files_and_errors_name_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let g = fixture();
    let opts = ExportOptions::default();
    let written = export::write(&g, ExportFormat::Csv, &opts, &dir.path().join("map.csv")).expect("write");
    assert_eq!(written, [dir.path().join("map.nodes.csv"), dir.path().join("map.edges.csv")]);
    let written = export::write(&g, ExportFormat::Csv, &opts, dir.path()).expect("write");
    assert_eq!(written, [dir.path().join("nodes.csv"), dir.path().join("edges.csv")]);
    let written = export::write(&g, ExportFormat::Gexf, &opts, &dir.path().join("sub/g.gexf")).expect("write");
    assert!(written[0].is_file());
    let written = export::write(&g, ExportFormat::Json, &opts, dir.path()).expect("write");
    assert_eq!(written, [dir.path().join("concept-map.json")]);
    // A path under a regular file cannot be created.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").expect("write");
    let err = export::write(&g, ExportFormat::Json, &opts, &blocker.join("m.json")).expect_err("must fail");
    assert!(err.to_string().contains("file"), "{err}");
    assert_eq!(err.code(), "io");
}

#[test]
fn networkx_reads_graphml_and_gexf_with_types() {
    let python = std::process::Command::new("python3").arg("-c").arg("import networkx").output();
    match python {
        Err(_) => {
            eprintln!("note: python3 not found; skipping the networkx check");
            return;
        }
        Ok(out) if !out.status.success() => {
            panic!("python3 is present but networkx is not: pip install networkx");
        }
        Ok(_) => {}
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let g = fixture();
    let opts = ExportOptions::default();
    let graphml = export::write(&g, ExportFormat::Graphml, &opts, &dir.path().join("m.graphml")).expect("write");
    let gexf = export::write(&g, ExportFormat::Gexf, &opts, &dir.path().join("m.gexf")).expect("write");
    let script = r#"
import sys, networkx as nx
for p, g in ((sys.argv[1], nx.read_graphml(sys.argv[1])), (sys.argv[2], nx.read_gexf(sys.argv[2]))):
    assert g.number_of_nodes() == 12, (p, g.number_of_nodes())
    assert g.number_of_edges() == int(sys.argv[3]), (p, g.number_of_edges())
    u, v, d = next(iter(g.edges(data=True)))
    assert isinstance(d["weight"], float), (p, d)
    assert isinstance(d["count"], int), (p, d)
    n = g.nodes["c0"]
    assert isinstance(n["weight"], float) and isinstance(n["mentions"], int), (p, n)
    label = n.get("term", n.get("label"))
    assert label == "国际刑警组织", (p, label)
print("ok")
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&graphml[0])
        .arg(&gexf[0])
        .arg(UNIQUE_EDGES.to_string())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "networkx failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_explicit_font_file_is_used_and_a_missing_one_named() {
    let wqy = std::path::Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    if wqy.is_file() {
        let (_, family) = export::cjk_fontdb(Some(wqy)).expect("font file");
        assert!(family.starts_with("WenQuanYi Micro Hei"), "{family}");
        let opts = ExportOptions { font_file: Some(wqy.into()), dpi: 72, ..ExportOptions::default() };
        assert!(export::render(&fixture(), ExportFormat::Png, &opts).is_ok());
    }
    let missing = std::path::Path::new("/nonexistent/font.ttf");
    let err = export::cjk_fontdb(Some(missing)).expect_err("missing font file");
    assert!(err.to_string().contains("/nonexistent/font.ttf"), "{err}");
}

#[test]
fn empty_and_single_node_maps_render_in_every_format() {
    let mut one = fixture();
    one.nodes.truncate(1);
    one.edges.clear();
    layout::layout(&mut one, 5);
    for g in [MapGraph::default(), one] {
        for f in ExportFormat::ALL {
            let opts = ExportOptions { dpi: 96, ..ExportOptions::default() };
            let files = export::render(&g, f, &opts).unwrap_or_else(|e| panic!("{f:?}: {e}"));
            assert!(files.iter().all(|(_, b)| !b.is_empty()), "{f:?}");
        }
    }
}
