/**
 * `delete_before` (network.md §1.3): delete an account's messages with `timestamp <= before`,
 * in one namespace or all.
 *
 * `before` may be at most a minute ahead of the node's clock (else 401, as upstream answers);
 * the signature `"delete_before" ‖ ns ‖ before` by the account or a subaccount with Delete (else
 * 401). Each node answers `deleted` and signs `pubkey_hex ‖ before ‖ deleted…`.
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::delete_before&&)`.)
 */
import {
  DELETE_BEFORE_FUTURE_TOLERANCE_MS,
  deleteBeforeResultToSign,
  deleteBeforeToSign,
} from '@session-ts/core';
import { affectedJson } from './affected.ts';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject } from './handler.ts';
import { parseDeleteBefore } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const deleteBeforeMethod = defineMethod({
  names: ['delete_before'],
  recursive: true,
  parse: parseDeleteBefore,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (p.before > now + DELETE_BEFORE_FUTURE_TOLERANCE_MS) {
      return reject(401, 'delete_before timestamp too far in the future');
    }
    const signed = deleteBeforeToSign({ namespace: p.namespace, before: p.before });
    if (!verifyRequest(ctx.store, p.auth, { access: ['delete'], signed })) {
      return reject(401, 'delete_before signature verification failed');
    }
    return runRecursive(ctx, call, 'delete_before', raw, now, () => {
      const removed = ctx.store.deleteBefore(account.hex, p.namespace, p.before);
      const deleted = affectedJson(p.namespace, removed);
      const signature = nodeSignature(
        ctx,
        deleteBeforeResultToSign({ account: account.hex, before: p.before, deleted }),
      );
      return { mine: { deleted, signature } };
    });
  },
});
