/**
 * A conf folder packed in an archive (`.zip`, `.tar`, `.tar.gz`/`.tgz`), read in memory like Kedro's
 * `--conf-source dist/conf-<pkg>.tar.gz`. Loaded only when the conf source is an archive.
 */
import { parseTar } from "nanotar";
import { basename, join } from "../path.ts";
import { ConfigError } from "../errors.ts";
import { readFile } from "../file_io.ts";
import { decodeUtf8 } from "../yaml/utf8.ts";
import { parseYaml, type YamlSource } from "../yaml/parse_yaml.ts";
import { YAML_LIMITS } from "../yaml/limits.ts";
import type { ConfTree } from "./files.ts";
import { gunzipChecked, GunzipError } from "./gunzip_checked.ts";
import { unzipChecked, UnzipError } from "./unzip_checked.ts";
import { checkTarHeaders } from "./tar_checked.ts";

/**
 * Opens `path` and returns its conf tree: the env folders (`base/`, `local/`…) are either at the top of
 * the archive or inside its one top folder (`kedro package` archives `conf/`). Files are named
 * `<archive>/<inner path>` in messages.
 *
 * @example
 * ```ts
 * const tree = await openConfArchive("/p/dist/conf-iris.tar.gz", "base");
 * tree.root; // "/p/dist/conf-iris.tar.gz/conf"
 * ```
 */
export async function openConfArchive(path: string, baseEnv: string): Promise<ConfTree> {
  const size = Deno.statSync(path).size;
  if (size > MAX_ARCHIVE_BYTES) throw tooLarge(path, `it is ${mib(size)} MiB, more`);
  const entries = readEntries(path, await readFile(path));
  const tops = [...new Set([...entries.keys()].map((p) => p.split("/")[0]))].sort();
  const prefix = tops.includes(baseEnv) ? "" : tops.length === 1 ? `${tops[0]}/` : undefined;
  if (prefix === undefined) {
    throw new ConfigError(
      "config/bad-archive",
      `${path} holds neither a ${baseEnv}/ folder nor one folder with the configuration inside (found: ${
        tops.join(", ") || "nothing"
      })`,
      {
        source: { file: path },
        hint: `pack the conf folder itself, e.g. tar -czf ${basename(path)} conf (it holds ${baseEnv}/ and ` +
          "your env folders)",
      },
    );
  }
  const files = new Map<string, Uint8Array | undefined>(); // relative to the conf root; undefined: a folder
  for (const [name, data] of entries) {
    if (name.startsWith(prefix) && name !== prefix.slice(0, -1)) files.set(name.slice(prefix.length), data);
  }
  const root = prefix ? join(path, prefix.slice(0, -1)) : path;
  const inner = (dir: string) => dir === root ? "" : dir.slice(root.length + 1);
  return {
    root,
    kind(dir) {
      const rel = inner(dir);
      if (files.has(rel)) return files.get(rel) ? "file" : "dir";
      return [...files.keys()].some((f) => f.startsWith(`${rel}/`)) ? "dir" : undefined;
    },
    list(dir) {
      const rel = `${inner(dir)}/`;
      return Promise.resolve(
        [...files].filter(([f, data]) => data && f.startsWith(rel) && /\.(ya?ml|json)$/.test(f)).map(([f]) =>
          f.slice(rel.length)
        ).sort(),
      );
    },
    envs() {
      return [...new Set([...files.keys()].map((f) => f.split("/")[0]))].filter((e) =>
        files.get(e) === undefined
      );
    },
    read(file) {
      const data = files.get(inner(file));
      if (!data) {
        return Promise.reject(
          new ConfigError("yaml/unreadable", `Cannot read ${file}: not in the archive`, { source: { file } }),
        );
      }
      if (data.length > YAML_LIMITS.maxFileBytes) {
        // The limit a conf folder's file is held to (readYamlFile), so packing a conf changes nothing.
        return Promise.reject(
          new ConfigError(
            "yaml/too-large",
            `Cannot read ${file}: it is ${mib(data.length)} MiB, more than a configuration file may be ` +
              `(${YAML_LIMITS.maxFileBytes / 1024 ** 2} MiB)`,
            {
              source: { file },
              hint: "keep data out of configuration: put it in a dataset file and declare it in the catalog",
            },
          ),
        );
      }
      return Promise.resolve<YamlSource>(parseYaml(decodeUtf8(data, file), file, { sourceKeys: true }));
    },
  };
}

/**
 * The most an archive may be, packed and unpacked (all its files together): a conf folder is kilobytes,
 * and a compression bomb (a 1 MiB .tar.gz of 1 GiB of zeros) must be refused, not unpacked into memory.
 */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

function tooLarge(path: string, what: string): ConfigError {
  return new ConfigError(
    "config/archive-too-large",
    `Cannot read ${path}: ${what} than a conf archive may hold (${MAX_ARCHIVE_BYTES / 1024 ** 2} MiB)`,
    {
      source: { file: path },
      hint: "pack only the conf folder (its YAML and JSON files); keep data and models out of it",
    },
  );
}

// Regular files (bytes) and folders (undefined) by their path inside the archive; hidden paths and
// macOS's __MACOSX/ left out, as Kedro leaves hidden files out.
function readEntries(path: string, bytes: Uint8Array): Map<string, Uint8Array | undefined> {
  const out = new Map<string, Uint8Array | undefined>();
  const add = (raw: string, data: Uint8Array | undefined) => {
    const name = raw.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    const parts = name.split("/");
    if (name === "" || parts[0] === "__MACOSX" || parts.includes("")) return;
    // The folders above a hidden file exist (conf/local/.gitkeep keeps local/), the file itself is skipped.
    // Only whole names are kept (folders are found by prefix): one entry per prefix of a deep path would cost
    // memory quadratic in its depth (a 200 KB name of 100,000 folders: gigabytes).
    const hidden = parts.findIndex((p) => p.startsWith("."));
    const shown = hidden < 0 ? name : parts.slice(0, hidden).join("/");
    // A name packed twice: the last file wins, as tar and unzip leave it on disk (a folder entry, or a hidden
    // file's folder, only adds a folder that is not there yet).
    if (shown === "") return;
    if (hidden < 0 && data !== undefined) out.set(shown, data);
    else if (!out.has(shown)) out.set(shown, undefined);
  };
  try {
    if (/\.zip$/i.test(path)) {
      for (const [name, data] of Object.entries(unzipChecked(bytes, MAX_ARCHIVE_BYTES))) {
        add(name, name.endsWith("/") ? undefined : data);
      }
    } else {
      const tar = /\.(tar\.gz|tgz)$/i.test(path) ? gunzipChecked(bytes, MAX_ARCHIVE_BYTES) : bytes;
      checkTarHeaders(tar);
      for (const item of parseTar(tar)) {
        if (item.type === "file") add(item.name, item.data ?? new Uint8Array());
        else if (item.type === "directory") add(item.name, undefined);
      }
    }
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    if ((cause instanceof GunzipError || cause instanceof UnzipError) && cause.kind === "bounded") {
      throw tooLarge(path, cause.message);
    }
    throw new ConfigError(
      "config/bad-archive",
      `Cannot read ${path}: ${(cause as Error)?.message ?? cause}`,
      {
        source: { file: path },
        hint: "check that it is a complete .zip, .tar or .tar.gz archive (re-create it or download it again)",
        cause,
      },
    );
  }
  return out;
}
