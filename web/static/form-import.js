// 导入草稿 and 下载草稿: a draft file (or a 决定书/告知书 read by the server) into the form, the draft out as a file.

import { $, el, state, api, parseExact, save } from "./form-core.js";
import { outgoing, adopt } from "./form-draft.js";
import { saving, saveNow } from "./form-autosave.js";
import { showProblems } from "./form-findings.js";

// --- import, download ------------------------------------------------------------------------

// the file's bytes are kept as they are (the server reads them as `quanze check` reads a file); the document the
// server parsed from them is the base of the draft
export async function importFile(file) {
  const status = $("#status");
  try {
    const ext = (file.name.match(/\.(docx|pdf|txt)$/i) || [])[1];
    $("#read-note").hidden = !ext;  // the reading shown belongs to the document imported last
    if (ext) file = await readDocument(file, READABLE[ext.toLowerCase()]);  // an officer's document: read, then imported
    if (!file) return;
    const bytes = await file.arrayBuffer();
    const type = /\.json$/i.test(file.name) ? "application/json" : "application/yaml";
    const res = await api("/api/v1/parse", { method: "POST", headers: { "Content-Type": type }, body: bytes });
    const body = parseExact(await res.text());
    state.base = { name: file.name, bytes, type, doc: undefined, inexact: [] };
    if (!res.ok) {
      await adopt(state.base, null);
      saving.unsaved = false;
      saveNow();
      showProblems(body);
      status.textContent = `已导入 ${file.name}，但无法读取`;
      return;
    }
    const draft = body.draft;
    Object.assign(state.base, { doc: draft, inexact: body.inexact || [] });
    await adopt(state.base, typeof draft.item === "string" && state.items.some((x) => x.id === draft.item) ? draft.item : null);
    saving.unsaved = false;
    saveNow();
    status.textContent = `已导入 ${file.name}`;
  } catch (err) {
    status.textContent = `导入失败：${err.message}`;
  } finally {
    window.quanze.imports += 1;
  }
}

// 导入 of a 决定书/告知书 (.docx, .pdf, .txt): POST /api/v1/read gives the case file and where each value came
// from; the sources are shown as the server wrote them, the case file is imported as a JSON draft
export const READABLE = { docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pdf: "application/pdf", txt: "text/plain" };

export async function readDocument(file, type) {
  const res = await api(`/api/v1/read?name=${encodeURIComponent(file.name)}`, { method: "POST", headers: { "Content-Type": type }, body: await file.arrayBuffer() });
  const body = parseExact(await res.text());
  const note = $("#read-note");
  if (!res.ok) {
    showProblems(body);
    $("#status").textContent = `无法读取 ${file.name}`;
    return null;
  }
  note.replaceChildren(el("h2", { text: `从 ${file.name} 读到的内容及来源（请核对）` }), el("pre", { class: "reading", text: body.text }));
  note.hidden = false;
  return new File([JSON.stringify(body.case)], `${file.name}.json`, { type: "application/json" });
}

export async function download() {
  const out = outgoing();
  if (!out) { $("#status").textContent = "请先选择事项。"; return; }
  if (out.bytes) { // the file as imported: that is what is checked
    save(new Blob([out.bytes], { type: out.type }), state.base.name);
    return;
  }
  const draft = out.doc;
  const res = await api("/api/v1/yaml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(draft) });
  const text = await res.text();
  const name = typeof draft.case_id === "string" && draft.case_id ? draft.case_id : String(draft.item || "草稿");
  save(new Blob([text], { type: "application/yaml" }), `${name.replace(/[\\/:*?"<>|\s]/g, "_")}.yaml`);
}
