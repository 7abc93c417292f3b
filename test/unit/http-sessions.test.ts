/** Who may hold how many HTTP sessions: eviction of the longest-idle, per-client shares, idle expiry. */
import { describe, expect, it } from "vitest";
import { SessionTable, type Session } from "../../src/transports/http-sessions.js";

function table(maxSessions: number, clientSharePercent: number, idleMs = 60_000) {
  const closed: string[] = [];
  const t = new SessionTable({ maxSessions, clientSharePercent, idleMs }, async (s) => {
    closed.push(name.get(s)!);
  });
  const name = new Map<Session, string>();
  const open = (id: string, client: string, lastSeen: number, active = 0) => {
    const admission = t.admit(client);
    if (!admission.ok) return admission.message;
    const s = { client, lastSeen, active } as Session;
    name.set(s, id);
    t.set(id, s);
    return "ok";
  };
  return { t, closed, open };
}

describe("SessionTable", () => {
  it("when full, evicts the longest-idle session that is not busy, and refuses only when all are busy", () => {
    const { t, closed, open } = table(3, 100);
    expect(open("a", "x", 10, 1)).toBe("ok");
    expect(open("b", "y", 20)).toBe("ok");
    expect(open("c", "z", 5, 1)).toBe("ok");
    expect(open("d", "w", 30)).toBe("ok");
    expect(closed).toEqual(["b"]); // a and c were busy
    expect(t.size).toBe(3);
    t.get("d")!.active = 1;
    expect(open("e", "v", 40)).toMatch(/Too many open sessions, all busy/);
  });

  it("gives one client at most its share, replacing its own longest-idle session, never another client's", () => {
    const { t, closed, open } = table(20, 25); // 5 per client
    for (let i = 0; i < 5; i++) expect(open(`x${i}`, "x", i)).toBe("ok");
    expect(open("y0", "y", 0)).toBe("ok");
    expect(open("x5", "x", 10)).toBe("ok");
    expect(closed).toEqual(["x0"]);
    expect([...t.values()].filter((s) => s.client === "x")).toHaveLength(5);
    for (const s of t.values()) if (s.client === "x") s.active = 1;
    expect(open("x6", "x", 11)).toMatch(
      /already holds 5 sessions, its share of this server \(SPECGATE_HTTP_CLIENT_SHARE\)/,
    );
    expect(open("y1", "y", 12)).toBe("ok");
  });

  it("a share rounds down but leaves every client one session", () => {
    expect(table(3, 25).t.perClient).toBe(1);
    expect(table(1000, 25).t.perClient).toBe(250);
  });

  it("sweep closes sessions idle past the idle time unless busy", () => {
    const { t, closed, open } = table(10, 100, 1000);
    open("old", "x", 0);
    open("busy", "x", 0, 1);
    open("new", "x", 5000);
    t.sweep(5500);
    expect(closed).toEqual(["old"]);
    expect(t.size).toBe(2);
  });
});
