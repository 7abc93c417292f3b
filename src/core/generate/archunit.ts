/**
 * ArchUnit: `.specgate/archtest/<package path>/DesignRulesArchTest.java`, a JUnit 5 class with
 * one `@ArchTest static final ArchRule` field per rule, ending in `.because("RULE-… (MUST): …")`.
 *
 * A rule gets a field when it has an explicit `ci_info.archunit_rule.rule_definition` (any area),
 * forbidden `validation_conditions.dependency_rules` (any area: a dependency rule is architecture
 * wherever it is written), or, for ARCH and API rules, `naming_rules` or `annotation_rules`. Several conditions of one rule become one `CompositeArchRule`.
 */
import type { AnnotationRule, DependencyRule, DesignRuleSpec, NamingRule } from "../spec/design-rule-spec.js";
import { layerOf } from "../astgrep/imports.js";
import { clip, compareRuleIds, headerText, oneLine, record, stringList } from "./common.js";
import {
  checkRuleExpression,
  isImportName,
  isJavaIdentifier,
  isJavaPackage,
  javaCommentText,
  javaString,
} from "./java.js";
import type { ArchUnitOptions, GeneratedFile, SkippedItem } from "./types.js";

export const ARCHTEST_DIR = ".specgate/archtest";
export const ARCHTEST_CLASS = "DesignRulesArchTest";

const STANDARD_IMPORTS = [
  "com.tngtech.archunit.core.importer.ImportOption",
  "com.tngtech.archunit.junit.AnalyzeClasses",
  "com.tngtech.archunit.junit.ArchTest",
  "com.tngtech.archunit.lang.ArchRule",
];
/** Derived rules pass when no class matches yet (a project without that layer is not a violation). */
const ALLOW_EMPTY = ".allowEmptyShould(true)";
const TLDS = new Set([
  "com",
  "org",
  "net",
  "io",
  "de",
  "kr",
  "jp",
  "uk",
  "fr",
  "nl",
  "ch",
  "edu",
  "gov",
  "co",
  "dev",
  "app",
  "me",
]);

interface Field {
  rule: DesignRuleSpec;
  name: string;
  expressions: string[];
  imports: string[];
}

/** `Controller` → `..controller..`; `com.acme.web` → `com.acme.web..`; `..web..` as is. */
export function layerPackage(name: string): string | undefined {
  const n = name.trim();
  if (n.includes("..")) return /^[A-Za-z0-9_$.*]+$/.test(n) ? n : undefined;
  if (isJavaPackage(n) && n.includes(".")) return `${n}..`;
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(n)) return `..${n.toLowerCase()}..`;
  return undefined;
}

/** An annotation as an ArchUnit argument: a fully-qualified name string, or a simple-name predicate. */
function annotationArgument(name: string | undefined): { arg: string; predicate: boolean } | undefined {
  const n = (name ?? "").trim().replace(/^@/, "");
  if (isJavaPackage(n) && n.includes(".")) return { arg: javaString(n), predicate: false };
  if (isJavaIdentifier(n)) return { arg: `rawType(simpleName(${javaString(n)}))`, predicate: true };
  return undefined;
}

/** A layer's packages: a name in singular and plural (`..controller..`, `..controllers..`), as ast-grep's rules read it. */
function layerPackages(name: string): string[] | undefined {
  const layer = layerOf(name);
  if (layer?.names) return layer.names.map((n) => `..${n}..`);
  const pkg = layerPackage(name);
  return pkg ? [pkg] : undefined;
}

function resideIn(packages: readonly string[]): string {
  return packages.length === 1
    ? `resideInAPackage(${javaString(packages[0]!)})`
    : `resideInAnyPackage(${packages.map(javaString).join(", ")})`;
}

function dependencyExpression(d: DependencyRule): string | undefined {
  const from = layerPackages(d.from);
  const to = layerPackages(d.to);
  if (!from || !to) return undefined;
  return `noClasses().that().${resideIn(from)}.should().dependOnClassesThat().${resideIn(to)}`;
}

function selector(
  pkg: string | undefined,
  annotation: { arg: string } | undefined,
  suffix: string | undefined,
): string | undefined {
  const parts: string[] = [];
  if (pkg) parts.push(`resideInAPackage(${javaString(pkg)})`);
  if (annotation) parts.push(`areAnnotatedWith(${annotation.arg})`);
  if (suffix) parts.push(`haveSimpleNameEndingWith(${javaString(suffix)})`);
  return parts.length ? `.that().${parts.join(".and().")}` : undefined;
}

function namingExpression(n: NamingRule): { expr: string; predicate: boolean } | undefined {
  const pkg = n.package ? layerPackage(n.package) : undefined;
  const ann = n.annotated_with ? annotationArgument(n.annotated_with) : undefined;
  if ((n.package && !pkg) || (n.annotated_with && !ann)) return undefined;
  const that = selector(pkg, ann, undefined);
  const should: string[] = [];
  if (n.name_suffix?.trim()) should.push(`haveSimpleNameEndingWith(${javaString(n.name_suffix.trim())})`);
  if (n.name_prefix?.trim()) should.push(`haveSimpleNameStartingWith(${javaString(n.name_prefix.trim())})`);
  if (n.name_pattern?.trim()) {
    try {
      new RegExp(n.name_pattern);
    } catch {
      return undefined;
    }
    should.push(`haveNameMatching(${javaString(n.name_pattern.trim())})`);
  }
  if (!that || !should.length) return undefined;
  return { expr: `classes()${that}.should().${should.join(".andShould().")}`, predicate: Boolean(ann?.predicate) };
}

function annotationExpression(a: AnnotationRule): { expr: string; predicate: boolean } | undefined {
  const pkg = a.package ? layerPackage(a.package) : undefined;
  const ann = annotationArgument(a.annotation);
  if (!ann || (a.package && !pkg)) return undefined;
  const that = selector(pkg, undefined, a.name_suffix?.trim() || undefined);
  if (!that) return undefined;
  return {
    expr: `${a.forbidden ? "noClasses" : "classes"}()${that}.should().beAnnotatedWith(${ann.arg})`,
    predicate: ann.predicate,
  };
}

function fieldName(rule: DesignRuleSpec, testName: unknown): string {
  const base = `rule_${rule.rule_id
    .replace(/^RULE-/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")}`;
  return typeof testName === "string" && isJavaIdentifier(testName) && testName.length <= 80
    ? `${base}_${testName}`
    : base;
}

/** The field for one rule, or why there is none; `notes` name conditions that were left out. */
function fieldFor(rule: DesignRuleSpec): { field: Field; notes: string[] } | { reason: string } {
  const explicit = record(rule.ci_info.archunit_rule);
  const notes: string[] = [];
  if (explicit && typeof explicit.rule_definition === "string") {
    const checked = checkRuleExpression(explicit.rule_definition);
    if ("problem" in checked)
      return { reason: `ci_info.archunit_rule.rule_definition is not usable: ${checked.problem}` };
    const imports = stringList(explicit.imports).map((s) => s.trim());
    const bad = imports.filter((i) => !isImportName(i));
    if (bad.length) notes.push(`imports left out (not Java names): ${bad.join(", ")}`);
    return {
      field: {
        rule,
        name: fieldName(rule, explicit.test_name),
        expressions: [checked.expression],
        imports: imports.filter(isImportName),
      },
      notes,
    };
  }
  const forbidsDependency = (rule.validation_conditions?.dependency_rules ?? []).some(
    (d) => d.direction === "forbidden",
  );
  if (rule.area !== "ARCH" && rule.area !== "API" && !forbidsDependency) {
    return {
      reason: `ArchUnit rules come from ARCH and API rules, forbidden dependencies or an explicit ci_info.archunit_rule; this is a ${rule.area} rule without one`,
    };
  }
  const vc = rule.validation_conditions;
  const expressions: string[] = [];
  let predicate = false;
  for (const d of vc?.dependency_rules ?? []) {
    if (d.direction !== "forbidden") continue;
    const expr = dependencyExpression(d);
    if (expr) expressions.push(`${expr}${ALLOW_EMPTY}`);
    else notes.push(`dependency ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)} names no layer or package`);
  }
  for (const [list, make, what] of [
    [vc?.naming_rules ?? [], namingExpression, "naming"],
    [vc?.annotation_rules ?? [], annotationExpression, "annotation"],
  ] as const) {
    for (const item of list) {
      const made = (make as (x: typeof item) => { expr: string; predicate: boolean } | undefined)(item);
      if (made) {
        expressions.push(`${made.expr}${ALLOW_EMPTY}`);
        predicate ||= made.predicate;
      } else
        notes.push(
          `${what} condition ${JSON.stringify(item)} needs a package or annotation to select classes and a requirement`,
        );
    }
  }
  if (!expressions.length) {
    const allowedOnly = (vc?.dependency_rules ?? []).length > 0;
    const why = notes.length
      ? notes.join("; ")
      : allowedOnly
        ? "its dependency_rules only allow dependencies; ArchUnit checks forbidden ones, naming or annotation conditions"
        : "no forbidden dependency, naming or annotation condition and no ci_info.archunit_rule";
    return { reason: why };
  }
  const imports = predicate
    ? [
        "static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName",
        "static com.tngtech.archunit.core.domain.properties.HasType.Predicates.rawType",
      ]
    : [];
  return { field: { rule, name: fieldName(rule, undefined), expressions: [...new Set(expressions)], imports }, notes };
}

/** The base package: the option, else the common prefix of the rules' Java package patterns. */
function basePackageOf(fields: readonly Field[], options: ArchUnitOptions): string | undefined {
  if (options.basePackage !== undefined)
    return isJavaPackage(options.basePackage.trim()) ? options.basePackage.trim() : undefined;
  const pkgs = fields.flatMap((f) => f.rule.scope.package_patterns.map((p) => p.trim())).filter(isJavaPackage);
  const domainLike = pkgs.filter((p) => TLDS.has(p.split(".")[0]!));
  const pool = (domainLike.length ? domainLike : pkgs).map((p) => p.split("."));
  if (!pool.length) return undefined;
  const prefix: string[] = [];
  for (let i = 0; ; i++) {
    const seg = pool[0]![i];
    if (seg === undefined || pool.some((p) => p[i] !== seg)) break;
    prefix.push(seg);
  }
  return prefix.length ? prefix.join(".") : undefined;
}

function renderField(f: Field): string {
  const because = javaString(clip(`${f.rule.rule_id} (${f.rule.priority}): ${oneLine(f.rule.description)}`, 500));
  const [first, ...rest] = f.expressions;
  const body = rest.length
    ? [`CompositeArchRule.of(${first})`, ...rest.map((e) => `            .and(${e})`)].join("\n")
    : first!;
  return [
    `    // ${f.rule.rule_id} (${f.rule.priority}): ${javaCommentText(clip(oneLine(f.rule.title), 200))}`,
    "    @ArchTest",
    `    static final ArchRule ${f.name} = ${body}`,
    `            .because(${because});`,
  ].join("\n");
}

/** The ArchUnit test class for `rules` (ordered), or none when no rule has a condition. */
export function generateArchUnit(
  rules: readonly DesignRuleSpec[],
  source: string,
  project: string | undefined,
  options: ArchUnitOptions,
): { files: GeneratedFile[]; skipped: SkippedItem[] } {
  const skipped: SkippedItem[] = [];
  const fields: Field[] = [];
  for (const rule of rules) {
    const result = fieldFor(rule);
    if ("reason" in result) skipped.push({ rule_id: rule.rule_id, target: "archunit", reason: result.reason });
    else {
      fields.push(result.field);
      for (const note of result.notes) skipped.push({ rule_id: rule.rule_id, target: "archunit", reason: note });
    }
  }
  if (!fields.length) {
    skipped.push({ target: "archunit", reason: "no ArchUnit test class: no rule has an architecture condition" });
    return { files: [], skipped };
  }
  const pkg = basePackageOf(fields, options);
  if (!pkg) {
    const reason =
      options.basePackage !== undefined
        ? `archunit base package ${JSON.stringify(options.basePackage)} is not a Java package name`
        : "no ArchUnit test class: set the archunit base package (e.g. com.example), the rules' package_patterns name none";
    for (const f of fields) skipped.push({ rule_id: f.rule.rule_id, target: "archunit", reason });
    skipped.push({ target: "archunit", reason });
    return { files: [], skipped };
  }
  const names = new Set<string>();
  for (const f of fields) {
    let name = f.name;
    for (let i = 2; names.has(name); i++) name = `${f.name}_${i}`;
    f.name = name;
    names.add(name);
  }
  const all = fields.flatMap((f) => f.imports);
  const text = fields.flatMap((f) => f.expressions).join("\n");
  const statics = new Set(["static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.*"]);
  if (/\b(layeredArchitecture|onionArchitecture)\(/.test(text))
    statics.add("static com.tngtech.archunit.library.Architectures.*");
  const plain = new Set(STANDARD_IMPORTS);
  if (fields.some((f) => f.expressions.length > 1)) plain.add("com.tngtech.archunit.lang.CompositeArchRule");
  for (const i of all) (i.startsWith("static ") ? statics : plain).add(i);
  const sorted = (s: Set<string>) => [...s].sort().map((i) => `import ${i};`);
  const lines = [
    `// ${javaCommentText(headerText(source))}`,
    `package ${pkg};`,
    "",
    ...sorted(statics),
    "",
    ...sorted(plain),
    "",
    "/**",
    ` * Architecture rules${project ? ` of ${javaCommentText(project).replace(/\*\//g, "* /")}` : ""} from ${javaCommentText(source)}: one field per design rule.`,
    " * Needs JUnit 5 and com.tngtech.archunit:archunit-junit5 on the test classpath.",
    " */",
    `@AnalyzeClasses(packages = ${javaString(pkg)}, importOptions = ImportOption.DoNotIncludeTests.class)`,
    `public class ${ARCHTEST_CLASS} {`,
    "",
    fields.map(renderField).join("\n\n"),
    "}",
    "",
  ];
  return {
    files: [
      {
        path: `${ARCHTEST_DIR}/${pkg.replace(/\./g, "/")}/${ARCHTEST_CLASS}.java`,
        content: lines.join("\n"),
        target: "archunit",
        rule_ids: fields.map((f) => f.rule.rule_id).sort(compareRuleIds),
      },
    ],
    skipped,
  };
}
