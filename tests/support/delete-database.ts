import { deleteDB } from 'idb';

/** Deletes a database; rejects instead of waiting forever when an open connection blocks it. */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    deleteDB(name, { blocked: () => reject(new Error(`Deleting database "${name}" is blocked: a connection to it is still open.`)) }).then(resolve, reject);
  });
}
