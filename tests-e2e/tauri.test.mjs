// Smoke test of the real desktop window: WebKitWebDriver starts the Tauri binary, and a
// ~50-line WebDriver client (plain fetch) waits for the library, searches 恐怖主义 through
// the UI (a round-trip through Tauri's invoke), reads the results and takes a screenshot.
// Run it with tauri-smoke.sh, which provides Xvfb, the driver and a temp library.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHOTS, ROOT } from './lib.mjs';

const DRIVER = process.env.WEBDRIVER_URL;
const APP = process.env.NTS_ATLAS_BIN;
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

async function wd(method, url, body) {
  const res = await fetch(DRIVER + url, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 500)}`);
  return json.value;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function until(what, fn, timeoutMs) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    last = await fn();
    if (last) return last;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the desktop window searches through invoke and shows results', { timeout: 20 * 60_000 }, async () => {
  assert.ok(DRIVER && APP, 'run through tauri-smoke.sh (WEBDRIVER_URL, NTS_ATLAS_BIN)');
  const session = await wd('POST', '/session', { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: APP, args: [] } } } });
  const sid = session.sessionId;
  const exec = (script, args = []) => wd('POST', `/session/${sid}/execute/sync`, { script, args });
  try {
    assert.equal(await exec('return Boolean(window.__TAURI__ && window.__TAURI__.core);'), true, 'not running inside Tauri');
    // The library is opened, or built from the bundled corpus, in the background.
    let sawBuilding = false;
    await until('the library to be ready', async () => {
      const state = await exec('return document.body.dataset.library || "";');
      if (state === 'building') sawBuilding = true;
      return state === 'ready';
    }, 15 * 60_000);
    console.log(`# library ready (progress bar seen: ${sawBuilding})`);
    const q = await wd('POST', `/session/${sid}/element`, { using: 'css selector', value: '#q' });
    await wd('POST', `/session/${sid}/element/${q[ELEMENT]}/value`, { text: '恐怖主义\uE007' });
    const hits = await until('search results', async () => {
      const n = await exec('return document.querySelectorAll("#search-results .hit mark").length;');
      return n > 0 ? n : 0;
    }, 60_000);
    const first = await exec('const h = document.querySelector("#search-results .hit"); return h ? h.textContent : "";');
    const summary = await exec('return document.getElementById("search-summary").textContent;');
    console.log(`# ${summary}; first hit: ${first.slice(0, 80)}`);
    assert.ok(hits > 0);
    assert.match(first, /恐怖/);
    await sleep(300);
    const png = Buffer.from(await wd('GET', `/session/${sid}/screenshot`), 'base64');
    fs.writeFileSync(path.join(SHOTS, 'tauri-window.png'), png);
    if (process.env.UPDATE_DOCS) fs.copyFileSync(path.join(SHOTS, 'tauri-window.png'), path.join(ROOT, 'docs', 'screenshots', 'app.png'));
  } finally {
    await wd('DELETE', `/session/${sid}`).catch(() => {});
  }
});
