/**
 * The config port: the local state of each config message (protocol-v1.md §4: user profile,
 * contacts, conversation info, user groups in namespaces 2–5; a group's keys, info and members
 * in 12–14), as the sync layer last merged it.
 *
 * One record per (owner, namespace), as libsession-util keeps one config object per type and
 * dumps it whole (`config_dump`, `needs_push`, `current_hashes`): the merged data, its seqno,
 * the swarm hashes of the messages it reflects (to delete superseded ones and to skip ones
 * already merged), and whether a local change still needs pushing.
 *
 * Times are unix milliseconds.
 */

/** One config's local state. */
export interface ConfigRecord {
  /** Whose config: our account ID for user configs, the group's ID for group configs. */
  readonly owner: string;
  readonly namespace: number;
  readonly seqno: number;
  /** The merged config (the sync layer's encoding). Plaintext: the store encrypts at rest. */
  readonly data: Uint8Array;
  /** Swarm hashes of the config messages this state reflects. */
  readonly hashes: readonly string[];
  /** A local change not yet pushed. */
  readonly needsPush: boolean;
  readonly updatedAt: number;
  /**
   * The latest swarm expiry among the config messages this state has pushed or merged (unix
   * ms; absent: none known). Sync re-pushes before it runs out, so an idle account's config
   * outlives the messages' 30-day TTL.
   */
  readonly liveUntil?: number;
}

/** Where config state lives. */
export interface ConfigStore {
  getConfig(owner: string, namespace: number): Promise<ConfigRecord | undefined>;
  /** Creates or replaces the record of (`owner`, `namespace`). */
  putConfig(record: ConfigRecord): Promise<void>;
  /** Every record of `owner` (or of everyone), by owner then namespace. */
  listConfigs(owner?: string): Promise<ConfigRecord[]>;
  deleteConfig(owner: string, namespace: number): Promise<boolean>;
}
