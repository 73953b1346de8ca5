// STOP, START and HELP arriving on any channel, applied inside intake's transaction: the consent change, its audit
// row, the event that shows it on the case, and the one answer — all commit with the message that asked for them.
import type { Transaction } from 'kysely';
import type { InboundMessage, Keyword } from '../../shared/inbound';
import { detectKeyword } from '../../shared/keywords';
import { queueOutbound } from '../outbox/queue-outbound';
import { appendAudit } from '../store/audit-log';
import { getCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { Database, MessageRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';
import { optedOutChannels, recordConsentEverywhere } from './consent-records';
import { KEYWORD_ANSWERS } from './keyword-answers';

export interface KeywordContext {
  keyword: Keyword;
  message: InboundMessage;
  contactId: string;
  caseId: string;
}

/**
 * The consent keyword this message is, if it is one. YES is in the START family, but for a contact who never opted
 * out it is an answer to a question ("Reply YES to confirm"), not a consent change: then this says none.
 */
export async function consentKeywordOf(trx: Transaction<Database>, message: InboundMessage, contactId: string): Promise<Keyword | undefined> {
  // Adapters tag keywords; messages that came another way (the dev route) are checked here with the same rule.
  const keyword = message.keyword ?? (message.kind === 'text' && message.text !== undefined ? detectKeyword(message.text) : undefined);
  if (keyword !== 'START') return keyword;
  return (await optedOutChannels(trx, contactId)).length > 0 ? 'START' : undefined;
}

export async function applyConsentKeyword(unit: WriteUnit, context: KeywordContext): Promise<void> {
  const { keyword, message } = context;
  const source = `keyword ${keyword} via ${message.provider} ${message.channel}`;
  if (keyword === 'HELP') {
    const answer = await answerKeyword(unit, context, 'HELP');
    if (answer !== undefined) await appendEvent(unit, { type: 'reply.queued', actorId: null, case: await getCaseView(unit.trx, context.caseId), message: toMessageView(answer) });
    return;
  }
  const status = keyword === 'START' ? 'opted_in' : 'opted_out';
  const changed = await recordConsentEverywhere(unit, context.contactId, status, source);
  // Confirmed once: a second STOP from someone already opted out gets no answer (it would be one more unwanted text).
  if (changed.length === 0) return;
  await recordChange(unit, context, `consent.${status}`, changed, source, await answerKeyword(unit, context, keyword));
}

async function recordChange(unit: WriteUnit, context: KeywordContext, action: string, channels: readonly string[], source: string, answer: MessageRow | undefined): Promise<void> {
  await appendAudit(unit, {
    actorType: 'carrier',
    actorId: context.message.provider,
    action,
    caseId: context.caseId,
    detail: { contactId: context.contactId, channels, source, answerMessageId: answer?.id ?? null },
  });
  const view = await getCaseView(unit.trx, context.caseId);
  await appendEvent(unit, { type: 'consent.changed', actorId: null, case: view, ...(answer === undefined ? {} : { message: toMessageView(answer) }) });
}

/**
 * Twilio answers STOP, START and HELP on SMS itself and then refuses our sends to an opted-out number (21610), so on
 * Twilio SMS the carrier's answer is the answer. Every other carrier leaves it to us.
 */
async function answerKeyword(unit: WriteUnit, context: KeywordContext, keyword: keyof typeof KEYWORD_ANSWERS): Promise<MessageRow | undefined> {
  const { message } = context;
  if (message.provider === 'twilio' && message.channel === 'sms') return undefined;
  return queueOutbound(unit, {
    caseId: context.caseId,
    contactId: context.contactId,
    channel: message.channel,
    to: message.from,
    body: KEYWORD_ANSWERS[keyword],
    kind: 'keyword_answer',
    authorId: null,
  });
}
