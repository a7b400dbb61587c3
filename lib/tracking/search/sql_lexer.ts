/**
 * sqlparse 0.4.2's lexer, as MLflow 2.17.2 runs it over filter and order_by strings: the same ordered
 * rule list, each tried at the current position, the first match wins, a character no rule takes is an
 * `Error` token. MLflow's error messages quote the tokens this produces, so the rules are copied as they
 * are (case-insensitive, Unicode), with Python's `\w`, `\s`, `\d` and `\b` spelled out.
 *
 * @module
 */
import { keywordType } from "./sql_keywords.ts";

/** One lexed token: sqlparse's token type (`Keyword`, `Literal.String.Single`, …), its text and offset. */
export interface LexedToken {
  ttype: string;
  value: string;
  pos: number;
}

// Python's Unicode classes (re with re.UNICODE): \w is letters, digits and numerics, and _; \s is
// str.isspace() (which, unlike JavaScript's \s, takes \x1c-\x1f and \x85, and not \ufeff).
const W = String.raw`[\p{L}\p{N}_]`;
const S = String.raw`[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
const NS = String.raw`[^\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
const D = String.raw`\p{Nd}`;
const B = String.raw`(?!${W})`; // \b after a word character
const A = "[A-ZÀ-Ü]";

/**
 * [pattern (with \w \s \S \d \b written as W S NS D B), token type or "keyword", the characters it can
 * start with (a superset; "S": whitespace, "L": a letter)]. The last column only spares trying rules that
 * cannot match; it never changes which one does.
 */
const RULES: [string, string, string][] = [
  [String.raw`(--|# )\+[^\n]*?(\r\n|\r|\n|$)`, "Comment.Single.Hint", String.raw`[-#]`],
  [String.raw`/\*\+[\s\S]*?\*/`, "Comment.Multiline.Hint", String.raw`\/`],
  [String.raw`(--|# )[^\n]*?(\r\n|\r|\n|$)`, "Comment.Single", String.raw`[-#]`],
  [String.raw`/\*[\s\S]*?\*/`, "Comment.Multiline", String.raw`\/`],
  [String.raw`(\r\n|\r|\n)`, "Text.Whitespace.Newline", String.raw`[\r\n]`],
  [`${S}+?`, "Text.Whitespace", "S"],
  [":=", "Assignment", String.raw`:`],
  ["::", "Punctuation", String.raw`:`],
  [String.raw`\*`, "Wildcard", String.raw`\*`],
  ["`(``|[^`])*`", "Name", "`"],
  ["´(´´|[^´])*´", "Name", "´"],
  [String.raw`((?<!${NS})\$(?:[_A-ZÀ-Ü]${W}*)?\$)[\s\S]*?\1`, "Literal", String.raw`\$`],
  [String.raw`\?`, "Name.Placeholder", String.raw`\?`],
  [String.raw`%(\(${W}+\))?s`, "Name.Placeholder", String.raw`%`],
  [String.raw`(?<!${W})[$:?]${W}+`, "Name.Placeholder", String.raw`[$:?]`],
  [String.raw`\\${W}+`, "Generic.Command", String.raw`\\`],
  [String.raw`(NOT${S}+)?(IN)${B}`, "Operator.Comparison", "L"],
  [String.raw`(CASE|IN|VALUES|USING|FROM|AS)${B}`, "Keyword", "L"],
  [String.raw`(@|##|#)${A}${W}+`, "Name", String.raw`[@#]`],
  [String.raw`${A}${W}*(?=${S}*\.)`, "Name", "L"],
  [String.raw`(?<=\.)${A}${W}*`, "Name", "L"],
  [String.raw`${A}${W}*(?=\()`, "Name", "L"],
  [String.raw`-?0x[${D}A-F]+`, "Literal.Number.Hexadecimal", String.raw`[-0]`],
  [String.raw`-?${D}+(\.${D}+)?E-?${D}+`, "Literal.Number.Float", String.raw`[-\p{Nd}]`],
  [
    String.raw`(?![_A-ZÀ-Ü])-?(${D}+(\.${D}*)|\.${D}+)(?![_A-ZÀ-Ü])`,
    "Literal.Number.Float",
    String.raw`[-.\p{Nd}]`,
  ],
  [String.raw`(?![_A-ZÀ-Ü])-?${D}+(?![_A-ZÀ-Ü])`, "Literal.Number.Integer", String.raw`[-\p{Nd}]`],
  [String.raw`'(''|\\'|[^'])*'`, "Literal.String.Single", String.raw`'`],
  [String.raw`"(""|\\"|[^"])*"`, "Literal.String.Symbol", String.raw`"`],
  [String.raw`(""|"[^\n]*?[^\\]")`, "Literal.String.Symbol", String.raw`"`],
  [String.raw`(?<![\p{L}\p{N}_\]\)])(\[[^\]\[]+\])`, "Name", String.raw`\[`],
  [
    String
      .raw`((LEFT${S}+|RIGHT${S}+|FULL${S}+)?(INNER${S}+|OUTER${S}+|STRAIGHT${S}+)?|(CROSS${S}+|NATURAL${S}+)?)?JOIN${B}`,
    "Keyword",
    "L",
  ],
  [String.raw`END(${S}+IF|${S}+LOOP|${S}+WHILE)?${B}`, "Keyword", "L"],
  [String.raw`NOT${S}+NULL${B}`, "Keyword", "L"],
  [String.raw`NULLS${S}+(FIRST|LAST)${B}`, "Keyword", "L"],
  [String.raw`UNION${S}+ALL${B}`, "Keyword", "L"],
  [String.raw`CREATE(${S}+OR${S}+REPLACE)?${B}`, "Keyword.DDL", "L"],
  [String.raw`DOUBLE${S}+PRECISION${B}`, "Name.Builtin", "L"],
  [String.raw`GROUP${S}+BY${B}`, "Keyword", "L"],
  [String.raw`ORDER${S}+BY${B}`, "Keyword", "L"],
  [String.raw`HANDLER${S}+FOR${B}`, "Keyword", "L"],
  [String.raw`(LATERAL${S}+VIEW${S}+)(EXPLODE|INLINE|PARSE_URL_TUPLE|POSEXPLODE|STACK)${B}`, "Keyword", "L"],
  [String.raw`(AT|WITH')${S}+TIME${S}+ZONE${S}+'[^']+'`, "Keyword.TZCast", "L"],
  [String.raw`(NOT${S}+)?(LIKE|ILIKE|RLIKE)${B}`, "Operator.Comparison", "L"],
  [String.raw`[0-9_A-ZÀ-Ü][_$#\p{L}\p{N}_]*`, "keyword", String.raw`[\p{L}\p{N}_]`],
  [String.raw`[;:()\[\],\.]`, "Punctuation", String.raw`[;:()\[\],.]`],
  [String.raw`[<>=~!]+`, "Operator.Comparison", String.raw`[<>=~!]`],
  [String.raw`[+/@#%^&|^-]+`, "Operator", String.raw`[+\/@#%^&|-]`],
];

// Python's `.` (any character but \n) is written [^\n]: JavaScript's also stops at \r, \u2028 and \u2029.
// Compiled on first use (~2.5 ms): every store module imports the search grammar, few commands search.
let compiled: { re: RegExp; ttype: string; first: RegExp }[] | undefined;
const CANDIDATES = new Map<string, NonNullable<typeof compiled>>();

function candidates(char: string): NonNullable<typeof compiled> {
  let list = CANDIDATES.get(char);
  if (!list) {
    compiled ??= RULES.map(([pattern, ttype, first]) => ({
      re: new RegExp(pattern, "iuy"),
      ttype,
      first: new RegExp(first === "S" ? S : first === "L" ? String.raw`\p{L}` : first, "u"),
    }));
    list = compiled.filter((rule) => rule.first.test(char));
    if (CANDIDATES.size < 4096) CANDIDATES.set(char, list);
  }
  return list;
}

/**
 * Splits text into sqlparse's tokens.
 *
 * @example
 * ```ts
 * lex("metrics.acc > 0.9").map((t) => t.ttype);
 * // ["Name", "Punctuation", "Name", "Text.Whitespace", "Operator.Comparison", "Text.Whitespace", "Literal.Number.Float"]
 * ```
 */
export function lex(text: string): LexedToken[] {
  const tokens: LexedToken[] = [];
  // A /* with no */ after it cannot start a comment: known without scanning to the end for every one of
  // them (which would make a run of unclosed /* quadratic).
  const lastCommentEnd = text.lastIndexOf("*/");
  let pos = 0;
  while (pos < text.length) {
    const char = String.fromCodePoint(text.codePointAt(pos)!);
    let matched = false;
    for (const { re, ttype } of candidates(char)) {
      if (ttype.startsWith("Comment.Multiline") && lastCommentEnd < pos + 2) continue;
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) continue;
      const value = m[0];
      // A rule matching nothing would not advance: sqlparse moves one character on (none of its rules
      // can match empty text except at the end of input, where the loop has stopped).
      if (value === "") continue;
      tokens.push({ ttype: ttype === "keyword" ? keywordType(value) : ttype, value, pos });
      pos += value.length;
      matched = true;
      break;
    }
    if (!matched) {
      tokens.push({ ttype: "Error", value: char, pos });
      pos += char.length;
    }
  }
  return tokens;
}
