// Daily and monthly reports for the leadership, and the shift handover: shown, printed, or saved as CSV or Excel.
const Reports = (() => {
  const $ = selector => document.querySelector(selector);
  const el = Page.el;
  let shown = null;
  let asked = 0;

  function today(offsetDays = 0) {
    const day = new Date(Date.now() + offsetDays * 86400000);
    return new Intl.DateTimeFormat("en-CA", { timeZone: I18n.timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(day);
  }

  function kindChanged() {
    const kind = $("#report-kind").value;
    $("#report-date").hidden = kind !== "daily";
    $("#report-month").hidden = kind !== "monthly";
    $("#report-from").hidden = kind !== "handover";
    $("#download-csv").hidden = $("#download-xlsx").hidden = kind === "handover";
  }

  function path(format) {
    const kind = $("#report-kind").value;
    if (kind === "daily") return `/api/reports/daily?date=${$("#report-date").value}` + (format ? `&format=${format}` : "");
    if (kind === "monthly") return `/api/reports/monthly?month=${$("#report-month").value}` + (format ? `&format=${format}` : "");
    const from = $("#report-from").value;
    return "/api/reports/handover" + (from ? `?from=${encodeURIComponent(new Date(from).toISOString())}` : "");
  }

  async function show(e) {
    e?.preventDefault();
    $("#report-error").textContent = "";
    // Only the last request asked shows: an earlier, slower answer must not replace it.
    const mine = ++asked;
    try {
      const data = await Api.get(path());
      if (mine !== asked) return;
      shown = { kind: $("#report-kind").value, data };
      render();
    } catch (err) {
      if (mine === asked) $("#report-error").textContent = I18n.t("reports.failed", { reason: err.message });
    }
  }

  function table(headers, rows, rowClass) {
    const head = el("tr", {}, ...headers.map(([key, number]) => el("th", { textContent: I18n.t(key), className: number ? "number" : "" })));
    const body = rows.map(row => {
      const tr = el("tr", { className: rowClass?.(row) ?? "" });
      row.cells.forEach((value, i) => tr.append(el("td", { textContent: value ?? "", className: headers[i][1] ? "number" : "" })));
      return tr;
    });
    return el("table", { className: "grid" }, el("thead", {}, head), el("tbody", {}, ...(body.length ? body : [el("tr", {}, el("td", { colSpan: headers.length, className: "muted", textContent: I18n.t("reports.none") }))])));
  }

  function figures(pairs) {
    return el("dl", { className: "figures" }, ...pairs.map(([key, value]) => {
      const figure = el("div", {}, el("dt", { textContent: I18n.t(key) }), el("dd", { textContent: String(value) }));
      figure.dataset.figure = key;
      return figure;
    }));
  }

  const section = (key, ...content) => el("section", { className: "report-section" }, el("h3", { textContent: I18n.t(key) }), ...content);
  const when = iso => I18n.formatTime(iso);

  function alertCounts(counts) {
    return table([["reports.alertType"], ["reports.severity"], ["reports.class"], ["reports.count", true]],
      counts.map(a => ({ cells: [a.type, I18n.t("severity." + a.severity), a.class ? I18n.t("class." + a.class) : "", a.count] })));
  }

  // The visitor log: who came, to whom, when they left (the ID-card number only masked, as the server keeps it).
  function visitorTable(visitors) {
    return table([["reports.pass"], ["reports.visitor"], ["reports.idNumber"], ["reports.host"], ["reports.arrived"], ["reports.expected"], ["reports.left"]],
      visitors.map(v => ({ overdue: v.overdue, cells: [v.pass, v.name, v.idNumberMasked, `${v.hostName} · ${v.hostPlace}`, when(v.arrivedAt), when(v.expectedDeparture),
        v.departedAt ? when(v.departedAt) : I18n.t("gate.onSite")] })),
      row => row.overdue ? "missed" : "");
  }

  function render() {
    if (!shown) return;
    const r = shown.data;
    const parts = [];
    if (shown.kind === "handover") {
      parts.push(el("h2", { textContent: I18n.t("reports.handoverTitle", { from: when(r.from), at: when(r.at) }) }));
      parts.push(figures([["reports.openAlerts", r.openAlerts.length], ["reports.overdueCheckpoints", r.overdueCheckpoints.length],
        ["reports.openTickets", r.openTickets.length], ["reports.checkIns", r.checkInsSince], ["reports.roundsMissed", r.roundsSince.missed],
        ["reports.visitorsOnSite", (r.visitorsOnSite ?? []).length]]));
      parts.push(section("reports.openAlerts", table([["reports.raised"], ["reports.severity"], ["reports.message"], ["reports.status"]],
        r.openAlerts.map(a => ({ cells: [when(a.raisedAt), I18n.t("severity." + a.severity), I18n.message(a), I18n.t("status." + a.status)] })))));
      parts.push(section("reports.overdueCheckpoints", table([["reports.checkpoint"], ["reports.dueAt"], ["reports.lastAt"]],
        r.overdueCheckpoints.map(c => ({ cells: [c.name, when(c.dueAt), when(c.lastCheckInAt)] })))));
      parts.push(section("reports.openTickets", ticketTable(r.openTickets)));
      parts.push(section("reports.alertsSince", alertCounts(r.alertsSince)));
      parts.push(section("reports.findings", findingTable(r.findingsSince)));
      parts.push(section("reports.visitorsOnSite", visitorTable(r.visitorsOnSite ?? [])));
    } else {
      parts.push(el("h2", { textContent: I18n.t(shown.kind === "daily" ? "reports.dailyTitle" : "reports.monthlyTitle", { site: r.site, period: r.period }) }));
      const done = r.inspections.reduce((n, i) => n + i.done, 0), missed = r.inspections.reduce((n, i) => n + i.missed, 0);
      parts.push(figures([["reports.inspectionsDone", done], ["reports.inspectionsMissed", missed], ["reports.findingCount", r.findings.filter(f => f.note !== null || f.value === null).length],
        ["reports.alertCount", r.alerts.reduce((n, a) => n + a.count, 0)], ["reports.rounds", `${r.rounds.completed}/${r.rounds.total}`],
        ["reports.ticketsOpened", r.tickets.opened], ["reports.ticketsSignedOff", r.tickets.signedOff], ["reports.ticketsOpenAtEnd", r.tickets.openAtEnd],
        ["reports.visitors", (r.visitors ?? []).length]]));
      parts.push(section("reports.inspections", table(
        [["reports.checkpoint"], ["reports.place"], ["reports.done", true], ["reports.missed", true], ["reports.findingCount", true], ["reports.lastAt"], ["reports.officer"]],
        r.inspections.map(i => ({ missed: i.missed > 0, cells: [i.name, `${i.building} · ${i.room}`, i.done, i.missed, i.findings, when(i.lastAt), i.lastOfficer] })),
        row => row.missed ? "missed" : "")));
      parts.push(section("reports.findings", findingTable(r.findings)));
      parts.push(section("reports.alerts", alertCounts(r.alerts)));
      parts.push(section("reports.tickets", ticketTable(r.tickets.items)));
      parts.push(section("reports.visitors", visitorTable(r.visitors ?? [])));
    }
    $("#report").dataset.kind = shown.kind;
    $("#report").replaceChildren(...parts);
  }

  function findingTable(findings) {
    return table([["reports.at"], ["reports.checkpoint"], ["reports.item"], ["reports.value", true], ["reports.note"], ["reports.officer"]],
      findings.map(f => ({ cells: [when(f.at), f.checkpoint, f.item, f.value, f.note, f.officer] })));
  }

  function ticketTable(tickets) {
    return table([["reports.created"], ["reports.ticket"], ["reports.status"], ["reports.reporter"], ["reports.assignee"]],
      tickets.map(t => ({ cells: [when(t.createdAt), t.title, I18n.t("ticket.status." + t.status), t.reporter, t.assignee] })));
  }

  async function save(format) {
    $("#report-error").textContent = "";
    const kind = $("#report-kind").value;
    const period = kind === "daily" ? $("#report-date").value : $("#report-month").value;
    try { await Page.download(path(format), `${kind}-${period}.${format}`); }
    catch (err) { $("#report-error").textContent = I18n.t("reports.failed", { reason: err.message }); }
  }

  async function start() {
    const site = await Api.get("/api/site");
    I18n.timeZone = site.timeZone;
    $("#report-date").value = today(-1);
    $("#report-month").value = today().slice(0, 7);
    $("#report-kind").onchange = kindChanged;
    $("#report-form").onsubmit = show;
    $("#download-csv").onclick = () => save("csv");
    $("#download-xlsx").onclick = () => save("xlsx");
    $("#print").onclick = () => window.print();
    // A link may name the report and its period: reports.html?kind=daily&date=2026-12-01 (or month=2026-11).
    const query = new URLSearchParams(location.search);
    const wanted = query.get("kind");
    if (["daily", "monthly", "handover"].includes(wanted)) $("#report-kind").value = wanted;
    if (/^\d{4}-\d{2}-\d{2}$/.test(query.get("date") ?? "")) $("#report-date").value = query.get("date");
    if (/^\d{4}-\d{2}$/.test(query.get("month") ?? "")) $("#report-month").value = query.get("month");
    kindChanged();
    await show();
  }

  Page.start({ roles: ["admin", "operator", "supervisor"], onSignedIn: start, onLanguage: render });
  return { show };
})();
