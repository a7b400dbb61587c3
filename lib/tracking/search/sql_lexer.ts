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

/** [pattern (with \w \s \S \d \b written as W S NS D B), token type or "keyword"]. */
const RULES: [string, string][] = [
  [String.raw`(--|# )\+[^\n]*?(\r\n|\r|\n|$)`, "Comment.Single.Hint"],
  [String.raw`/\*\+[\s\S]*?\*/`, "Comment.Multiline.Hint"],
  [String.raw`(--|# )[^\n]*?(\r\n|\r|\n|$)`, "Comment.Single"],
  [String.raw`/\*[\s\S]*?\*/`, "Comment.Multiline"],
  [String.raw`(\r\n|\r|\n)`, "Text.Whitespace.Newline"],
  [`${S}+?`, "Text.Whitespace"],
  [":=", "Assignment"],
  ["::", "Punctuation"],
  [String.raw`\*`, "Wildcard"],
  ["`(``|[^`])*`", "Name"],
  ["´(´´|[^´])*´", "Name"],
  [String.raw`((?<!${NS})\$(?:[_A-ZÀ-Ü]${W}*)?\$)[\s\S]*?\1`, "Literal"],
  [String.raw`\?`, "Name.Placeholder"],
  [String.raw`%(\(${W}+\))?s`, "Name.Placeholder"],
  [String.raw`(?<!${W})[$:?]${W}+`, "Name.Placeholder"],
  [String.raw`\\${W}+`, "Generic.Command"],
  [String.raw`(NOT${S}+)?(IN)${B}`, "Operator.Comparison"],
  [String.raw`(CASE|IN|VALUES|USING|FROM|AS)${B}`, "Keyword"],
  [String.raw`(@|##|#)${A}${W}+`, "Name"],
  [String.raw`${A}${W}*(?=${S}*\.)`, "Name"],
  [String.raw`(?<=\.)${A}${W}*`, "Name"],
  [String.raw`${A}${W}*(?=\()`, "Name"],
  [String.raw`-?0x[${D}A-F]+`, "Literal.Number.Hexadecimal"],
  [String.raw`-?${D}+(\.${D}+)?E-?${D}+`, "Literal.Number.Float"],
  [String.raw`(?![_A-ZÀ-Ü])-?(${D}+(\.${D}*)|\.${D}+)(?![_A-ZÀ-Ü])`, "Literal.Number.Float"],
  [String.raw`(?![_A-ZÀ-Ü])-?${D}+(?![_A-ZÀ-Ü])`, "Literal.Number.Integer"],
  [String.raw`'(''|\\'|[^'])*'`, "Literal.String.Single"],
  [String.raw`"(""|\\"|[^"])*"`, "Literal.String.Symbol"],
  [String.raw`(""|"[^\n]*?[^\\]")`, "Literal.String.Symbol"],
  [String.raw`(?<![\p{L}\p{N}_\]\)])(\[[^\]\[]+\])`, "Name"],
  [
    String
      .raw`((LEFT${S}+|RIGHT${S}+|FULL${S}+)?(INNER${S}+|OUTER${S}+|STRAIGHT${S}+)?|(CROSS${S}+|NATURAL${S}+)?)?JOIN${B}`,
    "Keyword",
  ],
  [String.raw`END(${S}+IF|${S}+LOOP|${S}+WHILE)?${B}`, "Keyword"],
  [String.raw`NOT${S}+NULL${B}`, "Keyword"],
  [String.raw`NULLS${S}+(FIRST|LAST)${B}`, "Keyword"],
  [String.raw`UNION${S}+ALL${B}`, "Keyword"],
  [String.raw`CREATE(${S}+OR${S}+REPLACE)?${B}`, "Keyword.DDL"],
  [String.raw`DOUBLE${S}+PRECISION${B}`, "Name.Builtin"],
  [String.raw`GROUP${S}+BY${B}`, "Keyword"],
  [String.raw`ORDER${S}+BY${B}`, "Keyword"],
  [String.raw`HANDLER${S}+FOR${B}`, "Keyword"],
  [String.raw`(LATERAL${S}+VIEW${S}+)(EXPLODE|INLINE|PARSE_URL_TUPLE|POSEXPLODE|STACK)${B}`, "Keyword"],
  [String.raw`(AT|WITH')${S}+TIME${S}+ZONE${S}+'[^']+'`, "Keyword.TZCast"],
  [String.raw`(NOT${S}+)?(LIKE|ILIKE|RLIKE)${B}`, "Operator.Comparison"],
  [String.raw`[0-9_A-ZÀ-Ü][_$#\p{L}\p{N}_]*`, "keyword"],
  [String.raw`[;:()\[\],\.]`, "Punctuation"],
  [String.raw`[<>=~!]+`, "Operator.Comparison"],
  [String.raw`[+/@#%^&|^-]+`, "Operator"],
];

// Python's `.` (any character but \n) is written [^\n]: JavaScript's also stops at \r, \u2028 and \u2029.
const COMPILED = RULES.map(([pattern, ttype]) => ({ re: new RegExp(pattern, "iuy"), ttype }));

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
  let pos = 0;
  while (pos < text.length) {
    let matched = false;
    for (const { re, ttype } of COMPILED) {
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
      const char = String.fromCodePoint(text.codePointAt(pos)!);
      tokens.push({ ttype: "Error", value: char, pos });
      pos += char.length;
    }
  }
  return tokens;
}
