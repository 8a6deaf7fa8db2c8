/**
 * `session-cli account create [--profile NAME]`: a new account on this device (docs/sdk.md,
 * "Accounts and devices"): a 16-byte seed, a new device group pushed to the swarm and the
 * account keys published, in a new profile. Prints the Session ID and the recovery password,
 * the one time the CLI shows it.
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const accountCreate: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: true, create: true }, async ({ client, paths }) => {
      ctx.progress('creating the account: publishing its device group and keys');
      const { sessionId, recoveryPassword } = await client.createAccount();
      return {
        json: { profile: paths.name, sessionId, recoveryPassword },
        text: [
          `Session ID:        ${sessionId}`,
          `Recovery password: ${recoveryPassword}`,
          '',
          'Keep the recovery password secret: anyone who has it controls this account.',
        ].join('\n'),
      };
    }),
};
