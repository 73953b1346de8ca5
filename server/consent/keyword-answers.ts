// The one answer Clarion sends to STOP, START and HELP. Short, no patient data (lock screens, shared phones), and each
// says how to undo it, as UK mobile-messaging codes of practice expect.
export const KEYWORD_ANSWERS = {
  STOP: 'You will not get any more messages from this number. Reply START to get messages again.',
  START: 'You will get messages from this number again. Reply STOP to stop them.',
  HELP: 'This is the hospital messaging service. Reply STOP to stop messages. If you need urgent medical help call 999 or 111.',
} as const;
