import { Alert, Anchor, Button, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { newPasswordForm } from '../../../contracts/auth.ts';
import type { PasswordScorer, PasswordVerdict } from '../../../contracts/password-strength.ts';
import { api } from '../../app/api.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';
import { validateWith } from '../../ui/form.ts';

const strength: Record<PasswordVerdict['score'], { label: string; color: string }> = {
  0: { label: 'très faible', color: 'red' },
  1: { label: 'faible', color: 'red' },
  2: { label: 'insuffisante', color: 'orange' },
  3: { label: 'presque suffisante', color: 'yellow' },
  4: { label: 'solide', color: 'teal' },
};

/** The same scorer as the server's; its dictionaries (about 3 MB) load only on this page. */
function usePasswordScorer() {
  const [scorer, setScorer] = useState<PasswordScorer | null>(null);
  useEffect(() => {
    let live = true;
    import('../../../contracts/password-strength.ts')
      .then((m) => m.loadPasswordScorer())
      .then((s) => live && setScorer(() => s))
      .catch(() => undefined); // Without the meter, the server still checks and says why.
    return () => {
      live = false;
    };
  }, []);
  return scorer;
}

/** Choose a password from an e-mailed link; the token is in the URL fragment, never sent as a URL. */
export function SetPasswordPage({ purpose }: { purpose: 'password_reset' | 'invitation' }) {
  const [token] = useState(() => window.location.hash.slice(1));
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '', confirm: '' }, validate: validateWith(newPasswordForm) });
  const { password } = form.getValues();
  const scorer = usePasswordScorer();
  const verdict = scorer && password ? scorer(password) : null;
  const submit = form.onSubmit(async (values) => {
    // The same scorer as the server's: its reason is shown under the field before anything is sent.
    if (verdict && !verdict.acceptable) {
      form.setFieldError('password', verdict.reason);
      return;
    }
    setError(null);
    try {
      await api('POST', '/api/auth/password', { token, password: values.password });
      window.history.replaceState(null, '', window.location.pathname);
      setDone(true);
    } catch (e) {
      setError((e as Error).message);
    }
  });
  const title = purpose === 'invitation' ? 'Bienvenue dans Lien' : 'Nouveau mot de passe';
  return (
    <AuthLayout title={title}>
      {done ? (
        <Alert color="teal" role="status">
          Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">
              Au moins 12 caractères, sans règle de composition. Une phrase de passe de quelques mots sans lien entre eux est plus sûre et plus facile à retenir
              ; les mots de passe courants ou faciles à deviner sont refusés.
            </Text>
            {!token && <Alert color="red">Ce lien est incomplet. Ouvrez le lien reçu par e-mail.</Alert>}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              name="password"
              label="Mot de passe"
              autoComplete="new-password"
              minLength={12}
              required
              {...form.getInputProps('password')}
              aria-describedby="password-strength"
            />
            <div id="password-strength" aria-live="polite">
              {verdict && (
                <Stack gap={4}>
                  <Progress
                    value={(verdict.score + 1) * 20}
                    color={strength[verdict.score].color}
                    aria-label={`Force du mot de passe : ${strength[verdict.score].label}`}
                  />
                  <Text size="sm" c={verdict.acceptable ? 'teal.8' : 'red.8'}>
                    Force : {strength[verdict.score].label}. {verdict.acceptable ? 'Ce mot de passe sera accepté.' : verdict.reason}
                  </Text>
                  {verdict.hint && (
                    <Text size="sm" c="dimmed">
                      {verdict.hint}
                    </Text>
                  )}
                </Stack>
              )}
            </div>
            <PasswordInput
              name="confirm"
              label="Confirmez le mot de passe"
              autoComplete="new-password"
              minLength={12}
              required
              {...form.getInputProps('confirm')}
            />
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
