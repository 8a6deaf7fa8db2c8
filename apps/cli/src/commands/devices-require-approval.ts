/**
 * `session-cli devices require-approval [on|off]`: the account's "approval required" policy on
 * this device (issue #6; `Client.setApprovalRequired`, docs/sdk.md "Accounts and devices").
 * While on, a link request this device sees waits until `devices approve ID`; while off (the
 * default) it is admitted at the next `receive` or `devices list`. Without an argument it shows
 * the setting. The setting is local to this device's store, so an account that wants the
 * policy turns it on on every existing device.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

/** Parses `on` / `off` (also `true`/`false`, `yes`/`no`, as people type them). */
function switchArg(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 'off' || v === 'false' || v === 'no') return false;
  throw new CliError(
    'bad-input',
    `devices require-approval: expected on or off, got "${value.slice(0, 40)}"`,
  );
}

export const devicesRequireApproval: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 1],
  run: (ctx) => {
    const arg = ctx.positionals[0];
    // Checked before the store is opened, so bad input touches nothing.
    const wanted = arg === undefined ? undefined : switchArg(arg);
    return withClient(ctx, { network: false }, async ({ client }) => {
      if (wanted !== undefined) await client.setApprovalRequired(wanted);
      const on = await client.approvalRequired();
      return {
        json: { approvalRequired: on },
        text: on
          ? 'approval required: new devices wait for devices approve ID'
          : 'approval not required: new devices are admitted when this device next polls',
      };
    });
  },
};
