// What has been recorded of a Martha's Rule call, at the top of the case body: the outreach nurse who picks the call
// up reads who is calling, about whom, where and why before anything else, and what is still to ask the family.
import { observer } from 'mobx-react-lite';
import type { CaseView } from '../../../shared/domain';
import { callerLabel, stillToAskSentence } from '../format/call-words';
import { formatDayAndClock } from '../format/time';
import { PatientText } from './PatientText';
import { useStores } from './store-context';

export const MarthaCallSummary = observer(function MarthaCallSummary({ caseView }: { caseView: CaseView }) {
  const { profiles, directory } = useStores();
  if (caseView.linePurpose !== 'martha') return null;
  const profile = profiles.profile(caseView.id);
  if (!profile) return null;
  const call = profile.marthaCall;
  const stillToAsk = caseView.status === 'resolved' ? null : stillToAskSentence(call);
  const titleId = `call-title-${caseView.id}`;
  return (
    <section className="call-summary" aria-labelledby={titleId} data-testid="call-summary">
      <h3 id={titleId}>Martha&apos;s Rule call</h3>
      {call === null ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <>
          <dl className="profile-facts">
            <dt>Caller</dt>
            <dd data-testid="call-caller">{call.callerType === null ? 'Not recorded' : callerLabel(call.callerType)}</dd>
            <dt>Patient</dt>
            <dd data-testid="call-patient">{call.patientName === null ? 'Not recorded' : <PatientText text={call.patientName} />}</dd>
            <dt>Ward</dt>
            <dd data-testid="call-ward">{call.ward === null ? 'Not recorded' : <PatientText text={call.ward} />}</dd>
            <dt>Concern</dt>
            <dd data-testid="call-concern">{call.concern === null ? 'Not recorded' : <PatientText text={call.concern} />}</dd>
            {call.contactNumber !== null && (
              <>
                <dt>Contact number</dt>
                <dd data-testid="call-number">
                  <PatientText text={call.contactNumber} />
                </dd>
              </>
            )}
          </dl>
          <p className="call-recorded-by">
            Recorded by {directory.displayName(call.updatedBy)} at {formatDayAndClock(call.updatedAt)}
          </p>
        </>
      )}
      {stillToAsk !== null && <p data-testid="call-still-to-ask">{stillToAsk}</p>}
    </section>
  );
});
