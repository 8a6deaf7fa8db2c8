/**
 * `store` (network.md §1.3, §1.4, §12.5–§12.7): deposit a message for an account.
 *
 * Checks, in upstream's order (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::store&&)`): the account is in our
 * swarm (else 421); the TTL (expiry − timestamp) is within 10 s … 14 days in a public inbox or
 * … 30 days elsewhere (else 403); the timestamp is at most 10 s ahead and the expiry at most 10 s
 * past (else 406); outside public inboxes the request is signed (else 401) at a time within
 * ±60 s (else 406) by the account or a subaccount with Write (and Delete for a public outbox)
 * (else 401). Then the write is applied here and on every swarm peer; each node answers `hash`,
 * its signature over the hash string, `expiry`, and `already: true` for a duplicate.
 */
import {
  isPublicInboxNamespace,
  messageHash,
  namespaceRules,
  SIGNATURE_TOLERANCE_MS,
  STORE_TOLERANCE_MS,
  storeResultToSign,
  storeToSign,
  TTL_MIN_MS,
} from '@session-ts/core';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject, within, type JsonRecord } from './handler.ts';
import { parseStore } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const storeMethod = defineMethod({
  names: ['store'],
  recursive: true,
  parse: parseStore,
  run(ctx, p, raw, call) {
    if (!isOurs(ctx, p.account)) return wrongSwarm(ctx, p.account);
    const ttl = p.expiry - p.timestamp;
    const rules = namespaceRules(p.namespace);
    if (ttl < TTL_MIN_MS || ttl > rules.maxTtlMs) {
      return reject(403, 'Provided expiry/TTL is not valid.');
    }
    const now = ctx.clock.now();
    if (p.timestamp > now + STORE_TOLERANCE_MS || p.expiry < now - STORE_TOLERANCE_MS) {
      return reject(406, 'Timestamp error: check your clock');
    }
    if (!isPublicInboxNamespace(p.namespace)) {
      if (p.auth === undefined) {
        return reject(401, `store: signature required to store to namespace ${p.namespace}`);
      }
      if (!within(p.auth.sigTimestamp, now, SIGNATURE_TOLERANCE_MS)) {
        return reject(406, 'store signature timestamp too far from current time');
      }
      // Write, plus Delete in a public outbox, where a store replaces the message there.
      const access = rules.storeAccess;
      const signed = storeToSign({ namespace: p.namespace, sigTimestamp: p.auth.sigTimestamp });
      if (!verifyRequest(ctx.store, p.auth, { access, signed })) {
        return reject(401, 'store signature verification failed');
      }
    }
    const hash = messageHash(p.account.bytes, p.namespace, p.data);
    return runRecursive(ctx, call, 'store', raw, now, async () => {
      const outcome = await ctx.storeQueue.store({
        account: p.account.hex,
        hash,
        namespace: p.namespace,
        timestamp: p.timestamp,
        expiry: p.expiry,
        data: p.data,
      });
      if (outcome.kind === 'full') {
        ctx.logger.warn('store refused: the message database is full');
        return { mine: { failed: true, query_failure: true } };
      }
      const mine: JsonRecord = {
        hash,
        signature: nodeSignature(ctx, storeResultToSign(hash)),
        expiry: outcome.expiry,
      };
      if (outcome.kind !== 'new') mine['already'] = true;
      // Deprecated upstream: the entry node's own entry also carries `t`.
      if (!call.forwarded) mine['t'] = now;
      return { mine, top: { hash } };
    });
  },
});
