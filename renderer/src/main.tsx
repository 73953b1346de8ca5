import { configure } from 'mobx';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getPlatform } from './platform/desktop-bridge';
import { linkPlatform } from './stores/platform-link';
import { RootStore } from './stores/root-store';
import { HttpLoginApi } from './transport/login-api';
import { SocketTransport } from './transport/socket-transport';
import { App } from './views/App';
import { StoreProvider } from './views/store-context';
import './styles.css';

configure({ enforceActions: 'always' });

const store = new RootStore({
  transport: new SocketTransport(),
  loginApi: new HttpLoginApi(),
  storage: window.sessionStorage,
});
store.session.restore();
if (new URLSearchParams(window.location.search).get('display') === 'wall') store.selection.setMode('wall');
linkPlatform(store, getPlatform());

const container = document.getElementById('root');
if (!container) throw new Error('[desk] #root missing from index.html');
createRoot(container).render(
  <StrictMode>
    <StoreProvider value={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
