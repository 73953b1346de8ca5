// What a carrier's failure means, in words a nurse can act on. "Twilio error 30003" tells a ward nothing; "the phone
// is switched off, has no signal or cannot take texts" tells them to ring the family instead. The carrier's own code
// always follows in brackets, so IT can look it up. Codes not listed here keep the bare code: a wrong guess at a
// meaning would mislead more than a code does. Sources: Twilio's error reference (twilio.com/docs/api/errors),
// Meta's WhatsApp Cloud API error codes, GOV.UK Notify's callback statuses (../shared/design/CHANNELS.md).
import type { DeliveryStatus } from '../../shared/inbound';
import { isTwilioOptOut, twilioErrorReason } from './twilio-errors';

/** Twilio's codes, SMS and WhatsApp-via-Twilio alike, as they come in a send's answer or a status callback. */
const TWILIO_MEANINGS: ReadonlyMap<string, string> = new Map([
  ['21211', 'the number is not a valid phone number'],
  ['21408', "the hospital's Twilio account may not send to this country; tell IT"],
  ['21612', "Twilio cannot send between the hospital's number and this one"],
  ['21614', 'the number is not a mobile number'],
  ['30001', "Twilio's queue of the hospital's messages overflowed"],
  ['30002', "the hospital's Twilio account is suspended; tell IT"],
  ['30003', 'the phone is switched off, has no signal or cannot take texts'],
  ['30004', 'the number is blocked from receiving this message'],
  ['30005', 'the number does not exist or is no longer in service'],
  ['30006', 'the number is a landline or cannot receive texts'],
  ['30007', 'the mobile network filtered it out as unwanted'],
  ['30008', 'the mobile network could not deliver it and gave no reason'],
  ['63003', 'the number is not on WhatsApp'],
  ['63016', 'more than 24 hours since the contact last wrote on WhatsApp: only an approved template can reach them'],
  ['63024', 'the number cannot receive WhatsApp messages'],
]);

/** Meta's WhatsApp Cloud API codes, from a send's answer (`error.code`) or a status's `errors[].code`. */
const WHATSAPP_MEANINGS: ReadonlyMap<string, string> = new Map([
  ['368', "the hospital's WhatsApp account is blocked for a while for a policy breach; tell IT"],
  ['130429', "the hospital's WhatsApp account sent too many messages too quickly"],
  ['130472', "WhatsApp held it back: the contact's account is part of a Meta experiment"],
  ['131000', 'WhatsApp failed without saying why'],
  ['131021', "the recipient is the hospital's own WhatsApp number"],
  ['131026', 'the phone cannot receive it: not on WhatsApp, an old app, or WhatsApp terms not accepted'],
  ['131031', "the hospital's WhatsApp account is locked; tell IT"],
  ['131042', "the hospital's WhatsApp account has a payment problem; tell IT"],
  ['131047', 'more than 24 hours since the contact last wrote on WhatsApp: only an approved template can reach them'],
  ['131048', "WhatsApp is limiting the hospital's messages after too many were blocked or reported"],
  ['131049', 'WhatsApp held it back to limit how many business messages the contact gets'],
  ['131050', "the contact has stopped the hospital's marketing messages on WhatsApp"],
  ['131051', 'WhatsApp does not support this kind of message'],
  ['131056', 'too many messages to this number in a short time'],
]);

/** GOV.UK Notify reports no codes, only a status per failure. */
const NOTIFY_MEANINGS: ReadonlyMap<string, string> = new Map([
  ['permanent-failure', 'the number may be wrong, or the mobile network refused it'],
  ['temporary-failure', 'the phone was switched off or out of signal, or its inbox was full, until Notify gave up'],
  ['technical-failure', 'a fault between GOV.UK Notify and the mobile network; it was not sent'],
]);

function described(meaning: string | undefined, code: string): string {
  return meaning === undefined ? code : `${meaning} (${code})`;
}

/** A Twilio code in staff words. 21610 stays "Twilio error 21610": that refusal is an opt-out, worded where it is recorded. */
export function twilioErrorWords(code: number | string): string {
  const key = String(code);
  return described(isTwilioOptOut(key) ? undefined : TWILIO_MEANINGS.get(key), twilioErrorReason(key));
}

export function whatsappErrorWords(code: number | string): string {
  const key = String(code);
  return described(WHATSAPP_MEANINGS.get(key), `WhatsApp error ${key}`);
}

/**
 * Staff words for a receipt that says a message will not arrive: "Not delivered: <what happened> (<the carrier's
 * code>)." A receipt with no code says so, rather than leaving staff with a bare "failed".
 */
export function undeliveredWords(status: DeliveryStatus): string {
  return `Not delivered: ${undeliveredCause(status)}.`;
}

/** What happened, as `undeliveredWords` says it, for callers that add what Clarion does about it. */
export function undeliveredCause(status: DeliveryStatus): string {
  const code = status.errorCode;
  switch (status.provider) {
    case 'twilio':
      return code === undefined ? `Twilio reported it ${status.providerStatus} and gave no reason` : twilioErrorWords(code);
    case 'whatsapp':
      return code === undefined ? 'WhatsApp reported it failed and gave no reason' : whatsappErrorWords(code);
    case 'notify':
      return described(NOTIFY_MEANINGS.get(status.providerStatus), `GOV.UK Notify: ${status.providerStatus}`);
    case 'rbm':
    case 'dev':
      return code === undefined ? `the carrier reported it ${status.providerStatus}` : `${status.provider} error ${code}`;
  }
}
