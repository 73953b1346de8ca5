// The "reply not delivered" mark in words, for the inbox row and the case panel: who wrote it (to its author, "Your
// reply"), the channel, then the hub's reason, which names the carrier's reason where it is known.
import type { ReplyUndelivered } from '../../../shared/domain';
import { channelLabel } from './labels';

export function replyUndeliveredWords(mark: ReplyUndelivered, myId: string | undefined): string {
  const whose = mark.authorId !== null && mark.authorId === myId ? 'Your reply' : 'Reply';
  const channel = mark.channel === null ? '' : ` by ${channelLabel(mark.channel)}`;
  return `${whose} not delivered${channel}. ${mark.reason}`;
}
