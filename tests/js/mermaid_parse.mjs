// Parse Mermaid texts with the real Mermaid parser. Input on stdin: a JSON array of texts.
// Output: a JSON array, one {"ok": true, "diagramType": ..., "config": {...}} or
// {"ok": false, "error": "..."} per text. "config" is what the text's %%{...}%% directives
// (or front matter) would set.
// With --labels: one {"id": "label", ...} object per text instead (or {"error": "..."}), the text
// of every node of a flowchart as Mermaid leaves it for drawing. Mermaid keeps entities as
// placeholders until it draws ("#35;" becomes "ﬂ°°35¶ß"); they are turned back into HTML entities
// here ("&#35;"), which the page's HTML then shows as the character.
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
const labels = process.argv.includes("--labels");
const decode = (text) => text.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const results = [];
for (const text of texts) {
  try {
    if (labels) {
      const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
      const found = {};
      for (const [id, vertex] of diagram.db.getVertices()) found[id] = decode(String(vertex.text));
      results.push(found);
    } else {
      const result = await mermaid.parse(text);
      results.push({ ok: true, diagramType: result.diagramType, config: result.config });
    }
  } catch (error) {
    const said = String(error?.message ?? error).slice(0, 500);
    results.push(labels ? { error: said } : { ok: false, error: said });
  }
}
console.log(JSON.stringify(results));
