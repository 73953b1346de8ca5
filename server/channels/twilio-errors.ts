// Twilio's error codes as both directions meet them: in the answer to a send (a number in JSON) and in a status
// callback (a string in the form). One wording for staff and for the consent source, so a 21610 reads the same
// whether Twilio refused the send or reported it afterwards (consent/carrier-opt-out.ts).

/** The recipient opted out with Twilio (texted STOP to it): every send is refused until START. */
export const TWILIO_OPTED_OUT = 21610;

export function isTwilioOptOut(code: number | string): boolean {
  return String(code) === String(TWILIO_OPTED_OUT);
}

/** "Twilio error 21610": how a Twilio error code is named to staff and recorded as a consent's source. */
export function twilioErrorReason(code: number | string): string {
  return `Twilio error ${code}`;
}
