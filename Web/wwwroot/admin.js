// Accounts (list, role, name, enabled, password reset), the audit log, and printing checkpoint labels.
const Admin = (() => {
  const $ = selector => document.querySelector(selector);
  const el = Page.el;

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
    }), "admin.saved");
    tr.querySelector(".reset").onclick = () => run(async () => {
      await Api.post(`/api/users/${user.username}/password`, { password: tr.querySelector(".new-password").value });
      tr.querySelector(".new-password").value = "";
    }, "admin.resetDone");
    return tr;
  }

  async function createUser(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    $("#users-error").textContent = "";
    try {
      await Api.post("/api/users", { username: form.get("username").trim(), displayName: form.get("displayName").trim() || null, role: form.get("role"), password: form.get("password") });
      e.target.reset();
      await Promise.all([loadUsers(), loadAudit()]);
    } catch (err) {
      $("#users-error").textContent = I18n.t("admin.failed", { who: form.get("username"), reason: err.message });
    }
  }

  function auditQuery() {
    const form = new FormData($("#audit-filter"));
    const query = new URLSearchParams();
    for (const name of ["user", "action"]) if (form.get(name).trim()) query.set(name, form.get(name).trim());
    return query;
  }

  async function loadAudit(e) {
    e?.preventDefault();
    const query = auditQuery();
    query.set("limit", "500");
    const entries = await Api.get(`/api/audit?${query}`);
    $("#audit tbody").replaceChildren(...entries.map(a => {
      const tr = el("tr", {}, ...[I18n.formatTime(a.at), a.user, a.action, a.target, a.outcome, a.address, a.detail].map(v => el("td", { textContent: v ?? "" })));
      if (a.outcome >= 400) tr.className = "missed";
      return tr;
    }));
  }

  // The server renders the sheet; it is printed from here, where the token is.
  async function printLabels(e) {
    e.preventDefault();
    const building = $("#labels-building").value;
    const response = await fetch("/print/checkpoints" + (building ? `?buildingId=${encodeURIComponent(building)}` : ""),
      { headers: { Authorization: `Bearer ${Api.session.accessToken}` } });
    if (!response.ok) { $("#labels-status").textContent = I18n.t("admin.labelsFailed", { reason: response.statusText }); return; }
    const sheet = new DOMParser().parseFromString(await response.text(), "text/html").querySelector(".sheet");
    $("#print-area").replaceChildren(document.importNode(sheet, true));
    $("#labels-status").textContent = I18n.t("admin.labelsReady", { n: sheet.querySelectorAll(".label").length });
    document.body.classList.add("printing-labels");
    window.print();
  }

  async function start() {
    const site = await Api.get("/api/site");
    I18n.timeZone = site.timeZone;
    const select = $("#labels-building");
    select.append(...site.buildings.map(b => el("option", { value: b.id, textContent: b.name })));
    $("#new-user").onsubmit = createUser;
    $("#audit-filter").onsubmit = loadAudit;
    $("#audit-csv").onclick = () => Page.download(`/api/audit?${auditQuery()}&format=csv`, "audit.csv");
    $("#labels").onsubmit = printLabels;
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-labels"));
    await Promise.all([loadUsers(), loadAudit()]);
  }

  Page.start({ roles: ["admin"], onSignedIn: start, onLanguage: () => { loadUsers(); loadAudit(); } });
  return { loadUsers };
})();
