/**
 * The dashboard's only script and stylesheet, served from the process (no CDN). The script is
 * small on purpose: live refresh of the overview's #live section and "select all" on the ops
 * page. Everything else is plain HTML forms and links, so reading works without it.
 */

export const APP_JS = `"use strict";
(() => {
  const live = document.getElementById("live");
  if (live && live.dataset.live) {
    const url = live.dataset.live;
    const everyMs = Number(live.dataset.interval || "5000");
    let timer = 0;
    const refresh = async () => {
      // never swap the section under the keyboard focus or while the tab is hidden
      if (document.hidden || live.contains(document.activeElement)) return;
      try {
        const res = await fetch(url, { credentials: "same-origin", headers: { accept: "text/html" } });
        if (!res.ok) return;
        const tpl = document.createElement("template");
        tpl.innerHTML = await res.text();
        const next = tpl.content.getElementById("live");
        if (!next) {
          clearInterval(timer); // signed out: the next navigation shows the login page
          return;
        }
        live.replaceChildren(...next.childNodes);
        live.dataset.refreshedAt = String(Date.now());
      } catch {
        // the service is restarting: try again at the next interval
      }
    };
    timer = setInterval(refresh, everyMs);
  }
  const all = document.getElementById("select-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", () => {
      for (const box of document.querySelectorAll("input.select-op")) box.checked = all.checked;
    });
  }
})();
`;

export const APP_CSS = `:root { color-scheme: light dark; --ok: #2e7d32; --bad: #c62828; --warn: #ef6c00; --muted: #777; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 1rem 2rem; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; border-bottom: 1px solid #8884; }
h1 { font-size: 1.3rem; margin: .8rem 0; }
h2 { font-size: 1.1rem; margin-top: 1.4rem; }
nav ul { display: flex; gap: 1rem; list-style: none; padding: 0; margin: 0; }
nav { display: flex; gap: 1rem; align-items: center; }
nav a[aria-current="page"] { font-weight: bold; }
a:focus, button:focus, input:focus, select:focus { outline: 2px solid #1565c0; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #8883; vertical-align: top; }
caption { text-align: left; color: var(--muted); }
code { font-size: .9em; word-break: break-all; }
.error { color: var(--bad); }
.muted { color: var(--muted); }
.notice { padding: .5rem .8rem; border-radius: 4px; border: 1px solid; }
.notice.ok { border-color: var(--ok); }
.notice.error { border-color: var(--bad); color: var(--bad); }
.state.running, .status.succeeded, .outcome.ok { color: var(--ok); }
.state.paused, .state.cooling_down, .status.paused, .outcome.retryable, .outcome.ambiguous { color: var(--warn); }
.state.halted, .status.failed, .status.dead, .outcome.permanent, .alert.firing { color: var(--bad); }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.chart svg { max-width: 100%; height: auto; border: 1px solid #8883; }
.chart rect.ok { fill: var(--ok); } .chart rect.failed { fill: var(--bad); } .chart rect.retried { fill: var(--warn); }
.chart .axis { stroke: #8888; } .chart .tick { font-size: 10px; fill: var(--muted); } .chart .tick.end { text-anchor: end; }
.dot { display: inline-block; width: .7em; height: .7em; border-radius: 50%; }
.dot.ok { background: var(--ok); } .dot.failed { background: var(--bad); } .dot.retried { background: var(--warn); }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin: 1rem 0; }
.filters label { display: flex; flex-direction: column; }
.bulk { display: flex; gap: .5rem; border: 1px solid #8884; }
form.inline { display: inline; }
.actions { display: flex; gap: .5rem; }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.facts dt { font-weight: bold; }
.login { display: flex; flex-direction: column; gap: .5rem; max-width: 320px; margin-top: 2rem; }
`;
