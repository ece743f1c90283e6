// The alert list: the store's alerts, filtered and searched in the page, sorted by severity and then newest first;
// each alert opens to its full history.
import * as store from "./store.js";

const $ = s => document.querySelector(s);
const rank = { critical: 0, major: 1, minor: 2, warning: 3 };
// What this view shows of the store's alerts; the list itself is the store's.
const view = { severity: "", alarmClass: "", building: "", system: "", search: "", openGroups: new Set() };
const data = store.state;

function system(alert) { return alert.type.split(".")[0]; }

function where(alert) {
  const source = alert.deviceId ? store.name(alert.deviceId) ?? alert.deviceId : alert.checkpointId;
  return [store.name(alert.buildingId), store.name(alert.roomId), source].filter(Boolean).join(" / ");
}

function typeName(alert) {
  const key = "type." + alert.type;
  return I18n.t(key) === key ? alert.type : I18n.t(key);
}

function shown(alert) {
  if (view.severity && alert.severity !== view.severity) return false;
  if (view.alarmClass && alert.class !== view.alarmClass) return false;
  if (view.building && alert.buildingId !== view.building) return false;
  if (view.system && system(alert) !== view.system) return false;
  if (!view.search) return true;
  const text = [I18n.message(alert), alert.message, alert.type, typeName(alert), where(alert), alert.deviceId, alert.officer, alert.item].join(" ").toLowerCase();
  return text.includes(view.search.toLowerCase());
}

// A flood brings hundreds of alerts a second: the list is drawn once for all those that came in the same moment, not
// once each (each drawing goes over the whole list).
let drawing = null;
function renderSoon() {
  drawing ??= setTimeout(() => { drawing = null; render(); }, 50);
}

// One row for a flood or a common cause, opened to show its alerts, acknowledged as a whole.
function renderGroup(group, members, existing, keep) {
  const li = existing ?? document.createElement("li");
  li.className = "alert-group";
  li.dataset.group = group.key;
  li.dataset.severity = group.severity;
  if (!existing) {
    li.append(Object.assign(document.createElement("div"), { className: "group-head" }), document.createElement("ol"));
    li.lastElementChild.className = "group-members";
  }
  const head = li.querySelector(".group-head");
  const text = group.type === "device.offline" && !group.buildingId
    ? I18n.t("groups.offlineSite", { n: members.length, buildings: new Set(members.map(a => a.buildingId)).size, since: I18n.formatTime(group.since) })
    : group.type === "device.offline"
    ? I18n.t("groups.offline", { n: members.length, where: store.name(group.buildingId) || "", since: I18n.formatTime(group.since) })
    : I18n.t("groups.many", { n: members.length, type: typeName({ type: group.type }), where: store.name(group.buildingId) || "", since: I18n.formatTime(group.since) });
  const toggle = Object.assign(document.createElement("button"), { type: "button", className: "link group-toggle", textContent: I18n.t(view.openGroups.has(group.key) ? "groups.hide" : "groups.show") });
  toggle.onclick = () => { view.openGroups.has(group.key) ? view.openGroups.delete(group.key) : view.openGroups.add(group.key); render(); };
  const open = members.filter(a => a.status === "open");
  const acknowledge = Object.assign(document.createElement("button"), { type: "button", className: "group-acknowledge", textContent: I18n.t("groups.acknowledge", { n: open.length }), hidden: !open.length || !canAct() });
  acknowledge.onclick = async () => {
    acknowledge.disabled = true;
    try {
      const answer = await Api.post("/api/alerts/acknowledge", { ids: open.map(a => a.id) });
      answer.alerts.forEach(a => store.applyAlert(a));
    } catch (e) { $("#bulk-error").textContent = I18n.t("alerts.bulkFailed", { reason: e.message }); }
    finally { acknowledge.disabled = false; }
  };
  const parts = [Object.assign(document.createElement("span"), { className: "severity", textContent: I18n.t("severity." + group.severity) }),
    Object.assign(document.createElement("strong"), { className: "group-text", textContent: text })];
  if (group.cause) parts.push(Object.assign(document.createElement("span"), { className: "group-cause", textContent: I18n.t("groups.cause." + group.cause, { n: members.length }) }));
  head.replaceChildren(...parts, toggle, acknowledge);
  const list = li.querySelector(".group-members");
  list.hidden = !view.openGroups.has(group.key);
  list.replaceChildren(...(list.hidden ? [] : members.map(a => renderAlert(a, keep.get(a.id)))));
  return li;
}

// Shelved alerts are set apart (docs/interface.md §9): listed below, closed by default, never sounded.
function apart(alert) { return (!!alert.shelvedUntil || !!alert.suppressed) && alert.status !== "resolved"; }

export function render() {
  const list = $("#alert-list");
  const all = [...data.alerts.values()];
  const sorted = all.filter(shown).sort((a, b) => (rank[a.severity] - rank[b.severity]) || b.raisedAt.localeCompare(a.raisedAt));
  const main = sorted.filter(a => !apart(a));
  const setApart = sorted.filter(apart);
  const keep = new Map([...list.querySelectorAll("li.alert"), ...$("#alert-list-apart").children].map(li => [li.dataset.id, li]));
  const keepGroups = new Map([...list.querySelectorAll("li.alert-group")].map(li => [li.dataset.group, li]));
  // Each group takes the place of its alerts, where the first of them would stand.
  const groupOf = new Map();
  for (const group of data.groups) for (const id of group.alertIds) groupOf.set(id, group);
  const rows = [];
  const placed = new Set();
  for (const alert of main) {
    const group = groupOf.get(alert.id);
    if (!group) { rows.push(renderAlert(alert, keep.get(alert.id))); continue; }
    if (placed.has(group.key)) continue;
    placed.add(group.key);
    const members = main.filter(a => groupOf.get(a.id) === group);
    rows.push(members.length >= 2 ? renderGroup(group, members, keepGroups.get(group.key), keep) : renderAlert(alert, keep.get(alert.id)));
  }
  list.replaceChildren(...rows);
  $("#alert-list-apart").replaceChildren(...setApart.map(alert => renderAlert(alert, keep.get(alert.id))));
  $("#apart").hidden = setApart.length === 0;
  $("#apart-title").textContent = I18n.t("alerts.apart", { n: setApart.length });
  $("#alerts-empty").hidden = sorted.length > 0;
  $("#alert-count").textContent = I18n.t("alerts.showing", { shown: sorted.length, total: all.length });
  $("#load-older").hidden = !data.next;
  const open = main.filter(a => a.status === "open");
  const bulk = $("#acknowledge-shown");
  bulk.hidden = open.length < 2 || !canAct();
  bulk.textContent = I18n.t("alerts.acknowledgeShown", { n: open.length });
  bulk.dataset.ids = open.map(a => a.id).join(",");
  renderCounts(all);
}

// A flood is acknowledged in one go: every open alert the filters show, in one call.
async function acknowledgeShown() {
  const button = $("#acknowledge-shown");
  const ids = button.dataset.ids.split(",").filter(Boolean);
  button.disabled = true;
  $("#bulk-error").textContent = "";
  try {
    const answer = await Api.post("/api/alerts/acknowledge", { ids });
    answer.alerts.forEach(alert => store.applyAlert(alert));
    render();
  } catch (e) {
    $("#bulk-error").textContent = I18n.t("alerts.bulkFailed", { reason: e.message });
  } finally {
    button.disabled = false;
  }
}

function renderCounts(all) {
  const counts = $("#severity-counts");
  counts.replaceChildren(...["critical", "major", "minor", "warning"].map(severity => {
    const span = document.createElement("span");
    span.className = "count";
    span.dataset.severity = severity;
    span.textContent = `${I18n.t("severity." + severity)} ${all.filter(a => a.severity === severity).length}`;
    return span;
  }));
}

function renderAlert(alert, existing) {
  // Keep the row (an open history, a note being typed) when only its data changes.
  const li = existing ?? $("#alert-template").content.firstElementChild.cloneNode(true);
  if (!existing) {
    I18n.apply(li);
    li.querySelector(".acknowledge").onclick = () => act(li, "acknowledge");
    li.querySelector(".resolve").onclick = () => act(li, "resolve");
    li.querySelector(".shelve").onclick = () => act(li, "shelve", { minutes: Number(li.querySelector(".shelve-minutes").value) });
    li.querySelector(".unshelve").onclick = () => act(li, "unshelve");
    li.querySelector(".details").onclick = () => toggleHistory(li);
    li.querySelector(".open-ticket").onclick = () => openTicket(li);
  }
  li.dataset.id = alert.id;
  li.dataset.severity = alert.severity;
  li.dataset.class = alert.class;
  li.dataset.status = alert.status;
  li.querySelector(".alarm-class").textContent = I18n.t("class." + alert.class);
  li.querySelector(".severity").textContent = I18n.t("severity." + alert.severity);
  li.querySelector(".type").textContent = typeName(alert);
  li.querySelector(".message").textContent = I18n.message(alert);
  li.querySelector(".where").textContent = where(alert);
  li.querySelector(".when").textContent = I18n.formatTime(alert.raisedAt);
  // Activations (×n) and readings that repeated a condition still true, each shown once there is something to count.
  li.querySelector(".occurrences").textContent = [
    alert.occurrences > 1 ? I18n.t("alerts.occurrences", { n: alert.occurrences }) : "",
    alert.repeats > 0 ? I18n.t("alerts.repeats", { n: alert.repeats }) : "",
    alert.chattering ? I18n.t("alerts.chattering") : "",
  ].filter(Boolean).join(" · ");
  li.dataset.chattering = alert.chattering ? "true" : "false";
  li.querySelector(".escalation").textContent = alert.escalationLevel ? I18n.t("alerts.escalated", { n: alert.escalationLevel }) : "";
  const who = alert.status === "acknowledged" ? alert.acknowledgedBy : alert.status === "resolved" ? alert.resolvedBy : null;
  li.querySelector(".status").textContent = I18n.t("status." + alert.status) + (who ? ` · ${who}` : "");
  li.querySelector(".active").textContent = alert.active ? I18n.t("alerts.active") : I18n.t("alerts.cleared");
  li.querySelector(".acknowledge").hidden = alert.status !== "open" || !canAct();
  li.querySelector(".resolve").hidden = alert.status === "resolved" || !canAct();
  li.querySelector(".note").hidden = alert.status === "resolved" || !canAct();
  li.dataset.shelved = apart(alert) ? "true" : "false";
  li.dataset.suppressed = alert.suppressed ?? "";
  li.querySelector(".shelved").textContent = alert.shelvedUntil ? I18n.t("alerts.shelvedUntil", { until: I18n.formatTime(alert.shelvedUntil), by: alert.shelvedBy })
    : alert.suppressed ? I18n.t("alerts.suppressed." + alert.suppressed) : "";
  li.querySelector(".shelve").hidden = li.querySelector(".shelve-minutes").hidden = alert.status === "resolved" || apart(alert) || !canAct();
  li.querySelector(".unshelve").hidden = !alert.shelvedUntil || !canAct();
  li.querySelector(".open-ticket").hidden = alert.status === "resolved" || !canAct() || !li.querySelector(".ticket-link").hidden;
  if (alert.photoId && li.dataset.photo !== alert.photoId) showPhoto(li, alert.photoId);
  if (!li.querySelector(".history").hidden) showHistory(li);
  return li;
}

async function toggleHistory(li) {
  const history = li.querySelector(".history");
  history.hidden = !history.hidden;
  if (!history.hidden) await showHistory(li);
}

// Who did what, when, with their note: notes typed on acknowledge and resolve are shown here.
async function showHistory(li) {
  const alert = await Api.get(`/api/alerts/${li.dataset.id}`);
  const entries = (alert.history ?? []).map(h => {
    const item = document.createElement("li");
    item.dataset.action = h.action;
    const head = `${I18n.formatTime(h.at)} · ${I18n.t("history." + h.action)}${h.by ? " · " + h.by : ""}`;
    item.append(Object.assign(document.createElement("span"), { className: "history-head", textContent: head }));
    // A note the system wrote carries its key: shown in the console's language, as the alert's own message is.
    const note = h.note && I18n.message({ message: h.note, messageKey: h.noteKey, messageArgs: h.noteArgs });
    if (note) item.append(Object.assign(document.createElement("span"), { className: "history-note", textContent: note }));
    return item;
  });
  if (alert.historyOmitted) entries.splice(1, 0, Object.assign(document.createElement("li"), { className: "muted", textContent: I18n.t("history.omitted", { n: alert.historyOmitted }) }));
  li.querySelector(".history").replaceChildren(...entries);
}

const canAct = Api.worksConsole;

// One tap: a repair ticket for what this alert is about; signing it off resolves the alert.
async function openTicket(li) {
  const error = li.querySelector(".action-error");
  error.textContent = "";
  const alert = data.alerts.get(li.dataset.id);
  const note = li.querySelector(".note").value.trim() || null;
  try {
    await Api.post("/api/tickets", { title: I18n.message(alert).slice(0, 200), alertId: alert.id, description: note });
    li.querySelector(".ticket-link").hidden = false;
    li.querySelector(".open-ticket").hidden = true;
  } catch (e) {
    error.textContent = I18n.t("alerts.actionFailed", { reason: e.message });
  }
}

// The officer's photo of a finding: fetched with the token (an image tag cannot send it) and shown from memory.
async function showPhoto(li, photoId) {
  li.dataset.photo = photoId;
  let photo;
  try { photo = await Api.file(`/api/photos/${photoId}`); } catch { return; }
  const img = li.querySelector(".finding-photo");
  img.src = URL.createObjectURL(photo);
  img.alt = I18n.t("alerts.photo");
  img.hidden = false;
}

async function act(li, action, more = {}) {
  const note = li.querySelector(".note");
  const error = li.querySelector(".action-error");
  li.querySelectorAll(".alert-actions button").forEach(b => b.disabled = true);
  error.textContent = "";
  try {
    const alert = await Api.post(`/api/alerts/${li.dataset.id}/${action}`, { note: note.value || null, ...more });
    note.value = "";
    store.applyAlert(alert);
  } catch (e) {
    // The note stays where it was typed, so nothing is lost.
    error.textContent = I18n.t("alerts.actionFailed", { reason: e.message });
  } finally {
    li.querySelectorAll(".alert-actions button").forEach(b => b.disabled = false);
  }
}

// The building filter offers the site's buildings.
function buildings() {
  const select = $("#building-filter");
  const first = select.firstElementChild;
  select.replaceChildren(first, ...data.site.buildings.map(b => Object.assign(document.createElement("option"), { value: b.id, textContent: b.name })));
  select.value = view.building;
}

export function init() {
  $("#alert-filter").onchange = e => store.loadAlerts(e.target.value);
  $("#severity-filter").onchange = e => { view.severity = e.target.value; render(); };
  $("#class-filter").onchange = e => { view.alarmClass = e.target.value; render(); };
  $("#building-filter").onchange = e => { view.building = e.target.value; render(); };
  $("#system-filter").onchange = e => { view.system = e.target.value; render(); };
  $("#alert-search").oninput = e => { view.search = e.target.value.trim(); render(); };
  $("#load-older").onclick = store.loadOlder;
  $("#acknowledge-shown").onclick = acknowledgeShown;
  store.subscribe("alerts", render);
  store.subscribe("alert", renderSoon);
  // Names of buildings, rooms and devices are the site's.
  store.subscribe("site", () => { buildings(); render(); });
}

// Shows one alert: loaded if need be, in view, its history open (a floor plan's marker, a notification's link #/alerts/{id}).
export async function open(id) {
  try { await store.fetchAlert(id); } catch { return; }
  Object.assign(view, { severity: "", alarmClass: "", building: "", system: "", search: "" });
  ["#severity-filter", "#class-filter", "#building-filter", "#system-filter", "#alert-search"].forEach(s => { if ($(s)) $(s).value = ""; });
  render();
  const li = [...document.querySelectorAll("li.alert")].find(x => x.dataset.id === id);
  if (!li) return;
  document.querySelectorAll("li.alert.focused").forEach(x => x.classList.remove("focused"));
  li.classList.add("focused");
  li.closest("details")?.setAttribute("open", "");
  li.scrollIntoView({ block: "nearest" });
  if (li.querySelector(".history").hidden) await toggleHistory(li);
}

