/**
 * In-process single flight: identical concurrent computations run once. Each caller waits with
 * its own signal; the shared computation is aborted only when every waiter has gone. A failed
 * computation is forgotten at once (errors are never shared with later callers).
 */
import { SpecGateError } from "../errors.js";
import { raceSignal } from "../signals.js";

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  done: boolean;
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  has(key: string): boolean {
    return this.flights.has(key);
  }

  get size(): number {
    return this.flights.size;
  }

  /** Joins the flight for `key`; undefined when there is none. */
  join(key: string, signal: AbortSignal | undefined): Promise<T> | undefined {
    const flight = this.flights.get(key);
    return flight ? this.wait(flight, signal) : undefined;
  }

  /** Starts a flight for `key` (replacing the map entry of any older one) and joins it. */
  start(key: string, work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const controller = new AbortController();
    const flight: Flight<T> = { controller, waiters: 0, done: false, promise: Promise.resolve() as Promise<T> };
    flight.promise = (async () => {
      try {
        return await work(controller.signal);
      } finally {
        flight.done = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
      }
    })();
    // Keep an unobserved rejection (all waiters gone) from becoming an unhandled rejection.
    flight.promise.catch(() => undefined);
    this.flights.set(key, flight);
    return this.wait(flight, signal);
  }

  abortAll(): void {
    for (const flight of this.flights.values())
      flight.controller.abort(new SpecGateError("E_CANCELLED", "The cache is closing."));
    this.flights.clear();
  }

  /** Waits for a flight with this caller's signal; the last waiter to leave early aborts the work. */
  private async wait(flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters++;
    try {
      return await (signal ? raceSignal(flight.promise, signal) : flight.promise);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.done) flight.controller.abort(signal?.reason);
    }
  }
}
