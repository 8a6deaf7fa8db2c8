/**
 * The in-process network: servers registered by `host:port` and reached by calling their
 * `fetch` directly — no sockets, so a whole network of nodes runs in one test process
 * (CONVENTIONS.md, habits 2 and 4). Each transport it hands out has a source address, which the
 * receiving server sees as `remoteAddress`, so relaying nodes look like different machines.
 *
 * Hooks for simulations and tests:
 * - `setDown(host, true)`: the node is dead (requests to it reject `unreachable`);
 * - `setDelay(host, ms)`: answers from it arrive `ms` later (timeouts, slow hops);
 * - `log`: every delivered request — who sent it, to whom, the path and the exact body bytes —
 *   which is what a privacy test inspects to show what each node could see.
 */
import { NetworkError } from './network-error.ts';
import {
  targetHost,
  targetUrl,
  underDeadline,
  type FetchHandler,
  type Transport,
  type TransportRequestOptions,
  type TransportResponse,
  type TransportTarget,
} from './transport.ts';

/** One request as the receiving server got it. */
export interface Delivery {
  /** The sender's address (its transport's source). */
  readonly from: string;
  /** `host:port` it was sent to. */
  readonly to: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** A network of in-process servers. */
export interface InProcessNetwork {
  /** A transport whose requests come from `sourceAddress` (an IP, as a server would see it). */
  transport(sourceAddress: string): Transport;
  /** Serves `handler` at `host:port` (e.g. `10.0.0.1:22021`). */
  register(hostPort: string, handler: FetchHandler): void;
  unregister(hostPort: string): void;
  /** Marks a server dead (true) or alive again (false). */
  setDown(hostPort: string, down: boolean): void;
  /** Delays every answer from `hostPort` by `ms` (0 to clear). */
  setDelay(hostPort: string, ms: number): void;
  /** Every request delivered so far, oldest first. */
  readonly log: readonly Delivery[];
  /** The requests `hostPort` received. */
  seenBy(hostPort: string): readonly Delivery[];
  /** Forgets the log. */
  clearLog(): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function toBytes(body: Uint8Array | string | undefined): Uint8Array | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? new TextEncoder().encode(body) : Uint8Array.from(body);
}

/** Creates an empty in-process network. */
export function createInProcessNetwork(): InProcessNetwork {
  const servers = new Map<string, FetchHandler>();
  const down = new Set<string>();
  const delays = new Map<string, number>();
  let log: Delivery[] = [];

  const deliver = async (
    from: string,
    target: TransportTarget,
    body: Uint8Array | string | undefined,
    req: TransportRequestOptions,
    signal: AbortSignal,
  ): Promise<TransportResponse> => {
    const host = targetHost(target);
    const handler = servers.get(host);
    if (handler === undefined || down.has(host)) {
      throw new NetworkError('unreachable', `${host}: connection refused`);
    }
    const bytes = toBytes(body);
    const url = targetUrl(target, req.path);
    const method = req.method ?? 'POST';
    log.push({
      from,
      to: host,
      method,
      path: new URL(url).pathname,
      headers: { ...req.headers },
      body: bytes ?? new Uint8Array(0),
    });
    const request = new Request(url, {
      method,
      ...(req.headers === undefined ? {} : { headers: req.headers }),
      ...(bytes === undefined ? {} : { body: bytes }),
      signal,
    });
    let response: Response;
    try {
      response = await handler(request, { remoteAddress: from });
    } catch {
      // A server that throws answers 500 over a socket too (its listener's catch-all).
      response = new Response('internal server error', { status: 500 });
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    const delay = delays.get(host) ?? 0;
    if (delay > 0) await sleep(delay, signal);
    // A server that died while answering is as unreachable as one that was dead before.
    if (down.has(host)) throw new NetworkError('unreachable', `${host}: connection reset`);
    return { status: response.status, headers: response.headers, body: answer };
  };

  return {
    transport(sourceAddress) {
      return {
        request(target, body, req) {
          return underDeadline(req, (signal) => deliver(sourceAddress, target, body, req, signal));
        },
      };
    },
    register(hostPort, handler) {
      servers.set(hostPort, handler);
    },
    unregister(hostPort) {
      servers.delete(hostPort);
    },
    setDown(hostPort, isDown) {
      if (isDown) down.add(hostPort);
      else down.delete(hostPort);
    },
    setDelay(hostPort, ms) {
      if (ms > 0) delays.set(hostPort, ms);
      else delays.delete(hostPort);
    },
    get log() {
      return log;
    },
    seenBy(hostPort) {
      return log.filter((d) => d.to === hostPort);
    },
    clearLog() {
      log = [];
    },
  };
}
