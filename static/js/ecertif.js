// e-Certif behaviours: no inline script anywhere (CSP). Loaded with a nonce from base.html.
document.addEventListener("DOMContentLoaded", () => {
  // Bootstrap tooltips on every element that asks for one.
  document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((el) => {
    new bootstrap.Tooltip(el);
  });
  // Buttons that ask for confirmation before a destructive action.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // Copy-to-clipboard buttons.
  document.querySelectorAll("[data-copy-target]").forEach((el) => {
    el.addEventListener("click", () => {
      const target = document.getElementById(el.dataset.copyTarget);
      if (target && navigator.clipboard) {
        navigator.clipboard.writeText(target.value || target.textContent);
        el.textContent = "Copié";
      }
    });
  });
});
