// Class mode (issue 20): load a sample case into the form, show its 案情, and its 讲解 on request.
// Uses the form's own import path (importFile in form-import.js), so a case is checked exactly as an imported file.

import { api } from "./form-core.js";
import { importFile } from "./form-import.js";

(function () {
  function node(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text; // text from a case file is never parsed as HTML
    return e;
  }

  async function start() {
    const pick = document.getElementById("pick");
    if (!pick) return;
    const card = node("section", { class: "card", id: "classmode" });
    const label = node("label", { for: "class-case" }, "课堂模式：样例案例");
    const select = node("select", { id: "class-case" });
    select.append(node("option", { value: "" }, "正在加载案例……"));
    const story = node("div", { id: "class-story", "aria-live": "polite" });
    card.append(label, select, story);
    pick.after(card);
    let cases = [];
    try {
      const res = await api("/api/v1/cases");
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      cases = (await res.json()).cases || [];
    } catch (err) {
      select.replaceChildren(node("option", { value: "" }, `无法加载案例：${err.message}`));
      return;
    }
    select.replaceChildren(node("option", { value: "" }, `选择一个案例（共 ${cases.length} 个）`));
    const groups = {};
    cases.forEach((c) => {
      if (!groups[c.item]) { groups[c.item] = node("optgroup", { label: c.item }); select.append(groups[c.item]); }
      groups[c.item].append(node("option", { value: c.name }, c.title));
    });
    select.addEventListener("change", () => load(select.value, story));
  }

  async function load(name, story) {
    story.replaceChildren();
    if (!name) return;
    const res = await api(`/api/v1/cases?name=${encodeURIComponent(name)}`);
    if (!res.ok) { story.append(node("p", { class: "hint" }, `无法加载案例 ${name}`)); return; }
    const c = await res.json();
    await importFile(new File([c.text], c.file, { type: "application/yaml" }));
    const teach = node("div", { id: "class-teaching", hidden: "" });
    teach.append(node("h3", {}, "讲解"), node("p", { class: "prewrap" }, c.teaching));
    const show = node("button", { type: "button", id: "class-show" }, "显示讲解");
    show.addEventListener("click", () => { teach.hidden = !teach.hidden; show.textContent = teach.hidden ? "显示讲解" : "隐藏讲解"; });
    story.append(node("h3", {}, c.title), node("h3", {}, "案情"),
      node("p", { class: "prewrap", id: "class-narrative" }, c.narrative), show, teach);
  }

  window.addEventListener("DOMContentLoaded", start);
})();
