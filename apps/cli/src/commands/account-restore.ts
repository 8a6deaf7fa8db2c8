/**
 * `session-cli account restore "WORDS" [--profile NAME]`: this profile becomes a device of an
 * existing account. When the account's device group is visible the SDK sends a link request and
 * the 7-emoji SAS is printed: compare it with the other device (its `receive` or `devices list`
 * shows the same emoji), then run `devices link --confirm` here. With no group visible a new one
 * is started (the account had no devices left).
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const accountRestore: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [1, 25],
  run: (ctx) =>
    withClient(ctx, { network: true, create: true }, async ({ client, paths, updateNotes }) => {
      ctx.progress("looking for the account's devices");
      const start = await client.restoreAccount(ctx.positionals.join(' '));
      const sessionId = client.sessionId();
      if (start.kind === 'new-group') {
        return {
          json: { profile: paths.name, sessionId, link: 'new-group' },
          text: `Session ID: ${sessionId}\nNo other device found: this device started the account's device group.`,
        };
      }
      updateNotes({ ownLinkSas: start.sas.standard });
      return {
        json: { profile: paths.name, sessionId, link: 'requested', sas: start.sas.standard },
        text: [
          `Session ID: ${sessionId}`,
          `Link requested. Compare these emoji with your other device:`,
          '',
          `    ${start.sas.standard}`,
          '',
          `If they match: session-cli devices link --confirm --profile ${paths.name}`,
          `If not:        session-cli devices link --cancel --profile ${paths.name}`,
        ].join('\n'),
      };
    }),
};
