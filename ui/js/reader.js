// The reader: one document's passages in order, with its section outline, concept
// mentions coloured by type, footnotes in a list of their own, and the table of contents
// and front matter folded away. `#/reader/<doc>?p=<passage>` scrolls to a passage and
// flashes it, which is how a search hit or an evidence passage is read in context.

import { call } from './api.js';
import { h, $, clear, mentionNodes, loadingNode } from './dom.js';
import { t, kindLabel, TYPES, typeLabel } from './i18n.js';
import { navigate, openConcept, showError, errorNode, fillDocSelects } from './shell.js';

let current = { docId: null, doc: null, passageId: null };
let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  $('#r-doc').addEventListener('change', e => { if (e.target.value) navigate('reader', e.target.value); });
  $('#r-mentions').addEventListener('change', e => $('#r-body').classList.toggle('plain', !e.target.checked));
  renderLegend();
  window.addEventListener('langchange', () => { renderLegend(); if (current.doc) render(current.doc); });
}

function renderLegend() {
  const box = clear($('#r-legend'));
  box.append(h('span', { class: 'muted' }, t('reader.legend')));
  for (const ty of TYPES) box.append(h('span', { class: `mention t-${ty}` }, typeLabel(ty)));
}

export async function show(route) {
  wire();
  fillDocSelects().catch(() => { /* the status bar reports an unreachable library */ });
  const docId = route.arg;
  const pid = route.params.get('p');
  $('#r-doc').value = docId || '';
  if (!docId) {
    current = { docId: null, doc: null, passageId: null };
    clear($('#r-outline')); clear($('#r-notes'));
    $('#r-body').replaceChildren(h('p', { class: 'muted empty' }, t('reader.empty')));
    return;
  }
  if (docId !== current.docId || !current.doc) {
    current = { docId, doc: null, passageId: pid };
    clear($('#r-outline')); clear($('#r-notes'));
    $('#r-body').replaceChildren(loadingNode(t('reader.loading')));
    try {
      const doc = await call('document', { doc_id: docId });
      if (current.docId !== docId) return;
      current.doc = doc;
      render(doc);
    } catch (e) {
      if (current.docId !== docId) return;
      $('#r-body').replaceChildren(errorNode(e));
      showError(e);
      return;
    }
  }
  current.passageId = pid;
  if (pid) jumpTo(pid);
}

function passageEl(pid) {
  return $('#r-body').querySelector(`[data-pid="${CSS.escape(String(pid))}"]`)
    || $('#r-notes').querySelector(`[data-pid="${CSS.escape(String(pid))}"]`);
}

export function jumpTo(pid) {
  const el = passageEl(pid);
  if (!el) return;
  const fold = el.closest('details');
  if (fold) fold.open = true;
  el.scrollIntoView({ block: 'center' });
  el.classList.remove('flash');
  void el.offsetWidth; // restart the animation
  el.classList.add('flash');
}

function decorate(span, m) {
  span.title = `${m.term} · ${typeLabel(m.type)}`;
  span.tabIndex = 0;
  span.addEventListener('click', () => openConcept(m.term));
  span.addEventListener('keydown', e => { if (e.key === 'Enter') openConcept(m.term); });
}

function render(doc) {
  const body = clear($('#r-body'));
  const notes = clear($('#r-notes'));
  const outline = clear($('#r-outline'));

  const who = (doc.authors || []).join('、');
  body.append(h('header', { class: 'doc-head' },
    h('h1', null, doc.title || doc.doc_id),
    h('p', { class: 'doc-meta' }, [who, doc.year, doc.venue].filter(Boolean).join(' · ')),
    doc.citation ? h('p', { class: 'citation muted small' }, doc.citation) : null));

  let fold = null; // the open <details> for a run of toc/front matter
  let foldKind = null, foldCount = 0;
  const closeFold = () => {
    if (fold) fold.querySelector('summary').textContent = t('reader.collapsed', { label: kindLabel(foldKind), n: foldCount });
    fold = null; foldKind = null; foldCount = 0;
  };
  let lastPage = null;
  for (const p of doc.passages || []) {
    const kind = p.kind || 'body';
    if (kind === 'footnote') {
      notes.append(h('li', { class: 'note', dataset: { pid: p.passage_id } },
        p.marker && !String(p.text).trimStart().startsWith(p.marker) ? h('span', { class: 'marker' }, p.marker) : null,
        h('span', null, mentionNodes(p.text, p.mentions, decorate))));
      continue;
    }
    let target = body;
    if (kind === 'toc' || kind === 'front_matter') {
      if (!fold || foldKind !== kind) {
        closeFold();
        fold = h('details', { class: 'fold' }, h('summary'));
        foldKind = kind;
        body.append(fold);
      }
      foldCount += 1;
      target = fold;
    } else {
      closeFold();
    }
    if (p.page != null && p.page !== lastPage && kind !== 'heading') {
      lastPage = p.page;
      target.append(h('div', { class: 'page-mark', 'aria-hidden': 'true' }, t('reader.page', { p: p.page })));
    }
    if (kind === 'heading') {
      const level = Math.min(Math.max((p.section || []).length, 1), 4) + 1;
      target.append(h('h' + level, { class: 'passage heading', dataset: { pid: p.passage_id } }, p.text));
    } else {
      target.append(h('p', { class: `passage k-${kind}`, dataset: { pid: p.passage_id } },
        kind !== 'body' && kind !== 'toc' && kind !== 'front_matter' ? h('span', { class: 'kind-badge' }, kindLabel(kind)) : null,
        p.marker && kind !== 'body' && !String(p.text).trimStart().startsWith(p.marker) ? h('span', { class: 'marker' }, p.marker) : null,
        mentionNodes(p.text, p.mentions, decorate)));
    }
  }
  closeFold();

  if (!notes.children.length) notes.append(h('li', { class: 'muted' }, t('reader.nofootnotes')));
  for (const o of doc.outline || []) {
    const level = Math.min(Math.max(o.level || 1, 1), 4);
    outline.append(h('li', { class: `lvl-${level}` },
      h('a', { href: '#', onclick: e => { e.preventDefault(); jumpTo(o.passage_id); } }, o.title)));
  }
  if (!outline.children.length) outline.append(h('li', { class: 'muted' }, t('concept.none')));
  $('#r-body').classList.toggle('plain', !$('#r-mentions').checked);
  if (current.passageId) jumpTo(current.passageId);
}

