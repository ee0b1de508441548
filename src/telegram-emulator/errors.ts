import type { ResponseParameters } from "grammy/types";

/** An error answer in Bot API format. */
export interface ApiErrorSpec {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** What the emulator throws where Telegram answers `ok: false`; `toResponse` gives the answer's body. */
export class BotApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${error_code}: ${description}`);
    this.name = "BotApiError";
  }

  toResponse(): { ok: false; error_code: number; description: string; parameters?: ResponseParameters } {
    return {
      ok: false,
      error_code: this.error_code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export function apiError(spec: ApiErrorSpec): BotApiError {
  return new BotApiError(spec.error_code, spec.description, spec.parameters);
}

/** A 400 answer; `description` as Telegram words it, "Bad Request: …" included. */
export function bad(description: string): BotApiError {
  return new BotApiError(400, description);
}

/** Error answers as Telegram words them. */
export const apiErrors = {
  tooManyRequests: (retryAfter: number): ApiErrorSpec => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  blockedByUser: (): ApiErrorSpec => ({ error_code: 403, description: "Forbidden: bot was blocked by the user" }),
  userDeactivated: (): ApiErrorSpec => ({ error_code: 403, description: "Forbidden: user is deactivated" }),
  chatNotFound: (): ApiErrorSpec => ({ error_code: 400, description: "Bad Request: chat not found" }),
  badGateway: (): ApiErrorSpec => ({ error_code: 502, description: "Bad Gateway" }),
  internal: (): ApiErrorSpec => ({ error_code: 500, description: "Internal Server Error" }),
};

export const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
export const QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";
