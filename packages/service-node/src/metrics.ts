/**
 * `GET /metrics` in the Prometheus text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/, version 0.0.4): requests by RPC
 * method and status, stored messages and bytes, and replication (lag, pushed copies, failed
 * batches). Request and push counters live here; the rest are read when scraped, from whoever
 * owns the number.
 *
 * Labels carry only method names and status codes — never keys, accounts or message data.
 */
import type { App, Route } from '@session-ts/server-kit';

/** A number read at scrape time from whoever owns it. */
export interface MetricSource {
  readonly name: string;
  readonly help: string;
  /** `counter` for totals that only grow; `gauge` otherwise. */
  readonly type: 'gauge' | 'counter';
  read(): number;
}

/** The node's metrics. */
export interface Metrics {
  /** Counts one storage RPC request. `method` outside the known set is counted as `other`. */
  countRequest(method: string, status: number): void;
  /** Adds to a named counter (declared in `COUNTERS`). */
  add(counter: CounterName, amount?: number): void;
  /** The exposition text. */
  render(): string;
  /** The `GET /metrics` route. */
  route(): Route;
}

/** Counters besides requests. */
export const COUNTERS = {
  session_replication_received_messages_total: 'Messages stored from peer pushes',
  session_replication_ignored_messages_total: 'Pushed messages dropped (not ours, expired or bad)',
} as const;
export type CounterName = keyof typeof COUNTERS;

/** Storage RPC methods we label by name (network.md §1.3); anything else is `other`. */
const METHODS = new Set([
  'store',
  'retrieve',
  'delete',
  'delete_all',
  'delete_before',
  'expire',
  'expire_all',
  'get_expiries',
  'get_swarm',
  'get_snodes_for_pubkey',
  'info',
  'batch',
  'sequence',
  'ifelse',
  'oxend_request',
  'revoke_subaccount',
  'unrevoke_subaccount',
]);

/** Creates the metrics with the sources to read at scrape time. */
export function createMetrics(sources: readonly MetricSource[]): Metrics {
  const requests = new Map<string, number>();
  const counters = new Map<CounterName, number>();
  const render = (): string => {
    const lines: string[] = [
      '# HELP session_rpc_requests_total Storage RPC requests by method and HTTP status.',
      '# TYPE session_rpc_requests_total counter',
    ];
    for (const [key, n] of [...requests].sort()) {
      const [method, status] = key.split(' ');
      lines.push(`session_rpc_requests_total{method="${method}",status="${status}"} ${n}`);
    }
    for (const [name, help] of Object.entries(COUNTERS) as [CounterName, string][]) {
      lines.push(
        `# HELP ${name} ${help}.`,
        `# TYPE ${name} counter`,
        `${name} ${counters.get(name) ?? 0}`,
      );
    }
    for (const g of sources) {
      let value: number;
      try {
        value = g.read();
      } catch {
        value = NaN;
      }
      lines.push(
        `# HELP ${g.name} ${g.help}.`,
        `# TYPE ${g.name} ${g.type}`,
        `${g.name} ${format(value)}`,
      );
    }
    return lines.join('\n') + '\n';
  };
  return {
    countRequest(method, status) {
      const key = `${METHODS.has(method) ? method : 'other'} ${status}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
    add(counter, amount = 1) {
      counters.set(counter, (counters.get(counter) ?? 0) + amount);
    },
    render,
    route: () => ({
      method: 'GET',
      path: '/metrics',
      handler: () =>
        new Response(render(), {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        }),
    }),
  };
}

function format(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/** The storage RPC endpoint (network.md §1.1). */
const RPC_PATH = '/storage_rpc/v1';

/**
 * Wraps an app so each storage RPC request is counted by its `method` and the HTTP status of
 * the answer. The body is read once here and handed on unchanged.
 */
export function instrumentApp(app: App, metrics: Metrics): App {
  return {
    async fetch(request, context) {
      if (request.method !== 'POST' || new URL(request.url).pathname !== RPC_PATH) {
        return app.fetch(request, context);
      }
      const body = new Uint8Array(await request.arrayBuffer());
      const forwarded = new Request(request.url, {
        method: 'POST',
        headers: request.headers,
        body,
      });
      const response = await app.fetch(forwarded, context);
      metrics.countRequest(methodOf(body), response.status);
      return response;
    },
  };
}

function methodOf(body: Uint8Array): string {
  try {
    const method = (JSON.parse(new TextDecoder().decode(body)) as { method?: unknown } | null)
      ?.method;
    return typeof method === 'string' ? method : 'other';
  } catch {
    return 'other';
  }
}
