/**
 * `revoke_subaccount` (network.md §1.2, §1.3): refuse one or more subaccount tokens from now
 * on (at most 50 per request; the account keeps its newest 50 revocations).
 *
 * Only the account key may sign (`"revoke_subaccount" ‖ timestamp ‖ token bytes…`, within
 * ±60 s, also when forwarded). Each node answers its signature over
 * `pubkey_hex ‖ timestamp ‖ token bytes…`. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::revoke_subaccount&&)`.)
 */
import {
  revokeSubaccountResultToSign,
  revokeSubaccountToSign,
  SIGNATURE_TOLERANCE_MS,
} from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject, within } from './handler.ts';
import { parseRevoke } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const revokeSubaccountMethod = defineMethod({
  names: ['revoke_subaccount'],
  recursive: true,
  parse: parseRevoke,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (!within(p.timestamp, now, SIGNATURE_TOLERANCE_MS)) {
      return reject(406, 'revoke_subaccount timestamp too far from current time');
    }
    const tokens = p.tokens.map((t) => t.bytes);
    const signed = revokeSubaccountToSign({ timestamp: p.timestamp, tokens });
    if (!verifyRequest(ctx.store, p.auth, { access: null, signed })) {
      return reject(401, 'revoke_subaccount signature verification failed');
    }
    return runRecursive(ctx, call, 'revoke_subaccount', raw, now, () => {
      ctx.store.revokeSubaccounts(account.hex, tokens, now);
      const signature = nodeSignature(
        ctx,
        revokeSubaccountResultToSign({ account: account.hex, timestamp: p.timestamp, tokens }),
      );
      return { mine: { signature } };
    });
  },
});
