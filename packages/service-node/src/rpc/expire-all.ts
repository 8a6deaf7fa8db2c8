/**
 * `expire_all` (network.md §1.3): bring every later expiry of an account's messages (one
 * namespace or all) down to `expiry`; it only shortens.
 *
 * `expiry` may not be more than 60 s in the past (70 s when forwarded) (else 406); the
 * signature `"expire_all" ‖ ns ‖ expiry` by the account or a subaccount with Delete (shortening
 * is almost deleting) (else 401). Each node answers `updated` and signs
 * `pubkey_hex ‖ expiry ‖ updated…`. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::expire_all&&)`.)
 */
import {
  expireAllResultToSign,
  expireAllToSign,
  SIGNATURE_TOLERANCE_FORWARDED_MS,
  SIGNATURE_TOLERANCE_MS,
} from '@session-ts/core';
import { affectedJson } from './affected.ts';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject } from './handler.ts';
import { parseExpireAll } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const expireAllMethod = defineMethod({
  names: ['expire_all'],
  recursive: true,
  parse: parseExpireAll,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    const tolerance = call.forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
    if (p.expiry < now - tolerance) {
      return reject(406, 'expire_all timestamp should be >= current time');
    }
    const signed = expireAllToSign({ namespace: p.namespace, expiry: p.expiry });
    if (!verifyRequest(ctx.store, p.auth, { access: ['delete'], signed })) {
      return reject(401, 'expire_all signature verification failed');
    }
    return runRecursive(ctx, call, 'expire_all', raw, now, () => {
      const changed = ctx.store.shortenAll(account.hex, p.namespace, p.expiry);
      const updated = affectedJson(p.namespace, changed);
      const signature = nodeSignature(
        ctx,
        expireAllResultToSign({ account: account.hex, expiry: p.expiry, updated }),
      );
      return { mine: { updated, signature } };
    });
  },
});
