import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Tells Prisma how many bind parameters one statement may carry. Prisma 7 splits the IN lists it can
 * split at this bound and refuses the others with P2029; without it an adapter that reports nothing
 * gets the provider's most conservative default.
 */
export function withBindLimit<F extends SqlDriverAdapterFactory>(factory: F, maxBindValues: number): F {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== "connect") return typeof value === "function" ? value.bind(target) : value;
      return async () => {
        const adapter = await (value as () => Promise<SqlDriverAdapter>).call(target);
        const info = adapter.getConnectionInfo?.() ?? { supportsRelationJoins: false };
        return new Proxy(adapter, {
          get(a, p, r) {
            if (p === "getConnectionInfo") return () => ({ ...info, maxBindValues });
            const v = Reflect.get(a, p, r) as unknown;
            return typeof v === "function" ? v.bind(a) : v;
          },
        });
      };
    },
  });
}
