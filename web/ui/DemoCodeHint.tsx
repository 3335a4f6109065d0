import { Alert, Code, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';

type DemoCode = { code: string | null; secondsLeft: number };

/**
 * Demo organisation only: the code the demo account's application would show, so the demo can
 * be tried without a phone. Anywhere else the server answers 404 and nothing is shown.
 */
export function DemoCodeHint() {
  const demo = useQuery({
    queryKey: ['demo-code'],
    queryFn: () => api<DemoCode>('GET', '/api/auth/demo-code'),
    retry: false,
    staleTime: 0,
    gcTime: 0,
    refetchInterval: (query) => (query.state.status === 'error' ? false : 5_000),
  });
  if (!demo.data) return null;
  return (
    <Alert color="grape" title="Compte de démonstration" role="status" data-testid="demo-code-hint">
      {demo.data.code ? (
        <Text size="sm">
          Démonstration : code actuel <Code data-testid="demo-code">{demo.data.code}</Code> (dans un vrai organisme, il s’affiche sur votre téléphone, jamais
          ici).
        </Text>
      ) : (
        <Text size="sm">Démonstration : le prochain code arrive dans {demo.data.secondsLeft} s.</Text>
      )}
    </Alert>
  );
}
