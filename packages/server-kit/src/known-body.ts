/**
 * Responses whose body the listener writes without the WHATWG stream machinery: constructing a
 * real undici `Response` (with its `ReadableStream`) and reading it back with `arrayBuffer()`
 * cost more than a bare `node:http` request in total. `jsonResponse` and `textResponse` return
 * a lightweight `Response` (see `lazy-delegate.ts`): `status`, `ok`, `headers` and the body
 * methods work directly on the bytes, anything else builds the real `Response` on first use,
 * and `instanceof Response` holds. The listener writes the remembered bytes while the body is
 * unread and reads the stream otherwise, so a middleware that wraps or replaces a response
 * stays correct.
 */
import { lazyPrototype, settle } from './lazy-delegate.ts';

const BYTES = Symbol('bytes');
const STATUS = Symbol('status');
const INIT_HEADERS = Symbol('initHeaders');
const HEADERS = Symbol('headers');
const REAL = Symbol('real');
const USED = Symbol('used');

interface LightState {
  [BYTES]: Uint8Array;
  [STATUS]: number;
  [INIT_HEADERS]: Record<string, string>;
  [HEADERS]?: Headers;
  [REAL]?: Response;
  [USED]?: boolean;
}

function headersOf(self: LightState): Headers {
  self[HEADERS] ??= new Headers(self[INIT_HEADERS]);
  return self[HEADERS];
}

function real(self: LightState): Response {
  self[REAL] ??= new Response(self[USED] === true ? null : self[BYTES], {
    status: self[STATUS],
    headers: headersOf(self),
  });
  return self[REAL];
}

function used(self: LightState): boolean {
  return self[USED] === true || self[REAL]?.bodyUsed === true;
}

function consume(self: LightState): Uint8Array {
  if (used(self)) throw new TypeError('Body is unusable: Body has already been read');
  if (self[REAL] !== undefined) throw new TypeError('read through the real response');
  self[USED] = true;
  return self[BYTES];
}

const own: PropertyDescriptorMap = {
  status: {
    get(this: LightState) {
      return this[STATUS];
    },
  },
  ok: {
    get(this: LightState) {
      return this[STATUS] >= 200 && this[STATUS] <= 299;
    },
  },
  headers: {
    get(this: LightState) {
      return headersOf(this);
    },
  },
  bodyUsed: {
    get(this: LightState) {
      return used(this);
    },
  },
  text: {
    value(this: LightState) {
      if (this[REAL] !== undefined) return this[REAL].text();
      return settle(() => new TextDecoder().decode(consume(this)));
    },
  },
  json: {
    value(this: LightState) {
      if (this[REAL] !== undefined) return this[REAL].json();
      return settle(() => JSON.parse(new TextDecoder().decode(consume(this))) as unknown);
    },
  },
  arrayBuffer: {
    value(this: LightState) {
      if (this[REAL] !== undefined) return this[REAL].arrayBuffer();
      return settle(() => {
        const b = consume(this);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      });
    },
  },
};

const proto = lazyPrototype<LightState>(Response.prototype, own, real);

function light(bytes: Uint8Array, status: number, headers: Record<string, string>): Response {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`response status must be 200-599, got ${status}`);
  }
  const self = Object.create(proto) as LightState;
  self[BYTES] = bytes;
  self[STATUS] = status;
  self[INIT_HEADERS] = headers;
  return self as unknown as Response;
}

/** A JSON response (`application/json`) whose body the listener writes directly. */
export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return light(Buffer.from(JSON.stringify(body), 'utf8'), init.status ?? 200, {
    'content-type': 'application/json',
    ...init.headers,
  });
}

/** A plain-text response whose body the listener writes directly. */
export function textResponse(
  text: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return light(Buffer.from(text, 'utf8'), init.status ?? 200, {
    'content-type': 'text/plain; charset=utf-8',
    ...init.headers,
  });
}

/** The bytes of an unread lightweight response, or undefined for any other response. */
export function knownBody(response: Response): Uint8Array | undefined {
  const self = response as unknown as Partial<LightState>;
  if (self[BYTES] === undefined || used(self as LightState) || self[REAL] !== undefined) {
    return undefined;
  }
  return self[BYTES];
}
