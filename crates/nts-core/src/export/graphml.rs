//! The concept map as GraphML for networkx, Cytoscape, yEd and Gephi. Hand-written with
//! quick-xml because the crates measured type every attribute as a string; here every
//! key is declared with its type, so readers get floats and ints back:
//!
//! | key | for | name | type |
//! |---|---|---|---|
//! | d0 | node | term | string |
//! | d1 | node | type | string |
//! | d2 | node | weight | double |
//! | d3 | node | mentions | int |
//! | d4 | node | community | int |
//! | d5 | edge | weight | double |
//! | d6 | edge | count | int |
//! | d7 | edge | kind | string |
//! | d8 | edge | passages | string (ids joined by spaces) |
//! | d9 | node | label | string (= term, for Gephi/yEd) |
//! | d10, d11 | node | x, y | double (layout, y down) |
//! | d12 | node | community_label | string |
//!
//! The graph is undirected with parallel edges merged (see [`super::clean_edges`]), so
//! networkx reads a `Graph`, not a `MultiGraph`, unless two kinds link the same pair.

use super::{clean_edges, clean_nodes, finite_or, xml_safe, MapGraph};
use crate::error::{Error, Result};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::HashMap;
use std::io;

const KEYS: [(&str, &str, &str, &str); 13] = [
    ("d0", "node", "term", "string"),
    ("d1", "node", "type", "string"),
    ("d2", "node", "weight", "double"),
    ("d3", "node", "mentions", "int"),
    ("d4", "node", "community", "int"),
    ("d5", "edge", "weight", "double"),
    ("d6", "edge", "count", "int"),
    ("d7", "edge", "kind", "string"),
    ("d8", "edge", "passages", "string"),
    ("d9", "node", "label", "string"),
    ("d10", "node", "x", "double"),
    ("d11", "node", "y", "double"),
    ("d12", "node", "community_label", "string"),
];

/// GraphML bytes (UTF-8).
pub fn to_graphml(graph: &MapGraph) -> Result<Vec<u8>> {
    write(graph).map_err(|e| Error::Internal(format!("GraphML export: {e}")))
}

fn write(graph: &MapGraph) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ),
    ])))?;
    for (id, target, name, ty) in KEYS {
        w.create_element("key")
            .with_attributes([("id", id), ("for", target), ("attr.name", name), ("attr.type", ty)])
            .write_empty()?;
    }
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", "G"));
    g.push_attribute(("edgedefault", "undirected"));
    w.write_event(Event::Start(g))?;
    if !graph.title.trim().is_empty() {
        w.create_element("desc").write_text_content(BytesText::new(&xml_safe(&graph.title)))?;
    }
    let labels: HashMap<u32, &str> = graph.communities.iter().map(|c| (c.id, c.label.as_str())).collect();
    for n in clean_nodes(graph) {
        w.write_event(Event::Start(BytesStart::new("node").with_attributes([("id", &*xml_safe(&n.id))])))?;
        data(&mut w, "d0", &n.term)?;
        data(&mut w, "d1", n.r#type.as_str())?;
        data(&mut w, "d2", &float(n.weight))?;
        data(&mut w, "d3", &n.mentions.to_string())?;
        data(&mut w, "d4", &n.community.to_string())?;
        data(&mut w, "d9", &n.term)?;
        data(&mut w, "d10", &float(n.x))?;
        data(&mut w, "d11", &float(n.y))?;
        if let Some(label) = labels.get(&n.community).filter(|l| !l.is_empty()) {
            data(&mut w, "d12", label)?;
        }
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    for e in clean_edges(graph) {
        w.write_event(Event::Start(BytesStart::new("edge").with_attributes([
            ("id", &*xml_safe(&e.id)),
            ("source", &*xml_safe(&e.source)),
            ("target", &*xml_safe(&e.target)),
        ])))?;
        data(&mut w, "d5", &float(e.weight))?;
        data(&mut w, "d6", &e.count.to_string())?;
        data(&mut w, "d7", &e.kind)?;
        data(&mut w, "d8", &e.passages.join(" "))?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> io::Result<()> {
    w.create_element("data").with_attribute(("key", key)).write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

/// A double that every reader parses: always with a decimal point, never NaN/inf.
pub(crate) fn float(v: f64) -> String {
    let v = finite_or(v, 0.0);
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}
