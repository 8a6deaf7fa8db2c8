/**
 * A container for secret key material that refuses to print. `toString`, `toJSON` and
 * `util.inspect` (what `console.log` uses) all show `[redacted <kind>]`; the bytes leave only
 * through an explicit `exportBytes()` call, so an accidental log line or JSON dump of an object
 * holding a key never carries the key (CONVENTIONS.md, habit 8).
 */
import { inspect } from 'node:util';
import { assertBytes } from '../encoding/bytes.ts';

/** The kinds of secret this codebase holds. */
export type SecretKind =
  | 'ed25519-seed'
  | 'ed25519-secret-key'
  | 'x25519-secret-key'
  | 'symmetric-key'
  | 'entropy'
  | 'mlkem-secret-key'
  | 'hybrid-key-seed';

/** Secret bytes that never print. */
export class SecretKey<K extends SecretKind = SecretKind> {
  readonly kind: K;
  readonly #bytes: Uint8Array;

  constructor(kind: K, bytes: Uint8Array) {
    assertBytes(kind, bytes);
    this.kind = kind;
    this.#bytes = Uint8Array.from(bytes);
  }

  /** The number of secret bytes. */
  get length(): number {
    return this.#bytes.length;
  }

  /** A copy of the secret bytes. Call only where the secret must leave (export, hashing). */
  exportBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** The secret bytes without a copy, for the crypto layer's own use. Do not retain or mutate. */
  borrowBytes(): Uint8Array {
    return this.#bytes;
  }

  toString(): string {
    return `[redacted ${this.kind}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
