/**
 * The encrypted database: nothing readable on disk (main file and WAL), the right key reads,
 * a wrong key, no key, and a plaintext file all fail with a typed error, and the file is
 * SQLCipher 4 (its first 16 bytes are a random salt, not "SQLite format 3").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStoreError, openDatabase, openEncryptedDatabase } from './index.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const MARKER = 'plaintext-marker-7f3a9c';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-encrypted-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function fileHas(path: string, text: string): boolean {
  return existsSync(path) && readFileSync(path).includes(Buffer.from(text));
}

test('an encrypted file holds no plaintext and reopens with the right key', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'enc.db');
    const db = openEncryptedDatabase({ path, key: KEY });
    assert.equal(db.pragma('journal_mode'), 'wal');
    assert.equal(db.pragma('foreign_keys'), 1);
    assert.equal(db.pragma('cipher'), 'sqlcipher');
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    db.transaction(() => {
      for (let i = 0; i < 50; i++) db.run('INSERT INTO t VALUES (?)', [`${MARKER}-${i}`]);
    });
    // Before a checkpoint the rows live in the WAL: it must be encrypted as well.
    assert.ok(readFileSync(`${path}-wal`).length > 0, 'the rows are in the WAL');
    assert.equal(fileHas(`${path}-wal`, MARKER), false, 'WAL has no plaintext');
    db.close();
    const bytes = readFileSync(path);
    assert.equal(bytes.includes(Buffer.from(MARKER)), false, 'file has no plaintext');
    assert.equal(bytes.includes(Buffer.from('CREATE TABLE')), false, 'schema is hidden');
    assert.equal(bytes.subarray(0, 15).toString('latin1') === 'SQLite format 3', false);

    const again = openEncryptedDatabase({ path, key: KEY });
    const n = again.get<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE v LIKE ?', [
      `${MARKER}%`,
    ]);
    assert.equal(n?.n, 50);
    again.close();
  } finally {
    t.cleanup();
  }
});

test('a wrong key, a missing key and a plaintext file fail with typed errors', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'enc.db');
    const db = openEncryptedDatabase({ path, key: KEY });
    db.exec(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('${MARKER}')`);
    db.close();

    assert.throws(
      () => openEncryptedDatabase({ path, key: OTHER_KEY }),
      (e) => isStoreError(e, 'wrong-key') && /wrong key/.test(e.message),
    );
    // Without a key the plain driver sees no database at all.
    assert.throws(
      () => openDatabase({ path }).get('SELECT * FROM t'),
      (e) => isStoreError(e),
    );
    assert.throws(
      () => openEncryptedDatabase({ path, key: KEY.subarray(0, 31) }),
      (e) => isStoreError(e, 'invalid-input') && /expected 32 bytes, got 31/.test(e.message),
    );

    const plainPath = join(t.dir, 'plain.db');
    const plain = openDatabase({ path: plainPath });
    plain.exec('CREATE TABLE t (v TEXT)');
    plain.close();
    assert.throws(
      () => openEncryptedDatabase({ path: plainPath, key: KEY }),
      (e) => isStoreError(e, 'wrong-key'),
    );
  } finally {
    t.cleanup();
  }
});
