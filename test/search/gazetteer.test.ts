import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  GAZETTEER_FILE,
  gazetteerCities,
  gazetteerFromGeoNames,
  usableName,
  type GazetteerFile,
} from "../../src/search/gazetteer.js";

describe("gazetteer", () => {
  it("ships exactly what the installed GeoNames package gives (run `npm run gazetteer` after upgrading it)", () => {
    const shipped = JSON.parse(readFileSync(GAZETTEER_FILE, "utf8")) as GazetteerFile;
    expect(shipped).toEqual(gazetteerFromGeoNames());
  });

  it("keeps the spellings users of our four languages type, folded", () => {
    const shymkent = gazetteerCities().find((c) => c.names.includes("shymkent"));
    expect(shymkent?.country).toBe("KZ");
    expect(shymkent?.names).toEqual(expect.arrayContaining(["chymkent", "шымкент", "奇姆肯特"]));
  });

  it("leaves out codes, transliterations and other alphabets", () => {
    for (const name of ["Shymkent", "Ürümqi", "Xi'an", "Alma-Ata", "Шымкент", "Алма-Ата", "奇姆肯特"])
      expect(usableName(name), name).toBe(true);
    for (const name of ["KHG", "Sa", "shmkynt", "Şımkent", "Łódź", "Қарағанды", "喀"])
      expect(usableName(name), name).toBe(false);
  });
});
