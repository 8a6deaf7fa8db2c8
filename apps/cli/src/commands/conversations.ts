/**
 * `session-cli conversations`: the profile's conversations from the local store (newest first),
 * with their request state, disappearing setting, unread count and last message. Offline: run
 * `receive` first for what is new.
 */
import type { Conversation, StoredMessage } from '@session-ts/sdk';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

/** A conversation as the CLI prints it. */
export interface ConversationView {
  readonly id: string;
  readonly requestState: Conversation['requestState'];
  readonly disappearing: Conversation['disappearing'];
  readonly unread: number;
  readonly lastActivityAt: number;
  readonly lastMessage?: {
    readonly direction: string;
    readonly body: string;
    readonly sentAt: number;
  };
}

/** The view of one conversation given its messages. */
export function conversationView(
  c: Conversation,
  messages: readonly StoredMessage[],
): ConversationView {
  const last = messages.at(-1);
  const unread = messages.filter((m) => m.direction === 'incoming' && m.sentAt > c.readAt).length;
  return {
    id: c.id,
    requestState: c.requestState,
    disappearing: c.disappearing,
    unread,
    lastActivityAt: c.lastActivityAt,
    ...(last === undefined
      ? {}
      : { lastMessage: { direction: last.direction, body: last.body, sentAt: last.sentAt } }),
  };
}

/** One human line per conversation. */
export function conversationLine(v: ConversationView): string {
  const last =
    v.lastMessage === undefined
      ? ''
      : `  ${v.lastMessage.direction === 'outgoing' ? 'you: ' : ''}${v.lastMessage.body}`;
  const timer =
    v.disappearing.mode === 'off'
      ? ''
      : ` [${v.disappearing.mode} ${v.disappearing.timerSeconds}s]`;
  return `${v.id}  ${v.requestState}${v.unread > 0 ? ` (${v.unread} unread)` : ''}${timer}${last}`;
}

export const conversations: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: false }, async ({ client }) => {
      const views: ConversationView[] = [];
      for (const c of await client.listConversations()) {
        if (c.requestState === 'declined' || c.requestState === 'blocked') continue;
        views.push(conversationView(c, await client.listMessages(c.id)));
      }
      return {
        json: { conversations: views },
        text: views.length === 0 ? 'no conversations' : views.map(conversationLine).join('\n'),
      };
    }),
};
