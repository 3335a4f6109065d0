import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { matches, useForm } from '@mantine/form';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { secondFactorCodePattern, signInMessages } from '../../../contracts/sign-in-fields.ts';
import { api } from '../../app/api.ts';
import { useRefreshMe } from '../../app/session.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';
import { DemoCodeHint } from '../../ui/DemoCodeHint.tsx';

/** The page the visitor was sent to sign in from (only a path of this application), else the home page. */
function returnPath(state: unknown) {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/connexion') ? from : '/';
}

/** The second step of every sign-in: the application's code, or a recovery code. */
export function SecondFactorPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const refreshMe = useRefreshMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState(false);
  const form = useForm({ initialValues: { code: '' }, validate: { code: (value) => matches(secondFactorCodePattern, signInMessages.code)(value.trim()) } });
  const submit = form.onSubmit(async ({ code }) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/auth/second-factor', { code });
      await refreshMe();
      navigate(returnPath(location.state), { replace: true });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  });
  return (
    <AuthLayout title="Double authentification">
      <form onSubmit={submit} noValidate>
        <Stack>
          {recovery ? (
            <Text size="sm">Saisissez l’un de vos codes de secours (par exemple ABCD-EFGH-JKLM-NPQR). Chaque code ne sert qu’une fois.</Text>
          ) : (
            <Text size="sm">Saisissez le code à 6 chiffres affiché par votre application d’authentification.</Text>
          )}
          {!recovery && <DemoCodeHint />}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {recovery ? (
            <TextInput
              key="recovery"
              name="code"
              label="Code de secours"
              autoComplete="off"
              maxLength={19}
              required
              autoFocus
              {...form.getInputProps('code')}
            />
          ) : (
            <TextInput
              key="totp"
              name="code"
              label="Code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              autoFocus
              {...form.getInputProps('code')}
            />
          )}
          <Button type="submit" loading={busy}>
            Valider
          </Button>
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setRecovery(!recovery);
              setError(null);
              form.reset();
            }}
          >
            {recovery ? 'Utiliser le code de l’application' : 'Vous n’avez pas votre téléphone ? Utiliser un code de secours'}
          </Anchor>
          {recovery && (
            <Text size="xs" c="dimmed">
              Plus de code de secours ? Demandez à l’administrateur de votre organisme de réinitialiser votre double authentification.
            </Text>
          )}
        </Stack>
      </form>
    </AuthLayout>
  );
}
