/**
 * The JSON Schema validator the SDK's `Server` uses for what a client answers to a request that
 * names a schema (elicitation). SpecGate's tools validate their own arguments, so this is rarely
 * used: ajv and its formats (a large share of a server's start) are loaded and built on the first
 * schema compiled, once for every session.
 */
import { createRequire } from "node:module";
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from "@modelcontextprotocol/sdk/validation/types.js";

const require = createRequire(import.meta.url);

export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  private ajv?: jsonSchemaValidator;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.ajv ??= new (
      require("@modelcontextprotocol/sdk/validation/ajv") as typeof import("@modelcontextprotocol/sdk/validation/ajv")
    ).AjvJsonSchemaValidator();
    return this.ajv.getValidator<T>(schema);
  }
}
