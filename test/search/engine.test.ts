import { describe, expect, it, vi } from "vitest";
import { SearchEngine } from "../../src/search/engine.js";
import { catalog, L, record } from "./fixture.js";

const engine = SearchEngine.build(catalog, { now: () => new Date("2026-11-21T12:00:00Z") });
const ids = (query: string, options = {}) => engine.search(query, options).hits.map((h) => h.id);

describe("SearchEngine: languages", () => {
  it.each([
    ["incubators in Kazakhstan", "en"],
    ["incubateurs au Kazakhstan", "fr"],
    ["инкубаторы в Казахстане", "ru"],
    ["哈萨克斯坦的孵化器", "zh"],
  ])("finds the Kazakhstan incubators from %s and detects %s", (query, lang) => {
    const response = engine.search(query);
    expect(response.lang).toBe(lang);
    expect(response.hits[0]?.id).toBe("offshore-incubators");
    expect(response.countries).toEqual(["KZ"]);
  });

  it("matches Russian case forms of common words and place names", () => {
    expect(ids("инкубаторов в Харбине")[0]).toBe("harbin-incubator");
    expect(ids("Казахстана")).toEqual(["offshore-incubators"]);
  });

  it("crosses languages through the concept glossary", () => {
    // The record's Russian text says ШОС, its English SCO: a query in either language reaches both.
    const hit = engine.search("SCO").hits[0];
    expect(hit?.id).toBe("sco-higher-education");
    expect(hit?.matches.some((m) => m.term === "~sco" || m.term === "sco")).toBe(true);
    expect(ids("上海合作组织")[0]).toBe("sco-higher-education");
  });

  it("segments Chinese and falls back to character bigrams", () => {
    expect(ids("学生交流项目")[0]).toBe("sco-higher-education");
    expect(ids("月球科研站")[0]).toBe("lunar-station");
  });

  it("builds the reasons a hit matched only for the hits asked for", () => {
    const [first, second] = engine.search("incubator", { explain: 1 }).hits;
    expect(first!.matches.length).toBeGreaterThan(0);
    expect(second!.matches).toEqual([]);
    expect(engine.search("incubator").hits[1]!.matches.length).toBeGreaterThan(0);
  });

  it("completes a clipped word from the catalog's own words", () => {
    // "offsh" is three letters from "offshore": too far for a typo, but the start of one word only.
    expect(engine.search("offsh").hits[0]?.matches[0]).toMatchObject({ query: "offsh", via: "prefix" });
    expect(ids("offsh")[0]).toBe("offshore-incubators");
  });

  it("folds accents and elisions", () => {
    expect(ids("programmes d'echange etudiants")[0]).toBe("sco-higher-education");
    expect(ids("OUZBÉKISTAN")[0]).toBe("offshore-incubators");
  });
});

describe("SearchEngine: typo tolerance (one edit from 5 characters, two from 9)", () => {
  it("corrects one edit in a word of 5 or more characters", () => {
    const hit = engine.search("incubatr").hits[0];
    expect(hit?.matches[0]?.via).toBe("typo");
    expect(ids("Kazakstan")).toEqual(["offshore-incubators"]);
  });

  it("corrects two edits only from 9 characters", () => {
    expect(ids("Kazahkstann")).toEqual(["offshore-incubators"]); // 11 characters, 2 edits
    expect(ids("stetion")).toContain("lunar-station"); // 7 characters, 1 edit
    expect(ids("stetiom")).toEqual([]); // 7 characters, 2 edits: too many
  });

  it("does not correct words under 5 characters", () => {
    expect(ids("lunr")).toEqual([]);
  });
});

describe("SearchEngine: ranking, filters and paging", () => {
  it("scores, explains and measures confidence", () => {
    const response = engine.search("incubator in Harbin");
    const [best, second] = response.hits;
    expect(best?.id).toBe("harbin-incubator");
    expect(best!.score).toBeGreaterThan(second!.score);
    expect(best!.confidence).toBeGreaterThan(0.9);
    expect(second!.confidence).toBeLessThan(0.6);
    expect(best!.matches.map((m) => m.query).sort()).toEqual(["harbin", "incubator"]);
    expect(best!.matches.every((m) => ["title", "summary", "details", "meta", "tags"].includes(m.field))).toBe(true);
  });

  it("ranks a record tagged with one sector above one tagged with every sector, on that sector", () => {
    const names = ["Energy", "Trade", "Space", "Health", "Transport", "Tourism"];
    const sectors = Object.fromEntries(names.map((n) => [n.toLowerCase(), L(n, n, n, n)]));
    const plain = (id: string, title: string, tags: string[]) =>
      record({
        id,
        title: L(title, title, title, title),
        summary: L("A regional body.", "Un organisme régional.", "Региональный орган.", "区域机构。"),
        sectors: tags,
      });
    const broad = SearchEngine.build({
      ...catalog,
      sectors,
      records: [
        plain("a-umbrella", "Umbrella organisation", Object.keys(sectors)),
        plain("b-platform", "Regional platform", ["energy"]),
      ],
    });
    expect(broad.search("energy").hits.map((h) => h.id)).toEqual(["b-platform", "a-umbrella"]);
  });

  it("gives unknown words no match and zero confidence", () => {
    const response = engine.search("quantum computing");
    expect(response.total).toBe(0);
  });

  it("ranks records of the country named in the query first", () => {
    // "cooperation centre" matches both incubators; naming Kazakhstan puts the KZ one first.
    expect(ids("cooperation centre Kazakhstan")[0]).toBe("offshore-incubators");
    expect(ids("cooperation centre China")[0]).not.toBe("offshore-incubators");
  });

  it("does not put a record first for its place alone", () => {
    // The KZ record matches only "Kazakhstan"; the lunar station answers the rest of the question.
    expect(ids("lunar station Kazakhstan")[0]).toBe("lunar-station");
  });

  it("gives no confidence to a record that shares only the place of a question about something else", () => {
    expect(engine.search("weather in Harbin").hits.find((h) => h.id === "harbin-incubator")?.confidence).toBe(0);
    // A question of nothing but a place is answered by the records there.
    expect(engine.search("Harbin").hits[0]).toMatchObject({ id: "harbin-incubator", confidence: 1 });
  });

  it("does not take a record in one city for a city of the same country the catalog lacks", () => {
    // Chengdu is in China like Harbin, but an incubator in Harbin is not one in Chengdu; a record of a
    // whole country (the Kazakhstan incubators) does answer a city of it.
    const harbin = engine.search("incubator in Chengdu").hits.find((h) => h.id === "harbin-incubator");
    expect(harbin?.matches.map((m) => m.query)).toEqual(["incubator"]);
    expect(harbin?.confidence).toBeLessThan(0.7);
    expect(ids("incubator in Harbin")[0]).toBe("harbin-incubator");
    expect(ids("incubator in Shymkent")[0]).toBe("offshore-incubators");
    expect(engine.search("incubator in Shymkent").hits[0]?.confidence).toBeGreaterThan(0.9);
  });

  it("filters by facets (OR inside a facet, AND across facets) and ignores unknown values", () => {
    expect(ids("incubator", { filters: { countries: ["CN"] } })).toEqual(["harbin-incubator"]);
    expect(ids("incubator", { filters: { countries: ["CN", "UZ"] } }).sort()).toEqual([
      "harbin-incubator",
      "offshore-incubators",
    ]);
    expect(ids("incubator", { filters: { countries: ["XX", "UZ"] } })).toEqual(["offshore-incubators"]);
    expect(ids("incubator", { filters: { kinds: ["organisation"] } })).toEqual([]);
    expect(ids("", { filters: { sectors: ["education"], audiences: ["students"] } })).toEqual(["sco-higher-education"]);
  });

  it("pages through hits and reports the total", () => {
    const all = engine.search("centre", { limit: 10 });
    expect(all.total).toBeGreaterThanOrEqual(3);
    const second = engine.search("centre", { limit: 1, offset: 1 });
    expect(second.hits.map((h) => h.id)).toEqual([all.hits[1]!.id]);
    expect(second.total).toBe(all.total);
  });

  it("hides expired announcements", () => {
    expect(ids("call for applications")).toEqual([]);
    const before = SearchEngine.build(catalog, { now: () => new Date("2024-06-01") });
    expect(before.search("call for applications").hits[0]?.id).toBe("expired-announcement");
  });

  it("shows an announcement through its last day by the system clock, and not the day after", () => {
    vi.useFakeTimers({ now: new Date("2026-03-10T23:59:59Z") });
    try {
      const announcement = catalog.records.find((r) => r.id === "expired-announcement")!;
      const live = SearchEngine.build({ ...catalog, records: [{ ...announcement, expires: "2026-03-10" }] });
      expect(live.search("call for applications").hits.map((h) => h.id)).toEqual(["expired-announcement"]);
      vi.setSystemTime(new Date("2026-03-11T00:00:01Z"));
      expect(live.search("call for applications").hits).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("returns nothing for a question made only of stop words, and browses on an empty one", () => {
    expect(engine.search("the and of").total).toBe(0);
    expect(engine.search("").total).toBe(4);
  });

  it("finds nothing in hostile input, and does not fail on it", () => {
    for (const query of ["\u0000\u202e<script>", "a".repeat(5000), "🙂".repeat(300), "' OR 1=1 --", "\uD800"]) {
      expect(engine.search(query), JSON.stringify(query.slice(0, 20))).toMatchObject({ total: 0, hits: [] });
    }
  });

  it("tells the places a text names from the rest of it", () => {
    expect(engine.placesIn("and in Kazakhstan?")).toMatchObject({ countries: ["KZ"], cities: [], onlyPlaces: true });
    expect(engine.placesIn("а в Харбине?")).toMatchObject({ cities: ["harbin"], onlyPlaces: true });
    const named = engine.placesIn("incubators in Uzbekistan");
    expect(named).toMatchObject({ countries: ["UZ"], onlyPlaces: false, rest: "incubators" });
    expect(engine.placesIn("lunar station")).toMatchObject({
      countries: [],
      cities: [],
      onlyPlaces: false,
      rest: "lunar station",
    });
  });

  it("reads the words for a country's people and things as the country", () => {
    // i18n-nationality's English and French forms, and their inflections (places.yaml adds others).
    expect(engine.placesIn("Kazakhstani firms").countries).toEqual(["KZ"]);
    expect(engine.placesIn("un fonds kazakhstanais").countries).toEqual(["KZ"]);
    expect(engine.placesIn("Uzbekistani founders").countries).toEqual(["UZ"]);
    expect(engine.placesIn("des start-up ouzbèkes").countries).toEqual(["UZ"]);
    // China is the other side of every record: "Chinese" names no place.
    expect(engine.placesIn("Chinese partners").countries).toEqual([]);
    expect(ids("incubator for Uzbekistani founders")[0]).toBe("offshore-incubators");
  });

  it("looks up records by id", () => {
    expect(engine.get("lunar-station")?.title.en).toBe("International Lunar Research Station");
    expect(engine.get("nope")).toBeUndefined();
    expect(engine.size).toBe(5);
  });

  it("indexes a record added in a new build", () => {
    const extra = record({
      id: "tashkent-camp",
      kind: "programme",
      title: {
        en: "Startup camp in Tashkent",
        fr: "Camp de start-up à Tachkent",
        ru: "Стартап-лагерь в Ташкенте",
        zh: "塔什干创业营",
      },
      summary: { en: "A camp.", fr: "Un camp.", ru: "Лагерь.", zh: "训练营。" },
      countries: ["UZ"],
    });
    const bigger = SearchEngine.build({ ...catalog, records: [...catalog.records, extra] });
    expect(bigger.search("Ташкенте").hits[0]?.id).toBe("tashkent-camp");
  });
});

describe("SearchEngine: a question analysed once", () => {
  const questions = [
    "incubators in Kazakhstan",
    "incubateurs à Karaganda",
    "инкубаторы в Харбине",
    "哈萨克斯坦的孵化器",
    "SCO",
    "and in Uzbekistan?",
    "incubtor",
  ];

  it("searches and finds places in an analysed question as in its text, however often it is reused", () => {
    for (const q of questions) {
      const analysed = engine.analyse(q);
      expect(engine.search(analysed, { limit: 20 }), q).toEqual(engine.search(q, { limit: 20 }));
      // A city's match becomes its country's inside the search; the shared analysis keeps the city.
      expect(engine.search(analysed, { limit: 20 }), q).toEqual(engine.search(q, { limit: 20 }));
      expect(engine.placesIn(analysed), q).toEqual(engine.placesIn(q));
    }
  });

  it("takes the caller's detected language instead of detecting it again", () => {
    expect(engine.search("incubators in Kazakhstan").lang).toBe("en");
    expect(engine.search("incubators in Kazakhstan", { lang: "fr" }).lang).toBe("fr");
  });
});
