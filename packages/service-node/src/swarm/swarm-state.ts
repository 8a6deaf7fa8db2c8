/**
 * The swarm layer's view of the network, fed by the seed's node list: implements the RPC
 * layer's `SwarmView` (`swarm-port.ts`) and, on each new list, works out what changed for this
 * node, as upstream's `Swarm::derive_swarm_events` does
 * (session-foundation/session-storage-server `oxenss/snode/swarm.cpp`):
 *
 * - still in the same swarm: which members are new (they get all our messages, network.md §1.7)
 *   and which swarms are new anywhere (messages now belonging to them move there);
 * - moved to another swarm whose old swarm is gone: our old swarm **dissolved**, and we push
 *   everything we hold to whichever swarms now own it;
 * - moved while the old swarm lives on, or joined for the first time: nothing to push (the
 *   remaining or existing members push to us).
 *
 * Accounts map to swarms with core's `swarmForAccount` (upstream's nearest-id rule, §1.6).
 */
import { swarmForAccount } from '@session-ts/core';
import type { NodeInfo, SwarmInfo, SwarmView } from '../swarm-port.ts';
import type { NodeList } from './seed-client.ts';

/** What a new list means for this node. */
export interface SwarmEvents {
  /** Our swarm after the update (undefined: we are not listed). */
  readonly swarmId: bigint | undefined;
  /** Members that joined our swarm. */
  readonly newMembers: readonly NodeInfo[];
  /** Swarms that did not exist before (other than ours, if we just moved). */
  readonly newSwarms: readonly bigint[];
  /** True when we moved because our old swarm dissolved. */
  readonly dissolved: boolean;
}

/** The swarm view plus what the swarm layer needs. */
export interface SwarmState extends SwarmView {
  /**
   * Applies a node list. The same version again is ignored; a lower one is taken (the seed lost
   * its registry and counts from 1 again; polls are never in flight together, so it is not late).
   */
  update(list: NodeList): SwarmEvents | undefined;
  /** The list version applied, if any. */
  version(): number | undefined;
  blockHash(): string | undefined;
  /** Every listed node. */
  nodes(): readonly NodeInfo[];
  /** A listed node by Ed25519 key (hex), or undefined. */
  node(ed25519: string): NodeInfo | undefined;
  /** The members of a swarm. */
  swarm(id: bigint): readonly NodeInfo[];
  /** All swarm ids. */
  swarmIds(): readonly bigint[];
}

/** A swarm state for the node with Ed25519 key `self` (hex). */
export function createSwarmState(self: string): SwarmState {
  let current: NodeList | undefined;
  let swarms = new Map<bigint, NodeInfo[]>();
  let byKey = new Map<string, NodeInfo>();
  let mine: bigint | undefined;
  let ids: bigint[] = [];

  const index = (list: NodeList): void => {
    swarms = new Map();
    byKey = new Map();
    for (const n of list.nodes) {
      byKey.set(n.pubkeyEd25519, n);
      if (n.swarmId === undefined) continue;
      const members = swarms.get(n.swarmId) ?? [];
      members.push(n);
      swarms.set(n.swarmId, members);
    }
    mine = byKey.get(self)?.swarmId;
    ids = [...swarms.keys()];
  };

  return {
    update(list) {
      if (current !== undefined && list.version === current.version) return undefined;
      const oldSwarms = swarms;
      const oldMine = mine;
      const wasFirst = current === undefined;
      current = list;
      index(list);
      const newSwarm = mine;
      const none: SwarmEvents = {
        swarmId: newSwarm,
        newMembers: [],
        newSwarms: [],
        dissolved: false,
      };
      if (newSwarm === undefined || oldMine === undefined || wasFirst) return none;
      if (oldMine !== newSwarm) {
        return { ...none, dissolved: !swarms.has(oldMine) };
      }
      const oldMembers = new Set((oldSwarms.get(newSwarm) ?? []).map((n) => n.pubkeyEd25519));
      const newMembers = (swarms.get(newSwarm) ?? []).filter(
        (n) => n.pubkeyEd25519 !== self && !oldMembers.has(n.pubkeyEd25519),
      );
      const newSwarms = [...swarms.keys()].filter((id) => !oldSwarms.has(id));
      return { ...none, newMembers, newSwarms };
    },
    version: () => current?.version,
    blockHash: () => current?.blockHash,
    nodes: () => current?.nodes ?? [],
    node: (key) => byKey.get(key),
    swarm: (id) => swarms.get(id) ?? [],
    swarmIds: () => [...ids],

    mySwarmId: () => mine,
    swarmFor(account): SwarmInfo | undefined {
      const id = swarmForAccount(account, ids);
      return id === undefined ? undefined : { id, nodes: swarms.get(id) ?? [] };
    },
    peers() {
      if (mine === undefined) return [];
      return (swarms.get(mine) ?? []).filter((n) => n.pubkeyEd25519 !== self);
    },
  };
}
