/** Catalog entries' `credentials`: a name of a credentials.yml block (Kedro's substitution), or a mapping. */
import { DatasetError, didYouMeanHint, type SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { clonePlain } from "../plain_copy.ts";
import { isRecord } from "../is_record.ts";

/** What resolving credentials needs from the catalog (part of `EntryContext`). */
export interface CredentialsContext {
  /** The merged credentials config: name → block. */
  credentials: Record<string, unknown>;
  /** Location of a key path of the catalog config. */
  locate(path: KeyPath): SourceLocation | undefined;
  /** Location of a key path of the credentials config. */
  locateCredentials?(path: KeyPath): SourceLocation | undefined;
}

/**
 * Replaces every `credentials: <name>` string, at any mapping depth (lists are not traversed), by that
 * entry of the credentials config.
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
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
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
      out[key] = clonePlain(block);
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
    } else if (isRecord(value)) out[key] = resolveCredentials(value, [...at, key], ctx);
    else out[key] = value;
  }
  return out;
}

// What a value is, for messages that must not show it (credentials).
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}
