// Run page: overview (metadata, description, params, metrics, tags), metric charts, artifacts, pipeline
// views. The overview lists the model versions registered from the run. Tabs follow MLflow's routes:
// …/runs/<id>, …/model-metrics, …/system-metrics, …/artifacts/<path>; plus …/pipeline.
// The name, the markdown description (tag mlflow.note.content) and the tags are edited in place through
// runs/update, runs/set-tag and runs/delete-tag, as MLflow's UI does. While the run is RUNNING it is
// re-read every few seconds and the status and overview follow.
import { apiPost, forgetRun, getExperiment, getRun } from "./api.js";
import {
  errorBox,
  formatDuration,
  formatTime,
  h,
  metricValue,
  mount,
  runDuration,
  runLabel,
  statusBadge,
  toMap,
  valueText,
} from "./dom.js";
import { metricsTab } from "./metrics_tab.js";
import { isSystemMetric } from "./chart_layout.js";
import { artifactBrowser } from "./artifacts.js";
import { pipelineTab } from "./pipeline_views.js";
import { createPoller } from "./poller.js";
import { loggedModelsSection } from "./logged_models.js";
import { registerModelButton } from "./register_model.js";
import { registeredModelsCell } from "./run_registered_models.js";
import { deletedNotice, descriptionEditor, editableTitle, isEditing, tagEditor } from "./editors.js";
import { NOTE_TAG } from "./experiment_header.js";
import { fillChildRuns } from "./run_children.js";
import { shellCommand } from "./shell_words.js";

/** MLflow's MAX_TAG_VAL_LENGTH: the server cuts a longer run tag (a description is one) to this length. */
const RUN_TAG_MAX_CHARS = 8000;

const TABS = [
  ["overview", "Overview"],
  ["model-metrics", "Model metrics"],
  ["system-metrics", "System metrics"],
  ["artifacts", "Artifacts"],
  ["pipeline", "Pipeline"],
];

/** Renders one run. */
export async function runPage(container, route) {
  const { experimentId, runId } = route.params;
  let run = await getRun(runId);
  const base = `#/experiments/${encodeURIComponent(run.info.experiment_id ?? experimentId)}/runs/${runId}`;
  let tags = toMap(run.data?.tags);
  const statusSlot = h("span", {}, statusBadge(run.info.status));
  const expLink = h(
    "a",
    { href: `#/experiments/${encodeURIComponent(run.info.experiment_id)}` },
    run.info.experiment_id,
  );
  getExperiment(run.info.experiment_id).then((e) => (expLink.textContent = e.name), () => {});
  document.title = `${runLabel(run)} · kmlf`;

  const tabBar = h("div", { class: "tabs", role: "tablist" });
  const panel = h("div", { class: "tab-panel" });
  const panes = new Map();
  let artifacts;
  // Shared by every redraw of the overview, and refreshed when a model is registered from this page.
  const registered = registeredModelsCell(runId);

  const show = (r) => {
    const tab = TABS.some(([id]) => id === r.params.tab) ? r.params.tab : "overview";
    mount(
      tabBar,
      TABS.map(([id, label]) =>
        h("a", {
          href: id === "overview" ? base : `${base}/${id}`,
          role: "tab",
          class: id === tab ? "tab active" : "tab",
          testid: `tab-${id}`,
          "aria-selected": String(id === tab),
        }, label)
      ),
    );
    // A link to one metric (…/model-metrics?metric=k) gets its own pane with that metric selected.
    const paneKey = tab.endsWith("-metrics") && r.query.get("metric")
      ? `${tab}?${r.query.get("metric")}`
      : tab;
    if (!panes.has(paneKey)) {
      const pane = h("div", { testid: `pane-${tab}` });
      panes.set(paneKey, pane);
      if (tab === "overview") overview(pane, run, tags, base, registered.el);
      if (tab.endsWith("-metrics")) {
        void metricsTab(pane, run, r.query.get("metric"), tab === "system-metrics");
      }
      if (tab === "artifacts") {
        artifacts = artifactBrowser(run, r.params.artifactPath, (path) => {
          const target = `${base}/artifacts${
            path ? "/" + path.split("/").map(encodeURIComponent).join("/") : ""
          }`;
          if (location.hash !== target) history.replaceState(null, "", target);
        });
        pane.append(artifacts.el);
      }
      if (tab === "pipeline") void pipelineTab(pane, run);
    } else if (tab === "artifacts" && r.params.artifactPath) {
      artifacts?.open(r.params.artifactPath);
    } else if (tab === "overview") {
      void registered.refresh(); // a model may have been registered from the artifact browser meanwhile
    }
    mount(panel, panes.get(paneKey));
  };

  const lifecycleButton = run.info.lifecycle_stage === "deleted"
    ? h("button", { testid: "restore-run", onclick: () => act("runs/restore") }, "Restore")
    : h(
      "button",
      { testid: "delete-run", onclick: () => confirm("Delete this run?") && act("runs/delete") },
      "Delete",
    );
  const actionErrors = h("div");
  const act = async (endpoint) => {
    mount(actionErrors);
    try {
      await apiPost(endpoint, { run_id: runId });
    } catch (error) {
      // Said on the page: a refused or lost request must not look like a button that does nothing.
      return void mount(actionErrors, errorBox(error.message ?? String(error), "run-action-error"));
    }
    forgetRun(runId);
    location.hash = `#/experiments/${encodeURIComponent(run.info.experiment_id)}`;
  };

  const register = registerModelButton(run, { onRegistered: () => registered.refresh() });
  // The server refuses to rename, describe or tag a deleted run (as MLflow's): say so instead of offering it.
  const deleted = run.info.lifecycle_stage === "deleted";
  mount(
    container,
    h("nav", { class: "crumbs" }, h("a", { href: "#/experiments" }, "Experiments"), " / ", expLink, " / "),
    h(
      "div",
      { class: "title-row" },
      editableTitle({
        text: runLabel(run),
        testid: "run-name",
        readOnly: deleted,
        onSave: async (name) => {
          const answer = await apiPost("runs/update", { run_id: runId, run_name: name });
          run.info.run_name = answer.run_info?.run_name ?? name;
          forgetRun(runId);
          document.title = `${run.info.run_name} · kmlf`;
        },
      }),
      statusSlot,
      deleted ? h("span", { class: "badge deleted" }, "deleted") : null,
      h("span", { class: "spacer" }),
      register.button,
      lifecycleButton,
    ),
    deleted
      ? deletedNotice(
        "run",
        "with the Restore button above",
        shellCommand(["kmlf", "runs", "restore", "--run-id", runId]),
      )
      : null,
    actionErrors,
    register.panel,
    tabBar,
    panel,
  );
  show(route);

  const poller = createPoller({
    wanted: () => run.info.status === "RUNNING",
    tick: async () => {
      const fresh = await getRun(runId, { fresh: true });
      if (JSON.stringify(fresh) === JSON.stringify(run)) return;
      mount(statusSlot, statusBadge(fresh.info.status));
      const pane = panes.get("overview");
      // A redraw would drop a description or tag being typed: the next tick redraws once it is saved.
      if (pane && isEditing(pane)) return;
      run = fresh;
      tags = toMap(run.data?.tags);
      if (pane) {
        const filter = pane.querySelector("[data-testid=params-filter]")?.value ?? "";
        overview(pane, run, tags, base, registered.el);
        const box = pane.querySelector("[data-testid=params-filter]");
        if (box && filter) (box.value = filter), box.dispatchEvent(new Event("input"));
      }
    },
  });
  poller.ensure();
  return { update: show, dispose: () => poller.stop() };
}

function kvTable(rows, testid, headers = ["Name", "Value"]) {
  return h(
    "table",
    { class: "grid-table kv", testid },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c))))),
  );
}

function overview(pane, run, tags, base, registeredModels) {
  const info = run.info;
  const dirty = tags.get("kmlf.git.dirty") ?? tags.get("mlflow.source.git.dirty");
  const commit = tags.get("mlflow.source.git.commit");
  const parent = tags.get("mlflow.parentRunId");
  const children = h("span", { testid: "child-runs" }, "…");
  const rows = [
    ["Run ID", h("span", { class: "mono", testid: "run-id" }, info.run_id)],
    ["Status", statusBadge(info.status)],
    ["Start time", formatTime(info.start_time)],
    ["End time", formatTime(info.end_time)],
    ["Duration", formatDuration(runDuration(info))],
    ["User", info.user_id || tags.get("mlflow.user") || ""],
    ["Source", tags.get("mlflow.source.name") ?? ""],
    ["Command", h("code", { testid: "kmlf-command" }, tags.get("kmlf_command") ?? "—")],
    [
      "Git commit",
      commit
        ? h(
          "span",
          { testid: "git-commit" },
          h("code", {}, commit),
          tags.get("mlflow.source.git.branch") ? ` on ${tags.get("mlflow.source.git.branch")}` : "",
          dirty === "true"
            ? h("span", {
              class: "badge warn",
              testid: "git-dirty",
              title: tags.get("kmlf.git.changed_files") ?? "",
            }, "dirty")
            : dirty === "false"
            ? h("span", { class: "badge ok" }, "clean")
            : "",
        )
        : "—",
    ],
    [
      "Parent run",
      parent
        ? h("a", {
          href: `#/experiments/${encodeURIComponent(info.experiment_id)}/runs/${encodeURIComponent(parent)}`,
          testid: "parent-run",
        }, parent)
        : "—",
    ],
    ["Child runs", children],
    ["Registered models", registeredModels],
    ["Lifecycle", info.lifecycle_stage],
    ["Artifact URI", h("span", { class: "mono" }, info.artifact_uri ?? "")],
  ];
  if (tags.get("kmlf.error")) {
    rows.push([
      "Error",
      h(
        "pre",
        { class: "error-text", testid: "run-error" },
        (tags.get("kmlf.failed_node") ? `node ${tags.get("kmlf.failed_node")}: ` : "") +
          tags.get("kmlf.error"),
      ),
    ]);
  }
  const note = tags.get(NOTE_TAG);
  const metrics = [...(run.data?.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const params = [...(run.data?.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const allTags = [...(run.data?.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  // The heading counts the tags the editor lists: MLflow's own (mlflow.*) are apart, below it.
  const systemTags = allTags.filter((t) => t.key.startsWith("mlflow."));
  const userTagKeys = new Set(allTags.filter((t) => !t.key.startsWith("mlflow.")).map((t) => t.key));
  const tagsHeading = h("h2", { testid: "tags-heading" });
  const countTags = () => (tagsHeading.textContent = `Tags (${userTagKeys.size})`);
  countTags();
  const paramFilter = h("input", {
    type: "search",
    class: "search",
    placeholder: "Filter params",
    testid: "params-filter",
  });
  const paramBox = h("div");
  const renderParams = () => {
    const needle = paramFilter.value.toLowerCase();
    const shown = params.filter((p) =>
      p.key.toLowerCase().includes(needle) || String(p.value).toLowerCase().includes(needle)
    );
    mount(
      paramBox,
      kvTable(shown.map((p) => [p.key, valueText(p.value)]), "params-table"),
    );
  };
  paramFilter.addEventListener("input", renderParams);
  renderParams();
  mount(
    pane,
    kvTable(rows, "run-overview", ["Field", "Value"]),
    descriptionEditor({
      value: note ?? "",
      testid: "run-description",
      maxChars: RUN_TAG_MAX_CHARS,
      readOnly: info.lifecycle_stage === "deleted",
      onSave: async (text) => {
        await apiPost("runs/set-tag", { run_id: info.run_id, key: NOTE_TAG, value: text });
        forgetRun(info.run_id);
      },
    }),
    h("section", {}, h("h2", {}, `Parameters (${params.length})`), paramFilter, paramBox),
    h(
      "section",
      {},
      h("h2", {}, `Metrics (${metrics.length})`),
      kvTable(
        metrics.map((
          m,
        ) => [
          h(
            "a",
            {
              href: `${base}/${isSystemMetric(m.key) ? "system" : "model"}-metrics?metric=${
                encodeURIComponent(m.key)
              }`,
              testid: "metric-link",
            },
            m.key,
          ),
          metricValue(m.value),
          String(m.step ?? 0),
          formatTime(m.timestamp),
        ]),
        "metrics-table",
        ["Name", "Latest value", "Step", "Time"],
      ),
    ),
    h(
      "section",
      {},
      tagsHeading,
      tagEditor({
        tags: allTags,
        testid: "tags-table",
        maxChars: RUN_TAG_MAX_CHARS,
        readOnly: info.lifecycle_stage === "deleted",
        onSet: async (key, value) => {
          await apiPost("runs/set-tag", { run_id: info.run_id, key, value });
          forgetRun(info.run_id);
          userTagKeys.add(key);
          countTags();
        },
        onDelete: async (key) => {
          await apiPost("runs/delete-tag", { run_id: info.run_id, key });
          forgetRun(info.run_id);
          userTagKeys.delete(key);
          countTags();
        },
      }),
      h(
        "details",
        {},
        h("summary", {}, `System tags (mlflow.*): ${systemTags.length}`),
        kvTable(
          systemTags.map((t) => [t.key, valueText(t.value)]),
          "system-tags-table",
        ),
      ),
    ),
  );
  loggedModelsSection(pane, run, tags);
  void fillChildRuns(children, info);
}
