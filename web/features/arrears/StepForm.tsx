import { Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type StepKind, stepDecisionLabels, stepKindLabels, stepKinds } from '../../../contracts/arrears.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { useAddStep } from './api.ts';

type Decision = keyof typeof stepDecisionLabels;

/**
 * « Enregistrer une démarche » on the household's arrears card: an FSL application or a guarantee
 * activation, filed on a date, then (when known) decided with its amount. It joins the household's
 * rent case; the server checks that a decision has its date and a date its decision.
 */
export function StepForm({ householdId }: { householdId: string }) {
  const add = useAddStep();
  const [kind, setKind] = useState<StepKind>('fsl');
  const [filedOn, setFiledOn] = useState('');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [decidedOn, setDecidedOn] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const submit = () => {
    if (!filedOn) return notifyError(new Error('Indiquez la date de dépôt.'));
    add.mutate(
      {
        householdId,
        kind,
        filedOn,
        decision,
        decidedOn: decision ? decidedOn || null : null,
        amountCents: amount === '' ? null : Math.round(Number(amount) * 100),
      },
      {
        onSuccess: () => {
          notifySuccess('Démarche enregistrée dans le dossier « impayés ».');
          setFiledOn('');
          setDecision(null);
          setDecidedOn('');
          setAmount('');
        },
        onError: notifyError,
      },
    );
  };
  return (
    <Group align="end" gap="xs">
      <Select
        label="Démarche"
        size="xs"
        data={stepKinds.map((k) => ({ value: k, label: stepKindLabels[k] }))}
        value={kind}
        onChange={(v) => v && setKind(v as StepKind)}
        allowDeselect={false}
      />
      <TextInput size="xs" type="date" label="Déposée le" value={filedOn} onChange={(e) => setFiledOn(e.currentTarget.value)} />
      <Select
        label="Décision"
        size="xs"
        placeholder="En attente"
        clearable
        data={(Object.keys(stepDecisionLabels) as Decision[]).map((d) => ({ value: d, label: stepDecisionLabels[d] }))}
        value={decision}
        onChange={(v) => setDecision(v as Decision | null)}
      />
      <TextInput size="xs" type="date" label="Décidée le" value={decidedOn} disabled={!decision} onChange={(e) => setDecidedOn(e.currentTarget.value)} />
      <NumberInput size="xs" label="Montant (€)" value={amount} onChange={setAmount} min={0} decimalScale={2} decimalSeparator="," w={120} />
      <Button size="xs" onClick={submit} loading={add.isPending}>
        Enregistrer la démarche
      </Button>
    </Group>
  );
}
