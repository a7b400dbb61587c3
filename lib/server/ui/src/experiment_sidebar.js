// The experiment list beside the runs (as in MLflow's experiment page): filter by name, open one, or
// tick several and "Compare" to see their runs together (#/compare-experiments/s?experiments=[…]).
// It can be folded away; the choice is remembered.
import { h, mount } from "./dom.js";
import { allExperiments } from "./experiments.js";
import { experimentHash } from "./routes.js";

const FOLDED_KEY = "kmlf.sidebar.folded";

/** The sidebar for a page showing `currentIds`. Loads the list in the background. */
export function experimentSidebar(currentIds) {
  const current = new Set(currentIds);
  const ticked = new Set(currentIds);
  const search = h("input", {
    type: "search",
    class: "search",
    placeholder: "Filter experiments",
    testid: "sidebar-search",
  });
  const list = h(
    "ul",
    { class: "sidebar-list", testid: "sidebar-list" },
    h("li", { class: "muted" }, "Loading…"),
  );
  const compare = h("button", { testid: "sidebar-compare", disabled: true }, "Compare");
  const fold = h("button", { class: "icon", testid: "sidebar-fold", title: "Hide the experiment list" }, "«");
  const unfold = h("button", {
    class: "icon unfold",
    testid: "sidebar-unfold",
    title: "Show the experiment list",
  }, "»");
  const panel = h(
    "div",
    { class: "sidebar-panel" },
    h("div", { class: "sidebar-head" }, h("strong", {}, "Experiments"), fold),
    search,
    list,
    h("div", { class: "toolbar" }, compare),
  );
  const el = h("aside", { class: "sidebar", testid: "experiment-sidebar" }, panel, unfold);
  let experiments = [];

  const setFolded = (folded) => {
    el.classList.toggle("folded", folded);
    try {
      localStorage.setItem(FOLDED_KEY, folded ? "1" : "");
    } catch {
      // not remembered
    }
  };
  fold.addEventListener("click", () => setFolded(true));
  unfold.addEventListener("click", () => setFolded(false));
  try {
    setFolded(localStorage.getItem(FOLDED_KEY) === "1");
  } catch {
    setFolded(false);
  }

  // "Compare" opens the ticked experiments together ("Open" for one); nothing to do while they are the
  // ones on screen.
  const update = () => {
    compare.textContent = ticked.size > 1 ? `Compare (${ticked.size})` : "Open";
    compare.disabled = ticked.size === 0 ||
      (ticked.size === current.size && [...ticked].every((id) => current.has(id)));
  };
  compare.addEventListener("click", () => {
    location.hash = experimentHash([...ticked]);
  });
  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = experiments.filter((e) => e.name.toLowerCase().includes(needle));
    mount(
      list,
      shown.length === 0 ? h("li", { class: "muted" }, "No experiment matches") : null,
      shown.map((e) => {
        const box = h("input", {
          type: "checkbox",
          checked: ticked.has(e.experiment_id),
          testid: "sidebar-check",
          title: "Tick several to compare their runs",
        });
        box.addEventListener("change", () => {
          box.checked ? ticked.add(e.experiment_id) : ticked.delete(e.experiment_id);
          update();
        });
        return h(
          "li",
          {
            class: current.has(e.experiment_id) ? "current" : "",
            testid: "sidebar-experiment",
            dataset: { experimentId: e.experiment_id },
          },
          box,
          h("a", { href: experimentHash([e.experiment_id]), title: e.name }, e.name),
        );
      }),
    );
  };
  search.addEventListener("input", render);
  update();
  // An experiment renamed on the page (its header's Rename) shows its new name here at once.
  el.setName = (id, name) => {
    const e = experiments.find((x) => x.experiment_id === id);
    if (!e || e.name === name) return;
    e.name = name;
    experiments.sort((a, b) => a.name.localeCompare(b.name));
    render();
  };
  allExperiments("ACTIVE_ONLY").then(
    (found) => {
      experiments = found.sort((a, b) => a.name.localeCompare(b.name));
      render();
    },
    (error) => mount(list, h("li", { class: "muted" }, error.message)),
  );
  return el;
}
