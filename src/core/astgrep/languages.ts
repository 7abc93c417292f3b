import { trimEndChars } from "../text.js";

/**
 * The languages SpecGate checks with ast-grep: the name a rule file gives (`language: java`), the
 * file extensions ast-grep reads as that language, the Semgrep name of the same language, and —
 * for the languages whose imports and syntax kinds SpecGate knows — how a dependency rule and a
 * regex rule are expressed (see rules.ts).
 */

export interface AstGrepLanguage {
  /** ast-grep's name, as written in a rule file. */
  id: string;
  /** Extensions (without the dot) ast-grep reads as this language by default. */
  extensions: readonly string[];
  /** Semgrep's name for the language. */
  semgrep: string;
  /**
   * Syntax kinds a regex finding is reported on: the smallest of these that contains the match.
   * Statements, declarations, calls, literals, identifiers and comments, then the file itself.
   */
  regexKinds?: readonly string[];
}

const TS_KINDS = [
  "import_statement",
  "export_statement",
  "lexical_declaration",
  "variable_declaration",
  "expression_statement",
  "return_statement",
  "throw_statement",
  "if_statement",
  "for_statement",
  "for_in_statement",
  "while_statement",
  "function_declaration",
  "method_definition",
  "class_declaration",
  "public_field_definition",
  "interface_declaration",
  "type_alias_declaration",
  "decorator",
  "required_parameter",
  "comment",
  "call_expression",
  "new_expression",
  "string",
  "template_string",
  "identifier",
  "property_identifier",
  "program",
];
const JS_KINDS = TS_KINDS.filter(
  (k) =>
    !["public_field_definition", "interface_declaration", "type_alias_declaration", "required_parameter"].includes(k),
).concat(["field_definition", "formal_parameters"]);

/** Languages in a stable order (also the order of multi-language rule files). */
export const LANGUAGES: readonly AstGrepLanguage[] = [
  {
    id: "java",
    extensions: ["java"],
    semgrep: "java",
    regexKinds: [
      "package_declaration",
      "import_declaration",
      "field_declaration",
      "local_variable_declaration",
      "expression_statement",
      "return_statement",
      "throw_statement",
      "if_statement",
      "for_statement",
      "enhanced_for_statement",
      "while_statement",
      "method_declaration",
      "constructor_declaration",
      "class_declaration",
      "interface_declaration",
      "enum_declaration",
      "record_declaration",
      "annotation",
      "marker_annotation",
      "formal_parameter",
      "line_comment",
      "block_comment",
      "method_invocation",
      "object_creation_expression",
      "string_literal",
      "identifier",
      "type_identifier",
      "program",
    ],
  },
  {
    id: "kotlin",
    extensions: ["kt", "ktm", "kts"],
    semgrep: "kotlin",
    regexKinds: [
      "package_header",
      "import_header",
      "property_declaration",
      "function_declaration",
      "class_declaration",
      "object_declaration",
      "assignment",
      "jump_expression",
      "annotation",
      "call_expression",
      "string_literal",
      "simple_identifier",
      "line_comment",
      "multiline_comment",
      "source_file",
    ],
  },
  { id: "typescript", extensions: ["ts", "cts", "mts"], semgrep: "typescript", regexKinds: TS_KINDS },
  { id: "tsx", extensions: ["tsx"], semgrep: "typescript", regexKinds: TS_KINDS },
  { id: "javascript", extensions: ["js", "jsx", "cjs", "mjs"], semgrep: "javascript", regexKinds: JS_KINDS },
  {
    id: "python",
    extensions: ["py", "py3", "pyi", "bzl"],
    semgrep: "python",
    regexKinds: [
      "import_statement",
      "import_from_statement",
      "expression_statement",
      "return_statement",
      "raise_statement",
      "if_statement",
      "for_statement",
      "while_statement",
      "with_statement",
      "function_definition",
      "class_definition",
      "decorator",
      "parameters",
      "comment",
      "call",
      "string",
      "identifier",
      "module",
    ],
  },
  {
    id: "go",
    extensions: ["go"],
    semgrep: "go",
    regexKinds: [
      "package_clause",
      "import_spec",
      "function_declaration",
      "method_declaration",
      "type_declaration",
      "var_declaration",
      "const_declaration",
      "short_var_declaration",
      "assignment_statement",
      "expression_statement",
      "return_statement",
      "if_statement",
      "for_statement",
      "call_expression",
      "interpreted_string_literal",
      "raw_string_literal",
      "identifier",
      "comment",
      "source_file",
    ],
  },
  {
    id: "csharp",
    extensions: ["cs"],
    semgrep: "csharp",
    regexKinds: [
      "using_directive",
      "namespace_declaration",
      "class_declaration",
      "method_declaration",
      "field_declaration",
      "property_declaration",
      "local_declaration_statement",
      "expression_statement",
      "return_statement",
      "if_statement",
      "attribute",
      "invocation_expression",
      "string_literal",
      "identifier",
      "comment",
      "compilation_unit",
    ],
  },
  { id: "rust", extensions: ["rs"], semgrep: "rust" },
  { id: "c", extensions: ["c", "h"], semgrep: "c" },
  { id: "cpp", extensions: ["cc", "hpp", "cpp", "c++", "hh", "cxx", "cu", "ino"], semgrep: "cpp" },
  { id: "ruby", extensions: ["rb", "rbw", "gemspec"], semgrep: "ruby" },
  { id: "php", extensions: ["php"], semgrep: "php" },
  { id: "swift", extensions: ["swift"], semgrep: "swift" },
  { id: "scala", extensions: ["scala", "sc", "sbt"], semgrep: "scala" },
  { id: "bash", extensions: ["bash", "sh", "zsh"], semgrep: "bash" },
  { id: "lua", extensions: ["lua"], semgrep: "lua" },
  { id: "elixir", extensions: ["ex", "exs"], semgrep: "elixir" },
  { id: "html", extensions: ["html", "htm", "xhtml"], semgrep: "html" },
  { id: "yaml", extensions: ["yaml", "yml"], semgrep: "yaml" },
  { id: "json", extensions: ["json"], semgrep: "json" },
  { id: "solidity", extensions: ["sol"], semgrep: "solidity" },
  { id: "hcl", extensions: ["hcl", "tf", "tfvars"], semgrep: "terraform" },
];

const BY_ID = new Map(LANGUAGES.map((l) => [l.id, l]));
const BY_EXTENSION = new Map(LANGUAGES.flatMap((l) => l.extensions.map((e) => [e, l] as const)));
/** Names people write for a language, beyond ast-grep's own. */
const ALIASES: Readonly<Record<string, string>> = {
  ts: "typescript",
  js: "javascript",
  jsx: "javascript",
  py: "python",
  golang: "go",
  "c#": "csharp",
  cs: "csharp",
  kt: "kotlin",
  "c++": "cpp",
  rs: "rust",
  rb: "ruby",
  sh: "bash",
  shell: "bash",
  terraform: "hcl",
  yml: "yaml",
};

/** Languages a rule without file patterns is checked in: those whose imports and kinds SpecGate knows. */
export const DEFAULT_LANGUAGES: readonly string[] = LANGUAGES.filter((l) => l.regexKinds).map((l) => l.id);

export function languageById(id: string): AstGrepLanguage | undefined {
  const key = id.trim().toLowerCase();
  return BY_ID.get(ALIASES[key] ?? key);
}

/** The language of a file path, by its extension. */
export function languageOfPath(file: string): AstGrepLanguage | undefined {
  const name = file.slice(file.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) : undefined;
}

/** Languages named by globs' extensions (`src/**\/*.{ts,tsx}` → typescript, tsx), in table order. */
export function languagesOfGlobs(globs: readonly string[], expand: (glob: string) => string[]): string[] {
  const found = new Set<string>();
  for (const glob of globs)
    for (const g of expand(glob)) {
      const lang = languageOfPath(trimEndChars(g, "*"));
      if (lang) found.add(lang.id);
    }
  return LANGUAGES.filter((l) => found.has(l.id)).map((l) => l.id);
}

/** Sorts language ids into table order. */
export function languageOrder(a: string, b: string): number {
  return LANGUAGES.findIndex((l) => l.id === a) - LANGUAGES.findIndex((l) => l.id === b);
}
