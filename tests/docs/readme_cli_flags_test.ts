/**
 * Every `kmlf` command and flag the README shows exists: each `kmlf …` in a code span or code block, and
 * each row of the "CLI" table, is looked up in the live command tree and its flags in that command's
 * `--help` text (which also shows Kedro's `-ns`/`-lv`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";
import { buildProgram } from "../../lib/cli/main.ts";
import type { Command } from "../../lib/cli/_commander/index.js";

interface Use {
  line: number;
  words: string[];
  flags: string[];
  /** Sibling subcommands a CLI table row names too (`kmlf pipeline create <name>` / `delete`). */
  siblings?: string[];
}

/** The command a list of words names (the longest path of subcommands from the root) and the words left. */
function resolve(root: Command, words: string[]): { path: Command[]; rest: string[] } {
  const path = [root];
  let i = 0;
  for (; i < words.length; i++) {
    const sub = path.at(-1)!.commands.find((c) => c.name() === words[i] || c.aliases().includes(words[i]));
    if (!sub) break;
    path.push(sub);
  }
  return { path, rest: words.slice(i) };
}

const FLAG = /^(-{1,2}[A-Za-z][A-Za-z0-9-]*)/;

/** `kmlf …` uses in the README: code spans, code block lines and the CLI table's rows. */
function readmeUses(readme: string): Use[] {
  const uses: Use[] = [];
  const lines = readme.split("\n");
  let inBlock = false;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.startsWith("```")) {
      inBlock = !inBlock;
      return;
    }
    const snippets = inBlock ? [text.replace(/#.*$/, "")] : [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    // A CLI table row: the first cell names the command, flags in the other cells belong to it.
    const row = !inBlock && /^\| `kmlf /.test(text) ? text.split(/(?<!\\)\|/) : undefined;
    if (row) {
      const command = row[1].match(/`kmlf ([^`]+)`/)![1];
      const words = command.split(/\s+/).filter((w) => /^[a-z][a-z-]*$/.test(w));
      const flags = [
        ...command.split(/\s+/),
        ...[...row.slice(1).join("|").matchAll(/`(-{1,2}[A-Za-z][^`]*)`/g)].flatMap((m) => m[1].split("/")),
      ]
        .map((f) => f.replace(/^[[(]/, ""))
        .map((f) => f.match(FLAG)?.[1])
        .filter((f): f is string => f !== undefined);
      const siblings = [...row[1].matchAll(/`([a-z][a-z-]*)`/g)].map((m) => m[1]);
      uses.push({ line, words, flags, siblings });
      return;
    }
    for (const snippet of snippets) {
      for (const part of snippet.split(/(?:^|\s)kmlf\s+/).slice(1)) {
        const tokens = part.split(/[\s|;&()]+/).filter(Boolean);
        const words: string[] = [];
        for (const t of tokens) {
          if (!/^[a-z][a-z-]*$/.test(t)) break;
          words.push(t);
        }
        const flags = tokens.map((t) => t.replace(/^\[/, "").match(FLAG)?.[1]).filter((f): f is string =>
          f !== undefined
        );
        uses.push({ line, words, flags });
      }
    }
  });
  return uses;
}

Deno.test("every kmlf command and flag the README shows exists in that command's --help", async () => {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const root = buildProgram([]);
  const uses = readmeUses(readme);
  assert.ok(uses.length > 100, `found ${uses.length} uses of kmlf in the README`);
  assert.ok(uses.flatMap((u) => u.flags).length > 150, "the README shows flags");
  const problems: string[] = [];
  for (const use of uses) {
    const { path, rest } = resolve(root, use.words);
    const command = path.at(-1)!;
    // A word after a command that has subcommands and takes no arguments is a misspelt subcommand.
    if (rest.length > 0 && command.commands.length > 0 && command.registeredArguments.length === 0) {
      problems.push(`README.md:${use.line}: kmlf ${use.words.join(" ")}: no command "${rest[0]}"`);
    }
    const siblings = (use.siblings ?? []).map((name) => path.at(-2)?.commands.find((c) => c.name() === name));
    for (const [i, sibling] of siblings.entries()) {
      if (!sibling) {
        problems.push(`README.md:${use.line}: no command "${use.siblings![i]}" beside ${command.name()}`);
      }
    }
    const help = [...path, ...siblings.filter((c) => c !== undefined)].map((c) => c.helpInformation()).join(
      "\n",
    );
    for (const flag of use.flags) {
      if (flag === "--help" || flag === "-h") continue;
      if (!new RegExp(`(^|[\\s,])${flag}([\\s,=]|$)`, "m").test(help)) {
        problems.push(
          `README.md:${use.line}: kmlf ${path.slice(1).map((c) => c.name()).join(" ")}: no flag ${flag}`,
        );
      }
    }
  }
  assert.deepEqual(problems, []);
});
