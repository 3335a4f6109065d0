import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../app/api.ts';
import { useRefreshMe } from '../../app/session.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

type Stage = 'second_factor' | 'enrolment' | 'active';

/** Where to go after a sign-in step. */
function pathForStage(stage: Stage) {
  return stage === 'second_factor' ? '/connexion/code' : stage === 'enrolment' ? '/compte/securite' : '/';
}

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const refreshMe = useRefreshMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { stage } = await api<{ stage: Stage }>('POST', '/api/auth/sign-in', { email: form.get('email'), password: form.get('password') });
      await refreshMe();
      // The page the visitor was sent away from travels on to the code page.
      navigate(pathForStage(stage), { replace: true, state: location.state });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title="Connexion">
      <form onSubmit={submit}>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput name="email" type="email" label="Adresse e-mail" autoComplete="username" required />
          <PasswordInput name="password" label="Mot de passe" autoComplete="current-password" required />
          <Button type="submit" loading={busy}>
            Se connecter
          </Button>
          <Anchor component={Link} to="/mot-de-passe-oublie" size="sm">
            Mot de passe oublié ?
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
