import { writeFileSync } from "node:fs";
import { pinyin } from "pinyin-pro";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../catalog/load.js";
import { PINYIN_FILE } from "../search/pinyin.js";

/**
 * npm run pinyin: writes data/pinyin.json, the toneless reading of every Chinese character of the
 * catalog (records, glossary, places), read in its words' context by pinyin-pro — a character read
 * several ways keeps its most frequent reading — and of the 3,755 most common characters. Run it after
 * adding Chinese text with new characters; a test fails until the shipped file covers the bundled catalog.
 */
const catalog = await loadCatalogOrThrow(DEFAULT_DATA_DIR);
const texts = [
  ...catalog.records.flatMap((r) => [r.title.zh, r.short?.zh ?? "", r.summary.zh, r.details?.zh ?? ""]),
  ...Object.values(catalog.glossary).flatMap((t) => t.zh),
  ...Object.values(catalog.places.cities).flatMap((c) => [c.names.zh, ...c.aliases]),
];
const counts = new Map<string, Map<string, number>>();
for (const text of texts) {
  for (const [run] of String(text).matchAll(/\p{Script=Han}+/gu)) {
    const glyphs = Array.from(run);
    const readings = pinyin(run, { toneType: "none", type: "array", v: true });
    glyphs.forEach((glyph, i) => {
      const reading = readings[i];
      if (!reading || !/^[a-z]+$/.test(reading)) return;
      let byReading = counts.get(glyph);
      if (!byReading) counts.set(glyph, (byReading = new Map()));
      byReading.set(reading, (byReading.get(reading) ?? 0) + 1);
    });
  }
}
// The 3,755 most common characters (GB 2312 level 1), so that a character typed for another of the same
// sound ("乌鲁目齐" for 乌鲁木齐, "孵花器" for 孵化器) still has its reading (see PinyinNames.homophone).
const gbk = new TextDecoder("gbk");
for (let lead = 0xb0; lead <= 0xd7; lead++) {
  for (let trail = 0xa1; trail <= (lead === 0xd7 ? 0xf9 : 0xfe); trail++) {
    const glyph = gbk.decode(new Uint8Array([lead, trail]));
    if (counts.has(glyph)) continue;
    const reading = pinyin(glyph, { toneType: "none", v: true });
    if (/^[a-z]+$/.test(reading)) counts.set(glyph, new Map([[reading, 1]]));
  }
}
const chars = Object.fromEntries(
  [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([glyph, byReading]) => [glyph, [...byReading].sort((a, b) => b[1] - a[1])[0]![0]]),
);
const lines = Object.entries(chars).map(([g, r]) => `    ${JSON.stringify(g)}: ${JSON.stringify(r)}`);
writeFileSync(
  PINYIN_FILE,
  `{\n  "source": "pinyin-pro, npm run pinyin",\n  "chars": {\n${lines.join(",\n")}\n  }\n}\n`,
);
console.log(`${PINYIN_FILE}: ${lines.length} characters`);
