// The stage card (issue 26): the stage a penalty case has reached and the time limits still ahead.

import { el } from "./form-core.js";

// issue 26: the stage a penalty case has reached and the time limits still ahead (result.stage, open, next_steps)
export function stageCard(result) {
  const state_ = result.open ? "办理中，尚未作出决定" : "已作出决定";
  const box = el("div", { class: "card stage", id: "stage" },
    el("h2", { text: `案件阶段：${result.stage.name}（${state_}）` }));
  const steps = result.next_steps || [];
  if (!steps.length) box.append(el("p", { class: "meta", text: "没有尚未办理的有时限环节。" }));
  for (const d of steps) {
    const last = d.last_day || (d.last_day_range ? `${d.last_day_range[0]} 至 ${d.last_day_range[1]}（调休未知）` : "无法计算");
    box.append(el("p", { class: "next-step", text: `下一步：${d.title}，最后一日 ${last}（${d.basis}）` }));
  }
  return box;
}
