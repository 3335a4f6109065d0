// Generate docs/aipd/inventaire.md, the data inventory of the DPIA file, and docs/aipd/registre.md,
// the model of the processing register, from the classification each module declares
// (`npm run docs:aipd`). Run it after changing a `.data.ts` declaration and commit the result:
// tests (server/data-protection/inventory.test.ts, register.test.ts) fail while a file is behind.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inventoryFile, inventoryMarkdown } from '../server/data-protection/inventory.ts';
import { registerFile, registerMarkdown } from '../server/data-protection/register.ts';

await writeFile(inventoryFile, inventoryMarkdown());
console.log(`Inventaire des données écrit dans ${path.relative(process.cwd(), inventoryFile)}`);
await writeFile(registerFile, registerMarkdown());
console.log(`Modèle du registre des traitements écrit dans ${path.relative(process.cwd(), registerFile)}`);
