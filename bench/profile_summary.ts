/**
 * Summarizes a V8 CPU profile (`deno run --cpu-prof --cpu-prof-dir=DIR …`): time by category (idle,
 * GC, compile/parse, program), self time by module group (kmlf's own folders, each npm package, Deno's
 * Node compatibility layer, Deno's runtime) and the top functions by self time.
 * Run: `deno run --allow-read bench/profile_summary.ts DIR/CPU.*.cpuprofile [--top=25]`.
 * Several profiles are summed (the figures are then per profile, averaged).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The group a function's time is charged to: a kmlf folder, an npm package, node compat, or V8. */
export function groupOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(garbage collector)") return "(gc)";
    if (functionName === "(program)") return "(program: compile, parse, runtime)";
    if (functionName === "(root)") return "(root)";
    return "(native)";
  }
  const npm = url.match(/\/npm\/registry\.npmjs\.org\/(@[^/]+\/[^/]+|[^/]+)\//);
  if (npm) return `npm:${npm[1]}`;
  if (url.startsWith("node:") || url.startsWith("ext:deno_node") || url.includes("/ext/node/")) {
    return "deno node compat";
  }
  if (url.startsWith("ext:")) return `deno runtime (${url.split("/")[0]})`;
  const lib = url.match(/\/lib\/([^/]+)(\/|\.ts)/);
  if (lib) return `kmlf lib/${lib[1]}`;
  if (url.includes("/pipelines/")) return "project nodes";
  return url.replace(/^file:\/\//, "");
}

function summarize(profiles: CpuProfile[], top: number): void {
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i])!;
      // The delta after a sample is the time spent in it (V8's convention: the next sample's delta).
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      total += dt;
      const group = groupOf(node.callFrame);
      byGroup.set(group, (byGroup.get(group) ?? 0) + dt);
      const f = node.callFrame;
      const where = f.url
        ? `${f.url.replace(/^.*\/(lib|npm\/registry\.npmjs\.org)\//, "")}:${f.lineNumber + 1}`
        : "";
      const key = `${f.functionName || "(anonymous)"} ${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    }
  }
  const n = profiles.length;
  const line = (name: string, ms: number) =>
    console.log(
      `${(ms / n).toFixed(1).padStart(8)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`,
    );
  console.log(`profiled time: ${(total / n).toFixed(1)} ms per profile (${n} profile(s))\n\nby group:`);
  for (const [g, ms] of [...byGroup].sort((a, b) => b[1] - a[1])) if (ms / n >= 0.5) line(g, ms);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [f, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) line(f, ms);
}

if (import.meta.main) {
  const files = Deno.args.filter((a) => !a.startsWith("--"));
  const topArg = Deno.args.find((a) => a.startsWith("--top="));
  if (files.length === 0) {
    console.error("usage: deno run --allow-read bench/profile_summary.ts PROFILE.cpuprofile… [--top=25]");
    Deno.exit(2);
  }
  const profiles = files.map((f) => JSON.parse(Deno.readTextFileSync(f)) as CpuProfile);
  summarize(profiles, topArg ? Number(topArg.slice(6)) : 25);
}
