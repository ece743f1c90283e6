// Console strings live in i18n/<language>.json, one resource per language.
const I18n = (() => {
  const supported = ["en", "zh-CN"];
  let strings = {};
  let language = "en";
  let timeZone;

  function pick() {
    const saved = localStorage.getItem("sp.language");
    if (supported.includes(saved)) return saved;
    for (const wanted of navigator.languages || [navigator.language]) {
      if (wanted.toLowerCase().startsWith("zh")) return "zh-CN";
      if (wanted.toLowerCase().startsWith("en")) return "en";
    }
    return "en";
  }

  async function load(lang) {
    const response = await fetch(`i18n/${lang}.json`);
    strings = await response.json();
    language = lang;
    document.documentElement.lang = lang;
    apply(document);
  }

  function t(key, values = {}) {
    let text = strings[key] ?? key;
    for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
    return text;
  }

  // How far the site's wall clock is ahead of UTC at an instant, in ms (the browser's own zone until the site's is known).
  function siteOffset(ms) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(ms)).map(p => [p.type, p.value]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(ms / 1000) * 1000;
  }

  function apply(root) {
    root.querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t(el.dataset.i18n); });
    root.querySelectorAll("[data-i18n-placeholder]").forEach(el => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    root.querySelectorAll("[data-i18n-label]").forEach(el => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
  }

  return {
    supported, t, apply, load,
    get language() { return language; },
    async init() { await load(pick()); },
    async switchTo(lang) { localStorage.setItem("sp.language", lang); await load(lang); },
    // Times are the site's wall clock, whatever the browser's zone; the header names the zone once.
    set timeZone(zone) { timeZone = zone; },
    get timeZone() { return timeZone; },
    formatTime(iso) { return iso ? new Date(iso).toLocaleString(language, { hour12: false, timeZone }) : ""; },
    // A time typed on the site's wall clock (a datetime-local value, "2026-12-03T08:00") as the instant it names (ISO).
    fromSiteTime(local) {
      if (!local) return null;
      const asUtc = Date.parse(local + "Z");
      return new Date(asUtc - siteOffset(asUtc)).toISOString();
    },
    // An instant as the site's wall clock shows it, for a datetime-local input ("2026-12-03T08:00").
    toSiteTime(iso) {
      const ms = Date.parse(iso);
      return new Date(ms + siteOffset(ms)).toISOString().slice(0, 16);
    },
    // An alert's message in this console's language when the resources know its key, else as the server wrote it.
    message(alert) {
      const key = alert.messageKey && "msg." + alert.messageKey;
      if (!key || strings[key] === undefined) return alert.message;
      const args = { ...alert.messageArgs };
      if (args.metric) args.metric = strings["metric." + args.metric] ?? args.metric;
      return t(key, args);
    },
  };
})();
