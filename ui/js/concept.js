// The concept panel: what the library knows about one term (type, aliases, English name,
// mentions, documents), its neighbours grouped by type with weights, and its passages.
// Clicking a neighbour lists the passages where both occur, the evidence of that link.

import { call } from './api.js';
import { h, $, clear, focusNodes, termNodes, loadingNode, fmtNum, fmtWeight } from './dom.js';
import { t, TYPES, typeLabel } from './i18n.js';
import { navigate, openConcept, closeConcept, showError, errorNode, typeBadge } from './shell.js';

let current = { term: null, data: null };
let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  $('#cp-close').addEventListener('click', () => closeConcept());
  window.addEventListener('langchange', () => { if (current.data) render(current.data); });
}

export function isOpen() { return !$('#concept-panel').hidden; }

export function hide() {
  $('#concept-panel').hidden = true;
  document.body.classList.remove('drawer-open');
}

export async function show(term) {
  wire();
  const panel = $('#concept-panel');
  panel.hidden = false;
  document.body.classList.add('drawer-open');
  if (term === current.term && current.data) return;
  current = { term, data: null };
  const body = $('#cp-body');
  body.replaceChildren(loadingNode(t('concept.loading')));
  try {
    const data = await call('concept', { term });
    if (current.term !== term) return;
    current.data = data;
    render(data);
  } catch (e) {
    if (current.term !== term) return;
    body.replaceChildren(h('h2', { class: 'cp-term' }, term), errorNode(e));
    if (e.code !== 'unknown_concept') showError(e);
  }
}

function passageHref(p) {
  return '#/reader/' + encodeURIComponent(p.doc_id) + '?p=' + encodeURIComponent(p.passage_id);
}

/** One evidence passage: its source and the text with the given terms highlighted. */
export function passageCard(p, terms) {
  const section = (p.section || []).filter(Boolean).join(' › ');
  return h('li', { class: 'evidence', dataset: { passage: p.passage_id } },
    h('div', { class: 'ev-head' },
      h('a', { href: passageHref(p), title: t('search.read') }, p.title || p.doc_id),
      p.year ? h('span', { class: 'muted' }, ' · ' + p.year) : null,
      section ? h('div', { class: 'ev-section' }, section) : null),
    h('p', { class: 'ev-text' }, focusNodes(p.text, p.mentions, terms)));
}

function render(d) {
  const body = clear($('#cp-body'));
  const allTerms = [d.term, ...(d.aliases || [])];
  // The English name has its own line; do not repeat it among the aliases.
  const aliases = (d.aliases || []).filter(a => a && a !== d.english);
  body.append(
    h('header', { class: 'cp-head' },
      h('h2', { id: 'cp-term', class: 'cp-term' }, d.term),
      h('div', { class: 'cp-sub' }, typeBadge(d.type),
        d.english ? h('span', { class: 'english' }, d.english) : null),
      h('dl', { class: 'cp-facts' },
        h('dt', null, t('concept.aliases')), h('dd', null, aliases.length ? aliases.join('、') : t('concept.none')),
        h('dt', null, t('concept.english')), h('dd', null, d.english || t('concept.none'))),
      h('p', { class: 'cp-counts' },
        t('concept.mentions', { n: fmtNum(d.mentions) }), ' · ',
        t('concept.docs', { n: fmtNum((d.documents || []).length) })),
      h('div', { class: 'cp-actions' },
        h('button', { type: 'button', class: 'primary', id: 'cp-onmap', onclick: () => navigate('map', '', { center: d.term }) }, t('concept.onmap')),
        h('button', { type: 'button', onclick: () => navigate('search', '', { q: d.term }) }, t('concept.search')))));

  // Neighbours, grouped by type, strongest first.
  const nb = (d.neighbors || []).slice().sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
  const nbBox = h('section', { class: 'cp-section' }, h('h3', null, t('concept.neighbors'), h('span', { class: 'muted' }, ` (${nb.length})`)),
    h('p', { class: 'muted small' }, t('concept.neighbors.hint')));
  const cooc = h('div', { id: 'cp-cooc', class: 'cp-cooc' });
  const maxW = Math.max(1e-9, ...nb.map(n => n.weight ?? 0));
  const groups = [...TYPES, ...new Set(nb.map(n => n.type).filter(ty => !TYPES.includes(ty)))];
  for (const ty of groups) {
    const items = nb.filter(n => n.type === ty);
    if (!items.length) continue;
    nbBox.append(h('div', { class: 'nb-group' },
      h('h4', null, typeBadge(ty), h('span', { class: 'muted' }, ` ${items.length}`)),
      h('ul', { class: 'nb-list' }, items.map(n => h('li', null,
        h('button', { type: 'button', class: 'nb', title: t('concept.count', { n: n.count ?? (n.passages || []).length }), onclick: e => showCooc(d, n, e.currentTarget, cooc) },
          h('span', { class: 'nb-term' }, n.term),
          h('span', { class: 'nb-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.round(100 * (n.weight ?? 0) / maxW)}%` })),
          h('span', { class: 'nb-w', title: t('concept.weight') }, fmtWeight(n.weight))),
        h('button', { type: 'button', class: 'nb-open ghost small', title: t('concept.open'), 'aria-label': t('concept.open'), onclick: () => openConcept(n.term) }, '→'))))));
  }
  if (!nb.length) nbBox.append(h('p', { class: 'muted' }, t('concept.none')));
  nbBox.append(cooc);
  body.append(nbBox);

  // Documents.
  const docs = d.documents || [];
  body.append(h('section', { class: 'cp-section' }, h('h3', null, t('concept.documents')),
    docs.length ? h('ul', { class: 'cp-docs' }, docs.map(doc => h('li', null,
      h('a', { href: '#/reader/' + encodeURIComponent(doc.doc_id) }, doc.title || doc.doc_id),
      h('span', { class: 'muted' }, ' · ' + fmtNum(doc.mentions))))) : h('p', { class: 'muted' }, t('concept.none'))));

  // Its passages.
  const ps = d.passages || [];
  body.append(h('section', { class: 'cp-section' }, h('h3', null, t('concept.passages'), h('span', { class: 'muted' }, ` (${ps.length})`)),
    h('ol', { class: 'evidence-list' }, ps.map(p => h('li', { class: 'evidence', dataset: { passage: p.passage_id } },
      h('div', { class: 'ev-head' },
        h('a', { href: passageHref(p) }, p.title || p.doc_id),
        (p.section || []).length ? h('div', { class: 'ev-section' }, p.section.join(' › ')) : null),
      h('p', { class: 'ev-text' }, termNodes(p.text, allTerms, 'focus')))))));
}

async function showCooc(d, n, btn, box) {
  for (const b of document.querySelectorAll('#cp-body .nb.active')) b.classList.remove('active');
  btn.classList.add('active');
  const ids = (n.passages || []).slice(0, 40);
  box.replaceChildren(h('h4', null, t('concept.cooc', { a: d.term, b: n.term, n: (n.passages || []).length })), loadingNode(t('map.edge.loading')));
  box.scrollIntoView({ block: 'nearest' });
  try {
    const res = ids.length ? await call('passages', { ids }) : { passages: [] };
    const terms = [d.term, n.term];
    box.querySelector('.loading')?.replaceWith(h('ol', { class: 'evidence-list' }, (res.passages || []).map(p => passageCard(p, terms))));
    box.scrollIntoView({ block: 'start', behavior: 'smooth' });
  } catch (e) {
    box.querySelector('.loading')?.replaceWith(errorNode(e));
    showError(e);
  }
}
