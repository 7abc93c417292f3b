import { describe, expect, it } from "vitest";
import { ToolEvents, type ToolEvent } from "../../src/pipeline/events.js";

describe("tool events", () => {
  it("tells every listener, reports a failing one without stopping the others, and forgets removed ones", () => {
    const errors: unknown[] = [];
    const events = new ToolEvents((e) => errors.push(e));
    const seen: string[] = [];
    events.on(() => {
      throw new Error("listener broke");
    });
    const off = events.on((e) => seen.push(`a:${e.paths.join(",")}`));
    events.on((e) => seen.push(`b:${e.paths.join(",")}`));
    const event: ToolEvent = { type: "workspace-written", paths: [".specgate/rules.json"] };
    events.emit(event);
    expect(seen).toEqual(["a:.specgate/rules.json", "b:.specgate/rules.json"]);
    expect(errors).toEqual([new Error("listener broke")]);
    off();
    events.emit({ type: "workspace-written", paths: ["x"] });
    expect(seen).toEqual(["a:.specgate/rules.json", "b:.specgate/rules.json", "b:x"]);
  });
});
