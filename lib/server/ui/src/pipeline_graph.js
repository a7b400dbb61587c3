// The pipeline DAG as a graph to draw, with namespaces collapsed or expanded as in kedro-viz: a collapsed
// namespace is one node standing for all its nodes and the datasets used only inside it; an expanded one
// shows its members, named without the namespace prefix. A dataset belongs to the deepest namespace its
// name starts with (`data_science.X_train` → data_science) whose nodes are all that produce and use it;
// the others (free inputs, outputs, datasets between namespaces, parameters) stay outside. Free of the DOM.

const names = (x) => (Array.isArray(x) ? x : x && typeof x === "object" ? Object.values(x) : []).map(String);
export const isParam = (d) => d === "parameters" || d.startsWith("params:");

/** "a.b.c" → ["a", "a.b", "a.b.c"]. */
const prefixes = (ns) => (ns ? ns.split(".").map((_, i, parts) => parts.slice(0, i + 1).join(".")) : []);
const inside = (ns, outer) => ns === outer || (ns ?? "").startsWith(`${outer}.`);

/** Every namespace of the pipeline's nodes, parents included, sorted. */
export function namespacesOf(pipeline) {
  const all = new Set();
  for (const n of pipeline.nodes ?? []) for (const p of prefixes(n.namespace ?? "")) all.add(p);
  return [...all].sort();
}

/**
 * The namespace a dataset belongs to (see the module comment), or "" for the top level. Parameters stay
 * at the top level: they are a namespace's inputs, shown (or not, "Show parameters") beside its box.
 */
function datasetNamespace(name, users) {
  if (isParam(name)) return "";
  const candidates = prefixes(name.split(".").slice(0, -1).join(".")).reverse();
  return candidates.find((ns) => users.length > 0 && users.every((n) => inside(n.namespace, ns))) ?? "";
}

/** The name shown inside `ns`: without its prefix. */
const shortName = (name, ns) => (ns && name.startsWith(`${ns}.`) ? name.slice(ns.length + 1) : name);

/**
 * Items and edges to draw. Options: params (show parameter inputs), expanded (Set of namespaces shown
 * open; a namespace inside a collapsed one stays hidden). Items: {id, kind: node|dataset|param|namespace,
 * label, title, namespace (of the innermost open namespace holding it), data?, members?}.
 */
export function pipelineGraph(pipeline, { params = true, expanded = new Set() } = {}) {
  const nodes = pipeline.nodes ?? [];
  const users = new Map(); // dataset → nodes producing or using it
  for (const n of nodes) {
    for (const d of [...names(n.inputs), ...names(n.outputs)]) {
      if (!users.has(d)) users.set(d, []);
      users.get(d).push(n);
    }
  }
  // The outermost collapsed namespace holding `ns`, if any; else the innermost open one ("" at top).
  const placement = (ns) => {
    for (const p of prefixes(ns)) if (!expanded.has(p)) return { collapsed: p };
    return { open: ns ?? "" };
  };
  const items = new Map();
  const add = (item) => (items.has(item.id) ? items.get(item.id) : (items.set(item.id, item), item));
  const itemOf = (kind, name, ns, data) => {
    const where = placement(ns);
    if (where.collapsed !== undefined) {
      const group = add({
        id: `ns:${where.collapsed}`,
        kind: "namespace",
        label: shortName(where.collapsed, where.collapsed.split(".").slice(0, -1).join(".")),
        title: where.collapsed,
        namespace: where.collapsed.split(".").slice(0, -1).join("."),
        members: [],
      });
      if (kind === "node") group.members.push(data);
      return group;
    }
    return add({
      id: `${kind === "node" ? "n" : "d"}:${name}`,
      kind,
      label: shortName(name, where.open),
      title: name,
      namespace: where.open,
      data,
    });
  };
  const edges = new Map();
  const link = (a, b) => {
    if (a !== b) edges.set(`${a.id}\u0000${b.id}`, [a, b]);
  };
  const datasetItem = (d) =>
    itemOf(isParam(d) ? "param" : "dataset", d, datasetNamespace(d, users.get(d) ?? []));
  // Outputs first: a dataset a collapsed namespace both makes and reads inside is its output only
  // (the inner read is hidden with the namespace, as in kedro-viz; no loop back into the box).
  const producedBy = new Map();
  const nodeItems = nodes.map((n) => itemOf("node", n.name, n.namespace ?? "", n));
  for (const [i, n] of nodes.entries()) {
    const nodeItem = nodeItems[i];
    for (const d of names(n.outputs)) {
      const data = datasetItem(d);
      link(nodeItem, data);
      producedBy.set(data.id, nodeItem.id);
    }
  }
  for (const [i, n] of nodes.entries()) {
    const nodeItem = nodeItems[i];
    for (const d of names(n.inputs)) {
      if (!params && isParam(d)) continue;
      const data = datasetItem(d);
      if (producedBy.get(data.id) !== nodeItem.id || nodeItem.kind !== "namespace") link(data, nodeItem);
    }
  }
  for (const item of items.values()) {
    if (item.kind === "namespace") item.status = groupStatus(item.members);
  }
  return { items: [...items.values()], edges: [...edges.values()] };
}

/** A collapsed namespace's status: failed > interrupted > running… > completed > not_run. */
function groupStatus(members) {
  const statuses = new Set(members.map((n) => n.status ?? ""));
  for (const s of ["failed", "interrupted"]) if (statuses.has(s)) return s;
  if (statuses.size === 1) return [...statuses][0];
  return statuses.has("completed") ? "partial" : "";
}

/**
 * Layers left to right: each item after everything it depends on (longest path; a cycle made by
 * collapsing is broken at the edge that closes it), sources just before their first user; then a few
 * barycenter sweeps to reduce crossings. Sets item.layer and item.pos; returns the layers.
 */
export function layoutGraph(items, edges) {
  const preds = new Map(items.map((i) => [i.id, []]));
  const succs = new Map(items.map((i) => [i.id, []]));
  for (const [a, b] of edges) preds.get(b.id).push(a), succs.get(a.id).push(b);
  const rank = new Map();
  const visiting = new Set();
  // Iterative DFS over predecessors (deep pipelines must not overflow the stack).
  for (const start of items) {
    if (rank.has(start.id)) continue;
    const stack = [[start, 0]];
    visiting.add(start.id);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [item, i] = top;
      const ps = preds.get(item.id);
      if (i < ps.length) {
        top[1]++;
        const p = ps[i];
        if (!rank.has(p.id) && !visiting.has(p.id)) {
          visiting.add(p.id);
          stack.push([p, 0]);
        }
        continue;
      }
      let r = 0;
      for (const p of ps) if (rank.has(p.id)) r = Math.max(r, rank.get(p.id) + 1);
      rank.set(item.id, r);
      visiting.delete(item.id);
      stack.pop();
    }
  }
  for (const item of items) {
    if (preds.get(item.id).length === 0 && succs.get(item.id).length > 0) {
      rank.set(item.id, Math.max(0, Math.min(...succs.get(item.id).map((s) => rank.get(s.id))) - 1));
    }
  }
  const layers = [];
  for (const item of items) (layers[rank.get(item.id)] ??= []).push(item);
  const compact = layers.filter(Boolean);
  compact.forEach((layer, i) => layer.forEach((item, j) => ((item.layer = i), (item.pos = j))));
  for (let iter = 0; iter < 4; iter++) {
    const down = iter % 2 === 0;
    const order = down ? compact.slice(1) : compact.slice(0, -1).reverse();
    for (const layer of order) {
      const center = (item) => {
        const ns = (down ? preds : succs).get(item.id);
        return ns.length ? ns.reduce((sum, x) => sum + x.pos, 0) / ns.length : item.pos;
      };
      layer.sort((a, b) => center(a) - center(b));
      layer.forEach((item, j) => (item.pos = j));
    }
  }
  return compact;
}

/** The layered graph of a pipeline (see pipelineGraph for options; by default every namespace open). */
export function layout(pipeline, options = {}) {
  const expanded = options.expanded ?? new Set(namespacesOf(pipeline));
  const { items, edges } = pipelineGraph(pipeline, { ...options, expanded });
  const layers = layoutGraph(items, edges);
  return { items, edges, layers };
}
