// One card of the chart view: its chart (line, bar, scatter or parallel coordinates over the runs or
// groups on show), drawn when it scrolls into sight; a header with settings (⚙), fullscreen (⤢),
// PNG / SVG / CSV export and remove (✕). Zooming a step chart fetches that step range again, so the
// zoomed curve has full detail.
import { errorBox, h, mount, toNumber } from "./dom.js";
import { aggregateByStep } from "./chart_math.js";
import { lineChart, metricChart } from "./charts.js";
import { barChart } from "./bar_chart.js";
import { scatterPlot } from "./scatter.js";
import { parallelPlot } from "./parallel.js";
import { cardSettings } from "./chart_settings.js";
import { exportButtons } from "./chart_export.js";

/** A card's title: its metrics, or what it plots. */
export function cardTitle(card) {
  if (card.title) return card.title;
  if (card.type === "scatter") return `${card.y.replace(":", " ")} vs ${card.x.replace(":", " ")}`;
  if (card.type === "parallel") return "Parallel coordinates";
  return card.metrics.join(", ");
}

/**
 * Builds the chart of `card` for the chart items (runs or groups `{id, label, color, runIds}`).
 * ctx: {histories(metric, runIds, range?), valueOf(item, choice), aggregate, metricKeys, paramKeys}.
 */
async function buildChart(card, items, ctx, { height, range, onZoom }) {
  const testid = `chart-${card.type}`;
  if (card.type === "line") {
    const multi = card.metrics.length > 1;
    const series = [];
    for (const metric of card.metrics) {
      const runIds = items.flatMap((it) => it.runIds);
      const byRun = await ctx.histories(metric, runIds, card.xAxis === "step" ? range : undefined);
      for (const it of items) {
        const lists = it.runIds.map((id) => byRun.get(id) ?? []).filter((l) => l.length);
        if (lists.length === 0) continue;
        const grouped = it.runIds.length > 1 || it.group;
        series.push({
          label: multi ? `${it.label} · ${metric}` : it.label,
          color: multi ? undefined : it.color,
          points: grouped ? aggregateByStep(lists, ctx.aggregate) : lists[0],
          band: Boolean(grouped),
        });
      }
    }
    const options = {
      xType: card.xAxis,
      yLog: card.yLog,
      smoothing: card.smoothing,
      points: card.points,
      ignoreOutliers: card.ignoreOutliers,
      xRange: range,
      onZoom,
      height,
      testid,
      title: cardTitle(card),
    };
    return series.length && series.every((s) => s.points.length <= 1)
      ? metricChart(series, options)
      : lineChart(series, options);
  }
  if (card.type === "bar") {
    const metric = card.metrics[0];
    // Runs without the metric get no row (as in MLflow); NaN and ±Infinity keep theirs.
    const bars = items.map((it) => ({ it, v: ctx.valueOf(it, `metric:${metric}`) })).filter(({ v }) =>
      v !== undefined
    );
    return barChart(bars.map(({ it, v }) => ({ label: it.label, color: it.color, value: toNumber(v) })), {
      testid,
      title: metric,
    });
  }
  if (card.type === "scatter") {
    const svg = scatterPlot(
      items.map((it) => ({
        x: ctx.valueOf(it, card.x),
        y: ctx.valueOf(it, card.y),
        label: it.label,
        color: it.color,
      })),
      {
        xLabel: card.x.replace(":", " "),
        yLabel: card.y.replace(":", " "),
        testid: "scatter-plot",
        height: height ?? 300,
      },
    );
    return svgChart(svg, testid, () => [
      ["series", card.x, card.y],
      ...items.map((it) => [it.label, ctx.valueOf(it, card.x), ctx.valueOf(it, card.y)]),
    ]);
  }
  const dims = (card.dims ?? []).map((id) => ({
    label: id.replace(":", " "),
    values: items.map((it) => ctx.valueOf(it, id)),
  }));
  if (dims.length === 0) return h("p", { class: "muted" }, "Choose axes in the settings (⚙).");
  const svg = parallelPlot(dims, items.map((it) => it.label), {
    colors: items.map((it) => it.color),
    height: height ?? 340,
  });
  return svgChart(svg, testid, () => [
    ["series", ...(card.dims ?? [])],
    ...items.map((it) => [it.label, ...(card.dims ?? []).map((id) => ctx.valueOf(it, id))]),
  ]);
}

/** Wraps an SVG plot with the chart interface (toSvg, csvRows). */
function svgChart(svg, testid, csvRows) {
  const root = h("div", { class: "chart svg-scroll-x", testid }, svg);
  root.toSvg = () => svg;
  root.csvRows = csvRows;
  root.redraw = () => {};
  return root;
}

/**
 * A card element for `card`. `ctx.items()` gives the runs or groups on show; `ctx.onChange(id, patch)`
 * saves a setting, `ctx.onRemove(id)` drops the card. Returns {el, refresh()}.
 */
export function chartCard(card, ctx) {
  const body = h("div", { class: "card-body" }, h("p", { class: "muted" }, "…"));
  const settingsSlot = h("div", { hidden: true });
  let chart;
  let range;
  let visible = false;
  let generation = 0;
  const title = h("h3", { title: cardTitle(card) }, cardTitle(card));
  const el = h(
    "div",
    { class: "chart-card", testid: "chart-card", dataset: { card: card.id, type: card.type } },
    h(
      "div",
      { class: "card-head" },
      title,
      h("span", { class: "spacer" }),
      h("button", {
        class: "icon",
        testid: "card-settings-toggle",
        title: "Settings",
        onclick: () => toggleSettings(),
      }, "⚙"),
      h("button", {
        class: "icon",
        testid: "card-fullscreen",
        title: "Fullscreen",
        onclick: () => fullscreen(),
      }, "⤢"),
      exportButtons(() => chart, () => cardTitle(card)),
      h("button", {
        class: "icon",
        testid: "card-remove",
        title: "Remove this chart",
        onclick: () => ctx.onRemove(card.id),
      }, "✕"),
    ),
    settingsSlot,
    body,
  );

  const draw = async () => {
    const mine = ++generation;
    el.dataset.busy = "true"; // tests wait for the chart that follows a zoom or a setting
    try {
      const built = await buildChart(card, ctx.items(), ctx, {
        range,
        onZoom: (r) => {
          range = r;
          if (card.type === "line" && card.xAxis === "step") void draw();
        },
      });
      if (mine !== generation) return;
      chart = built;
      mount(body, built);
      el.dataset.drawn = "true";
    } catch (error) {
      if (mine === generation) mount(body, errorBox(error.message, "chart-error"));
    } finally {
      if (mine === generation) delete el.dataset.busy;
    }
  };
  const toggleSettings = () => {
    settingsSlot.hidden = !settingsSlot.hidden;
    if (!settingsSlot.hidden) {
      mount(
        settingsSlot,
        cardSettings(card, { metricKeys: ctx.metricKeys(), paramKeys: ctx.paramKeys() }, (patch) => {
          Object.assign(card, patch);
          title.textContent = cardTitle(card);
          ctx.onChange(card.id, patch);
          range = undefined;
          void draw();
        }),
      );
    }
  };
  const fullscreen = async () => {
    const slot = h("div", { class: "fullscreen-body" }, h("p", { class: "muted" }, "…"));
    let big;
    const dialog = h(
      "dialog",
      { class: "dialog fullscreen", testid: "chart-fullscreen" },
      h(
        "div",
        { class: "card-head" },
        h("h2", {}, cardTitle(card)),
        h("span", { class: "spacer" }),
        exportButtons(() => big, () => cardTitle(card)),
        h("button", { testid: "fullscreen-close", onclick: () => dialog.close() }, "Close"),
      ),
      slot,
    );
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    try {
      big = await buildChart(card, ctx.items(), ctx, { height: Math.round(innerHeight * 0.7), range });
      mount(slot, big);
    } catch (error) {
      mount(slot, errorBox(error.message, "chart-error"));
    }
  };

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && !visible) {
      visible = true;
      void draw();
    }
  }, { rootMargin: "200px" });
  observer.observe(el);
  return {
    el,
    /** Redraws with the current items (only once it has been on screen). */
    refresh: () => visible && draw(),
    dispose: () => observer.disconnect(),
  };
}
