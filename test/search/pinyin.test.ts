import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/search/decide.js";
import { SearchEngine } from "../../src/search/engine.js";
import { PINYIN_FILE, PinyinNames, type PinyinFile } from "../../src/search/pinyin.js";
import { bundledEngine } from "../helpers/bot-deps.js";

let engine: SearchEngine;
beforeAll(async () => {
  engine = await bundledEngine();
});

describe("data/pinyin.json", () => {
  it("reads every Chinese character of the catalog's names (run npm run pinyin when it does not)", () => {
    const { chars } = JSON.parse(readFileSync(PINYIN_FILE, "utf8")) as PinyinFile;
    const catalog = engine.catalog;
    const names = [
      ...catalog.records.flatMap((r) => [r.title.zh, r.short?.zh ?? ""]),
      ...Object.values(catalog.glossary).flatMap((t) => t.zh),
      ...Object.values(catalog.places.cities).flatMap((c) => [c.names.zh, ...c.aliases]),
    ].join("");
    const missing = [...new Set(names.match(/\p{Script=Han}/gu) ?? [])].filter((c) => !(c in chars));
    expect(missing).toEqual([]);
  });
});

describe("PinyinNames", () => {
  it("keys the names of a text by their toneless pinyin, the most frequent spelling first", () => {
    const names = new PinyinNames();
    names.add("乌鲁木齐孵化器");
    expect(names.lookup("wulumuqi")).toBe("乌鲁木齐");
    expect(names.lookup("fuhuaqi")).toBe("孵化器");
    expect(names.lookup("qi")).toBeUndefined();
  });

  it("tells whether a typed word begins the pinyin of a name, names added later included", () => {
    const names = new PinyinNames();
    names.add("乌鲁木齐");
    expect(names.begins("wulu")).toBe(true);
    expect(names.begins("wulumuqi")).toBe(true);
    expect(names.begins("wulumuqix")).toBe(false);
    expect(names.begins("fuhua")).toBe(false);
    names.add("孵化器");
    expect(names.begins("fuhua")).toBe(true);
    expect(PinyinNames.fromData(names.data()).begins("fuhuaqi")).toBe(true);
  });

  it("counts a text once, however often it is added again", () => {
    const names = new PinyinNames();
    expect(names.add("长沙孵化器")).toBe(true);
    expect(names.add("长沙孵化器")).toBe(false);
  });
});

describe("SearchEngine.fromPinyin", () => {
  it("reads a message typed in pinyin as the characters it spells", () => {
    expect(engine.fromPinyin("shanghe zuzhi rengong zhineng hezuo zhongxin")).toBe("上合组织人工智能合作中心");
    expect(engine.fromPinyin("wulumuqi dahui 2024")).toBe("乌鲁木齐大会 2024");
  });

  it("reads syllables typed apart as the name they spell together", () => {
    expect(engine.fromPinyin("shang he zu zhi neng yuan he zuo ping tai")).toBe("上合组织能源合作平台");
    // "yuan" is a word of the catalog (the currency), not all of "neng yuan" is.
    expect(engine.fromPinyin("wu lu mu qi fu hua qi")).toBe("乌鲁木齐孵化器");
  });

  it("leaves English and French alone, names that are also pinyin included", () => {
    for (const text of [
      "incubator in Almaty",
      "Shanghai",
      "beidou",
      "China ASEAN expo",
      "incubateur à Harbin",
      "Huo-Yan",
      "huo yan",
      "huo yan lab",
      "he is in the zone",
      "ping me at the forum",
      "Xian",
      "wulumuqi",
    ])
      expect(engine.fromPinyin(text), text).toBeUndefined();
  });

  it("reads the names of a record put after the engine was built, even of a message just read", () => {
    const live = SearchEngine.build(engine.catalog);
    expect(live.fromPinyin("chunsha fuhuaqi")).toBeUndefined();
    const record = live.get("incubator-changsha")!;
    live.put({ ...record, title: { ...record.title, zh: "春沙孵化器" } });
    expect(live.fromPinyin("chunsha fuhuaqi")).toBe("春沙孵化器");
  });

  it("answers it in Chinese with the record it names", () => {
    const decision = decide(engine, "shanghe zuzhi shuzi jingji luntan");
    expect(decision.lang).toBe("zh");
    expect(decision.kind).toBe("answer");
    expect(decision.record?.id).toBe("sco-digital-economy-forum-2025");
  });
});

describe("a Chinese character typed for another of the same sound", () => {
  it("is the name of the catalog it was meant to be when one character differs", () => {
    const names = new PinyinNames();
    names.add("乌鲁木齐孵化器");
    expect(names.homophone("乌鲁目齐")).toBe("乌鲁木齐");
    expect(names.homophone("孵花器")).toBe("孵化器");
    // Two characters off, or the name itself, is no typo of it.
    expect(names.homophone("乌录目齐")).toBeUndefined();
    expect(names.homophone("乌鲁木齐")).toBeUndefined();
  });

  it.each([
    ["乌鲁目齐 创新大会", "bri-urumqi-innovation-conference-2024"],
    ["长沙孵花器", "incubator-changsha"],
    ["东蒙技术转移联盟", "china-asean-tech-transfer-alliance"],
    ["上和组织人工智能中心", "sco-ai-cooperation-centre"],
  ])("%s is read as the name it was meant to be and answered by %s", (text, id) => {
    expect(engine.fromHomophones(text)).toBeDefined();
    const decision = decide(engine, text);
    expect(decision.kind).toBe("answer");
    expect(decision.record?.id).toBe(id);
  });

  it.each([
    // Words of their own that sound like a name, or whose characters go with their neighbours.
    "我是一家德国汽车零部件企业的代表",
    "南昌是不是有合作中心",
    "上合组织是什么",
    "天津一季度数字经济核心产业营收增长多少",
    "想了解中国和印尼的合作",
    "乌鲁木齐孵化器",
  ])("%s is left as it is", (text) => {
    expect(engine.fromHomophones(text)).toBeUndefined();
  });
});
