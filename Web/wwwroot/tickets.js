// Repair tickets: the console opens and assigns them, technicians work theirs, the reporter (or the console) signs them off.
const Tickets = (() => {
  const $ = selector => document.querySelector(selector);
  let tickets = [];
  let rooms = new Map(); // room id → "building · room", from the site
  let technicians = []; // { username, displayName }

  // A technician's name as the pickers and the list show it: the display name, and the username to tell two apart.
  const person = username => {
    const technician = technicians.find(t => t.username === username);
    return technician?.displayName ? `${technician.displayName} (${username})` : username;
  };

  function fillTechnicians(select, selected) {
    const first = select.options[0];
    select.replaceChildren(first, ...technicians.map(t => Page.el("option", { value: t.username, textContent: person(t.username) })));
    // Assigned to someone no longer offered (disabled since): still shown, so the choice is not lost silently.
    if (selected && !technicians.some(t => t.username === selected)) select.append(Page.el("option", { value: selected, textContent: selected }));
    select.value = selected ?? "";
  }

  async function loadPickers(site) {
    const roomSelect = $("#new-ticket-room");
    roomSelect.replaceChildren(roomSelect.options[0], ...site.buildings.map(b =>
      Page.el("optgroup", { label: b.name }, ...b.rooms.map(r => Page.el("option", { value: r.id, textContent: r.name })))));
    rooms = new Map(site.buildings.flatMap(b => b.rooms.map(r => [r.id, `${b.name} · ${r.name}`])));
    technicians = await Api.get("/api/technicians");
    fillTechnicians($("#new-ticket-assignee"), null);
  }

  const isConsole = Api.worksConsole;
  const me = () => Api.session.username;

  async function load() {
    const status = $("#ticket-filter").value;
    tickets = await Api.get("/api/tickets" + (status ? `?status=${status}` : ""));
    render();
  }

  function upsert(ticket) {
    const status = $("#ticket-filter").value;
    tickets = tickets.filter(t => t.id !== ticket.id);
    if (!status || (status === "unfinished" ? ticket.status !== "signed-off" : ticket.status === status)) tickets.unshift(ticket);
    tickets.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    render();
  }

  function render() {
    const kept = new Map([...document.querySelectorAll("#tickets .ticket")].map(li => [li.dataset.id, li.querySelector(".ticket-note").value]));
    $("#tickets").replaceChildren(...(tickets.length ? tickets.map(t => row(t, kept.get(t.id))) : [Page.el("li", { className: "muted", textContent: I18n.t("tickets.empty") })]));
  }

  function row(ticket, typed) {
    const li = $("#ticket-template").content.firstElementChild.cloneNode(true);
    I18n.apply(li);
    li.dataset.id = ticket.id;
    li.dataset.status = ticket.status;
    li.querySelector(".ticket-title").textContent = ticket.title;
    li.querySelector(".ticket-status").textContent = I18n.t("ticket.status." + ticket.status);
    li.querySelector(".ticket-overdue").hidden = !ticket.overdue;
    li.querySelector(".ticket-meta").textContent = [
      rooms.get(ticket.roomId) ?? ticket.roomId ?? ticket.buildingId, I18n.t("tickets.reportedBy", { who: ticket.reporter, at: I18n.formatTime(ticket.createdAt) }),
      ticket.assignee ? I18n.t("tickets.assignedTo", { who: person(ticket.assignee) }) : I18n.t("tickets.unassigned"),
    ].filter(Boolean).join(" · ");
    li.querySelector(".ticket-description").textContent = ticket.description ?? "";
    li.querySelector(".ticket-history").replaceChildren(...ticket.history.map(h =>
      Page.el("li", { textContent: `${I18n.formatTime(h.at)} · ${I18n.t("ticket.action." + h.action)} · ${h.by}${h.note ? " — " + I18n.message({ message: h.note, messageKey: h.noteKey, messageArgs: h.noteArgs }) : ""}` })));
    const note = li.querySelector(".ticket-note");
    note.value = typed ?? "";
    const working = ["open", "assigned", "in-progress"].includes(ticket.status);
    const mine = ticket.assignee === me();
    li.querySelector(".ticket-assignee").hidden = li.querySelector(".assign").hidden = !isConsole() || !working;
    if (isConsole()) fillTechnicians(li.querySelector(".ticket-assignee"), ticket.assignee);
    li.querySelector(".start").hidden = !(ticket.status === "assigned" && (mine || isConsole()));
    li.querySelector(".done").hidden = !(ticket.status === "in-progress" && (mine || isConsole()));
    li.querySelector(".accept").hidden = li.querySelector(".reject").hidden = !(ticket.status === "done" && (isConsole() || ticket.reporter === me()));
    note.hidden = ticket.status === "signed-off";
    li.querySelector(".assign").onclick = () => act(li, "PATCH", "", { assignee: li.querySelector(".ticket-assignee").value || null });
    li.querySelector(".start").onclick = () => act(li, "PATCH", "", { status: "in-progress" });
    li.querySelector(".done").onclick = () => act(li, "PATCH", "", { status: "done" });
    li.querySelector(".accept").onclick = () => act(li, "POST", "/sign-off", { accepted: true });
    li.querySelector(".reject").onclick = () => act(li, "POST", "/sign-off", { accepted: false });
    return li;
  }

  async function act(li, method, path, body) {
    const error = li.querySelector(".ticket-error");
    error.textContent = "";
    const note = li.querySelector(".ticket-note").value.trim() || null;
    try {
      const url = `/api/tickets/${li.dataset.id}${path}`;
      upsert(method === "PATCH" ? await Api.patch(url, { ...body, note }) : await Api.post(url, { ...body, note }));
    } catch (e) {
      error.textContent = I18n.t("tickets.failed", { reason: e.message }); // the note stays as typed
    }
  }

  async function create(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    $("#new-ticket-error").textContent = "";
    const value = name => (form.get(name) || "").trim() || null;
    try {
      upsert(await Api.post("/api/tickets", { title: value("title"), roomId: value("roomId"), assignee: value("assignee"), description: value("description") }));
      e.target.reset();
    } catch (err) {
      $("#new-ticket-error").textContent = I18n.t("tickets.failed", { reason: err.message });
    }
  }

  async function connect() {
    const hub = Api.hub();
    hub.on("ticketUpdated", upsert);
    hub.onreconnected(load);
    await hub.start();
  }

  async function start() {
    $("#new-ticket").hidden = !isConsole();
    $("#new-ticket").onsubmit = create;
    $("#ticket-filter").onchange = load;
    const site = isConsole() ? await Api.get("/api/site") : null;
    if (site) {
      I18n.timeZone = site.timeZone;
      await loadPickers(site);
    }
    await load();
    await connect();
  }

  Page.start({ roles: ["admin", "operator", "technician"], onSignedIn: start, onLanguage: render });
  return { load };
})();
