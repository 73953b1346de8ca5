import { observer } from 'mobx-react-lite';
import { lazy, Suspense } from 'react';
import { DeskView } from './DeskView';
import { LoginView } from './LoginView';
import { PoliciesView } from './PoliciesView';
import { WallDisplay } from './WallDisplay';

// Charts are a large library; the inbox should not wait for them.
const ReportsView = lazy(() => import('./ReportsView').then((module) => ({ default: module.ReportsView })));
import { useStores } from './store-context';

export const App = observer(function App() {
  const { session, selection } = useStores();
  if (!session.signedIn) return <LoginView />;
  if (selection.mode === 'wall') return <WallDisplay />;
  if (selection.mode === 'policies' && session.user?.role === 'admin') return <PoliciesView />;
  if (selection.mode === 'reports') {
    return (
      <Suspense fallback={<p role="status">Loading reports…</p>}>
        <ReportsView />
      </Suspense>
    );
  }
  return <DeskView />;
});
