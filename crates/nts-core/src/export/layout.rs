//! Force-directed layout of the concept map: ForceAtlas2 (Jacomy et al. 2014) with the
//! LinLog attraction, Barnes–Hut approximated repulsion, gravity, and Gephi's adaptive
//! speed, followed by a pass that pushes overlapping nodes apart.
//!
//! Written here rather than taken from a crate because the crates measured either do not
//! build, are AGPL, use a global RNG, or lump clusters together (see NOTES-render). The
//! layout is deterministic: the only randomness is the initial placement, drawn from a
//! splitmix64 stream seeded by the caller, and every loop runs in node order, so the same
//! graph and seed give bit-identical coordinates.

use super::MapGraph;
use std::collections::HashMap;

/// Side of the square the layout is fitted into.
pub const EXTENT: f64 = 1000.0;
/// Empty border kept inside the square, so that nodes never sit on its edge.
const MARGIN: f64 = 40.0;

/// Tunables of [`layout_with`]. The defaults suit maps of 5–2,000 concepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutParams {
    pub iterations: usize,
    /// LinLog attraction (log of the distance): separates communities most clearly.
    pub lin_log: bool,
    pub scaling: f64,
    pub gravity: f64,
    /// Barnes–Hut opening criterion; larger is faster and coarser.
    pub theta: f64,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams { iterations: 300, lin_log: true, scaling: 2.0, gravity: 1.0, theta: 1.2 }
    }
}

/// The node radius (in layout units, same 0–1000 space) used to keep nodes apart; the
/// SVG draws nodes at about this size, so the map has no overlapping discs. Area grows
/// with weight (square-root scale); maps of more than ~150 nodes get smaller discs so
/// that they do not fill the whole square.
pub fn node_radius(weight: f64, max_weight: f64, nodes: usize) -> f64 {
    let w = if weight.is_finite() && weight > 0.0 { weight } else { 0.0 };
    let frac = if max_weight > 0.0 { (w / max_weight).clamp(0.0, 1.0).sqrt() } else { 0.0 };
    let crowd = (150.0 / nodes.max(1) as f64).sqrt().clamp(0.45, 1.0);
    (4.0 + 14.0 * frac) * crowd
}

/// Lays `graph` out in place with the default parameters: writes every node's `x`, `y`
/// in `[MARGIN, 1000 - MARGIN]`. Edges to unknown nodes are ignored.
pub fn layout(graph: &mut MapGraph, seed: u64) {
    layout_with(graph, seed, &LayoutParams::default());
}

pub fn layout_with(graph: &mut MapGraph, seed: u64, params: &LayoutParams) {
    let n = graph.nodes.len();
    match n {
        0 => return,
        1 => {
            graph.nodes[0].x = EXTENT / 2.0;
            graph.nodes[0].y = EXTENT / 2.0;
            return;
        }
        _ => {}
    }
    let index: HashMap<&str, usize> =
        graph.nodes.iter().enumerate().rev().map(|(i, node)| (node.id.as_str(), i)).collect();
    let mut edges: Vec<(usize, usize, f64)> = Vec::with_capacity(graph.edges.len());
    for e in &graph.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.source.as_str()), index.get(e.target.as_str())) {
            let w = if e.weight.is_finite() && e.weight > 0.0 { e.weight } else { 1.0 };
            if a != b {
                edges.push((a, b, w));
            }
        }
    }
    let max_weight = graph.nodes.iter().map(|n| n.weight).filter(|w| w.is_finite()).fold(0.0, f64::max);
    let n_nodes = graph.nodes.len();
    let radii: Vec<f64> = graph.nodes.iter().map(|n| node_radius(n.weight, max_weight, n_nodes)).collect();

    // The centre of an ego map stays at the origin, where gravity gathers the rest.
    let pinned = graph.center.as_deref().and_then(|c| index.get(c).copied());
    let (mut xs, mut ys) = force_atlas2(n, &edges, seed, params, pinned);
    align_principal_axis(&mut xs, &mut ys);
    fit(&mut xs, &mut ys);
    remove_overlaps(&mut xs, &mut ys, &radii);
    // Hundredths of a unit are far below a pixel; rounding keeps files small and makes
    // the coordinates survive a JSON round trip exactly.
    for (node, (x, y)) in graph.nodes.iter_mut().zip(xs.into_iter().zip(ys)) {
        node.x = (x * 100.0).round() / 100.0;
        node.y = (y * 100.0).round() / 100.0;
    }
}

/// A tiny seeded PRNG (splitmix64): enough for initial positions, no global state.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub(crate) fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut r = SplitMix64(seed);
    move || r.next_u64()
}

/// Runs ForceAtlas2 and returns raw (unscaled) positions; a `pinned` node stays at the
/// origin.
fn force_atlas2(
    n: usize,
    edges: &[(usize, usize, f64)],
    seed: u64,
    p: &LayoutParams,
    pinned: Option<usize>,
) -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let spread = (n as f64).sqrt() * 10.0;
    let mut xs: Vec<f64> = Vec::with_capacity(n);
    let mut ys: Vec<f64> = Vec::with_capacity(n);
    for _ in 0..n {
        xs.push((rng.next_f64() - 0.5) * spread);
        ys.push((rng.next_f64() - 0.5) * spread);
    }
    if let Some(c) = pinned {
        (xs[c], ys[c]) = (0.0, 0.0);
    }
    let mut mass = vec![1.0f64; n];
    for &(a, b, _) in edges {
        mass[a] += 1.0;
        mass[b] += 1.0;
    }

    let mut fx = vec![0.0f64; n];
    let mut fy = vec![0.0f64; n];
    let mut old_fx = vec![0.0f64; n];
    let mut old_fy = vec![0.0f64; n];
    let mut speed = 1.0f64;
    let mut speed_efficiency = 1.0f64;
    let jitter_tolerance = 1.0f64;
    let mut tree = QuadTree::default();

    for _ in 0..p.iterations {
        std::mem::swap(&mut fx, &mut old_fx);
        std::mem::swap(&mut fy, &mut old_fy);
        fx.iter_mut().for_each(|v| *v = 0.0);
        fy.iter_mut().for_each(|v| *v = 0.0);

        // Repulsion, k_r * m_i * m_j / d, through the Barnes–Hut tree.
        tree.build(&xs, &ys, &mass);
        for i in 0..n {
            let (rx, ry) = tree.repulsion(i, xs[i], ys[i], mass[i], p.scaling, p.theta);
            fx[i] += rx;
            fy[i] += ry;
        }
        // Gravity towards the origin, constant magnitude k_g * m: keeps disconnected
        // components and isolated concepts from drifting away.
        for i in 0..n {
            let d = (xs[i] * xs[i] + ys[i] * ys[i]).sqrt();
            if d > 0.0 {
                let f = p.gravity * mass[i] / d;
                fx[i] -= xs[i] * f;
                fy[i] -= ys[i] * f;
            }
        }
        // Attraction along edges: w * log(1 + d) (LinLog) or w * d.
        for &(a, b, w) in edges {
            let dx = xs[a] - xs[b];
            let dy = ys[a] - ys[b];
            let d = (dx * dx + dy * dy).sqrt();
            if d <= 0.0 {
                continue;
            }
            let f = if p.lin_log { w * (1.0 + d).ln() / d } else { w };
            fx[a] -= dx * f;
            fy[a] -= dy * f;
            fx[b] += dx * f;
            fy[b] += dy * f;
        }

        // Adaptive global speed (Gephi's ForceAtlas2 "auto adjust speed").
        let mut swinging = 0.0f64;
        let mut traction = 0.0f64;
        for i in 0..n {
            swinging += mass[i] * ((old_fx[i] - fx[i]).powi(2) + (old_fy[i] - fy[i]).powi(2)).sqrt();
            traction += 0.5 * mass[i] * ((old_fx[i] + fx[i]).powi(2) + (old_fy[i] + fy[i]).powi(2)).sqrt();
        }
        let nf = n as f64;
        let estimated = 0.05 * nf.sqrt();
        let min_jt = estimated.sqrt();
        let max_jt = 10.0f64;
        let mut jt = jitter_tolerance * min_jt.max(max_jt.min(estimated * traction / (nf * nf)));
        let min_speed_efficiency = 0.05;
        if traction > 0.0 && swinging / traction > 2.0 {
            if speed_efficiency > min_speed_efficiency {
                speed_efficiency *= 0.5;
            }
            jt = jt.max(jitter_tolerance);
        }
        let target_speed = if swinging > 0.0 { jt * speed_efficiency * traction / swinging } else { speed };
        if swinging > jt * traction {
            if speed_efficiency > min_speed_efficiency {
                speed_efficiency *= 0.7;
            }
        } else if speed < 1000.0 {
            speed_efficiency *= 1.3;
        }
        let max_rise = 0.5f64;
        speed += (target_speed - speed).min(max_rise * speed);
        if !speed.is_finite() || speed <= 0.0 {
            speed = 1.0;
        }

        for i in 0..n {
            let sw = mass[i] * ((old_fx[i] - fx[i]).powi(2) + (old_fy[i] - fy[i]).powi(2)).sqrt();
            let factor = speed / (1.0 + (speed * sw).sqrt());
            // Cap a single step so that one bad iteration cannot fling a node away.
            let df = (fx[i] * fx[i] + fy[i] * fy[i]).sqrt();
            let step = (factor * df).min(spread.max(10.0));
            if df > 0.0 && step.is_finite() && Some(i) != pinned {
                xs[i] += fx[i] / df * step;
                ys[i] += fy[i] / df * step;
            }
        }
    }
    (xs, ys)
}

/// Barnes–Hut quadtree over the current positions, stored flat: a node is a square cell
/// with its total mass and centre of mass, and either one body or four children.
#[derive(Default)]
struct QuadTree {
    cells: Vec<Cell>,
    /// Traversal stack reused across queries (one allocation per layout, not per node).
    stack: std::cell::RefCell<Vec<usize>>,
}

struct Cell {
    cx: f64,
    cy: f64,
    half: f64,
    mass: f64,
    mx: f64,
    my: f64,
    /// The one body in a leaf, `usize::MAX` when the cell is empty or internal.
    body: usize,
    /// Index of the first of four children, 0 for a leaf.
    children: usize,
}

const MAX_DEPTH: usize = 40;

impl QuadTree {
    fn build(&mut self, xs: &[f64], ys: &[f64], mass: &[f64]) {
        self.cells.clear();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (&x, &y) in xs.iter().zip(ys) {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let half = ((x1 - x0).max(y1 - y0) / 2.0).max(1e-6) * 1.0001;
        self.cells.push(Cell::new((x0 + x1) / 2.0, (y0 + y1) / 2.0, half));
        for i in 0..xs.len() {
            self.insert(0, i, xs, ys, mass, 0);
        }
    }

    fn insert(&mut self, mut cell: usize, i: usize, xs: &[f64], ys: &[f64], mass: &[f64], mut depth: usize) {
        loop {
            let c = &mut self.cells[cell];
            let m = c.mass + mass[i];
            c.mx = (c.mx * c.mass + xs[i] * mass[i]) / m;
            c.my = (c.my * c.mass + ys[i] * mass[i]) / m;
            c.mass = m;
            if c.children != 0 {
                cell = self.child_for(cell, xs[i], ys[i]);
                depth += 1;
                continue;
            }
            if c.body == usize::MAX && (c.mass - mass[i]).abs() < f64::EPSILON * m.max(1.0) {
                c.body = i;
                return;
            }
            if depth >= MAX_DEPTH {
                // Coincident bodies: keep them lumped in this leaf; their mutual repulsion
                // is handled by the aggregate.
                return;
            }
            // Split the leaf and push its body down, then continue with `i`.
            let existing = c.body;
            c.body = usize::MAX;
            let (cx, cy, h) = (c.cx, c.cy, c.half / 2.0);
            let first = self.cells.len();
            self.cells[cell].children = first;
            for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
                self.cells.push(Cell::new(cx + dx * h, cy + dy * h, h));
            }
            if existing != usize::MAX {
                let child = self.child_for(cell, xs[existing], ys[existing]);
                let ch = &mut self.cells[child];
                ch.mass = mass[existing];
                ch.mx = xs[existing];
                ch.my = ys[existing];
                ch.body = existing;
            }
            cell = self.child_for(cell, xs[i], ys[i]);
            depth += 1;
        }
    }

    fn child_for(&self, cell: usize, x: f64, y: f64) -> usize {
        let c = &self.cells[cell];
        let mut k = 0;
        if x >= c.cx {
            k += 1;
        }
        if y >= c.cy {
            k += 2;
        }
        c.children + k
    }

    fn repulsion(&self, i: usize, x: f64, y: f64, m: f64, kr: f64, theta: f64) -> (f64, f64) {
        let (mut fx, mut fy) = (0.0, 0.0);
        let mut stack = std::mem::take(&mut *self.stack.borrow_mut());
        stack.clear();
        stack.push(0usize);
        while let Some(ci) = stack.pop() {
            let c = &self.cells[ci];
            if c.mass <= 0.0 || c.body == i {
                continue;
            }
            let dx = x - c.mx;
            let dy = y - c.my;
            let d2 = dx * dx + dy * dy;
            let leaf = c.children == 0;
            if leaf || (2.0 * c.half) * (2.0 * c.half) < theta * theta * d2 {
                // Bodies coincident with `i` (d = 0) exert no defined force; the
                // overlap pass separates them afterwards.
                if d2 > 1e-12 {
                    let f = kr * m * c.mass / d2;
                    fx += dx * f;
                    fy += dy * f;
                }
            } else {
                stack.extend(c.children..c.children + 4);
            }
        }
        *self.stack.borrow_mut() = stack;
        (fx, fy)
    }
}

impl Cell {
    fn new(cx: f64, cy: f64, half: f64) -> Cell {
        Cell { cx, cy, half, mass: 0.0, mx: 0.0, my: 0.0, body: usize::MAX, children: 0 }
    }
}

/// Rotates the layout so that its longest extent (first principal axis) is horizontal:
/// force layouts come out in an arbitrary orientation, and pages and slides are wider
/// than tall. A pure function of the positions, so the result stays deterministic.
fn align_principal_axis(xs: &mut [f64], ys: &mut [f64]) {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (&x, &y) in xs.iter().zip(ys.iter()) {
        let (dx, dy) = (x - mx, y - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if !(sxx + syy).is_finite() || sxx + syy <= 0.0 {
        return;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (sin, cos) = (-angle).sin_cos();
    for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
        let (dx, dy) = (*x - mx, *y - my);
        *x = dx * cos - dy * sin;
        *y = dx * sin + dy * cos;
    }
}

/// Scales and centres positions into `[MARGIN, EXTENT - MARGIN]²`, keeping the aspect
/// ratio; degenerate or non-finite input falls back to a circle.
fn fit(xs: &mut [f64], ys: &mut [f64]) {
    let n = xs.len();
    if xs.iter().chain(ys.iter()).any(|v| !v.is_finite()) {
        for i in 0..n {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            xs[i] = a.cos();
            ys[i] = a.sin();
        }
    }
    let (x0, x1) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let (y0, y1) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let span = (x1 - x0).max(y1 - y0);
    let inner = EXTENT - 2.0 * MARGIN;
    let scale = if span > 1e-9 { inner / span } else { 0.0 };
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    for i in 0..n {
        xs[i] = EXTENT / 2.0 + (xs[i] - mx) * scale;
        ys[i] = EXTENT / 2.0 + (ys[i] - my) * scale;
    }
}

/// Pushes apart nodes whose discs (plus a small gap) overlap, a few sweeps over a uniform
/// grid, then clamps into the square. Labels are placed later by the SVG renderer; this
/// only guarantees every disc is visible.
fn remove_overlaps(xs: &mut [f64], ys: &mut [f64], radii: &[f64]) {
    let n = xs.len();
    let gap = 3.0;
    let max_r = radii.iter().copied().fold(0.0, f64::max) + gap;
    let cell = (2.0 * max_r).max(1.0);
    let lo = MARGIN / 2.0;
    let hi = EXTENT - MARGIN / 2.0;
    for _ in 0..30 {
        let mut moved = false;
        let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for i in 0..n {
            grid.entry(((xs[i] / cell).floor() as i64, (ys[i] / cell).floor() as i64)).or_default().push(i);
        }
        for i in 0..n {
            let (gx, gy) = ((xs[i] / cell).floor() as i64, (ys[i] / cell).floor() as i64);
            for ox in -1..=1 {
                for oy in -1..=1 {
                    let Some(bucket) = grid.get(&(gx + ox, gy + oy)) else { continue };
                    for &j in bucket {
                        if j <= i {
                            continue;
                        }
                        let dx = xs[j] - xs[i];
                        let dy = ys[j] - ys[i];
                        let d = (dx * dx + dy * dy).sqrt();
                        let want = radii[i] + radii[j] + gap;
                        if d >= want {
                            continue;
                        }
                        // Coincident nodes separate along a direction fixed by their indices.
                        let (ux, uy) = if d > 1e-9 {
                            (dx / d, dy / d)
                        } else {
                            let a = (i * 7 + j * 13) as f64;
                            (a.cos(), a.sin())
                        };
                        let push = (want - d) / 2.0;
                        xs[i] -= ux * push;
                        ys[i] -= uy * push;
                        xs[j] += ux * push;
                        ys[j] += uy * push;
                        moved = true;
                    }
                }
            }
        }
        for i in 0..n {
            xs[i] = xs[i].clamp(lo, hi);
            ys[i] = ys[i].clamp(lo, hi);
        }
        if !moved {
            break;
        }
    }
}
