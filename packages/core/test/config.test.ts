import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_DEFAULTS,
  ENVIRONMENT_VARIABLES,
  type KtrdrConfigOptions,
  ServiceConfigurationError,
  loadConfig,
} from '@ktrdr/core';

/** The configuration error `load` throws (fails the test when it throws none). */
function configError(load: () => unknown): ServiceConfigurationError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceConfigurationError);
    return error as ServiceConfigurationError;
  }
  throw new Error('expected a ServiceConfigurationError');
}

describe('loadConfig', () => {
  it('uses the defaults with an empty environment: services in-process, seed URLs', () => {
    expect(loadConfig({}, {})).toEqual({
      ib: {
        useHostService: false,
        hostServiceUrl: 'http://localhost:8001',
        host: '127.0.0.1',
        port: 4002,
        clientId: 1,
        timeoutMs: 30_000,
        hostServiceTimeoutMs: 30_000,
        pacing: 'practical',
        minuteBarSessions: 5,
      },
      training: { useHostService: false, hostServiceUrl: 'http://localhost:8002' },
      apiUrl: 'http://localhost:8000/api/v1',
      dataDir: resolve('data'),
      modelsDir: resolve('models'),
    });
    expect(Object.isFrozen(CONFIG_DEFAULTS.ib)).toBe(true);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig(
      {},
      {
        USE_IB_HOST_SERVICE: 'true',
        IB_HOST_SERVICE_URL: 'http://ib-host:9001/',
        USE_TRAINING_HOST_SERVICE: 'YES',
        TRAINING_HOST_SERVICE_URL: 'https://gpu.example.com:8443',
        IB_HOST: 'gateway.local',
        IB_PORT: ' 7497 ',
        IB_CLIENT_ID: '0',
        IB_TIMEOUT: '2.5',
        IB_HOST_SERVICE_TIMEOUT: '4',
        KTRDR_IB_PACING: 'strict',
        KTRDR_IB_1M_SESSIONS: '3',
        KTRDR_API_URL: 'http://backend:8000/api/v1',
        KTRDR_DATA_DIR: '/srv/bars',
        KTRDR_MODELS_DIR: 'trained',
      },
    );
    expect(config).toEqual({
      ib: {
        useHostService: true,
        hostServiceUrl: 'http://ib-host:9001',
        host: 'gateway.local',
        port: 7497,
        clientId: 0,
        timeoutMs: 2500,
        hostServiceTimeoutMs: 4000,
        pacing: 'strict',
        minuteBarSessions: 3,
      },
      training: { useHostService: true, hostServiceUrl: 'https://gpu.example.com:8443' },
      apiUrl: 'http://backend:8000/api/v1',
      dataDir: '/srv/bars',
      modelsDir: resolve('trained'),
    });
    expect(Object.keys(ENVIRONMENT_VARIABLES).sort()).toEqual(
      [
        'USE_IB_HOST_SERVICE',
        'IB_HOST_SERVICE_URL',
        'USE_TRAINING_HOST_SERVICE',
        'TRAINING_HOST_SERVICE_URL',
        'IB_HOST',
        'IB_PORT',
        'IB_CLIENT_ID',
        'IB_TIMEOUT',
        'IB_HOST_SERVICE_TIMEOUT',
        'KTRDR_IB_PACING',
        'KTRDR_IB_1M_SESSIONS',
        'KTRDR_API_URL',
        'KTRDR_DATA_DIR',
        'KTRDR_MODELS_DIR',
      ].sort(),
    );
  });

  it.each([
    ['true', true],
    ['1', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['OFF', false],
  ])('reads USE_IB_HOST_SERVICE=%s as %s', (raw, expected) => {
    expect(loadConfig({}, { USE_IB_HOST_SERVICE: raw }).ib.useHostService).toBe(expected);
  });

  it('reads the pacing policy from KTRDR_IB_PACING (default practical), and refuses anything else', () => {
    expect(loadConfig({}, {}).ib).toMatchObject({ pacing: 'practical', minuteBarSessions: 5 });
    expect(loadConfig({}, { KTRDR_IB_PACING: 'Strict' }).ib.pacing).toBe('strict');
    expect(loadConfig({ ib: { pacing: 'practical' } }, { KTRDR_IB_PACING: 'strict' }).ib.pacing).toBe(
      'practical',
    );
    expect(() => loadConfig({}, { KTRDR_IB_PACING: 'fast' })).toThrow(/KTRDR_IB_PACING.*practical, strict/);
    expect(() => loadConfig({}, { KTRDR_IB_1M_SESSIONS: '6' })).toThrow(/KTRDR_IB_1M_SESSIONS/);
  });

  it('gives IB_TIMEOUT one meaning: the IB request timeout, never the host-service call deadline', () => {
    expect(loadConfig({}, { IB_TIMEOUT: '5' }).ib).toMatchObject({
      timeoutMs: 5_000,
      hostServiceTimeoutMs: 30_000,
    });
    expect(loadConfig({ ib: { timeoutMs: 1500 } }, {}).ib.hostServiceTimeoutMs).toBe(30_000);
    expect(loadConfig({}, { IB_TIMEOUT: '5', IB_HOST_SERVICE_TIMEOUT: '0.5' }).ib.hostServiceTimeoutMs).toBe(
      500,
    );
    expect(loadConfig({ ib: { hostServiceTimeoutMs: 750 } }, {}).ib.hostServiceTimeoutMs).toBe(750);
    expect(() => loadConfig({}, { IB_HOST_SERVICE_TIMEOUT: '0' })).toThrow(/IB_HOST_SERVICE_TIMEOUT/);
  });

  it('treats an empty or blank variable as unset', () => {
    expect(loadConfig({}, { USE_IB_HOST_SERVICE: '', IB_PORT: '   ' }).ib).toMatchObject({
      useHostService: false,
      port: 4002,
    });
  });

  it('lets explicit options win over the environment', () => {
    const env = {
      USE_IB_HOST_SERVICE: 'true',
      IB_PORT: '4001',
      IB_TIMEOUT: '5',
      KTRDR_DATA_DIR: '/env/data',
    };
    const config = loadConfig(
      { ib: { useHostService: false, port: 7496, timeoutMs: 1500 }, dataDir: '/explicit/data' },
      env,
    );
    expect(config.ib).toMatchObject({ useHostService: false, port: 7496, timeoutMs: 1500 });
    expect(config.dataDir).toBe('/explicit/data');
  });

  it.each([
    ['USE_IB_HOST_SERVICE', 'maybe', 'one of true, 1, yes, on, false, 0, no, off'],
    ['USE_TRAINING_HOST_SERVICE', 'enabled', 'one of true, 1, yes, on, false, 0, no, off'],
    ['IB_HOST_SERVICE_URL', 'localhost:8001', 'an absolute http:// or https:// URL'],
    ['IB_HOST_SERVICE_URL', 'not a url', 'an absolute http:// or https:// URL'],
    ['TRAINING_HOST_SERVICE_URL', 'ftp://host/x', 'an absolute http:// or https:// URL'],
    ['KTRDR_API_URL', '/api/v1', 'an absolute http:// or https:// URL'],
    ['IB_PORT', '99999', 'an integer from 1 to 65535'],
    ['IB_PORT', '0', 'an integer from 1 to 65535'],
    ['IB_PORT', '4002.5', 'an integer from 1 to 65535'],
    ['IB_PORT', 'four', 'an integer from 1 to 65535'],
    ['IB_CLIENT_ID', '-1', 'an integer from 0 to 2147483647'],
    ['IB_CLIENT_ID', '2147483648', 'an integer from 0 to 2147483647'],
    ['IB_CLIENT_ID', 'abc', 'an integer from 0 to 2147483647'],
    ['IB_TIMEOUT', '0', 'a positive number of seconds'],
    ['IB_TIMEOUT', '-3', 'a positive number of seconds'],
    ['IB_TIMEOUT', 'soon', 'a positive number of seconds'],
    ['IB_TIMEOUT', 'Infinity', 'a positive number of seconds'],
    ['IB_HOST', 'my host', 'a host name or IP address'],
    ['IB_HOST', 'http://gateway', 'a host name or IP address'],
    ['KTRDR_DATA_DIR', 'bad\0path', 'a folder path'],
  ])('rejects %s=%j naming the variable and what it accepts', (variable, raw, accepted) => {
    const error = configError(() => loadConfig({}, { [variable]: raw }));
    expect(error.details).toMatchObject({ variable, value: raw });
    expect(error.details['accepted']).toContain(accepted);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(JSON.stringify(raw));
    expect(error.message).toContain(accepted);
  });

  it.each<[KtrdrConfigOptions, string, string]>([
    [{ ib: { port: 99_999 } }, 'ib.port', 'an integer from 1 to 65535'],
    [{ ib: { port: 4002.5 } }, 'ib.port', 'an integer from 1 to 65535'],
    [{ ib: { clientId: -1 } }, 'ib.clientId', 'an integer from 0 to 2147483647'],
    [{ ib: { timeoutMs: 0 } }, 'ib.timeoutMs', 'a positive number of milliseconds'],
    [{ ib: { timeoutMs: Number.NaN } }, 'ib.timeoutMs', 'a positive number of milliseconds'],
    [
      { ib: { hostServiceUrl: 'localhost:8001' } },
      'ib.hostServiceUrl',
      'an absolute http:// or https:// URL',
    ],
    [{ training: { hostServiceUrl: 'gpu:8002' } }, 'training.hostServiceUrl', 'http://'],
    [{ apiUrl: 'backend' }, 'apiUrl', 'http://'],
    [{ modelsDir: '' }, 'modelsDir', 'a folder path'],
  ])('validates explicit options too: %j', (options, name, accepted) => {
    const error = configError(() => loadConfig(options, {}));
    expect(error.details['variable']).toBe(name);
    expect(error.message).toContain(accepted);
  });

  it('keeps a timeout of a fraction of a millisecond positive', () => {
    expect(loadConfig({}, { IB_TIMEOUT: '0.0001' }).ib.timeoutMs).toBe(1);
  });

  it('reads process.env when no environment is given', () => {
    const before = process.env['IB_CLIENT_ID'];
    process.env['IB_CLIENT_ID'] = '42';
    try {
      expect(loadConfig().ib.clientId).toBe(42);
    } finally {
      if (before === undefined) delete process.env['IB_CLIENT_ID'];
      else process.env['IB_CLIENT_ID'] = before;
    }
  });
});
