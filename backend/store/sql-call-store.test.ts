// The CallStore contract on the SQL adapter, over the embedded database and a PostgreSQL 15 server.
import { describe } from 'vitest';
import { sqlDatabaseTargets } from '../../test/support/backend/database-targets.js';
import { callStoreContract } from './call-store.contract.js';
import { createSqlCallStore } from './sql-call-store.js';

describe.each(sqlDatabaseTargets())('SQL call store on $name', (target) => {
  describe.skipIf(target.skip)('contract', () => {
    callStoreContract(async () => {
      const { db } = await target.open();
      return {
        store: createSqlCallStore(db),
        async createUser(email) {
          const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
          return rows[0]!.id;
        },
        close: () => db.close(),
      };
    });
  });
});
