import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration: ADMIN_IDS", () => {
  it("defaults to no administrators", () => {
    expect(loadConfig({}).ADMIN_IDS).toEqual([]);
    expect(loadConfig({ ADMIN_IDS: " " }).ADMIN_IDS).toEqual([]);
  });

  it("reads comma-separated numeric user ids, with spaces and repeats tolerated", () => {
    expect(loadConfig({ ADMIN_IDS: "123456789" }).ADMIN_IDS).toEqual([123456789]);
    expect(loadConfig({ ADMIN_IDS: " 1, 22 ,333,22," }).ADMIN_IDS).toEqual([1, 22, 333]);
  });

  it.each(["abc", "12,-5", "0", "1.5", "12 34", "99999999999999999"])(
    "refuses %j, naming the variable but not the value",
    (value) => {
      let error: unknown;
      try {
        loadConfig({ ADMIN_IDS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        "ADMIN_IDS must be comma-separated numeric Telegram user ids (e.g. 123456789,987654321)",
      ]);
    },
  );
});
