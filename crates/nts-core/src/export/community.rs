//! Community detection for the concept map: weighted multi-level Louvain (Blondel et al.
//! 2008). Hand-written (about a hundred lines) because petgraph has none and the crates
//! that do pull in far more than we need; the graph module calls [`communities`] when it
//! builds the map, and the map colours nodes by the result.
//!
//! Deterministic: nodes are visited in an order shuffled by a splitmix64 stream from the
//! caller's seed, ties keep the current community, and the final labels are renumbered by
//! community size (0 = largest, ties by the smallest member index), so equal input gives
//! equal output.

use super::layout::rng;

/// Resolution below which a move is not considered an improvement (guards float noise).
const EPS: f64 = 1e-12;

/// Louvain communities of an undirected weighted graph with `nodes` nodes. `edges` are
/// `(a, b, weight)`; out-of-range endpoints and non-positive or non-finite weights are
/// ignored, parallel edges add up. Returns one community label per node, `0` being the
/// largest community; isolated nodes are communities of their own.
pub fn communities(nodes: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<u32> {
    let mut graph = Level::new(nodes);
    for &(a, b, w) in edges {
        if a < nodes && b < nodes && w.is_finite() && w > 0.0 {
            graph.add(a, b, w);
        }
    }
    // `member[i]`: the current super-node of original node `i`.
    let mut member: Vec<usize> = (0..nodes).collect();
    let mut next = rng(seed);
    for _ in 0..32 {
        let (assignment, moved) = graph.one_level(&mut next);
        if !moved {
            break;
        }
        let (renumbered, count) = renumber(&assignment);
        for m in member.iter_mut() {
            *m = renumbered[*m];
        }
        graph = graph.aggregate(&renumbered, count);
    }
    relabel_by_size(&member)
}

/// One level of the hierarchy: adjacency without self-loops, plus each node's loop weight.
struct Level {
    adj: Vec<Vec<(usize, f64)>>,
    self_loop: Vec<f64>,
}

impl Level {
    fn new(n: usize) -> Level {
        Level { adj: vec![Vec::new(); n], self_loop: vec![0.0; n] }
    }

    fn add(&mut self, a: usize, b: usize, w: f64) {
        if a == b {
            self.self_loop[a] += w;
            return;
        }
        for (x, y) in [(a, b), (b, a)] {
            match self.adj[x].iter_mut().find(|(n, _)| *n == y) {
                Some(entry) => entry.1 += w,
                None => self.adj[x].push((y, w)),
            }
        }
    }

    /// Local moving: each node joins the neighbouring community with the best modularity
    /// gain until no node moves. Returns the community of each node and whether any moved.
    fn one_level(&self, next: &mut impl FnMut() -> u64) -> (Vec<usize>, bool) {
        let n = self.adj.len();
        let degree: Vec<f64> = (0..n)
            .map(|i| self.adj[i].iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * self.self_loop[i])
            .collect();
        let m2: f64 = degree.iter().sum();
        let mut comm: Vec<usize> = (0..n).collect();
        if m2 <= 0.0 {
            return (comm, false);
        }
        let mut tot = degree.clone();
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut link = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut any_move = false;
        for _pass in 0..100 {
            let mut moved = false;
            for &i in &order {
                let own = comm[i];
                touched.clear();
                touched.push(own);
                for &(j, w) in &self.adj[i] {
                    let c = comm[j];
                    if link[c] == 0.0 && !touched.contains(&c) {
                        touched.push(c);
                    }
                    link[c] += w;
                }
                tot[own] -= degree[i];
                let mut best = own;
                let mut best_gain = link[own] - tot[own] * degree[i] / m2;
                for &c in &touched {
                    let gain = link[c] - tot[c] * degree[i] / m2;
                    if gain > best_gain + EPS {
                        best = c;
                        best_gain = gain;
                    }
                }
                tot[best] += degree[i];
                comm[i] = best;
                if best != own {
                    moved = true;
                }
                for &c in &touched {
                    link[c] = 0.0;
                }
            }
            if !moved {
                break;
            }
            any_move = true;
        }
        (comm, any_move)
    }

    /// The graph of communities: one node per community, edge weights summed, internal
    /// weight kept as a self-loop.
    fn aggregate(&self, comm: &[usize], count: usize) -> Level {
        let mut next = Level::new(count);
        for (i, nbrs) in self.adj.iter().enumerate() {
            next.self_loop[comm[i]] += self.self_loop[i];
            for &(j, w) in nbrs {
                // Each undirected edge appears twice in `adj`; take it once.
                if i < j {
                    next.add(comm[i], comm[j], w);
                }
            }
        }
        next
    }
}

/// Maps arbitrary community ids to `0..count` in order of first appearance.
fn renumber(assignment: &[usize]) -> (Vec<usize>, usize) {
    let mut map = vec![usize::MAX; assignment.len()];
    let mut count = 0;
    let out = assignment
        .iter()
        .map(|&c| {
            if map[c] == usize::MAX {
                map[c] = count;
                count += 1;
            }
            map[c]
        })
        .collect();
    (out, count)
}

/// Final labels: 0 for the largest community, ties broken by the smallest member index.
fn relabel_by_size(member: &[usize]) -> Vec<u32> {
    let groups = member.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; groups];
    let mut first = vec![usize::MAX; groups];
    for (i, &c) in member.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(i);
    }
    let mut ids: Vec<usize> = (0..groups).filter(|&c| size[c] > 0).collect();
    ids.sort_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
    let mut label = vec![0u32; groups];
    for (rank, &c) in ids.iter().enumerate() {
        label[c] = rank as u32;
    }
    member.iter().map(|&c| label[c]).collect()
}
