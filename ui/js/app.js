// Starts the UI: routes location.hash to a view, keeps the status bar (library counts and
// the build progress) up to date, and owns the keyboard shortcuts (`/` search, Esc close).

import { call, onPendingChange } from './api.js';
import { $, $$, fmtNum } from './dom.js';
import { t, applyI18n, setLang, getLang } from './i18n.js';
import { parseHash, navigate, closeConcept, closeError, showError, fillDocSelects, fillConceptList, documents, topConcepts } from './shell.js';
import * as search from './search.js';
import * as reader from './reader.js';
import * as map from './map.js';
import * as concept from './concept.js';

const VIEWS = { search, reader, map };
let lastStatus = null;

function route() {
  const r = parseHash();
  const name = VIEWS[r.view] ? r.view : 'search';
  for (const [k] of Object.entries(VIEWS)) $('#view-' + k).hidden = k !== name;
  for (const a of $$('.tabs a')) a.classList.toggle('active', a.dataset.nav === name);
  document.body.dataset.view = name;
  Promise.resolve(VIEWS[name].show(r)).catch(showError);
  const term = r.params.get('c');
  if (term) concept.show(term).catch(showError);
  else concept.hide();
}

// ---- status bar ---------------------------------------------------------------------

async function pollStatus() {
  let s;
  try {
    s = await call('status');
  } catch (e) {
    $('#st-text').textContent = t('status.offline');
    $('#st-progress').hidden = true;
    setTimeout(pollStatus, 3000);
    return;
  }
  const wasReady = lastStatus && lastStatus.state === 'ready';
  const before = lastStatus;
  lastStatus = s;
  renderStatus();
  if (s.state === 'building' || s.state === 'opening') {
    setTimeout(pollStatus, 700);
  } else if (s.state === 'failed') {
    if (!before || before.state !== 'failed') showError(s.error || { code: 'internal', message: 'the library could not be opened' });
    setTimeout(pollStatus, 15000);
  } else {
    if (s.state === 'ready' && (!wasReady || (before && before.documents !== s.documents))) onLibraryReady(Boolean(before));
    setTimeout(pollStatus, 15000);
  }
}

function renderStatus() {
  const s = lastStatus;
  if (!s) return;
  const bar = $('#st-progress');
  document.body.dataset.library = s.state;
  if (s.state === 'building') {
    const p = s.progress || {};
    $('#st-text').textContent = t('status.building', { done: fmtNum(p.done ?? 0), total: fmtNum(p.total ?? 0) });
    bar.hidden = false;
    bar.max = Math.max(1, p.total || 1);
    bar.value = Math.min(p.done || 0, bar.max);
    $('#st-current').textContent = p.current || '';
  } else if (s.state === 'opening') {
    $('#st-text').textContent = t('status.opening');
    bar.hidden = false;
    bar.removeAttribute('value');
    $('#st-current').textContent = '';
  } else if (s.state === 'failed') {
    $('#st-text').textContent = t('status.failed');
    bar.hidden = true;
    $('#st-current').textContent = s.error && s.error.message ? s.error.message : '';
  } else if (s.state === 'empty') {
    $('#st-text').textContent = t('status.empty');
    bar.hidden = true;
    $('#st-current').textContent = '';
  } else {
    $('#st-text').textContent = t('status.ready', { d: fmtNum(s.documents), p: fmtNum(s.passages), c: fmtNum(s.concepts) });
    bar.hidden = true;
    $('#st-current').textContent = '';
  }
  $('#st-library').textContent = s.library || '';
  $('#st-library').title = t('status.library');
}

/** The library became ready (or changed): refresh the cached lists and the shown view. */
function onLibraryReady(hadStatusBefore) {
  documents(true).catch(() => {});
  topConcepts(true).catch(() => {});
  fillDocSelects(true).catch(() => {});
  fillConceptList(true).catch(() => {});
  if (hadStatusBefore) {
    search.invalidate();
    map.invalidate();
    route();
  }
}

// ---- keyboard -------------------------------------------------------------------------

function typing(el) {
  return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function onKey(e) {
  if (e.key === '/' && !typing(document.activeElement) && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    if (parseHash().view !== 'search') navigate('search', '', {});
    setTimeout(search.focusSearch, 0);
  } else if (e.key === 'Escape') {
    if (closeError()) return;
    if (concept.isOpen() && closeConcept()) return;
    if (map.hideDetail()) return;
    if (typing(document.activeElement)) document.activeElement.blur();
  }
}

// ---- start ----------------------------------------------------------------------------

function start() {
  applyI18n();
  $('#lang-toggle').addEventListener('click', () => { setLang(getLang() === 'en' ? 'zh' : 'en'); renderStatus(); });
  $('#err-close').addEventListener('click', closeError);
  $('#error-box').addEventListener('click', e => { if (e.target.id === 'error-box') closeError(); });
  document.addEventListener('keydown', onKey);
  onPendingChange(n => {
    $('#busy-bar').hidden = n === 0;
    $('#st-busy').hidden = n === 0;
  });
  window.addEventListener('hashchange', route);
  // A failure nobody caught still ends in the error box, never in a blank screen.
  window.addEventListener('unhandledrejection', e => { e.preventDefault(); showError(e.reason); });
  window.addEventListener('error', e => { if (e.error) showError({ code: 'internal', message: String(e.error.stack || e.message) }); });
  if (!location.hash) history.replaceState(null, '', '#/search');
  route();
  pollStatus();
}

start();
