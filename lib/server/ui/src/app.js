// Entry point: hash routing compatible with MLflow's UI links (#/experiments/<id>/runs/<run_id>, …).
import { errorBox, mount, parseIdList } from "./dom.js";
import { parseRoute } from "./routes.js";
import { experimentsPage } from "./experiments.js";
import { runsPage } from "./runs_page.js";
import { runPage } from "./run_page.js";
import { comparePage, metricPage } from "./compare.js";
import { activePollers } from "./poller.js";
import { modelsPage } from "./models_page.js";
import { modelPage } from "./model_page.js";
import { modelVersionPage } from "./model_version_page.js";

const PAGES = {
  experiments: experimentsPage,
  runs: runsPage,
  run: runPage,
  compare: comparePage,
  metric: metricPage,
  models: modelsPage,
  model: modelPage,
  "model-version": modelVersionPage,
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
  const mine = { key, view: undefined };
  current = mine;
  const page = PAGES[r.name];
  if (!page) {
    mount(app, errorBox(`No page for #/${r.params.path}`, "not-found"));
    return;
  }
  const container = document.createElement("div");
  container.className = `page page-${r.name}`;
  mount(app, container);
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
