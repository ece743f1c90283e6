// The site overview: each building coloured by its worst unresolved alert, its rooms one click
// away, and device ids only when asked for.
const Site = (() => {
  const $ = s => document.querySelector(s);
  let site = null;
  let refresh = null;
  const names = new Map();

  async function load() {
    site = await Api.get("/api/site");
    I18n.timeZone = site.timeZone;
    for (const b of site.buildings) {
      names.set(b.id, b.name);
      for (const r of b.rooms) names.set(r.id, r.name);
    }

    $("#site-name").textContent = site.name;
    $("#site-time").textContent = I18n.t("site.timeZone", { zone: site.timeZone });
    Alerts.buildings(site);
    render();
    return site;
  }

  function refreshSoon() {
    clearTimeout(refresh);
    refresh = setTimeout(() => load().catch(() => {}), 300);
  }

  function dot(severity) {
    const el = document.createElement("span");
    el.className = "dot";
    if (severity) el.dataset.severity = severity;
    el.title = severity ? I18n.t("severity." + severity) : I18n.t("site.ok");
    return el;
  }

  function counts(node) {
    const span = document.createElement("span");
    span.className = "badge";
    const parts = [];
    if (node.openAlerts) parts.push(I18n.t("site.openAlerts", { n: node.openAlerts }));
    if (node.devicesOffline) parts.push(I18n.t("site.devicesOffline", { n: node.devicesOffline }));
    span.textContent = parts.join(" · ");
    return span;
  }

  function render() {
    if (!site) return;
    const showDevices = $("#show-devices").checked;
    const open = new Set([...document.querySelectorAll("#site-tree details[open]")].map(d => d.parentElement.dataset.building));
    const tree = document.createElement("ul");
    tree.className = "tree";
    for (const building of site.buildings) {
      const li = document.createElement("li");
      li.dataset.building = building.id;
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.className = "node";
      summary.append(dot(building.worstSeverity), building.name, counts(building));
      details.append(summary);
      const rooms = document.createElement("ul");
      for (const room of building.rooms) {
        const r = document.createElement("li");
        r.dataset.room = room.id;
        const node = document.createElement("span");
        node.className = "node";
        node.append(dot(room.worstSeverity), room.name, counts(room));
        r.append(node);
        if (showDevices) {
          const devices = document.createElement("div");
          devices.className = "device-list";
          for (const d of room.devices) {
            const span = document.createElement("span");
            span.dataset.device = d.id;
            span.textContent = `${d.id} `;
            if (!d.online) { span.classList.add("offline"); span.title = I18n.t("site.offline"); }
            devices.append(span);
          }
          r.append(devices);
        }
        rooms.append(r);
      }
      details.append(rooms);
      details.open = open.has(building.id) || !!building.worstSeverity;
      li.append(details);
      tree.append(li);
    }
    $("#site-tree").replaceChildren(tree);
  }

  function init() { $("#show-devices").onchange = render; }

  return { init, load, render, refreshSoon, name: id => names.get(id) };
})();
