// The concept map: the engine's `map` graph drawn with cytoscape at the engine's own
// positions (a preset layout, so the map looks the same every time it is opened), with
// filters that go back to the engine, evidence passages behind every edge, a path finder,
// and exports. Node shape = concept type, colour = community (or type), size = weight
// (the engine puts mentions there).

import { call } from './api.js';
import { h, $, $$, clear, loadingNode, fmtNum, fmtWeight, debounce } from './dom.js';
import { t, TYPES, typeLabel, relLabel } from './i18n.js';
import { navigate, openConcept, showError, errorNode, fillDocSelects, fillConceptList, yearOf } from './shell.js';
import { passageCard } from './concept.js';
import { exportMap } from './export.js';

const FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
// The same shapes as the engine's SVG/PNG export, so the screen and the paper agree.
export const SHAPES = { actor: 'ellipse', threat: 'triangle', mechanism: 'rectangle', concept: 'diamond', region: 'hexagon', other: 'ellipse' };
export const TYPE_COLORS = { actor: '#3b6ea5', threat: '#b8433a', mechanism: '#2f8059', concept: '#7d4f9e', region: '#c07a1a', other: '#7a7a7a' };
// Community colours: the Okabe–Ito palette (colour-blind safe), in the order the engine's
// export uses, then a few muted extras.
const COMMUNITY_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#6b6b6b', '#8c6d31', '#7f9fbf', '#b5a26b', '#9c7fb0'];

let cy = null;
let data = null;      // the last `map` answer
let lastArgs = null;  // the `map` args of the shown graph (exports reuse them)
let lastKey = null;
let weightMax = 0;
let colorMode = 'community';
let wired = false;

export function getCy() { return cy; }
export function currentArgs() { return lastArgs; }

function wire() {
  if (wired) return;
  wired = true;
  const types = clear($('#m-types'));
  for (const ty of TYPES) {
    types.append(h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: ty, checked: true }),
      legendShape(ty, TYPE_COLORS[ty]), ' ', h('span', { dataset: { type: ty } }, typeLabel(ty))));
  }
  $('#map-form').addEventListener('submit', e => { e.preventDefault(); applyForm(); });
  const auto = debounce(applyForm, 350);
  for (const el of $$('#m-types input, #m-depth, #m-doc')) el.addEventListener('change', auto);
  $('#m-minw').addEventListener('input', () => { $('#m-minw-out').textContent = fmtWeight(Number($('#m-minw').value)); });
  $('#m-minw').addEventListener('change', auto);
  for (const el of $$('input[name="m-color"]')) el.addEventListener('change', () => { colorMode = el.value; recolor(); renderLegend(); });
  $('#m-fit').addEventListener('click', () => cy && cy.fit(undefined, 30));
  $('#m-relayout').addEventListener('click', relayout);
  $('#m-reset').addEventListener('click', resetLayout);
  $('#m-path-go').addEventListener('click', findPath);
  $('#m-detail-close').addEventListener('click', hideDetail);
  $('#x-go').addEventListener('click', async () => {
    const out = $('#x-result');
    out.textContent = t('export.working');
    const name = await exportMap($('#x-format').value, cy, lastArgs || {});
    out.textContent = name ? t('export.done', { name }) : '';
  });
  window.addEventListener('langchange', () => {
    for (const s of $$('#m-types span[data-type]')) s.textContent = typeLabel(s.dataset.type);
    renderLegend(); renderCounts();
  });
}

function paramsFromForm() {
  const checked = $$('#m-types input:checked').map(i => i.value);
  const minw = Number($('#m-minw').value) || 0;
  return {
    center: $('#m-center').value.trim(),
    depth: $('#m-depth').value === '2' ? '2' : '',
    top: $('#m-top').value && $('#m-top').value !== '60' ? $('#m-top').value : '',
    types: checked.length === TYPES.length ? '' : (checked.join(',') || 'none'),
    minw: minw > 0 ? String(minw) : '',
    yf: $('#m-year-from').value, yt: $('#m-year-to').value,
    doc: $('#m-doc').value,
  };
}

function applyForm() { navigate('map', '', paramsFromForm()); }

function formFromParams(p) {
  $('#m-center').value = p.get('center') || '';
  $('#m-depth').value = p.get('depth') === '2' ? '2' : '1';
  $('#m-top').value = p.get('top') || '60';
  const types = p.get('types');
  const on = types ? new Set(types.split(',')) : new Set(TYPES);
  for (const i of $$('#m-types input')) i.checked = on.has(i.value);
  const minw = Number(p.get('minw')) || 0;
  if (minw > Number($('#m-minw').max)) $('#m-minw').max = String(minw);
  $('#m-minw').value = String(minw);
  $('#m-minw-out').textContent = fmtWeight(minw);
  $('#m-year-from').value = p.get('yf') || '';
  $('#m-year-to').value = p.get('yt') || '';
  $('#m-doc').value = p.get('doc') || '';
}

function argsFromParams(p) {
  const args = { depth: p.get('depth') === '2' ? 2 : 1, top: Math.max(5, Math.min(500, parseInt(p.get('top') || '60', 10) || 60)) };
  if (p.get('center')) args.center = p.get('center');
  if (p.get('types')) args.types = p.get('types').split(',').filter(ty => TYPES.includes(ty));
  const minw = Number(p.get('minw'));
  if (minw > 0) args.min_weight = minw;
  const yf = yearOf(p.get('yf')), yt = yearOf(p.get('yt'));
  if (yf != null) args.year_from = yf;
  if (yt != null) args.year_to = yt;
  if (p.get('doc')) args.doc_id = p.get('doc');
  return args;
}

export async function show(route) {
  wire();
  fillDocSelects().then(() => { $('#m-doc').value = route.params.get('doc') || ''; }).catch(() => {});
  fillConceptList().catch(() => {});
  formFromParams(route.params);
  ensureCy();
  cy.resize();
  const args = argsFromParams(route.params);
  const key = JSON.stringify(args);
  if (key === lastKey && data) return;
  lastKey = key;
  await load(args, key);
}

/** Forget the shown graph so the next show() loads it again. */
export function invalidate() { lastKey = null; }

function ensureCy() {
  if (cy) return;
  if (typeof window.cytoscape !== 'function') {
    showError({ code: 'internal', message: 'vendor/cytoscape.min.js did not load' });
    return;
  }
  cy = window.cytoscape({
    container: $('#cy'),
    elements: [],
    minZoom: 0.05,
    maxZoom: 6,
    boxSelectionEnabled: false,
    style: [
      { selector: 'node', style: {
        'shape': 'data(shape)', 'background-color': 'data(color)', 'width': 'data(size)', 'height': 'data(size)',
        'label': 'data(term)', 'font-family': FONT, 'font-size': 'data(font)', 'color': '#1d1d1d',
        'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 4,
        'text-outline-color': '#ffffff', 'text-outline-width': 2.5, 'text-outline-opacity': 0.9,
        'border-width': 1.5, 'border-color': '#ffffff', 'z-index': 10 } },
      { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#1d1d1d', 'font-weight': 'bold' } },
      { selector: 'edge', style: {
        'width': 'data(w)', 'line-color': '#a9a393', 'opacity': 0.55, 'curve-style': 'bezier', 'z-index': 1 } },
      { selector: 'edge.typed', style: { 'line-style': 'dashed', 'line-color': '#6f6552', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#6f6552', 'arrow-scale': 0.8 } },
      { selector: 'edge:selected', style: { 'line-color': '#1f4e79', 'opacity': 1, 'target-arrow-color': '#1f4e79' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f4e79' } },
      { selector: '.faded', style: { 'opacity': 0.12, 'text-opacity': 0.2 } },
      { selector: 'node.path', style: { 'border-width': 5, 'border-color': '#d1495b', 'opacity': 1, 'text-opacity': 1 } },
      { selector: 'edge.path', style: { 'line-color': '#d1495b', 'width': 7, 'opacity': 1, 'z-index': 20 } },
    ],
  });
  cy.on('tap', 'node', e => { openConcept(e.target.data('term')); });
  cy.on('tap', 'edge', e => { showEdge(e.target); });
  cy.on('mouseover', 'node', e => {
    if (cy.$('.path').length) return;
    const n = e.target;
    cy.elements().not(n.closedNeighborhood()).addClass('faded');
  });
  cy.on('mouseout', 'node', () => cy.elements().removeClass('faded'));
  // Tests and curious scholars can reach the graph from the console.
  window.__ntsAtlas = Object.assign(window.__ntsAtlas || {}, { cy: () => cy, map: () => data });
}

function overlay(node) {
  const o = $('#m-overlay');
  if (!node) { o.hidden = true; clear(o); return; }
  o.replaceChildren(node);
  o.hidden = false;
}

async function load(args, key) {
  if (!cy) return;
  if (args.types && !args.types.length) { // every type unchecked: nothing to ask for
    data = null; lastArgs = args;
    cy.elements().remove(); renderCounts();
    overlay(h('p', { class: 'muted' }, t('map.empty')));
    return;
  }
  overlay(loadingNode(t('map.loading')));
  try {
    const res = await call('map', args);
    if (key !== lastKey) return;
    data = res;
    lastArgs = args;
    draw();
    overlay((res.nodes || []).length ? null : h('p', { class: 'muted' }, t('map.empty')));
  } catch (e) {
    if (key !== lastKey) return;
    data = null;
    cy.elements().remove();
    renderCounts();
    overlay(errorNode(e));
    showError(e);
  }
}

function scaleFor(nodes) {
  const pts = nodes.filter(n => Number.isFinite(n.x) && Number.isFinite(n.y));
  if (pts.length < nodes.length || !pts.length) return null;
  const xs = pts.map(n => n.x), ys = pts.map(n => n.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const w = Math.max(maxX - minX, 1e-9), hgt = Math.max(maxY - minY, 1e-9);
  const target = 260 + 110 * Math.sqrt(nodes.length);
  const s = target / Math.max(w, hgt);
  return n => ({ x: (n.x - (minX + maxX) / 2) * s, y: (n.y - (minY + maxY) / 2) * s });
}

function communityColor(c) {
  const list = (data && data.communities) || [];
  let i = list.findIndex(x => x.id === c);
  if (i < 0) i = typeof c === 'number' ? c : [...String(c ?? '')].reduce((a, ch) => a + ch.charCodeAt(0), 0);
  return COMMUNITY_COLORS[Math.abs(i) % COMMUNITY_COLORS.length];
}

function nodeColor(n) {
  return colorMode === 'type' ? (TYPE_COLORS[n.type] || TYPE_COLORS.other) : communityColor(n.community);
}

function draw() {
  const nodes = data.nodes || [];
  const edges = data.edges || [];
  const pos = scaleFor(nodes);
  const nMax = Math.max(1e-9, ...nodes.map(n => n.weight ?? n.mentions ?? 1));
  const eMax = Math.max(1e-9, ...edges.map(e => e.weight ?? 1));
  weightMax = Math.max(weightMax, args0MinWeight() ? 0 : eMax);
  updateSlider(eMax);
  const center = lastArgs && lastArgs.center;
  const ids = new Set(nodes.map(n => String(n.id)));
  const els = [];
  for (const n of nodes) {
    const r = Math.sqrt(Math.max(0, n.weight ?? n.mentions ?? 1) / nMax);
    const size = 16 + 48 * r;
    els.push({
      group: 'nodes',
      data: { id: String(n.id), term: n.term, type: n.type, weight: n.weight, mentions: n.mentions, community: n.community,
        shape: SHAPES[n.type] || SHAPES.other, color: nodeColor(n), size, font: Math.round(11 + 6 * r) },
      position: pos ? pos(n) : undefined,
      classes: center && (n.term === center || String(n.id) === String(center)) ? 'center' : '',
    });
  }
  for (const e of edges) {
    if (!ids.has(String(e.source)) || !ids.has(String(e.target))) continue;
    els.push({
      group: 'edges',
      data: { id: 'e:' + String(e.id ?? `${e.source}-${e.target}`), source: String(e.source), target: String(e.target),
        weight: e.weight, count: e.count, kind: e.kind, passages: e.passages || [], w: 1 + 6 * Math.sqrt((e.weight ?? 1) / eMax) },
      classes: e.kind && e.kind !== 'cooccurrence' ? 'typed' : '',
    });
  }
  cy.batch(() => { cy.elements().remove(); cy.add(els); });
  if (pos) cy.layout({ name: 'preset', fit: false }).run();
  else cy.layout({ name: 'cose', animate: false, randomize: false }).run();
  cy.fit(undefined, 30);
  hideDetail();
  renderCounts();
  renderLegend();
}

function args0MinWeight() { return lastArgs && lastArgs.min_weight; }

function updateSlider(eMax) {
  const slider = $('#m-minw');
  const max = Math.max(Number(slider.max) || 0, weightMax, eMax);
  const nice = max > 20 ? Math.ceil(max) : Math.ceil(max * 10) / 10;
  if (nice > 0 && nice !== Number(slider.max)) {
    slider.max = String(nice);
    slider.step = String(nice > 20 ? 1 : nice > 2 ? 0.1 : 0.01);
  }
}

function recolor() {
  if (!cy || !data) return;
  const byId = new Map((data.nodes || []).map(n => [String(n.id), n]));
  cy.batch(() => cy.nodes().forEach(el => { const n = byId.get(el.id()); if (n) el.data('color', nodeColor(n)); }));
}

function renderCounts() {
  const box = $('#m-counts');
  if (!data) { box.textContent = ''; return; }
  const n = data.shown_nodes ?? (data.nodes || []).length;
  const k = data.shown_edges ?? (data.edges || []).length;
  box.textContent = t('map.counts', { n: fmtNum(n), N: fmtNum(data.total_nodes ?? n), k: fmtNum(k), K: fmtNum(data.total_edges ?? k) });
}

/** A small SVG of the node shape used for a type (built with DOM calls, no markup strings). */
function legendShape(type, color) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', '14'); svg.setAttribute('height', '14'); svg.setAttribute('viewBox', '0 0 14 14');
  svg.setAttribute('class', 'shape'); svg.setAttribute('aria-hidden', 'true');
  let el;
  const shape = SHAPES[type] || 'ellipse';
  if (shape === 'ellipse') { el = document.createElementNS(NS, 'circle'); el.setAttribute('cx', '7'); el.setAttribute('cy', '7'); el.setAttribute('r', '6'); }
  else if (shape === 'rectangle') { el = document.createElementNS(NS, 'rect'); el.setAttribute('x', '1.5'); el.setAttribute('y', '1.5'); el.setAttribute('width', '11'); el.setAttribute('height', '11'); }
  else {
    const pts = { diamond: '7,0.5 13.5,7 7,13.5 0.5,7', hexagon: '3.5,1 10.5,1 13.5,7 10.5,13 3.5,13 0.5,7', triangle: '7,1 13.5,13 0.5,13' }[shape];
    el = document.createElementNS(NS, 'polygon'); el.setAttribute('points', pts);
  }
  el.setAttribute('fill', color);
  svg.append(el);
  return svg;
}

function renderLegend() {
  const box = clear($('#m-legend'));
  box.append(h('span', { class: 'legend-title' }, t('map.legend.shape')));
  for (const ty of TYPES) box.append(h('span', { class: 'legend-item' }, legendShape(ty, colorMode === 'type' ? TYPE_COLORS[ty] : '#8a8a8a'), typeLabel(ty)));
  if (colorMode === 'community' && data && (data.communities || []).length) {
    box.append(h('span', { class: 'legend-title' }, t('map.legend.color')));
    for (const c of data.communities.slice(0, 8)) {
      box.append(h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${communityColor(c.id)}` }), c.label ?? String(c.id)));
    }
  } else if (colorMode === 'type') {
    box.append(h('span', { class: 'legend-title' }, t('map.legend.colorType')));
  }
  box.append(h('span', { class: 'legend-title' }, t('map.legend.size')));
}

function relayout() {
  if (!cy || !cy.nodes().length) return;
  cy.layout({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90, padding: 30 }).run();
  cy.fit(undefined, 30);
}

function resetLayout() {
  if (!cy || !data) return;
  const pos = scaleFor(data.nodes || []);
  if (!pos) return;
  const byId = new Map((data.nodes || []).map(n => [String(n.id), n]));
  cy.nodes().forEach(el => { const n = byId.get(el.id()); if (n) el.position(pos(n)); });
  cy.fit(undefined, 30);
}

// ---- the detail panel: evidence of an edge, or a path ---------------------------------

function showDetail(...children) {
  $('#m-detail-body').replaceChildren(...children.flat());
  const opening = $('#m-detail').hidden;
  $('#m-detail').hidden = false;
  // The panel takes width from the map: keep the whole graph in view when it first opens.
  if (cy) { cy.resize(); if (opening) cy.fit(undefined, 30); }
}

export function hideDetail() {
  const d = $('#m-detail');
  if (d.hidden) return false;
  d.hidden = true;
  clear($('#m-detail-body'));
  cy && cy.resize();
  return true;
}

async function showEdge(edge) {
  const a = edge.source().data('term'), b = edge.target().data('term');
  const ids = edge.data('passages') || [];
  const shown = ids.slice(0, 30);
  const list = h('ol', { class: 'evidence-list', id: 'm-evidence' });
  const status = loadingNode(t('map.edge.loading'));
  showDetail(
    h('h3', { class: 'detail-title' }, t('map.edge.title', { a, b })),
    h('p', { class: 'muted small' }, t('map.edge.meta', { kind: relLabel(edge.data('kind') || 'cooccurrence'), w: fmtWeight(edge.data('weight')), n: ids.length })),
    status, list);
  try {
    const res = shown.length ? await call('passages', { ids: shown }) : { passages: [] };
    status.remove();
    for (const p of res.passages || []) list.append(passageCard(p, [a, b]));
    if (ids.length > shown.length) list.after(h('p', { class: 'muted small' }, t('map.edge.more', { n: ids.length - shown.length })));
  } catch (e) {
    status.replaceWith(errorNode(e));
    showError(e);
  }
}

function nodeByTerm(term) {
  if (!cy) return null;
  const hit = cy.nodes().filter(n => n.data('term') === term || n.id() === String(term));
  return hit.length ? hit[0] : null;
}

async function findPath() {
  const from = $('#m-from').value.trim(), to = $('#m-to').value.trim();
  if (!from || !to || !cy) return;
  cy.elements().removeClass('path faded');
  cy.remove('.temp');
  const status = loadingNode(t('status.loading'));
  showDetail(h('h3', { class: 'detail-title' }, `${from} → ${to}`), status);
  let res;
  try {
    res = await call('path', { from, to });
  } catch (e) {
    status.replaceWith(errorNode(e));
    if (e.code !== 'no_path' && e.code !== 'unknown_concept') showError(e);
    return;
  }
  const hops = res.path || [];
  // Highlight the hops, adding the nodes and edges the current view does not show.
  const path = cy.collection();
  hops.forEach((hop, i) => {
    let a = nodeByTerm(hop.from), b = nodeByTerm(hop.to);
    for (const [term, which] of [[hop.from, 'a'], [hop.to, 'b']]) {
      if ((which === 'a' ? a : b)) continue;
      const other = which === 'a' ? b : a;
      const p = other ? other.position() : { x: 0, y: 0 };
      const added = cy.add({ group: 'nodes', data: { id: 'tmp:' + term, term, type: 'other', shape: 'ellipse', color: '#d1495b', size: 18, font: 12 },
        position: { x: p.x + 60 + 20 * i, y: p.y + 60 }, classes: 'temp' });
      if (which === 'a') a = added; else b = added;
    }
    let e = a.edgesWith(b);
    if (!e.length) e = cy.add({ group: 'edges', data: { id: `tmp:${hop.from}-${hop.to}`, source: a.id(), target: b.id(), w: 3, weight: hop.weight, passages: hop.passages || [] }, classes: 'temp' });
    path.merge(a).merge(b).merge(e);
  });
  path.addClass('path');
  cy.elements().not(path).addClass('faded');
  if (path.length) {
    cy.resize();
    cy.fit(path, 80);
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(path); }
  }

  const body = [h('h3', { class: 'detail-title' }, t('map.path.title', { a: from, b: to, n: hops.length })),
    h('button', { type: 'button', class: 'small', onclick: clearPath }, t('map.path.clear'))];
  const ids = [...new Set(hops.flatMap(hop => (hop.passages || []).slice(0, 4)))];
  let byId = new Map();
  try {
    const ps = ids.length ? await call('passages', { ids }) : { passages: [] };
    byId = new Map((ps.passages || []).map(p => [p.passage_id, p]));
  } catch (e) {
    body.push(errorNode(e));
  }
  hops.forEach((hop, i) => {
    body.push(h('h4', { class: 'hop' }, t('map.path.hop', { i: i + 1, a: hop.from, b: hop.to, n: (hop.passages || []).length })));
    body.push(h('ol', { class: 'evidence-list' }, (hop.passages || []).slice(0, 4).map(id => byId.get(id)).filter(Boolean).map(p => passageCard(p, [hop.from, hop.to]))));
  });
  showDetail(body);
}

function clearPath() {
  if (!cy) return;
  cy.remove('.temp');
  cy.elements().removeClass('path faded');
  hideDetail();
}

export function onReady() { invalidate(); }
