// The autosaved draft's place in this browser (localStorage): its key, how long it is kept, and its removal.
// A party's data leaves the browser after SAVE_HOURS, on 清除 and on 退出登录 (the form's and the register page's).

export const SAVE_KEY = "quanze-draft-v1";

export const SAVE_HOURS = 24; // a party's data stays in this browser at most a day: an older save is deleted, not restored

export function forgetSaved() {
  try { localStorage.removeItem(SAVE_KEY); } catch { /* storage disabled: nothing saved */ }
}
