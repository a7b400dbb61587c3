// The experiment's chart view (MLflow's "Chart" mode): every metric of the runs on show as a card, in
// sections by metric prefix, without selecting runs first. Runs shown: pinned ones, then the table's
// order up to "first N", hidden ones never; grouped runs are drawn as one series per group. Cards can be
// configured, removed and added; sections folded; all remembered per experiment page.
import { bulkMetricHistory } from "./api.js";
import { h, mount } from "./dom.js";
import { chartItems, chartLayout, defaultCards, LINE_DEFAULTS, MODEL_SECTION } from "./chart_layout.js";
import { chartCard } from "./chart_card.js";
import { formDialog } from "./editors.js";

/** Points per run fetched for a line chart (MLflow's chart view samples the same way). */
export const SAMPLED_POINTS = 320;
const MAX_CHOICES = [5, 10, 20, 50, 100, 1000];

function loadSaved(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/**
 * The chart view. ctx: {scope, items() → all runs or groups in table order ({id, label, color, runIds}),
 * marks ({isPinned, isHidden}), metricKeys(), paramKeys(), steps(key), plot() → {metric, params} for
 * the scatter and parallel cards, valueOf(item, choice),
 * aggregate()}. Returns {el, refresh(), dispose()}.
 */
export function chartView(ctx) {
  const storageKey = `kmlf.charts.${ctx.scope}`;
  const saved = loadSaved(storageKey);
  const save = () => {
    try {
      localStorage.setItem(storageKey, JSON.stringify(saved));
    } catch {
      // not remembered
    }
  };
  const maxSelect = h(
    "select",
    { testid: "chart-max-runs", title: "How many runs the charts draw (pinned runs always)" },
    MAX_CHOICES.map((n) => h("option", { value: String(n) }, `first ${n} runs`)),
  );
  maxSelect.value = String(MAX_CHOICES.includes(saved.maxRuns) ? saved.maxRuns : 10);
  maxSelect.addEventListener("change", () => {
    saved.maxRuns = Number(maxSelect.value);
    save();
    refreshItems();
  });
  const shownCount = h("span", { class: "muted", testid: "chart-runs-shown" });
  const sectionsEl = h("div", { class: "chart-sections", testid: "chart-view" });
  const addButton = h("button", { testid: "add-chart", onclick: () => addChart() }, "+ Add chart");
  const el = h(
    "div",
    { class: "chart-view" },
    h(
      "div",
      { class: "toolbar" },
      h("label", {}, "Show ", maxSelect),
      shownCount,
      h("span", { class: "spacer" }),
      addButton,
    ),
    sectionsEl,
  );

  // Histories are kept per metric and zoom range; a RUNNING run's are fetched again at each redraw (the
  // page's live refresh), finished runs' only once.
  const cache = new Map(); // `${metric}|${range}` → Map(runId → points)
  const histories = async (metric, runIds, range) => {
    const key = `${metric}|${range ? range.join(":") : ""}`;
    if (!cache.has(key)) cache.set(key, new Map());
    const known = cache.get(key);
    const running = new Set(items.filter((it) => it.run?.info.status === "RUNNING").map((it) => it.id));
    const missing = runIds.filter((id) => !known.has(id) || running.has(id));
    if (missing.length) {
      const fetched = await bulkMetricHistory(missing, metric, SAMPLED_POINTS, range);
      for (const [id, points] of fetched) known.set(id, points);
    }
    return known;
  };

  let items = [];
  let cards = [];
  const refreshItems = () => {
    const all = ctx.items();
    items = chartItems(all, { ...ctx.marks, max: Number(maxSelect.value) });
    // Say when the "first N" choice leaves runs out, so a capped chart is not taken for all of them.
    const visible = all.filter((it) => !ctx.marks.isHidden(it.id)).length;
    shownCount.textContent = `${items.length}${items.length < visible ? ` of ${visible}` : ""} ${
      items.some((it) => it.group) ? "groups" : "runs"
    } in the charts`;
    sectionsEl.dataset.items = items.map((it) => it.id).join(",");
    for (const c of cards) c.refresh();
  };

  const cardCtx = {
    items: () => items,
    histories,
    valueOf: ctx.valueOf,
    get aggregate() {
      return ctx.aggregate();
    },
    metricKeys: () => [...ctx.metricKeys()].sort(),
    paramKeys: () => [...ctx.paramKeys()].sort(),
    onChange: (id, patch) => {
      saved.cards ??= {};
      saved.cards[id] = { ...(saved.cards[id] ?? {}), ...patch };
      save();
    },
    onRemove: (id) => {
      saved.removed = [...new Set([...(saved.removed ?? []), id])];
      save();
      render();
    },
  };

  let layoutKey = "";
  const render = () => {
    for (const c of cards) c.dispose();
    cards = [];
    const defaults = defaultCards(ctx.metricKeys(), ctx.steps, ctx.plot());
    const { sections } = chartLayout(defaults, saved);
    layoutKey = defaults.map((c) => `${c.id}:${c.type}`).join(",");
    // Every chart plots a metric: with none logged yet a new card would chart "metric undefined".
    addButton.disabled = [...ctx.metricKeys()].length === 0;
    addButton.title = addButton.disabled ? "No metric logged by these runs yet" : "";
    if (sections.length === 0) {
      mount(sectionsEl, h("p", { class: "muted", testid: "no-charts" }, "No metrics to chart yet."));
      return;
    }
    mount(
      sectionsEl,
      sections.map((section) => {
        const grid = h("div", { class: "charts" });
        const head = h("button", {
          class: "section-toggle",
          testid: "section-toggle",
          "aria-expanded": String(!section.folded),
        }, `${section.folded ? "▸" : "▾"} ${section.title} (${section.cards.length})`);
        head.addEventListener("click", () => {
          saved.folded = { ...(saved.folded ?? {}), [section.name]: !section.folded };
          save();
          render();
        });
        if (!section.folded) {
          for (const card of section.cards) {
            const c = chartCard(card, cardCtx);
            cards.push(c);
            grid.append(c.el);
          }
        }
        return h(
          "section",
          { class: "chart-section", testid: "chart-section", dataset: { section: section.name } },
          head,
          section.folded ? null : grid,
        );
      }),
    );
  };

  const addChart = async () => {
    const metricKeys = [...ctx.metricKeys()].sort();
    const params = [...ctx.paramKeys()].sort();
    const choice = (options, testid) =>
      h("select", { testid }, options.map(([value, label]) => h("option", { value }, label)));
    const answer = await formDialog({
      title: "Add chart",
      okText: "Add",
      testid: "add-chart-dialog",
      fields: [
        {
          name: "type",
          label: "Type",
          control: choice(
            [["line", "Line (metric history)"], ["bar", "Bar (last values)"], ["scatter", "Scatter"], [
              "parallel",
              "Parallel coordinates",
            ]],
            "add-chart-type",
          ),
        },
        {
          name: "metric",
          label: "Metric",
          control: choice(metricKeys.map((k) => [k, k]), "add-chart-metric"),
        },
      ],
    });
    const metric = answer?.metric || metricKeys[0];
    if (!answer || !metric) return;
    const card = {
      id: `custom:${Date.now().toString(36)}`,
      type: answer.type,
      section: MODEL_SECTION,
      metrics: metric ? [metric] : [],
      ...LINE_DEFAULTS,
      x: params[0] ? `param:${params[0]}` : `metric:${metric}`,
      y: `metric:${metric}`,
      dims: [...params.slice(0, 4).map((k) => `param:${k}`), `metric:${metric}`],
    };
    saved.custom = [...(saved.custom ?? []), card];
    save();
    render();
    refreshItems();
  };

  render();
  refreshItems();
  return {
    el,
    /** New runs, marks or grouping: redraw the cards with the runs now on show (new metrics: new cards). */
    refresh() {
      const defaults = defaultCards(ctx.metricKeys(), ctx.steps, ctx.plot());
      if (defaults.map((c) => `${c.id}:${c.type}`).join(",") !== layoutKey) render();
      refreshItems();
    },
    dispose: () => cards.forEach((c) => c.dispose()),
  };
}
