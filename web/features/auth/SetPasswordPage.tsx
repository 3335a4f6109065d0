import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

/** Choose a password from an e-mailed link; the token is in the URL fragment, never sent as a URL. */
export function SetPasswordPage({ purpose }: { purpose: 'password_reset' | 'invitation' }) {
  const [token] = useState(() => window.location.hash.slice(1));
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get('password') !== form.get('confirm')) {
      setError('Les deux mots de passe ne sont pas identiques.');
      return;
    }
    setError(null);
    try {
      await api('POST', '/api/auth/password', { token, password: form.get('password') });
      window.history.replaceState(null, '', window.location.pathname);
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const title = purpose === 'invitation' ? 'Bienvenue dans Lien' : 'Nouveau mot de passe';
  return (
    <AuthLayout title={title}>
      {done ? (
        <Alert color="teal" role="status">
          Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">Au moins 12 caractères. Une phrase de passe (plusieurs mots) est plus sûre et plus facile à retenir.</Text>
            {!token && <Alert color="red">Ce lien est incomplet. Ouvrez le lien reçu par e-mail.</Alert>}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput name="password" label="Mot de passe" autoComplete="new-password" minLength={12} required />
            <PasswordInput name="confirm" label="Confirmez le mot de passe" autoComplete="new-password" minLength={12} required />
            <Button type="submit" disabled={!token}>
              Enregistrer
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/connexion" size="sm">
        Aller à la connexion
      </Anchor>
    </AuthLayout>
  );
}
