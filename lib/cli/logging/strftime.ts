/** Python's `time.strftime` over local time (the `TZ` of the process), for a formatter's `datefmt`. */

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const pad = (n: number, width = 2, fill = "0") => String(n).padStart(width, fill);

function dayOfYear(d: Date): number {
  return (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) /
      86_400_000 + 1;
}

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d)
    .find((p) => p.type === "timeZoneName");
  return part?.value === "GMT" && d.getTimezoneOffset() === 0 ? "UTC" : part?.value ?? "";
}

function offset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

// Week of the year, weeks starting on `firstDay` (0: Sunday for %U, 1: Monday for %W).
function weekNumber(d: Date, firstDay: number): number {
  const yday = dayOfYear(d) - 1;
  return Math.floor((yday + 7 - ((d.getDay() - firstDay + 7) % 7)) / 7);
}

// ISO 8601's week-based year and week (%G, %V): weeks start on Monday, week 1 holds the year's first Thursday.
function isoWeek(d: Date): [number, number] {
  const thursday = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const year = thursday.getUTCFullYear();
  return [year, Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7)];
}

// glibc's codes besides C's (%e, %k, %s …): Python's time.strftime on Linux passes them on.
const DIRECTIVES: Record<string, (d: Date) => string> = {
  C: (d) => pad(Math.floor(d.getFullYear() / 100)),
  g: (d) => pad(isoWeek(d)[0] % 100),
  G: (d) => String(isoWeek(d)[0]),
  h: (d) => MONTHS[d.getMonth()].slice(0, 3),
  k: (d) => pad(d.getHours(), 2, " "),
  l: (d) => pad(d.getHours() % 12 || 12, 2, " "),
  n: () => "\n",
  P: (d) => (d.getHours() < 12 ? "am" : "pm"),
  r: (d) => strftime("%I:%M:%S %p", d),
  s: (d) => String(Math.floor(d.getTime() / 1000)),
  t: () => "\t",
  V: (d) => pad(isoWeek(d)[1]),
  a: (d) => DAYS[d.getDay()].slice(0, 3),
  A: (d) => DAYS[d.getDay()],
  b: (d) => MONTHS[d.getMonth()].slice(0, 3),
  B: (d) => MONTHS[d.getMonth()],
  c: (d) => strftime("%a %b %e %H:%M:%S %Y", d),
  d: (d) => pad(d.getDate()),
  D: (d) => strftime("%m/%d/%y", d),
  e: (d) => pad(d.getDate(), 2, " "),
  F: (d) => strftime("%Y-%m-%d", d),
  H: (d) => pad(d.getHours()),
  I: (d) => pad(d.getHours() % 12 || 12),
  j: (d) => pad(dayOfYear(d), 3),
  m: (d) => pad(d.getMonth() + 1),
  M: (d) => pad(d.getMinutes()),
  p: (d) => (d.getHours() < 12 ? "AM" : "PM"),
  R: (d) => strftime("%H:%M", d),
  S: (d) => pad(d.getSeconds()),
  T: (d) => strftime("%H:%M:%S", d),
  u: (d) => String(d.getDay() || 7),
  U: (d) => pad(weekNumber(d, 0)),
  w: (d) => String(d.getDay()),
  W: (d) => pad(weekNumber(d, 1)),
  x: (d) => strftime("%m/%d/%y", d),
  X: (d) => strftime("%H:%M:%S", d),
  y: (d) => pad(d.getFullYear() % 100),
  Y: (d) => String(d.getFullYear()),
  z: offset,
  Z: zoneName,
  "%": () => "%",
};

/**
 * The first directive of `format` kmlf does not know (`%Q`, or a lone `%` at the end), else undefined.
 *
 * @example
 * ```ts
 * unknownDirective("%Y-%m-%d %Q"); // "%Q"
 * ```
 */
export function unknownDirective(format: string): string | undefined {
  for (let i = format.indexOf("%"); i >= 0; i = format.indexOf("%", i + 2)) {
    const code = format[i + 1];
    if (code === undefined || !Object.hasOwn(DIRECTIVES, code)) return `%${code ?? ""}`;
  }
  return undefined;
}

/**
 * `time.strftime(format, time.localtime(...))` in the C locale.
 *
 * @example
 * ```ts
 * strftime("%Y-%m-%d %H:%M:%S", new Date(2024, 0, 2, 3, 4, 5)); // "2024-01-02 03:04:05"
 * ```
 */
export function strftime(format: string, date: Date): string {
  return format.replace(/%(.)/gs, (_, code: string) => DIRECTIVES[code]?.(date) ?? `%${code}`);
}
