// Runs many tasks a bounded number at a time, results kept in order: the pool every scenario goes through.
import { availableParallelism } from 'node:os';

export const CORES = availableParallelism();

/** Maps over the items with at most `limit` running at once, keeping the results in order. */
export async function mapPooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
