// A district bureau's screen (docs/interface.md §13): every site, worst first, with a way into each site's console;
// and each site's ledger compliance over a month, shown, printed, or saved as CSV or Excel.
const District = (() => {
  const $ = selector => document.querySelector(selector);
  const el = Page.el;
  const RefreshEvery = 30000;
  let sites = [];
  let compliance = null;

  const rate = counts => counts.rate === null || counts.rate === undefined ? I18n.t("district.none") : `${(counts.rate * 100).toFixed(1)}%`;

  function render() {
    const head = el("tr", {}, ...[["district.site"], ["district.worst"], ["district.open", 1], ["district.overdue", 1], ["district.week", 1], ["district.month", 1], [""]]
      .map(([key, number]) => el("th", { textContent: key ? I18n.t(key) : "", className: number ? "number" : "" })));
    const rows = sites.map(s => {
      const worst = el("td", {}, s.worstSeverity ? el("span", { className: "dot" }) : null, s.worstSeverity ? I18n.t("severity." + s.worstSeverity) : "—");
      worst.querySelector(".dot")?.setAttribute("data-severity", s.worstSeverity);
      const tr = el("tr", { className: "district-site" },
        el("td", {}, el("a", { href: Api.withSite("/", s.id), textContent: s.name })),
        worst,
        el("td", { className: "number", textContent: String(s.openAlerts) }),
        el("td", { className: "number", textContent: String(s.overdueInspections) }),
        el("td", { className: "number", textContent: rate(s.last7Days) }),
        el("td", { className: "number", textContent: rate(s.last30Days) }),
        el("td", {}, el("a", { href: Api.withSite("/", s.id), textContent: I18n.t("district.openConsole") })));
      tr.dataset.site = s.id;
      if (s.worstSeverity) tr.dataset.severity = s.worstSeverity;
      return tr;
    });
    $("#district").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    $("#district-loaded").textContent = I18n.t("district.loaded", { count: sites.length, time: I18n.formatTime(new Date().toISOString()) });
    renderCompliance();
  }

  async function load() {
    try {
      sites = await Api.get("/api/district");
      $("#district-error").textContent = "";
      render();
    } catch (err) {
      $("#district-error").textContent = I18n.t("reports.failed", { reason: err.message });
    }
  }

  function renderCompliance() {
    if (!compliance) return;
    const head = el("tr", {}, ...[["district.site"], ["district.checkpoints", 1], ["district.onTime", 1], ["district.missed", 1], ["district.rate", 1]]
      .map(([key, number]) => el("th", { textContent: I18n.t(key), className: number ? "number" : "" })));
    const rows = compliance.sites.map(s => el("tr", {},
      el("td", { textContent: s.name }),
      el("td", { className: "number", textContent: String(s.checkpoints) }),
      el("td", { className: "number", textContent: String(s.counts.onTime) }),
      el("td", { className: "number", textContent: String(s.counts.missed) }),
      el("td", { className: "number", textContent: rate(s.counts) })));
    $("#compliance").replaceChildren(el("h2", { textContent: `${I18n.t("district.compliance")} ${compliance.month}` }),
      el("table", { className: "grid", id: "compliance-table" }, el("thead", {}, head), el("tbody", {}, ...rows)));
  }

  const compliancePath = format => `/api/reports/compliance?month=${$("#compliance-month").value}` + (format ? `&format=${format}` : "");

  async function showCompliance(e) {
    e?.preventDefault();
    $("#compliance-error").textContent = "";
    try {
      compliance = { month: $("#compliance-month").value, sites: await Api.get(compliancePath()) };
      renderCompliance();
    } catch (err) {
      $("#compliance-error").textContent = I18n.t("reports.failed", { reason: err.message });
    }
  }

  async function save(format) {
    try { await Page.download(compliancePath(format), `compliance-${$("#compliance-month").value}.${format}`); }
    catch (err) { $("#compliance-error").textContent = I18n.t("reports.failed", { reason: err.message }); }
  }

  async function start() {
    $("#compliance-month").value = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);
    $("#compliance-form").onsubmit = showCompliance;
    $("#compliance-csv").onclick = () => save("csv");
    $("#compliance-xlsx").onclick = () => save("xlsx");
    $("#compliance-print").onclick = () => window.print();
    await Promise.all([load(), showCompliance()]);
    setInterval(load, RefreshEvery);
  }

  Page.start({ roles: ["admin", "operator", "supervisor"], onSignedIn: start, onLanguage: render });
  return { load };
})();
