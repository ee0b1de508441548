import { CALLBACK_DATA_LIMIT } from "../format.js";

/**
 * What every codec of button payloads checks. Telegram refuses a button whose payload is over 64 bytes,
 * so encoding one is a bug, thrown at once; decoding takes only what one of our buttons could carry.
 */
export function withinLimit(data: string): string {
  if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT)
    throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

/** A payload a codec with this prefix ("" for none) may have made: anything else decodes to nothing. */
export function isPayloadOf(data: string | undefined, prefix: string): data is string {
  return !!data && data.startsWith(prefix) && Buffer.byteLength(data, "utf8") <= CALLBACK_DATA_LIMIT;
}
