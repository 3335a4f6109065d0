/** Registry: residences, housing units, households, persons, contacts, vulnerability indicators, ERP import. */

export { applyStaged, importFile, stageUpload, validateStaged } from './import/import.service.ts';
export * from './registry.repository.ts';
