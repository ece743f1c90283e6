// The console's patrol board: each route's current round and each checkpoint's last visit and due time, live.
import * as store from "./store.js";

const cell = text => Object.assign(document.createElement("td"), { textContent: text ?? "" });
const checkpointName = id => store.state.checkpoints.get(id)?.name ?? id;

function renderRound(round) {
  const div = document.createElement("div");
  div.className = "round";
  div.dataset.route = round.routeId;
  div.dataset.status = round.status;
  const title = document.createElement("h3");
  title.append(Object.assign(document.createElement("span"), { textContent: round.routeName }),
    Object.assign(document.createElement("span"), { textContent: I18n.t("round." + round.status) }));
  const when = Object.assign(document.createElement("div"), {
    className: "muted",
    textContent: I18n.t("patrol.roundTimes", { start: I18n.formatTime(round.startsAt), due: I18n.formatTime(round.dueAt) })
      + (round.startedBy ? ` · ${round.startedBy}` : ""),
  });
  const stops = document.createElement("div");
  stops.className = "stops";
  for (const visit of round.visits) {
    const span = Object.assign(document.createElement("span"), { className: "stop done", textContent: `✓ ${checkpointName(visit.checkpointId)}` });
    if (!visit.inOrder) { span.classList.add("out-of-order"); span.title = I18n.t("patrol.outOfOrder"); }
    stops.append(span);
  }
  for (const id of round.missing) stops.append(Object.assign(document.createElement("span"), { className: "stop", textContent: checkpointName(id) }));
  div.append(title, when, stops);
  return div;
}

export function render() {
  if (!document.querySelector("#round-list")) return;
  document.querySelector("#round-list").replaceChildren(...[...store.state.rounds.values()].map(renderRound));
  const rows = [...store.state.checkpoints.values()]
    .sort((a, b) => (b.overdue - a.overdue) || (a.overdueAt ?? "9").localeCompare(b.overdueAt ?? "9"))
    .map(c => {
      const tr = document.createElement("tr");
      tr.dataset.checkpoint = c.id;
      if (c.overdue) tr.classList.add("overdue");
      const where = [store.name(c.buildingId), store.name(c.roomId)].filter(Boolean).join(" / ");
      const last = c.lastCheckInAt ? `${I18n.formatTime(c.lastCheckInAt)} · ${c.lastOfficer}` : I18n.t("patrol.never");
      const next = c.inActiveHours ? (c.dueAt ? I18n.formatTime(c.dueAt) : "") : I18n.t("patrol.outsideHours");
      const status = c.overdue ? I18n.t("patrol.overdue") + (c.escalationLevel ? ` (+${c.escalationLevel})` : "") : I18n.t("patrol.ok");
      // Its room is out of service: an overdue visit there is not the operator's alarm (docs/interface.md §9).
      const repair = store.periodOf("room", c.roomId);
      if (repair) tr.dataset.outOfService = "true";
      tr.append(cell(c.name), cell(where), cell(last), cell(next), cell(repair ? `${status} · ${I18n.t("handling.outOfServiceTag")}` : status));
      return tr;
    });
  document.querySelector("#checkpoint-table tbody").replaceChildren(...rows);
}

// Places are named by the site, and a room out of service is marked: the board follows both.
export function init() {
  for (const topic of ["board", "site", "handling"]) store.subscribe(topic, render);
}
