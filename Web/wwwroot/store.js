// The console's one store (docs/interface.md, "Events that carry state"): what the server says is so, loaded when the
// console starts and again after a resync, and from then on kept from the hub's events. The views read it and are told
// what changed; none of them asks the server for state of its own (only for what a person opens: an alert's history, a
// device's chart, a drill's report, a floor plan).

const topics = new Map();

// A view's function to call when a topic changes:
//   site      the tree was loaded (names, buildings)        totals   a room's or a building's totals
//   handling  repairs and drills                            alerts   the alert list was loaded or grouped anew
//   alert     one alert, (alert, isNew)                     open     the open alerts at a load, (alerts)
//   board     the patrol board                              security zones and visitors on site
//   kpis      the alarm-load figures
export function subscribe(topic, fn) {
  if (!topics.has(topic)) topics.set(topic, new Set());
  topics.get(topic).add(fn);
}

function publish(topic, ...args) {
  topics.get(topic)?.forEach(fn => fn(...args));
}

export const state = {
  site: null,
  outOfService: [],
  drills: [],
  alerts: new Map(),
  status: "unresolved",
  next: null,
  groups: [],
  checkpoints: new Map(),
  rounds: new Map(),
  zones: new Map(),
  visitors: [],
  kpis: null,
};

const names = new Map();

// How many alerts a page brings; ?pageSize= in the address changes it (a small screen, a test).
const pageSize = Math.min(1000, Math.max(1, Number(new URLSearchParams(location.search).get("pageSize")) || 200));

export function name(id) { return names.get(id); }

export function periodOf(kind, id) { return state.outOfService.find(p => p.kind === kind && p.id === id); }

// Active by the system's clock, not this browser's.
export function activeDrill(buildingId) { return state.drills.find(d => d.buildingId === buildingId && d.active); }

// Every alert known that is not resolved, newest first.
export function unresolved() {
  return [...state.alerts.values()].filter(a => a.status !== "resolved").sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
}

// ---- Loads: at the start, after a resync, after a new site version, and when a person changes the list's filter.

async function loadSite() {
  const [site, outOfService, drills] = await Promise.all([Api.get("/api/site"), Api.get("/api/out-of-service"), Api.get("/api/drills")]);
  Object.assign(state, { site, outOfService, drills });
  names.clear();
  for (const b of site.buildings) {
    names.set(b.id, b.name);
    for (const r of b.rooms) {
      names.set(r.id, r.name);
      for (const d of r.devices) if (d.name) names.set(d.id, d.name);
    }
  }
  I18n.timeZone = site.timeZone;
  publish("site");
  publish("handling");
}

export async function loadAlerts(status = state.status) {
  const [page, groups] = await Promise.all([Api.page(`/api/alerts?status=${status}&limit=${pageSize}`), Api.get("/api/alerts/groups").catch(() => [])]);
  Object.assign(state, { status, alerts: new Map(page.items.map(a => [a.id, a])), next: page.next, groups });
  publish("alerts");
}

// A flood may hold more than a page: older ones are one click away, never silently gone.
export async function loadOlder() {
  if (!state.next) return;
  const page = await Api.page(`/api/alerts?status=${state.status}&limit=${pageSize}&cursor=${encodeURIComponent(state.next)}`);
  page.items.forEach(a => state.alerts.set(a.id, a));
  state.next = page.next;
  publish("alerts");
}

async function loadBoard() {
  const board = await Api.get("/api/patrol/board");
  state.checkpoints = new Map(board.checkpoints.map(c => [c.id, c]));
  state.rounds = new Map(board.rounds.map(r => [r.routeId, r]));
  publish("board");
}

async function loadSecurity() {
  const [zones, visitors] = await Promise.all([Api.get("/api/zones").catch(() => []), Api.get("/api/visitors?onSite=true").catch(() => [])]);
  state.zones = new Map(zones.map(z => [z.id, z]));
  state.visitors = visitors;
  publish("security");
}

// What the signals sound for: every open alert, whatever the list's filter.
async function loadOpen() {
  publish("open", (await Api.page("/api/alerts?status=open&limit=1000")).items);
}

// Figures over 24 hours need no fetch per alert (a flood would make one per console): once a minute, and when asked.
export async function loadKpis() {
  state.kpis = await Api.get("/api/alerts/kpis");
  publish("kpis");
}

// Alerts show building and room names and site times, so the site comes first.
export async function loadAll() {
  await loadSite();
  await Promise.all([loadAlerts(), loadBoard(), loadOpen(), loadSecurity(), loadKpis().catch(() => {})]);
}

// ---- Events: each applied where it stands, the newest version of each thing winning.

const versions = new Map();
function newer(key, version) {
  if ((versions.get(key) ?? 0) >= version) return false;
  versions.set(key, version);
  return true;
}

function inStatus(alert) {
  return state.status === "all" || alert.status === state.status || (state.status === "unresolved" && alert.status !== "resolved");
}

// An alert from the hub or from the answer to an action; an older version than the one known changes nothing.
export function applyAlert(alert, isNew = false) {
  if ((state.alerts.get(alert.id)?.version ?? 0) > (alert.version ?? 0)) return;
  if (inStatus(alert)) state.alerts.set(alert.id, alert); else state.alerts.delete(alert.id);
  publish("alert", alert, isNew);
  if (mayRegroup(alert)) regroupSoon();
}

// One alert a person asked for by its id (a floor plan's marker, a notification's link), kept with the others.
export async function fetchAlert(id) {
  if (!state.alerts.has(id)) state.alerts.set(id, await Api.get(`/api/alerts/${encodeURIComponent(id)}`));
  return state.alerts.get(id);
}

// The groups are the server's (AlertGroup.Of, docs/interface.md §9). They are asked for again, a moment after the last
// alert of a burst, only when an alert could change one: it is in a group now, or it stands in a run of its kind (its
// type, in its building, or device.offline anywhere; each less than a gap after the one before) as long as a group's
// smallest. A lone alarm asks for nothing.
const groupSmallest = 5;
const groupGapMs = 60_000;
function mayRegroup(alert) {
  if (state.groups.some(g => g.alertIds.includes(alert.id))) return true;
  const at = Date.parse(alert.raisedAt);
  const times = [...state.alerts.values()]
    .filter(a => a.type === alert.type && a.status !== "resolved" && (a.type === "device.offline" || a.buildingId === alert.buildingId))
    .map(a => Date.parse(a.raisedAt)).sort((x, y) => x - y);
  let run = [];
  for (const t of times) {
    if (run.length && t - run[run.length - 1] > groupGapMs) {
      if (run.includes(at)) break;
      run = [];
    }
    run.push(t);
  }
  return run.includes(at) && run.length >= groupSmallest;
}

let regroup = null;
function regroupSoon() {
  clearTimeout(regroup);
  regroup = setTimeout(async () => {
    state.groups = await Api.get("/api/alerts/groups").catch(() => state.groups);
    publish("alerts");
  }, 1000);
}

function building(id) { return state.site?.buildings.find(b => b.id === id); }

function roomChanged(totals) {
  const room = building(totals.buildingId)?.rooms.find(r => r.id === totals.roomId);
  if (!room || !newer("room/" + room.id, totals.version)) return;
  Object.assign(room, { worstSeverity: totals.worstSeverity, openAlerts: totals.openAlerts, devicesOffline: totals.devicesOffline });
  const children = new Map(totals.children.map(c => [c.id, c]));
  for (const thing of [...room.devices, ...room.checkpoints]) {
    const child = children.get(thing.id);
    if (child) Object.assign(thing, { worstSeverity: child.worstSeverity, openAlerts: child.openAlerts }, child.online == null ? {} : { online: child.online });
  }
  publish("totals");
}

// The site's own totals are the sum of its buildings'.
function buildingChanged(totals) {
  const b = building(totals.buildingId);
  if (!b || !newer("building/" + b.id, totals.version)) return;
  Object.assign(b, { worstSeverity: totals.worstSeverity, openAlerts: totals.openAlerts, devicesOffline: totals.devicesOffline });
  const site = state.site;
  site.openAlerts = site.buildings.reduce((n, x) => n + x.openAlerts, 0);
  site.worstSeverity = ["critical", "major", "minor", "warning"].find(s => site.buildings.some(x => x.worstSeverity === s)) ?? null;
  publish("totals");
}

// A device or room out of service or back (its period, or null), or a building's newest drill: from the hub, or from the
// answer to a person's own change.
export function handlingChanged(change) {
  if (change.kind === "drill") {
    if (change.drill) state.drills = [change.drill, ...state.drills.filter(d => d.id !== change.drill.id)];
  } else {
    state.outOfService = state.outOfService.filter(p => !(p.kind === change.kind && p.id === change.id));
    if (change.period) state.outOfService.push(change.period);
  }
  publish("handling");
}

function checkpointChanged(status) {
  state.checkpoints.set(status.id, status);
  publish("board");
}

function roundChanged(round) {
  const known = state.rounds.get(round.routeId);
  if (!known || known.startsAt <= round.startsAt) state.rounds.set(round.routeId, round);
  publish("board");
}

export function zoneChanged(zone) {
  state.zones.set(zone.id, zone);
  publish("security");
}

// The event carries the visitor: the list is kept from it, not read again (each read is an audit line).
function visitorChanged(visitor) {
  state.visitors = state.visitors.filter(v => v.id !== visitor.id);
  if (visitor.onSite) state.visitors.unshift(visitor);
  publish("security");
}

// A new version of the site, which every node of a cluster announces: loaded once, a moment after the last of them.
let reloading = null;
function siteChanged() {
  clearTimeout(reloading);
  reloading = setTimeout(() => Promise.all([loadSite(), loadBoard()]).catch(() => {}), 300);
}

// The hub's events, each applied to the store. A check-in or a device's status changes nothing here that its
// checkpoint's, its room's (a device's online state is one of its room's children) and its alerts' own events do not
// already carry. A resync (a node of the cluster died, and what it was sending may be lost) loads everything again.
export function listen(hub) {
  hub.on("alertRaised", alert => applyAlert(alert, true));
  hub.on("alertUpdated", alert => applyAlert(alert, false));
  hub.on("roomChanged", roomChanged);
  hub.on("buildingChanged", buildingChanged);
  hub.on("alarmHandlingChanged", handlingChanged);
  hub.on("siteChanged", siteChanged);
  hub.on("checkInRecorded", () => {});
  hub.on("deviceStatusChanged", () => {});
  hub.on("checkpointStatusChanged", checkpointChanged);
  hub.on("roundUpdated", roundChanged);
  hub.on("zoneChanged", zoneChanged);
  hub.on("visitorUpdated", visitorChanged);
  hub.on("resync", () => loadAll().catch(() => {}));
}
