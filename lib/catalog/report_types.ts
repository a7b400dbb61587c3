/** Registration of the reporting dataset types: Plotly figures and images (Kedro's starters use both). */
import { z } from "zod";
import { ImageDataset } from "./datasets/image_dataset.ts";
import { PlotlyDataset, PlotlyJsonDataset } from "./datasets/plotly_dataset.ts";
import { EXPRESS_TYPES, FIG_ARGS, type PlotlyArgs } from "./datasets/plotly_figure.ts";
import type { DatasetRegistry } from "./registry.ts";
import { fileDatasetOptions } from "./file_dataset.ts";

const file = {
  filepath: z.string().min(1),
  versioned: z.boolean().optional(),
  credentials: z.unknown().optional(),
};
// plotly.io.write_json / from_json arguments; `engine` picks a JSON library in plotly.py: no effect here.
const jsonSave = z.strictObject({
  pretty: z.boolean().optional(),
  remove_uids: z.boolean().optional(),
  engine: z.string().optional(),
});
const jsonLoad = z.strictObject({ engine: z.string().optional() });
const fig = z.strictObject(Object.fromEntries(FIG_ARGS.map((k) => [k, z.unknown().optional()])));

const SAVEFIG =
  "the node renders the image (size, resolution and margins are set there); kmlf saves its bytes; remove it";

/**
 * Registers `plotly` (plotly.PlotlyDataset), `plotly_json` (plotly.JSONDataset) and `image`
 * (matplotlib.MatplotlibDataset).
 *
 * @example
 * ```ts
 * registerReportTypes(registry);
 * ```
 */
export function registerReportTypes(registry: DatasetRegistry): void {
  registry.register(
    ["plotly_json", "PlotlyJSONDataset", "plotly.JSONDataset"],
    (args, ctx) => new PlotlyJsonDataset(fileDatasetOptions(args, ctx)),
    {
      schema: z.strictObject({ ...file, load_args: jsonLoad.optional(), save_args: jsonSave.optional() }),
      versionable: true,
      typeName: "PlotlyJSONDataset",
    },
  );
  registry.register(
    ["plotly", "PlotlyDataset", "plotly.PlotlyDataset"],
    (args, ctx) =>
      new PlotlyDataset({ ...fileDatasetOptions(args, ctx), plotlyArgs: args.plotly_args as PlotlyArgs }),
    {
      schema: z.strictObject({
        ...file,
        plotly_args: z.strictObject({
          type: z.enum(EXPRESS_TYPES),
          fig: fig.optional(),
          layout: z.record(z.string(), z.unknown()).optional(),
          theme: z.enum(["plotly", "plotly_white", "plotly_dark", "simple_white", "none"]).optional(),
        }),
        load_args: jsonLoad.optional(),
        save_args: jsonSave.optional(),
      }),
      versionable: true,
    },
  );
  registry.register(
    ["image", "ImageDataset", "matplotlib.MatplotlibDataset", "MatplotlibDataset"],
    (args, ctx) =>
      new ImageDataset({
        ...fileDatasetOptions(args, ctx),
        overwrite: args.overwrite as boolean | undefined,
      }),
    {
      schema: z.strictObject({
        ...file,
        overwrite: z.boolean().optional(),
        save_args: z.strictObject({
          format: z.enum(["png", "svg", "jpg", "jpeg", "gif", "webp", "pdf"]).optional(),
        })
          .optional(),
      }),
      versionable: true,
      typeName: "ImageDataset",
      argumentHints: Object.fromEntries(
        ["dpi", "bbox_inches", "transparent", "facecolor", "edgecolor", "pad_inches", "metadata"].map((k) => [
          `save_args.${k}`,
          SAVEFIG,
        ]),
      ),
    },
  );
}
