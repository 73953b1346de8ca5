import { observer } from 'mobx-react-lite';
import { DeskView } from './DeskView';
import { LoginView } from './LoginView';
import { WallDisplay } from './WallDisplay';
import { useStores } from './store-context';

export const App = observer(function App() {
  const { session, selection } = useStores();
  if (!session.signedIn) return <LoginView />;
  return selection.mode === 'wall' ? <WallDisplay /> : <DeskView />;
});
