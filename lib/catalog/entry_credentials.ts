/** Catalog entries' `credentials`: a name of a credentials.yml block (Kedro's substitution), or a mapping. */
import { DatasetError, didYouMeanHint, type SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { clonePlain } from "../plain_copy.ts";
import { isRecord } from "../is_record.ts";
import { copyOf, withValue } from "./entry_paths.ts";

/** What resolving credentials needs from the catalog (part of `EntryContext`). */
export interface CredentialsContext {
  /** The merged credentials config: name → block. */
  credentials: Record<string, unknown>;
  /** Location of a key path of the catalog config. */
  locate(path: KeyPath): SourceLocation | undefined;
  /** Location of a key path of the credentials config. */
  locateCredentials?(path: KeyPath): SourceLocation | undefined;
  /** Location of the key itself at a key path of the credentials config (for "unknown key" errors). */
  locateCredentialsKey?(path: KeyPath): SourceLocation | undefined;
}

/**
 * Replaces every `credentials: <name>` string, at any mapping depth (lists are not traversed), by that
 * entry of the credentials config. A mapping with nothing to replace is the same object; one that changes is
 * copied with what its file said (key order, `1.0` floats). The entry's `payload` keys are kept as written.
 *
 * @example
 * ```ts
 * resolveCredentials({ type: "x", credentials: "db" }, ["warehouse"], ctx); // { type: "x", credentials: { user: … } }
 * ```
 */
export function resolveCredentials(
  config: Record<string, unknown>,
  at: KeyPath,
  ctx: CredentialsContext,
  payload?: ReadonlySet<string>,
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  const set = (key: string, value: unknown) => out = withValue(out ?? copyOf(config), key, value);
  for (const [key, value] of Object.entries(config)) {
    if (payload?.has(key)) continue;
    if (key === "credentials" && typeof value === "string") {
      if (!Object.hasOwn(ctx.credentials, value)) {
        const known = Object.keys(ctx.credentials);
        const guess = didYouMeanHint(value, known);
        throw new DatasetError(
          "catalog/unknown-credentials",
          `Unable to find credentials "${value}" used by catalog entry "${String(at[0])}"`,
          {
            source: ctx.locate([...at, key]),
            hint: (guess ? `${guess} Otherwise add` : "Add") +
              ` a "${value}:" block to conf/local/credentials.yml` +
              (known.length
                ? ` (defined credentials: ${known.join(", ")})`
                : " (no credentials are defined yet)"),
          },
        );
      }
      const block = ctx.credentials[value];
      // Datasets spread credentials as keyword arguments (Kedro: `**credentials`): a block must be a mapping.
      // The value itself is never shown: it is a secret.
      if (block !== null && !isRecord(block)) {
        throw new DatasetError(
          "catalog/bad-credentials",
          `Credentials "${value}" used by catalog entry "${String(at[0])}" are ${
            kindOf(block)
          }, not a mapping`,
          {
            source: ctx.locateCredentials?.([value]) ?? ctx.locate([...at, key]),
            hint: `write "${value}:" in credentials.yml as a mapping of settings, e.g. ` +
              `"${value}: {username: ..., password: ...}"`,
          },
        );
      }
      // Each entry its own copy (Kedro's are too): a dataset changing its credentials changes no other's.
      set(key, clonePlain(block));
    } else if (key === "credentials" && value !== null && value !== undefined && !isRecord(value)) {
      throw new DatasetError(
        "catalog/bad-credentials",
        `"credentials" of catalog entry "${String(at[0])}" is ${kindOf(value)}`,
        {
          source: ctx.locate([...at, key]),
          hint:
            "name an entry of conf/local/credentials.yml (credentials: my_db), or write the settings as a " +
            "mapping (credentials: {username: ..., password: ...})",
        },
      );
    } else if (isRecord(value)) {
      const inner = resolveCredentials(value, [...at, key], ctx);
      if (inner !== value) set(key, inner);
    }
  }
  return out ?? config;
}

// What a value is, for messages that must not show it (credentials).
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}

/**
 * `ctx` whose `locate` and `locateKey` find a key path inside a block that `credentials: <name>` brings in
 * (`[entry, "credentials", "user"]`) where it was written, `<name>.user` of the credentials files, so that
 * an error about it names credentials.yml, not the entry's `credentials:` line. `raw` is the entry as
 * written (names, not blocks), at key path `at`; `payload` keys are never substituted.
 *
 * @example
 * ```ts
 * const located = locatingCredentials(ctx, { type: "x", credentials: "db" }, ["warehouse"]);
 * located.locate(["warehouse", "credentials", "user"]); // conf/local/credentials.yml:3:3 (db.user)
 * ```
 */
export function locatingCredentials<C extends CredentialsContext & { locateKey?(path: KeyPath): unknown }>(
  ctx: C,
  raw: Record<string, unknown>,
  at: KeyPath,
  payload?: ReadonlySet<string>,
): C {
  const locateCredentials = ctx.locateCredentials;
  if (!locateCredentials) return ctx;
  const inBlock = (path: KeyPath): KeyPath | undefined => {
    if (at.some((key, i) => path[i] !== key) || payload?.has(String(path[at.length]))) return undefined;
    let value: unknown = raw;
    for (let i = at.length; i < path.length - 1 && isRecord(value); i++) {
      value = value[String(path[i])];
      if (path[i] === "credentials" && typeof value === "string") return [value, ...path.slice(i + 1)];
    }
    return undefined;
  };
  const via =
    <T>(locate: (path: KeyPath) => T, inCredentials: (path: KeyPath) => unknown) => (path: KeyPath): T => {
      const block = inBlock(path);
      return (block && inCredentials(block) as T) || locate(path);
    };
  return {
    ...ctx,
    locate: via(ctx.locate, locateCredentials),
    ...(ctx.locateKey
      ? {
        locateKey: via(ctx.locateKey.bind(ctx), (path) =>
          ctx.locateCredentialsKey?.(path) ?? locateCredentials(path)),
      }
      : {}),
  };
}
