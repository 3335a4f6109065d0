import { Alert, Button, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';

/** The recovery codes, shown once, with « Copier » and « Télécharger » and a clear warning. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = [
    'Lien — codes de secours de la double authentification',
    'Chaque code ne sert qu’une fois, à la place du code de votre application.',
    '',
    ...codes,
  ].join('\n');
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'lien-codes-de-secours.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack>
      <Alert color="orange" title="Notez ces codes de secours maintenant">
        Ils ne seront plus jamais affichés. Si vous perdez votre téléphone, chacun de ces codes permet de vous connecter une seule fois à la place du code de
        l’application. Gardez-les en lieu sûr (gestionnaire de mots de passe, papier rangé), jamais avec votre téléphone, et ne les communiquez à personne.
      </Alert>
      <SimpleGrid cols={2} spacing="xs" aria-label="Codes de secours" role="list">
        {codes.map((c) => (
          <Code key={c} role="listitem" fz="md" data-testid="recovery-code">
            {c}
          </Code>
        ))}
      </SimpleGrid>
      <Group>
        <Button variant="light" onClick={copy}>
          {copied ? 'Copié' : 'Copier'}
        </Button>
        <Button variant="light" onClick={download}>
          Télécharger
        </Button>
        <Button onClick={onDone}>J’ai mis mes codes en lieu sûr</Button>
      </Group>
      <Text size="xs" c="dimmed">
        Il vous en reste peu ? Créez-en de nouveaux depuis cette page : les anciens ne fonctionneront plus.
      </Text>
    </Stack>
  );
}
