// The patrol officer's page: check in by code or by the QR-code URL, answer the checklist, see what is due.
const $ = selector => document.querySelector(selector);
const draftKey = "sp.checkin.draft";
let info = null;

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
  const items = info.checklist.map((name, i) => {
    const el = $("#item-template").content.firstElementChild.cloneNode(true);
    I18n.apply(el);
    el.dataset.item = name;
    el.querySelector(".item-name").textContent = name;
    el.querySelectorAll("input[type=radio]").forEach(r => { r.name = `item-${i}`; });
    const saved = answers?.find(a => a.item === name);
    if (saved) {
      el.querySelector(saved.ok ? "input[value=ok]" : "input[value=fail]").checked = true;
      el.querySelector(".item-note").value = saved.note || "";
    }
    el.addEventListener("input", saveDraft);
    el.addEventListener("change", saveDraft);
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
  const findings = [...document.querySelectorAll("#checklist-items .item")].map(item => ({
    item: item.dataset.item,
    ok: item.querySelector("input[value=ok]").checked,
    note: item.querySelector(".item-note").value || null,
  }));
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
  const params = new URLSearchParams(location.search);
  const draft = loadDraft();
  const checkpoint = params.get("cp") ?? draft?.checkpoint ?? "";
  $("#checkpoint").value = checkpoint;
  $("#code").value = params.get("code") ?? (draft?.checkpoint === checkpoint ? draft?.code : "") ?? "";
  await loadCheckpoint(checkpoint, draft?.checkpoint === checkpoint ? draft?.answers : null);
  await loadBoard();
  setInterval(loadBoard, 30000);
}

async function main() {
  await I18n.init();
  $("#language").value = I18n.language;
  $("#language").onchange = async e => { await I18n.switchTo(e.target.value); if (Api.session) await loadBoard(); };
  $("#checkpoint").addEventListener("change", e => { loadCheckpoint(e.target.value.trim()); saveDraft(); });
  $("#code").addEventListener("input", saveDraft);
  $("#check-in").onsubmit = submit;
  Api.bindSignIn(startOfficer);
  if (Api.session) await startOfficer(); else show("sign-in");
}

main();
