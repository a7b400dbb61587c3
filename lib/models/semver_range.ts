/**
 * Whether a version satisfies an npm version range (`^4.1.0`, `~1.2`, `>=2 <3`, `1.x || 2.x`, `1.2 - 1.4`),
 * as npm and Deno read one: a model's code/deno.json may pin a range (`deno add` writes `npm:zod@^4.1.0`),
 * met by whichever version in it this kmlf gives the model's code. A prerelease satisfies a range only
 * through a comparator with a prerelease on the same major.minor.patch (npm's rule).
 *
 * @module
 */

type Version = { nums: [number, number, number]; pre: string[] };
type Comparator = { op: "<" | "<=" | ">" | ">=" | "="; v: Version };

/**
 * Whether `version` (exact, `4.6.7`) is in `range`; undefined when either cannot be read.
 *
 * @example
 * ```ts
 * satisfiesRange("4.6.7", "^4.1.0"); // true
 * satisfiesRange("3.25.0", "^4.1.0"); // false
 * ```
 */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  const v = parseVersion(version.trim());
  if (!v) return undefined;
  const sets = range.trim() === "" ? [""] : range.split("||");
  let readable = false;
  for (const set of sets) {
    const comparators = parseSet(set.trim());
    if (!comparators) continue;
    readable = true;
    if (!comparators.every((c) => test(v, c))) continue;
    if (v.pre.length === 0) return true;
    // A prerelease only where the range names one on the same version.
    if (
      comparators.some((c) => c.v.pre.length > 0 && c.v.nums.every((n, i) => n === v.nums[i]))
    ) return true;
  }
  return readable ? false : undefined;
}

/**
 * Whether `text` is one exact version (`4.6.7`, `1.0.0-rc.1`) rather than a range.
 *
 * @example
 * ```ts
 * isExactVersion("4.6.7"); // true
 * isExactVersion("^4.6.7"); // false
 * ```
 */
export function isExactVersion(text: string): boolean {
  return /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(text.trim());
}

function parseVersion(text: string): Version | undefined {
  const m = text.match(/^[=v]*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/);
  if (!m) return undefined;
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split(".") : [] };
}

// A partial version (`1`, `1.2`, `1.x`, `*`): the numbers given (undefined from the first wildcard on).
function parsePartial(
  text: string,
): { parts: (number | undefined)[]; pre: string[] } | undefined {
  const m = text.match(
    /^[=v]*(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/,
  );
  if (!m) return undefined;
  const parts: (number | undefined)[] = [];
  for (const p of [m[1], m[2], m[3]]) {
    if (p === undefined || /^[xX*]$/.test(p) || parts.includes(undefined)) parts.push(undefined);
    else parts.push(Number(p));
  }
  return { parts, pre: m[4] ? m[4].split(".") : [] };
}

function at(parts: (number | undefined)[], pre: string[] = []): Version {
  return { nums: [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0], pre };
}

// One `&&` set of a range as comparators; undefined when it cannot be read.
function parseSet(set: string): Comparator[] | undefined {
  if (set === "" || set === "*" || /^[xX]$/.test(set)) return [];
  const hyphen = set.match(/^(\S+)\s+-\s+(\S+)$/);
  if (hyphen) {
    const lo = parsePartial(hyphen[1]);
    const hi = parsePartial(hyphen[2]);
    if (!lo || !hi) return undefined;
    return [{ op: ">=", v: at(lo.parts, lo.pre) }, ...upperOf(hi.parts, hi.pre)];
  }
  const out: Comparator[] = [];
  for (const token of set.replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, "$1").split(/\s+/)) {
    const m = token.match(/^(<=|>=|<|>|=|\^|~>?)?(.*)$/)!;
    const partial = parsePartial(m[2]);
    if (!partial) return undefined;
    const { parts, pre } = partial;
    const [major, minor, patch] = parts;
    const op = m[1] ?? "";
    if (op === "^") {
      out.push({ op: ">=", v: at(parts, pre) });
      if (major === undefined) continue;
      const upper: (number | undefined)[] = major > 0 || minor === undefined
        ? [major + 1, 0, 0]
        : minor > 0 || patch === undefined
        ? [0, minor + 1, 0]
        : [0, 0, patch + 1];
      out.push({ op: "<", v: { nums: upper as [number, number, number], pre: ["0"] } });
    } else if (op === "~" || op === "~>") {
      out.push({ op: ">=", v: at(parts, pre) });
      if (major === undefined) continue;
      const upper = minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0];
      out.push({ op: "<", v: { nums: upper as [number, number, number], pre: ["0"] } });
    } else if (op === "" || op === "=") {
      if (patch !== undefined) out.push({ op: "=", v: at(parts, pre) });
      else if (major !== undefined) {
        out.push({ op: ">=", v: at(parts) }, ...upperOf(parts, []));
      }
    } else if (major === undefined) {
      // `>*`, `<*`: nothing / anything.
      if (op === "<" || op === ">") return undefined;
    } else if (op === ">" && patch === undefined) {
      const next = minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0];
      out.push({ op: ">=", v: { nums: next as [number, number, number], pre: [] } });
    } else if (op === "<=" && patch === undefined) {
      out.push(...upperOf(parts, []));
    } else {
      out.push({ op: op as Comparator["op"], v: at(parts, pre) });
    }
  }
  return out;
}

// `<= 1.2` (a partial upper bound) is `< 1.3.0-0`; a full one is itself.
function upperOf(parts: (number | undefined)[], pre: string[]): Comparator[] {
  const [major, minor, patch] = parts;
  if (major === undefined) return [];
  if (patch !== undefined) return [{ op: "<=", v: at(parts, pre) }];
  const next = minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0];
  return [{ op: "<", v: { nums: next as [number, number, number], pre: ["0"] } }];
}

function test(v: Version, c: Comparator): boolean {
  const d = compare(v, c.v);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    default:
      return d === 0;
  }
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i] - b.nums[i];
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
