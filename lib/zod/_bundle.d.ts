// Types of lib/zod/_bundle.js: npm zod/mini's own (the bundle holds only the functions kmlf calls; see
// tools/vendor_zod.ts, whose test fails when lib/ calls one it lacks).
export { z } from "zod/mini";
