/** The `${…}` grammar: finding interpolations in a string and splitting resolver arguments. */

/** A literal piece of text or one `${…}` expression (without the braces). */
export type Piece = string | { expr: string };

/**
 * Splits text into literals and `${…}` expressions, honouring nesting, quoted arguments and `\${` escapes.
 *
 * @example
 * ```ts
 * scanInterpolations("run-${a}-${b:${c}}", fail); // ["run-", {expr: "a"}, "-", {expr: "b:${c}"}]
 * ```
 */
export function scanInterpolations(text: string, fail: (message: string) => never): Piece[] {
  const parts: Piece[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && text.startsWith("${", i + 1)) {
      literal += "${";
      i += 2;
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      continue;
    }
    let depth = 0;
    let quote: string | undefined; // braces in a quoted argument are text: ${oc.create:'{k: v}'}
    let j = i;
    for (; j < text.length; j++) {
      if (quote) {
        if (text[j] === quote) quote = undefined;
      } else if (text.startsWith("${", j)) {
        depth++;
        j++;
      } else if (j > i + 1 && (text[j] === "'" || text[j] === '"')) quote = text[j];
      else if (text[j] === "}" && --depth === 0) break;
    }
    if (depth !== 0) fail("unclosed ${");
    const expr = text.slice(i + 2, j);
    if (expr.trim() === "") fail("empty ${}");
    if (literal) parts.push(literal);
    literal = "";
    parts.push({ expr });
    i = j;
  }
  if (literal) parts.push(literal);
  return parts;
}

/**
 * Splits resolver arguments on top-level commas: not inside a nested `${…}` nor inside quotes.
 * Each argument is trimmed; quotes are kept (the caller parses arguments as YAML scalars).
 *
 * @example
 * ```ts
 * splitArgs(" x, ${globals:y, 2}, 'a,b'"); // ["x", "${globals:y, 2}", "'a,b'"]
 * ```
 */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if ((ch === "'" || ch === '"') && current.trim() === "") quote = ch; // only a quoted argument
    else if (text.startsWith("${", i)) depth++;
    else if (ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      args.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  args.push(current.trim());
  return args;
}
