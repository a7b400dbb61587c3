/** The reporting dataset types: Plotly figures and images (Kedro's starters use both). */
import { z } from "../zod/mod.ts";
import { ImageDataset } from "./datasets/image_dataset.ts";
import { PlotlyDataset, PlotlyJsonDataset } from "./datasets/plotly_dataset.ts";
import { EXPRESS_TYPES, FIG_ARGS, type PlotlyArgs } from "./datasets/plotly_figure.ts";
import { fileOptions } from "./file_types.ts";
import type { DatasetTypeDefinition } from "./registry.ts";

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

/** `plotly_json` (plotly.JSONDataset): a figure as Plotly JSON. */
export const plotlyJsonType: DatasetTypeDefinition = {
  factory: (args, ctx) => new PlotlyJsonDataset(fileOptions(args, ctx)),
  schema: z.strictObject({ ...file, load_args: jsonLoad.optional(), save_args: jsonSave.optional() }),
  versionable: true,
};

/** `plotly` (plotly.PlotlyDataset): a Plotly Express figure made from rows. */
export const plotlyType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new PlotlyDataset({ ...fileOptions(args, ctx), plotlyArgs: args.plotly_args as PlotlyArgs }),
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
};

/** `image` (matplotlib.MatplotlibDataset): image bytes a node rendered. */
export const imageType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new ImageDataset({ ...fileOptions(args, ctx), overwrite: args.overwrite as boolean | undefined }),
  schema: z.strictObject({
    ...file,
    overwrite: z.boolean().optional(),
    save_args: z.strictObject({
      format: z.enum(["png", "svg", "jpg", "jpeg", "gif", "webp", "pdf"]).optional(),
    })
      .optional(),
  }),
  versionable: true,
  argumentHints: Object.fromEntries(
    ["dpi", "bbox_inches", "transparent", "facecolor", "edgecolor", "pad_inches", "metadata"].map((k) => [
      `save_args.${k}`,
      SAVEFIG,
    ]),
  ),
};
