// link_patient: "this phone writes about this patient". Until someone says so, a contact is a phone number, and a
// message on a shared ward line goes to triage (H4 in docs/clinical-safety.md). The patient is found by NHS number or
// recorded now; the contact and this case point at them; the contact's next conversation on a shared ward line opens
// in the patient's ward. The audit names what changed, never the NHS number or the name (those live in `patients`).
import { randomUUID } from 'node:crypto';
import type { CommandResult, LinkPatientCommand } from '../../shared/protocol';
import { changeCase, failure, staleVersion, type CommandContext } from './command-context';

export async function link_patient(context: CommandContext, command: LinkPatientCommand): Promise<CommandResult> {
  const refused = staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, site } = context;
  if (command.ward !== null && !site.wards.some((ward) => ward.code === command.ward)) {
    return failure('invalid', `${command.ward} is not a ward of this hospital (wards: ${site.wards.map((ward) => ward.code).join(', ')}).`);
  }
  const known = await unit.trx.selectFrom('patients').selectAll().where('nhs_number', '=', command.nhsNumber).executeTakeFirst();
  // A mistyped NHS number that happens to pass its check digit could belong to someone else: never re-name them.
  if (known !== undefined && known.name.trim().toLowerCase() !== command.name.toLowerCase()) {
    return failure('invalid', 'That NHS number is recorded for a patient with a different name. Check the number and the name; nothing was changed.');
  }
  const patientId = known?.id ?? randomUUID();
  if (known === undefined) {
    await unit.trx.insertInto('patients').values({ id: patientId, nhs_number: command.nhsNumber, name: command.name, ward: command.ward, created_at: unit.now }).execute();
  } else if (command.ward !== null && command.ward !== known.ward) {
    // Patients move wards; the latest word from staff is where the next conversation should go.
    await unit.trx.updateTable('patients').set({ ward: command.ward }).where('id', '=', known.id).execute();
  }
  const contact = await unit.trx.selectFrom('contacts').select(['patient_id', 'relation']).where('id', '=', current.contactId).executeTakeFirstOrThrow();
  await unit.trx.updateTable('contacts').set({ patient_id: patientId, relation: command.relation }).where('id', '=', current.contactId).execute();
  return changeCase(context, {
    set: { patient_id: patientId },
    event: 'patient.linked',
    audit: {
      action: 'patient.linked',
      detail: {
        patientId,
        newPatient: known === undefined,
        previousPatientId: contact.patient_id,
        relation: { from: contact.relation, to: command.relation },
        wardChanged: known !== undefined && command.ward !== null && command.ward !== known.ward,
      },
    },
  });
}
