// The officer form's shared ground: DOM helpers, the page state, API calls, field labels from the JSON Schema,
// exact JSON values, and the small helpers every panel uses.

export const $ = (sel, root = document) => root.querySelector(sel);

export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v; // through the CSSOM: the page's CSP (style-src 'self') refuses style attributes
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
};

// base: the imported draft ({name, bytes, type, doc, inexact}), the base of what is sent; null for a draft typed here
export const state = { items: [], labels: {}, info: {}, findings: {}, detail: null, schema: null, root: null, draftKind: null, base: null, cache: new Map() };

// for tests and scripts: the last /api/v1/check answer (status, text), how many checks, imports and item changes have finished
window.quanze = { last: null, checks: 0, imports: 0, items: 0 };

export function headers(extra = {}) {
  const token = sessionStorage.getItem("quanze-token");
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

export async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: headers(options.headers || {}) });
  if (res.status === 401) {
    $("#token-box").hidden = false;
    throw new Error("需要访问令牌：请在上方填写 QUANZE_TOKEN 后重试");
  }
  return res;
}

export async function getJSON(path) {
  const res = await api(path);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

// --- labels --------------------------------------------------------------------------------
// A field's name and officer hint, shown as the JSON carries them: a draft field's title and x-quanze-hint in the
// JSON Schema (the Field(title=…) and described(…) of engine/model/drafts.py), a filing item's fact's label and hint
// in the item detail (rules/filing/). build() and factsControl record them per path; value names come from the
// schema's oneOf const/title. /api/v1/labels gives each field's full name, for a problem named out of context.

export function plainPath(path) { return path.replace(/\[\d+\]/g, ""); }

export function labelOf(path, name) {
  const info = state.info[plainPath(path)];
  if (info && info.title) return { label: info.title, hint: info.hint || "" };
  return { label: state.labels[plainPath(path)] || name, hint: "" };
}

// {const: title} of a schema's oneOf, without the other accepted spellings (单位 for organization)
export function enumNames(s) {
  const out = {};
  for (const o of s.oneOf || []) if (o.const !== undefined && !o["x-quanze-alias-of"]) out[o.const] = o.title || String(o.const);
  return out;
}

export function enumValues(s) { return s.oneOf ? Object.keys(enumNames(s)) : s.enum || []; }

// dates as officers write them -> YYYY-MM-DD for the date picker
export function isoDate(v) {
  if (typeof v !== "string") return "";
  const m = v.trim().match(/^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/);
  if (!m) return "";
  const pad = (x) => String(x).padStart(2, "0");
  return `${m[1]}-${pad(m[2] || m[4])}-${pad(m[3] || m[5])}`;
}

// --- the imported draft, kept as the base of what is sent ------------------------------------
// What the officer has not touched is sent exactly as imported (unknown keys, null, [], ''); a control
// the officer changes overwrites just its path; clearing it removes the key (未填写).

export const isRaw = (v) => typeof JSON.isRawJSON === "function" && JSON.isRawJSON(v);

export const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !isRaw(v);

export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export const scalarText = (v) => (isRaw(v) ? v.rawJSON : String(v));

// JSON text -> values; a number JavaScript would round or rewrite (12345678901234567890, 70000.0) keeps its digits
export function parseExact(text) {
  if (typeof JSON.rawJSON !== "function") return JSON.parse(text);
  return JSON.parse(text, (k, v, ctx) => (typeof v === "number" && ctx && typeof ctx.source === "string" && ctx.source !== JSON.stringify(v) ? JSON.rawJSON(ctx.source) : v));
}

// item details and schemas do not change while the page is open
export function cached(path) {
  if (!state.cache.has(path)) state.cache.set(path, getJSON(path).catch((err) => { state.cache.delete(path); throw err; }));
  return state.cache.get(path);
}

export const shortJSON = (v) => {
  const text = v === undefined ? "（缺少）" : JSON.stringify(v);
  return text.length > 80 ? text.slice(0, 77) + "…" : text;
};

// the request body of a draft as 检查 sends it
export function bodyInit(out) {
  return out.doc !== undefined
    ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(out.doc) }
    : { headers: { "Content-Type": out.type }, body: out.bytes };
}

export const localToday = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; };

// the name in Content-Disposition (filename*=UTF-8''… first)
export function filenameOf(header) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header || "");
  if (star) try { return decodeURIComponent(star[1].trim()); } catch { /* fall back to filename= */ }
  const plain = /filename="?([^";]+)"?/i.exec(header || "");
  return plain ? plain[1] : "";
}

// 生成事先告知书 / 处罚决定书 (issue 27 §4): the docx of POST /api/v1/document/{notice|decision}, as `quanze document`
export const DOCUMENTS = { notice: "行政处罚事先告知书", decision: "行政处罚决定书" };

export function save(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}
