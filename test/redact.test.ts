import { describe, expect, it } from "vitest";
import { configSecrets, createRedactor, REDACTED, scrub } from "../src/redact.js";
import { createLogger } from "../src/logger.js";
import { textSink } from "./helpers/text-sink.js";

const PASSWORD = "p@ss:w0rd-SECRET";
const URL_PASSWORD = encodeURIComponent(PASSWORD);

describe("the redactor", () => {
  const redact = createRedactor(
    configSecrets({
      REDIS_URL: `redis://default:${URL_PASSWORD}@redis:6379/0`,
      TELEGRAM_BOT_TOKEN: "123456:AAtokenSECRETabcdefghijklmnopqrst",
    }),
  );

  it("replaces the configured secrets, a URL password as written and decoded", () => {
    expect(redact(`connecting with ${PASSWORD} and ${URL_PASSWORD}`)).toBe(
      `connecting with ${REDACTED} and ${REDACTED}`,
    );
    expect(redact("GET /bot123456:AAtokenSECRETabcdefghijklmnopqrst/getMe")).not.toContain("AAtokenSECRET");
  });

  it("blanks credentials by their shape whatever their value", () => {
    const anyRedact = createRedactor();
    expect(anyRedact("redis://user:unknownPass@host:6379")).toBe(`redis://${REDACTED}@host:6379`);
    expect(anyRedact("rediss://unknownPass@host")).toBe(`rediss://${REDACTED}@host`);
    expect(anyRedact("ERR HELLO 3 AUTH default unknownPass failed")).toBe(`ERR HELLO 3 AUTH ${REDACTED} failed`);
    expect(anyRedact("AUTH unknownPass")).toBe(`AUTH ${REDACTED}`);
    expect(anyRedact("https://api.telegram.org/bot42:AAAunknown-token_x/sendMessage")).not.toContain("AAAunknown");
    expect(anyRedact("NOAUTH Authentication required.")).toBe("NOAUTH Authentication required.");
  });

  it("scrubs an ioredis error: its message, stack and the AUTH arguments of its command", () => {
    const error = Object.assign(new Error("WRONGPASS invalid username-password pair"), {
      command: { name: "hello", args: ["3", "AUTH", "default", "unknownPass"] },
    });
    const clean = scrub({ err: error, nested: [{ url: "redis://:unknownPass@h" }] }, createRedactor()) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(clean)).not.toContain("unknownPass");
    expect(clean.err).toMatchObject({
      message: "WRONGPASS invalid username-password pair",
      command: { name: "hello", args: [REDACTED] },
    });
  });
});

describe("the logger", () => {
  it("never writes a secret, in the message, a field or a logged error", () => {
    const sink = textSink();
    const logger = createLogger("debug", sink.stream, [PASSWORD]);
    const error = Object.assign(new Error(`AUTH failed for ${PASSWORD}`), {
      command: { name: "auth", args: [PASSWORD] },
    });
    logger.warn(
      { err: error, url: `redis://:${URL_PASSWORD}@h`, nested: { list: [PASSWORD] } },
      `failed with ${PASSWORD}`,
    );
    logger.error(error);
    logger.info(`plain ${PASSWORD}`);
    const text = sink.text();
    expect(text.trim().split("\n")).toHaveLength(3);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(URL_PASSWORD);
    expect(text).toContain(REDACTED);
  });
});
