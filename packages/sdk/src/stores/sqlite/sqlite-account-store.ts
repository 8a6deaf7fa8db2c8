/** The SQLite `AccountStore` and `DeviceStateStore` (tables `account`, `settings`, `device_state`). */
import { SecretKey, bytesEqual, type DeviceStateStore } from '@session-ts/core';
import { StoreError, type Database } from '@session-ts/sqlite';
import type { AccountSettings, AccountStore } from '../account-store.ts';
import { DEFAULT_ACCOUNT_SETTINGS } from '../account-store.ts';
import { promised } from '../internal/records.ts';
import { decodeDeviceState, encodeDeviceState } from './device-state-codec.ts';

interface AccountRow {
  seed: Uint8Array;
  created_at: number;
}

const SETTING_NAMES = Object.keys(DEFAULT_ACCOUNT_SETTINGS) as (keyof AccountSettings)[];

function readSettings(db: Database): AccountSettings {
  const rows = db.all<{ name: string; value: string }>('SELECT name, value FROM settings');
  const stored = new Map(rows.map((r) => [r.name, r.value]));
  const out: Record<string, unknown> = { ...DEFAULT_ACCOUNT_SETTINGS };
  for (const name of SETTING_NAMES) {
    const text = stored.get(name);
    if (text !== undefined) out[name] = JSON.parse(text) as unknown;
  }
  return out as unknown as AccountSettings;
}

/** The account port over `db` (migrated). */
export function createSqliteAccountStore(db: Database): AccountStore {
  const getRow = (): AccountRow | undefined =>
    db.get<AccountRow>('SELECT seed, created_at FROM account WHERE id = 1');
  return {
    getAccount: () =>
      promised(() => {
        const row = getRow();
        if (row === undefined) return undefined;
        return { seed: new SecretKey('ed25519-seed', row.seed), createdAt: row.created_at };
      }),
    putAccount: (account) =>
      promised(() =>
        db.transaction(() => {
          const row = getRow();
          if (row === undefined) {
            db.run('INSERT INTO account (id, seed, created_at) VALUES (1, ?, ?)', [
              account.seed.borrowBytes(),
              account.createdAt,
            ]);
          } else if (!bytesEqual(row.seed, account.seed.borrowBytes())) {
            throw new StoreError('constraint', 'account: another account is stored; wipe first');
          }
        }),
      ),
    getSettings: () => promised(() => readSettings(db)),
    updateSettings: (patch) =>
      promised(() =>
        db.transaction(() => {
          for (const name of SETTING_NAMES) {
            const value = patch[name];
            if (value === undefined) continue;
            db.run(
              'INSERT INTO settings (name, value) VALUES (?, ?) ' +
                'ON CONFLICT (name) DO UPDATE SET value = excluded.value',
              [name, JSON.stringify(value)],
            );
          }
          return readSettings(db);
        }),
      ),
  };
}

/** The device-group snapshot port over `db` (migrated): one row, replaced whole. */
export function createSqliteDeviceStateStore(db: Database): DeviceStateStore {
  return {
    get: () =>
      promised(() => {
        const row = db.get<{ snapshot: string }>('SELECT snapshot FROM device_state WHERE id = 1');
        return row === undefined ? undefined : decodeDeviceState(row.snapshot);
      }),
    put: (state) =>
      promised(() => {
        db.run(
          'INSERT INTO device_state (id, snapshot) VALUES (1, ?) ' +
            'ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot',
          [encodeDeviceState(state)],
        );
      }),
  };
}
