/** Writing a name into a YAML template so that it reads back as the same text. */

// Words YAML 1.1 (PyYAML, OmegaConf) or 1.2 reads as booleans or null, in any case.
const SPECIAL = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

/**
 * `text` as a YAML scalar that reads back as this text under YAML 1.1 and 1.2: plain when it is
 * name-like (`iris`, `My Project`, `churn-model.v2`), double-quoted otherwise (`true`, `no`, `null`,
 * `2024`, `a: b`, `#x`). Light on purpose: templates use it without loading a YAML library.
 *
 * @example
 * ```ts
 * yamlText("no"); // "\"no\""
 * ```
 */
export function yamlText(text: string): string {
  return /^[A-Za-z_][\w .-]*$/.test(text) && !text.endsWith(" ") && !SPECIAL.test(text)
    ? text
    : JSON.stringify(text);
}
