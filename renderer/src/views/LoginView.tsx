import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import { useStores } from './store-context';

export const LoginView = observer(function LoginView() {
  const { session } = useStores();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    void session.login(username.trim(), password).then((ok) => ok || setPassword(''));
  }

  return (
    <main className="login">
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Clarion desk</h1>
        <p className="login-hint">Sign in with your Clarion staff account.</p>
        <label htmlFor="login-username">Username</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {session.loginError && (
          <p className="form-error" role="alert">
            {session.loginError}
          </p>
        )}
        <button type="submit" className="primary" disabled={session.signingIn}>
          {session.signingIn ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
});
