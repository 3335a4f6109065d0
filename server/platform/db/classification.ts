/**
 * The shape of a module's data classification (TRUST DP-01, issue 13).
 *
 * Each owner of tables (server/platform/db/tables.ts, issue 10) declares, in one file of its own
 * (`server/modules/<m>/<m>.data.ts`, `server/platform/<p>/<p>.data.ts`), the data class and the
 * purposes of every column of the tables it owns, with `satisfies ModuleClassification<'<m>'>`.
 * The type is derived from the owner map and from the generated schema (schema.generated.ts), so
 * the declaration is complete by construction: a table the module owns or a column of it that is
 * missing, a column that does not exist, a table of another module, all fail to compile. The
 * classification test (server/data-protection/classification.int.test.ts) compares the
 * declarations with the migrated database's catalog, for tables added later too.
 */
import type { DataClass, Purpose } from '../../../contracts/data-protection.ts';
import type { DB } from './schema.generated.ts';
import type { TableOwner, tables } from './tables.ts';

/** The data class of a column and the purposes it is collected and kept for (the first one leads). */
export type Classification = { readonly class: DataClass; readonly purposes: readonly [Purpose, ...Purpose[]] };

/** A column's classification: `classify('personal', 'rental_management')`. */
export function classify(dataClass: DataClass, ...purposes: [Purpose, ...Purpose[]]): Classification {
  return { class: dataClass, purposes };
}

/** A shorthand for the columns of one purpose: `const rental = classifier('rental_management'); rental('personal')`. */
export function classifier(...purposes: [Purpose, ...Purpose[]]) {
  return (dataClass: DataClass) => classify(dataClass, ...purposes);
}

type Tables = typeof tables;

/** The tables an owner holds, from the owner map. */
export type TablesOwnedBy<O extends TableOwner> = { [T in keyof Tables]: Tables[T]['owner'] extends O ? T : never }[keyof Tables];

/** The Kysely Migrator's own tables, left out of the generated types (codegen.ts); the catalog test checks them. */
type MigratorTables = { kysely_migration: { name: unknown; timestamp: unknown }; kysely_migration_lock: { id: unknown; is_locked: unknown } };

/** The columns of a table, from the generated schema. */
type ColumnsOf<T> = T extends keyof DB ? keyof DB[T] : T extends keyof MigratorTables ? keyof MigratorTables[T] : never;

/** A table's classification: what its rows are, in French for the DPO, and every column's class and purposes. */
export type TableClassification<T extends keyof Tables> = {
  readonly about: string;
  readonly columns: { readonly [C in ColumnsOf<T>]: Classification };
};

/** Every table an owner holds, each with every one of its columns. */
export type ModuleClassification<O extends TableOwner> = { readonly [T in TablesOwnedBy<O>]: TableClassification<T> };
