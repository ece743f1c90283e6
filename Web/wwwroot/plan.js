// A building floor's plan on the console (docs/interface.md §13): each room, device and checkpoint placed on it in its
// state's colour, an alarm not yet acknowledged pulsing, a click opening the alert; an admin uploads the picture and
// drags things into place.
import * as store from "./store.js";
import * as Alerts from "./alerts.js";

const $ = s => document.querySelector(s);
const el = Page.el;
let building = null;  // the building shown
let floor = null;     // its floor shown
let plan = null;      // the plan as the API answered, or null when the floor has none
let image = null;     // the picture's object URL
let editing = false;
let placed = new Map(); // id → {x, y}: the places as shown (while editing, not yet saved)
let asked = 0;

const isAdmin = () => Api.has("admin");

// The floors of a building and what stands on each: a room without a floor is on floor 1.
function floorsOf(b) {
  const floors = new Map();
  for (const room of b.rooms) {
    const f = room.floor ?? 1;
    if (!floors.has(f)) floors.set(f, []);
    floors.get(f).push(room);
  }
  return new Map([...floors].sort((x, y) => x[0] - y[0]));
}

function things(rooms) {
  return rooms.flatMap(room => [
    { kind: "room", id: room.id, name: room.name, node: room },
    ...room.devices.map(d => ({ kind: "device", id: d.id, name: d.id, node: d, room })),
    ...room.checkpoints.map(c => ({ kind: "checkpoint", id: c.id, name: c.name, node: c, room })),
  ]);
}

export async function open(buildingId, floorNumber) {
  const b = store.state.site?.buildings.find(x => x.id === buildingId);
  if (!b) return;
  building = b;
  const floors = floorsOf(b);
  floor = floorNumber ?? [...floors.keys()][0];
  editing = false;
  $("#plan-view").hidden = false;
  $("#console-view").classList.add("with-plan");
  await load();
}

function close() {
  building = null;
  $("#plan-view").hidden = true;
  $("#console-view").classList.remove("with-plan");
  if (image) URL.revokeObjectURL(image);
  image = null;
}

async function load() {
  const mine = ++asked;
  $("#plan-error").textContent = "";
  let answer = null;
  try {
    answer = await Api.get(`/api/buildings/${encodeURIComponent(building.id)}/floors/${floor}/plan`);
  } catch (err) {
    if (err.status !== 404) $("#plan-error").textContent = I18n.t("plan.failed", { reason: err.message });
  }
  let picture = null;
  if (answer) {
    picture = await Api.file(`/api/buildings/${encodeURIComponent(building.id)}/floors/${floor}/plan/image`)
      .then(blob => URL.createObjectURL(blob), () => null);
  }
  if (mine !== asked) { if (picture) URL.revokeObjectURL(picture); return; }
  if (image) URL.revokeObjectURL(image);
  plan = answer;
  image = picture;
  placed = new Map((plan?.positions ?? []).map(p => [p.id, { x: p.x, y: p.y }]));
  render();
}

// The newest alert of a thing: a device's or checkpoint's own, a room's any in it; open (not acknowledged) ones first.
function alertOf(thing) {
  const mine = store.unresolved().filter(a => thing.kind === "room" ? a.roomId === thing.id : a.deviceId === thing.id || a.checkpointId === thing.id);
  return mine.find(a => a.status === "open") ?? mine[0] ?? null;
}

function marker(thing) {
  const spot = placed.get(thing.id);
  const alert = alertOf(thing);
  const button = el("button", { type: "button", className: `plan-marker plan-${thing.kind}`, title: `${thing.name} (${I18n.t("plan.kind." + thing.kind)})` },
    el("span", { className: "plan-label", textContent: thing.kind === "room" ? thing.name : thing.id }));
  button.style.left = `${spot.x * 100}%`;
  button.style.top = `${spot.y * 100}%`;
  button.dataset.id = thing.id;
  button.dataset.kind = thing.kind;
  const severity = thing.node.worstSeverity ?? alert?.severity;
  if (severity) button.dataset.severity = severity;
  button.dataset.state = thing.kind === "device" && !thing.node.online ? "offline" : severity ? "alarm" : "ok";
  if (alert?.status === "open") button.classList.add("pulse");
  if (alert) button.dataset.alert = alert.id;
  if (editing) {
    button.draggable = true;
    button.ondragstart = e => e.dataTransfer.setData("text/plain", thing.id);
  } else {
    button.onclick = () => { if (alert) Alerts.open(alert.id); };
  }
  return button;
}

export function render() {
  if (!building) return;
  const fresh = store.state.site?.buildings.find(x => x.id === building.id);
  if (fresh) building = fresh;
  const floors = floorsOf(building);
  $("#plan-title").textContent = I18n.t("plan.title", { building: building.name });
  $("#plan-floor").replaceChildren(...[...floors.keys()].map(f => el("option", { value: String(f), textContent: I18n.t("plan.floor", { n: f }), selected: f === floor })));
  const all = things(floors.get(floor) ?? []);
  $("#plan-admin").hidden = !isAdmin();
  $("#plan-edit").textContent = I18n.t(editing ? "plan.done" : "plan.edit");
  $("#plan-edit").hidden = !plan;
  $("#plan-save").hidden = !editing;
  $("#plan-empty").hidden = !!plan;
  $("#plan-empty").textContent = I18n.t(isAdmin() ? "plan.noneAdmin" : "plan.none");
  const stage = $("#plan-stage");
  if (!plan || !image) { stage.replaceChildren(); $("#plan-palette").hidden = true; return; }
  const box = el("div", { className: "plan-box" }, el("img", { className: "plan-image", src: image, alt: I18n.t("plan.title", { building: building.name }), draggable: false }),
    ...all.filter(t => placed.has(t.id)).map(marker));
  box.dataset.width = plan.width;
  box.dataset.height = plan.height;
  stage.replaceChildren(box);
  if (editing) {
    box.ondragover = e => e.preventDefault();
    box.ondrop = e => {
      e.preventDefault();
      const id = e.dataTransfer.getData("text/plain");
      const r = box.getBoundingClientRect();
      placed.set(id, { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) });
      render();
    };
  }
  const palette = $("#plan-palette");
  palette.hidden = !editing;
  palette.replaceChildren(...all.filter(t => !placed.has(t.id)).map(t => {
    const chip = el("li", { className: `plan-chip plan-${t.kind}`, textContent: t.kind === "room" ? t.name : t.id, draggable: true });
    chip.dataset.id = t.id;
    chip.ondragstart = e => e.dataTransfer.setData("text/plain", t.id);
    return chip;
  }));
  // Dropped back on the list: no longer on the plan.
  palette.ondragover = e => e.preventDefault();
  palette.ondrop = e => { e.preventDefault(); placed.delete(e.dataTransfer.getData("text/plain")); render(); };
  // Sized once the list beside it is shown or hidden: sized before, the picture kept the old room until the stage's
  // observer caught up a frame later, and a thing dropped meanwhile was placed by the old size.
  fit();
}

// The picture as large as the card allows, its shape kept, the markers over it.
function fit() {
  const box = $("#plan-stage .plan-box");
  if (!box) return;
  const stage = $("#plan-stage");
  const scale = Math.min(stage.clientWidth / box.dataset.width, stage.clientHeight / box.dataset.height);
  box.style.width = `${Math.floor(box.dataset.width * scale)}px`;
  box.style.height = `${Math.floor(box.dataset.height * scale)}px`;
}

async function save() {
  $("#plan-error").textContent = "";
  try {
    plan = await Api.put(`/api/buildings/${encodeURIComponent(building.id)}/floors/${floor}/plan/positions`,
      { positions: [...placed].map(([id, p]) => ({ id, x: p.x, y: p.y })) });
    editing = false;
    $("#plan-status").textContent = I18n.t("plan.saved");
    render();
  } catch (err) {
    $("#plan-error").textContent = I18n.t("plan.failed", { reason: err.message });
  }
}

async function upload(file) {
  $("#plan-error").textContent = "";
  try {
    // Sent as bytes whatever the file claims to be: the server tells a picture by its content, and says what else it is.
    await Api.put(`/api/buildings/${encodeURIComponent(building.id)}/floors/${floor}/plan/image`, new Blob([file], { type: "application/octet-stream" }));
    $("#plan-status").textContent = I18n.t("plan.uploaded");
    await load();
  } catch (err) {
    $("#plan-error").textContent = I18n.t("plan.failed", { reason: err.message });
  }
}

export function init() {
  $("#plan-close").onclick = close;
  $("#plan-floor").onchange = e => { floor = Number(e.target.value); editing = false; load(); };
  $("#plan-edit").onclick = () => { editing = !editing; if (!editing) placed = new Map((plan?.positions ?? []).map(p => [p.id, { x: p.x, y: p.y }])); render(); };
  $("#plan-save").onclick = save;
  $("#plan-upload").onchange = e => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ""; };
  new ResizeObserver(fit).observe($("#plan-stage"));
  for (const topic of ["site", "totals", "alert", "alerts"]) store.subscribe(topic, renderSoon);
}

// Drawn once for all the alerts of one moment (a flood), not once each.
let drawing = null;
function renderSoon() {
  if (building) drawing ??= setTimeout(() => { drawing = null; render(); }, 50);
}

