/** Dataset factories: catalog keys with `{placeholders}` that match many dataset names (Kedro's rules). */

/** A compiled factory pattern. */
export interface DatasetPattern {
  pattern: string;
  config: Record<string, unknown>;
  /** Characters outside `{…}`: more specific patterns are tried first. */
  specificity: number;
  /** Distinct placeholder names, in order: the regex's capture groups. */
  placeholders: string[];
  /** `{…}` pairs in the key, repeats included: Kedro ranks by `pattern.count("{")`. */
  braces: number;
  regex: RegExp;
}

/**
 * Compiles a pattern key like `"{layer}.{name}_csv"`.
 *
 * @example
 * ```ts
 * compilePattern("{name}_csv", { type: "csv" }).regex.test("cars_csv"); // true
 * ```
 */
export function compilePattern(pattern: string, config: Record<string, unknown>): DatasetPattern {
  const placeholders: string[] = [];
  let src = "";
  let specificity = 0;
  let braces = 0;
  for (const part of pattern.split(/(\{[^{}]*\})/)) {
    const m = part.match(/^\{([^{}:]*)(?::[^{}]*)?\}$/);
    if (m) {
      braces++;
      // A repeated placeholder must match the same text again (like Python's `parse`).
      const seen = placeholders.indexOf(m[1]);
      if (seen >= 0) src += `\\${seen + 1}`;
      else {
        placeholders.push(m[1]);
        src += "(.+?)";
      }
    } else {
      specificity += part.length;
      src += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return { pattern, config, specificity, placeholders, braces, regex: new RegExp(`^${src}$`, "i") };
}

/** Ranks patterns: specificity desc, placeholder count (repeats included) desc, then alphabetical. */
export function rankPatterns(patterns: DatasetPattern[]): DatasetPattern[] {
  return [...patterns].sort((a, b) =>
    b.specificity - a.specificity || b.braces - a.braces ||
    (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0)
  );
}

/** Placeholders used in a pattern's config that its name does not define. */
export function undefinedPlaceholders(p: DatasetPattern): string[] {
  const used = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") { for (const m of v.matchAll(/\{([^{}:]+)(?::[^{}]*)?\}/g)) used.add(m[1]); }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(p.config);
  return [...used].filter((u) => !p.placeholders.includes(u));
}

/**
 * Matches `name` against a pattern and returns the config with placeholders filled in.
 *
 * @example
 * ```ts
 * resolvePattern(compilePattern("{n}_csv", { filepath: "data/{n}.csv" }), "cars_csv"); // { filepath: "data/cars.csv" }
 * ```
 */
export function resolvePattern(p: DatasetPattern, name: string): Record<string, unknown> | undefined {
  const m = name.match(p.regex);
  if (!m) return undefined;
  const values = Object.fromEntries(p.placeholders.map((ph, i) => [ph, m[i + 1]]));
  const fill = (v: unknown): unknown => {
    if (typeof v === "string") {
      return v.replace(/\{([^{}:]+)(?::[^{}]*)?\}/g, (all, k) => (k in values ? values[k] : all));
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    }
    return v;
  };
  return fill(p.config) as Record<string, unknown>;
}
