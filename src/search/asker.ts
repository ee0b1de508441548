import type { AnalyzedText } from "./analyzer.js";

/**
 * The asker talking about themselves: where they are ("je suis à Almaty", "I'm from Brazil", "я из
 * Бишкека", "我在阿拉木图") and who they are ("je suis étudiante en master…", "我是越南的青年研究员").
 * Such words say who asks, not what is asked about.
 */

/** The asker as subject: a self-description needs one before it ("students from Laos" is not one). */
const FIRST_PERSON = new Set(["i", "im", "we", "je", "j", "jsuis", "chu", "chui", "nous", "я", "мы"]);
/** Words that, after the asker, introduce where they are or come from. */
const SELF_WORDS = new Set([
  "suis",
  "chu",
  "jsuis",
  "chui",
  "viens",
  "habite",
  "vis",
  "base",
  "basee",
  "bases",
  "basees",
  "originaire",
  "sommes",
  "m",
  "im",
  "am",
  "from",
  "live",
  "living",
  "based",
  "are",
  "из",
  "живу",
  "нахожусь",
  "родом",
]);
/** Words that open a description of who the asker is. */
const IDENTITY_OPENERS = new Set(["suis", "chu", "jsuis", "chui", "im", "я", "мы", "sommes"]);
/** Verbs that open a description after their own subject only: "I am a…", "we're a…", "on est trois…" ("am I…" asks). */
const SUBJECT_OF_OPENER = new Map([
  ["m", "i"],
  ["am", "i"],
  ["re", "we"],
  ["are", "we"],
  ["est", "on"],
  // "We have a small IT company…", "у нас небольшая IT-компания…".
  ["have", "we"],
  ["нас", "у"],
]);
/**
 * Verbs of the asker's study, work and home: with the asker as subject they open a description that
 * includes them ("I studied in Moscow", "je travaille dans une PME"). Russian drops the pronoun after the
 * first clause ("Я из Вьетнама, учился в Москве"): there one earlier in the message is enough.
 */
const SELF_VERBS = new Set([
  // "I run a tiny startup in Samarkand", "je dirige une PME", "я руковожу компанией".
  "run",
  "own",
  "founded",
  "dirige",
  "руковожу",
  "work",
  "study",
  "live",
  "studied",
  "worked",
  "lived",
  "etudie",
  "travaille",
  "travaillons",
  "учился",
  "училась",
  "учусь",
  "учимся",
  "работаю",
  "работаем",
  "работал",
  "работала",
  "жил",
  "жила",
  "живу",
  "живём",
  "живем",
]);
/** Words before the asker that make a question of what follows ("can we work with…", "where did I…"). */
const ASKING = new Set([
  "can",
  "could",
  "should",
  "may",
  "might",
  "would",
  "shall",
  "do",
  "did",
  "how",
  "where",
  "when",
  "what",
  "why",
  "peut",
  "puis",
  "pouvons",
  "ou",
  "comment",
]);
const IDENTITY_HAN = ["我是", "我们是", "本人是"];
/** "我们公司在昆明做…", "我们团队…": the asker's firm as subject describes the asker as 我们是 does. */
const FIRM_HAN = new Set(["公司", "团队", "企业", "工厂", "实验室"]);
const SELF_HAN = [...IDENTITY_HAN, "来自"];
/** 我在 says where the asker is only right before the place ("我在阿拉木图"; "我在找…" is a search). */
const HERE_HAN = ["我在", "我们在"];
/** A wish or a doing, Chinese: what follows is the question ("我是想问…"). */
const WISH_HAN = /想|打算|希望|找|问|要|准备|计划/u;
/**
 * A wish, a doing or a state of mind: "I'm looking for", "je suis curieuse de", "je suis en train de",
 * "я планирую", "we are planning" — what follows is the question, not the asker.
 */
const NOT_IDENTITY =
  /^(?:\p{L}+ing|interess\p{L}*|interest\p{L}*|curi\p{L}*|eligible|able|ready|pret\p{L}*|train|recherche|ищу|хочу|хотел\p{L}*|интерес\p{L}*|могу|можем|\p{Script=Cyrillic}+(?:ю|ем|им|ешь|ет|ут|ют|ат|ят|ла|ли))$/u;
/** What the asker does, which describes them as a noun would ("I'm running a tiny fintech startup"). */
const DOING =
  /^(?:running|building|developing|working|making|launching|starting|doing|studying|teaching|researching|managing|leading|producing|designing|growing|founding|opening)$/u;

/** The first person's possessives ("наш" and its forms, not "нашли"). */
const POSSESSIVES = String.raw`our|my|notre|nos|mon|ma|mes|наш|наша|наше|наши|нашего|нашей|нашу|нашим|нашем|нашими|наших|мой|моя|моё|мое|мои`;
/** The asker's own body — team, firm, lab, school — after "our", "notre", "наша" (see OURS_IS_IN, askerWords). */
const BODY_NOUNS = new Set([
  ...["team", "company", "firm", "startup", "start-up", "lab", "laboratory", "university", "uni", "school"],
  ...["business", "organisation", "organization", "institute", "agency", "group", "cooperative", "factory"],
  ...["equipe", "entreprise", "societe", "boite", "labo", "laboratoire", "universite", "ecole", "association"],
  ...["institut", "agence", "usine", "pme"],
  ...["фирма", "компания", "стартап", "лаборатория", "университет", "вуз", "команда", "организация"],
  ...["институт", "завод", "предприятие", "агрохолдинг", "бизнес"],
]);
const POSSESSIVE = new RegExp(`^(?:${POSSESSIVES})$`, "u");
/** How far after the possessive its body's noun may come ("our small farming cooperative"). */
const BODY_REACH = 3;

/**
 * The asker's own team, firm or lab and where it is, right before the place: "our team is in Jakarta",
 * "notre université en Russie", "наша фирма из Екатеринбурга" — the body's noun, then at most a verb of
 * being or being based, then the preposition ("our firm seeks partners in Laos" is what is sought).
 */
const OURS_IS_IN = new RegExp(
  String.raw`(?:^|\s)(?:${POSSESSIVES})\s+(?:\p{L}+\s+){0,2}?(?:${[...BODY_NOUNS].join("|")})\s+(?:(?:is|are|est|sont|находится|находятся|базируется)\s+)?(?:(?:located|based|basee?s?)\s+)?` +
    String.raw`(?:in|at|from|a|au|en|aux|de|du|в|во|из)\s*$`,
  "u",
);
/** "a base near Beijing" is what is sought; "basé à Almaty" (folded "base") is where the asker is. */
const ARTICLES = new Set(["a", "an", "the", "une", "la"]);
/**
 * Where the asker comes from: "d'origine kazakhe" (the place right after), "originaire du Kazakhstan",
 * "originally from Almaty", "родом из Алматы" (through a preposition). Not "certificate of origin".
 */
const ORIGIN_NEXT = new Set(["origine"]);
const ORIGIN = new Set(["originaire", "originaires", "originally", "родом", "уроженец", "уроженка"]);
const ORIGIN_LINKS = new Set(["de", "d", "du", "des", "from", "из"]);
/** Words that end the description: the clause that follows is the question ("… à Almaty et je cherche…"). */
const CLAUSE_JOINERS = new Set([
  "et",
  "and",
  "и",
  "а",
  "mais",
  "but",
  "но",
  "donc",
  "so",
  "je",
  "j",
  "i",
  "car",
  "because",
]);
/** How far back, in words of the same clause, a self word reaches; how long a description runs. */
const SELF_WINDOW = 7;
const DESCRIPTION_MAX = 8;
/** How long a first sentence that begins with the asker may run before its verb of seeking (see askerWords). */
const OPENING_MAX = 16;
const CLAUSE_BREAK = /[,.;:!?，。；：！？\n]/u;

/** Per word of an analysed text: the index of the first word of its clause. */
const clauseStarts = new WeakMap<AnalyzedText, Int32Array>();

function clauseStartOf(analyzed: AnalyzedText, at: number): number {
  let starts = clauseStarts.get(analyzed);
  if (!starts) {
    const { words, folded } = analyzed;
    starts = new Int32Array(words.length);
    for (let i = 1; i < words.length; i++)
      starts[i] = CLAUSE_BREAK.test(folded.slice(words[i - 1]!.end, words[i]!.start)) ? i : starts[i - 1]!;
    clauseStarts.set(analyzed, starts);
  }
  return starts[at] ?? 0;
}

/** Whether the place that starts at word `at` is the asker's own (see SELF_WORDS). */
export function isAskersPlace(analyzed: AnalyzedText, at: number): boolean {
  const { words, folded } = analyzed;
  const place = words[at];
  if (!place) return false;
  const clause = clauseStartOf(analyzed, at);
  if (place.script === "han") {
    const before = folded.slice(words[clause]!.start, place.start);
    if (HERE_HAN.some((h) => before.endsWith(h))) return true;
    const opener = Math.max(...SELF_HAN.map((h) => before.lastIndexOf(h)));
    return opener >= 0 && !WISH_HAN.test(before.slice(opener + 2));
  }
  // "our team is in Jakarta", "notre labo est à Wuhan", "наша фирма находится в Алматы".
  if (OURS_IS_IN.test(folded.slice(words[clause]!.start, place.start))) return true;
  // "d'origine kazakhe", "originaire du Kazakhstan", "originally from Almaty", "родом из Алматы".
  if (at - 1 >= clause && ORIGIN_NEXT.has(words[at - 1]!.text)) return true;
  let before = at - 1;
  while (before >= clause && ORIGIN_LINKS.has(words[before]!.text)) before--;
  if (before >= clause && ORIGIN.has(words[before]!.text)) return true;
  let self = false;
  for (let i = at - 1; i >= Math.max(clause, at - SELF_WINDOW); i--) {
    const text = words[i]!.text;
    if (NOT_IDENTITY.test(text)) return false;
    if (SELF_WORDS.has(text) && !(text === "base" && ARTICLES.has(words[i - 1]?.text ?? ""))) {
      self = true;
      // "J'habite à Da Nang": the analyser dropped the elided "j'" before the verb itself.
      if (ELIDED_JE.test(folded.slice(Math.max(0, words[i]!.start - 3), words[i]!.start))) return true;
    }
    if (self && (FIRST_PERSON.has(text) || FIRST_PERSON_VERBS.has(text))) return true;
  }
  return false;
}

/** Russian verbs whose ending says "I" or "we", the pronoun left out ("живу в Душанбе, учусь на инженера"). */
const FIRST_PERSON_VERBS = new Set(["живу", "живём", "живем", "нахожусь", "находимся"]);

const ELIDED_JE = /(?:^|[^\p{L}])j'$/u;

/**
 * Indexes of the words that describe the asker ("je suis [étudiante en master à Almaty] et je
 * cherche…", "我是[越南的青年研究员]，想…"): who asks, which says little of what is asked for.
 */
export function askerWords(
  analyzed: AnalyzedText,
  isFiller: (at: number) => boolean,
  /** Receives the indexes of the verbs that open a description ("I [work] in tech transfer"). */
  verbs?: Set<number>,
): Set<number> {
  const { words, folded } = analyzed;
  const out = new Set<number>();
  let firstPerson = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let start = -1;
    if (word.script === "han") {
      if (IDENTITY_HAN.includes(word.text)) start = i + 1;
      else if ((word.text === "我们" || word.text === "我") && FIRM_HAN.has(words[i + 1]?.text ?? "")) start = i + 1;
    } else if (
      SELF_VERBS.has(word.text) &&
      ((FIRST_PERSON.has(words[i - 1]?.text ?? "") && !ASKING.has(words[i - 2]?.text ?? "")) ||
        (word.script === "cyrillic" && firstPerson))
    ) {
      start = i;
      verbs?.add(i);
    } else if (
      IDENTITY_OPENERS.has(word.text) ||
      (SUBJECT_OF_OPENER.has(word.text) && words[i - 1]?.text === SUBJECT_OF_OPENER.get(word.text))
    ) {
      start = i + 1;
    }
    // Russian drops the pronoun within a sentence, not across one ("Я из Казахстана. Какой инкубатор работал…").
    if (i > 0 && SENTENCE_END.test(folded.slice(words[i - 1]!.end, word.start))) firstPerson = false;
    if (FIRST_PERSON.has(word.text) || FIRST_PERSON_VERBS.has(word.text)) firstPerson = true;
    if (start < 0) continue;
    // The first word that says something decides: a noun describes the asker, a verb of wishing does not.
    const wish = (at: number) =>
      (NOT_IDENTITY.test(words[at]!.text) && !DOING.test(words[at]!.text)) ||
      (words[at]!.script === "han" && WISH_HAN.test(words[at]!.text));
    let first = start;
    while (first < words.length && first < start + DESCRIPTION_MAX && !wish(first) && isFiller(first)) first++;
    if (first >= words.length || wish(first)) continue;
    let j = start;
    for (; j < words.length && j < start + DESCRIPTION_MAX; j++) {
      if (j > start && CLAUSE_BREAK.test(folded.slice(words[j - 1]!.end, words[j]!.start))) break;
      if (j > start && (CLAUSE_JOINERS.has(words[j]!.text) || wish(j))) break;
      out.add(j);
    }
    i = j - 1;
  }
  // "Our farming cooperative in Cambodia…", "notre université en Russie…", "my startup builds…": the asker's
  // own body and the words that qualify it, up to its noun, are who asks.
  for (let i = 0; i < words.length; i++) {
    if (!POSSESSIVE.test(words[i]!.text)) continue;
    for (let j = i + 1; j < words.length && j <= i + BODY_REACH; j++) {
      if (CLAUSE_BREAK.test(folded.slice(words[j - 1]!.end, words[j]!.start))) break;
      if (!BODY_NOUNS.has(words[j]!.text)) continue;
      for (let k = i + 1; k <= j; k++) if (!isFiller(k)) out.add(k);
      break;
    }
  }
  // "Edtech founder in Samarkand looking for an incubator", "étudiante ouzbèke cherche un stage": a message
  // that opens with who asks, then seeks, without a pronoun — the words before the verb describe the asker.
  // So does a first sentence that says who asks in clauses before its verb of seeking ("мы из Мьянмы,
  // небольшая фирма по очистке воды, ищем…").
  const seek = words.findIndex((w) => OPENING_SEEK.has(w.text));
  if (seek <= 0) return out;
  const opener = words.slice(0, seek);
  const pronoun = opener.some((w) => FIRST_PERSON.has(w.text));
  if (
    seek <= (pronoun ? OPENING_MAX : DESCRIPTION_MAX) &&
    // The description may end at a comma before the verb ("young biologist from Laos, looking for…").
    (pronoun || clauseStartOf(analyzed, seek - 1) === 0) &&
    // Without a pronoun, the opening names a person or a firm ("incubator in Almaty, looking for one" does not).
    (pronoun || opener.some((w) => ASKER_NOUN.test(w.text) && !SOUGHT_NOUN.test(w.text))) &&
    // "startup incubators in Almaty, anything?": after "anyone", "anything" the opening is what is asked when it
    // names the kind of record sought.
    !(
      ANY_WORDS.has(words[seek]!.text) && opener.some((w) => SOUGHT_NOUN.test(w.text) || KIND_OF_RECORD.test(w.text))
    ) &&
    // "I need a joint lab…, looking for partners": a wish before says what is asked, not who asks.
    !opener.some(
      (w, i) =>
        ASKING.has(w.text) ||
        SEEK_WORDS.has(w.text) ||
        (i > 0 && SENTENCE_END.test(folded.slice(words[i - 1]!.end, w.start))),
    ) &&
    !SENTENCE_END.test(folded.slice(words[seek - 1]!.end, words[seek]!.start))
  )
    for (let i = 0; i < seek; i++) if (!isFiller(i)) out.add(i);
  return out;
}

/** Asking with the asker's firm before it: "small agritech startup in Samarkand, anyone in China…?". */
const ANY_WORDS = new Set(["anyone", "anybody", "anything"]);
/** Kinds of record an opening may name as what is sought ("incubators in Almaty, anything?"). */
const KIND_OF_RECORD = /^(?:incubat|programm|contest|competition|lab|centre|center|platform|forum|fund|grant)/u;
/** Seeking with its subject before it (see askerWords): "…founder looking for", "…cherche", "…ищет". */
const OPENING_SEEK = new Set([
  "looking",
  "seeking",
  "searching",
  "anyone",
  "anybody",
  "anything",
  "cherche",
  "ищет",
  "ищу",
  "ищем",
]);
/**
 * A person or a firm, by its ending or its word: founder, biologist, student, étudiante, ingénieure,
 * chercheur, студентка, основатель, startup, PME, компания.
 */
const ASKER_NOUN =
  /(?:er|or|ist|ian|ent|ant|eur|euse|rice|iste|ienne?|ante?|ente?|ник|тель|ист|ер|ент|ентка|антка|истка)$|^(?:startup|company|firm|team|sme|pme|boite|entreprise|societe|стартап|компания|фирма|команда)$/u;
/** What is sought rather than who seeks, though it ends like a person ("incubator", "partner", "centre"). */
const SOUGHT_NOUN = /^(?:incubat|partner|partenaire|center|centre|инкубатор|партнер|центр)/u;

/** Verbs of seeking: what follows is the thing the asker wants ("we are looking for [an incubator] in…"). */
const SEEK_WORDS = new Set([
  "looking",
  "seeking",
  "searching",
  "need",
  "needs",
  "cherche",
  "cherchons",
  "cherchez",
  "recherche",
  "recherchons",
  "besoin",
  "ищу",
  "ищем",
  "ищет",
  "ищут",
  "нужен",
  "нужна",
  "нужно",
  "нужны",
  "найти",
]);
/** Chinese: 找 (找/想找/寻找) and 需要 end the word before the sought thing. */
const SEEK_HAN = /(?:找|需要)$/u;
/** How many words of the sought thing count, at most (an adjective or two and the noun). */
const SOUGHT_MAX = 4;

/**
 * Indexes of the words naming what the asker seeks ("ищем [инкубатор] с выходом на рынок", "想找[中亚]的
 * [孵化器]"): the head of the request, which outweighs what qualifies it. The thing runs from the first
 * word that says something after the verb to the next filler word (a preposition, a clause break).
 */
export function soughtWords(analyzed: AnalyzedText, isFiller: (at: number) => boolean): Set<number> {
  const { words, folded } = analyzed;
  const out = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const seek = word.script === "han" ? SEEK_HAN.test(word.text) : SEEK_WORDS.has(word.text);
    if (!seek) continue;
    let j = i + 1;
    // Articles and "for" between the verb and the thing ("looking for an", "besoin d'un").
    while (
      j < words.length &&
      j <= i + 3 &&
      isFiller(j) &&
      !CLAUSE_BREAK.test(folded.slice(words[j - 1]!.end, words[j]!.start))
    )
      j++;
    for (let n = 0; j < words.length && n < SOUGHT_MAX; j++) {
      if (CLAUSE_BREAK.test(folded.slice(words[j - 1]!.end, words[j]!.start))) break;
      // 的 joins a Chinese qualifier to its head ("中亚的孵化器").
      if (isFiller(j)) {
        if (words[j]!.script === "han" && words[j]!.text === "的") continue;
        break;
      }
      out.add(j);
      n++;
    }
    i = j - 1;
  }
  return out;
}

/** A sentence's end: what follows is another sentence. */
const SENTENCE_END = /[.!?。！？\n]/u;
/** Words (not filler) the question's own sentence has, at least, for the others to be its context. */
const QUESTION_WORDS_MIN = 3;

/**
 * Indexes of the words of a message's other sentences, when one sentence asks the question ("We make
 * sensors and lead our niche. We are thinking about Beijing. Is there a zone for German firms like us?")
 * and names enough to stand alone: the sentences before it say who asks and why — context, which a record
 * need not cover. Empty for a message of one sentence, or with no question mark.
 */
export function contextWords(analyzed: AnalyzedText, isFiller: (at: number) => boolean): Set<number> {
  const { words, folded } = analyzed;
  const out = new Set<number>();
  if (words.length === 0) return out;
  // Sentence of each word, and whether a sentence ends with a question mark.
  const sentence = new Int32Array(words.length);
  const asks: boolean[] = [];
  let current = 0;
  for (let i = 0; i < words.length; i++) {
    const gap = i === 0 ? "" : folded.slice(words[i - 1]!.end, words[i]!.start);
    if (i > 0 && SENTENCE_END.test(gap)) {
      asks[current] = /[?？]/u.test(gap);
      current++;
    }
    sentence[i] = current;
  }
  asks[current] = /[?？]/u.test(folded.slice(words[words.length - 1]!.end));
  if (current === 0) return out;
  const asked = asks.lastIndexOf(true);
  if (asked < 0) return out;
  const named = (s: number) => {
    let n = 0;
    for (let i = 0; i < words.length; i++) if (sentence[i] === s && !isFiller(i)) n++;
    return n;
  };
  // "…ищем инкубатор, который поможет выйти на китайский рынок. Что посоветуете?": a short question asks
  // about the sentence before it, which is then the question's own.
  const question = named(asked) >= QUESTION_WORDS_MIN ? asked : asked > 0 && named(asked) <= 1 ? asked - 1 : -1;
  if (question < 0 || named(question) < QUESTION_WORDS_MIN) return out;
  // Only the sentences before it: one after it asks more ("…哪些联合实验室？有名单吗").
  for (let i = 0; i < words.length; i++) if (sentence[i]! < question && !isFiller(i)) out.add(i);
  return out;
}

/**
 * "Here", where the asker is: "any incubator here?", "a local centre", "near me", "ici", "sur place",
 * "здесь", 这里, 本地 ("рядом", "nearby", 附近 mostly follow another place: "рядом с Харбином").
 */
const HERE =
  /(?<!\p{L})(?:here|local|locally|near me|close to me|ici|locale?|sur place|pres de chez moi|здесь|тут|местн\p{L}*|на месте)(?!\p{L})|这里|这边|本地|当地/u;

/**
 * Whether the message asks about where the asker is ("I am in Harbin, any incubator here?"): then the
 * asker's place is the place asked for, not only who asks.
 */
export function asksAboutHere(analyzed: AnalyzedText): boolean {
  return HERE.test(analyzed.folded);
}
