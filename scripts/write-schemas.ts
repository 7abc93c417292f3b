/** `npm run schemas`: writes the published JSON Schemas under schemas/ from the zod definitions. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publishedSchemas, schemaFileText } from "../src/core/spec/json-schema.js";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "schemas");
for (const [name, schema] of Object.entries(publishedSchemas())) {
  await writeFile(path.join(dir, name), schemaFileText(schema));
  process.stderr.write(`wrote schemas/${name}\n`);
}
