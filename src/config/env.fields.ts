import { statSync } from 'node:fs';
import { z } from 'zod';

/** Shared field types of the environment schema. */
export const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A whole number written in decimal digits (no "0x50", "1e3" or blanks), within [min, max]. */
export const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(fallback);

export const positiveInt = (fallback: number) => wholeNumber(fallback, 1);

export const splitCommas = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** A comma-separated list; blanks between commas are dropped. Each item is checked by `item`. */
export const commaList = <Item extends z.ZodType<string, string>>(item: Item, fallback = '') =>
  z.string().default(fallback).transform(splitCommas).pipe(z.array(item));

/** An optional path to a file that exists now (checked at start-up, so a typo fails fast). */
export const optionalFile = optionalString.pipe(
  z
    .string()
    .refine((file) => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    }, 'must name an existing file')
    .optional(),
);
