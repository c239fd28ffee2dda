// Documents: 法制审核意见书, 事先告知书 and 处罚决定书 as docx from the API.

import { $, api, bodyInit, filenameOf, DOCUMENTS, save } from "./form-core.js";
import { outgoing } from "./form-draft.js";
import { showProblems } from "./form-findings.js";

// 生成法制审核意见书: the docx of POST /api/v1/opinion (the code of `quanze check --format docx`)
export async function opinion() {
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

export async function partyDocument(kind) {
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
