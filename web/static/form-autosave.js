// Autosave: the draft in this browser (localStorage), restored after a reload, deleted after SAVE_HOURS, on 清除
// and on logout.

import { $, state, isObj, parseExact } from "./form-core.js";
import { chooseItem, fill, outgoing, importNote, adopt } from "./form-draft.js";
import { SAVE_KEY, SAVE_HOURS, forgetSaved } from "./form-store.js";

// --- autosave: the draft in this browser (localStorage), restored after a reload ------------------
// A typed draft is kept as its document; an imported one as the document the form would send (the file's
// bytes too when JSON cannot carry it), so that a restored draft is sent as before the reload.

export const saving = { timer: null, unsaved: false };

export const toBase64 = (bytes) => { let t = ""; const a = new Uint8Array(bytes); for (let i = 0; i < a.length; i += 0x8000) t += String.fromCharCode(...a.subarray(i, i + 0x8000)); return btoa(t); };

export const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;

export function snapshot() {
  const b = state.base;
  if (!b) return state.root ? { mode: "typed", item: state.detail.id, doc: state.root.get() } : null;
  const out = outgoing();
  const rec = { mode: "import", name: b.name, type: b.type, item: state.detail && state.root ? state.detail.id : null };
  if (out.bytes) return { ...rec, bytes: toBase64(out.bytes), doc: b.doc === undefined ? null : b.doc, inexact: b.inexact, raw: true };
  return { ...rec, doc: out.doc, inexact: [] };
}

export function saveNow() {
  clearTimeout(saving.timer);
  saving.timer = null;
  const note = $("#saved");
  let rec;
  try { rec = snapshot(); } catch { return; }
  try {
    if (rec) localStorage.setItem(SAVE_KEY, JSON.stringify({ ...rec, unsaved: saving.unsaved, at: new Date().toISOString() }));
    else localStorage.removeItem(SAVE_KEY);
    note.textContent = rec ? `已自动保存在本浏览器（${new Date().toLocaleTimeString("zh-CN", { hour12: false })}，${SAVE_HOURS} 小时后删除）；换电脑或清除浏览器数据即丢失，请用「下载草稿」存为文件。` : "";
  } catch {
    note.textContent = "无法自动保存（浏览器存储已满或被禁用）：离开本页前请用「下载草稿」存为文件。";
  }
}

export function autosave(edited = true) {
  if (edited) saving.unsaved = true;
  clearTimeout(saving.timer);
  saving.timer = setTimeout(saveNow, 300);
}

// the saved draft back in the form; false when there is none (or it cannot be read)
export async function restore() {
  let rec;
  try { rec = parseExact(localStorage.getItem(SAVE_KEY) || "null"); } catch { rec = null; }
  if (!rec || typeof rec !== "object") return false;
  if (!(Date.now() - Date.parse(rec.at) <= SAVE_HOURS * 3600e3)) { // expired, or no time: removed unread
    forgetSaved();
    return false;
  }
  const known = (id) => typeof id === "string" && state.items.some((x) => x.id === id);
  if (rec.mode === "typed" && known(rec.item)) {
    await chooseItem(rec.item);
    fill(isObj(rec.doc) ? rec.doc : {});
  } else if (rec.mode === "import") {
    const doc = rec.doc === null ? undefined : rec.doc;
    const base = { name: rec.name || "草稿", type: rec.type || "application/yaml", doc, inexact: rec.inexact || [], bytes: rec.bytes ? fromBase64(rec.bytes) : undefined };
    if (!base.bytes && doc === undefined) return false;
    if (!base.bytes) base.bytes = new TextEncoder().encode(JSON.stringify(doc)).buffer;
    await adopt(base, known(rec.item) ? rec.item : null);
  } else return false;
  saving.unsaved = rec.unsaved === true; // still not downloaded as a file
  $("#status").textContent = `已恢复自动保存的草稿（${rec.at ? new Date(rec.at).toLocaleString("zh-CN", { hour12: false }) : ""}）`;
  saveNow();
  return true;
}

export async function clearDraft() {
  if (state.root && saving.unsaved && !window.confirm("清除本页草稿（包括自动保存的内容）？")) return;
  forgetDraft();
  state.base = null;
  importNote();
  $("#read-note").hidden = true;
  await chooseItem("");
  $("#saved").textContent = "";
  $("#status").textContent = "已清除草稿";
}

// the saved draft deleted, a save still pending included (it would write the draft back)
export function forgetDraft() {
  clearTimeout(saving.timer);
  saving.timer = null;
  saving.unsaved = false;
  forgetSaved();
}

// 退出登录: the draft leaves this browser with the officer (asked first when it was not downloaded as a file);
// false when the officer stays
export function logoutDraft() {
  if (state.root && saving.unsaved && !window.confirm("退出登录将删除本浏览器中自动保存的草稿，尚未用「下载草稿」存为文件的内容将丢失。确定退出？")) return false;
  forgetDraft();
  return true;
}
