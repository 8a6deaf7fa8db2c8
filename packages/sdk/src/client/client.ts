/**
 * `createClient`: a Session client over a `ClientStore`, a `SwarmApi`, a clock and an rng
 * (CONVENTIONS.md habit 3; docs/sdk.md). Accounts, one-to-one conversations over V2 PFS with
 * the downgrade policy, multi-device sync copies of sent messages, message requests,
 * disappearing messages, linked devices, and the schedules (`tick`). No globals: everything a
 * client knows is in its store and this closure.
 */
import {
  deviceIdHex,
  encodeContent,
  identityFromSeed,
  membershipOf,
  recoveryPasswordFromSeed,
  seedFromRecoveryPassword,
  SessionProtos,
  TTL_MIN_MS,
  type Clock,
  type ContentInit,
  type Membership,
  type Rng,
} from '@session-ts/core';
import type { ClientStore } from '../stores/client-store.ts';
import type {
  Conversation,
  DisappearingSetting,
  MessageQuery,
  StoredMessage,
} from '../stores/conversation-store.ts';
import { removeRecord, setContact, setConvoInfo, setProfile } from '../sync/config-views.ts';
import { ClientError } from './client-error.ts';
import { createClientConfigSync } from './config-wiring.ts';
import { forgetConversation } from './conversation-deletion.ts';
import {
  requireIdentity,
  requireState,
  SILENT_CLIENT_LOGGER,
  type ClientContext,
  type ClientLogger,
} from './context.ts';
import {
  contentExpiration,
  ensureConversation,
  expiresAtFor,
  messageId,
} from './conversation-helpers.ts';
import {
  approveLink,
  cancelOwnLink,
  confirmOwnLink,
  establishGroup,
  fetchDeviceGroup,
  ignoreLink,
  joinOrStart,
  joinOtherGroup,
  leaveGroup,
  listDevices,
  removeOtherDevice,
  rotateDue,
  type DeviceInfo,
  type DeviceMemory,
  type DeviceSummary,
  type LinkStart,
} from './devices.ts';
import { createEmitter, type ClientEventName, type Listener } from './events.ts';
import { applyUnsend, pollInbox, type PollSummary } from './incoming.ts';
import { DM_TTL_MS, flushDue, flushRecipient } from './outgoing.ts';
import { expireMessages } from './swarm-requests.ts';
import { swarmApiFromNetwork, type SwarmApi } from './swarm-api.ts';
import type { Network } from '@session-ts/net';

/** What `createClient` needs. */
export type ClientDeps = ClientDepsBase &
  (
    | { readonly network: Network; readonly swarm?: undefined }
    | { readonly swarm: SwarmApi; readonly network?: undefined }
  );

/** The dependencies every client takes; plus one of `network` (usual) or `swarm` (tests). */
export interface ClientDepsBase {
  readonly store: ClientStore;
  /** Local time, unix ms: message timestamps, schedules, expiries. */
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger?: ClientLogger;
  /** How this device describes itself to the account's other devices. */
  readonly device?: DeviceInfo;
  /**
   * How old a contact's cached account keys may be before a send re-reads its −21 message
   * (ms; default 0: every send re-reads). The removed-device window of protocol-v2.md
   * "Removal and contacts' key caches" is at most this long.
   */
  readonly keyRecheckMs?: number;
}

/** A new account's public and secret facts, shown once. */
export interface CreatedAccount {
  readonly sessionId: string;
  /** The 13-word recovery password (for a 16-byte seed). Secret. */
  readonly recoveryPassword: string;
}

/** Options of `send`. */
export interface SendOptions {
  /** Override the conversation's disappearing setting for this message. */
  readonly disappearing?: DisappearingSetting;
}

/** A client. */
export interface Client {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends ClientEventName>(name: K, listener: Listener<K>): () => void;

  // Accounts.
  /** Loads the account already in the store. False when there is none. */
  open(): Promise<boolean>;
  /** A new account: a 16-byte seed, this device alone in a new group, keys published. */
  createAccount(): Promise<CreatedAccount>;
  /**
   * Restores from the recovery password: asks the account's group to admit this device (the
   * result carries the SAS to compare), or starts a group when none is visible.
   */
  restoreAccount(words: string): Promise<LinkStart>;
  /**
   * After this device was removed or displaced (or its link request lapsed): a new device
   * identity, then a link request to the visible group (or a new group when none is visible).
   */
  rejoin(): Promise<LinkStart>;
  /**
   * After a `group-appeared` security notice (another group of this account's devices is in the
   * swarm, its ID in `detail`): asks that group to admit this device, keeping its identity;
   * compare the SAS and `confirmLink()` as when linking. On admission this device leaves its
   * own group for that one.
   */
  joinGroup(groupId: string): Promise<LinkStart>;
  /** Our Session ID. */
  sessionId(): string;
  membership(): Promise<Membership>;
  /** Sets our display name (synced to our other devices through the profile config). */
  setDisplayName(name: string): Promise<void>;
  /** Our display name as synced (`undefined`: none set on any device). */
  displayName(): Promise<string | undefined>;

  // Conversations.
  send(to: string, text: string, options?: SendOptions): Promise<StoredMessage>;
  /** Retries sends the downgrade policy blocked (after the user agreed to a weaker one). */
  retryBlocked(to: string): Promise<number>;
  poll(): Promise<PollSummary>;
  listConversations(filter?: {
    readonly requestState?: Conversation['requestState'];
  }): Promise<Conversation[]>;
  listMessages(conversationId: string, query?: MessageQuery): Promise<StoredMessage[]>;
  /** Marks everything read: starts after-read timers (and swarm expiries), sends receipts. */
  markRead(conversationId: string): Promise<void>;
  sendTyping(to: string, started: boolean): Promise<boolean>;
  /** Deletes one of our messages everywhere we can (peer, our devices, our swarm). */
  unsend(messageId: string): Promise<boolean>;
  setDisappearing(conversationId: string, setting: DisappearingSetting): Promise<void>;
  /** Mutes a conversation until `until` (unix ms; `undefined` unmutes); synced. */
  setMuted(conversationId: string, until: number | undefined): Promise<void>;
  /**
   * Deletes a conversation with its messages, queued sends and the contact's keys (a blocked
   * contact stays blocked), here, on our other devices (synced) and from our swarm. False when
   * there was nothing to delete.
   */
  deleteConversation(conversationId: string): Promise<boolean>;

  // Message requests.
  acceptRequest(conversationId: string): Promise<void>;
  declineRequest(conversationId: string): Promise<void>;
  block(accountId: string): Promise<void>;
  unblock(accountId: string): Promise<void>;

  // Devices.
  listDevices(): Promise<DeviceSummary[]>;
  /** This device's ID, hex. */
  deviceId(): Promise<string>;
  /** New device: the user confirmed the SAS matches. True when admitted at once. */
  confirmLink(): Promise<boolean>;
  /** New device: the SAS did not match. */
  cancelLink(): Promise<boolean>;
  /** Existing device: admit a requesting device (after comparing the SAS). */
  approveDevice(requestId: number): Promise<boolean>;
  ignoreDevice(requestId: number): Promise<boolean>;
  /**
   * The "approval required" policy of this device (issue #6): while on, a link request it sees
   * is only announced, and nothing is admitted until a device calls `approveDevice`. Kept in
   * this device's store and not synced: each device applies it to the requests it sees, so an
   * account wants it on every existing device.
   */
  setApprovalRequired(on: boolean): Promise<void>;
  approvalRequired(): Promise<boolean>;
  removeDevice(deviceId: string): Promise<boolean>;
  leave(): Promise<boolean>;
  /**
   * The schedules, at the clock's time (missed ones catch up): key rotations, queued sends,
   * expired disappearing messages, seen-hash pruning.
   */
  tick(): Promise<void>;
}

/** Makes a client. Nothing happens until `open`, `createAccount` or `restoreAccount`. */
/** How long a read of namespace 21 counts as current before a sync copy reads it again. */
const GROUP_FRESH_MS = 3_600_000;

export function createClient(deps: ClientDeps): Client {
  const logger = deps.logger ?? SILENT_CLIENT_LOGGER;
  const ctx: ClientContext = {
    store: deps.store,
    swarm: deps.swarm ?? swarmApiFromNetwork(deps.network),
    keyRecheckMs: deps.keyRecheckMs ?? 0,
    clock: deps.clock,
    rng: deps.rng,
    logger,
    events: createEmitter((error) => {
      logger.error('event listener threw', { error });
    }),
  };
  const info: DeviceInfo = deps.device ?? { type: 'c', description: 'session-ts' };
  const memory: DeviceMemory = { firstSeen: new Map() };
  let displayName: string | undefined;
  let lastSentAt = 0;
  const config = createClientConfigSync(ctx);

  const self = (): string => requireIdentity(ctx).sessionId;

  function nextTimestamp(): number {
    lastSentAt = Math.max(ctx.clock.now(), lastSentAt + 1);
    return lastSentAt;
  }

  async function adopt(seed: Uint8Array): Promise<void> {
    const identity = identityFromSeed(seed);
    const existing = await deps.store.account.getAccount();
    if (existing !== undefined) {
      const known = identityFromSeed(existing.seed.exportBytes());
      if (known.sessionId !== identity.sessionId) {
        throw new ClientError('state', 'the store holds another account: wipe it first');
      }
    }
    await deps.store.account.putAccount({ seed: identity.seed, createdAt: ctx.clock.now() });
    ctx.identity = identity;
  }

  /** Queues `content` for `to` (and a sync copy for our devices) and sends what it can. */
  async function queue(
    conversationId: string,
    to: string,
    id: string,
    content: ContentInit,
    sentAt: number,
    ttlMs: number,
    sync?: ContentInit,
  ): Promise<void> {
    const now = ctx.clock.now();
    const base = {
      conversationId,
      sentAt,
      ttlMs,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      waitingFor: 'keys' as const,
    };
    await deps.store.outbox.enqueue({
      ...base,
      id,
      recipient: to,
      content: encodeContent(content),
    });
    if (sync !== undefined && to !== self()) {
      await deps.store.outbox.enqueue({
        ...base,
        id: `${id}#sync`,
        recipient: self(),
        content: encodeContent(sync),
      });
      await flushRecipient(ctx, self());
    }
    await flushRecipient(ctx, to);
  }

  /** Sends a control message (no local message) to `to`. */
  async function control(to: string, content: ContentInit, sync = false): Promise<void> {
    const sentAt = nextTimestamp();
    await ensureConversation(ctx, to, 'accepted', self());
    const full = { ...content, sigTimestamp: BigInt(sentAt) };
    await queue(to, to, `ctl/${to}/${sentAt}`, full, sentAt, DM_TTL_MS, sync ? full : undefined);
  }

  /** When this client last read namespace 21 (client clock, ms). */
  let groupFetchedAt: number | undefined;
  async function fetchGroup(): Promise<Membership> {
    const membership = await fetchDeviceGroup(ctx, memory, info);
    groupFetchedAt = ctx.clock.now();
    return membership;
  }
  ctx.ensureGroupFresh = async () => {
    if (groupFetchedAt !== undefined && ctx.clock.now() - groupFetchedAt < GROUP_FRESH_MS) return;
    try {
      await fetchGroup();
    } catch (error) {
      logger.warn('device group fetch before a sync copy failed', { error });
    }
  };

  async function refetchGroup(): Promise<void> {
    await fetchGroup();
  }

  const impl: Client = {
    on: (name, listener) => ctx.events.on(name, listener),

    async open() {
      const account = await deps.store.account.getAccount();
      if (account === undefined) return false;
      ctx.identity = identityFromSeed(account.seed.exportBytes());
      const opened = (await deps.store.deviceState.get()) !== undefined;
      if (opened) displayName = (await config.displayName()) ?? displayName;
      return opened;
    },

    async createAccount() {
      const seed = ctx.rng.randomBytes(16);
      await adopt(seed);
      await establishGroup(ctx, memory, info);
      // A name set before the account existed becomes the account's profile.
      if (displayName !== undefined) {
        await config.local([['userProfile', setProfile({ name: displayName })]]);
      }
      return { sessionId: self(), recoveryPassword: recoveryPasswordFromSeed(seed) };
    },

    async restoreAccount(words) {
      await adopt(seedFromRecoveryPassword(words));
      return joinOrStart(ctx, memory, info);
    },

    async rejoin() {
      requireIdentity(ctx);
      return joinOrStart(ctx, memory, info);
    },

    joinGroup: (groupId) => joinOtherGroup(ctx, groupId, info),

    sessionId: self,

    async membership() {
      return membershipOf(await requireState(ctx), ctx.clock.now());
    },

    async setDisplayName(name) {
      // Before an account exists the name is only remembered (createAccount records it).
      await config.local([['userProfile', setProfile({ name })]]);
      displayName = name;
    },

    async displayName() {
      return (await config.displayName()) ?? displayName;
    },

    async send(to, text, options = {}) {
      const me = self();
      const sentAt = nextTimestamp();
      const { conversation } = await ensureConversation(ctx, to, 'accepted', me);
      if (conversation.requestState !== 'accepted') {
        await impl.acceptRequest(to);
      } else if (to !== me && (await deps.store.contacts.getContact(to))?.approved !== true) {
        await approveContact(to);
      }
      const setting = options.disappearing ?? conversation.disappearing;
      // The swarm refuses TTLs under 10 s (TTL_MIN_MS) and over 14 days in a public inbox.
      const ttlMs =
        setting.mode === 'after-send'
          ? Math.max(TTL_MIN_MS, Math.min(DM_TTL_MS, setting.timerSeconds * 1000))
          : DM_TTL_MS;
      const expiresAt = expiresAtFor(setting, sentAt);
      const id = messageId(to, me, sentAt);
      const message: StoredMessage = {
        id,
        conversationId: to,
        direction: 'outgoing',
        sender: me,
        body: text,
        sentAt,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(setting.mode === 'off' ? {} : { disappearing: setting }),
        status: 'sending',
      };
      await deps.store.conversations.addMessage(message);
      const dataMessage = {
        body: text,
        timestamp: BigInt(sentAt),
        ...(displayName === undefined ? {} : { profile: { displayName } }),
      };
      const content: ContentInit = {
        dataMessage,
        sigTimestamp: BigInt(sentAt),
        ...contentExpiration(setting),
      };
      const sync: ContentInit = { ...content, dataMessage: { ...dataMessage, syncTarget: to } };
      await queue(to, to, id, content, sentAt, ttlMs, sync);
      return (await deps.store.conversations.getMessage(id)) ?? message;
    },

    async retryBlocked(to) {
      return (await flushRecipient(ctx, to, true)).sent;
    },

    async poll() {
      requireIdentity(ctx);
      const membership = await fetchGroup();
      // Without the group's account keys (not admitted yet, or no group; displaced: the group
      // moved on to keys we lack until we rejoin) nothing new in the inbox opens; reading it
      // now would mark those messages handled before the keys arrive.
      const keyless = ['unknown', 'waiting', 'no-group', 'groups-visible', 'displaced'].includes(
        membership,
      );
      if (keyless) return { handled: 0, undecryptable: 0 };
      // Config first, so a contact approved or blocked on another device is already so here
      // when its messages are classified. Only a device in the group syncs config.
      if (membership === 'in-group') {
        try {
          await config.pullAndApply();
          displayName = (await config.displayName()) ?? displayName;
        } catch (error) {
          logger.warn('config sync failed; will retry on the next poll', { error });
        }
      }
      return pollInbox(ctx, refetchGroup);
    },

    listConversations: (filter) => deps.store.conversations.listConversations(filter),
    listMessages: (id, query) => deps.store.conversations.listMessages(id, query),

    async markRead(conversationId) {
      const conversation = await deps.store.conversations.getConversation(conversationId);
      if (conversation === undefined) return;
      const messages = await deps.store.conversations.listMessages(conversationId);
      const now = ctx.clock.now();
      const unread = messages.filter(
        (m) => m.direction === 'incoming' && m.sentAt > conversation.readAt,
      );
      const newest = messages[messages.length - 1];
      if (newest !== undefined && newest.sentAt > conversation.readAt) {
        await deps.store.conversations.updateConversation(conversationId, {
          readAt: newest.sentAt,
        });
        await config.local([
          ['convoInfoVolatile', setConvoInfo(conversationId, { readAt: newest.sentAt })],
        ]);
      }
      // Disappear after read: the timer starts now, here and on the swarm.
      const byExpiry = new Map<number, string[]>();
      for (const m of messages) {
        if (m.disappearing?.mode !== 'after-read' || m.expiresAt !== undefined) continue;
        const expiresAt = now + m.disappearing.timerSeconds * 1000;
        await deps.store.conversations.updateMessage(m.id, { expiresAt });
        if (m.hash !== undefined)
          byExpiry.set(expiresAt, [...(byExpiry.get(expiresAt) ?? []), m.hash]);
      }
      for (const [expiry, hashes] of byExpiry) {
        try {
          await expireMessages(ctx.swarm, requireIdentity(ctx), hashes, expiry);
        } catch (error) {
          logger.warn('swarm expire failed', { error });
        }
      }
      const settings = await deps.store.account.getSettings();
      if (settings.readReceipts && unread.length > 0 && conversation.kind === 'direct') {
        await control(conversationId, {
          receiptMessage: {
            type: SessionProtos.ReceiptMessage_Type.READ,
            timestamp: unread.map((m) => BigInt(m.sentAt)),
          },
        });
      }
    },

    async sendTyping(to, started) {
      const settings = await deps.store.account.getSettings();
      if (!settings.typingIndicators) return false;
      await control(to, {
        typingMessage: {
          timestamp: BigInt(ctx.clock.now()),
          action: started
            ? SessionProtos.TypingMessage_Action.STARTED
            : SessionProtos.TypingMessage_Action.STOPPED,
        },
      });
      return true;
    },

    async unsend(id) {
      const message = await deps.store.conversations.getMessage(id);
      if (message?.direction !== 'outgoing') return false;
      const unsendRequest = { timestamp: BigInt(message.sentAt), author: self() };
      await control(message.conversationId, { unsendRequest }, true);
      await applyUnsend(ctx, self(), message.sentAt);
      return true;
    },

    async setDisappearing(conversationId, setting) {
      await ensureConversation(ctx, conversationId, 'accepted', self());
      await deps.store.conversations.updateConversation(conversationId, { disappearing: setting });
      await config.local([
        ['convoInfoVolatile', setConvoInfo(conversationId, { disappearing: setting })],
      ]);
      if (conversationId === self()) return;
      const sentAt = nextTimestamp();
      const dataMessage = {
        flags: SessionProtos.DataMessage_Flags.EXPIRATION_TIMER_UPDATE,
        timestamp: BigInt(sentAt),
      };
      const content: ContentInit = {
        dataMessage,
        sigTimestamp: BigInt(sentAt),
        ...contentExpiration(setting),
      };
      const sync: ContentInit = {
        ...content,
        dataMessage: { ...dataMessage, syncTarget: conversationId },
      };
      await queue(
        conversationId,
        conversationId,
        `ctl/${conversationId}/${sentAt}`,
        content,
        sentAt,
        DM_TTL_MS,
        sync,
      );
    },

    async setMuted(conversationId, until) {
      await ensureConversation(ctx, conversationId, 'accepted', self());
      await deps.store.conversations.updateConversation(conversationId, { mutedUntil: until });
      await config.local([
        ['convoInfoVolatile', setConvoInfo(conversationId, { mutedUntil: until ?? 0 })],
      ]);
    },

    async acceptRequest(conversationId) {
      await ensureConversation(ctx, conversationId, 'accepted', self());
      await deps.store.conversations.updateConversation(conversationId, {
        requestState: 'accepted',
      });
      await approveContact(conversationId);
      await control(conversationId, {
        messageRequestResponse: { isApproved: true },
      });
    },

    async deleteConversation(conversationId) {
      const blocked = (await deps.store.contacts.getContact(conversationId))?.blocked === true;
      const { existed } = await forgetConversation(ctx, conversationId);
      // Recorded even when nothing was here: another device may hold what this one never saw.
      await config.local([
        ['convoInfoVolatile', removeRecord(conversationId)],
        ...(blocked ? [] : [['contacts', removeRecord(conversationId)] as const]),
      ]);
      return existed;
    },

    async declineRequest(conversationId) {
      await deps.store.conversations.updateConversation(conversationId, {
        requestState: 'declined',
      });
    },

    async block(accountId) {
      await deps.store.contacts.setBlocked(accountId, true, ctx.clock.now());
      await deps.store.conversations.updateConversation(accountId, { requestState: 'blocked' });
      await config.local([['contacts', setContact(accountId, { blocked: true })]]);
    },

    async unblock(accountId) {
      await deps.store.contacts.setBlocked(accountId, false, ctx.clock.now());
      await config.local([['contacts', setContact(accountId, { blocked: false })]]);
      const c = await deps.store.conversations.getConversation(accountId);
      if (c?.requestState === 'blocked') {
        await deps.store.conversations.updateConversation(accountId, { requestState: 'request' });
      }
    },

    async listDevices() {
      return listDevices(await requireState(ctx), memory);
    },

    async deviceId() {
      return deviceIdHex((await requireState(ctx)).deviceId);
    },

    confirmLink: () => confirmOwnLink(ctx, info),
    cancelLink: () => cancelOwnLink(ctx),
    approveDevice: (requestId) => approveLink(ctx, requestId, info),
    ignoreDevice: (requestId) => ignoreLink(ctx, requestId),

    async setApprovalRequired(on) {
      await deps.store.account.updateSettings({ approvalRequired: on });
    },

    async approvalRequired() {
      return (await deps.store.account.getSettings()).approvalRequired;
    },

    removeDevice: (id) => removeOtherDevice(ctx, id, info),
    leave: () => leaveGroup(ctx),

    async tick() {
      requireIdentity(ctx);
      const now = ctx.clock.now();
      try {
        await rotateDue(ctx, info, refetchGroup);
      } catch (error) {
        logger.warn('scheduled rotation failed; will retry', { error });
      }
      await flushDue(ctx);
      for (const m of await deps.store.conversations.deleteExpiredMessages(now)) {
        ctx.events.emit('message-deleted', {
          conversationId: m.conversationId,
          messageId: m.id,
          reason: 'expired',
        });
      }
      await deps.store.pollState.pruneSeen(now);
    },
  };

  async function approveContact(accountId: string): Promise<void> {
    const contact = await deps.store.contacts.getContact(accountId);
    if (contact === undefined) {
      await deps.store.contacts.putContact({
        accountId,
        approved: true,
        approvedMe: false,
        blocked: false,
        createdAt: ctx.clock.now(),
      });
    } else if (!contact.approved) {
      await deps.store.contacts.updateContact(accountId, { approved: true });
    } else {
      return;
    }
    if (accountId !== self()) {
      await config.local([['contacts', setContact(accountId, { approved: true })]]);
    }
  }

  return serialized(impl);
}

/**
 * One operation at a time: every state change reads a snapshot and writes a new one, so two
 * interleaved operations (a poll while a send is fetching keys) would lose one's write. A
 * listener that calls the client from an event queues behind the operation that emitted it.
 */
function serialized(impl: Client): Client {
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    on: (name, listener) => impl.on(name, listener),
    sessionId: () => impl.sessionId(),
    setDisplayName: (name) => run(() => impl.setDisplayName(name)),
    displayName: () => run(() => impl.displayName()),
    open: () => run(() => impl.open()),
    createAccount: () => run(() => impl.createAccount()),
    restoreAccount: (words) => run(() => impl.restoreAccount(words)),
    rejoin: () => run(() => impl.rejoin()),
    joinGroup: (groupId) => run(() => impl.joinGroup(groupId)),
    membership: () => run(() => impl.membership()),
    send: (to, text, options) => run(() => impl.send(to, text, options)),
    retryBlocked: (to) => run(() => impl.retryBlocked(to)),
    poll: () => run(() => impl.poll()),
    listConversations: (filter) => run(() => impl.listConversations(filter)),
    listMessages: (id, query) => run(() => impl.listMessages(id, query)),
    markRead: (id) => run(() => impl.markRead(id)),
    sendTyping: (to, started) => run(() => impl.sendTyping(to, started)),
    unsend: (id) => run(() => impl.unsend(id)),
    setDisappearing: (id, setting) => run(() => impl.setDisappearing(id, setting)),
    setMuted: (id, until) => run(() => impl.setMuted(id, until)),
    acceptRequest: (id) => run(() => impl.acceptRequest(id)),
    declineRequest: (id) => run(() => impl.declineRequest(id)),
    deleteConversation: (id) => run(() => impl.deleteConversation(id)),
    block: (id) => run(() => impl.block(id)),
    unblock: (id) => run(() => impl.unblock(id)),
    listDevices: () => run(() => impl.listDevices()),
    deviceId: () => run(() => impl.deviceId()),
    confirmLink: () => run(() => impl.confirmLink()),
    cancelLink: () => run(() => impl.cancelLink()),
    approveDevice: (id) => run(() => impl.approveDevice(id)),
    ignoreDevice: (id) => run(() => impl.ignoreDevice(id)),
    setApprovalRequired: (on) => run(() => impl.setApprovalRequired(on)),
    approvalRequired: () => run(() => impl.approvalRequired()),
    removeDevice: (id) => run(() => impl.removeDevice(id)),
    leave: () => run(() => impl.leave()),
    tick: () => run(() => impl.tick()),
  };
}
