/**
 * `ConfigSync`: keeps this device's config documents (profile, contacts, conversation info,
 * user groups; namespaces 2–5) in step with the account's other devices through the swarm
 * (issue 6, "Multi-device sync"; docs/sdk-sync.md).
 *
 * - A local edit is merged into the stored document and marked `needsPush`.
 * - `push()` stores each pending document as one config message (signed store to the
 *   private namespace, TTL 30 days, upstream's user-config TTL).
 * - `pull()` retrieves each namespace after its `last_hash`, merges every message that opens
 *   into the local document, and reports the visible changes as `sync-updated` values. When
 *   the merge holds something the retrieved messages did not, the result is marked for push,
 *   so the swarm's newest message converges on the join of every device's edits.
 *
 * Merges are commutative, associative and idempotent (config-document.ts), so delivery order,
 * duplicates and re-reads do not matter.
 */
import {
  deleteToSign,
  fromBase64,
  retrieveToSign,
  signDetached,
  storeToSign,
  toBase64,
  toHex,
  type Identity,
} from '@session-ts/core';
import type { ConfigStore } from '../stores/config-store.ts';
import type { PollStateStore } from '../stores/poll-state-store.ts';
import {
  applyLocalChange,
  checkDeviceId,
  documentSeqno,
  emptyConfigDocument,
  mergeConfigDocuments,
  type ConfigChange,
  type ConfigDocument,
} from './config-document.ts';
import {
  decodeConfigDocument,
  encodeConfigDocument,
  openConfigDocument,
  sealConfigDocument,
} from './config-codec.ts';
import { SYNC_KINDS, SYNC_SCHEMAS, type SyncKind } from './config-schema.ts';
import { diffConfigDocuments, type FieldChange } from './config-views.ts';

/** Upstream's TTL of user config messages: 30 days (`session::config` `DEFAULT_TTL`). */
export const CONFIG_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * When the newest config message we know of expires sooner than this, the document is pushed
 * again (a fresh copy; the old one is then superseded and deleted), so an idle account's config
 * never runs out while some device of it polls. Half the TTL: a device that polls once a
 * fortnight still keeps it alive.
 */
export const CONFIG_REPUSH_BEFORE_MS = CONFIG_TTL_MS / 2;
/** How many merged message hashes a record remembers (to skip re-reads cheaply). */
const MAX_REMEMBERED_HASHES = 64;
/** Retrieve pages followed per namespace and pull. */
const MAX_PAGES = 50;

/** One node's answer (structurally the client's `SwarmAnswer`). */
export interface ConfigSyncAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The answering node's Ed25519 key, hex; `last_hash` is kept per node. */
  readonly node?: string;
}

/** The swarm port ConfigSync needs: the client's `SwarmApi` satisfies it. */
export interface ConfigSyncSwarm {
  storageRpc(
    account: string,
    method: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<ConfigSyncAnswer>;
  /** Network time, unix ms: what requests are signed with. */
  now(): number;
}

/** The logger (a subset of the client's). */
export interface ConfigSyncLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** What `createConfigSync` needs. */
export interface ConfigSyncDeps {
  /** The account: its seed is the config key base; it signs the requests. */
  readonly identity: Identity;
  /** This device's ID (1–64 bytes), the tie-break of concurrent edits. */
  readonly deviceId: string;
  readonly store: { readonly config: ConfigStore; readonly pollState: PollStateStore };
  readonly swarm: ConfigSyncSwarm;
  readonly logger?: ConfigSyncLogger;
}

/** A `sync-updated` event: the visible changes a pull brought to one config. */
export interface SyncUpdated {
  readonly type: 'sync-updated';
  readonly kind: SyncKind;
  readonly changes: readonly FieldChange[];
}

/** What one pull did. */
export interface PullReport {
  readonly updates: readonly SyncUpdated[];
  /** Messages merged. */
  readonly merged: number;
  /** Messages that did not open (wrong key, bad document): dropped and counted. */
  readonly rejected: number;
  /** Namespaces whose retrieve failed (network weather; retried on the next pull). */
  readonly failed: readonly SyncKind[];
}

/** What one push did. */
export interface PushReport {
  readonly pushed: readonly SyncKind[];
  readonly failed: readonly SyncKind[];
}

/** The sync engine of one device. */
export interface ConfigSync {
  /** The current document of `kind`. */
  document(kind: SyncKind): Promise<ConfigDocument>;
  /** Applies a local edit; returns the new document (pushed on the next `push`). */
  change(kind: SyncKind, change: ConfigChange): Promise<ConfigDocument>;
  push(): Promise<PushReport>;
  pull(): Promise<PullReport>;
  /** `pull` then `push`. */
  sync(): Promise<PullReport & PushReport>;
}

/** Builds the sync engine of one device. */
export function createConfigSync(deps: ConfigSyncDeps): ConfigSync {
  checkDeviceId(deps.deviceId);
  const account = deps.identity.sessionId;
  const auth = {
    pubkey: account,
    pubkey_ed25519: toHex(deps.identity.ed25519PublicKey),
  };
  /** The node that answered each namespace's last retrieve (its `last_hash` is resumed). */
  const lastNode = new Map<SyncKind, string>();
  const sign = (bytes: Uint8Array): string =>
    toBase64(signDetached(deps.identity.ed25519SecretKey, bytes));

  interface Loaded {
    readonly doc: ConfigDocument;
    readonly hashes: readonly string[];
    readonly needsPush: boolean;
    readonly liveUntil: number;
  }

  async function load(kind: SyncKind): Promise<Loaded> {
    const record = await deps.store.config.getConfig(account, SYNC_SCHEMAS[kind].namespace);
    if (record === undefined) {
      return { doc: emptyConfigDocument(kind), hashes: [], needsPush: false, liveUntil: 0 };
    }
    return {
      doc: decodeConfigDocument(record.data, kind),
      hashes: record.hashes,
      needsPush: record.needsPush,
      liveUntil: record.liveUntil ?? 0,
    };
  }

  async function save(doc: ConfigDocument, fields: Omit<Loaded, 'doc'>): Promise<void> {
    await deps.store.config.putConfig({
      owner: account,
      namespace: SYNC_SCHEMAS[doc.kind].namespace,
      seqno: documentSeqno(doc),
      data: encodeConfigDocument(doc),
      hashes: fields.hashes.slice(-MAX_REMEMBERED_HASHES),
      needsPush: fields.needsPush,
      updatedAt: deps.swarm.now(),
      ...(fields.liveUntil === 0 ? {} : { liveUntil: fields.liveUntil }),
    });
  }

  /**
   * Deletes config messages our newest push supersedes (every hash this state merged or pushed
   * before it: the pushed document is their join). Best effort: a failure leaves them to expire,
   * and a node that missed the delete only makes us read (and merge, idempotently) one again.
   */
  async function deleteSuperseded(kind: SyncKind, old: readonly string[]): Promise<boolean> {
    const answer = await deps.swarm
      .storageRpc(account, 'delete', {
        ...auth,
        messages: old,
        signature: sign(deleteToSign({ messages: old })),
      })
      .catch((error: unknown) => ({ status: 0, body: String(error) }));
    if (answer.status !== 200) {
      deps.logger?.warn('config delete of superseded messages failed', {
        kind,
        status: answer.status,
      });
      return false;
    }
    return true;
  }

  async function pushKind(kind: SyncKind): Promise<'pushed' | 'failed' | 'clean'> {
    const state = await load(kind);
    if (!state.needsPush) return 'clean';
    const namespace = SYNC_SCHEMAS[kind].namespace;
    const data = sealConfigDocument(state.doc, deps.identity.seed);
    const now = deps.swarm.now();
    const answer = await deps.swarm
      .storageRpc(account, 'store', {
        ...auth,
        namespace,
        timestamp: now,
        ttl: CONFIG_TTL_MS,
        data: toBase64(data),
        sig_timestamp: now,
        signature: sign(storeToSign({ namespace, sigTimestamp: now })),
      })
      .catch((error: unknown) => ({ status: 0, body: String(error) }));
    const body = answer.body as Record<string, unknown> | null;
    if (answer.status !== 200 || typeof body !== 'object' || body === null) {
      deps.logger?.warn('config push failed', { kind, status: answer.status });
      return 'failed';
    }
    const hash = typeof body['hash'] === 'string' ? body['hash'] : undefined;
    // Only clear the flag if nothing changed locally while the store was in flight.
    const after = await load(kind);
    const unchanged = encodeEqual(after.doc, state.doc);
    // The pushed document is the join of everything this state reflects only when nothing
    // was merged or edited while the store was in flight; only then are older messages moot.
    // (Config encryption is deterministic: re-pushing an unchanged document stores the very
    // message we hold, under the same hash, which must not be deleted with the others.)
    const superseded =
      unchanged && hash !== undefined ? after.hashes.filter((h) => h !== hash) : [];
    const deleted = superseded.length > 0 && (await deleteSuperseded(kind, superseded));
    const base = deleted ? [] : after.hashes.filter((h) => h !== hash);
    await save(after.doc, {
      hashes: hash === undefined ? base : [...base, hash],
      needsPush: !unchanged,
      liveUntil: Math.max(after.liveUntil, now + CONFIG_TTL_MS),
    });
    return 'pushed';
  }

  async function pullKind(
    kind: SyncKind,
  ): Promise<{ update?: SyncUpdated; merged: number; rejected: number; failed: boolean }> {
    const namespace = SYNC_SCHEMAS[kind].namespace;
    const remote: ConfigDocument[] = [];
    const newHashes: string[] = [];
    let rejected = 0;
    let seenUntil = 0;
    let lastHash: string | undefined;
    const known = new Set((await load(kind)).hashes);
    for (let page = 0; page < MAX_PAGES; page++) {
      const now = deps.swarm.now();
      const params: Record<string, unknown> = {
        ...auth,
        namespace,
        timestamp: now,
        signature: sign(retrieveToSign({ namespace, timestamp: now })),
      };
      const answer = await deps.swarm
        .storageRpc(account, 'retrieve', {
          ...params,
          ...(await lastHashParam(lastHash)),
        })
        .catch((error: unknown) => ({ status: 0, body: String(error), node: undefined }));
      const body = answer.body as Record<string, unknown> | null;
      if (answer.status !== 200 || typeof body !== 'object' || body === null) {
        deps.logger?.warn('config pull failed', { kind, status: answer.status });
        return {
          merged: 0,
          rejected,
          failed: true,
          ...(await mergeRemote(kind, remote, newHashes, seenUntil)),
        };
      }
      const cursorNode = answer.node ?? 'default';
      lastNode.set(kind, cursorNode);
      const list = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
      for (const item of list) {
        const m = item as Record<string, unknown>;
        const hash = m['hash'];
        const data = m['data'];
        if (typeof hash !== 'string' || typeof data !== 'string') continue;
        lastHash = hash;
        const expiration = typeof m['expiration'] === 'number' ? m['expiration'] : 0;
        if (known.has(hash)) {
          seenUntil = Math.max(seenUntil, expiration);
          continue;
        }
        known.add(hash);
        const opened = openConfigDocument(fromBase64(data), deps.identity.seed, kind);
        if (!opened.ok) {
          rejected++;
          deps.logger?.warn('config message rejected', { kind, reason: opened.error.message });
          continue;
        }
        seenUntil = Math.max(seenUntil, expiration);
        remote.push(opened.document);
        newHashes.push(hash);
      }
      if (lastHash !== undefined) {
        await deps.store.pollState.setLastHash({ node: cursorNode, account, namespace }, lastHash);
      }
      if (body['more'] !== true || list.length === 0) break;
    }
    return {
      rejected,
      failed: false,
      merged: remote.length,
      ...(await mergeRemote(kind, remote, newHashes, seenUntil)),
    };

    async function lastHashParam(hash: string | undefined): Promise<Record<string, string>> {
      // The first page resumes from the last hash kept for the node that answered last time
      // (a node that does not know it answers from the start: merges are idempotent); later
      // pages follow the page before.
      const node = lastNode.get(kind) ?? 'default';
      const h = hash ?? (await deps.store.pollState.getLastHash({ node, account, namespace }));
      return h === undefined ? {} : { last_hash: h };
    }
  }

  /**
   * Merges what a pull opened and notes how long the swarm keeps our newest config message
   * (`seenUntil`, from the messages' `expiration`); marks the document for a push when the
   * swarm's messages do not hold the join, or when that message expires within
   * `CONFIG_REPUSH_BEFORE_MS`.
   */
  async function mergeRemote(
    kind: SyncKind,
    remote: readonly ConfigDocument[],
    newHashes: readonly string[],
    seenUntil: number,
  ): Promise<{ update?: SyncUpdated }> {
    const state = await load(kind);
    let merged = state.doc;
    for (const doc of remote) merged = mergeConfigDocuments(merged, doc);
    const liveUntil = Math.max(state.liveUntil, seenUntil);
    const holdsJoin = remote.length === 0 || remote.some((doc) => encodeEqual(doc, merged));
    const expiring =
      documentSeqno(merged) > 0 && liveUntil - deps.swarm.now() < CONFIG_REPUSH_BEFORE_MS;
    const needsPush = state.needsPush || !holdsJoin || expiring;
    if (remote.length === 0 && needsPush === state.needsPush && liveUntil === state.liveUntil) {
      return {};
    }
    await save(merged, { hashes: [...state.hashes, ...newHashes], needsPush, liveUntil });
    const changes = diffConfigDocuments(state.doc, merged);
    return changes.length === 0 ? {} : { update: { type: 'sync-updated', kind, changes } };
  }

  async function push(): Promise<PushReport> {
    const pushed: SyncKind[] = [];
    const failed: SyncKind[] = [];
    for (const kind of SYNC_KINDS) {
      const outcome = await pushKind(kind);
      if (outcome === 'pushed') pushed.push(kind);
      if (outcome === 'failed') failed.push(kind);
    }
    return { pushed, failed };
  }

  async function pull(): Promise<PullReport> {
    const updates: SyncUpdated[] = [];
    const failed: SyncKind[] = [];
    let merged = 0;
    let rejected = 0;
    for (const kind of SYNC_KINDS) {
      const r = await pullKind(kind);
      if (r.update !== undefined) updates.push(r.update);
      if (r.failed) failed.push(kind);
      merged += r.merged;
      rejected += r.rejected;
    }
    return { updates, merged, rejected, failed };
  }

  return {
    async document(kind) {
      return (await load(kind)).doc;
    },
    async change(kind, change) {
      const state = await load(kind);
      const next = applyLocalChange(state.doc, change, deps.deviceId);
      if (next !== state.doc) await save(next, { ...state, needsPush: true });
      return next;
    },
    push,
    pull,
    async sync() {
      const pulled = await pull();
      const pushed = await push();
      return { ...pulled, ...pushed, failed: [...pulled.failed, ...pushed.failed] };
    },
  };
}

function encodeEqual(a: ConfigDocument, b: ConfigDocument): boolean {
  return Buffer.from(encodeConfigDocument(a)).equals(encodeConfigDocument(b));
}
