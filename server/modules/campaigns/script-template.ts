import type { CallScript } from '../../../contracts/campaigns.ts';

/**
 * The ready script « Veille isolement — crise sanitaire », modelled on the questions the
 * landlords of the seeds asked in 2020 (health, isolation, food, medicines, doctor, social
 * worker, rent, wish to be called again). Managers start from it and adapt it.
 */
export const isolationWatchScript: CallScript = {
  title: 'Veille isolement — crise sanitaire',
  intro:
    'Bonjour, je suis {appelant} et j’appelle de la part de votre bailleur. Nous prenons des nouvelles de nos locataires pendant cette période. Avez-vous quelques minutes ?',
  questions: [
    {
      key: 'urgence',
      text: 'Êtes-vous en danger, en détresse, ou sans nourriture ni médicaments pour aujourd’hui ?',
      type: 'yes_no',
      rules: [{ effect: 'urgent', when: 'yes' }],
    },
    {
      key: 'forme',
      text: 'Comment allez-vous en ce moment ?',
      type: 'choice',
      choices: ['Bien', 'Moyennement', 'Mal'],
      rules: [],
    },
    {
      key: 'consentement_sante',
      text: 'Si vous nous parlez d’un besoin lié à votre santé, acceptez-vous que nous le notions pour organiser de l’aide ? Vous pourrez retirer votre accord à tout moment.',
      type: 'yes_no',
      consent: true,
      rules: [],
    },
    {
      key: 'seul',
      text: 'Vous sentez-vous isolé·e ? Avez-vous des proches qui prennent de vos nouvelles ?',
      type: 'choice',
      choices: ['Entouré·e', 'Un peu isolé·e', 'Très isolé·e'],
      rules: [
        { effect: 'need', when: 'Très isolé·e', need: 'isolement', label: 'Isolement : proposer un contact régulier ou une association', category: 'social' },
      ],
    },
    {
      key: 'courses',
      text: 'Avez-vous besoin d’aide pour faire vos courses ?',
      type: 'yes_no',
      rules: [{ effect: 'need', when: 'yes', need: 'courses', label: 'Aide aux courses', category: 'daily_life' }],
    },
    {
      key: 'medicaments',
      text: 'Avez-vous besoin qu’on vous aide à obtenir vos médicaments ?',
      type: 'yes_no',
      rules: [{ effect: 'need', when: 'yes', need: 'medicaments', label: 'Portage de médicaments', category: 'daily_life' }],
    },
    {
      key: 'medecin',
      text: 'Avez-vous besoin d’aide pour joindre un médecin ?',
      type: 'yes_no',
      rules: [{ effect: 'need', when: 'yes', need: 'medecin', label: 'Aide pour joindre un médecin', category: 'health' }],
    },
    {
      key: 'travailleur_social',
      text: 'Souhaitez-vous être mis·e en relation avec un·e travailleur·se social·e ?',
      type: 'yes_no',
      rules: [
        { effect: 'need', when: 'yes', need: 'travailleur_social', label: 'Mise en relation avec un·e travailleur·se social·e (CESF)', category: 'social' },
      ],
    },
    {
      key: 'loyer',
      text: 'Avez-vous des difficultés pour payer votre loyer en ce moment ?',
      type: 'yes_no',
      rules: [{ effect: 'need', when: 'yes', need: 'loyer', label: 'Difficulté de paiement du loyer', category: 'rent' }],
    },
    {
      key: 'rappel',
      text: 'Souhaitez-vous que nous vous appelions régulièrement, chaque semaine ?',
      type: 'yes_no',
      rules: [{ effect: 'watch', when: 'yes', frequency: 'weekly' }],
    },
  ],
  closing: 'Merci pour cet échange. N’hésitez pas à appeler votre agence si besoin. Prenez soin de vous.',
};
