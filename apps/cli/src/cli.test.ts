/**
 * session-cli's first commands, run in-process through `runCli` and once as a real process
 * through the `session-cli` binary, checking output, JSON shape and exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Rng } from '@session-ts/core';
import idVectors from '../../../packages/core/vectors/upstream/session-id.json' with { type: 'json' };
import mnVectors from '../../../packages/core/vectors/upstream/mnemonic.json' with { type: 'json' };
import { runCaptured, type CapturedRun } from './run-captured.ts';

const execFileAsync = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'session-cli.js');

function fixedRng(byte: number): Rng {
  return { randomBytes: (n) => new Uint8Array(n).fill(byte) };
}

function run(argv: string[], rng: Rng = fixedRng(7)): Promise<CapturedRun> {
  return runCaptured(argv, { rng });
}

const v0 = idVectors.vectors[0]!;
const m0 = mnVectors.vectors[0]!;

test('keys show --seed prints the account (16- and 32-byte seeds)', async () => {
  for (const seed of [v0.seed, v0.seed.slice(0, 32)]) {
    const r = await run(['keys', 'show', '--seed', seed, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as Record<string, string>;
    assert.deepEqual(Object.keys(j).sort(), [
      'ed25519PublicKey',
      'recoveryPassword',
      'sessionId',
      'x25519PublicKey',
    ]);
    assert.equal(j['sessionId'], v0.session_id);
    assert.equal(j['ed25519PublicKey'], v0.ed25519_pubkey);
    assert.equal(j['x25519PublicKey'], v0.x25519_pubkey);
    assert.equal(j['recoveryPassword'], m0.words_with_checksum);
  }
  const human = await run(['keys', 'show', '--seed', v0.seed]);
  assert.equal(human.code, 0);
  assert.match(human.out, new RegExp(`Session ID: +${v0.session_id}`));
});

test('keys restore and keys new round-trip through the recovery password', async () => {
  const r = await run(['keys', 'restore', m0.words_with_checksum.toUpperCase(), '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as { sessionId: string }).sessionId, v0.session_id);
  const created = await run(['keys', 'new', '--json'], fixedRng(0x42));
  assert.equal(created.code, 0, created.err);
  const c = JSON.parse(created.out) as { sessionId: string; recoveryPassword: string };
  assert.equal(c.recoveryPassword.split(' ').length, 13);
  const restored = await run(['keys', 'restore', ...c.recoveryPassword.split(' '), '--json']);
  assert.equal((JSON.parse(restored.out) as { sessionId: string }).sessionId, c.sessionId);
});

test('mnemonic encode/decode with and without the checksum word', async () => {
  for (const v of mnVectors.vectors) {
    const enc = await run(['mnemonic', 'encode', v.bytes, '--json']);
    assert.deepEqual(JSON.parse(enc.out), { words: v.words_with_checksum });
    const encNo = await run(['mnemonic', 'encode', v.bytes, '--no-checksum', '--json']);
    assert.deepEqual(JSON.parse(encNo.out), { words: v.words });
    const dec = await run(['mnemonic', 'decode', v.words_with_checksum, '--json']);
    assert.deepEqual(JSON.parse(dec.out), { hex: v.bytes });
    const decNo = await run(['mnemonic', 'decode', v.words, '--no-checksum', '--json']);
    assert.deepEqual(JSON.parse(decNo.out), { hex: v.bytes });
  }
});

test('bad input exits 2 with a one-line reason', async () => {
  const cases: [string[], RegExp][] = [
    [['keys', 'show'], /--seed HEX is required/],
    [['keys', 'show', '--seed', 'abc'], /odd length/],
    [['keys', 'show', '--seed', '00'.repeat(20)], /expected 16 or 32 bytes/],
    [['keys', 'show', '--seed', 'zz'.repeat(16)], /not hex/],
    [['keys', 'restore', 'vexed enjoy pigment'], /13 or 25 words/],
    [['keys', 'restore', m0.words_with_checksum.replace('pigment', 'xylophone')], /xylophone/],
    [['keys', 'restore', m0.words_with_checksum.replace(/adept$/, 'vexed')], /checksum/i],
    [['keys', 'restore'], /usage: session-cli keys restore/],
    [['mnemonic', 'encode', '010203'], /multiple of 4/],
    [['mnemonic', 'decode', 'object anxiety asked object', '--bogus'], /bogus/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [argv, reason] of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code} ${r.err}`);
    assert.equal(r.out, '');
    assert.match(r.err, reason);
    assert.equal(r.err.trimEnd().split('\n').length, 1, 'one line');
    const j = await run([...argv, '--json']);
    assert.equal(j.code, 2);
    assert.equal((JSON.parse(j.err) as { error: string }).error, 'bad-input');
  }
});

test('the session-cli binary runs as a real process with the same exit codes', async () => {
  const ok = await execFileAsync(process.execPath, [
    BIN,
    'keys',
    'show',
    '--seed',
    v0.seed,
    '--json',
  ]);
  assert.equal((JSON.parse(ok.stdout) as { sessionId: string }).sessionId, v0.session_id);
  const fresh = await execFileAsync(process.execPath, [BIN, 'keys', 'new', '--json']);
  assert.match((JSON.parse(fresh.stdout) as { sessionId: string }).sessionId, /^05[0-9a-f]{64}$/);
  await assert.rejects(
    execFileAsync(process.execPath, [BIN, 'mnemonic', 'decode', 'not words at all']),
    (e: { code?: number; stderr?: string }) => e.code === 2 && /not/.test(e.stderr ?? ''),
  );
});
