/**
 * `session-cli profile set --name NAME`: the display name this profile sends with its messages
 * (upstream's profile in `DataMessage.profile`). The SDK records it in the synced profile config
 * (pushed to the account's other devices on the next networked run); the CLI also keeps it in
 * the profile's notes for `account show`.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

/** Upstream's display name limit (libsession `contact_info::MAX_NAME_LENGTH`, 100 bytes). */
const MAX_NAME_BYTES = 100;

export const profileSet: CommandImpl = {
  options: { ...CLIENT_OPTIONS, name: { type: 'string' } },
  positionals: [0, 0],
  run: (ctx) => {
    const raw = ctx.options['name'];
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (name.length === 0) throw new CliError('bad-input', 'profile set: --name NAME is required');
    if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
      throw new CliError('bad-input', `--name: expected at most ${MAX_NAME_BYTES} bytes`);
    }
    return withClient(ctx, { network: false }, async ({ client, updateNotes }) => {
      await client.setDisplayName(name);
      updateNotes({ displayName: name });
      return {
        json: { displayName: name },
        text: `display name set to ${name}`,
      };
    });
  },
};
