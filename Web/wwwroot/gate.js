// The gate: register a visitor and show a pass with its QR code; check out by scanning the pass (a scanner types
// its code into the box and presses Enter) or from the list of visitors on site.
const Gate = (() => {
  const $ = selector => document.querySelector(selector);
  let visitors = [];

  async function rooms() {
    const places = await Api.get("/api/visitors/places");
    $("#register select[name=hostRoomId]").replaceChildren(...places.map(p => Page.el("option", { value: p.roomId, textContent: `${p.building} · ${p.room}` })));
  }

  // Two hours from now, on the site's clock like every time the page shows or takes.
  function defaultDeparture() {
    $("#register input[name=expectedDeparture]").value = I18n.toSiteTime(new Date(Date.now() + 2 * 3600 * 1000).toISOString());
  }

  async function load() {
    const q = $("#visitor-search").value.trim();
    visitors = await Api.get(`/api/visitors?onSite=true${q ? "&q=" + encodeURIComponent(q) : ""}`);
    render();
  }

  function render() {
    $("#on-site-count").textContent = `(${visitors.length})`;
    $("#visitors").replaceChildren(...(visitors.length ? visitors.map(row) : [Page.el("li", { className: "muted", textContent: I18n.t("gate.none") })]));
  }

  function row(v) {
    const li = Page.el("li", { className: "ticket visitor" });
    li.dataset.id = v.id;
    li.dataset.overdue = v.overdue;
    const head = Page.el("div", { className: "ticket-head" }, Page.el("strong", { textContent: v.name }), Page.el("span", { className: "ticket-status", textContent: v.pass }));
    if (v.overdue) head.append(Page.el("span", { className: "ticket-overdue", textContent: I18n.t("gate.overdue") }));
    const meta = Page.el("div", { className: "ticket-meta muted", textContent:
      `${v.hostName} · ${v.hostPlace} · ${I18n.t("gate.until", { at: I18n.formatTime(v.expectedDeparture) })}` });
    const out = Page.el("button", { type: "button", className: "checkout-one", textContent: I18n.t("gate.checkoutButton") });
    out.onclick = () => checkOut(`/api/visitors/${v.id}/checkout`, null);
    li.append(head, meta, Page.el("div", { className: "ticket-actions" }, out));
    return li;
  }

  async function checkOut(path, body) {
    const result = $("#checkout-result");
    try {
      const v = await Api.post(path, body);
      result.textContent = I18n.t("gate.checkedOut", { name: v.name, pass: v.pass });
      result.className = "ok";
      $("#scan").value = "";
      await load();
    } catch (e) {
      result.textContent = I18n.t("gate.checkoutFailed", { reason: e.message });
      result.className = "error";
    }
    $("#scan").focus();
  }

  async function register(e) {
    e.preventDefault();
    const form = e.target;
    const error = $("#register-error");
    error.textContent = "";
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const data = Object.fromEntries(new FormData(form));
      let photoId = null;
      if (form.photo.files[0]) {
        photoId = (await Api.post("/api/photos", form.photo.files[0])).id;
      }
      const visitor = await Api.post("/api/visitors", {
        name: data.name, phone: data.phone, idNumber: data.idNumber, hostName: data.hostName, hostRoomId: data.hostRoomId,
        purpose: data.purpose, expectedDeparture: I18n.fromSiteTime(data.expectedDeparture), photoId,
      });
      form.reset();
      defaultDeparture();
      await showPass(visitor);
      await load();
    } catch (err) {
      // What was typed stays in the form, so nothing is lost.
      error.textContent = I18n.t("gate.registerFailed", { reason: err.message });
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  }

  async function showPass(v) {
    $("#pass-qr").src = URL.createObjectURL(await Api.file(`/api/visitors/${v.id}/pass.svg`));
    $("#pass-code").textContent = v.pass;
    $("#pass-name").textContent = v.name;
    $("#pass-id").textContent = v.idNumberMasked;
    $("#pass-host").textContent = `${v.hostName} · ${v.hostPlace}`;
    $("#pass-departure").textContent = I18n.formatTime(v.expectedDeparture);
    $("#pass-previous").textContent = String(v.previousVisits);
    $("#pass").hidden = false;
  }

  async function onSignedIn() {
    await rooms();
    defaultDeparture();
    await load();
    // Ready for the scanner, unless the guard has already begun typing elsewhere: taking the focus then would move
    // their typing, and on a phone scroll the form away under their finger.
    if (!document.activeElement || document.activeElement === document.body) $("#scan").focus();
  }

  function init() {
    $("#register").onsubmit = register;
    $("#checkout").onsubmit = e => { e.preventDefault(); const pass = $("#scan").value.trim(); if (pass) checkOut("/api/visitors/checkout", { pass }); };
    $("#visitor-search").oninput = () => load();
    $("#print-pass").onclick = () => window.print();
    Page.start({ roles: ["guard", "operator", "admin"], onSignedIn, onLanguage: render });
  }

  return { init };
})();

Gate.init();
