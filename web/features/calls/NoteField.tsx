import { Alert, Stack, Textarea } from '@mantine/core';
import { NOTE_MAX } from '../../../contracts/campaign-labels.ts';
import { checkNote, NOTE_REMINDER, noteFlagMessages } from '../../../contracts/note-guard.ts';

/**
 * A call or visit note: the reminder above the field, and the lexicon check (health terms,
 * pejorative words) run as the person types, with a French warning per flag before sending.
 */
export function NoteField({
  value,
  onChange,
  label = 'Note (facultative)',
  max = NOTE_MAX,
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  max?: number;
}) {
  const check = checkNote(value);
  return (
    <Stack gap="xs">
      <Textarea
        label={label}
        description={NOTE_REMINDER}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        maxLength={max}
        autosize
        minRows={3}
        maxRows={10}
        size="md"
      />
      {check.flags.map((flag) => (
        <Alert key={flag} color="orange" title="Attention à cette note">
          {noteFlagMessages[flag]} Repéré : {(flag === 'health' ? check.health : check.pejorative).map((term) => `« ${term} »`).join(', ')}.
        </Alert>
      ))}
    </Stack>
  );
}
