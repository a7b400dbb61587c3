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

const BLANKZ = new Set(["\0", " ", "\t", "\r", "\n", "\x85", "\u2028", "\u2029"]);
const PY_BREAKS = new Set(["\n", "\x85", "\u2028", "\u2029"]);
const LIBYAML_BREAKS = new Set(["\r", ...PY_BREAKS]);

/** The line breaks of `emitter` (libyaml counts `\r` too). */
export function isBreak(ch: string | undefined, emitter: PyYamlEmitter): boolean {
  return ch !== undefined && (emitter === "libyaml" ? LIBYAML_BREAKS : PY_BREAKS).has(ch);
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

/**
 * PyYAML's `analyze_scalar` (libyaml's `yaml_emitter_analyze_scalar` for `libyaml`).
 *
 * @example
 * ```ts
 * analyzeScalar(["-", " ", "x"], "python", true).allowBlockPlain; // false
 * ```
 */
export function analyzeScalar(
  chars: string[],
  emitter: PyYamlEmitter,
  allowUnicode: boolean,
): ScalarAnalysis {
  if (chars.length === 0) {
    return {
      empty: true,
      multiline: false,
      allowFlowPlain: false,
      allowBlockPlain: true,
      allowSingleQuoted: true,
    };
  }
  const text = chars.join("");
  let block = text.startsWith("---") || text.startsWith("...");
  let flow = block;
  let lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const followedByWhitespace = i + 1 >= chars.length || BLANKZ.has(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) flow = block = true;
      if (ch === "?" || ch === ":") {
        flow = true;
        if (followedByWhitespace) block = true;
      }
      if (ch === "-" && followedByWhitespace) flow = block = true;
    } else {
      if (",?[]{}".includes(ch)) flow = true;
      if (ch === ":") {
        flow = true;
        if (followedByWhitespace) block = true;
      }
      if (ch === "#" && precededByWhitespace) flow = block = true;
    }
    const isBrk = isBreak(ch, emitter);
    if (isBrk) lineBreaks = true;
    if (!isPrintable(ch, emitter, allowUnicode)) special = true;
    if (ch === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBrk) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = BLANKZ.has(ch);
  }
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let singleQuoted = true;
  if (breakSpace) plain = singleQuoted = false;
  if (spaceBreak || special) plain = singleQuoted = false;
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
