// Hub errors in words a nurse understands: what happened, and what the screen now shows.
import type { CommandError } from '../../../shared/protocol';
import type { TransportFailure } from '../transport/transport';
import { formatClock } from './time';

function missingCase(value: never): never {
  throw new Error(`unhandled error code: ${String(value)}`);
}

export function describeCommandError(error: CommandError): string {
  switch (error.code) {
    case 'already_acknowledged': {
      const who = error.by?.displayName ?? 'a colleague';
      return error.at === undefined ? `Already acknowledged by ${who}` : `Already acknowledged by ${who} at ${formatClock(error.at)}`;
    }
    case 'conflict':
      return 'Someone changed this case — showing the latest. Check it, then try again.';
    case 'unseen_message':
      return error.at === undefined
        ? 'Not acknowledged: the family has written again. Read the new message, then acknowledge.'
        : `Not acknowledged: the family wrote again at ${formatClock(error.at)}. Read the new message, then acknowledge.`;
    case 'forbidden':
      // The hub says why in staff words (docs/protocol.md): not in your queues, session ended, admins only, or a reply
      // to a contact who opted out ("Not sent: … contact them another way") or on a hub with no carrier for it ("Not sent:
      // … Phone the family instead"), which a generic sentence would hide.
      return error.message.trim() === '' ? 'You are not allowed to do that on this case (it may have moved to a queue you do not cover).' : error.message;
    case 'not_found':
      return 'This case could not be found — it may have been moved out of your queues.';
    case 'invalid':
      return `That could not be done: ${error.message}`;
    case 'unavailable':
      return 'The hub could not do that just now. Please try again in a moment.';
    default:
      return missingCase(error.code);
  }
}

export function describeTransportFailure(failure: TransportFailure): string {
  switch (failure) {
    case 'offline':
      return 'Not connected to the hub — nothing was sent. Wait for "Live", then try again.';
    case 'timeout':
      return 'No answer from the hub. Your action may not have been saved — check the case before trying again.';
    case 'invalid_response':
      return 'The hub sent an answer this desk does not understand. Please reload the desk.';
    default:
      return missingCase(failure);
  }
}
