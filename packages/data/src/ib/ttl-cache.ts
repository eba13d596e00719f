import type { Clock } from './clock';

/**
 * A small map whose entries expire. In-flight lookups are shared too (`getOrLoad`), so ten
 * concurrent loads of one symbol cost IB one contract-details request, not ten.
 */
export class TtlCache<V> {
  private readonly values = new Map<string, { value: V; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** The cached value, if present and fresh. */
  get(key: string): V | undefined {
    const hit = this.values.get(key);
    if (hit === undefined) return undefined;
    if (hit.expiresAt <= this.clock.now()) {
      this.values.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** Stores `value` for the cache's TTL. */
  set(key: string, value: V): void {
    if (this.ttlMs > 0) this.values.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
  }

  /** The cached value, or the result of `load` (stored on success; failures are not cached). */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = this.loading.get(key);
    if (pending !== undefined) return pending;
    const promise = load().then(
      (value) => {
        this.loading.delete(key);
        this.set(key, value);
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  /** Forgets everything. */
  clear(): void {
    this.values.clear();
  }
}
