// The in-process engine (no Redis): the same behaviour as the BullMQ engine, minus durability.
import { describe, expect, it } from "vitest";
import { createDelivery } from "../../src/broadcast/index.js";
import { createMemoryDelivery } from "../../src/broadcast/memory.js";
import { describeDeliveryBehaviour } from "./behaviour.js";
import { recordingHooks, waitForEnd } from "./support.js";

describeDeliveryBehaviour("in-memory", (options) => createMemoryDelivery(options), { fakeTimers: true });

describe("createDelivery", () => {
  it("delivers in-process when there is no Redis", async () => {
    const sent: number[] = [];
    const delivery = createDelivery({
      sender: { send: async (chatId) => void sent.push(chatId) },
      hooks: recordingHooks([{ chatId: 5, lang: "en" }]),
      ratePerSecond: 50,
    });
    await delivery.startWorkers();
    await delivery.schedule({ id: "local", createdBy: 1, content: { default: { text: "hi" } }, audience: null });
    expect(await waitForEnd(delivery, "local")).toMatchObject({ state: "done", sent: 1 });
    expect(sent).toEqual([5]);
    await delivery.close();
  });
});
