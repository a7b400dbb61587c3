/** kedro-datasets' plotly.JSONDataset and plotly.PlotlyDataset: Plotly figures stored as JSON. */
import { DatasetError } from "../../errors.ts";
import { clonePlain } from "../../plain_copy.ts";
import { FileDataset, type FileDatasetOptions } from "../file_dataset.ts";
import { assertRows } from "../save_checks.ts";
import { checkFigure, figureFromRows, type PlotlyArgs, type PlotlyFigure } from "./plotly_figure.ts";

/**
 * A Plotly figure (`{data, layout}`) in a JSON file, as `plotly.io.write_json` writes it; the web UI
 * and Plotly.js read it as is. `save_args.pretty: true` indents it; `remove_uids` drops trace uids.
 *
 * @example
 * ```ts
 * const ds = new PlotlyJsonDataset({ filepath: "/tmp/fig.json" });
 * await ds.save({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} });
 * ```
 */
export class PlotlyJsonDataset extends FileDataset<PlotlyFigure> {
  protected decode(bytes: Uint8Array, path: string): PlotlyFigure {
    let figure: unknown;
    try {
      figure = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-json",
        `File ${path} is not valid JSON: ${(error as Error).message}`,
        {
          hint: "point filepath at a Plotly figure saved as JSON",
        },
      );
    }
    checkFigure(figure, `The file ${path}`);
    return figure;
  }

  protected encode(figure: PlotlyFigure): string {
    checkFigure(figure, this.constructor.name);
    const out = this.saveArgs.remove_uids === false ? figure : withoutUids(figure);
    return JSON.stringify(out, null, this.saveArgs.pretty ? 2 : undefined) + "\n";
  }
}

/** Options of {@link PlotlyDataset}. */
export interface PlotlyDatasetOptions extends FileDatasetOptions {
  plotlyArgs: PlotlyArgs;
}

/**
 * Kedro's `plotly.PlotlyDataset`: saving rows builds a figure the way `plotly.express.<type>` does
 * from `plotly_args` (`type`, `fig`, `layout`, `theme`); loading returns the figure.
 *
 * @example
 * ```ts
 * const ds = new PlotlyDataset({ filepath: "/tmp/bar.json", plotlyArgs: { type: "bar", fig: { x: "k", y: "n" } } });
 * await ds.save([{ k: "a", n: 1 }]);
 * ```
 */
export class PlotlyDataset extends PlotlyJsonDataset {
  readonly plotlyArgs: PlotlyArgs;

  constructor(options: PlotlyDatasetOptions) {
    super(options);
    this.plotlyArgs = options.plotlyArgs;
  }

  override async save(data: PlotlyFigure | Record<string, unknown>[]): Promise<void> {
    assertRows(
      data,
      "PlotlyDataset saves an array of row objects to plot",
      "return rows from the node (or save a ready figure through a plotly.JSONDataset)",
    );
    await super.save(figureFromRows(data, this.plotlyArgs));
  }

  override describe(): Record<string, unknown> {
    return { ...super.describe(), plotly_args: clonePlain(this.plotlyArgs) };
  }
}

function withoutUids(figure: PlotlyFigure): PlotlyFigure {
  return { ...figure, data: figure.data.map(({ uid: _, ...trace }) => trace) };
}
