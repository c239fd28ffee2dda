// The form's words for engine text: field paths and keys by their labels (the officer's wording of a message).

import { state, plainPath } from "./form-core.js";

// the field's name as the form shows it, or "" when the form has no such field
export function knownLabel(path) {
  const p = plainPath(path);
  return state.labels[p] || (state.info[p] && state.info[p].title) || "";
}

// a problem's place in words: 处罚数额（第 2 行）, 第 20 行; an unknown key by its name beside its section
export function placeWords(where) {
  if (!where || /^第 \d+ 行$/.test(where)) return where || "";
  const rows = [...where.matchAll(/\[(\d+)\]/g)].map((m) => `第 ${Number(m[1]) + 1} 行`);
  const label = knownLabel(where);
  if (label) return label + (rows.length ? `（${rows.join("、")}）` : "");
  const cut = where.lastIndexOf(".");
  const parent = cut > 0 ? knownLabel(where.slice(0, cut)) : "";
  return `${parent ? `「${parent}」中的` : ""}字段 ${where.slice(cut + 1)}`;
}

// the label of a bare key (no_fault_proven) when exactly one field of the form ends with it
export function keyLabel(key) {
  const hits = new Set();
  for (const [p, info] of Object.entries(state.info)) if (p === key || p.endsWith(`.${key}`)) hits.add(knownLabel(p) || (info && info.title));
  hits.delete(undefined);
  hits.delete("");
  return hits.size === 1 ? [...hits][0] : "";
}

// an engine message in the form's words: field paths and keys by their labels, a field's values by their names,
// without what only a YAML writer needs; quoted text (what the draft says) is left as it is
export function formWords(text, where = "") {
  const parent = where.includes(".") ? plainPath(where).split(".").slice(0, -1).join(".") : "";
  const names = (state.info[plainPath(where)] || {}).names || {};
  const label = (m) => knownLabel(m) || (parent && knownLabel(`${parent}.${m}`)) || (m.includes("_") || m.includes(".") ? keyLabel(plainPath(m)) : "");
  const plain = String(text ?? "")
    .replace(/（[^（）]*(?:null|false|rules\/|\.ya?ml)[^（）]*）/g, "")
    .replace(/[；，]?\s*(?:未办理的)?请写 null 或 false/g, "")
    .replace(/kind: ([a-z]+)/g, "草稿种类 $1");
  return plain.split(/('[^']*'|"[^"]*"|「[^」]*」)/).map((part, i) => {
    if (i % 2) {
      const inner = part.slice(1, -1);
      if (part[0] === "'" && names[inner] !== undefined) return `「${names[inner]}」`;
      if (part[0] === "「" && /^[a-z][a-z_.]*$/.test(inner) && label(inner)) return `「${label(inner)}」`;
      return part;
    }
    return part.replace(/\b[a-z][a-z_]*(?:\[\d+\])?(?:\.[a-z][a-z_]*(?:\[\d+\])?)*\b/g, (m) => (label(m) ? `「${label(m)}」` : m));
  }).join("");
}
