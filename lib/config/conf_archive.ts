/**
 * A conf folder packed in an archive (`.zip`, `.tar`, `.tar.gz`/`.tgz`), read in memory like Kedro's
 * `--conf-source dist/conf-<pkg>.tar.gz`. Loaded only when the conf source is an archive.
 */
import { gunzipSync, unzipSync } from "fflate";
import { parseTar } from "nanotar";
import { basename, join } from "../path.ts";
import { ConfigError } from "../errors.ts";
import { readFile } from "../file_io.ts";
import { decodeUtf8 } from "../yaml/utf8.ts";
import { parseYaml, type YamlSource } from "../yaml/parse_yaml.ts";
import type { ConfTree } from "./files.ts";

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
      return Promise.resolve<YamlSource>(parseYaml(decodeUtf8(data, file), file));
    },
  };
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
    const hidden = parts.findIndex((p) => p.startsWith("."));
    const shown = hidden < 0 ? parts.length : hidden;
    for (let i = 1; i <= shown; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!out.has(dir)) out.set(dir, i === parts.length ? data : undefined);
    }
  };
  try {
    if (/\.zip$/i.test(path)) {
      for (const [name, data] of Object.entries(unzipSync(bytes))) {
        add(name, name.endsWith("/") ? undefined : data);
      }
    } else {
      const tar = /\.(tar\.gz|tgz)$/i.test(path) ? gunzipSync(bytes) : bytes;
      for (const item of parseTar(tar)) {
        if (item.type === "file") add(item.name, item.data ?? new Uint8Array());
        else if (item.type === "directory") add(item.name, undefined);
      }
    }
  } catch (cause) {
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
