// Entry point: hash routing compatible with MLflow's UI links (#/experiments/<id>/runs/<run_id>, …).
import { errorBox, mount, parseIdList } from "./dom.js";
import { parseRoute } from "./routes.js";
import { experimentsPage } from "./experiments.js";
import { runsPage } from "./runs_page.js";
import { runPage } from "./run_page.js";
import { comparePage, metricPage } from "./compare.js";

const PAGES = {
  experiments: experimentsPage,
  runs: runsPage,
  run: runPage,
  compare: comparePage,
  metric: metricPage,
};

let current; // { key, view }

async function route() {
  const app = document.getElementById("app");
  const r = parseRoute(location.hash);
  const key = r.name === "runs"
    ? `runs:${r.params.experimentId}`
    : r.name === "run"
    ? `run:${r.params.runId}`
    : `${r.name}:${location.hash}`;
  if (current && current.key === key && current.view?.update) {
    current.view.update(r);
    return;
  }
  current?.view?.dispose?.();
  current = { key, view: undefined };
  const page = PAGES[r.name];
  if (!page) {
    mount(app, errorBox(`No page for #/${r.params.path}`, "not-found"));
    return;
  }
  const container = document.createElement("div");
  container.className = `page page-${r.name}`;
  mount(app, container);
  try {
    current.view = await page(container, r);
  } catch (error) {
    mount(container, errorBox(error.message ?? String(error), "page-error"));
  }
}

globalThis.kmlf = { parseRoute, parseIdList };
addEventListener("hashchange", route);
route();
