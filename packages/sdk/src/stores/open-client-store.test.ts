/**
 * The encrypted client store on disk: the two key options (passphrase with its header, key file
 * with its permissions), the typed failures, deleting the files with the account, and the
 * attack test: someone who seizes the device's store, files copied while the client runs,
 * without the passphrase or key file, finds no plaintext; a wrong passphrase opens nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  DEFAULT_PASSPHRASE_KDF,
  TEST_PASSPHRASE_KDF,
  createSystemRng,
  toBase64,
  toHex,
} from '@session-ts/core';
import { isStoreError, openDatabase } from '@session-ts/sqlite';
import { fillSampleStore, openClientStore, passphraseHeaderPath } from '../index.ts';

const rng = createSystemRng();
const root = mkdtempSync(join(tmpdir(), 'session-ts-sdk-open-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return dir;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

test('passphrase: a new store gets a private header; the same passphrase reopens it', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const options = { path, passphrase: 'long passphrase 🌵', kdf: TEST_PASSPHRASE_KDF, rng };
  const store = await openClientStore(options);
  const written = await fillSampleStore(store);
  await store.close();

  const headerPath = passphraseHeaderPath(path);
  const header = JSON.parse(readFileSync(headerPath, 'utf8')) as Record<string, unknown>;
  assert.equal(header.kdf, 'argon2id13');
  assert.match(String(header.salt), /^[0-9a-f]{32}$/);
  assert.equal(header.opsLimit, TEST_PASSPHRASE_KDF.opsLimit);
  assert.equal(readFileSync(headerPath, 'utf8').includes('passphrase'), false);
  if (process.platform !== 'win32') {
    assert.equal(mode(headerPath), 0o600);
    assert.equal(mode(path), 0o600);
  }

  const again = await openClientStore({ ...options, create: false, kdf: DEFAULT_PASSPHRASE_KDF });
  // The header's cost wins over the option for an existing store (it opened at test cost).
  const account = await again.account.getAccount();
  assert.equal(toHex(account?.seed.exportBytes() ?? new Uint8Array()), toHex(written.seed));
  await again.close();
});

test('passphrase: wrong passphrase, missing header, missing store fail with typed errors', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const store = await openClientStore({ path, passphrase: 'right', kdf: TEST_PASSPHRASE_KDF, rng });
  await fillSampleStore(store);
  await store.close();

  await assert.rejects(openClientStore({ path, passphrase: 'wrong', rng }), (e) =>
    isStoreError(e, 'wrong-key'),
  );
  await assert.rejects(openClientStore({ path, passphrase: '', rng }), (e) =>
    isStoreError(e, 'invalid-input'),
  );
  await assert.rejects(
    openClientStore({
      path: join(dir, 'weak.db'),
      passphrase: 'x',
      kdf: { opsLimit: 0, memLimit: 8192 },
      rng,
    }),
    (e) => isStoreError(e, 'invalid-input') && /opsLimit/.test(e.message),
  );
  await assert.rejects(
    openClientStore({ path: join(dir, 'none.db'), passphrase: 'x', rng, create: false }),
    (e) => isStoreError(e, 'open-failed') && /no client store/.test(e.message),
  );
  assert.equal(existsSync(join(dir, 'none.db')), false);
  rmSync(passphraseHeaderPath(path));
  await assert.rejects(
    openClientStore({ path, passphrase: 'right', rng }),
    (e) => isStoreError(e, 'open-failed') && /header .* is missing/.test(e.message),
  );
});

test('passphrase: a new store defaults to the production Argon2id cost', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const store = await openClientStore({ path, passphrase: 'p', rng });
  await store.close();
  const header = JSON.parse(readFileSync(passphraseHeaderPath(path), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.equal(header.opsLimit, DEFAULT_PASSPHRASE_KDF.opsLimit);
  assert.equal(header.memLimit, DEFAULT_PASSPHRASE_KDF.memLimit);
});

test('key file: created with mode 0600 and 32 bytes; refused when others can read it', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const keyFile = join(dir, 'client.key');
  const store = await openClientStore({ path, keyFile, rng });
  await fillSampleStore(store);
  await store.close();
  assert.equal(readFileSync(keyFile).length, 32);
  if (process.platform !== 'win32') {
    assert.equal(mode(keyFile), 0o600);
    chmodSync(keyFile, 0o644);
    await assert.rejects(
      openClientStore({ path, keyFile, rng }),
      (e) => isStoreError(e, 'open-failed') && /mode 0644/.test(e.message),
    );
    chmodSync(keyFile, 0o600);
  }
  const again = await openClientStore({ path, keyFile, rng });
  assert.equal((await again.conversations.listConversations()).length, 2);
  await again.close();

  const otherKey = join(dir, 'other.key');
  writeFileSync(otherKey, rng.randomBytes(32), { mode: 0o600 });
  await assert.rejects(openClientStore({ path, keyFile: otherKey, rng }), (e) =>
    isStoreError(e, 'wrong-key'),
  );
  const shortKey = join(dir, 'short.key');
  writeFileSync(shortKey, rng.randomBytes(31), { mode: 0o600 });
  await assert.rejects(
    openClientStore({ path, keyFile: shortKey, rng }),
    (e) => isStoreError(e, 'open-failed') && /expected 32 bytes, got 31/.test(e.message),
  );
  await assert.rejects(
    openClientStore({ path, keyFile: join(dir, 'lost.key'), rng }),
    (e) => isStoreError(e, 'open-failed') && /key file .* is missing/.test(e.message),
  );
  assert.equal(existsSync(join(dir, 'lost.key')), false, 'no new key for an existing store');
});

test('deleting the account with deleteFiles removes the database, WAL and header', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const store = await openClientStore({ path, passphrase: 'p', kdf: TEST_PASSPHRASE_KDF, rng });
  await fillSampleStore(store);
  assert.ok(existsSync(`${path}-wal`));
  await store.wipe({ deleteFiles: true });
  assert.deepEqual(readdirSync(dir), []);

  const keyDir = freshDir();
  const keyed = await openClientStore({
    path: join(keyDir, 'client.db'),
    keyFile: join(keyDir, 'client.key'),
    rng,
  });
  await keyed.wipe({ deleteFiles: true });
  assert.deepEqual(readdirSync(keyDir), ['client.key'], "the key file is the caller's");
});

test('attack: a seized store yields no plaintext without the passphrase', async () => {
  const dir = freshDir();
  const path = join(dir, 'client.db');
  const store = await openClientStore({
    path,
    passphrase: 'the owner knows this',
    kdf: TEST_PASSPHRASE_KDF,
    rng,
  });
  const secrets = await fillSampleStore(store);

  // The attacker copies every file while the client is running (the WAL not checkpointed).
  const loot = freshDir();
  for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(loot, f));
  await store.close();
  const copied = readdirSync(loot);
  assert.ok(copied.includes('client.db-wal'), 'the WAL was taken too');
  const bytes = Buffer.concat(copied.map((f) => readFileSync(join(loot, f))));

  const needles: [string, Buffer][] = [];
  const text = (what: string, s: string) => {
    needles.push([`${what} (utf8)`, Buffer.from(s, 'utf8')]);
    needles.push([`${what} (utf16)`, Buffer.from(s, 'utf16le')]);
  };
  const binary = (what: string, b: Uint8Array) => {
    needles.push([`${what} (raw)`, Buffer.from(b)]);
    needles.push([`${what} (hex)`, Buffer.from(toHex(b))]);
    needles.push([`${what} (base64)`, Buffer.from(toBase64(b).slice(0, 40))]);
  };
  secrets.messageBodies.forEach((body, i) => text(`message ${i}`, body.slice(0, 24)));
  secrets.contactIds.forEach((id, i) => text(`contact ID ${i}`, id.slice(0, 24)));
  binary('account seed', secrets.seed);
  secrets.deviceSecrets.forEach((s, i) => binary(`device-group secret ${i}`, s));
  binary('queued content', secrets.outboxContent);
  binary('config data', secrets.configData);
  text('schema', 'CREATE TABLE');
  text('SQLite header', 'SQLite format 3');
  for (const [what, needle] of needles) {
    assert.equal(bytes.includes(needle), false, `${what} found in the seized files`);
  }

  // Guessing: a wrong passphrase and the plain driver open nothing.
  const lootPath = join(loot, basename(path));
  await assert.rejects(
    openClientStore({ path: lootPath, passphrase: 'the owner knows that', rng }),
    (e) => isStoreError(e, 'wrong-key'),
  );
  assert.throws(
    () => openDatabase({ path: lootPath }).all('SELECT name FROM sqlite_master'),
    (e) => isStoreError(e),
  );
  // The failed attempts did not damage it: the owner's passphrase still opens the copy.
  const owner = await openClientStore({ path: lootPath, passphrase: 'the owner knows this', rng });
  assert.deepEqual(
    (await owner.conversations.getMessage('sample-1'))?.body,
    secrets.messageBodies[1],
  );
  await owner.close();
});
