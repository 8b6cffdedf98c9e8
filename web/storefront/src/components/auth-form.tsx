import { useState, type SyntheticEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '@talad/contracts-identity';
import { signIn, signUp } from '../api/client.ts';
import { ApiError, messageOf } from '../api/http.ts';
import { syncBasketWithSession } from '../basket-store.ts';
import { session } from '../session.ts';
import { Field } from './field.tsx';

type Mode = 'sign-up' | 'sign-in';

/** Sign up or sign in without leaving the page; the guest basket follows the person in. */
export function AuthForm({ onSignedIn, initialMode = 'sign-up' }: { onSignedIn?: () => void; initialMode?: Mode }) {
  const [mode, setMode] = useState<Mode>(initialMode);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      if (mode === 'sign-up') await signUp({ name: name.trim(), email: email.trim(), password });
      const tokens = await signIn({ email: email.trim(), password });
      session.signIn({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
      // Signing in started it; waiting for it means the next page sees the guest's lines already in.
      await syncBasketWithSession();
      onSignedIn?.();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401)
        setError('That email and password do not match an account.');
      else if (failure instanceof ApiError && failure.code === 'IDENTITY_EMAIL_TAKEN') {
        setError('An account with this email already exists. Sign in instead.');
        setMode('sign-in');
      } else {
        setError(messageOf(failure));
        if (failure instanceof ApiError) {
          setFieldErrors(
            Object.fromEntries(failure.fieldErrors.map((field) => [field.name.replace(/^\//, ''), field.message])),
          );
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="tabs" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'sign-up'} onClick={() => setMode('sign-up')}>
          New customer
        </button>
        <button type="button" aria-pressed={mode === 'sign-in'} onClick={() => setMode('sign-in')}>
          I have an account
        </button>
      </div>
      {mode === 'sign-up' && (
        <Field
          id="auth-name"
          label="Your name"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldErrors['name']}
        />
      )}
      <Field
        id="auth-email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors['email']}
      />
      <Field
        id="auth-password"
        label="Password"
        type="password"
        autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        hint={
          mode === 'sign-up'
            ? `At least ${MIN_PASSWORD_LENGTH} characters, mixing letters and digits or symbols.`
            : undefined
        }
        error={fieldErrors['password']}
      />
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Please wait…' : mode === 'sign-up' ? 'Create account and continue' : 'Sign in and continue'}
      </button>
    </form>
  );
}
