// Opt-out, opt-in and help keywords, matched the way Twilio matches them so every channel behaves
// alike (CHANNELS.md): the whole message, trimmed, is exactly one keyword, in any letter case.
// "STOP PLEASE" and "stop." are not keywords: only an exact word is.
//
// Two words collide with structured replies, and intake must order its checks with that in mind:
// - YES is in the START family, but it is also the answer to "Reply YES to confirm". Intake applies
//   START-family words only to a contact who is opted out of that programme; for anyone else "YES"
//   goes to reply-intent parsing like any other answer.
// - CANCEL is in the STOP family, and Twilio itself opts the number out when it arrives, so a patient
//   answering "cancel" to an appointment message is opted out at the carrier whatever we do. That is
//   why our built-in templates ask for digits ("Reply 2 to cancel") rather than the word.
import type { Keyword } from './inbound';

export const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const START_WORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_WORDS = ['HELP', 'INFO'] as const;

/** Upper-cased (locale-independent) trimmed text; internal whitespace is kept so two words never match. */
function keywordForm(text: string): string {
  return text.trim().toUpperCase();
}

function isOneOf(words: readonly string[], text: string): boolean {
  return words.includes(keywordForm(text));
}

export function isStopWord(text: string): boolean {
  return isOneOf(STOP_WORDS, text);
}

export function isStartWord(text: string): boolean {
  return isOneOf(START_WORDS, text);
}

export function isHelpWord(text: string): boolean {
  return isOneOf(HELP_WORDS, text);
}

/**
 * The keyword family `text` belongs to, if it is exactly one keyword. A START result means "opt back
 * in" only for an opted-out contact; see the note at the top of this file about YES.
 */
export function detectKeyword(text: string): Keyword | undefined {
  if (isStopWord(text)) return 'STOP';
  if (isStartWord(text)) return 'START';
  if (isHelpWord(text)) return 'HELP';
  return undefined;
}
