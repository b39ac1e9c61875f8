// A store that refuses a write, on either engine, without mocks: a trigger that fails every update of a column of a
// table (where a condition holds), as a full disk or a failed statement would. Returns what allows writes again.
import type { StoreDb } from '../../node/db.js';

export function refuseUpdates(db: StoreDb, table: string, column: string, when = 'TRUE'): () => void {
  const message = `injected: the store refuses the write to ${table}.${column}`;
  if (db.dialect === 'sqlite') {
    db.exec(`CREATE TRIGGER vb_test_refuse BEFORE UPDATE OF ${column} ON ${table} WHEN ${when}
             BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    return () => db.exec('DROP TRIGGER vb_test_refuse');
  }
  db.exec(`CREATE FUNCTION vb_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF ${when} THEN RAISE EXCEPTION '${message}'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER vb_test_refuse BEFORE UPDATE OF ${column} ON ${table}
           FOR EACH ROW EXECUTE FUNCTION vb_test_refuse()`);
  return () => db.exec(`DROP TRIGGER vb_test_refuse ON ${table}; DROP FUNCTION vb_test_refuse()`);
}
