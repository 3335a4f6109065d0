import type { Selectable } from 'kysely';
import type { Role } from '../../../contracts/roles.ts';
import type { DB } from './schema.generated.ts';

// The database types are generated from the migrated schema (`npm run db:types`, see
// codegen.ts): never edit schema.generated.ts by hand. This file only names the few types other
// files import, derived from the generated ones so they follow the migrations.

/** The database as Kysely sees it. */
export type { DB, Role };

/** Where a session stands on its way to full sign-in. */
export type SessionStage = Selectable<DB['sessions']>['stage'];

/** The stages of an import. */
export type ImportStatus = Selectable<DB['imports']>['status'];

// The roles in contracts/ (what the web shows) and the CHECK on users.role are the same list.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rolesMatch: Same<Role, Selectable<DB['users']>['role']> = true;
void rolesMatch;
