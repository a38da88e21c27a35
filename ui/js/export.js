// Exports of the concept map. "cy" is a PNG of what is on screen, drawn by cytoscape at
// 3× scale; the other formats come from the engine's `export` call with the same filters
// as the map (SVG and 300 dpi PNG for papers, GraphML/GEXF for Gephi, CSV, JSON). In a
// browser the bytes are offered as a download; in the desktop app the user picks a path
// in a save dialog and the `save_file` call writes it.

import { call, isTauri, saveDialog } from './api.js';
import { h } from './dom.js';
import { showError } from './shell.js';

const EXT = { svg: 'svg', png: 'png', graphml: 'graphml', gexf: 'gexf', csv: 'csv', json: 'json' };

export function base64ToBytes(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Saves bytes (base64) under a suggested name; resolves with the saved name/path or null if cancelled. */
export async function saveBytes(fileName, mime, b64) {
  const ext = (fileName.split('.').pop() || 'bin').toLowerCase();
  if (isTauri) {
    const path = await saveDialog(fileName, ext.toUpperCase(), ext);
    if (!path) return null;
    const res = await call('save_file', { path, base64: b64 });
    return (res && res.path) || path;
  }
  const blob = new Blob([base64ToBytes(b64)], { type: mime || 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  return fileName;
}

/** The map as cytoscape draws it: full graph, 3× scale, white background. */
export function cyPngBase64(cy) {
  return cy.png({ full: true, scale: 3, bg: '#ffffff', output: 'base64', maxWidth: 9000, maxHeight: 9000 });
}

function stamp() {
  const d = new Date();
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/** Runs one export; shows errors in the error box and resolves with the saved name or null. */
export async function exportMap(format, cy, mapArgs) {
  try {
    if (format === 'cy') {
      if (!cy || !cy.nodes().length) return null;
      return await saveBytes(`nts-concept-map-${stamp()}.png`, 'image/png', cyPngBase64(cy));
    }
    if (!EXT[format]) throw { code: 'invalid', message: `unknown export format ${format}` };
    const args = { ...mapArgs, format };
    if (format === 'png') args.dpi = 300;
    const res = await call('export', args);
    const name = res.file_name || `nts-concept-map.${EXT[format]}`;
    return await saveBytes(name, res.mime, res.base64);
  } catch (e) {
    showError(e);
    return null;
  }
}
