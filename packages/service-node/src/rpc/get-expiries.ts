/**
 * `get_expiries` (network.md §1.3): the current expiry of some of an account's messages.
 *
 * Signed `"get_expiries" ‖ timestamp ‖ hash…` within ±60 s (else 406) by the account or a
 * subaccount with Read (else 401). Answers `{expiries: {hash: expiry}}` for the messages that
 * still exist. `messages: ["all"]` (network.md §1.3) lists every message of the account; the
 * upstream handler looks "all" up as a hash and so finds nothing.
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::get_expiries&&)`.)
 */
import { getExpiriesToSign, SIGNATURE_TOLERANCE_MS } from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, reject, reply, within, withMisc } from './handler.ts';
import { parseGetExpiries } from './params.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const getExpiriesMethod = defineMethod({
  names: ['get_expiries'],
  recursive: false,
  parse: parseGetExpiries,
  run(ctx, p) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (!within(p.timestamp, now, SIGNATURE_TOLERANCE_MS)) {
      return reject(406, 'get_expiries timestamp too far from current time');
    }
    const signed = getExpiriesToSign({ timestamp: p.timestamp, messages: p.messages });
    if (!verifyRequest(ctx.store, p.auth, { access: ['read'], signed })) {
      return reject(401, 'get_expiries signature verification failed');
    }
    const all = p.messages.length === 1 && p.messages[0] === 'all';
    const found = ctx.store.getExpiries(account.hex, all ? 'all' : p.messages);
    return reply(withMisc(ctx, { expiries: Object.fromEntries(found) }, now));
  },
});
