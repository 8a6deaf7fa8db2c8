/**
 * A cheap stand-in for the WHATWG `Request` the listener hands to an app. Building a real
 * undici `Request` with a body (a `ReadableStream`, an `AbortSignal`, header validation) and
 * reading it back costs about as much as a whole bare `node:http` request, so the listener
 * passes this instead: the body is already buffered, and `method`, `url`, `headers`,
 * `arrayBuffer()`, `bytes()`, `text()` and `json()` work on it directly. Anything else
 * (`body`, `signal`, `clone()`, `formData()`, …) builds the real `Request` on first use and
 * delegates to it, so handlers see a complete `Request` (`instanceof Request` holds too).
 *
 * The idea is @hono/node-server's "lightweight request" (honojs/node-server `src/request.ts`).
 */
import { lazyPrototype, settle } from './lazy-delegate.ts';

/** What the listener knows about an incoming request. */
export interface LightRequestInit {
  readonly method: string;
  readonly url: string;
  /** Header name/value pairs as Node parsed them (`IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The whole body, or undefined for GET/HEAD. */
  readonly body: Uint8Array | undefined;
}

const INIT = Symbol('init');
const REAL = Symbol('real');
const HEADERS = Symbol('headers');
const USED = Symbol('used');

interface LightState {
  [INIT]: LightRequestInit;
  [REAL]?: Request;
  [HEADERS]?: Headers;
  [USED]?: boolean;
}

function buildHeaders(raw: LightRequestInit['headers']): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
  }
  return headers;
}

function real(self: LightState): Request {
  if (self[REAL] === undefined) {
    const init = self[INIT];
    self[REAL] = new Request(init.url, {
      method: init.method,
      headers: headersOf(self),
      ...(init.body === undefined || self[USED] === true ? {} : { body: init.body }),
    });
  }
  return self[REAL];
}

function headersOf(self: LightState): Headers {
  self[HEADERS] ??= buildHeaders(self[INIT].headers);
  return self[HEADERS];
}

function consume(self: LightState): Uint8Array {
  if (self[USED] === true || self[REAL]?.bodyUsed === true) {
    throw new TypeError('Body is unusable: Body has already been read');
  }
  self[USED] = true;
  return self[INIT].body ?? new Uint8Array(0);
}

const own: PropertyDescriptorMap = {
  method: {
    get(this: LightState) {
      return this[INIT].method;
    },
  },
  url: {
    get(this: LightState) {
      return this[INIT].url;
    },
  },
  headers: {
    get(this: LightState) {
      return headersOf(this);
    },
  },
  bodyUsed: {
    get(this: LightState) {
      return this[USED] === true || this[REAL]?.bodyUsed === true;
    },
  },
  // A second read rejects, as Body's methods do (`settle` turns the throw into a rejection).
  arrayBuffer: {
    value(this: LightState) {
      return settle(() => {
        const b = consume(this);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      });
    },
  },
  bytes: {
    value(this: LightState) {
      return settle(() => Uint8Array.from(consume(this)));
    },
  },
  text: {
    value(this: LightState) {
      return settle(() => new TextDecoder().decode(consume(this)));
    },
  },
  json: {
    value(this: LightState) {
      return settle(() => JSON.parse(new TextDecoder().decode(consume(this))) as unknown);
    },
  },
};

const proto = lazyPrototype<LightState>(Request.prototype, own, real);

/** A `Request` for the listener's already-buffered request. */
export function lightRequest(init: LightRequestInit): Request {
  const self = Object.create(proto) as LightState;
  self[INIT] = init;
  return self as unknown as Request;
}
