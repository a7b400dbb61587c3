/** Images a node rendered (SVG text, PNG/JPEG/GIF/WebP/PDF bytes): kmlf's MatplotlibDataset. */
import { extname, join } from "../../path.ts";
import { DatasetError } from "../../errors.ts";
import { atomicWrite, pathExists } from "../atomic.ts";
import { FileDataset, type FileDatasetOptions } from "../file_dataset.ts";
import { promised } from "../../promised.ts";

/** One image: SVG markup, encoded bytes, or a DOM element whose `outerHTML` is an `<svg>`. */
export type Image = string | Uint8Array | ArrayBuffer | { outerHTML: string };
/** What the dataset saves: one image, a list (`0.png`, `1.svg`, …) or `{file name: image}`. */
export type Images = Image | Image[] | Record<string, Image>;

const FORMATS = ["png", "svg", "jpg", "jpeg", "gif", "webp", "pdf"] as const;
/** Image formats the dataset recognises. */
export type ImageFormat = typeof FORMATS[number];

/** Options of {@link ImageDataset}: a file dataset plus `overwrite` for lists and mappings of images. */
export interface ImageDatasetOptions extends FileDatasetOptions {
  /** Remove the folder's old files before saving a list or mapping (ignored when versioned). */
  overwrite?: boolean;
}

/**
 * Kedro's `matplotlib.MatplotlibDataset` for TypeScript nodes: saves the image a node produced. The
 * file extension (or `save_args.format`) must match what the node returned: an SVG string for `.svg`,
 * PNG bytes for `.png`, … A list saves `<filepath>/0.<ext>, 1.<ext>, …`, an object one file per key.
 * Load returns the SVG text or the bytes of a single image.
 *
 * @example
 * ```ts
 * const ds = new ImageDataset({ filepath: "/tmp/plot.svg" });
 * await ds.save('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
 * ```
 */
export class ImageDataset extends FileDataset<Images> {
  readonly overwrite: boolean;

  constructor(options: ImageDatasetOptions) {
    super(options);
    this.overwrite = options.overwrite ?? false;
  }

  protected decode(bytes: Uint8Array): Images {
    return formatOf(bytes) === "svg" ? new TextDecoder().decode(bytes) : bytes;
  }

  protected encode(data: Images): Uint8Array {
    return encodeImage(data as Image, this.expected(this.filepath), "the node's result");
  }

  override async save(data: Images): Promise<void> {
    if (!Array.isArray(data) && !isImageMap(data)) return await super.save(data);
    const files: [string, Uint8Array][] = Array.isArray(data)
      ? data.map((image, i) => {
        const bytes = encodeImage(image, this.saveArgs.format as ImageFormat | undefined, `image ${i}`);
        return [`${i}.${formatOf(bytes)}`, bytes];
      })
      : Object.entries(data).map(([name, image]) => {
        if (name === "" || name.split(/[\\/]/).some((p) => p === ".." || p === "") || name.startsWith("/")) {
          throw new DatasetError(
            "dataset/bad-image-name",
            `Image name "${name}" is not a relative file name`,
            {
              hint: "use keys like confusion_matrix.png or plots/loss.svg",
            },
          );
        }
        return [name, encodeImage(image, this.expected(name), `image "${name}"`)];
      });
    const dir = this.versioned ? this.versioned.savePath() : this.filepath;
    if (this.overwrite && !this.versioned && pathExists(dir)) {
      await Deno.remove(dir, { recursive: true });
    }
    for (const [name, bytes] of files) await atomicWrite(join(dir, name), bytes);
    this.recordSave(dir);
  }

  override exists(): Promise<boolean> {
    return promised(() => this.versioned ? this.versioned.exists() : pathExists(this.filepath));
  }

  private expected(path: string): ImageFormat | undefined {
    const ext = extname(path).slice(1).toLowerCase();
    const format = (this.saveArgs.format as string | undefined) ?? ext;
    return (FORMATS as readonly string[]).includes(format) ? format as ImageFormat : undefined;
  }
}

function isImageMap(data: unknown): data is Record<string, Image> {
  return typeof data === "object" && data !== null && !(data instanceof Uint8Array) &&
    !(data instanceof ArrayBuffer) && typeof (data as { outerHTML?: unknown }).outerHTML !== "string";
}

function encodeImage(image: Image, expected: ImageFormat | undefined, what: string): Uint8Array {
  const data = typeof image === "object" && image !== null && "outerHTML" in image ? image.outerHTML : image;
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : data;
  const format = bytes instanceof Uint8Array ? formatOf(bytes) : undefined;
  if (format === undefined) {
    throw new DatasetError(
      "dataset/not-an-image",
      `Cannot save ${what} as an image: it is not SVG, PNG, JPEG, GIF, WebP or PDF`,
      {
        hint:
          "return SVG markup (a string starting with <svg) or the encoded bytes of an image (a Uint8Array)",
      },
    );
  }
  const same = (a: string, b: string) => a === b || (a.startsWith("jp") && b.startsWith("jp"));
  if (expected !== undefined && !same(format, expected)) {
    throw new DatasetError("dataset/image-format", `Cannot save ${what} as ${expected}: it is ${format}`, {
      hint: `kmlf saves the image the node rendered and does not convert it: use a .${format} filepath ` +
        `(or save_args.format: ${format}), or render ${expected} in the node`,
    });
  }
  return bytes as Uint8Array;
}

/**
 * The format of encoded image bytes, from their signature; undefined when not an image.
 *
 * @example
 * ```ts
 * formatOf(new TextEncoder().encode("<svg/>")); // "svg"
 * ```
 */
export function formatOf(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") {
    return "webp";
  }
  if (starts(0x25, 0x50, 0x44, 0x46)) return "pdf";
  const head = new TextDecoder().decode(bytes.subarray(0, 2048)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return "svg";
  return undefined;
}
