// Admin pages: a table wider than its box scrolls inside it, so keyboard users must be able to
// focus that box to scroll it (WCAG 2.1.1).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".wrapper, .results").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      const heading = box.closest("fieldset, .module, #changelist")?.querySelector("h2, caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : "Tableau");
    }
  });
});
