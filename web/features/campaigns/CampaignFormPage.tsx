import { Alert, Loader } from '@mantine/core';
import { useParams } from 'react-router';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useCampaign, useScriptTemplate } from './api.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { initialState } from './formState.ts';

/** /campagnes/nouvelle and /campagnes/:id/modifier: in steps — who is called, what is asked, who calls, when, then a summary. */
export function CampaignFormPage() {
  const { id } = useParams();
  usePageTitle(id ? 'Modifier une campagne' : 'Nouvelle campagne');
  const campaign = useCampaign(id);
  const template = useScriptTemplate(!id);
  const source = id ? campaign : template;
  if (source.isPending) return <Loader aria-label="Chargement" />;
  if (source.error) return <Alert color="red">{source.error.message}</Alert>;
  return <CampaignForm key={id ?? 'new'} id={id} detail={campaign.data} initial={initialState(campaign.data, template.data)} />;
}
