/**
 * Deadlines and cancellation: one signal per call, combining the client's cancellation, the
 * call's deadline and server shutdown. The deadline aborts with an E_TIMEOUT
 * SpecGateError as its reason, so whoever sees the abort can report it precisely.
 */
import { SpecGateError, toSpecGateError } from "./errors.js";

export interface Deadline {
  readonly signal: AbortSignal;
  /** Clears the timer; call when the work is over. */
  dispose(): void;
}

export function createDeadline(timeoutMs: number, what: string, ...signals: (AbortSignal | undefined)[]): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new SpecGateError(
        "E_TIMEOUT",
        `${what} ran past its ${formatMs(timeoutMs)} deadline and was abandoned. Retry, or split the input into smaller parts.`,
      ),
    );
  }, timeoutMs);
  timer.unref();
  const parts = [controller.signal, ...signals.filter((s): s is AbortSignal => s !== undefined)];
  return {
    signal: parts.length === 1 ? controller.signal : AbortSignal.any(parts),
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (the work itself may go on; its
 * owner decides what to do with it). Never leaves a listener behind.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(toSpecGateError(signal.reason, signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toSpecGateError(signal.reason, signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Lets the event loop breathe between chunks of CPU-bound work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
