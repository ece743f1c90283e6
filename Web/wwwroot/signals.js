// What makes an operator look up: a tone for new critical and major alerts, repeated while any
// critical alert is unacknowledged; the count of unacknowledged alerts in the tab title; and the
// browser's own notifications when the operator allows them. The mute switch is per browser.
import * as store from "./store.js";

const muteKey = "sp.muted";
const open = new Map();
let known = new Set();
let baseTitle = document.title;
const $ = s => document.querySelector(s);

function muted() { return localStorage.getItem(muteKey) === "1"; }

function audio() { return $("#alarm-sound"); }

// The sound's state is kept on the audio element, where a person (or a test) can see it.
async function sound() {
  const el = audio();
  const critical = [...open.values()].some(a => a.severity === "critical" && !a.shelvedUntil && !a.suppressed);
  if (muted()) { el.pause(); el.dataset.state = "muted"; return render(); }
  if (!critical && el.dataset.state === "repeating") { el.pause(); el.loop = false; el.dataset.state = "stopped"; }
  if (critical && el.dataset.state !== "repeating") { el.loop = true; await play(el, "repeating"); }
  render();
}

async function play(el, state) {
  try {
    el.currentTime = 0;
    await el.play();
    el.dataset.state = state;
  } catch {
    // The browser wants a click first: the switch says so, and a click on it starts the sound.
    el.dataset.state = "blocked";
  }
}

export function render() {
  const button = $("#sound");
  button.hidden = !Api.session;
  const state = audio().dataset.state || "stopped";
  button.dataset.state = muted() ? "muted" : state === "blocked" ? "blocked" : "on";
  button.textContent = I18n.t(muted() ? "signals.muted" : state === "blocked" ? "signals.blocked" : "signals.soundOn");
  button.title = I18n.t("signals.muteHint");
}

function title() {
  const count = [...open.values()].filter(a => !a.shelvedUntil && !a.suppressed).length;
  document.title = count ? `(${count}) ${baseTitle}` : baseTitle;
}

function desktop(alert) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  new Notification(`${I18n.t("severity." + alert.severity)} · ${I18n.t("type." + alert.type) === "type." + alert.type ? alert.type : I18n.t("type." + alert.type)}`,
    { body: I18n.message(alert), tag: alert.id });
}

// Every alert the console hears of passes here, whatever the list's filter.
function seen(alert, isNew) {
  if (alert.status === "open") open.set(alert.id, alert); else open.delete(alert.id);
  const loud = ["critical", "major"].includes(alert.severity) && alert.status === "open" && alert.active && !alert.shelvedUntil && !alert.suppressed;
  const first = isNew && !known.has(alert.id);
  known.add(alert.id);
  if (loud && first) {
    desktop(alert);
    if (!muted() && alert.severity === "major" && audio().dataset.state !== "repeating") { audio().loop = false; play(audio(), "once"); }
  }
  title();
  sound();
}

function reset(openAlerts) {
  open.clear();
  openAlerts.forEach(a => open.set(a.id, a));
  known = new Set(openAlerts.map(a => a.id));
  title();
  sound();
}

export function init() {
  baseTitle = document.title;
  store.subscribe("open", reset);
  store.subscribe("alert", seen);
  audio().addEventListener("ended", () => { if (audio().dataset.state === "once") audio().dataset.state = "stopped"; });
  $("#sound").onclick = () => {
    if (audio().dataset.state === "blocked") { localStorage.removeItem(muteKey); audio().dataset.state = "stopped"; }
    else localStorage.setItem(muteKey, muted() ? "0" : "1");
    sound();
  };
  const desktopButton = $("#desktop-alerts");
  desktopButton.hidden = !Api.session || !("Notification" in window) || Notification.permission !== "default";
  desktopButton.onclick = async () => { await Notification.requestPermission(); desktopButton.hidden = Notification.permission !== "default"; };
  render();
}

