/**
 * kmlf.yml's paths written for another machine (see lib/foreign_path.ts): `conf_source`, `pipelines_dir`
 * and the modules of `hooks:` and `plugins:`. Kedro joins `settings.CONF_SOURCE` to the project path, so
 * `~/conf` is a folder named `~` there, and `C:\conf` or `conf\base` off Windows no folder the writer meant;
 * kmlf refuses each at its line.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import { foreignPath } from "../foreign_path.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";

/** The keys of a validated kmlf.yml this module reads. */
export interface SettingsPathKeys {
  conf_source: string;
  pipelines_dir: string;
  hooks?: string[] | null;
  plugins?: string[] | null;
}

const TILDE = "in kmlf.yml (its paths are relative to the project root: it would be a folder named ~)";

/**
 * Every kmlf.yml path written for another machine, as `settings/invalid` errors located at its value.
 *
 * @example
 * ```ts
 * foreignSettingsPaths({ conf_source: "~/conf", pipelines_dir: "pipelines" }, src.locate); // [ConfigError]
 * ```
 */
export function foreignSettingsPaths(
  raw: SettingsPathKeys,
  locate: (path: KeyPath) => SourceLocation,
): ConfigError[] {
  // A hook or plugin is `<module>#<export>`; its module is the path.
  const moduleOf = (ref: string) => ref.replace(/#[^#]*$/, "");
  const checks: [KeyPath, string, string][] = [
    [["conf_source"], raw.conf_source, "conf"],
    [["pipelines_dir"], raw.pipelines_dir, "pipelines"],
    ...(raw.hooks ?? []).map((
      ref,
      i,
    ): [KeyPath, string, string] => [["hooks", i], moduleOf(ref), "./hooks.ts"]),
    ...(raw.plugins ?? []).map((ref, i): [KeyPath, string, string] => [
      ["plugins", i],
      moduleOf(ref),
      "./plugins/my_plugin.ts",
    ]),
  ];
  return checks.flatMap(([keyPath, path, example]) => {
    const foreign = foreignPath(path, {
      tilde: TILDE,
      relative: `one relative to the project root (${example})`,
    });
    if (!foreign) return [];
    const key = typeof keyPath[1] === "number" ? `${keyPath[0]}[${keyPath[1]}] module` : keyPath[0];
    return [
      new ConfigError("settings/invalid", `Cannot use kmlf.yml ${key} "${path}": ${foreign.problem}`, {
        source: locate(keyPath),
        hint: foreign.hint,
      }),
    ];
  });
}
