import type { Catalog, CatalogRecord, Localized } from "../../src/catalog/schema.js";

/** A small four-language catalog built in code, so search tests do not depend on data/. */

export const L = (en: string, fr: string, ru: string, zh: string): Localized => ({ en, fr, ru, zh });

export function record(
  partial: Partial<CatalogRecord> & Pick<CatalogRecord, "id" | "title" | "summary">,
): CatalogRecord {
  return {
    kind: "initiative",
    countries: [],
    cities: [],
    sectors: [],
    audiences: [],
    figures: [],
    organisers: [],
    partners: [],
    contacts: [],
    links: [],
    related: [],
    source: { file: "000_test.txt", date: "2024-08" },
    verified: "2026-11-21",
    ...partial,
  };
}

export const records: CatalogRecord[] = [
  record({
    id: "offshore-incubators",
    kind: "incubator",
    title: L(
      "Offshore incubators in Kazakhstan and Uzbekistan",
      "Incubateurs offshore au Kazakhstan et en Ouzbékistan",
      "Офшорные инкубаторы в Казахстане и Узбекистане",
      "哈萨克斯坦和乌兹别克斯坦的离岸孵化器",
    ),
    summary: L(
      "Four cooperation centres that host start-ups.",
      "Quatre centres de coopération qui accueillent des start-up.",
      "Четыре центра сотрудничества для стартапов.",
      "四个接纳初创企业的合作中心。",
    ),
    countries: ["KZ", "UZ"],
    sectors: ["innovation"],
  }),
  record({
    id: "harbin-incubator",
    kind: "incubator",
    title: L("Incubator in Harbin", "Incubateur à Harbin", "Инкубатор в Харбине", "哈尔滨孵化器"),
    summary: L(
      "An inter-regional cooperation centre.",
      "Un centre de coopération interrégionale.",
      "Центр межрегионального сотрудничества.",
      "跨区域合作中心。",
    ),
    countries: ["CN"],
    cities: ["harbin"],
  }),
  record({
    id: "sco-higher-education",
    kind: "organisation",
    title: L(
      "SCO higher education cooperation centre",
      "Centre de coopération de l'OCS pour l'enseignement supérieur",
      "Центр сотрудничества ШОС в области высшего образования",
      "上合组织高等教育合作中心",
    ),
    summary: L(
      "Exchange programmes and joint laboratories for students and researchers.",
      "Programmes d'échange et laboratoires communs pour les étudiants et les chercheurs.",
      "Программы обмена и совместные лаборатории для студентов и исследователей.",
      "面向学生和研究人员的交流项目和联合实验室。",
    ),
    countries: ["CN"],
    sectors: ["education"],
    audiences: ["students"],
  }),
  record({
    id: "lunar-station",
    title: L(
      "International Lunar Research Station",
      "Station internationale de recherche lunaire",
      "Международная научная лунная станция",
      "国际月球科研站",
    ),
    summary: L(
      "An invitation to join the lunar station project.",
      "Une invitation à rejoindre le projet.",
      "Приглашение присоединиться к проекту.",
      "邀请加入该项目。",
    ),
    countries: ["CN"],
  }),
  record({
    id: "expired-announcement",
    kind: "announcement",
    title: L(
      "Call for incubator applications",
      "Appel à candidatures des incubateurs",
      "Приём заявок в инкубатор",
      "孵化器申请通知",
    ),
    summary: L("Closed call.", "Appel clos.", "Приём закрыт.", "已截止。"),
    countries: ["KZ"],
    expires: "2025-01-01",
  }),
];

export const catalog: Catalog = {
  records,
  sectors: {
    innovation: L("Innovation", "Innovation", "Инновации", "创新"),
    education: L("Education", "Éducation", "Образование", "教育"),
  },
  audiences: { students: L("Students", "Étudiants", "Студенты", "学生") },
  glossary: {
    sco: {
      en: ["SCO", "Shanghai Cooperation Organisation"],
      fr: ["OCS"],
      ru: ["ШОС"],
      zh: ["上合组织", "上海合作组织"],
    },
    incubator: { en: ["incubator"], fr: ["incubateur"], ru: ["инкубатор"], zh: ["孵化器"] },
    "exchange-programme": {
      en: ["exchange programme", "exchange program"],
      fr: ["programme d'échange"],
      ru: ["программа обмена"],
      zh: ["交流项目"],
    },
  },
  places: {
    cities: { harbin: { country: "CN", names: L("Harbin", "Harbin", "Харбин", "哈尔滨"), aliases: [] } },
    countryAliases: {},
  },
};
