import { observer } from 'mobx-react-lite';
import type { CaseView } from '../../../shared/domain';
import { displayPhone } from '../../../shared/phone';
import { channelLabel } from '../format/labels';
import { consentWords, formatNhsNumber, relationLabel, timelineWords } from '../format/profile-words';
import { formatDayAndClock, formatMoment } from '../format/time';
import { LinkPatientForm } from './LinkPatientForm';
import { useStores } from './store-context';

/** Relation to the patient, consent per channel, preferred channel, WhatsApp window and the patient (text only). */
export const ContactPanel = observer(function ContactPanel({ caseView }: { caseView: CaseView }) {
  const { profiles, clock } = useStores();
  const profile = profiles.profile(caseView.id);
  const error = profiles.loadErrors.get(caseView.id);
  return (
    <section className="contact-panel" aria-labelledby={`contact-title-${caseView.id}`} data-testid="contact-panel">
      <h3 id={`contact-title-${caseView.id}`}>Contact and patient</h3>
      {error && !profile && <p className="form-error">{error}</p>}
      {!profile && !error && <p className="thread-loading">Loading contact…</p>}
      {profile && (
        <>
          <dl className="profile-facts">
            <dt>Contact</dt>
            <dd data-testid="contact-name">
              {profile.contact.name ?? 'Name not given'} · {displayPhone(profile.contact.phone)}
            </dd>
            <dt>Relation to the patient</dt>
            <dd data-testid="contact-relation">{relationLabel(profile.contact.relation)}</dd>
            <dt>Preferred channel</dt>
            <dd data-testid="contact-preferred">{profile.contact.preferredChannel === null ? 'Not known' : channelLabel(profile.contact.preferredChannel)}</dd>
            <dt>WhatsApp window</dt>
            <dd data-testid="whatsapp-window">
              {profile.contact.whatsAppWindow.open && profile.contact.whatsAppWindow.closesAt !== null
                ? `Open until ${formatDayAndClock(profile.contact.whatsAppWindow.closesAt)}`
                : 'Closed (no WhatsApp message from the contact in the last 24 hours): a WhatsApp reply needs an approved template'}
            </dd>
            <dt>Patient</dt>
            <dd data-testid="patient">
              {profile.patient === null
                ? 'Not linked to a patient'
                : [
                    profile.patient.name,
                    profile.patient.nhsNumber === null ? 'NHS number not known' : `NHS number ${formatNhsNumber(profile.patient.nhsNumber)}`,
                    profile.patient.ward === null ? 'ward not known' : `Ward ${profile.patient.ward}`,
                  ].join(' · ')}
            </dd>
          </dl>
          <LinkPatientForm caseView={caseView} linked={profile.patient !== null} />
          <table className="consent-table" data-testid="consent-table">
            <caption>Consent by channel</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Consent</th>
                <th scope="col">Source</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {profile.contact.consents.map((consent) => (
                <tr key={consent.channel} data-channel={consent.channel} className={consent.status === 'opted_out' ? 'consent-out' : undefined}>
                  <th scope="row">{channelLabel(consent.channel)}</th>
                  <td>{consentWords(consent)}</td>
                  <td>{consent.source ?? '—'}</td>
                  <td>{consent.changedAt === null ? '—' : formatMoment(consent.changedAt, clock.now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
});

/** The audited actions on the case, oldest first. */
export const CaseTimeline = observer(function CaseTimeline({ caseId }: { caseId: string }) {
  const { profiles, directory, session } = useStores();
  const profile = profiles.profile(caseId);
  if (!profile) return null;
  const names = { user: directory.displayName, queue: directory.queueName, me: session.user?.id ?? null };
  return (
    <section className="case-timeline" aria-labelledby={`timeline-title-${caseId}`}>
      <h3 id={`timeline-title-${caseId}`}>Case timeline</h3>
      <ol data-testid="timeline">
        {profile.timeline.map((entry) => (
          <li key={entry.id} data-action={entry.action}>
            <time dateTime={new Date(entry.at).toISOString()}>{formatDayAndClock(entry.at)}</time> {timelineWords(entry, names)}
          </li>
        ))}
      </ol>
    </section>
  );
});

/** Colleagues viewing or typing in this case (never this user). */
export const CasePresenceNote = observer(function CasePresenceNote({ caseId }: { caseId: string }) {
  const { presence } = useStores();
  const others = presence.othersOn(caseId);
  if (others.length === 0) return null;
  return (
    <p className="case-presence" data-testid="case-presence">
      {others.map((viewer) => `${viewer.displayName} ${viewer.typing ? 'is typing…' : 'is viewing'}`).join(' · ')}
    </p>
  );
});
