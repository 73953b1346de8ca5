// The chip on a patient's message that was read as an answer: in the words of the option offered, not the code the hub
// stores ("answer:cancel", "unclear"). An option id the desk does not know is shown as it is rather than hidden.
import { REPLY_TEMPLATES } from '../../../shared/reply-intent';

const OPTION_LABELS: ReadonlyMap<string, string> = new Map(REPLY_TEMPLATES.flatMap((template) => template.options.map((option) => [option.id, option.label] as const)));

export interface IntentChip {
  text: string;
  /** Unclear answers are for a person to read: the chip says so and is styled apart. */
  unclear: boolean;
}

export function intentChip(intent: string): IntentChip {
  if (intent === 'unclear') return { text: 'Unclear answer: read it yourself', unclear: true };
  const optionId = intent.startsWith('answer:') ? intent.slice('answer:'.length) : intent;
  return { text: `Answer: ${OPTION_LABELS.get(optionId) ?? optionId}`, unclear: false };
}
