// Hash routes of the model registry pages: #/models, #/models/<name>, #/models/<name>/versions/<v>.

/**
 * The registry route for decoded path parts, or undefined when the path is not a registry page.
 * @returns {{name: string, params: Record<string, any>, query: URLSearchParams} | undefined}
 */
export function parseModelRoute(parts, query) {
  if (parts[0] !== "models") return undefined;
  if (parts.length === 1) return { name: "models", params: {}, query };
  if (parts.length === 2) return { name: "model", params: { name: parts[1] }, query };
  if (parts.length === 4 && parts[2] === "versions") {
    return { name: "model-version", params: { name: parts[1], version: parts[3] }, query };
  }
  return undefined;
}
