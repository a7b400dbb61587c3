/**
 * One argument as a POSIX shell reads it back, for commands kmlf prints for pasting (`serve it: kmlf models
 * serve -m …`, the resume command): quoted only when it holds more than letters, digits and `@%+=:,./-`.
 *
 * @example
 * ```ts
 * shellQuote("models:/churn/1"); // "models:/churn/1"
 * shellQuote("models:/my model/1"); // "'models:/my model/1'"
 * ```
 */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
