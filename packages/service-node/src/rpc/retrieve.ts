/**
 * `retrieve` (network.md §1.3, §1.4, §12.5): read an account's messages in one namespace, after
 * `last_hash`, within `max_count` and the byte budget (`max_size`, default a fifth of 7.8 MB).
 *
 * Auth is needed except for namespace −10 and public outboxes; when given it is checked even
 * there. Order of checks as upstream (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::retrieve&&)`): swarm (421), a
 * signature where one is needed (401), its timestamp within ±60 s (406), the signature by the
 * account or a subaccount with Read that is not revoked, except in unrevocable namespaces (401).
 * Messages carry `expiration`, not `expiry`; the last hash is the next `last_hash`.
 */
import {
  effectiveRetrieveMaxSize,
  isNoAuthRetrieveNamespace,
  isUnrevocableNamespace,
  retrieveToSign,
  SIGNATURE_TOLERANCE_MS,
  toBase64,
} from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, reject, reply, within, withMisc } from './handler.ts';
import { parseRetrieve } from './params.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const retrieveMethod = defineMethod({
  names: ['retrieve'],
  recursive: false,
  parse: parseRetrieve,
  run(ctx, p) {
    if (!isOurs(ctx, p.account)) return wrongSwarm(ctx, p.account);
    const now = ctx.clock.now();
    if (!isNoAuthRetrieveNamespace(p.namespace) && p.auth === undefined) {
      return reject(401, 'retrieve: request signature required');
    }
    if (p.auth !== undefined) {
      if (!within(p.auth.timestamp, now, SIGNATURE_TOLERANCE_MS)) {
        return reject(406, 'retrieve timestamp too far from current time');
      }
      const signed = retrieveToSign({ namespace: p.namespace, timestamp: p.auth.timestamp });
      const skipRevokeCheck = isUnrevocableNamespace(p.namespace);
      if (!verifyRequest(ctx.store, p.auth, { access: ['read'], skipRevokeCheck, signed })) {
        return reject(401, 'retrieve signature verification failed');
      }
    }
    const maxCount = p.maxCount === 0 ? undefined : p.maxCount;
    const maxSize = effectiveRetrieveMaxSize(maxCount, p.maxSize);
    const { messages, more } = ctx.store.retrieve({
      account: p.account.hex,
      namespace: p.namespace,
      lastHash: p.lastHash,
      maxCount,
      maxSize,
      now,
    });
    const list = messages.map((m) => ({
      hash: m.hash,
      timestamp: m.timestamp,
      expiration: m.expiry,
      data: toBase64(m.data),
    }));
    return reply(withMisc(ctx, { messages: list, more }, now));
  },
});
