/**
 * `delete_all` (network.md §1.3): delete every message of an account in one namespace or in
 * all (`"namespace": "all"`).
 *
 * The signed timestamp must be within ±60 s (±70 s when a peer forwarded the request) (else
 * 406); the signature `"delete_all" ‖ ns ‖ timestamp` by the account or a subaccount with Delete
 * (else 401). Each node answers `deleted` (see `affected.ts`) and signs
 * `pubkey_hex ‖ timestamp ‖ deleted…`. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::delete_all&&)`.)
 */
import {
  deleteAllResultToSign,
  deleteAllToSign,
  SIGNATURE_TOLERANCE_FORWARDED_MS,
  SIGNATURE_TOLERANCE_MS,
} from '@session-ts/core';
import { affectedJson } from './affected.ts';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject, within } from './handler.ts';
import { parseDeleteAll } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const deleteAllMethod = defineMethod({
  names: ['delete_all'],
  recursive: true,
  parse: parseDeleteAll,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    const tolerance = call.forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
    if (!within(p.timestamp, now, tolerance)) {
      return reject(406, 'delete_all timestamp too far from current time');
    }
    const signed = deleteAllToSign({ namespace: p.namespace, timestamp: p.timestamp });
    if (!verifyRequest(ctx.store, p.auth, { access: ['delete'], signed })) {
      return reject(401, 'delete_all signature verification failed');
    }
    return runRecursive(ctx, call, 'delete_all', raw, now, () => {
      const deleted = affectedJson(p.namespace, ctx.store.deleteAll(account.hex, p.namespace));
      const signature = nodeSignature(
        ctx,
        deleteAllResultToSign({ account: account.hex, timestamp: p.timestamp, deleted }),
      );
      return { mine: { deleted, signature } };
    });
  },
});
