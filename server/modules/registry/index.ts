/** Registry: residences, housing units, households, persons, contacts, vulnerability indicators. */
export * from './registry.repository.ts';
