import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { redisClients, type RedisClients } from "../../src/app/redis.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { until, within } from "../helpers/until.js";

const quiet = pino({ level: "silent" });
let server: RedisServer | undefined;
let clients: RedisClients | undefined;

afterEach(async () => {
  await clients?.close();
  await server?.stop();
  clients = server = undefined;
});

/** Whether the client's connection ends (the socket closes just after QUIT is answered); 10 s only bounds a hang. */
async function ended(client: Redis): Promise<boolean> {
  return until(() => client.status === "end", 10_000).then(
    () => true,
    () => false,
  );
}

describe("the app's Redis clients (src/app/redis.ts)", () => {
  it("gives each use a connection of its own: a subscriber does not hold up the commands of another client", async () => {
    server = await startRedisServer();
    clients = redisClients(server.url, quiet);
    const subscriber = clients.client("requests");
    const commands = clients.client("background");
    await subscriber.subscribe("news");
    await commands.set("k", "v");
    expect(await commands.get("k")).toBe("v");
    expect(await commands.client("ID")).not.toBe(await clients.client("requests").client("ID"));
  });

  it("close() ends every client, those their users closed already included, and makes no new ones", async () => {
    server = await startRedisServer();
    clients = redisClients(server.url, quiet);
    const closedByUser = clients.client("requests");
    const left = [clients.client("requests"), clients.client("background")];
    await Promise.all([closedByUser, ...left].map((c) => c.ping()));
    await closedByUser.quit();
    await clients.close();
    for (const client of [closedByUser, ...left]) expect(await ended(client)).toBe(true);
    expect(() => clients!.client("requests")).toThrow(/closed/);
  });

  it("close() is bounded when Redis is gone, and the clients stop reconnecting", async () => {
    server = await startRedisServer();
    const port = server.port;
    clients = redisClients(server.url, quiet);
    const all = [clients.client("requests"), clients.client("background")];
    await Promise.all(all.map((c) => c.ping()));
    await server.stop();
    // QUIT's grace (1 s) ends the close; the bound only tells that from a close waiting for Redis.
    await within(clients.close(), 10_000, "close with Redis gone");
    // A Redis back on the same port is not reached again: the clients gave up for good.
    server = await startRedisServer({ port });
    await sleep(1500);
    for (const client of all) expect(client.status).not.toBe("ready");
  });
});
