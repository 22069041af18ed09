// Runs `work` over items with at most `limit` in flight: enough to keep Temporal busy without
// opening thousands of calls at once. The first failure stops new work; once the calls already
// in flight have settled (so the caller knows nothing is still running), it is rethrown.
export async function runWithConcurrency<Item>(items: readonly Item[], limit: number, work: (item: Item) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
