// Types of lib/zod/_bundle.js: npm zod's own (the bundle holds only the builders kmlf calls; see
// tools/vendor_zod.ts, whose test fails when lib/ calls one it lacks).
export { z } from "zod";
