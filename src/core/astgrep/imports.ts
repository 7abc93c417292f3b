/**
 * Dependency rules as ast-grep rules: "files of layer X must not import Y", per language, matched
 * on import statements (`import`, `require(…)`, `import(…)`, `from … import`, `using`, Go import
 * specs). A layer is a name (`controller`: files under a `controller/` or `controllers/`
 * directory, imports naming a `controller` or `controllers` segment) or a package
 * (`com.acme.shop.web`: files under `com/acme/shop/web/`, imports of that package).
 */
import { isJavaPackage } from "../generate/java.js";

export interface Layer {
  /** Directory globs of the layer's files. */
  files: string[];
  /** A package (dotted) rather than a layer name. */
  dotted?: string[];
  /** Name variants (singular and plural), lower case. */
  names?: string[];
}

const IRREGULAR: Readonly<Record<string, string>> = {
  dao: "daos",
  dto: "dtos",
  entity: "entities",
  repository: "repositories",
  policy: "policies",
  registry: "registries",
  utility: "utilities",
};

function singular(word: string): string {
  for (const [one, many] of Object.entries(IRREGULAR)) if (word === many) return one;
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:ss|us|is)$/.test(word)) return word;
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

function plural(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return /(?:s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** The layer a dependency rule's `from`/`to` names, or undefined when it names none. */
export function layerOf(name: string): Layer | undefined {
  const n = name.trim().replace(/^\.\.|\.\.$/g, "");
  if (n.includes(".") && isJavaPackage(n)) {
    const segments = n.split(".");
    return { files: [`**/${segments.join("/")}/**`], dotted: segments };
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(n)) return undefined;
  const one = singular(n.toLowerCase());
  const names = [one, plural(one)];
  return { files: [...names, ...names.map(cap)].map((v) => `**/${v}/**`), names };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The import rule (ast-grep `rule:` value) of one language for imports of `to`, or undefined. */
export function importRule(language: string, to: Layer): Record<string, unknown> | undefined {
  const names = to.names ? `(${to.names.map(esc).join("|")})` : undefined;
  const dotted = to.dotted ? `^${to.dotted.map(esc).join("\\.")}(\\.|$)` : undefined;
  const dottedName = dotted ?? `(^|\\.)${names}(\\.|$)`;
  switch (language) {
    case "java":
      return { kind: "import_declaration", has: { kind: "scoped_identifier", regex: dottedName } };
    case "kotlin":
      return { kind: "import_header", has: { kind: "identifier", regex: dottedName } };
    case "csharp":
      return {
        kind: "using_directive",
        has: { any: [{ kind: "qualified_name" }, { kind: "identifier" }], regex: `(?i)${dottedName}` },
      };
    case "python":
      return {
        any: [{ kind: "import_statement" }, { kind: "import_from_statement" }],
        has: {
          any: [{ kind: "dotted_name" }, { kind: "relative_import" }],
          regex: dotted ?? `(^|\\.)${names}(\\.|$)`,
          stopBy: "end",
        },
      };
    case "go":
      return names
        ? { kind: "import_spec", has: { kind: "interpreted_string_literal", regex: `(^|[/"])${names}([/"]|$)` } }
        : undefined;
    case "typescript":
    case "tsx":
    case "javascript": {
      if (!names) return undefined;
      const spec = { kind: "string", regex: `(^|[/.'"\`])${names}([/.'"\`]|$)` };
      return {
        any: [
          { kind: "import_statement", has: spec },
          { kind: "export_statement", has: spec },
          {
            kind: "call_expression",
            all: [
              { has: { field: "function", any: [{ kind: "import" }, { kind: "identifier", regex: "^require$" }] } },
              { has: { kind: "arguments", has: spec } },
            ],
          },
        ],
      };
    }
    default:
      return undefined;
  }
}

/** Languages whose imports {@link importRule} understands, for a layer name or a package. */
export function importLanguages(to: Layer): string[] {
  return to.names
    ? ["java", "kotlin", "typescript", "tsx", "javascript", "python", "go", "csharp"]
    : ["java", "kotlin", "python", "csharp"];
}
