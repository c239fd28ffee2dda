// quanze officer form: fields built from the draft JSON Schema (/api/v1/schema/KIND), names and
// word lists from the API (generated from rules/), checks through POST /api/v1/check.
// The entry module: it wires the page's buttons to the panels (form-*.js), loaded as <script type="module">.

import { $, state } from "./form-core.js";
import { applyVisibility } from "./form-controls.js";
import { loadItems, changeItem, importNote } from "./form-draft.js";
import { saving, saveNow, autosave, restore, clearDraft } from "./form-autosave.js";
import { forgetSaved } from "./form-store.js";
import { runCheck } from "./form-findings.js";
import { opinion, partyDocument } from "./form-documents.js";
import { importFile, download } from "./form-import.js";

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
      forgetSaved();
      $("#status").textContent = `自动保存的草稿无法恢复（${err.message}），已丢弃`;
    });
    document.body.dataset.ready = "1";
  } catch (err) {
    $("#status").textContent = `无法加载事项：${err.message}`;
  }
});
