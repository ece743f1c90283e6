// The security office on the console: each zone armed or not (by its schedule or an operator), arm and disarm
// with a reason; and the visitors on site now.
import * as store from "./store.js";

const $ = s => document.querySelector(s);
const canAct = Api.worksConsole;

export function render() {
  const visitors = store.state.visitors;
  $("#zones").replaceChildren(...[...store.state.zones.values()].map(zoneRow));
  $("#visitors-on-site-count").textContent = `(${visitors.length})`;
  $("#visitors-on-site").replaceChildren(...visitors.map(v => {
    const li = document.createElement("li");
    li.dataset.overdue = v.overdue;
    li.textContent = `${v.name} · ${v.hostName} · ${v.hostPlace} · ${I18n.t("gate.until", { at: I18n.formatTime(v.expectedDeparture) })}`
      + (v.overdue ? ` · ${I18n.t("gate.overdue")}` : "");
    return li;
  }));
}

function zoneRow(zone) {
  const li = document.createElement("li");
  li.className = "zone";
  li.dataset.id = zone.id;
  li.dataset.armed = zone.armed;
  const state = I18n.t(zone.armed ? "security.armed" : "security.disarmed");
  const by = zone.source === "operator" ? I18n.t("security.byOperator", { who: zone.override.by, reason: zone.override.reason }) : I18n.t("security.bySchedule");
  const next = zone.nextChange ? " · " + I18n.t("security.until", { at: I18n.formatTime(zone.nextChange) }) : "";
  li.append(Object.assign(document.createElement("strong"), { textContent: zone.name }),
    Object.assign(document.createElement("span"), { className: "zone-state", textContent: state }),
    Object.assign(document.createElement("span"), { className: "muted", textContent: by + next }));
  if (canAct()) {
    const reason = Object.assign(document.createElement("input"), { className: "zone-reason", placeholder: I18n.t("security.reason"), maxLength: 2000 });
    const minutes = Object.assign(document.createElement("input"), { className: "zone-minutes", type: "number", min: 1, max: zone.maxDisarmMinutes, value: Math.min(60, zone.maxDisarmMinutes) });
    const error = Object.assign(document.createElement("span"), { className: "error" });
    const button = Object.assign(document.createElement("button"), { type: "button", className: "secondary zone-toggle",
      textContent: I18n.t(zone.armed ? "security.disarm" : "security.arm") });
    button.onclick = async () => {
      try {
        store.zoneChanged(await Api.post(`/api/zones/${zone.id}/${zone.armed ? "disarm" : "arm"}`, { reason: reason.value, minutes: Number(minutes.value) || null }));
      } catch (e) {
        error.textContent = e.message;
      }
    };
    li.append(Object.assign(document.createElement("div"), { className: "zone-actions" }), error);
    li.querySelector(".zone-actions").append(reason, minutes, button);
  }
  return li;
}

export function init() { store.subscribe("security", render); }
