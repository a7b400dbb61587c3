/**
 * The text Deno's console prints for a call, without colors: what lib/text_console.ts prints where the
 * runtime does not expose Deno's console class (a parallel worker's forwarding, a logged node's console).
 */

const inspect = (value: unknown, options?: Deno.InspectOptions) =>
  Deno.inspect(value, { ...options, colors: false });

/**
 * `console.log(...args)`'s text (Deno's `inspectArgs`): a first string with more arguments takes `%s %d %i
 * %f %j %o %O %c %%`, the rest follow space-separated, strings as they are and other values inspected.
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
          piece = typeof value === "symbol" ? "NaN" : `${Number.parseFloat(value as string)}`;
        } else if (char === "j") {
          const value = args[a++];
          // Deno leaves `%j` for what JSON has no text of (and takes the argument).
          if (value !== undefined && typeof value !== "function" && typeof value !== "symbol") {
            piece = json(value);
          }
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

// Deno parses what it is given (`"42px"` is 42, `12n` is 12); a symbol, which has no text to parse, is NaN.
function integer(value: unknown): string {
  return typeof value === "symbol" ? "NaN" : `${Number.parseInt(value as string)}`;
}

// JSON.stringify's text (`undefined` from a toJSON too), a cycle as `[Circular]`; any other error is thrown,
// as Deno's console throws it (a BigInt).
function json(value: unknown): string {
  try {
    return `${JSON.stringify(value)}`;
  } catch (error) {
    const circular = error instanceof TypeError &&
      error.message.split("\n", 1)[0] === "Converting circular structure to JSON";
    if (circular) return "[Circular]";
    throw error;
  }
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
