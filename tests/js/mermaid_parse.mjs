// Parse Mermaid texts with the real Mermaid parser. Input on stdin: a JSON array of texts.
// Output: a JSON array, one {"ok": true, "diagramType": ..., "config": {...}} or
// {"ok": false, "error": "..."} per text. "config" is what the text's %%{...}%% directives
// (or front matter) would set.
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["navigator", "Element", "HTMLElement", "SVGElement", "DOMParser", "Node"]) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const results = [];
for (const text of texts) {
  try {
    const result = await mermaid.parse(text);
    results.push({ ok: true, diagramType: result.diagramType, config: result.config });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error).slice(0, 500) });
  }
}
console.log(JSON.stringify(results));
