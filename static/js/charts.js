// e-Certif statistics charts. No inline script (CSP): each chart's data is a
// <script type="application/json"> element written by Django's json_script filter, named by
// the canvas' data-chart attribute. Every chart is paired with a table of the same figures.
(() => {
  "use strict";

  const FALLBACK_COLORS = {
    primary: "#0d6efd",
    secondary: "#6c757d",
    success: "#198754",
    info: "#0dcaf0",
    warning: "#ffc107",
    danger: "#dc3545",
  };

  function color(name) {
    const value = getComputedStyle(document.documentElement)
      .getPropertyValue(`--bs-${name}`)
      .trim();
    return value || FALLBACK_COLORS[name] || FALLBACK_COLORS.primary;
  }

  // Long certification names would be clipped on a narrow chart: shortened on the axis,
  // whole in the tooltip and in the paired table.
  function shortLabel(label, length) {
    return label.length > length ? `${label.slice(0, length - 1)}…` : label;
  }

  function formatNumber(value) {
    return new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(value);
  }

  function render(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((dataset) => ({
      label: dataset.label,
      data: dataset.data,
      backgroundColor: dataset.colors ? dataset.colors.map(color) : color(dataset.color),
      borderWidth: 0,
      maxBarThickness: 48,
    }));
    // The container's height follows the number of bars of a horizontal chart.
    const height = spec.horizontal ? Math.max(180, spec.labels.length * 28 + 70) : 300;
    canvas.parentElement.style.height = `${height}px`;
    const valueAxis = {
      stacked: spec.stacked,
      beginAtZero: true,
      ticks: { precision: spec.unit === "jours" ? undefined : 0, callback: formatNumber },
      title: { display: true, text: spec.unit },
    };
    const labelLength = Math.max(14, Math.round(canvas.parentElement.clientWidth / 18));
    const labelAxis = {
      stacked: spec.stacked,
      ticks: {
        autoSkip: false,
        callback(value) {
          return shortLabel(String(this.getLabelForValue(value)), labelLength);
        },
      },
    };
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets },
      options: {
        locale: "fr-FR",
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: spec.horizontal
          ? { x: valueAxis, y: labelAxis }
          : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label} : ${formatNumber(item.raw)} ${spec.unit}`,
            },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("canvas[data-chart]").forEach(render);
  });
})();
