/** The generator API under test, in one import for the test files. */
export {
  checkSemgrepConfig,
  checkSemgrepRule,
  generateFiles,
  generate,
  type GenerateOptions,
} from "../../../src/core/generate/index.js";
export { readRules as readRulesFile } from "../../../src/core/spec/design-rule-spec.js";
