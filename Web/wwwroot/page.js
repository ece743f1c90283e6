// What the tickets, reports, admin and password pages share: the header, the sign-in, the role check.
const Page = (() => {
  const $ = selector => document.querySelector(selector);

  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter(c => c !== null && c !== undefined));
    return node;
  }

  // A file the API answers (CSV, XLSX) saved under its own name: the token rides in a header, so a plain link cannot fetch it.
  async function download(path, name) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${Api.session.accessToken}` } });
    if (!response.ok) throw new Error(response.statusText);
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // Links to the other pages, each shown to the roles that may use it.
  function nav() {
    const role = Api.session?.role;
    document.querySelectorAll("#nav [data-roles]").forEach(a => { a.hidden = !a.dataset.roles.split(" ").includes(role); });
    document.querySelectorAll("#nav [data-dashboard]").forEach(a => { a.onclick = openDashboard; });
    $("#nav").hidden = !role;
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
      const allowed = signedIn && (!roles || roles.includes(Api.session.role));
      $("#sign-in-view").hidden = signedIn;
      $("#page-view").hidden = !allowed;
      $("#not-allowed").hidden = !signedIn || allowed;
      $("#sign-out").hidden = !signedIn;
      $("#whoami").textContent = signedIn ? `${Api.session.displayName || Api.session.username} (${I18n.t("role." + Api.session.role)})` : "";
      nav();
      return allowed;
    };
    Api.bindSignIn(async () => { if (show()) await onSignedIn(); });
    if (show()) await onSignedIn();
  }

  return { start, el, download, nav };
})();
