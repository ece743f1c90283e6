// The patrol officer's page: check in by code or by the QR-code URL, answer the checklist, see what is due.
const $ = selector => document.querySelector(selector);
const draftKey = "sp.checkin.draft";
let info = null;
// Where a repair reported now is: the last checkpoint opened, kept after its check-in.
let place = null;

function show(view) {
  $("#sign-in-view").hidden = view !== "sign-in";
  $("#officer-view").hidden = view !== "officer";
  $("#sign-out").hidden = view !== "officer";
}

// Everything typed is kept in a draft until the check-in is confirmed.
function saveDraft() {
  const answers = [...document.querySelectorAll("#checklist-items .item")].map(item => ({
    item: item.dataset.item,
    ok: item.querySelector("input[value=ok]").checked,
    note: item.querySelector(".item-note").value,
    value: item.querySelector(".item-value").value,
    photoId: item.dataset.photoId || null,
  }));
  sessionStorage.setItem(draftKey, JSON.stringify({ checkpoint: $("#checkpoint").value, code: $("#code").value, answers }));
}

function loadDraft() { return JSON.parse(sessionStorage.getItem(draftKey) || "null"); }

async function loadCheckpoint(id, answers) {
  info = null;
  $("#checkpoint-name").textContent = "";
  $("#checklist").hidden = true;
  $("#checklist-items").replaceChildren();
  if (!id) return;
  try {
    info = await Api.get(`/api/checkpoints/${encodeURIComponent(id)}`);
  } catch (e) {
    $("#checkpoint-name").textContent = e.status === 404 ? I18n.t("officer.unknownCheckpoint") : "";
    return;
  }
  $("#checkpoint-name").textContent = `${info.name} · ${info.buildingName} / ${info.roomName}`;
  place = info;
  $("#repair-place").textContent = I18n.t("officer.repairPlace", { place: `${info.buildingName} / ${info.roomName}` });
  const gauges = new Set((info.gauges ?? []).map(g => g.item));
  const items = info.checklist.map((name, i) => {
    const el = $("#item-template").content.firstElementChild.cloneNode(true);
    I18n.apply(el);
    el.dataset.item = name;
    el.querySelector(".item-name").textContent = name;
    el.querySelectorAll("input[type=radio]").forEach(r => { r.name = `item-${i}`; });
    el.querySelector(".item-gauge").hidden = !gauges.has(name);
    const saved = answers?.find(a => a.item === name);
    if (saved) {
      el.querySelector(saved.ok ? "input[value=ok]" : "input[value=fail]").checked = true;
      el.querySelector(".item-note").value = saved.note || "";
      el.querySelector(".item-value").value = saved.value || "";
      if (saved.photoId) { el.dataset.photoId = saved.photoId; el.querySelector(".photo-status").textContent = I18n.t("officer.photoAttached"); }
    }
    const photoShown = () => { el.querySelector(".item-photo").hidden = el.querySelector("input[value=ok]").checked; };
    photoShown();
    el.addEventListener("input", saveDraft);
    el.addEventListener("change", () => { photoShown(); saveDraft(); });
    el.querySelector(".item-photo-input").addEventListener("change", e => attachPhoto(el, e.target.files[0]));
    return el;
  });
  $("#checklist-items").replaceChildren(...items);
  $("#checklist").hidden = items.length === 0;
}

async function submit(e) {
  e.preventDefault();
  $("#check-in-error").textContent = "";
  $("#check-in-done").textContent = "";
  saveDraft();
  const findings = [...document.querySelectorAll("#checklist-items .item")].map(item => {
    const value = item.querySelector(".item-value").value;
    const ok = item.querySelector("input[value=ok]").checked;
    return {
      item: item.dataset.item, ok,
      note: item.querySelector(".item-note").value || null,
      value: value === "" ? null : Number(value),
      photoId: ok ? null : item.dataset.photoId || null,
    };
  });
  $("#submit").disabled = true;
  try {
    const checkIn = await Api.post("/api/checkins", { checkpointId: $("#checkpoint").value.trim(), code: $("#code").value.trim(), findings });
    const name = info?.name ?? checkIn.checkpointId;
    $("#check-in-done").textContent = I18n.t("officer.done", { name, time: I18n.formatTime(checkIn.at) });
    sessionStorage.removeItem(draftKey);
    $("#check-in").reset();
    await loadCheckpoint("");
    history.replaceState(null, "", "/officer.html");
    await loadBoard();
  } catch (err) {
    // The form is left exactly as typed.
    $("#check-in-error").textContent =
      err.status === 422 ? I18n.t("officer.wrongCode")
      : err.status === 404 ? I18n.t("officer.unknownCheckpoint")
      : err.status ? I18n.t("officer.failed", { reason: err.message })
      : I18n.t("officer.offline");
  } finally {
    $("#submit").disabled = false;
  }
}

// A phone's camera picture is several megabytes: it is made at most 1600 px across (JPEG) before it is sent.
async function shrink(file) {
  const image = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(image.width, image.height));
  const canvas = Object.assign(document.createElement("canvas"), { width: Math.round(image.width * scale), height: Math.round(image.height * scale) });
  canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise(resolve => canvas.toBlob(resolve, "image/jpeg", 0.8));
}

async function attachPhoto(item, file) {
  const status = item.querySelector(".photo-status");
  if (!file) return;
  status.textContent = I18n.t("officer.photoSending");
  try {
    const photo = await Api.post("/api/photos", await shrink(file));
    item.dataset.photoId = photo.id;
    status.textContent = I18n.t("officer.photoAttached");
    saveDraft();
  } catch (err) {
    status.textContent = I18n.t("officer.photoFailed", { reason: err.message ?? err });
  }
}

// Repairs the officer reported: signed off by them once the technician says done (the signed repair slip).
async function loadRepairs() {
  let tickets;
  try { tickets = await Api.get("/api/tickets?status=unfinished"); } catch { return; }
  const items = tickets.map(ticket => {
    const li = $("#repair-template").content.firstElementChild.cloneNode(true);
    I18n.apply(li);
    li.dataset.id = ticket.id;
    li.dataset.status = ticket.status;
    li.querySelector(".repair-title").textContent = ticket.title;
    li.querySelector(".repair-status").textContent = I18n.t("ticket.status." + ticket.status);
    li.querySelector(".repair-sign-off").hidden = ticket.status !== "done";
    const signOff = async accepted => {
      const note = li.querySelector(".repair-note").value.trim();
      li.querySelector(".repair-error").textContent = "";
      try {
        await Api.post(`/api/tickets/${ticket.id}/sign-off`, { accepted, note });
        await loadRepairs();
      } catch (err) {
        li.querySelector(".repair-error").textContent = I18n.t("officer.failed", { reason: err.message });
      }
    };
    li.querySelector(".accept").onclick = () => signOff(true);
    li.querySelector(".reject").onclick = () => signOff(false);
    return li;
  });
  $("#my-repairs").replaceChildren(...(items.length ? items : [Object.assign(document.createElement("li"), { className: "muted", textContent: I18n.t("officer.noRepairs") })]));
}

async function reportRepair(e) {
  e.preventDefault();
  const form = new FormData(e.target);
  $("#repair-error").textContent = $("#repair-done").textContent = "";
  try {
    const ticket = await Api.post("/api/tickets", { title: form.get("title").trim(), description: form.get("description").trim() || null, roomId: place?.roomId ?? null });
    e.target.reset();
    $("#repair-done").textContent = I18n.t("officer.repairDone", { title: ticket.title });
    await loadRepairs();
  } catch (err) {
    $("#repair-error").textContent = I18n.t("officer.failed", { reason: err.message });
  }
}

async function loadBoard() {
  let board;
  try { board = await Api.get("/api/patrol/board"); } catch { return; }
  $("#checkpoint-options").replaceChildren(...board.checkpoints.map(c => Object.assign(document.createElement("option"), { value: c.id, label: c.name })));
  const rounds = board.rounds.filter(r => r.status === "open").map(r => {
    const li = document.createElement("li");
    const done = r.visits.length, total = done + r.missing.length;
    li.append(Object.assign(document.createElement("span"), { textContent: r.routeName }),
      Object.assign(document.createElement("span"), { textContent: I18n.t("officer.progress", { done, total, due: I18n.formatTime(r.dueAt) }) }));
    return li;
  });
  $("#rounds").replaceChildren(...(rounds.length ? rounds : [Object.assign(document.createElement("li"), { textContent: I18n.t("officer.noRounds") })]));
  const due = board.checkpoints.filter(c => c.overdueAt).slice(0, 8).map(c => {
    const li = document.createElement("li");
    if (c.overdue) li.classList.add("overdue");
    li.append(Object.assign(document.createElement("span"), { textContent: c.name }),
      Object.assign(document.createElement("span"), { textContent: c.overdue ? I18n.t("officer.overdue") : I18n.formatTime(c.dueAt) }));
    return li;
  });
  $("#due").replaceChildren(...due);
}

async function startOfficer() {
  show("officer");
  await Page.siteClock();
  const params = new URLSearchParams(location.search);
  const draft = loadDraft();
  const checkpoint = params.get("cp") ?? draft?.checkpoint ?? "";
  $("#checkpoint").value = checkpoint;
  $("#code").value = params.get("code") ?? (draft?.checkpoint === checkpoint ? draft?.code : "") ?? "";
  await loadCheckpoint(checkpoint, draft?.checkpoint === checkpoint ? draft?.answers : null);
  await Promise.all([loadBoard(), loadRepairs()]);
  setInterval(() => { loadBoard(); loadRepairs(); }, 30000);
}

async function main() {
  await I18n.init();
  $("#language").value = I18n.language;
  $("#language").onchange = async e => { await I18n.switchTo(e.target.value); if (Api.session) await loadBoard(); };
  $("#checkpoint").addEventListener("change", e => { loadCheckpoint(e.target.value.trim()); saveDraft(); });
  $("#code").addEventListener("input", saveDraft);
  $("#check-in").onsubmit = submit;
  $("#repair").onsubmit = reportRepair;
  Api.bindSignIn(startOfficer);
  if (Api.session) await startOfficer(); else show("sign-in");
}

main();
