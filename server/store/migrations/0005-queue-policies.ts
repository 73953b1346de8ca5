// Version 5: escalation policies edited by admins on the desk. A row here replaces the config file's policy for its
// queue; the config stays the starting point, and every edit is audited with what it replaced.
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect';

export function queuePoliciesSchema(dialect: StoreDialect): Migration {
  const epoch = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const builder = db.schema.createTable('queue_policies');
      await (dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder)
        .addColumn('queue_id', 'text', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('updated_at', epoch, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
        .execute();
    },
  };
}
