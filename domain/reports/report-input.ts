/**
 * What `GET /v1/console/reports` accepts: an optional receipt-day range and
 * the answer's format. The handler validates with this schema and the
 * OpenAPI document is generated from it.
 */
import { z } from 'zod';
import { compareDates, isPlainDate, type PlainDate } from '../clock';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const PlainDateSchema = z
  .string()
  .refine(isPlainDate, 'expected a date YYYY-MM-DD') as unknown as z.ZodType<PlainDate>;

export const ReportQuerySchema = z
  .strictObject({
    /** First receipt day included, in each request's policy zone. */
    from: PlainDateSchema.optional(),
    /** Last receipt day included. */
    to: PlainDateSchema.optional(),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .refine(
    (query) => query.from === undefined || query.to === undefined || compareDates(query.to, query.from) >= 0,
    {
      message: 'must not be before from',
      path: ['to'],
    },
  );
export type ReportQuery = z.output<typeof ReportQuerySchema>;
