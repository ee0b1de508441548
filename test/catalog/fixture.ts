/**
 * A minimal valid catalog written to a temp directory. Each test breaks one thing through `edits` and
 * then asserts on the exact problem, so the base files below are kept small and their layout stable.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { CatalogRecord } from "../../src/catalog/schema.js";

const SECTORS = `energy:
  en: Energy
  fr: Énergie
  ru: Энергетика
  zh: 能源
`;

const AUDIENCES = `researchers:
  en: Researchers
  fr: Chercheurs
  ru: Исследователи
  zh: 研究人员
`;

const GLOSSARY = `incubator:
  en: [incubator, business incubator]
  fr: [incubateur]
  ru: [инкубатор, инкубатора, инкубаторы]
  zh: [孵化器]
`;

const PLACES = `cities:
  tianjin:
    country: CN
    names:
      en: Tianjin
      fr: Tianjin
      ru: Тяньцзинь
      zh: 天津
    aliases: [Тяньцзине]
countryAliases:
  CN: [PRC, КНР]
`;

const ALPHA = `id: alpha-forum
kind: event
title:
  en: Alpha Forum
  fr: Forum Alpha
  ru: Форум Альфа
  zh: 阿尔法论坛
summary:
  en: A forum on energy cooperation.
  fr: Un forum sur la coopération énergétique.
  ru: Форум об энергетическом сотрудничестве.
  zh: 能源合作论坛。
countries: [CN]
cities: [tianjin]
sectors: [energy]
audiences: [researchers]
dates:
  start: "2024-05-13"
organisers:
  - name:
      en: Alpha Council
      fr: Conseil Alpha
      ru: Совет Альфа
      zh: 阿尔法理事会
    countries: [CN]
source:
  file: 000_a272ed8cbe79a218.txt
  date: "2024-05-13"
verified: "2025-01-10"
`;

const BETA = `id: beta-centre
kind: organisation
title:
  en: Beta Centre
  fr: Centre Bêta
  ru: Центр Бета
  zh: 贝塔中心
summary:
  en: A technology transfer centre.
  fr: Un centre de transfert de technologie.
  ru: Центр трансфера технологий.
  zh: 技术转移中心。
countries: [CN, KZ]
partners:
  - name:
      en: Alpha Council
      fr: Conseil Alpha
      ru: Совет Альфа
      zh: 阿尔法理事会
    record: alpha-forum
related: [alpha-forum]
source:
  file: 001_763b09a8aff36d5d.txt
  date: "2024"
verified: "2025-01-10"
`;

export const BASE_FILES: Readonly<Record<string, string>> = {
  "vocabularies/sectors.yaml": SECTORS,
  "vocabularies/audiences.yaml": AUDIENCES,
  "glossary.yaml": GLOSSARY,
  "places.yaml": PLACES,
  "records/alpha-forum.yaml": ALPHA,
  "records/beta-centre.yaml": BETA,
};

/** A third record's file, for a record added to the catalog on disk. */
export const GAMMA_LAB = BASE_FILES["records/beta-centre.yaml"]!.replace("id: beta-centre", "id: gamma-lab");

/** An announcement made from a loaded record: its own id and a title with `word` in the four languages. */
export function announcement(base: CatalogRecord, id: string, word = "Zeolite"): CatalogRecord {
  return {
    ...structuredClone(base),
    id,
    kind: "announcement",
    related: [],
    title: { en: `${word} call`, fr: `Appel ${word}`, ru: `Конкурс ${word}`, zh: `${word}征集` },
  };
}

/** New text for a file, a function of its base text, or null to leave the file out. */
export type Edit = string | null | ((text: string) => string);

export interface Fixture {
  dir: string;
  /** The texts as written, for computing expected line numbers. */
  files: Record<string, string>;
}

const created: string[] = [];

export async function makeCatalog(edits: Record<string, Edit> = {}): Promise<Fixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-catalog-"));
  created.push(dir);
  const files: Record<string, string> = {};
  for (const name of new Set([...Object.keys(BASE_FILES), ...Object.keys(edits)])) {
    const edit = edits[name];
    const base = BASE_FILES[name] ?? "";
    const text = edit === undefined ? base : typeof edit === "function" ? edit(base) : edit;
    if (text !== null) files[name] = text;
  }
  await mkdir(path.join(dir, "records"), { recursive: true });
  await Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }),
  );
  return { dir, files };
}

export async function removeFixtures(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** An edit replacing the first occurrence of `from`; throws if absent so a stale fixture cannot pass silently. */
export function swap(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`fixture text has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string | undefined, needle: string): number {
  const index = (text ?? "").split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}
