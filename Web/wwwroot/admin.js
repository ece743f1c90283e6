// Accounts (list, role, name, enabled, password reset), the audit log, and printing checkpoint labels.
const Admin = (() => {
  const $ = selector => document.querySelector(selector);
  const el = Page.el;
  // The deployment's sites (docs/interface.md §13): with more than one, each account is given its own (none chosen: every site).
  let sites = [];

  function siteOptions(select, chosen) {
    select.replaceChildren(...sites.map(s => el("option", { value: s.id, textContent: s.name, selected: (chosen ?? []).includes(s.id) })));
  }

  const chosenSites = select => [...select.selectedOptions].map(o => o.value);

  async function loadUsers() {
    const users = await Api.get("/api/users");
    $("#users tbody").replaceChildren(...users.map(userRow));
  }

  function userRow(user) {
    const tr = $("#user-row").content.firstElementChild.cloneNode(true);
    I18n.apply(tr);
    tr.dataset.username = user.username;
    tr.querySelector(".username").textContent = user.username;
    tr.querySelector(".display-name").value = user.displayName ?? "";
    tr.querySelector(".role").value = user.role;
    tr.querySelector(".enabled").checked = !user.disabled;
    siteOptions(tr.querySelector(".sites"), user.sites);
    tr.querySelectorAll(".sites-column").forEach(c => { c.hidden = sites.length < 2; });
    const siteRoles = { ...(user.siteRoles ?? {}) };
    siteRoleEditor(tr, siteRoles);
    const status = tr.querySelector(".row-status");
    const run = async (work, done) => {
      status.textContent = "";
      $("#users-error").textContent = "";
      try { await work(); status.textContent = I18n.t(done); await loadAudit(); }
      catch (e) { $("#users-error").textContent = I18n.t("admin.failed", { who: user.username, reason: e.message }); }
    };
    tr.querySelector(".save").onclick = () => run(() => Api.patch(`/api/users/${user.username}`, {
      role: tr.querySelector(".role").value,
      displayName: tr.querySelector(".display-name").value.trim() || null,
      disabled: !tr.querySelector(".enabled").checked,
      ...(sites.length > 1 ? { sites: chosenSites(tr.querySelector(".sites")), siteRoles } : {}),
    }), "admin.saved");
    tr.querySelector(".reset").onclick = () => run(async () => {
      await Api.post(`/api/users/${user.username}/password`, { password: tr.querySelector(".new-password").value });
      tr.querySelector(".new-password").value = "";
    }, "admin.resetDone");
    return tr;
  }

  // The account's role at some sites, where it is not its role (docs/interface.md §13): one chip each, taken away
  // with its ✕; a site and a role given by the pickers below. Saved with the row.
  function siteRoleEditor(tr, siteRoles) {
    const chips = tr.querySelector(".site-roles");
    const render = () => chips.replaceChildren(...Object.entries(siteRoles).map(([site, role]) => el("span", { className: "chip" },
      el("span", { textContent: `${sites.find(s => s.id === site)?.name ?? site}: ${I18n.t("role." + role)}` }),
      el("button", { type: "button", className: "link", textContent: "✕", title: I18n.t("admin.siteRoleRemove"), onclick: () => { delete siteRoles[site]; render(); } }))));
    const picker = tr.querySelector(".site-role-site");
    picker.replaceChildren(...sites.map(s => el("option", { value: s.id, textContent: s.name })));
    tr.querySelector(".site-role-give").onclick = () => { siteRoles[picker.value] = tr.querySelector(".site-role-role").value; render(); };
    render();
  }

  async function createUser(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    $("#users-error").textContent = "";
    try {
      await Api.post("/api/users", {
        username: form.get("username").trim(), displayName: form.get("displayName").trim() || null, role: form.get("role"), password: form.get("password"),
        ...(sites.length > 1 ? { sites: chosenSites(e.target.querySelector("select[name=sites]")) } : {}),
      });
      e.target.reset();
      await Promise.all([loadUsers(), loadAudit()]);
    } catch (err) {
      $("#users-error").textContent = I18n.t("admin.failed", { who: form.get("username"), reason: err.message });
    }
  }

  const AuditPage = 100;
  let auditNext = null; // the cursor of the next (older) page, when there is one

  function auditQuery() {
    const form = new FormData($("#audit-filter"));
    const query = new URLSearchParams();
    for (const name of ["user", "action"]) if (form.get(name).trim()) query.set(name, form.get(name).trim());
    // Times are typed on the site's clock, like every time the page shows.
    for (const name of ["from", "to"]) if (form.get(name)) query.set(name, I18n.fromSiteTime(form.get(name)));
    return query;
  }

  // What was sent with the change (or what a read asked for), as "field: value" text rather than JSON, each field named
  // in the page's language where it has a name.
  function fieldName(field) {
    const key = "audit.field." + field;
    return I18n.t(key) === key ? field : I18n.t(key);
  }

  function detailText(detail) {
    try {
      const body = JSON.parse(detail);
      if (body && typeof body === "object") {
        return Object.entries(body).map(([k, v]) => `${fieldName(k)}: ${v !== null && typeof v === "object" ? JSON.stringify(v) : v}`).join("; ");
      }
    } catch { /* not JSON: shown as it is */ }
    return detail ?? "";
  }

  // The newest page; "Older entries" adds the next one below.
  async function loadAudit(e, older = false) {
    e?.preventDefault();
    const query = auditQuery();
    query.set("limit", AuditPage);
    if (older && auditNext) query.set("cursor", auditNext);
    const { items, next } = await Api.page(`/api/audit?${query}`);
    auditNext = next;
    const rows = items.map(a => {
      const tr = el("tr", {}, ...[I18n.formatTime(a.at), a.user, a.action, a.target, a.outcome, a.address, detailText(a.detail)].map(v => el("td", { textContent: v ?? "" })));
      if (a.outcome >= 400) tr.className = "missed";
      return tr;
    });
    if (older) $("#audit tbody").append(...rows); else $("#audit tbody").replaceChildren(...rows);
    $("#audit-older").hidden = !next;
  }

  // The server renders the sheet; it is printed from here, where the token is.
  async function printLabels(e) {
    e.preventDefault();
    const building = $("#labels-building").value;
    let html;
    try {
      html = await (await Api.file("/print/checkpoints" + (building ? `?buildingId=${encodeURIComponent(building)}` : ""))).text();
    } catch (err) {
      $("#labels-status").textContent = I18n.t("admin.labelsFailed", { reason: err.message });
      return;
    }
    const sheet = new DOMParser().parseFromString(html, "text/html").querySelector(".sheet");
    $("#print-area").replaceChildren(document.importNode(sheet, true));
    $("#labels-status").textContent = I18n.t("admin.labelsReady", { n: sheet.querySelectorAll(".label").length });
    document.body.classList.add("printing-labels");
    window.print();
  }

  async function start() {
    sites = await Api.get("/api/sites");
    siteOptions($("#new-user select[name=sites]"), []);
    document.querySelectorAll(".sites-column").forEach(c => { c.hidden = sites.length < 2; });
    const site = await Api.get("/api/site");
    I18n.timeZone = site.timeZone;
    const select = $("#labels-building");
    select.append(...site.buildings.map(b => el("option", { value: b.id, textContent: b.name })));
    $("#new-user").onsubmit = createUser;
    $("#audit-filter").onsubmit = loadAudit;
    $("#audit-older").onclick = () => loadAudit(null, true);
    $("#audit-csv").onclick = () => Page.download(`/api/audit?${auditQuery()}&format=csv`, "audit.csv");
    $("#labels").onsubmit = printLabels;
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-labels"));
    await Promise.all([loadUsers(), loadAudit()]);
  }

  Page.start({ roles: ["admin"], onSignedIn: start, onLanguage: () => { loadUsers(); loadAudit(); } });
  return { loadUsers };
})();
