import { render } from 'preact';
import { App } from './app';
import { fetchServerInfo, loadSession } from './session/session-store';

const info = await fetchServerInfo();
render(
  <App
    initialSession={loadSession(sessionStorage, location.origin, info.api_base_path)}
    requiresToken={info.requires_token}
    storage={sessionStorage}
  />,
  document.getElementById('app') as HTMLElement,
);
