/**
 * What every contract suite of the client store returns: named cases, not registered tests,
 * so the package does not depend on a test runner at run time (as core's
 * `deviceStateStoreContract`):
 *
 *   for (const c of conversationStoreContract(make)) test(c.name, c.run);
 *
 * `make` returns a fresh, empty store each call; the caller closes them afterwards.
 */
import { toHex } from '@session-ts/core';
import type { ClientStore } from '../stores/client-store.ts';

/** One contract case. */
export interface ContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** Makes a fresh, empty client store. */
export type MakeClientStore = () => Promise<ClientStore>;

/**
 * Deterministic filler bytes for contract data (not randomness: a counter through a small
 * mixing step, so different labels give visibly different bytes).
 */
export function testBytes(label: string, length: number): Uint8Array {
  let x = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) x = Math.imul(x ^ label.charCodeAt(i), 0x01000193);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i;
    out[i] = (x >>> 24) & 0xff;
  }
  return out;
}

/** A Session ID-shaped string (`05` + 64 hex) for a label. */
export function testAccountId(label: string): string {
  return '05' + toHex(testBytes(`account:${label}`, 32));
}

/** True for a plain `Uint8Array` (not a Node `Buffer`, which compares unequal in deepEqual). */
export function isPlainBytes(value: unknown): boolean {
  return value instanceof Uint8Array && Object.getPrototypeOf(value) === Uint8Array.prototype;
}
