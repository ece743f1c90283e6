// The control-room console: sign in, then alerts, the site and the patrol board on one screen, live. Every view reads
// the one store (store.js), which alone loads what the server says is so and applies the hub's events to it.
import * as store from "./store.js";
import * as Alerts from "./alerts.js";
import * as Site from "./site.js";
import * as Plan from "./plan.js";
import * as PatrolBoard from "./patrol-board.js";
import * as Signals from "./signals.js";
import * as Kpis from "./kpis.js";
import * as Security from "./security.js";

const $ = selector => document.querySelector(selector);

function show(view) {
  $("#sign-in-view").hidden = view !== "sign-in";
  $("#console-view").hidden = view !== "console";
  $("#sign-out").hidden = view !== "console";
  Page.nav();
  $("#whoami").textContent = $("#whoami").title = view === "console" ? `${Api.session.displayName || Api.session.username} (${Api.roleText})` : "";
}

async function connect() {
  const hub = Api.hub();
  store.listen(hub);
  hub.onreconnecting(() => setConnection("reconnecting"));
  hub.onreconnected(async () => { setConnection("online"); await store.loadAll(); });
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
  // With several sites, the picker too.
  await Promise.all([store.loadAll(), Page.sitePicker()]);
  Kpis.start();
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
    Site.render(); Alerts.render(); PatrolBoard.render(); Signals.render(); Security.render(); Kpis.render(); Plan.render();
    setConnection($("#connection").dataset.state);
    show(Api.session ? "console" : "sign-in");
    if (Api.session) $("#site-time").textContent = I18n.t("site.timeZone", { zone: I18n.timeZone });
  };
  for (const view of [Alerts, Site, Plan, PatrolBoard, Signals, Kpis, Security]) view.init();
  // A link to one alert (#/alerts/{id}, as notifications carry) opens it.
  window.addEventListener("hashchange", openLinkedAlert);
  Api.bindSignIn(startConsole);
  setConnection("offline");
  if (Api.session) await startConsole(); else show("sign-in");
}

main();
