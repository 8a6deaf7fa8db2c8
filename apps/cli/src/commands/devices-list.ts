/**
 * `session-cli devices list`: fetches the account's device group (a poll, so new link requests
 * appear, with their SAS) and lists the devices and the link requests waiting for approval.
 * Events of that poll are printed as `receive` prints them, so nothing arrives unseen. Also
 * shows whether this device requires approval for new devices (`devices require-approval`).
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';
import { printEvents } from '../event-printer.ts';

export const devicesList: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: true }, async ({ client, notes, updateNotes }) => {
      const off = printEvents(client, ctx);
      try {
        ctx.progress('fetching the device group');
        await client.poll();
      } finally {
        off();
      }
      const devices = await client.listDevices();
      const known = new Map(devices.map((d) => [d.id, d.state]));
      // A request is still pending while its device is not yet admitted (or removed).
      const pending = (notes().pendingRequests ?? []).filter(
        (r) => known.get(r.deviceId) === undefined || known.get(r.deviceId) === 'pending',
      );
      updateNotes({ pendingRequests: pending });
      const lines = devices.map((d) =>
        `${d.self ? '*' : ' '} ${d.id}  ${d.state.padEnd(12)} ${d.type} ${d.description}`.trimEnd(),
      );
      for (const r of pending) lines.push(`? ${r.deviceId}  asks to link  ${r.sas}`);
      const approvalRequired = await client.approvalRequired();
      lines.push(`approval required for new devices: ${approvalRequired ? 'on' : 'off'}`);
      return {
        json: {
          membership: await client.membership(),
          approvalRequired,
          devices,
          pendingRequests: pending,
        },
        text: lines.join('\n'),
      };
    }),
};
