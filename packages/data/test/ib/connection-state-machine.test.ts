import { CancelledError, ServiceConnectionError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  ConnectionStateMachine,
  type ConnectionStateMachineOptions,
} from '../../src/ib/connection-state-machine';
import { FakeClock } from './fake-clock';

/** A state machine over a fake clock, with hooks that record what it asked of the socket side. */
function setup(overrides: Partial<ConnectionStateMachineOptions> = {}) {
  const clock = new FakeClock();
  const opened: Array<{ clientId: number; at: number }> = [];
  const failedPending: Error[] = [];
  let teardowns = 0;
  const readies: boolean[] = [];
  const machine = new ConnectionStateMachine({
    endpoint: '127.0.0.1:4002',
    clientId: 7,
    connectTimeoutMs: 1_000,
    maxClientIdAttempts: 3,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0, maxAttempts: 3 },
    clock,
    logger: {},
    random: () => 0,
    hooks: {
      open: (clientId) => opened.push({ clientId, at: clock.now() }),
      teardown: () => {
        teardowns += 1;
      },
      failPending: (error) => {
        failedPending.push(error);
        return 2;
      },
      onReady: (wasReconnect) => readies.push(wasReconnect),
    },
    ...overrides,
  });
  return { clock, machine, opened, failedPending, readies, teardowns: () => teardowns };
}

function reason(error: unknown): unknown {
  return error instanceof ServiceConnectionError ? error.details?.['reason'] : undefined;
}

describe('ConnectionStateMachine', () => {
  it('opens a socket on the first wait and resolves every waiter once synchronised', async () => {
    const { machine, opened, readies } = setup();
    const first = machine.waitReady();
    const second = machine.waitReady();
    expect(machine.state).toBe('connecting');
    expect(opened).toEqual([{ clientId: 7, at: 0 }]); // one attempt for both waiters
    machine.synchronised();
    await Promise.all([first, second]);
    expect(machine.state).toBe('ready');
    expect(machine.connects).toBe(1);
    expect(readies).toEqual([false]);
  });

  it('fails the attempt with connect_timeout when it is not synchronised in time, then stays idle', async () => {
    const { machine, clock, teardowns } = setup();
    const waiting = machine.waitReady().catch((error: unknown) => error);
    await clock.advance(1_000);
    expect(reason(await waiting)).toBe('connect_timeout');
    expect(machine.state).toBe('idle');
    expect(teardowns()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('moves to the next client id on a conflict, and names the whole range when all are taken', async () => {
    const { machine, opened } = setup();
    const waiting = machine.waitReady().catch((error: unknown) => error);
    for (let i = 0; i < 3; i++) {
      machine.noteClientIdConflict('326 client id is already in use');
      machine.socketClosed();
    }
    expect(opened.map((attempt) => attempt.clientId)).toEqual([7, 8, 9]);
    const error = await waiting;
    expect(reason(error)).toBe('client_id_in_use');
    expect((error as Error).message).toContain('IB client ids 7..9 are all in use');
    expect(machine.state).toBe('idle');
  });

  it('names the last IB error when an attempt ends with the socket closing', async () => {
    const { machine } = setup();
    const waiting = machine.waitReady().catch((error: unknown) => error);
    machine.noteAttemptError('502 Could not connect');
    machine.socketClosed();
    const error = await waiting;
    expect(reason(error)).toBe('connect_failed');
    expect((error as Error).message).toContain('502 Could not connect');
  });

  it('after a drop fails the pending requests, reconnects with exponential backoff and counts it', async () => {
    const { machine, clock, opened, failedPending, readies } = setup();
    void machine.waitReady();
    machine.synchronised();
    machine.socketClosed(); // the established connection dropped
    expect(machine.state).toBe('reconnecting');
    expect(machine.drops).toBe(1);
    expect(reason(failedPending[0])).toBe('disconnected');

    await clock.advance(100); // first retry after initialDelayMs
    expect(opened.map((attempt) => attempt.at)).toEqual([0, 100]);
    machine.socketClosed(); // that attempt fails: the next waits twice as long
    expect(machine.reconnectAttempt).toBe(2);
    await clock.advance(200);
    expect(opened.map((attempt) => attempt.at)).toEqual([0, 100, 300]);

    machine.synchronised();
    expect(machine.state).toBe('ready');
    expect(machine.reconnectAttempt).toBe(0);
    expect(machine.connects).toBe(2);
    expect(readies).toEqual([false, true]);
  });

  it('gives up after maxAttempts and goes idle; the next wait starts afresh', async () => {
    const { machine, clock, opened } = setup();
    void machine.waitReady();
    machine.synchronised();
    machine.drop('the connection is silent');
    // A caller waiting during reconnection learns why the attempt under way failed.
    const waiting = machine.waitReady().catch((error: unknown) => error);
    for (let i = 0; i < 3; i++) {
      await clock.advance(1_000);
      machine.socketClosed();
    }
    expect(reason(await waiting)).toBe('connect_failed');
    expect(opened).toHaveLength(4); // the first connect and three reconnect attempts
    expect(machine.state).toBe('idle');
    expect(clock.pendingTimers).toBe(0);
    void machine.waitReady();
    expect(opened).toHaveLength(5);
    expect(machine.state).toBe('connecting');
  });

  it('does not reconnect when reconnect is disabled', () => {
    const { machine, opened } = setup({ reconnect: false });
    void machine.waitReady();
    machine.synchronised();
    machine.socketClosed();
    expect(machine.state).toBe('idle');
    expect(opened).toHaveLength(1);
  });

  it('close is final: it rejects the waiters and pending requests and stops every timer', async () => {
    const { machine, clock, failedPending } = setup();
    const waiting = machine.waitReady().catch((error: unknown) => error);
    const closed = new CancelledError('closed by its owner');
    machine.close(closed);
    expect(await waiting).toBe(closed);
    expect(failedPending).toEqual([closed]);
    expect(machine.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
    machine.synchronised();
    expect(machine.state).toBe('closed');
  });

  it('rejects a waiter whose signal aborts without stopping the attempt for the others', async () => {
    const { machine } = setup();
    const controller = new AbortController();
    const aborted = machine.waitReady(controller.signal).catch((error: unknown) => error);
    const other = machine.waitReady();
    controller.abort();
    expect(await aborted).toBeInstanceOf(CancelledError);
    machine.synchronised();
    await other;
    expect(machine.state).toBe('ready');
  });
});
