// The form's words for a field path: its label, and a problem's place (the engine's answers carry the officer's
// wording of each message in `text`, shown as it is).

import { state, plainPath } from "./form-core.js";

// the field's name as the form shows it, or "" when the form has no such field
export function knownLabel(path) {
  const p = plainPath(path);
  return state.labels[p] || (state.info[p] && state.info[p].title) || "";
}

// a field's place in words: 处罚数额（第 2 行）; an unknown key by its name beside its section
export function placeWords(where) {
  if (!where) return "";
  const rows = [...where.matchAll(/\[(\d+)\]/g)].map((m) => `第 ${Number(m[1]) + 1} 行`);
  const label = knownLabel(where);
  if (label) return label + (rows.length ? `（${rows.join("、")}）` : "");
  const cut = where.lastIndexOf(".");
  const parent = cut > 0 ? knownLabel(where.slice(0, cut)) : "";
  return `${parent ? `「${parent}」中的` : ""}字段 ${where.slice(cut + 1)}`;
}
