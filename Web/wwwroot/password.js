// Anyone changes their own password: the current one first.
Page.start({
  onSignedIn: async () => {
    const form = document.querySelector("#change-password");
    form.onsubmit = async e => {
      e.preventDefault();
      const data = new FormData(form);
      document.querySelector("#password-error").textContent = document.querySelector("#password-done").textContent = "";
      try {
        await Api.post("/api/me/password", { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") });
        form.reset();
        document.querySelector("#password-done").textContent = I18n.t("password.done");
      } catch (err) {
        document.querySelector("#password-error").textContent = err.status === 403 ? I18n.t("password.wrong") : I18n.t("password.failed", { reason: err.message });
      }
    };
  },
});
