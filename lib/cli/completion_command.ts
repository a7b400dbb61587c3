/** `kmlf completion bash|zsh|fish`: completion scripts generated from the live command tree. */
import type { Command } from "./_commander/index.js";
import { EXIT } from "./exit_codes.ts";
import { KEDRO_SHORT_FLAGS } from "./kedro_flags.ts";
import { out } from "./terminal.ts";

/**
 * Prints a completion script for `shell`.
 *
 * @example
 * ```ts
 * completionCommand("bash", buildProgram([])); // eval "$(kmlf completion bash)"
 * ```
 */
export function completionCommand(shell: string, program: Command): number {
  const words = commandWords(program);
  if (shell === "fish") {
    for (const [path, subs] of Object.entries(words)) {
      for (const w of subs) out(`complete -c kmlf -n '${fishCondition(path, words)}' -a '${w}'`);
    }
    return EXIT.ok;
  }
  const cases = Object.entries(words)
    .map(([path, subs]) => `    "${path}") opts="${subs.join(" ")}" ;;`).join("\n");
  // The command path is made of the words that extend a known path: a pipeline name, an option's value
  // or a file name in between does not end it (`kmlf run training -e local --t<TAB>`).
  const known = `|${Object.keys(words).filter((p) => p !== "").join("|")}|`;
  const body = `_kmlf_complete() {
  local cur path next i
  local known="${known}"
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *)
        next="\${path:+$path }\${COMP_WORDS[i]}"
        [[ "$known" == *"|$next|"* ]] && path="$next"
        ;;
    esac
  done
  local opts=""
  case "$path" in
${cases}
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}`;
  out(
    shell === "zsh"
      ? `autoload -U +X bashcompinit && bashcompinit\n${body}\ncomplete -F _kmlf_complete kmlf`
      : `${body}\ncomplete -F _kmlf_complete kmlf`,
  );
  return EXIT.ok;
}

// fish: the words of `path` are offered once its last command is given and none of its subcommands yet.
function fishCondition(path: string, words: Record<string, string[]>): string {
  if (path === "") return "__fish_use_subcommand";
  const subs = words[path].filter((w) => !w.startsWith("-"));
  const seen = path.split(" ").map((w) => `__fish_seen_subcommand_from ${w}`).join("; and ");
  return subs.length > 0 ? `${seen}; and not __fish_seen_subcommand_from ${subs.join(" ")}` : seen;
}

// "" → top-level words, "run" → run's flags (Kedro's -ns/-lv too), "registry" → its subcommands, ...
function commandWords(program: Command): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const kedroShort = (long: string | undefined, path: string) =>
    Object.entries(KEDRO_SHORT_FLAGS[path] ?? {}).find(([, l]) => l === long)?.[0];
  const walk = (cmd: Command, path: string) => {
    const subs = cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    const flags = cmd.options.flatMap((o) =>
      [o.long, o.short ?? kedroShort(o.long, path)].filter((f): f is string => !!f)
    );
    result[path] = [...subs, ...flags, "--help"];
    for (const sub of cmd.commands) {
      for (const name of [sub.name(), ...sub.aliases()]) walk(sub, path ? `${path} ${name}` : name);
    }
  };
  walk(program, "");
  return result;
}
