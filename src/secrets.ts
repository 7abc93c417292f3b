/**
 * Scrubbing secrets from text: log lines, error messages, tool results, upstream bodies.
 *
 * A secret rarely travels as written. An upstream (or a proxy in front of it) that echoes the
 * request headers hands back `Basic base64(email:token)` or `Bearer <token>`; a URL carries it
 * percent-encoded; a JSON log line escapes it. {@link secretForms} lists every form a secret can
 * take in such text, and {@link Scrubber} replaces them all with `[redacted]`.
 *
 * Base64 is the subtle one: the encoding of `prefix + secret` depends on where the secret falls
 * in the 3-byte groups, so for each of the three alignments the characters that only the
 * secret's own bytes determine are a form of their own. That catches the Basic encoding with any
 * user name in front, and the secret Base64-encoded alone, in standard and URL-safe alphabets.
 */

export const REDACTED = "[redacted]";

/** Secrets shorter than this are not scrubbed: they would match ordinary text. */
const MIN_SECRET = 4;
/** Base64 cores shorter than this are not scrubbed, for the same reason. */
const MIN_CORE = 8;

/** Every form `secret` may take in text that echoes it (the secret itself first). */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET) return [];
  const forms = new Set<string>([secret]);
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  forms.add(url.replace(/%20/g, "+"));
  forms.add(JSON.stringify(secret).slice(1, -1));
  const bytes = Buffer.from(secret, "utf8");
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole <= 0) continue;
    const core = bytes.subarray(skip, skip + whole).toString("base64");
    if (core.length < MIN_CORE) continue;
    forms.add(core);
    forms.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms];
}

/** The Base64 credential an HTTP Basic `Authorization` header carries for `user` and `secret`. */
export function basicCredential(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, "utf8").toString("base64");
}

/**
 * Replaces every form of the given secrets with `[redacted]`. Longer forms are replaced first, so
 * a whole Basic credential goes as one piece rather than around its secret's core. Text without
 * any form is returned as is (one `includes` per form: a few milliseconds on a 10 MB page).
 */
export class Scrubber {
  readonly forms: readonly string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const all = new Set<string>();
    for (const s of secrets) if (s) for (const f of secretForms(s)) all.add(f);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.forms.length === 0;
  }

  scrub(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /**
   * Decodes an upstream body (UTF-8) with every form scrubbed. The forms are looked for in the
   * bytes first: a 10 MB body without any costs a few milliseconds, where searching the decoded
   * string (two bytes a character for most non-Latin text) costs ten times that.
   */
  scrubBytes(body: Buffer): string {
    const text = body.toString("utf8");
    for (const form of this.forms) if (body.includes(form)) return this.scrub(text);
    return text;
  }

  /** A copy of a JSON-shaped value (a tool result, an error) with every string in it scrubbed. */
  scrubValue<T>(value: T): T {
    if (this.empty) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v);
      return out;
    }
    return value;
  }
}
