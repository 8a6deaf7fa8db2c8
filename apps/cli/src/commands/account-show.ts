/**
 * `session-cli account show [--profile NAME]`: the profile's Session ID (from the local store; no
 * network needed), its device ID, display name and whether new devices need approval. The text
 * form also shows the Session ID as a QR code (qr-text.ts) for another device to scan; `--json`
 * carries the ID itself and no picture.
 */
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';
import { qrText } from '../qr-text.ts';

export const accountShow: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [0, 0],
  run: (ctx) =>
    withClient(ctx, { network: false }, async ({ client, paths, notes }) => {
      const sessionId = client.sessionId();
      const deviceId = await client.deviceId();
      const name = notes().displayName;
      const approvalRequired = await client.approvalRequired();
      return {
        json: {
          profile: paths.name,
          sessionId,
          deviceId,
          approvalRequired,
          ...(name === undefined ? {} : { displayName: name }),
        },
        text: [
          `Session ID: ${sessionId}`,
          `Device ID:  ${deviceId}`,
          ...(name === undefined ? [] : [`Name:       ${name}`]),
          `New devices need approval: ${approvalRequired ? 'on' : 'off'}`,
          '',
          qrText(sessionId),
        ].join('\n'),
      };
    }),
};
