/**
 * The poll-state port: where polling left off, and which messages were already handled.
 *
 * - **Last hash** per (service node, account, namespace): a `retrieve` passes it so the node
 *   returns only newer messages (storage-RPC `last_hash`; session-desktop keeps the same triple
 *   in its `lastHashes` table). Nodes do not share it: a node that never stored that hash
 *   returns everything, hence the per-node key.
 * - **Seen hashes**: every handled message's hash until the message expires on the swarm, so
 *   a message returned twice (a new node, a lost last hash, swarm replication) is handled once.
 *
 * Times are unix milliseconds.
 */

/** Whose messages, from which node, in which namespace. */
export interface PollCursor {
  /** The service node's Ed25519 public key, hex. */
  readonly node: string;
  /** The polled account's ID (ours, or a group's). */
  readonly account: string;
  readonly namespace: number;
}

/** A handled message's hash and when the swarm drops it. */
export interface SeenHash {
  readonly hash: string;
  readonly expiresAt: number;
}

/** Where poll state lives. */
export interface PollStateStore {
  getLastHash(cursor: PollCursor): Promise<string | undefined>;
  setLastHash(cursor: PollCursor, hash: string): Promise<void>;
  /** Forgets a node's last hashes (it left the swarm). Returns how many were forgotten. */
  forgetNode(node: string): Promise<number>;
  /**
   * Records hashes as seen and returns those not seen before, in input order (each once, even
   * if repeated in `entries`). One transaction: the check and the record cannot interleave. A
   * hash seen again keeps the later of the two expiries.
   */
  markSeen(entries: readonly SeenHash[]): Promise<string[]>;
  hasSeen(hash: string): Promise<boolean>;
  /** Forgets seen hashes that expired (`expiresAt <= now`). Returns how many. */
  pruneSeen(now: number): Promise<number>;
}
