// Experiment page: MLflow-syntax search, sortable virtualized runs table with param/metric/tag
// columns, Active/Deleted view, paging by page_token, compare / delete / restore of selected runs.
import { apiPost, forgetRun, getExperiment } from "./api.js";
import { virtualTable } from "./virtual_table.js";
import {
  errorBox,
  formatDuration,
  formatNumber,
  formatRelative,
  formatTime,
  h,
  mount,
  runDuration,
  runLabel,
  statusBadge,
  toMap,
} from "./dom.js";

const PAGE_SIZE = 500;
const DEFAULT_ORDER = "attributes.start_time";
const quote = (key) => "`" + key.replaceAll("`", "") + "`";

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
  let runs = [];
  let nextPageToken;
  let loading = false;
  let generation = 0;
  const selected = new Set();
  const known = { metrics: new Set(), params: new Set(), tags: new Set() };
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
  filterInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") go({ filter: filterInput.value.trim() });
  });
  viewSelect.addEventListener("change", () => go({ deleted: viewSelect.value === "deleted" }));

  const sortColumn = (orderKey) => ({
    sort: state.orderKey === orderKey ? (state.asc ? "ASC" : "DESC") : undefined,
    onSort: () => go({ orderKey, asc: state.orderKey === orderKey ? !state.asc : false }),
  });

  const selectAll = h("input", { type: "checkbox", testid: "select-all", title: "Select all loaded runs" });
  selectAll.addEventListener("change", () => {
    for (const r of runs) selectAll.checked ? selected.add(r.info.run_id) : selected.delete(r.info.run_id);
    updateButtons();
    table.refresh();
  });

  const columns = () => {
    const cols = [
      {
        id: "select",
        label: "",
        width: 34,
        header: () => selectAll,
        cell: (r) => {
          const box = h("input", {
            type: "checkbox",
            checked: selected.has(r.info.run_id),
            testid: "run-select",
          });
          box.addEventListener("change", () => {
            box.checked ? selected.add(r.info.run_id) : selected.delete(r.info.run_id);
            updateButtons();
          });
          return box;
        },
      },
      {
        id: "run_name",
        label: "Run name",
        width: 200,
        ...sortColumn("attributes.run_name"),
        cell: (r) =>
          h(
            "a",
            {
              href: `#/experiments/${encodeURIComponent(experimentId)}/runs/${r.info.run_id}`,
              testid: "run-link",
            },
            (r.tags.get("mlflow.parentRunId") ? "↳ " : "") + runLabel(r),
          ),
      },
      {
        id: "created",
        label: "Created",
        width: 165,
        ...sortColumn("attributes.start_time"),
        cell: (r) => h("span", { title: formatRelative(r.info.start_time) }, formatTime(r.info.start_time)),
      },
      { id: "duration", label: "Duration", width: 90, cell: (r) => formatDuration(runDuration(r.info)) },
      {
        id: "status",
        label: "Status",
        width: 90,
        ...sortColumn("attributes.status"),
        cell: (r) => statusBadge(r.info.status),
      },
      {
        id: "user",
        label: "User",
        width: 90,
        ...sortColumn("attributes.user_id"),
        cell: (r) => r.info.user_id || r.tags.get("mlflow.user") || "",
      },
      {
        id: "source",
        label: "Source",
        width: 110,
        ...sortColumn("tags.`mlflow.source.name`"),
        cell: (r) => r.tags.get("mlflow.source.name") ?? "",
      },
      {
        id: "version",
        label: "Version",
        width: 80,
        className: "mono",
        cell: (r) => (r.tags.get("mlflow.source.git.commit") ?? "").slice(0, 7),
      },
    ];
    for (const key of chosenKeys("metrics")) {
      cols.push({
        id: `metric-${key}`,
        label: key,
        title: `metric ${key}`,
        width: 110,
        className: "num",
        ...sortColumn(`metrics.${quote(key)}`),
        cell: (r) => formatNumber(r.metrics.get(key)),
      });
    }
    for (const key of chosenKeys("params")) {
      cols.push({
        id: `param-${key}`,
        label: key,
        title: `param ${key}`,
        width: 120,
        ...sortColumn(`params.${quote(key)}`),
        cell: (r) => r.params.get(key) ?? "",
      });
    }
    for (const key of chosenKeys("tags")) {
      cols.push({
        id: `tag-${key}`,
        label: key,
        title: `tag ${key}`,
        width: 120,
        ...sortColumn(`tags.${quote(key)}`),
        cell: (r) => r.tags.get(key) ?? "",
      });
    }
    return cols;
  };

  const chosenKeys = (kind) => {
    if (chosen) return chosen[kind] ?? [];
    return kind === "tags" ? [] : [...known[kind]].sort().slice(0, 8);
  };

  const table = virtualTable({
    columns: columns(),
    testid: "runs-table",
    rowAttrs: (r) => ({ testid: "run-row", dataset: { runId: r.info.run_id } }),
    onNearEnd: () => {
      if (nextPageToken && !loading) void fetchPage();
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
      const sizes = [known.metrics.size, known.params.size, known.tags.size];
      for (const r of fresh) {
        for (const k of r.metrics.keys()) known.metrics.add(k);
        for (const k of r.params.keys()) known.params.add(k);
        for (const k of r.tags.keys()) if (!k.startsWith("mlflow.")) known.tags.add(k);
      }
      runs = reset ? fresh : runs.concat(fresh);
      nextPageToken = page.next_page_token;
      mount(errorSlot);
      if (reset || sizes.join() !== [known.metrics.size, known.params.size, known.tags.size].join()) {
        renderColumnsMenu();
        table.setColumns(columns());
      }
      table.setRows(runs, {
        keepScroll: !reset,
        emptyText: state.filter ? "No runs match the search" : "No runs",
      });
    } catch (error) {
      if (mine !== generation) return;
      runs = [];
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
      filterInput,
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
