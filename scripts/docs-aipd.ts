// Generate docs/aipd/inventaire.md, the data inventory of the DPIA file, from the classification
// each module declares (`npm run docs:aipd`). Run it after changing a `.data.ts` declaration and
// commit the result: a test (server/data-protection/inventory.test.ts) fails while the file is behind.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inventoryFile, inventoryMarkdown } from '../server/data-protection/inventory.ts';

await writeFile(inventoryFile, inventoryMarkdown());
console.log(`Inventaire des données écrit dans ${path.relative(process.cwd(), inventoryFile)}`);
