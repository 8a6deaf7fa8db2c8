/**
 * `session-cli devices remove DEVICE_ID`: removes another device of the account: it is kicked
 * from the group and the account key rotates, so it reads no new messages (docs/sdk.md).
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const devicesRemove: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [1, 1],
  run: (ctx) => {
    const id = (ctx.positionals[0] ?? '').trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(id))
      throw new CliError('bad-input', 'DEVICE_ID: expected hex (see devices list)');
    return withClient(ctx, { network: true }, async ({ client }) => {
      const devices = await client.listDevices();
      const device = devices.find((d) => d.id === id);
      if (device === undefined)
        throw new CliError('bad-input', `no device ${id} (see devices list)`);
      if (device.self) throw new CliError('bad-input', 'devices remove: this is this device');
      ctx.progress('removing the device and rotating the account key');
      const removed = await client.removeDevice(id);
      if (!removed) throw new CliError('failure', `device ${id} could not be removed`);
      return { json: { deviceId: id, removed: true }, text: `removed device ${id}` };
    });
  },
};
