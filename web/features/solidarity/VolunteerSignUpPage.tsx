import { Alert, Button, Checkbox, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { type VolunteerForm, type VolunteerSkill, volunteerSkillLabels, volunteerSkills } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

/** The nonce whose SHA-256 with the token starts with `difficulty` zero bits (the form's small proof of work). */
async function proofOfWork(token: string, difficulty: number): Promise<string> {
  const encoder = new TextEncoder();
  for (let n = 0; ; n++) {
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${token}:${n}`)));
    let bits = 0;
    for (const byte of hash) {
      if (byte === 0) {
        bits += 8;
        continue;
      }
      bits += Math.clz32(byte) - 24;
      break;
    }
    if (bits >= difficulty) return String(n);
  }
}

/**
 * /benevoles/:slug — a landlord's public volunteer sign-up page, no account needed. The browser
 * does a small proof of work while the person fills the form; a hidden field catches robots.
 */
export function VolunteerSignUpPage() {
  const { slug = '' } = useParams();
  const form = useQuery({ queryKey: ['volunteer-form', slug], queryFn: () => api<VolunteerForm>('GET', `/api/public/volunteers/${slug}`), retry: false });
  const work = useQuery({
    queryKey: ['volunteer-work', form.data?.token],
    queryFn: () => proofOfWork(form.data?.token ?? '', form.data?.difficulty ?? 0),
    enabled: !!form.data,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [skills, setSkills] = useState<VolunteerSkill[]>([]);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  if (form.isError) {
    return (
      <AuthLayout title="Devenir bénévole">
        <Text>Cette page d’inscription n’existe pas ou n’est plus ouverte.</Text>
      </AuthLayout>
    );
  }
  if (sent) {
    return (
      <AuthLayout title="Devenir bénévole">
        <Alert color="teal">Merci ! Votre inscription est enregistrée : le bailleur vous recontacte après l’avoir examinée.</Alert>
      </AuthLayout>
    );
  }
  const submit = async (data: FormData) => {
    setError(null);
    setSending(true);
    try {
      const nonce = work.data ?? (await proofOfWork(form.data?.token ?? '', form.data?.difficulty ?? 0));
      const text = (k: string) => String(data.get(k) ?? '').trim();
      await api('POST', `/api/public/volunteers/${slug}`, {
        firstName: text('firstName'),
        lastName: text('lastName'),
        email: text('email'),
        ...(text('phone') ? { phone: text('phone') } : {}),
        availability: text('availability'),
        skills,
        ...(text('languages') ? { languages: text('languages') } : {}),
        area: text('area'),
        website: text('website'),
        token: form.data?.token ?? '',
        nonce,
      });
      setSent(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setSending(false);
    }
  };
  return (
    <AuthLayout title="Devenir bénévole">
      {form.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit(new FormData(e.currentTarget));
          }}
        >
          <Stack gap="xs">
            <Text size="sm">
              <strong>{form.data.organisation}</strong>
              {form.data.intro ? ` — ${form.data.intro}` : ''}
            </Text>
            <TextInput name="firstName" label="Prénom" required autoComplete="given-name" />
            <TextInput name="lastName" label="Nom" required autoComplete="family-name" />
            <TextInput name="email" type="email" label="Adresse e-mail" required autoComplete="email" />
            <TextInput name="phone" type="tel" label="Téléphone (facultatif)" autoComplete="tel" />
            <Textarea name="availability" label="Vos disponibilités" description="Par exemple : le mercredi après-midi" required maxLength={300} />
            <Checkbox.Group label="Comment voulez-vous aider ?" value={skills} onChange={(v) => setSkills(v as VolunteerSkill[])} withAsterisk>
              <Stack gap={4} mt={4}>
                {volunteerSkills.map((s) => (
                  <Checkbox key={s} value={s} label={volunteerSkillLabels[s]} />
                ))}
              </Stack>
            </Checkbox.Group>
            {skills.includes('languages') && <TextInput name="languages" label="Langues parlées" />}
            <TextInput name="area" label="Votre quartier ou votre commune" required />
            {/* Left empty by people (hidden from them and from screen readers); robots fill it. */}
            <div style={{ position: 'absolute', left: '-10000px', width: 1, height: 1, overflow: 'hidden' }} aria-hidden="true">
              <label>
                Site web
                <input name="website" type="text" tabIndex={-1} autoComplete="off" />
              </label>
            </div>
            {error && <Alert color="red">{error}</Alert>}
            <Button type="submit" loading={sending}>
              Envoyer mon inscription
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
