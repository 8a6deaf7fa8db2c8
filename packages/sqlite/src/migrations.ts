/**
 * Numbered schema migrations kept in SQLite's `user_version` (https://www.sqlite.org/pragma.html#pragma_user_version).
 * Migration n takes the schema from version n−1 to n; each runs in its own transaction together
 * with the version bump, so a failure leaves the database at the last good version. A database
 * whose version is newer than the newest migration this code knows is refused rather than
 * used: older code would misread a newer schema.
 *
 * Upstream's storage server upgrades its schema by probing tables and columns
 * (session-foundation/session-storage-server `oxenss/storage/database.cpp`,
 * `initialize_database`); numbered versions say the same with less guessing.
 */
import type { Database } from './database.ts';
import { StoreError } from './store-error.ts';

/** One schema step. */
export interface Migration {
  /** 1, 2, 3, … with no gaps. */
  readonly version: number;
  /** A short description, for errors and logs. */
  readonly name: string;
  /** SQL to run, or a function for steps that need logic. Runs inside a transaction. */
  readonly up: string | ((db: Database) => void);
}

/** What `migrate` did. */
export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  /** Versions applied now, in order. */
  readonly applied: readonly number[];
}

/** Checks that `migrations` are numbered 1…n in order. */
function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError(
        'invalid-input',
        `migrations: expected version ${i + 1} at position ${i}, got ${m.version} ("${m.name}")`,
      );
    }
  });
}

/** The schema version a database is at (0 for a new file). */
export function schemaVersion(db: Database): number {
  const v = db.pragma('user_version');
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/**
 * Brings `db` up to the newest migration. Throws `newer-schema` for a database from newer code
 * and `migration-failed` (with the cause) when a step fails; applied steps stay applied.
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationResult {
  checkNumbering(migrations);
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) {
    throw new StoreError(
      'newer-schema',
      `database ${db.path} is at schema version ${from}, newer than this code's ${latest}; ` +
        'upgrade the software instead of opening it with an older version',
    );
  }
  const applied: number[] = [];
  for (const m of migrations.slice(from)) {
    try {
      db.transaction(() => {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        db.setPragma('user_version', m.version);
      });
    } catch (cause) {
      throw new StoreError(
        'migration-failed',
        `migration ${m.version} ("${m.name}") failed; the database stays at version ${
          applied.at(-1) ?? from
        }`,
        { cause },
      );
    }
    applied.push(m.version);
  }
  return { from, to: Math.max(from, latest), applied };
}
