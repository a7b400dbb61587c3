/**
 * Why importing a project module (a node module, hooks, a custom dataset or flavor class, a plugin, a
 * request header provider) failed, in words a user can act on. Deno reports its own failures — a package
 * it cannot download or cache, an outdated or frozen deno.lock, a bare specifier the project does not map,
 * a syntax error, a missing file — as one `TypeError` whose message carries the failing import's position;
 * anything else is the module's own top-level throw. Every place that imports a project module turns its
 * failure into a kmlf error with {@link importFailure}, so each kind gets the same reason and fix; they load
 * this module when an import fails (lib/failed_import.ts), as no command needs it otherwise.
 *
 * @module
 */
import { describeThrown } from "./errors.ts";
import {
  denoLoadMessage,
  formatAt,
  type ImportFailure,
  loadFailureParts,
  lockfileFailure,
  modulePath,
  position,
} from "./deno_load_error.ts";

export type { ImportFailure, ImportFailureKind } from "./deno_load_error.ts";

const COMPILED_NOTE = "a compiled kmlf binary only has the npm packages kmlf ships (`kmlf info` lists them)";

/**
 * Classifies the error `import()` of `module` (an absolute path or URL) rejected with. `missingHint` is
 * the caller's fix for a module that is not there itself (where its path is written and relative to what).
 *
 * @example
 * ```ts
 * const failure = importFailure(error, { module: "/p/pipelines/nodes.ts" });
 * throw new ConfigError("x/import-failed", `Cannot import ${file}: ${failure.reason}`, failure);
 * ```
 */
export function importFailure(
  error: unknown,
  options: { module: string; missingHint?: string },
): ImportFailure {
  if (!(error instanceof Error)) return thrown(error);
  const raw = denoLoadMessage(error);
  if (raw === undefined) return thrown(error);
  if (raw.startsWith("SyntaxError: ")) {
    // Deno's parse errors: "SyntaxError: <what>\n <code frame>\n    at file:///x.ts:1:29".
    const at = position(raw);
    const what = raw.replace(/^SyntaxError: /, "").split("\n")[0];
    return {
      kind: "syntax",
      // The cause shows Deno's message with the code frame.
      reason: at ? `syntax error at ${formatAt(at)}` : `syntax error: ${what}`,
      hint: `fix the syntax error (\`deno check ${
        at?.file ?? modulePath(options.module)
      }\` lists every error)`,
      cause: cleaned(error, raw),
      userCode: false,
      at,
    };
  }
  const parts = loadFailureParts(error, raw);
  const lockfile = lockfileFailure(raw, parts);
  if (lockfile) return lockfile;
  const { at, from, first, reason, done } = parts;
  const unmapped = first.match(/^Import "([^"]+)" not a dependency/) ??
    first.match(/^Relative import path "([^"]+)" not prefixed with/);
  if (unmapped) {
    const name = unmapped[1];
    if (/\.[cm]?[jt]sx?$/.test(name)) {
      return done({
        kind: "missing-file",
        reason: reason(`"${name}" is neither a relative path nor a package the project's deno.json maps`),
        hint: `a file is imported by a relative path: write "./${name}"`,
      });
    }
    return done({
      kind: "unmapped-package",
      reason: reason(`"${name}" is not mapped in the project's deno.json`),
      hint:
        `add it to the project: \`deno add npm:${
          packageName(name)
        }\` in the project folder maps it in deno.json ` +
        `(or import it as "npm:${name}"); ${COMPILED_NOTE}`,
    });
  }
  const unknown = first.match(/^npm package '([^']+)' does not exist/);
  if (unknown) {
    return done({
      kind: "unknown-package",
      reason: reason(`npm package "${unknown[1]}" does not exist on the registry`),
      hint:
        `fix the package name in the import or in the project's deno.json imports (\`deno add npm:<package>\` ` +
        `checks it), or point NPM_CONFIG_REGISTRY at the registry that has it`,
    });
  }
  // Deno's message when an import of a package it already failed to resolve in this process is retried.
  const unresolved = first.match(/^Could not find constraint '([^']+)' in the list of packages/);
  if (unresolved) {
    return done({
      kind: "unknown-package",
      reason: reason(`npm package "${unresolved[1]}" could not be resolved`),
      hint:
        `fix the package name in the import or in the project's deno.json imports (\`deno add npm:<package>\` ` +
        "checks it); if the name is right, check the network and the registry (NPM_CONFIG_REGISTRY)",
    });
  }
  if (
    /^Failed (loading|caching|downloading)|failed to load|error sending request|^Import '[^']+' failed/.test(
      first,
    )
  ) {
    const pkg = first.match(/package ["']([^"']+)["']|for '([^']+)'/);
    const cacheOnly = /--cached-only/.test(raw);
    const name = pkg?.[1] ?? pkg?.[2];
    return done({
      kind: "download",
      reason: reason(first.replace(/\.$/, "")),
      hint: cacheOnly
        ? "the package is not in Deno's cache and downloads are off (--cached-only): run `deno install` in the " +
          `project while online; ${COMPILED_NOTE}`
        : `Deno could not download or cache ${
          name ? `"${name}"` : "it"
        }: check the network (the npm registry, ` +
          `or NPM_CONFIG_REGISTRY / HTTPS_PROXY) and that DENO_DIR (${denoDir()}) is a folder you can write to; ` +
          "then `deno install` in the project fetches what deno.json maps",
    });
  }
  const missing = first.match(/^Module not found "([^"]+)"/);
  if (missing) {
    const file = modulePath(missing[1]);
    const self = file === modulePath(options.module);
    return done({
      kind: self ? "module-not-found" : "missing-file",
      reason: self ? `${file} does not exist` : reason(`${file} does not exist`),
      hint: self
        ? (options.missingHint ?? "check the path and the file extension")
        : `fix the import path${from ? ` at ${formatAt(at!)}` : ""}: it is relative to the importing file ` +
          "and needs its extension (.ts)",
    });
  }
  return done({
    kind: "load-failed",
    reason: reason(first),
    hint: "Deno could not load this module or one it imports; `deno check` on the module shows the details",
  });
}

// A module's own throw: its message is the reason and its frames are shown.
function thrown(error: unknown): ImportFailure {
  const message = error instanceof Error ? error.message.split("\n")[0] : describeThrown(error);
  return {
    kind: "top-level-throw",
    reason: error instanceof Error ? message : `it threw ${message}`,
    hint: "the module threw while it was imported (top-level code runs at import): fix what it reports, or " +
      "move the work into a function",
    cause: error,
    userCode: true,
  };
}

// Deno's message without colors, file URLs as paths, and without a lockfile diff (dozens of lines).
function cleaned(error: Error, raw: string): Error {
  const text = raw.replace(/\nchanges:\n[\s\S]*$/, "").replace(
    /file:\/\/\/[^\s"':]+/g,
    (url) => modulePath(url),
  ).replace(/^TypeError: /, "");
  const copy = new Error(text, { cause: error });
  copy.name = error.name;
  return copy;
}

// "lodash/fp" → "lodash", "@scope/pkg/sub" → "@scope/pkg"; a version stays out (deno add picks one).
function packageName(specifier: string): string {
  const name = specifier.replace(/^npm:/, "");
  const parts = name.split("/");
  return name.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function denoDir(): string {
  try {
    return Deno.env.get("DENO_DIR") ?? "Deno's default cache folder";
  } catch {
    return "Deno's cache folder";
  }
}
