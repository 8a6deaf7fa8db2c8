/**
 * The randomness port. Core code never draws randomness of its own: functions that need it take
 * an `Rng`, so tests pass a deterministic one and the apps pass the system's CSPRNG
 * (CONVENTIONS.md, habit 5).
 */

/** A source of random bytes. */
export interface Rng {
  /** Returns `length` fresh random bytes. */
  randomBytes(length: number): Uint8Array;
}
