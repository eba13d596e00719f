/**
 * Waits for `work` at most `ms` milliseconds; resolves true when it settled in time. Shutdown steps
 * use it so that one stuck step (a wedged gateway, a client that never reads) cannot stop the
 * process from exiting. @internal
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
