/**
 * What replication moves between nodes, and the port it reads and writes the message store
 * through. Upstream pushes its messages to new swarm members as bt-encoded batches over OxenMQ
 * (`sn.data`, session-foundation/session-storage-server `oxenss/snode/service_node.cpp`
 * `relay_messages`, `oxenss/snode/serialization.cpp`); we send JSON batches over HTTP to
 * `POST /swarm/v1/push`:
 *
 *     {"version": list version, "messages": [{"pubkey": 66 hex, "namespace": n,
 *      "hash": 43 chars, "timestamp": ms, "expiry": ms, "data": base64}, …]}
 *
 * `version` is the node-list version the sender routed the batch with: a receiver whose list is
 * older answers 503 and polls the seed, and the sender retries, so a message is never dropped
 * for belonging to a swarm the receiver does not know about yet.
 *
 * The receiver trusts nothing in a batch: each message's hash is recomputed from its account,
 * namespace and data (network.md §1.5), and messages that are expired, malformed or not for
 * its swarm are dropped.
 */
import {
  MAX_MESSAGE_BYTES,
  fromBase64,
  fromHexOfLength,
  isNamespace,
  messageHash,
  toBase64,
} from '@session-ts/core';
import type { MessageStore, StoredMessage } from '../storage/message-store.ts';

/** A stored message as it moves between nodes (the store's own shape). */
export type ReplicatedMessage = StoredMessage;

/**
 * The message store as replication sees it: the export in batches (the store is free for
 * other calls between them, so a push can wait on the network without holding the database)
 * and the import of pushed messages (`message-store.ts`).
 */
export type MessageArchive = Pick<MessageStore, 'exportAll' | 'importMessages'>;

/** Raw bytes of data per push request (the listener takes up to 10 MiB of base64 JSON). */
export const PUSH_BATCH_BYTES = 2 * 1024 * 1024;

/** The JSON body of a push. */
export function encodePushBatch(messages: readonly ReplicatedMessage[], version: number): unknown {
  return {
    version,
    messages: messages.map((m) => ({
      pubkey: m.account,
      namespace: m.namespace,
      hash: m.hash,
      timestamp: m.timestamp,
      expiry: m.expiry,
      data: toBase64(m.data),
    })),
  };
}

/** The valid messages of a pushed batch, and how many were dropped as malformed or expired. */
export function decodePushBatch(
  body: unknown,
  now: number,
): { readonly messages: ReplicatedMessage[]; readonly rejected: number } | undefined {
  const list = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(list)) return undefined;
  const messages: ReplicatedMessage[] = [];
  let rejected = 0;
  for (const item of list as unknown[]) {
    const m = decodeOne(item, now);
    if (m === undefined) rejected++;
    else messages.push(m);
  }
  return { messages, rejected };
}

function decodeOne(item: unknown, now: number): ReplicatedMessage | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { pubkey, namespace, hash, timestamp, expiry, data } = item as Record<string, unknown>;
  if (typeof pubkey !== 'string' || typeof hash !== 'string' || typeof data !== 'string') {
    return undefined;
  }
  if (!isNamespace(namespace)) return undefined;
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(expiry)) return undefined;
  if ((expiry as number) <= now) return undefined;
  try {
    const account = fromHexOfLength(pubkey.toLowerCase(), 33, 'pubkey');
    const bytes = fromBase64(data, 'data');
    if (bytes.length > MAX_MESSAGE_BYTES) return undefined;
    if (messageHash(account, namespace, bytes) !== hash) return undefined;
    return {
      account: pubkey.toLowerCase(),
      namespace,
      hash,
      timestamp: timestamp as number,
      expiry: expiry as number,
      data: bytes,
    };
  } catch {
    return undefined;
  }
}
