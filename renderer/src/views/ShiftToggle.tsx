import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import { formatClock } from '../format/time';
import { nextWallClock } from '../format/wall-clock';
import { EXTEND_BY_MINUTES } from '../stores/shift-store';
import { useStores } from './store-context';

const MINUTE_MS = 60_000;
/** An early or a late: 07:00–14:30 or 13:30–21:00. The default (the site's, usually 12.5 h) is a long day or night. */
const SHORT_SHIFT_MINUTES = 450;

type Pattern = 'default' | 'short' | 'until';

function hoursWords(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${(minutes / 60).toFixed(1)} h`;
}

/**
 * On shift / off shift: escalations reach only staff on a shift that has not ended, with a desk connected
 * (docs/escalation.md). Going on shift says until when; near the end the desk offers to extend.
 */
export const ShiftToggle = observer(function ShiftToggle() {
  const { shift, clock, notices } = useStores();
  const [pattern, setPattern] = useState<Pattern>('default');
  const [until, setUntil] = useState('');
  if (shift.onShift === null) return null;

  if (shift.onShift && shift.endsAt !== null) {
    const extendedTo = shift.endsAt + EXTEND_BY_MINUTES * MINUTE_MS;
    return (
      <div className="shift-control">
        <button
          type="button"
          className="shift-toggle on-shift"
          aria-pressed={true}
          disabled={shift.pending}
          onClick={() => void shift.set(false)}
          data-testid="shift-toggle"
          title="Escalations can reach you. Press to go off shift."
        >
          On shift until {formatClock(shift.endsAt)}
        </button>
        {shift.endingSoon && (
          <button type="button" className="shift-extend" disabled={shift.pending} onClick={() => void shift.extend()} data-testid="shift-extend">
            Extend to {formatClock(extendedTo)}
          </button>
        )}
      </div>
    );
  }

  const defaultMinutes = shift.defaultMinutes ?? 750;
  const maxMinutes = shift.maxMinutes ?? defaultMinutes;
  const goOn = () => {
    if (pattern === 'default') return void shift.set(true);
    if (pattern === 'short') return void shift.set(true, clock.now + SHORT_SHIFT_MINUTES * MINUTE_MS);
    const endsAt = nextWallClock(until, clock.now);
    // The hub checks the end too (past, too far off); this only catches an empty or half-typed time.
    if (endsAt === undefined) return notices.show('error', 'Choose the time your shift ends, as HH:MM.');
    return void shift.set(true, endsAt);
  };
  return (
    <div className="shift-control">
      <button
        type="button"
        className="shift-toggle off-shift"
        aria-pressed={false}
        disabled={shift.pending}
        onClick={goOn}
        data-testid="shift-toggle"
        title="Escalations will not be sent to you. Press to go on shift."
      >
        Off shift
      </button>
      <label className="shift-length">
        Shift
        <select value={pattern} onChange={(event) => setPattern(event.target.value as Pattern)} data-testid="shift-length">
          <option value="default">Long day or night ({hoursWords(defaultMinutes)})</option>
          {SHORT_SHIFT_MINUTES <= maxMinutes && <option value="short">Early or late ({hoursWords(SHORT_SHIFT_MINUTES)})</option>}
          <option value="until">Until a time…</option>
        </select>
      </label>
      {pattern === 'until' && (
        <label className="shift-length">
          Until
          <input type="time" value={until} onChange={(event) => setUntil(event.target.value)} data-testid="shift-until" />
        </label>
      )}
    </div>
  );
});
