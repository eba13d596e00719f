import { useState } from 'preact/hooks';
import type { ApiClient } from './api-client';

/** Why a start was refused, as an error message shows it. */
export interface StartError {
  code?: string;
  message: string;
}

/**
 * Starting an operation from a form: `start(path, body)` posts it and resolves with the new
 * operation's id, or `undefined` after putting the refusal in `error` (cleared by the next start).
 */
export function useStartOperation(client: ApiClient) {
  const [error, setError] = useState<StartError | undefined>();
  const start = async (path: string, body: Record<string, unknown>): Promise<string | undefined> => {
    setError(undefined);
    try {
      return (await client.send<{ operation_id: string }>('POST', path, body)).operation_id;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      setError({ code: err.code, message: err.message ?? String(e) });
      return undefined;
    }
  };
  return { error, start };
}
