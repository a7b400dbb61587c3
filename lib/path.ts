/**
 * File paths and `file:` URLs with Node's semantics (`node:path`, `pathToFileURL`, `fileURLToPath`), without
 * loading Deno's Node compatibility layer: importing any `node:` module costs a command 5–10 ms before its
 * first line runs (bench/README.md), and `kmlf registry list` needs no other. On POSIX systems these are
 * kmlf's own functions, checked against Node's on thousands of generated paths (tests/path_test.ts); on
 * Windows they are Node's own (drive letters, backslashes), loaded only there.
 *
 * @example
 * ```ts
 * join("conf", "base", "../local"); // "conf/local"
 * dirname("/project/conf/base/catalog.yml"); // "/project/conf/base"
 * pathToFileURL("/tmp/a b.ts").href; // "file:///tmp/a%20b.ts"
 * ```
 *
 * @module
 */

/** The path functions kmlf uses, as `node:path` names them. */
export interface PathApi {
  sep: string;
  isAbsolute(path: string): boolean;
  normalize(path: string): string;
  join(...paths: string[]): string;
  resolve(...paths: string[]): string;
  relative(from: string, to: string): string;
  dirname(path: string): string;
  basename(path: string): string;
  extname(path: string): string;
}

// `.` and `..` applied to a list of segments; `..` above the start is kept only for relative paths.
function collapse(segments: readonly string[], keepLeadingUp: boolean): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (keepLeadingUp) out.push("..");
  }
  return out;
}

// The last segment of a path and where it starts, ignoring trailing slashes ("/a/b//" → "b" at 3).
function lastSegment(path: string): { start: number; end: number } {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const start = path.lastIndexOf("/", end - 1) + 1;
  return { start, end };
}

/** POSIX paths, as Node's `path.posix` treats them. */
export const posix: PathApi = {
  sep: "/",

  isAbsolute: (path) => path.startsWith("/"),

  normalize(path) {
    if (path === "") return ".";
    const absolute = path.startsWith("/");
    const trailing = path.endsWith("/");
    const body = collapse(path.split("/"), !absolute).join("/");
    if (body === "") return absolute ? "/" : trailing ? "./" : ".";
    return (absolute ? "/" : "") + body + (trailing ? "/" : "");
  },

  join(...paths) {
    const joined = paths.filter((p) => p !== "").join("/");
    return joined === "" ? "." : posix.normalize(joined);
  },

  resolve(...paths) {
    let resolved = "";
    for (let i = paths.length - 1; i >= 0 && !resolved.startsWith("/"); i--) {
      if (paths[i] !== "") resolved = resolved === "" ? paths[i] : `${paths[i]}/${resolved}`;
    }
    if (!resolved.startsWith("/")) resolved = resolved === "" ? Deno.cwd() : `${Deno.cwd()}/${resolved}`;
    return "/" + collapse(resolved.split("/"), false).join("/");
  },

  relative(from, to) {
    // resolve() has applied the dots already: only the root's empty segment goes.
    const a = posix.resolve(from).split("/").filter((segment) => segment !== "");
    const b = posix.resolve(to).split("/").filter((segment) => segment !== "");
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
  },

  dirname(path) {
    if (path === "") return ".";
    const { start } = lastSegment(path);
    if (start === 0) return "."; // one relative segment ("a", "a/"); a root always leaves start ≥ 1
    // Only the one slash before the last segment goes ("/a//b" → "/a/"); a root of two stays ("//a" → "//").
    if (start === 1) return "/";
    if (start === 2 && path[0] === "/") return "//";
    return path.slice(0, start - 1);
  },

  basename(path) {
    const { start, end } = lastSegment(path);
    return path.slice(start, end);
  },

  extname(path) {
    const { start, end } = lastSegment(path);
    const base = path.slice(start, end);
    const dot = base.lastIndexOf(".");
    // A leading dot names a hidden file (".bashrc"), and ".." is no extension either.
    return dot <= 0 || base === ".." ? "" : base.slice(dot);
  },
};

// Node's own implementations on Windows (kmlf's POSIX code would get drive letters wrong).
const windows = Deno.build.os === "windows"
  ? (globalThis as unknown as { process: { getBuiltinModule(name: string): unknown } }).process
  : undefined;
const native = windows?.getBuiltinModule("node:path") as PathApi | undefined;
const nativeUrl = windows?.getBuiltinModule("node:url") as {
  pathToFileURL(path: string): URL;
  fileURLToPath(url: string | URL): string;
} | undefined;
const api: PathApi = native ?? posix;

/** The platform's path separator. */
export const sep: string = api.sep;
/** Whether `path` is absolute. */
export const isAbsolute: (path: string) => boolean = api.isAbsolute;
/** `path` with `.`/`..` applied and repeated separators collapsed. */
export const normalize: (path: string) => string = api.normalize;
/** The paths joined with the separator, then normalized. */
export const join: (...paths: string[]) => string = api.join;
/** An absolute path: the paths applied right to left from the current directory. */
export const resolve: (...paths: string[]) => string = api.resolve;
/** The path from `from` to `to` (both resolved first). */
export const relative: (from: string, to: string) => string = api.relative;
/** The folder part of `path`. */
export const dirname: (path: string) => string = api.dirname;
/** The last part of `path` (Node's optional suffix argument is left out: kmlf never strips one). */
export const basename: (path: string) => string = api.basename;
/** The extension of the last part of `path`, dot included ("" when none). */
export const extname: (path: string) => string = api.extname;

/**
 * The `file:` URL of a path (resolved from the current directory), as Node's `url.pathToFileURL` makes it.
 *
 * @example
 * ```ts
 * pathToFileURL("/tmp/a#b.ts").href; // "file:///tmp/a%23b.ts"
 * ```
 */
export function pathToFileURL(path: string): URL {
  if (nativeUrl) return nativeUrl.pathToFileURL(path);
  let absolute = posix.resolve(path);
  if (path.endsWith("/") && absolute !== "/") absolute += "/";
  const url = new URL("file://");
  // The pathname setter escapes what URLs reserve (space, ?, #, …) but not these.
  url.pathname = absolute.replace(/%/g, "%25").replace(/\\/g, "%5C").replace(/\n/g, "%0A")
    .replace(/\r/g, "%0D").replace(/\t/g, "%09");
  return url;
}

/**
 * The path of a `file:` URL, as Node's `url.fileURLToPath` reads it — but a `%` that starts no escape stays
 * as written (MLflow's `unquote`), where Node throws — ; a TypeError for any other URL.
 *
 * @example
 * ```ts
 * fileURLToPath("file:///tmp/a%20b.ts"); // "/tmp/a b.ts"
 * ```
 */
export function fileURLToPath(url: string | URL): string {
  if (nativeUrl) return nativeUrl.fileURLToPath(url);
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (parsed.protocol !== "file:") throw new TypeError(`The URL must be of scheme file: ${parsed.href}`);
  if (parsed.hostname !== "") {
    throw new TypeError(`File URL host must be "localhost" or empty on ${Deno.build.os}: ${parsed.href}`);
  }
  if (/%2f/i.test(parsed.pathname)) {
    throw new TypeError(`File URL path must not include encoded / characters: ${parsed.href}`);
  }
  return percentDecode(parsed.pathname);
}

/**
 * Python's `pathlib.Path(os.path.abspath(path)).as_uri()` (MLflow's `path_to_local_file_uri`), the spelling
 * of what kmlf writes where MLflow reads it too (meta.yaml `artifact_uri`, the SQL stores' columns): each
 * byte of the path's UTF-8 outside `A-Za-z0-9_.-~/` as `%XX` — more than {@link pathToFileURL} escapes
 * (Node keeps `'`, `(`, `@`, `=`, `,`, …). On Windows, Node's spelling (`file:///C:/…`).
 *
 * @example
 * ```ts
 * pathToFileUri("/srv/my runs/é's"); // "file:///srv/my%20runs/%C3%A9%27s"
 * ```
 */
export function pathToFileUri(path: string): string {
  if (nativeUrl) return nativeUrl.pathToFileURL(path).href;
  return `file://${quoteUriPath(posix.resolve(path))}`;
}

/**
 * Python's `urllib.parse.quote(path)` (safe `/`): each byte of the UTF-8 outside `A-Za-z0-9_.-~/` as
 * `%XX`, so a name holding `%`, `#`, `?` or a space reads back as itself from a URI's path.
 *
 * @example
 * ```ts
 * quoteUriPath("my model/100%#1"); // "my%20model/100%25%231"
 * ```
 */
export function quoteUriPath(path: string): string {
  // encodeURIComponent keeps !'()* too, which Python's quote escapes.
  return path.split("/").map((part) =>
    encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  ).join("/");
}

const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;
const utf8 = new TextDecoder(); // not fatal: invalid UTF-8 becomes U+FFFD, as unquote's errors="replace"

/**
 * Python's `urllib.parse.unquote` (how MLflow reads `file:` URIs): runs of `%XX` decoded as UTF-8, invalid
 * bytes as U+FFFD, and a `%` not followed by two hex digits kept as it is — a folder named `100%` reads
 * back instead of failing with "URI malformed".
 *
 * @example
 * ```ts
 * percentDecode("/tmp/100%/a%20b"); // "/tmp/100%/a b"
 * ```
 */
export function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  return text.replace(ESCAPES, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8.decode(bytes);
  });
}
