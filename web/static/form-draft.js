// The draft on the page: the item picker, the form's draft, what 检查 sends (outgoing) and the imported draft
// kept as its base (the note of what the form cannot show).

import { $, el, state, api, getJSON, isObj, cached, shortJSON, DOCUMENTS } from "./form-core.js";
import { applyVisibility, objectControl, startingSanctions } from "./form-controls.js";
import { knownLabel } from "./form-words.js";

// --- item picker, form --------------------------------------------------------------------

export async function loadItems() {
  const [items, labels, findings] = await Promise.all([getJSON("/api/v1/items"), getJSON("/api/v1/labels"), getJSON("/api/v1/findings")]);
  Object.assign(state, { items, labels: { ...labels }, findings });
  const select = $("#item");
  select.replaceChildren(el("option", { value: "", text: "（请选择事项）" }));
  for (const group of ["行政处罚", "行政检查", "其他"]) {
    const og = el("optgroup", { label: group });
    for (const it of items.filter((x) => x.group === group)) {
      const name = it.sub_title || it.name;
      og.append(el("option", { value: it.id, text: `${it.id} ${name}` }));
    }
    select.append(og);
  }
}

export async function chooseItem(id) {
  const form = $("#draft");
  $("#result").replaceChildren();
  if (!id) { state.root = null; $("#item").value = ""; form.replaceChildren(el("p", { class: "hint", text: "请先选择事项。" })); return; }
  const detail = await cached(`/api/v1/items/${encodeURIComponent(id)}`);
  const schema = await cached(`/api/v1/schema/${detail.kind}`);
  Object.assign(state, { detail, schema, draftKind: detail.kind });
  for (const kind of Object.keys(DOCUMENTS)) $(`#doc-${kind}`).hidden = detail.kind !== "penalty";
  $("#item").value = id;
  const prov = detail.provision || detail.basis;
  $("#item-note").textContent = `${detail.group} · ${detail.name}` + (prov ? ` · 依据：${prov.label}` : "");
  state.root = objectControl("", schema, false);
  form.replaceChildren(state.root.el);
  applyVisibility();
}

export function fill(doc) {
  state.root.set(doc);
  applyVisibility();
}

export function draftFromForm() {
  if (!state.root) return null;
  return { kind: state.draftKind, ...state.root.get(), item: state.detail.id };
}

// what 检查 sends and 下载草稿 saves: {doc} (JSON) or, for an imported file JSON cannot carry as written and that
// the officer has not changed (or one that could not be read), {bytes} of the file itself
export function outgoing() {
  const b = state.base;
  if (!b) { const doc = draftFromForm(); return doc && { doc }; }
  const touched = state.root && state.root.touched();
  if (b.doc === undefined || (b.inexact.length && !touched)) return { bytes: b.bytes, type: b.type };
  return { doc: state.root ? state.root.merge(b.doc) : b.doc };
}

// the officer picks another item for an imported draft: the draft so far (with its changes) stays the base, its
// item and kind are the new item's
export async function changeItem(id) {
  const b = state.base;
  if (!b || b.doc === undefined || !id) {
    // a typed draft keeps what the new item's form also has (the starting 处罚 rows are the new item's)
    const before = !b && state.root && id ? typedCarry() : null;
    state.base = null;
    importNote();
    await chooseItem(id);
    if (before) fill(before);
    return;
  }
  const doc = state.root ? state.root.merge(b.doc) : b.doc;
  const detail = await cached(`/api/v1/items/${encodeURIComponent(id)}`);
  state.base = { ...b, doc: { ...doc, kind: detail.kind, item: id }, inexact: [] };
  await chooseItem(id);
  fill(state.base.doc);
  importNote();
}

// the typed draft without the item's own parts: the 处罚 rows while they are only the starting kinds, the facts
export function typedCarry() {
  const doc = state.root.get();
  const start = JSON.stringify(startingSanctions(state.detail));
  if (isObj(doc.decision) && JSON.stringify(doc.decision.sanctions || []) === start) {
    doc.decision = { ...doc.decision };
    delete doc.decision.sanctions;
  }
  delete doc.facts;
  return doc;
}

// the officer sees what is sent: what the controls cannot show is listed read-only
export function importNote() {
  const box = $("#import-note");
  const b = state.base;
  if (!b) { box.hidden = true; box.replaceChildren(); return; }
  let entries = [];
  if (b.doc === undefined) entries.push({ path: "（整个文件）", text: "无法读取为草稿，见下方的问题" });
  else if (!state.root) entries = Object.entries(b.doc).map(([k, v]) => ({ path: k, value: v }));
  else {
    if (b.doc.kind !== state.detail.kind) entries.push({ path: "kind", value: b.doc.kind });
    entries.push(...state.root.unshown(b.doc));
  }
  const list = el("ul", { class: "unshown" });
  for (const e of entries.slice(0, 40)) {
    list.append(el("li", {}, knownLabel(e.path) ? `${knownLabel(e.path)} ` : null, el("code", { text: e.path }), `：${e.text || shortJSON(e.value)}${e.extra ? "（表单中没有此字段）" : ""}`));
  }
  if (entries.length > 40) list.append(el("li", { text: `……另有 ${entries.length - 40} 项` }));
  const touched = state.root && state.root.touched();
  const parts = [el("p", { class: "meta", text: `已导入 ${b.name}：未修改的字段按文件原样提交检查；修改一个字段只改写该字段；清空文件中已有的字段（或删除一个列表的全部行）即从草稿中删去该字段，恢复为「未填写」。改选事项时保留已导入的内容。` })];
  if (entries.length) parts.push(el("p", { text: "导入文件中表单无法显示的内容（将原样提交检查）：" }), list);
  if (b.inexact.length) {
    parts.push(el("p", { class: "meta", text: touched
      ? `文件中 ${b.inexact.join("、")} 无法用 JSON 原样表示；表单已修改，这些内容按文字提交。`
      : `文件中 ${b.inexact.join("、")} 无法用 JSON 原样表示；表单未修改，检查时提交文件原文。` }));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

// an imported (or restored) draft in the form: its item's fields set from the document, or a note why not
export async function adopt(base, item) {
  state.base = base;
  if (base.doc === undefined) {
    await chooseItem("");
    $("#draft").replaceChildren(el("p", { class: "hint", text: "此文件无法读取为草稿，表单无法显示；检查时将原样提交文件内容。" }));
  } else if (item) {
    await chooseItem(item);
    fill(base.doc);
  } else {
    await chooseItem("");
    $("#item").value = "";
    $("#draft").replaceChildren(el("p", { class: "hint", text: `文件中的事项 ${shortJSON(base.doc.item)} 不在权责清单中，表单无法显示其字段；检查时将原样提交。可在上方改选事项。` }));
  }
  importNote();
}
