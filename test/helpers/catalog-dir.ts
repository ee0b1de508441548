import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DEFAULT_DATA_DIR } from "../../src/catalog/load.js";

/** A writable copy of the bundled catalog folder, for tests that change it and reload. */
export async function copyBundledCatalog(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await cp(DEFAULT_DATA_DIR, dir, { recursive: true });
  return dir;
}

/** The id of the record `addLunarGreenhouseRecord` writes; the bundled catalog answers nothing about it. */
export const LUNAR_GREENHOUSE_ID = "zz-lunar-greenhouse-programme";

/** A valid record of a topic the bundled catalog lacks ("lunar greenhouse programme"). */
export const LUNAR_GREENHOUSE_RECORD = `id: ${LUNAR_GREENHOUSE_ID}
kind: programme
title: {en: Lunar greenhouse exchange programme, fr: Programme d'échange serres lunaires, ru: Программа обмена «Лунные теплицы», zh: 月球温室交流项目}
summary: {en: A student exchange on lunar greenhouses., fr: Un échange étudiant sur les serres lunaires., ru: Студенческий обмен по лунным теплицам., zh: 关于月球温室的学生交流。}
countries: [KZ]
source: {file: 001_test.txt, date: "2025-01-01"}
verified: "2025-01-02"
`;

/** Writes LUNAR_GREENHOUSE_RECORD into a catalog folder's records. */
export async function addLunarGreenhouseRecord(catalogDir: string): Promise<void> {
  await writeFile(path.join(catalogDir, "records", `${LUNAR_GREENHOUSE_ID}.yaml`), LUNAR_GREENHOUSE_RECORD);
}
