/**
 * Profiles: one account (one device) per named directory under the user's data directory —
 * `$SESSION_TS_HOME/profiles/NAME`, else `$XDG_DATA_HOME/session-ts/profiles/NAME`, else
 * `~/.local/share/session-ts/profiles/NAME` (the XDG base directory default). A profile holds
 * the encrypted client store (`client.db`), its key file (`store.key`, 32 random bytes, 0600)
 * and `profile.json`: what the CLI must remember between runs that the SDK keeps only in memory
 * (the display name, this device's pending link SAS, link requests awaiting approval). None of
 * that is secret: the SAS is shown on both screens by design.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';

/** A profile's name: a safe directory name. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The default profile. */
export const DEFAULT_PROFILE = 'default';

/** A link request another device made, kept until approved or ignored. */
export interface PendingRequest {
  readonly requestId: number;
  readonly deviceId: string;
  /** The 7-emoji SAS, as both screens show it. */
  readonly sas: string;
}

/** What `profile.json` holds. */
export interface ProfileNotes {
  readonly displayName?: string;
  /** This (new) device's link request: the SAS it showed, until confirmed or cancelled. */
  readonly ownLinkSas?: string;
  readonly pendingRequests?: readonly PendingRequest[];
}

/** A profile's files. */
export interface ProfilePaths {
  readonly name: string;
  readonly dir: string;
  readonly store: string;
  readonly keyFile: string;
  readonly notes: string;
}

/** The data directory all profiles live under. */
export function dataHome(env: Readonly<Record<string, string | undefined>>): string {
  const override = env['SESSION_TS_HOME'];
  if (override !== undefined && override !== '') return override;
  const xdg = env['XDG_DATA_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'session-ts');
  return join(env['HOME'] ?? homedir(), '.local', 'share', 'session-ts');
}

/** The paths of profile `name` (checked). */
export function profilePaths(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): ProfilePaths {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(
      'bad-input',
      `--profile: expected letters, digits, '.', '_' or '-' (up to 64), got "${name.slice(0, 80)}"`,
    );
  }
  const dir = join(dataHome(env), 'profiles', name);
  return {
    name,
    dir,
    store: join(dir, 'client.db'),
    keyFile: join(dir, 'store.key'),
    notes: join(dir, 'profile.json'),
  };
}

/** True when the profile has a store. */
export function profileExists(paths: ProfilePaths): boolean {
  return existsSync(paths.store);
}

/** Creates the profile directory (0700). */
export function createProfileDir(paths: ProfilePaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
}

/** Reads `profile.json` (empty when absent). */
export function readNotes(paths: ProfilePaths): ProfileNotes {
  if (!existsSync(paths.notes)) return {};
  try {
    return JSON.parse(readFileSync(paths.notes, 'utf8')) as ProfileNotes;
  } catch (cause) {
    throw new CliError('failure', `${paths.notes}: unreadable profile notes`, { cause });
  }
}

/** Replaces `profile.json`. */
export function writeNotes(paths: ProfilePaths, notes: ProfileNotes): void {
  writeFileSync(paths.notes, JSON.stringify(notes, null, 2) + '\n', { mode: 0o600 });
}
