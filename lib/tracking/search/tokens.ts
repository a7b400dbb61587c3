/**
 * Tokenizer for MLflow's search filter and order_by strings. Every token keeps its character
 * position so errors can point at the bad token.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";

/** Kinds of tokens. `quoted` is a `"…"` string (a key or a value, like sqlparse's Symbol). */
export type TokenKind =
  | "word"
  | "backtick"
  | "quoted"
  | "string"
  | "number"
  | "op"
  | "lparen"
  | "rparen"
  | "comma"
  | "dot"
  | "end";

/** One token: its kind, its raw text, its unquoted value and its 0-based position. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  pos: number;
}

/**
 * The error for a bad filter or order_by: the message names the token and its 1-based character
 * position; the hint repeats the input with a caret under the token.
 */
export function syntaxError(what: string, input: string, pos: number, message: string): TrackingError {
  const column = pos + 1;
  const near = pos >= input.length ? "end of input" : `'${tokenTextAt(input, pos)}'`;
  return new TrackingError(
    "INVALID_PARAMETER_VALUE",
    `Cannot parse ${what} "${input}": ${message} (at character ${column}, ${near})`,
    { source: { keyPath: what, column }, hint: `${input}\n${" ".repeat(pos)}^` },
  );
}

function tokenTextAt(input: string, pos: number): string {
  const rest = input.slice(pos);
  const m = rest.match(/^(?:'(?:''|\\.|[^'])*'?|"(?:""|[^"])*"?|`[^`]*`?|[\p{L}\p{N}_]+|!=|<>|>=|<=|==|\S)/u);
  return m ? m[0] : rest.slice(0, 1);
}

const WORD = /[\p{L}\p{N}_]/u;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;

/**
 * Splits a filter or order_by string into tokens (a final `end` token included).
 *
 * @example
 * ```ts
 * tokenize("metrics.acc > 0.9", "filter").map((t) => t.kind); // word dot word op number end
 * ```
 */
export function tokenize(input: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    const prev = tokens.at(-1);
    if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) throw syntaxError(what, input, start, "unterminated string literal");
        const ch = input[i];
        if (ch === "'" && input[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (ch === "\\" && (input[i + 1] === "'" || input[i + 1] === "\\")) {
          value += input[i + 1];
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ kind: "string", text: input.slice(start, i), value, pos: start });
    } else if (c === '"' || c === "`") {
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) {
          throw syntaxError(
            what,
            input,
            start,
            `unterminated ${c === "`" ? "backtick" : "double-quoted"} name`,
          );
        }
        if (input[i] === c && c === '"' && input[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (input[i] === c) {
          i++;
          break;
        } else value += input[i++];
      }
      tokens.push({
        kind: c === "`" ? "backtick" : "quoted",
        text: input.slice(start, i),
        value,
        pos: start,
      });
    } else if (
      prev?.kind !== "dot" && NUMBER.test(input.slice(i)) && (c !== "." || /\d/.test(input[i + 1]))
    ) {
      const text = input.slice(i).match(NUMBER)![0];
      i += text.length;
      if (i < input.length && WORD.test(input[i])) {
        throw syntaxError(what, input, start, "a name cannot start with a digit; quote it with backticks");
      }
      tokens.push({ kind: "number", text, value: text, pos: start });
    } else if (WORD.test(c)) {
      while (i < input.length && WORD.test(input[i])) i++;
      const text = input.slice(start, i);
      tokens.push({ kind: "word", text, value: text, pos: start });
    } else if (c === ".") {
      tokens.push({ kind: "dot", text: ".", value: ".", pos: i++ });
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({
        kind: c === "(" ? "lparen" : c === ")" ? "rparen" : "comma",
        text: c,
        value: c,
        pos: i++,
      });
    } else {
      const two = input.slice(i, i + 2);
      const op = ["!=", "<>", ">=", "<=", "=="].includes(two) ? two : "=<>".includes(c) ? c : "";
      if (!op) {
        throw syntaxError(
          what,
          input,
          start,
          `unexpected character '${c}'; names with special characters must be quoted with backticks`,
        );
      }
      i += op.length;
      tokens.push({ kind: "op", text: op, value: op, pos: start });
    }
  }
  tokens.push({ kind: "end", text: "", value: "", pos: input.length });
  return tokens;
}
