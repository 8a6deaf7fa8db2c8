/**
 * `unrevoke_subaccount` (network.md §1.3): lift revocations, e.g. before re-adding a group
 * member. Only the account key may sign (`"unrevoke_subaccount" ‖ timestamp ‖ token bytes…`,
 * within ±60 s). Each node answers `count` (revocations it removed) and its signature over
 * `pubkey_hex ‖ timestamp ‖ token bytes…`. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::unrevoke_subaccount&&)`.)
 */
import {
  SIGNATURE_TOLERANCE_MS,
  unrevokeSubaccountResultToSign,
  unrevokeSubaccountToSign,
} from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject, within } from './handler.ts';
import { parseUnrevoke } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const unrevokeSubaccountMethod = defineMethod({
  names: ['unrevoke_subaccount'],
  recursive: true,
  parse: parseUnrevoke,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (!within(p.timestamp, now, SIGNATURE_TOLERANCE_MS)) {
      return reject(406, 'unrevoke_subaccount timestamp too far from current time');
    }
    const tokens = p.tokens.map((t) => t.bytes);
    const signed = unrevokeSubaccountToSign({ timestamp: p.timestamp, tokens });
    if (!verifyRequest(ctx.store, p.auth, { access: null, signed })) {
      return reject(401, 'unrevoke_subaccount signature verification failed');
    }
    return runRecursive(ctx, call, 'unrevoke_subaccount', raw, now, () => {
      const count = ctx.store.unrevokeSubaccounts(account.hex, tokens);
      const signature = nodeSignature(
        ctx,
        unrevokeSubaccountResultToSign({ account: account.hex, timestamp: p.timestamp, tokens }),
      );
      return { mine: { count, signature } };
    });
  },
});
