import { describe, expect, it } from 'vitest';
import { createInProcessTransport } from '@ktrdr/core';
import {
  type ContractSubject,
  PARITY_CALLS,
  type Outcome,
  outcomeOf,
  runContractSuite,
} from './support/contract-suite';
import { httpTransportTo, startTestServer } from './support/servers';
import { createTestService } from './support/test-service';

async function inProcess(): Promise<ContractSubject> {
  const { implementation, probe } = createTestService();
  const transport = createInProcessTransport(implementation);
  return { transport, probe, [Symbol.asyncDispose]: () => transport.close() };
}

async function overHttp(): Promise<ContractSubject> {
  const service = await startTestServer();
  const transport = httpTransportTo(service.url);
  return {
    transport,
    probe: service.probe,
    async [Symbol.asyncDispose]() {
      await transport.close();
      await service[Symbol.asyncDispose]();
    },
  };
}

runContractSuite('in-process', inProcess);
runContractSuite('http (real server on a loopback port)', overHttp);

describe('in-process and HTTP give identical outcomes', () => {
  it('for every call of the parity list', async () => {
    const outcomes: Record<string, Outcome[]> = {};
    for (const make of [inProcess, overHttp]) {
      await using subject = await make();
      for (const [name, call] of PARITY_CALLS)
        (outcomes[name] ??= []).push(await outcomeOf(() => call(subject.transport)));
    }
    for (const [name, [local, remote]] of Object.entries(outcomes)) expect(remote, name).toEqual(local);
    // The list exercises both sides of the contract.
    const kinds = Object.values(outcomes).map(([local]) => local!.ok);
    expect(kinds).toContain(true);
    expect(kinds).toContain(false);
  });
});
