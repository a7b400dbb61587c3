/**
 * Python's `logging.handlers.TimedRotatingFileHandler`: when a log file rolls over (`when`: S, M, H, D,
 * MIDNIGHT or W0–W6, times `interval`), the dated name the old file gets (`info.log.2024-03-05`), and which
 * dated files `backupCount` keeps. Times are epoch seconds, as Python's `time.time()`.
 */
import { basename, dirname, join } from "../../path.ts";
import { statIfAny } from "../../fs_utils.ts";
import { strftime } from "./strftime.ts";

/** A checked `when`, `interval` and `utc`. */
export interface TimedSchedule {
  /** Upper-cased, as Python keeps it: S, M, H, D, MIDNIGHT, W0 … W6. */
  when: string;
  interval: number;
  utc: boolean;
}

const DAY = 86_400;
const UNITS: Record<string, { seconds: number; suffix: string; match: RegExp }> = {
  S: { seconds: 1, suffix: "%Y-%m-%d_%H-%M-%S", match: /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/ },
  M: { seconds: 60, suffix: "%Y-%m-%d_%H-%M", match: /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}$/ },
  H: { seconds: 3600, suffix: "%Y-%m-%d_%H", match: /^\d{4}-\d{2}-\d{2}_\d{2}$/ },
  D: { seconds: DAY, suffix: "%Y-%m-%d", match: /^\d{4}-\d{2}-\d{2}$/ },
  MIDNIGHT: { seconds: DAY, suffix: "%Y-%m-%d", match: /^\d{4}-\d{2}-\d{2}$/ },
  W: { seconds: 7 * DAY, suffix: "%Y-%m-%d", match: /^\d{4}-\d{2}-\d{2}$/ },
};

/**
 * Python's refusal of a `when` (its ValueError's words), or undefined for a valid one.
 *
 * @example
 * ```ts
 * whenProblem("midnight"); // undefined
 * whenProblem("W7"); // "Invalid day specified for weekly rollover: W7"
 * ```
 */
export function whenProblem(when: string): string | undefined {
  const upper = when.toUpperCase();
  if (upper.startsWith("W")) {
    if (upper.length !== 2) {
      return `You must specify a day for weekly rollover from 0 to 6 (0 is Monday): ${upper}`;
    }
    return /^W[0-6]$/.test(upper) ? undefined : `Invalid day specified for weekly rollover: ${upper}`;
  }
  return Object.hasOwn(UNITS, upper) ? undefined : `Invalid rollover interval specified: ${upper}`;
}

const unitOf = (s: TimedSchedule) => UNITS[s.when.startsWith("W") ? "W" : s.when];

/**
 * The rollover period in seconds (`interval` units).
 *
 * @example
 * ```ts
 * periodOf({ when: "M", interval: 5, utc: false }); // 300
 * ```
 */
export function periodOf(s: TimedSchedule): number {
  return unitOf(s).seconds * s.interval;
}

function isDst(seconds: number): boolean {
  const date = new Date(seconds * 1000);
  const year = date.getFullYear();
  const standard = Math.max(
    new Date(year, 0, 1).getTimezoneOffset(),
    new Date(year, 6, 1).getTimezoneOffset(),
  );
  return date.getTimezoneOffset() < standard;
}

/**
 * Python's `computeRollover`: `interval` units after `now`; for MIDNIGHT the next midnight, for `Wd` the
 * midnight that ends weekday d (0: Monday), in local time unless `utc` (an hour off across a DST change, as
 * Python adjusts).
 *
 * @example
 * ```ts
 * nextRollover({ when: "H", interval: 2, utc: false }, 1_700_000_000); // 1_700_007_200
 * ```
 */
export function nextRollover(s: TimedSchedule, now: number): number {
  if (s.when !== "MIDNIGHT" && !s.when.startsWith("W")) return now + periodOf(s);
  const date = new Date(now * 1000);
  const [h, m, sec, sunday0] = s.utc
    ? [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCDay()]
    : [date.getHours(), date.getMinutes(), date.getSeconds(), date.getDay()];
  let result = now + DAY - ((h * 60 + m) * 60 + sec);
  if (s.when.startsWith("W")) {
    const day = (sunday0 + 6) % 7; // Python's tm_wday: Monday is 0
    const target = Number(s.when[1]);
    if (day !== target) result += (day < target ? target - day : 6 - day + target + 1) * DAY;
  }
  if (!s.utc && isDst(now) !== isDst(result)) result += isDst(now) ? 3600 : -3600;
  return result;
}

/**
 * The name `base` gets when it rolls over at `rolloverAt`: `<base>.<start of the period it covers>`.
 *
 * @example
 * ```ts
 * rolledName("/p/logs/info.log", { when: "MIDNIGHT", interval: 1, utc: true }, 1_709_683_200, 1_709_683_200);
 * // "/p/logs/info.log.2024-03-05"
 * ```
 */
export function rolledName(base: string, s: TimedSchedule, rolloverAt: number, now: number): string {
  let start = rolloverAt - periodOf(s);
  if (!s.utc && isDst(now) !== isDst(start)) start += isDst(now) ? 3600 : -3600;
  const date = new Date(start * 1000);
  // strftime reads local time: shift a UTC schedule's date so its local fields are UTC's.
  const shown = s.utc ? new Date(date.getTime() + date.getTimezoneOffset() * 60_000) : date;
  return `${base}.${strftime(unitOf(s).suffix, shown)}`;
}

/**
 * Python's `getFilesToDelete`: the oldest dated files of `base` beyond the newest `backupCount`.
 *
 * @example
 * ```ts
 * expiredBackups("/p/logs/info.log", { when: "MIDNIGHT", interval: 1, utc: false }, 7);
 * ```
 */
export function expiredBackups(base: string, s: TimedSchedule, backupCount: number): string[] {
  const folder = dirname(base);
  const prefix = `${basename(base)}.`;
  if (!statIfAny(folder)?.isDirectory) return [];
  const dated: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    if (entry.name.startsWith(prefix) && unitOf(s).match.test(entry.name.slice(prefix.length))) {
      dated.push(entry.name);
    }
  }
  dated.sort();
  return dated.slice(0, Math.max(0, dated.length - backupCount)).map((name) => join(folder, name));
}
