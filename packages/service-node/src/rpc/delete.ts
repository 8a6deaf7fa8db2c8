/**
 * `delete` (network.md §1.3): delete an account's messages by hash, from any namespace.
 *
 * Signed `"delete" ‖ hash…` (no timestamp) by the account or a subaccount with Delete (else
 * 401). Each node answers `deleted` (sorted) and signs `pubkey_hex ‖ requested… ‖ deleted…`.
 * With `required: true` the answer is 404 when no node deleted anything. Upstream applies that
 * rule on forwarded copies too, where it looks for a `swarm` map that is not there and so
 * always answers 404; we apply it where the map is, at the entry node.
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::delete_msgs&&)`.)
 */
import { deleteResultToSign, deleteToSign } from '@session-ts/core';
import { byHash } from './affected.ts';
import { verifyRequest } from './auth.ts';
import { defineMethod, nodeSignature, reject } from './handler.ts';
import { parseDelete } from './params.ts';
import { runRecursive } from './recursive.ts';
import { isOurs, wrongSwarm } from './swarm-json.ts';

export const deleteMethod = defineMethod({
  names: ['delete'],
  recursive: true,
  parse: parseDelete,
  async run(ctx, p, raw, call) {
    const account = p.auth.account;
    if (!isOurs(ctx, account)) return wrongSwarm(ctx, account);
    const signed = deleteToSign({ messages: p.messages });
    if (!verifyRequest(ctx.store, p.auth, { access: ['delete'], signed })) {
      return reject(401, 'delete_msgs signature verification failed');
    }
    const now = ctx.clock.now();
    const response = await runRecursive(ctx, call, 'delete', raw, now, () => {
      const deleted = ctx.store.deleteByHashes(account.hex, p.messages).sort(byHash);
      const signature = nodeSignature(
        ctx,
        deleteResultToSign({ account: account.hex, requested: p.messages, deleted }),
      );
      return { mine: { deleted, signature } };
    });
    if (p.required && !call.forwarded && response.status === 200) {
      const swarm = (response.body as { swarm?: Record<string, { deleted?: unknown }> }).swarm;
      const any = Object.values(swarm ?? {}).some(
        (e) => Array.isArray(e.deleted) && e.deleted.length > 0,
      );
      if (!any) return { status: 404, body: response.body };
    }
    return response;
  },
});
