import { useVirtualizer } from '@tanstack/react-virtual';
import { observer } from 'mobx-react-lite';
import { useEffect, useRef } from 'react';
import { InboxRow } from './InboxRow';
import { useStores } from './store-context';

const ROW_HEIGHT = 84;

/** Virtualised: only the rows on screen exist in the DOM, so 10,000 open cases scroll like 20. */
export const InboxList = observer(function InboxList() {
  const { selection, connection } = useStores();
  const cases = selection.inboxCases;
  const selectedIndex = selection.selectedIndex;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: cases.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => cases[index]?.id ?? index,
  });

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const selectedId = selection.selectedCaseId;
  return (
    <div className="inbox">
      <p className="inbox-summary" aria-live="off">
        {cases.length === 1 ? '1 case' : `${cases.length.toLocaleString('en-GB')} cases`}
        {connection.mayBeOutOfDate ? ' — may be out of date' : ''}
      </p>
      <div
        ref={scroller}
        className="inbox-scroller"
        role="listbox"
        tabIndex={0}
        aria-label="Cases"
        aria-activedescendant={selectedIndex >= 0 && selectedId ? `case-option-${selectedId}` : undefined}
        data-testid="inbox"
      >
        {cases.length === 0 ? (
          <p className="inbox-empty">No cases here. New messages appear as they arrive.</p>
        ) : (
          <div className="inbox-track" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const view = cases[item.index];
              if (!view) return null;
              return (
                <div key={item.key} className="inbox-slot" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                  <InboxRow caseView={view} selected={view.id === selectedId} index={item.index} total={cases.length} />
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
});
