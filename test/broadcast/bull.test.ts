// The BullMQ engine against a redis-server of its own and the fake Bot API.
import { afterAll, beforeAll } from "vitest";
import { createBullDelivery } from "../../src/broadcast/bull.js";
import { startRedisServer } from "../helpers/redis-server.js";
import type { RedisServer } from "../helpers/redis-server.js";
import { describeDeliveryBehaviour } from "./behaviour.js";

let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer({ appendonly: true });
});
afterAll(async () => {
  await redis?.stop();
});

describeDeliveryBehaviour("BullMQ", (options) =>
  // Each engine its own namespace: no pause, chat spacing or queue shared with another test.
  createBullDelivery({ ...options, connection: redis.url, prefix: `t${++prefixes}:`, lockMs: 5000 }),
);
