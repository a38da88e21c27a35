// The search view: a query box with its syntax help, filters, and the passages found,
// each with a highlighted snippet, its document and section path. With no query it shows
// the library's documents and most frequent concepts as starting points.

import { call } from './api.js';
import { h, $, $$, clear, snippetNodes, loadingNode, fmtNum } from './dom.js';
import { t, typeLabel, kindLabel, TYPES } from './i18n.js';
import { navigate, openConcept, showError, errorNode, documents, topConcepts, fillTypeSelect, typeBadge, yearOf } from './shell.js';

const PAGE = 20;
let state = { key: null, query: '', hits: [], total: 0, loading: false };
let wired = false;

function filtersFromParams(params) {
  return {
    q: params.get('q') || '',
    type: params.get('type') || '',
    doc: params.get('doc') || '',
    yf: params.get('yf') || '',
    yt: params.get('yt') || '',
  };
}

function currentForm() {
  return {
    q: $('#q').value.trim(),
    type: $('#f-type').value,
    doc: $('#f-doc').value,
    yf: $('#f-year-from').value,
    yt: $('#f-year-to').value,
  };
}

function submit() {
  const f = currentForm();
  const r = { q: f.q, type: f.type, doc: f.doc, yf: f.yf, yt: f.yt };
  navigate('search', '', r);
}

function wire() {
  if (wired) return;
  wired = true;
  fillTypeSelect($('#f-type'));
  $('#search-form').addEventListener('submit', e => { e.preventDefault(); submit(); });
  for (const id of ['#f-type', '#f-doc']) $(id).addEventListener('change', () => { if ($('#q').value.trim()) submit(); });
  for (const id of ['#f-year-from', '#f-year-to']) $(id).addEventListener('change', () => { if ($('#q').value.trim()) submit(); });
  $('#f-clear').addEventListener('click', () => {
    $('#f-type').value = ''; $('#f-doc').value = ''; $('#f-year-from').value = ''; $('#f-year-to').value = '';
    submit();
  });
  $('#search-more').addEventListener('click', () => loadMore());
  for (const code of $$('#syntax-help code.ex')) {
    code.tabIndex = 0;
    code.addEventListener('click', () => { $('#q').value = code.textContent; $('#q').focus(); });
  }
  window.addEventListener('langchange', () => { fillTypeSelect($('#f-type')); rerender(); });
}

export function focusSearch() {
  const q = $('#q');
  q.focus();
  q.select();
}

export async function show(route) {
  wire();
  const f = filtersFromParams(route.params);
  $('#q').value = f.q;
  $('#f-type').value = f.type;
  $('#f-doc').value = f.doc;
  $('#f-year-from').value = f.yf;
  $('#f-year-to').value = f.yt;
  const key = JSON.stringify(f);
  if (key === state.key) return;
  state = { key, f, query: f.q, hits: [], total: 0, loading: false };
  if (!f.q) {
    clear($('#search-results'));
    clear($('#search-summary'));
    $('#search-more').hidden = true;
    renderHome();
    return;
  }
  clear($('#search-home'));
  await runSearch(0);
}

/** Forget the last search so the next show() runs it again (e.g. after the library changed). */
export function invalidate() { state.key = null; }

function argsFor(f, offset) {
  const args = { query: f.q, limit: PAGE, offset };
  if (f.doc) args.doc_id = f.doc;
  if (f.type) args.concept_type = f.type;
  const yf = yearOf(f.yf), yt = yearOf(f.yt);
  if (yf != null) args.year_from = yf;
  if (yt != null) args.year_to = yt;
  return args;
}

async function runSearch(offset) {
  const key = state.key;
  const list = $('#search-results');
  const summary = $('#search-summary');
  state.loading = true;
  $('#search-more').hidden = true;
  if (offset === 0) { clear(list); summary.replaceChildren(loadingNode(t('search.loading'))); }
  else $('#search-more').after(loadingNode(t('search.loading')));
  try {
    const res = await call('search', argsFor(state.f, offset));
    if (key !== state.key) return; // a newer search replaced this one
    state.total = res.total ?? 0;
    state.hits = state.hits.concat(res.hits || []);
    for (const hit of res.hits || []) list.append(hitNode(hit));
    renderSummary();
  } catch (e) {
    if (key !== state.key) return;
    summary.replaceChildren(errorNode(e));
    showError(e);
  } finally {
    state.loading = false;
    for (const el of $$('.search-wrap > .loading')) el.remove();
  }
}

function loadMore() {
  if (state.loading || state.hits.length >= state.total) return;
  runSearch(state.hits.length);
}

function renderSummary() {
  const summary = $('#search-summary');
  if (!state.total) {
    summary.replaceChildren(h('p', { class: 'none' }, t('search.none', { q: state.query })));
  } else {
    summary.replaceChildren(h('span', { class: 'count' }, t('search.count', { total: fmtNum(state.total), shown: fmtNum(state.hits.length) })));
  }
  $('#search-more').hidden = state.hits.length >= state.total;
}

function rerender() {
  if (!state.query) { renderHome(); return; }
  const list = clear($('#search-results'));
  for (const hit of state.hits) list.append(hitNode(hit));
  renderSummary();
}

function readHref(hit) {
  return '#/reader/' + encodeURIComponent(hit.doc_id) + '?p=' + encodeURIComponent(hit.passage_id);
}

function hitNode(hit) {
  const section = (hit.section || []).filter(Boolean);
  const meta = [
    (hit.authors || []).join('、'),
    hit.year ? String(hit.year) : '',
  ].filter(Boolean).join(' · ');
  return h('li', { class: 'hit', dataset: { passage: hit.passage_id, doc: hit.doc_id } },
    h('div', { class: 'hit-head' },
      h('a', { class: 'hit-title', href: readHref(hit) }, hit.title || hit.doc_id),
      meta ? h('span', { class: 'hit-meta' }, meta) : null,
      hit.kind && hit.kind !== 'body' ? h('span', { class: 'kind-badge' }, kindLabel(hit.kind)) : null),
    section.length ? h('div', { class: 'hit-section' }, section.join(' › ')) : null,
    h('p', { class: 'snippet' }, snippetNodes(hit.snippet ?? hit.text ?? '')),
    h('div', { class: 'hit-actions' },
      h('a', { class: 'button small', href: readHref(hit) }, t('search.read'))));
}

async function renderHome() {
  const home = clear($('#search-home'));
  home.append(h('p', { class: 'muted hint' }, t('home.hint')));
  const docsBox = h('section', { class: 'home-block' }, h('h2', null, t('home.docs')), loadingNode(t('status.loading')));
  const conBox = h('section', { class: 'home-block' }, h('h2', null, t('home.concepts')), loadingNode(t('status.loading')));
  home.append(conBox, docsBox);
  documents().then(docs => {
    const ul = h('ul', { class: 'doc-list' });
    for (const d of docs) {
      ul.append(h('li', null,
        h('a', { href: '#/reader/' + encodeURIComponent(d.doc_id) }, d.title || d.doc_id),
        h('span', { class: 'muted' }, ' ', [(d.authors || []).join('、'), d.year, d.venue].filter(Boolean).join(' · '),
          d.passages != null ? ' · ' + t('doc.passages', { n: fmtNum(d.passages) }) : '')));
    }
    docsBox.querySelector('.loading')?.replaceWith(ul);
  }).catch(e => docsBox.querySelector('.loading')?.replaceWith(errorNode(e)));
  topConcepts().then(list => {
    const wrap = h('div', { class: 'concept-groups' });
    for (const ty of TYPES) {
      const items = list.filter(c => c.type === ty).slice(0, 14);
      if (!items.length) continue;
      wrap.append(h('div', { class: 'concept-group' },
        h('h3', null, typeBadge(ty)),
        h('div', { class: 'chips' }, items.map(c =>
          h('button', { type: 'button', class: `chip t-${ty}`, title: `${c.term} · ${typeLabel(c.type)} · ${c.mentions}`, onclick: () => openConcept(c.term) },
            c.term, h('span', { class: 'chip-n' }, fmtNum(c.mentions)))))));
    }
    conBox.querySelector('.loading')?.replaceWith(wrap);
  }).catch(e => conBox.querySelector('.loading')?.replaceWith(errorNode(e)));
}
