// 办案期限: the deadlines of POST /api/v1/deadlines, in the 推理过程 panel.

import { $, el, api, bodyInit, localToday } from "./form-core.js";

export const STATUS = { open: "未到期", met: "已按期完成", late: "已逾期", due_today: "今日到期" };

export function deadlinesPart(body) {
  const rows = Array.isArray(body.deadlines) ? body.deadlines : [];
  const box = el("div", { class: "deadlines", id: "deadlines" }, el("h3", { text: `办案期限${body.today ? `（截至 ${body.today}）` : ""}` }));
  if (!rows.length) { box.append(el("p", { class: "meta", text: "根据已填写的日期，没有可计算的期限。" })); return box; }
  const table = el("table", { class: "deadline-table" }, el("thead", {}, el("tr", {}, ...["环节", "最后一日", "状态", "依据"].map((h) => el("th", { text: h })))));
  const tbody = el("tbody");
  for (const d of rows) {
    const day = d.last_day || (Array.isArray(d.last_day_range) ? `${d.last_day_range[0]} 至 ${d.last_day_range[1]}（调休安排未知）` : "—");
    const how = el("details", {}, el("summary", { text: "计算" }), el("p", { class: "meta", text: d.counted_text ?? d.counted }));
    if ((d.skipped || []).length) how.append(el("p", { class: "meta", text: `跳过：${d.skipped.join("、")}` }));
    tbody.append(el("tr", { class: `deadline ${d.status}`, "data-step": d.step },
      el("td", {}, d.title_text ?? d.title, how), el("td", { text: day }),
      el("td", { class: `status ${d.status}`, text: d.words || STATUS[d.status] || d.status }), el("td", { class: "meta", text: d.basis })));
  }
  table.append(tbody);
  box.append(table);
  return box;
}

// the deadlines of the draft in the 推理过程 panel (made when the answer has no reasoning); an API without
// /api/v1/deadlines (404) shows none
export async function showDeadlines(out) {
  const res = await api(`/api/v1/deadlines?today=${localToday()}`, { method: "POST", ...bodyInit(out) });
  if (res.status === 404 || !res.ok) return;
  const part = deadlinesPart(await res.json());
  let panel = $("#reasoning");
  if (!panel) { panel = el("section", { class: "card reasoning", id: "reasoning" }, el("h2", { text: "推理过程" })); $("#result").append(panel); }
  panel.append(part);
}
