// The form and the case register: "保存到登记库" saves what the form would check as a new version of its case
// (POST /api/v1/register/cases, version-checked); /?case=ID opens a registered case in the form with its history.
// A module of the form (form-core.js, form-draft.js, form-import.js); every server value is shown as text.

import { $, el, api } from "./form-core.js";
import { outgoing } from "./form-draft.js";
import { importFile } from "./form-import.js";
import { logoutDraft } from "./form-autosave.js";

(() => {
  const box = { caseId: null, base: 0, findings: {}, csrf: null, user: null };
  window.quanzeRegisterForm = { saves: 0, opened: 0, last: null };

  function csrfHeaders() {
    return box.csrf ? { "X-CSRF-Token": box.csrf } : {};
  }

  function panel() {
    let section = $("#register-box");
    if (section) return section;
    section = el("section", { id: "register-box", class: "card" },
      el("div", { class: "row" },
        el("strong", { text: "案件登记库" }),
        el("span", { id: "register-state", class: "hint", text: "未保存到登记库" }),
        el("label", { for: "register-who", id: "register-who-label", text: "保存人" }),
        el("input", { type: "text", id: "register-who", maxlength: "100", autocomplete: "name" }),
        el("button", { type: "button", id: "register-save", text: "保存到登记库" }),
        el("a", { href: "/register", class: "link", text: "案件登记簿" })),
      el("p", { id: "register-status", class: "hint", role: "status" }),
      el("div", { id: "history" }),
      el("div", { id: "opinions" }),
      el("div", { id: "opinion-box", hidden: true },
        el("label", { for: "opinion-text", text: "审核意见（针对当前版本）" }),
        el("textarea", { id: "opinion-text", rows: "3", maxlength: "20000" }),
        el("button", { type: "button", id: "opinion-save", text: "记录审核意见" })));
    $("#pick").after(section);
    const who = $("#register-who");
    try { who.value = localStorage.getItem("quanze-who") || ""; } catch { /* storage disabled */ }
    who.addEventListener("change", () => { try { localStorage.setItem("quanze-who", who.value); } catch { /* disabled */ } });
    $("#register-save").addEventListener("click", save);
    $("#opinion-save").addEventListener("click", saveOpinion);
    return section;
  }

  function showState() {
    $("#register-state").textContent = box.caseId ? `案件 ${box.caseId}：第 ${box.base} 版` : "未保存到登记库";
  }

  function codes(list, cls, word) {
    if (!list.length) return null;
    return el("span", { class: `codes ${cls}`, text: `${word}：${list.map((c) => box.findings[c] ? `${box.findings[c]}（${c}）` : c).join("、")}` });
  }

  function showHistory(history) {
    const items = history.map((v) => el("li", { "data-version": String(v.number) },
      el("span", { text: `第 ${v.number} 版 · ${v.saved_at.slice(0, 19).replace("T", " ")} UTC · ${v.saved_by} · ` +
        (v.valid ? `结论 ${v.verdict}` : "无法读取或校验") + " " }),
      codes(v.appeared, "appeared", "新出现"), " ", codes(v.resolved, "resolved", "已消除")));
    $("#history").replaceChildren(el("p", { class: "hint", text: "版本历史（每一版的保存时间、保存人及结论的变化）" }), el("ol", {}, items));
  }

  function showOpinions(list) {
    const items = (list || []).map((o) => el("li", {},
      el("span", { text: `第 ${o.version} 版 · ${o.at.slice(0, 19).replace("T", " ")} UTC · ${o.author}：` }),
      el("span", { class: "opinion-text", text: o.text })));
    $("#opinions").replaceChildren(...(items.length ? [el("p", { class: "hint", text: "审核意见" }), el("ol", {}, items)] : []));
    $("#opinion-box").hidden = !(box.caseId && box.user && box.user.role === "法制审核");
  }

  async function refresh() {
    const res = await api(`/api/v1/register/case?case_id=${encodeURIComponent(box.caseId)}`);
    if (!res.ok) return null;
    const body = await res.json();
    box.base = body.versions;
    showState();
    showHistory(body.history);
    showOpinions(body.opinions);
    return body;
  }

  async function saveOpinion() {
    const status = $("#register-status");
    const text = $("#opinion-text").value.trim();
    if (!text) { status.textContent = "请先填写审核意见。"; return; }
    const q = new URLSearchParams({ case_id: box.caseId, version: String(box.base) });
    try {
      const res = await api(`/api/v1/register/opinion?${q}`, {
        method: "POST", headers: { "Content-Type": "application/json", ...csrfHeaders() }, body: JSON.stringify({ text }) });
      const body = await res.json();
      if (res.status === 201) {
        $("#opinion-text").value = "";
        await refresh();
        status.textContent = `已记录对第 ${body.version} 版的审核意见`;
      } else {
        status.textContent = (body.lines || [`记录失败（HTTP ${res.status}）`]).join("；");
      }
    } finally {
      window.quanzeRegisterForm.opinions = (window.quanzeRegisterForm.opinions || 0) + 1;
    }
  }

  async function logout() {
    if (!logoutDraft()) return;
    await fetch("/logout", { method: "POST", headers: csrfHeaders() });
    location.href = "/login";
  }

  async function save() {
    const status = $("#register-status");
    const out = outgoing();
    if (!out) { status.textContent = "请先选择事项或导入草稿。"; return; }
    const q = new URLSearchParams({ base: String(box.base) });
    const who = $("#register-who").value.trim();
    if (who) q.set("who", who);
    const init = out.bytes
      ? { method: "POST", headers: { "Content-Type": out.type, ...csrfHeaders() }, body: out.bytes }
      : { method: "POST", headers: { "Content-Type": "application/json", ...csrfHeaders() }, body: JSON.stringify(out.doc) };
    try {
      const res = await api(`/api/v1/register/cases?${q}`, init);
      const body = await res.json();
      window.quanzeRegisterForm.last = { status: res.status, body };
      if (res.status === 201) {
        box.caseId = body.case_id;
        await refresh();
        status.textContent = `已保存为第 ${body.number} 版` + (body.valid ? "" : "（草稿无法读取或校验，已照原样保存并附其问题）");
        const url = new URL(location.href);
        url.searchParams.set("case", body.case_id);
        history.replaceState(null, "", url);
      } else {
        status.textContent = (body.lines || [`保存失败（HTTP ${res.status}）`]).join("；");
      }
    } catch (err) {
      status.textContent = `保存失败：${err.message}`;
    } finally {
      window.quanzeRegisterForm.saves += 1;
    }
  }

  async function open(caseId) {
    box.caseId = caseId;
    const body = await refresh();
    if (!body) { $("#register-status").textContent = `登记库中没有案件 ${caseId}`; return; }
    const type = body.media === "json" ? "application/json" : "application/yaml";
    const file = new File([body.text], `${caseId}.${body.media}`, { type });
    await importFile(file);
    $("#register-status").textContent = `已从登记库打开第 ${body.versions} 版`;
  }

  async function start() {
    for (let i = 0; i < 600 && document.body.dataset.ready !== "1"; i++) await new Promise((r) => setTimeout(r, 50));
    panel();
    try {
      const found = await api("/api/v1/findings");
      if (found.ok) for (const [code, f] of Object.entries(await found.json())) box.findings[code] = f.title || code;
    } catch { /* titles are a nicety */ }
    try {
      const me = await api("/api/v1/register/me");
      if (me.ok) {
        const body = await me.json();
        box.csrf = body.csrf;
        box.user = body.user;
      }
    } catch { /* no register: the form works as before */ }
    if (box.user) {
      $("#register-who").hidden = true;
      $("#register-who-label").textContent = `${box.user.role}：${box.user.name}` + (box.user.department ? `（${box.user.department}）` : "");
      const out = el("button", { type: "button", id: "logout", class: "small", text: "退出登录" });
      out.addEventListener("click", logout);
      $("#register-box .row").append(out);
      if (box.user.role === "法制审核") $("#register-save").hidden = true;
    }
    const caseId = new URLSearchParams(location.search).get("case");
    if (caseId) await open(caseId).catch((err) => { $("#register-status").textContent = `无法打开案件：${err.message}`; });
    window.quanzeRegisterForm.opened += 1;
  }

  window.addEventListener("DOMContentLoaded", start);
})();
