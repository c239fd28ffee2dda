// quanze officer form: fields built from the draft JSON Schema (/api/v1/schema/KIND), names and
// word lists from the API (generated from rules/), checks through POST /api/v1/check.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
};

// base: the imported draft ({name, bytes, type, doc, inexact}), the base of what is sent; null for a draft typed here
const state = { items: [], labels: {}, info: {}, findings: {}, detail: null, schema: null, root: null, draftKind: null, base: null, cache: new Map() };
// for tests and scripts: the last /api/v1/check answer (status, text), how many checks, imports and item changes have finished
window.quanze = { last: null, checks: 0, imports: 0, items: 0 };

function headers(extra = {}) {
  const token = sessionStorage.getItem("quanze-token");
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: headers(options.headers || {}) });
  if (res.status === 401) {
    $("#token-box").hidden = false;
    throw new Error("需要访问令牌：请在上方填写 QUANZE_TOKEN 后重试");
  }
  return res;
}

async function getJSON(path) {
  const res = await api(path);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

// --- labels --------------------------------------------------------------------------------
// A field's name (title), hint (description) and value names (oneOf const/title) come from the
// JSON Schema, i.e. from the Field(title=…, description=…) of engine/model/drafts.py; build() records
// them per path. /api/v1/labels gives each field's full name, for a problem named out of context.

function plainPath(path) { return path.replace(/\[\d+\]/g, ""); }

// the hint without what only a YAML writer needs ("没有写 null", "{to: …}", "写 false")
function hintOf(description) {
  return (description || "").split("；").filter((x) => x && !/null|false|[{]/.test(x)).join("；");
}

function labelOf(path, name) {
  const info = state.info[plainPath(path)];
  if (info && info.title) return { label: info.title, hint: hintOf(info.description) };
  // a filing item's fact: its meaning from rules/filing/ (factsControl), the name before the explanation
  const text = state.labels[plainPath(path)] || name;
  const cut = text.search(/[；：（，]/);
  if (cut <= 0) return { label: text, hint: "" };
  return { label: text.slice(0, cut), hint: hintOf(text.slice(cut).replace(/^[；：，]/, "")) };
}

// a field named out of context (a list of problems): its full name, 当事人类型 rather than 类型
function fullLabel(path) {
  return state.labels[plainPath(path)] || labelOf(path, path).label;
}

// {const: title} of a schema's oneOf, without the other accepted spellings (单位 for organization)
function enumNames(s) {
  const out = {};
  for (const o of s.oneOf || []) if (o.const !== undefined && !o["x-quanze-alias-of"]) out[o.const] = o.title || String(o.const);
  return out;
}

function enumValues(s) { return s.oneOf ? Object.keys(enumNames(s)) : s.enum || []; }

// --- what the page says about a step, and fields that cannot apply --------------------------

const STEP_HINT = "「有此环节」：已办理，请填写；「无此环节（未办理）」：按未办理检查；「（未填写）」：不检查此环节。";
const STEP_WORDS = {
  // hearing: null is "the party did not ask for a hearing" (engine/model/drafts.py Procedure.hearing)
  "procedure.hearing": {
    no: "无（当事人未要求听证）",
    hint: "当事人未要求听证的，选「无（当事人未要求听证）」；当事人要求听证后又放弃的，选「有此环节」，填写申请听证日期并勾选「放弃听证」；不选（未填写）则不检查听证。",
  },
  // the notice's proposed penalty starts as the decision's sanctions (the officer changes what differed)
  "procedure.notice": {
    opened(notice) {
      const proposed = notice.fields && notice.fields.proposed;
      const sanctions = state.root && state.root.fields.decision && state.root.fields.decision.fields.sanctions;
      if (!proposed || !sanctions || !proposed.prefill || !proposed.empty()) return;
      const rows = (sanctions.get() || []).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
      if (!rows.length) return;
      proposed.prefill(rows);
      // a notice copied from the decision would hide a difference between them: the officer is asked to compare
      const wrap = proposed.wrap && proposed.wrap.querySelector(".control");
      if (wrap && !wrap.querySelector(".prefilled")) {
        wrap.prepend(el("p", { class: "hint prefilled", text: "已按决定的处罚预填：请按告知书实际载明的拟处罚逐项核对、修改（告知与决定不一致的，检查会指出）。" }));
      }
    },
  },
};

// optional sections shown as plain sections, not as a step with 有此环节 / 无此环节 (issue 26: a case just filed
// has no violation yet, every other case has one)
const ALWAYS_SHOWN = new Set(["violation"]);

// fields shown only where they can apply (the validators of engine/model/drafts.py: age and capacity are for an
// individual, no_penalty_ground for 不予处罚); a hidden field is not sent (an imported value stays as imported)
const APPLIES = {
  "party.age": (d) => d.party && d.party.type === "individual",
  "party.capacity": (d) => d.party && d.party.type === "individual",
  "decision.no_penalty_ground": (d) => d.decision && d.decision.tier === "不予处罚",
};

// the control of a field path (no list index), or undefined
function fieldAt(path) {
  let c = state.root;
  for (const k of path.split(".")) c = c && c.fields ? c.fields[k] : undefined;
  return c;
}

function applyVisibility() {
  if (!state.root) return;
  const now = state.root.get();
  for (const [path, applies] of Object.entries(APPLIES)) {
    const c = fieldAt(path);
    if (!c || !c.wrap) continue;
    if (!c.guarded) {
      const [get, merge] = [c.get.bind(c), c.merge.bind(c)];
      Object.assign(c, { guarded: true, get: () => (c.inapplicable ? undefined : get()), merge: (b) => (c.inapplicable ? b : merge(b)) });
    }
    c.inapplicable = !applies(now);
    c.wrap.hidden = c.inapplicable;
  }
}

// --- schema helpers --------------------------------------------------------------------------

function resolve(s) {
  while (s && s.$ref) s = state.schema.$defs[s.$ref.split("/").pop()];
  return s || {};
}

function unwrap(s) {
  s = resolve(s);
  if (s.anyOf) {
    const others = s.anyOf.filter((x) => x.type !== "null");
    const nullable = others.length < s.anyOf.length;
    if (others.length === 1) {
      const inner = unwrap(others[0]);
      return { schema: { ...inner.schema, default: s.default }, nullable: nullable || inner.nullable };
    }
    return { schema: s, nullable };
  }
  return { schema: s, nullable: false };
}

function typeOf(s) {
  if (s["x-quanze-money"]) return "money";
  if (s.format === "date" || (s.anyOf || []).some((x) => x.format === "date")) return "date";
  if (s.enum || (s.oneOf && s.oneOf.every((x) => x.const !== undefined))) return "enum";
  if (s.const !== undefined) return "const";
  if (s.type === "boolean") return "bool";
  if (s.type === "integer") return "int";
  if (s.type === "array") return "array";
  if (s.properties) return "object";
  if (s.type === "object") return "map";
  return "text";
}

// dates as officers write them -> YYYY-MM-DD for the date picker
function isoDate(v) {
  if (typeof v !== "string") return "";
  const m = v.trim().match(/^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/);
  if (!m) return "";
  const pad = (x) => String(x).padStart(2, "0");
  return `${m[1]}-${pad(m[2] || m[4])}-${pad(m[3] || m[5])}`;
}

// --- the imported draft, kept as the base of what is sent ------------------------------------
// What the officer has not touched is sent exactly as imported (unknown keys, null, [], ''); a control
// the officer changes overwrites just its path; clearing it removes the key (未填写).

const isRaw = (v) => typeof JSON.isRawJSON === "function" && JSON.isRawJSON(v);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !isRaw(v);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const scalarText = (v) => (isRaw(v) ? v.rawJSON : String(v));

// JSON text -> values; a number JavaScript would round or rewrite (12345678901234567890, 70000.0) keeps its digits
function parseExact(text) {
  if (typeof JSON.rawJSON !== "function") return JSON.parse(text);
  return JSON.parse(text, (k, v, ctx) => (typeof v === "number" && ctx && typeof ctx.source === "string" && ctx.source !== JSON.stringify(v) ? JSON.rawJSON(ctx.source) : v));
}

// a control with one value: touched() once the officer changes it (input or change on target), merge(base)
// its value if touched else the imported one, unshown(base) the imported value when the control cannot show it
function tracked(control, path, target, shows = (v) => same(control.get(), v)) {
  let dirty = false;
  for (const ev of ["input", "change"]) target.addEventListener(ev, () => { dirty = true; });
  const set = control.set;
  control.set = function (v) { dirty = false; return set.call(this, v); };
  control.touched = () => dirty;
  control.merge = (base) => (dirty ? control.get() : base);
  control.unshown = (base) => (!dirty && base !== undefined && !shows(base) ? [{ path, value: base }] : []);
  return control;
}

// merge and unshown of a mapping whose keys are controls (objects, facts): the imported mapping with the
// touched fields overwritten (a cleared one removed); keys without a control are kept and listed
function mapping(control, path, fields, skip = []) {
  control.touched = () => Object.values(fields).some((c) => c.touched());
  control.merge = (base) => {
    if (!control.touched()) return base;
    const obj = isObj(base);
    const out = obj ? { ...base } : {};
    for (const [k, c] of Object.entries(fields)) {
      const v = c.merge(obj ? base[k] : undefined);
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return !obj && !Object.keys(out).length ? base : out;
  };
  control.unshown = (base) => {
    if (base === undefined) return [];
    if (!isObj(base)) return control.touched() ? [] : [{ path, value: base }];
    const out = [];
    for (const [k, v] of Object.entries(base)) {
      if (fields[k]) out.push(...fields[k].unshown(v));
      else if (!skip.includes(k)) out.push({ path: path ? `${path}.${k}` : k, value: v, extra: true });
    }
    return out;
  };
  return control;
}

// --- controls: each has el, get() (undefined = not given), set(value), find(parts) -----------

function fieldWrap(path, name, control, required, kind) {
  const { label, hint } = labelOf(path, name);
  const id = "f-" + path.replace(/[^\w]/g, "_");
  if (control.input) control.input.id = id;
  const wrap = el("div", { class: `field ${kind}`, "data-for": path });
  if (kind === "bool") {
    wrap.append(el("label", { for: id }, control.el, " " + label));
    if (hint) wrap.append(el("p", { class: "hint", text: hint }));
  } else {
    wrap.append(el("label", { for: id, class: required ? "required" : null, text: label }), el("div", { class: "control" }, control.el));
    if (hint) wrap.append(el("p", { class: "hint", text: hint }));
  }
  control.wrap = wrap;
  return control;
}

function scalarControl(path, s, kind) {
  let type = kind;
  let input;
  if (type === "enum") {
    const display = enumNames(s);
    const values = enumValues(s);
    input = el("select", {}, values.map((v) => el("option", { value: v, text: display[v] || v })));
    if (s.default === undefined || s.default === null) input.prepend(el("option", { value: "", text: "（请选择）" }));
    input.value = s.default ?? "";
  } else if (type === "bool" && s.nullable) {
    // a yes/no the draft may leave unstated (null): not a checkbox, which cannot say "not stated"
    input = el("select", {}, el("option", { value: "", text: "（未填写）" }), el("option", { value: "true", text: "是" }), el("option", { value: "false", text: "否" }));
    type = "tristate";
  } else if (type === "bool") {
    input = el("input", { type: "checkbox" });
    input.checked = s.default === true;
  } else if (type === "date") {
    input = el("input", { type: "date" });
  } else if (type === "int") {
    input = el("input", { type: "number", min: s.minimum ?? 0, step: 1, inputmode: "numeric" });
    if (s.default !== undefined && s.default !== null) input.value = s.default;
  } else {
    // a long text in the officer's words (违法事实, issue 27 §1): several lines, sent as typed
    input = s.multiline ? el("textarea", { rows: 4 }) : el("input", { type: "text", placeholder: type === "money" ? "如 70000 或 7万元" : "" });
    if (type === "money" && s.default && s.default !== "0") input.value = s.default;
    // the item's roles or conducts (rules/subjects.yaml, issue 17 §1) as suggestions; any other text may be typed
    const choices = (s["x-quanze-by-item"] || {})[state.detail ? state.detail.id : ""] || [];
    if (choices.length) {
      const id = `choices-${state.detail.id}-${path}`;
      if (!document.getElementById(id)) document.body.append(el("datalist", { id }, choices.map((c) => el("option", { value: c }))));
      input.setAttribute("list", id);
      input.placeholder = `本事项：${choices.join("、")}`;
    }
  }
  input.dataset.path = path;
  const result = {
    el: input,
    input,
    get() {
      if (type === "bool") return input.checked;
      const v = input.value.trim();
      // a blank field is left out: 未填写 to the engine (docs/procedure.md), never read as "not done",
      // so a field an officer skipped cannot produce an error; a step switched off is null (not done)
      if (v === "") return undefined;
      if (type === "tristate") return v === "true";
      if (type === "int") return Number(v);
      if (type === "money" && /^\d+(\.\d+)?$/.test(v)) return Number(v);
      return v;
    },
    set(v) {
      // a field the file leaves out keeps its default (a money field stays blank, as a new form shows it)
      if (v === undefined && type !== "tristate") v = type === "money" && Number(s.default) === 0 ? undefined : s.default;
      if (type === "bool") input.checked = v === true;
      else if (type === "tristate") input.value = v === true ? "true" : v === false ? "false" : "";
      else if (type === "date") input.value = isoDate(v) || "";
      else if (type === "enum" && v !== null && v !== undefined) {
        const mapped = { 单位: "organization", 个人: "individual" }[v] || v;
        if (![...input.options].some((o) => o.value === mapped)) input.append(el("option", { value: mapped, text: mapped }));
        input.value = mapped;
      } else input.value = v === null || v === undefined ? "" : scalarText(v);
    },
    find() { return this; },
  };
  const control = result;
  return tracked(control, path, input, (v) => {
    const got = control.get();
    if (same(got, v)) return true;
    if (type === "date") return typeof v === "string" && isoDate(v) !== "" && got === isoDate(v);
    if (type === "money") return (typeof v === "string" || typeof v === "number" || isRaw(v)) && input.value === scalarText(v);
    if (type === "enum") return typeof v === "string" && input.value === ({ 单位: "organization", 个人: "individual" }[v] || v);
    return false;
  });
}

function objectControl(path, s, optional) {
  const fields = {};
  const box = el("div");
  for (const [name, prop] of Object.entries(s.properties)) {
    const sub = path ? `${path}.${name}` : name;
    if (!path && (name === "kind" || name === "item")) continue;
    const required = (s.required || []).includes(name);
    const c = build(sub, name, prop, required);
    if (c) {
      fields[name] = c;
      box.append(c.wrap || c.el);
    }
  }
  const control = {
    el: box,
    fields,
    get() {
      const out = {};
      for (const [k, c] of Object.entries(fields)) {
        const v = c.get();
        if (v !== undefined) out[k] = v;
      }
      return out;
    },
    set(v) {
      for (const [k, c] of Object.entries(fields)) c.set(v && typeof v === "object" ? v[k] : undefined);
    },
    find(parts) {
      if (!parts.length) return this;
      const c = fields[parts[0]];
      return c ? c.find(parts.slice(1)) : this;
    },
  };
  mapping(control, path, fields, path ? [] : ["kind", "item"]);
  if (!path) return control;
  const { label, hint } = labelOf(path, path.split(".").pop());
  const fs = el("fieldset", { "data-for": path }, el("legend", { text: label }));
  if (hint) fs.append(el("p", { class: "hint", text: hint }));
  if (!optional) {
    fs.append(box);
    control.wrap = fs;
    return control;
  }
  if (ALWAYS_SHOWN.has(path)) {
    // a section a case has from some stage on (the violation, once investigated: issue 26): shown as a plain
    // section; left entirely blank it is not sent (a case just filed), never sent as an empty mapping
    fs.append(box);
    const get = control.get;
    return { ...control, wrap: fs, get() { const v = get.call(control); return Object.keys(v).length ? v : undefined; } };
  }
  // an optional step (告知, 听证, 法制审核 …): three states, so that a section an officer never opened is 未填写 (left out: the engine withholds
  // the checks that need it, docs/procedure.md) and never read as "not done", which could accuse
  const toggle = el("select", { "data-path": path + "?", class: "step" },
    el("option", { value: "", text: "（未填写）" }), el("option", { value: "yes", text: "有此环节" }), el("option", { value: "no", text: (STEP_WORDS[path] || {}).no || "无此环节（未办理）" }));
  const sync = () => { box.hidden = toggle.value !== "yes"; };
  let switched = false;
  toggle.addEventListener("change", () => { switched = true; sync(); if (toggle.value === "yes" && STEP_WORDS[path] && STEP_WORDS[path].opened) STEP_WORDS[path].opened(control); });
  fs.append(el("label", { class: "toggle" }, "此环节：", toggle), el("p", { class: "hint step-hint", text: (STEP_WORDS[path] || {}).hint || STEP_HINT }), box);
  sync();
  return {
    ...control,
    wrap: fs,
    toggle,
    get() { return toggle.value === "yes" ? control.get() : toggle.value === "no" ? null : undefined; },
    set(v) { switched = false; toggle.value = v === undefined ? "" : v === null ? "no" : "yes"; sync(); control.set(v); },
    touched() { return switched || control.touched(); },
    merge(base) {
      if (!switched) return control.merge(base);
      if (toggle.value !== "yes") return toggle.value === "no" ? null : undefined;
      return control.merge(isObj(base) ? base : {}) ?? {};
    },
    unshown(base) { return base === null || (switched && !isObj(base)) ? [] : control.unshown(base); },
  };
}

function checksControl(path, values, notes = {}) {
  const box = el("div", { class: "checks" + (values.some((v) => v.length > 12) ? " column" : ""), "data-path": path });
  const add = (v) => {
    const cb = el("input", { type: "checkbox", value: v });
    box.append(el("label", {}, cb, " " + v, notes[v] ? el("span", { class: "tag", text: notes[v] }) : null));
    return cb;
  };
  values.forEach(add);
  const control = {
    el: box,
    get() { return [...box.querySelectorAll("input:checked")].map((x) => x.value); },
    set(list) {
      const want = Array.isArray(list) ? list : [];
      for (const v of want) if (![...box.querySelectorAll("input")].some((x) => x.value === v)) add(v);
      for (const cb of box.querySelectorAll("input")) cb.checked = want.includes(cb.value);
    },
    find() { return this; },
  };
  // the same words in another order are shown faithfully: 情节 and measures are sets
  const shows = (v) => Array.isArray(v) && v.every((x) => typeof x === "string") && new Set(v).size === v.length && same(control.get().sort(), [...v].sort());
  return tracked(control, path, box, shows);
}

function linesControl(path) {
  const input = el("textarea", { rows: 3, "data-path": path, placeholder: "每行一项" });
  return tracked({
    el: input,
    input,
    get() { const v = input.value.split("\n").map((x) => x.trim()).filter(Boolean); return v.length ? v : undefined; },
    set(list) { input.value = Array.isArray(list) ? list.join("\n") : ""; },
    find() { return this; },
  }, path, input);
}

function rowsControl(path, itemSchema, initial) {
  const list = el("div", { "data-for": path });
  const rows = [];
  const addButton = el("button", { type: "button", class: "small", text: "＋ 添加一行" });
  let reshaped = false; // a row added or deleted by the officer
  const addRow = (value, fromBase = false) => {
    const i = rows.length;
    const holder = el("div", { class: "row" });
    const c = objectControl(`${path}[${i}]`, itemSchema, false);
    for (const [name, f] of Object.entries(c.fields)) {
      const { label } = labelOf(`${path}.${name}`, name);
      const cell = el("div", { "data-field": name }, el("label", { text: label }), f.el);
      holder.append(cell);
    }
    const entry = { holder, c, base: value, fromBase };
    holder.append(el("button", { type: "button", class: "small", text: "删除", onclick: () => {
      rows.splice(rows.indexOf(entry), 1);
      holder.remove();
      reshaped = true;
    } }));
    rows.push(entry);
    list.append(holder);
    if (value) c.set(value);
  };
  addButton.addEventListener("click", () => { addRow(); reshaped = true; });
  (initial || []).forEach((v) => addRow(v));
  return {
    el: el("div", {}, list, addButton),
    get() {
      const out = rows.map((r) => r.c.get()).filter((v) => Object.values(v).some((x) => x !== undefined && x !== null && x !== false));
      return out.length ? out : undefined; // no row filled: 未填写, not "none"
    },
    set(values) {
      rows.splice(0).forEach((r) => r.holder.remove());
      // a typed draft without this list shows the item's starting rows again (an imported one shows what it has)
      if (values === undefined && !state.base) (initial || []).forEach((v) => addRow(v));
      else (Array.isArray(values) ? values : []).forEach((v) => addRow(v, true));
      reshaped = false;
    },
    // rows the form proposes (告知的拟处罚 from the decision): shown and sent as if the officer had typed them
    prefill(values) {
      rows.splice(0).forEach((r) => r.holder.remove());
      for (const v of values) {
        addRow(v);
        for (const n of rows[rows.length - 1].holder.querySelectorAll("input, select, textarea")) if (n.value !== "") n.dispatchEvent(new Event("change"));
      }
      reshaped = true;
    },
    empty() { return !rows.some((r) => Object.values(r.c.get()).some((x) => x !== undefined && x !== null && x !== false)); },
    find(parts) {
      const m = parts.length ? String(parts[0]).match(/^\d+$/) : null;
      const r = m ? rows[Number(parts[0])] : null;
      return r ? r.c.find(parts.slice(1)) : this;
    },
    touched() { return reshaped || rows.some((r) => r.c.touched()); },
    // imported rows as imported, with what was changed in them; a new or emptied row that says nothing is
    // left out, and no row left at all is 未填写 (the key removed)
    merge(base) {
      if (!this.touched()) return base;
      const out = [];
      for (const r of rows) {
        const v = r.c.merge(r.fromBase ? r.base : undefined);
        const empty = v === undefined || (isObj(v) && !Object.keys(v).length);
        if (empty && (!r.fromBase || r.c.touched())) continue;
        out.push(v);
      }
      return out.length ? out : undefined;
    },
    unshown(base) {
      if (base === undefined || this.touched() && !Array.isArray(base)) return [];
      if (!Array.isArray(base) || (!base.length && !this.touched())) return [{ path, value: base }];
      return rows.filter((r) => r.fromBase).flatMap((r) => r.c.unshown(r.base));
    },
  };
}

function factsControl(path) {
  const facts = (state.detail && state.detail.facts) || {};
  const fields = {};
  const box = el("div");
  for (const [key, f] of Object.entries(facts)) {
    const s = f.type === "bool" ? { type: "boolean", default: f.default } : f.choices ? { enum: f.choices, default: f.default } : { type: "string" };
    const type = f.type === "bool" ? "bool" : f.choices ? "enum" : "text";
    const c = scalarControl(`${path}.${key}`, s, type);
    if (f.type === "number") {
      const plain = c.get.bind(c);
      c.get = () => { const v = plain(); return v === undefined ? undefined : Number(v); };
    }
    if (type !== "bool" && f.default !== undefined) c.set(f.default);
    state.labels[`${path}.${key}`] = f.meaning;
    fields[key] = fieldWrap(`${path}.${key}`, key, c, false, type === "bool" ? "bool" : "");
    box.append(fields[key].wrap);
  }
  if (!Object.keys(facts).length) box.append(el("p", { class: "hint", text: "本事项没有需要填写的事实。" }));
  return mapping({
    el: box,
    fields,
    get() {
      const out = {};
      for (const [k, c] of Object.entries(fields)) { const v = c.get(); if (v !== undefined) out[k] = v; }
      return Object.keys(out).length ? out : undefined;
    },
    set(v) { for (const [k, c] of Object.entries(fields)) if (isObj(v) && v[k] !== undefined) c.set(v[k]); },
    find(parts) { return parts.length && fields[parts[0]] ? fields[parts[0]] : this; },
  }, path, fields);
}

function build(path, name, prop, required) {
  // the title and description sit on the property, beside a $ref or anyOf that unwrap() opens
  state.info[plainPath(path)] = { title: prop.title, description: prop.description };
  const { schema: s, nullable } = unwrap(prop);
  const type = typeOf(s);
  if (type === "enum" && s.oneOf) state.info[plainPath(path)].names = enumNames(s);
  const d = state.detail || {};
  if (type === "const") return null;
  if (type === "object") return objectControl(path, s, nullable);
  if (type === "map") {
    const c = factsControl(path);
    const { label } = labelOf(path, name);
    c.wrap = el("fieldset", { "data-for": path }, el("legend", { text: label }), c.el);
    return c;
  }
  if (type === "array") {
    const items = unwrap(s.items).schema;
    let c;
    if (items.properties) {
      let initial = [];
      if (path === "decision.sanctions") initial = startingSanctions(d);
      if (path === "procedure.officers" || path === "inspectors") initial = [{}, {}];
      c = rowsControl(path, items, initial);
    } else if (path === "violation.factors") {
      const effect = { mitigating: "从轻或减轻", aggravating: "从重" };
      const notes = Object.fromEntries((d.factors || []).map((f) => [f.name, `（${effect[f.effect]}${f.mandatory ? "，应当" : ""}）`]));
      c = checksControl(path, (d.factors || []).map((f) => f.name), notes);
    } else if (/^evidence\[\d+\]\.proves$/.test(path)) {
      // what an evidence row proves: the item's elements and the facts a decision relies on (rules/elements.yaml)
      const kinds = { element: "构成要件", decisive: "裁量事实" };
      const notes = Object.fromEntries((d.elements || []).map((e) => [e.name, `（${kinds[e.kind]}${e.referral ? "，报请时" : ""}）`]));
      c = checksControl(path, (d.elements || []).map((e) => e.name), notes);
    } else if (path === "matters") {
      c = checksControl(path, (d.matters || []).map((m) => m.text));
    } else if (path === "measures") {
      const own = (d.measures || []).map((m) => m.measure);
      const rest = (items.enum || []).filter((m) => !own.includes(m));
      const notes = Object.fromEntries(own.map((m) => [m, "（本事项依据）"]));
      c = checksControl(path, own.concat(rest), notes);
    } else if (items.enum || items.oneOf) {
      c = checksControl(path, enumValues(items));
    } else {
      c = linesControl(path);
    }
    return fieldWrap(path, name, c, required, "list");
  }
  // a yes/no of the procedure is 未填写 until answered (docs/procedure.md), as is one the draft may leave null
  const tri = type === "bool" && (nullable || path.startsWith("procedure."));
  const c = scalarControl(path, { ...s, required, nullable: tri || nullable, multiline: prop["x-quanze-multiline"] === true }, type);
  const checkbox = type === "bool" && !tri;
  return fieldWrap(path, name, c, required && !checkbox, checkbox ? "bool" : "");
}

// --- item picker, form --------------------------------------------------------------------

async function loadItems() {
  const [items, labels, findings] = await Promise.all([getJSON("/api/v1/items"), getJSON("/api/v1/labels"), getJSON("/api/v1/findings")]);
  Object.assign(state, { items, labels: { ...labels }, findings });
  const select = $("#item");
  select.replaceChildren(el("option", { value: "", text: "（请选择事项）" }));
  for (const group of ["行政处罚", "行政检查", "其他"]) {
    const og = el("optgroup", { label: group });
    for (const it of items.filter((x) => x.group === group)) {
      const name = (it.sub_name || it.name).replace(/^\d+[.．、]\s*/, "");
      og.append(el("option", { value: it.id, text: `${it.id} ${name}` }));
    }
    select.append(og);
  }
}

// item details and schemas do not change while the page is open
function cached(path) {
  if (!state.cache.has(path)) state.cache.set(path, getJSON(path).catch((err) => { state.cache.delete(path); throw err; }));
  return state.cache.get(path);
}

async function chooseItem(id) {
  const form = $("#draft");
  $("#result").replaceChildren();
  if (!id) { state.root = null; $("#item").value = ""; form.replaceChildren(el("p", { class: "hint", text: "请先选择事项。" })); return; }
  const detail = await cached(`/api/v1/items/${encodeURIComponent(id)}`);
  const schema = await cached(`/api/v1/schema/${detail.kind}`);
  Object.assign(state, { detail, schema, draftKind: detail.kind });
  for (const kind of Object.keys(DOCUMENTS)) $(`#doc-${kind}`).hidden = detail.kind !== "penalty";
  $("#item").value = id;
  const prov = detail.provision || detail.basis;
  $("#item-note").textContent = `${detail.group} · ${detail.name}` + (prov ? ` · 依据：${prov.label}` : "");
  state.root = objectControl("", schema, false);
  form.replaceChildren(state.root.el);
  applyVisibility();
}

function fill(doc) {
  state.root.set(doc);
  applyVisibility();
}

function draftFromForm() {
  if (!state.root) return null;
  return { kind: state.draftKind, ...state.root.get(), item: state.detail.id };
}

// what 检查 sends and 下载草稿 saves: {doc} (JSON) or, for an imported file JSON cannot carry as written and that
// the officer has not changed (or one that could not be read), {bytes} of the file itself
function outgoing() {
  const b = state.base;
  if (!b) { const doc = draftFromForm(); return doc && { doc }; }
  const touched = state.root && state.root.touched();
  if (b.doc === undefined || (b.inexact.length && !touched)) return { bytes: b.bytes, type: b.type };
  return { doc: state.root ? state.root.merge(b.doc) : b.doc };
}

// the officer picks another item for an imported draft: the draft so far (with its changes) stays the base, its
// item and kind are the new item's
async function changeItem(id) {
  const b = state.base;
  if (!b || b.doc === undefined || !id) {
    // a typed draft keeps what the new item's form also has (the starting 处罚 rows are the new item's)
    const before = !b && state.root && id ? typedCarry() : null;
    state.base = null;
    importNote();
    await chooseItem(id);
    if (before) fill(before);
    return;
  }
  const doc = state.root ? state.root.merge(b.doc) : b.doc;
  const detail = await cached(`/api/v1/items/${encodeURIComponent(id)}`);
  state.base = { ...b, doc: { ...doc, kind: detail.kind, item: id }, inexact: [] };
  await chooseItem(id);
  fill(state.base.doc);
  importNote();
}

// the typed draft without the item's own parts: the 处罚 rows while they are only the starting kinds, the facts
function typedCarry() {
  const doc = state.root.get();
  const start = JSON.stringify(startingSanctions(state.detail));
  if (isObj(doc.decision) && JSON.stringify(doc.decision.sanctions || []) === start) {
    doc.decision = { ...doc.decision };
    delete doc.decision.sanctions;
  }
  delete doc.facts;
  return doc;
}

function startingSanctions(d) {
  if (!d || !d.provision) return [];
  const v = d.provision.versions[d.provision.versions.length - 1];
  return (v.sanctions || []).filter((x) => x.required === "always").map((x) => ({ kind: x.kind }));
}

// --- autosave: the draft in this browser (localStorage), restored after a reload ------------------
// A typed draft is kept as its document; an imported one as the document the form would send (the file's
// bytes too when JSON cannot carry it), so that a restored draft is sent as before the reload.

const SAVE_KEY = "quanze-draft-v1";
const SAVE_HOURS = 24; // a party's data stays in this browser at most a day: an older save is deleted, not restored
const saving = { timer: null, unsaved: false };

const toBase64 = (bytes) => { let t = ""; const a = new Uint8Array(bytes); for (let i = 0; i < a.length; i += 0x8000) t += String.fromCharCode(...a.subarray(i, i + 0x8000)); return btoa(t); };
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;

function snapshot() {
  const b = state.base;
  if (!b) return state.root ? { mode: "typed", item: state.detail.id, doc: state.root.get() } : null;
  const out = outgoing();
  const rec = { mode: "import", name: b.name, type: b.type, item: state.detail && state.root ? state.detail.id : null };
  if (out.bytes) return { ...rec, bytes: toBase64(out.bytes), doc: b.doc === undefined ? null : b.doc, inexact: b.inexact, raw: true };
  return { ...rec, doc: out.doc, inexact: [] };
}

function saveNow() {
  clearTimeout(saving.timer);
  saving.timer = null;
  const note = $("#saved");
  let rec;
  try { rec = snapshot(); } catch { return; }
  try {
    if (rec) localStorage.setItem(SAVE_KEY, JSON.stringify({ ...rec, unsaved: saving.unsaved, at: new Date().toISOString() }));
    else localStorage.removeItem(SAVE_KEY);
    note.textContent = rec ? `已自动保存在本浏览器（${new Date().toLocaleTimeString("zh-CN", { hour12: false })}，${SAVE_HOURS} 小时后删除）；换电脑或清除浏览器数据即丢失，请用「下载草稿」存为文件。` : "";
  } catch {
    note.textContent = "无法自动保存（浏览器存储已满或被禁用）：离开本页前请用「下载草稿」存为文件。";
  }
}

function autosave(edited = true) {
  if (edited) saving.unsaved = true;
  clearTimeout(saving.timer);
  saving.timer = setTimeout(saveNow, 300);
}

// the saved draft back in the form; false when there is none (or it cannot be read)
async function restore() {
  let rec;
  try { rec = parseExact(localStorage.getItem(SAVE_KEY) || "null"); } catch { rec = null; }
  if (!rec || typeof rec !== "object") return false;
  if (!(Date.now() - Date.parse(rec.at) <= SAVE_HOURS * 3600e3)) { // expired, or no time: removed unread
    try { localStorage.removeItem(SAVE_KEY); } catch { /* storage disabled */ }
    return false;
  }
  const known = (id) => typeof id === "string" && state.items.some((x) => x.id === id);
  if (rec.mode === "typed" && known(rec.item)) {
    await chooseItem(rec.item);
    fill(isObj(rec.doc) ? rec.doc : {});
  } else if (rec.mode === "import") {
    const doc = rec.doc === null ? undefined : rec.doc;
    const base = { name: rec.name || "草稿", type: rec.type || "application/yaml", doc, inexact: rec.inexact || [], bytes: rec.bytes ? fromBase64(rec.bytes) : undefined };
    if (!base.bytes && doc === undefined) return false;
    if (!base.bytes) base.bytes = new TextEncoder().encode(JSON.stringify(doc)).buffer;
    await adopt(base, known(rec.item) ? rec.item : null);
  } else return false;
  saving.unsaved = rec.unsaved === true; // still not downloaded as a file
  $("#status").textContent = `已恢复自动保存的草稿（${rec.at ? new Date(rec.at).toLocaleString("zh-CN", { hour12: false }) : ""}）`;
  saveNow();
  return true;
}

async function clearDraft() {
  if (state.root && saving.unsaved && !window.confirm("清除本页草稿（包括自动保存的内容）？")) return;
  clearTimeout(saving.timer); // a save still pending would write the draft back
  saving.timer = null;
  try { localStorage.removeItem(SAVE_KEY); } catch { /* storage disabled: nothing saved */ }
  state.base = null;
  saving.unsaved = false;
  importNote();
  $("#read-note").hidden = true;
  await chooseItem("");
  $("#saved").textContent = "";
  $("#status").textContent = "已清除草稿";
}

const shortJSON = (v) => {
  const text = v === undefined ? "（缺少）" : JSON.stringify(v);
  return text.length > 80 ? text.slice(0, 77) + "…" : text;
};

// the officer sees what is sent: what the controls cannot show is listed read-only
function importNote() {
  const box = $("#import-note");
  const b = state.base;
  if (!b) { box.hidden = true; box.replaceChildren(); return; }
  let entries = [];
  if (b.doc === undefined) entries.push({ path: "（整个文件）", text: "无法读取为草稿，见下方的问题" });
  else if (!state.root) entries = Object.entries(b.doc).map(([k, v]) => ({ path: k, value: v }));
  else {
    if (b.doc.kind !== state.detail.kind) entries.push({ path: "kind", value: b.doc.kind });
    entries.push(...state.root.unshown(b.doc));
  }
  const list = el("ul", { class: "unshown" });
  for (const e of entries.slice(0, 40)) {
    list.append(el("li", {}, knownLabel(e.path) ? `${knownLabel(e.path)} ` : null, el("code", { text: e.path }), `：${e.text || shortJSON(e.value)}${e.extra ? "（表单中没有此字段）" : ""}`));
  }
  if (entries.length > 40) list.append(el("li", { text: `……另有 ${entries.length - 40} 项` }));
  const touched = state.root && state.root.touched();
  const parts = [el("p", { class: "meta", text: `已导入 ${b.name}：未修改的字段按文件原样提交检查；修改一个字段只改写该字段；清空文件中已有的字段（或删除一个列表的全部行）即从草稿中删去该字段，恢复为「未填写」。改选事项时保留已导入的内容。` })];
  if (entries.length) parts.push(el("p", { text: "导入文件中表单无法显示的内容（将原样提交检查）：" }), list);
  if (b.inexact.length) {
    parts.push(el("p", { class: "meta", text: touched
      ? `文件中 ${b.inexact.join("、")} 无法用 JSON 原样表示；表单已修改，这些内容按文字提交。`
      : `文件中 ${b.inexact.join("、")} 无法用 JSON 原样表示；表单未修改，检查时提交文件原文。` }));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

// --- check and result -------------------------------------------------------------------

function clearProblems() {
  for (const n of document.querySelectorAll(".problem")) n.classList.remove("problem");
}

// the field's name as the form shows it, or "" when the form has no such field
function knownLabel(path) {
  const p = plainPath(path);
  return state.labels[p] || (state.info[p] && state.info[p].title) || "";
}

// a problem's place in words: 处罚数额（第 2 行）, 第 20 行; an unknown key by its name beside its section
function placeWords(where) {
  if (!where || /^第 \d+ 行$/.test(where)) return where || "";
  const rows = [...where.matchAll(/\[(\d+)\]/g)].map((m) => `第 ${Number(m[1]) + 1} 行`);
  const label = knownLabel(where);
  if (label) return label + (rows.length ? `（${rows.join("、")}）` : "");
  const cut = where.lastIndexOf(".");
  const parent = cut > 0 ? knownLabel(where.slice(0, cut)) : "";
  return `${parent ? `「${parent}」中的` : ""}字段 ${where.slice(cut + 1)}`;
}

// the label of a bare key (no_fault_proven) when exactly one field of the form ends with it
function keyLabel(key) {
  const hits = new Set();
  for (const [p, info] of Object.entries(state.info)) if (p === key || p.endsWith(`.${key}`)) hits.add(knownLabel(p) || (info && info.title));
  hits.delete(undefined);
  hits.delete("");
  return hits.size === 1 ? [...hits][0] : "";
}

// an engine message in the form's words: field paths and keys by their labels, a field's values by their names,
// without what only a YAML writer needs; quoted text (what the draft says) is left as it is
function formWords(text, where = "") {
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

// the form's element of a field path (the nearest enclosing section when the form has no control for it)
function fieldNode(where) {
  if (!state.root || !where || /^第 \d+ 行$/.test(where)) return null;
  const c = state.root.find(where.split(/\.|\[|\]/).filter(Boolean));
  if (!c || c === state.root) return null;
  return (c.wrap && c.wrap.isConnected && c.wrap) || (c.el && c.el.isConnected && (c.el.closest(".field, .row > div, fieldset") || c.el)) || null;
}

// scroll to a field, mark it and put the cursor in it
function goTo(node) {
  for (const n of document.querySelectorAll(".flash")) n.classList.remove("flash");
  node.classList.add("problem", "flash");
  node.scrollIntoView({ block: "center" });
  const input = node.querySelector("input, select, textarea");
  if (input) input.focus({ preventScroll: true });
}

// a place in a list of problems: a link to its field when the form shows it
function placeLink(where, text) {
  const node = fieldNode(where);
  if (!node) return text ? el("span", { class: "place", text }) : null;
  return el("a", { href: "#", class: "goto", "data-where": where, text: text || "（此项）", onclick: (e) => { e.preventDefault(); goTo(node); } });
}

function showProblems(body) {
  clearProblems();
  const out = $("#result");
  const list = el("ul", { class: "problems" });
  for (const p of body.problems || []) {
    const place = placeWords(p.where);
    const node = fieldNode(p.where);
    if (node) node.classList.add("problem");
    list.append(el("li", {}, place ? placeLink(p.where, place) : null, place ? "：" : null, formWords(p.message, p.where)));
  }
  out.replaceChildren(el("div", { class: "verdict fail", text: "草稿有输入问题，未检查" }), el("div", { class: "card" }, el("p", { text: "请改正以下各项（一次列出全部问题，点击名称可跳到该处）：" }), list));
}

// a section or field left out (not_checked): its label, what could not be checked, how to answer it on the form
function notCheckedItem(n) {
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

const VERDICT = { pass: "通过", warn: "通过（有警告）", fail: "不通过", incomplete: "未完成（有未填写的环节）" };
const SEVERITY = { error: "错误", warning: "警告", info: "提示" };
const ROLE = { handler: "具体承办人", reviewer: "内设机构负责人", approver: "单位法定代表人或分管领导" };

const yuan = (n) => `${Number(n).toLocaleString("zh-CN")} 元`;

function fineBar(result, fine) {
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

async function basisBlock(label, on) {
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

function accountabilityBlock(acc) {
  const box = el("div", { class: "accountability" }, el("h4", { text: "追责提示" }));
  const triggers = el("ul");
  for (const t of acc.triggers || []) triggers.append(el("li", { text: `${t.list} 追责情形${t.no}：${t.text}` }));
  if (!(acc.triggers || []).length) triggers.append(el("li", { text: "无对应的追责情形" }));
  box.append(triggers);
  if (acc.statute) box.append(el("p", { class: "meta", text: `依据：${acc.statute}` }));
  const persons = el("ul");
  for (const p of acc.persons || []) persons.append(el("li", { text: `${ROLE[p.role] || p.role} ${p.name || "（未填写）"}${p.responsibility ? `：${p.responsibility}` : ""}` }));
  box.append(el("p", { class: "meta", text: "责任人：" }), persons);
  if (acc.attribution && acc.attribution.title) box.append(el("p", { class: "meta", text: `归责规则：${acc.attribution.title}` }));
  return box;
}

// issue 26: the stage a penalty case has reached and the time limits still ahead (result.stage, open, next_steps)
function stageCard(result) {
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

async function showResult(result, draft) {
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

// --- 推理过程: the derivations and the checks made (result.reasoning, docs/reasoning in the shared shapes),
// the deadlines of POST /api/v1/deadlines in the same panel -----------------------------------------

const OUTCOMES = [["fail", "不通过"], ["unknown", "无法检查"], ["pass", "通过"]];

function reasoningPanel(r) {
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

const STATUS = { open: "未到期", met: "已按期完成", late: "已逾期", due_today: "今日到期" };

function deadlinesPart(body) {
  const rows = Array.isArray(body.deadlines) ? body.deadlines : [];
  const box = el("div", { class: "deadlines", id: "deadlines" }, el("h3", { text: `办案期限${body.today ? `（截至 ${body.today}）` : ""}` }));
  if (!rows.length) { box.append(el("p", { class: "meta", text: "根据已填写的日期，没有可计算的期限。" })); return box; }
  const table = el("table", { class: "deadline-table" }, el("thead", {}, el("tr", {}, ...["环节", "最后一日", "状态", "依据"].map((h) => el("th", { text: h })))));
  const tbody = el("tbody");
  for (const d of rows) {
    const day = d.last_day || (Array.isArray(d.last_day_range) ? `${d.last_day_range[0]} 至 ${d.last_day_range[1]}（调休安排未知）` : "—");
    const how = el("details", {}, el("summary", { text: "计算" }), el("p", { class: "meta", text: formWords(d.counted) }));
    if ((d.skipped || []).length) how.append(el("p", { class: "meta", text: `跳过：${d.skipped.join("、")}` }));
    tbody.append(el("tr", { class: `deadline ${d.status}`, "data-step": d.step },
      el("td", {}, formWords(d.title), how), el("td", { text: day }),
      el("td", { class: `status ${d.status}`, text: d.words || STATUS[d.status] || d.status }), el("td", { class: "meta", text: d.basis })));
  }
  table.append(tbody);
  box.append(table);
  return box;
}

// the request body of a draft as 检查 sends it
function bodyInit(out) {
  return out.doc !== undefined
    ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(out.doc) }
    : { headers: { "Content-Type": out.type }, body: out.bytes };
}

const localToday = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; };

// the deadlines of the draft in the 推理过程 panel (made when the answer has no reasoning); an API without
// /api/v1/deadlines (404) shows none
async function showDeadlines(out) {
  const res = await api(`/api/v1/deadlines?today=${localToday()}`, { method: "POST", ...bodyInit(out) });
  if (res.status === 404 || !res.ok) return;
  const part = deadlinesPart(await res.json());
  let panel = $("#reasoning");
  if (!panel) { panel = el("section", { class: "card reasoning", id: "reasoning" }, el("h2", { text: "推理过程" })); $("#result").append(panel); }
  panel.append(part);
}

// the name in Content-Disposition (filename*=UTF-8''… first)
function filenameOf(header) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header || "");
  if (star) try { return decodeURIComponent(star[1].trim()); } catch { /* fall back to filename= */ }
  const plain = /filename="?([^";]+)"?/i.exec(header || "");
  return plain ? plain[1] : "";
}

// 生成法制审核意见书: the docx of POST /api/v1/opinion (the code of `quanze check --format docx`)
async function opinion() {
  const out = outgoing();
  const status = $("#status");
  if (!out) { status.textContent = "请先选择事项。"; return; }
  status.textContent = "正在生成法制审核意见书……";
  try {
    const res = await api("/api/v1/opinion", { method: "POST", ...bodyInit(out) });
    if (res.status === 404) { $("#opinion").hidden = true; status.textContent = "本服务未提供法制审核意见书"; return; }
    if (!res.ok) {
      const body = await res.json();
      showProblems(body);
      status.textContent = `输入有 ${(body.problems || []).length} 个问题，未生成意见书`;
      return;
    }
    save(await res.blob(), filenameOf(res.headers.get("Content-Disposition")) || "法制审核意见书.docx");
    status.textContent = "已生成法制审核意见书";
  } catch (err) {
    status.textContent = `生成意见书失败：${err.message}`;
  } finally {
    window.quanze.opinions = (window.quanze.opinions || 0) + 1;
  }
}

// 生成事先告知书 / 处罚决定书 (issue 27 §4): the docx of POST /api/v1/document/{notice|decision}, as `quanze document`
const DOCUMENTS = { notice: "行政处罚事先告知书", decision: "行政处罚决定书" };
async function partyDocument(kind) {
  const out = outgoing();
  const status = $("#status");
  const title = DOCUMENTS[kind];
  if (!out) { status.textContent = "请先选择事项。"; return; }
  status.textContent = `正在生成${title}……`;
  try {
    const res = await api(`/api/v1/document/${kind}`, { method: "POST", ...bodyInit(out) });
    if (res.status === 404) { $(`#doc-${kind}`).hidden = true; status.textContent = `本服务未提供${title}`; return; }
    if (!res.ok) {
      const body = await res.json();
      showProblems(body);
      status.textContent = `输入有 ${(body.problems || []).length} 个问题，未生成${title}`;
      return;
    }
    save(await res.blob(), filenameOf(res.headers.get("Content-Disposition")) || `${title}.docx`);
    const blanks = decodeURIComponent(res.headers.get("X-Quanze-Blanks") || "");
    status.textContent = `已生成${title}` + (blanks ? `；案卷未载明、文书中留空待填写：${blanks}` : "");
  } catch (err) {
    status.textContent = `生成${title}失败：${err.message}`;
  } finally {
    window.quanze.documents = (window.quanze.documents || 0) + 1;
  }
}

async function runCheck() {
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

// --- import, download ------------------------------------------------------------------------

// the file's bytes are kept as they are (the server reads them as `quanze check` reads a file); the document the
// server parsed from them is the base of the draft
async function importFile(file) {
  const status = $("#status");
  try {
    const ext = (file.name.match(/\.(docx|pdf|txt)$/i) || [])[1];
    $("#read-note").hidden = !ext;  // the reading shown belongs to the document imported last
    if (ext) file = await readDocument(file, READABLE[ext.toLowerCase()]);  // an officer's document: read, then imported
    if (!file) return;
    const bytes = await file.arrayBuffer();
    const type = /\.json$/i.test(file.name) ? "application/json" : "application/yaml";
    const res = await api("/api/v1/parse", { method: "POST", headers: { "Content-Type": type }, body: bytes });
    const body = parseExact(await res.text());
    state.base = { name: file.name, bytes, type, doc: undefined, inexact: [] };
    if (!res.ok) {
      await adopt(state.base, null);
      saving.unsaved = false;
      saveNow();
      showProblems(body);
      status.textContent = `已导入 ${file.name}，但无法读取`;
      return;
    }
    const draft = body.draft;
    Object.assign(state.base, { doc: draft, inexact: body.inexact || [] });
    await adopt(state.base, typeof draft.item === "string" && state.items.some((x) => x.id === draft.item) ? draft.item : null);
    saving.unsaved = false;
    saveNow();
    status.textContent = `已导入 ${file.name}`;
  } catch (err) {
    status.textContent = `导入失败：${err.message}`;
  } finally {
    window.quanze.imports += 1;
  }
}

// 导入 of a 决定书/告知书 (.docx, .pdf, .txt): POST /api/v1/read gives the case file and where each value came
// from; the sources are shown as the server wrote them, the case file is imported as a JSON draft
const READABLE = { docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pdf: "application/pdf", txt: "text/plain" };
async function readDocument(file, type) {
  const res = await api(`/api/v1/read?name=${encodeURIComponent(file.name)}`, { method: "POST", headers: { "Content-Type": type }, body: await file.arrayBuffer() });
  const body = parseExact(await res.text());
  const note = $("#read-note");
  if (!res.ok) {
    showProblems(body);
    $("#status").textContent = `无法读取 ${file.name}`;
    return null;
  }
  note.replaceChildren(el("h2", { text: `从 ${file.name} 读到的内容及来源（请核对）` }), el("pre", { class: "reading", text: body.text }));
  note.hidden = false;
  return new File([JSON.stringify(body.case)], `${file.name}.json`, { type: "application/json" });
}

// an imported (or restored) draft in the form: its item's fields set from the document, or a note why not
async function adopt(base, item) {
  state.base = base;
  if (base.doc === undefined) {
    await chooseItem("");
    $("#draft").replaceChildren(el("p", { class: "hint", text: "此文件无法读取为草稿，表单无法显示；检查时将原样提交文件内容。" }));
  } else if (item) {
    await chooseItem(item);
    fill(base.doc);
  } else {
    await chooseItem("");
    $("#item").value = "";
    $("#draft").replaceChildren(el("p", { class: "hint", text: `文件中的事项 ${shortJSON(base.doc.item)} 不在权责清单中，表单无法显示其字段；检查时将原样提交。可在上方改选事项。` }));
  }
  importNote();
}

async function download() {
  const out = outgoing();
  if (!out) { $("#status").textContent = "请先选择事项。"; return; }
  if (out.bytes) { // the file as imported: that is what is checked
    save(new Blob([out.bytes], { type: out.type }), state.base.name);
    return;
  }
  const draft = out.doc;
  const res = await api("/api/v1/yaml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(draft) });
  const text = await res.text();
  const name = typeof draft.case_id === "string" && draft.case_id ? draft.case_id : String(draft.item || "草稿");
  save(new Blob([text], { type: "application/yaml" }), `${name.replace(/[\\/:*?"<>|\s]/g, "_")}.yaml`);
}

function save(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

// --- start ----------------------------------------------------------------------------------

window.addEventListener("DOMContentLoaded", async () => {
  $("#item").addEventListener("change", async (e) => {
    try { await changeItem(e.target.value); autosave(); } finally { window.quanze.items += 1; }
  });
  for (const ev of ["input", "change", "click"]) $("#draft").addEventListener(ev, () => { if (state.base) setTimeout(importNote, 0); });
  $("#draft").addEventListener("change", () => applyVisibility());
  for (const ev of ["input", "change"]) $("#draft").addEventListener(ev, () => autosave());
  $("#draft").addEventListener("click", (e) => { if (e.target.closest("button")) autosave(); }); // a row added or deleted
  $("#check").addEventListener("click", runCheck);
  $("#download").addEventListener("click", async () => { await download(); saving.unsaved = false; saveNow(); });
  $("#clear").addEventListener("click", clearDraft);
  $("#opinion").addEventListener("click", opinion);
  $("#token-box").addEventListener("submit", (e) => e.preventDefault()); // no inline handler: the page's CSP allows none
  $("#doc-notice").addEventListener("click", () => partyDocument("notice"));
  $("#doc-decision").addEventListener("click", () => partyDocument("decision"));
  $("#print").addEventListener("click", () => window.print());
  window.addEventListener("pagehide", () => { if (saving.timer) saveNow(); });
  // work typed since the last 下载草稿: the browser asks before leaving (the autosave may be off or lost)
  window.addEventListener("beforeunload", (e) => {
    if (saving.timer) saveNow();
    if (!saving.unsaved) return;
    e.preventDefault();
    e.returnValue = "";
  });
  $("#import").addEventListener("change", (e) => { if (e.target.files[0]) importFile(e.target.files[0]); e.target.value = ""; });
  $("#token").addEventListener("change", (e) => { sessionStorage.setItem("quanze-token", e.target.value); loadItems(); });
  try {
    await loadItems();
    // a saved draft that cannot be shown any more (rules changed, storage damaged) is dropped, not a dead page
    await restore().catch((err) => {
      try { localStorage.removeItem(SAVE_KEY); } catch { /* storage disabled */ }
      $("#status").textContent = `自动保存的草稿无法恢复（${err.message}），已丢弃`;
    });
    document.body.dataset.ready = "1";
  } catch (err) {
    $("#status").textContent = `无法加载事项：${err.message}`;
  }
});
