import type { ApiCallFn } from "grammy";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../../src/grammy.js";
import { retryNetworkFailures } from "../../src/bot/network-retry.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A Bot API that fails on the way `failures` times (an HttpError, as grammY throws), then answers; the times of the tries. */
function flaky(
  failures: number,
  error: () => Error = () => new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNREFUSED")),
) {
  const tries: number[] = [];
  const prev = (async () => {
    tries.push(Date.now());
    if (tries.length <= failures) throw error();
    return { ok: true, result: { message_id: 1 } };
  }) as unknown as ApiCallFn;
  return { prev, tries };
}

const call = (prev: ApiCallFn, signal?: AbortSignal) =>
  retryNetworkFailures()(prev, "sendMessage" as never, { chat_id: 1, text: "hi" } as never, signal as never);

describe("calls that fail on the way to Telegram", () => {
  it("are tried again until Telegram answers, the waits doubling from 1 s and never over 10 s", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = flaky(8);
    const result = call(prev);
    await vi.advanceTimersByTimeAsync(120_000);
    await expect(result).resolves.toMatchObject({ ok: true });
    const waits = tries.slice(1).map((at, i) => at - tries[i]!);
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
  });

  it("resume within 10 s of Telegram answering again, however long it was away", async () => {
    vi.useFakeTimers({ now: 0 });
    // Away for an hour: a failure every try until then.
    const tries: number[] = [];
    const prev = (async () => {
      tries.push(Date.now());
      if (Date.now() < 3_600_000) throw new HttpError("Network request for 'getUpdates' failed!", new Error("reset"));
      return { ok: true, result: [] };
    }) as unknown as ApiCallFn;
    const result = call(prev);
    await vi.advanceTimersByTimeAsync(3_600_000 + 10_000);
    await expect(result).resolves.toMatchObject({ ok: true });
    expect(tries.at(-1)! - 3_600_000).toBeLessThanOrEqual(10_000);
  });

  it("stop waiting when the call is aborted (the bot stopping)", async () => {
    vi.useFakeTimers({ now: 0 });
    const { prev, tries } = flaky(Infinity);
    const controller = new AbortController();
    const result = call(prev, controller.signal);
    const settled = expect(result).rejects.toThrow(/aborted/);
    await vi.advanceTimersByTimeAsync(1500);
    controller.abort();
    await settled;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tries).toHaveLength(2);
  });

  it("leave Telegram's own answers and other errors to the caller", async () => {
    const refused = flaky(1, () => new Error("not a network failure"));
    await expect(call(refused.prev)).rejects.toThrow("not a network failure");
    expect(refused.tries).toHaveLength(1);
  });

  it("are logged once per call, without the request's URL", async () => {
    vi.useFakeTimers({ now: 0 });
    const warned: [object, string][] = [];
    const { prev } = flaky(3);
    const result = retryNetworkFailures({ logger: { warn: (obj, msg) => warned.push([obj, msg]) } })(
      prev,
      "sendMessage" as never,
      {} as never,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(warned).toEqual([
      [
        { method: "sendMessage", message: "Network request for 'sendMessage' failed!" },
        "Telegram not reachable; retrying",
      ],
    ]);
  });
});
