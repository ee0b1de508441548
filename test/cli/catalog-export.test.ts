import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { announcementRecord } from "../../src/announcements/record.js";
import { run as check } from "../../src/cli/catalog-check.js";
import { exportChanges, run } from "../../src/cli/catalog-export.js";
import { DEFAULT_DATA_DIR, loadCatalog, loadCatalogOrThrow } from "../../src/catalog/load.js";
import { createRedisCatalogChanges } from "../../src/state/catalog-changes-redis.js";
import { runCli } from "../helpers/cli.js";
import { flushAll, openClient, startRedisServer, type RedisServer } from "../helpers/redis-server.js";

let server: RedisServer;
let dir: string;
beforeAll(async () => {
  server = await startRedisServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-export-"));
  await cp(DEFAULT_DATA_DIR, dir, { recursive: true });
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

it("writes the records changed in chat as catalog files that load, keeps the files of withdrawn ones, and leaves announcements out", async () => {
  const client = await openClient(server.url);
  const store = createRedisCatalogChanges(client, { prefix: "coopdesk:" });
  const files = await loadCatalogOrThrow(dir);
  const asean = files.records.find((r) => r.id === "asean")!;
  // List fields as the chat's editor writes them: a figure with the plural forms of each language, a contact with only what was typed.
  const edited = {
    ...asean,
    title: { ...asean.title, fr: "ANASE — titre revu" },
    figures: [
      {
        value: 1200,
        atLeast: true,
        label: { en: "member startups", fr: "start-up membres", ru: "стартапов-участников", zh: "初创企业成员" },
        text: {
          en: "more than {n} member startups",
          fr: "plus de {n} start-up membres",
          ru: {
            one: "более {n} стартапа-участника",
            few: "более {n} стартапов-участников",
            many: "более {n} стартапов-участников",
            other: "более {n} стартапа-участника",
          },
          zh: "{n}多家初创企业成员",
        },
      },
    ],
    contacts: [
      {
        name: { en: "ASEAN Secretariat", fr: "Secrétariat de l'ASEAN", ru: "Секретариат АСЕАН", zh: "东盟秘书处" },
        email: "public@asean.org",
      },
    ],
    partners: [
      {
        name: {
          en: "Universiti Brunei Darussalam",
          fr: "Université Brunei Darussalam",
          ru: "Университет Бруней-Даруссалам",
          zh: "文莱达鲁萨兰大学",
        },
        countries: ["BN"],
      },
    ],
  };
  const { short: _short, ...unshortened } = asean;
  const created = {
    ...unshortened,
    id: "zz-new-record",
    title: { en: "A new record", fr: "Une nouvelle fiche", ru: "Новая запись", zh: "新条目" },
  };
  await store.append({ op: "put", record: edited });
  await store.append({ op: "put", record: created });
  await store.append({ op: "remove", id: "caexpo" });
  await store.append({
    op: "put",
    record: announcementRecord({ broadcastId: "b1", text: "Call\nApply.", sentAt: new Date(), expires: "2999-12-31" }),
  });

  expect(await exportChanges(store, dir)).toEqual({ written: ["asean", "zz-new-record"], withdrawn: ["caexpo"] });
  // Record ids are never deleted: others refer to them.
  expect((await stat(path.join(dir, "records", "caexpo.yaml"))).isFile()).toBe(true);
  expect(await readFile(path.join(dir, "records", "asean.yaml"), "utf8")).toContain("ANASE — titre revu");
  const loaded = await loadCatalog(dir);
  expect(loaded.ok, loaded.ok ? "" : JSON.stringify(loaded.problems.slice(0, 3))).toBe(true);
  if (loaded.ok) {
    expect(loaded.catalog.records.find((r) => r.id === "asean")?.title.fr).toBe("ANASE — titre revu");
    expect(loaded.catalog.records.find((r) => r.id === "zz-new-record")?.title.en).toBe("A new record");
    expect(loaded.catalog.records.some((r) => r.kind === "announcement")).toBe(false);
    expect(loaded.catalog.records.find((r) => r.id === "asean")).toMatchObject({
      figures: edited.figures,
      contacts: edited.contacts,
      partners: edited.partners,
    });
  }
  // What npm run catalog:check runs on the exported folder, reading rules included.
  const checked = await runCli(check, [dir]);
  expect(checked.stdout + checked.stderr).toContain("catalog OK");
  expect(checked.status).toBe(0);
  await client.quit();
});

it("npm run catalog:export reads REDIS_URL and CATALOG_DIR, says what it wrote and kept, and what to do next", async () => {
  await flushAll(server.url);
  const client = await openClient(server.url);
  const store = createRedisCatalogChanges(client, { prefix: "coopdesk:" });
  const caexpo = (await loadCatalogOrThrow(dir)).records.find((r) => r.id === "caexpo")!;
  await store.append({ op: "put", record: { ...caexpo, title: { ...caexpo.title, en: "CAEXPO, title revised" } } });
  await store.append({ op: "remove", id: "asean" });
  await client.quit();

  const out = await runCli(run, [], { env: { REDIS_URL: server.url, CATALOG_DIR: dir } });
  expect(out).toEqual({
    status: 0,
    stderr: "",
    stdout: [
      `from 127.0.0.1:${server.port} into ${dir}: 1 record file(s) written`,
      "  wrote records/caexpo.yaml",
      '  withdrawn in the bot, file kept (ids are never deleted; set "expires" or edit it): records/asean.yaml',
      "next: npm run catalog:check, then review and commit the files",
      "",
    ].join("\n"),
  });
  expect(await readFile(path.join(dir, "records", "caexpo.yaml"), "utf8")).toContain("CAEXPO, title revised");
});

it("npm run catalog:export without REDIS_URL says there is nothing stored to export and exits 1", async () => {
  const out = await runCli(run, [], { env: { CATALOG_DIR: dir } });
  expect(out.status).toBe(1);
  expect(out.stdout).toBe("");
  expect(out.stderr).toMatch(/^REDIS_URL is not set: .*nothing stored to export\.\n$/);
});

it("npm run catalog:export on a Redis that does not answer says it could not export and exits 1", async () => {
  const out = await runCli(run, [], { env: { REDIS_URL: "redis://127.0.0.1:1", CATALOG_DIR: dir } });
  expect(out.status).toBe(1);
  expect(out.stderr).toMatch(/^could not export: /);
});
