// Prelude of a docs snippet with a login form: the application's own credential check ("your code" in the snippet).
import type { ExpressAdapterOptions as PreludeExpressAdapterOptions } from 'sessionlab/express';
declare function checkPassword(email: unknown, password: unknown): Promise<Express.User | null>;
