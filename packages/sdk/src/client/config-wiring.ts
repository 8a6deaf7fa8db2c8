/**
 * The client's side of config sync (docs/sdk-sync.md): one `ConfigSync` per account and device
 * ID, local edits recorded and pushed once per client call, and a pull's remote changes applied
 * to the client's own stores (contacts, conversations) and announced as `sync-updated` events.
 * Internal to the client.
 */
import { deviceIdHex } from '@session-ts/core';
import { createConfigSync, type ConfigSync } from '../sync/config-sync.ts';
import type { ConfigChange } from '../sync/config-document.ts';
import { EXISTS_FIELD, SYNC_SCHEMAS, type SyncKind } from '../sync/config-schema.ts';
import { contactsView, convoInfoView, profileView } from '../sync/config-views.ts';
import type { Contact } from '../stores/contact-store.ts';
import type { ConversationPatch, RequestState } from '../stores/conversation-store.ts';
import type { ClientContext } from './context.ts';
import { forgetConversation } from './conversation-deletion.ts';

/** The config sync of one client: created once the account and a device state exist. */
export interface ClientConfigSync {
  /** The engine for the current identity and device ID; `undefined` before an account. */
  engine(): Promise<ConfigSync | undefined>;
  /** Records local edits and pushes them (one push per call). Push failures retry on poll. */
  local(changes: readonly (readonly [SyncKind, ConfigChange])[]): Promise<void>;
  /**
   * Pulls namespaces 2–5, applies remote changes to the stores, emits `sync-updated`, then
   * pushes what is pending (local edits whose push failed, merges the swarm does not hold).
   */
  pullAndApply(): Promise<void>;
  /** The synced display name. */
  displayName(): Promise<string | undefined>;
}

export function createClientConfigSync(ctx: ClientContext): ClientConfigSync {
  let current: { readonly key: string; readonly sync: ConfigSync } | undefined;

  async function engine(): Promise<ConfigSync | undefined> {
    const identity = ctx.identity;
    if (identity === undefined) return undefined;
    const state = await ctx.store.deviceState.get();
    if (state === undefined) return undefined;
    const deviceId = deviceIdHex(state.deviceId);
    // A rejoin gives this device a new ID: a new engine, so its edits carry the new tie-break.
    const key = `${identity.sessionId}/${deviceId}`;
    if (current?.key !== key) {
      const sync = createConfigSync({
        identity,
        deviceId,
        store: { config: ctx.store.config, pollState: ctx.store.pollState },
        swarm: ctx.swarm,
        logger: ctx.logger,
      });
      current = { key, sync };
    }
    return current.sync;
  }

  async function push(sync: ConfigSync): Promise<void> {
    const report = await sync.push();
    if (report.failed.length > 0) {
      ctx.logger.warn('config push failed; will retry on the next poll', {
        kinds: report.failed,
      });
    }
  }

  /** Applies the changed fields only: local state the documents never held stays as it is. */
  async function applyContacts(
    sync: ConfigSync,
    touched: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<void> {
    const view = contactsView(await sync.document('contacts'));
    for (const [id, fields] of touched) {
      const synced = view.get(id);
      if (synced === undefined) {
        // Another device deleted the conversation (docs/sdk.md "Deleting"): so do we.
        if (fields.has(EXISTS_FIELD)) await forgetConversation(ctx, id);
        continue;
      }
      const existing = await ctx.store.contacts.getContact(id);
      const pick = <K extends 'approved' | 'blocked'>(field: K): boolean =>
        fields.has(field) || existing === undefined ? synced[field] : existing[field];
      const nickname = fields.has('nickname') ? synced.nickname : existing?.nickname;
      const name = existing?.name ?? synced.name;
      const contact: Contact = {
        accountId: id,
        approved: pick('approved'),
        approvedMe: existing?.approvedMe ?? false,
        blocked: pick('blocked'),
        createdAt: existing?.createdAt ?? ctx.clock.now(),
        ...(name === undefined ? {} : { name }),
        ...(nickname === undefined ? {} : { nickname }),
      };
      await ctx.store.contacts.putContact(contact);
      const conversation = await ctx.store.conversations.getConversation(id);
      if (conversation === undefined) continue;
      let requestState: RequestState = conversation.requestState;
      if (contact.blocked) requestState = 'blocked';
      else if (requestState === 'blocked') requestState = contact.approved ? 'accepted' : 'request';
      else if (contact.approved && requestState !== 'accepted') requestState = 'accepted';
      if (requestState !== conversation.requestState) {
        await ctx.store.conversations.updateConversation(id, { requestState });
      }
    }
  }

  async function applyConvoInfo(
    sync: ConfigSync,
    touched: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<void> {
    const view = convoInfoView(await sync.document('convoInfoVolatile'));
    for (const [id, fields] of touched) {
      const info = view.get(id);
      if (info === undefined) {
        if (fields.has(EXISTS_FIELD)) await forgetConversation(ctx, id);
        continue;
      }
      const conversation = await ctx.store.conversations.getConversation(id);
      // A conversation this device has not seen yet is not created for its state; the next
      // change to it after it appears here syncs as usual.
      if (conversation === undefined) continue;
      const disappearing = fields.has('disappearingMode') || fields.has('disappearingSeconds');
      const patch: ConversationPatch = {
        // The read position only moves forward.
        ...(fields.has('readAt') && info.readAt > conversation.readAt
          ? { readAt: info.readAt }
          : {}),
        ...(fields.has('mutedUntil')
          ? { mutedUntil: info.mutedUntil === 0 ? undefined : info.mutedUntil }
          : {}),
        ...(disappearing ? { disappearing: info.disappearing } : {}),
      };
      if (Object.keys(patch).length > 0) {
        await ctx.store.conversations.updateConversation(id, patch);
      }
    }
  }

  return {
    engine,

    async local(changes) {
      const sync = await engine();
      if (sync === undefined || changes.length === 0) return;
      for (const [kind, change] of changes) await sync.change(kind, change);
      await push(sync);
    },

    async pullAndApply() {
      const sync = await engine();
      if (sync === undefined) return;
      const report = await sync.pull();
      for (const update of report.updates) {
        const touched = new Map<string, Set<string>>();
        for (const c of update.changes) {
          const fields = touched.get(c.record) ?? new Set<string>();
          fields.add(c.field);
          touched.set(c.record, fields);
        }
        if (update.kind === 'contacts') await applyContacts(sync, touched);
        if (update.kind === 'convoInfoVolatile') await applyConvoInfo(sync, touched);
        ctx.events.emit('sync-updated', {
          source: 'config',
          namespace: SYNC_SCHEMAS[update.kind].namespace,
          kind: update.kind,
          changes: update.changes,
        });
      }
      await push(sync);
    },

    async displayName() {
      const sync = await engine();
      if (sync === undefined) return undefined;
      return profileView(await sync.document('userProfile')).name;
    },
  };
}
