// The real UI in headless Chromium against the real `nts serve`, on a temp library built
// from a copy of corpus/ plus a hostile document. Each step saves a screenshot into
// artifacts/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  SHOTS, CHROMIUM_FLAGS, HOSTILE_IMG, HOSTILE_SCRIPT, makeCorpus, freePort, indexCorpus, startServer, stopServer,
  waitReady, pngStats, api,
} from './lib.mjs';

let server, base, context, page, corpus, library, profile;
const dialogs = [];
const pageErrors = [];

const shot = name => page.screenshot({ path: path.join(SHOTS, name) });
const cyCount = () => page.evaluate(() => {
  const cy = window.__ntsAtlas && window.__ntsAtlas.cy();
  return cy ? { nodes: cy.nodes().length, edges: cy.edges().length } : { nodes: 0, edges: 0 };
});

before(async () => {
  corpus = makeCorpus();
  library = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-e2e-lib-'));
  const ms = indexCorpus(corpus, library);
  console.log(`# indexed ${corpus} into ${library} in ${ms} ms`);
  const port = await freePort();
  server = startServer(library, port);
  base = await server.ready;
  const status = await waitReady(base);
  console.log(`# ${base} ready: ${status.documents} documents, ${status.passages} passages, ${status.concepts} concepts`);
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-e2e-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  page = context.pages()[0] || await context.newPage();
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push('console: ' + m.text()); });
});

after(async () => {
  await context?.close().catch(() => {});
  stopServer(server?.child);
  for (const d of [corpus, library, profile]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

test('search 恐怖主义 shows passages with <mark> highlights', async () => {
  await page.goto(base + '/#/search');
  await page.waitForSelector('#st-text:has-text("文献")');
  await page.fill('#q', '恐怖主义');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#search-results .hit mark', { timeout: 30_000 });
  const hits = await page.locator('#search-results .hit').count();
  assert.ok(hits > 0, 'no hits');
  const marks = await page.locator('#search-results .hit mark').allTextContents();
  assert.ok(marks.length > 0, 'no <mark> in the snippets');
  assert.ok(marks.some(m => m.includes('恐怖')), `marks do not show the term: ${marks.slice(0, 5)}`);
  const summary = await page.textContent('#search-summary');
  assert.match(summary, /共 [\d,]+ 条结果/);
  // The snippet delimiters never reach the page.
  const raw = await page.textContent('#search-results');
  assert.ok(!raw.includes('\u0001') && !raw.includes('\u0002'));
  // The year filter (the hostile document has no year) narrows the results.
  await page.fill('#f-year-from', '2000');
  await page.dispatchEvent('#f-year-from', 'change');
  await page.waitForFunction(() => location.hash.includes('yf=2000'));
  await page.waitForSelector('#search-results .hit mark');
  const years = await page.locator('#search-results .hit-meta').allTextContents();
  assert.ok(years.length > 0 && years.every(y => /\b(19|20)\d\d\b/.test(y)), `hits without a year after the filter: ${years}`);
  await shot('search.png');
});

test('a hit opens in the reader, scrolled to its passage', async () => {
  const first = page.locator('#search-results .hit').first();
  const pid = await first.getAttribute('data-passage');
  await first.locator('.hit-actions a').click();
  await page.waitForSelector('#view-reader:not([hidden])');
  const target = page.locator(`#r-body [data-pid="${pid}"], #r-notes [data-pid="${pid}"]`).first();
  await target.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForTimeout(300);
  assert.ok(await target.isVisible());
  const inView = await target.evaluate(el => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  });
  assert.ok(inView, 'the passage is not scrolled into view');
  assert.ok(await page.locator('#r-body .passage').count() > 1, 'the passage is shown without its context');
  assert.ok(await page.locator('#r-outline li').count() > 0, 'no outline');
  await shot('reader.png');
});

test('a concept panel shows neighbours and the passages shared with one', async () => {
  await page.goto(base + '/#/search?c=' + encodeURIComponent('恐怖主义'));
  await page.waitForSelector('#concept-panel:not([hidden]) #cp-term', { timeout: 30_000 });
  assert.equal((await page.textContent('#cp-term')).trim(), '恐怖主义');
  await page.waitForSelector('#concept-panel .nb');
  const nbs = await page.locator('#concept-panel .nb').count();
  assert.ok(nbs > 0, 'no neighbours');
  assert.ok(await page.locator('#concept-panel .type-badge').count() > 0);
  await page.waitForTimeout(200);
  await shot('concept.png');
  await page.locator('#concept-panel .nb').first().click();
  await page.waitForSelector('#cp-cooc .evidence', { timeout: 30_000 });
  assert.ok(await page.locator('#cp-cooc .evidence').count() > 0);
  assert.ok(await page.locator('#cp-cooc mark, #cp-cooc .mention.focus').count() > 0, 'co-occurrence passages without highlights');
  await shot('concept-cooccurrence.png');
});

test('the concept map renders nodes and edges; an edge click lists its evidence', async () => {
  await page.click('#cp-onmap');
  await page.waitForSelector('#view-map:not([hidden])');
  await page.waitForFunction(() => window.__ntsAtlas && window.__ntsAtlas.cy() && window.__ntsAtlas.cy().nodes().length > 0, null, { timeout: 60_000 });
  const { nodes, edges } = await cyCount();
  assert.ok(nodes > 1, `nodes: ${nodes}`);
  assert.ok(edges > 0, `edges: ${edges}`);
  assert.match(await page.textContent('#m-counts'), /显示 [\d,]+ \/ [\d,]+ 个节点，[\d,]+ \/ [\d,]+ 条边/);
  assert.equal(await page.isHidden('#concept-panel'), true);

  // Click, with the real mouse, the strongest edge whose midpoint is clear of every node.
  const spot = await page.evaluate(() => {
    const cy = window.__ntsAtlas.cy();
    const box = document.getElementById('cy').getBoundingClientRect();
    const nodes = cy.nodes().map(n => ({ p: n.renderedPosition(), r: n.renderedOuterWidth() / 2 + 14 }));
    let best = null;
    for (const e of cy.edges()) {
      const m = e.renderedMidpoint();
      if (m.x < 10 || m.y < 10 || m.x > box.width - 10 || m.y > box.height - 10) continue;
      const clear = Math.min(...nodes.map(n => Math.hypot(n.p.x - m.x, n.p.y - m.y) - n.r));
      const score = clear > 0 ? (e.data('weight') || 0) + clear / 1000 : -1;
      if (!best || score > best.score) best = { score, x: box.left + m.x, y: box.top + m.y, id: e.id() };
    }
    return best;
  });
  assert.ok(spot && spot.score > 0, 'no clickable edge');
  await page.mouse.click(spot.x, spot.y);
  await page.waitForSelector('#m-detail:not([hidden]) #m-evidence .evidence', { timeout: 30_000 });
  const ev = await page.locator('#m-evidence .evidence').count();
  assert.ok(ev > 0, 'no evidence passages');
  assert.ok(await page.locator('#m-evidence mark, #m-evidence .mention.focus').count() > 0, 'evidence without highlighted terms');
  await shot('map.png');
});

async function download(trigger) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), trigger()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test('export: the map as PNG from cytoscape (3×) is not blank', async () => {
  await page.selectOption('#x-format', 'cy');
  const { name, bytes } = await download(() => page.click('#x-go'));
  assert.match(name, /\.png$/);
  const s = pngStats(bytes);
  const cyWidth = await page.evaluate(() => document.getElementById('cy').clientWidth);
  assert.ok(s.width >= 800, `PNG too small: ${s.width}×${s.height} (view ${cyWidth}px)`);
  assert.ok(s.inkRatio > 0.003, `PNG looks blank: ${s.ink} ink pixels`);
  fs.writeFileSync(path.join(SHOTS, 'export-cytoscape.png'), bytes);
});

test('export: the engine PNG (300 dpi) is not blank and the SVG has the Chinese labels', async () => {
  const labels = await page.evaluate(() => window.__ntsAtlas.cy().nodes().map(n => n.data('term')));
  await page.selectOption('#x-format', 'png');
  const png = await download(() => page.click('#x-go'));
  const s = pngStats(png.bytes);
  assert.ok(s.width >= 1000 && s.inkRatio > 0.003, `engine PNG ${s.width}×${s.height}, ink ${s.ink}`);
  fs.writeFileSync(path.join(SHOTS, 'export-engine.png'), png.bytes);

  await page.selectOption('#x-format', 'svg');
  const svg = await download(() => page.click('#x-go'));
  const text = svg.bytes.toString('utf8');
  assert.match(text, /<svg[\s>]/);
  fs.writeFileSync(path.join(SHOTS, 'export-engine.svg'), svg.bytes);
  if (/<text[\s>]/.test(text)) {
    const found = labels.filter(l => /[\u4e00-\u9fff]/.test(l) && text.includes(l));
    assert.ok(found.length > 0, 'no Chinese node label in the SVG text');
  } else {
    // Labels drawn as glyph outlines: there must be many paths.
    assert.ok((text.match(/<path[\s>]/g) || []).length > labels.length, 'the SVG has neither <text> labels nor glyph paths');
  }
});

test('exports for Gephi and spreadsheets download', async () => {
  for (const fmt of ['graphml', 'gexf', 'csv', 'json']) {
    await page.selectOption('#x-format', fmt);
    const { name, bytes } = await download(() => page.click('#x-go'));
    assert.ok(bytes.length > 50, `${fmt} export is empty`);
    assert.ok(name.length > 0);
  }
});

test('the path finder highlights a path and lists passages per hop', async () => {
  const terms = await page.evaluate(() => {
    const cy = window.__ntsAtlas.cy();
    const e = cy.edges().max(x => x.data('weight') || 0).ele;
    // Two nodes two hops apart if there are any, else the two ends of the strongest edge.
    const a = e.source();
    const far = a.neighborhood('node').neighborhood('node').difference(a.closedNeighborhood('node'));
    return { a: a.data('term'), b: (far.length ? far[0] : e.target()).data('term') };
  });
  await page.fill('#m-from', terms.a);
  await page.fill('#m-to', terms.b);
  await page.click('#m-path-go');
  await page.waitForSelector('#m-detail:not([hidden]) h4.hop', { timeout: 30_000 });
  assert.ok(await page.evaluate(() => window.__ntsAtlas.cy().$('edge.path').length) > 0, 'no edge highlighted');
  await shot('map-path.png');
});

test('the hostile document renders inert', async () => {
  await page.goto(base + '/#/search?q=' + encodeURIComponent('敌意测试段落'));
  await page.waitForSelector('#search-results .hit', { timeout: 30_000 });
  const hitText = await page.textContent('#search-results');
  assert.ok(hitText.includes('<img') || hitText.includes('<script'), 'the hostile markup is not shown literally in the results');
  const hostile = page.locator('#search-results .hit').first();
  const docId = await hostile.getAttribute('data-doc');
  await hostile.locator('.hit-actions a').click();
  await page.waitForSelector('#r-body .passage', { state: 'attached' });
  const body = await page.textContent('#r-body');
  // The reader shows exactly the text the engine stored, markup and all. (The normaliser
  // may drop tag-like runs such as <img …>; whatever it keeps must appear literally.)
  const stored = await api(base, 'document', { doc_id: docId });
  const texts = stored.passages.filter(p => p.kind !== 'footnote').map(p => p.text);
  const markup = texts.filter(t => t.includes('<script') || t.includes('<img'));
  assert.ok(markup.length > 0, 'the engine kept none of the hostile markup; nothing to check');
  for (const t of texts) assert.ok(body.includes(t), `passage not shown literally: ${t.slice(0, 60)}`);
  assert.ok(body.includes(HOSTILE_SCRIPT), 'the <script> markup is not shown as text');
  if (texts.some(t => t.includes(HOSTILE_IMG))) assert.ok(body.includes(HOSTILE_IMG), 'the <img> markup is not shown as text');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'an <img src=x> element was created');
  assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 2, 'a <script> element was injected');
  assert.deepEqual(dialogs, [], 'a dialog fired');
  await shot('hostile.png');
});

test('errors show a readable message, not a blank screen', async () => {
  await page.goto(base + '/#/search?c=' + encodeURIComponent('并不存在的概念甲乙丙'));
  await page.waitForSelector('#concept-panel .inline-error', { timeout: 30_000 });
  assert.match(await page.textContent('#concept-panel .inline-error'), /没有这个概念/);
  const r = await api(base, 'status');
  assert.equal(r.state, 'ready');
  assert.deepEqual(pageErrors.filter(e => !/status of 4\d\d/.test(e)), [], 'page errors');
});

test('English toggle switches the labels', async () => {
  await page.goto(base + '/#/search');
  await page.click('#lang-toggle');
  assert.equal((await page.textContent('.tabs a[data-nav="map"]')).trim(), 'Concept map');
  await page.click('#lang-toggle');
  assert.equal((await page.textContent('.tabs a[data-nav="map"]')).trim(), '概念图谱');
});
