// The register page (/register): open cases by nearest last day, with 黄牌 and 红牌, filters and pages.
// Every value from the server is set as text (never as HTML).

import { forgetSaved } from "./form-store.js";

const reg = { page: 1, perPage: 50, total: 0, choices: null };
window.quanzeRegister = { loads: 0 };

function $(sel) { return document.querySelector(sel); }

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function authHeaders() {
  const token = sessionStorage.getItem("quanze-token");
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function fillChoices(choices) {
  for (const [name, values] of Object.entries(choices)) {
    const select = $(`#filters [name=${name}]`);
    if (!select) continue;
    const keep = select.value;
    select.replaceChildren(el("option", { value: "", text: "全部" }), ...values.map((v) => el("option", { value: v, text: v })));
    select.value = values.includes(keep) ? keep : "";
  }
}

function row(c) {
  const card = c.card ? el("span", { class: `badge ${c.card}`, text: c.card === "red" ? "红牌" : "黄牌" }) : "";
  const link = el("a", { href: `/?case=${encodeURIComponent(c.case_id)}`, class: "link", text: c.case_id });
  const cells = [card, link, c.item || "", c.stage || "", c.next_step || "", c.nearest || "", c.remaining || "",
    c.handler || "", c.department || "", String(c.versions), `${(c.updated_at || "").slice(0, 16).replace("T", " ")} ${c.updated_by}`];
  const tr = el("tr", { class: c.valid ? "" : "invalid", "data-case": c.case_id, "data-card": c.card || "" });
  for (const value of cells) tr.append(el("td", {}, [value]));
  return tr;
}

async function load() {
  const form = new FormData($("#filters"));
  const q = new URLSearchParams({ page: String(reg.page), per_page: String(reg.perPage) });
  for (const name of ["department", "handler", "item", "stage"]) if (form.get(name)) q.set(name, form.get(name));
  if (form.get("closed")) q.set("closed", "true");
  const today = new URLSearchParams(location.search).get("today");
  if (today) q.set("today", today);
  const res = await fetch(`/api/v1/register/cases?${q}`, { headers: authHeaders() });
  const body = await res.json();
  if (!res.ok) {
    $("#summary").textContent = (body.lines || [`无法读取登记簿（HTTP ${res.status}）`]).join("；");
    return;
  }
  reg.total = body.total;
  $("#yellow-days").textContent = String(body.yellow_days);
  fillChoices(body.choices);
  $("#register tbody").replaceChildren(...body.cases.map(row));
  const reds = body.cases.filter((c) => c.card === "red").length;
  const yellows = body.cases.filter((c) => c.card === "yellow").length;
  $("#summary").textContent = `截至 ${body.today}：共 ${body.total} 件；本页红牌 ${reds} 件，黄牌 ${yellows} 件`;
  const pages = Math.max(1, Math.ceil(body.total / body.per_page));
  $("#page-no").textContent = `第 ${body.page} / ${pages} 页`;
  $("#prev").disabled = body.page <= 1;
  $("#next").disabled = body.page >= pages;
  window.quanzeRegister.loads += 1;
}

async function whoAmI() {
  const res = await fetch("/api/v1/register/me", { headers: authHeaders() });
  if (!res.ok) return;
  const me = await res.json();
  if (!me.user) return;
  const out = el("button", { type: "button", id: "logout", class: "small", text: "退出登录" });
  out.addEventListener("click", async () => {
    forgetSaved(); // the form's autosaved draft leaves this browser with the officer
    await fetch("/logout", { method: "POST", headers: { "X-CSRF-Token": me.csrf || "" } });
    location.href = "/login";
  });
  $("#who").replaceChildren(`${me.user.role}：${me.user.name}` + (me.user.department ? `（${me.user.department}）` : "") + " ", out);
}

window.addEventListener("DOMContentLoaded", () => {
  whoAmI().catch(() => {});
  $("#filters").addEventListener("change", () => { reg.page = 1; load(); });
  $("#filters").addEventListener("submit", (e) => e.preventDefault()); // no inline handler: the page's CSP allows none
  $("#prev").addEventListener("click", () => { reg.page -= 1; load(); });
  $("#next").addEventListener("click", () => { reg.page += 1; load(); });
  load().catch((err) => { $("#summary").textContent = `无法读取登记簿：${err.message}`; });
});
