import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { watchConnection } from "../src/redis-connection.js";

describe("watchConnection", () => {
  it("reports each distinct failure once, not once per reconnect attempt, and the return after one", () => {
    const client = new EventEmitter();
    const failed: string[] = [];
    let restored = 0;
    watchConnection(
      client as unknown as Redis,
      (err) => failed.push(err.message),
      () => restored++,
    );
    client.emit("ready");
    expect(restored).toBe(0);
    for (let i = 0; i < 3; i++) client.emit("error", new Error("connect ECONNREFUSED 127.0.0.1:6390"));
    client.emit("error", new Error("NOAUTH Authentication required."));
    expect(failed).toEqual(["connect ECONNREFUSED 127.0.0.1:6390", "NOAUTH Authentication required."]);
    client.emit("ready");
    client.emit("ready");
    expect(restored).toBe(1);
    client.emit("error", new Error("NOAUTH Authentication required."));
    expect(failed).toHaveLength(3);
  });
});
