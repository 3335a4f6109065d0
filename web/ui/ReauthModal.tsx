import { Alert, Button, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../app/api.ts';
import { useMe } from '../app/session.ts';
import { DemoCodeHint } from './DemoCodeHint.tsx';

/** Confirm identity (password, and TOTP code when enrolled) before a sensitive action. */
export function ReauthModal({
  opened,
  onClose,
  onConfirmed,
  reason = 'Un export contient des données personnelles : confirmez qu’il s’agit bien de vous.',
}: {
  opened: boolean;
  onClose: () => void;
  onConfirmed: () => void;
  reason?: string;
}) {
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '');
    try {
      await api('POST', '/api/auth/reauthenticate', { password: form.get('password'), ...(code ? { code } : {}) });
      setError(null);
      onConfirmed();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened={opened} onClose={onClose} title="Confirmez votre identité">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{reason}</Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <PasswordInput name="password" label="Mot de passe" autoComplete="current-password" required />
          {me.data?.totpEnabled && (
            <>
              <TextInput
                name="code"
                label="Code de l’application"
                description="Le code à 6 chiffres, ou un code de secours."
                autoComplete="one-time-code"
                maxLength={19}
                required
              />
              {opened && <DemoCodeHint />}
            </>
          )}
          <Button type="submit">Confirmer</Button>
        </Stack>
      </form>
    </Modal>
  );
}
