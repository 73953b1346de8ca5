// The ordered list of schema versions. Names sort in apply order; append, never edit or reorder.
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect';
import { initialSchema } from './0001-initial';
import { escalationSchema } from './0002-escalation';
import { outboundSchema } from './0003-outbound';
import { marthasRuleSchema } from './0004-marthas-rule';
import { queuePoliciesSchema } from './0005-queue-policies';
import { intakeIndexesSchema } from './0006-intake-indexes';
import { dropNextStepAtSchema } from './0007-drop-next-step-at';
import { earlyReceiptsSchema } from './0008-early-receipts';
import { replyUndeliveredSchema } from './0009-reply-undelivered';
import { shiftEndsSchema } from './0010-shift-ends';
import { eventCaseIndexSchema } from './0011-event-case-index';
import { staffDirectoryVersionSchema } from './0012-staff-directory-version';

export function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-escalation': escalationSchema(dialect),
    '0003-outbound': outboundSchema(dialect),
    '0004-marthas-rule': marthasRuleSchema(dialect),
    '0005-queue-policies': queuePoliciesSchema(dialect),
    '0006-intake-indexes': intakeIndexesSchema(),
    '0007-drop-next-step-at': dropNextStepAtSchema(),
    '0008-early-receipts': earlyReceiptsSchema(dialect),
    '0009-reply-undelivered': replyUndeliveredSchema(dialect),
    '0010-shift-ends': shiftEndsSchema(dialect),
    '0011-event-case-index': eventCaseIndexSchema(),
    '0012-staff-directory-version': staffDirectoryVersionSchema(dialect),
  };
}

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
