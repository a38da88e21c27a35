// Small DOM helpers. Everything that comes from a document (titles, passages, snippets,
// terms) becomes a text node: these helpers never assign innerHTML, so a hostile text
// such as `<img src=x onerror=…>` is shown literally and stays inert.

/** Creates an element: h('a', {href, class, onclick}, 'text', childNode, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) { el.replaceChildren(); return el; }

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** A snippet whose highlights are delimited by \u0001 … \u0002, as text nodes and <mark>s. */
export function snippetNodes(snippet) {
  const out = [];
  let inMark = false;
  let buf = '';
  const flush = () => {
    if (!buf) return;
    out.push(inMark ? h('mark', null, buf) : document.createTextNode(buf));
    buf = '';
  };
  for (const ch of String(snippet ?? '')) {
    if (ch === '\u0001') { flush(); inMark = true; }
    else if (ch === '\u0002') { flush(); inMark = false; }
    else buf += ch;
  }
  flush();
  return out;
}

/**
 * A passage text with concept mentions as coloured spans. Offsets are char (code point)
 * offsets, as the engine counts them, so the text is split into code points first.
 * `decorate(span, mention)` may add classes or listeners to each mention span.
 */
export function mentionNodes(text, mentions, decorate) {
  const chars = Array.from(String(text ?? ''));
  const sorted = (mentions || [])
    .filter(m => Number.isInteger(m.start) && Number.isInteger(m.end) && m.end > m.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let pos = 0;
  for (const m of sorted) {
    if (m.start < pos || m.start >= chars.length) continue; // overlapping or out of range
    if (m.start > pos) out.push(document.createTextNode(chars.slice(pos, m.start).join('')));
    const end = Math.min(m.end, chars.length);
    const span = h('span', { class: `mention t-${safeType(m.type)}`, dataset: { term: m.term ?? '' } },
      chars.slice(m.start, end).join(''));
    if (decorate) decorate(span, m);
    out.push(span);
    pos = end;
  }
  if (pos < chars.length) out.push(document.createTextNode(chars.slice(pos).join('')));
  return out;
}

/** A text with every occurrence of the given terms wrapped in <mark> (longest term first). */
export function termNodes(text, terms, markClass) {
  const s = String(text ?? '');
  const list = [...new Set((terms || []).filter(t => t && t.length))].sort((a, b) => b.length - a.length);
  if (!list.length) return [document.createTextNode(s)];
  const out = [];
  let pos = 0;
  while (pos < s.length) {
    let best = -1, bestTerm = '';
    for (const t of list) {
      const i = s.indexOf(t, pos);
      if (i >= 0 && (best < 0 || i < best || (i === best && t.length > bestTerm.length))) { best = i; bestTerm = t; }
    }
    if (best < 0) break;
    if (best > pos) out.push(document.createTextNode(s.slice(pos, best)));
    out.push(h('mark', { class: markClass || null }, bestTerm));
    pos = best + bestTerm.length;
  }
  if (pos < s.length) out.push(document.createTextNode(s.slice(pos)));
  return out;
}

/** Passage text with the mentions of `terms` highlighted (falls back to string search). */
export function focusNodes(text, mentions, terms) {
  const wanted = new Set(terms);
  const hits = (mentions || []).filter(m => wanted.has(m.term));
  if (hits.length) {
    return mentionNodes(text, hits, span => span.classList.add('focus'));
  }
  return termNodes(text, terms, 'focus');
}

const TYPES = new Set(['actor', 'threat', 'mechanism', 'concept', 'region']);
export function safeType(t) { return TYPES.has(t) ? t : 'other'; }

/** A "loading…" placeholder for a region that waits on a call. */
export function loadingNode(label) {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

export function fmtNum(n) {
  return typeof n === 'number' ? n.toLocaleString('zh-CN') : String(n ?? '–');
}

export function fmtWeight(w) {
  if (typeof w !== 'number') return String(w ?? '');
  return Number.isInteger(w) ? String(w) : w.toFixed(w < 10 ? 2 : 1);
}
