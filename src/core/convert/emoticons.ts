/** `ac:emoticon` (and view-format emoticon images) → an emoji, or `:name:` when none is known. */

/** Confluence's built-in emoticon names (Server/DC and Cloud) and what they show. */
const NAMED: Readonly<Record<string, string>> = {
  smile: "🙂",
  sad: "🙁",
  cheeky: "😛",
  laugh: "😀",
  wink: "😉",
  "thumbs-up": "👍",
  "thumbs-down": "👎",
  information: "ℹ️",
  tick: "✅",
  cross: "❌",
  warning: "⚠️",
  plus: "➕",
  minus: "➖",
  question: "❓",
  "light-on": "💡",
  "light-off": "💡",
  "yellow-star": "⭐",
  "red-star": "⭐",
  "green-star": "⭐",
  "blue-star": "⭐",
  heart: "❤️",
  "broken-heart": "💔",
};

/** Atlassian emoji ids are code points in hex, joined with `-` (e.g. `1f44d`, `1f468-200d-1f4bb`). */
function fromEmojiId(id: string | undefined): string | null {
  if (!id || !/^[0-9a-f]{2,6}(?:-[0-9a-f]{2,6})*$/i.test(id)) return null;
  try {
    return String.fromCodePoint(...id.split("-").map((h) => Number.parseInt(h, 16)));
  } catch {
    return null;
  }
}

/** A fallback is usable when it is the emoji itself rather than a `:shortname:`. */
function isEmoji(text: string | undefined): text is string {
  return text !== undefined && text !== "" && !/^:[^:\s]+:$/.test(text) && /[^\x00-\x7f]/.test(text);
}

/**
 * Resolution order: the page's own emoji fallback, the emoji id, the built-in name, then the
 * shortname (`:white_check_mark:`) or `:name:` so the intent survives as text.
 */
export function emoticon(a: Record<string, string>): string {
  const fallback = a["ac:emoji-fallback"] ?? a["data-emoji-fallback"];
  if (isEmoji(fallback)) return fallback;
  const fromId = fromEmojiId(a["ac:emoji-id"] ?? a["data-emoji-id"]);
  if (fromId) return fromId;
  const name = a["ac:name"] ?? "";
  const named = NAMED[name];
  if (named) return named;
  const short = a["ac:emoji-shortname"] ?? a["data-emoji-shortname"];
  if (short && /^:[^:\s]+:$/.test(short)) return short;
  return name ? `:${name.replace(/[^\w+-]/g, "_")}:` : "";
}

/** The name in a view-format emoticon image's classes (`emoticon emoticon-tick`). */
export function emoticonFromClass(className: string): string | null {
  const m = /\bemoticon-([\w-]+)/.exec(className);
  return m ? (NAMED[m[1]!] ?? null) : null;
}
