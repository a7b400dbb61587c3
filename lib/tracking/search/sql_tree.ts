/**
 * sqlparse 0.4.2's token tree (`sqlparse.sql`) and statement splitter, as far as MLflow's search
 * parsing sees them: tokens with a type and text, groups (Identifier, Comparison, Parenthesis, …) that
 * replace a run of tokens, and the look-up helpers the grouping engine (`sql_grouping.ts`) is written
 * with. Names follow sqlparse's so the port can be read against it.
 *
 * @module
 */
import { lex } from "./sql_lexer.ts";

/** The kinds of group sqlparse builds (`TokenList` is the base every group is an instance of). */
export type GroupKind =
  | "TokenList"
  | "Statement"
  | "Identifier"
  | "IdentifierList"
  | "TypedLiteral"
  | "Parenthesis"
  | "SquareBrackets"
  | "Assignment"
  | "If"
  | "For"
  | "Comparison"
  | "Comment"
  | "Where"
  | "Case"
  | "Function"
  | "Begin"
  | "Operation"
  | "Values";

/** Whether a token type is `parent` or below it (sqlparse's `ttype in T.Keyword`). */
export function isUnder(ttype: string | null, parent: string): boolean {
  return ttype !== null && (ttype === parent || ttype.startsWith(parent + "."));
}

/** A leaf token, or (as SqlGroup) a group of tokens. */
export class SqlToken {
  ttype: string | null;
  value: string;
  readonly isKeyword: boolean;
  readonly isWhitespace: boolean;
  readonly normalized: string;
  /** Offset of the token's first character in the parsed text. */
  readonly pos: number;

  constructor(ttype: string | null, value: string, pos: number) {
    this.ttype = ttype;
    this.value = value;
    this.pos = pos;
    this.isKeyword = isUnder(ttype, "Keyword");
    this.isWhitespace = isUnder(ttype, "Text.Whitespace");
    this.normalized = this.isKeyword ? value.toUpperCase() : value;
  }

  /** sqlparse's `Token.match`: exactly this type and, when given, one of these values. */
  match(ttype: string, values: string | readonly string[] | null = null): boolean {
    if (this.ttype !== ttype) return false;
    if (values === null) return true;
    const list = typeof values === "string" ? [values] : values;
    return (this.isKeyword ? list.map((v) => v.toUpperCase()) : list).includes(this.normalized);
  }

  /** Whether this is a group of the kind (`TokenList`: any group). */
  is(kind: GroupKind): boolean {
    return this instanceof SqlGroup && (kind === "TokenList" || this.kind === kind);
  }
}

/** What `imt` tests: instance of a kind, a (type, values) match, or a type (one: itself or below; a list: exactly one of them). */
export interface Imt {
  i?: readonly GroupKind[];
  m?: readonly (readonly [string, string | readonly string[] | null])[];
  t?: string | readonly string[];
}

/**
 * sqlparse's `imt` helper. A single type is matched with its subtypes, a tuple of types exactly (sqlparse
 * tests `ttype in (A, B)` with tuple membership there, which the grouping rules depend on).
 */
export function imt(token: SqlToken | undefined, { i, m, t }: Imt): boolean {
  if (!token) return false;
  if (i && i.some((kind) => token.is(kind))) return true;
  if (m && m.some(([ttype, values]) => token.match(ttype, values))) return true;
  if (typeof t === "string") return isUnder(token.ttype, t);
  if (t) return t.includes(token.ttype as string);
  return false;
}

/** An index and the token there, or [undefined, undefined]. */
export type Found = [number, SqlToken] | [undefined, undefined];

/** A group of tokens (sqlparse's TokenList and its subclasses). */
export class SqlGroup extends SqlToken {
  constructor(readonly kind: GroupKind, readonly tokens: SqlToken[]) {
    let value = "";
    for (const token of tokens) value += token.value;
    super(null, value, tokens[0]?.pos ?? 0);
  }

  /** The tokens grouping may combine (a Parenthesis' without its brackets). */
  get groupable(): SqlToken[] {
    return this.kind === "Parenthesis" || this.kind === "SquareBrackets"
      ? this.tokens.slice(1, -1)
      : this.tokens;
  }

  sublists(): SqlGroup[] {
    return this.tokens.filter((t): t is SqlGroup => t instanceof SqlGroup);
  }

  #matching(test: (t: SqlToken) => boolean, start: number, end?: number, reverse = false): Found {
    if (reverse) {
      for (let idx = start - 2; idx >= 0; idx--) {
        if (test(this.tokens[idx])) return [idx, this.tokens[idx]];
      }
      return [undefined, undefined];
    }
    const stop = end === undefined ? this.tokens.length : Math.min(end, this.tokens.length);
    for (let idx = Math.max(start, 0); idx < stop; idx++) {
      if (test(this.tokens[idx])) return [idx, this.tokens[idx]];
    }
    return [undefined, undefined];
  }

  tokenNextBy(by: Imt, idx = -1, end?: number): Found {
    return this.#matching((tk) => imt(tk, by), idx + 1, end);
  }

  tokenNotMatching(test: (t: SqlToken) => boolean, idx: number): Found {
    return this.#matching((tk) => !test(tk), idx);
  }

  tokenNext(idx: number | undefined, skipWs = true, skipCm = false, reverse = false): Found {
    if (idx === undefined) return [undefined, undefined];
    const keep = (tk: SqlToken) =>
      !((skipWs && tk.isWhitespace) || (skipCm && imt(tk, { t: "Comment", i: ["Comment"] })));
    return this.#matching(keep, idx + 1, undefined, reverse);
  }

  tokenPrev(idx: number | undefined, skipWs = true, skipCm = false): Found {
    return this.tokenNext(idx, skipWs, skipCm, true);
  }

  tokenIndex(token: SqlToken, start = 0): number {
    return start + this.tokens.slice(start).indexOf(token);
  }

  /** Replaces tokens[start..end] by a group of `kind` (or adds them to the group at `start` with `extend`). */
  groupTokens(kind: GroupKind, start: number, end: number, includeEnd = true, extend = false): SqlGroup {
    const first = this.tokens[start];
    const endIdx = end + (includeEnd ? 1 : 0);
    if (extend && first.is(kind)) {
      const group = first as SqlGroup;
      const moved = this.tokens.splice(start + 1, endIdx - start - 1);
      group.tokens.push(...moved);
      // sqlparse recomputes the whole text; the moved tokens are appended, so appending their text is the same.
      group.value += moved.map((t) => t.value).join("");
      return group;
    }
    const group = new SqlGroup(kind, this.tokens.slice(start, endIdx));
    // One token wrapped in place (most groups of names are) moves nothing.
    if (endIdx - start === 1) this.tokens[start] = group;
    else this.tokens.splice(start, endIdx - start, group);
    return group;
  }
}

/**
 * The leaf tokens of a token, in order.
 *
 * @example
 * ```ts
 * flatten(identifier).map((t) => t.value); // ["metrics", ".", "acc"]
 * ```
 */
export function flatten(token: SqlToken): SqlToken[] {
  return token instanceof SqlGroup ? token.tokens.flatMap(flatten) : [token];
}

const EOS_TYPES = ["Text.Whitespace", "Comment.Single"];

/** sqlparse's StatementSplitter: a statement ends at a `;` outside parentheses and blocks. */
function splitStatements(text: string): SqlGroup[] {
  const statements: SqlGroup[] = [];
  let tokens: SqlToken[] = [];
  let level = 0;
  let consumeWs = false;
  let isCreate = false;
  let beginDepth = 0;
  const change = (ttype: string, value: string): number => {
    if (ttype === "Punctuation" && value === "(") return 1;
    if (ttype === "Punctuation" && value === ")") return -1;
    if (!isUnder(ttype, "Keyword")) return 0;
    const unified = value.toUpperCase();
    if (ttype === "Keyword.DDL" && unified.startsWith("CREATE")) {
      isCreate = true;
      return 0;
    }
    if (unified === "DECLARE" && isCreate && beginDepth === 0) return 1;
    if (unified === "BEGIN") {
      beginDepth++;
      return isCreate ? 1 : 0;
    }
    if (unified === "END") {
      beginDepth = Math.max(0, beginDepth - 1);
      return -1;
    }
    if (["IF", "FOR", "WHILE", "CASE"].includes(unified) && isCreate && beginDepth > 0) return 1;
    if (["END IF", "END FOR", "END WHILE"].includes(unified)) return -1;
    return 0;
  };
  for (const { ttype, value, pos } of lex(text)) {
    if (consumeWs && !EOS_TYPES.includes(ttype)) {
      statements.push(new SqlGroup("Statement", tokens));
      tokens = [];
      level = 0;
      consumeWs = false;
      isCreate = false;
      beginDepth = 0;
    }
    level += change(ttype, value);
    tokens.push(new SqlToken(ttype, value, pos));
    if (level <= 0 && ttype === "Punctuation" && value === ";") consumeWs = true;
  }
  if (tokens.length && !tokens.every((t) => t.isWhitespace)) {
    statements.push(new SqlGroup("Statement", tokens));
  }
  return statements;
}

/**
 * `sqlparse.parse`: the statements of a text, each grouped.
 *
 * @example
 * ```ts
 * const [statement] = parseSql("metrics.acc > 0.9", groupStatement);
 * statement.tokens[0].is("Comparison"); // true
 * ```
 */
export function parseSql(text: string, group: (statement: SqlGroup) => void): SqlGroup[] {
  const statements = splitStatements(text);
  for (const statement of statements) group(statement);
  return statements;
}
