/**
 * `revoked_subaccounts`: list an account's revoked tokens (base64), for an admin deciding what
 * to unrevoke. Only the account key may sign (`"revoked_subaccounts" ‖ timestamp`, within
 * ±60 s). Upstream verifies this one without `pubkey_ed25519`, which makes it unusable for `05`
 * accounts; we accept it as every other method does. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::revoked_subaccounts&&)`.)
 */
import { revokedSubaccountsToSign, SIGNATURE_TOLERANCE_MS, toBase64 } from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, reject, reply, within, withMisc } from './handler.ts';
import { parseRevokedList } from './params.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const revokedSubaccountsMethod = defineMethod({
  names: ['revoked_subaccounts'],
  recursive: false,
  parse: parseRevokedList,
  run(ctx, p) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (!within(p.timestamp, now, SIGNATURE_TOLERANCE_MS)) {
      return reject(406, 'revoked_subaccounts timestamp too far from current time');
    }
    const signed = revokedSubaccountsToSign({ timestamp: p.timestamp });
    if (!verifyRequest(ctx.store, p.auth, { access: null, signed })) {
      return reject(401, 'revoked_subaccounts signature verification failed');
    }
    const list = ctx.store.revokedSubaccounts(account.hex).map(toBase64);
    return reply(withMisc(ctx, { revoked_subaccounts: list }, now));
  },
});
