/**
 * The cache bus: one Redis pub/sub channel (`<prefix>events`) shared by every instance of a
 * deployment. Messages carry keys and patterns only, never values:
 *
 *   {"v":1,"from":"<instance>","t":"inv","kind":"<namespace>","pattern":"12345*"}  drop L1 copies
 *   {"v":1,"from":"<instance>","t":"filled","key":"<namespace>:1.0.1.0:123"}      a locked value is in L2
 *
 * An instance ignores its own messages (by instance id) and anything it cannot parse. Pub/sub
 * drops messages while a subscriber is disconnected, so after every (re)subscription the
 * instance is told to resynchronise (the facade clears its L1).
 */
import { isNamespace } from "./policy.js";
import type { RemoteTier } from "./remote-tier.js";
import type { Logger } from "../logger.js";

/** `kind` is the namespace (the wire name predates namespaces and stays, for mixed-version deployments). */
export type BusMessage = { t: "inv"; kind: string; pattern?: string } | { t: "filled"; key: string };

export interface BusHandlers {
  invalidate(namespace: string, pattern: string | undefined): void;
  filled(key: string): void;
  resync(): void;
}

const MAX_MESSAGE = 4096;

export class CacheBus {
  private readonly tier: RemoteTier;
  private readonly instanceId: string;
  private readonly handlers: BusHandlers;
  private readonly logger: Logger | undefined;
  private readonly known: (namespace: string) => boolean;
  private subscriptions = 0;

  /** `known` says which namespaces this instance serves; invalidations of others are dropped. */
  constructor(
    tier: RemoteTier,
    instanceId: string,
    handlers: BusHandlers,
    logger?: Logger,
    known: (namespace: string) => boolean = isNamespace,
  ) {
    this.tier = tier;
    this.instanceId = instanceId;
    this.handlers = handlers;
    this.logger = logger;
    this.known = known;
  }

  /** Starts listening; failures are logged (the subscriber connection keeps retrying). */
  start(): void {
    this.tier.driver
      .subscribe(
        this.tier.channel,
        (raw) => this.receive(raw),
        () => {
          this.subscriptions++;
          this.logger?.debug(
            { channel: this.tier.channel, subscriptions: this.subscriptions },
            "cache bus subscribed; resynchronising L1",
          );
          this.handlers.resync();
        },
      )
      .catch((error: unknown) =>
        this.logger?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "cache bus could not subscribe",
        ),
      );
  }

  /** How many times the bus has (re)subscribed. */
  get subscribed(): number {
    return this.subscriptions;
  }

  publish(message: BusMessage): Promise<boolean> {
    return this.tier.publish(JSON.stringify({ v: 1, from: this.instanceId, ...message }));
  }

  private receive(raw: string): void {
    const message = parse(raw, this.known);
    if (!message || message.from === this.instanceId) return;
    if (message.t === "inv") this.handlers.invalidate(message.kind, message.pattern);
    else this.handlers.filled(message.key);
  }
}

/**
 * Strict parse of a bus message; anything unexpected is dropped, including an invalidation of a
 * namespace `known` rejects (default: any syntactically valid namespace).
 */
export function parse(
  raw: string,
  known: (namespace: string) => boolean = isNamespace,
): (BusMessage & { from: string }) | undefined {
  if (raw.length > MAX_MESSAGE) return undefined;
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!m || typeof m !== "object") return undefined;
  const o = m as Record<string, unknown>;
  if (o.v !== 1 || typeof o.from !== "string") return undefined;
  if (o.t === "inv" && typeof o.kind === "string" && isNamespace(o.kind) && known(o.kind)) {
    if (o.pattern !== undefined && typeof o.pattern !== "string") return undefined;
    return { from: o.from, t: "inv", kind: o.kind, ...(typeof o.pattern === "string" ? { pattern: o.pattern } : {}) };
  }
  if (o.t === "filled" && typeof o.key === "string") return { from: o.from, t: "filled", key: o.key };
  return undefined;
}
