// The site overview: each building coloured by its worst unresolved alert, its rooms one click
// away, and device ids only when asked for.
import * as store from "./store.js";
import * as Plan from "./plan.js";
import * as DeviceChart from "./device-chart.js";

const $ = s => document.querySelector(s);
let openDevice = null;
// The drill report last asked for, kept across re-renders (every push may redraw the tree): { buildingId, report }.
let shownReport = null;

// The header names the site and its clock.
function header() {
  const site = store.state.site;
  $("#site-name").textContent = $("#site-name").title = site.name;
  $("#site-time").textContent = I18n.t("site.timeZone", { zone: site.timeZone });
}

// Many changes in a moment (a flood) are drawn once.
let drawing = null;
function drawSoon() {
  drawing ??= setTimeout(() => { drawing = null; render(); }, 100);
}

function dot(severity) {
  const el = document.createElement("span");
  el.className = "dot";
  if (severity) el.dataset.severity = severity;
  el.title = severity ? I18n.t("severity." + severity) : I18n.t("site.ok");
  return el;
}

function counts(node) {
  const span = document.createElement("span");
  span.className = "badge";
  const parts = [];
  if (node.openAlerts) parts.push(I18n.t("site.openAlerts", { n: node.openAlerts }));
  if (node.devicesOffline) parts.push(I18n.t("site.devicesOffline", { n: node.devicesOffline }));
  span.textContent = parts.join(" · ");
  return span;
}

const canAct = Api.worksConsole;

const { periodOf, activeDrill } = store;

function tag(text, className) {
  return Object.assign(document.createElement("span"), { className: "tag " + className, textContent: text });
}

// A small form of its own under a node: a choice of durations, a reason, and one button.
function form(key, className, choices, buttonKey, submit) {
  const f = document.createElement("form");
  f.className = "handling " + className;
  f.dataset.key = key;
  const select = document.createElement("select");
  select.className = "duration";
  for (const [value, key] of choices) select.append(Object.assign(document.createElement("option"), { value, textContent: I18n.t(key) }));
  const note = Object.assign(document.createElement("input"), { className: "reason", placeholder: I18n.t("handling.reason"), maxLength: 2000 });
  const button = Object.assign(document.createElement("button"), { type: "submit", textContent: I18n.t(buttonKey) });
  const error = Object.assign(document.createElement("span"), { className: "error" });
  f.append(select, note, button, error);
  f.onsubmit = async e => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = "";
    try { store.handlingChanged(await submit(select.value, note.value)); openDevice = null; render(); }
    catch (x) { error.textContent = x.message; }
    finally { button.disabled = false; }
  };
  return f;
}

function drillControls(building) {
  const wrap = document.createElement("div");
  wrap.className = "handling-controls";
  const drill = activeDrill(building.id);
  if (drill) {
    wrap.append(tag(I18n.t("handling.drillUntil", { until: I18n.formatTime(drill.until) }), "drill"));
  } else if (canAct()) {
    wrap.append(form("drill/" + building.id, "drill-form", [["15", "handling.minutes15"], ["30", "handling.minutes30"], ["60", "handling.minutes60"]], "handling.startDrill",
      async (minutes, note) => ({ kind: "drill", id: building.id, drill: await Api.post(`/api/buildings/${building.id}/drill`, { minutes: Number(minutes), note }) })));
  }
  const last = store.state.drills.find(d => d.buildingId === building.id);
  if (last) {
    const report = Object.assign(document.createElement("button"), { type: "button", className: "link drill-report", textContent: I18n.t("handling.drillReport") });
    report.onclick = () => showReport(building.id, last.id);
    wrap.append(report);
  }
  if (shownReport?.buildingId === building.id) wrap.append(reportBox(shownReport.report));
  return wrap;
}

async function showReport(buildingId, id) {
  shownReport = { buildingId, report: await Api.get(`/api/drills/${id}/report`) };
  render();
}

function reportBox(r) {
  const box = Object.assign(document.createElement("div"), { className: "report" });
  const head = I18n.t("handling.reportHead", { fired: r.fired, acknowledged: r.acknowledged, mean: r.meanSecondsToAcknowledge ?? "–" });
  const list = document.createElement("ol");
  for (const a of r.alerts) {
    const typeKey = "type." + a.type;
    const type = I18n.t(typeKey) === typeKey ? a.type : I18n.t(typeKey);
    list.append(Object.assign(document.createElement("li"), {
      textContent: `${I18n.formatTime(a.raisedAt)} · ${type} · ${a.sourceId ?? ""} · ` +
        (a.secondsToAcknowledge != null ? I18n.t("handling.acknowledgedIn", { s: a.secondsToAcknowledge, by: a.acknowledgedBy }) : I18n.t("handling.notAcknowledged")),
    }));
  }
  box.append(Object.assign(document.createElement("p"), { textContent: head }), list);
  return box;
}

// Repair controls of a device or a room ("device" | "room"): out of service with a reason, or back in service.
function repairControls(kind, id) {
  const path = `/api/${kind === "room" ? "rooms" : "devices"}/${id}/out-of-service`;
  if (periodOf(kind, id)) {
    const back = Object.assign(document.createElement("button"), { type: "button", className: "link back-in-service", textContent: I18n.t("handling.backInService") });
    back.onclick = async () => { await Api.del(path); store.handlingChanged({ kind, id, period: null }); openDevice = null; render(); };
    return back;
  }
  return form(`${kind}/${id}`, "out-of-service-form", [["1", "handling.hours1"], ["4", "handling.hours4"], ["24", "handling.hours24"], ["", "handling.untilLifted"]], "handling.outOfService",
    async (hours, note) => {
      const answer = await Api.put(path, { note, until: hours ? new Date(Date.now() + Number(hours) * 3600_000).toISOString() : null });
      // A room's answer is its period; a device's is its status, which carries it.
      return { kind, id, period: kind === "room" ? answer : answer.outOfService };
    });
}

// The tree is drawn again on every live change: what an operator is typing in one of its forms stays.
function typed() {
  return new Map([...document.querySelectorAll("#site-tree form.handling")].map(f => [f.dataset.key, {
    reason: f.querySelector(".reason").value, duration: f.querySelector(".duration").value, focused: f.contains(document.activeElement),
  }]));
}

function restore(kept) {
  for (const f of document.querySelectorAll("#site-tree form.handling")) {
    const k = kept.get(f.dataset.key);
    if (!k) continue;
    f.querySelector(".reason").value = k.reason;
    f.querySelector(".duration").value = k.duration;
    if (k.focused) f.querySelector(".reason").focus();
  }
}

export function render() {
  const site = store.state.site;
  if (!site) return;
  const kept = typed();
  const showDevices = $("#show-devices").checked;
  const open = new Set([...document.querySelectorAll("#site-tree details[open]")].map(d => d.parentElement.dataset.building));
  const tree = document.createElement("ul");
  tree.className = "tree";
  for (const building of site.buildings) {
    const li = document.createElement("li");
    li.dataset.building = building.id;
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.className = "node";
    summary.append(dot(building.worstSeverity), building.name, counts(building));
    if (activeDrill(building.id)) { li.dataset.drill = "true"; summary.append(tag(I18n.t("handling.drill"), "drill")); }
    // The building on its floor plans.
    const planButton = Object.assign(document.createElement("button"), { type: "button", className: "link open-plan", textContent: I18n.t("plan.open") });
    planButton.onclick = e => { e.preventDefault(); Plan.open(building.id); };
    summary.append(planButton);
    details.append(summary, drillControls(building));
    const rooms = document.createElement("ul");
    for (const room of building.rooms) {
      const r = document.createElement("li");
      r.dataset.room = room.id;
      const node = document.createElement("span");
      node.className = "node";
      node.append(dot(room.worstSeverity), room.name, counts(room));
      if (periodOf("room", room.id)) { r.dataset.outOfService = "true"; node.append(tag(I18n.t("handling.outOfServiceTag"), "out-of-service")); }
      if (canAct()) {
        // A whole room can be out of service too (a refit): its devices' and checkpoints' alarms are suppressed.
        const toggle = Object.assign(document.createElement("button"), { type: "button", className: "link room-handling", textContent: I18n.t("handling.room") });
        toggle.onclick = () => { openDevice = openDevice === "room/" + room.id ? null : "room/" + room.id; render(); };
        node.append(toggle);
      }
      const repairs = room.devices.filter(d => periodOf("device", d.id)).length;
      if (repairs) node.append(tag(I18n.t("handling.devicesOutOfService", { n: repairs }), "out-of-service"));
      r.append(node);
      if (openDevice === "room/" + room.id) {
        const panel = Object.assign(document.createElement("div"), { className: "room-handling-panel" });
        panel.append(repairControls("room", room.id));
        r.append(panel);
      }
      if (showDevices) {
        const devices = document.createElement("div");
        devices.className = "device-list";
        for (const d of room.devices) {
          const span = document.createElement("span");
          span.dataset.device = d.id;
          span.textContent = d.name ? `${d.name} (${d.id}) ` : `${d.id} `;
          if (!d.online) { span.classList.add("offline"); span.title = I18n.t("site.offline"); }
          const period = periodOf("device", d.id);
          if (period) { span.dataset.outOfService = "true"; span.title = I18n.t("handling.outOfServiceBy", { by: period.by, note: period.note }); }
          devices.append(span);
          if (canAct()) {
            // A device opens its repair controls: out of service with a reason, or back in service.
            span.classList.add("clickable");
            span.onclick = () => { openDevice = openDevice === d.id ? null : d.id; render(); };
            if (openDevice === d.id) {
              const panel = Object.assign(document.createElement("div"), { className: "device-handling" });
              panel.append(repairControls("device", d.id), DeviceChart.element(d.id));
              devices.append(panel);
            }
          }
        }
        r.append(devices);
      }
      rooms.append(r);
    }
    details.append(rooms);
    details.open = open.has(building.id) || !!building.worstSeverity;
    li.append(details);
    tree.append(li);
  }
  $("#site-tree").replaceChildren(tree);
  restore(kept);
}

export function init() {
  $("#show-devices").onchange = render;
  store.subscribe("site", () => { header(); render(); });
  store.subscribe("totals", drawSoon);
  store.subscribe("handling", render);
}
