// What the views share: the route in location.hash, the error box, the cached document
// list and the concept list behind the inputs' autocompletion. Kept apart from app.js so
// the views can import it without importing each other.

import { call } from './api.js';
import { h, $, clear } from './dom.js';
import { t, errorText, TYPES, typeLabel } from './i18n.js';

// ---- routing: #/<view>/<arg>?key=value ------------------------------------------------

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const parts = path.split('/').filter(Boolean).map(p => { try { return decodeURIComponent(p); } catch { return p; } });
  return { view: parts[0] || 'search', arg: parts[1] || '', params };
}

export function hashFor(view, arg, params) {
  let s = '#/' + view;
  if (arg) s += '/' + encodeURIComponent(arg);
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') p.set(k, String(v));
  const qs = p.toString();
  return qs ? s + '?' + qs : s;
}

export function navigate(view, arg, params) {
  const next = hashFor(view, arg, params);
  if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = next;
}

/** Opens the concept panel over the current view (the term goes into the `c` parameter). */
export function openConcept(term) {
  const r = parseHash();
  const params = Object.fromEntries(r.params);
  params.c = term;
  navigate(r.view, r.arg, params);
}

export function closeConcept() {
  const r = parseHash();
  if (!r.params.has('c')) return false;
  const params = Object.fromEntries(r.params);
  delete params.c;
  navigate(r.view, r.arg, params);
  return true;
}

// ---- the error box ------------------------------------------------------------------

export function showError(err) {
  const e = err && typeof err === 'object' ? err : { code: 'internal', message: String(err) };
  console.warn('NTS Atlas error', e);
  $('#err-text').textContent = errorText(e.code);
  const detail = [e.code ? `[${e.code}]` : '', e.message || ''].filter(Boolean).join(' ');
  $('#err-detail').textContent = detail;
  $('#err-detail-wrap').hidden = !detail;
  $('#err-detail-wrap').open = e.code === 'internal' || !errorText(e.code);
  $('#error-box').hidden = false;
  $('#err-close').focus();
}

export function closeError() {
  const box = $('#error-box');
  if (box.hidden) return false;
  box.hidden = true;
  return true;
}

/** An inline error inside a region (for a panel that failed to load). */
export function errorNode(err) {
  return h('div', { class: 'inline-error', role: 'alert' },
    h('strong', null, errorText(err && err.code)), ' ',
    h('span', { class: 'muted' }, err && err.message ? err.message : ''));
}

// ---- shared data ----------------------------------------------------------------------

let docsPromise = null;
export function documents(refresh = false) {
  if (!docsPromise || refresh) {
    docsPromise = call('documents').then(r => r.documents || []).catch(e => { docsPromise = null; throw e; });
  }
  return docsPromise;
}

export function docLabel(d) {
  const who = (d.authors || []).join('、');
  return [d.title || d.doc_id, who, d.year].filter(Boolean).join(' · ');
}

/** Fills every document <select> (class doc-select) from the library. */
export async function fillDocSelects(refresh = false) {
  const docs = await documents(refresh);
  for (const sel of document.querySelectorAll('select.doc-select')) {
    const keep = sel.value;
    clear(sel);
    sel.append(h('option', { value: '' }, sel.id === 'r-doc' ? t('reader.choose') : t('filter.doc.all')));
    for (const d of docs) sel.append(h('option', { value: d.doc_id }, docLabel(d)));
    sel.value = keep;
  }
  return docs;
}

export function fillTypeSelect(sel) {
  const keep = sel.value;
  clear(sel);
  sel.append(h('option', { value: '' }, t('type.all')));
  for (const ty of TYPES) sel.append(h('option', { value: ty }, typeLabel(ty)));
  sel.value = keep;
}

let conceptsPromise = null;
export function topConcepts(refresh = false) {
  if (!conceptsPromise || refresh) {
    conceptsPromise = call('concepts', { limit: 2000 }).then(r => r.concepts || []).catch(e => { conceptsPromise = null; throw e; });
  }
  return conceptsPromise;
}

export async function fillConceptList(refresh = false) {
  const list = await topConcepts(refresh);
  const dl = clear($('#concept-list'));
  for (const c of list) dl.append(h('option', { value: c.term }, typeLabel(c.type)));
  return list;
}

/** A type badge: coloured dot + Chinese (or English) label. */
export function typeBadge(type) {
  const ty = TYPES.includes(type) ? type : 'other';
  return h('span', { class: `type-badge t-${ty}` }, typeLabel(type));
}

export function yearOf(v) {
  const n = parseInt(v, 10);
  return Number.isFinite(n) ? n : null;
}
