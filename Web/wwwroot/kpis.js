// Alarm load over the last 24 hours (docs/interface.md §9, after ISA-18.2): how many alarms an operator is
// asked to handle against the target of about one per ten minutes, floods, stale alerts, top sources.
import * as store from "./store.js";

const $ = s => document.querySelector(s);
let refresh = null;

export function render() {
  const k = store.state.kpis;
  if (!k) return;
  const summary = $("#kpi-summary");
  summary.textContent = I18n.t("kpis.summary", { average: k.averagePerTenMinutes, target: k.targetPerTenMinutes });
  summary.dataset.overTarget = k.averagePerTenMinutes > k.targetPerTenMinutes ? "true" : "false";
  const figures = [
    ["alarms", k.alarms], ["peak", k.peakPerTenMinutes], ["flood", `${Math.round(k.floodShare * 100)} %`], ["stale", k.stale],
    ["mtta", k.meanSecondsToAcknowledge == null ? "–" : `${k.meanSecondsToAcknowledge} s`], ["suppressed", k.suppressed],
    ...["critical", "major", "minor", "warning"].map(s => ["severity." + s, k.bySeverity[s] ?? 0]),
  ];
  $("#kpi-figures").replaceChildren(...figures.flatMap(([key, value]) => {
    const dd = Object.assign(document.createElement("dd"), { textContent: value });
    dd.dataset.kpi = key;
    return [Object.assign(document.createElement("dt"), { textContent: I18n.t(key.startsWith("severity.") ? key : "kpis." + key) }), dd];
  }));
  $("#kpi-sources").replaceChildren(...k.topSources.map(s => Object.assign(document.createElement("li"), { textContent: I18n.t("kpis.source", { source: s.source, n: s.alarms }) })));
}

// Figures over 24 hours need no fetch per alert (a flood would make one per console): they are fetched once a minute,
// and whenever the panel is opened.
export function init() {
  store.subscribe("kpis", render);
  $("#kpis").ontoggle = () => { if ($("#kpis").open && Api.session) store.loadKpis().catch(() => {}); };
}

// Once signed in: the figures again every minute.
export function start() {
  clearInterval(refresh);
  refresh = setInterval(() => store.loadKpis().catch(() => {}), 60_000);
}
