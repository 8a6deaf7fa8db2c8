/**
 * The trick behind the listener's lightweight `Request` and `Response` objects: a prototype
 * that inherits from the real class's prototype (so `instanceof` holds), defines the members
 * the hot path needs, and forwards every other member of the real class to a real instance
 * built on first use. After @hono/node-server's lightweight request/response
 * (honojs/node-server `src/request.ts`, `src/response.ts`).
 */

/**
 * A prototype over `base` with `own` members, every other method and getter of `base`
 * delegating to `realOf(this)`.
 */
export function lazyPrototype<T extends object>(
  base: object,
  own: PropertyDescriptorMap,
  realOf: (self: T) => object,
): object {
  const proto = Object.create(base) as object;
  const all: PropertyDescriptorMap = { ...own };
  for (const key of Reflect.ownKeys(base)) {
    if (key === 'constructor' || Object.hasOwn(own, key)) continue;
    const desc = Object.getOwnPropertyDescriptor(base, key);
    if (desc === undefined) continue;
    if (typeof desc.value === 'function') {
      all[key as string] = {
        value(this: T, ...args: unknown[]): unknown {
          const real = realOf(this);
          return (Reflect.get(real, key) as (...a: unknown[]) => unknown).apply(real, args);
        },
      };
    } else if (desc.get !== undefined) {
      all[key as string] = {
        get(this: T): unknown {
          return Reflect.get(realOf(this), key) as unknown;
        },
      };
    }
  }
  Object.defineProperties(proto, all);
  return proto;
}

/** `fn()` as a promise: its value, or its throw as the rejection (Body methods reject). */
export function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}
