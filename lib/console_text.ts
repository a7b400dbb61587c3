/**
 * The text Deno's console prints for a call, without colors: what a parallel runner's worker sends the main
 * thread, and what a log record of a node's console line carries.
 */

const inspect = (value: unknown, options?: Deno.InspectOptions) =>
  Deno.inspect(value, { ...options, colors: false });

/**
 * `console.log(...args)`'s text (Deno's `inspectArgs`): a first string with more arguments takes `%s %d %i
 * %f %o %O %c %%`, the rest follow space-separated, strings as they are and other values inspected.
 *
 * @example
 * ```ts
 * formatConsoleArgs(["%s has %d rows", "iris", 150, { a: 1 }]); // "iris has 150 rows { a: 1 }"
 * ```
 */
export function formatConsoleArgs(args: readonly unknown[]): string {
  let text = "";
  let a = 0;
  const first = args[0];
  if (typeof first === "string" && args.length > 1) {
    a = 1;
    let appended = 0; // the first character of `first` not yet in `text`
    for (let i = 0; i < first.length - 1; i++) {
      if (first[i] !== "%") continue;
      const char = first[++i];
      let piece: string | undefined;
      if (a < args.length) {
        if (char === "s") piece = String(args[a++]);
        else if (char === "d" || char === "i") piece = integer(args[a++]);
        else if (char === "f") {
          const value = args[a++];
          piece = typeof value === "number" ? `${value}` : "NaN";
        } else if (char === "o" || char === "O") piece = inspect(args[a++]);
        else if (char === "c") {
          a++;
          piece = ""; // CSS styles are colors, and this text has none
        }
      }
      if (piece !== undefined || char === "%") {
        text += first.slice(appended, i - 1) + (piece ?? "%");
        appended = i + 1;
      }
    }
    text += first.slice(appended);
  }
  for (; a < args.length; a++) {
    if (a > 0) text += " ";
    const value = args[a];
    text += typeof value === "string" ? value : inspect(value);
  }
  return text;
}

function integer(value: unknown): string {
  if (typeof value === "bigint") return `${value}`;
  return typeof value === "number" ? `${Number.parseInt(String(value))}` : "NaN";
}

/**
 * `console.dir(value, options)`'s text: a string as it is, anything else inspected with the options.
 *
 * @example
 * ```ts
 * formatConsoleDir({ a: { b: 1 } }, { depth: 0 }); // "{ a: [Object] }"
 * ```
 */
export function formatConsoleDir(value: unknown, options?: Deno.InspectOptions): string {
  return typeof value === "string" ? value : inspect(value, options);
}
