import { Alert, Anchor, Button, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, isNotEmpty, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { OrganisationChoice } from '../../../contracts/auth.ts';
import { signInMessages } from '../../../contracts/sign-in-fields.ts';
import { ApiError, api } from '../../app/api.ts';
import { useRefreshMe } from '../../app/session.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

// Mantine's validators with the contract's messages: the first page stays without zod.
const credentialsRules = { email: (value: string) => isEmail(signInMessages.email)(value.trim()), password: isNotEmpty(signInMessages.password) };

type Stage = 'second_factor' | 'enrolment' | 'active';

/** Where to go after a sign-in step. */
function pathForStage(stage: Stage) {
  return stage === 'second_factor' ? '/connexion/code' : stage === 'enrolment' ? '/compte/securite' : '/';
}

/**
 * E-mail and password. An address may have an account in several organisations: when the
 * password fits more than one, the server lists them and the person chooses, then the same
 * e-mail and password are sent again with the chosen organisation.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const refreshMe = useRefreshMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ initialValues: { email: '', password: '' }, validate: credentialsRules });
  const credentials = form.getValues();
  const [choices, setChoices] = useState<OrganisationChoice[] | null>(null);
  const [organisationId, setOrganisationId] = useState<string | null>(null);

  const send = async (body: { email: string; password: string; organisationId?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { stage } = await api<{ stage: Stage }>('POST', '/api/auth/sign-in', body);
      await refreshMe();
      // The page the visitor was sent away from travels on to the code page.
      navigate(pathForStage(stage), { replace: true, state: location.state });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'organisation_choice_required' && Array.isArray(e.body.organisations)) {
        setChoices(e.body.organisations as OrganisationChoice[]);
        setOrganisationId(null);
      } else {
        setError((e as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = form.onSubmit((values) => {
    if (choices) {
      if (!organisationId) {
        setError('Choisissez votre organisme.');
        return;
      }
      void send({ ...values, organisationId });
      return;
    }
    void send(values);
  });

  const startOver = () => {
    setChoices(null);
    setOrganisationId(null);
    form.setFieldValue('password', '');
    setError(null);
  };

  return (
    <AuthLayout title="Connexion">
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {choices ? (
            <>
              <Text size="sm">
                Votre adresse <strong>{credentials.email}</strong> a un compte dans plusieurs organismes. Choisissez celui avec lequel vous voulez travailler
                maintenant.
              </Text>
              <Radio.Group label="Choisissez votre organisme" value={organisationId} onChange={setOrganisationId} required>
                <Stack gap="xs" mt="xs">
                  {choices.map((o) => (
                    <Radio key={o.id} value={o.id} label={o.name} />
                  ))}
                </Stack>
              </Radio.Group>
              <Button type="submit" loading={busy}>
                Continuer
              </Button>
              <Anchor component="button" type="button" size="sm" onClick={startOver}>
                Utiliser une autre adresse ou un autre mot de passe
              </Anchor>
            </>
          ) : (
            <>
              <TextInput
                name="email"
                type="email"
                label="Adresse e-mail"
                autoComplete="username"
                required
                key={form.key('email')}
                {...form.getInputProps('email')}
              />
              <PasswordInput
                name="password"
                label="Mot de passe"
                autoComplete="current-password"
                required
                key={form.key('password')}
                {...form.getInputProps('password')}
              />
              <Button type="submit" loading={busy}>
                Se connecter
              </Button>
              <Anchor component={Link} to="/mot-de-passe-oublie" size="sm">
                Mot de passe oublié ?
              </Anchor>
            </>
          )}
        </Stack>
      </form>
    </AuthLayout>
  );
}
