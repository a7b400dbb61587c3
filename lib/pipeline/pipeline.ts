/** An immutable, validated set of nodes in deterministic topological order, with Kedro's filters. */
import { didYouMeanHint, PipelineDefinitionError, throwIfAny } from "../errors.ts";
import { graphProblems } from "./graph.ts";
import { closure, linkNodes, toposort, uniqueNodes } from "./topology.ts";
import { transcodeBase } from "../dataset_names.ts";
import type { Node } from "./node.ts";
import type { SourceLocation } from "../errors.ts";

/** Filters for {@link Pipeline.filter}; each is applied to the whole pipeline and the results intersected. */
export interface PipelineFilter {
  /** Nodes with at least one of these tags (`--tags`). */
  tags?: string[];
  /** Only these nodes (`--nodes`). */
  nodeNames?: string[];
  /** These nodes and everything downstream of them (`--from-nodes`). */
  fromNodes?: string[];
  /** These nodes and everything upstream of them (`--to-nodes`). */
  toNodes?: string[];
  /** The nodes downstream of these datasets (`--from-inputs`). */
  fromInputs?: string[];
  /** The nodes upstream of these datasets (`--to-outputs`). */
  toOutputs?: string[];
  /** Nodes in these namespaces, nested ones included (`--namespaces`). */
  namespaces?: string[];
}

/** A training pipeline's `inference:` declaration, bound to the loaded inference pipeline (see inference.ts). */
export interface InferenceSpec {
  /** The loaded inference pipeline. */
  pipeline: Pipeline;
  /** As written under `inference.pipeline` (a registered name or a relative file). */
  ref: string;
  /** The inference pipeline's YAML file (absolute). */
  file: string;
  /** The file declaring it (absolute), or a label such as `--pipeline` for modelify. */
  declaredIn: string;
  /** kedro-mlflow's `input_name`: the inference input that receives the data to predict on. */
  inputName: string;
  /**
   * kedro-mlflow's `log_model` settings: artifact name, signature and input example (`auto` or none), and the
   * registered model name.
   */
  logModel: {
    name: string;
    signature: "auto" | null;
    inputExample: "auto" | null;
    registeredModelName: string | null;
  };
  /** kedro-mlflow's `copy_mode` of the datasets bundled in the model, one for all or by dataset name. */
  copyMode: "assign" | "copy" | "deepcopy" | Record<string, "assign" | "copy" | "deepcopy">;
  /** The YAML location of a key of the `inference:` entry, for errors. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /** The first consistency problem of `training` with this inference pipeline, if any. */
  firstProblem(training: Pipeline): string | undefined;
}

/** A pipeline's link to its inference model: kept, or dropped (by a filter or a union) with the reason. */
export interface MlBinding {
  /** The inference declaration. */
  spec: InferenceSpec;
  /** Why the model will not be logged for this (filtered or combined) pipeline; undefined when it will. */
  dropped?: string;
}

/** The JSON description of a pipeline (logged as a run artifact for DAG views). */
export interface PipelineJson {
  /** Each node: name, function, datasets, tags, namespace and the names of the nodes it depends on. */
  nodes: {
    name: string;
    func: string;
    inputs: string[];
    outputs: string[];
    tags: string[];
    namespace: string | null;
    dependencies: string[];
  }[];
  /** The pipeline's free inputs, sorted. */
  inputs: string[];
  /** The pipeline's free outputs, sorted. */
  outputs: string[];
}

/**
 * A pipeline. Construction validates the graph (duplicate names or outputs, cycles, transcoding)
 * and sorts nodes by generations, alphabetically within a generation.
 *
 * @example
 * ```ts
 * const p = new Pipeline([splitNode, trainNode]);
 * p.nodes.map((n) => n.name); // ["split", "train"]
 * const onlyTraining = p.filter({ tags: ["training"] });
 * ```
 */
export class Pipeline {
  /** The nodes in deterministic topological order (by generation, alphabetical within one). */
  readonly nodes: readonly Node[];
  readonly #parents: Map<Node, Node[]>;
  readonly #children: Map<Node, Node[]>;
  readonly #generations: Node[][];
  #inputs?: string[];
  #outputs?: string[];
  #ml?: MlBinding;

  /**
   * Validates the graph and sorts the nodes; an invalid graph throws a {@link PipelineDefinitionError} (a
   * {@link KmlfAggregateError} of them for several problems).
   */
  constructor(nodes: Iterable<Node>) {
    const list = uniqueNodes(nodes);
    throwIfAny(graphProblems(list), "Invalid pipeline");
    const links = linkNodes(list);
    this.#parents = links.parents;
    this.#children = links.children;
    this.#generations = toposort(list, links);
    this.nodes = Object.freeze(this.#generations.flat());
  }

  /**
   * The inference pipeline this (training) pipeline logs as a model — kedro-mlflow's `PipelineML`. Filters
   * keep it while the training part stays consistent with it; unions drop it, saying why in `dropped`.
   */
  get ml(): MlBinding | undefined {
    return this.#ml;
  }

  /**
   * The same nodes, bound to an inference pipeline (kedro-mlflow's `pipeline_ml_factory`).
   *
   * @example
   * ```ts
   * const trainingMl = training.withInference(spec);
   * ```
   */
  withInference(spec: InferenceSpec, dropped?: string): Pipeline {
    const bound = new Pipeline(this.nodes);
    bound.#ml = { spec, dropped };
    return bound;
  }

  /** Free inputs: read by some node, produced by none (compared by transcoding base). */
  inputs(): Set<string> {
    if (!this.#inputs) {
      const produced = new Set(this.nodes.flatMap((n) => n.outputs.map(transcodeBase)));
      this.#inputs = [...this.allInputs()].filter((i) => !produced.has(transcodeBase(i)));
    }
    return new Set(this.#inputs);
  }

  /** Free outputs: produced by some node, read by none. */
  outputs(): Set<string> {
    if (!this.#outputs) {
      const consumed = new Set(this.nodes.flatMap((n) => n.inputs.map(transcodeBase)));
      this.#outputs = [...this.allOutputs()].filter((o) => !consumed.has(transcodeBase(o)));
    }
    return new Set(this.#outputs);
  }

  /** Every input name of every node. */
  allInputs(): Set<string> {
    return new Set(this.nodes.flatMap((n) => n.inputs));
  }

  /** Every output name of every node. */
  allOutputs(): Set<string> {
    return new Set(this.nodes.flatMap((n) => n.outputs));
  }

  /** Every dataset name used (inputs and outputs, parameters included). */
  datasets(): Set<string> {
    return new Set(this.nodes.flatMap((n) => [...n.inputs, ...n.outputs]));
  }

  /** The nodes producing `node`'s inputs. */
  dependencies(node: Node): readonly Node[] {
    return this.#parents.get(node) ?? [];
  }

  /** The nodes reading `node`'s outputs. */
  children(node: Node): readonly Node[] {
    return this.#children.get(node) ?? [];
  }

  /** Topological generations (each alphabetical). */
  groupedNodes(): Node[][] {
    return this.#generations.map((g) => [...g]);
  }

  /** Nodes named exactly `names` (unknown names are an error with suggestions). */
  onlyNodes(...names: string[]): Pipeline {
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length > 0) {
      const suggestions = unknown.flatMap((u) =>
        this.nodes.filter((n) => n.name.endsWith(`.${u}`)).map((n) => n.name)
      );
      const guess = didYouMeanHint(unknown[0], byName.keys());
      throw new PipelineDefinitionError(
        "pipeline/unknown-node",
        `Pipeline has no node named ${unknown.map((u) => `"${u}"`).join(", ")}`,
        {
          hint: suggestions.length
            ? `did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?`
            : guess || `nodes: ${[...byName.keys()].slice(0, 20).join(", ")}`,
        },
      );
    }
    return new Pipeline(names.map((n) => byName.get(n)!));
  }

  /** Nodes with any of `tags`. */
  onlyNodesWithTags(...tags: string[]): Pipeline {
    return new Pipeline(this.nodes.filter((n) => tags.some((t) => n.tags.has(t))));
  }

  // A tag no node has (a typo, most often): the tags there are, and the closest one.
  #unknownTags(tags: string[] | undefined): string | undefined {
    const known = [...new Set(this.nodes.flatMap((n) => [...n.tags]))].sort();
    const unknown = (tags ?? []).filter((t) => !known.includes(t));
    if (unknown.length === 0) return undefined;
    const guess = didYouMeanHint(unknown[0], known);
    return `no node has tag ${unknown.map((t) => `"${t}"`).join(", ")}; ` +
      (known.length ? `tags: ${known.join(", ")}` : "this pipeline's nodes have no tags") +
      (guess ? `; ${guess}` : "");
  }

  /** Nodes in any of the namespaces (prefix on a dot boundary); unknown namespaces are an error. */
  onlyNodesWithNamespaces(...namespaces: string[]): Pipeline {
    const inNs = (n: Node, ns: string) => n.namespace === ns || (n.namespace ?? "").startsWith(`${ns}.`);
    const missing = namespaces.filter((ns) => !this.nodes.some((n) => inNs(n, ns)));
    if (missing.length > 0) {
      const known = [...new Set(this.nodes.map((n) => n.namespace).filter((x): x is string => !!x))];
      throw new PipelineDefinitionError(
        "pipeline/unknown-namespace",
        `Pipeline has no nodes in namespace ${missing.map((m) => `"${m}"`).join(", ")}`,
        {
          hint: known.length
            ? `namespaces: ${known.join(", ")}` +
              (didYouMeanHint(missing[0], known) ? `; ${didYouMeanHint(missing[0], known)}` : "")
            : "this pipeline has no namespaces",
        },
      );
    }
    return new Pipeline(this.nodes.filter((n) => namespaces.some((ns) => inNs(n, ns))));
  }

  /** The named nodes and everything downstream of them. */
  fromNodes(...names: string[]): Pipeline {
    return new Pipeline(closure(this.onlyNodes(...names).nodes, (n) => this.children(n)));
  }

  /** The named nodes and everything upstream of them. */
  toNodes(...names: string[]): Pipeline {
    return new Pipeline(closure(this.onlyNodes(...names).nodes, (n) => this.dependencies(n)));
  }

  /** Nodes consuming these datasets, and everything downstream. */
  fromInputs(...datasets: string[]): Pipeline {
    const start = this.nodes.filter((n) => n.inputs.some((i) => datasets.some((d) => sameDataset(i, d))));
    this.checkDatasets(datasets);
    return new Pipeline(closure(start, (n) => this.children(n)));
  }

  /** Nodes producing these datasets, and everything upstream. */
  toOutputs(...datasets: string[]): Pipeline {
    const start = this.nodes.filter((n) => n.outputs.some((o) => datasets.some((d) => sameDataset(o, d))));
    this.checkDatasets(datasets);
    return new Pipeline(closure(start, (n) => this.dependencies(n)));
  }

  /** Intersection of each given filter applied to this pipeline; an empty result is an error. */
  filter(f: PipelineFilter): Pipeline {
    const parts: Pipeline[] = [];
    const used: string[] = [];
    const add = (label: string, values: string[] | undefined, apply: (v: string[]) => Pipeline) => {
      if (!values || values.length === 0) return;
      used.push(`${label} ${values.join(",")}`);
      parts.push(apply(values));
    };
    add("--tags", f.tags, (v) => this.onlyNodesWithTags(...v));
    add("--nodes", f.nodeNames, (v) => this.onlyNodes(...v));
    add("--from-nodes", f.fromNodes, (v) => this.fromNodes(...v));
    add("--to-nodes", f.toNodes, (v) => this.toNodes(...v));
    add("--from-inputs", f.fromInputs, (v) => this.fromInputs(...v));
    add("--to-outputs", f.toOutputs, (v) => this.toOutputs(...v));
    add("--namespaces", f.namespaces, (v) => this.onlyNodesWithNamespaces(...v));
    if (parts.length === 0) return this;
    let result = parts.reduce((acc, p) => acc.intersection(p));
    if (result.nodes.length === 0) {
      throw new PipelineDefinitionError(
        "pipeline/empty-after-filter",
        `No nodes left after applying ${used.join(" and ")}`,
        {
          hint: this.#unknownTags(f.tags) ??
            "filters combine by intersection; relax one of them (`kmlf registry describe <pipeline>` lists the nodes)",
        },
      );
    }
    if (this.#ml) {
      // kedro-mlflow keeps the PipelineML through filters; a filtered training part that no longer
      // feeds the inference pipeline drops it (kedro-mlflow would raise) — never silently.
      const problem = this.#ml.dropped ? undefined : this.#ml.spec.firstProblem(result);
      const why = this.#ml.dropped ?? (problem && `after ${used.join(" and ")}, ${problem}`);
      result = result.withInference(this.#ml.spec, why);
    }
    return result;
  }

  /** Nodes of both pipelines; equal nodes merge, two different nodes with one name are an error. */
  union(other: Pipeline, label?: string): Pipeline {
    const result = new Pipeline([...this.nodes, ...other.nodes]);
    const ml = this.#ml ?? other.#ml;
    if (!ml) return result;
    // kedro-mlflow demotes a PipelineML added to another pipeline: the inference model is not logged.
    return result.withInference(
      ml.spec,
      ml.dropped ?? `${label ?? "the pipeline"} combines its training pipeline with other pipelines`,
    );
  }

  /** Nodes of this pipeline not in `other`. */
  difference(other: Pipeline): Pipeline {
    const drop = new Set(other.nodes.map((n) => n.name));
    return new Pipeline(this.nodes.filter((n) => !drop.has(n.name)));
  }

  /** Nodes in both pipelines. */
  intersection(other: Pipeline): Pipeline {
    const keep = new Set(other.nodes.map((n) => n.name));
    return new Pipeline(this.nodes.filter((n) => keep.has(n.name)));
  }

  /** Kedro's "Pipeline execution order" text. */
  describe(): string {
    return [
      "#### Pipeline execution order ####",
      `Inputs: ${[...this.inputs()].sort().join(", ")}`,
      "",
      ...this.nodes.map((n) => n.name),
      "",
      `Outputs: ${[...this.outputs()].sort().join(", ")}`,
      "##################################",
    ].join("\n");
  }

  /** A JSON description: nodes with their datasets, tags, namespace and dependencies. */
  toJSON(): PipelineJson {
    return {
      nodes: this.nodes.map((n) => ({
        name: n.name,
        func: n.funcRef,
        inputs: [...n.inputs],
        outputs: [...n.outputs],
        tags: [...n.tags].sort(),
        namespace: n.namespace ?? null,
        dependencies: this.dependencies(n).map((p) => p.name).sort(),
      })),
      inputs: [...this.inputs()].sort(),
      outputs: [...this.outputs()].sort(),
    };
  }

  /**
   * Refuses dataset names the pipeline does not use (with did-you-mean).
   * @ignore
   */
  private checkDatasets(datasets: string[]): void {
    const known = this.datasets();
    const unknown = datasets.filter((d) => ![...known].some((k) => sameDataset(k, d)));
    if (unknown.length > 0) {
      // A name a namespace prefixed (`cleaned` → `a.cleaned`, `b.cleaned`): every one, as for nodes.
      const namespaced = [...new Set(unknown.flatMap((u) => [...known].flatMap((k) => namespacedAs(k, u))))];
      throw new PipelineDefinitionError(
        "pipeline/unknown-dataset",
        `Pipeline does not use dataset(s) ${unknown.map((u) => `"${u}"`).join(", ")}`,
        {
          hint: namespaced.length
            ? `did you mean ${namespaced.map((s) => `"${s}"`).join(", ")}?`
            : didYouMeanHint(unknown[0], known) || "check the dataset names in the pipeline YAML",
        },
      );
    }
  }
}

// `name` as `query` under a namespace (`a.b.x` for `x`, `params:a.x` for `params:x`): [the name to suggest].
function namespacedAs(name: string, query: string): string[] {
  const prefix = query.startsWith("params:") ? "params:" : "";
  if (name.startsWith("params:") !== (prefix !== "")) return [];
  const rest = name.slice(prefix.length);
  const candidate = query.includes("@") ? rest : transcodeBase(rest);
  return candidate.endsWith(`.${query.slice(prefix.length)}`) ? [prefix + candidate] : [];
}

// "x" matches every transcoded variant "x@…"; "x@f" matches exactly.
function sameDataset(name: string, query: string): boolean {
  return query.includes("@") ? name === query : transcodeBase(name) === query;
}
