import { mockServices } from '@backstage/backend-test-utils';
import { REGISTRY_INDEX_BATCH, RegistryIndexQueue } from './RegistryIndexQueue';

describe('RegistryIndexQueue', () => {
  it('returns at once, indexes in the background, and indexes a name queued again before its turn once', async () => {
    const indexed: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>(resolve => {
      release = resolve;
    });
    const queue = new RegistryIndexQueue({
      index: async names => {
        if (indexed.length === 0) await first;
        indexed.push(names);
      },
      logger: mockServices.logger.mock(),
    });
    queue.enqueue('a');
    await Promise.resolve();
    queue.enqueue('b');
    queue.enqueue('b');
    queue.enqueue('c');
    queue.enqueue('b');
    expect(indexed).toEqual([]);
    expect(queue.size).toBe(2);
    release();
    await queue.idle();
    // What queued up while a step ran is indexed together in the next.
    expect(indexed).toEqual([['a'], ['b', 'c']]);

    // A name queued after the queue ran dry starts it again.
    queue.enqueue('a');
    await queue.idle();
    expect(indexed).toEqual([['a'], ['b', 'c'], ['a']]);
  });

  it(`indexes at most ${REGISTRY_INDEX_BATCH} names a step`, async () => {
    const steps: number[] = [];
    const queue = new RegistryIndexQueue({
      index: async names => {
        steps.push(names.length);
      },
      logger: mockServices.logger.mock(),
    });
    for (let i = 0; i < 250; i++) queue.enqueue(`p-${i}`);
    await queue.idle();
    expect(steps).toEqual([100, 100, 50]);
  });

  it('logs a failed step with its names and goes on', async () => {
    const logger = mockServices.logger.mock();
    const indexed: string[][] = [];
    const queue = new RegistryIndexQueue({
      index: async names => {
        if (names.includes('broken')) throw new Error('connection lost');
        indexed.push(names);
      },
      logger,
    });
    queue.enqueue('broken');
    queue.enqueue('fine');
    await queue.idle();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not update the mesh index for registry products broken, fine; the next reconcile does: Error: connection lost',
    );
    queue.enqueue('fine');
    await queue.idle();
    expect(indexed).toEqual([['fine']]);
  });
});
