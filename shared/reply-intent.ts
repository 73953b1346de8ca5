// Structured replies: the options a message offers ("Reply YES to confirm") and the parser that
// decides which option a patient's free-text answer chose. The parser's one rule is the clinical one
// from DOMAIN.md: recognise the clear cases, hand everything else to a person, never guess.
//
// How it decides. The text is split into tokens and every token must be accounted for:
// - an answer phrase ("yes", "yep", "👍", "cant make it", "one", "2", "getting worse"), which stands
//   for one or more canonical keywords (YES, NO, RESCHEDULE, CANCEL, URGENT, or a number);
// - a courtesy word that carries no answer ("please", "thank you", "x", "🙂");
// - a misspelling of an offered keyword (edit distance 1, keywords of 3 letters or more), or a
//   stretched word ("yesss", "nooo").
// Any other word next to an answer makes the reply ambiguous: that is how "not urgent", "yes but…",
// "no idea" and "yes at 10am" reach a person instead of being read as URGENT / YES / NO.
import { z } from 'zod';

export const ReplyOptionSchema = z.object({
  id: z.string().min(1).max(64),
  /** Button text where the channel has buttons: WhatsApp allows at most 20 characters. */
  label: z.string().min(1).max(20),
  /** Words or numbers that choose this option, matched without regard to case. */
  keywords: z.array(z.string().trim().min(1).max(40)).min(1),
});
export type ReplyOption = z.infer<typeof ReplyOptionSchema>;

export const ReplyTemplateSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(120),
    body: z.string().min(1).max(1600),
    /** Empty for a one-way message, which no reply is parsed against. */
    options: z.array(ReplyOptionSchema).max(10),
  })
  .superRefine((template, context) => {
    // A keyword shared by two options could never be answered clearly, so reject the template.
    const seenKeywords = new Set<string>();
    const seenIds = new Set<string>();
    for (const option of template.options) {
      if (seenIds.has(option.id)) context.addIssue({ code: 'custom', message: `duplicate option id ${option.id}` });
      seenIds.add(option.id);
      for (const keyword of option.keywords) {
        const folded = keyword.toUpperCase();
        if (seenKeywords.has(folded)) context.addIssue({ code: 'custom', message: `keyword ${keyword} is offered by two options` });
        seenKeywords.add(folded);
      }
    }
  });
export type ReplyTemplate = z.infer<typeof ReplyTemplateSchema>;

export const REPLY_TEMPLATES: readonly ReplyTemplate[] = [
  {
    id: 'appointment_confirm',
    name: 'Appointment: confirm or reschedule',
    body: 'Reply YES to confirm, or NO to reschedule.',
    options: [
      { id: 'confirm', label: 'Yes', keywords: ['YES'] },
      { id: 'reschedule', label: 'No', keywords: ['NO'] },
    ],
  },
  {
    id: 'appointment_change',
    name: 'Appointment: reschedule or cancel',
    // Digits, not the word CANCEL: Twilio opts out any number that texts the single word CANCEL.
    body: 'Reply 1 to reschedule, 2 to cancel.',
    options: [
      { id: 'reschedule', label: 'Reschedule', keywords: ['1', 'RESCHEDULE'] },
      { id: 'cancel', label: 'Cancel', keywords: ['2', 'CANCEL'] },
    ],
  },
  {
    id: 'symptom_check',
    name: 'Symptom check',
    body: 'Reply URGENT if symptoms have worsened.',
    options: [{ id: 'urgent', label: 'Urgent', keywords: ['URGENT'] }],
  },
  {
    id: 'marthas_rule_ack',
    name: "Martha's Rule call received",
    body:
      "Thank you. Your request for an urgent review has reached the critical care outreach team, who will contact you. " +
      'If the patient is getting worse right now, tell a member of ward staff straight away.',
    options: [],
  },
];

export type ReplyIntent =
  | { kind: 'match'; optionId: string; confidence: 'exact' | 'clear' }
  | { kind: 'ambiguous'; reason: string }
  | { kind: 'none' };

const CANCEL_PHRASES = ['cancel', 'cancel it', 'cancel that', 'cancel appointment', 'cancel the appointment', 'cancelled', 'canceled'];

/**
 * Phrases that mean a canonical keyword, written as tokens (lower case, apostrophes removed).
 * A phrase may stand for several keywords ("cant make it" is both NO and RESCHEDULE); which one it
 * selects depends on the options offered.
 */
const ANSWER_PHRASES: Readonly<Record<string, readonly string[]>> = {
  YES: [
    'yes', 'y', 'ye', 'yeah', 'yea', 'yeh', 'yep', 'yup', 'ya', 'yah', 'aye', 'ok', 'okay', 'okey', 'k', 'kk', 'sure',
    'confirm', 'confirmed', 'correct', 'definitely', 'absolutely', 'of course', 'will do', 'will be there',
    'i will be there', 'ill be there', 'see you then', 'see you there', 'thats fine', 'that is fine',
    'sounds good', 'yes please', '👍', '✅', '✔', '☑', '👌', '🆗',
  ],
  NO: [
    'no', 'n', 'nope', 'nah', 'na', 'cant make it', 'cannot make it', 'can not make it', 'cant come', 'cannot come',
    'cant attend', 'cannot attend', 'unable to attend', 'unable to come', 'wont make it', 'will not make it',
    'not able to come', 'not able to make it', '👎', '❌', '❎', '✖',
    // Cancelling is not attending: where only YES/NO is offered, it is the NO answer.
    ...CANCEL_PHRASES,
  ],
  RESCHEDULE: [
    'reschedule', 're schedule', 'rebook', 're book', 'rearrange', 'change', 'change it', 'change the date',
    'change the time', 'another day', 'another time', 'different day', 'different time', 'new appointment',
    'cant make it', 'cannot make it', 'can not make it', 'cant come', 'cannot come', 'cant attend',
    'cannot attend', 'unable to attend', 'unable to come', 'wont make it', 'will not make it',
  ],
  CANCEL: CANCEL_PHRASES,
  URGENT: [
    'urgent', 'urgently', 'worse', 'worsened', 'worsening', 'getting worse', 'got worse', 'gotten worse',
    'much worse', 'a lot worse', 'deteriorating', 'deteriorated', 'emergency', '🚨',
  ],
};
// CONFIRM as an option keyword means the same as YES.
const KEYWORD_ALIASES: Readonly<Record<string, string>> = { CONFIRM: 'YES' };

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  first: 1, second: 2, third: 3, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4,
};

/** Words that add nothing to an answer. No negation is here, so "not" always stays unexplained. */
const COURTESY_PHRASES = [
  'please', 'pls', 'plz', 'plse', 'thanks', 'thank you', 'thankyou', 'thanx', 'thx', 'ty', 'ta', 'cheers',
  'many thanks', 'thanks very much', 'thank you very much', 'thank you so much', 'thanks so much', 'x', 'xx', 'xxx',
  'no problem', 'no problems', 'not a problem', 'no worries',
  'hi', 'hello', 'hiya', 'great', 'lovely', 'perfect', 'brilliant', 'wonderful', 'oh', 'ah', 'um',
  'option', 'number', 'i', 'im', 'i am', 'he', 'she', 'they', 'hes', 'shes', 'theyre', 'its', 'is', 'are',
  'has', 'have', 'been', 'my', 'his', 'her', 'their', 'symptoms', 'really', 'very', 'so', 'mum', 'dad',
  '🙂', '😊', '😀', '😃', '😄', '😁', '☺', '🙏', '❤', '♥', '💕', '😘', '🤗', '👋',
];

/** Words that say the person has not decided; their presence alone makes a reply ambiguous. */
const UNDECIDED_PHRASES = ['maybe', 'perhaps', 'not sure', 'unsure', 'dont know', 'dunno', 'both', 'either', 'possibly'];

/** Real words one edit from a keyword; reading them as that keyword would be a guess (cancer ≠ cancel). */
const NEVER_CORRECTED = new Set(['yet', 'eyes', 'ayes', 'yew', 'yds', 'cancer', 'conform']);

const LONGEST_PHRASE_TOKENS = 5;
/** Beyond this a reply is a letter, not an answer: a person reads it. */
const LONG_REPLY_TOKENS = 12;

type Reading =
  | { kind: 'answer'; text: string; keywords: readonly string[] }
  | { kind: 'courtesy' }
  | { kind: 'undecided' }
  | { kind: 'unexplained'; text: string };

interface Vocabulary {
  phrases: Map<string, Reading>;
  /** Offered single-word keywords of three or more letters, lower case, that a slip may be corrected to. */
  correctable: Map<string, string>;
}

const VARIATION_AND_SKIN_TONE = /[\uFE0E\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;
const PICTOGRAPH = /(\p{Extended_Pictographic})/gu;
const APOSTROPHES = /['’‘`´]/g;
const SEPARATORS = /[^\p{L}\p{N}\p{Extended_Pictographic}]+/u;

/** Lower-case tokens, apostrophes dropped ("can't" → "cant"), each pictograph its own token. */
function tokenise(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(VARIATION_AND_SKIN_TONE, '')
    .replace(APOSTROPHES, '')
    .replace(PICTOGRAPH, ' $1 ')
    .split(SEPARATORS)
    .filter((token) => token.length > 0);
}

function phraseKey(phrase: string): string {
  return tokenise(phrase).join(' ');
}

function canonicalKeyword(keyword: string): string {
  const upper = keyword.trim().toUpperCase();
  if (/^\d+$/.test(upper)) return String(Number(upper));
  return KEYWORD_ALIASES[upper] ?? upper;
}

const BASE_PHRASES: ReadonlyMap<string, Reading> = (() => {
  const phrases = new Map<string, Reading>();
  const addAnswer = (phrase: string, keyword: string): void => {
    const key = phraseKey(phrase);
    const existing = phrases.get(key);
    const keywords = existing?.kind === 'answer' ? [...existing.keywords, keyword] : [keyword];
    phrases.set(key, { kind: 'answer', text: key, keywords });
  };
  for (const [keyword, list] of Object.entries(ANSWER_PHRASES)) for (const phrase of list) addAnswer(phrase, keyword);
  for (const [word, value] of Object.entries(NUMBER_WORDS)) addAnswer(word, String(value));
  for (const phrase of COURTESY_PHRASES) phrases.set(phraseKey(phrase), { kind: 'courtesy' });
  for (const phrase of UNDECIDED_PHRASES) phrases.set(phraseKey(phrase), { kind: 'undecided' });
  return phrases;
})();

/** The base vocabulary plus the options' own keywords, so a custom keyword ("REBOOK") is understood. */
function vocabularyFor(options: readonly ReplyOption[]): Vocabulary {
  const phrases = new Map(BASE_PHRASES);
  const correctable = new Map<string, string>();
  for (const option of options) {
    for (const keyword of option.keywords) {
      const key = phraseKey(keyword);
      if (key.length === 0) continue;
      const canonical = canonicalKeyword(keyword);
      const existing = phrases.get(key);
      const keywords = existing?.kind === 'answer' ? [...new Set([...existing.keywords, canonical])] : [canonical];
      phrases.set(key, { kind: 'answer', text: key, keywords });
      if (/^\p{L}{3,}$/u.test(key)) correctable.set(key, key);
    }
  }
  return { phrases, correctable };
}

/** Optimal-string-alignment distance, capped: we only ever ask "is it at most 1?". */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (previousPrevious[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    previousPrevious.splice(0, previousPrevious.length, ...previous);
    previous = current;
  }
  return (previous[b.length] ?? Infinity) <= 1;
}

/** "yesss" → "yes", "nooo" → "no": emphasis, not a different word. */
function collapseRepeats(token: string): string {
  return token.replace(/(\p{L})\1+/gu, '$1');
}

function readSingleToken(token: string, vocabulary: Vocabulary): Reading {
  if (/^\d+$/.test(token)) return { kind: 'answer', text: token, keywords: [String(Number(token))] };
  const known = vocabulary.phrases.get(token);
  if (known) return known;
  const collapsed = vocabulary.phrases.get(collapseRepeats(token));
  if (collapsed?.kind === 'answer') return collapsed;
  if (!NEVER_CORRECTED.has(token) && /^\p{L}+$/u.test(token)) {
    const corrections = [...vocabulary.correctable.keys()].filter((keyword) => withinOneEdit(token, keyword));
    const [only] = corrections;
    if (corrections.length === 1 && only !== undefined) {
      const reading = vocabulary.phrases.get(only);
      if (reading) return reading;
    }
  }
  return { kind: 'unexplained', text: token };
}

/** Greedy longest-phrase reading of the tokens. */
function readTokens(tokens: readonly string[], vocabulary: Vocabulary): Reading[] {
  const readings: Reading[] = [];
  let index = 0;
  while (index < tokens.length) {
    let matched = false;
    for (let length = Math.min(LONGEST_PHRASE_TOKENS, tokens.length - index); length >= 2; length -= 1) {
      const reading = vocabulary.phrases.get(tokens.slice(index, index + length).join(' '));
      if (reading) {
        readings.push(reading);
        index += length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      readings.push(readSingleToken(tokens[index] ?? '', vocabulary));
      index += 1;
    }
  }
  return readings;
}

/**
 * "ye s", "y e s", "can cel": a short reply split by a stray space reads as one word when joined.
 * Only tried for replies made of letters alone, and only accepted if the joined word is an answer.
 */
function readJoined(tokens: readonly string[], vocabulary: Vocabulary): Reading[] | undefined {
  if (tokens.length < 2 || tokens.length > 4 || !tokens.every((token) => /^\p{L}+$/u.test(token))) return undefined;
  const reading = readSingleToken(tokens.join(''), vocabulary);
  return reading.kind === 'answer' ? [reading] : undefined;
}

/** Options an answer phrase selects: those offering it literally first, else those offering its meaning. */
function optionsSelectedBy(answer: { text: string; keywords: readonly string[] }, options: readonly ReplyOption[]): string[] {
  const literal = options.filter((option) => option.keywords.some((keyword) => phraseKey(keyword) === answer.text));
  if (literal.length > 0) return literal.map((option) => option.id);
  return options
    .filter((option) => option.keywords.some((keyword) => answer.keywords.includes(canonicalKeyword(keyword))))
    .map((option) => option.id);
}

export function parseReplyIntent(text: string, options: readonly ReplyOption[]): ReplyIntent {
  if (options.length === 0) return { kind: 'none' };
  const tokens = tokenise(text);
  if (tokens.length === 0) return { kind: 'none' };

  const vocabulary = vocabularyFor(options);
  let readings = readTokens(tokens, vocabulary);
  if (readings.some((reading) => reading.kind === 'unexplained')) {
    readings = readJoined(tokens, vocabulary) ?? readings;
  }

  const answers = readings.filter((reading): reading is Extract<Reading, { kind: 'answer' }> => reading.kind === 'answer');
  const undecided = readings.some((reading) => reading.kind === 'undecided');
  const unexplained = readings.filter((reading): reading is Extract<Reading, { kind: 'unexplained' }> => reading.kind === 'unexplained');
  const mentionsNumber = unexplained.some((reading) => /\d/.test(reading.text));

  // Nothing that looks like an answer: an ordinary message, not a reply to the question.
  if (answers.length === 0 && !undecided && !mentionsNumber) return { kind: 'none' };

  if (undecided) return { kind: 'ambiguous', reason: 'the reply is undecided' };
  if (/[?？]/.test(text)) return { kind: 'ambiguous', reason: 'the reply asks a question' };
  if (tokens.length > LONG_REPLY_TOKENS) return { kind: 'ambiguous', reason: 'long free text' };
  if (mentionsNumber) return { kind: 'ambiguous', reason: 'the reply mentions a number that is not an option' };

  const selected = new Set<string>();
  for (const answer of answers) {
    const optionIds = optionsSelectedBy(answer, options);
    if (optionIds.length === 0) {
      const isNumber = answer.keywords.every((keyword) => /^\d+$/.test(keyword));
      return {
        kind: 'ambiguous',
        reason: isNumber ? 'the reply mentions a number that is not an option' : `"${answer.text}" is not one of the options`,
      };
    }
    if (optionIds.length > 1) return { kind: 'ambiguous', reason: `"${answer.text}" could mean more than one option` };
    for (const id of optionIds) selected.add(id);
  }
  if (selected.size > 1) return { kind: 'ambiguous', reason: 'the reply chooses more than one option' };
  if (unexplained.length > 0) return { kind: 'ambiguous', reason: 'the reply says more than the answer' };

  const [optionId] = selected;
  if (optionId === undefined) return { kind: 'none' };
  const trimmed = text.trim().toUpperCase();
  const exact = options.some((option) => option.id === optionId && option.keywords.some((keyword) => keyword.toUpperCase() === trimmed));
  return { kind: 'match', optionId, confidence: exact ? 'exact' : 'clear' };
}

/** The question a contact was last sent, as the store keeps it. */
export const AskedQuestionSchema = z.object({
  templateId: z.string().min(1).max(64),
  options: z.array(ReplyOptionSchema),
  sentAt: z.number().int().nonnegative(),
});
export type AskedQuestion = z.infer<typeof AskedQuestionSchema>;

/** A reply is read against the last question that contact was asked; never asked means no intent. */
export function bindToQuestion(lastAsked: AskedQuestion | null, text: string): ReplyIntent {
  if (lastAsked === null) return { kind: 'none' };
  return parseReplyIntent(text, lastAsked.options);
}
