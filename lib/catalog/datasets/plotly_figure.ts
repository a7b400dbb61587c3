/**
 * Plotly figures as plain JSON (`{data: [traces], layout}`), and the small part of plotly.express that
 * kedro-datasets' PlotlyDataset uses to build one from rows: one trace per `color` group, axis titles
 * from the column names, `layout` with plotly's magic underscores (`xaxis_title`).
 */
import { DatasetError } from "../../errors.ts";

/** A Plotly figure: what `plotly.io.to_json` writes and Plotly.js draws. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  frames?: unknown[];
}

/** `plotly_args` of PlotlyDataset, as in kedro-datasets. */
export interface PlotlyArgs {
  /** The plotly.express function: scatter, line, bar, area, histogram, box, violin, pie. */
  type: string;
  /** Its arguments: x, y, color, orientation, labels, title, names, values, nbins, barmode, text. */
  fig?: Record<string, unknown>;
  layout?: Record<string, unknown>;
  /** Template name: plotly (default), plotly_white, plotly_dark, simple_white, none. */
  theme?: string;
}

/** The plotly.express functions kmlf can build. */
export const EXPRESS_TYPES = ["scatter", "line", "bar", "area", "histogram", "box", "violin", "pie"] as const;
/** The `fig` arguments kmlf understands. */
export const FIG_ARGS = [
  "x",
  "y",
  "color",
  "orientation",
  "labels",
  "title",
  "names",
  "values",
  "nbins",
  "barmode",
  "text",
  "hover_name",
] as const;

const THEMES: Record<string, Record<string, unknown> | undefined> = {
  plotly: undefined,
  none: undefined,
  plotly_white: { layout: { plot_bgcolor: "white", paper_bgcolor: "white" } },
  simple_white: { layout: { plot_bgcolor: "white", paper_bgcolor: "white", xaxis: { showgrid: false } } },
  plotly_dark: {
    layout: { plot_bgcolor: "rgb(17,17,17)", paper_bgcolor: "rgb(17,17,17)", font: { color: "#f2f5fa" } },
  },
};

/**
 * Builds the figure `plotly.express.<type>(rows, **fig)` would, then applies `theme` and `layout`.
 *
 * @example
 * ```ts
 * figureFromRows([{ kind: "a", n: 2 }], { type: "bar", fig: { x: "kind", y: "n" } }); // { data: [{ type: "bar", … }], … }
 * ```
 */
export function figureFromRows(rows: readonly Record<string, unknown>[], args: PlotlyArgs): PlotlyFigure {
  const fig = args.fig ?? {};
  const labels = (fig.labels ?? {}) as Record<string, string>;
  const label = (column: unknown) => (typeof column === "string" ? labels[column] ?? column : undefined);
  const column = (name: unknown) => {
    if (name === undefined) return undefined;
    if (typeof name !== "string" || (rows.length > 0 && !(name in rows[0]))) {
      throw new DatasetError(
        "dataset/plotly-column",
        `plotly_args.fig names column ${JSON.stringify(name)}, which the data lacks`,
        {
          hint: `the data's columns: ${Object.keys(rows[0] ?? {}).join(", ")}`,
        },
      );
    }
    return (part: readonly Record<string, unknown>[]) => part.map((r) => r[name] ?? null);
  };
  const groups = groupBy(rows, fig.color as string | undefined);
  const traces = groups.map(([group, part]) => traceOf(args.type, fig, part, column, group));
  const layout: Record<string, unknown> = { legend: { tracegrouporder: "reversed" } };
  if (args.type !== "pie") {
    const [xTitle, yTitle] = args.type === "histogram" && fig.y === undefined
      ? [label(fig.x), "count"]
      : [label(fig.x), label(fig.y)];
    if (xTitle) layout.xaxis = { title: { text: xTitle } };
    if (yTitle) layout.yaxis = { title: { text: yTitle } };
  }
  if (fig.color !== undefined) layout.legend = { title: { text: label(fig.color) } };
  if (fig.barmode !== undefined) layout.barmode = fig.barmode;
  else if (args.type === "bar" || args.type === "histogram") layout.barmode = "relative";
  if (typeof fig.title === "string") layout.title = { text: fig.title };
  const theme = THEMES[args.theme ?? "plotly"];
  if (theme) layout.template = theme;
  return { data: traces, layout: mergeDeep(layout, expandLayout(args.layout ?? {})) };
}

function traceOf(
  type: string,
  fig: Record<string, unknown>,
  rows: readonly Record<string, unknown>[],
  column: (name: unknown) => ((part: readonly Record<string, unknown>[]) => unknown[]) | undefined,
  group: string | undefined,
): Record<string, unknown> {
  const values = (name: unknown) => column(name)?.(rows);
  const trace: Record<string, unknown> = { type: plotlyType(type) };
  if (group !== undefined) Object.assign(trace, { name: group, legendgroup: group, showlegend: true });
  if (type === "pie") return { ...trace, labels: values(fig.names), values: values(fig.values) };
  for (const axis of ["x", "y"] as const) {
    const data = values(fig[axis]);
    if (data !== undefined) trace[axis] = data;
  }
  if (fig.text !== undefined) trace.text = values(fig.text);
  if (fig.hover_name !== undefined) trace.hovertext = values(fig.hover_name);
  if (fig.orientation !== undefined) trace.orientation = fig.orientation;
  if (type === "line") trace.mode = "lines";
  if (type === "scatter") trace.mode = "markers";
  if (type === "area") Object.assign(trace, { mode: "lines", stackgroup: "1" });
  if (type === "histogram" && fig.nbins !== undefined) trace.nbinsx = fig.nbins;
  return trace;
}

function plotlyType(type: string): string {
  return type === "line" || type === "area" ? "scatter" : type;
}

function groupBy(
  rows: readonly Record<string, unknown>[],
  column: string | undefined,
): [string | undefined, Record<string, unknown>[]][] {
  if (column === undefined) return [[undefined, [...rows]]];
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const key = String(row[column] ?? "");
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(row);
  }
  return [...groups];
}

// Plotly's magic underscores: `xaxis_title_font_size: 12` → {xaxis: {title: {font: {size: 12}}}}; a
// string `title` anywhere means {text: …}.
const CONTAINERS =
  /^([xy]axis\d*|legend|title|font|margin|hoverlabel|coloraxis|colorbar|marker|line|grid|scene|polar|geo|mapbox|annotations|shapes)$/;

/**
 * Expands plotly's underscore shorthand in a layout mapping.
 *
 * @example
 * ```ts
 * expandLayout({ xaxis_title: "Shuttles", title: "Capacity" }); // { xaxis: { title: { text: "Shuttles" } }, title: { text: "Capacity" } }
 * ```
 */
export function expandLayout(layout: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(layout)) {
    const value = raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? expandLayout(raw as Record<string, unknown>)
      : raw;
    const parts = key.split("_");
    let used = 0;
    while (used < parts.length - 1 && CONTAINERS.test(parts[used])) used++;
    const path = used === 0 ? [key] : [...parts.slice(0, used), parts.slice(used).join("_")];
    const leaf = path.at(-1)!;
    let node: Record<string, unknown> = {
      [leaf]: leaf === "title" && typeof value === "string" ? { text: value } : value,
    };
    for (const part of path.slice(0, -1).reverse()) node = { [part]: node };
    out = mergeDeep(out, node);
  }
  return out;
}

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? mergeDeep(prev, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Throws unless `value` is a figure: an object whose `data` is an array of trace objects.
 *
 * @example
 * ```ts
 * checkFigure({ data: [{ type: "bar", x: [1], y: [2] }] }, "plotly.JSONDataset");
 * ```
 */
export function checkFigure(value: unknown, what: string): asserts value is PlotlyFigure {
  const figure = value as PlotlyFigure | null;
  const ok = isPlain(figure) && Array.isArray(figure.data) && figure.data.every(isPlain) &&
    (figure.layout === undefined || isPlain(figure.layout));
  if (!ok) {
    throw new DatasetError(
      "dataset/not-a-figure",
      `${what} saves a Plotly figure: {data: [traces], layout}`,
      {
        hint:
          "return an object like {data: [{type: 'bar', x: [...], y: [...]}], layout: {title: {text: '…'}}}",
      },
    );
  }
}
