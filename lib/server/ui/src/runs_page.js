// The experiment page (one experiment, or several from #/compare-experiments): the experiment list
// beside; MLflow-syntax search with time-created and datasets filters; a virtualized runs table (column
// chooser, resize / reorder / pin, sort, nested child runs, grouping, per-run colour, pin and hide, a
// cell preview pane) or the chart view; compare / rename / delete / restore of selected runs; CSV export;
// paging by page_token and auto-refresh of RUNNING runs. A child whose parent is not in the loaded pages
// gets it fetched (`attributes.run_id IN (…)`, any lifecycle, as MLflow's UI does): such parents are
// shown (row data-for-nesting="true") and start expanded; "N runs" counts only the search's runs.
import { apiPost } from "./api.js";
import { virtualTable } from "./virtual_table.js";
import { fetchParentRuns, markSearching, prepareRun } from "./runs_loading.js";
import { runningRunsPoller } from "./runs_refresh.js";
import { mountRunsLayout } from "./runs_layout.js";
import { attachAutocomplete } from "./search_suggest_box.js";
import { searchErrorBox } from "./search_hints.js";
import { runColumns } from "./runs_columns.js";
import { countOf, h, mount } from "./dom.js";
import { queryOf, runsSearchRequest, stateOf } from "./runs_query.js";
import { experimentHash } from "./routes.js";
import { columnPrefs, defaultColumns, moveColumn, shownColumns } from "./column_prefs.js";
import { columnChooser } from "./column_chooser.js";
import { onRunColorChange, runColor, runMarks, setRunColor } from "./run_marks.js";
import { cellPreview } from "./cell_preview.js";
import { chartView } from "./chart_view.js";
import { datasetsFilter, groupControls, startTimeSelect, viewToggle } from "./runs_toolbar.js";
import { experimentSidebar } from "./experiment_sidebar.js";
import { experimentHeader } from "./experiment_header.js";
import { plotDefaults, previewOf, runsPageState } from "./runs_page_state.js";
import { runActions } from "./runs_actions.js";
import { chartItemsOf, tableRows } from "./runs_rows.js";
import { markBusy, showPageError } from "./busy_button.js";

/** Renders the runs page of one or several experiments. */
export async function runsPage(container, route) {
  container.classList.add("page-runs");
  const experimentIds = route.params.experimentIds;
  const scope = experimentIds.join(",");
  const st = runsPageState(scope);
  let state = stateOf(route.query);
  let runs = []; // the search's runs, in order
  let parents = new Map(); // run id → run fetched only for nesting (not in `runs`)
  let asked = new Set(); // parent ids already fetched (found or not) since the last reset
  let nextPageToken;
  let loading = false;
  let pageFailed = false; // the last "Load more" failed: scrolling does not ask again, a click does
  let generation = 0;
  const selected = new Set();
  const expanded = new Set();
  const collapsedGroups = new Set();
  const prefs = columnPrefs(scope);
  const marks = runMarks(scope);
  const experimentNames = new Map();

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
  const previewButton = h("button", { testid: "preview-toggle", "aria-pressed": "false" }, "Preview");
  const errorSlot = h("div");
  const count = h("span", { class: "muted", testid: "runs-count" });
  const loadMore = h("button", { testid: "load-more", hidden: true }, "Load more");
  const preview = cellPreview();

  const go = (patch) => {
    location.hash = experimentHash(experimentIds, queryOf({ ...state, ...patch }));
  };
  const searchBox = attachAutocomplete(filterInput, () => ({ ...st.known, tags: st.allTagKeys }));
  filterInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.defaultPrevented) go({ filter: filterInput.value.trim() });
  });
  viewSelect.addEventListener("change", () => go({ deleted: viewSelect.value === "deleted" }));
  const timeSelect = startTimeSelect(state.startTime, (startTime) => go({ startTime }));
  const datasets = datasetsFilter({
    selected: state.datasets,
    known: () => st.datasetList(),
    onChange: (list) => go({ datasets: list }),
  });
  const modeToggle = viewToggle(state.mode, (mode) => go({ mode }));
  const grouping = groupControls({
    value: st.group,
    choices: () => st.groupChoices(),
    onChange: (value) => {
      st.setGroup(value);
      showRows({ keepScroll: true });
      charts?.refresh();
    },
  });

  const sortColumn = (orderKey) => ({
    sort: state.orderKey === orderKey ? (state.asc ? "ASC" : "DESC") : undefined,
    onSort: () => go({ orderKey, asc: state.orderKey === orderKey ? !state.asc : false }),
  });

  const selectAll = h("input", { type: "checkbox", testid: "select-all", title: "Select all loaded runs" });
  selectAll.addEventListener("change", () => {
    for (const r of runs) selectAll.checked ? selected.add(r.info.run_id) : selected.delete(r.info.run_id);
    actions.update();
    table.refresh();
  });

  const defaults = () => defaultColumns(runs, st.known, { experiments: experimentIds.length });
  const columns = () =>
    runColumns({
      selected,
      selectAll,
      sortColumn,
      shown: shownColumns(prefs, defaults()),
      prefs,
      marks,
      colorOf: runColor,
      repeated: st.repeatedNames(runs),
      experimentName: (id) => experimentNames.get(id) ?? id,
      onSelect: () => actions.update(),
      onToggle: (id) => toggle(id),
      onToggleGroup: (id) => {
        collapsedGroups.has(id) ? collapsedGroups.delete(id) : collapsedGroups.add(id);
        showRows({ keepScroll: true });
      },
      onMarks: () => {
        showRows({ keepScroll: true });
        charts?.refresh();
      },
      onColor: (id, color) => setRunColor(id, color),
    });
  const stopColors = onRunColorChange(() => {
    table.refresh();
    charts?.refresh();
  });

  const table = virtualTable({
    columns: columns(),
    testid: "runs-table",
    rowAttrs: (row) =>
      row.group ? { testid: "group-row", class: "vt-row group-row", dataset: { groupId: row.group.id } } : {
        testid: "run-row",
        dataset: {
          runId: row.run.info.run_id,
          depth: String(row.depth),
          ...(row.run.forNesting ? { forNesting: "true" } : {}),
          ...(marks.isPinned(row.run.info.run_id) ? { pinned: "true" } : {}),
        },
      },
    onNearEnd: () => {
      if (nextPageToken && !loading && !pageFailed) void fetchPage();
    },
    onRender: () => poller?.ensure(),
    onResize: (id, width) => {
      prefs.widths[id] = width;
      prefs.save();
    },
    onMove: (id, beforeId) => {
      prefs.shown = moveColumn(prefs.shown ?? defaults(), id, beforeId);
      prefs.save();
      table.setColumns(columns());
      chooser.refresh();
    },
    onCellClick: (row, column) => {
      if (preview.el.hidden) return;
      const p = previewOf(row, column, experimentNames);
      preview.show(p.title, p.subtitle, p.text);
    },
  });
  const chooser = columnChooser({
    known: () => st.known,
    prefs,
    defaults,
    onChange: () => table.setColumns(columns()),
  });
  previewButton.addEventListener("click", () => {
    preview.el.hidden = !preview.el.hidden;
    previewButton.setAttribute("aria-pressed", String(!preview.el.hidden));
    previewButton.classList.toggle("active", !preview.el.hidden);
  });

  const rowsCtx = () => ({
    runs,
    parents,
    isPinned: marks.isPinned,
    group: st.group,
    expanded,
    collapsedGroups,
    colorOf: runColor,
    repeated: st.repeatedNames(runs),
  });
  const emptyText = () => (state.filter ? "No runs match the search" : "No runs");
  const showRows = (options = {}) => {
    table.setColumns(columns());
    table.setRows(tableRows(rowsCtx()), { emptyText: emptyText(), ...options });
  };
  const toggle = (runId) => {
    expanded.has(runId) ? expanded.delete(runId) : expanded.add(runId);
    showRows({ keepScroll: true });
  };

  let charts;
  const chartSlot = h("div", { class: "chart-slot" });
  const tableSlot = h("div", { class: "table-with-preview" }, table.el, preview.el);
  const showMode = () => {
    modeToggle.set(state.mode);
    const chartMode = state.mode === "CHART";
    tableSlot.hidden = chartMode;
    chartSlot.hidden = !chartMode;
    chooser.el.hidden = chartMode;
    previewButton.hidden = chartMode;
    if (chartMode && !charts) {
      charts = chartView({
        scope,
        items: () => chartItemsOf(rowsCtx()),
        marks,
        metricKeys: () => st.known.metrics,
        paramKeys: () => st.known.params,
        steps: (key) => st.metricSteps.get(key) ?? 0,
        plot: () => plotDefaults(runs, st.known.metrics, st.known.params),
        valueOf: (item, choice) => st.valueOf(item, choice),
        aggregate: () => st.group.aggregate ?? "mean",
      });
      mount(chartSlot, charts.el);
    }
    if (chartMode) charts.refresh();
  };

  // Auto-refresh: while a run on screen is RUNNING, re-read the RUNNING ones on screen.
  const poller = runningRunsPoller({
    experimentIds,
    renderedRows: () => table.renderedRows(),
    ticket: () => {
      const mine = generation;
      return () => mine !== generation || loading;
    },
    loaded: () => runs,
    onChanged: (fresh) => {
      runs = runs.map((r) => fresh.get(r.info.run_id) ?? r);
      for (const id of parents.keys()) {
        if (fresh.has(id)) parents.set(id, Object.assign(fresh.get(id), { forNesting: true }));
      }
      st.learn([...fresh.values()]);
      showRows({ keepScroll: true });
      charts?.refresh();
    },
  });

  /** Adds the runs' keys to the known ones; new keys (or `force`) redraw the columns and menus. */
  function learnKeys(fresh, force) {
    if (st.learn(fresh) || force) {
      table.setColumns(columns());
      chooser.refresh();
      datasets.refresh();
      grouping.refresh();
    }
  }

  /** Fetches parents missing from the loaded pages (expanded, so children nest); a failure leaves them. */
  async function fetchParents(mine) {
    try {
      const found = await fetchParentRuns({
        runs,
        parents,
        asked,
        experimentIds,
        stale: () => mine !== generation,
      });
      if (!found?.length) return;
      for (const r of found) expanded.add(r.info.run_id);
      learnKeys(found, false);
      if (mine === generation) showRows({ keepScroll: true });
    } catch (error) {
      console.warn(`Could not fetch parent runs: ${error.message}`);
    }
  }

  const searchRequest = (pageToken, maxResults) =>
    runsSearchRequest(experimentIds, state, pageToken, maxResults);

  async function fetchPage(reset = false) {
    const mine = reset ? ++generation : generation;
    loading = true;
    markBusy(loadMore, true);
    if (reset) markSearching({ container, tableEl: table.el, count }, true);
    try {
      const page = await apiPost("runs/search", searchRequest(reset ? undefined : nextPageToken));
      if (mine !== generation) return;
      const fresh = (page.runs ?? []).map(prepareRun);
      if (reset) {
        parents = new Map();
        asked = new Set();
      }
      for (const r of fresh) parents.delete(r.info.run_id); // now loaded for real
      runs = reset ? fresh : runs.concat(fresh);
      nextPageToken = page.next_page_token;
      pageFailed = false;
      showPageError(loadMore);
      mount(errorSlot);
      learnKeys(fresh, reset);
      showRows({ keepScroll: !reset });
      charts?.refresh();
      await fetchParents(mine);
    } catch (error) {
      if (mine !== generation) return;
      if (!reset) {
        // The runs shown stay (and the page token): the error is said beside Load more, which retries.
        pageFailed = true;
        return void showPageError(loadMore, error);
      }
      pageFailed = false;
      showPageError(loadMore);
      runs = [];
      parents = new Map();
      nextPageToken = undefined;
      table.setRows([], { emptyText: "" });
      mount(errorSlot, searchErrorBox(error, state.filter, st.known));
    } finally {
      if (mine === generation) {
        loading = false;
        markSearching({ container, tableEl: table.el, count }, false);
        markBusy(loadMore, false);
        loadMore.hidden = !nextPageToken;
        count.textContent = nextPageToken ? `${runs.length}+ runs` : countOf(runs.length, "run");
        container.dataset.loaded = String(runs.length);
        container.dataset.parents = String(parents.size);
      }
    }
  }

  const actions = runActions({
    selected,
    runById: (id) => runs.find((r) => r.info.run_id === id) ?? parents.get(id),
    experimentIds,
    experimentName: (id) => experimentNames.get(id) ?? id,
    deleted: () => state.deleted,
    searchRequest,
    errorSlot,
    reload: () => fetchPage(true),
    selectionChanged: () => {
      selectAll.checked = false;
      table.refresh();
    },
    renamed: () => {
      showRows({ keepScroll: true });
      charts?.refresh();
    },
  });
  loadMore.addEventListener("click", () => fetchPage());

  const sidebar = experimentSidebar(experimentIds);
  mountRunsLayout(container, {
    sidebar,
    header: experimentHeader(experimentIds, (id, name) => {
      experimentNames.set(id, name);
      sidebar.setName(id, name);
      if (experimentIds.length > 1) table.refresh();
    }),
    modeToggle,
    searchBox,
    onSearch: () => go({ filter: filterInput.value.trim() }),
    onClear: () => go({ filter: "", startTime: "ALL", datasets: [] }),
    timeSelect,
    datasets,
    viewSelect,
    grouping,
    chooser,
    actions,
    previewButton,
    count,
    errorSlot,
    tableSlot,
    chartSlot,
    loadMore,
  });
  actions.update();
  showMode();
  await fetchPage(true);

  return {
    dispose: () => {
      poller.stop();
      stopColors();
      charts?.dispose();
    },
    update(next) {
      const before = state;
      state = stateOf(next.query);
      const onlyMode = queryOf({ ...before, mode: "TABLE" }) === queryOf({ ...state, mode: "TABLE" });
      showMode();
      if (onlyMode) return;
      filterInput.value = state.filter;
      viewSelect.value = state.deleted ? "deleted" : "active";
      timeSelect.value = state.startTime;
      datasets.set(state.datasets);
      selected.clear();
      selectAll.checked = false;
      actions.update();
      table.setColumns(columns());
      void fetchPage(true);
    },
  };
}
