// An open console in Chromium (Debian's, never a downloaded one) while alarms come: first LONE alarms one at a time,
// then a FLOOD of the rest as fast as they go. Each alarm is a device's tamper switch (a trouble alert of any device).
// Counts the console's requests to /api/ in each phase and its main-thread time (CDP Performance: TaskDuration,
// ScriptDuration) over the flood, until every alarm is on its list. Prints one JSON line.
// Usage: node flood.mjs URL MQTT_HOST:PORT SITE_FILE LONE FLOOD
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import mqtt from "mqtt";

const [url, broker, siteFile, lone, flood] = process.argv.slice(2);
// Node 20 has no Map.groupBy.
const groupBy = (list, key) => list.reduce((m, x) => m.set(key(x), [...(m.get(key(x)) ?? []), x]), new Map());
const site = JSON.parse(readFileSync(siteFile, "utf8"));
const devices = site.devices;
const buildingOf = new Map(site.buildings.flatMap(b => b.rooms.map(r => [r.id, b.id])));
const wanted = Number(lone) + Number(flood);
if (devices.length < wanted) throw new Error(`The site has ${devices.length} devices; ${wanted} are needed.`);

// Lone alarms go one to a building in turn, so none makes a run of its kind long enough to be a group.
const byBuilding = groupBy(devices, d => buildingOf.get(d.room));
const spread = [];
for (let i = 0; spread.length < devices.length; i++) for (const list of byBuilding.values()) if (list[i]) spread.push(list[i]);
const loneDevices = spread.slice(0, Number(lone));
const floodDevices = spread.slice(Number(lone), wanted);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ locale: "en-US", viewport: { width: 1440, height: 900 } });
// A page of 1,000 alerts, so a reload of the list in the middle of the flood still holds every alarm of the run.
await page.goto(`${url}/?pageSize=1000`);
await page.fill("input[name=username]", "operator");
await page.fill("input[name=password]", "demo1234");
await page.click("#sign-in button[type=submit]");
await page.waitForSelector("#connection[data-state=online]");
await page.waitForLoadState("networkidle");
// How often the hub's connection is lost (and the console loads everything again) during the run.
await page.evaluate(() => {
  window.lost = 0;
  new MutationObserver(() => { if (document.querySelector("#connection").dataset.state !== "online") window.lost++; })
    .observe(document.querySelector("#connection"), { attributes: true, attributeFilter: ["data-state"] });
});
await page.waitForTimeout(2000);

const requests = [];
page.on("request", r => { const path = new URL(r.url()).pathname; if (path.startsWith("/api/")) requests.push({ path, at: Date.now() }); });
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const metrics = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map(m => [m.name, m.value]));
// The console's unresolved alerts: its store's (an ES module) or, in a console from before the store, its Alerts global.
const shown = () => page.evaluate(async () => typeof Alerts !== "undefined" ? Alerts.unresolved().length : (await import("/store.js")).unresolved().length);
const tamper = device => new Promise((resolve, reject) => {
  const client = mqtt.connect(`mqtt://${broker}`, { username: device.id, password: device.secret, clientId: device.id, reconnectPeriod: 0 });
  client.on("error", reject);
  client.on("connect", () => client.publish(`devices/${device.id}/telemetry`, JSON.stringify({ tamper: true }), { qos: 1 }, e => { client.end(); e ? reject(e) : resolve(); }));
});
// Until that many alarms are on the list; false when they are not after that long.
const waitFor = async (count, seconds) => {
  const until = Date.now() + seconds * 1000;
  while (await shown() < count) { if (Date.now() > until) return false; await page.waitForTimeout(100); }
  return true;
};

const base = await shown();
// Lone alarms, two seconds apart; the requests of each phase are counted until a few seconds after its last alarm shows.
const loneStart = Date.now();
for (const [i, device] of loneDevices.entries()) { await tamper(device); await waitFor(base + i + 1, 30); await page.waitForTimeout(2000); }
await page.waitForTimeout(4000);
const loneRequests = requests.filter(r => r.at >= loneStart);

const floodStart = Date.now();
const before = await metrics();
const batch = 50;
for (let i = 0; i < floodDevices.length; i += batch) await Promise.all(floodDevices.slice(i, i + batch).map(tamper));
const published = Date.now();
const complete = await waitFor(base + wanted, 180);
const allShown = Date.now();
const after = await metrics();
await page.waitForTimeout(4000);
const floodRequests = requests.filter(r => r.at >= floodStart);
const byPath = list => Object.fromEntries([...groupBy(list, r => r.path)].map(([p, l]) => [p, l.length]));

console.log(JSON.stringify({
  lone: { alarms: loneDevices.length, requests: loneRequests.length, byPath: byPath(loneRequests) },
  flood: {
    alarms: floodDevices.length, shown: await shown() - base - loneDevices.length, complete, connectionLost: await page.evaluate(() => window.lost),
    requests: floodRequests.length, byPath: byPath(floodRequests),
    publishSeconds: (published - floodStart) / 1000, shownSeconds: (allShown - floodStart) / 1000,
    taskSeconds: after.TaskDuration - before.TaskDuration, scriptSeconds: after.ScriptDuration - before.ScriptDuration,
    layoutSeconds: after.LayoutDuration - before.LayoutDuration, heapMiB: after.JSHeapUsedSize / 1048576,
  },
}));
await browser.close();
