/** The portal's words (issue 16), without zod: the tenant's pages import them and stay light. */
export const requestCategories = ['technical', 'common_areas', 'rent', 'certificate', 'neighbourhood', 'other'] as const;
export type RequestCategory = (typeof requestCategories)[number];
export const requestCategoryLabels: Record<RequestCategory, string> = {
  technical: 'Problème technique dans le logement',
  common_areas: 'Parties communes',
  rent: 'Loyer et paiement',
  certificate: 'Attestation ou document',
  neighbourhood: 'Voisinage',
  other: 'Autre demande',
};
/** Days to answer, per category, unless the landlord set its own. */
export const defaultDeadlineDays: Record<RequestCategory, number> = {
  technical: 3,
  common_areas: 5,
  rent: 5,
  certificate: 5,
  neighbourhood: 10,
  other: 10,
};

export const requestStatuses = ['new', 'in_progress', 'waiting_tenant', 'resolved', 'closed'] as const;
export type RequestStatus = (typeof requestStatuses)[number];
/** A request the landlord has finished with: no longer open, never overdue. */
export const isFinished = (status: RequestStatus) => status === 'resolved' || status === 'closed';
export const requestStatusLabels: Record<RequestStatus, string> = {
  new: 'Reçue',
  in_progress: 'En cours de traitement',
  waiting_tenant: 'En attente de votre réponse',
  resolved: 'Résolue',
  closed: 'Clôturée',
};

/** The kinds of document a landlord makes available to a household (« Documents à télécharger »). */
export const documentKinds = ['attestation', 'plan_apurement', 'courrier', 'autre'] as const;
export type DocumentKind = (typeof documentKinds)[number];
export const documentKindLabels: Record<DocumentKind, string> = {
  attestation: 'Attestation',
  plan_apurement: 'Plan d’apurement',
  courrier: 'Courrier',
  autre: 'Autre document',
};

/** A document the landlord asked a household for: asked → received → accepted, or redo (then received again). */
export const documentRequestStatuses = ['asked', 'received', 'accepted', 'redo'] as const;
export type DocumentRequestStatus = (typeof documentRequestStatuses)[number];
export const documentRequestStatusLabels: Record<DocumentRequestStatus, string> = {
  asked: 'Demandé',
  received: 'Reçu',
  accepted: 'Accepté',
  redo: 'À refaire',
};
/** The one definition of who moves a document request where: the tenant sends a file, staff judge what came. */
export const documentRequestTransitions = {
  upload: { from: ['asked', 'redo', 'received'], to: 'received' },
  accept: { from: ['received'], to: 'accepted' },
  redo: { from: ['received'], to: 'redo' },
} as const satisfies Record<string, { from: readonly DocumentRequestStatus[]; to: DocumentRequestStatus }>;
export type DocumentRequestMove = keyof typeof documentRequestTransitions;
export const canMove = (move: DocumentRequestMove, from: DocumentRequestStatus) => (documentRequestTransitions[move].from as readonly string[]).includes(from);
