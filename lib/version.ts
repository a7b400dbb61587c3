/** kmlf's version, kept in sync with deno.json by tests/version_test.ts. */
export const KMLF_VERSION = "0.1.0";
