/**
 * sqlparse 0.4.2's grouping engine (`sqlparse.engine.grouping`), step by step in its order: brackets,
 * functions, identifiers (`a.b`), operations, comparisons, aliases, lists. MLflow 2.17.2 accepts a filter
 * when its statement is comparisons and ANDs, and quotes the other top-level tokens in its error, so the
 * tree must come out exactly as sqlparse builds it.
 *
 * @module
 */
import { flatten, type GroupKind, type Imt, imt, isUnder, SqlGroup, type SqlToken } from "./sql_tree.ts";

const T_NUMERICAL = ["Literal.Number", "Literal.Number.Integer", "Literal.Number.Float"];
const T_STRING = ["Literal.String", "Literal.String.Single", "Literal.String.Symbol"];
const T_NAME = ["Name", "Name.Placeholder"];
// What each step's checks accept, built once (the checks run for every token of every pass).
const OPERAND: Imt = {
  i: ["SquareBrackets", "Parenthesis", "Function", "Identifier", "Operation", "TypedLiteral"],
  t: [...T_NUMERICAL, ...T_STRING, ...T_NAME],
};
const COMPARED: Imt = {
  i: ["Parenthesis", "Function", "Identifier", "Operation", "TypedLiteral"],
  t: [...T_NUMERICAL, ...T_STRING, ...T_NAME],
};
const LISTED: Imt = {
  i: ["Function", "Case", "Identifier", "Comparison", "IdentifierList", "Operation"],
  m: [["Keyword", ["null", "role"]]],
  t: [...T_NUMERICAL, ...T_STRING, ...T_NAME, "Keyword", "Comment", "Wildcard"],
};
const OPERATORS: Imt = { t: ["Operator", "Wildcard"] };

type Check = (token: SqlToken | undefined) => boolean;
type Post = (tlist: SqlGroup, pidx: number, tidx: number, nidx: number | undefined) => [number, number];

const MATCHING: Record<string, { open: Imt["m"]; close: Imt["m"] }> = {
  SquareBrackets: { open: [["Punctuation", "["]], close: [["Punctuation", "]"]] },
  Parenthesis: { open: [["Punctuation", "("]], close: [["Punctuation", ")"]] },
  Case: { open: [["Keyword", "CASE"]], close: [["Keyword", "END"]] },
  If: { open: [["Keyword", "IF"]], close: [["Keyword", "END IF"]] },
  For: { open: [["Keyword", ["FOR", "FOREACH"]]], close: [["Keyword", "END LOOP"]] },
  Begin: { open: [["Keyword", "BEGIN"]], close: [["Keyword", "END"]] },
};

/** Groups tokens that open and close (brackets, CASE … END), inside other groups too. */
function groupMatching(tlist: SqlGroup, kind: GroupKind): void {
  const { open, close } = MATCHING[kind];
  const opens: number[] = [];
  let offset = 0;
  for (const [idx, token] of [...tlist.tokens].entries()) {
    const tidx = idx - offset;
    if (token.isWhitespace) continue;
    if (token instanceof SqlGroup && !token.is(kind)) {
      groupMatching(token, kind);
      continue;
    }
    if (imt(token, { m: open })) opens.push(tidx);
    else if (imt(token, { m: close })) {
      const openIdx = opens.pop();
      if (openIdx === undefined) continue;
      tlist.groupTokens(kind, openIdx, tidx);
      offset += tidx - openIdx;
    }
  }
}

/** sqlparse's `_group`: joins prev, a matching middle token and next into one group. */
function group(
  tlist: SqlGroup,
  kind: GroupKind,
  match: (t: SqlToken) => boolean,
  validPrev: Check,
  validNext: Check,
  post: Post,
  extend = true,
  recurse = true,
): void {
  let offset = 0;
  let pidx: number | undefined;
  let prev: SqlToken | undefined;
  const snapshot = tlist.tokens.slice();
  for (let idx = 0; idx < snapshot.length; idx++) {
    const token = snapshot[idx];
    const tidx = idx - offset;
    if (tidx < 0) continue;
    if (token.isWhitespace) continue;
    if (recurse && token instanceof SqlGroup && !token.is(kind)) {
      group(token, kind, match, validPrev, validNext, post, extend);
    }
    if (match(token)) {
      const [nidx, next] = tlist.tokenNext(tidx);
      if (prev && validPrev(prev) && validNext(next)) {
        const [from, to] = post(tlist, pidx!, tidx, nidx);
        const grp = tlist.groupTokens(kind, from, to, true, extend);
        offset += to - from;
        pidx = from;
        prev = grp;
        continue;
      }
    }
    pidx = tidx;
    prev = token;
  }
}

/** sqlparse's `@recurse(*excluded)`: the function runs on every nested group first, then on this one. */
function recursing(excluded: GroupKind[], fn: (tlist: SqlGroup) => void): (tlist: SqlGroup) => void {
  const wrapped = (tlist: SqlGroup): void => {
    for (const sub of tlist.sublists()) {
      if (!excluded.some((kind) => sub.is(kind))) wrapped(sub);
    }
    fn(tlist);
  };
  return wrapped;
}

const notNull: Check = (t) => t !== undefined;
const always: Check = () => true;
const prevAndNext: Post = (_t, pidx, _tidx, nidx) => [pidx, nidx!];

const groupComments = recursing(["Comment"], (tlist) => {
  let [tidx, token] = tlist.tokenNextBy({ t: "Comment" });
  while (token) {
    let [eidx, end] = tlist.tokenNotMatching((tk) => imt(tk, { t: "Comment" }) || tk.isWhitespace, tidx!);
    if (end !== undefined) {
      [eidx, end] = tlist.tokenPrev(eidx, false);
      tlist.groupTokens("Comment", tidx!, eidx!);
    }
    [tidx, token] = tlist.tokenNextBy({ t: "Comment" }, tidx);
  }
});

const groupFunctions = recursing(["Function"], (tlist) => {
  const values = tlist.tokens.map((t) => t.value);
  if (values.includes("CREATE") && values.includes("TABLE")) return;
  let [tidx, token] = tlist.tokenNextBy({ t: "Name" });
  while (token) {
    const [nidx, next] = tlist.tokenNext(tidx);
    if (next?.is("Parenthesis")) tlist.groupTokens("Function", tidx!, nidx!);
    [tidx, token] = tlist.tokenNextBy({ t: "Name" }, tidx);
  }
});

const WHERE_CLOSE = [
  "ORDER BY",
  "GROUP BY",
  "LIMIT",
  "UNION",
  "UNION ALL",
  "EXCEPT",
  "HAVING",
  "RETURNING",
  "INTO",
];

const groupWhere = recursing(["Where"], (tlist) => {
  let [tidx, token] = tlist.tokenNextBy({ m: [["Keyword", "WHERE"]] });
  while (token) {
    const [eidx, endToken] = tlist.tokenNextBy({ m: [["Keyword", WHERE_CLOSE]] }, tidx);
    const end = endToken === undefined ? tlist.groupable.at(-1)! : tlist.tokens[eidx! - 1];
    tlist.groupTokens("Where", tidx!, tlist.tokenIndex(end));
    [tidx, token] = tlist.tokenNextBy({ m: [["Keyword", "WHERE"]] }, tidx);
  }
});

function groupPeriod(tlist: SqlGroup): void {
  group(
    tlist,
    "Identifier",
    (t) => t.match("Punctuation", "."),
    (t) => imt(t, { i: ["SquareBrackets", "Identifier"], t: ["Name", "Literal.String.Symbol"] }),
    always,
    (tl, pidx, tidx, nidx) => {
      const next = nidx === undefined ? undefined : tl.tokens[nidx];
      const valid = imt(next, {
        i: ["SquareBrackets", "Function"],
        t: ["Name", "Literal.String.Symbol", "Wildcard"],
      });
      return valid ? [pidx, nidx!] : [pidx, tidx];
    },
  );
}

function groupArrays(tlist: SqlGroup): void {
  group(
    tlist,
    "Identifier",
    (t) => t.is("SquareBrackets"),
    (t) => imt(t, { i: ["SquareBrackets", "Identifier", "Function"], t: ["Name", "Literal.String.Symbol"] }),
    always,
    (_t, pidx, tidx) => [pidx, tidx],
    true,
    false,
  );
}

const groupIdentifier = recursing(["Identifier"], (tlist) => {
  const by = { t: ["Literal.String.Symbol", "Name"] };
  let [tidx, token] = tlist.tokenNextBy(by);
  while (token) {
    tlist.groupTokens("Identifier", tidx!, tidx!);
    [tidx, token] = tlist.tokenNextBy(by, tidx);
  }
});

function groupOrder(tlist: SqlGroup): void {
  let [tidx, token] = tlist.tokenNextBy({ t: "Keyword.Order" });
  while (token) {
    const [pidx, prev] = tlist.tokenPrev(tidx);
    if (imt(prev, { i: ["Identifier"], t: "Literal.Number" })) {
      tlist.groupTokens("Identifier", pidx!, tidx!);
      tidx = pidx;
    }
    [tidx, token] = tlist.tokenNextBy({ t: "Keyword.Order" }, tidx);
  }
}

function groupTypecasts(tlist: SqlGroup): void {
  group(tlist, "Identifier", (t) => t.match("Punctuation", "::"), notNull, notNull, prevAndNext);
}

function groupTzcasts(tlist: SqlGroup): void {
  group(tlist, "Identifier", (t) => t.ttype === "Keyword.TZCast", notNull, notNull, prevAndNext);
}

const TYPED_OPEN: Imt["m"] = [["Name.Builtin", null], ["Keyword", "TIMESTAMP"]];
const TYPED_EXTEND = ["DAY", "HOUR", "MINUTE", "MONTH", "SECOND", "YEAR"];

function groupTypedLiteral(tlist: SqlGroup): void {
  const post: Post = (_t, _pidx, tidx, nidx) => [tidx, nidx!];
  group(
    tlist,
    "TypedLiteral",
    (t) => imt(t, { m: TYPED_OPEN }),
    notNull,
    (t) => t !== undefined && t.match("Literal.String.Single"),
    post,
    false,
  );
  group(
    tlist,
    "TypedLiteral",
    (t) => t.is("TypedLiteral"),
    notNull,
    (t) => t !== undefined && t.match("Keyword", TYPED_EXTEND),
    post,
    true,
  );
}

function groupOperator(tlist: SqlGroup): void {
  const valid: Check = (t) =>
    imt(t, OPERAND) ||
    (t !== undefined && t.match("Keyword", ["CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"]));
  group(
    tlist,
    "Operation",
    (t) => imt(t, OPERATORS),
    valid,
    valid,
    (tl, pidx, tidx, nidx) => {
      tl.tokens[tidx].ttype = "Operator";
      return [pidx, nidx!];
    },
    false,
  );
}

function groupComparison(tlist: SqlGroup): void {
  const valid: Check = (t) => imt(t, COMPARED) || (t !== undefined && t.isKeyword && t.normalized === "NULL");
  group(tlist, "Comparison", (t) => t.ttype === "Operator.Comparison", valid, valid, prevAndNext, false);
}

function groupAs(tlist: SqlGroup): void {
  group(
    tlist,
    "Identifier",
    (t) => t.isKeyword && t.normalized === "AS",
    (t) => t!.normalized === "NULL" || !t!.isKeyword,
    (t) => !imt(t, { t: ["Keyword.DML", "Keyword.DDL", "Keyword.CTE"] }) && t !== undefined,
    prevAndNext,
  );
}

const groupAliased = recursing([], (tlist) => {
  const by: Imt = {
    i: ["Parenthesis", "Function", "Case", "Identifier", "Operation", "Comparison"],
    t: "Literal.Number",
  };
  let [tidx, token] = tlist.tokenNextBy(by);
  while (token) {
    const [nidx, next] = tlist.tokenNext(tidx);
    if (next?.is("Identifier")) tlist.groupTokens("Identifier", tidx!, nidx!, true, true);
    [tidx, token] = tlist.tokenNextBy(by, tidx);
  }
});

function groupAssignment(tlist: SqlGroup): void {
  const valid: Check = (t) => t !== undefined && !imt(t, { t: "Keyword" });
  group(tlist, "Assignment", (t) => t.match("Assignment", ":="), valid, valid, (tl, pidx, _tidx, nidx) => {
    const [semicolon] = tl.tokenNextBy({ m: [["Punctuation", ";"]] }, nidx);
    return [pidx, semicolon || nidx!];
  });
}

const alignComments = recursing([], (tlist) => {
  let [tidx, token] = tlist.tokenNextBy({ i: ["Comment"] });
  while (token) {
    const [pidx, prev] = tlist.tokenPrev(tidx);
    if (prev?.is("TokenList")) {
      tlist.groupTokens("TokenList", pidx!, tidx!, true, true);
      tidx = pidx;
    }
    [tidx, token] = tlist.tokenNextBy({ i: ["Comment"] }, tidx);
  }
});

function groupIdentifierList(tlist: SqlGroup): void {
  const valid: Check = (t) => imt(t, LISTED);
  group(tlist, "IdentifierList", (t) => t.match("Punctuation", ","), valid, valid, prevAndNext, true);
}

function groupValues(tlist: SqlGroup): void {
  let [tidx, token] = tlist.tokenNextBy({ m: [["Keyword", "VALUES"]] });
  const start = tidx;
  let end = -1;
  while (token) {
    if (token.is("Parenthesis")) end = tidx!;
    [tidx, token] = tlist.tokenNext(tidx);
  }
  if (end !== -1) tlist.groupTokens("Values", start!, end, true, true);
}

/**
 * The grouping steps in sqlparse's order, each with the leaf token it needs: a step is skipped when the
 * statement holds none (it would change nothing), which saves most of the work on short filters.
 */
const STEPS: [(tlist: SqlGroup) => void, (leaf: SqlToken) => boolean][] = [
  [groupComments, (t) => isUnder(t.ttype, "Comment")],
  [(t) => groupMatching(t, "SquareBrackets"), (t) => t.match("Punctuation", "[")],
  [(t) => groupMatching(t, "Parenthesis"), (t) => t.match("Punctuation", "(")],
  [(t) => groupMatching(t, "Case"), (t) => t.match("Keyword", "CASE")],
  [(t) => groupMatching(t, "If"), (t) => t.match("Keyword", "IF")],
  [(t) => groupMatching(t, "For"), (t) => t.match("Keyword", ["FOR", "FOREACH"])],
  [(t) => groupMatching(t, "Begin"), (t) => t.match("Keyword", "BEGIN")],
  [groupFunctions, (t) => t.match("Punctuation", "(")],
  [groupWhere, (t) => t.match("Keyword", "WHERE")],
  [groupPeriod, (t) => t.match("Punctuation", ".")],
  [groupArrays, (t) => t.match("Punctuation", "[")],
  [groupIdentifier, () => true],
  [groupOrder, (t) => t.ttype === "Keyword.Order"],
  [groupTypecasts, (t) => t.match("Punctuation", "::")],
  [groupTzcasts, (t) => t.ttype === "Keyword.TZCast"],
  [groupTypedLiteral, (t) => t.ttype === "Name.Builtin" || t.match("Keyword", "TIMESTAMP")],
  [groupOperator, (t) => t.ttype === "Operator" || t.ttype === "Wildcard"],
  [groupComparison, (t) => t.ttype === "Operator.Comparison"],
  [groupAs, (t) => t.isKeyword && t.normalized === "AS"],
  [groupAliased, () => true],
  [groupAssignment, (t) => t.match("Assignment", ":=")],
  [alignComments, (t) => isUnder(t.ttype, "Comment")],
  [groupIdentifierList, (t) => t.match("Punctuation", ",")],
  [groupValues, (t) => t.match("Keyword", "VALUES")],
];

/**
 * `sqlparse.engine.grouping.group`: every grouping step in sqlparse's order, in place.
 *
 * @example
 * ```ts
 * const [statement] = parseSql("a = 1 AND b = 'x'", groupStatement); // Comparison, AND, Comparison
 * ```
 */
export function groupStatement(statement: SqlGroup): void {
  const leaves = flatten(statement);
  for (const [step, needs] of STEPS) {
    if (leaves.some(needs)) step(statement);
  }
}
