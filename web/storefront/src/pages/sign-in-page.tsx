import { AuthForm } from '../components/auth-form.tsx';
import { navigate, useRoute } from '../router.tsx';

export function SignInPage() {
  const { query } = useRoute();
  const next = query.get('next') ?? '/';
  // Only paths of this site: `next` comes from the URL, which anyone can craft.
  const target = next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return (
    <div className="narrow">
      <h1>Sign in or create an account</h1>
      <AuthForm initialMode="sign-in" onSignedIn={() => navigate(target === '/sign-in' ? '/' : target)} />
    </div>
  );
}
