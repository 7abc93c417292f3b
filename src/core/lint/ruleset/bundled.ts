/**
 * The rulesets shipped with SpecGate, by name. Apart from the loader (./load.ts) so that naming
 * them — the configuration file, the server's resource list — does not load the lint rules.
 */
import path from "node:path";
import { PACKAGE_ROOT } from "../../../package-root.js";

/** The bundled rulesets directory (top-level `rulesets/`, beside src/ and dist/). */
export const BUNDLED_DIR = path.join(PACKAGE_ROOT, "rulesets");
export const BUNDLED_RULESETS = ["specgate", "specgate-en"] as const;
