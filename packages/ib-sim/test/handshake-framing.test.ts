/**
 * Byte-level checks of the handshake and framing against the documented layout, with a raw socket
 * (no client library in between).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IB_SIM_ACCOUNT_ID } from '../src/index';
import { decodeFields, encodeFields, encodeFrame, FrameReader } from '../src/protocol/framing';
import { parseClientVersionRange } from '../src/protocol/handshake';
import { clientFrame, handshakeBytes, RawClient } from './helpers/raw-client';
import { TEST_NOW, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
const raws: RawClient[] = [];
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await rig.cleanup();
});

async function open(port: number): Promise<RawClient> {
  const raw = await RawClient.open(port);
  raws.push(raw);
  return raw;
}

/** Performs handshake + START_API and consumes the five start-up messages. */
async function startApi(raw: RawClient, clientId = 0): Promise<string[][]> {
  raw.write(handshakeBytes());
  await raw.nextFields();
  raw.write(clientFrame([71, 2, clientId, '']));
  const messages: string[][] = [];
  for (let i = 0; i < 5; i += 1) messages.push(await raw.nextFields());
  return messages;
}

describe('framing helpers', () => {
  it('terminates every field, the last one included, and prefixes the big-endian byte length', () => {
    const frame = encodeFrame([17, 'é', -1]);
    const body = Buffer.from('17\0é\0-1\0', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(body.length);
    expect(frame.subarray(4)).toEqual(body);
  });

  it('replaces NULs inside a field so it cannot split into two fields', () => {
    expect(encodeFields(['a\0b'])).toBe('a b\0');
  });

  it('reassembles frames from arbitrary chunk boundaries', () => {
    const bytes = Buffer.concat([encodeFrame(['1', 'abc']), encodeFrame(['2', ''])]);
    const reader = new FrameReader();
    const frames: string[][] = [];
    for (const byte of bytes) {
      reader.push(Buffer.from([byte]));
      for (let frame = reader.nextFrame(); frame; frame = reader.nextFrame())
        frames.push(decodeFields(frame.toString()));
    }
    expect(frames).toEqual([
      ['1', 'abc'],
      ['2', ''],
    ]);
  });

  it('parses client version ranges, with or without connect options', () => {
    expect(parseClientVersionRange('v100..193')).toEqual({ min: 100, max: 193, connectOptions: '' });
    expect(parseClientVersionRange('v176')).toEqual({ min: 176, max: 176, connectOptions: '' });
    expect(parseClientVersionRange('v100..193 +PACEAPI')?.connectOptions).toBe('+PACEAPI');
    expect(parseClientVersionRange('x100')).toBeUndefined();
  });
});

describe('handshake on the wire', () => {
  it('answers the version range with one frame [serverVersion, connectionTime] without a message id', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    raw.write(handshakeBytes('v100..193'));
    const frame = await raw.nextRawFrame();
    const expected = Buffer.from('193\0' + '20240315 20:30:00 Greenwich Mean Time\0', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(expected.length);
    expect(frame.subarray(4)).toEqual(expected);
    expect(TEST_NOW.toISOString()).toBe('2024-03-15T20:30:00.000Z');
  });

  it('sends managed accounts, next valid id and farm infos after START_API, byte for byte', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    raw.write(handshakeBytes());
    await raw.nextRawFrame();
    raw.write(clientFrame([71, 2, 7, '']));
    const expected = [
      `15\0${'1'}\0${IB_SIM_ACCOUNT_ID}\0`,
      '9\x001\x001\0',
      '4\x002\0-1\x002104\0Market data farm connection is OK:usfarm\0\0',
      '4\x002\0-1\x002106\0HMDS data farm connection is OK:ushmds\0\0',
      '4\x002\0-1\x002158\0Sec-def data farm connection is OK:secdefnj\0\0',
    ];
    for (const body of expected) {
      const frame = await raw.nextRawFrame();
      expect(frame.subarray(4).toString('utf8')).toBe(body);
      expect(frame.readUInt32BE(0)).toBe(Buffer.byteLength(body));
    }
    expect(sim.connectedClientIds).toEqual([7]);
  });

  it('negotiates down to the client maximum and follows that version’s layouts', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    raw.write(handshakeBytes('v100..176'));
    expect((await raw.nextFields())[0]).toBe('176');
    raw.write(clientFrame([71, 2, 1, '']));
    for (let i = 0; i < 5; i += 1) await raw.nextFields();
    // Below 182 CONTRACT_DATA has no lastTradeDate; below 186 no ineligibility list.
    raw.write(
      clientFrame([9, 8, 5, 0, 'AAPL', 'STK', '', 0, '', '', 'SMART', '', 'USD', '', '', 0, '', '', '']),
    );
    const contract = await raw.nextFields();
    expect(contract.slice(0, 6)).toEqual(['10', '5', 'AAPL', 'STK', '', '0']);
    expect(await raw.nextFields()).toEqual(['52', '1', '5']);
  });

  it('closes connections whose version range has no overlap or that are not V100 clients', async () => {
    const sim = await rig.simulator({ serverVersion: 176 });
    const old = await open(sim.port);
    old.write(handshakeBytes('v100..150'));
    await old.waitClosed();
    const legacy = await open(sim.port);
    legacy.write(Buffer.from('71\x000\0', 'latin1')); // pre-V100: client version, then client id
    await legacy.waitClosed();
    const newer = await open(sim.port);
    newer.write(handshakeBytes('v177..193'));
    await newer.waitClosed();
  });

  it('closes a connection that announces an absurd frame length', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    await startApi(raw);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(0x7fffffff);
    raw.write(header);
    await raw.waitClosed();
    expect(sim.stats.activeConnections).toBe(0);
  });

  it('reassembles client frames split into single bytes and coalesced frames', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    await startApi(raw);
    const bytes = Buffer.concat([clientFrame([49, 1]), clientFrame([8, 1, 1])]);
    for (const byte of bytes) raw.write(Buffer.from([byte]));
    expect(await raw.nextFields()).toEqual(['49', '1', String(TEST_NOW.getTime() / 1000)]);
    expect(await raw.nextFields()).toEqual(['9', '1', '1']);
  });

  it('answers unknown messages with a labelled error, ignores malformed ones, keeps serving', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    await startApi(raw);
    raw.write(clientFrame([999, 1, 'whatever']));
    raw.write(clientFrame([20])); // reqHistoricalData with no fields at all
    raw.write(clientFrame([14, 1, 5])); // setServerLogLevel: accepted, never answered
    raw.write(clientFrame([17, 1]));
    const unknown = await raw.nextFields();
    expect(unknown.slice(0, 4)).toEqual(['4', '2', '-1', '10000']);
    expect(unknown[4]).toContain('[ktrdr IB simulator] message 999 is not implemented');
    expect(await raw.nextFields()).toEqual(['15', '1', IB_SIM_ACCOUNT_ID]);
    expect(sim.messages.map((m) => m.name)).toEqual([
      'HANDSHAKE',
      'START_API',
      'UNKNOWN_999',
      'REQ_HISTORICAL_DATA',
      'SET_SERVER_LOGLEVEL',
      'REQ_MANAGED_ACCTS',
    ]);
  });

  it('ignores requests sent before START_API', async () => {
    const sim = await rig.simulator();
    const raw = await open(sim.port);
    raw.write(handshakeBytes());
    await raw.nextFields();
    raw.write(clientFrame([49, 1]));
    raw.write(clientFrame([71, 2, 3, '']));
    expect((await raw.nextFields())[0]).toBe('15');
    expect(sim.stats.requests).toBe(0);
  });
});
