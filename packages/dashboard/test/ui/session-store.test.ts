// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession } from '../../web/session/session-store';

describe('the session store', () => {
  beforeEach(() => sessionStorage.clear());

  it('defaults to the API beside the page, as the server says where it is mounted', () => {
    expect(loadSession(sessionStorage, 'http://127.0.0.1:8000')).toEqual({
      baseUrl: 'http://127.0.0.1:8000/api/v1',
      token: undefined,
    });
    expect(loadSession(sessionStorage, 'http://h:1', '/ktrdr/api/').baseUrl).toBe('http://h:1/ktrdr/api');
  });

  it('keeps the token in sessionStorage only, and forgets it on sign-out', () => {
    saveSession(sessionStorage, { baseUrl: 'http://h:1/api/v1/', token: 'abc' });
    expect(loadSession(sessionStorage, 'http://other')).toEqual({
      baseUrl: 'http://h:1/api/v1',
      token: 'abc',
    });
    expect(localStorage.length).toBe(0);
    clearSession(sessionStorage);
    expect(loadSession(sessionStorage, 'http://other').token).toBeUndefined();
  });
});
