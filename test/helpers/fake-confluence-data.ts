/**
 * Data side of the fake Confluence: fixture pages (the corpus pages in
 * test/fixtures/corpus/confluence-storage),
 * the REST response shapes (v1 content with `expand`, v2 pages with labels), and a small CQL
 * evaluator for the clauses SpecGate and its users write.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { corpusPath } from "./fixtures.js";

export interface FakePage {
  id: string;
  title: string;
  spaceKey: string;
  storage: string;
  labels?: string[];
  version?: number;
  type?: "page" | "blogpost";
  updatedAt?: string | undefined;
  /** Answer 403 for this page (a page restriction). */
  restricted?: boolean;
  /** Display name of the current version's author (default "Author"). */
  author?: string | undefined;
  /** The pages above it, root first. */
  ancestors?: { id: string; title: string }[];
  /** Earlier versions (editPage keeps them here). */
  history?: FakeVersion[];
  comments?: FakeComment[];
}

export interface FakeVersion {
  version: number;
  storage: string;
  title: string;
  updatedAt?: string | undefined;
  author?: string | undefined;
}

export interface FakeComment {
  id: string;
  kind: "footer" | "inline";
  author: string;
  storage: string;
  created?: string;
  resolved?: boolean;
  /** Inline comments: the page text they are on. */
  anchor?: string;
}

/** The account id the fake gives a display name (as Cloud's v2 gives only ids). */
export function accountIdOf(name: string): string {
  return `557058:${spaceIdOf(name)}`;
}

/** The page as it was at `version`, or undefined when it never had that version. */
export function pageAtVersion(p: FakePage, version: number): FakePage | undefined {
  if (version === (p.version ?? 1)) return p;
  const old = p.history?.find((h) => h.version === version);
  if (!old) return undefined;
  return {
    ...p,
    version: old.version,
    storage: old.storage,
    title: old.title,
    updatedAt: old.updatedAt,
    author: old.author,
  };
}

/** The Confluence storage corpus (sources and licences in its SOURCES.md). */
export const FIXTURE_DIR = corpusPath("confluence-storage");

/** Space ids (v2 has ids, not keys) are derived from the key. */
export function spaceIdOf(key: string): string {
  let h = 7;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return String(100_000_000 + (h % 900_000_000));
}

/**
 * The corpus pages as fixture pages. Page 1844969501 takes its real title, space and version
 * from the v1 response in the corpus; the others get titles from their file names.
 */
export function corpusPages(): FakePage[] {
  const v1 = parseYaml(readFileSync(path.join(FIXTURE_DIR, "qp-1844969501-ko-support.page.v1.yaml"), "utf8")) as {
    id: string;
    title: string;
    body: { storage: { value: string } };
  };
  const pages: FakePage[] = [
    {
      id: v1.id,
      title: v1.title,
      spaceKey: "QM",
      storage: v1.body.storage.value,
      labels: ["specgate:type:api-design", "specgate:status:approved"],
      version: 3,
    },
  ];
  let synthetic = 700_000_001;
  for (const file of readdirSync(FIXTURE_DIR).sort()) {
    if (!file.endsWith(".xhtml") || file.startsWith("qp-1844969501")) continue;
    const m = /^(qp|ls)-(?:(\d+)-)?(.+?)(?:\.page)?\.xhtml$/.exec(file);
    if (!m) continue;
    const id = m[2] ?? String(synthetic++);
    const words = m[3]!.replace(/^ko-/, "").split("-");
    const title = `${m[1] === "qp" ? "QueryPie" : "Kafka"} ${words.join(" ")}`;
    pages.push({
      id,
      title,
      spaceKey: m[1] === "qp" ? "QM" : "KAFKA",
      storage: readFileSync(path.join(FIXTURE_DIR, file), "utf8"),
      labels: m[1] === "qp" ? ["specgate:type:api-design"] : ["specgate:type:architecture"],
      version: 1,
    });
  }
  return pages;
}

/** A synthetic design page (for batches and benchmarks). */
export function syntheticPage(id: string, options: Partial<FakePage> = {}): FakePage {
  return {
    id,
    title: options.title ?? `Page ${id} API 설계서`,
    spaceKey: options.spaceKey ?? "DEMO",
    storage:
      options.storage ??
      `<h2>설계 규칙</h2><p><strong>RULE-API-${id.slice(-3).padStart(3, "0")}</strong> (MUST): 모든 API는 버전을 포함해야 한다.</p>` +
        `<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">json</ac:parameter><ac:plain-text-body><![CDATA[{"id": ${id}}]]></ac:plain-text-body></ac:structured-macro>`,
    labels: options.labels ?? ["specgate:type:api-design"],
    version: options.version ?? 1,
    ...(options.type ? { type: options.type } : {}),
    ...(options.restricted ? { restricted: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Response shapes

export function webPathOf(p: FakePage, flavour: "cloud" | "datacenter"): string {
  const slug = encodeURIComponent(p.title).replace(/%20/g, "+");
  if (flavour === "datacenter") return `/display/${encodeURIComponent(p.spaceKey)}/${slug}`;
  return `/spaces/${encodeURIComponent(p.spaceKey)}/pages/${p.id}/${slug}`;
}

export function tinyOf(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  return `/x/${bytes.toString("base64").replace(/=+$/, "").replace(/\//g, "-").replace(/\+/g, "_").replace(/A+$/, "")}`;
}

const WHEN = "2025-09-25T01:02:03.000Z";

/** A v1 content object with the requested `expand` parts. */
export function v1Content(
  p: FakePage,
  expand: Set<string>,
  flavour: "cloud" | "datacenter",
  base: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id, type: p.type ?? "page", status: "current", title: p.title };
  if (expand.has("ancestors"))
    out.ancestors = (p.ancestors ?? []).map((a) => ({ id: a.id, type: "page", status: "current", title: a.title }));
  if (expand.has("space")) out.space = { key: p.spaceKey, name: `${p.spaceKey} space`, type: "global" };
  if (expand.has("version"))
    out.version = {
      number: p.version ?? 1,
      when: p.updatedAt ?? WHEN,
      minorEdit: false,
      by: {
        type: "known",
        accountId: accountIdOf(p.author ?? "Author"),
        email: "author@example.com",
        displayName: p.author ?? "Author",
      },
    };
  if (expand.has("body.storage"))
    out.body = { storage: { value: p.storage, representation: "storage", embeddedContent: [] } };
  if (expand.has("metadata.labels")) {
    const labels = (p.labels ?? []).map((name, i) => ({ prefix: "global", name, id: String(9000 + i), label: name }));
    out.metadata = { labels: { results: labels, start: 0, limit: 200, size: labels.length } };
  }
  out._expandable = { children: `/rest/api/content/${p.id}/child`, ancestors: "" };
  out._links = { webui: webPathOf(p, flavour), tinyui: tinyOf(p.id), self: `${base}/rest/api/content/${p.id}` };
  return out;
}

/** A v2 page (Cloud), with the body when `bodyFormat` is storage and up to `labelCap` labels. */
export function v2Page(
  p: FakePage,
  opts: { body: boolean; labels: boolean; labelCap: number },
  base: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    status: "current",
    title: p.title,
    spaceId: spaceIdOf(p.spaceKey),
    parentId: "576585864",
    parentType: "page",
    authorId: "557058:fake",
    createdAt: "2024-01-01T00:00:00.000Z",
    version: {
      createdAt: p.updatedAt ?? WHEN,
      message: "",
      number: p.version ?? 1,
      minorEdit: false,
      authorId: accountIdOf(p.author ?? "Author"),
    },
  };
  out.body = opts.body ? { storage: { representation: "storage", value: p.storage } } : {};
  if (opts.labels) {
    const all = (p.labels ?? []).map((name, i) => ({ id: String(9000 + i), name, prefix: "global" }));
    const more = all.length > opts.labelCap;
    out.labels = {
      results: all.slice(0, opts.labelCap),
      meta: { hasMore: more, cursor: more ? "next" : "" },
      _links: {
        self: `${base}/api/v2/pages/${p.id}/labels`,
        ...(more ? { next: `${new URL(base).pathname}/api/v2/pages/${p.id}/labels?cursor=${opts.labelCap}` } : {}),
      },
    };
  }
  out._links = {
    editui: `/pages/resumedraft.action?draftId=${p.id}`,
    webui: webPathOf(p, "cloud"),
    edituiv2: `/spaces/${p.spaceKey}/pages/edit-v2/${p.id}`,
    tinyui: tinyOf(p.id),
    base,
  };
  return out;
}

// ---------------------------------------------------------------------------------------------
// CQL

export class CqlError extends Error {}

type Clause = { field: string; op: "=" | "!=" | "~" | "in"; values: string[] };

/** Parses `a = "x" AND b in (c, "d") [ORDER BY …]`; throws CqlError like Confluence's 400. */
export function parseCql(cql: string): Clause[] {
  const tokens: string[] = [];
  const src = cql.replace(/\s+order\s+by\s+[\s\S]*$/i, "");
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = "";
      i++;
      while (i < src.length && src[i] !== ch) {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        value += src[i];
        i++;
      }
      if (i >= src.length) throw new CqlError(`Could not parse cql : ${cql} (unterminated string)`);
      i++;
      tokens.push(`\u0000${value}`);
    } else if ("(),".includes(ch)) {
      tokens.push(ch);
      i++;
    } else if (ch === "!" && src[i + 1] === "=") {
      tokens.push("!=");
      i += 2;
    } else if (ch === "=" || ch === "~") {
      tokens.push(ch);
      i++;
    } else {
      let word = "";
      while (i < src.length && !/[\s(),=~!"']/.test(src[i]!)) word += src[i++];
      tokens.push(word);
    }
  }
  const clauses: Clause[] = [];
  let t = 0;
  const literal = (tok: string | undefined): string => {
    if (tok === undefined || ["(", ")", ",", "=", "!=", "~"].includes(tok))
      throw new CqlError(`Could not parse cql : ${cql}`);
    return tok.startsWith("\u0000") ? tok.slice(1) : tok;
  };
  while (t < tokens.length) {
    const field = tokens[t++]!.toLowerCase();
    const op = tokens[t++]?.toLowerCase();
    if (op === "in") {
      if (tokens[t++] !== "(") throw new CqlError(`Could not parse cql : ${cql}`);
      const values: string[] = [];
      while (tokens[t] !== ")") {
        values.push(literal(tokens[t++]));
        if (tokens[t] === ",") t++;
        else if (tokens[t] !== ")") throw new CqlError(`Could not parse cql : ${cql}`);
      }
      t++;
      clauses.push({ field, op: "in", values });
    } else if (op === "=" || op === "!=" || op === "~") {
      clauses.push({ field, op, values: [literal(tokens[t++])] });
    } else throw new CqlError(`Could not parse cql : ${cql}`);
    if (t < tokens.length) {
      if (tokens[t]!.toLowerCase() !== "and")
        throw new CqlError(`Could not parse cql : ${cql} (only AND is supported here)`);
      t++;
    }
  }
  return clauses;
}

export function matchesCql(p: FakePage, clauses: Clause[]): boolean {
  return clauses.every((c) => {
    const actual: string[] =
      c.field === "label"
        ? (p.labels ?? [])
        : c.field === "space" || c.field === "space.key"
          ? [p.spaceKey]
          : c.field === "title"
            ? [p.title]
            : c.field === "type"
              ? [p.type ?? "page"]
              : c.field === "id" || c.field === "content"
                ? [p.id]
                : c.field === "text"
                  ? [p.storage]
                  : (() => {
                      throw new CqlError(`Could not parse cql : unknown field ${c.field}`);
                    })();
    if (c.op === "~") return actual.some((a) => a.toLowerCase().includes(c.values[0]!.toLowerCase()));
    const hit = actual.some((a) => c.values.includes(a));
    return c.op === "!=" ? !hit : hit;
  });
}
