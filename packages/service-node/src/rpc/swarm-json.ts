/**
 * Swarms as JSON, in upstream's `get_swarm` shape (session-foundation/session-storage-server
 * `oxenss/snode/swarm.cpp` `swarm_to_json` / `snode_fields`; network.md §1.3, §12.3, §12.4),
 * and the 421 "wrong swarm" answer that carries the right swarm in that shape.
 *
 * Fields per node: `address` (deprecated: z-base-32 of the key + ".snode"), `ip`, `port`
 * (deprecated string form), `port_https`, `port_omq` and `port_quic`, `pubkey_ed25519`,
 * `pubkey_legacy` and `pubkey_x25519`. We have no separate legacy key or OMQ port: the legacy
 * key is the Ed25519 key (as for nodes registered since upstream's Ed25519 keys) and the OMQ/QUIC
 * ports repeat the HTTP port, which is the only one we serve.
 */
import {
  fromHex,
  INVALID_SWARM_ID,
  swarmIdToHex,
  toBase32z,
  type AccountId,
} from '@session-ts/core';
import type { NodeInfo, SwarmInfo } from '../swarm-port.ts';
import { reply, withMisc, type JsonRecord, type RpcContext, type RpcResponse } from './handler.ts';

/** One node in `get_swarm` form. */
export function nodeToJson(node: NodeInfo): JsonRecord {
  return {
    address: `${toBase32z(fromHex(node.pubkeyEd25519))}.snode`,
    ip: node.ip,
    port: String(node.port),
    port_https: node.port,
    port_omq: node.port,
    port_quic: node.port,
    pubkey_ed25519: node.pubkeyEd25519,
    pubkey_legacy: node.pubkeyEd25519,
    pubkey_x25519: node.pubkeyX25519,
  };
}

/** `{snodes, swarm}`; no swarm gives no nodes and `INVALID_SWARM_ID`. */
export function swarmToJson(swarm: SwarmInfo | undefined): JsonRecord {
  return {
    snodes: (swarm?.nodes ?? []).map(nodeToJson),
    swarm: swarmIdToHex(swarm?.id ?? INVALID_SWARM_ID),
  };
}

/** True when this node's swarm stores `account` (`is_pubkey_for_us`). */
export function isOurs(ctx: RpcContext, account: AccountId): boolean {
  const mine = ctx.swarm.mySwarmId();
  if (mine === undefined) return false;
  return ctx.swarm.swarmFor(account.bytes)?.id === mine;
}

/**
 * The answer for an account another swarm stores: 421 with that swarm, or 500 when no swarm is
 * known at all (upstream's `handle_wrong_swarm`).
 */
export function wrongSwarm(ctx: RpcContext, account: AccountId): RpcResponse {
  const swarm = ctx.swarm.swarmFor(account.bytes);
  if (swarm === undefined) return { status: 500, body: 'No swarms known!' };
  return reply(withMisc(ctx, swarmToJson(swarm), ctx.clock.now()), 421);
}
