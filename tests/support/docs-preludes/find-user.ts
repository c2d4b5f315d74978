// Prelude of a docs snippet that looks users up: the application's own function, which the snippet calls "your code".
import type { ExpressAdapterOptions as PreludeExpressOptions } from 'sessionlab/express';
declare function findUser(id: string): Promise<Express.User | null>;
