/**
 * What every client command shares: the profile's encrypted store, the network from the network
 * file, and an SDK client over both (`createClient`, docs/sdk.md), opened for one command and
 * closed after it. Also the argument checks the client commands share (Session IDs, durations)
 * and the mapping of SDK and network errors to the CLI's exit codes.
 */
import {
  createClient,
  isClientError,
  openClientStore,
  swarmApiFromNetwork,
  type Client,
  type ClientStore,
  type SwarmApi,
} from '@session-ts/sdk';
import { isNetworkError } from '@session-ts/net';
import { CliError } from './cli-error.ts';
import type { CommandContext, OptionSpec } from './command.ts';
import { openNetwork, readNetworkFile, resolveNetworkFile } from './network-file.ts';
import {
  createProfileDir,
  DEFAULT_PROFILE,
  profileExists,
  profilePaths,
  readNotes,
  writeNotes,
  type ProfileNotes,
  type ProfilePaths,
} from './profile.ts';

/** The options every client command takes. */
export const CLIENT_OPTIONS = {
  profile: { type: 'string' },
  network: { type: 'string' },
} as const satisfies OptionSpec;

/** An open client for one command. */
export interface ClientSession {
  readonly client: Client;
  readonly store: ClientStore;
  readonly paths: ProfilePaths;
  readonly notes: () => ProfileNotes;
  readonly updateNotes: (patch: {
    readonly [K in keyof ProfileNotes]?: ProfileNotes[K] | undefined;
  }) => void;
}

/** How a command uses its session. */
export interface SessionMode {
  /** The command talks to the network (else it works from the store alone). */
  readonly network: boolean;
  /** `create`: a new account goes into a new (or empty) profile. */
  readonly create?: boolean;
}

/** A SwarmApi for commands that work offline: any use is a bug in the command. */
const OFFLINE_SWARM: SwarmApi = {
  storageRpc: () => Promise.reject(new CliError('failure', 'this command works offline')),
  now: () => Date.now(),
};

function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' ? v : undefined;
}

/** Opens the profile's client, runs `fn`, and closes the store whatever happens. */
export async function withClient<T>(
  ctx: CommandContext,
  mode: SessionMode,
  fn: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const paths = profilePaths(stringOption(ctx, 'profile') ?? DEFAULT_PROFILE, ctx.env);
  if (mode.create !== true && !profileExists(paths)) {
    throw new CliError(
      'bad-input',
      `no account in profile '${paths.name}' (run: session-cli account create --profile ${paths.name})`,
    );
  }
  // The network is checked before anything is written, so a bad --network creates nothing.
  const swarm = mode.network
    ? swarmApiFromNetwork(
        openNetwork(
          readNetworkFile(resolveNetworkFile(stringOption(ctx, 'network'), process.cwd())),
          ctx.rng,
        ),
      )
    : OFFLINE_SWARM;
  if (mode.create === true) createProfileDir(paths);
  ctx.progress(`opening profile ${paths.name}`);
  const store = await openClientStore({
    path: paths.store,
    keyFile: paths.keyFile,
    rng: ctx.rng,
    create: mode.create === true,
  });
  try {
    const client = createClient({
      store,
      swarm,
      clock: { now: () => Date.now() },
      rng: ctx.rng,
      device: { type: 'c', description: `session-cli ${paths.name}` },
    });
    const opened = await client.open();
    if (mode.create === true && opened) {
      throw new CliError('bad-input', `profile '${paths.name}' already has an account`);
    }
    if (mode.create !== true && !opened) {
      throw new CliError('bad-input', `no account in profile '${paths.name}'`);
    }
    let notes = readNotes(paths);
    // The synced profile wins; the profile's note only seeds an account without a name.
    if (notes.displayName !== undefined && (await client.displayName()) === undefined) {
      await client.setDisplayName(notes.displayName);
    }
    // Link requests that wait for this device's approval outlive the process that saw them.
    client.on('device-link-requested', (e) => {
      if (e.autoApproved) return;
      const rest = (notes.pendingRequests ?? []).filter((r) => r.requestId !== e.requestId);
      const sas = e.sas.standard;
      notes = {
        ...notes,
        pendingRequests: [...rest, { requestId: e.requestId, deviceId: e.deviceId, sas }],
      };
      writeNotes(paths, notes);
    });
    const session: ClientSession = {
      client,
      store,
      paths,
      notes: () => notes,
      updateNotes: (patch) => {
        notes = { ...notes, ...patch } as ProfileNotes;
        writeNotes(paths, notes);
      },
    };
    return await fn(session);
  } catch (error) {
    throw cliErrorOf(error);
  } finally {
    await store.close();
  }
}

/** SDK input errors are bad input; network errors are failures with their reason. */
function cliErrorOf(error: unknown): unknown {
  if (isClientError(error) && error.code === 'invalid-input') {
    return new CliError('bad-input', error.message, { cause: error });
  }
  if (isClientError(error) && error.code === 'no-account') {
    return new CliError('bad-input', error.message, { cause: error });
  }
  if (isNetworkError(error)) {
    return new CliError('failure', `network: ${error.message}`, { cause: error });
  }
  return error;
}

const SESSION_ID = /^05[0-9a-f]{64}$/;

/** Checks a Session ID argument (`05` + 64 hex digits). */
export function sessionIdArg(value: string | undefined, what = 'SESSION_ID'): string {
  const v = (value ?? '').trim().toLowerCase();
  if (!SESSION_ID.test(v)) {
    throw new CliError(
      'bad-input',
      `${what}: expected a Session ID (05 and 64 hex digits), got "${(value ?? '').slice(0, 80)}"`,
    );
  }
  return v;
}

const DURATION = /^(\d+)(s|m|h|d|w)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/** Parses `30s`, `5m`, `12h`, `1d`, `2w` or plain seconds. */
export function durationSecondsArg(value: string | undefined): number {
  const m = DURATION.exec((value ?? '').trim());
  const n = m === null ? NaN : Number(m[1]);
  const unit = (m?.[2] ?? 's') as keyof typeof UNIT_SECONDS;
  const seconds = n * UNIT_SECONDS[unit];
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new CliError(
      'bad-input',
      `DURATION: expected a positive number with s, m, h, d or w (e.g. 30s, 12h), got "${(value ?? '').slice(0, 40)}"`,
    );
  }
  return seconds;
}

/** A Session ID shortened for human output. */
export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 10)}…${id.slice(-4)}` : id;
}
