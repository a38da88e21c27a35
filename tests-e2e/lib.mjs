// Shared pieces of the end-to-end tests: a temp library built from a copy of the repo's
// corpus plus a hostile document, the real `nts serve` on a free port, headless Chromium,
// and PNG checks. Nothing here fakes the engine.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..');
export const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

export function ntsBin() {
  if (process.env.NTS_BIN) return process.env.NTS_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
  return path.join(target, 'debug', 'nts');
}

export const HOSTILE_NAME = 'zz_hostile_测试.txt';
export const HOSTILE_SCRIPT = '<script>alert(1)</script>';
export const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
export const HOSTILE_TEXT = [
  `敌意测试文档 ${HOSTILE_SCRIPT} ${HOSTILE_IMG}`,
  '',
  `敌意测试段落：恐怖主义的跨国蔓延要求国际刑警组织加强情报共享与联合执法。${HOSTILE_IMG} 这段文字应当按原样显示，而不会被浏览器执行。${HOSTILE_SCRIPT}`,
  '',
  '第二段：非传统安全威胁的治理需要国际合作，恐怖主义与跨国犯罪相互交织。',
  '',
].join('\n');

/** A temp dir with a copy of corpus/ plus the hostile document. */
export function makeCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-e2e-corpus-'));
  fs.cpSync(path.join(ROOT, 'corpus'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, HOSTILE_NAME), HOSTILE_TEXT, 'utf8');
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/** Indexes `corpus` into `library` with the real CLI (the documented `nts index` contract). */
export function indexCorpus(corpus, library) {
  const t0 = Date.now();
  execFileSync(ntsBin(), ['index', corpus, '--library', library], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
  return Date.now() - t0;
}

/**
 * Starts `nts serve` and resolves once it prints its address. `--ui` names this checkout's
 * ui/: the binary in a shared CARGO_TARGET_DIR may have been built from another worktree,
 * and its compiled-in default would then serve that worktree's UI.
 */
export function startServer(library, port) {
  const args = ['serve', '--port', String(port), '--library', library, '--ui', path.join(ROOT, 'ui')];
  const child = spawn(ntsBin(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nts serve did not print its address in 120 s:\n' + log)), 120_000);
    const onData = buf => {
      log += buf.toString();
      const m = log.match(/Serving NTS Atlas on (http:\/\/127\.0\.0\.1:\d+)\/?/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`nts serve exited with ${code}:\n${log}`)); });
  });
  return { child, ready, log: () => log };
}

export function stopServer(child) {
  if (!child || child.exitCode != null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { try { child.kill('SIGTERM'); } catch { /* gone */ } }
}

export async function api(base, name, args = {}) {
  const res = await fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error(`${name}: HTTP ${res.status} ${JSON.stringify(body)}`), { body });
  return body;
}

export async function waitReady(base, timeoutMs = 15 * 60_000) {
  const t0 = Date.now();
  let last = null;
  while (Date.now() - t0 < timeoutMs) {
    try { last = await api(base, 'status'); if (last.state === 'ready') return last; } catch (e) { last = String(e); }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error('library not ready in time; last status: ' + JSON.stringify(last));
}

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Size and share of non-white pixels of a PNG (bytes). */
export function pngStats(bytes) {
  const png = PNG.sync.read(Buffer.from(bytes));
  let ink = 0;
  const { width, height, data } = png;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3];
    if (a > 16 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) ink += 1;
  }
  return { width, height, ink, inkRatio: ink / (width * height) };
}
