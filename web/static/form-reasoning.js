// 推理过程: the derivations and the checks made (result.reasoning, docs/reasoning in the shared shapes).

import { el } from "./form-core.js";

// --- 推理过程: the derivations and the checks made (result.reasoning, docs/reasoning in the shared shapes),
// the deadlines of POST /api/v1/deadlines in the same panel -----------------------------------------

export const OUTCOMES = [["fail", "不通过"], ["unknown", "无法检查"], ["pass", "通过"]];

export function reasoningPanel(r) {
  const box = el("section", { class: "card reasoning", id: "reasoning" }, el("h2", { text: "推理过程" }));
  const derivations = Array.isArray(r.derivations) ? r.derivations : [];
  if (derivations.length) {
    box.append(el("h3", { text: "推导" }));
    for (const d of derivations) {
      const lines = el("ul");
      for (const line of Array.isArray(d.lines) ? d.lines : []) lines.append(el("li", { text: line }));
      box.append(el("div", { class: "derivation" }, el("h4", { text: d.title }), lines));
    }
  }
  const checks = r.checks || {};
  box.append(el("h3", { text: "检查项目" }));
  for (const [key, word] of OUTCOMES) {
    const list = Array.isArray(checks[key]) ? checks[key] : [];
    const ul = el("ul", { class: `checks-made ${key}` });
    for (const c of list) {
      const li = el("li", { "data-code": c.code, "data-outcome": key }, el("span", { class: `outcome ${key}`, text: word }), " ", c.title, " ", el("span", { class: "code", text: c.code }));
      if ((c.variants || []).length) li.append(el("div", { class: "meta", text: `情形：${c.variants.join("；")}` }));
      if ((c.basis || []).length) li.append(el("div", { class: "meta", text: `依据：${c.basis.join("；")}` }));
      ul.append(li);
    }
    const group = el("details", { class: `outcome-group ${key}`, open: key !== "pass" || list.length <= 12 ? true : null },
      el("summary", { text: `${word}（${list.length} 项）` }), list.length ? ul : el("p", { class: "meta", text: "无" }));
    box.append(group);
  }
  return box;
}
