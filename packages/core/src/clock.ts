/**
 * The clock port. Core functions take the time as a number; the layers above take a `Clock`
 * so tests and simulations pass a fixed or simulated one (CONVENTIONS.md, habit 5).
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}
