// Version 4: what a Martha's Rule call records (DOMAIN.md): who is calling, the patient, the ward, a contact number and
// the concern — one row per call, filled in by staff from the conversation, read by the monthly NHS England export.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function marthasRuleSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const builder = db.schema.createTable('martha_calls');
      await (dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder)
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
        .addColumn('caller_type', 'text')
        .addColumn('patient_name', 'text')
        .addColumn('ward', 'text')
        .addColumn('contact_number', 'text')
        .addColumn('concern', 'text')
        .addColumn('updated_at', epoch, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
