// Structured replies: an inbound message read as the answer to the question this contact was last asked
// (shared/reply-intent.ts). Only clear answers get an option; anything ambiguous is marked for a person to read,
// and nothing is ever done automatically on the strength of it.
import type { InboundMessage } from '../../shared/inbound';
import { AskedQuestionSchema, bindToQuestion, type AskedQuestion } from '../../shared/reply-intent';
import { prepareQuery, type QueryTarget } from '../store/prepared-query';

/** Stored in messages.intent and shown as a chip on the desk. */
export function answerIntent(optionId: string): string {
  return `answer:${optionId}`;
}
export const UNCLEAR_INTENT = 'unclear';

/**
 * How long a question waits for its answer. Past this, a "yes" is an ordinary message for a person to read, not the
 * answer to whatever was asked last week: a reply is never bound to a question the contact has long forgotten.
 */
export const QUESTION_ANSWERABLE_MS = 7 * 24 * 60 * 60 * 1000;

// Run for every inbound message; `question is not null` lets it read the partial index messages_contact_question.
const findLastQuestion = prepareQuery((db, p: { contactId: string }) =>
  db
    .selectFrom('messages')
    .select(['question', 'created_at'])
    .where('contact_id', '=', p.contactId)
    .where('direction', '=', 'outbound')
    .where('question', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1),
);

/** The last question asked of this contact, if it was asked since `askedSince`. */
export async function lastQuestionAsked(target: QueryTarget, contactId: string, askedSince: number): Promise<AskedQuestion | null> {
  const row = await findLastQuestion.first(target, { contactId });
  if (row?.question == null || row.created_at < askedSince) return null;
  // A row that no longer parses (an older shape) is treated as no question rather than failing the patient's message.
  const parsed = AskedQuestionSchema.safeParse(JSON.parse(row.question));
  return parsed.success ? parsed.data : null;
}

/** The intent to record on an inbound message, or null when it is not an answer to anything. */
export async function readAnswer(target: QueryTarget & { readonly now: number }, contactId: string, message: InboundMessage, body: string): Promise<string | null> {
  const asked = await lastQuestionAsked(target, contactId, target.now - QUESTION_ANSWERABLE_MS);
  if (asked === null) return null;
  // A tapped button or suggestion echoes the option id we sent: no reading needed.
  if (message.reply !== undefined && asked.options.some((option) => option.id === message.reply?.id)) return answerIntent(message.reply.id);
  const intent = bindToQuestion(asked, message.reply?.title ?? body);
  switch (intent.kind) {
    case 'match':
      return answerIntent(intent.optionId);
    case 'ambiguous':
      return UNCLEAR_INTENT;
    case 'none':
      return null;
    default: {
      const unexpected: never = intent;
      throw new Error(`unhandled reply intent ${JSON.stringify(unexpected)}`);
    }
  }
}
