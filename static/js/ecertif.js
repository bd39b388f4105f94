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
  labelStackedCells(document);
  makeScrollableRegionsFocusable(document);
  placeInitialFocus();
  // htmx swaps: announce the result to screen readers, keep tables reachable.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    labelStackedCells(event.detail.target);
    makeScrollableRegionsFocusable(event.detail.target);
    announceSwap(event.detail.target);
  });
});

// A table wider than its box scrolls inside it: keyboard users must be able to reach it.
function makeScrollableRegionsFocusable(root) {
  root.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau");
    }
  });
}

// Focus the first field in error, else the first field of a form that asks for it
// (data-focus-first): keyboard users start where the work is, not 20 links above.
function placeInitialFocus() {
  const main = document.getElementById("contenu");
  if (!main) {
    return;
  }
  const invalid = main.querySelector('[aria-invalid="true"], .is-invalid');
  if (invalid) {
    invalid.focus();
    return;
  }
  const form = main.querySelector("form[data-focus-first]");
  if (form) {
    const first = form.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
    if (first) {
      first.focus();
    }
  }
}

// A polite live region (base.html) reads what an htmx swap changed, unless the swapped
// element is already inside its own live region.
function announceSwap(target) {
  const region = document.getElementById("annonces");
  if (!region || !target || target.closest("[aria-live]")) {
    return;
  }
  const source = target.closest("[data-announce]") || target.querySelector("[data-announce]");
  region.textContent = source ? source.dataset.announce : "Contenu mis à jour.";
}

// On phones, a .table-stack row shows as a card: each cell gets its column title as a label.
function labelStackedCells(root) {
  root.querySelectorAll("table.table-stack").forEach((table) => {
    const titles = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.cells).forEach((cell, index) => {
        if (titles[index] && !cell.dataset.label) {
          cell.dataset.label = titles[index];
        }
      });
    });
  });
}

// Forms marked data-warn-unsaved: leaving the page, or saving another form of the page, with
// edits not saved asks first (the assessment page has three forms saved separately).
document.addEventListener("DOMContentLoaded", () => {
  const dirty = new Set();
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    form.addEventListener("input", () => dirty.add(form));
    form.addEventListener("change", () => dirty.add(form));
  });
  let leaving = false;
  document.addEventListener(
    "submit",
    (event) => {
      const others = Array.from(dirty).filter((form) => form !== event.target);
      if (
        others.length &&
        !window.confirm(
          "Des modifications ailleurs sur cette page ne sont pas enregistrées : elles seront perdues. Continuer ?"
        )
      ) {
        event.preventDefault();
        return;
      }
      leaving = true;
    },
    true
  );
  window.addEventListener("beforeunload", (event) => {
    if (!leaving && dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});

// File inputs with data-max-bytes: a file too large is refused here, before a long upload that
// the server would refuse anyway. The message is the field's own validity message.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    input.addEventListener("change", () => {
      const limit = Number(input.dataset.maxBytes);
      const file = input.files[0];
      if (file && file.size > limit) {
        const megabytes = (size) => (size / (1024 * 1024)).toLocaleString("fr-FR", {maximumFractionDigits: 1});
        input.setCustomValidity(
          `Ce fichier pèse ${megabytes(file.size)} Mo : la limite est de ${megabytes(limit)} Mo. Choisissez un fichier plus léger.`
        );
      } else {
        input.setCustomValidity("");
      }
      input.reportValidity();
    });
    // The forms are novalidate (server-side French errors): block the send here.
    input.form?.addEventListener("submit", (event) => {
      if (input.validity.customError) {
        event.preventDefault();
        input.reportValidity();
        input.focus();
      }
    });
  });
});
