// Commands the UI shows to paste into a terminal: every argument is quoted for POSIX shells (sh, bash,
// zsh), so a name with spaces, quotes, `$`, `#` or `*` reaches kmlf as written.

// Characters no POSIX shell treats specially anywhere in a word: such a word is shown as is.
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument as a POSIX shell reads it back unchanged: plain words as they are, others in single quotes
 * (inside which nothing is special) with each `'` written as `'\''`.
 *
 * @example
 * ```js
 * shellQuote("runs:/ab12/model"); // "runs:/ab12/model"
 * shellQuote("runs:/ab12/my model"); // "'runs:/ab12/my model'"
 * shellQuote("it's $HOME"); // "'it'\\''s $HOME'"
 * ```
 */
export function shellQuote(word) {
  const text = String(word ?? "");
  return PLAIN.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * A command line from its words, each quoted with `shellQuote` (the program and fixed options too, which
 * stay as they are).
 *
 * @example
 * ```js
 * shellCommand(["kmlf", "models", "serve", "-m", "runs:/ab12/a b"]); // "kmlf models serve -m 'runs:/ab12/a b'"
 * ```
 */
export function shellCommand(words) {
  return words.map(shellQuote).join(" ");
}
