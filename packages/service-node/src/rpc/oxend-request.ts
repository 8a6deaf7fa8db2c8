/**
 * `oxend_request` (network.md §1.3, §3): upstream relays two read-only oxend RPC calls. We have
 * no oxend; `get_service_nodes` is answered from what the swarm layer knows (the seed registry's
 * node list), in oxend's shape `{result: {service_node_states: [...]}, t, hf}` with the fields the
 * desktop asks for (`public_ip`, `storage_port`, `pubkey_x25519`, `pubkey_ed25519`) plus
 * `storage_https_port`, `storage_lmq_port` and `service_node_pubkey`. `params.limit` caps the list;
 * `active_only` and `fields` are accepted (every node we list is active; we send all fields).
 * `ons_resolve` (name service) has no equivalent here: 400, as upstream answers a failed oxend
 * call. (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::oxend_request&&)`.)
 */
import { defineMethod, reject, reply, withMisc } from './handler.ts';
import { parseOxendRequest } from './params.ts';

export const oxendRequestMethod = defineMethod({
  names: ['oxend_request'],
  recursive: false,
  parse: parseOxendRequest,
  run(ctx, p) {
    if (p.endpoint === 'ons_resolve') {
      return reject(400, 'ons_resolve is not available on this network (no name service)');
    }
    const nodes = ctx.swarm.nodes?.() ?? ctx.swarm.peers();
    const inner = p.params as { limit?: unknown } | undefined;
    const limit =
      typeof inner?.limit === 'number' && Number.isInteger(inner.limit) && inner.limit >= 0
        ? inner.limit
        : undefined;
    const states = nodes.slice(0, limit).map((n) => ({
      public_ip: n.ip,
      storage_port: n.port,
      storage_https_port: n.port,
      storage_lmq_port: n.port,
      pubkey_x25519: n.pubkeyX25519,
      pubkey_ed25519: n.pubkeyEd25519,
      service_node_pubkey: n.pubkeyEd25519,
    }));
    const body = { result: { service_node_states: states, status: 'OK' } };
    return reply(withMisc(ctx, body, ctx.clock.now()));
  },
});
