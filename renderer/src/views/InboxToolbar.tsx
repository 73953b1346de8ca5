import { observer } from 'mobx-react-lite';
import type { InboxFilter } from '../stores/selection-store';
import { useStores } from './store-context';

const FILTERS: { value: InboxFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'breaching', label: 'Overdue' },
];

export const InboxToolbar = observer(function InboxToolbar() {
  const { selection } = useStores();
  return (
    <div className="inbox-toolbar">
      <label htmlFor="inbox-search" className="visually-hidden">
        Search cases and contacts
      </label>
      <input
        id="inbox-search"
        type="search"
        placeholder="Search (/) — name, number, text, #ref"
        value={selection.search}
        onChange={(event) => selection.setSearch(event.target.value)}
      />
      <fieldset className="filters">
        <legend className="visually-hidden">Show</legend>
        {FILTERS.map((filter) => (
          <label key={filter.value} className={`filter${selection.filter === filter.value ? ' current' : ''}`}>
            <input
              type="radio"
              name="inbox-filter"
              value={filter.value}
              checked={selection.filter === filter.value}
              onChange={() => selection.setFilter(filter.value)}
            />
            {filter.label}
          </label>
        ))}
      </fieldset>
    </div>
  );
});
