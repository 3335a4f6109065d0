import { z } from 'zod';

// Validation messages in French, for the API's problem details and for the forms alike.
z.config(z.locales.fr());
