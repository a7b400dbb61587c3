/** `kmlf completion bash|zsh|fish`: completion scripts generated from the live command tree. */
import type { Command } from "./_commander/index.js";
import { EXIT } from "./exit_codes.ts";
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
      const cond = path ? `__fish_seen_subcommand_from ${path.split(" ").at(-1)}` : "__fish_use_subcommand";
      for (const w of subs) out(`complete -c kmlf -n '${cond}' -a '${w}'`);
    }
    return EXIT.ok;
  }
  const cases = Object.entries(words)
    .map(([path, subs]) => `    "${path}") opts="${subs.join(" ")}" ;;`).join("\n");
  const body = `_kmlf_complete() {
  local cur path i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
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

// "" → top-level words, "run" → run's flags, "registry" → its subcommands, ...
function commandWords(program: Command): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const walk = (cmd: Command, path: string) => {
    const subs = cmd.commands.map((c) => c.name());
    const flags = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
    result[path] = [...subs, ...flags, "--help"];
    for (const sub of cmd.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, "");
  return result;
}
