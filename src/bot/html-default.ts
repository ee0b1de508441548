import type { Transformer } from "grammy";

/** Methods whose `text` is parsed as the bot's HTML. */
const TEXT_METHODS = new Set(["sendMessage", "editMessageText"]);
/** Methods whose `caption` is parsed as the bot's HTML. */
const CAPTION_METHODS = new Set([
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "editMessageCaption",
  "copyMessage",
]);

type Fields = Record<string, unknown>;

/** A text the bot writes is HTML unless the call says otherwise: a `parse_mode`, or entities (the user's own formatting). */
function withHtml(fields: Fields, entitiesKey: "entities" | "caption_entities"): Fields {
  return fields.parse_mode !== undefined || fields[entitiesKey] !== undefined
    ? fields
    : { ...fields, parse_mode: "HTML" };
}

function htmlPayload(method: string, payload: Fields): Fields {
  if (TEXT_METHODS.has(method)) return withHtml(payload, "entities");
  if (CAPTION_METHODS.has(method))
    return payload.caption === undefined ? payload : withHtml(payload, "caption_entities");
  if (method === "answerInlineQuery" && Array.isArray(payload.results)) {
    const results = (payload.results as Fields[]).map((result) => {
      const content = result.input_message_content as Fields | undefined;
      return content && typeof content.message_text === "string"
        ? { ...result, input_message_content: withHtml(content, "entities") }
        : result;
    });
    return { ...payload, results };
  }
  return payload;
}

/** Installed by createBot: every text and caption the bot sends or edits is parsed as HTML by default. */
export const htmlByDefault: Transformer = (prev, method, payload, signal) =>
  prev(method, htmlPayload(method, payload as Fields) as typeof payload, signal);
