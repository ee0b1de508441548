/** Reading a Bot API payload, whose fields arrive as JSON values or, from a form, as strings. */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function optNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Telegram's dates: whole seconds since the epoch. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
