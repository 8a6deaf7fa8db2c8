/**
 * The storage-RPC requests the client makes, signed as a Session client signs them (core's
 * signed strings, Ed25519 with the account's key; network.md §1.3): store, retrieve, expire,
 * delete. Answers are parsed once here; callers get typed values or a `ClientError`.
 */
import {
  deleteToSign,
  expireToSign,
  fromBase64,
  isNoAuthRetrieveNamespace,
  messageHash,
  fromHex,
  retrieveToSign,
  signDetached,
  storeToSign,
  toBase64,
  toHex,
  type Identity,
  type Namespace,
} from '@session-ts/core';
import { ClientError } from './client-error.ts';
import type { SwarmApi } from './swarm-api.ts';

/** A message retrieved from a swarm. */
export interface RetrievedMessage {
  readonly hash: string;
  readonly data: Uint8Array;
  /** Swarm timestamp and expiry, unix ms. */
  readonly timestamp: number;
  readonly expiration: number;
}

function auth(identity: Identity): Record<string, string> {
  return { pubkey: identity.sessionId, pubkey_ed25519: toHex(identity.ed25519PublicKey) };
}

function sign(identity: Identity, bytes: Uint8Array): string {
  return toBase64(signDetached(identity.ed25519SecretKey, bytes));
}

function check(what: string, status: number, body: unknown): Record<string, unknown> {
  if (status !== 200 || typeof body !== 'object' || body === null) {
    const text = typeof body === 'string' ? body.slice(0, 120) : '';
    throw new ClientError('swarm', `${what}: status ${status} ${text}`.trim());
  }
  return body as Record<string, unknown>;
}

/**
 * Stores `data` in `account`'s swarm. `signer` signs when the namespace needs it (every one
 * but a public inbox, namespace 0 of someone else). Returns the message hash.
 */
export async function storeMessage(
  swarm: SwarmApi,
  args: {
    readonly account: string;
    readonly namespace: Namespace;
    readonly data: Uint8Array;
    readonly ttlMs: number;
    readonly signer?: Identity;
  },
): Promise<string> {
  const now = swarm.now();
  const params: Record<string, unknown> = {
    pubkey: args.account,
    timestamp: now,
    ttl: args.ttlMs,
    data: toBase64(args.data),
    ...(args.namespace === 0 ? {} : { namespace: args.namespace }),
  };
  if (args.signer !== undefined) {
    Object.assign(params, auth(args.signer), {
      sig_timestamp: now,
      signature: sign(args.signer, storeToSign({ namespace: args.namespace, sigTimestamp: now })),
    });
  }
  const r = await swarm.storageRpc(args.account, 'store', params);
  check('store', r.status, r.body);
  return messageHash(fromHex(args.account), args.namespace, args.data);
}

/**
 * Retrieves messages newer than `lastHash`, following `more`. Our own namespaces are signed by
 * `signer`; a public outbox (−21) needs no signature.
 */
export async function retrieveMessages(
  swarm: SwarmApi,
  args: {
    readonly account: string;
    readonly namespace: Namespace;
    readonly lastHash?: string | undefined;
    readonly signer?: Identity;
  },
): Promise<{ readonly messages: RetrievedMessage[]; readonly node: string }> {
  const out: RetrievedMessage[] = [];
  let lastHash = args.lastHash;
  let node = 'default';
  for (let page = 0; page < 100; page++) {
    const now = swarm.now();
    const params: Record<string, unknown> = {
      pubkey: args.account,
      namespace: args.namespace,
      ...(lastHash === undefined ? {} : { last_hash: lastHash }),
    };
    if (!isNoAuthRetrieveNamespace(args.namespace)) {
      if (args.signer === undefined) throw new ClientError('invalid-input', 'retrieve: no signer');
      Object.assign(params, auth(args.signer), {
        timestamp: now,
        signature: sign(args.signer, retrieveToSign({ namespace: args.namespace, timestamp: now })),
      });
    }
    const r = await swarm.storageRpc(args.account, 'retrieve', params);
    node = r.node ?? node;
    const body = check('retrieve', r.status, r.body);
    const list = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
    for (const m of list) {
      const msg = m as Record<string, unknown>;
      const hash = msg['hash'];
      const data = msg['data'];
      if (typeof hash !== 'string' || typeof data !== 'string') continue;
      out.push({
        hash,
        data: fromBase64(data),
        timestamp: typeof msg['timestamp'] === 'number' ? msg['timestamp'] : 0,
        expiration: typeof msg['expiration'] === 'number' ? msg['expiration'] : 0,
      });
      lastHash = hash;
    }
    if (body['more'] !== true || list.length === 0) break;
  }
  return { messages: out, node };
}

/** Sets a new expiry on some of our own messages (disappear after read). */
export async function expireMessages(
  swarm: SwarmApi,
  identity: Identity,
  hashes: readonly string[],
  expiry: number,
): Promise<void> {
  if (hashes.length === 0) return;
  const params = {
    ...auth(identity),
    messages: hashes,
    expiry,
    signature: sign(identity, expireToSign({ expiry, messages: hashes })),
  };
  const r = await swarm.storageRpc(identity.sessionId, 'expire', params);
  check('expire', r.status, r.body);
}

/** Deletes some of our own messages. */
export async function deleteMessages(
  swarm: SwarmApi,
  identity: Identity,
  hashes: readonly string[],
): Promise<void> {
  if (hashes.length === 0) return;
  const params = {
    ...auth(identity),
    messages: hashes,
    signature: sign(identity, deleteToSign({ messages: hashes })),
  };
  const r = await swarm.storageRpc(identity.sessionId, 'delete', params);
  check('delete', r.status, r.body);
}
