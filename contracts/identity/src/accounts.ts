import { z } from 'zod';

/** The shortest password accepted; the rest of the policy (mixed characters, not the email) is checked by the service. */
export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase, short enough that hashing it is not a way to burn the server's CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/** An email address, trimmed and lower-cased: `Somchai@Example.COM ` and `somchai@example.com` are one account. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }).max(254))
  .describe('Email address; compared without regard to case');

export const PasswordSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

export const RoleSchema = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const SignUpRequestSchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema.describe(
      `At least ${MIN_PASSWORD_LENGTH} characters, of at least two kinds (lower case, upper case, digits, others), and not the email`,
    ),
    name: z.string().trim().min(1).max(100).describe('How the shop addresses the customer'),
  })
  .describe('A new customer account');
export type SignUpRequest = z.infer<typeof SignUpRequestSchema>;

export const SignInRequestSchema = z.strictObject({ email: EmailSchema, password: PasswordSchema });
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const SignOutRequestSchema = z
  .strictObject({ refresh_token: z.string().min(1).max(200) })
  .describe('The refresh token to revoke, with every token rotated from the same sign-in');
export type SignOutRequest = z.infer<typeof SignOutRequestSchema>;

export const ProfileSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(RoleSchema),
    createdAt: z.iso.datetime(),
  })
  .describe('A person with an account');
export type Profile = z.infer<typeof ProfileSchema>;
