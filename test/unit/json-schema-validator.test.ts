/**
 * The validator the server hands the SDK: ajv, loaded on the first schema compiled, with the
 * SDK's own settings (formats checked, every error reported).
 */
import { describe, expect, it } from "vitest";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { LazyJsonSchemaValidator } from "../../src/mcp/json-schema-validator.js";

const schema = {
  type: "object",
  properties: { email: { type: "string", format: "email" }, count: { type: "integer", minimum: 1 } },
  required: ["email"],
} as const;

describe("the server's JSON Schema validator", () => {
  it("accepts what the schema allows and names every problem in what it does not, as the SDK's own does", () => {
    const lazy = new LazyJsonSchemaValidator().getValidator<{ email: string }>(schema);
    const sdk = new AjvJsonSchemaValidator().getValidator<{ email: string }>(schema);
    expect(lazy({ email: "a@example.com", count: 2 })).toEqual({
      valid: true,
      data: { email: "a@example.com", count: 2 },
      errorMessage: undefined,
    });
    const bad = { email: "not an address", count: 0 };
    const refused = lazy(bad);
    expect(refused.valid).toBe(false);
    expect(refused.errorMessage).toMatch(/email.*format "email"/);
    expect(refused.errorMessage).toMatch(/count.*>= 1/);
    expect(refused).toEqual(sdk(bad));
  });

  it("compiles each schema it is given, sharing one ajv instance", () => {
    const validator = new LazyJsonSchemaValidator();
    const isString = validator.getValidator<string>({ type: "string" });
    const isNumber = validator.getValidator<number>({ type: "number" });
    expect(isString("x").valid).toBe(true);
    expect(isString(1).valid).toBe(false);
    expect(isNumber(1).valid).toBe(true);
  });
});
