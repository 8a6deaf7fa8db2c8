/**
 * `session-cli send SESSION_ID TEXT`: sends a text message (docs/sdk.md "Sending": V2 PFS once
 * the recipient's keys are fetched; weaker paths only as the downgrade policy allows). Sending
 * to someone accepts their message request. A send that cannot go out now stays queued and is
 * retried by the next `receive`; a refused one exits 1.
 */
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, sessionIdArg, shortId, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

export const send: CommandImpl = {
  options: CLIENT_OPTIONS,
  positionals: [2, 1000],
  run: (ctx) => {
    const to = sessionIdArg(ctx.positionals[0]);
    const text = ctx.positionals.slice(1).join(' ');
    if (text.length === 0) throw new CliError('bad-input', 'TEXT: expected a non-empty message');
    return withClient(ctx, { network: true }, async ({ client }) => {
      const notices: string[] = [];
      client.on('security-notice', (e) => notices.push(e.kind));
      ctx.progress(`sending to ${shortId(to)}`);
      const m = await client.send(to, text);
      if (m.status === 'failed') {
        throw new CliError(
          'failure',
          `send to ${shortId(to)} refused (no safe keys; see receive for the notice)`,
        );
      }
      return {
        json: {
          id: m.id,
          to,
          status: m.status,
          sentAt: m.sentAt,
          ...(m.security === undefined ? {} : { security: m.security }),
          ...(m.expiresAt === undefined ? {} : { expiresAt: m.expiresAt }),
          ...(notices.length === 0 ? {} : { securityNotices: notices }),
        },
        text:
          m.status === 'queued'
            ? `queued for ${shortId(to)} (their swarm is unreachable now; receive retries it)`
            : `sent to ${shortId(to)} (${m.security ?? m.status})` +
              (m.security === 'pfs' || m.security === undefined
                ? ''
                : `\nwarning: sent without forward secrecy (${m.security}): no V2 keys were found for this account`),
      };
    });
  },
};
