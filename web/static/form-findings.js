// 检查 and its result panel: the verdict, the fine range, the findings with their basis and 追责提示, what could
// not be checked, and the input problems with links to their fields.

import { $, el, state, api, plainPath, isoDate, isObj, bodyInit } from "./form-core.js";
import { STEP_WORDS, fieldAt } from "./form-controls.js";
import { outgoing } from "./form-draft.js";
import { knownLabel, placeWords } from "./form-words.js";
import { stageCard } from "./form-stage.js";
import { reasoningPanel } from "./form-reasoning.js";
import { showDeadlines } from "./form-deadlines.js";

// --- check and result -------------------------------------------------------------------

export function clearProblems() {
  for (const n of document.querySelectorAll(".problem")) n.classList.remove("problem");
}

// the form's element of a field path (the nearest enclosing section when the form has no control for it)
export function fieldNode(where) {
  if (!state.root || !where) return null;
  const c = state.root.find(where.split(/\.|\[|\]/).filter(Boolean));
  if (!c || c === state.root) return null;
  return (c.wrap && c.wrap.isConnected && c.wrap) || (c.el && c.el.isConnected && (c.el.closest(".field, .row > div, fieldset") || c.el)) || null;
}

// scroll to a field, mark it and put the cursor in it
export function goTo(node) {
  for (const n of document.querySelectorAll(".flash")) n.classList.remove("flash");
  node.classList.add("problem", "flash");
  node.scrollIntoView({ block: "center" });
  const input = node.querySelector("input, select, textarea");
  if (input) input.focus({ preventScroll: true });
}

// a place in a list of problems: a link to its field when the form shows it
export function placeLink(where, text) {
  const node = fieldNode(where);
  if (!node) return text ? el("span", { class: "place", text }) : null;
  return el("a", { href: "#", class: "goto", "data-where": where, text: text || "（此项）", onclick: (e) => { e.preventDefault(); goTo(node); } });
}

export function showProblems(body) {
  clearProblems();
  const out = $("#result");
  const list = el("ul", { class: "problems" });
  for (const p of body.problems || []) {
    const field = p.path ? p.where : ""; // a field's problem carries its path; a line's (第 12 行) is said as written
    const place = field ? placeWords(field) : p.where || "";
    const node = fieldNode(field);
    if (node) node.classList.add("problem");
    list.append(el("li", {}, place ? placeLink(field, place) : null, place ? "：" : null, p.text ?? p.message));
  }
  out.replaceChildren(el("div", { class: "verdict fail", text: "草稿有输入问题，未检查" }), el("div", { class: "card" }, el("p", { text: "请改正以下各项（一次列出全部问题，点击名称可跳到该处）：" }), list));
}

// a section or field left out (not_checked): its label, what could not be checked, how to answer it on the form
export function notCheckedItem(n) {
  const field = n.field || "";
  const label = knownLabel(field);
  const titles = (n.codes || []).map((code) => el("span", { class: "nc-check" }, (state.findings[code] || {}).title || code, " ", el("span", { class: "code", text: code })));
  const checks = titles.flatMap((t, i) => (i ? ["、", t] : [t]));
  if (!label) return el("p", { class: "meta", text: n.text || "" });
  const c = fieldAt(plainPath(field));
  const how = n.affects_verdict === false ? "不影响结论，请补填。"
    : c && c.toggle ? `已办理的选「有此环节」并填写；${(STEP_WORDS[field] || {}).no ? `${STEP_WORDS[field].no.replace(/^无（|）$/g, "")}的选「${STEP_WORDS[field].no}」` : "未办理的选「无此环节（未办理）」"}。`
    : "请补填。";
  return el("p", { class: "meta nc", "data-field": field }, placeLink(field, `「${label}」`) || `「${label}」`, `未填写，以下检查未能进行：`, ...checks, `。${how}`);
}

export const VERDICT = { pass: "通过", warn: "通过（有警告）", fail: "不通过", incomplete: "未完成（有未填写的环节）" };

export const SEVERITY = { error: "错误", warning: "警告", info: "提示" };

export const ROLE = { handler: "具体承办人", reviewer: "内设机构负责人", approver: "单位法定代表人或分管领导" };

export const yuan = (n) => `${Number(n).toLocaleString("zh-CN")} 元`;

export function fineBar(result, fine) {
  const [lo, hi] = result.fine_range;
  const bands = result.bands || {};
  const left = Math.min(lo, fine ?? lo) * 0.9;
  const right = Math.max(hi, fine ?? hi) * 1.05;
  const pos = (x) => `${(((x - left) / (right - left)) * 100).toFixed(2)}%`;
  const bar = el("div", { class: "bar", role: "img", "aria-label": `罚款幅度 ${lo}–${hi} 元` });
  for (const [tier, [a, b]] of Object.entries(bands)) {
    bar.append(el("div", { class: `band ${tier}`, style: `left:${pos(a)};width:calc(${pos(b)} - ${pos(a)})`, title: `${tier} ${a}–${b} 元`, text: tier }));
  }
  if (!Object.keys(bands).length) bar.append(el("div", { class: "band 一般", style: `left:${pos(lo)};width:calc(${pos(hi)} - ${pos(lo)})`, text: "法定幅度" }));
  bar.append(el("div", { class: "axis", style: `left:${pos(lo)}`, text: yuan(lo) }), el("div", { class: "axis", style: `left:${pos(hi)}`, text: yuan(hi) }));
  if (fine !== null && fine !== undefined) {
    const at = (fine - left) / (right - left);
    const shift = at > 0.75 ? "translateX(-100%)" : at < 0.25 ? "translateX(0)" : "translateX(-50%)";
    bar.append(el("div", { class: "marker", style: `left:${pos(fine)}` }, el("span", { style: `transform:${shift}`, text: `本案 ${yuan(fine)}` })));
  }
  return el("div", { class: "card" }, el("h2", { text: "罚款幅度与裁量阶次" }),
    el("p", { class: "meta", text: `法定幅度 ${yuan(lo)}–${yuan(hi)}；建议阶次：${result.recommended_tier || "—"}` + (fine !== null && fine !== undefined ? `；本案罚款 ${yuan(fine)}` : "") }), bar);
}

export async function basisBlock(label, on) {
  const q = new URLSearchParams({ label });
  if (on) q.set("on", on);
  const key = `/api/v1/basis?${q}`;
  if (!state.cache.has(key)) state.cache.set(key, api(key).then((res) => (res.ok ? res.json() : null)).catch((err) => { state.cache.delete(key); throw err; }));
  const found = await state.cache.get(key);
  const det = el("details", { class: "basis" }, el("summary", { text: `依据：${label}` }));
  if (found) {
    const b = found;
    det.append(el("blockquote", { text: b.text }), el("p", { class: "meta", text: `《${b.law}》${b.article}${b.whole_article ? "（全条）" : ""}${b.in_force_from ? `，自 ${b.in_force_from} 起施行` : ""}` }));
  } else {
    det.append(el("p", { class: "meta", text: "规则中没有此条文的原文。" }));
  }
  return det;
}

export function accountabilityBlock(acc) {
  const box = el("div", { class: "accountability" }, el("h4", { text: "追责提示" }));
  const triggers = el("ul");
  for (const t of acc.triggers || []) triggers.append(el("li", { text: `${t.list} 追责情形${t.no}：${t.officer_text}` }));
  if (!(acc.triggers || []).length) triggers.append(el("li", { text: "无对应的追责情形" }));
  box.append(triggers);
  if (acc.statute) box.append(el("p", { class: "meta", text: `依据：${acc.statute}` }));
  const persons = el("ul");
  for (const p of acc.persons || []) persons.append(el("li", { text: `${ROLE[p.role] || p.role} ${p.name || "（未填写）"}${p.responsibility ? `：${p.responsibility}` : ""}` }));
  // no published 追责情形 fits: who would answer if the reviewers find 追责 due, never an accusation
  box.append(el("p", { class: "meta", text: (acc.triggers || []).length ? "责任人：" : "如认定追责，责任人：" }), persons);
  if (acc.attribution && acc.attribution.title) box.append(el("p", { class: "meta", text: `归责规则：${acc.attribution.title}` }));
  return box;
}

export async function showResult(result, draft) {
  clearProblems();
  const out = $("#result");
  const on = (draft && isObj(draft.decision) && isoDate(draft.decision.decided_on)) || null;
  const parts = [el("div", { class: `verdict ${result.verdict}`, text: `结论：${VERDICT[result.verdict]}` })];
  if (result.stage) parts.push(stageCard(result));
  const head = el("div", { class: "card" });
  if (result.provision) head.append(el("p", { text: `适用条文：${result.provision.law} ${result.provision.article}` }), el("p", { class: "meta", text: result.provision.chosen_because || "" }));
  for (const w of (result.calendar_warnings || []).concat(result.rule_warnings || [])) head.append(el("p", { class: "meta", text: `注意：${w}` }));
  head.append(el("p", { class: "meta", text: `规则版本 ${result.rules_version}` }));
  parts.push(head);
  if (result.fine_range) {
    const facts = (result.explanation && result.explanation.facts) || {};
    const fine = typeof facts.fine_amount === "number" && facts.fine_amount > 0 ? facts.fine_amount : null;
    parts.push(fineBar(result, fine));
  }
  if ((result.not_checked || []).length) {
    const box = el("div", { class: "card" }, el("h2", { text: "未能检查的部分" }));
    for (const n of result.not_checked) box.append(notCheckedItem(n));
    parts.push(box);
  }
  const list = el("div", { class: "card" }, el("h2", { text: result.findings.length ? `发现 ${result.findings.length} 项` : "未发现问题" }));
  for (const f of result.findings) {
    const title = (state.findings[f.code] || {}).title || f.code;
    const card = el("div", { class: `finding ${f.severity}`, "data-code": f.code },
      el("h3", {}, `${SEVERITY[f.severity] || f.severity}：${title} `, el("span", { class: "code", text: f.code })),
      el("p", { text: f.text }));
    for (const b of f.basis || []) card.append(await basisBlock(b, on));
    if (f.accountability) card.append(accountabilityBlock(f.accountability));
    list.append(card);
  }
  parts.push(list);
  if (result.reasoning) parts.push(reasoningPanel(result.reasoning));
  out.replaceChildren(...parts);
}

export async function runCheck() {
  const out = outgoing();
  const status = $("#status");
  if (!out) { status.textContent = "请先选择事项。"; return; }
  status.textContent = "正在检查……";
  try {
    const res = await api("/api/v1/check?explain=true", { method: "POST", ...bodyInit(out) });
    const text = await res.text();
    window.quanze.last = { status: res.status, text };
    const body = JSON.parse(text);
    if (res.ok) await showResult(body, out.doc);
    else showProblems(body);
    status.textContent = res.ok ? "检查完成" : `输入有 ${(body.problems || []).length} 个问题`;
    if (res.ok) await showDeadlines(out).catch(() => {});
  } catch (err) {
    status.textContent = `检查失败：${err.message}`;
  } finally {
    window.quanze.checks += 1;
  }
}
