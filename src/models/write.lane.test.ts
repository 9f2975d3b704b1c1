import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteLane } from './write.lane.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteLane', () => {
  it('runs one task at a time and passes results and errors through', async () => {
    const lane = new WriteLane();
    let running = 0;
    let most = 0;
    const task = (value: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
      return value;
    };
    const results = await Promise.all([lane.run(task(1)), lane.run(task(2), 'background'), lane.run(task(3))]);
    assert.deepEqual(results, [1, 2, 3]);
    assert.equal(most, 1);
    await assert.rejects(
      lane.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await lane.run(async () => 'still works'), 'still works');
  });

  it('gives waiting urgent work the next turns before waiting background work', async () => {
    const lane = new WriteLane();
    const order: string[] = [];
    const record = (name: string) => async () => {
      order.push(name);
      await tick();
    };
    const first = lane.run(record('background-0'), 'background');
    const queued = [
      lane.run(record('background-1'), 'background'),
      lane.run(record('urgent-1')),
      lane.run(record('urgent-2')),
      lane.run(record('urgent-3')),
    ];
    await Promise.all([first, ...queued]);
    assert.deepEqual(order, ['background-0', 'urgent-1', 'urgent-2', 'urgent-3', 'background-1']);
  });

  it('does not starve background work under a steady stream of urgent work', async () => {
    const lane = new WriteLane();
    let urgentRuns = 0;
    let urgentRunsBeforeBackground = -1;
    let finish: () => void = () => {};
    const allUrgentDone = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Like the tracking writer under load: each urgent task queues the next one before it finishes.
    const chain = (): Promise<void> =>
      lane.run(async () => {
        urgentRuns += 1;
        if (urgentRuns < 50) void chain();
        else finish();
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
    void chain();
    const background = lane.run(async () => {
      urgentRunsBeforeBackground = urgentRuns;
    }, 'background');
    await Promise.all([background, allUrgentDone]);
    // It waits its bounded turn (BACKGROUND_MAX_WAIT_MS), not for the urgent stream to end.
    assert.ok(
      urgentRunsBeforeBackground >= 1 && urgentRunsBeforeBackground < 50,
      `background ran after ${urgentRunsBeforeBackground} urgent tasks`,
    );
  });
});
