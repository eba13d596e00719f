import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type ApiSession } from './api/api-client';
import { ApiError } from './api/api-error';
import { PAGES, pageOf } from './pages/page-registry';
import { clearSession, saveSession } from './session/session-store';
import { SignIn } from './sign-in';

type Phase =
  | { kind: 'checking' }
  | { kind: 'sign-in'; problem?: { code?: string; message: string } }
  | { kind: 'ready' };

/** Props of {@link App}. */
export interface AppProps {
  initialSession: ApiSession;
  /** The server says its API wants a token: ask for it before calling the API. */
  requiresToken?: boolean;
  storage: Storage;
}

/**
 * The dashboard: checks that the API answers with the stored session (asking for a token when it
 * answers 401), then shows the page the location hash names.
 */
export function App({ initialSession, requiresToken, storage }: AppProps) {
  const [session, setSession] = useState(initialSession);
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [hash, setHash] = useState(location.hash);
  const client = useMemo(() => new ApiClient(session), [session]);

  useEffect(() => {
    const onHash = () => setHash(location.hash);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    // No token yet for an API that wants one: a call could only be refused.
    if (requiresToken === true && session.token === undefined) return setPhase({ kind: 'sign-in' });
    // An API that wants no token cannot refuse this session: no need to wait for a first call.
    if (requiresToken === false && session.token === undefined) return setPhase({ kind: 'ready' });
    let live = true;
    setPhase({ kind: 'checking' });
    client.get('/timeframes').then(
      () => live && setPhase({ kind: 'ready' }),
      (e: unknown) => {
        if (!live) return;
        const error = e instanceof ApiError ? e : new ApiError(String(e), 0, 'CLIENT_ERROR');
        setPhase({
          kind: 'sign-in',
          problem:
            error.status === 401 && session.token === undefined
              ? { message: 'This API needs its token.' }
              : { code: error.code, message: error.message },
        });
      },
    );
    return () => {
      live = false;
    };
  }, [client]);

  const page = pageOf(hash);
  const Page = page.component;
  return (
    <>
      <header>
        <h1>ktrdr</h1>
        {phase.kind === 'ready' && (
          <nav aria-label="Pages">
            <ul>
              {PAGES.map((p) => (
                <li key={p.id}>
                  <a href={`#/${p.id}`} aria-current={p.id === page.id ? 'page' : undefined}>
                    {p.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {phase.kind === 'ready' && session.token !== undefined && (
          <button
            type="button"
            class="sign-out"
            onClick={() => {
              clearSession(storage);
              setSession({ baseUrl: session.baseUrl });
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main>
        {phase.kind === 'checking' && <p aria-live="polite">Connecting to {session.baseUrl}…</p>}
        {phase.kind === 'sign-in' && (
          <SignIn
            session={session}
            problem={phase.problem}
            onSubmit={(next) => {
              saveSession(storage, next);
              setSession(next);
            }}
          />
        )}
        {phase.kind === 'ready' && <Page client={client} />}
      </main>
    </>
  );
}
