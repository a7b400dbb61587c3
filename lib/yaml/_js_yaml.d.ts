// Types of lib/yaml/_js_yaml.js: npm js-yaml's own, less the dumper the module leaves out
// (tools/vendor_js_yaml.ts).
export {
  CORE_SCHEMA,
  DEFAULT_SCHEMA,
  FAILSAFE_SCHEMA,
  JSON_SCHEMA,
  load,
  loadAll,
  Schema,
  Type,
  types,
  YAMLException,
} from "js-yaml";
export type { LoadOptions } from "js-yaml";
