import { Alert, List, Stack, Text, Title } from '@mantine/core';
import { roleLabels } from '../../../contracts/roles.ts';
import { useMe } from '../../app/session.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

export function HomePage({ notFound = false }: { notFound?: boolean }) {
  usePageTitle(notFound ? 'Page introuvable' : 'Accueil');
  const me = useMe();
  if (!me.data) return null;
  return (
    <Stack maw={720}>
      {notFound && <Alert color="orange">Cette page n’existe pas.</Alert>}
      <Title order={1}>Bonjour {me.data.firstName}</Title>
      <Text>
        Vous êtes connecté·e à <strong>{me.data.organisation.name}</strong> en tant que {roleLabels[me.data.role]}.
      </Text>
      <Text>Lien réunit ce dont un bailleur a besoin pour garder le lien avec ses locataires :</Text>
      <List>
        <List.Item>le registre des résidences, logements, ménages et personnes fragiles ;</List.Item>
        <List.Item>les campagnes d’appels (veille téléphonique) et leurs suites ;</List.Item>
        <List.Item>l’accompagnement, les impayés et les orientations vers les partenaires ;</List.Item>
        <List.Item>le portail des locataires, les messages et les tableaux de bord.</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        Le menu ne montre que ce que votre rôle permet d’utiliser.
      </Text>
    </Stack>
  );
}
