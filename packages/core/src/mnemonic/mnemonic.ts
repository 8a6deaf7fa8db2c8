/**
 * The Electrum-style mnemonic that Session recovery passwords are written in: every 4 bytes
 * become 3 words of the 1626-word English list, optionally followed by one checksum word.
 * Implements protocol-v1.md §2 as upstream does in
 * session-foundation/libsession-util:src/mnemonics/mnemonics.cpp (`bytes_to_words`,
 * `words_to_bytes`), byte for byte.
 *
 * A word is identified by its first 3 code points, lower-cased, so decoding accepts any case,
 * full words, bare prefixes and typos past the third letter. Input is NFC-normalised first, as
 * libsession-util's tests/test_mnemonics.cpp requires for lists with accented words; English is
 * plain ASCII, so there it changes nothing.
 */
import { crc32 } from 'node:zlib';
import { assertBytes } from '../encoding/bytes.ts';
import { ProtocolError } from '../errors.ts';
import { ENGLISH_WORDS } from './english-words.ts';

/** Words in the list, N in protocol-v1.md §2 (`NWORDS` in upstream's mnemonics.hpp). */
export const MNEMONIC_WORD_COUNT = 1626;
/** English words are identified by this many leading code points (english.txt header). */
export const MNEMONIC_PREFIX_LENGTH = 3;

/** Options for `encodeMnemonic` and `decodeMnemonic`. */
export interface MnemonicOptions {
  /** Whether the phrase ends with a checksum word. Default `true`. */
  readonly checksum?: boolean;
}

const N = MNEMONIC_WORD_COUNT;
/** Largest value a 3-word group may carry: the group encodes one little-endian u32. */
const MAX_U32 = 0xffff_ffff;

/** Word prefix → index in `ENGLISH_WORDS`. The generator guarantees the prefixes are unique. */
const INDEX_BY_PREFIX: ReadonlyMap<string, number> = new Map(
  ENGLISH_WORDS.map((word, index) => [wordPrefix(word), index]),
);

/**
 * Encodes bytes (a non-zero multiple of 4) as words: 3 per 4-byte little-endian chunk, then by
 * default a checksum word. A 16-byte seed gives 12 + 1 words, a 32-byte seed 24 + 1.
 */
export function encodeMnemonic(bytes: Uint8Array, options: MnemonicOptions = {}): string[] {
  assertBytes('mnemonic bytes', bytes);
  if (bytes.length === 0 || bytes.length % 4 !== 0) {
    throw new ProtocolError(
      'invalid-length',
      `mnemonic bytes: expected a non-zero multiple of 4 bytes, got ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const indices: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) {
    const v = view.getUint32(offset, true);
    const a = v % N;
    const b = (Math.floor(v / N) + a) % N;
    const c = (Math.floor(v / (N * N)) + b) % N;
    indices.push(a, b, c);
  }
  if (options.checksum ?? true) indices.push(checksumWordIndex(indices));
  return indices.map(wordAt);
}

/**
 * Decodes a phrase made by `encodeMnemonic` back to its bytes. `words` is either text (words
 * separated by any whitespace, leading and trailing whitespace ignored) or one word per element.
 * Words match on their first 3 letters in any case. With `checksum` (the default) the phrase must
 * end with the checksum word; with `checksum: false` it must not have one.
 *
 * Throws `ProtocolError` with code `invalid-mnemonic-length` (wrong word count),
 * `invalid-mnemonic-word` (a word not in the list; `subject` is the word),
 * `invalid-mnemonic-value` (3 words that encode no 32-bit value) or `invalid-mnemonic-checksum`.
 */
export function decodeMnemonic(
  words: string | readonly string[],
  options: MnemonicOptions = {},
): Uint8Array {
  const list = splitWords(words);
  const checksum = options.checksum ?? true;
  const dataWords = list.length - (checksum ? 1 : 0);
  if (dataWords <= 0 || dataWords % 3 !== 0) {
    throw new ProtocolError('invalid-mnemonic-length', lengthMessage(list.length, checksum));
  }

  // Resolve every word first, so that a typo is reported as such (with its position) rather
  // than as a bad value or a bad checksum.
  const indices = list.map((word, position) => {
    const index = wordIndex(word);
    if (index === undefined) {
      throw new ProtocolError(
        'invalid-mnemonic-word',
        `word ${position + 1} of ${list.length} ("${word}") is not in the recovery-password ` +
          `word list (words match on their first ${MNEMONIC_PREFIX_LENGTH} letters)`,
        { subject: word },
      );
    }
    return index;
  });

  const out = new Uint8Array((dataWords / 3) * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < dataWords; i += 3) {
    const a = indices[i] ?? 0;
    const b = indices[i + 1] ?? 0;
    const c = indices[i + 2] ?? 0;
    const x = a + ((N - a + b) % N) * N + ((N - b + c) % N) * N * N;
    // Upstream computes x in 32-bit arithmetic and rejects the group unless `x % N == a`. With
    // exact integers that check always holds; what it catches upstream is wrap-around (2^32 is
    // not a multiple of N, so a wrapped x never passes). Here the overflow is checked directly.
    if (x > MAX_U32) {
      throw new ProtocolError(
        'invalid-mnemonic-value',
        `words ${i + 1}-${i + 3} do not encode a valid value (a 3-word group must encode a ` +
          `32-bit number); a word in that group is probably wrong`,
      );
    }
    view.setUint32((i / 3) * 4, x, true);
  }

  if (checksum) {
    const data = indices.slice(0, dataWords);
    // Compared by index, not spelling, as upstream does: any word with the right prefix counts.
    if (indices[dataWords] !== checksumWordIndex(data)) {
      throw new ProtocolError(
        'invalid-mnemonic-checksum',
        `the recovery-password checksum failed: the last word (word ${list.length}) does not ` +
          `match the others, so a word is mistyped, missing or out of order`,
      );
    }
  }
  return out;
}

/**
 * Splits mnemonic text on any run of whitespace, ignoring leading and trailing whitespace; an
 * array is taken as one word per element, each trimmed.
 */
export function splitWords(words: string | readonly string[]): string[] {
  if (typeof words === 'string') {
    const trimmed = words.trim();
    return trimmed === '' ? [] : trimmed.split(/\s+/u);
  }
  if (!Array.isArray(words)) {
    throw new ProtocolError(
      'invalid-input',
      `mnemonic: expected a string or an array of words, got ${typeof words}`,
    );
  }
  return words.map((word: unknown, position) => {
    if (typeof word !== 'string') {
      throw new ProtocolError(
        'invalid-input',
        `mnemonic: word ${position + 1} is a ${typeof word}, expected a string`,
      );
    }
    return word.trim();
  });
}

/** The list index a word stands for, or `undefined` when no word has its prefix. */
function wordIndex(word: string): number | undefined {
  return INDEX_BY_PREFIX.get(wordPrefix(word));
}

/**
 * The first `MNEMONIC_PREFIX_LENGTH` code points of a word, NFC-normalised and lower-cased: the
 * part of a word that identifies it (upstream's `word_prefix`).
 */
function wordPrefix(word: string): string {
  let prefix = '';
  let count = 0;
  for (const codePoint of word.normalize('NFC')) {
    if (count === MNEMONIC_PREFIX_LENGTH) break;
    prefix += codePoint.toLowerCase();
    count++;
  }
  return prefix;
}

/**
 * The checksum word: a repeat of data word number CRC-32(concatenated prefixes) mod (number of
 * data words) (upstream's `checksum_index`). The prefixes are those of the list words, which are
 * the same as those of any input word that resolved to them.
 */
function checksumWordIndex(data: readonly number[]): number {
  const prefixes = data.map((index) => wordPrefix(wordAt(index))).join('');
  // zlib's crc32 is CRC-32/ISO-HDLC over the UTF-8 bytes, the function upstream uses.
  const chosen = data[crc32(prefixes) % data.length];
  if (chosen === undefined) throw new Error('unreachable: checksum over no data words');
  return chosen;
}

function wordAt(index: number): string {
  const word = ENGLISH_WORDS[index];
  if (word === undefined) throw new Error(`unreachable: no word at index ${index}`);
  return word;
}

function lengthMessage(count: number, checksum: boolean): string {
  const valid = checksum
    ? 'a multiple of 3 words plus 1 checksum word (4, 7, 10, 13, ..., 25, ...)'
    : 'a non-zero multiple of 3 words (3, 6, 9, 12, ..., 24, ...)';
  return `mnemonic: expected ${valid}, got ${count} word${count === 1 ? '' : 's'}`;
}
