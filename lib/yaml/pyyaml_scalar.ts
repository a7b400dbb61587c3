/**
 * How PyYAML 6's emitters pick and write a scalar's style, ported line for line so kmlf's YAML files are
 * byte for byte what MLflow writes: `python` is PyYAML's own emitter (`yaml.safe_dump`, `yaml.dump`), `libyaml`
 * the C emitter behind `CSafeDumper` (MLflow's `write_yaml`). They differ in what is printable (libyaml
 * quotes emoji and U+0085), in where a double-quoted text folds, and in how long a simple key may be.
 *
 * @module
 */

/** Which of PyYAML's two emitters to follow. */
export type PyYamlEmitter = "python" | "libyaml";

/** What the analysis allows (PyYAML's ScalarAnalysis). */
export interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

/** The line breaks of `emitter` (libyaml counts `\r` too). */
export function isBreak(ch: string | undefined, emitter: PyYamlEmitter): boolean {
  return ch !== undefined && ch.length === 1 && ANALYSIS[emitter].breaks.test(ch);
}

/** Whether `ch` may be written as it is (else the text is double-quoted with escapes). */
function isPrintable(ch: string, emitter: PyYamlEmitter, allowUnicode: boolean): boolean {
  const c = ch.codePointAt(0)!;
  if (c === 0x0a || (c >= 0x20 && c <= 0x7e)) return true;
  if (!allowUnicode) return false;
  const bmp = (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
  if (emitter === "libyaml") return bmp && c !== 0xfeff;
  return (c === 0x85 || bmp || (c >= 0x10000 && c < 0x10ffff)) && c !== 0xfeff;
}

// PyYAML's character loop as whole-text regular expressions (the same answers; a scalar is analysed once
// per write, and a loop over its characters in cold code cost a tracked run ~2 ms for one MLmodel).
// BLANKZ: "\0 \t\r\n\x85\u2028\u2029"; `$` is the end of the text (no `m` flag).
const BLANK = "[\\0 \\t\\r\\n\\x85\\u2028\\u2029]";
const ANALYSIS = {
  // Indicators that forbid a plain text in flow context anywhere, or in block context too.
  flowAnywhere: /[,?[\]{}:]/,
  bothFirst: new RegExp(`^(?:[#,[\\]{}&*!|>'"%@\`]|-(?:${BLANK}|$))`, "u"),
  blockFirst: new RegExp(`^\\?(?:${BLANK}|$)`, "u"),
  colonBlank: new RegExp(`:(?:${BLANK}|$)`, "u"),
  hashAfterBlank: new RegExp(`${BLANK}#`, "u"),
  python: {
    breaks: /[\n\x85\u2028\u2029]/,
    spaceBreak: / [\n\x85\u2028\u2029]/,
    breakSpace: /[\n\x85\u2028\u2029] /,
    special: /[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10fffe}]/u,
  },
  libyaml: {
    breaks: /[\r\n\x85\u2028\u2029]/,
    spaceBreak: / [\r\n\x85\u2028\u2029]/,
    breakSpace: /[\r\n\x85\u2028\u2029] /,
    special: /[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/u,
  },
  asciiSpecial: /[^\n\x20-\x7e]/u,
};

/**
 * PyYAML's `analyze_scalar` (libyaml's `yaml_emitter_analyze_scalar` for `libyaml`).
 *
 * @example
 * ```ts
 * analyzeScalar("- x", "python", true).allowBlockPlain; // false
 * ```
 */
export function analyzeScalar(text: string, emitter: PyYamlEmitter, allowUnicode: boolean): ScalarAnalysis {
  if (text === "") {
    return {
      empty: true,
      multiline: false,
      allowFlowPlain: false,
      allowBlockPlain: true,
      allowSingleQuoted: true,
    };
  }
  const rules = ANALYSIS[emitter];
  const both = text.startsWith("---") || text.startsWith("...") || ANALYSIS.bothFirst.test(text) ||
    ANALYSIS.hashAfterBlank.test(text);
  const block = both || ANALYSIS.blockFirst.test(text) || ANALYSIS.colonBlank.test(text);
  const flow = both || ANALYSIS.flowAnywhere.test(text);
  const lineBreaks = rules.breaks.test(text);
  const special = (allowUnicode ? rules.special : ANALYSIS.asciiSpecial).test(text);
  const first = text[0];
  const last = text[text.length - 1];
  let plain = !(first === " " || last === " " || isBreak(first, emitter) || isBreak(last, emitter));
  let singleQuoted = true;
  if (rules.breakSpace.test(text) || rules.spaceBreak.test(text) || special) plain = singleQuoted = false;
  if (lineBreaks) plain = false;
  return {
    empty: false,
    multiline: lineBreaks,
    allowFlowPlain: plain && !flow,
    allowBlockPlain: plain && !block,
    allowSingleQuoted: singleQuoted,
  };
}

const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\t": "t",
  "\n": "n",
  "\x0b": "v",
  "\x0c": "f",
  "\r": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xa0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** `ch` as a double-quoted escape (`\n`, `\xE9`, `\u2030`, `\U0001F600`). */
export function escapeChar(ch: string): string {
  if (ESCAPES[ch]) return `\\${ESCAPES[ch]}`;
  const c = ch.codePointAt(0)!;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (c <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/** Whether a double-quoted text writes `ch` escaped. */
export function needsEscape(ch: string, emitter: PyYamlEmitter, allowUnicode: boolean): boolean {
  if ('"\\\x85\u2028\u2029\ufeff\r'.includes(ch)) return true;
  if (emitter === "libyaml") return ch === "\n" || !isPrintable(ch, emitter, allowUnicode);
  const c = ch.codePointAt(0)!;
  return !((c >= 0x20 && c <= 0x7e) ||
    (allowUnicode && ((c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd))));
}
