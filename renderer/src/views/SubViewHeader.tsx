// The header of every view that is not the desk itself (reports, policies, ward display): its title, the connection
// state (always visible, whatever the view), and the way back.
import { observer } from 'mobx-react-lite';
import { ConnectionIndicator } from './ConnectionIndicator';
import { useStores } from './store-context';

export const SubViewHeader = observer(function SubViewHeader({ title }: { title: string }) {
  const { selection } = useStores();
  return (
    <header className="desk-header">
      <h1 className="brand">Clarion · {title}</h1>
      <ConnectionIndicator />
      <div className="header-spacer" />
      <button type="button" className="quiet" onClick={() => selection.setMode('desk')}>
        Back to the desk
      </button>
    </header>
  );
});
