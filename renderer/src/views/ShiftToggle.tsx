import { observer } from 'mobx-react-lite';
import { useStores } from './store-context';

/** On shift / off shift: escalations reach only staff on shift with a desk connected (docs/escalation.md). */
export const ShiftToggle = observer(function ShiftToggle() {
  const { shift } = useStores();
  if (shift.onShift === null) return null;
  return (
    <button
      type="button"
      className={`shift-toggle ${shift.onShift ? 'on-shift' : 'off-shift'}`}
      aria-pressed={shift.onShift}
      disabled={shift.pending}
      onClick={() => void shift.set(!shift.onShift)}
      data-testid="shift-toggle"
      title={shift.onShift ? 'Escalations can reach you. Press to go off shift.' : 'Escalations will not be sent to you. Press to go on shift.'}
    >
      {shift.onShift ? 'On shift' : 'Off shift'}
    </button>
  );
});
