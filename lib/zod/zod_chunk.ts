/**
 * The zod bundle, as the module lib/zod/on_demand.ts imports by a computed URL when a value has to be parsed
 * (kmlf's bundle makes each such target an entry of its own, so the zod chunk stays off a cached run's path).
 *
 * @module
 */
export { z } from "./_bundle.js";
