// Reports: charts for the eye, a table beside each for screen readers and exact numbers, CSV for NHS
// returns and spreadsheets. Loaded lazily: charting code is not needed to work the inbox.
import { observer } from 'mobx-react-lite';
import { useEffect } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDayAndClock } from '../format/time';
import { SubViewHeader } from './SubViewHeader';
import { downloadText } from './download';
import { useStores } from './store-context';

const BLUE = '#003078';
const ORANGE = '#b35900';
const GREEN = '#00703c';

const MARTHA_COLUMNS: [string, string][] = [
  ['calls', 'Calls'],
  ['reviews', 'Reviewed'],
  ['transfers_to_critical_care', 'To critical care'],
  ['other_changes_in_care', 'Other change in care'],
  ['no_change', 'No change'],
  ['redirected_to_pals', 'To PALS'],
  ['still_open', 'Still open'],
];

const CALLER_WORDS: Record<string, string> = {
  patient: 'Patient',
  family: 'Family',
  carer: 'Carer',
  staff: 'Staff',
  not_recorded: 'Not recorded',
  total: 'All callers',
};
const callerWords = (type: string | undefined) => CALLER_WORDS[type ?? ''] ?? type ?? '';

export const ReportsView = observer(function ReportsView() {
  const { reports, session } = useStores();
  useEffect(() => {
    void reports.load();
  }, [reports]);
  const queues = reports.byQueue;
  const martha = reports.marthaFigures;
  const canSeeMartha = ['outreach', 'admin'].includes(session.user?.role ?? '');

  return (
    <div className="reports">
      <SubViewHeader title="Reports" />
      <main className="reports-main">
        {reports.error && (
          <p className="form-error" role="alert">
            {reports.error}
          </p>
        )}
        {reports.loading && <p role="status">Loading reports…</p>}
        <section aria-labelledby="measures-title" className="report">
          <div className="report-header">
            <h2 id="measures-title">Time to acknowledge and resolve, by queue</h2>
            <button type="button" onClick={() => downloadText('clarion-measures.csv', reports.measuresCsv)} disabled={reports.rows.length === 0}>
              Download CSV
            </button>
          </div>
          {reports.from !== null && reports.to !== null && (
            <p className="report-period">
              Cases opened from {formatDayAndClock(reports.from)} to {formatDayAndClock(reports.to)}. Times are medians, in minutes.
            </p>
          )}
          {queues.length === 0 ? (
            <p>No cases in this period.</p>
          ) : (
            <>
              <figure className="chart" aria-hidden="true">
                <BarChart width={720} height={260} data={queues} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="queueName" />
                  <YAxis unit=" min" />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="acknowledgeMinutes" name="To acknowledge" fill={BLUE} isAnimationActive={false} />
                  <Bar dataKey="resolveMinutes" name="To resolve" fill={ORANGE} isAnimationActive={false} />
                </BarChart>
              </figure>
              <table className="report-table" data-testid="measures-table">
                <caption className="visually-hidden">Time to acknowledge and resolve, and deadlines met, by queue</caption>
                <thead>
                  <tr>
                    <th scope="col">Queue</th>
                    <th scope="col">Cases</th>
                    <th scope="col">Acknowledge (median min)</th>
                    <th scope="col">Resolve (median min)</th>
                    <th scope="col">Acknowledged in time</th>
                    <th scope="col">Breaches</th>
                  </tr>
                </thead>
                <tbody>
                  {queues.map((queue) => (
                    <tr key={queue.queueId}>
                      <th scope="row">{queue.queueName}</th>
                      <td>{queue.cases}</td>
                      <td>{queue.acknowledgeMinutes ?? '—'}</td>
                      <td>{queue.resolveMinutes ?? '—'}</td>
                      <td>{queue.acknowledgeSlaPercent === null ? '—' : `${queue.acknowledgeSlaPercent}%`}</td>
                      <td>{queue.breaches}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
        {canSeeMartha && (
          <section aria-labelledby="martha-title" className="report">
            <div className="report-header">
              <h2 id="martha-title">Martha's Rule — monthly figures for NHS England</h2>
              <label htmlFor="report-month">Month</label>
              <input
                id="report-month"
                type="month"
                value={reports.month}
                onChange={(event) => {
                  if (!/^\d{4}-\d{2}$/.test(event.target.value)) return;
                  reports.setMonth(event.target.value);
                  void reports.load();
                }}
              />
              <button
                type="button"
                disabled={reports.marthaCsv === null}
                onClick={() => reports.marthaCsv !== null && downloadText(`marthas-rule-${reports.month}.csv`, reports.marthaCsv)}
              >
                Download CSV
              </button>
            </div>
            {martha.length > 0 && (
              <>
                <figure className="chart" aria-hidden="true">
                  <BarChart width={720} height={260} data={martha.filter((row) => row.caller_type !== 'total').map((row) => ({ ...row, caller: callerWords(row.caller_type), calls: Number(row.calls), reviews: Number(row.reviews), changes: Number(row.transfers_to_critical_care) + Number(row.other_changes_in_care) }))} accessibilityLayer={false}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="caller" />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Bar dataKey="calls" name="Calls" fill={BLUE} isAnimationActive={false} />
                    <Bar dataKey="reviews" name="Reviewed" fill={ORANGE} isAnimationActive={false} />
                    <Bar dataKey="changes" name="Care changed" fill={GREEN} isAnimationActive={false} />
                  </BarChart>
                </figure>
                <table className="report-table" data-testid="martha-table">
                  <caption className="visually-hidden">Martha's Rule calls by who called, and what followed</caption>
                  <thead>
                    <tr>
                      <th scope="col">Caller</th>
                      {MARTHA_COLUMNS.map(([, label]) => (
                        <th key={label} scope="col">
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {martha.map((row) => (
                      <tr key={row.caller_type}>
                        <th scope="row">{callerWords(row.caller_type)}</th>
                        {MARTHA_COLUMNS.map(([key]) => (
                          <td key={key}>{row[key]}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        )}
      </main>
    </div>
  );
});
