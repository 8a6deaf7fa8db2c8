/**
 * `session-cli devices approve ID`, on an existing device: admits a device whose link request
 * waits for approval (accounts with approval required), after the user compared the SAS shown
 * by `receive` or `devices list` here with the new device's screen. ID is the device ID or the
 * request number.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const devicesApprove: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [1, 1],
  run: (ctx) => {
    const id = (ctx.positionals[0] ?? '').trim().toLowerCase();
    return withClient(ctx, { network: true }, async ({ client, notes, updateNotes }) => {
      const pending = notes().pendingRequests ?? [];
      const request = pending.find((r) => r.deviceId === id || String(r.requestId) === id);
      if (request === undefined) {
        throw new CliError(
          'bad-input',
          `no pending link request '${id.slice(0, 80)}' (see devices list)`,
        );
      }
      ctx.progress(`admitting device ${request.deviceId}`);
      const admitted = await client.approveDevice(request.requestId);
      if (!admitted)
        throw new CliError('failure', `link request of ${request.deviceId} is no longer open`);
      updateNotes({ pendingRequests: pending.filter((r) => r !== request) });
      return {
        json: { deviceId: request.deviceId, approved: true, sas: request.sas },
        text: `approved device ${request.deviceId}`,
      };
    });
  },
};
