import type { ApiCallFn } from "grammy";
import { afterEach, describe, expect, it, vi } from "vitest";
import { waitOutFloodLimits } from "../../src/bot/flood-retry.js";

afterEach(() => {
  vi.useRealTimers();
});

const tooMany = (retryAfter: number) => ({
  ok: false as const,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});

/** A Bot API answering these in turn (then ok); the times of the tries. */
function answering(...answers: object[]) {
  const tries: number[] = [];
  const prev = (async () => {
    tries.push(Date.now());
    return answers[tries.length - 1] ?? { ok: true, result: true };
  }) as unknown as ApiCallFn;
  return { prev, tries };
}

const send = (options: Parameters<typeof waitOutFloodLimits>[0], prev: ApiCallFn, signal?: AbortController) =>
  waitOutFloodLimits({ random: () => 0, ...options })(
    prev,
    "sendMessage" as never,
    { chat_id: 1, text: "hi" } as never,
    signal?.signal as never,
  );

describe("Telegram's flood limit (429)", () => {
  it("is waited out as many times as it takes, each time for its retry_after", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = answering(...Array.from({ length: 8 }, () => tooMany(1)), tooMany(3));
    const result = send({ maxDelaySeconds: 30 }, prev);
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(result).resolves.toEqual({ ok: true, result: true });
    expect(tries.slice(1).map((at, i) => at - tries[i]!)).toEqual([...Array(8).fill(1000), 3000]);
  });

  it("adds a random part of a second to each wait, so calls held back together come back apart", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = answering(tooMany(2));
    const result = send({ maxDelaySeconds: 30, random: () => 0.5 }, prev);
    await vi.advanceTimersByTimeAsync(5000);
    await result;
    expect(tries).toEqual([0, 2500]);
  });

  it("fails the call at once when Telegram asks for a longer wait than the configured one", async () => {
    const { prev, tries } = answering(tooMany(40));
    await expect(send({ maxDelaySeconds: 30 }, prev)).resolves.toMatchObject({ ok: false, error_code: 429 });
    expect(tries).toHaveLength(1);
  });

  it("fails the call once its waits would pass the budget", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = answering(...Array.from({ length: 10 }, () => tooMany(25)));
    const result = send({ maxDelaySeconds: 30, maxWaitSeconds: 60 }, prev);
    await vi.advanceTimersByTimeAsync(120_000);
    await expect(result).resolves.toMatchObject({ ok: false, error_code: 429 });
    // 25 s + 25 s waited; a third wait would make 75 s.
    expect(tries).toEqual([0, 25_000, 50_000]);
  });

  it("stops waiting when the call is aborted, and leaves other answers alone", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = answering(tooMany(5));
    const controller = new AbortController();
    const result = send({ maxDelaySeconds: 30 }, prev, controller);
    const settled = expect(result).rejects.toThrow(/aborted/);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await settled;
    expect(tries).toHaveLength(1);

    const other = answering({ ok: false, error_code: 400, description: "Bad Request: chat not found" });
    await expect(send({ maxDelaySeconds: 30 }, other.prev)).resolves.toMatchObject({ error_code: 400 });
    expect(other.tries).toHaveLength(1);
  });
});
