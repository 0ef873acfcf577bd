// The text of every node of Mermaid flowcharts, as the real Mermaid parser leaves it for drawing.
// Input on stdin: a JSON array of texts. Output: a JSON array, one {"id": "label", ...} object per
// text, or {"error": "..."} where the text does not parse. Mermaid keeps entities as placeholders
// until it draws ("#35;" becomes "ﬂ°°35¶ß"); they are turned back into HTML entities here
// ("&#35;"), which the page's HTML then shows as the character.
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
const decode = (text) => text.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const results = [];
for (const text of texts) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const labels = {};
    for (const [id, vertex] of diagram.db.getVertices()) labels[id] = decode(String(vertex.text));
    results.push(labels);
  } catch (error) {
    results.push({ error: String(error?.message ?? error).slice(0, 500) });
  }
}
console.log(JSON.stringify(results));
