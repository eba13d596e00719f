import { useState } from 'preact/hooks';
import type { ApiSession } from './api/api-client';
import { ErrorMessage } from './components/error-message';

/** Props of {@link SignIn}. */
export interface SignInProps {
  session: ApiSession;
  /** Why sign-in is shown: the server wants a token, or the last one was refused. */
  problem?: { code?: string; message: string };
  onSubmit: (session: ApiSession) => void;
}

/**
 * Where the API is and its token (`KTRDR_API_TOKEN`). The token goes to `sessionStorage` and into
 * each request's `Authorization` header, never into a URL.
 */
export function SignIn({ session, problem, onSubmit }: SignInProps) {
  const [baseUrl, setBaseUrl] = useState(session.baseUrl);
  const [token, setToken] = useState(session.token ?? '');
  return (
    <form
      class="sign-in"
      aria-labelledby="sign-in-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ baseUrl: baseUrl.trim().replace(/\/+$/, ''), token: token.trim() || undefined });
      }}
    >
      <h2 id="sign-in-title">Sign in</h2>
      {problem !== undefined && <ErrorMessage code={problem.code} message={problem.message} />}
      <label>
        API URL{' '}
        <input
          name="api"
          type="url"
          value={baseUrl}
          required
          onInput={(e) => setBaseUrl(e.currentTarget.value)}
        />
      </label>
      <label>
        API token{' '}
        <input
          name="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Sign in</button>
      <p class="hint">
        The token is the server&apos;s <code>KTRDR_API_TOKEN</code>. It is kept for this tab only.
      </p>
    </form>
  );
}
