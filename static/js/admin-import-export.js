// The export page's « Tout sélectionner » box (bound here: the CSP forbids inline handlers).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((box) => {
    box.addEventListener("change", (event) => window.onSelectToggleChange(event));
  });
});
