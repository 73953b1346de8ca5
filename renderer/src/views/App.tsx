import { observer } from 'mobx-react-lite';
import { DeskView } from './DeskView';
import { LoginView } from './LoginView';
import { useStores } from './store-context';

export const App = observer(function App() {
  const { session } = useStores();
  return session.signedIn ? <DeskView /> : <LoginView />;
});
