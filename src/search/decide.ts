import type { Catalog, CatalogRecord, Figure, Language, Party } from "../catalog/schema.js";
import { LANGUAGES } from "../catalog/schema.js";
import { isoToday, isUpcoming } from "../catalog/dates.js";
import { upcomingDeadlines } from "../catalog/deadlines.js";
import { analyze, isSoftKey, latinLanguageOf, type AnalyzedText } from "./analyzer.js";
import { askerWords, asksAboutHere, contextWords, isAskersPlace } from "./asker.js";
import { bigrams, fold } from "./text.js";
import type { AnalysedQuery, SearchEngine } from "./engine.js";
import { cityToken, insideLongerName, type LexiconMatch } from "./lexicon.js";
import {
  addressesBot,
  asksFor,
  containsWord,
  CONTACT_HAN,
  CONTACT_WORDS,
  countedAsked,
  comparedParts,
  detailsAsked,
  HEAD_TITLES,
  isHeadPost,
  listAsked,
  mentionsDetail,
  namesAsked,
  postAsked,
  questionKind,
  winnersAsked,
  smalltalkKind,
  thingsAsked,
  type Detail,
  type QuestionKind,
  type SmalltalkKind,
} from "./question.js";
import type { MatchedTerm, SearchFilters, SearchHit, SearchResponse } from "./types.js";

/**
 * The one decision about a message, used by the bot, inline mode, the search CLI and the evaluation:
 * answer it (a record, a direct line for a fact question, alternatives), decline it honestly (with the
 * closest records), or treat it as small talk.
 */

export type ReplyKind = "answer" | "decline" | "smalltalk";

/** The fact a question asks for, taken from the answering record's structured fields. */
export type DirectFact =
  | { kind: "figures"; question: "count" | "amount"; figures: Figure[] }
  | { kind: "date"; start: string; end?: string }
  | { kind: "parties"; parties: Party[] }
  /** Whom the record says to approach ("who should I contact about the contest?"). */
  | { kind: "contacts"; parties: Party[] }
  | { kind: "places"; countries: string[]; cities: string[] }
  /** A sentence of the record (in the reply language) saying what was asked, when no structured field does. */
  | { kind: "sentence"; text: string };

export interface Decision {
  kind: ReplyKind;
  /** The language the message is written in (detected, with the caller's hint). */
  lang: Language;
  /** Search results, best first (empty for small talk). */
  response: SearchResponse;
  /** The answering record when `kind` is "answer". */
  record?: CatalogRecord;
  /** What the question asks for, when it asks for a fact. */
  question: QuestionKind | null;
  direct: DirectFact | null;
  /** A second fact the question asks for besides the first ("quand et où ?", "when was it founded and where is its secretariat?"). */
  also?: DirectFact;
  smalltalk: SmalltalkKind | null;
  /** The best hit's confidence (0 when nothing matched). */
  confidence: number;
  /** Declined because the question asks for a detail the record that would answer it does not hold. */
  missing?: Detail;
  /**
   * Declined because the record that would answer says its source does not give what was asked ("The
   * source does not name the experts."): that sentence, in the reply language.
   */
  unsaid?: string;
}

export interface DecideOptions {
  langHint?: Language;
  filters?: SearchFilters;
  /** Hits to return (default 10). */
  limit?: number;
  /** Minimum confidence of an answer (the bot's ANSWER_THRESHOLD). */
  threshold?: number;
  /** The message already analysed by the engine (`engine.analyse(text)`), when the caller has it. */
  analysed?: AnalysedQuery;
  /** The message's language when the caller has already detected it with the engine (see SearchOptions.lang). */
  lang?: Language;
  /** Today (ISO date, UTC), which tells a record of an edition still ahead from a past one; default the clock's. */
  today?: string;
}

/**
 * Confidence at or above which the best hit is an answer. Chosen on the tuning part of the dev set
 * (eval/dev-tuning.yaml) as the value that keeps false declines low while declining the questions the
 * catalog cannot answer; see the README.
 */
export const DEFAULT_THRESHOLD = 0.45;

/**
 * A message of this many units (words; Chinese words as their bigrams) or more is long, and answers at
 * LONG_MESSAGE_THRESHOLD of the threshold. Chosen on the tuning parts (1–7): of their messages this long
 * whose best record scored between 0.30 and 0.45, 31 were right and none was one the catalog cannot
 * answer (7 were wrong answers, which were false declines before); at ten units two would have been.
 */
const LONG_MESSAGE_UNITS = 12;
const LONG_MESSAGE_THRESHOLD = 2 / 3;

/** Words for countries or member states: "the full list of SCO members" asks for states, of an alliance not. */
const STATES = /(?<!\p{L})(countr\p{L}*|states?|pays|etats?|стран\p{L}*|государств\p{L}*)(?!\p{L})|国家|成员国/u;
/** An organisation whose members are states (the SCO, ASEAN), by its English title. */
const OF_STATES = /\b(Organisation|Organization|Association|Nations|Union)\b/;

/** "…and which ones?" after a count: the items counted are asked too. */
const WHICH_ONES =
  /\b(?:which|what) (?:ones|are they|were they)\b|\b(?:lesquel(?:le)?s|quels sont[- ]ils|quelles sont[- ]elles)\b|(?:^|[\s,;.?!])(?:и |а )?какие(?: именно| это)?\s*(?:[?!.]|$)|哪几个[？?。]?$|都是哪|分别是哪|有哪些[？?。]?$/u;

/**
 * Whether the question names cities (as places: not inside a longer name — "Shanghai Cooperation
 * Organisation" —, nor the asker's own, nor where someone or something comes from or belongs) and the hit
 * matched none of them,
 * neither among its places nor in its text ("…in Beijing or Shanghai?" is the Beijing forum's).
 */
function namesOtherCity(record: CatalogRecord, analysed: AnalysedQuery, hit: SearchHit): boolean {
  if (record.cities.length === 0) return false;
  const cities = askedCities(analysed);
  return cities.length > 0 && !cities.some((m) => matchesCity(analysed, hit, m));
}

/**
 * The cities a question names as places: not inside a longer name ("Shanghai Cooperation Organisation"),
 * nor the asker's own or in the sentences around the question, nor where someone or something comes from
 * or belongs ("from Beijing", "Shanghai companies").
 */
function askedCities(analysed: AnalysedQuery, { here = false } = {}): LexiconMatch[] {
  const { matches, en } = analysed;
  const english = matches.slice(0, analysed.englishMatches);
  const named = english.filter((m) => m.kind === "place" && m.token.startsWith("@c:"));
  if (named.length === 0) return [];
  // Sentences around the question say who asks and why ("I work for a company in Shanghai. …?").
  const filler = (at: number) => en.keys[at] === null;
  const context = new Set([...askerWords(en, filler), ...contextWords(en, filler)]);
  // "I am in Harbin, any incubator here?": the asker's city is the one asked for, when they say so.
  const asksHere = here && asksAboutHere(en);
  return named.filter(
    (m) =>
      !insideLongerName(english, m) &&
      (asksHere || (!isAskersPlace(en, m.from) && !context.has(m.from))) &&
      !ORIGIN.test(en.folded.slice(Math.max(0, en.words[m.from]!.start - ORIGIN_REACH), en.words[m.from]!.start)) &&
      !OF_THE_CITY.test(en.folded.slice(en.words[m.to - 1]!.end)),
  );
}

/** Whether a hit matched the city as a place or by name (a Chinese one by its bigrams), not through its country. */
function matchesCity(analysed: AnalysedQuery, hit: SearchHit, city: LexiconMatch): boolean {
  const { en } = analysed;
  return hit.matches.some(
    (h) =>
      !COUNTRY_TOKEN.test(h.term) &&
      (h.term === city.token ||
        en.words
          .slice(city.from, city.to)
          .some((w) => h.query === w.text || (w.script === "han" && w.text.includes(h.query)))),
  );
}

/** A record in the city asked for, scoring this close to a best one elsewhere, goes first (see preferNamedCity). */
const CITY_WINDOW = 0.75;

/**
 * "Is there an incubator in Harbin that connects to Xinjiang?": Harbin's own incubator, not the Xinjiang
 * one that matches more of the words. Among the hits close to a best incubator that is in none of the
 * cities asked for, the first incubator that is in one of them, sure enough to answer, goes first.
 */
function preferNamedCity(
  engine: SearchEngine,
  response: SearchResponse,
  analysed: AnalysedQuery,
  needed: number,
): void {
  const hits = response.hits;
  const top = hits[0];
  const record = top && engine.get(top.id);
  // Incubators are of one city each; a body of a whole country (the ASEAN secretariat in Jakarta) is not.
  if (!top || record?.kind !== "incubator") return;
  const cities = new Set(askedCities(analysed, { here: true }).map((m) => m.token));
  const inAskedCity = (r: CatalogRecord) => r.cities.some((c) => cities.has(cityToken(c)));
  if (cities.size === 0 || inAskedCity(record)) return;
  promote(
    hits,
    closeAndSure(hits, CITY_WINDOW, needed, (h) => {
      const r = engine.get(h.id);
      return r?.kind === record.kind && inAskedCity(r);
    }),
  );
}

/**
 * A yes/no question whether someone belongs to or takes part in something, with the span of who: "does
 * [Tsinghua University] take part in…", "[Alibaba] fait partie de…", "участвует ли [Сбер] в…",
 * "[比亚迪]是不是…的成员". Searched in the folded text; the group `who` is the asked-about member.
 */
const MEMBERSHIP = [
  /(?:^|[,.;:!?]\s*)(?:is|are|was|were|does|do|did|has|have)\s+(?<who>[^\s?!.,;]+(?:\s+[^\s?!.,;]+){0,3}?)\s+(?:(?:already|also|really|still|ever|actually)\s+)?(?:an?\s+members?\s+of|members?\s+of|part\s+of|take\s+part|taking\s+part|participat\p{L}*|involved\s+in|joined|belong\p{L}*\s+to|an?\s+partner\s+of|partner\p{L}*\s+with|cooperat\p{L}*\s+with|collaborat\p{L}*\s+with)(?!\p{L})/u,
  /(?:^|est-ce qu(?:e\s+|')|[,;:!?]\s*)(?<who>(?:[^\s?!.,;]+\s+){0,3}[^\s?!.,;]+)\s+(?:fait partie|font partie|participe(?:nt)?|est membre|sont membres)(?!\p{L})/u,
  /^(?<who>[^\s?!.,;]+(?:\s+[^\s?!.,;]+){0,2}?)\s+(?:участву\p{L}*|сотруднича\p{L}*|входит|входят)\s+(?:в|во|с|со)\s/u,
  /(?<!\p{L})(?:участву\p{L}*|сотруднича\p{L}*|входит|входят) ли\s+(?<who>[^\s?!.,;]+(?:\s+[^\s?!.,;]+){0,2})/u,
  /(?<who>\p{Script=Han}{2,8}?)(?:有没有|有沒有|是否|是不是|有无|有無)(?:参加|參加|参与|參與|加入|.{0,20}成员|.{0,20}成員)/u,
];

/**
 * Whether the question asks if someone is a member of or takes part in the record's programme, and the
 * record does not name them: it cannot say ("Is Huawei a member of the alliance?" — the alliance's record
 * names no company). Words of the member that are grammar (articles, "there") do not count.
 */
function asksUnnamedMember(engine: SearchEngine, analysed: AnalysedQuery, response: SearchResponse): boolean {
  const { en } = analysed;
  const hit = response.hits[0];
  if (!hit) return false;
  for (const pattern of MEMBERSHIP) {
    const found = pattern.exec(en.folded);
    const who = found?.groups?.who;
    // "How does a startup take part…", "comment une startup participe…": a question of how, not whether.
    if (!found || !who || ASKS_HOW.test(who)) continue;
    const start = found.index + found[0].indexOf(who);
    const end = start + who.length;
    // The member's words; after the verb (Russian), up to the first grammar word after one that says
    // something ("ли Сбер в платформе"), before it the whole name ("l'Université de Pékin participe").
    const after = found[0].startsWith(who) === false && found[0].endsWith(who);
    const member: number[] = [];
    for (let i = 0; i < en.words.length; i++) {
      const w = en.words[i]!;
      if (w.start < start || w.end > end) continue;
      if (en.keys[i] === null) {
        if (after && member.length > 0) break;
        continue;
      }
      member.push(i);
    }
    if (member.length === 0) continue;
    // "浙江大学有没有参加…": a Chinese body's name (a place and 大学) that the record's text does not hold.
    const record = engine.get(hit.id);
    if (HAN_BODY.test(who) && record && !record.summary.zh.includes(who) && !record.details?.zh.includes(who))
      return true;
    // A member is named by a word no record met ("Huawei", "МГУ", 比亚迪), not by words the catalog has
    // ("Do Chinese universities take part…").
    const metBy = (h: SearchHit, i: number) => {
      const w = en.words[i]!;
      return h.matches.some((m) => m.query === w.text || (w.script === "han" && w.text.includes(m.query)));
    };
    return member.some((i) => !GENERIC_HAN.has(en.words[i]!.text) && !response.hits.some((h) => metBy(h, i)));
  }
  return false;
}

/** Chinese words that qualify a member without naming one ("外国初创企业是否参加…"). */
const GENERIC_HAN = new Set(["外国", "国外", "海外", "本地", "当地"]);

/** A Chinese body's name: its last word says what kind of body it is (浙江大学, 比亚迪公司). */
const HAN_BODY = /^\p{Script=Han}{2,}(?:大学|学院|公司|集团|银行|研究院)$/u;

/** Question words that make a "does X take part" a question of how or which ("comment une startup participe…"). */
const ASKS_HOW =
  /(?<!\p{L})(?:how|which|what|who|why|when|comment|quel\p{L}*|pourquoi|quand|как\p{L}*|каки\p{L}*|кто|почему|когда)(?!\p{L})|如何|怎么|怎样|哪些|什么/u;

/**
 * The share of a question in words the catalog lacks from which a record met only in its running text is
 * about something else ("python list comprehension example": 0.35); a chat word ("who is jin fujian lol") is less.
 */
const INCIDENTAL_UNKNOWN = 0.3;

/** A match in a record's running text by the word itself, not through a concept or a place. */
function isIncidental(match: MatchedTerm): boolean {
  return (match.field === "summary" || match.field === "details") && match.via !== "concept" && match.via !== "place";
}

/** Where someone or something comes from, just before a city: "from Beijing", "de Pékin", "из Пекина", 来自北京. */
const ORIGIN = /(?:(?<!\p{L})(?:from|de|d'|des|из|от) |来自)$/u;
const ORIGIN_REACH = 6;
/** A city saying whose, just before what it qualifies: "Shanghai companies", 上海企业. */
const OF_THE_CITY =
  /^\s*(?:companies|company|firms?|businesses|startups?|universities|entreprises|societes|компани\p{L}*|фирм\p{L}*|предприяти\p{L}*)(?!\p{L})|^(?:企业|公司|的企业|的公司)/u;
const COUNTRY_TOKEN = /^@[a-z]{2}$/;

/** Words for bodies in general: institutions, organisations, structures (机构, учреждения). */
const BODIES =
  /(?<!\p{L})(?:institutions?|organi[sz]ations?|bodies|structures|organismes|учреждени\p{L}*|организаци\p{L}*)(?!\p{L})|机构|機構/u;

/** The keys of the things a which-question asks for that the record's title does not name (see thingsAsked). */
function thingsBeyondTitle(record: CatalogRecord, asked: AskedWords): Set<string> {
  const title = asked.titleKeysOf(record);
  return new Set([...asked.thingsKeys()].filter((k) => !title.has(k)));
}

/** Asking how to reach someone: "contacts of the rector", "контакты ректора", 校长的联系方式. */
const CONTACTS = /(?<!\p{L})(?:contacts?|coordonnees|контакт\p{L}*)(?!\p{L})|联系方式|联系人/u;

/** Running or managing something: "who operates", "哪个机构运营", "qui gère", "кто управляет". */
const RUNS =
  /(?<!\p{L})(?:run|runs|operat\p{L}*|manag\p{L}*|g[eè]re\p{L}*|exploit\p{L}*|управля\p{L}*|руковод\p{L}*)(?!\p{L})|运营|管理|负责|经营|運營/u;

/** A question of how to apply or join ("how to apply", "comment postuler", "как подать заявку", 怎么报名). */
const HOW_TO =
  /(?<!\p{L})(?:how (?:to|do i|do we|can i|can we|does one|should i|should we) (?:apply|join|register|enrol|enroll|sign up|take part|participate|get in)|comment (?:postuler|candidater|s'inscrire|participer|rejoindre|y participer|y entrer)|как (?:подать|поступить|записаться|попасть|участвовать|присоединиться))(?!\p{L})|(?:怎么|怎麼|如何|怎样|怎樣)(?:申请|申請|报名|報名|参加|參加|加入)/u;

/** Among hits this close to the best, one holding the asked fact is preferred. */
const FACT_RERANK_WINDOW = 0.8;

export function decide(engine: SearchEngine, text: string, options: DecideOptions = {}): Decision {
  const limit = options.limit ?? 10;
  // A message sent with filters (a list being narrowed) is a search, whatever its words.
  const filtered = Object.values(options.filters ?? {}).some((values) => Array.isArray(values) && values.length > 0);
  const smalltalk = filtered ? null : smalltalkKind(text);
  if (smalltalk) {
    // A command's name says nothing of the user's language; any other small talk is words of one.
    const lang =
      smalltalk === "command" ? (options.langHint ?? "en") : (options.lang ?? engine.language(text, options.langHint));
    return smalltalkDecision({ query: text, lang, countries: [], total: 0, hits: [] }, smalltalk);
  }
  // "The difference between X and Y": X's record, and Y's first among the others, when each part is answered.
  const compared = filtered ? null : comparedParts(text);
  if (compared) {
    const lang = options.lang ?? engine.language(text, options.langHint);
    const [a, b] = compared.map((part) => decide(engine, part, { ...options, lang, analysed: undefined }));
    if (a?.kind === "answer" && b?.kind === "answer" && a.record && b.record && a.record.id !== b.record.id) {
      const other = b.response.hits[0]!;
      const hits = [a.response.hits[0]!, other, ...a.response.hits.slice(1).filter((h) => h.id !== other.id)];
      const { also: _also, ...answer } = a;
      return {
        ...answer,
        response: { ...a.response, query: text, hits: hits.slice(0, limit) },
        question: null,
        direct: null,
      };
    }
  }
  const question = questionKind(text);
  // Analysed once, for the search and for matching the question against the record's sentences.
  const analysed = options.analysed?.text === text ? options.analysed : engine.analyse(text);
  const response = engine.search(analysed, {
    langHint: options.langHint,
    lang: options.lang,
    filters: options.filters,
    limit,
  });
  // A message of nothing but grammar words ("who are you exactly?", "are you there?", "ты тут?") asks the
  // catalog nothing: it speaks to the bot, or it is chat.
  if (!filtered && response.units === 0 && /\p{L}/u.test(text))
    return smalltalkDecision(response, addressesBot(text) ? "help" : "ack");
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  // A long message says who asks, from where and why as well as what: what the best record covers of it
  // is diluted by that context, so it answers at two thirds of the threshold.
  const needed = (response.units ?? 0) >= LONG_MESSAGE_UNITS ? threshold * LONG_MESSAGE_THRESHOLD : threshold;
  // A year names one edition ("the 2023 forum"): a record that has the year but not the thing is no surer.
  preferSurer(response, YEAR_IN_TEXT.test(text) ? undefined : needed);
  preferCentral(engine, response);
  const asked = askedWords(engine, analysed, response.lang);
  const post = postAsked(text);
  if (question) preferFactHolders(engine, response, question, asked, post);
  else if (!filtered) preferStanding(engine, response, text, needed);
  if (!filtered) preferNamedCity(engine, response, analysed, needed);
  const best = response.hits[0];
  const record = best ? engine.get(best.id) : undefined;
  const confidence = best?.confidence ?? 0;
  const answered = record !== undefined && confidence >= needed;
  const decline = (why: Pick<Decision, "missing" | "unsaid"> = {}): Decision => ({
    kind: "decline",
    lang: response.lang,
    response,
    question,
    direct: null,
    smalltalk: null,
    confidence,
    ...why,
  });
  if (!answered) return decline();
  // "The hidden champions forum in Shanghai", "a Sino-German industrial park in Shenyang": an event, a
  // zone or a programme of one city is another one in another city. (An incubator or an organisation in
  // another city of the country may still be the partner asked for: see the engine's places.)
  if (!isInstitution(record) && namesOtherCity(record, analysed, best!)) return decline();
  if (asksUnnamedMember(engine, analysed, response)) return decline();
  // "Phone number of the Urumqi bureau", "frais d'inscription du camp": the record is the right one, but
  // what is asked is not in it — say so rather than answer with a card that does not hold it.
  // "Who is the SCO's secretary-general?": a record that never speaks of the post does not say who holds it.
  // "Who won the contest last year?": a record that never speaks of winners does not say who won.
  // "Who heads it?" asks an institution's head; a project's or an event's is who leads it, its organisers.
  const headless = isHeadPost(post) && !isInstitution(record);
  // "When is the next contest?", "…下一届在哪个城市举办？": asked beside other questions too, since a record
  // without a date still ahead answers none of them for the next edition.
  const holds = (d: Detail) =>
    holdsDetail(record, d, {
      countries: response.countries,
      catalog: engine.catalog,
      today: options.today ?? isoToday(),
    });
  // Of several details asked ("怎么申请？有截止日期吗"), one the record holds is answered.
  const details = detailsAsked(text);
  const detail =
    (mentionsDetail(text, "next") ? "next" : null) ??
    details.find(holds) ??
    details[0] ??
    ((question === "who" || (question === null && CONTACTS.test(fold(text)))) &&
    !headless &&
    !speaksOfPost(record, post) &&
    // "应该联系谁？" asks whom to approach, which the record's contacts say, whatever post the asker holds.
    !(asked.contactAsked && record.contacts.length > 0)
      ? "person"
      : null) ??
    (!speaksOfPost(record, winnersAsked(text)) ? "winners" : null);
  if (detail && !holds(detail)) return decline({ missing: detail });
  // "python list comprehension example": words the catalog lacks, and a record met only by words of its
  // running text ("comprehensive", "for example") — no title, tag, concept or place — is about something else.
  if ((response.unknown ?? 0) >= INCIDENTAL_UNKNOWN && best!.matches.every(isIncidental)) return decline();
  // "La liste des 28 provinces signataires du manifeste": the items of a set the record only counts.
  const listed = listAsked(text);
  // "The full list of ASEAN members" is answered by the record's countries.
  const listsCountries =
    question === "countries" &&
    record.countries.length > 1 &&
    (STATES.test(fold(text)) || OF_STATES.test(record.title.en));
  if (listed && !listsCountries && countsWithoutListing(record, listed, asked, response.lang))
    return decline({ missing: "list" });
  // "长沙有哪些合作机构", "which organisations are there in Changsha": bodies asked for, the record is one —
  // whatever its text says its source lacks (an address, "运营机构"). Not so the body that runs it
  // ("哪个机构运营长沙的中心？"), which is what the source lacks.
  const bodiesAsked = question === "which" && BODIES.test(fold(thingsAsked(text) ?? ""));
  const bodyAsked = bodiesAsked && isInstitution(record) && !RUNS.test(fold(text));
  const said = detail ? detailSentence(record, detail, response.lang) : undefined;
  // "How do I apply?" is what a programme's card and links are for; its conditions, forms and age limits
  // are not, when its own sentence on them says the source does not give them ("The source gives no
  // application dates or eligibility rules").
  if (said && UNSAID.test(said) && !HOW_TO.test(fold(text))) return decline({ unsaid: said });
  const answer = said
    ? ({ kind: "sentence", text: said } as const)
    : question
      ? directAnswer(record, question, asked, response.lang, post)
      : null;
  // Nor is the record's sentence on what its source lacks the answer to bodies asked for.
  const direct: DirectFact | null =
    bodyAsked && answer?.kind === "sentence" && UNSAID.test(answer.text) ? null : answer;
  // "Which universities host the centre?" answered by "The announcement did not give host universities":
  // the record is the right one, and it says the answer is not known. So is "les critères d'éligibilité
  // du programme" met by "La source ne donne ni dates de candidature ni critères d'éligibilité".
  // Most records say nothing of what their source lacks: then neither question is asked.
  const saysUnsaid = !bodyAsked && asked.sentencesOf(record, response.lang).some((p) => asked.unsaidKeysOf(p));
  const unsaid = !saysUnsaid
    ? undefined
    : (focusUnsaid(record, question, asked, response.lang) ??
      (direct && direct.kind !== "sentence" ? undefined : unsaidSentence(record, asked, response.lang)));
  if (unsaid) return decline({ unsaid });
  // "天津论坛那21个项目分别是哪些公司签的": things asked for that no sentence of the record lists, and that
  // the record is not one of, are not in it.
  // Bodies ("which organisations were behind the forum") are its organisers and partners, which the card shows.
  if (question === "which" && direct === null && !bodiesAsked) {
    const things = asked.thingsKeys();
    if (things.size > 0 && thingsBeyondTitle(record, asked).size === things.size) return decline();
  }
  // "What is the budget of…", "how many staff…": a figure the record lacks, named by a word the catalog
  // lacks, is a question the catalog cannot answer, however well the rest names the record.
  if ((question === "count" || question === "amount") && direct === null && (response.unknown ?? 0) > 0)
    return decline();
  // "How many visitors attended the forum?": how many people came is not the count of agreements the record
  // gives; unless a figure or a sentence of the record names them, the record does not say.
  if (question === "count" && direct?.kind === "figures" && record.kind === "event" && peopleCounted(text))
    if (countedUnnamed(record, asked)) return decline({ missing: "attendance" });
  // "When will the lunar station be finished?": a record with no date for what is asked says nothing of
  // when. A question of nothing but the record and when ("when was the SCO energy platform launched?") is
  // its card's: a record without dates tells of its beginnings in its text ("announced … in 2025").
  // A deadline is asked otherwise (see detailsAsked), with other questions ("怎么申请？有截止日期吗").
  if (
    question === "when" &&
    direct === null &&
    wantedKeys(record, asked).size > 0 &&
    !asksFor(text, "where") &&
    !mentionsDetail(text, "deadline")
  )
    return decline({ missing: "date" });
  // "Quand et où ?", "какого числа она прошла и сколько соглашений там подписали?": two facts asked.
  const second =
    question === "when" && asksFor(text, "where")
      ? "where"
      : (question === "count" || question === "amount" || question === "where") && asksFor(text, "when")
        ? "when"
        : question === "count" && WHICH_ONES.test(fold(text))
          ? "which"
          : null;
  const also = direct && second ? directAnswer(record, second, asked, response.lang) : null;
  return {
    kind: "answer",
    lang: response.lang,
    response,
    record,
    question,
    direct,
    ...(also ? { also } : {}),
    smalltalk: null,
    confidence,
  };
}

function smalltalkDecision(response: SearchResponse, smalltalk: SmalltalkKind): Decision {
  return { kind: "smalltalk", lang: response.lang, response, question: null, direct: null, smalltalk, confidence: 0 };
}

/**
 * Words with which a record's text speaks of a detail it has no field for: what taking part costs ("free
 * of charge", "sans frais") and deadlines ("the source gives no deadlines" answers the question too).
 */
const DETAIL_WORDS: Partial<Record<Detail, RegExp>> = {
  fee: /(?<!\p{L})(fees?(?!\p{L})|free of charge|tuition|frais|gratuit|бесплатн|взнос|оплат)|免费|费用|学费/iu,
  deadline: /(?<!\p{L})(deadlines?|dates? limites?|срок(и|ов)? подачи|крайн(ий|их) срок)(?!\p{L})|截止/iu,
  // Applying to get in, not AI "applications", "helped apply technologies" or "la plateforme s'inscrit dans…".
  admission:
    /(?<!\p{L})(eligib|admission|admitted|appl(y|ying) (for|to|online)|application (procedure|process|form|dates?|rules|period|deadlines?|requirements)|applications? (open|close)|applicants?|candidat|postul|inscription|inscrire|заявк|заявок|поступлени|отбор|услови\p{L}* участия)|申请|报名|录取|招生/iu,
  visa: /(?<!\p{L})(visas?|виз(а|у|ы|е|ой|ам|ами|ах)?)(?!\p{L})|签证/iu,
  biography: /(?<!\p{L})(biograph|биографи)|生平|履历/iu,
  scholarship: /(?<!\p{L})(scholarships?|bourses? d'|стипенди)|奖学金/iu,
  internship: /(?<!\p{L})(internships?|interns?(?!\p{L})|stagiaires?|stages? en entreprise|стажир)|实习/iu,
  jobs: /(?<!\p{L})(job offers?|vacanc|recruit|hiring|offres? d'emploi|recrut|embauch|ваканси|трудоустро)|招聘/iu,
};

/** Whether a record's text (title, summary, details, any language) names a post (or winners) the question asks about; true for none. */
function speaksOfPost(record: CatalogRecord, post: readonly string[] | null): boolean {
  if (!post) return true;
  return LANGUAGES.some((l) => {
    const text = fold(`${record.title[l]} ${record.summary[l]} ${record.details?.[l] ?? ""}`).replace(/-/g, " ");
    return post.some((name) => containsWord(text, name.replace(/-/g, " ")));
  });
}

/** An organisation or an incubator: a body with a head, staff and an address, not an event or a programme. */
function isInstitution(record: CatalogRecord): boolean {
  return record.kind === "organisation" || record.kind === "incubator";
}

/** Whether a record holds a detail a question asks for, in a field or, for some, in its text. */
function holdsDetail(
  record: CatalogRecord,
  detail: Detail,
  asked: { countries: readonly string[]; catalog: Catalog; today: string },
): boolean {
  switch (detail) {
    case "next":
      return (
        isUpcoming(record, asked.today) ||
        upcomingDeadlines(record.dates?.deadlines, Date.parse(asked.today)).length > 0
      );
    case "phone":
      return record.contacts.some((c) => c.phone !== undefined);
    case "email":
      return record.contacts.some((c) => c.email !== undefined);
    case "address":
      return false;
    case "website":
    case "text":
      return record.links.length > 0 || record.contacts.some((c) => c.url !== undefined);
    case "deadline":
      return (record.dates?.deadlines?.length ?? 0) > 0 || saysDetail(record, detail);
    case "admission":
      // How to take part in a programme, contest, event or incubator is what its card and links are for; an
      // organisation's admissions (a university's) are another matter, which only its text can answer.
      return record.kind !== "organisation" || saysDetail(record, detail);
    case "jobs":
    case "visa":
    case "biography":
    case "internship":
    case "scholarship":
      return saysDetail(record, detail);
    case "fee":
      // An amount of money the record holds ("combien ont coûté les accords ?"); "free of charge" and
      // "sans frais" answer it as well as a price.
      return (
        record.figures.some((f) => f.currency !== undefined) ||
        LANGUAGES.some((l) => detailSentence(record, detail, l) !== undefined)
      );
    case "hours":
    case "tax":
    case "attendance":
    case "person":
    case "winners":
    case "list":
    case "date":
    case "ranking":
      // Asked only when the record does not speak of the post or of winners (see speaksOfPost), counts
      // without listing (see countsWithoutListing), gives no date for what was asked or counts none of the
      // people who came (see decide); the catalog describes what each record is and ranks none of them.
      return false;
    case "city": {
      // Which city in the country the question names; without a country, any city of the record ("in
      // which city is the SCO AI centre?" is not answered by a record that names none).
      const countries = asked.countries.filter((c) => c !== "CN" || asked.countries.length === 1);
      if (countries.length === 0) return record.cities.length > 0;
      return record.cities.some((id) => countries.includes(asked.catalog.places.cities[id]?.country ?? ""));
    }
  }
}

/** Whether a sentence of the record gives the detail ("the source gives no deadlines" does not). */
function saysDetail(record: CatalogRecord, detail: Detail): boolean {
  return LANGUAGES.some((l) => {
    const sentence = detailSentence(record, detail, l);
    return sentence !== undefined && !NEGATION.test(sentence);
  });
}

/** Words that deny what a sentence speaks of ("the source gives no deadlines", "не указаны", "未说明"). */
const NEGATION =
  /(?<!\p{L})(?!no later|не позднее)(no|not|none|nor|pas|ni|aucune?|не|нет|ни)(?!\p{L})|没有|未(提及|说明|提供|公布|给出|确定)|无(?!人|锡|线)/iu;

/**
 * How the catalog's records say their source does not give something ("The source does not name the
 * experts", "La source ne précise ni…", "в источнике не указаны", "报道未公布…").
 */
const UNSAID =
  /(?<!\p{L})(?:(?:source|announcement)s? (?:does|did) not \p{L}+|(?:source|announcement) (?:gives|lists) no|(?:source|announcement) (?:gives|lists|names) [^.;]*? but not|(?:was|were) not given|was given in the source|(?:la source|l'annonce|l’annonce) ne \p{L}+|(?:la source|l'annonce|l’annonce) (?:donne|cite|nomme) [^.;]*? mais (?:pas|non)|источник\p{L}* не \p{L}+|в (?:источнике|объявлении) не \p{L}+|источник\p{L}* [^.;]*?, но не)(?!\p{L})|(?:报道|来源|公告)(?:未|没有|并未)\p{Script=Han}{0,2}|未(?:公布|说明|提及|披露|列出|透露)/iu;

/** The record's sentence that speaks of the detail, in a language. */
function detailSentence(record: CatalogRecord, detail: Detail, lang: Language): string | undefined {
  const words = DETAIL_WORDS[detail];
  if (!words) return undefined;
  return sentencesOf(record, lang)
    .find((sentence) => words.test(sentence))
    ?.trim();
}

/** A record's sentences in a language, summary then details. */
function sentencesOf(record: CatalogRecord, lang: Language): string[] {
  return [record.summary[lang], record.details?.[lang] ?? ""].flatMap((text) =>
    text.split(/(?<=[.!?])\s+|(?<=[。！？])/u),
  );
}

/** Hits scoring this close to the best are a tie in rank; the one that covers more of the question goes first. */
const TIE_WINDOW = 0.95;

/**
 * Of hits that nearly tie in score, the one covering more of the question is the surer answer ("東協科技
 * 移轉中心" names the centre as much as the alliance; the alliance covers more of the words). With `needed`
 * (the confidence an answer needs), a close hit sure enough also goes before one too unsure to answer.
 */
function preferSurer(response: SearchResponse, needed: number | undefined): void {
  const hits = response.hits;
  const top = hits[0];
  if (!top) return;
  let best = 0;
  // Covering as much, the one whose title the question names, most of it ("выставка китай асеан в наньине"
  // is the Expo itself, not the forum held at it; a city alone names the shortest title most, and no record).
  hits.forEach((h, i) => {
    const b = hits[best]!;
    if (
      h.score >= top.score * TIE_WINDOW &&
      (h.confidence > b.confidence ||
        (h.confidence === b.confidence && h.titleCoverage >= NAMES_TITLE && h.titleCoverage > b.titleCoverage))
    )
      best = i;
  });
  // A best-scoring hit too unsure to answer gives way to a close one sure enough ("хочу попасть в совместную
  // лабораторию Китая и ШОС": a lab in Brunei scores more, the SCO centres cover the question).
  if (needed !== undefined && hits[best]!.confidence < needed) {
    const sure = closeAndSure(hits, SURE_WINDOW, needed);
    if (sure > 0) best = sure;
  }
  promote(hits, best);
}

/**
 * A wish, a search or a way in: the asker wants something done ("we want to work with China", "ищу
 * партнёров", 想找), to join ("what programmes can I join", 报名), asks what there is for them ("what is there
 * for German companies", "что есть для…") or asks as a student ("шос бишкек студентам").
 */
const NEED =
  /(?<!\p{L})(?:want|wants|wanting|wanna|veut|veulent|voulons|куда (?:можно|идти|обратиться|податься|влезть)|would like|hoping|hope to|looking for|seeking|plan to|planning to|join|enrol|enroll|students?|what is there|what's there|anything for|what exists|il y a quoi|qu'est-ce qu'il y a|quoi comme|что есть|что можно найти|что[- ]нибудь|есть ли|будут ли|voudrai[st]?|voudrions|aimerai[st]?|aimerions|cherche|cherchons|souhaite|souhaitons|rejoindre|etudiant\p{L}*|хочу|хотим|хотела?|хотели|ищу|ищем|планирую|планируем|поступить|студент\p{L}*|fits|suits|suitable|servir|convien\p{L}*|подойд\p{L}*|подходит)(?!\p{L})|'d like(?!\p{L})|我想|想要|想找|想去|想学|想做|想跟|想和|想在|想把|想参加|想了解|希望|打算|寻找|学生|留学|报名|加入|适合/u;
/** Words for a gathering: a need that names one asks for it ("an event to meet labs", 对接会). */
const GATHERING =
  /(?<!\p{L})(?:forums?|conferences?|meetings?|summits?|expo|fairs?|showcase|events?|ceremony|seminars?|workshops?|exhibitions?|congress|reunion|sommet|salon|foire|evenement|evenements|rencontres?|colloque|seminaire|форум\p{L}*|конференц\p{L}*|встреч\p{L}*|саммит\p{L}*|выставк\p{L}*|ярмарк\p{L}*|мероприяти\p{L}*|семинар\p{L}*)(?!\p{L})|论坛|会议|大会|峰会|博览会|展会|活动|对接会|研讨会|交流会|直通车/u;
/** A standing programme scoring this close to a gathering answers a need in its place (see preferStanding). */
const STANDING_WINDOW = 0.7;

/**
 * A need ("my firm makes software in Minsk, we'd like to work with China on digital", "ищу сотрудничество
 * с китайцами") is met by what stands — a programme, a platform, a centre — more than by a gathering that
 * took place: among the hits close to a best one that is an event, the first that is not, sure enough to
 * answer, goes first. Not when the message names a gathering or a year.
 */
function preferStanding(engine: SearchEngine, response: SearchResponse, text: string, needed: number): void {
  const hits = response.hits;
  const top = hits[0];
  if (!top || engine.get(top.id)?.kind !== "event") return;
  const folded = fold(text);
  if (!NEED.test(folded) || GATHERING.test(folded) || YEAR_IN_TEXT.test(text)) return;
  // A question of nothing but a place ("что есть для Беларуси?") is the engine's to rank: what most refer to.
  if (top.matches.every((m) => m.via === "place")) return;
  promote(
    hits,
    closeAndSure(hits, STANDING_WINDOW, needed, (h) => engine.get(h.id)?.kind !== "event"),
  );
}

/** Hits scoring this close to the best, and as sure, are a tie that only the catalog's links can break. */
const NEAR_TIE = 0.99;
const SAME_CONFIDENCE = 0.005;

/**
 * "Hidden champions": the forum, the report and the expert panel all carry the words, as surely and about
 * as high. Of such a tie, the record more of the others refer to goes first (the forum they came out of).
 */
function preferCentral(engine: SearchEngine, response: SearchResponse): void {
  const hits = response.hits;
  const top = hits[0];
  // Only a name and nothing else (every word met in the titles), which no one title names most of.
  const named = (h: SearchHit) => h.matches.length > 0 && h.matches.every((m) => m.field === "title");
  if (!top || top.titleCoverage >= NAMES_TITLE || !named(top)) return;
  let best = 0;
  hits.forEach((h, i) => {
    if (
      named(h) &&
      h.score >= top.score * NEAR_TIE &&
      Math.abs(h.confidence - top.confidence) < SAME_CONFIDENCE &&
      engine.referralsOf(h.id) > engine.referralsOf(hits[best]!.id)
    )
      best = i;
  });
  promote(hits, best);
}

/** The first hit scoring within `window` of the best, sure enough to answer and accepted, or -1. */
function closeAndSure(
  hits: readonly SearchHit[],
  window: number,
  needed: number,
  accept: (hit: SearchHit) => boolean = () => true,
): number {
  const top = hits[0];
  return top ? hits.findIndex((h) => h.score >= top.score * window && h.confidence >= needed && accept(h)) : -1;
}

/** Moves hit `i` first (nothing when it is already first or absent). */
function promote(hits: SearchHit[], i: number): void {
  if (i > 0) hits.unshift(...hits.splice(i, 1));
}

/** The share of a record's title a question names to name the record, most of it (see preferSurer). */
const NAMES_TITLE = 0.75;

/** Hits scoring this close to the best may answer in its place when it is too unsure to (see preferSurer). */
const SURE_WINDOW = 0.8;
const YEAR_IN_TEXT = /(?<!\d)(19|20)\d\d(?!\d)/;

/**
 * A fact question is best answered by a record that holds the fact: among the hits nearly as good as
 * the best, the one that holds it best moves to the top ("how many agreements were signed in Urumqi" is
 * the conference with its 71 agreements, not the Urumqi bureau).
 */
function preferFactHolders(
  engine: SearchEngine,
  response: SearchResponse,
  question: QuestionKind,
  asked: AskedWords,
  post: readonly string[] | null,
): void {
  const hits = response.hits;
  const top = hits[0];
  if (!top) return;
  // Who, as a body to turn to ("who should I talk to about…", "с кем связаться…"): an institution, and one
  // with contacts, not whoever organised an event. Who holds a post ("Кто возглавляет район Шуньи?"): the
  // institution whose record names it, more than an event or a zone whose text mentions the holder — not
  // when the holder is the subject and whom they gave something to is asked (顺义区长…发聘书给谁了).
  const folded = question === "who" ? fold(response.query) : "";
  const whomToContact = WHOM_TO_CONTACT.test(folded);
  const postHolder = question === "who" && post !== null && !TO_WHOM.test(folded);
  const strength = (hit: SearchHit) => {
    const record = engine.get(hit.id);
    if (record === undefined) return 0;
    if (whomToContact) return (isInstitution(record) ? 2 : 0) + (record.contacts.length > 0 ? 1 : 0);
    const holdsPost = postHolder && isInstitution(record) && speaksOfPost(record, post);
    return factStrength(record, question, asked) + (holdsPost ? 1 : 0);
  };
  let best = 0;
  let bestStrength = strength(top);
  hits.forEach((h, i) => {
    if (i === 0 || h.score < top.score * FACT_RERANK_WINDOW || h.confidence < top.confidence - 0.05) return;
    const s = strength(h);
    if (s > bestStrength) [best, bestStrength] = [i, s];
  });
  promote(hits, best);
}

/**
 * Asking whom to turn to ("who should I contact", "à qui m'adresser", "с кем связаться", 找谁), or who is
 * in charge of something ("кто отвечает за…", "who is responsible for…"): a body.
 */
const WHOM_TO_CONTACT = new RegExp(
  String.raw`(?<!\p{L})(?:(?:who|qui|кто)\s+(?:\p{L}+\s+){0,2}?(?:is responsible|are responsible|is in charge|deals with|handles|est responsable|s'occupe|отвечает за|отвечают за|занимается|занимаются)|${CONTACT_WORDS}|с кем (?:(?:можно|мне|нам|лучше) )*(?:работать|сотрудничать|общаться)|к кому (?:(?:можно|мне|нам|лучше) )*идти)(?!\p{L})|${CONTACT_HAN}|(?:谁|哪个(?:部门|机构|单位))(?:来)?负责`,
  "u",
);
const TO_WHOM = /(?<!\p{L})(?:to whom|a qui|кому)(?!\p{L})|给谁|授予谁|发给谁/u;
/**
 * Asking whom to approach ("who should I contact", "à qui m'adresser", "к кому обратиться", 找谁) — not who is
 * responsible for or works on something, which the organisers and partners answer.
 */
const CONTACT_ASKED = new RegExp(String.raw`(?<!\p{L})(?:${CONTACT_WORDS})(?!\p{L})|${CONTACT_HAN}`, "u");
/**
 * Organising named in the question: who organised it is asked, whatever the wording — by a verb or a role,
 * not by a name ("Shanghai Cooperation Organisation", "организация", 上合组织 organise nothing).
 */
const ORGANISING =
  /(?<!\p{L})(?:organi[sz](?:e|ed|es|er|ers|ing)|organis(?:ee|ees|ent|ateur|ateurs|atrice|atrices)|организ(?:ова|атор|ует|уют)\p{L}*)(?!\p{L})|主办|承办|举办|组织了|组织方|组织者|(?:谁|哪个单位|哪家单位|哪个机构|哪家机构)组织/u;

/** How well a record can answer the question's kind: 0 when it lacks the fact, more the better it fits. */
function factStrength(record: CatalogRecord, question: QuestionKind, asked: AskedWords): number {
  switch (question) {
    case "count":
    case "amount": {
      const figures = matchingFigures(record, question, asked);
      return figures.length > 0 && figures[0]!.overlap > 0 ? 1 + figures[0]!.overlap : 0;
    }
    case "when":
      return record.dates?.start ? 1 : 0;
    case "who":
      return record.organisers.length > 0 ? 1 : 0;
    case "where":
      return record.cities.length + record.countries.length > 0 ? 1 : 0;
    case "countries":
      // A list of countries answers "which countries"; one country hardly does.
      return record.countries.length > 1 ? 1 : 0;
    case "theme":
    case "which":
      return 0;
  }
}

function directFact(record: CatalogRecord, question: QuestionKind, asked: AskedWords): DirectFact | null {
  switch (question) {
    case "count":
    case "amount": {
      const figures = matchingFigures(record, question, asked);
      if (figures.length === 0) return null;
      const best = figures[0]!;
      // "Quelle est la part des participants étrangers ?": a share of something no figure names is none of them.
      if (asked.share && best.overlap === 0) return null;
      // "How many agreements, and worth how much?": the count and the amount of the same thing.
      const shown = [best.figure];
      if (question === "count") {
        const money = record.figures.find((f) => f.currency && best.overlap > 0 && sharesWords(f, best.figure, asked));
        if (money) shown.push(money);
      } else if (asked.countToo) {
        // "Combien d'accords, et pour quel montant ?": the count first, as the question has it.
        const count = matchingFigures(record, "count", asked).find(
          (f) => f.overlap > 0 && sharesWords(f.figure, best.figure, asked),
        );
        if (count) shown.unshift(count.figure);
      }
      return { kind: "figures", question, figures: shown };
    }
    case "when":
      return record.dates?.start ? { kind: "date", start: record.dates.start, end: record.dates.end } : null;
    case "who": {
      const parties = record.organisers.length > 0 ? record.organisers : record.partners;
      return parties.length > 0 ? { kind: "parties", parties } : null;
    }
    case "where":
      return record.cities.length + record.countries.length > 0
        ? { kind: "places", countries: record.countries, cities: record.cities }
        : null;
    case "countries":
      return record.countries.length > 0 ? { kind: "places", countries: record.countries, cities: [] } : null;
    case "theme":
    case "which":
      return null;
  }
}

/**
 * Where an event was held, from the sentence part naming its city: the sentence up to that clause when short,
 * else the clause when it reads on its own; undefined when neither does, or a quotation is left open.
 */
function heldText({ sentence, spans, index }: SentencePart): string | undefined {
  const [start, end] = spans[index]!;
  const whole = sentence.slice(0, end).trim();
  const clause = sentence.slice(start, end).trim();
  const text = whole.length <= HELD_MAX ? whole : /^\p{Lu}/u.test(clause) ? clause : undefined;
  if (text === undefined || text.length > HELD_MAX) return undefined;
  return insideQuotation(text, text.length) ? undefined : text.replace(/\s*[,;:，；：]$/u, "");
}

/** Longest sentence saying where an event was held (see heldText); a longer one gives way to its city. */
const HELD_MAX = 240;
const TOOK_PLACE =
  /\b(?:held|took place|opened|convened)\b|s'est tenue?|a eu lieu|s'est ouverte?|прош(?:ёл|ел|ла)|состоял(?:ся|ась)|открыл(?:ся|ась)|举行|举办|开幕|召开/u;

/** Longest direct-answer sentence shown whole; a longer one is cut to the clause that answers. */
const SENTENCE_MAX = 200;

/**
 * The direct answer: from the record's structured fields when they hold it; else the record's own
 * sentence (clause, when the sentence is long) that names what was asked, in the reply language ("who is
 * the mayor of Shunyi?" → "Under mayor Cui Xiaohao"); for "where", also when the question names more than
 * a place ("where is the ASEAN secretariat?" → "…with its secretariat in Jakarta").
 */
function directAnswer(
  record: CatalogRecord,
  question: QuestionKind,
  asked: AskedWords,
  lang: Language,
  post: readonly string[] | null = null,
): DirectFact | null {
  // "Who should I contact about the contest?", "该联系哪个部门": whom the record says to approach.
  // Without contacts, whoever runs it; never a sentence that shares the asking's words ("куда обращаться"
  // and "обращается к молодёжи").
  if (question === "who" && asked.contactAsked)
    return record.contacts.length > 0
      ? { kind: "contacts", parties: record.contacts.map(({ name }) => ({ name })) }
      : directFact(record, question, asked);
  const structured = directFact(record, question, asked);
  if (question === "count" || question === "amount") return structured;
  // "Where is the demonstration zone?": a district the record's text names says more than its city.
  if (question === "where" && structured?.kind === "places" && structured.cities.length > 0) {
    // With the short clause after it, which names the city ("in Shunyi District, Beijing").
    const clauses = asked.sentencesOf(record, lang).flatMap((p) => p.part.split(CLAUSE_BREAK));
    const at = clauses.findIndex((clause) => NAMED_DISTRICT.test(clause));
    if (at >= 0) {
      const next = clauses[at + 1]?.trim().replace(/[,;:，；：]$/u, "");
      const city = next && next.length <= CITY_CLAUSE_MAX ? `, ${next}` : "";
      return { kind: "sentence", text: `${clauses[at]!.trim().replace(/[,;:，；：]$/u, "")}${city}` };
    }
  }
  // "Where was the forum held?": an event took place in its city, and the record's sentence naming the
  // city says where in it (the venue, the district); the other countries only took part.
  if (question === "where" && record.kind === "event" && record.cities.length > 0) {
    // The part saying it took place says where; the city in the event's own name does not.
    const naming = asked
      .sentencesOf(record, lang)
      .filter((p) => asked.citiesIn(p).some((c) => record.cities.includes(c)));
    const held = naming.find((p) => TOOK_PLACE.test(p.part)) ?? naming[0];
    const text = held && heldText(held);
    if (text) return { kind: "sentence", text };
  }
  const wanted = wantedKeys(record, asked);
  if (wanted.size === 0) return structured;
  // "When did Timor-Leste join ASEAN?" asks the date of something the record tells of, not its own date.
  if (question === "when") {
    const dated = datedSentence(asked.sentencesOf(record, lang), wanted);
    if (dated) return { kind: "sentence", text: answeringText(dated) };
  }
  // "Where is the ASEAN secretariat?" asks for more than the record's countries (a city would say it);
  // "who handed over the letters?" asks for more than the organisers (a sentence naming the handing over).
  if (structured && question !== "who" && !(structured.kind === "places" && structured.cities.length === 0))
    return structured;
  // "Кто партсекретарь…?" is answered by the sentence naming the post, however the question worded it;
  // "кто возглавляет район?" by the one naming the institution's head by a title ("Глава района Цуй Сяохао").
  const titles = isHeadPost(post) ? (isInstitution(record) ? HEAD_TITLES : null) : post;
  if (question === "who" && titles) {
    const holder = asked
      .sentencesOf(record, lang)
      .find((p) => titles.some((name) => containsWord(fold(p.part).replace(/-/g, " "), name.replace(/-/g, " "))));
    if (holder) return { kind: "sentence", text: answeringText(holder) };
  }
  // "Which sectors…?" is answered by a sentence that names sectors.
  const things = question === "which" ? asked.thingsKeys() : undefined;
  const namesThings = (keys: ReadonlySet<string>) => !things || things.size === 0 || overlap(things, keys) > 0;
  let best: { part: SentencePart; overlap: number } | undefined;
  for (const part of asked.sentencesOf(record, lang)) {
    const shared = overlap(wanted, part.keys);
    // "Which cities…?" is answered by the sentence naming most of the catalog's cities.
    const cities = question === "which" && asked.citiesAsked() ? asked.citiesIn(part).length : 0;
    if (shared === 0 && cities < 2) continue;
    // "Which cities…?" asks for a list: a sentence that lists (or shares two words with the question), and
    // of two such sentences the one that lists more. One shared word of an unlisting sentence is not it.
    const items = listItems(part.part);
    // A sentence naming the things asked for first; else one listing items ("which provinces were the
    // companies from?" met by "companies from Beijing, Zhejiang, Henan and elsewhere signed…").
    const naming = namesThings(part.keys);
    if (question === "which" && ((shared < 2 && items < 2) || (!naming && items < 2))) continue;
    const n =
      shared + (question === "which" ? Math.min(items, 5) / 10 + (naming ? 1 : 0) + (cities >= 2 ? cities : 0) : 0);
    if (!best || n > best.overlap) best = { part, overlap: n };
  }
  return best ? { kind: "sentence", text: answeringText(best.part) } : structured;
}

/** The longest clause after a district's that is only its city ("Beijing", "à Pékin"). */
const CITY_CLAUSE_MAX = 20;

/** Where a record's text places it in a district: "in Shunyi District", "dans le district de Shunyi", "в районе Шуньи", 位于北京市顺义区. */
const NAMED_DISTRICT =
  /\bin \p{Lu}\p{Ll}+ District\b|\bdans le district de \p{Lu}|(?<!\p{L})в районе \p{Lu}|(?:位于|在)\p{Script=Han}{0,4}?\p{Script=Han}(?<![地社园治])区(?![域别内])/u;

/** Question words (besides the title's) a dated sentence shares with a when-question to answer it. */
const DATED_SHARED = 2;

/** A year: "in 2025", "en 2025", "в 2025 году", "2025年". */
const YEAR = /(?<!\d)(19|20)\d\d(?!\d)/u;

/** The record's clause with a year that shares the most question words (DATED_SHARED at least). */
function datedSentence(parts: readonly SentencePart[], wanted: ReadonlySet<string>): SentencePart | undefined {
  let best: { part: SentencePart; shared: number } | undefined;
  for (const part of parts) {
    if (!YEAR.test(part.part)) continue;
    const shared = overlap(wanted, part.keys);
    if (shared >= DATED_SHARED && (!best || shared > best.shared)) best = { part, shared };
  }
  return best?.part;
}

/**
 * Whether a record counts the set a question asks to list (one of its figures is the question's number)
 * and no sentence of it lists them: a sentence naming what the question asks of the record with as many
 * items as the set has (up to four) holds the list ("…8 new partner cities: Wuhan, Shenyang, …").
 */
function countsWithoutListing(
  record: CatalogRecord,
  { numbers, cue }: { numbers: readonly number[]; cue: string },
  asked: AskedWords,
  lang: Language,
): boolean {
  // A record that does not even count the set ("la liste des 28 villes" answered by a record without 28)
  // lists it only in a sentence with as many items.
  const counted = record.figures.find((f) => numbers.includes(f.value))?.value;
  // A list asked in full ("the complete list of participants") is one of several items.
  const count = counted ?? (numbers.length > 0 ? Math.max(...numbers) : FULL_LIST_ITEMS);
  // "перечень 514 пунктов спроса и предложения" names a record that is itself a list ("Перечень Урумчи…") —
  // of that number: "la liste des 28 villes" is not the list of 514 items.
  const title = fold(record.title[lang]);
  if (counted !== undefined && cue.split(/\s+/u).some((word) => LIST_NOUNS.has(word) && title.includes(word)))
    return false;
  // The listing sentence names the things asked for ("quelles entreprises…": companies, not the regions and
  // sectors a sentence of the same record lists).
  const things = asked.thingsKeys();
  const named = things.size > 0 ? things : wantedKeys(record, asked);
  const items = Math.min(count, 4);
  return !asked.sentencesOf(record, lang).some((p) => listItems(p.part) + 1 >= items && overlap(named, p.keys) > 0);
}

/** How many items a sentence lists, at least, to answer a list asked in full. */
const FULL_LIST_ITEMS = 4;

/** The words for a list itself, which a record that is a list has in its title ("Liste d'Ürümqi de 514…"). */
const LIST_NOUNS = new Set(["list", "lists", "liste", "listes", "перечень", "список", "списка", "清单"]);

/** The keys of a question that its answering record's title does not name: what it asks of the record. */
function wantedKeys(record: CatalogRecord, asked: AskedWords): Set<string> {
  const title = asked.titleKeysOf(record);
  return new Set(
    [...asked.keys].filter((k) => !title.has(k) && !k.startsWith("@") && !/^\d+$/.test(k) && !isSoftKey(k)),
  );
}

/** Words a question must share with a record's sentence saying its source does not give something. */
const UNSAID_SHARED = 2;

/**
 * The record's sentence saying its source does not give what the question asks: the question shares two
 * words with the clause that says it — besides the words that say it ("does not say") — and at least one
 * of them the record says nowhere else ("le contenu de l'accord" and "La source ne décrit pas le contenu de
 * l'accord avec la KBTU"; not "who signed the agreement with KBTU?", which the record's other sentences
 * answer). "…; contact the Urumqi bureau" does not make a question about Urumqi one about what is lacking.
 */
function unsaidSentence(record: CatalogRecord, asked: AskedWords, lang: Language): string | undefined {
  const wanted = wantedKeys(record, asked);
  const words = asked.words.filter((keys) => [...keys].some((k) => wanted.has(k)));
  if (words.length < UNSAID_SHARED) return undefined;
  const parts = asked.sentencesOf(record, lang);
  const shares = (word: ReadonlySet<string>, keys: ReadonlySet<string>) =>
    [...word].some((k) => wanted.has(k) && keys.has(k));
  const part = parts.find((p) => {
    const keys = asked.unsaidKeysOf(p)?.said;
    if (!keys) return false;
    const shared = words.filter((word) => shares(word, keys));
    return (
      shared.length >= UNSAID_SHARED &&
      shared.some(
        (word) => !parts.some((other) => other !== p && other.sentence !== p.sentence && shares(word, other.keys)),
      )
    );
  });
  return part ? answeringText(part) : undefined;
}

/**
 * The record's sentence saying its source does not give the things a question asks for by name: "Names
 * of the experts appointed in Shunyi" is answered by "The source does not name the experts", "which
 * universities host the centre?" by "…did not give calls, host universities or dates", whatever other
 * sentence speaks more of Shunyi or the centre.
 */
function focusUnsaid(
  record: CatalogRecord,
  question: QuestionKind | null,
  asked: AskedWords,
  lang: Language,
): string | undefined {
  if (question !== "which" && question !== "who" && !asked.namesAsked) return undefined;
  // "Quels centres d'innovation à Nanchang ?" of the Nanchang centre's record: the record is the thing asked
  // for, whatever its text says it lacks ("ni adresse ni opérateur pour le centre de Nanchang"). Not so the
  // people a who-question asks for: "who are the experts" of the expert panel wants their names.
  const focus = question === "which" ? thingsBeyondTitle(record, asked) : asked.thingsKeys();
  if (focus.size === 0 && !asked.namesAsked) return undefined;
  const part = asked.sentencesOf(record, lang).find((p) => {
    const keys = asked.unsaidKeysOf(p)?.whole;
    if (keys === undefined) return false;
    if (overlap(focus, keys) > 0) return true;
    // "Les noms des experts" and "La source ne nomme pas les experts": names asked, naming lacking, of the
    // same people.
    return asked.namesAsked && NAMING.test(p.part) && overlap(asked.keys, keys) > 0;
  });
  return part ? answeringText(part) : undefined;
}

/** A clause that says the source does not name someone ("does not name", "ne nomme pas", "имена … не приводятся"). */
const NAMING =
  /(?<!\p{L})(?:names?|named|nomme\p{L}*|noms?|имен\p{L}*|имён|фамили\p{L}*|назван\p{L}*)(?!\p{L})|名单|姓名|名字/iu;

/**
 * The clause of a sentence that says the source does not give something, if it has one. Not French "ne
 * … que" ("La source ne cite l'événement que brièvement"): that gives something, if little.
 */
export function unsaidClause(sentence: string): string | undefined {
  return sentence
    .split(/(?<=[;；，])/u)
    .find((clause) => UNSAID.test(clause) && !/(?<!\p{L})ne(?!\p{L})[^;,.]*(?<!\p{L})que(?!\p{L})/iu.test(clause));
}

/** A sentence of a record, or a clause of a long one, with its keys. */
interface SentencePart {
  part: string;
  keys: Set<string>;
  /** The whole sentence and where its clauses are (one span for a sentence kept whole). */
  sentence: string;
  spans: [number, number][];
  /** This part's clause among `spans`. */
  index: number;
}

/** A record's sentences in a language (a long one cut into clauses), in order, each with its keys. */
function sentenceParts(engine: SearchEngine, record: CatalogRecord, lang: Language): SentencePart[] {
  const parts: SentencePart[] = [];
  for (const sentence of sentencesOf(record, lang)) {
    const spans: [number, number][] =
      sentence.length > SENTENCE_MAX ? clausesOf(sentence, lang) : [[0, sentence.length]];
    spans.forEach(([start, end], index) => {
      const part = sentence.slice(start, end);
      parts.push({ part, keys: keysOf(engine, part, lang), sentence, spans, index });
    });
  }
  return parts;
}

/** How many list separators a text has. */
function listItems(text: string): number {
  return text.match(/[,、，]/gu)?.length ?? 0;
}

/** Where a long sentence may be cut: after a comma, semicolon or colon, or around a dash. */
const CLAUSE_BREAK = /(?<=[,;:，；：])\s*|\s+[—–]\s+/gu;

/**
 * Where a long sentence's clauses are. The items of a list stay with the clause that introduces them
 * ("…eight new partner cities: Wuhan, Shenyang, … and Nanchang"), so a clause that answers keeps its list.
 */
function clausesOf(sentence: string, lang: Language): [number, number][] {
  // Chinese says in a character what the other languages say in about three.
  const listItem = lang === "zh" ? 10 : 30;
  // Not inside a number ("1,000") or a quotation ("« Ouverture et innovation, coopération… »").
  const breaks = [...sentence.matchAll(CLAUSE_BREAK)]
    .filter((m) => !/\d,$/u.test(sentence.slice(0, m.index)) || !/^\d/u.test(sentence.slice(m.index)))
    .filter((m) => !insideQuotation(sentence, m.index))
    .map((m) => ({ end: m.index, next: m.index + m[0].length }));
  const spans: [number, number][] = [];
  let start = 0;
  breaks.forEach(({ end, next }, i) => {
    const following = (breaks[i + 1]?.end ?? sentence.length) - next;
    if (following < listItem && end - start >= listItem) return;
    spans.push([start, end]);
    start = next;
  });
  spans.push([start, sentence.length]);
  return spans.filter(([s, e]) => sentence.slice(s, e).trim().length > 0);
}

/** Whether `at` lies inside a quotation of `text` (« », “ ”, or straight double quotes). */
function insideQuotation(text: string, at: number): boolean {
  const before = text.slice(0, at);
  const count = (re: RegExp) => (before.match(re) ?? []).length;
  return count(/«/gu) > count(/»/gu) || count(/“/gu) > count(/”/gu) || count(/"/gu) % 2 === 1;
}

/** Longest line a clause grows to with what it needs around it. */
const ANSWER_MAX = 360;

/**
 * The clause that answers, with what it needs around it when the line can hold it: the next clause
 * ("Jin Fujian, | Party secretary of the Urumqi Science and Technology Bureau"; "…with the Sigma
 * accounting firm in Xi'an, | the Hilsa research institute in Changsha…"), and the one before when it
 * goes on from there ("…the mayor of Shunyi, Cui Xiaohao, | handed over letters…").
 */
function answeringText({ sentence, spans, index }: SentencePart): string {
  let [start, end] = spans[index]!;
  const next = spans[index + 1];
  if (next && next[1] - start <= ANSWER_MAX) end = next[1];
  const previous = spans[index - 1];
  // A clause that goes on from the one before never stands without it: the next one gives way.
  if (previous && /^\p{Ll}/u.test(sentence.slice(start).trimStart())) {
    if (end - previous[0] > ANSWER_MAX) end = spans[index]![1];
    start = previous[0];
  }
  // The mark that ends the clause goes, with the (narrow) no-break space French puts before ";" and ":".
  return sentence
    .slice(start, end)
    .trim()
    .replace(/\s*[,;:，；：]$/u, "");
}

interface ScoredFigure {
  figure: Figure;
  /** 1 when the label names what a how-many question counts, else 0. */
  counts: number;
  /** Words of the question found in the figure's label. */
  overlap: number;
}

/**
 * The record's figures that can answer the question, best first: money for "how much", counts for "how
 * many", ranked by how many of the question's words their label shares (in any language).
 */
function matchingFigures(record: CatalogRecord, question: "count" | "amount", asked: AskedWords): ScoredFigure[] {
  const figures = record.figures;
  const labelKeysOf = asked.labelKeysOf;
  const wanted = figures.filter((f) =>
    question === "amount"
      ? f.currency !== undefined
      : f.currency === undefined && (asked.share || !LANGUAGES.some((l) => f.label[l].startsWith("%"))),
  );
  if (wanted.length === 0) return [];
  // Words every label of the record shares ("ASEAN", "2022") tell its figures apart no better than nothing.
  const common = new Map<string, number>();
  const labelKeys = wanted.map(labelKeysOf);
  for (const perLang of labelKeys)
    for (const k of new Set(perLang.flatMap((set) => [...set]))) common.set(k, (common.get(k) ?? 0) + 1);
  // Nor do the words that name the record itself ("forum" of the SCO Digital Economy Forum).
  const title = asked.titleKeysOf(record);
  const informative = new Set(
    [...asked.keys].filter(
      (k) => !/^\d+$/.test(k) && !title.has(k) && (wanted.length === 1 || (common.get(k) ?? 0) < wanted.length),
    ),
  );
  // "How many companies…": a label naming what is counted answers before one sharing more of the rest; the
  // words of what is counted count twice among the rest ("cooperation agreements" before a "collaboration
  // network" that shares "technology transfer" with the question).
  const counted = asked.countedKeys();
  const counts = (i: number) => (counted.size > 0 && labelKeys[i]!.some((keys) => overlap(counted, keys) > 0) ? 1 : 0);
  return wanted
    .map((figure, i) => ({
      figure,
      counts: counts(i),
      overlap: Math.max(...labelKeys[i]!.map((keys) => overlap(informative, keys) + overlap(counted, keys))),
    }))
    .sort((a, b) => b.counts - a.counts || b.overlap - a.overlap);
}

/** People counted by a how-many question: visitors, participants, guests, delegates (folded). */
const PEOPLE_COUNTED = new RegExp(
  String.raw`^(?:visitors?|participants?|attendees?|people|persons|guests|delegates|delegations|visiteurs?|personnes|invites|delegues|человек|участник(?:а|ов|и)?|посетител(?:ь|я|ей|и)|гост(?:ь|я|ей|и)|делегат(?:а|ов|ы)?|делегаци(?:я|и|й))$`,
  "u",
);
const PEOPLE_COUNTED_HAN = /^(?:人次|人数|参会者|参会人员|参展商|嘉宾|观众|访客|人(?=参加|参与|出席|到场|来|$))/u;

/**
 * A how-many question of the people who came to an event: "how many (foreign) visitors", "combien de
 * participants", "сколько человек", 多少参会者 — the noun counted, an English adjective before it.
 */
function peopleCounted(text: string): boolean {
  const counted = countedAsked(text);
  if (counted === null) return false;
  if (/\p{Script=Han}/u.test(counted)) return PEOPLE_COUNTED_HAN.test(counted);
  return fold(counted)
    .split(" ")
    .some((word) => PEOPLE_COUNTED.test(word));
}

/** The question counts something (see countedAsked) that neither a figure's label nor a sentence of the record counts. */
function countedUnnamed(record: CatalogRecord, asked: AskedWords): boolean {
  const counted = asked.countedKeys();
  if (counted.size === 0) return false;
  if (record.figures.some((f) => asked.labelKeysOf(f).some((keys) => overlap(counted, keys) > 0))) return false;
  // A sentence naming them with a number, not a year ("more than 100 companies"); "participants explored…"
  // counts none.
  return !LANGUAGES.some((l) =>
    asked
      .sentencesOf(record, l)
      .some((p) => overlap(counted, p.keys) > 0 && /(?<!\d)(?!(?:19|20)\d\d(?!\d))\d+/u.test(p.part)),
  );
}

function sharesWords(a: Figure, b: Figure, asked: AskedWords): boolean {
  const ka = asked.labelKeysOf(a);
  const kb = asked.labelKeysOf(b);
  return LANGUAGES.some((_, i) => overlap(ka[i]!, kb[i]!) > 0);
}

/** The words of a question, analysed once for matching it against figure labels. */
interface AskedWords {
  keys: ReadonlySet<string>;
  /** The keys of each word of the question (its stems, Chinese bigrams, the concepts it is part of); places left out. */
  words: readonly ReadonlySet<string>[];
  /**
   * The keys of a sentence part's clause saying its source does not give something — whole, and without
   * the words that say so ("does not say") — or undefined when it has none (cached with the part).
   */
  unsaidKeysOf: (part: SentencePart) => { whole: ReadonlySet<string>; said: ReadonlySet<string> } | undefined;
  /** The question asks for names ("names of the experts", "фамилии?", 名单). */
  namesAsked: boolean;
  /** The question asks whom to approach (see CONTACT_ASKED), not who organised or is responsible. */
  contactAsked: boolean;
  /** The question asks for a share or a growth rate ("what % of GDP", "增长多少"). */
  share: boolean;
  /** A how-much question that asks how many too ("how many agreements and for what amount?"). */
  countToo: boolean;
  /** The keys of the things a "which" question asks for (see thingsAsked); empty when it names none. */
  thingsKeys: () => ReadonlySet<string>;
  /** Whether the things a "which" question asks for are cities ("which cities", "quelles villes", 哪些城市). */
  citiesAsked: () => boolean;
  /** The catalog's cities a sentence part names (see SearchEngine.placesIn). */
  citiesIn: (part: SentencePart) => readonly string[];
  /** The keys of what a how-many question counts (see countedAsked); empty when it names nothing. */
  countedKeys: () => ReadonlySet<string>;
  /** A figure label's keys per language, with the same engine's concepts. */
  labelKeysOf: (figure: Figure) => Set<string>[];
  /** The keys of a record's title in all four languages. */
  titleKeysOf: (record: CatalogRecord) => Set<string>;
  /** A record's sentences (long ones cut into clauses) with their keys, in a language. */
  sentencesOf: (record: CatalogRecord, lang: Language) => SentencePart[];
}

/** The words for cities a which-question asks for. */
const CITY_THINGS = /^(cit|vill|город)|城市/u;
/** The catalog cities each sentence part names (see AskedWords.citiesIn). */
const citiesOfPart = new WeakMap<SentencePart, string[]>();

const SHARE =
  /%|percent|pourcent|процент|дол[яию]|\bshare\b|\bpart\b|growth|grow|increase|croissance|hausse|рост|вырос|比重|占比|百分|增长|增幅|占[^，。？！,.?!]{0,12}(?:多少|几)/iu;

function askedWords(engine: SearchEngine, analysed: AnalysedQuery, lang: Language): AskedWords {
  const glossary = engine.catalog.glossary;
  let cache = keyCache.get(glossary);
  if (!cache)
    keyCache.set(
      glossary,
      (cache = { labels: new WeakMap(), titles: new WeakMap(), sentences: new WeakMap(), unsaidKeys: new WeakMap() }),
    );
  const { labels, titles, sentences, unsaidKeys } = cache;
  const question = analysed.text;
  // Most messages need neither (a plain search, a record with nothing it lacks): made when first read.
  let keys: Set<string> | undefined;
  let words: Set<string>[] | undefined;
  let things: Set<string> | undefined;
  let counted: Set<string> | undefined;
  let names: boolean | undefined;
  let contact: boolean | undefined;
  let share: boolean | undefined;
  let citiesAsked: boolean | undefined;
  let countToo: boolean | undefined;
  return {
    get keys() {
      return (keys ??= questionKeys(engine, analysed, lang));
    },
    get words() {
      return (words ??= wordKeys(analysed));
    },
    unsaidKeysOf: (part) => {
      let keys = unsaidKeys.get(part);
      if (keys === undefined) {
        const clause = unsaidClause(part.part);
        keys = clause
          ? { whole: keysOf(engine, clause, lang), said: keysOf(engine, clause.replace(UNSAID, " "), lang) }
          : null;
        unsaidKeys.set(part, keys);
      }
      return keys ?? undefined;
    },
    get namesAsked() {
      return (names ??= namesAsked(question));
    },
    get contactAsked() {
      if (contact === undefined) {
        const folded = fold(question);
        contact = CONTACT_ASKED.test(folded) && !ORGANISING.test(folded);
      }
      return contact;
    },
    get share() {
      return (share ??= SHARE.test(question));
    },
    get countToo() {
      return (countToo ??= asksFor(question, "count"));
    },
    // Only a which- or who-question needs them.
    thingsKeys: () => (things ??= keysOf(engine, thingsAsked(question) ?? "", lang)),
    citiesAsked: () => (citiesAsked ??= CITY_THINGS.test(fold(thingsAsked(question) ?? ""))),
    citiesIn: (part) => {
      let cities = citiesOfPart.get(part);
      if (cities === undefined) citiesOfPart.set(part, (cities = engine.placesIn(part.part).cities));
      return cities;
    },
    countedKeys: () => (counted ??= keysOf(engine, countedAsked(question) ?? "", lang)),
    labelKeysOf: (figure) => {
      let keys = labels.get(figure);
      if (!keys) labels.set(figure, (keys = LANGUAGES.map((l) => keysOf(engine, figure.label[l], l))));
      return keys;
    },
    titleKeysOf: (record) => {
      let keys = titles.get(record);
      if (!keys)
        titles.set(record, (keys = new Set(LANGUAGES.flatMap((l) => [...keysOf(engine, record.title[l], l)]))));
      return keys;
    },
    sentencesOf: (record, lang) => {
      let byLang = sentences.get(record);
      if (!byLang) sentences.set(record, (byLang = new Map()));
      let parts = byLang.get(lang);
      if (!parts) byLang.set(lang, (parts = sentenceParts(engine, record, lang)));
      return parts;
    },
  };
}

/** Figure labels, titles and sentences are catalog data: their keys are computed once per glossary (a rebuild with another glossary starts afresh). */
const keyCache = new WeakMap<
  object,
  {
    labels: WeakMap<Figure, Set<string>[]>;
    titles: WeakMap<CatalogRecord, Set<string>>;
    sentences: WeakMap<CatalogRecord, Map<Language, SentencePart[]>>;
    unsaidKeys: WeakMap<SentencePart, { whole: Set<string>; said: Set<string> } | null>;
  }
>();

/**
 * Word keys in both Latin stemmings (a label or question may mix them), Chinese words as bigrams, and
 * the glossary's concepts, so "deals" meets "agreements".
 */
function keysOf(engine: SearchEngine, text: string, lang: Language): Set<string> {
  const keys = new Set<string>(engine.conceptsIn(text, lang));
  for (const flavor of [lang, latinLanguageOf(lang) === "en" ? "fr" : "en"] as const)
    addKeys(keys, analyze(text, flavor));
  return keys;
}

function addKeys(keys: Set<string>, analyzed: AnalyzedText): void {
  analyzed.keys.forEach((k, i) => {
    if (k === null) return;
    if (analyzed.words[i]!.script === "han" && Array.from(k).length > 2) for (const b of bigrams(k)) keys.add(b);
    else keys.add(k);
  });
}

/**
 * The question's keys, as keysOf gives them, from the engine's analysis of it: a text analysed in a
 * language is analysed in its Latin stemming, which the analysis holds with its concepts (a text read
 * otherwise than typed is analysed again).
 */
function questionKeys(engine: SearchEngine, analysed: AnalysedQuery, lang: Language): Set<string> {
  if (analysed.read !== analysed.text) return keysOf(engine, analysed.text, lang);
  const latin = latinLanguageOf(lang);
  const matches =
    latin === "en"
      ? analysed.matches.slice(0, analysed.englishMatches)
      : analysed.matches.slice(analysed.englishMatches);
  const keys = new Set<string>();
  for (const m of matches) if (m.kind === "concept") keys.add(m.token);
  addKeys(keys, analysed[latin]);
  addKeys(keys, analysed[latin === "en" ? "fr" : "en"]);
  return keys;
}

/** The keys of each word of an analysed question, places left out (see AskedWords.words). */
function wordKeys(analysed: AnalysedQuery): Set<string>[] {
  const { en, fr, matches } = analysed;
  const places = new Set<number>();
  for (const m of matches) if (m.kind === "place") for (let w = m.from; w < m.to; w++) places.add(w);
  const words: Set<string>[] = [];
  en.words.forEach((word, i) => {
    const key = en.keys[i];
    if (key === null || key === undefined || places.has(i)) return;
    const keys = new Set<string>([key]);
    const frKey = fr.keys[i];
    if (frKey) keys.add(frKey);
    if (word.script === "han" && Array.from(key).length > 2) for (const b of bigrams(key)) keys.add(b);
    for (const m of matches) if (m.kind === "concept" && m.from <= i && i < m.to) keys.add(m.token);
    words.push(keys);
  });
  return words;
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const k of a) if (b.has(k)) n++;
  return n;
}
