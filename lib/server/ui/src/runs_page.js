// Experiment page: MLflow-syntax search, sortable virtualized runs table with param/metric/tag
// columns, Active/Deleted view, paging by page_token, compare / delete / restore of selected runs, child
// runs nested under their parents, key autocomplete in the search box, and auto-refresh of RUNNING runs.
// A child whose parent is not in the loaded pages gets it fetched (`attributes.run_id IN (…)`, any
// lifecycle, as MLflow's UI does): such parents are shown (row data-for-nesting="true") and start
// expanded, so the runs the search returned stay in sight; "N runs" counts only those.
import { apiPost, forgetRun, getExperiment } from "./api.js";
import { virtualTable } from "./virtual_table.js";
import { missingParentIds, runIdFilter, runsByIdRequests, visibleRunRows, withParents } from "./run_tree.js";
import { attachAutocomplete } from "./search_suggest_box.js";
import { createPoller } from "./poller.js";
import { runColumns } from "./runs_columns.js";
import { errorBox, h, mount, toMap } from "./dom.js";

const PAGE_SIZE = 500;
const DEFAULT_ORDER = "attributes.start_time";
/** Rounds of parent fetching after a page (a parent's own missing parent needs another round). */
const PARENT_ROUNDS = 10;

/** State of the page as kept in the hash query (MLflow's names). */
function stateOf(route) {
  const q = route.query;
  return {
    filter: q.get("searchFilter") ?? "",
    orderKey: q.get("orderByKey") || DEFAULT_ORDER,
    asc: q.get("orderByAsc") === "true",
    deleted: q.get("lifecycleFilter") === "Deleted",
  };
}

function hashFor(experimentId, state) {
  const q = new URLSearchParams();
  if (state.filter) q.set("searchFilter", state.filter);
  if (state.orderKey !== DEFAULT_ORDER) q.set("orderByKey", state.orderKey);
  if (state.asc) q.set("orderByAsc", "true");
  if (state.deleted) q.set("lifecycleFilter", "Deleted");
  const qs = q.toString();
  return `#/experiments/${encodeURIComponent(experimentId)}${qs ? "?" + qs : ""}`;
}

function prepare(run) {
  run.params = toMap(run.data?.params);
  run.tags = toMap(run.data?.tags);
  run.metrics = new Map((run.data?.metrics ?? []).map((m) => [m.key, m.value]));
  return run;
}

/** Renders the runs page of one experiment. */
export async function runsPage(container, route) {
  const experimentId = route.params.experimentId;
  let state = stateOf(route);
  let runs = []; // the search's runs, in order
  let parents = new Map(); // run id → run fetched only for nesting (not in `runs`)
  let asked = new Set(); // parent ids already fetched (found or not) since the last reset
  let nextPageToken;
  let loading = false;
  let generation = 0;
  const selected = new Set();
  const known = { metrics: new Set(), params: new Set(), tags: new Set() };
  const allTagKeys = new Set(); // known.tags without the mlflow.* ones, for columns; this for search
  const expanded = new Set();
  const storageKey = `kmlf.columns.${experimentId}`;
  let chosen = JSON.parse(localStorage.getItem(storageKey) ?? "null");

  const title = h("h1", { testid: "experiment-name" }, "…");
  const filterInput = h("input", {
    type: "search",
    class: "search wide",
    testid: "runs-filter",
    placeholder: 'metrics.rmse < 1 and params.model = "tree"',
    value: state.filter,
  });
  const viewSelect = h(
    "select",
    { testid: "runs-view" },
    h("option", { value: "active" }, "Active"),
    h("option", { value: "deleted" }, "Deleted"),
  );
  viewSelect.value = state.deleted ? "deleted" : "active";
  const compareButton = h("button", { testid: "compare-button", disabled: true }, "Compare");
  const deleteButton = h("button", { testid: "delete-button", disabled: true }, "Delete");
  const restoreButton = h("button", { testid: "restore-button", disabled: true }, "Restore");
  const columnsMenu = h("details", { class: "columns-menu", testid: "columns-menu" });
  const errorSlot = h("div");
  const count = h("span", { class: "muted", testid: "runs-count" });
  const loadMore = h("button", { testid: "load-more", hidden: true }, "Load more");

  const go = (patch) => {
    location.hash = hashFor(experimentId, { ...state, ...patch });
  };
  const searchBox = attachAutocomplete(filterInput, () => ({ ...known, tags: allTagKeys }));
  filterInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.defaultPrevented) go({ filter: filterInput.value.trim() });
  });
  viewSelect.addEventListener("change", () => go({ deleted: viewSelect.value === "deleted" }));

  const sortColumn = (orderKey) => ({
    sort: state.orderKey === orderKey ? (state.asc ? "ASC" : "DESC") : undefined,
    onSort: () => go({ orderKey, asc: state.orderKey === orderKey ? !state.asc : false }),
  });

  const selectAll = h("input", { type: "checkbox", testid: "select-all", title: "Select all loaded runs" });
  selectAll.addEventListener("change", () => {
    for (const r of shownRuns()) {
      selectAll.checked ? selected.add(r.info.run_id) : selected.delete(r.info.run_id);
    }
    updateButtons();
    table.refresh();
  });

  const columns = () =>
    runColumns({
      experimentId,
      selected,
      selectAll,
      sortColumn,
      chosenKeys,
      onSelect: () => updateButtons(),
      onToggle: (id) => toggle(id),
    });

  const chosenKeys = (kind) => {
    if (chosen) return chosen[kind] ?? [];
    return kind === "tags" ? [] : [...known[kind]].sort().slice(0, 8);
  };

  const table = virtualTable({
    columns: columns(),
    testid: "runs-table",
    rowAttrs: (row) => ({
      testid: "run-row",
      dataset: {
        runId: row.run.info.run_id,
        depth: String(row.depth),
        ...(row.run.forNesting ? { forNesting: "true" } : {}),
      },
    }),
    onNearEnd: () => {
      if (nextPageToken && !loading) void fetchPage();
    },
    onRender: () => poller?.ensure(),
  });

  const shownRuns = () => withParents(runs, parents);
  const showRows = (options) => table.setRows(visibleRunRows(shownRuns(), expanded), options);
  const toggle = (runId) => {
    expanded.has(runId) ? expanded.delete(runId) : expanded.add(runId);
    showRows({ keepScroll: true, emptyText: emptyText() });
  };
  const emptyText = () => state.filter ? "No runs match the search" : "No runs";

  // Auto-refresh: while a run on screen is RUNNING, re-read the RUNNING ones on screen.
  const runningOnScreen = () =>
    table.renderedRows().filter((row) => row.run.info.status === "RUNNING").map((row) => row.run.info.run_id);
  const poller = createPoller({
    wanted: () => runningOnScreen().length > 0,
    tick: async () => {
      const mine = generation;
      const ids = runningOnScreen().slice(0, 100);
      if (ids.length === 0) return;
      const page = await apiPost("runs/search", {
        experiment_ids: [experimentId],
        filter: runIdFilter(ids),
        run_view_type: "ALL",
        max_results: ids.length,
      });
      if (mine !== generation || loading) return;
      const fresh = new Map((page.runs ?? []).map((r) => [r.info.run_id, prepare(r)]));
      runs = runs.map((r) => fresh.get(r.info.run_id) ?? r);
      for (const id of parents.keys()) {
        if (fresh.has(id)) parents.set(id, Object.assign(fresh.get(id), { forNesting: true }));
      }
      showRows({ keepScroll: true, emptyText: emptyText() });
    },
  });

  const updateButtons = () => {
    compareButton.disabled = selected.size < 2;
    deleteButton.disabled = selected.size === 0;
    restoreButton.disabled = selected.size === 0;
    deleteButton.hidden = state.deleted;
    restoreButton.hidden = !state.deleted;
    compareButton.textContent = selected.size ? `Compare (${selected.size})` : "Compare";
  };

  const renderColumnsMenu = () => {
    const group = (kind, label) => {
      const keys = [...known[kind]].sort();
      if (keys.length === 0) return null;
      const active = new Set(chosenKeys(kind));
      return h(
        "fieldset",
        {},
        h("legend", {}, label),
        keys.map((key) => {
          const box = h("input", { type: "checkbox", checked: active.has(key), dataset: { kind, key } });
          box.addEventListener("change", () => {
            chosen = {
              metrics: chosenKeys("metrics"),
              params: chosenKeys("params"),
              tags: chosenKeys("tags"),
            };
            chosen[kind] = box.checked ? [...chosen[kind], key] : chosen[kind].filter((k) => k !== key);
            localStorage.setItem(storageKey, JSON.stringify(chosen));
            table.setColumns(columns());
          });
          return h("label", { class: "check" }, box, key);
        }),
      );
    };
    mount(
      columnsMenu,
      h("summary", {}, "Columns"),
      h(
        "div",
        { class: "menu-panel" },
        group("metrics", "Metrics"),
        group("params", "Parameters"),
        group("tags", "Tags"),
      ),
    );
  };

  /** Adds the runs' keys to the known ones; new keys (or `force`) redraw the columns. */
  function learnKeys(fresh, force) {
    const sizes = [known.metrics.size, known.params.size, known.tags.size];
    for (const r of fresh) {
      for (const k of r.metrics.keys()) known.metrics.add(k);
      for (const k of r.params.keys()) known.params.add(k);
      for (const k of r.tags.keys()) {
        allTagKeys.add(k);
        if (!k.startsWith("mlflow.")) known.tags.add(k);
      }
    }
    if (force || sizes.join() !== [known.metrics.size, known.params.size, known.tags.size].join()) {
      renderColumnsMenu();
      table.setColumns(columns());
    }
  }

  /**
   * Fetches the parents of loaded runs that are not loaded (nor asked for before), then their own
   * missing parents, and re-nests. A failure leaves the children at top level.
   */
  async function fetchParents(mine) {
    let added = false;
    try {
      for (let round = 0; round < PARENT_ROUNDS; round++) {
        const ids = missingParentIds(shownRuns(), asked);
        if (ids.length === 0) break;
        for (const id of ids) asked.add(id);
        const found = [];
        for (const request of runsByIdRequests(ids, [experimentId])) {
          const page = await apiPost("runs/search", request);
          if (mine !== generation) return;
          for (const r of page.runs ?? []) found.push(Object.assign(prepare(r), { forNesting: true }));
        }
        for (const r of found) {
          parents.set(r.info.run_id, r);
          expanded.add(r.info.run_id);
        }
        if (found.length === 0) break;
        learnKeys(found, false);
        added = true;
      }
    } catch (error) {
      console.warn(`Could not fetch parent runs: ${error.message}`);
    }
    if (added && mine === generation) showRows({ keepScroll: true, emptyText: emptyText() });
  }

  async function fetchPage(reset = false) {
    const mine = reset ? ++generation : generation;
    loading = true;
    loadMore.disabled = true;
    try {
      const page = await apiPost("runs/search", {
        experiment_ids: [experimentId],
        filter: state.filter,
        run_view_type: state.deleted ? "DELETED_ONLY" : "ACTIVE_ONLY",
        max_results: PAGE_SIZE,
        order_by: [`${state.orderKey} ${state.asc ? "ASC" : "DESC"}`],
        page_token: reset ? undefined : nextPageToken,
      });
      if (mine !== generation) return;
      const fresh = (page.runs ?? []).map(prepare);
      if (reset) {
        parents = new Map();
        asked = new Set();
      }
      for (const r of fresh) parents.delete(r.info.run_id); // now loaded for real
      runs = reset ? fresh : runs.concat(fresh);
      nextPageToken = page.next_page_token;
      mount(errorSlot);
      learnKeys(fresh, reset);
      showRows({ keepScroll: !reset, emptyText: emptyText() });
      await fetchParents(mine);
    } catch (error) {
      if (mine !== generation) return;
      runs = [];
      parents = new Map();
      nextPageToken = undefined;
      table.setRows([], { emptyText: "" });
      mount(errorSlot, errorBox(error.message, "runs-error"));
    } finally {
      if (mine === generation) {
        loading = false;
        loadMore.disabled = false;
        loadMore.hidden = !nextPageToken;
        count.textContent = `${runs.length}${nextPageToken ? "+" : ""} runs`;
        container.dataset.loaded = String(runs.length);
        container.dataset.parents = String(parents.size);
      }
    }
  }

  const lifecycle = async (endpoint) => {
    if (endpoint === "runs/delete" && !confirm(`Delete ${selected.size} run(s)?`)) return;
    try {
      for (const id of selected) {
        await apiPost(endpoint, { run_id: id });
        forgetRun(id);
      }
      selected.clear();
      updateButtons();
      await fetchPage(true);
    } catch (error) {
      mount(errorSlot, errorBox(error.message, "runs-error"));
    }
  };
  deleteButton.addEventListener("click", () => lifecycle("runs/delete"));
  restoreButton.addEventListener("click", () => lifecycle("runs/restore"));
  compareButton.addEventListener("click", () => {
    const ids = [...selected];
    location.hash = `#/compare-runs?runs=${encodeURIComponent(JSON.stringify(ids))}&experiments=${
      encodeURIComponent(JSON.stringify([experimentId]))
    }`;
  });
  loadMore.addEventListener("click", () => fetchPage());

  mount(
    container,
    h("nav", { class: "crumbs" }, h("a", { href: "#/experiments" }, "Experiments"), " / "),
    title,
    h(
      "div",
      { class: "toolbar" },
      searchBox,
      h(
        "button",
        { testid: "runs-search", onclick: () => go({ filter: filterInput.value.trim() }) },
        "Search",
      ),
      h("button", { testid: "runs-clear", onclick: () => go({ filter: "" }) }, "Clear"),
      viewSelect,
      columnsMenu,
      compareButton,
      deleteButton,
      restoreButton,
      count,
    ),
    errorSlot,
    table.el,
    h("div", { class: "footer" }, loadMore),
  );
  renderColumnsMenu();
  updateButtons();
  getExperiment(experimentId).then(
    (e) => {
      title.textContent = e.name;
      document.title = `${e.name} · kmlf`;
    },
    (error) => mount(errorSlot, errorBox(error.message, "experiment-error")),
  );
  await fetchPage(true);

  return {
    dispose: () => poller.stop(),
    update(next) {
      state = stateOf(next);
      filterInput.value = state.filter;
      viewSelect.value = state.deleted ? "deleted" : "active";
      selected.clear();
      selectAll.checked = false;
      updateButtons();
      table.setColumns(columns());
      void fetchPage(true);
    },
  };
}
