import { Button, Fieldset, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import type { ScriptRule } from '../../../contracts/campaigns.ts';
import { needCategories, needCategoryLabels } from '../../../contracts/campaigns.ts';
import type { FieldErrors } from './formState.ts';
import { technicalKey } from './formState.ts';

const frequencyLabels = { weekly: 'Chaque semaine', fortnightly: 'Tous les quinze jours', monthly: 'Chaque mois' } as const;
const effectLabels = { need: 'Ouvrir un besoin à suivre', urgent: 'Signaler une urgence', watch: 'Inscrire en veille régulière' } as const;

/** What an answer triggers: a need to follow, an emergency, or the regular watch. The need's technical key follows its name. */
export function RuleEditor({
  label,
  rule,
  answers,
  errors,
  path,
  onChange,
  onRemove,
}: {
  label: string;
  rule: ScriptRule;
  answers: { value: string; label: string }[] | null;
  errors: FieldErrors;
  path: string;
  onChange: (r: ScriptRule) => void;
  onRemove: () => void;
}) {
  const changeEffect = (effect: ScriptRule['effect']) => {
    if (effect === rule.effect) return;
    if (effect === 'need') onChange({ effect, when: rule.when, need: '', label: '', category: 'daily_life' });
    else if (effect === 'urgent') onChange({ effect, when: rule.when });
    else onChange({ effect, when: rule.when, frequency: 'weekly' });
  };
  return (
    <Fieldset legend={label} variant="filled">
      <Stack gap="xs">
        <Group align="start" gap="sm">
          {answers ? (
            <Select
              label="Si la réponse est"
              data={answers}
              value={answers.some((a) => a.value === rule.when) ? rule.when : null}
              onChange={(v) => onChange({ ...rule, when: v ?? '' })}
              allowDeselect={false}
              w={180}
              error={errors.when}
              data-field={`${path}.when`}
            />
          ) : (
            <TextInput
              label="Si la réponse est"
              value={rule.when}
              onChange={(e) => onChange({ ...rule, when: e.currentTarget.value })}
              w={180}
              error={errors.when}
              data-field={`${path}.when`}
            />
          )}
          <Select
            label="Alors"
            data={Object.entries(effectLabels).map(([value, l]) => ({ value, label: l }))}
            value={rule.effect}
            onChange={(v) => v && changeEffect(v as ScriptRule['effect'])}
            allowDeselect={false}
            w={260}
          />
          {rule.effect === 'need' && (
            <>
              <TextInput
                label="Besoin à suivre"
                value={rule.label}
                onChange={(e) => {
                  const next = e.currentTarget.value;
                  // The technical key follows the name until the manager changes it by hand.
                  const auto = rule.need === '' || rule.need === technicalKey(rule.label, '');
                  onChange({ ...rule, label: next, need: auto ? technicalKey(next, '') : rule.need });
                }}
                w={300}
                error={errors.label}
                data-field={`${path}.label`}
              />
              <Select
                label="Catégorie"
                data={needCategories.map((c) => ({ value: c, label: needCategoryLabels[c] }))}
                value={rule.category}
                onChange={(v) => v && onChange({ ...rule, category: v as (typeof needCategories)[number] })}
                allowDeselect={false}
                w={200}
              />
            </>
          )}
          {rule.effect === 'watch' && (
            <Select
              label="Fréquence des appels"
              data={Object.entries(frequencyLabels).map(([value, l]) => ({ value, label: l }))}
              value={rule.frequency}
              onChange={(v) => v && onChange({ ...rule, frequency: v as keyof typeof frequencyLabels })}
              allowDeselect={false}
              w={200}
            />
          )}
        </Group>
        {rule.effect === 'need' && (
          <details open={!!errors.need || undefined}>
            <summary>
              <Text span size="sm">
                Avancé ({label.toLowerCase()})
              </Text>
            </summary>
            <TextInput
              mt="xs"
              label="Clé technique du besoin"
              description="Créée à partir du nom du besoin. Lettres minuscules sans accents, chiffres et _."
              value={rule.need}
              onChange={(e) => onChange({ ...rule, need: e.currentTarget.value })}
              w={300}
              error={errors.need}
              data-field={`${path}.need`}
            />
          </details>
        )}
        <Group>
          <Button size="xs" variant="subtle" color="red" aria-label={`Retirer la ${label.toLowerCase()}`} onClick={onRemove}>
            Retirer la règle
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
