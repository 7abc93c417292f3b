import { parse as parseJava } from "java-parser";
import { describe, expect, it } from "vitest";
import { checkRuleExpression, javaString } from "../../../src/core/generate/java.js";
import { layerPackage } from "../../../src/core/generate/archunit.js";
import { generateFiles, readRulesFile } from "./generate-api.js";
import { fixtureRules } from "./helpers.js";

function archOf(raw: unknown[], basePackage?: string) {
  const { rules } = readRulesFile(raw);
  return generateFiles(rules, { targets: ["archunit"], archunit: basePackage === undefined ? {} : { basePackage } });
}

describe("ArchUnit target", () => {
  it("turns forbidden dependencies, naming and annotation conditions into one field per rule", () => {
    const result = generateFiles(fixtureRules("java-layered"), { targets: ["archunit"] });
    const file = result.files[0]!;
    expect(file.path).toBe(".specgate/archtest/com/payflow/DesignRulesArchTest.java");
    expect(file.rule_ids).toEqual(["RULE-API-003", "RULE-API-004", "RULE-ARCH-001", "RULE-ARCH-002", "RULE-DATA-002"]);
    const src = file.content;
    expect(src).toContain(
      '@AnalyzeClasses(packages = "com.payflow", importOptions = ImportOption.DoNotIncludeTests.class)',
    );
    // A layer name covers its singular and plural package, as the ast-grep rules do.
    expect(src).toContain(
      'noClasses().that().resideInAnyPackage("..controller..", "..controllers..").should().dependOnClassesThat().resideInAnyPackage("..repository..", "..repositories..").allowEmptyShould(true)',
    );
    // Allowed edges (Controller → Service) forbid nothing, so they produce no rule.
    expect(src).not.toMatch(/dependOnClassesThat\(\)\.resideInA(?:ny)?Package\("\.\.service\.\."/);
    expect(src).toContain(
      'classes().that().resideInAPackage("..service..").should().haveSimpleNameEndingWith("Service")',
    );
    expect(src).toContain(
      'classes().that().haveSimpleNameEndingWith("Controller").should().beAnnotatedWith(rawType(simpleName("RestController")))',
    );
    expect(src).toContain(
      'noClasses().that().resideInAPackage("..controller..").should().beAnnotatedWith("org.springframework.stereotype.Repository")',
    );
    expect(src).toContain("import com.tngtech.archunit.lang.CompositeArchRule;");
    expect(() => parseJava(src)).not.toThrow();
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ rule_id: "RULE-ARCH-005", reason: expect.stringMatching(/only allow dependencies/) }),
    );
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ rule_id: "RULE-SEC-001", reason: expect.stringMatching(/ARCH and API rules/) }),
    );
  });

  it("escapes rule text for Java: quotes, backslashes and non-ASCII become escapes inside because(…)", () => {
    const src = generateFiles(fixtureRules("java-layered"), { targets: ["archunit"] }).files[0]!.content;
    const line = src.split("\n").find((l) => l.includes('.because("RULE-DATA-002'))!;
    expect(line).toContain('\\"Entity\\"');
    expect(line).toContain("C:\\\\temp\\\\u000a");
    expect(line).toMatch(/^[\x20-\x7e]+$/);
    expect(javaString('a"b\\c\n한')).toBe('"a\\"b\\\\c\\n\\ud55c"');
    expect(javaString("😀")).toBe('"\\ud83d\\ude00"');
  });

  it("derives the base package from package_patterns, or skips the target asking for one", () => {
    const rule = {
      rule_id: "RULE-ARCH-010",
      priority: "MUST",
      validation_conditions: { dependency_rules: [{ from: "web", to: "db", direction: "forbidden" }] },
    };
    const none = archOf([rule]);
    expect(none.files).toEqual([]);
    expect(none.skipped).toContainEqual({
      target: "archunit",
      reason: expect.stringMatching(/set the archunit base package/),
    });
    expect(archOf([rule], "org.acme.shop").files[0]!.path).toBe(
      ".specgate/archtest/org/acme/shop/DesignRulesArchTest.java",
    );
    const bad = archOf([rule], "org.acme.class");
    expect(bad.files).toEqual([]);
    expect(bad.skipped).toContainEqual({
      target: "archunit",
      reason: expect.stringMatching(/not a Java package name/),
    });
    expect(archOf([rule], "../../etc").files).toEqual([]);
  });

  it("refuses hand-written rule definitions that are not a single method chain", () => {
    for (const evil of [
      "classes().should().bePublic(); static { System.exit(1); }",
      "classes().should().bePublic() // comment",
      'classes().should().haveNameMatching("\\u0022) + x")',
      "classes().should(",
      "classes()..should().bePublic()",
    ])
      expect(checkRuleExpression(evil), evil).toHaveProperty("problem");
    expect(checkRuleExpression('classes().that().resideInAPackage("..a..").should().bePublic();')).toEqual({
      expression: 'classes().that().resideInAPackage("..a..").should().bePublic()',
    });
    const result = archOf(
      [
        {
          rule_id: "RULE-ARCH-011",
          priority: "MUST",
          ci_info: { archunit_rule: { rule_definition: "classes(); Runtime.getRuntime().exec(x)" } },
        },
      ],
      "com.acme",
    );
    expect(result.files).toEqual([]);
    expect(result.skipped[0]).toMatchObject({ rule_id: "RULE-ARCH-011", reason: expect.stringMatching(/not usable/) });
  });

  it("maps layer names to ArchUnit package patterns", () => {
    expect(layerPackage("Controller")).toBe("..controller..");
    expect(layerPackage("com.acme.web")).toBe("com.acme.web..");
    expect(layerPackage("..persistence..")).toBe("..persistence..");
    expect(layerPackage("컨트롤러 계층")).toBeUndefined();
  });
});
