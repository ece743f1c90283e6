// What the tickets, reports, admin and password pages share: the header, the sign-in, the role check.
const Page = (() => {
  const $ = selector => document.querySelector(selector);

  // Written once here rather than in each page; I18n fills in the words. The console keeps its own header, with these links in it.
  const links = `
      <a href="/" data-roles="admin operator supervisor" data-i18n="nav.console">Console</a>
      <a href="/officer.html" data-roles="officer" data-i18n="nav.officer">Patrol</a>
      <a href="/gate.html" data-roles="admin operator guard" data-i18n="nav.gate">Gate</a>
      <a href="/tickets.html" data-roles="admin operator technician" data-i18n="nav.tickets">Repairs</a>
      <a href="/reports.html" data-roles="admin operator supervisor" data-i18n="nav.reports">Reports</a>
      <a href="/district.html" data-roles="admin operator supervisor" data-sites="many" data-i18n="nav.district">District</a>
      <a href="/admin.html" data-roles="admin" data-i18n="nav.admin">Accounts</a>
      <a href="/dashboard/" data-roles="admin" data-dashboard data-i18n="nav.dashboard">Orleans dashboard</a>
      <a href="/password.html" data-roles="admin operator supervisor officer technician guard" data-i18n="nav.password">Password</a>`;
  const chrome = `
  <header>
    <h1></h1>
    <nav id="nav" hidden>${links}
    </nav>
    <select id="site-picker" hidden aria-label="Site"></select>
    <span class="spacer"></span>
    <select id="language" aria-label="Language"><option value="en">English</option><option value="zh-CN">简体中文</option></select>
    <span id="whoami"></span>
    <button id="sign-out" hidden data-i18n="auth.signOut">Sign out</button>
  </header>
  <main id="sign-in-view" hidden></main>
  <main id="not-allowed" hidden><p class="card" data-i18n="page.notAllowed">This page is not for your role.</p></main>`;

  // The sign-in form of every page, the console and the phone page included.
  const signInForm = `
    <form id="sign-in" class="card sign-in">
      <h2 data-i18n="auth.title">Sign in</h2>
      <label><span data-i18n="auth.username">Username</span><input name="username" autocomplete="username" required></label>
      <label><span data-i18n="auth.password">Password</span><input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit" data-i18n="auth.submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert"></p>
    </form>`;

  // A page's own part is its #page-view; the shared part goes before it.
  if (document.body.dataset.title) {
    $("#page-view").insertAdjacentHTML("beforebegin", chrome);
    $("header h1").dataset.i18n = document.body.dataset.title;
  }
  $("#sign-in-view").insertAdjacentHTML("beforeend", signInForm);
  if ($("#nav")?.children.length === 0) $("#nav").insertAdjacentHTML("beforeend", links);

  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter(c => c !== null && c !== undefined));
    return node;
  }

  // A file the API answers (CSV, XLSX) saved under its own name: the token rides in a header, so a plain link cannot fetch it.
  async function download(path, name) {
    const url = URL.createObjectURL(await Api.file(path));
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // Links to the other pages, each shown to the roles that may use it.
  function nav() {
    document.querySelectorAll("#nav [data-roles]").forEach(a => {
      a.hidden = !Api.has(...a.dataset.roles.split(" ")) || a.pathname === location.pathname || (a.dataset.sites === "many" && sites.length < 2);
      // The other pages stay on the site this one shows.
      if (!a.dataset.dashboard) a.href = Api.withSite(a.pathname);
    });
    document.querySelectorAll("#nav [data-dashboard]").forEach(a => { a.onclick = openDashboard; });
    $("#nav").hidden = !Api.session;
  }

  // The dashboard is a page of its own: the token is handed to it as a cookie only /dashboard receives.
  async function openDashboard(e) {
    e.preventDefault();
    await Api.post("/api/dashboard/session");
    location.href = "/dashboard/";
  }

  async function start({ roles, onSignedIn, onLanguage }) {
    await I18n.init();
    $("#language").value = I18n.language;
    $("#language").onchange = async e => { await I18n.switchTo(e.target.value); show(); onLanguage?.(); };
    const show = () => {
      const signedIn = !!Api.session;
      const allowed = signedIn && (!roles || Api.has(...roles));
      $("#sign-in-view").hidden = signedIn;
      $("#page-view").hidden = !allowed;
      $("#not-allowed").hidden = !signedIn || allowed;
      $("#sign-out").hidden = !signedIn;
      $("#whoami").textContent = signedIn ? `${Api.session.displayName || Api.session.username} (${Api.roleText})` : "";
      nav();
      return allowed;
    };
    const signedIn = async () => { await Promise.all([siteClock(), sitePicker()]); await onSignedIn(); };
    Api.bindSignIn(async () => { if (show()) await signedIn(); });
    if (show()) await signedIn();
  }

  // The sites the user sees: with more than one, a picker of the site the page shows (or every site) and the district link.
  let sites = [];
  async function sitePicker() {
    try { sites = await Api.get("/api/sites"); } catch { sites = []; }
    nav();
    const picker = $("#site-picker");
    if (!picker || sites.length < 2) return;
    picker.replaceChildren(el("option", { value: "", textContent: I18n.t("sites.all") }),
      ...sites.map(s => el("option", { value: s.id, textContent: s.name, selected: s.id === Api.site })));
    picker.hidden = false;
    picker.onchange = () => { location.href = Api.withSite(location.pathname, picker.value || null) + location.hash; };
  }

  // Times are the site's wall clock on every page, the phone's and the gate's too, whatever zone the browser is in.
  async function siteClock() {
    if (I18n.timeZone) return;
    try { I18n.timeZone = (await Api.get("/api/site/clock")).timeZone; } catch { /* the browser's zone until a page loads again */ }
  }

  return { start, el, download, nav, siteClock, sitePicker };
})();
