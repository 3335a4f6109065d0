import { Alert, Button, Code, Group, Image, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useMe, useRefreshMe } from '../../app/session.ts';

type Enrolment = { secret: string; uri: string; qrCodeDataUrl: string };

/** Account security: enrol the second factor (required for administrators). */
export function SecurityPage() {
  const me = useMe();
  const refreshMe = useRefreshMe();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!me.data) return null;
  const start = async () => {
    setError(null);
    try {
      setEnrolment(await api<Enrolment>('POST', '/api/auth/totp/enrolment'));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const confirm = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/auth/totp/enrolment/confirm', { code: new FormData(event.currentTarget).get('code') });
      setEnrolment(null);
      await refreshMe();
      navigate('/', { replace: true });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Stack maw={640}>
      <Title order={2}>Sécurité du compte</Title>
      {me.data.stage === 'enrolment' && (
        <Alert color="orange" title="Double authentification obligatoire">
          Votre rôle donne accès à des données sensibles : activez la double authentification pour continuer.
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>Double authentification (application TOTP)</Title>
          {me.data.totpEnabled ? (
            <Text>La double authentification est activée sur votre compte.</Text>
          ) : enrolment ? (
            <form onSubmit={confirm}>
              <Stack>
                <Text size="sm">1. Scannez ce QR code avec une application d’authentification (FreeOTP, Aegis, Google Authenticator…).</Text>
                <Image src={enrolment.qrCodeDataUrl} alt="QR code de la double authentification" w={220} h={220} />
                <Text size="sm">Ou saisissez cette clé à la main :</Text>
                <Code data-testid="totp-secret">{enrolment.secret}</Code>
                <Text size="sm">2. Saisissez le code à 6 chiffres affiché par l’application.</Text>
                <Group align="end">
                  <TextInput name="code" label="Code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
                  <Button type="submit">Activer</Button>
                </Group>
              </Stack>
            </form>
          ) : (
            <Group>
              <Text size="sm">Un code à usage unique vous sera demandé à chaque connexion.</Text>
              <Button onClick={start}>Activer la double authentification</Button>
            </Group>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
