import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useRefreshMe } from '../../app/session.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

export function SecondFactorPage() {
  const navigate = useNavigate();
  const refreshMe = useRefreshMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '');
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/auth/second-factor', { code });
      await refreshMe();
      navigate('/', { replace: true });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title="Double authentification">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">Saisissez le code à 6 chiffres affiché par votre application d’authentification.</Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput name="code" label="Code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required autoFocus />
          <Button type="submit" loading={busy}>
            Valider
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
