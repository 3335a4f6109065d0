import { Checkbox, Radio, Stack } from '@mantine/core';
import { purposeLabels } from '../../../contracts/data-protection.ts';
import { type ObjectablePurpose, objectablePurposes, type SubjectRequestKind, subjectRequestKinds } from '../../../contracts/privacy.ts';

const kindHelp: Record<SubjectRequestKind, string> = {
  access: 'Accès : toutes les données conservées sur la personne (article 15 du RGPD)',
  erasure: 'Effacement : effacer ses données, sauf celles qu’une obligation légale impose de garder (article 17)',
  objection: 'Opposition : ne plus traiter ses données pour une finalité (article 21)',
};

/** The kind of a request (« Accès », « Effacement », « Opposition ») and, for an objection, the purposes objected to (TRUST DP-07). */
export function RequestKindFields(props: {
  kind: SubjectRequestKind;
  purposes: ObjectablePurpose[];
  onKind: (kind: SubjectRequestKind) => void;
  onPurposes: (purposes: ObjectablePurpose[]) => void;
}) {
  return (
    <Stack gap="xs">
      <Radio.Group label="Type de demande" value={props.kind} onChange={(v) => props.onKind(v as SubjectRequestKind)} required>
        <Stack gap="xs" mt="xs">
          {subjectRequestKinds.map((k) => (
            <Radio key={k} value={k} label={kindHelp[k]} />
          ))}
        </Stack>
      </Radio.Group>
      {props.kind === 'objection' && (
        <Checkbox.Group
          label="Finalités auxquelles la personne s’oppose"
          description="La gestion du bail et des impayés reposent sur le contrat et la loi : on ne peut pas s’y opposer."
          value={props.purposes}
          onChange={(v) => props.onPurposes(v as ObjectablePurpose[])}
          required
        >
          <Stack gap="xs" mt="xs">
            {objectablePurposes.map((p) => (
              <Checkbox key={p} value={p} label={purposeLabels[p]} />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
    </Stack>
  );
}
