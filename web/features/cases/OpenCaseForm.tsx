import { Button, Group, Select } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type CaseType, caseTypeLabels, caseTypes } from '../../../contracts/cases.ts';
import { notifyError } from '../../ui/errors.ts';
import { useOpenCase } from './api.ts';

/**
 * « Ouvrir un dossier » from a household file (origin: staff), then the new case. A household has
 * one open case per type: the server answers 409 and its French message is shown.
 */
export function OpenCaseForm({ householdId }: { householdId: string }) {
  const [type, setType] = useState<CaseType>('isolation');
  const open = useOpenCase();
  const navigate = useNavigate();
  return (
    <Group align="end" gap="xs">
      <Select
        label="Type de dossier"
        size="xs"
        data={caseTypes.map((value) => ({ value, label: caseTypeLabels[value] }))}
        value={type}
        onChange={(value) => value && setType(value as CaseType)}
        allowDeselect={false}
      />
      <Button
        size="xs"
        loading={open.isPending}
        onClick={() => open.mutate({ householdId, type }, { onSuccess: ({ id }) => void navigate(`/dossiers/${id}`), onError: notifyError })}
      >
        Ouvrir un dossier
      </Button>
    </Group>
  );
}
