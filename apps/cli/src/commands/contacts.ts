/**
 * `session-cli contacts`: the profile's contacts from the local store: Session ID, the name they
 * gave themselves, whether each side accepted the other, blocked.
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const contacts: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: false }, async ({ store }) => {
      const list = (await store.contacts.listContacts()).map((c) => ({
        sessionId: c.accountId,
        ...(c.name === undefined ? {} : { name: c.name }),
        ...(c.nickname === undefined ? {} : { nickname: c.nickname }),
        approved: c.approved,
        approvedMe: c.approvedMe,
        blocked: c.blocked,
      }));
      const lines = list.map(
        (c) =>
          `${c.sessionId}  ${c.name ?? ''}${c.blocked ? ' [blocked]' : ''}${c.approved ? '' : ' [not accepted]'}`,
      );
      return {
        json: { contacts: list },
        text: list.length === 0 ? 'no contacts' : lines.join('\n'),
      };
    }),
};
