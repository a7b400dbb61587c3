// Entry point: hash routing compatible with MLflow's UI links (routes.js); one page at a time, disposed
// (timers, listeners) when the route leaves it.
import { errorBox, h, mount, parseIdList } from "./dom.js";
import { parseRoute, runHash } from "./routes.js";
import { getRun } from "./api.js";
import { experimentsPage } from "./experiments.js";
import { runsPage } from "./runs_page.js";
import { runPage } from "./run_page.js";
import { comparePage } from "./compare.js";
import { metricPage } from "./metric_page.js";
import { activePollers } from "./poller.js";
import { modelsPage } from "./models_page.js";
import { modelPage } from "./model_page.js";
import { modelVersionPage } from "./model_version_page.js";

/** MLflow's /runs/<id>: find the run's experiment, then show the canonical run page in its place. */
async function directRunPage(_container, route) {
  const run = await getRun(route.params.runId);
  const tab = route.params.tab === "overview" ? "" : route.params.tab;
  const tail = [tab, route.params.artifactPath].filter(Boolean).join("/");
  location.replace(runHash(run.info.experiment_id, route.params.runId, tail));
  return {};
}

/** Page render functions by route name (routes.js). */
const PAGES = {
  experiments: experimentsPage,
  runs: runsPage,
  "compare-experiments": runsPage,
  run: runPage,
  "run-direct": directRunPage,
  compare: comparePage,
  metric: metricPage,
  models: modelsPage,
  model: modelPage,
  "model-version": modelVersionPage,
};

let current; // { key, view }

/** Pages that update in place for another hash of the same page (the runs table keeps its rows). */
function pageKey(r) {
  if (r.name === "runs" || r.name === "compare-experiments") {
    return `runs:${r.params.experimentIds.join(",")}`;
  }
  if (r.name === "run") return `run:${r.params.runId}`;
  return `${r.name}:${location.hash}`;
}

async function route() {
  const app = document.getElementById("app");
  const r = parseRoute(location.hash);
  const key = pageKey(r);
  if (current && current.key === key && current.view?.update) {
    current.view.update(r);
    return;
  }
  current?.view?.dispose?.();
  const mine = { key, view: undefined };
  current = mine;
  const page = PAGES[r.name];
  if (!page) {
    mount(app, errorBox(`No page for #/${r.params.path}`, "not-found"));
    return;
  }
  const container = document.createElement("div");
  container.className = `page page-${r.name}`;
  // Each page replaces this once its first answer is in: a slow server shows a loading page, not a blank one.
  mount(app, mount(container, h("p", { class: "muted", testid: "page-loading" }, "Loading…")));
  try {
    const view = await page(container, r);
    // The route changed while the page loaded: drop it (and its timers) at once.
    if (current === mine) mine.view = view;
    else view?.dispose?.();
  } catch (error) {
    if (current === mine) mount(container, errorBox(error.message ?? String(error), "page-error"));
  }
}

globalThis.kmlf = { parseRoute, parseIdList, activePollers };
addEventListener("hashchange", route);
// `kmlf mlflow ui` names the project's experiment as the page a bare URL opens.
const startPage = document.querySelector("meta[name=kmlf-start-page]")?.content;
if (!location.hash && startPage) history.replaceState(null, "", startPage);
route();
