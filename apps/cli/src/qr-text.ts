/**
 * A QR code as terminal text, for `account show`: another device scans the Session ID off the
 * screen instead of retyping 66 hex digits. Rendered by qrcode-terminal (byte mode, error
 * correction L: a Session ID fits version 4, 33 × 33 modules) in its compact form, two modules
 * per line with the half-block characters `█ ▀ ▄` and space, so it needs no colour support and
 * survives being piped or logged. `█` is a light module: the code reads on a dark terminal
 * background (the common default), as qrcode-terminal intends.
 */
import qrcode from 'qrcode-terminal';

/** The QR code of `data` as lines of text (no trailing newline). */
export function qrText(data: string): string {
  let text: string | undefined;
  // The callback runs synchronously inside generate (lib/main.js), so text is set on return.
  qrcode.generate(data, { small: true }, (out) => (text = out));
  if (text === undefined) throw new Error('qrcode-terminal did not render');
  return text.replace(/\n+$/, '');
}
