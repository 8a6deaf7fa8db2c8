/**
 * The part of qrcode-terminal 0.12.0 (Apache-2.0, a CommonJS module without typings) that
 * `qr-text.ts` uses. Its `generate` calls the callback synchronously with the rendered text.
 */
declare module 'qrcode-terminal' {
  interface GenerateOptions {
    /** Two modules per character row with half-block characters, no ANSI colours. */
    readonly small?: boolean;
  }
  interface QrcodeTerminal {
    generate(input: string, options: GenerateOptions, done: (text: string) => void): void;
  }
  const qrcode: QrcodeTerminal;
  export default qrcode;
}
