//! The concept map as GEXF 1.3 for Gephi (and networkx): typed attributes, the layout as
//! `viz:position`, the community colour as `viz:color`, the node size as `viz:size`, so the
//! file opens in Gephi looking like our figure. Hand-written with quick-xml because the
//! `gexf` crate writes files networkx cannot read (wrong namespace, undeclared attributes).
//!
//! Node attributes: `type` (string), `weight` (double), `mentions` (integer), `community`
//! (integer), `community_label` (string); edge attributes: `count` (integer), `kind`
//! (string), `passages` (string, ids joined by spaces), and the edge `weight` as GEXF's own
//! attribute. GEXF's y axis points up, so y is flipped (1000 − y) to keep the picture's
//! orientation. No timestamp is written, so the same map gives the same bytes.

use super::graphml::float;
use super::layout::{node_radius, EXTENT};
use super::{clean_edges, clean_nodes, community_colours, xml_safe, MapGraph, OTHER_COLOUR};
use crate::error::{Error, Result};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::HashMap;
use std::io;

const NODE_ATTRS: [(&str, &str, &str); 5] = [
    ("0", "type", "string"),
    ("1", "weight", "double"),
    ("2", "mentions", "integer"),
    ("3", "community", "integer"),
    ("4", "community_label", "string"),
];
const EDGE_ATTRS: [(&str, &str, &str); 3] = [("0", "count", "integer"), ("1", "kind", "string"), ("2", "passages", "string")];

/// GEXF 1.3 bytes (UTF-8).
pub fn to_gexf(graph: &MapGraph) -> Result<Vec<u8>> {
    write(graph).map_err(|e| Error::Internal(format!("GEXF export: {e}")))
}

fn write(graph: &MapGraph) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("gexf").with_attributes([
        ("xmlns", "http://gexf.net/1.3"),
        ("xmlns:viz", "http://gexf.net/1.3/viz"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ("xsi:schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"),
        ("version", "1.3"),
    ])))?;
    w.write_event(Event::Start(BytesStart::new("meta")))?;
    w.create_element("creator").write_text_content(BytesText::new("NTS Atlas"))?;
    if !graph.title.trim().is_empty() {
        w.create_element("description").write_text_content(BytesText::new(&xml_safe(&graph.title)))?;
    }
    w.write_event(Event::End(BytesEnd::new("meta")))?;
    w.write_event(Event::Start(
        BytesStart::new("graph").with_attributes([("mode", "static"), ("defaultedgetype", "undirected")]),
    ))?;
    declare(&mut w, "node", &NODE_ATTRS)?;
    declare(&mut w, "edge", &EDGE_ATTRS)?;

    let labels: HashMap<u32, &str> = graph.communities.iter().map(|c| (c.id, c.label.as_str())).collect();
    let colours = community_colours(graph);
    let nodes = clean_nodes(graph);
    let max_w = nodes.iter().map(|n| n.weight).filter(|w| w.is_finite()).fold(0.0, f64::max);
    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for n in &nodes {
        w.write_event(Event::Start(
            BytesStart::new("node").with_attributes([("id", &*xml_safe(&n.id)), ("label", &*xml_safe(&n.term))]),
        ))?;
        w.write_event(Event::Start(BytesStart::new("attvalues")))?;
        attvalue(&mut w, "0", n.r#type.as_str())?;
        attvalue(&mut w, "1", &float(n.weight))?;
        attvalue(&mut w, "2", &n.mentions.to_string())?;
        attvalue(&mut w, "3", &n.community.to_string())?;
        if let Some(label) = labels.get(&n.community).filter(|l| !l.is_empty()) {
            attvalue(&mut w, "4", label)?;
        }
        w.write_event(Event::End(BytesEnd::new("attvalues")))?;
        let (r, g, b) = colours.get(&n.community).copied().unwrap_or(OTHER_COLOUR);
        w.create_element("viz:color")
            .with_attributes([("r", &*r.to_string()), ("g", &*g.to_string()), ("b", &*b.to_string())])
            .write_empty()?;
        w.create_element("viz:size").with_attribute(("value", &*float(node_radius(n.weight, max_w)))).write_empty()?;
        w.create_element("viz:position")
            .with_attributes([("x", &*float(n.x)), ("y", &*float(EXTENT - n.y)), ("z", "0.0")])
            .write_empty()?;
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;
    w.write_event(Event::Start(BytesStart::new("edges")))?;
    for e in clean_edges(graph) {
        w.write_event(Event::Start(BytesStart::new("edge").with_attributes([
            ("id", &*xml_safe(&e.id)),
            ("source", &*xml_safe(&e.source)),
            ("target", &*xml_safe(&e.target)),
            ("weight", &*float(e.weight)),
        ])))?;
        w.write_event(Event::Start(BytesStart::new("attvalues")))?;
        attvalue(&mut w, "0", &e.count.to_string())?;
        attvalue(&mut w, "1", &e.kind)?;
        attvalue(&mut w, "2", &e.passages.join(" "))?;
        w.write_event(Event::End(BytesEnd::new("attvalues")))?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn declare(w: &mut Writer<Vec<u8>>, class: &str, attrs: &[(&str, &str, &str)]) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("attributes").with_attributes([("class", class)])))?;
    for (id, title, ty) in attrs {
        w.create_element("attribute").with_attributes([("id", *id), ("title", *title), ("type", *ty)]).write_empty()?;
    }
    w.write_event(Event::End(BytesEnd::new("attributes")))?;
    Ok(())
}

fn attvalue(w: &mut Writer<Vec<u8>>, id: &str, value: &str) -> io::Result<()> {
    w.create_element("attvalue").with_attributes([("for", id), ("value", &*xml_safe(value))]).write_empty()?;
    Ok(())
}
