import { askerWords, asksAboutHere, contextWords, isAskersPlace, soughtWords } from "./asker.js";
import { Document } from "flexsearch";
import type { Catalog, CatalogRecord, Language } from "../catalog/schema.js";
import { LANGUAGES } from "../catalog/schema.js";
import {
  analyze,
  analyzeBoth,
  indexTerms,
  isSoftWord,
  isStopword,
  latinLanguageOf,
  type AnalyzedText,
} from "./analyzer.js";
import { gazetteerCities } from "./gazetteer.js";
import { detectLanguage, type LatinVocabulary } from "./language.js";
import {
  cityToken,
  conceptToken,
  countryToken,
  isGazetteerToken,
  insideLongerName,
  Lexicon,
  type LexiconData,
  type LexiconMatch,
} from "./lexicon.js";
import { PinyinNames, type PinyinData } from "./pinyin.js";
import { cyrillicOf, cyrillicOfLatinKeys, TRANSLIT_GRAMMAR } from "./translit.js";
import { bigrams, fold, scriptOf, words, type Word } from "./text.js";
import { TypoTable, type TypoData } from "./typos.js";
import type { MatchedTerm, MatchField, SearchFilters, SearchHit, SearchOptions, SearchResponse } from "./types.js";

const FIELDS = ["title", "summary", "details", "meta", "tags"] as const satisfies readonly MatchField[];
const TAGS_FIELD = FIELDS.indexOf("tags");
const TITLE_FIELD = FIELDS.indexOf("title");
const META_FIELD = FIELDS.indexOf("meta");
/** Marks of a record in placeMark: in a place the query names; in a city it names. */
const PLACE_NAMED = 1;
const PLACE_CITY_NAMED = 2;
const CITY_TOKEN_PREFIX = cityToken("");

/** Contribution of a match to the score, by field: a title says what a record is about. */
const FIELD_WEIGHT: Record<MatchField, number> = { title: 3, meta: 2, tags: 2, summary: 1.5, details: 1 };
/** How fully a match in a field answers that part of the query (for confidence, 0..1). */
const FIELD_QUALITY: Record<MatchField, number> = { title: 1, meta: 1, tags: 1, summary: 0.9, details: 0.75 };

/**
 * Sectors and audiences (tags) describe a record less the more of them it has: the SCO, tagged with nine
 * sectors, is not the answer to every question about one of them. A match in the tags counts in full
 * up to this many sectors and shrinks with the square root beyond.
 */
const SPECIFIC_SECTORS = 2;

/**
 * The asker's verbs of studying, now and somewhere ("I study in Dushanbe", "учусь на инженера"; not "I
 * study the SCO digital economy"), and the glossary's concept they stand for (see queryUnits).
 */
const STUDYING = new Set(["study", "etudie", "учусь", "учимся"]);
const STUDY_PLACES = new Set(["in", "at", "a", "au", "en", "в", "во", "на"]);
const STUDENT_CONCEPT = conceptToken("student");

/** Alternative spellings weigh less than the word as written. */
const FACTOR = {
  word: 1,
  stem: 1,
  concept: 1,
  place: 1,
  cityCountry: 0.4,
  hanNeighbour: 0.7,
  typo1: 0.8,
  typo2: 0.6,
  prefix: 0.7,
} as const;

/**
 * The least share of a word that a match of its glossary concept covers in a message of at least
 * CONCEPT_CONTEXT_UNITS units, unless the concept is in nearly every record (idf under SPECIFIC_CONCEPT:
 * cooperation); see collectTerm.
 */
const CONCEPT_QUALITY = 0.75;
const SPECIFIC_CONCEPT = 0.1;
const CONCEPT_CONTEXT_UNITS = 6;

/** The suffixes of Russian diminutives, on a stem, after a base of four letters or more (see addDiminutiveAlternative). */
const DIMINUTIVE = /^(\p{Script=Cyrillic}{4,}?)(?:чик|ик|очк|ечк|ок|к)$/u;

/** A word this long or longer that the catalog lacks may be the start of one it has ("конфе", "incub"). */
const MIN_PREFIX = 4;
/** A prefix that starts more words than this says too little to stand for any of them. */
const MAX_PREFIX_WORDS = 8;

const YEAR = /^(19|20)\d\d$/;
/** An edition's ordinal ("11th", "11e", the 十一 of 第十一届): like a year, it names one edition of a thing. */
const ORDINAL = /^\d{1,3}(?:st|nd|rd|th|e|eme|ieme|er|ere|re)$/;
const RUSSIAN_ORDINAL_ENDING = new Set(["й", "я", "е", "го", "ого", "м"]);
const HAN_EDITION = /第([一二三四五六七八九十百零〇两\d]+)\s*[届次]/gu;
/** Words next to which an ordinal is a date or a century, not an edition ("le 1er juin", "21st century"). */
const DATE_WORDS = new Set([
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
  "century",
  "janvier",
  "fevrier",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "aout",
  "septembre",
  "octobre",
  "novembre",
  "decembre",
  "siecle",
]);
/** Kinds of institutions and events whose names users ask about (see QueryUnit.institution), as typed. */
const INSTITUTION_WORDS = [
  "university",
  "universities",
  "summit",
  "summits",
  "fair",
  "fairs",
  "bank",
  "fund",
  "scholarship",
  "scholarships",
  "visa",
  "visas",
  "embassy",
  "consulate",
  "olympiad",
  "hackathon",
  "universite",
  "universites",
  "sommet",
  "sommets",
  "foire",
  "foires",
  "banque",
  "fonds",
  "bourse",
  "bourses",
  "ambassade",
  "consulat",
  "olympiade",
  "университет",
  "университета",
  "университете",
  "университеты",
  "университетов",
  "саммит",
  "саммита",
  "саммите",
  "ярмарка",
  "ярмарки",
  "ярмарке",
  "банк",
  "банка",
  "фонд",
  "фонда",
  "стипендия",
  "стипендии",
  "стипендию",
  "виза",
  "визы",
  "визу",
  "посольство",
  "посольства",
  "олимпиада",
  "хакатон",
  "大学",
  "峰会",
  "交易会",
  "银行",
  "基金",
  "奖学金",
  "签证",
  "大使馆",
  "领事馆",
  // A forum is an event of its own: a record that only mentions one ("the data administration, set up at
  // the 2023 forum") is not the forum asked about.
  ...["forum", "forums", "форум", "форума", "форуме", "论坛"],
  // Where to stay or eat is asked of a hotel, not of a forum held near one.
  ...["hotel", "hotels", "hostel", "restaurant", "restaurants", "auberge"],
  ...["гостиница", "гостиницу", "гостиницы", "отель", "отеля", "ресторан", "ресторана"],
  ...["酒店", "宾馆", "饭店", "餐厅"],
  // A camp or a summer school is named by its host ("Tsinghua summer camp", 北大夏令营).
  ...["camp", "camps", "bootcamp", "лагерь", "лагеря", "夏令营", "冬令营", "训练营"],
];
let institutionKeys: Set<string> | undefined;

const HAN_INSTITUTION_WORDS = INSTITUTION_WORDS.filter((w) => /^\p{Script=Han}+$/u.test(w));

/**
 * Whether Han word `at` is a piece of an institution's word the segmenter cut (夏令|营), or a name ending
 * with one (清华大学) — not a word that only contains one (大学生, students).
 */
function inHanInstitutionWord(analyzed: AnalyzedText, at: number): boolean {
  const { words, folded } = analyzed;
  const word = words[at]!;
  let first = at;
  while (first > 0 && words[first - 1]!.script === "han" && words[first - 1]!.end === words[first]!.start) first--;
  let last = at;
  while (last + 1 < words.length && words[last + 1]!.script === "han" && words[last + 1]!.start === words[last]!.end)
    last++;
  const start = words[first]!.start;
  const run = folded.slice(start, words[last]!.end);
  return HAN_INSTITUTION_WORDS.some((w) => {
    for (let i = run.indexOf(w); i >= 0; i = run.indexOf(w, i + 1))
      if ((start + i <= word.start && word.end <= start + i + w.length) || start + i + w.length === word.end)
        return true;
    return false;
  });
}

/** By the word as typed (folded): a stem would also take "funding" for a fund and "fairness" for a fair. */
function isInstitutionWord(text: string): boolean {
  institutionKeys ??= new Set(INSTITUTION_WORDS.map((w) => fold(w)));
  return institutionKeys.has(text);
}

/**
 * Beginnings of the names of world regions and their peoples ("africains", "Amérique du Sud", "Латинская
 * Америка", 非洲): a region is a place the question asks about, like a country (see PLACE_ABSENCE).
 */
const REGION_STARTS =
  /^(?:afri[ck]|americ|europ|oceanie|oceania|caraib|caribb|африк|америк|европ|океани[яи]|非洲|拉美|拉丁美洲|南美|北美|美洲|欧洲|中东)/u;

/** First halves of the names of China's partnerships ("China–ASEAN", "sino-allemand", "Китай–АСЕАН"); see QueryUnit.partner. */
const CHINA_TOKEN = countryToken("CN");
const CHINA_FIRST = new Set(["china", "chine", "sino", "китаи", "китай", "китайско", "中国"]);
/** The partner's character after 中 in such names: 中德 (Germany), 中法 (France), 中非 (Africa), 中俄 (Russia)… */
const PARTNER_HAN = new Set([..."德法非俄美日韩英意欧拉阿巴印泰越新马哈乌吉塔土埃澳加荷瑞葡蒙"]);
/** How much more a missing year costs than a missing name: an edition the catalog lacks is not the one it has. */
const YEAR_ABSENCE = 3;

/** What a word of the asker's description of themselves ("je suis coordinatrice d'un incubateur à Dakar") that a record lacks costs its confidence, relative to other words: who asks need not be in the answer. */
const ASKER_CONFIDENCE_WEIGHT = 0.3;
/** How much a word of the asker's description of themselves ranks a record that has it: who asks is not what is asked. */
const DESCRIBES_RANK = 0.5;

/** How much more a missing country the question asks about costs than a missing name (see YEAR_ABSENCE). */
const PLACE_ABSENCE = 3;

/** Weight of a word that names the kind of fact asked for ("when", "members") rather than the record. */
const SOFT_WEIGHT = 0.2;

/**
 * Weight, relative to the rarest term's, of a lower-case word the catalog does not know ("founders",
 * "stuff"): a generic word the catalog happens not to use says less than a name it lacks ("Chevening",
 * "СПбГУ", "2019", 清华), which keeps the full weight and so pulls the confidence down.
 */
const UNKNOWN_WORD_WEIGHT = 0.6;

/**
 * How much a record whose title the query covers whole outranks one that only mentions the query in its
 * title: "SCO" is the organisation's own record, not the first platform with SCO in its name.
 */
const TITLE_COVERAGE_BONUS = 0.3;

/** Score bonus of the record a question names (see namesIt in search). */
const NAMED_BONUS = 1;

/** Score bonus of a record in the place the question names that also answers the rest of it. */
const PLACE_BONUS = 0.5;

/** How much a record of the kind the question names (an incubator) outranks records of other kinds. */
const KIND_BONUS = 0.1;
/** The same when the kind is what the asker seeks (see soughtWords). */
const SOUGHT_KIND_BONUS = 0.3;
/** The rank of a record without the institution asked for in its title ("a forum for hidden champions": not their report). */
const INSTITUTION_MISSED_FACTOR = 0.85;
/** The rank of a text (see documentKind) when the asker seeks someone to work with. */
const DOCUMENT_FACTOR = 0.8;
const DOCUMENT_TITLE = /\b(report|action plan|manifesto|list of)\b/i;
/** A word of the question naming such a text ("je cherche le rapport…"): then the text is what is sought. */
const DOCUMENT_WORD =
  /^(reports?|rapports?|доклад(а|у|е|ом|ы|ов)?|отч[её]т(а|у|е|ом|ы|ов)?|plans?|план(а|у|е|ом|ы|ов)?|manifest[eo]?s?|манифест(а|у|е|ом)?|lists?|listes?|спис(ок|ка|ку|ке|ком|ки|ков))$|报告|规划|计划|宣言|清单/u;
/**
 * The rank of a research report when the question names no text to read: what users ask of the catalog is
 * mostly something to join or someone to work with ("a zone for German SMEs like us"), which a report on
 * them is not, however well its text describes the asker.
 */
const REPORT_FACTOR = 0.8;
/** Words of reading and research ("where can I read about…", "study"): a report is what is asked. */
const READING_WORD =
  /^(read|reading|study|studies|research|findings|analysis|meaning|definition|lire|etude|etudes|recherche|analyse|signifie|почитать|читать|исследовани\p{L}*|анализ\p{L}*|значит|означает)$/u;
/** The same in Chinese, in the message as typed (研究, 是什么意思: some are grammar words of the analysis). */
const READING_HAN = /研究|分析|阅读|閱讀|意思|定义|定義/u;
const documents = new WeakMap<CatalogRecord, "report" | "text" | null>();
/** What text a record is — a report, or another text (a plan, a manifesto, a list) — or null for a party one can work with. */
function documentKind(record: CatalogRecord): "report" | "text" | null {
  let known = documents.get(record);
  if (known === undefined) {
    const kind = DOCUMENT_TITLE.exec(record.title.en)?.[1]?.toLowerCase();
    documents.set(record, (known = kind === undefined ? null : kind === "report" ? "report" : "text"));
  }
  return known;
}

/** Pinyin syllables typed apart that are read together as one name, at most ("shang he zu zhi" = 上合组织). */
const PINYIN_SYLLABLES_JOINED = 4;
/**
 * The product's own name, as users address it ("Dear Cooperation Desk, …"): no part of the question. Blanked
 * to spaces of the same length, so offsets into the message still hold.
 */
const OWN_NAME = /(?<![\p{L}])cooperation\s+desk(?![\p{L}])/giu;

/**
 * The asker's age ("j'ai 29 ans", "a 24-year-old", "I'm 24 years old", "мне 22 года", "我25岁"): who asks, not what is asked
 * about — a number no record holds would otherwise weigh like an unknown name.
 */
const AGE =
  /(?<![\p{L}\d])(?:(?:j'ai|j’ai|jai|j ai)\s+\d{1,2}\s+ans|\d{1,2}-year-old|\d{1,2}\s*(?:years?\s+old|y\/?o)|мне\s+\d{1,2}\s*(?:лет|год|года)|\(\d{1,2}\))(?![\p{L}\d])|(?<!\d)\d{1,2}\s*岁/giu;

/**
 * The size of the asker's company ("about 180 people", "90 salariés", "20 человек", 员工两百来人): who asks,
 * not what about — a number no record holds would otherwise weigh like an unknown name.
 */
const HEADCOUNT =
  /(?<![\p{L}\d])(?!(?:19|20)\d\d(?!\d))\d{1,6}\s*(?:people|persons|employees|staff|workers|salari[ée]s|personnes|employ[ée]s|collaborateurs|человек|сотрудник\p{L}*|работник\p{L}*)(?![\p{L}-])|(?:员工|雇员)[^，。,.;；\d一二三四五六七八九十百千两]{0,2}[\d一二三四五六七八九十百千两]+[^，。,.;；]{0,3}?人/giu;

/** "Quoi de neuf à Tianjin ?", "what's new in Tianjin": asks what there is, like "anything in Tianjin?". */
const WHATS_NEW = /(?<![\p{L}])(?:quoi de neuf|what'?s new|что нового)(?![\p{L}])|有什么新(?:鲜事|消息|动态)?/giu;

/** The message without its asides (the bot's name, the asker's age and company size, "what's new"), blanked in place. */
function withoutAsides(text: string): string {
  const blank = (aside: string) => " ".repeat(aside.length);
  return text.replace(OWN_NAME, blank).replace(AGE, blank).replace(HEADCOUNT, blank).replace(WHATS_NEW, blank);
}

/** Characters of Chinese grammar, too common to be a character typed for another (see isTypoOf). */
const HAN_GRAMMAR = new Set([
  ..."是的了在有不也都就我你他她这那吗呢吧啊个们很还要会能可以把被对给从到说去来想看用为与及或而之等",
]);
const INCUBATOR_CONCEPT = "~incubator";
/** Its share for a record with a topic word matched outside its title (a university that mentions incubators). */
const TOPIC_OUTSIDE_TITLE_PLACE = 0.5;

/**
 * A place's share of the confidence, relative to its weight: "the weather in Urumqi" names Urumqi,
 * but a record that only shares the city does not answer it.
 */
const PLACE_CONFIDENCE_WEIGHT = 0.5;

/**
 * A question with this many words of substance (not places, not the kind of fact asked) is a long one:
 * "we are a family-owned machine builder from Stuttgart and would like to grow in China — is there a
 * forum for German firms?". Its words the catalog has never seen are mostly the asker's context, so they
 * count this much of their weight against a record's confidence; in a short question an unknown word is
 * the thing asked about ("Chevening scholarship") and counts in full. Chosen on the tuning parts.
 */
const LONG_QUESTION_UNITS = 6;
const UNKNOWN_IN_LONG_QUESTION_WEIGHT = 0.6;

/**
 * Per term, the records flexsearch returns (it ranks where the term stands early in the field first);
 * a very common term has little weight, so looking past this many changes nothing but the time taken.
 */
const CANDIDATE_LIMIT = 300;
/** Terms the engine's table of terms holds at most (see SearchEngine.terms). */
const TERMS_KEPT = 4096;

/** Meilisearch's typo rule: one edit from 5 characters, two from 9. */
/** At most this many of a word's а are read as о (see akanyeSpellings). */
const AKANYE_MAX = 3;

/**
 * The spellings of a Russian word with some of its а written о ("маладежи" → "молодежи"), fewest first;
 * none for a word without а or not in Cyrillic.
 */
function akanyeSpellings(word: string): string[] {
  if (!/^\p{Script=Cyrillic}+$/u.test(word)) return [];
  const at: number[] = [];
  for (let i = 0; i < word.length; i++) if (word[i] === "а") at.push(i);
  const out: string[] = [];
  const limit = Math.min(at.length, AKANYE_MAX);
  // Every subset of the first AKANYE_MAX а, by size.
  const subsets: number[][] = [[]];
  for (const i of at.slice(0, limit)) for (const s of [...subsets]) subsets.push([...s, i]);
  subsets.sort((a, b) => a.length - b.length);
  for (const subset of subsets.slice(1)) {
    const chars = [...word];
    for (const i of subset) chars[i] = "о";
    out.push(chars.join(""));
  }
  return out;
}

/**
 * "Information about the alliance", "des informations sur…", "информацию о…": information in general is
 * what every card gives, not a topic (as the Information Harbor's name is without the preposition); nor is
 * the "front" of "get in front of investors", nor the doors a partner opens.
 */
const INFORMATION = new Set(["information", "informations", "информация", "информацию", "информации", "сведения"]);
const ABOUT = new Set(["about", "on", "regarding", "concerning", "sur", "concernant", "о", "об", "про"]);

const WORK_WITH =
  /^(?:work|works|working|worked|travailler|travaille|travaillent|travaillons|travaillez|bosser|bosse|bossent|работать|работает|работают|работаем|поработать)$/u;
const WITH = new Set(["with", "avec", "с", "со"]);
const YEAR_OF_STUDY = new Set(["курс", "курса", "курсе"]);

/** Whether word `i` is a soft word by the words around it (see INFORMATION, WORK_WITH and YEAR_OF_STUDY). */
function isSoftInPhrase(words: readonly Word[], i: number): boolean {
  const text = words[i]!.text;
  const before = words[i - 1]?.text;
  const after = words[i + 1]?.text;
  return (
    (INFORMATION.has(text) && ABOUT.has(after ?? "")) ||
    (text === "front" && before === "in" && after === "of") ||
    ((text === "door" || text === "doors") && before === "open") ||
    // "qui travaille avec la Chine", "we want to work with China", "работать с Китаем": cooperating, which
    // every record is about.
    (WORK_WITH.test(text) && WITH.has(after ?? "")) ||
    // "учусь на 3 курсе", "студент 2-го курса": the asker's year of study.
    (YEAR_OF_STUDY.has(text) && /^\d$|^\d-?(?:й|го|м|ем)$/u.test(before ?? ""))
  );
}

function allowedTypos(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

interface Alternative {
  term: string;
  factor: number;
  via: MatchedTerm["via"];
  /**
   * A country standing for one of its cities (a city the catalog lacks, "whole" when named as whole
   * words; or a catalog city's country): a record in another city of that country is somewhere else.
   */
  ofCity?: "whole" | "partial";
  /** The word's French stemming, beside its English one (alts[0]). */
  otherStem?: boolean;
}

interface QueryUnit {
  /** The query words this unit stands for, as the user wrote them (folded). */
  label: string;
  alts: Alternative[];
  /** Weight of the unit: the rarest of its alternatives' idf, or the maximum idf when nothing matches. */
  weight: number;
  /** The rarest of its known alternatives' idf: what a match of this unit is measured against. */
  rarest: number;
  /**
   * For a year or the first word of a proper name: the weight its absence from a record costs that
   * record's confidence (see `missing` in search).
   */
  absence?: number;
  /** The unit begins a proper name of the glossary (the SCO, the Belt and Road). */
  named?: boolean;
  /**
   * The unit names a kind of institution or event a name is made of (university, summit, fair, fund,
   * scholarship…): only a record with it in its title is that thing.
   */
  institution?: boolean;
  /** The unit names the partner of a China–X programme ("Chine-France"): a record without it is another programme. */
  partner?: boolean;
  /** The unit names a place of the query (it may also match as a word). */
  isPlace?: boolean;
  /** The place is the asker's own ("je suis à Almaty"), not a condition on the answer (see isAskersPlace). */
  askers?: boolean;
  /** The unit names a world region (see REGION_STARTS). */
  region?: boolean;
  /** The unit is part of the asker's description of themselves (see askerWords). */
  describesAsker?: boolean;
  /** The unit names the kind of fact asked for (see SOFT_WEIGHT). */
  soft?: boolean;
  /** The unit names what the asker seeks (see soughtWords). */
  sought?: boolean;
  /**
   * The name of several words of the glossary this unit is part of ("Southeast" of "Southeast Asia"): the
   * word weighs no more than the name (see altIdf).
   */
  ofName?: string;
}

interface IndexedRecord {
  record: CatalogRecord;
  countries: ReadonlySet<string>;
  sectors: ReadonlySet<string>;
  audiences: ReadonlySet<string>;
  /** Tokens of the places the record is in (country and city), for "that country first". */
  places: ReadonlySet<string>;
  /** City tokens of the record. */
  cities: ReadonlySet<string>;
  /** Country tokens of the record's cities. */
  cityCountries: ReadonlySet<string>;
  /** Per language, the title's units of meaning, each with the index terms that stand for it. */
  titleUnits: readonly (readonly string[])[][];
}

export interface NamedPlaces {
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[];
  /** City ids of data/places.yaml. */
  cities: string[];
  /** True when the text names a place and says nothing else (only stop words around it). */
  onlyPlaces: boolean;
  /** The text without its places and the stop words next to them. */
  rest: string;
}

/**
 * A question analysed once, in both Latin stemmings, with the glossary's concepts and places it names:
 * `placesIn` and `search` take it instead of the text, so a message is analysed once however many
 * steps read it.
 */
export interface AnalysedQuery {
  text: string;
  /**
   * The text as analysed: `text` read as it was meant (pinyin, Russian typed in Latin letters, a mistyped
   * Chinese character) and without the product's own name; `text` itself when none of that applies.
   */
  read: string;
  en: AnalyzedText;
  fr: AnalyzedText;
  /** The lexicon's matches in `en` (the first `englishMatches` of them), then in `fr`. */
  matches: readonly LexiconMatch[];
  englishMatches: number;
}

export interface SearchEngineOptions {
  /** Clock for announcement expiry (tests pin it). */
  now?: () => Date;
  /**
   * How a term's records are looked up: straight from flexsearch's postings ("direct", the default), or
   * through its search ("search"), which gives the same records at more cost (tests compare the two).
   */
  postings?: "direct" | "search";
}

/**
 * The costly part of what `build` derives from a catalog, in plain data (see `prepared`): the index
 * terms and title units of every record, flexsearch's own export of its index, the typo table's words.
 */
export interface PreparedState {
  /**
   * Per record, in catalog order: its title's units of meaning per language, or their coded text and
   * its decoder, used when a search first needs them (a saved index decodes them then, not all at start).
   */
  titleUnits: (TitleUnits | CodedTitleUnits)[];
  /** flexsearch's export of the index, as (key, data) pairs for its import (data: its JSON, or that JSON parsed). */
  index: [string, unknown][];
  documentFrequency: [string, number][];
  /** Word form → index keys, in the order typo correction learnt them. */
  surfaces: [string, string[]][];
  /** The typo table's hashed deletes of those forms. */
  typos: TypoData;
  /** The glossary's, the countries' and the gazetteer's names, as the build left them. */
  lexicon: LexiconData;
  vocabulary: { en: string[]; fr: string[] };
  /** The catalog's Chinese names by their pinyin. */
  pinyin: PinyinData;
}

type TitleUnits = IndexedRecord["titleUnits"];

/** A record's title units as a saved index codes them, with the function that decodes them. */
export interface CodedTitleUnits {
  readonly text: string;
  readonly decode: (text: string) => TitleUnits;
}

type FlexDocument = {
  add(doc: Record<string, string | number>): void;
  remove(id: number): void;
  search(options: { query: string; field: readonly string[]; limit: number }): { field: string; result: number[] }[];
  export(handler: (key: string, data: string) => void): void;
  import(key: string, data: unknown): void;
};

/**
 * The words of a text that number an edition: "the 11th forum", "le 11e forum", "11-й форум", the
 * 十一 of 第十一届 (however the segmenter cut it) — not "the 11th member" nor "le 1er juin".
 */
function editionWords(analyzed: AnalyzedText): Set<number> {
  const { words, folded, keys } = analyzed;
  const out = new Set<number>();
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (
      /^\d{1,3}$/.test(word.text) &&
      next &&
      RUSSIAN_ORDINAL_ENDING.has(next.text) &&
      folded.slice(word.end, next.start) === "-"
    ) {
      out.add(i);
      return;
    }
    if (!ORDINAL.test(word.text) || DATE_WORDS.has(words[i - 1]?.text ?? "") || DATE_WORDS.has(next?.text ?? ""))
      return;
    let after = i + 1;
    while (after < words.length && keys[after] === null) after++;
    if (after >= words.length || !isSoftWord(words[after]!.text)) out.add(i);
  });
  for (const m of folded.matchAll(HAN_EDITION)) {
    const from = m.index + 1;
    const to = from + m[1]!.length;
    words.forEach((word, i) => {
      if (word.start < to && word.end > from) out.add(i);
    });
  }
  return out;
}

/**
 * The multilingual search engine over one catalog. Text analysis is ours (per-language stemming,
 * Chinese segmentation and bigrams, concept and place tokens); flexsearch holds the inverted index; the
 * ranking (idf-weighted, per-field, with coverage) is ours because flexsearch gives no numeric score.
 */
export class SearchEngine {
  private now: () => Date;
  /** Record → slot in the current query's accumulator (-1: none); reused so queries allocate little. */
  private slotOf: Int32Array;
  /** The catalog's word forms in code-unit order, for completing clipped words. */
  private sortedSurfaces: string[];
  /** The index terms of the catalog's cities' names, by city token, as first needed (see cityNameTerms). */
  private readonly cityTerms = new Map<string, string[]>();
  /** The vocabulary detectLanguage tells English from French with, typos included. */
  private readonly latinVocabulary: LatinVocabulary;
  /** The catalog's Chinese names by their pinyin (see fromPinyin). */
  private pinyin = new PinyinNames();
  /** Readings of the last message, asked twice per message (language, then analysis). */
  private readonly pinyinReading = new LastReading((text) => this.readPinyin(text));
  private readonly translitReading = new LastReading((text) => this.readTranslit(text));
  private readonly homophoneReading = new LastReading((text) => this.readHomophones(text));
  /** Record → how much a match in its tags counts (see SPECIFIC_SECTORS). */
  private tagFactor: Float64Array;
  /** The catalog as searched now (`catalog`), built on first use after a change. */
  private view: Catalog | undefined;
  /** flexsearch's postings of each field, read directly for exact terms (see postingsOf). */
  private fieldMaps: ReadonlyMap<string, Slots>[] | undefined;
  /**
   * The index's terms as queries met them: term → its idf and its records per field, one look-up for what
   * took a document frequency, an idf and one look-up per field. Emptied when the records change.
   */
  private terms = new Map<string, TermPostings>();
  /** Record → the bonus of a record in a country the question names, smaller for a record of many countries. */
  private countryBonus: Float64Array;
  /**
   * Record → 1 when it has expired on `expiredOn`, worked out once a day (and after a change of the records)
   * rather than per candidate.
   */
  private expired = new Uint8Array(0);
  private expiredOn = "";
  /**
   * Record → PLACE_NAMED, and PLACE_CITY_NAMED for a city, when the record is in a place the running query
   * names; valid where placeStamp holds the query's stamp, so no query clears the table (see markPlaces).
   */
  private placeMark = new Uint8Array(0);
  private placeStamp = new Int32Array(0);
  private stamp = 0;
  /** The match table of the running query (see Accumulator). */
  private accumulator = new Accumulator();
  /** The running query's per-unit values (see UnitTable). */
  private unitTable = new UnitTable();
  /** The running query's candidates matched in their title (see search). */
  private titled: number[] = [];
  /** The records' titles as numbers (see TitleCodes). */
  private titleCodes = new TitleCodes();

  private constructor(
    /** The catalog the engine was built from: its vocabularies and places (records change with put/remove). */
    private base: Catalog,
    private records: IndexedRecord[],
    private byId: Map<string, number>,
    private index: FlexDocument,
    private documentFrequency: Map<string, number>,
    private lexicon: Lexicon,
    private surfaces: Map<string, string[]>,
    private typos: TypoTable,
    private vocabulary: { en: Set<string>; fr: Set<string> },
    private indexer: TextIndexer,
    options: SearchEngineOptions,
    /** The Chinese names of a saved index (see fromPrepared); read from the catalog otherwise. */
    pinyin?: PinyinNames,
  ) {
    this.sortedSurfaces = [...surfaces.keys()].sort();
    this.latinVocabulary = { ...vocabulary, nearest: (word) => this.nearestWords(word) };
    if (pinyin) this.pinyin = pinyin;
    else {
      for (const terms of Object.values(base.glossary)) for (const term of terms.zh) this.pinyin.add(term);
      for (const city of Object.values(base.places.cities)) this.pinyin.add([city.names.zh, ...city.aliases].join(" "));
      for (const entry of records) this.addPinyinNames(entry.record);
    }
    this.now = options.now ?? systemClock;
    this.slotOf = new Int32Array(records.length).fill(-1);
    this.fieldMaps = options.postings === "search" ? undefined : fieldMapsOf(index);
    this.tagFactor = Float64Array.from(records, (e) => tagFactorOf(e));
    this.countryBonus = Float64Array.from(records, (e) => countryBonusOf(e));
  }

  static build(catalog: Catalog, options: SearchEngineOptions = {}): SearchEngine {
    const lexicon = Lexicon.build(catalog.glossary, catalog.places);
    const index = createIndex();
    const documentFrequency = new Map<string, number>();
    const surfaces = new Map<string, string[]>();
    const indexer = new TextIndexer(lexicon, surfaces, catalog);
    const records: IndexedRecord[] = [];
    const byId = new Map<string, number>();
    const shared = new Map<string, ReadonlySet<string>>();

    catalog.records.forEach((record, i) => {
      records.push(indexRecord(record, i, indexer, index, documentFrequency, shared));
      byId.set(record.id, i);
    });
    // Its texts' terms served the build; kept, they would hold every short text of the catalog (~40 % of
    // the heap of 10,000 generated records) for the live changes, which rarely repeat one.
    indexer.stopCaching();

    // Places are matched in queries only (records carry their countries and cities as fields), so the
    // gazetteer can be added once the index knows which names are also words of the catalog.
    const countries = catalogCountriesOf(catalog);
    lexicon.addCountryPlaces(countries, gazetteerCities(countries), (name) => isCatalogWord(name, documentFrequency));

    const typos = TypoTable.from(surfaces.keys());
    const vocabulary = { en: new Set<string>(), fr: new Set<string>() };
    for (const record of catalog.records) addVocabulary(record, vocabulary);
    return new SearchEngine(
      catalog,
      records,
      byId,
      index,
      documentFrequency,
      lexicon,
      surfaces,
      typos,
      vocabulary,
      indexer,
      options,
    );
  }

  /** The searched catalog: the vocabularies and places it was built with, and the records it holds now. */
  get catalog(): Catalog {
    return (this.view ??= { ...this.base, records: this.records.map((e) => e.record) });
  }

  /**
   * Adds a record, or replaces the record with the same id, in place: only that record's terms are
   * indexed, nothing is rebuilt. (A new record's country adds no gazetteer cities: that needs a build.)
   */
  put(record: CatalogRecord): void {
    const existing = this.byId.get(record.id);
    if (existing !== undefined) this.unindex(existing);
    const slot = existing ?? this.records.length;
    const fresh: string[] = [];
    this.indexer.fresh = fresh;
    const entry = indexRecord(record, slot, this.indexer, this.index, this.documentFrequency);
    this.indexer.fresh = undefined;
    this.addPinyinNames(record);
    this.records[slot] = entry;
    this.byId.set(record.id, slot);
    if (slot >= this.slotOf.length) {
      const capacity = Math.max(16, this.slotOf.length * 2);
      const slots = new Int32Array(capacity).fill(-1);
      slots.set(this.slotOf);
      this.slotOf = slots;
      const factors = new Float64Array(capacity);
      factors.set(this.tagFactor);
      this.tagFactor = factors;
      const bonuses = new Float64Array(capacity);
      bonuses.set(this.countryBonus);
      this.countryBonus = bonuses;
    }
    this.tagFactor[slot] = tagFactorOf(entry);
    this.countryBonus[slot] = countryBonusOf(entry);
    this.titleCodes.forget(slot, this.records.length);
    this.terms.clear();
    this.expiredOn = "";
    for (const surface of fresh) {
      this.typos.add(surface);
      this.sortedSurfaces.splice(lowerBound(this.sortedSurfaces, surface), 0, surface);
    }
    addVocabulary(record, this.vocabulary);
    this.view = undefined;
    this.referrals = undefined;
    // The catalog's words changed: the last message may read otherwise.
    this.translitReading.clear();
    this.homophoneReading.clear();
  }

  /**
   * Removes a record in place; false when the engine does not hold it. The last record takes its slot,
   * so slots stay dense. (Its words stay known to typo correction, where they simply match nothing.)
   */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    this.unindex(slot);
    this.byId.delete(id);
    const last = this.records.length - 1;
    if (slot !== last) {
      const moved = this.records[last]!.record;
      this.unindex(last);
      this.records[slot] = indexRecord(moved, slot, this.indexer, this.index, this.documentFrequency);
      this.byId.set(moved.id, slot);
      this.tagFactor[slot] = this.tagFactor[last]!;
      this.countryBonus[slot] = this.countryBonus[last]!;
    }
    this.records.pop();
    this.titleCodes.forget(slot, this.records.length);
    this.terms.clear();
    this.expiredOn = "";
    this.view = undefined;
    this.referrals = undefined;
    // The catalog's words changed: the last message may read otherwise.
    this.translitReading.clear();
    this.homophoneReading.clear();
    return true;
  }

  /** Per slot, how many records name that slot's record among their related ones (computed when first needed). */
  private referrals: Int32Array | undefined;

  /** How many records name this one among their related ones: how central it is to the catalog. */
  referralsOf(id: string): number {
    const slot = this.byId.get(id);
    return slot === undefined ? 0 : (this.referrals ??= this.countReferrals())[slot]!;
  }

  private countReferrals(): Int32Array {
    const counts = new Int32Array(this.records.length);
    for (const entry of this.records) {
      for (const id of new Set(entry.record.related)) {
        const slot = this.byId.get(id);
        if (slot !== undefined && id !== entry.record.id) counts[slot] = counts[slot]! + 1;
      }
    }
    return counts;
  }

  /** Takes over everything another engine indexed, in one synchronous step: a rebuild that keeps this object. */
  replaceWith(other: SearchEngine): void {
    const now = this.now;
    Object.assign(this, other);
    // The clock is the holder's (a test pins it), not the rebuilt engine's.
    this.now = now;
  }

  /**
   * What `build` prepared that costs time, for a saved index (see snapshot.ts): taken right after the
   * build, before any put or remove, it gives back this engine through `fromPrepared`.
   */
  prepared(): PreparedState {
    const index: [string, unknown][] = [];
    this.index.export((key, data) => void index.push([key, data]));
    return {
      titleUnits: this.records.map((e) => (e instanceof StoredEntry ? e.coded() : e.titleUnits)),
      index,
      documentFrequency: [...this.documentFrequency],
      surfaces: [...this.surfaces],
      typos: this.typos.data(),
      lexicon: this.lexicon.data(),
      vocabulary: { en: [...this.vocabulary.en], fr: [...this.vocabulary.fr] },
      pinyin: this.pinyin.data(),
    };
  }

  /** The engine `build(catalog)` gives, from the state it prepared for that same catalog: nothing is analysed again. */
  static fromPrepared(catalog: Catalog, state: PreparedState, options: SearchEngineOptions = {}): SearchEngine {
    const lexicon = Lexicon.fromData(state.lexicon);
    const index = createIndex();
    for (const [key, data] of state.index) index.import(key, data);
    const surfaces = new Map(state.surfaces);
    const indexer = new TextIndexer(lexicon, surfaces, catalog);
    indexer.stopCaching();
    const shared = new Map<string, ReadonlySet<string>>();
    return new SearchEngine(
      catalog,
      catalog.records.map((record, i) => {
        const units = state.titleUnits[i]!;
        return "text" in units
          ? new StoredEntry(entryOf(record, catalog, [], shared), units)
          : entryOf(record, catalog, units, shared);
      }),
      new Map(catalog.records.map((record, i) => [record.id, i])),
      index,
      new Map(state.documentFrequency),
      lexicon,
      surfaces,
      TypoTable.fromData(surfaces.keys(), state.typos),
      { en: new Set(state.vocabulary.en), fr: new Set(state.vocabulary.fr) },
      indexer,
      options,
      PinyinNames.fromData(state.pinyin),
    );
  }

  /** Takes a record's terms out of the index and the document frequencies. */
  private unindex(slot: number): void {
    const entry = this.records[slot]!;
    for (const term of recordTerms(recordFields(entry.record, this.indexer))) {
      const df = (this.documentFrequency.get(term) ?? 1) - 1;
      if (df > 0) this.documentFrequency.set(term, df);
      else this.documentFrequency.delete(term);
    }
    this.index.remove(slot);
  }

  get size(): number {
    return this.records.length;
  }

  /** Today's date (UTC, ISO), which announcements expire by: read from the system clock once a day, not made per query. */
  today(): string {
    if (this.now !== systemClock) return isoDay(this.now());
    const time = Date.now();
    if (time >= this.dayEnds) {
      this.day = isoDay(new Date(time));
      this.dayEnds = (Math.floor(time / DAY_MS) + 1) * DAY_MS;
    }
    return this.day;
  }

  /** The day `today` last read, and when it ends (ms since the epoch). */
  private day = "";
  private dayEnds = 0;

  get(id: string): CatalogRecord | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.records[i]?.record;
  }

  /** Names of the glossary the Chinese segmenter keeps whole (see segmentHanRun). */
  private readonly knownHan = (text: string, at: number): number => this.lexicon.hanConceptAt(text, at);

  /** The analysis `search` and `placesIn` make of a text, to give them both (see AnalysedQuery). */
  analyse(text: string): AnalysedQuery {
    const read = withoutAsides(this.fromPinyin(text) ?? this.fromTranslit(text) ?? this.fromHomophones(text) ?? text);
    const { en, fr } = analyzeBoth(read, this.knownHan);
    const english = this.lexicon.match(en, "en");
    return {
      text,
      read,
      en,
      fr,
      matches: [...english, ...this.lexicon.match(fr, "fr")],
      englishMatches: english.length,
    };
  }

  search(question: string | AnalysedQuery, options: SearchOptions = {}): SearchResponse {
    const analysed = typeof question === "string" ? this.analyse(question) : question;
    const query = analysed.text;
    const lang = options.lang ?? this.language(query, options.langHint);
    const { units, places } = this.queryUnits(analysed);
    const countries = [...places]
      .map((t) => this.lexicon.countryOfToken.get(t))
      .filter((c): c is string => c !== undefined);
    if (units.length === 0) {
      // No question (only filters) is browsing; a question of nothing but stop words matches nothing.
      const hits = query.trim() === "" ? this.browseHits(options.filters) : [];
      return { ...this.page(query, lang, countries, hits, options), units: 0 };
    }

    // "Бизнес-инкубатор в Алматы": an incubator is asked for, not a university in Almaty whose text mentions
    // one (and not the asker's own: "I run an incubator in…").
    const kindUnits = units.filter((u) => !u.describesAsker && u.alts.some((a) => a.term === INCUBATOR_CONCEPT));
    const askedKind = kindUnits.length > 0 ? "incubator" : undefined;
    const acc = this.collect(units, askedKind);
    const U = units.length;
    const titleCodes = this.titleCodes;
    titleCodes.start(unitsByTerm(units));
    // What each unit weighs in the loop over candidates below, worked out once per query.
    const per = this.unitTable.reset(U);
    const { weight, confidenceWeight, absent, askerRelief, rankFactor, flags } = per;
    const long = units.filter((u) => !u.isPlace && !u.soft).length >= LONG_QUESTION_UNITS;
    let totalWeight = 0;
    let totalConfidenceWeight = 0;
    let nonPlaces = 0;
    for (let u = 0; u < U; u++) {
      const unit = units[u]!;
      const cw =
        unit.weight *
        (unit.isPlace ? PLACE_CONFIDENCE_WEIGHT : 1) *
        (long && !unit.describesAsker && !unit.alts.some((a) => this.documentFrequency.has(a.term))
          ? UNKNOWN_IN_LONG_QUESTION_WEIGHT
          : 1);
      weight[u] = unit.weight;
      confidenceWeight[u] = cw;
      totalWeight += unit.weight;
      totalConfidenceWeight += cw;
      absent[u] = Math.max(0, (unit.absence ?? 0) - cw);
      askerRelief[u] = cw * (1 - ASKER_CONFIDENCE_WEIGHT);
      rankFactor[u] = unit.askers ? ASKER_CONFIDENCE_WEIGHT : unit.describesAsker ? DESCRIBES_RANK : 1;
      flags[u] =
        (unit.describesAsker ? DESCRIBES_ASKER : 0) |
        (unit.institution || (unit.partner && !unit.isPlace && !unit.named) ? TITLE_ONLY : 0) |
        (!unit.isPlace && !unit.soft ? TOPIC : 0) |
        (unit.isPlace ? PLACE : 0) |
        (unit.institution ? INSTITUTION : 0);
      if (!unit.isPlace) nonPlaces++;
    }
    // Units that say what is asked about: neither a place nor the kind of fact asked for (nor who asks: "Je
    // suis consultant à Jakarta. Il y a quoi comme projet chinois en Indonésie ?" asks about Indonesia).
    const asksAbout = units.some((u) => !u.isPlace && !u.soft && !u.describesAsker);
    // "ищем инкубатор с выходом на китайский рынок": the incubator is what is sought, the market qualifies it.
    const kindBonus = kindUnits.some((u) => u.sought) ? SOUGHT_KIND_BONUS : KIND_BONUS;
    // "Looking for partners in China": someone to work with is sought, and a report or a plan is no one.
    const seeks = units.some((u) => u.sought) && !units.some((u) => DOCUMENT_WORD.test(u.label));
    const namesDocument =
      units.some((u) => DOCUMENT_WORD.test(u.label) || READING_WORD.test(u.label)) || READING_HAN.test(query);
    const today = this.today();
    const { final, confidence, titleCoverage: titleCov, recordOf } = acc;
    const cellAlt = acc.alt;
    const cellField = acc.field;
    const cellScore = acc.score;
    const cellQuality = acc.quality;
    const placeList = [...places];
    const P = placeList.length;
    const stamp = P > 0 ? this.markPlaces(placeList) : 0;
    const { placeStamp, placeMark, countryBonus } = this;
    // By score; catalog order breaks ties so results are stable. Only the best offset+limit are kept in
    // order: sorting every candidate would cost more than scoring them.
    // A question of nothing but a place ("что есть для Беларуси?") ties every record of that country: the
    // one more records refer to goes first (the SCO or its summit, before any one SCO programme), not the
    // first in catalog order.
    const referrals = asksAbout ? undefined : (this.referrals ??= this.countReferrals());
    const better = (a: number, b: number) =>
      final[a]! - final[b]! ||
      (referrals ? referrals[recordOf[a]!]! - referrals[recordOf[b]!]! : 0) ||
      recordOf[b]! - recordOf[a]!;
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(0, options.limit ?? 10);
    const keep = offset + limit;
    const top: number[] = [];
    const offer = (slot: number) => {
      if (top.length === keep && better(slot, top[keep - 1]!) <= 0) return;
      let at = top.length;
      while (at > 0 && better(slot, top[at - 1]!) > 0) at--;
      top.splice(at, 0, slot);
      if (top.length > keep) top.pop();
    };
    // Candidates matched in their title, whose score waits for how much of the title the question names.
    const titled = this.titled;
    titled.length = 0;
    let total = 0;
    for (let slot = 0; slot < acc.count; slot++) {
      const record = recordOf[slot]!;
      if (!this.passes(record, options.filters, today)) continue;
      const base = slot * U;
      let score = 0;
      let covered = 0;
      let quality = 0;
      let inTitle = 0;
      let titleMatched = false;
      let missing = 0;
      let onTopic = false;
      let topicOutsideTitle = false;
      let restMatched = false;
      let institutionMissed = false;
      for (let u = 0; u < U; u++) {
        const k = base + u;
        const flag = flags[u]!;
        if (flag & INSTITUTION && (cellAlt[k]! < 0 || cellField[k]! !== TITLE_FIELD)) institutionMissed = true;
        if (cellAlt[k]! < 0) {
          missing += absent[u]!;
          // Who the asker is need not be in the answer; when it is, it counts in full.
          if (flag & DESCRIBES_ASKER) missing -= askerRelief[u]!;
          continue;
        }
        if (!(flag & PLACE)) restMatched = true;
        const inField = cellField[k]!;
        if (flag & TITLE_ONLY && inField !== TITLE_FIELD) {
          // "The SCO University" is a university; a record that only mentions universities is not it. A
          // "China–Africa centre" is a programme with Africa; a record that only mentions Africa is not it.
          missing += absent[u]!;
          topicOutsideTitle = true;
          continue;
        }
        // The asker's own place ("我在明斯克做数字经济…") ranks a record as little as it makes it sure.
        score += cellScore[k]! * rankFactor[u]!;
        covered += weight[u]!;
        if (flag & TOPIC) {
          onTopic = true;
          if (inField !== TITLE_FIELD) topicOutsideTitle = true;
        }
        quality += confidenceWeight[u]! * cellQuality[k]!;
        if (inField === TITLE_FIELD) {
          inTitle += weight[u]!;
          titleMatched = true;
        }
      }
      // "That country first" applies to records that answer the rest of the question too: a place
      // narrows the topic, it does not replace it. A record spanning many countries (the SCO, ASEAN)
      // says less about any one of them; a city is a city.
      let placeBonus = 0;
      if (P > 0 && (restMatched || nonPlaces === 0)) {
        const mark = placeStamp[record] === stamp ? placeMark[record]! : 0;
        if (mark & PLACE_NAMED)
          placeBonus =
            (mark & PLACE_CITY_NAMED ? PLACE_BONUS : countryBonus[record]!) *
            (topicOutsideTitle ? TOPIC_OUTSIDE_TITLE_PLACE : 1);
      }
      const kindFactor =
        (askedKind !== undefined && this.records[record]!.record.kind === askedKind ? 1 + kindBonus : 1) *
        (institutionMissed ? INSTITUTION_MISSED_FACTOR : 1) *
        (seeks && documentKind(this.records[record]!.record) !== null ? DOCUMENT_FACTOR : 1) *
        (!namesDocument && documentKind(this.records[record]!.record) === "report" ? REPORT_FACTOR : 1);
      const covering = score * (0.25 + 0.75 * (covered / totalWeight));
      // A place narrows the topic, it does not replace it: a record that shares only the place (and the
      // kind of fact asked for) does not answer "an incubator in Tajikistan".
      confidence[slot] = asksAbout && !onTopic ? 0 : quality / (totalConfidenceWeight + missing);
      total++;
      if (keep === 0) continue;
      titleCov[slot] = -1;
      if (titleMatched) {
        // How much of the record's title the question names counts only with a match in the title (inTitle
        // is 0 otherwise, and a record the question names is matched in its title). It is worked out below,
        // for the candidates whose best possible score (the title named whole) can place them among the hits.
        // The name bonus goes to a record whose title the question names whole *and* that names most of
        // the question: "SCO" is the organisation; "SCO AI centre" is the centre, not the organisation.
        // A question that is the record's name and nothing more than the kind of fact asked ("when was
        // ASEAN founded?") is about that record, whatever other records its soft words meet.
        let namesAll = onTopic && !topicOutsideTitle;
        for (let u = 0; u < U && namesAll; u++) if (flags[u]! & TOPIC && cellAlt[base + u]! < 0) namesAll = false;
        acc.covering[slot] = covering;
        acc.titleShare[slot] = inTitle / totalWeight;
        acc.namesAll[slot] = namesAll ? 1 : 0;
        acc.placeBonus[slot] = placeBonus;
        acc.kindFactor[slot] = kindFactor;
        final[slot] = finalScore(covering, 1, inTitle / totalWeight, namesAll, placeBonus, kindFactor);
        titled.push(slot);
        continue;
      }
      final[slot] = finalScore(covering, 0, inTitle / totalWeight, false, placeBonus, kindFactor);
      offer(slot);
    }
    // Best possible score first: once one cannot reach the last hit kept, none after it can.
    titled.sort((a, b) => final[b]! - final[a]!);
    for (const slot of titled) {
      if (top.length === keep) {
        if (final[slot]! < final[top[keep - 1]!]!) break;
        if (better(slot, top[keep - 1]!) <= 0) continue;
      }
      const record = recordOf[slot]!;
      const title = titleCodes.coverage(record, this.records[record]!, cellAlt, slot * U);
      titleCov[slot] = title;
      final[slot] = finalScore(
        acc.covering[slot]!,
        title,
        acc.titleShare[slot]!,
        title === 1 && acc.namesAll[slot] === 1,
        acc.placeBonus[slot]!,
        acc.kindFactor[slot]!,
      );
      offer(slot);
    }

    const idOf = (slot: number) => this.records[acc.recordOf[slot]!]!.record.id;
    const explain = options.explain ?? Number.POSITIVE_INFINITY;
    const hits = top.slice(offset).map((slot, rank): SearchHit => {
      const matches: MatchedTerm[] = [];
      if (rank < explain)
        units.forEach((unit, u) => {
          const a = acc.alt[slot * U + u]!;
          if (a < 0) return;
          const alt = unit.alts[a]!;
          matches.push({ query: unit.label, term: alt.term, field: FIELDS[acc.field[slot * U + u]!]!, via: alt.via });
        });
      return {
        id: idOf(slot),
        score: round(final[slot]!),
        confidence: round(confidence[slot]!),
        titleCoverage: round(
          titleCov[slot]! >= 0
            ? titleCov[slot]!
            : titleCodes.coverage(acc.recordOf[slot]!, this.records[acc.recordOf[slot]!]!, acc.alt, slot * U),
        ),
        matches,
      };
    });
    // Words about the asker are no part of what is asked ("je suis doctorante en …").
    const unknown = units.reduce(
      (sum, u, i) =>
        sum +
        (u.describesAsker || u.askers || u.alts.some((a) => this.documentFrequency.has(a.term))
          ? 0
          : confidenceWeight[i]!),
      0,
    );
    return { query, lang, countries, total, hits, unknown: round(unknown / totalConfidenceWeight), units: U };
  }

  /**
   * The language a text is written in: by script, grammar words, the catalog's own English and French
   * words, then the detector and the caller's hint (see detectLanguage).
   */
  language(text: string, hint?: Language): Language {
    if (this.fromPinyin(text) !== undefined) return "zh";
    return this.fromTranslit(text) === undefined ? detectLanguage(text, hint, this.latinVocabulary) : "ru";
  }

  /** The index terms of a catalog city's one-word names in the four languages (see queryUnits). */
  private cityNameTerms(token: string): string[] {
    let terms = this.cityTerms.get(token);
    if (!terms) {
      const city = this.catalog.places.cities[token.slice(cityToken("").length)];
      const found = new Set<string>();
      for (const lang of LANGUAGES) {
        const name = city?.names[lang];
        if (name === undefined || lang === "zh") continue;
        const analyzed = analyze(name, lang);
        if (analyzed.words.length === 1 && analyzed.keys[0]) found.add(analyzed.keys[0]);
      }
      terms = [...found].filter((t) => this.term(t) !== undefined);
      this.cityTerms.set(token, terms);
    }
    return terms;
  }

  /** The catalog's words one edit away from a mistyped word (a word this near is most likely what was meant). */
  private nearestWords(word: string): string[] {
    return this.typos
      .search(word)
      .filter((m) => m.distance === 1)
      .map((m) => m.term);
  }

  /**
   * A message of Russian typed in Latin letters, in the Cyrillic it spells ("inkubator v Kazakhstane" →
   * "инкубатор в Казахстане"). Its Russian words are those that are not words of the catalog in English
   * or French as typed and whose Cyrillic reading is one in Russian (see isRussianWord). It is Russian when it has a
   * grammar word of transliterated Russian ("v", "dlya") and such a word, or three such words; and they
   * are at least as many as its other words; or Russian typed with the keyboard left on its Latin layout (see
   * readLatinKeys). Undefined for any other message.
   */
  fromTranslit(text: string): string | undefined {
    return this.translitReading.of(text);
  }

  private readTranslit(text: string): string | undefined {
    return this.readSpelledTranslit(text) ?? this.readLatinKeys(text);
  }

  private readSpelledTranslit(text: string): string | undefined {
    if (!/^[\p{Script=Latin}\d\s\p{P}]+$/u.test(text)) return undefined;
    let grammar = 0;
    let other = 0;
    // Set look-ups first: most Latin messages are English or French and stop here, before any analysis.
    const unsure: string[] = [];
    for (const w of words(fold(text), false)) {
      const word = w.text;
      if (/^\d+$/.test(word)) continue;
      if (TRANSLIT_GRAMMAR.has(word)) grammar++;
      else if (this.surfaces.has(word) || this.documentFrequency.has(word) || isStopword(w)) other++;
      else unsure.push(word);
    }
    if ((grammar === 0 && unsure.length < 3) || grammar + unsure.length < other) return undefined;
    let known = 0;
    for (let i = 0; i < unsure.length; i++) {
      const word = unsure[i]!;
      const cyrillic = fold(cyrillicOf(word));
      // A word of the catalog's Russian, or one of the words around a Russian question ("podskazhite", "svyazan").
      if (
        !this.isGlossaryName(word) &&
        (this.isRussianWord(cyrillic) ||
          isStopword({ text: cyrillic, script: "cyrillic", start: 0, end: cyrillic.length }))
      )
        known++;
      else other++;
      // The words left cannot make up for the others any more (the test below).
      const left = unsure.length - 1 - i;
      if (grammar + known + left < other || (grammar === 0 && known + left < 3)) return undefined;
    }
    if (!((grammar > 0 && known > 0) || known >= 3) || grammar + known < other) return undefined;
    // Names the catalog has in Latin letters, capitalised, stay as typed ("Tianjin", "Zhongya Hulian", "Urumchi").
    return text.replace(/\p{Script=Latin}+/gu, (word) => {
      const folded = fold(word);
      return /^\p{Lu}/u.test(word) && (this.surfaces.has(folded) || this.lexicon.isPlaceWord(folded))
        ? word
        : cyrillicOf(word);
    });
  }

  /**
   * Russian typed with the keyboard left on its Latin layout ("byre,fnjh d xfyit" → "инкубатор в чанше"):
   * when none of its words is a word of English, French or the catalog as typed, a word of four letters or
   * more reads as a word of the catalog's Russian, and such words (with Russian grammar words) are at least
   * as many as the others.
   */
  private readLatinKeys(text: string): string | undefined {
    const cyrillic = cyrillicOfLatinKeys(text);
    if (cyrillic === undefined) return undefined;
    const typed = words(fold(text), false);
    const known = (w: Word) =>
      w.text.length > 1 && (this.surfaces.has(w.text) || this.documentFrequency.has(w.text) || isStopword(w));
    if (typed.some(known)) return undefined;
    let russian = 0;
    let long = 0;
    let other = 0;
    for (const w of words(fold(cyrillic), false)) {
      if (/^\d+$/.test(w.text)) continue;
      if (w.script === "cyrillic" && isStopword(w)) russian++;
      else if (w.script === "cyrillic" && this.isRussianWord(w.text)) {
        russian++;
        if (Array.from(w.text).length >= 4) long++;
      } else other++;
    }
    return long > 0 && russian >= other ? cyrillic : undefined;
  }

  /** A name of the glossary in English or French ("summit"): a Latin word, not transliterated Russian. */
  private isGlossaryName(word: string): boolean {
    return this.conceptsIn(word, "en").length > 0 || this.conceptsIn(word, "fr").length > 0;
  }

  /**
   * A word of the catalog's Russian texts as it stands ("казахстане"), a name of its glossary ("шос"), or
   * a stem long enough to be one ("организует"; "сумм", read from "summit", is not).
   */
  private isRussianWord(cyrillic: string): boolean {
    if (this.surfaces.has(cyrillic) || this.conceptsIn(cyrillic, "ru").length > 0) return true;
    const key = analyze(cyrillic, "ru").keys[0];
    if (key === null || key === undefined || !this.documentFrequency.has(key)) return false;
    if (key.length >= 5) return true;
    // A shorter stem when the word itself begins a word of the catalog with that stem ("обмен" of "обмена").
    if (Array.from(cyrillic).length < 5) return false;
    const sorted = this.sortedSurfaces;
    for (let i = lowerBound(sorted, cyrillic); i < sorted.length && sorted[i]!.startsWith(cyrillic); i++)
      if ((this.surfaces.get(sorted[i]!) ?? []).includes(key)) return true;
    return false;
  }

  /**
   * A Chinese message with a character typed for another of the same sound, the wrong candidate of a pinyin
   * keyboard, with the catalog's name it was meant to be ("乌鲁目齐创新大会" → "乌鲁木齐创新大会"); undefined
   * when it has none. Two to four characters are corrected only when they sound like a name of the
   * glossary or the gazetteer, differ from it in one character (see PinyinNames.homophone), and that
   * character is the odd one out (see isTypoOf).
   */
  fromHomophones(text: string): string | undefined {
    return this.homophoneReading.of(text);
  }

  private readHomophones(text: string): string | undefined {
    if (!/\p{Script=Han}/u.test(text)) return undefined;
    let changed = false;
    const read = text.replace(/\p{Script=Han}+/gu, (run) => {
      const glyphs = Array.from(run);
      // A mistyped character makes a pair the index lacks: a run of known pairs is read as it is.
      const known = glyphs.slice(1).map((glyph, k) => this.documentFrequency.has(glyphs[k]! + glyph));
      if (known.every(Boolean)) return run;
      const out: string[] = [];
      let i = 0;
      while (i < glyphs.length) {
        let taken = 0;
        for (let n = Math.min(4, glyphs.length - i); n >= 2 && taken === 0; n--) {
          let allKnown = true;
          for (let k = i; k < i + n - 1; k++) allKnown &&= known[k]!;
          if (allKnown) continue;
          const word = glyphs.slice(i, i + n);
          const meant = this.pinyin.homophone(word.join(""));
          if (meant === undefined || !this.lexicon.isHanName(fold(meant)) || !this.isTypoOf(word, Array.from(meant)))
            continue;
          // Two characters that go with their neighbours (德国|汽车 holds 国汽, which sounds like 国企) are
          // the ends of two words, not one word mistyped.
          const before = glyphs[i - 1];
          const after = glyphs[i + n];
          if (
            n === 2 &&
            ((before !== undefined && this.documentFrequency.has(before + word[0]!)) ||
              (after !== undefined && this.documentFrequency.has(word[1]! + after)))
          )
            continue;
          out.push(meant);
          taken = n;
        }
        if (taken === 0) {
          out.push(glyphs[i]!);
          taken = 1;
        } else changed = true;
        i += taken;
      }
      return out.join("");
    });
    return changed ? read : undefined;
  }

  /**
   * Whether `word` is `meant` with one character mistyped: every pair of characters with the odd one is
   * unknown to the index, every other pair known ("乌鲁目齐": 鲁目 and 目齐 are no words of the catalog,
   * 乌鲁 is) — so a word the catalog spells otherwise, or text around a name, is left as it is.
   */
  private isTypoOf(word: readonly string[], meant: readonly string[]): boolean {
    const odd = word.findIndex((glyph, i) => glyph !== meant[i]);
    // "南昌是不是": a grammar word next to a name is no mistyped character of it (南昌市).
    if (HAN_GRAMMAR.has(word[odd]!)) return false;
    for (let k = 0; k + 1 < word.length; k++) {
      const known = this.documentFrequency.has(word[k]! + word[k + 1]!);
      if (known === (k === odd || k + 1 === odd)) return false;
    }
    return true;
  }

  /**
   * A message written in pinyin, in the characters it spells ("wulumuqi fuhuaqi" → "乌鲁木齐孵化器"):
   * when two or more of its words, and two thirds of them, are pinyin of the catalog's Chinese names
   * and not words of the catalog.
   * Undefined for any other message.
   */
  fromPinyin(text: string): string | undefined {
    return this.pinyinReading.of(text);
  }

  private readPinyin(text: string): string | undefined {
    if (!/^[\p{Script=Latin}\d\s\p{P}]+$/u.test(text)) return undefined;
    const tokens = text.toLowerCase().split(/(\s+)/u);
    let spelled = 0;
    let other = 0;
    // "Huo-Yan" is the catalog's own Latin name, however it reads as pinyin; syllables typed apart need
    // only not all be words of the catalog ("neng yuan" is 能源, though "yuan" is a currency).
    const isCatalogWord = (part: string) => this.surfaces.has(part) || this.documentFrequency.has(part);
    const spells = (parts: string[], apart = false) =>
      (apart ? parts.every(isCatalogWord) : parts.some(isCatalogWord)) ? undefined : this.pinyin.lookup(parts.join(""));
    const partsOf = (token: string) =>
      fold(token)
        .split(/\p{P}+/u)
        .filter(Boolean);
    const out: string[] = [];
    const isWord = (token: string) => !/^\s*$/u.test(token) && !/^\d+$/.test(token);
    // Words not read yet: each may spell one name at most, so once they cannot make up for the others
    // (the test below), the message is no pinyin, and most messages stop after a few words.
    let left = tokens.filter(isWord).length;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!isWord(token)) {
        out.push(token);
        continue;
      }
      // Syllables typed apart ("shang he zu zhi"): the longest run of up to four that spells a name. A word
      // that begins no name's pinyin spells none, alone or with the next.
      const begins = this.pinyin.begins(partsOf(token).join(""));
      let joined: { han: string; next: number; words: number } | undefined;
      for (let n = PINYIN_SYLLABLES_JOINED; n >= 2 && !joined && begins; n--) {
        const words = tokens.slice(i, i + 2 * n - 1).filter((_, k) => k % 2 === 0);
        if (words.length < n || words.some((w) => !/^\p{Script=Latin}+$/u.test(w))) continue;
        const han = spells(words.flatMap(partsOf), true);
        if (han !== undefined) joined = { han, next: i + 2 * n - 2, words: n };
      }
      const han = joined?.han ?? (begins ? spells(partsOf(token)) : undefined);
      left -= joined?.words ?? 1;
      if (han !== undefined) {
        spelled++;
        out.push(han);
        if (joined) i = joined.next;
      } else {
        other++;
        out.push(token);
      }
      if (spelled + left < 2 || spelled + left < 2 * other) return undefined;
    }
    // One word alone ("Xian", "guanxi") is as likely a name in English or French.
    if (spelled < 2 || spelled < 2 * other) return undefined;
    // Characters run together, as Chinese is written; other words keep their spaces.
    return out.join("").replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, "");
  }

  private addPinyinNames(record: CatalogRecord): void {
    const fresh = [record.title.zh, record.short?.zh ?? ""].map((text) => this.pinyin.add(text));
    // A new name can change how the last message reads.
    if (fresh.some(Boolean)) {
      this.pinyinReading.clear();
      this.homophoneReading.clear();
    }
  }

  /** The glossary concepts a text names, as tokens ("deals" and "agreements" are both `~agreement`). */
  conceptsIn(text: string, lang: Language): string[] {
    const latin = latinLanguageOf(lang);
    return this.lexicon.match(analyze(text, latin), latin).flatMap((m) => (m.kind === "concept" ? [m.token] : []));
  }

  /**
   * Countries and cities a text names, and the text without them: "and in Kazakhstan?" names only a
   * place (a follow-up of the last question); "incubators in Uzbekistan" leaves "incubators".
   */
  placesIn(question: string | AnalysedQuery): NamedPlaces {
    const { text, en: analyzed, matches: named } = typeof question === "string" ? this.analyse(question) : question;
    const matches = named.filter((m) => m.kind === "place");
    const countries = new Set<string>();
    const cities = new Set<string>();
    const removed = new Set<number>();
    for (const m of matches) {
      const country = this.lexicon.countryOfToken.get(m.token);
      if (country) countries.add(country);
      else cities.add(m.token.slice(cityToken("").length));
      for (let w = m.from; w < m.to; w++) removed.add(w);
    }
    const words = analyzed.words;
    const isStop = (i: number) => analyzed.keys[i] === null;
    const onlyPlaces = matches.length > 0 && words.every((_, i) => removed.has(i) || isStop(i));
    // Stop words before a place go with it ("in", "в", "au"); in Chinese also those after it ("的").
    for (const i of [...removed].sort((a, b) => a - b)) {
      for (let j = i - 1; j >= 0 && isStop(j) && !removed.has(j); j--) removed.add(j);
      if (words[i]?.script === "han")
        for (let j = i + 1; j < words.length && isStop(j) && !removed.has(j); j++) removed.add(j);
    }
    // Offsets are in the folded text, which has the original's length unless folding expanded a character.
    const source = analyzed.folded.length === text.length ? text : analyzed.folded;
    let rest = "";
    let at = 0;
    words.forEach((word, i) => {
      if (!removed.has(i)) return;
      rest += source.slice(at, word.start);
      at = word.end;
    });
    rest += source.slice(at);
    rest = rest.replace(/\s+/g, " ").replace(/^[\s,;:，；：、]+|[\s?!.,;:？！。，；：、]+$/gu, "");
    return { countries: [...countries], cities: [...cities], onlyPlaces, rest };
  }

  /** Records passing the filters, newest first: browsing without a question. */
  browse(filters: SearchFilters = {}, options: Omit<SearchOptions, "filters"> = {}): SearchResponse {
    return this.page("", options.langHint ?? "en", [], this.browseHits(filters), options);
  }

  private browseHits(filters: SearchFilters | undefined): SearchHit[] {
    const today = this.today();
    return this.records
      .filter((_, slot) => this.passes(slot, filters, today))
      .sort(
        (a, b) => recordDate(b.record).localeCompare(recordDate(a.record)) || a.record.id.localeCompare(b.record.id),
      )
      .map((e) => ({ id: e.record.id, score: 0, confidence: 1, titleCoverage: 0, matches: [] }));
  }

  private page(
    query: string,
    lang: Language,
    countries: string[],
    hits: SearchHit[],
    options: SearchOptions,
  ): SearchResponse {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(0, options.limit ?? 10);
    return { query, lang, countries, total: hits.length, hits: hits.slice(offset, offset + limit) };
  }

  private passes(slot: number, filters: SearchFilters | undefined, today: string): boolean {
    if (this.expiredOn !== today) this.markExpired(today);
    if (this.expired[slot] === 1) return false;
    if (!filters) return true;
    const entry = this.records[slot]!;
    const r = entry.record;
    if (filters.kinds?.length && !filters.kinds.includes(r.kind)) return false;
    if (filters.countries?.length && !filters.countries.some((c) => entry.countries.has(c))) return false;
    if (filters.sectors?.length && !filters.sectors.some((s) => entry.sectors.has(s))) return false;
    if (filters.audiences?.length && !filters.audiences.some((a) => entry.audiences.has(a))) return false;
    return true;
  }

  private markExpired(today: string): void {
    const n = this.records.length;
    if (this.expired.length < n) this.expired = new Uint8Array(Math.max(16, n * 2));
    for (let slot = 0; slot < n; slot++) {
      const expires = this.records[slot]!.record.expires;
      this.expired[slot] = expires && expires < today ? 1 : 0;
    }
    this.expiredOn = today;
  }

  /**
   * Marks the records in the places a query names (see placeMark) and returns the query's stamp: from the
   * places' postings in the meta field, which hold a record's country and city tokens and no other token of
   * a place; from every record's places when the postings cannot be read directly.
   */
  private markPlaces(places: readonly string[]): number {
    const n = this.records.length;
    if (this.placeStamp.length < n || this.stamp === 0x7fffffff) {
      this.placeStamp = new Int32Array(Math.max(16, n * 2));
      this.placeMark = new Uint8Array(this.placeStamp.length);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const { placeStamp, placeMark } = this;
    const mark = (slot: number, bits: number) => {
      placeMark[slot] = (placeStamp[slot] === stamp ? placeMark[slot]! : 0) | bits;
      placeStamp[slot] = stamp;
    };
    const meta = this.fieldMaps?.[META_FIELD];
    for (const place of places) {
      const bits = place.startsWith(CITY_TOKEN_PREFIX) ? PLACE_NAMED | PLACE_CITY_NAMED : PLACE_NAMED;
      if (meta) {
        for (const ids of meta.get(place) ?? []) if (ids) for (const slot of ids) mark(slot, bits);
      } else {
        for (let slot = 0; slot < n; slot++) if (this.records[slot]!.places.has(place)) mark(slot, bits);
      }
    }
    return stamp;
  }

  private idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    const n = this.records.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** A term of the index with its idf and records (see terms); undefined for a term the index lacks. */
  private term(term: string): TermPostings | undefined {
    let found = this.terms.get(term);
    if (found === undefined && this.documentFrequency.has(term)) {
      const fields = this.postingsOf(term).map((slots) => (slots ? firstRecords(slots, CANDIDATE_LIMIT) : undefined));
      let count = 0;
      for (const ids of fields) if (ids) count += ids.length;
      // A bound on what the table holds, whatever words users send (each term at most 5 × 300 records).
      if (this.terms.size >= TERMS_KEPT) this.terms.clear();
      found = { idf: this.idf(term), fields, count };
      this.terms.set(term, found);
    }
    return found;
  }

  /**
   * Splits a query into units — one per meaningful word — each with its alternative index terms:
   * stems in English and French (a Latin word may be either), Chinese bigrams, the concepts and places
   * it is part of, and typo corrections when the word is nowhere in the index.
   */
  private queryUnits(analysed: AnalysedQuery): { units: QueryUnit[]; places: Set<string> } {
    const { text: query, en, fr } = analysed;
    const places = new Set<string>();
    const units: (QueryUnit & { word: number })[] = [];
    const unitsOfWord = new Map<number, number[]>();
    // The characters a Chinese bigram unit covers, for names inside a longer word (see LexiconMatch.within).
    const spanOfUnit = new Map<number, [number, number]>();
    // The verb that opens the asker's description says what they do, and its object what they do it in:
    // "je travaille dans le transfert de technologie" is not about work.
    const askersVerbs = new Set<number>();
    const aboutAsker = askerWords(en, (at) => en.keys[at] === null, askersVerbs);
    const sought = soughtWords(en, (at) => en.keys[at] === null);
    // The sentences around the one that asks: who asks and why (a place there still narrows the question).
    const context = contextWords(en, (at) => en.keys[at] === null);
    const here = asksAboutHere(en);
    const editions = editionWords(en);

    en.words.forEach((word, i) => {
      const key = en.keys[i];
      // "учусь на инженера", "I study in Dushanbe": who studies is a student, which says what suits them.
      const studies = askersVerbs.has(i) && STUDYING.has(word.text) && STUDY_PLACES.has(en.words[i + 1]?.text ?? "");
      if (!studies && (key === null || key === undefined || askersVerbs.has(i))) return;
      const unitsHere: number[] = [];
      const push = (label: string, alts: Alternative[]) => {
        unitsHere.push(units.length);
        units.push({
          label,
          alts,
          weight: 0,
          rarest: 0,
          word: i,
          ...(aboutAsker.has(i) || context.has(i) ? { describesAsker: true } : {}),
          ...(sought.has(i) ? { sought: true } : {}),
        });
      };
      if (studies) {
        push(word.text, [{ term: STUDENT_CONCEPT, factor: FACTOR.concept, via: "concept" }]);
        return;
      }
      if (key === null || key === undefined) return;
      if (word.script === "han") {
        const chars = Array.from(key);
        if (chars.length === 2) push(key, [{ term: key, factor: FACTOR.word, via: "exact" }]);
        // A longer Chinese word is as many units as it has bigrams, so a record has to hold all of them
        // to cover the word (the way CJK bigram analysers work).
        if (chars.length >= 3)
          bigrams(key).forEach((b, at) => {
            if (chars.length === key.length) spanOfUnit.set(units.length, [word.start + at, word.start + at + 2]);
            push(b, [{ term: b, factor: FACTOR.word, via: "exact" }]);
          });
        if (chars.length === 1) {
          const alts: Alternative[] = [{ term: key, factor: FACTOR.word, via: "exact" }];
          const prev = en.words[i - 1];
          const next = en.words[i + 1];
          if (prev?.script === "han" && prev.end === word.start)
            alts.push({ term: Array.from(prev.text).pop()! + key, factor: FACTOR.hanNeighbour, via: "stem" });
          if (next?.script === "han" && next.start === word.end)
            alts.push({ term: key + Array.from(next.text)[0]!, factor: FACTOR.hanNeighbour, via: "stem" });
          push(key, alts);
        }
      } else {
        const alts: Alternative[] = [{ term: key, factor: FACTOR.stem, via: key === word.text ? "exact" : "stem" }];
        const frKey = fr.keys[i];
        if (frKey && frKey !== key)
          alts.push({ term: frKey, factor: FACTOR.stem, via: frKey === word.text ? "exact" : "stem", otherStem: true });
        push(word.text, alts);
      }
      // An ordinal that numbers no edition ("2nd year", "3e année") says which one, as a soft word does.
      const ordinal = ORDINAL.test(word.text) && !editions.has(i);
      if (ordinal || isSoftWord(word.text) || isSoftWord(key) || isSoftInPhrase(en.words, i))
        for (const u of unitsHere) units[u]!.soft = true;
      // "Chine-France", "sino-africain": the partner of a China–X programme names the programme.
      const prev = en.words[i - 1];
      const dashAfterChina =
        prev !== undefined &&
        CHINA_FIRST.has(prev.text) &&
        /^\s*[-–—]\s*$/u.test(en.folded.slice(prev.end, word.start));
      const partner =
        word.script === "han"
          ? (word.text.length === 1 && PARTNER_HAN.has(word.text) && prev?.text === "中" && prev.end === word.start) ||
            (word.text.length === 2 && word.text[0] === "中" && PARTNER_HAN.has(word.text[1]!)) ||
            dashAfterChina
          : dashAfterChina;
      if (partner) for (const u of unitsHere) units[u]!.partner = true;
      if (isInstitutionWord(word.text) || (word.script === "han" && inHanInstitutionWord(en, i)))
        for (const u of unitsHere) units[u]!.institution = true;
      if (REGION_STARTS.test(word.text)) for (const u of unitsHere) units[u]!.region = true;
      unitsOfWord.set(i, unitsHere);
    });

    // Copies: a city's match is changed below into its country's.
    const matches: LexiconMatch[] = analysed.matches.map((m) => ({ ...m }));
    for (const m of matches) {
      // A city the catalog does not have stands for its country (see Alternative.ofCity).
      const ofCity = m.kind === "place" && isGazetteerToken(m.token) ? (m.partial ? "partial" : "whole") : undefined;
      if (ofCity) m.token = countryToken(this.lexicon.countryOfToken.get(m.token)!);
      // China is the other side of every record: a Chinese city the catalog lacks stands for nothing
      // ("an incubator in Chengdu" is not the incubators of other Chinese cities).
      if (ofCity && m.token === CHINA_TOKEN) continue;
      if (m.kind === "place") places.add(m.token);
      // A name inside a longer Chinese word is a name of its own characters' units only (大学 of 清华大学).
      const inName = (u: number) => {
        const span = spanOfUnit.get(u);
        return !m.within || !span || (span[0] >= m.within[0] && span[1] <= m.within[1]);
      };
      if (this.lexicon.names.has(m.token)) {
        const first = unitsOfWord.get(m.from)?.find(inName);
        if (first !== undefined) units[first]!.named = true;
      }
      for (let w = m.from; w < m.to; w++) {
        for (const u of unitsOfWord.get(w) ?? []) {
          if (!inName(u)) continue;
          if (m.kind === "place") {
            units[u]!.isPlace = true;
            if (isAskersPlace(en, m.from) && !here) units[u]!.askers = true;
          }
          const alts = units[u]!.alts;
          if (m.to - m.from >= 2 && this.lexicon.names.has(m.token) && en.words[w]!.script !== "han")
            units[u]!.ofName ??= m.token;
          const known = alts.find((a) => a.term === m.token);
          if (!known) alts.push({ term: m.token, factor: FACTOR[m.kind], via: m.kind, ...(ofCity ? { ofCity } : {}) });
          else if (!ofCity) delete known.ofCity;
          // A city is in its country: "an incubator in Almaty" is also one in Kazakhstan, a little less.
          const country =
            m.kind === "place" ? this.catalog.places.cities[m.token.slice(cityToken("").length)]?.country : undefined;
          if (country && m.token.startsWith(cityToken("")) && !alts.some((a) => a.term === countryToken(country)))
            alts.push({ term: countryToken(country), factor: FACTOR.cityCountry, via: "place", ofCity: "partial" });
          // A city by another of its spellings ("urumchi", "Ouroumtsi") is named as the records spell it too,
          // in their titles and texts as well as among their places.
          if (country && en.words[w]!.script !== "han" && !insideLongerName(matches, m))
            for (const term of this.cityNameTerms(m.token))
              if (!alts.some((a) => a.term === term)) alts.push({ term, factor: FACTOR.place, via: "place" });
        }
      }
    }

    for (const unit of units)
      if ((unit.isPlace || unit.named) && ((context.has(unit.word) && !aboutAsker.has(unit.word)) || here))
        delete unit.describesAsker;

    // A soft word is never typo-corrected: "date" must not become "data".
    const corrections = new Map<number, string>();
    for (const unit of units) {
      if (unit.soft || unit.alts.some((a) => this.term(a.term) !== undefined)) continue;
      const text = en.words[unit.word]!.text;
      if (this.addDiminutiveAlternative(unit)) continue;
      const surface = this.addTypoAlternatives(unit, text) ?? this.addPrefixAlternatives(unit, text);
      if (surface) corrections.set(unit.word, surface);
    }
    if (corrections.size > 0) this.conceptsOfCorrected(en, corrections, unitsOfWord, units);

    const maxIdf = this.idf("");
    const original = en.folded.length === query.length ? query : undefined;
    // In a long Chinese message an unknown word is mostly the asker's own wording ("想把业务拓展到中亚…帮忙"),
    // not a name: no capitals tell the two apart, so length (in words, not bigrams) does. A short one's
    // unknown word is what is asked about (北大研究生招生简章).
    const longHan =
      new Set(units.filter((u) => !u.isPlace && !u.soft && en.words[u.word]!.script === "han").map((u) => u.word))
        .size >= LONG_QUESTION_UNITS;
    const unknownWords = new Set<number>();
    for (const unit of units) {
      const known = unit.alts.filter((a) => this.term(a.term) !== undefined);
      const word = en.words[unit.word]!;
      const name = word.script === "han" ? !longHan && looksLikeName(word, original) : looksLikeName(word, original);
      const unknownWeight = name ? maxIdf : maxIdf * UNKNOWN_WORD_WEIGHT;
      // Of the word's two stemmings, the English one, when the catalog has it, is what a match is measured
      // against: "digital" is "digit-", and a French text's rarer "digital" does not make English matches half ones.
      const englishKnown = known[0] === unit.alts[0];
      const measured = englishKnown ? known.filter((a) => !a.otherStem) : known;
      const idf =
        known.length > 0
          ? Math.max(...measured.map((a) => this.altIdf(unit, a, this.term(a.term)!.idf)))
          : unknownWeight;
      unit.rarest = idf;
      // A city the catalog lacks is as specific as any name, however common its country is.
      const specific =
        known.length > 0 && known.every((a) => a.ofCity === "whole")
          ? Math.max(idf, maxIdf * UNKNOWN_WORD_WEIGHT)
          : idf;
      unit.weight = specific * (unit.soft && !unit.isPlace ? SOFT_WEIGHT : 1);
      // A year names one edition of a thing ("the SCO summit 2019"), a proper name the thing itself ("the
      // Belt and Road forum"): a record without them is about something else, however common the year
      // or the name is in the catalog.
      // A partner is a word the catalog lacks, a place or a name ("China-linked" names no partner).
      unit.partner &&=
        word.script === "han" || known.length === 0 || unit.isPlace === true || looksLikeName(word, original);
      // A country the question asks about: a record in other countries answers another question ("the
      // Huo-Yan lab in Laos" is not the one in Brunei). China is not one: it is the other side of every record.
      if (
        (unit.isPlace || unit.region) &&
        !unit.askers &&
        !unit.describesAsker &&
        !unit.alts.some((a) => a.term === CHINA_TOKEN)
      )
        unit.absence = maxIdf * PLACE_ABSENCE;
      const edition = YEAR.test(word.text) || editions.has(unit.word);
      if (unit.institution) unit.absence = maxIdf;
      else if (edition || unit.named || unit.partner)
        unit.absence = maxIdf * (edition || unit.partner ? YEAR_ABSENCE : 1);
      if (known.length === 0) unknownWords.add(unit.word);
    }
    // A word the catalog lacks right next to an institution's word is its name ("Tsinghua summer camp",
    // "стипендия СПбГУ", 清华夏令营): a record without it is another institution, as with a year.
    const institutions = new Set(units.filter((u) => u.institution).map((u) => u.word));
    for (const unit of units) {
      if (!unknownWords.has(unit.word) || unit.isPlace || unit.soft || unit.describesAsker) continue;
      // A lone Chinese character is grammar or half a word (下一届), not a name; an alphabetic word is one
      // only when written as one (МГУ, "a Tsinghua camp"): in lower case it is as often an adjective or a
      // typo ("летний лагерь", "sumer camp").
      const word = en.words[unit.word]!;
      if (word.script === "han" ? Array.from(word.text).length < 2 : !looksLikeName(word, original)) continue;
      if (!nextToInstitution(unit.word, units, institutions)) continue;
      unit.weight = Math.max(unit.weight, maxIdf);
      unit.absence = maxIdf * YEAR_ABSENCE;
    }
    // A city that names a university ("Peking University", "l'Université de Pékin", 北京大学) is its name, not
    // where the answer is: a record in that country is not that university. Only a city, and in Latin letters
    // only "University" written as a name: "an Almaty university incubator" asks for one in Almaty.
    for (const unit of units) {
      if (!unit.isPlace || unit.askers || unit.describesAsker) continue;
      if (!unit.alts.some((a) => a.term.startsWith("@c:") || a.ofCity !== undefined)) continue;
      if (!namesUniversity(en, unit.word, original)) continue;
      unit.alts = unit.alts.filter((a) => a.via !== "place");
      delete unit.isPlace;
      // Only a record with the name in its title is that university (see QueryUnit.institution).
      unit.institution = true;
      if (unit.alts.length === 0)
        unit.alts.push({ term: en.keys[unit.word] ?? en.words[unit.word]!.text, factor: FACTOR.word, via: "exact" });
      unit.weight = Math.max(unit.weight, maxIdf);
      unit.absence = maxIdf * YEAR_ABSENCE;
    }
    return { units, places };
  }

  /**
   * A Russian diminutive ("стартапчик", "проектик", "фирмочка", "программки") is the word it is made from:
   * its stem less the suffix, when the index has that stem. Returns whether it added one.
   */
  private addDiminutiveAlternative(unit: QueryUnit): boolean {
    const key = unit.alts[0]?.term;
    const base = key === undefined ? undefined : DIMINUTIVE.exec(key)?.[1];
    if (base === undefined || !this.documentFrequency.has(base)) return false;
    unit.alts.push({ term: base, factor: FACTOR.stem, via: "stem" });
    return true;
  }

  /** Adds the index terms of the nearest known words; returns the nearest word's surface, if any. */
  private addTypoAlternatives(unit: QueryUnit, word: string): string | undefined {
    const allowed = allowedTypos(Array.from(word).length);
    if (allowed === 0) return undefined;
    let found = this.typos.search(word).filter((m) => m.distance > 0 && m.distance <= allowed);
    // Russian written as it sounds: an unstressed о is said, and often typed, а ("маладёжи", "ахшорные").
    // Spelt with о, the word may still hold the typos a word of its length may have; the sound-spelling
    // counts as one more, for the match's weight.
    if (found.length === 0)
      for (const spelt of akanyeSpellings(word)) {
        found = this.typos
          .search(spelt)
          .filter((m) => m.distance <= allowed)
          .map((m) => ({ ...m, distance: m.distance + 1 }));
        if (found.length > 0) break;
      }
    if (found.length === 0) return undefined;
    const best = Math.min(...found.map((m) => m.distance));
    let surface: string | undefined;
    for (const m of found) {
      if (m.distance !== best) continue;
      surface ??= m.term;
      for (const term of this.surfaces.get(m.term) ?? []) {
        if (!unit.alts.some((a) => a.term === term))
          unit.alts.push({ term, factor: best === 1 ? FACTOR.typo1 : FACTOR.typo2, via: "typo" });
      }
    }
    return surface;
  }

  /**
   * A clipped word ("конфе" for конференция, "incub" while typing an inline query): the index terms of
   * the catalog's words that start with it, when there are few. Returns the first such word when they
   * all share one index term (so it can complete a concept), else undefined.
   */
  private addPrefixAlternatives(unit: QueryUnit, word: string): string | undefined {
    if (Array.from(word).length < MIN_PREFIX || !/^[\p{Script=Latin}\p{Script=Cyrillic}]+$/u.test(word))
      return undefined;
    const sorted = this.sortedSurfaces;
    const lo = lowerBound(sorted, word);
    const found: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(word); i++) {
      if (found.length === MAX_PREFIX_WORDS) return undefined;
      found.push(sorted[i]!);
    }
    const terms = new Set(found.flatMap((w) => this.surfaces.get(w) ?? []));
    for (const term of terms)
      if (!unit.alts.some((a) => a.term === term)) unit.alts.push({ term, factor: FACTOR.prefix, via: "prefix" });
    return terms.size === 1 ? found[0] : undefined;
  }

  /**
   * Concepts named once the typos are corrected: "шанхайская организация сотрудничесва" is the SCO,
   * like the phrase spelt right. The corrected text has the same words at the same places, so a
   * concept's span maps back onto the query's units.
   */
  private conceptsOfCorrected(
    analyzed: AnalyzedText,
    corrections: ReadonlyMap<number, string>,
    unitsOfWord: ReadonlyMap<number, number[]>,
    units: QueryUnit[],
  ): void {
    const text = analyzed.words.map((w, i) => corrections.get(i) ?? w.text).join(" ");
    const en = analyze(text, "en");
    if (en.words.length !== analyzed.words.length) return;
    for (const m of [...this.lexicon.match(en, "en"), ...this.lexicon.match(analyze(text, "fr"), "fr")]) {
      if (m.kind !== "concept") continue;
      let spansCorrection = false;
      for (let w = m.from; w < m.to; w++) if (corrections.has(w)) spansCorrection = true;
      if (!spansCorrection) continue;
      for (let w = m.from; w < m.to; w++) {
        for (const u of unitsOfWord.get(w) ?? []) {
          const alts = units[u]!.alts;
          if (!alts.some((a) => a.term === m.token)) alts.push({ term: m.token, factor: FACTOR.typo1, via: "typo" });
        }
      }
    }
  }

  /**
   * The records holding a term, per field (in FIELDS order), as flexsearch ranks them: its resolution
   * slots, best first, of which the first CANDIDATE_LIMIT records count. Read straight from flexsearch's
   * postings, which is what its search of one term returns without the copies; through its search when
   * the postings cannot be read so.
   */
  private postingsOf(term: string): (Slots | undefined)[] {
    const maps = this.fieldMaps;
    if (maps && term !== "" && !term.includes(" ")) return maps.map((map) => map.get(term));
    const found = this.index.search({ query: term, field: FIELDS, limit: CANDIDATE_LIMIT });
    return FIELDS.map((field) => {
      const result = found.find((r) => r.field === field)?.result;
      return result ? [result] : undefined;
    });
  }

  /**
   * Looks up every alternative of every unit in the index and keeps, per record and unit, the best
   * match (score, quality, which alternative, which field) in flat arrays indexed slot × unit.
   */
  /**
   * The idf an alternative of a unit is scored with. A word of a name of several words counts no more than
   * the name: "Southeast" of "Southeast Asia" in ASEAN's title names ASEAN once, as "China–ASEAN" does, not
   * a rarer word besides.
   */
  private altIdf(unit: QueryUnit, alt: Alternative, idf: number): number {
    return unit.ofName !== undefined && alt.term !== unit.ofName
      ? Math.min(idf, this.term(unit.ofName)?.idf ?? this.idf(unit.ofName))
      : idf;
  }

  private collect(units: QueryUnit[], askedKind: CatalogRecord["kind"] | undefined): Accumulator {
    let bound = 0;
    for (const unit of units) for (const alt of unit.alts) bound += this.term(alt.term)?.count ?? 0;
    const U = units.length;
    const acc = this.accumulator.reset(Math.min(bound, this.records.length), U);
    const slotOf = this.slotOf;
    for (let u = 0; u < U; u++) {
      const unit = units[u]!;
      for (let a = 0; a < unit.alts.length; a++) {
        const alt = unit.alts[a]!;
        const found = this.term(alt.term);
        if (found) this.collectTerm(acc, slotOf, unit, u, alt, a, found, askedKind);
      }
    }
    // The slot table is shared between queries: clear only what this one touched.
    for (let slot = 0; slot < acc.count; slot++) slotOf[acc.recordOf[slot]!] = -1;
    return acc;
  }

  /** Records one alternative's matches in the table: per record and unit, the best of them. */
  private collectTerm(
    acc: Accumulator,
    slotOf: Int32Array,
    unit: QueryUnit,
    u: number,
    alt: Alternative,
    a: number,
    { idf: termIdf, fields }: TermPostings,
    askedKind: CatalogRecord["kind"] | undefined,
  ): void {
    const U = acc.units;
    const idf = this.altIdf(unit, alt, termIdf);
    // In a message of some length, a concept of the glossary is what the word means ("партнёров" are
    // partners, "фирма" a company): a record that says it in other words covers most of the word, however
    // rare the word's own form is. (In a short query the word's form is the question: "lunar greenhouse
    // programme" is not any programme.)
    const meaning =
      alt.via === "concept" && idf >= SPECIFIC_CONCEPT && U >= CONCEPT_CONTEXT_UNITS ? CONCEPT_QUALITY : 0;
    const relative = Math.min(1, Math.max(idf / unit.rarest, meaning));
    // A country standing for a city, when a kind of record is asked for (see below).
    const servesKind = alt.ofCity === "partial" && askedKind !== undefined && alt.term !== CHINA_TOKEN;
    const heldElsewhere = alt.ofCity !== undefined && !unit.askers && !unit.describesAsker;
    for (let f = 0; f < FIELDS.length; f++) {
      const ids = fields[f];
      if (!ids) continue;
      const name = FIELDS[f]!;
      const fieldScore = idf * FIELD_WEIGHT[name] * alt.factor * (unit.soft && !unit.isPlace ? SOFT_WEIGHT : 1);
      const fieldQuality = relative * FIELD_QUALITY[name] * alt.factor;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        // A country standing for a city does not reach a record in another city of that country: an
        // incubator in Changchun is not one in Chengdu, while a record of the whole country (the
        // Kazakhstan incubators) still answers "an incubator in Karaganda".
        if (alt.ofCity && this.records[id]!.cityCountries.has(alt.term)) continue;
        // Nor, when the place is asked about, an event held in a city: its other countries took part, and a
        // summit in Astana is another summit. (The asker's own city still finds what its country took part in.)
        if (heldElsewhere && this.records[id]!.record.kind === "event" && this.records[id]!.cities.size > 0) continue;
        // A record of the kind asked for that serves the city's whole country is there as much as in
        // the city: "an incubator in Almaty" is one of the Kazakhstan incubators, not a university in
        // Almaty whose text mentions one. (China is the other side of every record: a Chinese city is asked for itself.)
        const serves = servesKind && this.records[id]!.record.kind === askedKind;
        const breadth = f === TAGS_FIELD ? this.tagFactor[id]! : 1;
        const score = (serves ? unit.rarest * FIELD_WEIGHT[name] : fieldScore) * breadth;
        const quality = (serves ? FIELD_QUALITY[name] : fieldQuality) * breadth;
        let slot = slotOf[id]!;
        if (slot < 0) {
          slot = acc.add(id);
          slotOf[id] = slot;
        }
        const k = slot * U + u;
        if (score > acc.score[k]!) {
          acc.score[k] = score;
          acc.quality[k] = quality;
          acc.alt[k] = a;
          acc.field[k] = f;
        }
      }
    }
  }
}

/** A term's entry in the engine's table of terms (see SearchEngine.terms). */
interface TermPostings {
  idf: number;
  /**
   * Its first CANDIDATE_LIMIT records per field, in FIELDS order, in flexsearch's order (see postingsOf):
   * copied into one array per field, which reads faster than flexsearch's sparse arrays of slots.
   */
  fields: (Int32Array | undefined)[];
  /** How many records that is. */
  count: number;
}

/** A term's records in one field of flexsearch's index: its resolution slots, best first (a slot may be empty). */
type Slots = readonly (readonly number[] | null | undefined)[];

/** The first `limit` records of a term's slots, in order. */
function firstRecords(slots: Slots, limit: number): Int32Array {
  let n = 0;
  for (const ids of slots) if (ids) n += ids.length;
  const out = new Int32Array(Math.min(n, limit));
  let k = 0;
  for (const ids of slots) {
    if (!ids) continue;
    for (let i = 0; i < ids.length && k < out.length; i++) out[k++] = ids[i]!;
    if (k === out.length) break;
  }
  return out;
}

/**
 * flexsearch's postings of each field (term → resolution slots), when its Document exposes them as its
 * own search reads them (`index` by field, each with its `map`); undefined otherwise.
 */
function fieldMapsOf(index: FlexDocument): ReadonlyMap<string, Slots>[] | undefined {
  const fields = (index as unknown as { index?: unknown }).index;
  if (!(fields instanceof Map)) return undefined;
  const maps = FIELDS.map((field) => (fields.get(field) as { map?: unknown } | undefined)?.map);
  return maps.every((map) => map instanceof Map) ? (maps as Map<string, Slots>[]) : undefined;
}

/**
 * Per-query match table: one slot per candidate record, one cell per (slot, unit). One per engine, reused
 * by every query (a search runs to its end before the next begins), so a query allocates none of it.
 */
class Accumulator {
  count = 0;
  /** Units of the running query: cells per slot. */
  units = 0;
  recordOf = new Int32Array(0);
  /** Per slot, the record's score, confidence and title coverage (written by the search for every slot it keeps). */
  final = new Float64Array(0);
  confidence = new Float64Array(0);
  titleCoverage = new Float64Array(0);
  /** Per slot matched in its title, what its score is made of besides the title's coverage (see search). */
  covering = new Float64Array(0);
  titleShare = new Float64Array(0);
  placeBonus = new Float64Array(0);
  kindFactor = new Float64Array(0);
  namesAll = new Uint8Array(0);
  score = new Float64Array(0);
  quality = new Float64Array(0);
  alt = new Int16Array(0);
  field = new Int8Array(0);

  /** Empties the table for `capacity` candidates and `units` units. */
  reset(capacity: number, units: number): this {
    const cells = capacity * units;
    if (this.recordOf.length < capacity) {
      const size = Math.max(capacity, this.recordOf.length * 2);
      this.recordOf = new Int32Array(size);
      this.final = new Float64Array(size);
      this.confidence = new Float64Array(size);
      this.titleCoverage = new Float64Array(size);
      this.covering = new Float64Array(size);
      this.titleShare = new Float64Array(size);
      this.placeBonus = new Float64Array(size);
      this.kindFactor = new Float64Array(size);
      this.namesAll = new Uint8Array(size);
    }
    if (this.score.length < cells) {
      const size = Math.max(cells, this.score.length * 2);
      this.score = new Float64Array(size);
      this.quality = new Float64Array(size);
      this.alt = new Int16Array(size);
      this.field = new Int8Array(size);
    }
    this.count = 0;
    this.units = units;
    // A cell's quality and field are read only where its alternative is set, which sets them too.
    this.score.fill(0, 0, cells);
    this.alt.fill(-1, 0, cells);
    return this;
  }

  add(record: number): number {
    this.recordOf[this.count] = record;
    return this.count++;
  }
}

/** Flags of a unit in UnitTable: it describes the asker; it counts only in a title; it says what is asked about; a place. */
const DESCRIBES_ASKER = 1;
const TITLE_ONLY = 2;
const TOPIC = 4;
const PLACE = 8;
const INSTITUTION = 16;

/**
 * What each unit of the running query weighs for a candidate, worked out once per query rather than per
 * candidate; one per engine, reused by every query.
 */
class UnitTable {
  weight = new Float64Array(0);
  confidenceWeight = new Float64Array(0);
  /** What the unit's absence from a record costs its confidence. */
  absent = new Float64Array(0);
  /** What a unit describing the asker gives back when a record lacks it. */
  askerRelief = new Float64Array(0);
  /** Factor of a match's score (the asker's own place ranks less). */
  rankFactor = new Float64Array(0);
  flags = new Uint8Array(0);

  reset(units: number): this {
    if (this.weight.length < units) {
      const size = Math.max(16, units, this.weight.length * 2);
      this.weight = new Float64Array(size);
      this.confidenceWeight = new Float64Array(size);
      this.absent = new Float64Array(size);
      this.askerRelief = new Float64Array(size);
      this.rankFactor = new Float64Array(size);
      this.flags = new Uint8Array(size);
    }
    return this;
  }
}

/**
 * A candidate's score: what its matches cover, raised by the share of its title the question names (and
 * the record it names), its place and its kind. Never lower for a larger `title` (see search).
 */
function finalScore(
  covering: number,
  title: number,
  inTitleShare: number,
  namesIt: boolean,
  placeBonus: number,
  kindFactor: number,
): number {
  const nameBonus = TITLE_COVERAGE_BONUS * title * inTitleShare + (namesIt ? NAMED_BONUS : 0);
  return covering * (1 + nameBonus) * (1 + placeBonus) * kindFactor;
}

/** The query's units by the terms of their alternatives, for TitleCodes. */
function unitsByTerm(units: readonly QueryUnit[]): Map<string, number[]> {
  const byTerm = new Map<string, number[]>();
  units.forEach((unit, u) => {
    for (const alt of unit.alts) {
      const list = byTerm.get(alt.term);
      if (!list) byTerm.set(alt.term, [u]);
      else if (list[list.length - 1] !== u) list.push(u);
    }
  });
  return byTerm;
}

/**
 * The records' titles as numbers, for the share of a title a query names (see coverage): each title term
 * gets a number, each record's titles a code — per title its count of units, then per unit its count of
 * terms and their numbers — made when a search first needs it; a query links the numbers of its terms to
 * its units. A candidate's title is then read with array reads, not a look-up of every word of its title.
 * One per engine, reused by every query.
 */
class TitleCodes {
  private ids = new Map<string, number>();
  /** Per record slot, its titles' code (undefined until a search needs it). */
  private codes: (Int32Array | undefined)[] = [];
  /**
   * Per term number, the first link (into unitOf and next; -1: none) to the running query's units with that
   * term, valid where stampOf holds the query's stamp.
   */
  private head = new Int32Array(64);
  private stampOf = new Int32Array(64);
  private stamp = 0;
  private unitOf = new Int32Array(64);
  private next = new Int32Array(64);
  private links = 0;
  /** The running query's units by term (see unitsByTerm). */
  private byTerm: ReadonlyMap<string, readonly number[]> = new Map();

  /** A record changed or moved: its code is made again when next needed. */
  forget(slot: number, records: number): void {
    this.codes[slot] = undefined;
    if (this.codes.length > records) this.codes.length = records;
  }

  /** Links the numbers of a query's terms to its units (`byTerm`: the units of each term of its alternatives). */
  start(byTerm: ReadonlyMap<string, readonly number[]>): void {
    if (this.stamp === 0x7fffffff) {
      this.stampOf.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    this.links = 0;
    this.byTerm = byTerm;
    for (const [term, units] of byTerm) {
      const id = this.ids.get(term);
      if (id !== undefined) this.link(id, units);
    }
  }

  /**
   * Share of the record's title (in its best language) that the query names: 1 when the question is the
   * record's name ("SCO" → "Shanghai Cooperation Organisation (SCO)"), small when the title only mentions
   * it. Only the terms of the units matched in this record (`cellAlt` from `base`) count: the share is the record's own.
   */
  coverage(slot: number, entry: IndexedRecord, cellAlt: Int16Array, base: number): number {
    const code = this.codes[slot] ?? this.encode(slot, entry.titleUnits);
    const { head, stampOf, unitOf, next, stamp } = this;
    let best = 0;
    for (let i = 0; i < code.length;) {
      const units = code[i++]!;
      let hit = 0;
      for (let k = 0; k < units; k++) {
        const terms = code[i++]!;
        let named = false;
        for (let t = 0; t < terms && !named; t++) {
          const id = code[i + t]!;
          if (stampOf[id] !== stamp) continue;
          for (let l = head[id]!; l >= 0 && !named; l = next[l]!) if (cellAlt[base + unitOf[l]!]! >= 0) named = true;
        }
        i += terms;
        if (named) hit++;
      }
      if (units > 0) best = Math.max(best, hit / units);
    }
    return best;
  }

  private encode(slot: number, titles: TitleUnits): Int32Array {
    const out: number[] = [];
    for (const title of titles) {
      out.push(title.length);
      for (const unit of title) {
        out.push(unit.length);
        for (const term of unit) out.push(this.idOf(term));
      }
    }
    const code = Int32Array.from(out);
    this.codes[slot] = code;
    return code;
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
      if (id >= this.head.length) {
        this.head = grown(this.head, id + 1);
        this.stampOf = grown(this.stampOf, id + 1);
      }
      // A term numbered while a query runs is linked to its units at once.
      const units = this.byTerm.get(term);
      if (units) this.link(id, units);
    }
    return id;
  }

  private link(id: number, units: readonly number[]): void {
    this.stampOf[id] = this.stamp;
    this.head[id] = -1;
    for (const u of units) {
      if (this.links >= this.unitOf.length) {
        this.unitOf = grown(this.unitOf, this.links + 1);
        this.next = grown(this.next, this.links + 1);
      }
      this.unitOf[this.links] = u;
      this.next[this.links] = this.head[id]!;
      this.head[id] = this.links++;
    }
  }
}

/** A copy of `array` with room for at least `size` items (twice its length at least), the rest zero. */
function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(size, array.length * 2));
  out.set(array);
  return out;
}

/**
 * A title as units of meaning: a concept it names is one unit (with its token and its words), every
 * other word one unit (its stems), a Chinese run one unit per bigram.
 */
function titleUnits(title: string, lang: Language, lexicon: Lexicon): string[][] {
  const latin = latinLanguageOf(lang);
  const analyzed = analyze(title, lang);
  const units: string[][] = [];
  const inConcept = new Map<number, string>();
  for (const m of lexicon.match(analyzed, latin)) {
    if (m.kind !== "concept") continue;
    for (let w = m.from; w < m.to; w++) if (!inConcept.has(w)) inConcept.set(w, m.token);
  }
  const seen = new Set<string>();
  analyzed.words.forEach((word, i) => {
    const key = analyzed.keys[i];
    if (key === null || key === undefined) return;
    const concept = inConcept.get(i);
    if (concept) {
      if (!seen.has(concept)) units.push([concept]);
      seen.add(concept);
      return;
    }
    if (word.script === "han") {
      const chars = Array.from(key);
      if (chars.length === 1) units.push([key]);
      else for (const b of bigrams(key)) units.push([b, key]);
      return;
    }
    if (!seen.has(key)) units.push([key]);
    seen.add(key);
  });
  return units;
}

/** A gazetteer name that is also a word of the catalog (a Han name whose bigrams are all indexed, a one-word name whose stem is). */
/**
 * A cheap first test for isIndexedWord, which stems: a stem is the word's beginning (English turns a
 * final y into i), so a name none of whose beginnings is an index key cannot be one. Most of the
 * gazetteer's names stop here, which keeps the build from stemming every one of them.
 */
function mayBeIndexed(folded: string, keys: ReadonlyMap<string, number>): boolean {
  if (/\p{Script=Han}/u.test(folded) || /['’]/u.test(folded)) return true;
  if (/[\s-]/u.test(folded)) return false;
  // A stop word is never matched, so it counts as indexed (isIndexedWord says so too).
  if (isStopword({ text: folded, script: scriptOf(folded[0] ?? ""), start: 0, end: folded.length })) return true;
  if (keys.has(folded.replace(/y$/, "i"))) return true;
  for (let end = folded.length; end >= 2; end--) if (keys.has(folded.slice(0, end))) return true;
  return false;
}

function isIndexedWord(folded: string, documentFrequency: ReadonlyMap<string, number>): boolean {
  if (/\p{Script=Han}/u.test(folded)) return bigrams(folded).every((b) => documentFrequency.has(b));
  const analyzed = analyze(folded, "en");
  if (analyzed.words.length !== 1) return false;
  const key = analyzed.keys[0];
  return (
    key === null ||
    key === undefined ||
    documentFrequency.has(key) ||
    documentFrequency.has(analyze(folded, "fr").keys[0] ?? "")
  );
}

/**
 * A word written as a name: a capital inside or at its start, digits, or a Chinese word of two or more
 * characters (no case to tell by). A lone Chinese character (建, 站, 办) is a word of the sentence.
 */
function looksLikeName(
  word: { text: string; script: string; start: number; end: number },
  original: string | undefined,
): boolean {
  if (word.script === "han") return Array.from(word.text).length > 1;
  // "G20", "5G", "H2" are names; a bare number ("29 ans", "plus de 2000 membres") is a figure.
  if (/\d/.test(word.text)) return !/^\d+$/.test(word.text);
  if (original === undefined) return false;
  const surface = original.slice(word.start, word.end);
  // A capital inside the word ("KBTU", "iPhone") marks a name anywhere; a first capital only where a
  // sentence does not begin ("Edtech founder in Samarkand…" is a sentence's first word, not a name).
  if (/^.+\p{Lu}/u.test(surface)) return true;
  return /^\p{Lu}/u.test(surface) && !SENTENCE_START.test(original.slice(0, word.start));
}

/** Words for a university, which a city before it ("Peking University", 北京大学) or after "of" names. */
const UNIVERSITY = /^(?:university|universite|университет\p{L}*|大学)$/u;

/**
 * Whether the word at `at` names a university: right before its word, or after it and "de"/"of"; a Latin
 * university word only when capitalised (see queryUnits).
 */
function namesUniversity(analyzed: AnalyzedText, at: number, original: string | undefined): boolean {
  const { words } = analyzed;
  const named = (w: (typeof words)[number] | undefined) =>
    w !== undefined &&
    UNIVERSITY.test(w.text) &&
    (w.script === "han" || (original !== undefined && /^\p{Lu}/u.test(original.slice(w.start, w.end))));
  if (named(words[at + 1])) return true;
  return /^(?:de|d|of)$/u.test(words[at - 1]?.text ?? "") && named(words[at - 2]);
}

/**
 * Whether word `at` stands right next to an institution's word, or is kept from it only by words that
 * name the same kind of thing ("Tsinghua summer camp": summer is a camp word too).
 */
function nextToInstitution(
  at: number,
  units: readonly (QueryUnit & { word: number })[],
  institutions: ReadonlySet<number>,
): boolean {
  const concepts = new Set(
    units
      .filter((u) => institutions.has(u.word))
      .flatMap((u) => u.alts.filter((a) => a.term.startsWith("~")).map((a) => a.term)),
  );
  const sameKind = (word: number) => units.some((u) => u.word === word && u.alts.some((a) => concepts.has(a.term)));
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0; i += step) {
      if (institutions.has(i)) return true;
      if (!sameKind(i)) break;
    }
  }
  return false;
}

/** What comes before a sentence's first word: nothing, or the end of another sentence (and quotes, dashes). */
const SENTENCE_START = /(?:^|[.!?…:;\n])[\s"'«“(\-–—]*$/u;

/**
 * The flexsearch Document behind the engine. Terms arrive analysed and space-separated, so flexsearch
 * only splits them. Its published typings reject per-field `encode` (they are known to be broken), hence
 * the cast to the small surface we use.
 */
function createIndex(): FlexDocument {
  const options = {
    document: {
      id: "id",
      index: FIELDS.map((field) => ({ field, tokenize: "strict", resolution: 3, encode: splitTokens })),
    },
  };
  return new Document(options as never) as unknown as FlexDocument;
}

function splitTokens(text: string): string[] {
  return text.split(" ");
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The clock of an engine given none. */
const systemClock = (): Date => new Date();
const DAY_MS = 86_400_000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function recordDate(record: CatalogRecord): string {
  return record.dates?.start ?? record.source.date;
}

/**
 * Turns texts into index terms (words, bigrams, concept tokens) and remembers surface forms for typo
 * correction. Short texts — vocabulary labels, organisation and city names — repeat across records, so
 * their terms are computed once.
 */
class TextIndexer {
  /** Terms of the short texts seen, while a build indexes the catalog (labels and names repeat across records). */
  private readonly cache = new Map<string, string[]>();
  private caching = true;
  private static readonly CACHED_LENGTH = 160;

  /** While set, receives the word forms seen for the first time (an incremental change adds them to typo correction). */
  fresh: string[] | undefined;

  constructor(
    readonly lexicon: Lexicon,
    readonly surfaces: Map<string, string[]>,
    /** Vocabularies and places the labels of records come from. */
    readonly catalog: Catalog,
  ) {}

  /** Forgets the texts' terms remembered while the catalog was built, and remembers no more. */
  stopCaching(): void {
    this.cache.clear();
    this.caching = false;
  }

  addTerms(text: string, lang: Language, into: Set<string>): void {
    const cacheable = this.caching && text.length <= TextIndexer.CACHED_LENGTH;
    const key = cacheable ? `${lang}\u0000${text}` : "";
    const cached = cacheable ? this.cache.get(key) : undefined;
    if (cached) {
      for (const term of cached) into.add(term);
      return;
    }
    const terms = new Set<string>();
    const analyzed = analyze(text, lang, true);
    indexTerms(analyzed, terms);
    rememberSurfaces(analyzed, this.surfaces, this.fresh);
    for (const m of this.lexicon.match(analyzed, latinLanguageOf(lang))) if (m.kind === "concept") terms.add(m.token);
    if (cacheable) this.cache.set(key, [...terms]);
    for (const term of terms) into.add(term);
  }
}

/** Index terms of one record, per field, with the concepts its texts name. */
function recordFields(record: CatalogRecord, indexer: TextIndexer): Record<MatchField, Set<string>> {
  const catalog = indexer.catalog;
  const fields: Record<MatchField, Set<string>> = {
    title: new Set(),
    summary: new Set(),
    details: new Set(),
    meta: new Set(),
    tags: new Set(),
  };
  for (const lang of LANGUAGES) {
    indexer.addTerms(record.title[lang], lang, fields.title);
    indexer.addTerms(record.summary[lang], lang, fields.summary);
    if (record.details) indexer.addTerms(record.details[lang], lang, fields.details);
    // What a record's figures count is part of what it is about ("the total value of the agreements").
    for (const figure of record.figures) indexer.addTerms(figure.label[lang], lang, fields.details);
    const tags = [
      ...record.sectors.map((s) => catalog.sectors[s]?.[lang]),
      ...record.audiences.map((a) => catalog.audiences[a]?.[lang]),
    ];
    for (const text of tags) if (text) indexer.addTerms(text, lang, fields.tags);
    const meta = [
      ...record.cities.map((c) => catalog.places.cities[c]?.names[lang]),
      ...[...record.organisers, ...record.partners, ...record.contacts].map((p) => p.name[lang]),
    ];
    for (const text of meta) if (text) indexer.addTerms(text, lang, fields.meta);
  }
  for (const c of record.countries) fields.meta.add(countryToken(c));
  for (const c of record.cities) fields.meta.add(cityToken(c));
  if (Object.hasOwn(catalog.glossary, record.kind)) fields.meta.add(conceptToken(record.kind));
  return fields;
}

/** Surface forms → index keys, so a misspelt query word can be mapped to what the index holds. */
/** Indexes one record under `slot`: its fields in flexsearch, its terms in the document frequencies. */
function indexRecord(
  record: CatalogRecord,
  slot: number,
  indexer: TextIndexer,
  index: FlexDocument,
  documentFrequency: Map<string, number>,
  /** Sets of places and tags already made, shared by equal content (see entryOf). */
  shared?: Map<string, ReadonlySet<string>>,
): IndexedRecord {
  const fields = recordFields(record, indexer);
  const doc: Record<string, string | number> = { id: slot };
  for (const field of FIELDS) doc[field] = [...fields[field]].join(" ");
  for (const term of recordTerms(fields)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  index.add(doc);
  const lexicon = indexer.lexicon;
  return entryOf(
    record,
    indexer.catalog,
    LANGUAGES.map((lang) => titleUnits(record.title[lang], lang, lexicon)),
    shared,
  );
}

/** A record's entry: its places and tags as sets, with its title units (the costly part, given). */
function entryOf(
  record: CatalogRecord,
  catalog: Catalog,
  units: IndexedRecord["titleUnits"],
  /** Sets already made, by content: records loaded together share equal sets (they are never changed). */
  shared?: Map<string, ReadonlySet<string>>,
): IndexedRecord {
  const set = (items: string[]): ReadonlySet<string> => {
    if (!shared) return new Set(items);
    const key = items.join("\u0000");
    let found = shared.get(key);
    if (!found) shared.set(key, (found = new Set(items)));
    return found;
  };
  return {
    record,
    countries: set(record.countries),
    sectors: set(record.sectors),
    audiences: set(record.audiences),
    places: set([...record.countries.map(countryToken), ...record.cities.map(cityToken)]),
    cities: set(record.cities.map(cityToken)),
    cityCountries: set(
      record.cities.flatMap((id) => {
        const country = catalog.places.cities[id]?.country;
        return country ? [countryToken(country)] : [];
      }),
    ),
    titleUnits: units,
  };
}

/** A record's entry from a saved index: its title units are decoded when a search first needs them. */
class StoredEntry implements IndexedRecord {
  readonly record: CatalogRecord;
  readonly countries: ReadonlySet<string>;
  readonly sectors: ReadonlySet<string>;
  readonly audiences: ReadonlySet<string>;
  readonly places: ReadonlySet<string>;
  readonly cities: ReadonlySet<string>;
  readonly cityCountries: ReadonlySet<string>;
  /** Coded (a string) until a search first needs them. */
  private units: TitleUnits | string;
  // A decoder shared by all entries, not a closure per record: at 100,000 records a closure and its
  // context each would cost ~10 MB of heap.
  private readonly decode: (text: string) => TitleUnits;

  constructor(entry: IndexedRecord, coded: CodedTitleUnits) {
    ({
      record: this.record,
      countries: this.countries,
      sectors: this.sectors,
      audiences: this.audiences,
      places: this.places,
      cities: this.cities,
      cityCountries: this.cityCountries,
    } = entry);
    ({ text: this.units, decode: this.decode } = coded);
  }

  get titleUnits(): TitleUnits {
    if (typeof this.units === "string") this.units = this.decode(this.units);
    return this.units;
  }

  /** The title units as they were saved: a saved index written again need not decode and code them. */
  coded(): TitleUnits | CodedTitleUnits {
    return typeof this.units === "string" ? { text: this.units, decode: this.decode } : this.units;
  }
}

/** Countries of the catalog's records and of their cities: the gazetteer's cities in them are places. */
function catalogCountriesOf(catalog: Catalog): Set<string> {
  return new Set(
    catalog.records
      .flatMap((r) => [...r.countries, ...r.cities.map((c) => catalog.places.cities[c]?.country ?? "")])
      .filter(Boolean),
  );
}

/** A gazetteer name that is also a word of the catalog, so not a place (see Lexicon.addCountryPlaces). */
function isCatalogWord(name: string, documentFrequency: ReadonlyMap<string, number>): boolean {
  return mayBeIndexed(name, documentFrequency) && isIndexedWord(name, documentFrequency);
}

function recordTerms(fields: Record<MatchField, Set<string>>): Set<string> {
  const all = new Set<string>();
  for (const field of FIELDS) for (const term of fields[field]) all.add(term);
  return all;
}

/** The place bonus of a record in a country the question names (a city is a city: see search). */
function countryBonusOf(entry: IndexedRecord): number {
  return PLACE_BONUS / Math.sqrt(Math.max(1, entry.countries.size));
}

function tagFactorOf(entry: IndexedRecord): number {
  return 1 / Math.sqrt(Math.max(1, entry.sectors.size / SPECIFIC_SECTORS));
}

/**
 * English and French words of a record, for telling the two languages apart (see detectLanguage); of two
 * letters, only acronyms ("AI" is English, "IA" French).
 */
function addVocabulary(record: CatalogRecord, vocabulary: { en: Set<string>; fr: Set<string> }): void {
  for (const lang of ["en", "fr"] as const) {
    for (const text of [record.title[lang], record.summary[lang], record.details?.[lang] ?? ""]) {
      const folded = fold(text);
      const aligned = folded.length === text.length;
      for (const w of words(folded, false))
        if (w.script === "latin" && (w.text.length > 2 || (aligned && /^\p{Lu}{2}$/u.test(text.slice(w.start, w.end)))))
          vocabulary[lang].add(w.text);
    }
  }
}

/** First position in a sorted list whose item is not below `item`. */
function lowerBound(sorted: readonly string[], item: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rememberSurfaces(analyzed: AnalyzedText, surfaces: Map<string, string[]>, fresh: string[] | undefined): void {
  analyzed.words.forEach((w, i) => {
    const key = analyzed.keys[i];
    if (!key || w.script === "han" || w.text.length < 4) return;
    const known = surfaces.get(w.text);
    if (!known) {
      surfaces.set(w.text, [key]);
      fresh?.push(w.text);
    } else if (!known.includes(key)) known.push(key);
  });
}

/** The reading of the last text given, kept until cleared: a message is read twice (language, then analysis). */
class LastReading {
  private last: { text: string; read: string | undefined } | undefined;

  constructor(private readonly read: (text: string) => string | undefined) {}

  of(text: string): string | undefined {
    if (this.last?.text !== text) this.last = { text, read: this.read(text) };
    return this.last.read;
  }

  clear(): void {
    this.last = undefined;
  }
}
