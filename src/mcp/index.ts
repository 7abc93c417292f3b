/**
 * Resources, prompts and completions: everything SpecGate's MCP server offers besides tools.
 * `createMcpFeatures(runtime)` is made once per SpecGate server; `register(server)` adds its
 * handlers to each SDK session (stdio, in-memory, every HTTP session), and `release(server)`
 * forgets a closed session's subscriptions.
 *
 * Subscriptions: any resource SpecGate serves may be subscribed to (at most 100 per session);
 * `notifications/resources/updated` is sent for `specgate://workspace/rules` when a tool reports
 * it rewrote `.specgate/rules.json` (the runtime's events). The other resources do not change
 * while the server runs (bundled files and code), and Confluence pages are not watched: a read
 * revalidates the page's version as confluence_fetch does. Sessions that listed resources while
 * the rules file did not exist get `notifications/resources/list_changed` when it appears.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { configCredentials } from "../config.js";
import type { ToolEvent } from "../pipeline/events.js";
import type { AnyToolDefinition } from "../pipeline/tool.js";
import type { Runtime } from "../runtime.js";
import { Scrubber } from "../secrets.js";
import { complete } from "./completions.js";
import { invalidParams } from "./errors.js";
import { PROMPTS, describePrompt, getPrompt, type PromptContext } from "./prompts/index.js";
import { isRulesPath, linkResources } from "./resource-links.js";
import {
  WORKSPACE_RULES_URI,
  confluenceConfigured,
  listResources,
  listTemplates,
  parseResourceUri,
  readResource,
  type ResourceDeps,
} from "./resources.js";
import { SeenPages } from "./seen-pages.js";
import { readWorkspaceRules, workspaceRules } from "./workspace-rules.js";

export { describePrompt, PROMPTS } from "./prompts/index.js";
export { listResources, listTemplates } from "./resources.js";

const MAX_SUBSCRIPTIONS_PER_SESSION = 100;

export interface McpFeatures {
  /** Merged into the server's capabilities. */
  readonly capabilities: ServerCapabilities;
  /** Adds the resource, prompt and completion handlers to one session. */
  register(server: Server): void;
  /** Forgets a closed session. */
  release(server: Server): void;
  /** A tool's result with `resource_link` items for what it names (pages, the workspace rules). */
  linkResources(tool: string, result: CallToolResult): CallToolResult;
  /** Stops listening to the runtime's events. */
  close(): void;
}

/** `tools`: the tools this server serves (a confluence:// page is read by its confluence_fetch). */
export function createMcpFeatures(runtime: Runtime, tools: ReadonlyMap<string, AnyToolDefinition>): McpFeatures {
  const { config } = runtime;
  const seen = new SeenPages();
  const confluenceTool = confluenceConfigured(config) ? tools.get("confluence_fetch") : undefined;
  const confluence = confluenceTool !== undefined;
  const deps: ResourceDeps = {
    runtime,
    seen,
    scrubber: new Scrubber(configCredentials(config)),
    confluence: confluenceTool,
  };
  const promptContext: PromptContext = {
    config,
    confluence,
    rulesFile: () => readWorkspaceRules(config.workspace),
    rules: () => workspaceRules(config.workspace),
  };
  const prompts = PROMPTS.map(describePrompt);
  const subscriptions = new Map<Server, Set<string>>();
  /** Sessions whose last resources/list had no workspace rules. */
  const listedWithoutRules = new Set<Server>();

  const notify = (send: () => Promise<void>) => {
    send().catch((error: unknown) => runtime.logger.debug({ err: error }, "resource notification not sent"));
  };
  const onEvent = (event: ToolEvent) => {
    if (event.type !== "workspace-written" || !event.paths.some(isRulesPath)) return;
    for (const [server, uris] of subscriptions)
      if (uris.has(WORKSPACE_RULES_URI)) notify(() => server.sendResourceUpdated({ uri: WORKSPACE_RULES_URI }));
    for (const server of listedWithoutRules) notify(() => server.sendResourceListChanged());
    listedWithoutRules.clear();
  };
  const unsubscribeEvents = runtime.events.on(onEvent);

  return {
    capabilities: {
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: false },
      completions: {},
    },
    register(server) {
      server.setRequestHandler(ListResourcesRequestSchema, async () => {
        const resources = await listResources(deps);
        if (resources.some((r) => r.uri === WORKSPACE_RULES_URI)) listedWithoutRules.delete(server);
        else listedWithoutRules.add(server);
        return { resources };
      });
      server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
        resourceTemplates: listTemplates(confluence),
      }));
      server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
        readResource(request.params.uri, deps, { signal: extra.signal, requestId: String(extra.requestId) }),
      );
      server.setRequestHandler(SubscribeRequestSchema, async (request) => {
        const { uri } = request.params;
        await parseResourceUri(uri, confluence);
        const uris = subscriptions.get(server) ?? new Set<string>();
        if (!uris.has(uri) && uris.size >= MAX_SUBSCRIPTIONS_PER_SESSION)
          throw invalidParams(
            `a session may subscribe to at most ${MAX_SUBSCRIPTIONS_PER_SESSION} resources; unsubscribe from some first.`,
          );
        uris.add(uri);
        subscriptions.set(server, uris);
        return {};
      });
      server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
        const uris = subscriptions.get(server);
        uris?.delete(request.params.uri);
        if (uris?.size === 0) subscriptions.delete(server);
        return {};
      });
      server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts }));
      server.setRequestHandler(GetPromptRequestSchema, (request) =>
        getPrompt(request.params.name, request.params.arguments, promptContext),
      );
      server.setRequestHandler(CompleteRequestSchema, (request) =>
        complete(request.params, { config, seen, confluence }),
      );
    },
    release(server) {
      subscriptions.delete(server);
      listedWithoutRules.delete(server);
    },
    linkResources: (tool, result) => linkResources(tool, result, seen),
    close: unsubscribeEvents,
  };
}
