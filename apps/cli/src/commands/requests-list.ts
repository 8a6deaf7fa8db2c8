/**
 * `session-cli requests list`: message requests (first messages from senders this account has
 * not accepted; docs/sdk.md "Message requests"), from the local store. Run `receive` first.
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';
import { conversationLine, conversationView, type ConversationView } from './conversations.ts';

export const requestsList: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: false }, async ({ client }) => {
      const views: ConversationView[] = [];
      for (const c of await client.listConversations({ requestState: 'request' })) {
        views.push(conversationView(c, await client.listMessages(c.id)));
      }
      return {
        json: { requests: views },
        text: views.length === 0 ? 'no message requests' : views.map(conversationLine).join('\n'),
      };
    }),
};
