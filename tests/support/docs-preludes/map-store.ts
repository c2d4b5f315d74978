// Prelude of a store method shown in a class of its own: a FluidAuth-style store that keeps its records in `this.db`.
import type { ISessionData } from 'sessionlab';
declare abstract class MapStore {
  db: Map<string, ISessionData>;
}
