/**
 * Choosing the devnet's loopback ports on its first start (they are then kept in
 * `devnet.json`): consecutive ports from a base when they are all free, else ports the system
 * picks.
 */
import { createServer } from 'node:net';

/** The devnet's default first port: the seed; node `i` (1-based) listens on base + i. */
export const DEFAULT_BASE_PORT = 22100;

/** True if `port` can be bound on 127.0.0.1 right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** A port the system considers free on 127.0.0.1 (it may be taken again before we bind it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `count` ports: with `basePort` > 0, `basePort`, `basePort + 1`, … as given; with 0, any free
 * ones; when undefined, the default range if all of it is free, else any free ones.
 */
export async function choosePorts(count: number, basePort: number | undefined): Promise<number[]> {
  const range = (base: number): number[] => Array.from({ length: count }, (_, i) => base + i);
  if (basePort !== undefined && basePort > 0) return range(basePort);
  if (basePort === undefined) {
    const wanted = range(DEFAULT_BASE_PORT);
    const free = await Promise.all(wanted.map(isPortFree));
    if (free.every(Boolean)) return wanted;
  }
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
