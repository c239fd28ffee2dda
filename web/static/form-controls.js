// Draft editing: the form's controls built from the draft JSON Schema (/api/v1/schema/KIND), each with el, get(),
// set(value), find(parts) and, for an imported draft, touched(), merge(base) and unshown(base).

import { el, state, plainPath, labelOf, enumNames, enumValues, isoDate, isRaw, isObj, same, scalarText } from "./form-core.js";

// --- what the page says about a step, and fields that cannot apply --------------------------

export const STEP_HINT = "「有此环节」：已办理，请填写；「无此环节（未办理）」：按未办理检查；「（未填写）」：不检查此环节。";

export const STEP_WORDS = {
  // hearing: null is "the party did not ask for a hearing" (engine/model/drafts.py Procedure.hearing)
  "procedure.hearing": {
    no: "无（当事人未要求听证）",
    hint: "当事人未要求听证的，选「无（当事人未要求听证）」；当事人要求听证后又放弃的，选「有此环节」，填写申请听证日期并勾选「放弃听证」；不选（未填写）则不检查听证。",
  },
  // issue 27 §3: people the case file may record; not recorded is never "not done" (engine/check/people.py)
  "procedure.hearing.presider": {
    yes: "已记载",
    no: "未记载",
    hint: "主持听证的人员（应为非本案调查人员，行政处罚法第六十四条第（四）项）；有执法证的填写证件号。未记载的不检查。",
  },
  "procedure.legal_review.reviewer": {
    yes: "已记载",
    no: "未记载",
    hint: "从事本案法制审核的人员；初次从事法制审核的，应当取得法律职业资格（第五十八条第二款）。未记载的不检查。",
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
export const ALWAYS_SHOWN = new Set(["violation"]);

// fields shown only where they can apply (the validators of engine/model/drafts.py: age and capacity are for an
// individual, no_penalty_ground for 不予处罚); a hidden field is not sent (an imported value stays as imported)
export const APPLIES = {
  "party.age": (d) => d.party && d.party.type === "individual",
  "party.capacity": (d) => d.party && d.party.type === "individual",
  "decision.no_penalty_ground": (d) => d.decision && d.decision.tier === "不予处罚",
  // issue 27 §3: a presider only for a hearing held (第六十四条第（四）项)
  "procedure.hearing.presider": (d) => Boolean(d.procedure && d.procedure.hearing && d.procedure.hearing.held_on),
};

// the control of a field path (no list index), or undefined
export function fieldAt(path) {
  let c = state.root;
  for (const k of path.split(".")) c = c && c.fields ? c.fields[k] : undefined;
  return c;
}

export function applyVisibility() {
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

export function resolve(s) {
  while (s && s.$ref) s = state.schema.$defs[s.$ref.split("/").pop()];
  return s || {};
}

export function unwrap(s) {
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

export function typeOf(s) {
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

// a control with one value: touched() once the officer changes it (input or change on target), merge(base)
// its value if touched else the imported one, unshown(base) the imported value when the control cannot show it
export function tracked(control, path, target, shows = (v) => same(control.get(), v)) {
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
export function mapping(control, path, fields, skip = []) {
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

export function fieldWrap(path, name, control, required, kind) {
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

export function scalarControl(path, s, kind) {
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

export function objectControl(path, s, optional) {
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
    el("option", { value: "", text: "（未填写）" }), el("option", { value: "yes", text: (STEP_WORDS[path] || {}).yes || "有此环节" }), el("option", { value: "no", text: (STEP_WORDS[path] || {}).no || "无此环节（未办理）" }));
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

export function checksControl(path, values, notes = {}) {
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

export function linesControl(path) {
  const input = el("textarea", { rows: 3, "data-path": path, placeholder: "每行一项" });
  return tracked({
    el: input,
    input,
    get() { const v = input.value.split("\n").map((x) => x.trim()).filter(Boolean); return v.length ? v : undefined; },
    set(list) { input.value = Array.isArray(list) ? list.join("\n") : ""; },
    find() { return this; },
  }, path, input);
}

export function rowsControl(path, itemSchema, initial) {
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

export function factsControl(path) {
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
    state.info[`${path}.${key}`] = { title: f.label, hint: f.hint };
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

export function build(path, name, prop, required) {
  // the title and the officer's hint sit on the property, beside a $ref or anyOf that unwrap() opens
  state.info[plainPath(path)] = { title: prop.title, hint: prop["x-quanze-hint"] };
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

export function startingSanctions(d) {
  if (!d || !d.provision) return [];
  const v = d.provision.versions[d.provision.versions.length - 1];
  return (v.sanctions || []).filter((x) => x.required === "always").map((x) => ({ kind: x.kind }));
}
