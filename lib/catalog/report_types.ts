/** The reporting dataset types: Plotly figures and images (Kedro's starters use both). */
import { z } from "../zod/mod.ts";
import { ImageDataset } from "./datasets/image_dataset.ts";
import { PlotlyDataset, PlotlyJsonDataset } from "./datasets/plotly_dataset.ts";
import { EXPRESS_TYPES, FIG_ARGS, type PlotlyArgs } from "./datasets/plotly_figure.ts";
import { fileOptions } from "./file_types.ts";
import type { DatasetTypeDefinition } from "./registry.ts";
import { FS_ARGS_HINTS } from "./kedro_arguments.ts";

const file = {
  filepath: z.string().check(z.minLength(1)),
  versioned: z.optional(z.boolean()),
  credentials: z.optional(z.unknown()),
};
// plotly.io.write_json / from_json arguments; `engine` picks a JSON library in plotly.py: no effect here.
const jsonSave = z.strictObject({
  pretty: z.optional(z.boolean()),
  remove_uids: z.optional(z.boolean()),
  engine: z.optional(z.string()),
});
const jsonLoad = z.strictObject({ engine: z.optional(z.string()) });
const fig = z.strictObject(Object.fromEntries(FIG_ARGS.map((k) => [k, z.optional(z.unknown())])));

const SAVEFIG =
  "the node renders the image (size, resolution and margins are set there); kmlf saves its bytes; remove it";

/** `plotly_json` (plotly.JSONDataset): a figure as Plotly JSON. */
export const plotlyJsonType: DatasetTypeDefinition = {
  factory: (args, ctx) => new PlotlyJsonDataset(fileOptions(args, ctx)),
  schema: z.strictObject({ ...file, load_args: z.optional(jsonLoad), save_args: z.optional(jsonSave) }),
  versionable: true,
  argumentHints: FS_ARGS_HINTS,
};

/** `plotly` (plotly.PlotlyDataset): a Plotly Express figure made from rows. */
export const plotlyType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new PlotlyDataset({ ...fileOptions(args, ctx), plotlyArgs: args.plotly_args as PlotlyArgs }),
  schema: z.strictObject({
    ...file,
    plotly_args: z.strictObject({
      type: z.enum(EXPRESS_TYPES),
      fig: z.optional(fig),
      layout: z.optional(z.record(z.string(), z.unknown())),
      theme: z.optional(z.enum(["plotly", "plotly_white", "plotly_dark", "simple_white", "none"])),
    }),
    load_args: z.optional(jsonLoad),
    save_args: z.optional(jsonSave),
  }),
  versionable: true,
  argumentHints: FS_ARGS_HINTS,
};

/** `image` (matplotlib.MatplotlibDataset): image bytes a node rendered. */
export const imageType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new ImageDataset({ ...fileOptions(args, ctx), overwrite: args.overwrite as boolean | undefined }),
  schema: z.strictObject({
    ...file,
    overwrite: z.optional(z.boolean()),
    save_args: z.optional(z.strictObject({
      format: z.optional(z.enum(["png", "svg", "jpg", "jpeg", "gif", "webp", "pdf"])),
    })),
  }),
  versionable: true,
  argumentHints: {
    ...FS_ARGS_HINTS,
    ...Object.fromEntries(
      ["dpi", "bbox_inches", "transparent", "facecolor", "edgecolor", "pad_inches", "metadata"].map((k) => [
        `save_args.${k}`,
        SAVEFIG,
      ]),
    ),
  },
};
