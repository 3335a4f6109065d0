import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link } from 'react-router';
import { passwordResetRequestBody } from '../../../contracts/auth.ts';
import { api } from '../../app/api.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';
import { validateWith } from '../../ui/form.ts';

export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' }, validate: validateWith(passwordResetRequestBody) });
  const submit = form.onSubmit(async ({ email }) => {
    setError(null);
    try {
      await api('POST', '/api/auth/password-reset', { email });
      setSent(true);
    } catch (e) {
      setError((e as Error).message);
    }
  });
  return (
    <AuthLayout title="Mot de passe oublié">
      {sent ? (
        <Alert color="teal" role="status">
          Si un compte correspond à cette adresse, un lien de réinitialisation lui est envoyé (trois au plus par heure). Il est valable une heure ; pensez à
          regarder dans les courriers indésirables.
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput name="email" type="email" label="Adresse e-mail" required key={form.key('email')} {...form.getInputProps('email')} />
            <Button type="submit">Recevoir un lien</Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/connexion" size="sm">
        Retour à la connexion
      </Anchor>
    </AuthLayout>
  );
}
