/**
 * Credentials never reach logs or the terminal. Two layers: the configured secrets are replaced
 * wherever they appear (the bot token, the webhook secret, the password of every URL), and the shapes a
 * credential takes in client errors are blanked whatever its value — the user:password part of a URL,
 * the arguments of a Redis AUTH (ioredis puts `HELLO 3 AUTH default <password>` in its errors and in
 * `err.command.args`), a bot token in a Bot API path.
 */

export const REDACTED = "[redacted]";

/** Shorter secrets would blank ordinary words of the logs; the patterns still catch them in context. */
const MIN_SECRET_LENGTH = 4;

const PATTERNS: [RegExp, string][] = [
  // scheme://user:password@host, scheme://password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`],
  // AUTH <password>, AUTH <user> <password>, HELLO 3 AUTH <user> <password>
  [/\b(AUTH)\s+\S+(?:\s+\S+)?/gi, `$1 ${REDACTED}`],
  // /bot<id>:<secret>/ in a Bot API URL
  [/\bbot\d+:[A-Za-z0-9_-]+/g, `bot${REDACTED}`],
];

/** Redis commands whose arguments are credentials. */
const CREDENTIAL_COMMANDS = new Set(["auth", "hello", "migrate"]);

export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const known = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH))]
    // Longest first, so a secret containing another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** The credentials of a configuration: token, webhook secret, and the password of each URL, as written and decoded. */
export function configSecrets(config: {
  TELEGRAM_BOT_TOKEN?: string | undefined;
  WEBHOOK_SECRET?: string | undefined;
  REDIS_URL?: string | undefined;
  TELEGRAM_API_ROOT?: string | undefined;
  WEBHOOK_URL?: string | undefined;
}): string[] {
  const secrets = [config.TELEGRAM_BOT_TOKEN, config.WEBHOOK_SECRET].filter((s): s is string => !!s);
  for (const url of [config.REDIS_URL, config.TELEGRAM_API_ROOT, config.WEBHOOK_URL]) secrets.push(...urlSecrets(url));
  return secrets;
}

function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const { password } = new URL(url);
    if (!password) return [];
    return [password, safeDecode(password)];
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A copy of a log object with every string redacted: Errors become plain objects (message, stack and
 * their own fields, such as ioredis's `command`), the arguments of credential commands are blanked.
 * Walks plain objects and arrays only, to a bounded depth.
 */
export function scrub(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, redact, depth + 1));
  if (value instanceof Error) return scrub(errorObject(value), redact, depth + 1);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrub(item, redact, depth + 1);
  if (typeof out.name === "string" && CREDENTIAL_COMMANDS.has(out.name.toLowerCase()) && Array.isArray(out.args))
    out.args = [REDACTED];
  return out;
}

function errorObject(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  for (const [key, item] of Object.entries(error)) if (!(key in out)) out[key] = item;
  if (error.cause !== undefined) out.cause = error.cause;
  return out;
}
