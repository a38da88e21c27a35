// The one door to the engine. Under Tauri every call is `invoke(name, {args})`;
// in a browser served by `nts serve` it is `POST /api/<name>` with `args` as the JSON body.
// Both transports share the call names of ui/API.md and reject with `{code, message}`,
// so the views never need to know which one they run on.

const tauri = typeof window !== 'undefined' && window.__TAURI__ && window.__TAURI__.core;

export const isTauri = Boolean(tauri);

// Every call in flight, so the status bar can show one "loading" indicator for all of them.
let pending = 0;
const listeners = new Set();
export function onPendingChange(fn) { listeners.add(fn); }
function bump(delta) { pending += delta; for (const fn of listeners) fn(pending); }

function asError(e, name) {
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return { code: e.code, message: String(e.message ?? '') };
  }
  if (typeof e === 'string') {
    // Tauri reports an unknown command or a panicking one as a bare string.
    try { const parsed = JSON.parse(e); if (parsed && parsed.code) return asError(parsed, name); } catch { /* not JSON */ }
    return { code: 'internal', message: e };
  }
  return { code: 'network', message: `${name}: ${e && e.message ? e.message : String(e)}` };
}

async function viaHttp(name, args) {
  let res;
  try {
    res = await fetch('/api/' + encodeURIComponent(name), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args ?? {}),
    });
  } catch (e) {
    throw { code: 'network', message: String(e && e.message ? e.message : e) };
  }
  const body = await res.text();
  let json = null;
  try { json = body ? JSON.parse(body) : null; } catch { /* handled below */ }
  if (!res.ok) {
    if (json && typeof json.code === 'string') throw { code: json.code, message: String(json.message ?? '') };
    // Not our server's JSON error (a proxy, an old server): report the status, not its HTML.
    const plain = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    throw { code: res.status >= 500 ? 'internal' : 'invalid', message: `${name}: HTTP ${res.status} ${res.statusText} ${plain}`.trim() };
  }
  if (json === null && body) throw { code: 'internal', message: `${name}: the answer is not JSON` };
  return json;
}

/** Calls the engine; resolves with the result JSON, rejects with `{code, message}`. */
export async function call(name, args = {}) {
  bump(1);
  try {
    if (tauri) {
      try { return await tauri.invoke(name, { args: args ?? {} }); } catch (e) { throw asError(e, name); }
    }
    return await viaHttp(name, args);
  } catch (e) {
    throw asError(e, name);
  } finally {
    bump(-1);
  }
}

/** Asks the user where to save a file (Tauri only); resolves with the path or null. */
export async function saveDialog(defaultName, filterName, extension) {
  const options = { defaultPath: defaultName, filters: [{ name: filterName, extensions: [extension] }] };
  const dialog = window.__TAURI__ && window.__TAURI__.dialog;
  try {
    if (dialog && dialog.save) return await dialog.save(options);
    return await tauri.invoke('plugin:dialog|save', { options });
  } catch (e) {
    throw asError(e, 'save');
  }
}
