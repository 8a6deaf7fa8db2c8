/**
 * The sqlite package: the adapter's settings and error mapping, transactions (atomic, nested),
 * migrations (order, atomicity, refusing newer schemas), the size cap, and the claim in
 * `better-sqlite3.ts` that WAL + synchronous=NORMAL loses no committed transaction when the
 * process is killed with SIGKILL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStoreError, migrate, openDatabase, schemaVersion, type Migration } from './index.ts';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-sqlite-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a file database uses WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
  const t = tempDir();
  try {
    const db = openDatabase({ path: join(t.dir, 'a.db') });
    assert.equal(db.pragma('journal_mode'), 'wal');
    assert.equal(db.pragma('synchronous'), 1); // NORMAL
    assert.equal(db.pragma('foreign_keys'), 1);
    assert.equal(db.pragma('busy_timeout'), 15000);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('statements, cached shorthands and errors mapped to StoreError codes', () => {
  const db = openDatabase({ path: ':memory:' });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, b BLOB)');
  assert.equal(
    db.run('INSERT INTO t (v, b) VALUES (?, ?)', ['x', new Uint8Array([1, 2])]).changes,
    1,
  );
  db.run('INSERT INTO t (v) VALUES (@v)', { v: 'y' });
  const row = db.get<{ v: string; b: Uint8Array }>('SELECT v, b FROM t WHERE v = ?', ['x']);
  assert.equal(row?.v, 'x');
  assert.deepEqual([...(row?.b ?? [])], [1, 2]);
  assert.deepEqual(
    [...db.prepare<{ v: string }>('SELECT v FROM t ORDER BY id').iterate()].map((r) => r.v),
    ['x', 'y'],
  );
  assert.throws(
    () => db.run('INSERT INTO t (v) VALUES (?)', ['x']),
    (e) => isStoreError(e, 'constraint'),
  );
  assert.throws(
    () => db.run('SELEC nonsense'),
    (e) => isStoreError(e, 'query-failed'),
  );
  assert.throws(
    () => db.setPragma('user_version; DROP TABLE t', 1),
    (e) => isStoreError(e, 'invalid-input'),
  );
  db.close();
  assert.throws(
    () => db.get('SELECT 1'),
    (e) => isStoreError(e),
  );
});

test('a transaction commits or rolls back as a whole; nested ones are savepoints', () => {
  const db = openDatabase({ path: ':memory:' });
  db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
  db.transaction(() => {
    db.run('INSERT INTO t VALUES (1)');
    assert.equal(db.inTransaction, true);
  });
  assert.throws(() =>
    db.transaction(() => {
      db.run('INSERT INTO t VALUES (2)');
      db.run('INSERT INTO t VALUES (NULL)'); // NOT NULL: the whole transaction goes
    }),
  );
  db.transaction(() => {
    db.run('INSERT INTO t VALUES (3)');
    try {
      db.transaction(() => {
        db.run('INSERT INTO t VALUES (4)');
        throw new Error('inner fails');
      });
    } catch {
      // the savepoint rolled back; the outer transaction goes on
    }
  });
  const values = db.all<{ v: number }>('SELECT v FROM t ORDER BY v').map((r) => r.v);
  assert.deepEqual(values, [1, 3]);
  assert.equal(
    db.transaction(() => 42),
    42,
  );
});

test('migrations run in order, each atomically, and a newer schema is refused', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'm.db');
    const v1: Migration[] = [
      { version: 1, name: 'create', up: 'CREATE TABLE a (x INTEGER)' },
      {
        version: 2,
        name: 'seed',
        up: (db) => {
          db.run('INSERT INTO a VALUES (1)');
        },
      },
    ];
    let db = openDatabase({ path });
    assert.deepEqual(migrate(db, v1), { from: 0, to: 2, applied: [1, 2] });
    assert.deepEqual(migrate(db, v1), { from: 2, to: 2, applied: [] });

    // A failing step leaves the version and the data where they were.
    const broken: Migration[] = [
      ...v1,
      { version: 3, name: 'half', up: 'INSERT INTO a VALUES (2); INSERT INTO nowhere VALUES (1)' },
    ];
    assert.throws(
      () => migrate(db, broken),
      (e) => isStoreError(e, 'migration-failed'),
    );
    assert.equal(schemaVersion(db), 2);
    assert.equal(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM a')?.n, 1);

    assert.throws(
      () => migrate(db, [v1[0] as Migration, { version: 3, name: 'gap', up: '' }]),
      (e) => isStoreError(e, 'invalid-input'),
    );
    db.setPragma('user_version', 7);
    db.close();
    db = openDatabase({ path });
    assert.throws(
      () => migrate(db, v1),
      (e) => isStoreError(e, 'newer-schema') && /version 7/.test(e.message),
    );
    db.close();
  } finally {
    t.cleanup();
  }
});

test('the size cap turns writes past it into a full error without a partial row', () => {
  const t = tempDir();
  try {
    const db = openDatabase({ path: join(t.dir, 'cap.db'), maxSizeBytes: 64 * 1024 });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)');
    const blob = new Uint8Array(4000);
    let stored = 0;
    let full = false;
    for (let i = 0; i < 100 && !full; i++) {
      try {
        db.transaction(() => db.run('INSERT INTO t (b) VALUES (?)', [blob]));
        stored++;
      } catch (e) {
        assert.ok(isStoreError(e, 'full'), String(e));
        full = true;
      }
    }
    assert.ok(full, 'the cap was reached');
    assert.equal(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t')?.n, stored);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('WAL + synchronous=NORMAL: SIGKILL loses no acknowledged commit', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'durable.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-support', 'durability-child.ts'), path],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let acked = 0;
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) acked = Math.max(acked, Number(line));
        if (acked >= 3000 && child.exitCode === null) child.kill('SIGKILL');
      });
    });
    assert.equal(child.signalCode, 'SIGKILL');
    assert.ok(acked >= 3000);
    const db = openDatabase({ path });
    const { n, top } = db.get<{ n: number; top: number }>(
      'SELECT COUNT(*) AS n, MAX(id) AS top FROM acked',
    ) ?? { n: 0, top: 0 };
    assert.ok(top >= acked, `acknowledged up to ${acked}, found up to ${top}`);
    assert.equal(n, top, 'no gaps');
    db.close();
  } finally {
    t.cleanup();
  }
});
