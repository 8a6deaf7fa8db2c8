/**
 * The synced config document and its merge (issue 6, "Multi-device sync"; docs/sdk-sync.md).
 *
 * A document is a map of records (a contact, a conversation, the profile), each a map of
 * fields, and every field is a last-writer-wins register stamped with (seqno, device): a
 * Lamport counter over the whole document and the ID of the device that wrote it. A deleted
 * field keeps its stamp with no value (a tombstone), and a deleted record is one whose
 * `exists` field is false, so a deletion wins or loses against a concurrent edit by the same
 * rule as any other write.
 *
 * The merge takes, field by field, the entry with the greater (seqno, device, value) — a total
 * order — so it is commutative, associative and idempotent (a join-semilattice): any two
 * devices that have seen the same set of documents hold the same document, in any order of
 * arrival. `merge-laws.test.ts` checks this with fast-check.
 *
 * This is our model, not libsession-util's config-merge format (which diffs numbered
 * seqno'd message payloads); only the outer encryption is upstream's (protocol-v1.md §4).
 */
import { ProtocolError } from '@session-ts/core';
import {
  DEVICE_ID_MAX_BYTES,
  EXISTS_FIELD,
  SYNC_SCHEMAS,
  checkFieldValue,
  type FieldValue,
  type SyncKind,
} from './config-schema.ts';

/** One field: its value (`undefined`: a tombstone) and who wrote it when. */
export interface FieldEntry {
  /** The document's Lamport counter when the field was written. */
  readonly seqno: number;
  /** The writing device's ID. */
  readonly device: string;
  readonly value: FieldValue | undefined;
}

/** A record: field name → entry. */
export type ConfigRecordFields = ReadonlyMap<string, FieldEntry>;

/** A synced config document of one kind. */
export interface ConfigDocument {
  readonly kind: SyncKind;
  /** Record key → fields. */
  readonly records: ReadonlyMap<string, ConfigRecordFields>;
}

/** A local edit: set some fields of a record (`null` clears one), or delete the record. */
export type ConfigChange =
  | {
      readonly op: 'set';
      readonly record: string;
      readonly fields: Readonly<Record<string, FieldValue | null>>;
    }
  | { readonly op: 'delete'; readonly record: string };

/** An empty document of `kind`. */
export function emptyConfigDocument(kind: SyncKind): ConfigDocument {
  return { kind, records: new Map() };
}

/** The highest seqno in `doc` (0 when empty): the document's Lamport clock. */
export function documentSeqno(doc: ConfigDocument): number {
  let max = 0;
  for (const fields of doc.records.values()) {
    for (const entry of fields.values()) if (entry.seqno > max) max = entry.seqno;
  }
  return max;
}

/**
 * Orders two entries: by seqno, then device ID, then value (a tombstone first), so that every
 * pair of distinct entries compares unequal. Returns < 0, 0 or > 0.
 */
export function compareEntries(a: FieldEntry, b: FieldEntry): number {
  if (a.seqno !== b.seqno) return a.seqno < b.seqno ? -1 : 1;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  const va = valueOrderKey(a.value);
  const vb = valueOrderKey(b.value);
  return va === vb ? 0 : va < vb ? -1 : 1;
}

function valueOrderKey(value: FieldValue | undefined): string {
  if (value === undefined) return '0';
  if (value instanceof Uint8Array) return '4' + Buffer.from(value).toString('hex');
  if (typeof value === 'number') {
    // Fixed width, so the lexical order is the numeric order for the (non-negative) values the
    // schema allows; a negative value still gets a distinct key, which is all a total order needs.
    return (value < 0 ? '3-' : '3+') + Math.abs(value).toString(16).padStart(14, '0');
  }
  if (typeof value === 'boolean') return value ? '2b' : '2a';
  return '1' + value;
}

/** Whether two field values are the same. */
export function fieldValuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return valueOrderKey(a) === valueOrderKey(b);
}

/**
 * Merges two documents of the same kind: per field, the greater entry. Commutative,
 * associative and idempotent; the result's maps are in sorted key order.
 */
export function mergeConfigDocuments(a: ConfigDocument, b: ConfigDocument): ConfigDocument {
  if (a.kind !== b.kind) {
    throw new ProtocolError('invalid-input', `config merge: kinds differ (${a.kind}, ${b.kind})`);
  }
  const records = new Map<string, Map<string, FieldEntry>>();
  for (const key of sortedUnion(a.records.keys(), b.records.keys())) {
    const fa = a.records.get(key);
    const fb = b.records.get(key);
    const fields = new Map<string, FieldEntry>();
    for (const name of sortedUnion(fa?.keys() ?? [], fb?.keys() ?? [])) {
      const ea = fa?.get(name);
      const eb = fb?.get(name);
      const winner =
        ea === undefined ? eb : eb === undefined ? ea : compareEntries(ea, eb) >= 0 ? ea : eb;
      if (winner !== undefined) fields.set(name, winner);
    }
    records.set(key, fields);
  }
  return { kind: a.kind, records };
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * Applies a local edit made on `deviceId`: every written field gets seqno = the document's
 * highest + 1, so the edit supersedes everything this device has seen. A `set` also marks the
 * record as existing; a `delete` marks it deleted and tombstones its fields. An edit that
 * changes no value returns `doc` itself (nothing to push). Throws `ProtocolError`
 * (`invalid-input`) for a record key, field or value the kind's schema does not allow.
 */
export function applyLocalChange(
  doc: ConfigDocument,
  change: ConfigChange,
  deviceId: string,
): ConfigDocument {
  checkDeviceId(deviceId);
  const schema = SYNC_SCHEMAS[doc.kind];
  const bad = schema.checkRecordKey(change.record);
  if (bad !== undefined) {
    throw new ProtocolError('invalid-input', `${doc.kind} record "${change.record}": ${bad}`);
  }
  const current = doc.records.get(change.record);
  const wanted = new Map<string, FieldValue | undefined>();
  if (change.op === 'set') {
    for (const [name, value] of Object.entries(change.fields)) {
      const type = schema.fields[name];
      if (type === undefined || name === EXISTS_FIELD) {
        throw new ProtocolError('invalid-input', `${doc.kind}: no settable field "${name}"`);
      }
      if (value !== null) {
        const reason = checkFieldValue(type, value);
        if (reason !== undefined) {
          throw new ProtocolError('invalid-input', `${doc.kind} field ${name}: ${reason}`);
        }
      }
      wanted.set(name, value ?? undefined);
    }
    wanted.set(EXISTS_FIELD, true);
  } else {
    for (const name of current?.keys() ?? []) wanted.set(name, undefined);
    wanted.set(EXISTS_FIELD, false);
  }
  const changed = [...wanted].some(([name, value]) => {
    const entry = current?.get(name);
    return entry === undefined
      ? value !== undefined || name === EXISTS_FIELD
      : !fieldValuesEqual(entry.value, value);
  });
  if (!changed) return doc;
  const seqno = documentSeqno(doc) + 1;
  const fields = new Map(current ?? []);
  for (const [name, value] of wanted) fields.set(name, { seqno, device: deviceId, value });
  const records = new Map(doc.records);
  records.set(change.record, new Map([...fields].sort(([x], [y]) => (x < y ? -1 : 1))));
  return { kind: doc.kind, records: new Map([...records].sort(([x], [y]) => (x < y ? -1 : 1))) };
}

/** Checks a device ID: 1–64 bytes of UTF-8. */
export function checkDeviceId(deviceId: string): void {
  const n = Buffer.byteLength(deviceId, 'utf8');
  if (n === 0 || n > DEVICE_ID_MAX_BYTES) {
    throw new ProtocolError(
      'invalid-input',
      `device ID: expected 1–${DEVICE_ID_MAX_BYTES} bytes, got ${n}`,
    );
  }
}

/** The live fields of a record (tombstones left out), or undefined when it does not exist. */
export function liveRecord(
  doc: ConfigDocument,
  record: string,
): ReadonlyMap<string, FieldValue> | undefined {
  const fields = doc.records.get(record);
  if (fields?.get(EXISTS_FIELD)?.value !== true) return undefined;
  const out = new Map<string, FieldValue>();
  for (const [name, entry] of fields) {
    if (name !== EXISTS_FIELD && entry.value !== undefined) out.set(name, entry.value);
  }
  return out;
}

/** Every live record of `doc`, by key. */
export function liveRecords(doc: ConfigDocument): Map<string, ReadonlyMap<string, FieldValue>> {
  const out = new Map<string, ReadonlyMap<string, FieldValue>>();
  for (const key of doc.records.keys()) {
    const live = liveRecord(doc, key);
    if (live !== undefined) out.set(key, live);
  }
  return out;
}
