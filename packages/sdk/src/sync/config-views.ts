/**
 * Typed views of the synced documents and the edits that change them: the profile (name,
 * avatar), contacts (approved, blocked, nickname, name) and conversation info (read position,
 * muted, disappearing setting), plus the field-level difference between two documents that
 * a `sync-updated` event reports.
 */
import type { DisappearingSetting } from '../stores/conversation-store.ts';
import { DISAPPEARING_MODES } from '../stores/conversation-store.ts';
import {
  compareEntries,
  fieldValuesEqual,
  liveRecord,
  liveRecords,
  type ConfigChange,
  type ConfigDocument,
} from './config-document.ts';
import { EXISTS_FIELD, PROFILE_RECORD, type FieldValue } from './config-schema.ts';

/** The avatar pointer: where the encrypted picture is and its key. */
export interface AvatarPointer {
  readonly url: string;
  readonly key: Uint8Array;
}

/** The synced profile. */
export interface SyncedProfile {
  readonly name?: string;
  readonly avatar?: AvatarPointer;
}

/** A synced contact. */
export interface SyncedContact {
  readonly approved: boolean;
  readonly blocked: boolean;
  readonly nickname?: string;
  readonly name?: string;
}

/** A conversation's synced, volatile state. */
export interface SyncedConvoInfo {
  /** Read up to this message time (unix ms). */
  readonly readAt: number;
  /** Muted until this time (unix ms); 0 when not muted. */
  readonly mutedUntil: number;
  readonly disappearing: DisappearingSetting;
}

function text(fields: ReadonlyMap<string, FieldValue>, name: string): string | undefined {
  const v = fields.get(name);
  return typeof v === 'string' ? v : undefined;
}

function int(fields: ReadonlyMap<string, FieldValue>, name: string): number {
  const v = fields.get(name);
  return typeof v === 'number' ? v : 0;
}

/** The profile in a `userProfile` document. */
export function profileView(doc: ConfigDocument): SyncedProfile {
  const fields = liveRecord(doc, PROFILE_RECORD);
  if (fields === undefined) return {};
  const name = text(fields, 'name');
  const url = text(fields, 'avatarUrl');
  const key = fields.get('avatarKey');
  return {
    ...(name === undefined ? {} : { name }),
    ...(url !== undefined && key instanceof Uint8Array ? { avatar: { url, key } } : {}),
  };
}

/** The contacts in a `contacts` document, by account ID. */
export function contactsView(doc: ConfigDocument): Map<string, SyncedContact> {
  const out = new Map<string, SyncedContact>();
  for (const [id, fields] of liveRecords(doc)) {
    const nickname = text(fields, 'nickname');
    const name = text(fields, 'name');
    out.set(id, {
      approved: fields.get('approved') === true,
      blocked: fields.get('blocked') === true,
      ...(nickname === undefined ? {} : { nickname }),
      ...(name === undefined ? {} : { name }),
    });
  }
  return out;
}

/** The conversations' state in a `convoInfoVolatile` document, by conversation ID. */
export function convoInfoView(doc: ConfigDocument): Map<string, SyncedConvoInfo> {
  const out = new Map<string, SyncedConvoInfo>();
  for (const [id, fields] of liveRecords(doc)) {
    const mode = DISAPPEARING_MODES.find((m) => m === text(fields, 'disappearingMode')) ?? 'off';
    out.set(id, {
      readAt: int(fields, 'readAt'),
      mutedUntil: int(fields, 'mutedUntil'),
      disappearing: {
        mode,
        timerSeconds: mode === 'off' ? 0 : int(fields, 'disappearingSeconds'),
      },
    });
  }
  return out;
}

/** Sets the profile name and/or avatar (`null` clears). */
export function setProfile(patch: {
  readonly name?: string | null;
  readonly avatar?: AvatarPointer | null;
}): ConfigChange {
  const fields: Record<string, FieldValue | null> = {};
  if (patch.name !== undefined) fields['name'] = patch.name;
  if (patch.avatar !== undefined) {
    fields['avatarUrl'] = patch.avatar?.url ?? null;
    fields['avatarKey'] = patch.avatar?.key ?? null;
  }
  return { op: 'set', record: PROFILE_RECORD, fields };
}

/** Adds or changes a contact (`nickname: null` clears it). */
export function setContact(
  accountId: string,
  patch: {
    readonly approved?: boolean;
    readonly blocked?: boolean;
    readonly nickname?: string | null;
    readonly name?: string | null;
  },
): ConfigChange {
  const fields: Record<string, FieldValue | null> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) fields[k] = v;
  return { op: 'set', record: accountId, fields };
}

/** Removes a contact (or a conversation's info, in that document). */
export function removeRecord(id: string): ConfigChange {
  return { op: 'delete', record: id };
}

/** Changes a conversation's read position, mute or disappearing setting. */
export function setConvoInfo(
  conversationId: string,
  patch: {
    readonly readAt?: number;
    readonly mutedUntil?: number;
    readonly disappearing?: DisappearingSetting;
  },
): ConfigChange {
  const fields: Record<string, FieldValue | null> = {};
  if (patch.readAt !== undefined) fields['readAt'] = patch.readAt;
  if (patch.mutedUntil !== undefined) fields['mutedUntil'] = patch.mutedUntil;
  if (patch.disappearing !== undefined) {
    fields['disappearingMode'] = patch.disappearing.mode;
    fields['disappearingSeconds'] = patch.disappearing.timerSeconds;
  }
  return { op: 'set', record: conversationId, fields };
}

/** One field whose visible value changed (`undefined`: gone; `record removed`: field exists). */
export interface FieldChange {
  readonly record: string;
  readonly field: string;
  readonly value: FieldValue | undefined;
}

/**
 * A removal newer than what `before` held, of a record neither side has live: another device
 * deleted something this one never synced (a conversation with no synced state), which the
 * client still has to forget locally.
 */
function deletionArrived(before: ConfigDocument, after: ConfigDocument, record: string): boolean {
  const b = after.records.get(record)?.get(EXISTS_FIELD);
  if (b?.value !== false) return false;
  const a = before.records.get(record)?.get(EXISTS_FIELD);
  return a === undefined || compareEntries(a, b) !== 0;
}

/** The visible changes from `before` to `after` (tombstones and stamps alone do not count). */
export function diffConfigDocuments(before: ConfigDocument, after: ConfigDocument): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...new Set([...before.records.keys(), ...after.records.keys()])].sort();
  for (const record of keys) {
    const a = liveRecord(before, record);
    const b = liveRecord(after, record);
    if ((a === undefined) !== (b === undefined) || deletionArrived(before, after, record)) {
      out.push({ record, field: EXISTS_FIELD, value: b !== undefined });
    }
    const names = [...new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])].sort();
    for (const field of names) {
      const value = b?.get(field);
      if (!fieldValuesEqual(a?.get(field), value)) out.push({ record, field, value });
    }
  }
  return out;
}
