import { Alert, Button, Code, Group, Image, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { useMe, useRefreshMe } from '../../app/session.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { RecoveryCodesPanel } from './RecoveryCodesPanel.tsx';

type Enrolment = { secret: string; uri: string; qrCodeDataUrl: string };

/** Account security: enrol the second factor (every account has one), recovery codes. */
export function SecurityPage() {
  usePageTitle('Sécurité du compte');
  const me = useMe();
  const refreshMe = useRefreshMe();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [codes, setCodes] = useState<{ codes: string[]; afterEnrolment: boolean } | null>(null);
  const [reauth, setReauth] = useState(false);
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
      const result = await api<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/enrolment/confirm', {
        code: new FormData(event.currentTarget).get('code'),
      });
      setEnrolment(null);
      setCodes({ codes: result.recoveryCodes, afterEnrolment: true });
      await refreshMe();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const regenerate = async () => {
    setError(null);
    try {
      const result = await api<{ recoveryCodes: string[] }>('POST', '/api/auth/recovery-codes');
      setCodes({ codes: result.recoveryCodes, afterEnrolment: false });
      await refreshMe();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'reauthentication_required') setReauth(true);
      else setError((e as Error).message);
    }
  };
  return (
    <Stack maw={640}>
      <Title order={1}>Sécurité du compte</Title>
      {me.data.stage === 'enrolment' && (
        <Alert color="orange" title="Double authentification obligatoire">
          Lien donne accès à des données personnelles de locataires : chaque compte se connecte avec son mot de passe et un code à usage unique. Activez la
          double authentification pour continuer.
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
          {codes ? (
            <RecoveryCodesPanel
              codes={codes.codes}
              onDone={() => {
                setCodes(null);
                if (codes.afterEnrolment) navigate('/', { replace: true });
              }}
            />
          ) : me.data.totpEnabled ? (
            <Stack>
              <Text>La double authentification est activée sur votre compte.</Text>
              <Text size="sm" data-testid="recovery-codes-left">
                Codes de secours non utilisés : {me.data.recoveryCodesLeft} sur 10.
              </Text>
              {me.data.recoveryCodesLeft <= 2 && (
                <Alert color="orange">Il vous reste peu de codes de secours : créez-en de nouveaux et rangez-les en lieu sûr.</Alert>
              )}
              <Group>
                {/* On a phone the label wraps instead of being cut off. */}
                <Button variant="light" onClick={regenerate} h="auto" mih={36} py={6} styles={{ label: { whiteSpace: 'normal', lineHeight: 1.3 } }}>
                  Créer de nouveaux codes de secours
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                Téléphone perdu ou changé, et plus de code de secours ? L’administrateur de votre organisme peut réinitialiser votre double authentification :
                vous l’activerez à nouveau à la connexion suivante.
              </Text>
            </Stack>
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
      <ReauthModal
        opened={reauth}
        reason="Créer de nouveaux codes de secours remplace les anciens : confirmez qu’il s’agit bien de vous."
        onClose={() => setReauth(false)}
        onConfirmed={() => {
          setReauth(false);
          void regenerate();
        }}
      />
    </Stack>
  );
}
