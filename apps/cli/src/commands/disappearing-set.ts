/**
 * `session-cli disappearing set SESSION_ID after-send|after-read DURATION | off`: the
 * conversation's disappearing-messages setting (docs/sdk.md "Message requests and disappearing
 * messages"), stored and sent to the contact as an expiration-timer update.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, durationSecondsArg, sessionIdArg, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const disappearingSet: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [2, 3],
  run: (ctx) => {
    const id = sessionIdArg(ctx.positionals[0]);
    const mode = ctx.positionals[1];
    let setting: { mode: 'off' | 'after-send' | 'after-read'; timerSeconds: number };
    if (mode === 'off' && ctx.positionals.length === 2) setting = { mode: 'off', timerSeconds: 0 };
    else if ((mode === 'after-send' || mode === 'after-read') && ctx.positionals.length === 3) {
      setting = { mode, timerSeconds: durationSecondsArg(ctx.positionals[2]) };
    } else {
      throw new CliError(
        'bad-input',
        'usage: session-cli disappearing set SESSION_ID after-send|after-read DURATION|off',
      );
    }
    return withClient(ctx, { network: true }, async ({ client }) => {
      ctx.progress('sending the timer update');
      await client.setDisappearing(id, setting);
      return {
        json: { conversationId: id, ...setting },
        text:
          setting.mode === 'off'
            ? `disappearing messages off for ${id}`
            : `messages with ${id} disappear ${setting.timerSeconds}s ${setting.mode === 'after-send' ? 'after sending' : 'after reading'}`,
      };
    });
  },
};
