/** Option value parsers shared by the commands: a bad value is a usage error (exit 2) naming the option. */
import { InvalidArgumentError } from "commander";

/** A score from 0 to 100. */
export function score(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError("expected a number from 0 to 100.");
  return n;
}

/** A whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError("expected a whole number ≥ 1.");
  return n;
}

/** Whether `value` is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === "https:" || url.protocol === "http:";
}

/** An absolute http(s) URL, as given. */
export function httpUrl(value: string): string {
  if (!isHttpUrl(value))
    throw new InvalidArgumentError(`expected an absolute http(s) URL, e.g. https://acme.atlassian.net/wiki.`);
  return value;
}
