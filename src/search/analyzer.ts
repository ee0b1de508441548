import type { Language } from "../catalog/schema.js";
import { snowballStemmers, stopwords } from "./cjs-packages.js";
import { acronymTest, bigrams, fold, words, type KnownHanWords, type Word } from "./text.js";

const { newStemmer } = snowballStemmers;
const { eng, fra, rus, zho } = stopwords;

/** Stemming and stop words per script, shared by indexing and querying so both sides agree. */

type LatinLanguage = "en" | "fr";

const stemmers = {
  en: newStemmer("english"),
  fr: newStemmer("french"),
  ru: newStemmer("russian"),
};

/** Forms of address ("бро, где инкубаторы?", "рахмат ака"): no word of a question, and no more than small talk. */
export const FORMS_OF_ADDRESS = { latin: ["bro"], cyrillic: ["бро", "братан", "ака", "апа"] };

/**
 * Words of asking, greeting and politeness that the general stop lists lack: "where can I find…",
 * "здравствуйте, подскажите пожалуйста…", "麻烦问一下…谢谢", "combien…", "qu'est-ce que…". They say
 * nothing about which record is wanted; left in, they would lower every answer's confidence (the bot
 * detects the kind of question — how many, when, who — from the raw text, not from these units).
 */
const QUESTION_WORDS = {
  latin: [
    ...FORMS_OF_ADDRESS.latin,
    // English
    "find",
    "looking",
    "look",
    "search",
    "searching",
    "need",
    "want",
    "know",
    "tell",
    "answer",
    // "the full list of…": all of it is what a list is.
    "full",
    "complete",
    "entire",
    "show",
    "please",
    "pls",
    "plz",
    // Chat spellings of grammar words ("any info abt it", "can u").
    "abt",
    "u",
    "ur",
    "btw",
    "lol",
    "haha",
    "when",
    "whom",
    "whose",
    "hello",
    "hi",
    "hey",
    "thanks",
    "thank",
    "dear",
    "sir",
    "madam",
    "guys",
    "team",
    "good",
    "morning",
    "afternoon",
    "evening",
    "wondering",
    "interested",
    // "celui qui a plus de 2000 membres": the pronouns the stop word list lacks.
    ...["celui", "celle", "ceux", "celles"],
    // "Comment s'appelle le maire ?": what someone is called, the question's own words.
    "appelle",
    "appellent",
    // "which incubators can help us": the pronoun the English list leaves out — safe, as "US" in capitals is
    // kept as an acronym.
    "us",
    // "Who do we talk to?", "we're thinking about…": the asker's own doing.
    "talk",
    "speak",
    "thinking",
    // "…so we can find a partner there": a clause's joint.
    "so",
    // "Every year": how often, not what.
    "every",
    // Where the asker met the name ("saw the name as a sponsor"): not what it is.
    "saw",
    // Where the asker lives ("I live in Almaty", "j'habite à Da Nang"): the place says it.
    "live",
    "habite",
    "habitons",
    // "De quoi s'agit-il ?", "il s'agissait de…": what it is about, the question's own words.
    "agit",
    "agissait",
    "agira",
    // Where the asker comes from ("originally from Almaty", "originaire du Kazakhstan"): the place says it.
    "originally",
    "originaire",
    "originaires",
    // Wishes that close a message ("merci beaucoup et bonne soirée").
    "bonne",
    "soiree",
    "journee",
    "beaucoup",
    // The day a message is written in ("the weather in Tianjin tomorrow"): no record is about it.
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    // "Right now", "currently", "these days": the question is about today's state, which is the catalog's.
    "right",
    "currently",
    "nowadays",
    "presently",
    "demain",
    "hier",
    // "le mois prochain", "la semaine prochaine": when the asker comes, not what they ask about.
    "prochain",
    "prochaine",
    // "un centre à voir là-bas", "on vient à Pékin": to see, to come — the asker's doing.
    ...["voir", "vient", "viens", "venons", "venez", "viennent", "venir"],
    // "Combien de pays compte l'ASEAN ?": how many, not an account.
    "compte",
    "comptent",
    "compter",
    // Where something is: the where-question says it ("where is the secretariat located?").
    "located",
    "situated",
    "situe",
    "situee",
    "situes",
    "situees",
    // "aujourd'hui", cut at its apostrophe
    "aujourd",
    "hui",
    // Words that tie the thing asked about to what it is linked with ("an incubator linked to China",
    // "un incubateur lié à la Chine", "инкубатор, связанный с Китаем"): the link says nothing of its own.
    "linked",
    "related",
    "connected",
    "ties",
    "tied",
    "lie",
    "liee",
    "lies",
    "liees",
    "help",
    "let",
    "give",
    "im",
    "ive",
    "id",
    // Hearsay and looking ("heard China is sharing…", "where can I see them?", "j'ai entendu dire", "il paraît
    // que", "apparemment").
    // Offering ("what does the centre offer?", "les technos proposées à l'ASEAN", "что предлагает ШОС"): what
    // is offered is what is asked.
    "offer",
    "offers",
    "offered",
    "offering",
    "propose",
    "proposes",
    "proposed",
    "proposee",
    "proposees",
    "proposent",
    "proposer",
    // Taking place ("what's happening in Tianjin?", "qu'est-ce qui s'y passe ?"): the place is what is asked.
    "happening",
    "happened",
    "happens",
    "passe",
    "passent",
    "passait",
    // "Can I do research in Guangxi somehow?"
    "somehow",
    // What a name means ("what does hidden champion mean?", "ça signifie quoi ?", "что значит…", 是什么意思).
    "mean",
    "means",
    "meaning",
    "signifie",
    "signification",
    // "Nanning, qu'est-ce qu'il y a là-bas ?": there.
    "bas",
    // "How much extra capacity…", "what will they add?": more of what is asked.
    "extra",
    "add",
    "planning",
    // "Hefei or Jinan, does either have one?": which of them is what is asked.
    "either",
    "neither",
    "whichever",
    // "En ce moment", "at the moment": now, not a clipped "momentum".
    "moment",
    "heard",
    "hear",
    "became",
    "become",
    "becomes",
    "see",
    "apparently",
    "entendu",
    "parait",
    "apparemment",
    // Asking for leads ("any ideas?", "vous avez une piste ?", "есть идеи?") and the asker's own size ("a tiny
    // startup").
    "ideas",
    "idea",
    "idees",
    "idee",
    "tips",
    "thoughts",
    "pistes",
    "piste",
    "tiny",
    // The size of the asker's firm ("a small agritech startup"): SMEs are named by the glossary's phrases.
    "small",
    "petite",
    "petit",
    "petites",
    "petits",
    // The "co" of "co-build", "co-host" split off by the hyphen: the verb after it says what.
    "co",
    // Contractions typed without their apostrophe ("whos the mayor", "dont know where to look").
    "whos",
    "whats",
    "wheres",
    "hows",
    "thats",
    "theres",
    "dont",
    "doesnt",
    "didnt",
    "isnt",
    "arent",
    "cant",
    "youre",
    "wanna",
    "gonna",
    "ur",
    // Auxiliaries and everyday verb forms the English stop word list lacks ("how much funding does it give?",
    // "what will the forum focus on?", "is it going to…").
    "does",
    "doing",
    "having",
    "will",
    "shall",
    "gets",
    "makes",
    "go",
    "goes",
    "going",
    "gives",
    "takes",
    "took",
    "remind",
    "just",
    "even",
    // Pronouns the English stop word list lacks ("she wants hands-on training").
    "she",
    "hers",
    "herself",
    "its",
    "itself",
    "myself",
    "yourself",
    "ourselves",
    "themselves",
    "ours",
    "yours",
    "theirs",
    // The asker's hedging and framing ("ideally somewhere with…", "an overview of the whole package").
    "somewhere",
    "anywhere",
    "ideally",
    "overview",
    "whole",
    "entire",
    "anyone",
    "somebody",
    "someone",
    "something",
    "anything",
    "kindly",
    "exist",
    "exists",
    "available",
    "details",
    "kind",
    "sort",
    "explain",
    "possible",
    "question",
    "questions",
    "thx",
    "ok",
    "okay",
    "hope",
    "info",
    "infos",
    "cheers",
    "wonder",
    "appreciate",
    "appreciated",
    "grateful",
    "re",
    "ve",
    "ll",
    "opportunity",
    "opportunities",
    "options",
    "currently",
    // "which countries are SCO members these days?", "nowadays".
    "days",
    "nowadays",
    "really",
    "actually",
    "exactly",
    "near",
    "according",
    "nearby",
    "around",
    "done",
    "able",
    "allowed",
    "ready",
    "eligible",
    "bro",
    "buddy",
    "god",
    "bless",
    "hopefully",
    "asap",
    "pm",
    "sorry",
    "bother",
    // "sorry, stupid question", "désolé pour la question bête", "excusez-moi de vous déranger".
    ...["stupid", "dumb", "silly", "bete", "deranger"],
    "excuse",
    "pardon",
    "advance",
    "regards",
    "quick",
    "hey",
    "btw",
    "thing",
    "things",
    "stuff",
    "based",
    "whether",
    "maybe",
    "perhaps",
    // French
    "trouver",
    "cherche",
    "chercher",
    "recherche",
    "existe",
    "existent",
    "besoin",
    "savoir",
    "puis",
    "peux",
    "peut",
    "pouvez",
    "pourriez",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "combien",
    "quand",
    "qd",
    "quoi",
    "comment",
    "bonjour",
    "bonsoir",
    "salut",
    "merci",
    "svp",
    "stp",
    "plait",
    "plaît",
    "dites",
    "dire",
    "voudrais",
    "aimerais",
    "aimerait",
    "aimerions",
    "aimeriez",
    "aimeraient",
    "connaitre",
    "connaître",
    "madame",
    "monsieur",
    "cordialement",
    "intéresse",
    "interesse",
    "aide",
    "aider",
    "infos",
    "est-ce",
    "voila",
    "voilà",
    "renseignements",
    "renseigner",
    "expliquer",
    "expliquez",
    "parler",
    "desole",
    "désolé",
    "excusez",
    "pardon",
    "truc",
    "machin",
    "ça",
    "ca",
    "cest",
    "voudrait",
    "si",
    "quelque",
    "chose",
    "quelqu",
    "bcp",
    "actuellement",
    // "d'après vos fiches": the catalog's own cards, not what is asked about.
    "fiches",
    "actuel",
    "aujourd'hui",
    "maintenant",
    "exactement",
    "vraiment",
    "pourrais",
    "pourrait",
    "pourrions",
    "peuvent",
    "dois",
    "doit",
    "devrais",
    "sais",
    "sait",
    "connais",
    "souhaite",
    "souhaiterais",
    "souhaitons",
    "souhaitez",
    "souhaitent",
    "souhaiterait",
    "souhaiterions",
    "interessee",
    "interesses",
    "interesser",
    "interessent",
    "interessant",
    "interessante",
    // "Ça apporte quoi ?": what a programme brings is what the question asks of it, not a topic.
    "apporte",
    "apportent",
    "apporter",
    "recommandez",
    "conseillez",
    "recommend",
    "suggest",
    "advise",
    "comme",
    "infiniment",
    "avance",
    "frere",
    "soeur",
    "ami",
    "amis",
    "dieu",
    "benisse",
    "allo",
    "ben",
    "chu",
    "genre",
    "bref",
    "alors",
    "donc",
    "trucs",
    "delire",
    "vite",
    "fait",
    "concretement",
    "opportunite",
    "opportunites",
    "salutations",
    "cher",
    "chere",
    "chers",
    "potes",
    "svp",
    "merci",
    "base",
    "basee",
    "basé",
    "basée",
    "peut-etre",
    "peut-être",
    "prevu",
    "prévu",
    "savez",
    // Forms of "faire" ("quels pays font partie…") by surface: "faire" itself stems as "fair" (a trade fair).
    "font",
    "fais",
    "faisons",
    "faites",
    "ferais",
    "ferait",
    "aussi",
    "egalement",
    "pres",
    "autour",
    "apres",
    "selon",
    "capable",
    "capables",
    "pret",
    "prete",
    "prets",
    "pretes",
    "eligibles",
    // "donne-moi…" (not "données", data), "par où commencer".
    "donne",
    "donnez",
    "donner",
    "commencer",
    "debuter",
    // Written as typed in chats: "c koi", "ya des…", "jcherche", "chui".
    "koi",
    "kwa",
    "ya",
    "jcherche",
    "jsuis",
    "chui",
    "jveux",
    "jvoudrais",
    "svp",
    "slt",
    "bjr",
    "dsl",
    "pk",
    "pq",
    "jai",
    "raconte",
    "racontez",
    "raconter",
    "repondre",
    "complete",
    "exhaustive",
    "qqch",
    "qqn",
    "pendant",
    "chez",
    "depuis",
    "vers",
    "parmi",
    "durant",
    "aupres",
    "envers",
    "malgre",
    "concernant",
    "hormis",
    // English prepositions the stop list lacks.
    "via",
    "towards",
    "toward",
    "among",
    "amongst",
    "regarding",
    "throughout",
    "despite",
    "within",
    // "Obtenir des renseignements sur la plateforme consacrée au numérique": the asking, not the topic.
    "obtenir",
    "consacre",
    "consacree",
    "consacres",
    "consacrees",
    // Numbers in words ("for a year or two", "nous sommes trois"): a count, which the question's kind reads
    // from the text; as a unit it would weigh like a name the catalog lacks. ("One" begins "One Belt, One Road".)
    ...["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    ...["deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix"],
    // "quelques mois", "a few weeks", "несколько месяцев": how many, not what.
    ...["quelques", "plusieurs", "few", "several"],
  ],
  cyrillic: [
    // Colloquial grammar: "кто туда входит", "есть чо", "ваще".
    ...["туда", "сюда", "чо", "ваще"],
    ...FORMS_OF_ADDRESS.cyrillic,
    // Giving, said of anything ("китай дал странам асеан список"): no word of what is given.
    ...["дал", "дала", "дали"],
    ...["несколько", "пару", "пара"],
    ...["два", "две", "двух", "три", "трех", "трёх", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять"],
    // The future tense's auxiliary ("будут ли совместные лабы").
    "будет",
    "будут",
    "будем",
    "будете",
    // Whom to write to and about what ("кому писать по поводу…"), ties to something ("связи с Китаем", as
    // "ties" and "linked" are in English), and the asker's own doing ("учусь в КБТУ", "работаю в акимате").
    "поводу",
    "писать",
    // "кто такие NICTC?": the forms of "такой" the stop word list lacks.
    "такие",
    "такая",
    "таких",
    "связи",
    "связь",
    "учусь",
    // "родом из Алматы", "живу в Душанбе": the place says where the asker comes from or lives.
    "родом",
    "живу",
    "живём",
    "живем",
    // Relative pronouns the stop word list lacks ("парков, которые хотят…").
    ...["который", "которая", "которое", "которые", "которого", "которой", "которому", "которым", "которых", "которую"],
    // "Как зовут партсекретаря?": what the name is, a who-question.
    "зовут",
    // "Нам нужны партнёры": to us.
    "нам",
    "учимся",
    "работаю",
    "работаем",
    "выйти",
    // "где находится секретариат?": where it is, said by the where-question.
    "находится",
    "находятся",
    "находиться",
    "расположен",
    "расположена",
    "расположено",
    "расположены",
    "связанный",
    "связанная",
    "связанное",
    "связанные",
    "связанных",
    "связанным",
    "связан",
    "связана",
    "связаны",
    "какие",
    "какой",
    "какая",
    "каких",
    "какое",
    "каком",
    "найти",
    "ищу",
    "искать",
    "подскажите",
    "подскажи",
    "скажите",
    "скажи",
    "расскажите",
    "расскажи",
    "ответить",
    "ответь",
    "хочу",
    "хотел",
    "хотела",
    "хотелось",
    "нужно",
    "нужен",
    "нужна",
    "нужны",
    "есть",
    "пожалуйста",
    // "будьте добры": please.
    "будьте",
    "добры",
    // Prepositions the stop list lacks.
    "среди",
    "ради",
    "вместо",
    "кроме",
    "пжл",
    "плиз",
    "сколько",
    "скока",
    "скоко",
    "когда",
    "здравствуйте",
    "здрасте",
    "привет",
    "добрый",
    "доброе",
    "утро",
    "день",
    "вечер",
    "спасибо",
    "благодарю",
    // Greetings and thanks of Central Asian users writing Russian (Kazakh, Uzbek, Kyrgyz).
    "салем",
    "салам",
    "ассалому",
    "ассаламу",
    "ассалам",
    "алейкум",
    "алейкуму",
    "рахмет",
    "рахмат",
    "узнать",
    "интересует",
    "интересно",
    "вопрос",
    "помогите",
    "помоги",
    "чё",
    "че",
    "такое",
    "ребята",
    "коллеги",
    "уважаемые",
    "объясните",
    "существует",
    "существуют",
    "имеются",
    "бывают",
    "извините",
    "простите",
    "заранее",
    "скажите-ка",
    "вообще",
    "штука",
    "штуки",
    "типа",
    "короче",
    "вот",
    "входит",
    "входят",
    "входящие",
    "состоит",
    "состоят",
    "интересуют",
    "интересуемся",
    "возможности",
    "возможность",
    "посоветуйте",
    "порекомендуйте",
    "уточните",
    "уточнить",
    "объясни",
    "напишите",
    "брат",
    "бог",
    "благослови",
    "благодарен",
    "благодарна",
    "признателен",
    "признательна",
    "буду",
    "очень",
    "дорогие",
    "дорогой",
    "уважаемый",
    "уважаемая",
    "вообще-то",
    "щас",
    // What the asker does and has heard ("делаем станки", "пилим стартап", "слышал, что…", "как туда
    // попасть"), and how small they are ("небольшая фирма"): the asker, not what is asked.
    "идеи",
    "идей",
    "вроде",
    // Forms of "that" and "this" the Russian stop word list lacks ("та штука с инкубаторами").
    "та",
    "ту",
    "те",
    "той",
    "эта",
    "значит",
    "означает",
    // Looking, talking and giving ("куда смотреть", "с кем говорить", "что даёт бизнесу"), and
    // "по линии ШОС" (through the SCO).
    "смотреть",
    "посмотреть",
    "говорить",
    "поговорить",
    "дает",
    "дают",
    "линии",
    "штуку",
    "штукой",
    "штуковина",
    "предложил",
    "предложила",
    "предложили",
    "предлагает",
    "предлагают",
    "предложено",
    // "что проходило в Тяньцзине?", "что там происходит?": the place is what is asked.
    "проходило",
    "проходил",
    "проходила",
    "проходили",
    "проходит",
    "происходит",
    "происходило",
    // Greeting all ("всем привет") and going somewhere ("поехать в Китай"): the place is what is asked.
    "всем",
    "поехать",
    "съездить",
    "приехать",
    "подскажете",
    "делаем",
    "делаю",
    "делает",
    "делают",
    "производим",
    "занимаемся",
    "занимаюсь",
    "пилим",
    "запускаем",
    "влезть",
    "зайти",
    "попасть",
    "слышал",
    "слышала",
    "слышали",
    "говорят",
    "небольшая",
    "небольшой",
    "небольшое",
    "маленький",
    "маленькая",
    "маленькое",
    // Chat shorthand: "спс", "пж", "плз", "чё".
    "спс",
    "пж",
    "плз",
    "чё",
    "сейчас",
    "сегодня",
    "завтра",
    "вчера",
    "какую",
    "около",
    "рядом",
    "готов",
    "готова",
    "готовы",
    "какими",
    "каким",
    "какого",
    "какому",
    "скольких",
    "скольким",
    "кем",
    "кого",
    "кому",
    "чей",
    "чья",
    "насчет",
    "насчёт",
    "можете",
    "перечисли",
    "перечислите",
    "наш",
    "наша",
    "наше",
    "наши",
    "нашей",
    "нашу",
    "нашего",
    "хочет",
    "хотим",
    "хотят",
    "хотелось",
    "могу",
    "можем",
    "можно",
    "обещал",
    "обещали",
    "что-то",
    "какие-то",
    "какой-то",
    "чем-то",
    // "чем занимается…": what a body does is its card, not a word of it; "извините за беспокойство".
    "занимается",
    "занимаются",
    "беспокойство",
    "беспокою",
    "алайкум",
    // "поэтому пишу по-русски": why the asker writes as they do.
    "поэтому",
    "пишу",
    "полный",
    "полностью",
    "русски",
    // "есть инфо про…": information in general is what every card gives.
    "инфо",
    "инфа",
    "инфу",
    "инфы",
    // "что о нём известно?", "наш вуз дружит с…".
    "нем",
    "нём",
    "известно",
    "дружит",
  ],
  han: [
    // A wish and what it is about, as the segmenter leaves them ("想把我们的农业技术…", "想在阿拉木图…"), and the
    // asker's own wording around the question (帮忙, 听说, 以后, 专门, 分别, 地方).
    "想把",
    "想在",
    // Going somewhere ("推广到老挝去", "想去中国"): the place says where.
    "去",
    // "我想知道…", "金额我知道是…": what the asker knows or wants to know, not what it is about.
    "知道",
    "我知道",
    "想知道",
    "想借",
    "意思",
    "都有",
    // "那些活动一共…": those, in all — pointing and counting, not what is asked about.
    "那些",
    "这些",
    "一共",
    "总共",
    // "需要联系哪个单位": whichever body it is, not a word of what is asked about.
    "单位",
    "帮忙",
    "分别",
    "以后",
    "听说",
    "专门",
    "不大",
    "地方",
    "位于",
    "有没有",
    "附近",
    "哪里",
    "哪儿",
    "哪些",
    "哪个",
    "哪家",
    "什么",
    "怎么",
    "如何",
    "可以",
    "能",
    "请问",
    "想",
    "找",
    "寻找",
    "是否",
    "有",
    "吗",
    "呢",
    "吧",
    "啊",
    "多少",
    "几",
    "什么时候",
    "啥时候",
    "啥时",
    "啥",
    "时候",
    "何时",
    "谁",
    "谁能",
    "今年",
    "在读",
    "麻烦",
    "问一下",
    "问问",
    "一下",
    "谢谢",
    "感谢",
    "多谢",
    "你好",
    "您好",
    "大家好",
    "你们好",
    "早上好",
    "下午好",
    "晚上好",
    "早安",
    "午安",
    "请",
    "了解",
    "介绍",
    "告诉",
    "知道",
    "我",
    "我们",
    "想问",
    "问下",
    "想问下",
    "完整",
    // "NICTC是啥机构", "找谁比较好": what it is, which is better — the question's frame, not its words.
    "是啥",
    "比较",
    "比较好",
    "较好",
    "咨询",
    "一些",
    "相关",
    "的",
    "了",
    "是",
    "在",
    "和",
    "与",
    "及",
    "回事",
    "怎么回事",
    "干嘛",
    "干什么",
    "打扰",
    "打扰一下",
    "了解下",
    "那个",
    "这个",
    "那边",
    "这边",
    "的话",
    "怎么样",
    "什么样",
    "现成",
    "一起",
    "是不是",
    "哪些",
    "有关",
    "关于",
    "具体",
    "一下子",
    "大概",
    "请教",
    "帮我",
    "看看",
    "查查",
    "查一下",
    "我是",
    "没有",
    "或者",
    "还是",
    "以及",
    "机会",
    "需要",
    "希望",
    "打算",
    "我们是",
    "我想",
    "想要",
    "推荐",
    "给",
    "给我",
    "适合",
    "应该",
    "叫",
    "叫什么",
    "名字",
    "都",
    "都在",
    "问",
    "列出",
    "告诉我",
    "能不能",
    "可不可以",
    "是谁",
    "哪位",
    "目前",
    "现在",
    "今天",
    "明天",
    "昨天",
    "最近",
    "一般",
    "主要",
    "方面",
    "情况",
    "内容",
    "资料",
    "老师",
    "您",
    "兄弟",
    "朋友",
    "非常",
    "万分",
    "打听",
    "啥",
    "咋",
    "呗",
    "哈",
    "有啥",
    // Asking for a way in ("有门路吗", "有什么路子"): the asker's search, not its object.
    "门路",
    "路子",
    "啥样",
    "咨询一下",
    "想了解",
    "了解一下",
    "我在",
    "想去",
    "一起",
    "一起去",
    "一段",
    "一段时间",
    "现成",
    "是什么",
    "学校",
    "要",
    "一名",
    "那份",
    "这份",
    "哪一年",
    "哪年",
    "哪天",
    "哪一天",
    "几月",
    "几号",
    "几几年",
    "从哪年",
    "哪一届",
    "哪一",
    "从",
  ],
};

/**
 * Words that say which fact is asked for ("when did it start", "who organised", "members", "дата")
 * more than which record: kept as units, so they can still tell two records apart, but with little
 * weight in the confidence that a record answers the question.
 */
const SOFT_WORDS = [
  // "quoi de neuf côté coopération": as for — yet the first word of Côte d'Ivoire, which stays a place.
  "cote",
  "date",
  "dates",
  "year",
  "years",
  "yr",
  "yrs",
  // How long ("a research stay of a few months", "quelques mois", "на пару месяцев"): the stay, not the topic.
  "month",
  "months",
  "week",
  "weeks",
  "mois",
  "semaine",
  "semaines",
  "месяц",
  "месяца",
  "месяцев",
  "неделю",
  "недели",
  "недель",
  "start",
  "started",
  "begin",
  "began",
  "held",
  "organised",
  "organized",
  "organiser",
  "organizer",
  "organisers",
  "organizers",
  "member",
  "members",
  // "how many member states": the members, counted.
  "states",
  "part",
  "partie",
  "signed",
  "many",
  "much",
  "total",
  "number",
  "amount",
  "place",
  "city",
  "country",
  "countries",
  "where",
  "année",
  "annee",
  "organisé",
  "organise",
  "organisateur",
  "organisateurs",
  "membres",
  "membre",
  "lieu",
  "ville",
  "pays",
  "nombre",
  "montant",
  "signé",
  "signe",
  "дата",
  "год",
  "году",
  "года",
  "организовал",
  "организовали",
  "организатор",
  "организаторы",
  "члены",
  "участники",
  "участник",
  "прошел",
  "прошёл",
  "состоялся",
  "проходил",
  "проходит",
  "начался",
  "началась",
  "где",
  "город",
  "страны",
  "стран",
  "подписали",
  "подписано",
  // "Договор заключали?": an agreement made, as "signed" says.
  "заключил",
  "заключила",
  "заключили",
  "заключал",
  "заключали",
  "заключено",
  "заключены",
  "число",
  "количество",
  "сумма",
  "сумму",
  "суммы",
  "суммой",
  // "combien d'accords a-t-il permis de conclure ?": the signing, as "signé" is.
  "conclure",
  "conclu",
  "conclus",
  "日期",
  "时间",
  "年份",
  "举办",
  "举行",
  "主办",
  "成员",
  "成员国",
  "地点",
  // Where it is: "设在哪个城市", "where is it located", "où est-il situé", "где он будет находиться".
  "设在",
  "位于",
  "located",
  "situé",
  "situe",
  "située",
  "находится",
  "находиться",
  "расположен",
  "расположена",
  "城市",
  "国家",
  "签署",
  "签",
  "一共",
  "总共",
  "钱",
  "多少钱",
  "数量",
  "金额",
  "开始",
  "成立",
  "哪年",
  "报名",
  "申请",
  "办",
  "开",
  "参加",
  "联系",
  "apply",
  "application",
  "register",
  "registration",
  "join",
  "postuler",
  "candidater",
  "inscrire",
  "inscription",
  "rejoindre",
  "подать",
  "заявку",
  "заявка",
  "записаться",
  "участвовать",
  "вступить",
  "contact",
  "contacts",
  "contacter",
  "joindre",
  "контакт",
  "контакты",
  "связаться",
  "联系方式",
  "results",
  "outcome",
  "outcomes",
  "resultats",
  "bilan",
  "итоги",
  "результаты",
  "成果",
  "结果",
  "publish",
  "published",
  "publishes",
  "publie",
  "publient",
  "опубликовал",
  "опубликовали",
  "выпустил",
  "выпустили",
  "founded",
  "created",
  "established",
  "launched",
  "fondee",
  "fonde",
  "creee",
  "cree",
  "creees",
  "lancee",
  "lance",
  "основана",
  "основан",
  "основали",
  "создана",
  "создан",
  "создали",
  "учреждена",
  "запущена",
  "成立的",
  "创立",
  "建立",
  "启动",
  // "When was it set up?", "когда появилась…", 何时设立: when it began, as "founded" says.
  "set",
  "setup",
  "появилась",
  "появился",
  "появилось",
  "设立",
  "创办",
  // "List of incubators in China", "la liste des provinces": how the answer is wanted, not what about.
  "list",
  "lists",
  "liste",
  "listes",
  "список",
  "списка",
  "перечень",
  // "When did China put forward the Belt and Road?": when it began, as "founded" says.
  "выдвинул",
  "выдвинули",
  "выдвинута",
  "выдвинуто",
  // "Des projets au Brunei ?", "opportunities for Vietnam": every record is a project or an opportunity;
  // what is asked is the place.
  "project",
  "projects",
  "projet",
  "projets",
  "проект",
  "проекты",
  "проектов",
  "opportunity",
  "opportunities",
  "opportunite",
  "opportunites",
  "возможности",
  "structure",
  "structures",
  // "Is the AI centre already working or only planned?", "c'est déjà ouvert ?", "已经运行了吗": the state of
  // the thing, which its card tells.
  "operating",
  "operational",
  // "How long has CAEXPO been running?": since when, which its dates tell.
  "running",
  "long",
  // "Chinese partners", "un projet chinois", "китайские технологии": China is the other side of every record.
  ...["chinese", "chinois", "chinoise", "chinoises"],
  ...["китайский", "китайская", "китайское", "китайские", "китайского", "китайской", "китайских", "китайским"],
  ...["китайскими", "китайскому", "китайскую"],
  "planned",
  "fonctionne",
  "prevu",
  "prevue",
  "работает",
  "работают",
  "действует",
  "действуют",
  "планируется",
  "планируют",
  "запланирован",
  "запланирована",
  "运行",
  "投入使用",
  // "Startup support in UZ", "поддержка стартапов": every programme supports someone; what is asked is whom,
  // where and in what.
  "support",
  "supports",
  "assistance",
  "soutien",
  "accompagnement",
  "accompagner",
  "accompagne",
  "поддержка",
  "поддержку",
  "поддержки",
  "помощь",
  "支持",
  "扶持",
  "帮助",
];
const SOFT = new Set(SOFT_WORDS.map(fold));

/** "十国", "11国": so many countries, as "东盟十国" names ASEAN's members. */
const COUNTRIES_COUNTED = /^[一二三四五六七八九十两\d]+国$/u;

/** True for a word that names the kind of fact asked for rather than the record (see SOFT_WORDS). */
export function isSoftWord(text: string): boolean {
  return SOFT.has(text) || COUNTRIES_COUNTED.test(text);
}

let softKeys: Set<string> | undefined;

/** True for the index key (stem) of such a word, in English or French stemming. */
export function isSoftKey(key: string): boolean {
  softKeys ??= new Set(
    SOFT_WORDS.flatMap((w) => [...analyze(w, "en").keys, ...analyze(w, "fr").keys, ...analyze(w, "ru").keys]).filter(
      (k): k is string => k !== null,
    ),
  );
  return softKeys.has(key);
}

/**
 * Verbs of wanting, finding, asking and telling, in every form the stemmer gives them ("veulent",
 * "voudrais", "trouve", "permets", "expliquez", "хотели"): they say what the user does, not what they
 * look for. Matched by stem, so each family is listed by a few of its forms.
 */
const FILLER_VERBS = {
  latin: [
    "vouloir",
    "veux",
    "veut",
    "voulons",
    "voulez",
    "veulent",
    "voudrais",
    "voudrait",
    "voudrions",
    "voudriez",
    "voulais",
    "voulait",
    "falloir",
    "faut",
    "faudrait",
    "trouver",
    "trouve",
    "trouves",
    "trouvons",
    "trouvez",
    "trouvent",
    "chercher",
    "cherches",
    "cherchons",
    "cherchez",
    "cherchent",
    "expliquer",
    "explique",
    "expliques",
    "expliquez",
    "ecrire",
    "ecris",
    "ecrit",
    "adresser",
    "adresse",
    "permettre",
    "permets",
    "permet",
    "permettez",
    "renseigner",
    "renseigne",
    "remercier",
    "remercie",
    "remercions",
    "bosser",
    // Starting a company or a project is what the asker does, not what they look for.
    "lancer",
    "lance",
    "lancons",
    "monter",
    "monte",
    "montons",
    "dites",
    "dis",
    "wondering",
    "tell",
    "telling",
    "told",
    "explain",
    "explaining",
    "let",
    "know",
    "knowing",
    "wish",
    "wanted",
    "wants",
    "wanting",
    "hoping",
    "trying",
    "write",
    "writing",
    "ask",
    "asking",
    "asked",
  ],
  cyrillic: [
    "хочу",
    "хочешь",
    "хочет",
    "хотим",
    "хотите",
    "хотят",
    "хотел",
    "хотела",
    "хотели",
    "хотелось",
    "найти",
    "найду",
    "нахожу",
    "ищу",
    "ищем",
    "ищете",
    "искать",
    "подскажите",
    "подсказать",
    "расскажите",
    "рассказать",
    "объясните",
    "объяснить",
    "узнать",
    "узнаю",
    "написать",
    "пишу",
    "обратиться",
    "открыть",
    "запустить",
    "помочь",
    "помогает",
    "помогают",
    "поможет",
    "помогите",
    "посоветовать",
    "посоветуете",
    "посоветуйте",
    "уточнить",
    // Taking part says nothing of what in: "сколько городов участвовало в конференции" asks of the conference.
    "участвовать",
    "участвовал",
    "участвовало",
    "участвовали",
    "участвует",
    "участвуют",
  ],
};

/**
 * A company's legal form ("ИП из Караганды", "ТОО в Алматы", "Müller GmbH"): who asks, not what about.
 * Stop words even in capitals, where other capitals are acronyms that name something (IT, AI, ШОС).
 */
const LEGAL_FORMS = new Set(["llc", "ltd", "gmbh", "sarl", "inc", "ип", "ооо", "тоо", "осоо", "зао", "оао", "пао"]);

// One stop list per script: queries mix English and French freely, and a word that is a function
// word in either language carries no meaning for this catalog.
const LATIN_STOP = new Set([...eng, ...fra, ...QUESTION_WORDS.latin, ...LEGAL_FORMS].map(fold));
const CYRILLIC_STOP = new Set([...rus, ...QUESTION_WORDS.cyrillic, ...LEGAL_FORMS].map(fold));
let fillerStems: { latin: Set<string>; cyrillic: Set<string> } | undefined;

/**
 * Taking part says nothing of what in ("how many cities participated in the conference"): these forms
 * only, as their stem is also that of "participants" and "participation", which are what some ask for.
 */
const PARTICIPATING = new Set([
  "participer",
  "participe",
  "participes",
  "participent",
  "participons",
  "participez",
  "participate",
  "participated",
  "participates",
  "participating",
]);

/** True for a form of one of the FILLER_VERBS. */
function isFillerVerb(word: Word): boolean {
  if (PARTICIPATING.has(word.text)) return true;
  fillerStems ??= {
    latin: new Set(FILLER_VERBS.latin.flatMap((w) => [stem(fold(w), "fr"), stem(fold(w), "en")])),
    cyrillic: new Set(FILLER_VERBS.cyrillic.map((w) => stem(fold(w), "ru"))),
  };
  if (word.script === "cyrillic") return fillerStems.cyrillic.has(stem(word.text, "ru"));
  return fillerStems.latin.has(stem(word.text, "fr")) && fillerStems.latin.has(stem(word.text, "en"));
}
const HAN_STOP = new Set([...zho, ...QUESTION_WORDS.han]);

// Stemming dominates indexing time; a catalog's vocabulary is small, so memoising pays off quickly.
const stemCache = { en: new Map<string, string>(), fr: new Map<string, string>(), ru: new Map<string, string>() };
const STEM_CACHE_LIMIT = 200_000;

export function stem(word: string, lang: LatinLanguage | "ru"): string {
  const cache = stemCache[lang];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmers[lang].stem(word);
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

export function isStopword(word: Word): boolean {
  switch (word.script) {
    case "latin":
      return word.text.length < 2 || LATIN_STOP.has(word.text) || isFillerVerb(word);
    case "cyrillic":
      return word.text.length < 2 || CYRILLIC_STOP.has(word.text) || isFillerVerb(word);
    case "han":
      return HAN_STOP.has(word.text);
    default:
      return true;
  }
}

/** The latin-script language whose stemmer applies to Latin words inside a text of `lang`. */
export function latinLanguageOf(lang: Language): LatinLanguage {
  return lang === "fr" ? "fr" : "en";
}

/**
 * The index key of one non-Han word: its stem in the text's language (by script: Cyrillic words are
 * Russian whatever field they stand in). Digits stay as they are.
 */
/** Round numbers written as words ("a thousand technologies", "тысячу технологий") key as their digits, as "1,000" does. */
const NUMBER_WORDS = new Map([
  ...["thousand", "mille", "тысяча", "тысячу", "тысячи", "тысячей", "тыща", "тыщу", "тыщи"].map(
    (w) => [w, "1000"] as const,
  ),
  ...["hundred", "сотня", "сотню", "сотни"].map((w) => [w, "100"] as const),
]);

export function wordKey(word: Word, latin: LatinLanguage): string {
  const number = NUMBER_WORDS.get(word.text);
  if (number !== undefined) return number;
  if (word.script === "cyrillic") {
    // "ИИ" (AI) is no form of the conjunction "и" its stem would be.
    const stemmed = stem(ABBREVIATIONS.get(word.text) ?? word.text, "ru");
    return stemmed.length < 2 && word.text.length > 1 ? word.text : stemmed;
  }
  if (/^\d+$/.test(word.text)) return word.text;
  const stemmed = stem(britishSpelling(ABBREVIATIONS.get(word.text) ?? word.text), latin);
  if (latin === "en" || stemmed.length >= MIN_FRENCH_STEM) return stemmed;
  // The French stemmer cuts short words to stems that conflate unrelated words ("visa" and "vise" are
  // both "vis"): such a word keys as its singular ("labs" is still "lab").
  const singular = word.text.replace(/(?<=...)[sx]$/, "");
  return singular.length > stemmed.length ? singular : stemmed;
}

/**
 * American spellings keyed as the catalog's British ones: "center" is "centre", "organization" and
 * "organized" are "organisation" and "organised" ("prize" and "size" stay; "program" is the glossary's).
 */
function britishSpelling(text: string): string {
  const spelt = AMERICAN.get(text);
  if (spelt !== undefined) return spelt;
  return text.replace(/^(\p{L}{5,})iz(ation|ations|e|es|ed|ing|er|ers)$/u, "$1is$2");
}

const AMERICAN = new Map([
  ["center", "centre"],
  ["centers", "centres"],
]);

/** "ai" typed in lower case is AI, unless it is French "j'ai" (the elided pronoun is not a word of its own). */
export function isEnglishAi(word: Word, folded: string): boolean {
  return word.text === "ai" && !/['’]$/u.test(folded.slice(0, word.start));
}

/** Clipped words of chat, keyed as the words they stand for ("tech" is technology, "univ" university). */
const ABBREVIATIONS = new Map([
  ["tech", "technology"],
  // French chat: "je monte une boîte" is starting a company.
  ["boite", "entreprise"],
  ["boites", "entreprises"],
  ["techs", "technologies"],
  ["techno", "technologie"],
  ["technos", "technologies"],
  ["univ", "university"],
  ["org", "organization"],
  ["orgs", "organizations"],
  ["govt", "government"],
  ["intl", "international"],
  ["yrs", "years"],
  // Russian chat: "конфа в Урумчи" is the conference.
  ["конфа", "конференция"],
  ["конфе", "конференции"],
  ["конфу", "конференцию"],
  ["конфы", "конференции"],
  ["yr", "year"],
  // Months as people shorten them ("in Aug 2024", "en janv. 2025"); not "mar", "mai", "may" or "sept"
  // (French seven), which are words.
  ["jan", "january"],
  ["feb", "february"],
  ["apr", "april"],
  ["jun", "june"],
  ["jul", "july"],
  ["aug", "august"],
  ["sep", "september"],
  ["oct", "october"],
  ["nov", "november"],
  ["dec", "december"],
  ["janv", "janvier"],
  ["fevr", "fevrier"],
  ["avr", "avril"],
  ["juil", "juillet"],
]);

/** French stems shorter than this keep the word whole (see wordKey). */
const MIN_FRENCH_STEM = 4;

export interface AnalyzedText {
  folded: string;
  words: Word[];
  /** Per word: its index key, or null for stop words. Han words key as themselves. */
  keys: (string | null)[];
}

/** Question words a segmenter leaves stuck to a measure word or verb ("多少个", "几家"). */
const HAN_LEADING = ["多少", "哪些", "哪个", "哪家", "什么", "几"];
/** Particles and measure words a segmenter leaves stuck to a word ("签了", "协议的", "几个"). */
const HAN_TRAILING = ["了", "的", "个", "家", "吗", "呢", "吧", "啊", "呀", "过", "么"];

/** A query's Chinese word without the question words and particles stuck to it; null when nothing is left. */
function hanQueryKey(text: string): string | null {
  let key = text;
  for (let changed = true; changed && key.length > 1;) {
    changed = false;
    const lead = HAN_LEADING.find((p) => key.startsWith(p) && key.length > p.length);
    if (lead) [key, changed] = [key.slice(lead.length), true];
    const trail = HAN_TRAILING.find((p) => key.endsWith(p) && key.length > p.length);
    if (trail) [key, changed] = [key.slice(0, -trail.length), true];
  }
  return HAN_STOP.has(key) || HAN_TRAILING.includes(key) ? null : key;
}

let hanJoins: Set<string> | undefined;

/**
 * Rejoins Han words the segmenter split where the joined word is one of ours ("成员国" comes out as
 * 成员 + 国): a lone character left over would otherwise count as a word the catalog lacks.
 */
function joinKnownHan(ws: Word[]): Word[] {
  hanJoins ??= new Set([...SOFT_WORDS, ...HAN_STOP].filter((w) => /^\p{Script=Han}{2,}$/u.test(w)));
  const out: Word[] = [];
  for (const w of ws) {
    const prev = out[out.length - 1];
    if (
      prev &&
      prev.script === "han" &&
      w.script === "han" &&
      prev.end === w.start &&
      hanJoins.has(prev.text + w.text)
    ) {
      out[out.length - 1] = { ...prev, text: prev.text + w.text, end: w.end };
    } else out.push(w);
  }
  return out;
}

/** `forIndex` keeps Han runs whole (see `words`); queries segment them into words. */
/** A Chinese ordinal in numerals ("第十一个成员国"), which records also write in digits ("第11个成员国"). */
const HAN_ORDINAL = /第([一二三四五六七八九十百零〇两]+)/gu;
const HAN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** The value of Chinese numerals up to the hundreds ("十一" 11, "二十" 20, "一百零五" 105). */
export function hanNumber(numerals: string): number {
  let total = 0;
  let digit = 0;
  for (const c of numerals) {
    if (c === "十" || c === "百") {
      total += (digit || 1) * (c === "十" ? 10 : 100);
      digit = 0;
    } else digit = HAN_DIGIT[c] ?? 0;
  }
  return total + digit;
}

/**
 * A text folded for analysis. "第十一" and "第11" are one ordinal: both key as digits — from 10, since a
 * single digit is no word of its own (第二 keeps its characters, which mark an edition).
 */
function foldForAnalysis(text: string): string {
  return fold(text).replace(HAN_ORDINAL, (ordinal, numerals: string) => {
    const value = hanNumber(numerals);
    return value >= 10 ? `第${value}` : ordinal;
  });
}

/** A stop word, unless written as an acronym that names something or as AI. */
function isDropped(w: Word, acronym: (w: Word) => boolean, folded: string): boolean {
  return isStopword(w) && (!acronym(w) || LEGAL_FORMS.has(w.text)) && !isEnglishAi(w, folded);
}

export function analyze(text: string, lang: Language, forIndex = false): AnalyzedText {
  const folded = foldForAnalysis(text);
  const ws = forIndex ? words(folded, false) : joinKnownHan(words(folded, true));
  const latin = latinLanguageOf(lang);
  const acronym = acronymTest(text, folded);
  const keys = ws.map((w) =>
    isDropped(w, acronym, folded)
      ? null
      : w.script === "han"
        ? forIndex
          ? w.text
          : hanQueryKey(w.text)
        : wordKey(w, latin),
  );
  return { folded, words: ws, keys };
}

/**
 * A query analysed in both Latin stemmings, as `analyze(text, "en")` and `analyze(text, "fr")` give it:
 * folding, words and stop words are the same for both (so are the arrays of words), only the keys of Latin
 * words differ, and the rest is worked out once.
 */
export function analyzeBoth(text: string, knownHan?: KnownHanWords): { en: AnalyzedText; fr: AnalyzedText } {
  const folded = foldForAnalysis(text);
  const ws = joinKnownHan(words(folded, true, knownHan));
  const acronym = acronymTest(text, folded);
  const en: (string | null)[] = new Array<string | null>(ws.length);
  const fr: (string | null)[] = new Array<string | null>(ws.length);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (isDropped(w, acronym, folded)) {
      en[i] = fr[i] = null;
    } else if (w.script === "han") {
      en[i] = fr[i] = hanQueryKey(w.text);
    } else if (w.script === "cyrillic") {
      en[i] = fr[i] = wordKey(w, "en");
    } else {
      en[i] = wordKey(w, "en");
      fr[i] = wordKey(w, "fr");
    }
  }
  return { en: { folded, words: ws, keys: en }, fr: { folded, words: ws, keys: fr } };
}

/**
 * Index terms of an analysed text: word keys, Han words of two or more characters, and every
 * character bigram of each contiguous Han run (so a query segmented differently still meets it). A
 * text analysed for the index has whole Han runs as words; a one-character run is kept as it is.
 */
export function indexTerms(analyzed: AnalyzedText, into: Set<string>): void {
  const { words: ws, keys } = analyzed;
  let runStart = -1;
  let runText = "";
  const flushRun = () => {
    if (runText) for (const b of bigrams(runText)) into.add(b);
    runText = "";
    runStart = -1;
  };
  ws.forEach((w, i) => {
    const key = keys[i];
    if (w.script === "han") {
      if (runStart >= 0 && ws[i - 1]?.end !== w.start) flushRun();
      if (runStart < 0) runStart = w.start;
      runText += w.text;
      const length = key ? Array.from(key).length : 0;
      if (length === 1 || (length >= 2 && length <= 4)) into.add(key!);
      return;
    }
    flushRun();
    if (key) into.add(key);
  });
  flushRun();
}
