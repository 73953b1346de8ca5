import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bindToQuestion,
  parseReplyIntent,
  REPLY_TEMPLATES,
  ReplyTemplateSchema,
  type ReplyIntent,
  type ReplyOption,
} from './reply-intent';

function optionsOf(templateId: string): ReplyOption[] {
  const template = REPLY_TEMPLATES.find((candidate) => candidate.id === templateId);
  if (!template) throw new Error(`no built-in template ${templateId}`);
  return template.options;
}

const CONFIRM = optionsOf('appointment_confirm'); // YES → confirm, NO → reschedule
const CHANGE = optionsOf('appointment_change'); // 1 → reschedule, 2 → cancel
const SYMPTOMS = optionsOf('symptom_check'); // URGENT → urgent

/** Compact expected results: "confirm!" is an exact match, "confirm" a clear one, else "ambiguous" or "none". */
type Expected = string;

function summarise(intent: ReplyIntent): Expected {
  if (intent.kind === 'match') return intent.confidence === 'exact' ? `${intent.optionId}!` : intent.optionId;
  return intent.kind;
}

const CONFIRM_CASES: ReadonlyArray<readonly [string, Expected]> = [
  ['YES', 'confirm!'],
  ['yes', 'confirm!'],
  ['Yes', 'confirm!'],
  ['  yes  ', 'confirm!'],
  ['YES.', 'confirm'],
  ['Yes!', 'confirm'],
  ['yes!!!', 'confirm'],
  ['yes please', 'confirm'],
  ['Yes please.', 'confirm'],
  ['yes pls', 'confirm'],
  ['yes plz', 'confirm'],
  ['Yes thank you', 'confirm'],
  ['Yes, thank you very much', 'confirm'],
  ['yes thanks x', 'confirm'],
  ['Y', 'confirm'],
  ['y', 'confirm'],
  ['yep', 'confirm'],
  ['Yep!', 'confirm'],
  ['yup', 'confirm'],
  ['yeah', 'confirm'],
  ['yeah ok', 'confirm'],
  ['Yeah okay thanks', 'confirm'],
  ['yea', 'confirm'],
  ['ok', 'confirm'],
  ['OK', 'confirm'],
  ['Okay', 'confirm'],
  ['sure', 'confirm'],
  ['Confirm', 'confirm'],
  ['confirmed', 'confirm'],
  ['Yes confirmed', 'confirm'],
  ['Yes I will be there', 'confirm'],
  ["I'll be there", 'confirm'],
  ['Yes, see you then', 'confirm'],
  ["That's fine", 'confirm'],
  ['yes yes', 'confirm'],
  ['Yes, no problem', 'confirm'],
  ['Hi yes thanks', 'confirm'],
  ['👍', 'confirm'],
  ['👍🏽', 'confirm'],
  ['👍👍', 'confirm'],
  ['✅', 'confirm'],
  ['✔️', 'confirm'],
  ['👌', 'confirm'],
  ['Yes 😊', 'confirm'],
  ['👍 thanks', 'confirm'],
  ['yse', 'confirm'],
  ['yess', 'confirm'],
  ['yesss', 'confirm'],
  ['yes s', 'confirm'],
  ['ye s', 'confirm'],
  ['y e s', 'confirm'],
  ['yas', 'confirm'],
  ['Yeees please', 'confirm'],
  ['ＹＥＳ', 'confirm'],
  ['NO', 'reschedule!'],
  ['no', 'reschedule!'],
  ['No.', 'reschedule'],
  ['N', 'reschedule'],
  ['n', 'reschedule'],
  ['nope', 'reschedule'],
  ['Nah', 'reschedule'],
  ['no thanks', 'reschedule'],
  ['No thank you', 'reschedule'],
  ['nooo', 'reschedule'],
  ["can't make it", 'reschedule'],
  ['cant make it', 'reschedule'],
  ['Can’t make it, sorry', 'ambiguous'],
  ['cannot make it', 'reschedule'],
  ['No, I cant make it', 'reschedule'],
  ["won't make it", 'reschedule'],
  ['cancel', 'reschedule'],
  ['Cancel please', 'reschedule'],
  ['👎', 'reschedule'],
  ['❌', 'reschedule'],
  // Ambiguous: a person must read these.
  ['yes no', 'ambiguous'],
  ['Yes or no', 'ambiguous'],
  ['yes but can I come at 11?', 'ambiguous'],
  ['Yes?', 'ambiguous'],
  ['yes at 10am', 'ambiguous'],
  ['yes but my mum is ill', 'ambiguous'],
  ['maybe', 'ambiguous'],
  ['not sure', 'ambiguous'],
  ['Yes probably', 'ambiguous'],
  ['not yes', 'ambiguous'],
  ['no idea', 'ambiguous'],
  ['No, I said yes', 'ambiguous'],
  ['👍👎', 'ambiguous'],
  ['1', 'ambiguous'],
  ['2', 'ambiguous'],
  ['URGENT', 'ambiguous'],
  ['yes, I will be there but please can someone call me about parking because last time it was full', 'ambiguous'],
  ['yet', 'none'],
  ['yes 🤔', 'ambiguous'],
  // Not an answer at all.
  ['', 'none'],
  ['   ', 'none'],
  ['Who is this?', 'none'],
  ['Hello', 'none'],
  ['thanks', 'none'],
  ['STOP', 'none'],
  ['What time is it again', 'none'],
  ['❤️', 'none'],
  ['eyes', 'none'],
];

const CHANGE_CASES: ReadonlyArray<readonly [string, Expected]> = [
  ['1', 'reschedule!'],
  ['2', 'cancel!'],
  ['1.', 'reschedule'],
  [' 2 ', 'cancel!'],
  ['2.', 'cancel'],
  ['1)', 'reschedule'],
  ['#1', 'reschedule'],
  ['1️⃣', 'reschedule'],
  ['option 1', 'reschedule'],
  ['one', 'reschedule'],
  ['One please', 'reschedule'],
  ['two', 'cancel'],
  ['Two thanks', 'cancel'],
  ['2 please', 'cancel'],
  ['01', 'reschedule'],
  ['reschedule', 'reschedule!'],
  ['Reschedule please', 'reschedule'],
  ['rebook', 'reschedule'],
  ['cancel', 'cancel!'],
  ['CANCEL', 'cancel!'],
  ['Cancel it please', 'cancel'],
  ['cancle', 'cancel'],
  ['cancelled', 'cancel'],
  ["can't make it", 'reschedule'],
  ['cant make it', 'reschedule'],
  ['2 cancel', 'cancel'],
  // Ambiguous.
  ['1 and 2', 'ambiguous'],
  ['1 2', 'ambiguous'],
  ['12', 'ambiguous'],
  ['3', 'ambiguous'],
  ['three', 'ambiguous'],
  ['1 or maybe 2', 'ambiguous'],
  ['both', 'ambiguous'],
  ['1?', 'ambiguous'],
  ['2 but can I rebook for next week', 'ambiguous'],
  ['1 cancel', 'ambiguous'],
  ['yes', 'ambiguous'],
  ['no', 'ambiguous'],
  ['can I come at 11', 'ambiguous'],
  ['cancer', 'none'],
  ['ok', 'ambiguous'],
  ['Thank you', 'none'],
];

const SYMPTOM_CASES: ReadonlyArray<readonly [string, Expected]> = [
  ['URGENT', 'urgent!'],
  ['urgent', 'urgent!'],
  ['urgent!!', 'urgent'],
  ['Urgent.', 'urgent'],
  ['URGENT please', 'urgent'],
  ['urgnet', 'urgent'],
  ['urgen', 'urgent'],
  ['getting worse', 'urgent'],
  ['Getting worse', 'urgent'],
  ['much worse', 'urgent'],
  ['worse', 'urgent'],
  ["She's getting worse", 'urgent'],
  ['my symptoms are worse', 'urgent'],
  ['it’s urgent', 'urgent'],
  ['🚨', 'urgent'],
  // Ambiguous: these must never be read as URGENT, nor silently dropped.
  ['not urgent', 'ambiguous'],
  ['Not worse', 'ambiguous'],
  ['no', 'ambiguous'],
  ['yes', 'ambiguous'],
  ['ok thanks', 'ambiguous'],
  ['urgent?', 'ambiguous'],
  ['is it urgent', 'ambiguous'],
  ['getting worse since this morning', 'ambiguous'],
  ['no not worse', 'ambiguous'],
  ['1', 'ambiguous'],
  ['maybe getting worse', 'ambiguous'],
  ['Thanks', 'none'],
  ['Hi, where do I park', 'none'],
];

describe('parseReplyIntent', () => {
  it('has at least 120 real-world phrasings in its tables', () => {
    expect(CONFIRM_CASES.length + CHANGE_CASES.length + SYMPTOM_CASES.length).toBeGreaterThanOrEqual(120);
  });

  describe('"Reply YES to confirm, or NO to reschedule."', () => {
    it.each(CONFIRM_CASES)('%j → %s', (text, expected) => {
      expect(summarise(parseReplyIntent(text, CONFIRM))).toBe(expected);
    });
  });

  describe('"Reply 1 to reschedule, 2 to cancel."', () => {
    it.each(CHANGE_CASES)('%j → %s', (text, expected) => {
      expect(summarise(parseReplyIntent(text, CHANGE))).toBe(expected);
    });
  });

  describe('"Reply URGENT if symptoms have worsened."', () => {
    it.each(SYMPTOM_CASES)('%j → %s', (text, expected) => {
      expect(summarise(parseReplyIntent(text, SYMPTOMS))).toBe(expected);
    });
  });

  it('explains why a reply is ambiguous', () => {
    expect(parseReplyIntent('yes but can I come at 11?', CONFIRM)).toEqual({ kind: 'ambiguous', reason: 'the reply asks a question' });
    expect(parseReplyIntent('3', CHANGE)).toEqual({ kind: 'ambiguous', reason: 'the reply mentions a number that is not an option' });
    expect(parseReplyIntent('1 and 2', CHANGE)).toEqual({ kind: 'ambiguous', reason: 'the reply chooses more than one option' });
  });

  it('understands an option keyword it has no built-in meaning for', () => {
    const options: ReplyOption[] = [
      { id: 'attend', label: 'Attending', keywords: ['ATTEND'] },
      { id: 'rebook', label: 'Rebook', keywords: ['REBOOK'] },
    ];
    expect(summarise(parseReplyIntent('attend', options))).toBe('attend!');
    expect(summarise(parseReplyIntent('atend please', options))).toBe('attend');
    expect(summarise(parseReplyIntent('Rebook', options))).toBe('rebook!');
    expect(summarise(parseReplyIntent('attend rebook', options))).toBe('ambiguous');
  });

  it('reads a phrase that fits two offered options as ambiguous rather than picking one', () => {
    const options: ReplyOption[] = [
      { id: 'no', label: 'No', keywords: ['NO'] },
      { id: 'cancel', label: 'Cancel', keywords: ['CANCEL'] },
    ];
    // "cancel" names one option literally, so it is clear; "cancel it" only means both.
    expect(summarise(parseReplyIntent('cancel', options))).toBe('cancel!');
    expect(summarise(parseReplyIntent('cancel it', options))).toBe('ambiguous');
  });

  it('never matches a one-way message', () => {
    const acknowledgement = REPLY_TEMPLATES.find((template) => template.id === 'marthas_rule_ack');
    expect(acknowledgement?.options).toEqual([]);
    expect(parseReplyIntent('yes', acknowledgement?.options ?? [])).toEqual({ kind: 'none' });
  });

  it('never picks an option for a reply that mentions two different options (property)', () => {
    const confirmWords = fc.constantFrom('yes', 'Y', 'yep', 'yeah', '👍', 'ok', 'sure');
    const rescheduleWords = fc.constantFrom('no', 'N', 'nope', 'nah', '👎', "can't make it");
    const filler = fc.constantFrom('', 'please', 'thanks', 'x', '!', ',');
    fc.assert(
      fc.property(confirmWords, rescheduleWords, filler, fc.boolean(), (yes, no, extra, yesFirst) => {
        const text = yesFirst ? `${yes} ${extra} ${no}` : `${no} ${extra} ${yes}`;
        expect(parseReplyIntent(text, CONFIRM).kind).toBe('ambiguous');
      }),
    );
  });

  it('only ever matches an option it was offered (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(CONFIRM, CHANGE, SYMPTOMS), (text, options) => {
        const intent = parseReplyIntent(text, options);
        if (intent.kind === 'match') expect(options.map((option) => option.id)).toContain(intent.optionId);
      }),
    );
  });
});

describe('bindToQuestion', () => {
  it('has no intent for a contact who was never asked', () => {
    expect(bindToQuestion(null, 'YES')).toEqual({ kind: 'none' });
  });

  it('reads the reply against the question last asked', () => {
    const asked = { templateId: 'appointment_change', options: CHANGE, sentAt: Date.UTC(2026, 3, 1, 9) };
    expect(bindToQuestion(asked, '2')).toEqual({ kind: 'match', optionId: 'cancel', confidence: 'exact' });
    expect(bindToQuestion({ ...asked, templateId: 'appointment_confirm', options: CONFIRM }, '2').kind).toBe('ambiguous');
  });
});

describe('ReplyTemplateSchema', () => {
  it('accepts every built-in template', () => {
    for (const template of REPLY_TEMPLATES) expect(ReplyTemplateSchema.safeParse(template).success).toBe(true);
  });

  it('rejects a keyword offered by two options, whatever its case', () => {
    const result = ReplyTemplateSchema.safeParse({
      id: 'clash',
      name: 'Clash',
      body: 'Reply YES or yes',
      options: [
        { id: 'a', label: 'A', keywords: ['YES'] },
        { id: 'b', label: 'B', keywords: ['yes'] },
      ],
    });
    expect(result.success).toBe(false);
  });

  it('rejects a button label WhatsApp could not show', () => {
    const result = ReplyTemplateSchema.safeParse({
      id: 'long',
      name: 'Long',
      body: 'Reply YES',
      options: [{ id: 'a', label: 'Yes I confirm my appointment', keywords: ['YES'] }],
    });
    expect(result.success).toBe(false);
  });
});
