// The last 24 hours of a device's readings (five-minute steps: average, with the lowest and highest) drawn with uPlot.
const charts = new Map(); // one element per device, kept across the site tree's re-renders
const refreshEvery = 60000;

export function element(deviceId) {
  let chart = charts.get(deviceId);
  if (!chart) {
    chart = { box: document.createElement("div"), loadedAt: 0, metric: null, plot: null };
    chart.box.className = "device-chart";
    chart.box.dataset.chart = deviceId;
    charts.set(deviceId, chart);
  }
  if (Date.now() - chart.loadedAt > refreshEvery) load(deviceId, chart);
  return chart.box;
}

async function load(deviceId, chart) {
  chart.loadedAt = Date.now();
  const device = await Api.get(`/api/devices/${encodeURIComponent(deviceId)}`);
  const metrics = Object.entries(device.lastReading ?? {}).filter(([, v]) => typeof v === "number" || typeof v === "boolean").map(([k]) => k);
  if (!metrics.length) { chart.box.replaceChildren(note(I18n.t("chart.noReadings"))); return; }
  if (!metrics.includes(chart.metric)) chart.metric = metrics[0];
  const select = document.createElement("select");
  select.className = "chart-metric";
  select.setAttribute("aria-label", I18n.t("chart.metric"));
  select.append(...metrics.map(m => Object.assign(document.createElement("option"), { value: m, textContent: I18n.t("metric." + m) === "metric." + m ? m : I18n.t("metric." + m) })));
  select.value = chart.metric;
  select.onchange = () => { chart.metric = select.value; load(deviceId, chart); };
  const points = await Api.get(`/api/devices/${encodeURIComponent(deviceId)}/history?metric=${encodeURIComponent(chart.metric)}&step=5`);
  const plotBox = document.createElement("div");
  plotBox.className = "chart-plot";
  chart.box.replaceChildren(select, plotBox);
  chart.box.dataset.points = String(points.length);
  if (!points.length) { plotBox.append(note(I18n.t("chart.empty"))); return; }
  const data = [points.map(p => Date.parse(p.at) / 1000), points.map(p => p.avg), points.map(p => p.min), points.map(p => p.max)];
  chart.plot?.destroy();
  chart.plot = new uPlot({
    // As wide as the place it is shown in allows, not a fixed thumbnail.
    width: Math.max(320, chart.box.isConnected ? chart.box.clientWidth : 0), height: 200,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1000), I18n.timeZone),
    legend: { show: false },
    axes: [{ values: (u, splits) => splits.map(timeLabel) }, {}],
    series: [{}, { label: I18n.t("chart.avg"), stroke: "#14213d", width: 2 }, { label: I18n.t("chart.min"), stroke: "#9ca3af" }, { label: I18n.t("chart.max"), stroke: "#9ca3af" }],
  }, data, plotBox);
}

// A time on the axis: the site's clock, 24-hour, in the page's language ("05:40"), and the date where a day begins
// (uPlot's own labels are English, "5:40am" and "12/3/26").
export function timeLabel(ts) {
  const at = new Date(ts * 1000);
  const time = at.toLocaleTimeString(I18n.language, { timeZone: I18n.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return time === "00:00" ? at.toLocaleDateString(I18n.language, { timeZone: I18n.timeZone, month: "numeric", day: "numeric" }) : time;
}

function note(text) { return Object.assign(document.createElement("p"), { className: "muted", textContent: text }); }

