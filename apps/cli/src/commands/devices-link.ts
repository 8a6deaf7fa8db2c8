/**
 * `session-cli devices link [--confirm | --cancel]`, on the new device after `account restore`:
 * without a flag shows the link's state and the SAS to compare; `--confirm` says the emoji
 * match the existing device's screen (the SDK admits this device once the group accepted it
 * too); `--cancel` withdraws the request. Each run polls, so the admission is seen.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';
import { printEvents } from '../event-printer.ts';

export const devicesLink: CommandImpl = {
  options: { ...CLIENT_OPTIONS, confirm: { type: 'boolean' }, cancel: { type: 'boolean' } },
  positionals: [0, 0],
  run: (ctx) => {
    const confirm = ctx.options['confirm'] === true;
    const cancel = ctx.options['cancel'] === true;
    if (confirm && cancel)
      throw new CliError('bad-input', 'devices link: --confirm or --cancel, not both');
    return withClient(ctx, { network: true }, async ({ client, notes, updateNotes }) => {
      const sas = notes().ownLinkSas;
      if (sas === undefined && (confirm || cancel)) {
        throw new CliError(
          'bad-input',
          'devices link: no link request from this profile (run account restore first)',
        );
      }
      const off = printEvents(client, ctx);
      let action: 'confirmed' | 'cancelled' | 'shown' = 'shown';
      try {
        if (confirm) {
          ctx.progress('confirming the link');
          await client.confirmLink();
          action = 'confirmed';
        } else if (cancel) {
          await client.cancelLink();
          action = 'cancelled';
          updateNotes({ ownLinkSas: undefined });
        }
        ctx.progress('fetching the device group');
        await client.poll();
      } finally {
        off();
      }
      const membership = await client.membership();
      if (membership === 'in-group') updateNotes({ ownLinkSas: undefined });
      return {
        json: { action, membership, ...(sas === undefined ? {} : { sas }) },
        text: [
          ...(sas === undefined ? [] : [`SAS: ${sas}`]),
          `link ${action}; this device is ${membership}`,
        ].join('\n'),
      };
    });
  },
};
