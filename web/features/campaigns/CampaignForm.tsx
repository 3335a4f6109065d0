import { Alert, Anchor, Button, Group, List, Stack, Stepper, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { CampaignDetail } from '../../../contracts/campaigns.ts';
import { useSaveCampaign } from './api.ts';
import { campaignBody, campaignErrors, type FieldErrors, type FormState, orderedErrors, serverErrors, stepOf, steps } from './formState.ts';
import { StepCallers } from './StepCallers.tsx';
import { StepReview } from './StepReview.tsx';
import { StepScript } from './StepScript.tsx';
import { StepWhen } from './StepWhen.tsx';
import { StepWho } from './StepWho.tsx';

const LAST = steps.length - 1;

/** The field to focus for an error: the field itself, else the closest enclosing one (« script.questions » for a missing question). */
function focusField(path: string) {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const at = parts.slice(0, n).join('.');
    const found = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(at)}"]`);
    if (!found) continue;
    const target = found.matches('input, textarea, select, button') ? found : (found.querySelector<HTMLElement>('input, textarea, select, button') ?? found);
    const details = target.closest('details');
    if (details) details.open = true;
    target.focus();
    target.scrollIntoView({ block: 'center' });
    return true;
  }
  return false;
}

/** The campaign form in steps, the errors shown at their fields and the focus moved to the first one. */
export function CampaignForm({ id, detail, initial }: { id: string | undefined; detail: CampaignDetail | undefined; initial: FormState }) {
  const navigate = useNavigate();
  // Errors stay until their field is right (below), not cleared at the first keystroke.
  const f = useForm<FormState>({ mode: 'controlled', initialValues: initial, validate: campaignErrors, clearInputErrorOnChange: false });
  const form = f.values;
  const errors = f.errors as FieldErrors;
  const [active, setActive] = useState(0);
  const [general, setGeneral] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ path: string; n: number } | null>(null);
  const save = useSaveCampaign(id);
  const segmentLocked = !!detail && detail.status !== 'draft';
  const closed = detail?.status === 'closed';
  const patch = (p: Partial<FormState>) => f.setValues(p);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // Focus follows the step: the first invalid field after a refusal, else the step's heading.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs when the step changes, on purpose.
  useEffect(() => {
    if (focusRequest) {
      if (!focusField(focusRequest.path)) stepHeading.current?.focus();
      return;
    }
    if (moved.current) stepHeading.current?.focus();
  }, [focusRequest, active]);

  // An error shown at a field goes away once the field is right (and its message follows what is typed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the values change, reading the errors shown then.
  useEffect(() => {
    const shown = errors;
    if (!Object.keys(shown).length) return;
    const still = campaignErrors(form);
    const kept = Object.fromEntries(Object.keys(shown).flatMap((path) => (still[path] ? [[path, still[path]]] : [])));
    if (Object.keys(kept).length !== Object.keys(shown).length || Object.keys(kept).some((k) => kept[k] !== shown[k])) f.setErrors(kept);
  }, [form]);

  const goTo = (step: number) => {
    moved.current = true;
    setFocusRequest(null);
    setActive(step);
  };

  /** Show the errors at their fields, open the step of the first one and focus it. */
  const refuse = (fieldErrors: FieldErrors) => {
    f.setErrors(fieldErrors);
    const first = orderedErrors(fieldErrors)[0];
    if (!first) return;
    setActive(stepOf(first[0]));
    setFocusRequest((r) => ({ path: first[0], n: (r?.n ?? 0) + 1 }));
  };

  /** « Suivant »: the current step must be right before going on. */
  const next = () => {
    const here = Object.entries(campaignErrors(form)).filter(([path]) => stepOf(path) === active);
    if (here.length) return refuse(Object.fromEntries(here));
    f.clearErrors();
    goTo(Math.min(active + 1, LAST));
  };

  const saveNow = () => {
    const result = f.validate();
    if (result.hasErrors) return refuse(result.errors as FieldErrors);
    setGeneral(null);
    save.mutate(campaignBody(form), {
      onSuccess: (saved) => navigate(`/campagnes/${saved.id}`),
      onError: (error) => {
        const { fields, general: message } = serverErrors(error);
        setGeneral(message);
        refuse(fields);
      },
    });
  };

  /** Enter in a field goes on to the next step; on the last one, it saves. */
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (active < LAST) next();
    else saveNow();
  };

  // On a phone the six labels do not fit on one line: the bar shows the numbered circles only, the heading below names the step.
  const phone = useMediaQuery('(max-width: 36em)');
  const errorCount = Object.keys(errors).length;
  const stepErrors = (step: number) => Object.keys(errors).filter((path) => stepOf(path) === step).length;

  return (
    // A darker red for the messages at the fields: the theme's default red is below the contrast ratio RGAA asks for.
    <form
      onSubmit={submit}
      noValidate
      aria-label={id ? 'Modifier la campagne' : 'Nouvelle campagne'}
      style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as React.CSSProperties}
    >
      <Stack maw={1000}>
        <Anchor component={Link} to={id ? `/campagnes/${id}` : '/campagnes'} size="sm">
          ← {id ? 'Tableau de bord de la campagne' : 'Campagnes d’appels'}
        </Anchor>
        <Title order={1}>{id ? `Modifier « ${detail?.name ?? ''} »` : 'Nouvelle campagne'}</Title>
        {closed && <Alert color="orange">Cette campagne est terminée : elle ne peut plus être modifiée.</Alert>}

        <Stepper active={active} onStepClick={goTo} allowNextStepsSelect size="sm" wrap>
          {steps.map((step, i) => (
            <Stepper.Step
              key={step.label}
              label={phone ? undefined : step.label}
              description={phone ? undefined : stepErrors(i) ? 'À corriger' : step.description}
              color={stepErrors(i) ? 'red' : undefined}
              aria-label={`Étape ${i + 1} sur ${steps.length} : ${step.label}${stepErrors(i) ? ' (à corriger)' : ''}`}
            />
          ))}
        </Stepper>

        <Title order={3} ref={stepHeading} tabIndex={-1} data-testid="step-title">
          Étape {active + 1} sur {steps.length} : {steps[active]?.label}
        </Title>

        {errorCount > 0 && (
          <Alert color="red" title="La campagne n’est pas encore enregistrée" role="alert">
            {errorCount === 1 ? 'Un champ est à corriger' : `${errorCount} champs sont à corriger`} : le message est affiché sous le champ.
          </Alert>
        )}
        {general && (
          <Alert color="red" title="La campagne n’est pas enregistrée" role="alert">
            <List size="sm">
              <List.Item>{general}</List.Item>
            </List>
          </Alert>
        )}

        {active === 0 && <StepWho form={form} patch={patch} errors={errors} locked={segmentLocked} />}
        {active === 1 && <StepScript script={form.script} onChange={(script) => patch({ script })} errors={errors} />}
        {active === 2 && <StepCallers value={form.callerIds} onChange={(callerIds) => patch({ callerIds })} errors={errors} />}
        {active === 3 && <StepWhen form={form} patch={patch} errors={errors} />}
        {active === LAST && <StepReview form={form} onEdit={goTo} />}

        <Group>
          {active > 0 && (
            <Button variant="default" onClick={() => goTo(active - 1)}>
              Précédent
            </Button>
          )}
          {active < LAST && <Button onClick={next}>Suivant</Button>}
          {active === LAST && (
            <Button type="submit" loading={save.isPending} disabled={closed}>
              {id ? 'Enregistrer les modifications' : 'Créer la campagne'}
            </Button>
          )}
          {id && active < LAST && (
            <Button variant="light" loading={save.isPending} disabled={closed} onClick={saveNow}>
              Enregistrer les modifications
            </Button>
          )}
          <Button variant="default" component={Link} to={id ? `/campagnes/${id}` : '/campagnes'}>
            Annuler
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
