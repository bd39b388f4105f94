"""axe-core in the browser tests: every page a journey visits is audited.

Every context gets axe as an init script (through the DevTools protocol, which the site's CSP
does not govern, so pages are audited as served). Each document runs axe once loaded and again
after each htmx swap, and reports to Python through a binding. A page left before its audit
finished is opened again and audited when the context closes, so none is missed.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# RGAA 4.1 is built on WCAG 2.1 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
RUNNER = """
(() => {
  if (window.top !== window) return;
  const tags = %s;
  let last = Promise.resolve();
  const run = () => {
    last = last.then(async () => {
      // A colour transition caught halfway (hover, focus) is no finding: end them first.
      document.getAnimations().forEach((animation) => {
        try {
          animation.finish();
        } catch (error) {
          // an endless animation (a spinner) cannot finish: leave it
        }
      });
      const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
      const violations = result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 200)})),
      }));
      await window.__ecertifAxeReport(location.href, violations);
      return violations;
    });
    return last;
  };
  window.__ecertifAxeRun = run;
  // After "load": the page's own scripts (run on DOMContentLoaded) have done their work.
  window.addEventListener("DOMContentLoaded", () => window.__ecertifAxeStarted(location.href));
  window.addEventListener("load", () => {
    run();
    document.body.addEventListener("htmx:afterSettle", () => run());
  });
})();
"""


class AxeAuditor:
    """Collects the serious and critical violations of every audited page."""

    def __init__(self):
        self.violations = []  # (url, rule id, impact, help, target, html)
        self.started = []  # every document loaded, in order
        self.audited = set()

    def record(self, url, violations):
        self.audited.add(url)
        for violation in violations:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                row = (url, violation["id"], violation["impact"], violation["help"])
                row += (node["target"], node["html"])
                if row not in self.violations:
                    self.violations.append(row)

    def audit(self, page):
        """Audit the page as it is now (waits for an audit already under way)."""
        if page.url.startswith("http") and not page.is_closed():
            page.evaluate("window.__ecertifAxeRun && window.__ecertifAxeRun()")

    def watch(self, context):
        context.add_init_script(AXE_SOURCE + RUNNER % AXE_TAGS)
        context.expose_binding(
            "__ecertifAxeReport", lambda source, url, violations: self.record(url, violations)
        )
        context.expose_binding("__ecertifAxeStarted", lambda source, url: self.started.append(url))
        original_close = context.close

        def close(**kwargs):
            for page in context.pages:
                self.audit(page)
            missed = [url for url in dict.fromkeys(self.started) if url not in self.audited]
            if missed:
                page = context.new_page()  # a fresh tab: the others may hold dialogs
                for url in missed:
                    page.goto(url)
                    self.audit(page)
            return original_close(**kwargs)

        context.close = close
        return context

    def report(self):
        lines = [f"{len(self.violations)} violation(s) axe-core sérieuse(s) ou critique(s) :"]
        for url, rule, impact, help_text, target, html in self.violations:
            lines.append(f"- [{impact}] {rule} ({help_text}) sur {url} : {target} — {html}")
        return "\n".join(lines)


class AuditedBrowser:
    """The Playwright browser, whose new contexts are all watched by the auditor."""

    def __init__(self, browser, auditor):
        self._browser = browser
        self.auditor = auditor

    def new_context(self, **kwargs):
        return self.auditor.watch(self._browser.new_context(**kwargs))

    def __getattr__(self, name):
        return getattr(self._browser, name)
