// The control-room console: sign in, then alerts, the site and the patrol board on one screen, live.
const $ = selector => document.querySelector(selector);
let hub = null;

function show(view) {
  $("#sign-in-view").hidden = view !== "sign-in";
  $("#console-view").hidden = view !== "console";
  $("#sign-out").hidden = view !== "console";
  Page.nav();
  $("#whoami").textContent = $("#whoami").title = view === "console" ? `${Api.session.displayName || Api.session.username} (${Api.roleText})` : "";
}

// Every alert event goes to the list (as filtered) and to the signals (whatever the filter). The site's totals come
// in their own events (roomChanged, buildingChanged): no alert makes the console ask the server for anything.
function alertEvent(isNew) {
  return alert => {
    Alerts.upsert(alert);
    Plan.renderSoon();
    Signals.seen(alert, isNew);
  };
}

async function loadOpenForSignals() {
  const page = await Api.page("/api/alerts?status=open&limit=1000");
  Signals.reset(page.items);
}

async function connect() {
  hub = Api.hub();
  hub.on("alertRaised", alertEvent(true));
  hub.on("alertUpdated", alertEvent(false));
  hub.on("roomChanged", Site.roomChanged);
  hub.on("buildingChanged", Site.buildingChanged);
  hub.on("alarmHandlingChanged", Site.refreshHandlingSoon);
  hub.on("siteChanged", () => { Site.loadSoon(); PatrolBoard.load(); });
  // A check-in or a device's status changes nothing here that its checkpoint's, its room's (a device's online state is
  // one of its room's children) and its alerts' own events do not already carry.
  hub.on("checkInRecorded", () => {});
  hub.on("deviceStatusChanged", () => {});
  hub.on("checkpointStatusChanged", PatrolBoard.checkpointChanged);
  hub.on("roundUpdated", PatrolBoard.roundChanged);
  hub.on("zoneChanged", Security.zoneChanged);
  hub.on("visitorUpdated", Security.visitorChanged);
  hub.onreconnecting(() => setConnection("reconnecting"));
  const reloadAll = () => Promise.all([Alerts.load(), Site.load(), PatrolBoard.load(), loadOpenForSignals(), Kpis.load().catch(() => {}), Security.load()]);
  hub.onreconnected(async () => { setConnection("online"); await reloadAll(); });
  // A node of the cluster died: what it was sending may be lost, so the view is loaded again.
  hub.on("resync", reloadAll);
  hub.onclose(() => setConnection("offline"));
  await hub.start();
  setConnection("online");
}

function setConnection(value) {
  const el = $("#connection");
  el.dataset.state = value;
  el.textContent = I18n.t("connection." + value);
}

async function startConsole() {
  show("console");
  // Alerts show building and room names and site times, so the site comes first; with several sites, the picker.
  await Promise.all([Site.load(), Page.sitePicker()]);
  await Promise.all([Alerts.load(), PatrolBoard.load(), loadOpenForSignals(), Security.load()]);
  Kpis.start().catch(() => {});
  await connect();
  await openLinkedAlert();
}

async function openLinkedAlert() {
  const linked = /^#\/alerts\/([^/]+)$/.exec(location.hash);
  if (linked && Api.session) await Alerts.open(decodeURIComponent(linked[1]));
}

async function main() {
  await I18n.init();
  $("#language").value = I18n.language;
  $("#language").onchange = async e => {
    await I18n.switchTo(e.target.value);
    Site.render(); Alerts.render(); PatrolBoard.render(); Signals.render(); Security.render();
    setConnection($("#connection").dataset.state);
    show(Api.session ? "console" : "sign-in");
    if (Api.session) $("#site-time").textContent = I18n.t("site.timeZone", { zone: I18n.timeZone });
  };
  Alerts.init();
  Site.init();
  Plan.init();
  // A link to one alert (#/alerts/{id}, as notifications carry) opens it.
  window.addEventListener("hashchange", openLinkedAlert);
  Signals.init();
  Api.bindSignIn(startConsole);
  setConnection("offline");
  if (Api.session) await startConsole(); else show("sign-in");
}

main();
