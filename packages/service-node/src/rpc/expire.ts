/**
 * `expire` (network.md §1.3): set new expiries on some of an account's messages: one expiry
 * for all or one per message, optionally only shortening or only extending.
 *
 * Upstream's rules (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::expire_msgs&&)`): an expiry more than a minute in the past is refused
 * with 401; later ones are capped at now + 30 days (the *requested* values are what the client
 * signed: `"expire" ‖ mode ‖ expiry… ‖ hash…`); the signer needs Write; a subaccount without
 * Delete may not shorten (400) and is held to extending. Each node answers `updated` (sorted),
 * `expiry` (the one applied value, or with per-message expiries those applied to `updated`),
 * `unchanged` (hash → current expiry, with `shorten`/`extend` only) and a signature over
 * `pubkey_hex ‖ expiry… ‖ requested… ‖ updated… ‖ (hash ‖ expiry of each unchanged)`.
 */
import {
  EXPIRE_PAST_TOLERANCE_MS,
  expireResultToSign,
  expireToSign,
  subaccountHas,
  TTL_MAX_PRIVATE_MS,
} from '@session-ts/core';
import type { ExpiryChange } from '../storage/message-store.ts';
import { byHash } from './affected.ts';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject, type JsonRecord } from './handler.ts';
import { parseExpire } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const expireMethod = defineMethod({
  names: ['expire'],
  recursive: true,
  parse: parseExpire,
  run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const now = ctx.clock.now();
    if (p.expiries.some((e) => e < now - EXPIRE_PAST_TOLERANCE_MS)) {
      return reject(401, 'expire: timestamp should be >= current time');
    }
    const applied = p.expiries.map((e) => Math.min(now + TTL_MAX_PRIVATE_MS, e));
    const signed = expireToSign({ mode: p.mode, expiry: p.expiries, messages: p.messages });
    if (!verifyRequest(ctx.store, p.auth, { access: ['write'], signed })) {
      return reject(401, 'expire: signature verification failed');
    }
    let change: ExpiryChange = p.mode ?? 'any';
    const sub = p.auth.subaccount;
    if (sub !== undefined && !subaccountHas(sub.token, 'delete')) {
      if (p.mode === 'shorten') {
        return reject(
          400,
          'expire: shorten parameter cannot be used with this subaccount token (missing delete access)',
        );
      }
      change = 'extend';
    }
    return runRecursive(ctx, call, 'expire', raw, now, () => {
      const updated = ctx.store
        .updateExpiries(account.hex, p.messages, applied, change)
        .sort((a, b) => byHash(a.hash, b.hash));
      const updatedHashes = updated.map((u) => u.hash);
      let unchanged: Record<string, number> | undefined;
      if (p.mode !== undefined) {
        const done = new Set(updatedHashes);
        const rest = p.messages.filter((h) => !done.has(h));
        unchanged = {};
        if (rest.length > 0) {
          const current = ctx.store.getExpiries(account.hex, rest);
          for (const h of [...current.keys()].sort(byHash)) unchanged[h] = current.get(h) as number;
        }
      }
      const expiry: number | number[] =
        p.expiries.length > 1 ? updated.map((u) => u.expiry) : (applied[0] as number);
      const signature = nodeSignature(
        ctx,
        expireResultToSign({
          account: account.hex,
          expiry,
          requested: p.messages,
          updated: updatedHashes,
          unchanged,
        }),
      );
      const mine: JsonRecord = { expiry, updated: updatedHashes };
      if (unchanged !== undefined) mine['unchanged'] = unchanged;
      mine['signature'] = signature;
      return { mine };
    });
  },
});
