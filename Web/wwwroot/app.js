// The control-room console: sign in, live alerts, acknowledge/resolve, site tree.
const $ = selector => document.querySelector(selector);
const state = { alerts: new Map(), site: null, names: new Map(), filter: "unresolved", hub: null };

function show(view) {
  $("#sign-in-view").hidden = view !== "sign-in";
  $("#console-view").hidden = view !== "console";
  $("#sign-out").hidden = view !== "console";
  $("#whoami").textContent = view === "console" ? `${Api.session.displayName || Api.session.username} (${I18n.t("role." + Api.session.role)})` : "";
}

// --- Site tree -------------------------------------------------------------

async function loadSite() {
  state.site = await Api.get("/api/site");
  for (const b of state.site.buildings) {
    state.names.set(b.id, b.name);
    for (const r of b.rooms) state.names.set(r.id, r.name);
  }
  $("#site-name").textContent = state.site.name;
  renderSite();
}

let siteRefresh = null;
function refreshSiteSoon() {
  clearTimeout(siteRefresh);
  siteRefresh = setTimeout(() => loadSite().catch(() => {}), 300);
}

function dot(severity) {
  const el = document.createElement("span");
  el.className = "dot";
  if (severity) el.dataset.severity = severity;
  el.title = severity ? I18n.t("severity." + severity) : I18n.t("site.ok");
  return el;
}

function renderSite() {
  if (!state.site) return;
  const tree = document.createElement("ul");
  tree.className = "tree";
  for (const building of state.site.buildings) {
    const li = document.createElement("li");
    li.dataset.building = building.id;
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.className = "node";
    summary.append(dot(building.worstSeverity), building.name, counts(building));
    details.append(summary);
    const rooms = document.createElement("ul");
    for (const room of building.rooms) {
      const r = document.createElement("li");
      r.dataset.room = room.id;
      const node = document.createElement("span");
      node.className = "node";
      node.append(dot(room.worstSeverity), room.name, counts(room));
      const devices = document.createElement("div");
      devices.className = "device-list";
      for (const d of room.devices) {
        const span = document.createElement("span");
        span.dataset.device = d.id;
        span.textContent = `${d.id} `;
        if (!d.online) { span.classList.add("offline"); span.title = I18n.t("site.offline"); }
        devices.append(span);
      }
      r.append(node, devices);
      rooms.append(r);
    }
    details.append(rooms);
    details.open = !!building.worstSeverity;
    li.append(details);
    tree.append(li);
  }
  $("#site-tree").replaceChildren(tree);
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

// --- Alerts ----------------------------------------------------------------

async function loadAlerts() {
  const alerts = await Api.get(`/api/alerts?status=${state.filter}&limit=200`);
  state.alerts = new Map(alerts.map(a => [a.id, a]));
  renderAlerts();
}

function matchesFilter(alert) {
  return state.filter === "all" || alert.status === state.filter
    || (state.filter === "unresolved" && alert.status !== "resolved");
}

function upsert(alert) {
  if (matchesFilter(alert)) state.alerts.set(alert.id, alert); else state.alerts.delete(alert.id);
  renderAlerts();
  refreshSiteSoon();
}

function renderAlerts() {
  const list = $("#alert-list");
  const sorted = [...state.alerts.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  const keep = new Map([...list.children].map(li => [li.dataset.id, li]));
  const items = sorted.map(alert => renderAlert(alert, keep.get(alert.id)));
  list.replaceChildren(...items);
  $("#alerts-empty").hidden = sorted.length > 0;
}

function renderAlert(alert, existing) {
  // Keep the row (and any note being typed) when only its data changes.
  const li = existing ?? $("#alert-template").content.firstElementChild.cloneNode(true);
  if (!existing) {
    I18n.apply(li);
    li.querySelector(".acknowledge").onclick = () => act(li, "acknowledge");
    li.querySelector(".resolve").onclick = () => act(li, "resolve");
  }
  li.dataset.id = alert.id;
  li.dataset.severity = alert.severity;
  li.dataset.status = alert.status;
  li.querySelector(".severity").textContent = I18n.t("severity." + alert.severity);
  li.querySelector(".type").textContent = I18n.t("type." + alert.type) === "type." + alert.type ? alert.type : I18n.t("type." + alert.type);
  li.querySelector(".message").textContent = alert.message;
  const where = [state.names.get(alert.buildingId), state.names.get(alert.roomId), alert.deviceId || alert.checkpointId].filter(Boolean);
  li.querySelector(".where").textContent = where.join(" / ");
  li.querySelector(".when").textContent = I18n.formatTime(alert.raisedAt);
  li.querySelector(".occurrences").textContent = alert.occurrences > 1 ? I18n.t("alerts.occurrences", { n: alert.occurrences }) : "";
  const who = alert.status === "acknowledged" ? alert.acknowledgedBy : alert.status === "resolved" ? alert.resolvedBy : null;
  li.querySelector(".status").textContent = I18n.t("status." + alert.status) + (who ? ` · ${who}` : "");
  li.querySelector(".active").textContent = alert.active ? I18n.t("alerts.active") : I18n.t("alerts.cleared");
  li.querySelector(".acknowledge").hidden = alert.status !== "open" || !canAct();
  li.querySelector(".resolve").hidden = alert.status === "resolved" || !canAct();
  li.querySelector(".note").hidden = alert.status === "resolved" || !canAct();
  return li;
}

function canAct() { return ["admin", "operator"].includes(Api.session?.role); }

async function act(li, action) {
  const note = li.querySelector(".note");
  const error = li.querySelector(".action-error");
  li.querySelectorAll("button").forEach(b => b.disabled = true);
  error.textContent = "";
  try {
    const alert = await Api.post(`/api/alerts/${li.dataset.id}/${action}`, { note: note.value || null });
    note.value = "";
    upsert(alert);
  } catch (e) {
    // The note stays where it was typed, so nothing is lost.
    error.textContent = I18n.t("alerts.actionFailed", { reason: e.message });
  } finally {
    li.querySelectorAll("button").forEach(b => b.disabled = false);
  }
}

// --- Live updates ----------------------------------------------------------

async function connect() {
  const hub = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/console", { accessTokenFactory: () => Api.session.accessToken })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(10000, 1000 * (ctx.previousRetryCount + 1)) })
    .build();
  hub.on("alertRaised", upsert);
  hub.on("alertUpdated", upsert);
  hub.on("deviceStatusChanged", refreshSiteSoon);
  hub.on("checkInRecorded", refreshSiteSoon);
  hub.on("checkpointStatusChanged", PatrolBoard.checkpointChanged);
  hub.on("roundUpdated", PatrolBoard.roundChanged);
  hub.onreconnecting(() => setConnection("reconnecting"));
  hub.onreconnected(async () => { setConnection("online"); await Promise.all([loadAlerts(), loadSite(), PatrolBoard.load()]); });
  hub.onclose(() => setConnection("offline"));
  state.hub = hub;
  await hub.start();
  setConnection("online");
}

function setConnection(value) {
  const el = $("#connection");
  el.dataset.state = value;
  el.textContent = I18n.t("connection." + value);
}

// --- Start -----------------------------------------------------------------

async function startConsole() {
  show("console");
  // Alerts show building and room names, so the site comes first.
  await loadSite();
  await Promise.all([loadAlerts(), PatrolBoard.load()]);
  await connect();
}

async function main() {
  await I18n.init();
  $("#language").value = I18n.language;
  $("#language").onchange = async e => { await I18n.switchTo(e.target.value); renderSite(); renderAlerts(); PatrolBoard.render(); setConnection($("#connection").dataset.state); show(Api.session ? "console" : "sign-in"); };
  $("#alert-filter").onchange = e => { state.filter = e.target.value; loadAlerts(); };
  Api.bindSignIn(startConsole);
  setConnection("offline");
  if (Api.session) await startConsole(); else show("sign-in");
}

main();
