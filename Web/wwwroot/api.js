// The HTTP API (docs/interface.md §4) with the token kept for this browser tab.
const Api = (() => {
  const key = "sp.session";
  let session = JSON.parse(sessionStorage.getItem(key) || "null");
  // A page of one site (?site= in its address, docs/interface.md §13): every call, and the hub, is narrowed to it on the server.
  const site = new URLSearchParams(location.search).get("site");
  const viewHeaders = site ? { "X-Site": site } : {};

  // The one place a request is sent with the token: answers 401 by signing out, and any other failure by throwing what
  // went wrong. A Blob (a photo) goes as it is, with its own type; anything else as JSON.
  async function send(method, path, body) {
    const raw = body instanceof Blob;
    const response = await fetch(path, {
      method,
      headers: {
        "Content-Type": raw ? body.type : "application/json",
        ...(session ? { Authorization: `Bearer ${session.accessToken}` } : {}),
        ...viewHeaders,
      },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    if (response.status === 401 && session) { signOut(); location.reload(); }
    if (!response.ok) throw await failure(response);
    return response;
  }

  async function call(method, path, body, withHeaders = false) {
    const response = await send(method, path, body);
    const data = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
    return withHeaders ? { data, headers: response.headers } : data;
  }

  // A validation problem names what is wrong with each field, another problem says why in its detail: that is what the
  // user needs to read, in their language when the problem says it by key (errorKeys, detailKey), else as written.
  async function failure(response) {
    const data = response.headers.get("content-type")?.includes("json") ? await response.json().catch(() => null) : null;
    const keyed = typeof I18n !== "undefined";
    const said = p => I18n.t("err." + p.key, p.args ?? {});
    const fields = data?.errors ? Object.entries(data.errors)
      .flatMap(([field, texts]) => (keyed && data.errorKeys?.[field]?.map(said)) || texts).join(" ") : "";
    const detail = keyed && data?.detailKey ? said(data.detailKey) : data?.detail;
    const error = new Error(fields || detail || data?.title || response.statusText);
    error.status = response.status;
    return error;
  }

  async function signIn(username, password) {
    session = await call("POST", "/api/auth/token", { username, password });
    sessionStorage.setItem(key, JSON.stringify(session));
    return session;
  }

  function signOut() { session = null; sessionStorage.removeItem(key); }

  // The roles the user holds on this page: the one at the page's site, or each one held at a site they see
  // (a user may have another role at some sites, docs/interface.md §13; the server checks each call by its site).
  function roles() {
    if (!session) return [];
    const at = s => session.siteRoles?.[s] ?? session.role;
    if (site) return [at(site)];
    return [...new Set(session.sites ? session.sites.map(at) : [session.role, ...Object.values(session.siteRoles ?? {})])];
  }

  // The sign-in form and sign-out button both pages share; onSignedIn opens the page proper.
  function bindSignIn(onSignedIn) {
    document.querySelector("#sign-out").onclick = () => { signOut(); location.reload(); };
    document.querySelector("#sign-in").onsubmit = async e => {
      e.preventDefault();
      const form = new FormData(e.target);
      const error = document.querySelector("#sign-in-error");
      error.textContent = "";
      try {
        await signIn(form.get("username"), form.get("password"));
        await onSignedIn();
      } catch (err) {
        error.textContent = err.status === 401 ? I18n.t("auth.wrong") : I18n.t("auth.failed", { reason: err.message });
      }
    };
  }

  return {
    get session() { return session; },
    get roles() { return roles(); },
    // Whether the user holds one of these roles on this page.
    has: (...wanted) => roles().some(r => wanted.includes(r)),
    // What the header says the user is: their role, or their roles on this page.
    get roleText() { return roles().map(r => I18n.t("role." + r)).join(" / "); },
    site, viewHeaders,
    // The page's connection to the hub, with the token, reconnecting after 1, 2 … 10 s: a page of one site hears only that
    // site's events.
    hub: () => new signalR.HubConnectionBuilder()
      .withUrl(site ? `/hubs/console?site=${encodeURIComponent(site)}` : "/hubs/console", { accessTokenFactory: () => session.accessToken })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(10000, 1000 * (ctx.previousRetryCount + 1)) })
      .build(),
    // Another page (or this one) for the same site, or for every site when site is null.
    withSite: (path, chosen = site) => chosen ? `${path}${path.includes("?") ? "&" : "?"}site=${encodeURIComponent(chosen)}` : path,
    signIn, signOut, bindSignIn,
    get: path => call("GET", path),
    // A file the API answers (a photo, a plan's picture, a pass, a label sheet, an export), as a Blob: the token rides in
    // a header, which an image or a link cannot send.
    file: async path => (await send("GET", path)).blob(),
    // Whether the user works the console on this page (operator or admin): who may act on alarms, zones and tickets.
    worksConsole: () => roles().some(r => r === "admin" || r === "operator"),
    // A page of a paged list: the items and the cursor of the next page, if there is one.
    page: async path => {
      const { data, headers } = await call("GET", path, undefined, true);
      return { items: data, next: headers.get("X-Next-Cursor") };
    },
    post: (path, body) => call("POST", path, body),
    put: (path, body) => call("PUT", path, body),
    patch: (path, body) => call("PATCH", path, body),
    del: path => call("DELETE", path),
  };
})();
